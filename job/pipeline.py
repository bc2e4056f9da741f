"""The whole job, in one place, as plain functions in the one direction of flow:
ingest → contracts → rules → metrics → history → render → deliver → index → run.json.

`run_job` owns the order of the stages, the locks, what a failed stage costs and the run
summary. It runs each stage through a `StageRunner`: `InProcess` (the CLI's default: plain
calls, no server) or `flows.audit.PrefectStages` (the same calls as Prefect tasks with
retries and recorded states). Flows and the CLI therefore differ in tracking only, never in
what the audit does. Everything here is testable without Prefect.

Coarse stages: rendering and delivery run in batches (one per province), and one Pemda's
failure is recorded inside its batch (`AuditResult.failures`) while the others go on.
"""

from __future__ import annotations

import copy
import glob
import json
import os
import re
import shutil
import time
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional, Protocol, TypeVar
from zoneinfo import ZoneInfo

import pandas as pd

from core.catalog import Catalog, load_catalog
from core.files import atomic_write, deferred_sync, remove_leftovers, sync_disk
from core.findings import FINDING_COLUMNS
from core.findings import validate as validate_findings
from core.outcomes import AuditError, Outcome, UsageError
from core.imports import import_meanwhile
from core.parallel import Background, in_background, pool
from core.ringkasan import validate as validate_ringkasan
from core.ringkasan import with_changes
from core.safe_cells import write_csv
from core.settings import EXPORT_CACHE_FOLDER, INDEX_TREND_RUNS, OUTBOX_EXTRA_PROCESSES, REPORT_TREND_POINTS, Settings
from job import progress
from job.lock import nightly_lock, out_dir_lock
from ingest.export import Export
from core.fingerprint import EXPORT_SUFFIXES

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from checks.metrics import Metrics
    from core.evidence import FactsCache
    from delivery import DeliverySummary
    from reports import ReportFiles, RunInfo
    from store.history import RunRecord

T = TypeVar("T")

#: IID is run from Jakarta: "today" and the nightly 02:00 are Western Indonesian Time (WIB),
#: also on a server whose clock is UTC (02:00 WIB is 19:00 UTC of the day before).
TIMEZONE = "Asia/Jakarta"


#: `--data-docs`: the file-backed GX project of the run (GX names its folder), and its Data Docs.
GX_FOLDER = "gx"
DATA_DOCS_INDEX = Path("uncommitted") / "data_docs" / "local_site" / "index.html"

NIGHTLY_FLOW = "nightly-audit"
REGION_FLOW = "audit-region"


# ---------------------------------------------------------------------------------------------
# What a run is asked to do, and what it did
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class JobRequest:
    """One audit run. `run_folder`: write into `<out>/<run-id>/` (deployments) instead of `out`."""

    source: str
    out: Path
    region: Optional[str] = None
    run_folder: bool = False
    year: Optional[int] = None
    as_of: Optional[date] = None
    lang: Optional[str] = None
    send: bool = False
    resend: bool = False
    only: Optional[str] = None
    recipients: Optional[Path] = None
    #: a Pemda without an email address is a failure (PARTIAL) instead of a listed skip
    require_recipients: bool = False
    #: also build GX Data Docs of the validation in `<out>/gx/` (for analysts who know GX)
    data_docs: bool = False

    @property
    def flow(self) -> str:
        return REGION_FLOW if self.region else NIGHTLY_FLOW


@dataclass
class AuditResult:
    out_dir: Path
    export: Export
    catalog: Catalog
    findings: pd.DataFrame  # core.findings.ALL_COLUMNS, severity and pesan filled
    metrics: "Metrics"  # checks.metrics.Metrics: ringkasan, inovasi, slot
    not_checked: pd.DataFrame  # rule_id, kode_pemda (None = whole run), alasan
    as_of: date = field(default_factory=date.today)
    reports: dict[str, "ReportFiles"] = field(default_factory=dict)  # set once rendered
    failures: list[dict] = field(default_factory=list)  # {kode_pemda, tahap, pesan}
    #: kode_pemda whose report has no valid email address yet (listed, not a failure)
    unaddressed: list[str] = field(default_factory=list)
    #: where delivery writes `.eml` files: the run's final folder, not its staging folder
    outbox_dir: Optional[Path] = None
    #: per rule and Pemda: items checked, failed, passed (`checks.coverage`, `cakupan.csv`)
    cakupan: Optional[pd.DataFrame] = None
    #: what changed per Pemda as its report shows it (`store.history.Comparison.shown`), once
    #: the history is read; None: no history (the reports then show no change)
    perubahan: Optional[pd.DataFrame] = None
    #: each Pemda's trend (`store.history.TREND_COLUMNS`, ending with this run), once the
    #: history is read; None when there is no history (the reports then draw no chart)
    tren: Optional[pd.DataFrame] = None
    #: Pemda rows of the latest national runs and this one (the index's distribution over runs)
    tren_nasional: Optional[pd.DataFrame] = None

    @property
    def ringkasan(self) -> pd.DataFrame:
        return self.metrics.ringkasan

    @property
    def outcome(self) -> Outcome:
        if self.failures:
            return Outcome.PARTIAL
        return Outcome.FINDINGS if len(self.findings) else Outcome.CLEAN


@dataclass
class History:
    """What the history says about a run in progress (plain values; see `store.history`)."""

    changes: pd.DataFrame  # store.history.COMPARE_COLUMNS per Pemda: against the previous run
    shown: pd.DataFrame  # the same as the reports show it (an unchanged Pemda: what its last report showed)
    baru: pd.Series  # per finding row: marked new in the report
    tren: pd.DataFrame  # each Pemda's last distinct points, this run included
    nation: pd.DataFrame  # Pemda rows of the latest earlier national runs
    kunci: Optional[pd.Series] = None  # store.history.Comparison.kunci: the findings' keys, hashed once


