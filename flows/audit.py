"""The two Prefect flows: `nightly-audit` (every Pemda) and `audit-region` (one Pemda).

Orchestration only: every stage is a plain function of `iid_audit.pipeline`, `reports` or
`delivery`; here they become tasks with names, retries and recorded states.

- One task per stage, and one task per Pemda for rendering and for delivery (tasks, not
  subflows: a task costs a few ms of Prefect overhead here, a subflow about a second). A
  Pemda whose task fails is recorded (`run.json`, the task's Failed state, a line in the
  index) and the others go on.
- Big objects (the nation's AuditResult, DataFrames) reach tasks wrapped in `quote()` and
  every task has `cache_policy=NO_CACHE, persist_result=False`: Prefect then neither walks,
  hashes nor serializes them per task run.
- Retries only where a retry can help: delivery (SMTP/database hiccups), with exponential
  backoff; never the reading of the export (a corrupt file stays corrupt).
"""

from __future__ import annotations

import logging
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal, Optional
from zoneinfo import ZoneInfo

import pandas as pd
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.tasks import exponential_backoff
from prefect.utilities.annotations import quote
from pydantic import BeforeValidator

from flows import progress
from flows.lock import nightly_lock, out_dir_lock
from iid_audit import pipeline
from core.outcomes import AuditError, Outcome, UsageError
from iid_audit.pipeline import AuditResult, failure
from core.settings import Settings, load_settings

NIGHTLY_FLOW = "nightly-audit"
REGION_FLOW = "audit-region"

#: Task retries of one delivery, on top of the SMTP retries inside `delivery.deliver_one`.
DELIVERY_TASK_RETRIES = 2
DELIVERY_TASK_BACKOFF_SECONDS = 10

log = logging.getLogger(__name__)


# ---------------------------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------------------------


def _kode_is_text(value: Any) -> Any:
    """`--param kode_pemda=35.04` sends the JSON number 35.04 (and 35.10 arrives as 35.1):
    auditing `str(value)` could audit the wrong Pemda, so anything but text is refused."""
    if not isinstance(value, str):
        raise ValueError(
            f"kode_pemda harus teks seperti \"35.04\", bukan {type(value).__name__} {value!r}; "
            f"beri tanda kutip: --params '{{\"kode_pemda\": \"35.04\"}}' / "
            f"kode_pemda must be a string like \"35.04\", not {type(value).__name__} {value!r}; "
            f"quote it: --params '{{\"kode_pemda\": \"35.04\"}}'"
        )
    return value


#: A Kemendagri code as text (`"35.04"`); the JSON schema says `string`, so the server
#: refuses a number before the run starts, and the flow refuses it again if called directly.
KodePemda = Annotated[str, BeforeValidator(_kode_is_text)]
Lang = Literal["id", "en"]


def _nightly_run_name() -> str:
    as_of = flow_run.parameters.get("as_of") or pipeline.today()
    return f"nightly {as_of}"


def _region_run_name() -> str:
    return f"audit {flow_run.parameters.get('kode_pemda')}"


# ---------------------------------------------------------------------------------------------
# Tasks
# ---------------------------------------------------------------------------------------------

_TASK = dict(cache_policy=NO_CACHE, persist_result=False)


@task(name="analisis", retries=0, **_TASK)
def analyse(export_path: Path, out_dir: Path, settings: Settings, region: Optional[str], year: Optional[int],
            as_of: date) -> AuditResult:
    """Read, validate, run every rule, compute the metrics, write findings.csv + ringkasan.csv.
    No retry: an unreadable or corrupt export fails the same way every time."""
    return pipeline.run_audit(export_path, out_dir, settings=settings, region=region, year=year, as_of=as_of)


