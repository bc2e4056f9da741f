"""The audit as plain functions, in the one direction of flow:
ingest → contracts → rules → metrics → render → deliver.

Prefect flows (`flows/`) and the CLI only orchestrate these; everything here is testable
without Prefect.
"""

from __future__ import annotations

import glob
import json
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pandas as pd

from core.catalog import Catalog, load_catalog
from core.outcomes import Outcome
from core.safe_cells import write_csv
from core.settings import Settings
from core.outcomes import UsageError
from ingest.export import Export

if TYPE_CHECKING:
    from checks.metrics import Metrics
    from delivery import Recipients, ReportMessage
    from reports import ReportFiles, RunInfo

#: IID is run from Jakarta: "today" and the nightly 02:00 are Western Indonesian Time (WIB),
#: also on a server whose clock is UTC (02:00 WIB is 19:00 UTC of the day before).
TIMEZONE = "Asia/Jakarta"

#: What a glob may match as an export (a folder of CSV tables, a workbook, a CSV list).
EXPORT_SUFFIXES = (".xlsx", ".xlsm", ".csv")


@dataclass
class AuditResult:
    out_dir: Path
    export: Export
    catalog: Catalog
    findings: pd.DataFrame  # core.findings.ALL_COLUMNS, severity and pesan filled
    metrics: "Metrics"  # checks.metrics.Metrics: ringkasan, inovasi, slot
    not_checked: pd.DataFrame  # rule_id, kode_pemda (None = whole run), alasan
    as_of: date = field(default_factory=date.today)
    reports: dict[str, Path] = field(default_factory=dict)
    failures: list[dict] = field(default_factory=list)  # {kode_pemda, tahap, pesan}

    @property
    def ringkasan(self) -> pd.DataFrame:
        return self.metrics.ringkasan

    @property
    def outcome(self) -> Outcome:
        if self.failures:
            return Outcome.PARTIAL
        return Outcome.FINDINGS if len(self.findings) else Outcome.CLEAN


def load(export_path: Path, region: str | None = None) -> Export:
    """Ingest + contracts (SKM findings); narrowed to one Pemda when `region` is given."""
    from ingest import read_export, select_region

    export = read_export(Path(export_path))
    return select_region(export, region) if region else export


def resolve_year(export: Export, year: int | None, settings: Settings) -> int:
    return int(year or export.tahun_penilaian or settings.year)


def audit_export(export: Export, catalog: Catalog, as_of: date, lang: str = "id"):
    """Rules over the whole nation at once, then region metrics."""
    from checks.engine import run_rules
    from checks.metrics import region_metrics

    result = run_rules(export, catalog, as_of=as_of, lang=lang)
    metrics = region_metrics(export, result.findings, catalog)
    return result.findings, metrics, result.not_checked


def write_contract(out_dir: Path, findings: pd.DataFrame, ringkasan: pd.DataFrame) -> None:
    """`findings.csv` and `ringkasan.csv` at the top of the run folder (the output contract)."""
    from core.findings import FINDING_COLUMNS

    write_csv(findings[FINDING_COLUMNS], out_dir / "findings.csv")
    write_csv(ringkasan, out_dir / "ringkasan.csv")


def run_audit(
    export_path: Path,
    out_dir: Path,
    *,
    settings: Settings,
    region: str | None = None,
    year: int | None = None,
    as_of: date | None = None,
) -> AuditResult:
    """The whole job without Prefect: what `iid-audit audit` runs inside its flow."""
    export = load(export_path, region)
    catalog = load_catalog(resolve_year(export, year, settings))
    as_of = as_of or today()
    findings, metrics, not_checked = audit_export(export, catalog, as_of, settings.lang)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_contract(out_dir, findings, metrics.ringkasan)
    return AuditResult(out_dir, export, catalog, findings, metrics, not_checked, as_of=as_of)


# ---------------------------------------------------------------------------------------------
# Stages around the audit: choosing the export, naming the run, reports, messages, the summary.
# Each is a plain function; `flows/` wraps them in Prefect tasks.
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
            if Path(m).is_dir() or Path(m).suffix.lower() in EXPORT_SUFFIXES
        ]
        if not matches:
            raise UsageError(f"Tidak ada ekspor yang cocok dengan {text}", f"No export matches {text}")
        return max(matches, key=lambda p: (p.stat().st_mtime, p.name))
    path = Path(text).expanduser()
    if not path.exists():
        raise UsageError(f"Ekspor tidak ditemukan: {path}", f"Export not found: {path}")
    return path