@dataclass
class RunSummary:
    """What a run did, as `run.json` and as the flow's return value (plain JSON data)."""

    run_id: str
    flow: str
    export: str
    out_dir: str
    as_of: str
    started_at: str
    finished_at: str = ""
    pemda: int = 0
    findings: dict[str, int] = field(default_factory=dict)
    reports: int = 0
    index: Optional[str] = None
    delivery: dict[str, int] = field(default_factory=dict)
    outbox: Optional[str] = None
    failures: list[dict] = field(default_factory=list)
    #: kode_pemda without a valid email address (their email waits in the outbox unaddressed)
    tanpa_alamat: list[str] = field(default_factory=list)
    not_checked: int = 0
    #: GX Data Docs of the run (`--data-docs`), else None
    data_docs: Optional[str] = None
    #: a run that died in this folder before this one: {run_id, tahap, mulai} (its marker)
    run_sebelumnya_terputus: Optional[dict] = None
    #: seconds spent per stage (`analisis`, `riwayat`, `laporan`, `kirim`, `indeks`)
    tahap_detik: dict[str, float] = field(default_factory=dict)
    #: `core.outcomes.Outcome.word` (`bersih`, `temuan`, `sebagian`, …) and its exit code
    outcome: str = Outcome.CLEAN.word
    exit_code: int = 0
    #: the run's AuditResult, for callers that decorate a run (Prefect artifacts); not data
    result: Optional[AuditResult] = field(default=None, repr=False, compare=False)

    def as_dict(self) -> dict:
        # not `asdict(self)`: it would deep-copy `result` (the nation's frames, 0.5 s) to drop it
        return {f.name: copy.deepcopy(getattr(self, f.name)) for f in fields(self) if f.name != "result"}


# ---------------------------------------------------------------------------------------------
# How stages are run
# ---------------------------------------------------------------------------------------------


class StageRunner(Protocol):
    """Runs one stage call. `name` is the stage (`analisis`, `laporan`, `kirim`, …), `label`
    the run's name for it (`laporan 35`); `retries` how often a transient fault may be retried.
    A runner with a true `per_task` attribute records each call (the reports then come in one
    call per province)."""

    def __call__(self, name: str, fn: Callable[..., T], *args: Any, label: str | None = None,
                 retries: int = 0) -> T: ...


def in_process(name: str, fn: Callable[..., T], *args: Any, label: str | None = None, retries: int = 0) -> T:
    """The default runner: a plain call (retries are the stage's own business here)."""
    return fn(*args)


# ---------------------------------------------------------------------------------------------
# Stages
# ---------------------------------------------------------------------------------------------


def load(export_path: Path, region: str | None = None, year: int | None = None,
         cache_dir: Path | None = None, cache_in_background: bool = False, workers: int = 1) -> Export:
    """Ingest + contracts (SKM findings); narrowed to one Pemda when `region` is given; the raw
    read through the export cache in `cache_dir` when given (a new entry written by a forked
    child with `cache_in_background`: `ingest.cache.wait_for_writes`). With `workers` > 1 the
    national run leaves the indicator table's contract to the pause while GX validates
    (`read_export(defer_contract=True)`; `checks.engine.run_rules` settles it)."""
    from ingest import read_export, select_region

    export = read_export(Path(export_path), year=year, region=region, cache_dir=cache_dir,
                         cache_in_background=cache_in_background, defer_contract=workers > 1 and not region)
    return select_region(export, region) if region else export


def resolve_year(export: Export, year: int | None, settings: Settings) -> int:
    return int(year or export.tahun_penilaian or settings.year)


def audit_export(export: Export, catalog: Catalog, as_of: date, lang: str = "id", data_docs: Path | None = None,
                 evidence_cache: "FactsCache | None" = None,
                 evidence_map: Callable[[Callable, list], list] | None = None, workers: int = 1,
                 out_dir: Path | None = None, gx_worker: "Executor | None" = None):
    """Rules over the whole nation at once, then region metrics. With `data_docs` (a folder)
    the GX validation also builds GX Data Docs there; with `evidence_cache` the evidence rules
    open only the files not read on an earlier night, and `evidence_map` reads the others'
    batches elsewhere (`flows.evidence`: Prefect tasks, Dask); with `workers` > 1, GX validates
    in a forked worker beside the pandas rules (in `gx_worker` when given:
    `checks.engine.gx_worker_ahead`).

    With `out_dir`, `findings.csv` is written there (`write_findings`) as soon as the findings
    are known: with `workers` > 1 by a forked child while this process computes the metrics
    (a child that dies leaves it to this process). Writing checks the findings' contract, so
    the rules do not check it first; a broken contract fails here either way, before anything
    is made of the findings."""
    from checks.engine import run_rules
    from checks.metrics import metrics_base, region_metrics
    base: list = []  # the findings-free part of the metrics, while GX validates
    result = run_rules(export, catalog, as_of=as_of, lang=lang, data_docs=data_docs, evidence_cache=evidence_cache,
                       evidence_map=evidence_map, workers=workers,
                       meanwhile=lambda: base.append(metrics_base(export, catalog)),
                       check_contract=out_dir is None,  # else `write_findings` checks them, before this returns
                       gx_worker=gx_worker)
    writer = in_background(write_findings, out_dir, result.findings) if out_dir is not None and workers > 1 else None
    if out_dir is not None and writer is None:  # one process, or no fork on this platform
        write_findings(out_dir, result.findings)
    metrics = region_metrics(export, result.findings, catalog, base[0] if base else None)
    cakupan = coverage_of(export, metrics, result.findings, result.not_checked, catalog)
    if writer is not None and not writer.wait():
        write_findings(out_dir, result.findings)  # the child died: here (a broken contract raises here)
    return result.findings, metrics, result.not_checked, cakupan