@task(name="riwayat", retries=2, retry_delay_seconds=exponential_backoff(2), **_TASK)
def record_history(engine, run_id: str, result: AuditResult, source: str) -> pd.DataFrame:
    """Store this run's per-Pemda scores and finding keys; what changed since the last run."""
    from store.history import compare_with_previous, record_run

    tahun = int(result.export.tahun_penilaian or result.catalog.tahun)
    record_run(engine, run_id, result.metrics, result.findings, source=source, tahun=tahun, as_of=result.as_of)
    return compare_with_previous(engine, run_id)


@task(name="laporan", task_run_name="laporan {kode_pemda}", retries=0, **_TASK)
def render(result: AuditResult, kode_pemda: str, lang: str, settings: Settings,
           previous: Optional[pd.DataFrame]):
    return pipeline.render_report(result, kode_pemda, lang=lang, settings=settings, previous=previous)


def _transient(task, task_run, state) -> bool:
    """Retry a delivery only for faults that may pass: network and database (locked, gone
    away). Our own errors (no SMTP configured, delivery stopped by the guard) would not."""
    exc = state.data if isinstance(state.data, BaseException) else None
    if exc is None or isinstance(exc, AuditError):
        return False
    import sqlalchemy.exc

    return isinstance(exc, (OSError, sqlalchemy.exc.OperationalError))


@task(name="kirim", task_run_name="kirim {kode_pemda}", retries=DELIVERY_TASK_RETRIES,
      retry_delay_seconds=exponential_backoff(DELIVERY_TASK_BACKOFF_SECONDS), retry_condition_fn=_transient,
      **_TASK)
def deliver(kode_pemda: str, item, ctx: "_Delivery"):
    from delivery import deliver_one

    return deliver_one(item, settings=ctx.settings, run_id=ctx.run_id, outbox_dir=ctx.outbox_dir, send=ctx.send,
                       resend=ctx.resend, ledger=ctx.ledger, transport=ctx.transport, limiter=ctx.limiter)


@task(name="indeks", retries=0, **_TASK)
def index(result: AuditResult, reports: dict, lang: str, run_info) -> Path:
    return pipeline.write_index(result, reports, lang=lang, run_info=run_info)


# ---------------------------------------------------------------------------------------------
# The run shared by both flows
# ---------------------------------------------------------------------------------------------


@dataclass
class _Delivery:
    settings: Settings
    run_id: str
    outbox_dir: Path
    send: bool
    resend: bool
    ledger: Any
    transport: Any = None
    limiter: Any = None


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
    not_checked: int = 0
    outcome: int = 0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _clean_partial_files(out_dir: Path) -> None:
    """Temp files a killed run left behind (every write is temp file + rename)."""
    for folder in (out_dir, out_dir / "laporan", out_dir / "outbox"):
        if folder.is_dir():
            for tmp in folder.glob("*.tmp"):
                tmp.unlink(missing_ok=True)
            for tmp in folder.glob(".*.tmp"):
                tmp.unlink(missing_ok=True)


