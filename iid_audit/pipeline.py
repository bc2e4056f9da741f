"""The audit as plain functions, in the one direction of flow:
ingest → contracts → rules → metrics → render → deliver.

Prefect flows (`flows/`) and the CLI only orchestrate these; everything here is testable
without Prefect.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from checks.catalog import Catalog, load_catalog
from iid_audit.outcomes import Outcome
from iid_audit.safe_cells import write_csv
from iid_audit.settings import Settings
from ingest.export import Export

if TYPE_CHECKING:
    from checks.metrics import Metrics


@dataclass
class AuditResult:
    out_dir: Path
    export: Export
    catalog: Catalog
    findings: pd.DataFrame  # checks.findings.ALL_COLUMNS, severity and pesan filled
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
    from checks.findings import FINDING_COLUMNS

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
    as_of = as_of or date.today()
    findings, metrics, not_checked = audit_export(export, catalog, as_of, settings.lang)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_contract(out_dir, findings, metrics.ringkasan)
    return AuditResult(out_dir, export, catalog, findings, metrics, not_checked, as_of=as_of)