def coverage_of(export: Export, metrics: "Metrics", findings: pd.DataFrame, not_checked: pd.DataFrame,
                catalog: Catalog) -> pd.DataFrame:
    """Per rule and Pemda: items checked, failed, passed (`checks.coverage`)."""
    from checks.coverage import rule_coverage

    return rule_coverage(export.tables, metrics.inovasi, metrics.ringkasan["kode_pemda"], findings, not_checked, catalog)


def write_findings(out_dir: Path, findings: pd.DataFrame) -> None:
    """`findings.csv` at the top of the run folder (the output contract), validated against
    its Pandera model first: a broken contract is never written."""
    write_csv(validate_findings(findings, location=False)[FINDING_COLUMNS], out_dir / "findings.csv")


def run_audit(export_path: Path, out_dir: Path, settings: Settings, region: str | None = None,
              year: int | None = None, as_of: date | None = None, data_docs: bool = False,
              evidence_map: Callable[[Callable, list], list] | None = None) -> AuditResult:
    """Read, validate, run every rule, compute the metrics, write findings.csv + ringkasan.csv.
    (No retry anywhere: an unreadable export fails the same way every time.)"""
    from ingest.cache import wait_for_writes

    try:
        return _run_audit(export_path, out_dir, settings, region, year, as_of, data_docs, evidence_map)
    finally:
        wait_for_writes()  # the export cache entry, written beside the audit (`core.parallel`)


def _run_audit(export_path: Path, out_dir: Path, settings: Settings, region: str | None, year: int | None,
               as_of: date | None, data_docs: bool,
               evidence_map: Callable[[Callable, list], list] | None) -> AuditResult:
    from checks.engine import gx_worker_ahead

    # one Pemda: GX's worker forks now and imports GX while the export is read (its rows are
    # few, so they are sent to it); the nation's worker forks after the read and inherits them
    with gx_worker_ahead(settings.workers if region is not None else 1) as gx_worker:
        if settings.workers > 1:  # SQLAlchemy, for the history; GX's worker, forked after the read, has it too
            import_meanwhile("store.history")  # (after the fork above: a fork waits for an import thread)
        export = load(export_path, region, year, settings.state_dir / EXPORT_CACHE_FOLDER,
                      cache_in_background=settings.workers > 1, workers=settings.workers)
        catalog = load_catalog(resolve_year(export, year, settings))
        as_of = as_of or today()
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        docs = None
        if data_docs:
            docs = out_dir  # GX keeps its project in <out>/gx/
            shutil.rmtree(out_dir / GX_FOLDER, ignore_errors=True)  # this run's validations only
        with evidence_cache(settings, export) as cache:
            findings, metrics, not_checked, cakupan = audit_export(export, catalog, as_of, settings.lang, docs, cache,
                                                                   evidence_map, settings.workers, out_dir, gx_worker)
    metrics = replace(metrics, ringkasan=with_changes(metrics.ringkasan))  # empty until the history says
    write_csv(validate_ringkasan(metrics.ringkasan), out_dir / "ringkasan.csv")
    write_csv(cakupan, out_dir / "cakupan.csv")
    return AuditResult(out_dir, export, catalog, findings, metrics, not_checked, as_of=as_of, cakupan=cakupan)


@contextmanager
def evidence_cache(settings: Settings, export: Export):
    """The cross-night evidence cache on the project's database (`store.evidence`), or None
    when the export has no bukti/ folder (nothing to open)."""
    if export.bukti_dir is None:
        yield None
        return
    from store.db import open_db
    from store.evidence import DbFactsCache

    engine = open_db(settings.database_url)
    try:
        yield DbFactsCache(engine)
    finally:
        engine.dispose()


def run_record(run_id: str, started: datetime, request: JobRequest, result: AuditResult,
               export_path: Path) -> "RunRecord":
    """What `audit_run` keeps about this execution: scope, catalog year, audit date, the
    export's name and fingerprint, the code version."""
    from store.history import SCOPE_NATIONAL, RunRecord

    return RunRecord(run_id=run_id, started_at=started, tahun=int(result.catalog.tahun),
                     as_of=result.as_of, source=Path(export_path).name, scope=request.region or SCOPE_NATIONAL,
                     export_hash=export_fingerprint(export_path), code_version=code_version())


def prepare_database(url: str) -> None:
    """Bring the database to the newest schema (`store.db.open_db`). `run_job` has a forked
    child do it while the export is read: a new database's migrations, and the import of
    Alembic they need, are then not on the way of the history (0.3 s); the stages that open
    the database find it current (`store.db.SCHEMA_HEAD`). In a Prefect flow run, whose
    threads could hold SQLite's lock at the fork, the history's own open does it instead
    (`core.parallel.in_background`)."""
    from store.db import open_db

    open_db(url).dispose()