def _run(flow_name: str, *, source: str, out: str, run_folder: bool, region: Optional[str], year: Optional[int],
         as_of: Optional[date], lang: Optional[str], send: bool, resend: bool, only: Optional[str],
         recipients: Optional[str]) -> dict:
    logger = get_run_logger()
    settings = load_settings()
    if lang:
        settings = settings.with_(lang=lang)
    lang = settings.lang
    as_of = as_of or pipeline.today()
    started = datetime.now(ZoneInfo(pipeline.TIMEZONE))
    run_id = pipeline.run_id_for(as_of, region)
    export_path = pipeline.find_export(source)
    out_dir = Path(out) / run_id if run_folder else Path(out)
    summary = RunSummary(run_id=run_id, flow=flow_name, export=str(export_path.resolve()),
                         out_dir=str(out_dir.resolve()), as_of=as_of.isoformat(), started_at=started.isoformat())

    with ExitStack() as locks:
        if region is None:
            locks.enter_context(nightly_lock(settings.state_dir))
        out_dir.mkdir(parents=True, exist_ok=True)
        locks.enter_context(out_dir_lock(out_dir))
        _clean_partial_files(out_dir)

        result = analyse(export_path, out_dir, quote(settings), region, year, as_of)
        codes = pipeline.pemda_codes(result)
        if only is not None and only not in codes:
            raise UsageError(f"Pemda {only} (--only) tidak ada dalam hasil audit",
                             f"Pemda {only} (--only) is not among the audited Pemda")
        logger.info("run %s: %d Pemda, %d findings", run_id, len(codes), len(result.findings))

        from store.db import init_db, make_engine

        engine = init_db(make_engine(settings.database_url))
        previous = None
        state = record_history(engine, run_id, quote(result), str(export_path), return_state=True)
        if state.is_completed():
            previous = state.result()
        else:
            result.failures.append(failure(None, "riwayat", _state_error(state)))

        reports = _render_all(result, codes, lang, settings, previous)
        delivery = _deliver_all(result, codes if only is None else [only], reports, settings, engine, run_id,
                                out_dir, send=send, resend=resend, recipients=recipients)
        run_info = pipeline.run_info_for(run_id, started, export_path)
        state = index(quote(result), quote(reports), lang, run_info, return_state=True)
        if state.is_completed():
            summary.index = str(Path(state.result()).resolve())
        else:
            result.failures.append(failure(None, "indeks", _state_error(state)))

        summary.pemda = len(codes)
        summary.findings = pipeline.severity_counts(result.findings)
        summary.reports = len(reports)
        summary.delivery = delivery
        summary.outbox = str((out_dir / "outbox").resolve()) if (out_dir / "outbox").is_dir() else None
        summary.failures = list(result.failures)
        summary.not_checked = len(result.not_checked)
        summary.outcome = int(result.outcome)
        summary.finished_at = datetime.now(ZoneInfo(pipeline.TIMEZONE)).isoformat()
        pipeline.write_json(out_dir / "run.json", summary.as_dict())
        _artifacts(result, summary, reports, region)
    if result.failures:
        logger.warning("run %s: %d failure(s), see run.json and index.html", run_id, len(result.failures))
    return summary.as_dict()


def _state_error(state) -> str:
    exc = state.result(raise_on_failure=False)
    return pipeline.error_text(exc) if isinstance(exc, BaseException) else (state.message or state.name)


def _render_all(result: AuditResult, codes: list[str], lang: str, settings: Settings,
                previous: Optional[pd.DataFrame]) -> dict:
    """One task per Pemda, called in turn (rendering is CPU-bound Python: threads would only
    contend for the GIL). A failed Pemda becomes a failure entry; the rest go on."""
    reports = {}
    total = len(codes)
    for i, kode in enumerate(codes, 1):
        state = render(quote(result), kode, lang, quote(settings), quote(previous), return_state=True)
        if state.is_completed():
            reports[kode] = state.result()
        else:
            result.failures.append(failure(kode, "laporan", _state_error(state)))
        progress.report("laporan", i, total)
    return reports


