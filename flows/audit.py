"""The two Prefect flows: `nightly-audit` (every Pemda) and `audit-region` (one Pemda).

Orchestration only: the job is `job.pipeline.run_job`, the same function the CLI runs
in-process. Here each of its stages becomes a Prefect task (`PrefectStages`): named,
retried where a retry can help (history, delivery), its state recorded; the run's summary
becomes artifacts. Rendering and delivery are coarse tasks (one per province, one for all
delivery) with per-Pemda failures recorded inside them: ~40 task runs nationally, not 1,100.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, Optional

import pandas as pd
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.tasks import exponential_backoff
from prefect.utilities.annotations import quote
from pydantic import BeforeValidator

from core.outcomes import AuditError
from core.settings import load_settings
from job import pipeline
from job.pipeline import NIGHTLY_FLOW, REGION_FLOW, AuditResult, JobRequest, RunSummary

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
# Stages as Prefect tasks
# ---------------------------------------------------------------------------------------------

#: Task retries where a retry can help (history, delivery: database or SMTP hiccups), on top
#: of the SMTP retries inside delivery; never the reading of the export.
TASK_BACKOFF_SECONDS = 10


def _transient(task, task_run, state) -> bool:
    """Retry only faults that may pass: network and database (locked, gone away). Our own
    errors (no SMTP configured, delivery stopped by the guard) would not."""
    exc = state.data if isinstance(state.data, BaseException) else None
    if exc is None or isinstance(exc, AuditError):
        return False
    import sqlalchemy.exc

    return isinstance(exc, (OSError, sqlalchemy.exc.OperationalError))


class PrefectStages:
    """`pipeline.StageRunner` that runs each stage call as a Prefect task: named
    (`laporan 35`), with retries where the pipeline allows them, its state recorded.

    Big objects (the nation's AuditResult, DataFrames) are passed wrapped in `quote()` and
    every task has `cache_policy=NO_CACHE, persist_result=False`: Prefect then neither walks,
    hashes nor serializes them."""

    #: the job records the reports per province, a task each (`pipeline.run_job`)
    per_task = True

    def __init__(self) -> None:
        self._tasks: dict[tuple[str, int], Any] = {}

    def __call__(self, name, fn, *args, label=None, retries=0):
        key = (name, retries)
        if key not in self._tasks:
            self._tasks[key] = task(
                _call, name=name, retries=retries, cache_policy=NO_CACHE, persist_result=False,
                retry_delay_seconds=exponential_backoff(TASK_BACKOFF_SECONDS) if retries else 0,
                retry_condition_fn=_transient if retries else None,
            )
        return self._tasks[key].with_options(task_run_name=label or name)(quote(fn), quote(args))


def _call(fn, args):
    return fn(*args)


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


def _artifacts(result: AuditResult, summary: RunSummary, region: Optional[str]) -> None:
    from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact

    from core.ringkasan import RINGKASAN_CONTRACT

    logger = get_run_logger()
    scope = artifact_key("pemda", region) if region else "nasional"
    try:
        cols = [c for c in RINGKASAN_CONTRACT if c in result.ringkasan.columns]
        create_table_artifact(_json_table(result.ringkasan[cols]), key=f"ringkasan-{scope}",
                              description=f"Ringkasan per Pemda, run {summary.run_id}")
        create_markdown_artifact(_markdown(result, summary), key=f"audit-{scope}",
                                 description=f"Audit IID {summary.run_id}")
        if summary.index:
            create_link_artifact(Path(summary.index).as_uri(), link_text="index.html", key=f"indeks-{scope}")
        if region:
            pemda = result.ringkasan["pemda"].astype("string").fillna("")
            for kode, files in result.reports.items():
                name = str(pemda[result.ringkasan["kode_pemda"].astype(str) == kode].head(1).squeeze() or "")
                create_link_artifact(Path(files.html).resolve().as_uri(), link_text=f"{kode} {name}".strip(),
                                     key=artifact_key("laporan", kode, name))
    except Exception as exc:  # the UI extras must never cost the audit
        logger.warning("artifacts not created: %s", type(exc).__name__)


def _md(text: Any) -> str:
    return str(text if text is not None else "").replace("|", "\\|").replace("\n", " ")


def _markdown(result: AuditResult, summary: RunSummary) -> str:
    reports = result.reports
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


def _run(request: JobRequest) -> dict:
    from flows.evidence import evidence_map_for

    settings = load_settings()
    summary = pipeline.run_job(request, settings, stage=PrefectStages(), evidence_map=evidence_map_for(settings.dask_address))
    if summary.result is not None:
        _artifacts(summary.result, summary, request.region)
    if summary.failures:
        get_run_logger().warning("run %s: %d failure(s), see run.json and index.html", summary.run_id,
                                 len(summary.failures))
    return summary.as_dict()


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
    require_recipients: bool = False,
    data_docs: bool = False,
) -> dict:
    """Audit every Pemda of the newest export matching `source` (a path or a glob), render
    every report and the index, hand each report to delivery.

    Output: `<out>/<run-id>/` (`run_folder=True`, the deployments) or `<out>` itself (the CLI).
    """
    return _run(JobRequest(source=source, out=Path(out), run_folder=run_folder, year=year, as_of=as_of, lang=lang,
                           send=send, resend=resend, only=only, recipients=Path(recipients) if recipients else None,
                           require_recipients=require_recipients, data_docs=data_docs))


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
    require_recipients: bool = False,
    data_docs: bool = False,
) -> dict:
    """The same for one Pemda (`kode_pemda` as text, e.g. "35.04"): only its rows are
    audited, only its report is rendered and delivered."""
    return _run(JobRequest(source=source, out=Path(out), region=kode_pemda, run_folder=run_folder, year=year,
                           as_of=as_of, lang=lang, send=send, resend=resend,
                           recipients=Path(recipients) if recipients else None,
                           require_recipients=require_recipients, data_docs=data_docs))