def run_id_for(as_of: date, region: str | None = None) -> str:
    """`nasional-20260701` or `pemda-35.04-20260701`: one id per scope and audit date, so a
    rerun of a killed run is the same run (history replaces its rows; delivery does not mail
    what that run already sent)."""
    scope = f"pemda-{_safe(region)}" if region else "nasional"
    return f"{scope}-{as_of:%Y%m%d}"


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


def render_report(result: AuditResult, kode_pemda: str, *, lang: str, settings: Settings,
                  previous: pd.DataFrame | None = None) -> "ReportFiles":
    """One Pemda's report under `<out>/laporan/`.

    Rendered without the run id and start time (`run_info=None`): the email body must be the
    same bytes when nothing changed, so a rerun, or tomorrow's run on unchanged data, is not
    mailed again (delivery skips a report whose content hash it already sent). The run id is
    on the index page and in `run.json`.
    """
    from reports import render_pemda

    return render_pemda(result, kode_pemda, result.out_dir, lang=lang, run_info=None,
                        previous=previous, budget=settings.report_budget_bytes)


def recipients_for(result: AuditResult, override_csv: Path | None = None) -> tuple[dict[str, "Recipients"], list[str]]:
    from delivery import recipients_from_profil

    return recipients_from_profil(result.export.tables.get("profil_pemda"), override_csv)


def report_message(result: AuditResult, kode_pemda: str, files: "ReportFiles",
                   recipients: "Recipients | None") -> "ReportMessage":
    """What delivery needs for one Pemda: the rendered body, the attachment, the scores."""
    from delivery import Recipients, ReportMessage

    ring = result.ringkasan
    row = ring[ring["kode_pemda"].astype(str) == str(kode_pemda)]
    r: dict[str, Any] = row.iloc[0].to_dict() if len(row) else {}

    def num(key: str) -> float | None:
        v = r.get(key)
        return None if v is None or pd.isna(v) else float(v)

    def txt(key: str) -> str | None:
        v = r.get(key)
        return None if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)

    return ReportMessage(
        kode_pemda=str(kode_pemda),
        pemda=txt("pemda") or str(kode_pemda),
        tahun=int(result.export.tahun_penilaian or result.catalog.tahun),
        skor_terverifikasi=num("skor_terverifikasi"),
        predikat_terverifikasi=txt("predikat_terverifikasi"),
        skor_klaim=num("skor_klaim"),
        persen_indikator_bermasalah=num("persen_indikator_bermasalah"),
        html=Path(files.html).read_text(encoding="utf-8"),
        attachment=files.attachment,
        recipients=recipients or Recipients(),
    )


def write_index(result: AuditResult, reports: dict[str, "ReportFiles"], *, lang: str,
                run_info: "RunInfo | None") -> Path:
    from reports import render_index

    return render_index(result, reports, result.out_dir, lang=lang, failures=result.failures, run_info=run_info)


def failure(kode_pemda: str | None, tahap: str, pesan: str) -> dict:
    """One entry of `AuditResult.failures` (shown in the index and the run summary).
    `pesan` is an error kind and short reason: never an address or a name."""
    return {"kode_pemda": kode_pemda, "tahap": tahap, "pesan": pesan[:300]}


def error_text(exc: BaseException) -> str:
    """A failure message for the run summary: the bilingual text of our own errors, the type
    of anything else (its text may carry data values)."""
    from core.outcomes import AuditError

    if isinstance(exc, AuditError):
        return str(exc)
    return type(exc).__name__


def severity_counts(findings: pd.DataFrame) -> dict[str, int]:
    vc = findings["severity"].astype(str).value_counts() if len(findings) else pd.Series(dtype=int)
    return {s: int(vc.get(s, 0)) for s in ("error", "warning", "info")}


def write_json(path: Path, data: dict) -> Path:
    """Atomically (temp file + rename), so a killed run never leaves half a summary."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    tmp.replace(path)
    return path