def read_history(settings: Settings, run: "RunRecord", result: AuditResult,
                 ahead: "Background | None" = None) -> "History":
    """This run against the stored history (reading only): what changed per Pemda, which
    findings are new, each Pemda's trend, and the national distribution over runs.

    With `ahead` (this read, started in a forked child by `run_job` while this process
    prepares the reports' nation-wide data), the child's: read here when the child failed
    (the database's error is then raised here, as without a child) or on a retry."""
    if ahead is not None:
        with suppress(ChildProcessError):
            return ahead.value()
    from store.db import open_db
    from store.history import SCOPE_NATIONAL, compare, national_runs, trend_points

    engine = open_db(settings.database_url)
    try:
        cmp = compare(engine, run, result.metrics, result.findings)
        nation = national_runs(engine, run.tahun, INDEX_TREND_RUNS - (run.scope == SCOPE_NATIONAL))
    finally:
        engine.dispose()
    return History(cmp.per_pemda, cmp.shown, cmp.baru, trend_points(cmp.tren, REPORT_TREND_POINTS), nation,
                   cmp.kunci)


def apply_history(result: AuditResult, history: "History", run: "RunRecord") -> None:
    """Put what changed where the outputs read it: `ringkasan` (and `ringkasan.csv`) gets the
    change columns, each finding row `_baru` (and `_kunci`, its history key), the result the
    trends (reports take plain values)."""
    from store.history import SCOPE_NATIONAL

    result.metrics = replace(result.metrics, ringkasan=with_changes(result.metrics.ringkasan, history.changes))
    # in place, as `_kunci`: an index of the reports made before the history (`prepare_reports`)
    # sees the same findings with a column more (`reports.data.NationIndex.with_history`)
    result.findings["_baru"] = history.baru.reindex(result.findings.index, fill_value=False)
    if history.kunci is not None:  # `save_history` stores them without hashing again
        result.findings["_kunci"] = history.kunci.astype("Int64").reindex(result.findings.index)
    result.perubahan = history.shown
    result.tren = _local_times(history.tren)
    nation = history.nation
    if run.scope == SCOPE_NATIONAL:  # this night is the newest point of the national distribution
        now = result.ringkasan[["kode_pemda", "skor_terverifikasi", "persen_indikator_bermasalah",
                                "predikat_terverifikasi"]].assign(run_id=run.run_id, started_at=run.started_at,
                                                                  as_of=run.as_of)
        nation = pd.concat([nation, now[nation.columns]], ignore_index=True) if len(nation) else now
    result.tren_nasional = _local_times(nation)
    write_csv(validate_ringkasan(result.ringkasan), result.out_dir / "ringkasan.csv")


def _local_times(df: pd.DataFrame) -> pd.DataFrame:
    """`started_at` in Jakarta time (the reports label trend points with it)."""
    if not len(df):
        return df
    return df.assign(started_at=pd.to_datetime(df["started_at"], utc=True).dt.tz_convert(TIMEZONE))


def save_history(settings: Settings, run: "RunRecord", result: AuditResult,
                 before_commit: Callable[[], object] | None = None) -> None:
    """The whole run into the history in one transaction (the job's last write before
    publishing); `before_commit` runs inside it, before the commit (`IndexWriting.finish`)."""
    from store.db import open_db
    from store.history import record_run

    engine = open_db(settings.database_url)
    try:
        record_run(engine, run, result.metrics, result.findings, keep_runs=settings.history_keep_runs,
                   shown=result.perubahan, before_commit=before_commit)
    finally:
        engine.dispose()


def render_batch(result: AuditResult, codes: list[str], settings: Settings,
                 workers: "Executor | None" = None) -> dict[str, "ReportFiles"]:
    """The reports of `codes` under `<out>/laporan/`. A Pemda whose report fails is recorded
    in `result.failures` and the others go on.

    With `workers` (a `core.parallel.pool` sharing `(result, settings)`), the batch is split
    between them and this process: the same reports, the same bytes, on every core. The
    Pemda of a worker that died (killed, out of memory) are rendered here instead.

    Rendered without the run id and start time (`run_info=None`): the email body must be the
    same bytes when nothing changed, so a rerun, or tomorrow's run on unchanged data, is not
    mailed again (delivery skips a report whose content hash it already sent). The run id is
    on the index page and in `run.json`.
    """
    from core.parallel import spread

    if workers is None or len(codes) < 2:
        done, fails = _render_codes(result, codes, settings, progress.advance)
        result.failures.extend(fails)
        return done
    done, fails = {}, []
    for chunk, (got, their_fails), by_worker in spread(
            workers, codes, settings.workers,  # the pool has workers - 1 processes
            _render_in_worker, lambda chunk: _render_codes(result, chunk, settings, progress.advance),
            piece=1):  # one report at a time: the reports of a province differ tenfold in cost
        done.update(got)
        fails.extend(their_fails)
        for _ in chunk if by_worker else ():
            progress.advance("laporan")
    result.failures.extend(fails)
    return {k: done[k] for k in codes if k in done}


def _render_codes(result: AuditResult, codes: list[str], settings: Settings,
                  advance: Callable[[str], None] | None) -> tuple[dict[str, "ReportFiles"], list[dict]]:
    from reports import render_pemda

    done: dict[str, "ReportFiles"] = {}
    fails: list[dict] = []
    with deferred_sync(sync=False):  # into the staging folder: `run_job` syncs once, then publishes
        for kode in codes:  # one report per Pemda
            try:
                done[kode] = render_pemda(result, kode, result.out_dir, lang=settings.lang, run_info=None,
                                          budget=settings.report_budget_bytes)
            except Exception as exc:  # noqa: BLE001 - one broken report must not stop the others
                fails.append(failure(kode, "laporan", error_text(exc)))
            if advance is not None:
                advance("laporan")
    return done, fails