def _deliver_all(result: AuditResult, codes: list[str], reports: dict, settings: Settings, engine, run_id: str,
                 out_dir: Path, *, send: bool, resend: bool, recipients: Optional[str]) -> dict[str, int]:
    """Every rendered report to delivery, one task each, in turn: one SMTP connection, one rate
    limit and one stop guard for the whole run (mail relays throttle; parallel sends gain
    nothing). Without `send` (or without SMTP settings) the messages go to `<out>/outbox/`."""
    from delivery import DeliveryAborted, DeliverySummary, RateLimiter, SmtpTransport, StopGuard
    from store.ledger import Ledger

    book, _without = pipeline.recipients_for(result, Path(recipients) if recipients else None)
    use_smtp = send and settings.smtp.configured
    ctx = _Delivery(settings=settings, run_id=run_id, outbox_dir=out_dir / "outbox", send=send, resend=resend,
                    ledger=Ledger(engine), transport=SmtpTransport(settings.smtp) if use_smtp else None,
                    limiter=RateLimiter(settings.send_rate_per_second) if use_smtp else None)
    summary = DeliverySummary()
    guard = StopGuard()
    todo = [k for k in codes if k in reports]
    stopped: str | None = None
    try:
        for i, kode in enumerate(todo, 1):
            if stopped:
                result.failures.append(failure(kode, "kirim", f"tidak dikirim, pengiriman dihentikan: {stopped}"))
                continue
            try:
                item = pipeline.report_message(result, kode, reports[kode], book.get(kode))
            except Exception as exc:  # the rendered file vanished, etc.
                result.failures.append(failure(kode, "kirim", pipeline.error_text(exc)))
                continue
            state = deliver(kode, quote(item), quote(ctx), return_state=True)
            if not state.is_completed():
                exc = state.result(raise_on_failure=False)
                if isinstance(exc, DeliveryAborted):
                    stopped = exc.summary.aborted or str(exc)
                result.failures.append(failure(kode, "kirim", _state_error(state)))
            else:
                r = state.result()
                summary.add(r)
                why = _delivery_problem(r)
                if why:
                    result.failures.append(failure(kode, "kirim", why))
                stopped = stopped or guard.record(r)
            progress.report("kirim", i, len(todo))
    finally:
        if ctx.transport is not None:
            ctx.transport.close()
    counts = summary.counts()
    if stopped:
        counts["aborted"] = 1
    return counts


def _delivery_problem(r) -> str | None:
    """Why a delivery needs the operator, without the server's text (it may name an address)."""
    if r.status == "failed":
        code = f"SMTP {r.smtp_code}: " if r.smtp_code else ""
        return f"gagal dikirim / not delivered: {code}{r.reason or r.signature or ''}".strip()
    if r.status == "uncertain":
        return f"mungkin terkirim, tidak dikirim ulang / possibly sent, not resent: {r.reason}".strip()
    if r.status == "no_recipient":
        return "tidak ada alamat email yang valid / no valid email address"
    if r.refused:
        return f"{len(r.refused)} penerima ditolak / recipient(s) refused"
    return None


# ---------------------------------------------------------------------------------------------
# Artifacts (what the Prefect UI shows for a run)
# ---------------------------------------------------------------------------------------------


def artifact_key(*parts: str) -> str:
    """Artifact keys may hold only lowercase letters, digits and dashes (else the API refuses
    them and the flow fails): `Kab. Tulungagung`, `35.04` → `kab-tulungagung`, `35-04`."""
    from reports.data import slugify

    return "-".join(slugify(p, limit=50) for p in parts if p)[:100].strip("-") or "iid-audit"


def _json_table(df: pd.DataFrame) -> list[dict]:
    return df.astype(object).where(df.notna(), None).to_dict("records")


def _artifacts(result: AuditResult, summary: RunSummary, reports: dict, region: Optional[str]) -> None:
    from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact

    from checks.metrics import RINGKASAN_CONTRACT

    logger = get_run_logger()
    scope = artifact_key("pemda", region) if region else "nasional"
    try:
        cols = [c for c in RINGKASAN_CONTRACT if c in result.ringkasan.columns]
        create_table_artifact(_json_table(result.ringkasan[cols]), key=f"ringkasan-{scope}",
                              description=f"Ringkasan per Pemda, run {summary.run_id}")
        create_markdown_artifact(_markdown(result, summary, reports), key=f"audit-{scope}",
                                 description=f"Audit IID {summary.run_id}")
        if summary.index:
            create_link_artifact(Path(summary.index).as_uri(), link_text="index.html", key=f"indeks-{scope}")
        if region:
            pemda = result.ringkasan["pemda"].astype("string").fillna("")
            for kode, files in reports.items():
                name = str(pemda[result.ringkasan["kode_pemda"].astype(str) == kode].head(1).squeeze() or "")
                create_link_artifact(Path(files.html).resolve().as_uri(), link_text=f"{kode} {name}".strip(),
                                     key=artifact_key("laporan", kode, name))
    except Exception as exc:  # the UI extras must never cost the audit
        logger.warning("artifacts not created: %s", type(exc).__name__)


