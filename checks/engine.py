"""Run every audit rule over the whole nation once; split by Pemda only at the end (reports).

Flow: for each registered rule (`checks.registry.all_rules`), rules whose `needs` the export
does not meet go to `not_checked` (never silently passed); `gx` rules are validated together
by `checks.gx_engine` (one suite and one validation per table); `pandas` rules run their
vectorized function. A rule that raises is recorded in `not_checked` with its error class
(logged without row values, so no personal data) and the others go on. The export's SKM
findings (raised by ingest) are added, `pemda` and `judul_inovasi` filled, messages rendered.
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

import pandas as pd

from core.catalog import Catalog
from checks.context import RuleContext
from core.evidence import FactsCache
from core.findings import ALL_COLUMNS, validate
from core.findings import findings as as_findings
from core.i18n import Translator
from checks.messages import render
from checks.registry import GxRule, PandasRule, Rule, all_rules
from ingest.export import Export
from core.tables import TABLES

if TYPE_CHECKING:
    from concurrent.futures import Executor, Future

log = logging.getLogger(__name__)

NOT_CHECKED_COLUMNS = ["rule_id", "kode_pemda", "alasan"]


@dataclass
class RuleRun:
    findings: pd.DataFrame  # core.findings.ALL_COLUMNS, severity and pesan filled
    not_checked: pd.DataFrame  # rule_id, kode_pemda (None = whole run), alasan
    seconds: dict[str, float] | None = None  # per engine/rule timing (for the benchmark)


def _need_text(need: str, t: Translator) -> str:
    if need == "bukti":
        return t("tidak_diperiksa.bukti")
    table, _, column = need.partition(".")
    tdef = TABLES.get(table)
    tname = tdef.display if tdef else table
    if column:
        cname = tdef.column(column).display if tdef and column in tdef.names else column
        return t("tidak_diperiksa.kolom", kolom=cname, tabel=tname)
    return t("tidak_diperiksa.tabel", tabel=tname)


def _alasan_missing(missing: list[str], t: Translator) -> str:
    return t("tidak_diperiksa.tanpa", bagian=", ".join(_need_text(m, t) for m in missing))


def _alasan_error(exc: BaseException, t: Translator) -> str:
    return t("tidak_diperiksa.gagal", galat=getattr(exc, "type_name", None) or type(exc).__name__)


def _dedupe(rule: Rule, df: pd.DataFrame) -> pd.DataFrame:
    """One finding per rule and key (a rule with several expectations may hit a row twice)."""
    key = [k for k in rule.key if k in df.columns] or None
    if key is None or df.empty:
        return df
    return df.drop_duplicates(subset=["rule_id", *key], keep="first")


def _fill_names(df: pd.DataFrame, export: Export) -> pd.DataFrame:
    """`pemda` = official Kemendagri name; `judul_inovasi` from Daftar Inovasi by id_inovasi."""
    from ingest.pemda import official_names

    if df.empty:
        return df
    official = official_names(df["kode_pemda"])
    df["pemda"] = official.where(official.notna(), df["pemda"]).astype(object)
    daftar = export.tables.get("daftar_inovasi")
    if daftar is not None and {"id_inovasi", "judul_inovasi"} <= set(daftar.columns):
        titles = daftar.dropna(subset=["id_inovasi"]).drop_duplicates("id_inovasi").set_index("id_inovasi")["judul_inovasi"]
        mapped = df["id_inovasi"].map(titles)
        df["judul_inovasi"] = mapped.where(mapped.notna(), df["judul_inovasi"]).astype(object)
    df["no_indikator"] = df["no_indikator"].map(str, na_action="ignore").astype(object)
    return df.where(df.notna(), None)


def run_rules(export: Export, catalog: Catalog, *, as_of: date, lang: str = "id",
              data_docs: Path | None = None, evidence_cache: FactsCache | None = None,
              evidence_map: Callable[[Callable, list], list] | None = None, workers: int = 1,
              meanwhile: Callable[[], object] | None = None, check_contract: bool = True,
              gx_worker: "Executor | None" = None) -> RuleRun:
    """Every non-contract rule once over the whole export, plus the export's SKM findings.
    With `evidence_cache` the evidence rules open only files not read on an earlier run;
    `evidence_map` runs their batches of files elsewhere (`flows.evidence`, Dask).

    With `workers` > 1 the GX validation runs in a forked worker (`core.parallel`) while this
    process settles the export's deferred contract (`Export.settle`), calls `meanwhile` (work
    that needs no finding) and runs the pandas rules; the worker takes pandas rules too once GX
    is done (`_pandas_rules`), so both cores end together. The findings are the same either
    way, in the same order. Without a worker `meanwhile` is not called (the caller does that
    work when it needs it). With `gx_worker` (`gx_worker_ahead`: forked before the export was
    read, GX imported meanwhile), GX validates there instead, on a pickled copy of the
    context, and the pandas rules all run here.

    The findings are checked against their contract (`core.findings.validate`) before they
    are returned; `check_contract=False` leaves that to a caller that checks them itself
    before anything is made of them (the pipeline: `write_findings`, in a child)."""
    from core.parallel import pool, submit

    ctx = RuleContext(export=export, catalog=catalog, as_of=as_of, evidence_cache=evidence_cache,
                      evidence_map=evidence_map)
    tr = Translator(lang)
    rules = all_rules()
    not_checked: list[dict] = []
    runnable: dict[str, list[Rule]] = {"gx": [], "pandas": []}
    for rule in rules.values():
        missing = export.unmet_needs(rule.needs)
        if missing:
            not_checked.append({"rule_id": rule.id, "kode_pemda": None, "alasan": _alasan_missing(missing, tr)})
            continue
        if isinstance(rule, GxRule):
            runnable["gx"].append(rule)
        elif isinstance(rule, PandasRule):
            runnable["pandas"].append(rule)

    pandas_parts: list[pd.DataFrame] = []
    errors: dict[str, BaseException] = {}
    seconds: dict[str, float] = {}

    t = time.perf_counter()
    ahead = gx_worker is not None and bool(runnable["gx"])
    with pool((ctx, runnable["gx"], data_docs), 1 if workers > 1 and runnable["gx"] and not ahead else 0) as workers_pool:
        if ahead:  # its own copy: the evidence cache and map are this process's (GX reads no evidence)
            gx_job = submit(gx_worker, _gx_in_worker, (replace(ctx, evidence_cache=None, evidence_map=None),
                                                       [r.id for r in runnable["gx"]], data_docs))
        else:
            gx_job = submit(workers_pool, _gx_in_worker) if workers_pool is not None else None
        if gx_job is None:
            gx_found, gx_errors = _gx(ctx, runnable["gx"], data_docs)
            seconds["gx"] = time.perf_counter() - t
        if gx_job is not None:  # before the pandas rules, which the worker shares: all of it is balanced
            export.settle()  # the contract `read_export` left for this
            if meanwhile is not None:
                meanwhile()
        done, theirs = _pandas_rules(ctx, runnable["pandas"], workers_pool if gx_job is not None else None, gx_job)
        _gather(ctx, runnable["pandas"], done, theirs, pandas_parts, errors, seconds)
        if gx_job is not None:
            if gx_job.exception() is None:
                gx_found, gx_errors, seconds["gx"] = gx_job.result()
            else:  # the worker died (killed, out of memory): here, again
                t = time.perf_counter()
                gx_found, gx_errors = _gx(ctx, runnable["gx"], data_docs)
                seconds["gx"] = time.perf_counter() - t
    errors = {**gx_errors, **errors}
    parts: list[pd.DataFrame] = [export.settle().findings]
    for rid, frames in gx_found.items():
        if frames:
            parts.append(_dedupe(rules[rid], as_findings(frames, extra=True)))
    parts += pandas_parts

    for rid, exc in errors.items():
        log.error("rule %s not checked: %s", rid, getattr(exc, "type_name", None) or type(exc).__name__)
        not_checked.append({"rule_id": rid, "kode_pemda": None, "alasan": _alasan_error(exc, tr)})

    t = time.perf_counter()
    findings = _fill_names(as_findings(parts, extra=True), export)
    findings = render(findings, catalog, lang)
    order = findings["rule_id"].astype(str) + "|" + findings["kode_pemda"].astype(str)
    findings = findings.iloc[order.argsort(kind="stable")].reset_index(drop=True)[ALL_COLUMNS]
    seconds["render"] = time.perf_counter() - t
    nc = pd.DataFrame(not_checked, columns=NOT_CHECKED_COLUMNS).sort_values("rule_id", kind="stable").reset_index(drop=True)
    nc = nc.astype(object).where(nc.notna(), None)
    return RuleRun(findings=validate(findings) if check_contract else findings, not_checked=nc, seconds=seconds)


def _gx(ctx: RuleContext, rules: list[Rule], data_docs: Path | None
        ) -> tuple[dict[str, list[pd.DataFrame]], dict[str, BaseException]]:
    from checks.gx_engine import run_gx

    try:
        return run_gx(ctx, rules, data_docs)
    except Exception as exc:  # noqa: BLE001 - GX itself failed: every gx rule is not checked
        return {}, {r.id: exc for r in rules}


def _gx_in_worker(job: "tuple[RuleContext, list[str], Path | None] | None" = None
                  ) -> tuple[dict[str, list[pd.DataFrame]], dict[str, BaseException], float]:
    """`_gx` in a forked worker, on `job` (context, rule ids, Data Docs folder: pickled, a
    rule's functions are not) or else the context and rules its pool shares; errors come
    back as `RuleFailed` (GX's own exceptions do not all survive pickling)."""
    from core.parallel import shared

    t = time.perf_counter()
    if job is not None:
        ctx, ids, data_docs = job
        rules = [all_rules()[rid] for rid in ids]
    else:
        ctx, rules, data_docs = shared()
    found, errors = _gx(ctx, rules, data_docs)
    return found, {rid: RuleFailed.of(exc) for rid, exc in errors.items()}, time.perf_counter() - t


@contextmanager
def gx_worker_ahead(workers: int) -> "Iterator[Executor | None]":
    """A worker forked now, before the export is read, that imports GX at once (2 s) while
    this process reads: for a run over one Pemda, whose rules are otherwise mostly waiting for
    that import in a worker forked after the read. `run_rules(gx_worker=...)` then sends it
    the context to validate, pickled: a Pemda's rows are small (the nation's are not, and
    stay with the worker forked after the read, which inherits them). None when `workers` is
    1 or the platform cannot fork. A read that fails ends the block once the import is done
    (up to ~2 s more before the error is shown)."""
    from core.parallel import pool, submit

    with pool(None, 1 if workers > 1 else 0) as worker:
        if worker is not None:
            submit(worker, _import_gx)
        yield worker


def _import_gx() -> None:
    """`import_gx` in the worker, returning nothing: the module it returns does not pickle back."""
    from checks.gx_engine import import_gx

    import_gx()


class RuleFailed(Exception):
    """An error raised in a worker process, as its type name and message."""

    def __init__(self, type_name: str, message: str = "") -> None:
        super().__init__(type_name, message)
        self.type_name = type_name

    @classmethod
    def of(cls, exc: BaseException) -> "RuleFailed":
        return cls(type(exc).__name__, str(exc)[:500])

    def __str__(self) -> str:
        return self.args[1]


_Outcome = tuple["pd.DataFrame | None", "BaseException | None", float]  # findings, error, seconds


def _pandas_rules(ctx: RuleContext, rules: list[Rule], workers: "Executor | None" = None,
                  gx_job: "Future | None" = None) -> tuple[dict[str, _Outcome], list[tuple[Rule, "Future | None"]]]:
    """Every pandas rule: the outcomes of those run here, and the worker's jobs of the others.

    With `workers` (GX's pool), the rules are shared once GX is done, costliest first
    (`PandasRule.cost`; registry order among equals): this process and the worker each take the
    next one, so the last ones taken are the cheap ones and the two halves of the analysis end
    together. The worker's rules are queued as its jobs end (`add_done_callback`, two ahead),
    not when this process is between two rules: a rule of 1.5 s here no longer leaves the
    worker idle. Rules that read evidence files stay here (their cache is this process's
    database connection); the worker takes the next one that does not."""
    import threading
    from collections import deque

    from core.parallel import submit

    todo = deque(sorted(rules, key=lambda r: -r.cost))  # (stable: registry order among equals)
    lock = threading.Lock()
    done: dict[str, _Outcome] = {}
    theirs: list[tuple[Rule, Future | None]] = []

    def feed(_: object = None) -> None:
        """Queue the next rule that reads no evidence to the worker (in the pool's thread, when
        a job of it ends); the last one is left to this process."""
        with lock:
            rule = next((r for r in todo if "bukti" not in r.needs), None)
            if len(todo) < 2 or rule is None:
                return
            todo.remove(rule)
            job = submit(workers, _rule_in_worker, rule.id)
            theirs.append((rule, job))
        if job is not None:
            job.add_done_callback(feed)

    if workers is not None and gx_job is not None:
        gx_job.add_done_callback(lambda _: (feed(), feed()))  # two queued: the worker never waits
    while True:
        with lock:
            if not todo:
                break
            rule = todo.popleft()
        done[rule.id] = _pandas_rule(ctx, rule)
    return done, theirs


def _gather(ctx: RuleContext, rules: list[Rule], done: dict[str, _Outcome], theirs: list[tuple[Rule, "Future | None"]],
            parts: list[pd.DataFrame], errors: dict[str, BaseException], seconds: dict[str, float]) -> None:
    """The pandas rules' findings into `parts` in registry order (waiting for the worker's; a
    rule whose worker died is run here), their errors and seconds."""
    for rule, job in theirs:
        ok = job is not None and job.exception() is None
        done[rule.id] = job.result() if ok else _pandas_rule(ctx, rule)
    for rule in rules:
        out, exc, secs = done[rule.id]
        if out is not None:
            parts.append(out)
        if exc is not None:
            errors[rule.id] = exc
        seconds[rule.id] = secs


def _pandas_rule(ctx: RuleContext, rule: Rule) -> _Outcome:
    """One pandas rule: its findings (None: none), the error it raised, its seconds."""
    t = time.perf_counter()
    try:
        out = rule.check(ctx)
        if out is not None and len(out):
            out = as_findings(out, extra=True)
            out["rule_id"] = rule.id
            return _dedupe(rule, out), None, time.perf_counter() - t
        return None, None, time.perf_counter() - t
    except Exception as exc:  # noqa: BLE001 - a broken rule never stops the run
        return None, exc, time.perf_counter() - t


def _rule_in_worker(rule_id: str) -> _Outcome:
    """`_pandas_rule` in GX's worker, on the context its pool shares (errors as `RuleFailed`)."""
    from core.parallel import shared

    ctx = shared()[0]
    out, exc, secs = _pandas_rule(ctx, all_rules()[rule_id])
    return out, None if exc is None else RuleFailed.of(exc), secs