def _render_in_worker(codes: list[str]) -> tuple[dict[str, "ReportFiles"], list[dict]]:
    """`_render_codes` in a forked worker (`core.parallel`); progress is the parent's to show."""
    from core.parallel import shared

    result, settings = shared()
    return _render_codes(result, codes, settings, None)


def deliver_reports(result: AuditResult, reports: dict[str, "ReportFiles"], settings: Settings, run_id: str,
                    request: JobRequest) -> dict[str, int]:
    """Every rendered report through `delivery.deliver` (one SMTP connection, the send ledger,
    leftover in-progress sends reconciled first); without `send` or SMTP settings, into
    `<out>/outbox/`. Per-Pemda problems go to `result.failures`; a Pemda without an address to
    `result.unaddressed` (a failure only with `require_recipients`). Both are added only when
    the stage ends, so a retried stage (a database hiccup) does not list a problem twice."""
    from delivery import DeliveryAborted, recipients_from_profil, report_messages
    from store.db import open_db

    book, _ = recipients_from_profil(result.export.tables.get("profil_pemda"), request.recipients,
                                     settings.kontak_path)
    codes = [k for k in pemda_codes(result) if k in reports and (request.only is None or k == request.only)]
    fails: list[dict] = []
    unaddressed: list[str] = []
    html: dict[str, str] = {}
    for kode in codes:
        try:
            html[kode] = Path(reports[kode].html).read_text(encoding="utf-8")
        except OSError as exc:  # the rendered file vanished
            fails.append(failure(kode, "kirim", error_text(exc)))
    ring = result.ringkasan[result.ringkasan["kode_pemda"].astype(str).isin(html)]
    items = report_messages(ring, tahun=int(result.export.tahun_penilaian or result.catalog.tahun), html=html,
                            recipients=book, attachments={k: reports[k].attachment for k in html},
                            text={k: reports[k].text for k in html if reports[k].text},
                            score_change={k: reports[k].selisih_skor_terverifikasi for k in html})
    engine = open_db(settings.database_url)
    outbox = result.outbox_dir or result.out_dir / "outbox"
    try:
        summary = _deliver(items, settings, engine, run_id, outbox, request)
    except DeliveryAborted as exc:
        summary = exc.summary
        handled = {r.kode_pemda for r in summary.results}
        for item in items:
            if item.kode_pemda not in handled:
                fails.append(failure(item.kode_pemda, "kirim", f"tidak dikirim, pengiriman dihentikan / "
                                     f"not sent, stopped: {summary.aborted}"))
    for r in summary.results:
        if r.unaddressed:
            unaddressed.append(r.kode_pemda)
            if request.require_recipients:
                fails.append(failure(r.kode_pemda, "kirim", "tidak ada alamat email yang valid / "
                                     "no valid email address"))
        why = _delivery_problem(r)
        if why:
            fails.append(failure(r.kode_pemda, "kirim", why))
    for kode in summary.reconciled:
        fails.append(failure(kode, "kirim", "pengiriman terputus pada run sebelumnya, mungkin terkirim; "
                                       "periksa lalu kirim ulang dengan --resend / an earlier send was interrupted "
                                       "and may have been delivered; check, then --resend"))
    counts = summary.counts()
    if summary.aborted:
        counts["aborted"] = 1
    result.failures.extend(fails)
    result.unaddressed.extend(unaddressed)
    return counts


def _deliver(items: list, settings: Settings, engine, run_id: str, outbox: Path,
             request: JobRequest) -> "DeliverySummary":
    """`delivery.deliver` over `items`. Into the outbox with `settings.workers` > 1, the items
    are split between forked workers and this process (building and writing 546 messages is
    CPU work; each Pemda is its own ledger key, and the database takes concurrent writers):
    the same files and ledger rows, the results in the items' order. One writer more than
    `settings.workers` (`OUTBOX_EXTRA_PROCESSES`): each write waits on the disk and the ledger.
    SMTP sends stay in this process, one connection, one rate."""
    from core.parallel import spread
    from delivery import DeliveryAborted, deliver

    def here(chunk: list) -> "DeliverySummary":
        return deliver(chunk, settings=settings, engine=engine, run_id=run_id, outbox_dir=outbox, send=request.send,
                       resend=request.resend, on_result=lambda r: progress.advance("kirim"))

    to_outbox = not (request.send and settings.smtp.configured)
    if not to_outbox or settings.workers < 2 or len(items) < 2:
        return here(items)

    def here_or_stopped(chunk: list) -> "DeliverySummary":
        try:
            return here(chunk)
        except DeliveryAborted as exc:
            return exc.summary

    parts = []
    extra = OUTBOX_EXTRA_PROCESSES
    with pool((settings, run_id, outbox, request), settings.workers - 1 + extra) as workers:
        for _, part, by_worker in spread(workers, items, settings.workers + extra, _deliver_in_worker,
                                         here_or_stopped):
            parts.append(part)
            for _ in part.results if by_worker else ():
                progress.advance("kirim")
    stopped = next((p.aborted for p in parts if p.aborted), None)
    summary = parts[0].merged(*parts[1:])
    if stopped:
        raise DeliveryAborted(summary, stopped)
    return summary


def _deliver_in_worker(chunk: list) -> "DeliverySummary":
    """`delivery.deliver` of `chunk` into the outbox in a forked worker, on a database
    connection of its own (the parent's pooled ones are not shared across processes)."""
    from core.parallel import shared
    from delivery import DeliveryAborted, deliver
    from store.db import open_db

    settings, run_id, outbox, request = shared()
    engine = open_db(settings.database_url)
    try:
        return deliver(chunk, settings=settings, engine=engine, run_id=run_id, outbox_dir=outbox, send=request.send,
                       resend=request.resend)
    except DeliveryAborted as exc:  # its summary says why; the parent raises it for all
        return exc.summary
    finally:
        engine.dispose()