def _md(text: Any) -> str:
    return str(text if text is not None else "").replace("|", "\\|").replace("\n", " ")


def _markdown(result: AuditResult, summary: RunSummary, reports: dict) -> str:
    f = summary.findings
    lines = [
        f"# Audit IID `{summary.run_id}`",
        "",
        f"- Ekspor: `{_md(summary.export)}`",
        f"- Tanggal audit: {summary.as_of}",
        f"- Pemda: {summary.pemda}; laporan: {summary.reports}",
        f"- Temuan: {f.get('error', 0)} error, {f.get('warning', 0)} warning, {f.get('info', 0)} info",
        f"- Keluaran: `{_md(summary.out_dir)}`" + (f" ([index.html]({Path(summary.index).as_uri()}))" if summary.index else ""),
        f"- Pengiriman: {', '.join(f'{k} {v}' for k, v in summary.delivery.items() if v) or '-'}",
        "",
    ]
    if summary.failures:
        lines += ["## Gagal", "", "| kode_pemda | tahap | pesan |", "|---|---|---|"]
        lines += [f"| {_md(x['kode_pemda'] or '-')} | {_md(x['tahap'])} | {_md(x['pesan'])} |" for x in summary.failures]
        lines.append("")
    ring = result.ringkasan.sort_values("persen_indikator_bermasalah", ascending=False, na_position="last")
    lines += ["## Laporan", "", "| Pemda | kode | % bermasalah | skor klaim | skor terverifikasi |", "|---|---|---|---|---|"]
    for r in ring.to_dict("records"):
        kode = str(r["kode_pemda"])
        name = _md(r.get("pemda") or kode)
        link = f"[{name}]({Path(reports[kode].html).resolve().as_uri()})" if kode in reports else name
        lines.append(f"| {link} | {kode} | {_md(r.get('persen_indikator_bermasalah'))} | "
                     f"{_md(r.get('skor_klaim'))} | {_md(r.get('skor_terverifikasi'))} |")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Flows
# ---------------------------------------------------------------------------------------------


@flow(name=NIGHTLY_FLOW, flow_run_name=_nightly_run_name, persist_result=False, log_prints=False)
def nightly_audit(
    source: str,
    out: str = "keluaran",
    run_folder: bool = True,
    year: Optional[int] = None,
    as_of: Optional[date] = None,
    lang: Optional[Lang] = None,
    send: bool = False,
    resend: bool = False,
    only: Optional[str] = None,
    recipients: Optional[str] = None,
) -> dict:
    """Audit every Pemda of the newest export matching `source` (a path or a glob), render
    every report and the index, hand each report to delivery.

    Output: `<out>/<run-id>/` (`run_folder=True`, the deployments) or `<out>` itself (the CLI).
    """
    return _run(NIGHTLY_FLOW, source=source, out=out, run_folder=run_folder, region=None, year=year, as_of=as_of,
                lang=lang, send=send, resend=resend, only=only, recipients=recipients)


@flow(name=REGION_FLOW, flow_run_name=_region_run_name, persist_result=False, log_prints=False)
def audit_region(
    kode_pemda: KodePemda,
    source: str,
    out: str = "keluaran",
    run_folder: bool = True,
    year: Optional[int] = None,
    as_of: Optional[date] = None,
    lang: Optional[Lang] = None,
    send: bool = False,
    resend: bool = False,
    recipients: Optional[str] = None,
) -> dict:
    """The same for one Pemda (`kode_pemda` as text, e.g. "35.04"): only its rows are
    audited, only its report is rendered and delivered."""
    return _run(REGION_FLOW, source=source, out=out, run_folder=run_folder, region=kode_pemda, year=year,
                as_of=as_of, lang=lang, send=send, resend=resend, only=None, recipients=recipients)


def outcome_of(summary: dict) -> Outcome:
    return Outcome(int(summary.get("outcome", 0)))