def _delivery_problem(r) -> str | None:
    """Why a delivery needs the operator, without the server's text (it may name an address)."""
    if r.status == "failed":
        code = f"SMTP {r.smtp_code}: " if r.smtp_code else ""
        return f"gagal dikirim / not delivered: {code}{r.reason or r.signature or ''}".strip()
    if r.status == "uncertain":
        return f"mungkin terkirim, tidak dikirim ulang / possibly sent, not resent: {r.reason}".strip()
    if r.refused:
        return f"{len(r.refused)} penerima ditolak / recipient(s) refused"
    return None


def write_index(result: AuditResult, reports: dict[str, "ReportFiles"], lang: str,
                run_info: "RunInfo | None") -> Path:
    from reports import render_index

    return render_index(result, reports, result.out_dir, lang=lang, failures=result.failures, run_info=run_info,
                        unaddressed=result.unaddressed)


class IndexWriting:
    """The index (`write_index`) written by a forked child while this process saves the
    history (0.5 s a night on the other core, which is idle then). `finish()` waits for the
    child, and writes the index here when the child failed or none could fork; an error is
    recorded as the index's failure, as when the index is written in line. `save_history`
    calls it before its commit: a run that dies before its index is whole leaves the history
    at the previous run, as when the index came first."""

    def __init__(self, result: AuditResult, reports: dict[str, "ReportFiles"], lang: str,
                 run_info: "RunInfo | None", workers: int) -> None:
        self._result = result
        self._args = (result, reports, lang, run_info)
        self._child = in_background(write_index, *self._args) if workers > 1 else None
        self.written: bool | None = None  # None until `finish`

    def join(self) -> None:
        """Wait for the child, if any, to end (whatever became of the index)."""
        if self._child is not None:
            self._child.wait()

    def finish(self) -> bool:
        """Whether the index is written (once; later calls say the same)."""
        if self.written is None:
            try:
                if self._child is None or not self._child.wait():
                    write_index(*self._args)
                self.written = True
            except Exception as exc:  # noqa: BLE001 - the index is a nicety; the history is saved
                self._result.failures.append(failure(None, "indeks", error_text(exc)))
                self.written = False
        return self.written


# ---------------------------------------------------------------------------------------------
# The job
# ---------------------------------------------------------------------------------------------


def run_job(request: JobRequest, settings: Settings, stage: StageRunner = in_process,
            evidence_map: Callable[[Callable, list], list] | None = None) -> RunSummary:
    """Run one audit end to end; `stage` decides how each stage call is made (see module doc).

    Raises AuditError (usage, unreadable export, lock held) before anything is written;
    after the analysis every failure is recorded in the summary instead."""
    if request.lang:
        settings = settings.with_(lang=request.lang)
    timings: dict[str, float] = {}
    # Prefect records each province's reports as a task (`per_task`); in process nothing is
    # recorded per province, so the nation is one batch that the cores share to its end
    batches = province_batches if getattr(stage, "per_task", False) else (lambda codes: [("", codes)])
    stage = _timed(stage, timings)
    as_of = request.as_of or today()
    started = datetime.now(ZoneInfo(TIMEZONE))
    run_id = run_id_for(started, request.region)
    export_path = find_export(request.source)
    out_dir = Path(request.out) / run_id if request.run_folder else Path(request.out)
    summary = RunSummary(run_id=run_id, flow=request.flow, export=str(export_path.resolve()),
                         out_dir=str(out_dir.resolve()), as_of=as_of.isoformat(), started_at=started.isoformat())

    with ExitStack() as locks:
        if request.region is None:
            locks.enter_context(nightly_lock(settings.state_dir))
        out_dir.mkdir(parents=True, exist_ok=True)
        with out_dir_lock(out_dir):
            summary.run_sebelumnya_terputus = _read_marker(out_dir)
            remove_leftovers(out_dir, out_dir / "laporan", out_dir / "outbox")
            staging = _fresh_staging(out_dir, run_id)
            marker = _Marker(out_dir, run_id, started)
            marker.at("analisis")
            database = in_background(prepare_database, settings.database_url) if settings.workers > 1 else None
            try:
                result = stage("analisis", run_audit, export_path, staging, settings, request.region, request.year,
                               as_of, request.data_docs, evidence_map)
            except AuditError:  # refused cleanly (unreadable export, bad argument): nothing died
                shutil.rmtree(staging, ignore_errors=True)
                marker.done()
                raise
            finally:
                if database is not None:
                    database.wait()  # (failed: the history's own open says why, below)
            result.outbox_dir = out_dir / "outbox"
            codes = pemda_codes(result)
            if request.only is not None and request.only not in codes:
                shutil.rmtree(staging, ignore_errors=True)
                marker.done()
                raise UsageError(f"Pemda {request.only} (--only) tidak ada dalam hasil audit",
                                 f"Pemda {request.only} (--only) is not among the audited Pemda")

            marker.at("riwayat")
            run = history = None
            try:
                run = run_record(run_id, started, request, result, export_path)
                # read by a forked child while this process prepares the reports' data, which
                # then takes what the history adds (`reports.data.NationIndex.with_history`)
                if settings.workers > 1:
                    history = in_background(read_history, settings, run, result, value=True)
                if history is not None:
                    _prepare_reports(result)
                apply_history(result, stage("riwayat", read_history, settings, run, result, history, retries=2), run)
            except Exception as exc:  # noqa: BLE001 - history is a nicety; the audit stands
                result.failures.append(failure(None, "riwayat", error_text(exc)))
            finally:
                if history is not None:
                    history.wait()  # (a failed run record or stage leaves no child behind)

            marker.at("laporan")
            progress.start("laporan", len(codes))
            reports: dict = {}
            if settings.workers > 1:  # the nation's report data before the workers fork, not in each
                _prepare_reports(result)
            with pool((result, settings), settings.workers - 1) as workers:  # forked once, for every batch
                for prov, batch in batches(codes):
                    reports.update(stage("laporan", render_batch, result, batch, settings, workers,
                                         label=f"laporan {prov}".strip()))
            sync_disk()  # the reports' files, written without a sync each (`_render_codes`)
            result.reports = reports
            todo = [k for k in codes if k in reports and (request.only is None or k == request.only)]
            marker.at("kirim")
            progress.start("kirim", len(todo))
            summary.delivery = stage("kirim", deliver_reports, result, reports, settings, run_id, request,
                                     retries=2)
            marker.at("indeks")
            index = None
            try:  # beside the history's save, which commits only once the index is whole
                index = stage("indeks", IndexWriting, result, reports, settings.lang,
                              run_info_for(run_id, started, export_path), settings.workers)
            except Exception as exc:  # noqa: BLE001
                result.failures.append(failure(None, "indeks", error_text(exc)))
            marker.at("simpan")  # the history gets the run whole, or (dying before) not at all
            try:
                if run is not None:
                    stage("simpan", save_history, settings, replace(run, finished_at=datetime.now(ZoneInfo(TIMEZONE))),
                          result, index.finish if index is not None else None, retries=2)
            except Exception as exc:  # noqa: BLE001
                result.failures.append(failure(None, "riwayat", error_text(exc)))
            finally:  # (a run stopped here leaves no child holding the folder's lock)
                if index is not None:
                    index.join()
            if index is not None and index.finish():
                summary.index = str((out_dir / "index.html").resolve())

            summary.pemda = len(codes)
            summary.findings = severity_counts(result.findings)
            summary.reports = len(reports)
            summary.outbox = str((out_dir / "outbox").resolve()) if (out_dir / "outbox").is_dir() else None
            summary.failures = list(result.failures)
            summary.tanpa_alamat = sorted(set(result.unaddressed))
            summary.not_checked = len(result.not_checked)
            built = request.data_docs and (staging / GX_FOLDER / DATA_DOCS_INDEX).is_file()
            summary.data_docs = str((out_dir / GX_FOLDER / DATA_DOCS_INDEX).resolve()) if built else None
            if not request.data_docs:  # no stale Data Docs of an earlier run beside these outputs
                shutil.rmtree(out_dir / GX_FOLDER, ignore_errors=True)
            summary.outcome = result.outcome.word
            summary.exit_code = result.outcome.exit_code
            summary.finished_at = datetime.now(ZoneInfo(TIMEZONE)).isoformat()
            marker.at("terbit")
            summary.tahap_detik = {k: round(v, 3) for k, v in timings.items()}
            write_json(staging / "run.json", summary.as_dict())
            publish(staging, out_dir)
            result.out_dir = out_dir
            result.reports = {k: _moved(f, staging, out_dir) for k, f in reports.items()}
            marker.done()
    summary.result = result
    return summary


def _prepare_reports(result: AuditResult) -> None:
    """`reports.prepare_reports`; an error is left to each report, which meets it and records it."""
    from reports import prepare_reports

    with suppress(Exception):
        prepare_reports(result)


def _timed(stage: StageRunner, timings: dict[str, float]) -> StageRunner:
    """`stage`, adding each call's wall time to `timings[name]` (the benchmark reads them)."""
    def run(name, fn, *args, label=None, retries=0):
        t = time.perf_counter()
        try:
            return stage(name, fn, *args, label=label, retries=retries)
        finally:
            timings[name] = timings.get(name, 0.0) + time.perf_counter() - t
    return run


# ---------------------------------------------------------------------------------------------
# A run's outputs appear whole: written into a staging folder, published at the end
# ---------------------------------------------------------------------------------------------

#: Where a run writes its outputs before they are published into `--out` (one per run).
STAGING_PREFIX = ".staging-"
#: Says which run is writing, and at which stage; left behind by a run that died.
MARKER = ".berjalan.json"


def _fresh_staging(out_dir: Path, run_id: str) -> Path:
    for old in out_dir.glob(f"{STAGING_PREFIX}*"):  # a killed run's half-written outputs
        shutil.rmtree(old, ignore_errors=True)
    for old in out_dir.glob(".lama-*"):
        shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink(missing_ok=True)
    staging = out_dir / f"{STAGING_PREFIX}{_safe(run_id)}"
    staging.mkdir(parents=True)
    return staging


def publish(staging: Path, out_dir: Path) -> None:
    """Move every output of `staging` into `out_dir`, each by one rename (a folder such as
    `laporan/` replaces the previous one whole); `run.json` last, so a `run.json` always
    describes the outputs beside it. The staging folder is gone afterwards."""
    entries = sorted(staging.iterdir(), key=lambda p: p.name == "run.json")
    for item in entries:
        target = out_dir / item.name
        if item.is_dir():
            if target.exists():
                old = out_dir / f".lama-{item.name}"
                shutil.rmtree(old, ignore_errors=True)
                target.rename(old)
                item.rename(target)
                shutil.rmtree(old, ignore_errors=True)
            else:
                item.rename(target)
        else:
            os.replace(item, target)
    shutil.rmtree(staging, ignore_errors=True)


def _moved(files: "ReportFiles", staging: Path, out_dir: Path) -> "ReportFiles":
    from dataclasses import replace

    def move(p: Path | None) -> Path | None:
        return None if p is None else out_dir / Path(p).relative_to(staging)

    return replace(files, html=move(files.html), attachment=move(files.attachment))


class _Marker:
    """`<out>/.berjalan.json`: this run and its stage, rewritten as it goes, removed at the end.
    Found at the start of a run, it tells which run died where (`run_sebelumnya_terputus`)."""

    def __init__(self, out_dir: Path, run_id: str, started: datetime):
        self.path = out_dir / MARKER
        self.data = {"run_id": run_id, "mulai": started.isoformat(), "pid": os.getpid()}

    def at(self, tahap: str) -> None:
        write_json(self.path, {**self.data, "tahap": tahap})

    def done(self) -> None:
        self.path.unlink(missing_ok=True)


def _read_marker(out_dir: Path) -> Optional[dict]:
    path = out_dir / MARKER
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"tahap": "tidak diketahui / unknown"}
    return {k: data.get(k) for k in ("run_id", "tahap", "mulai")}


# ---------------------------------------------------------------------------------------------
# Small pieces: choosing the export, naming the run, batches, failures, the summary file
# ---------------------------------------------------------------------------------------------


def today() -> date:
    """Today in Jakarta (the audit date when none is given)."""
    return datetime.now(ZoneInfo(TIMEZONE)).date()


def find_export(source: str | Path) -> Path:
    """The export to audit: `source` itself, or the newest match of a glob such as
    `/data/iid/ekspor-*` (newest by modification time; name breaks a tie)."""
    text = str(source)
    if glob.has_magic(text):
        matches = [
            Path(m) for m in glob.glob(os.path.expanduser(text))
            if Path(m).is_dir() or Path(m).suffix.lower() in EXPORT_SUFFIXES  # the reader's own list
        ]
        if not matches:
            raise UsageError(f"Tidak ada ekspor yang cocok dengan {text}", f"No export matches {text}")
        return max(matches, key=lambda p: (p.stat().st_mtime, p.name))
    path = Path(text).expanduser()
    if not path.exists():
        raise UsageError(f"Ekspor tidak ditemukan: {path}", f"Export not found: {path}")
    return path


def run_id_for(started: datetime, region: str | None = None) -> str:
    """`20261130T012233.123Z-nasional` or `20261130T012233.123Z-pemda-35.04`: one id per
    execution (its start in UTC to the millisecond, so ids sort in time order), never per day:
    two audits of the same day are two runs, each kept in the history."""
    scope = f"pemda-{_safe(region)}" if region else "nasional"
    t = started.astimezone(ZoneInfo("UTC"))
    return f"{t:%Y%m%dT%H%M%S}.{t.microsecond // 1000:03d}Z-{scope}"


def export_fingerprint(path: Path) -> str:
    """The export's fingerprint for the history (`core.fingerprint.export_digest`: the files the
    audit reads, by name and content; the same hash keys the export cache)."""
    from core.fingerprint import export_digest

    return export_digest(path)


def code_version() -> str:
    """The installed iid-audit version (what made the run)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("iid-audit")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree without install
        return "unknown"


def _safe(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z.]+", "-", str(text)).strip(".-") or "x"


def run_info_for(run_id: str, started_at: datetime, export_path: Path) -> "RunInfo":
    from reports import RunInfo

    export_path = Path(export_path)
    try:
        export_date = datetime.fromtimestamp(export_path.stat().st_mtime, ZoneInfo(TIMEZONE)).date()
    except OSError:
        export_date = None
    return RunInfo(run_id=run_id, started_at=started_at, export_name=export_path.name, export_date=export_date)


def pemda_codes(result: AuditResult) -> list[str]:
    """The Pemda of the run, in `ringkasan` order (one report each)."""
    return [str(k) for k in result.ringkasan["kode_pemda"].dropna()]


def province_batches(codes: list[str]) -> list[tuple[str, list[str]]]:
    """`codes` grouped by province (the code's first two digits), in order of first appearance:
    ~38 batches nationally instead of 546 task runs."""
    batches: dict[str, list[str]] = {}
    for kode in codes:
        batches.setdefault(kode.split(".")[0], []).append(kode)
    return list(batches.items())


def failure(kode_pemda: str | None, tahap: str, pesan: str) -> dict:
    """One entry of `AuditResult.failures` (shown in the index and the run summary).
    `pesan` is an error kind and short reason: never an address or a name."""
    return {"kode_pemda": kode_pemda, "tahap": tahap, "pesan": pesan[:300]}


def error_text(exc: BaseException) -> str:
    """A failure message for the run summary: the bilingual text of our own errors; for a
    database whose schema does not match the code, the missing table or column and what to do
    (names are not data); the type of anything else (its text may carry data values)."""
    if isinstance(exc, AuditError):
        return str(exc)
    from store.db import schema_problem

    return schema_problem(exc) or type(exc).__name__


def severity_counts(findings: pd.DataFrame) -> dict[str, int]:
    vc = findings["severity"].astype(str).value_counts() if len(findings) else pd.Series(dtype=int)
    return {s: int(vc.get(s, 0)) for s in ("error", "warning", "info")}


def write_json(path: Path, data: dict) -> Path:
    """Atomically, so a killed run never leaves half a summary."""
    return atomic_write(Path(path), json.dumps(data, ensure_ascii=False, indent=2, default=str))
