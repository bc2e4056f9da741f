"""Ingest: read an IID export (workbook, CSV folder, or the app's single innovation list) into
the typed tables of `core.tables`, with every structural problem as an SKM finding.

Public API:
- `read_export(path) -> Export`
- `select_region(export, kode_pemda) -> Export`
- `ingest.pemda.resolve / official_name / province_of`
"""

from __future__ import annotations

import functools
from dataclasses import replace
from pathlib import Path

import pandas as pd

from core.findings import findings as as_findings
from core.outcomes import UsageError
from ingest.export import Export

__all__ = ["read_export", "select_region", "Export"]


def read_export(path: Path, year: int | None = None, region: str | None = None,
                cache_dir: Path | None = None, cache_in_background: bool = False,
                defer_contract: bool = False) -> Export:
    """Read and validate an export against the catalog of `year` (default: the current
    guideline year; the allowed values of the contracts come from it). Bad input →
    `UsageError` / `UnreadableExport` (one bilingual line) or SKM findings in
    `Export.findings`; rows are never dropped.

    With `region` (a Kemendagri code), rows of other Pemda are set aside right after the raw
    read (`ingest.region.narrow_raw`), so one Pemda of a national export is validated, not the nation;
    `select_region` afterwards gives the same rows and findings as on the whole export.

    With `cache_dir`, the raw read goes through the export cache there (`ingest.cache`): the
    same export read again is read from Parquet, a region only its own rows; with
    `cache_in_background` a new entry is written by a forked child while the reading goes on
    (`ingest.cache.wait_for_writes` waits for it).

    With `defer_contract`, the Pandera contract of the largest table (the indicator rows:
    1.5 s nationally) is left for later: the export comes back without its findings, and
    `Export.settle()` adds them, the same findings in the same order. The pipeline settles
    while GX validates in its worker, a pause this process otherwise spends waiting; the
    tables are whole either way (a contract only finds, it never changes a cell)."""
    from core.catalog import load_catalog
    from core.settings import DEFAULT_YEAR
    from ingest.assemble import Stage, derive_ids, finish, link_indicators, pemda_codes, region_table, run_rule_checks
    from ingest.readers import forget_arrow, read_raw
    from ingest.region import narrow_raw

    if cache_dir is not None:
        from ingest.cache import read_raw_cached

        raw = read_raw_cached(path, cache_dir, region, background=cache_in_background)
    else:
        raw = read_raw(path)
        forget_arrow(raw)  # no cache to store pyarrow's tables in
        if region is not None:
            raw = narrow_raw(raw, region)
    catalog = load_catalog(year or DEFAULT_YEAR)
    later = max(raw.tables, key=lambda k: len(raw.tables[k].frame)) if defer_contract and raw.tables else None
    stages = {key: Stage(rt, catalog, check_contracts=key != later) for key, rt in raw.tables.items()}
    daftar = stages.get("daftar_inovasi")
    if daftar is not None:
        if daftar.has("pemda") or daftar.has("kode_pemda"):
            daftar.kode = pemda_codes(daftar)
        derive_ids(daftar)
    if "indikator_inovasi" in stages:
        link_indicators(stages["indikator_inovasi"], daftar)
    for key in ("indikator_pemda", "profil_pemda"):
        if key in stages:
            region_table(stages[key])
    tables: dict[str, pd.DataFrame] = {}
    found: dict[str, pd.DataFrame] = {}
    for key, stage in stages.items():
        run_rule_checks(stage)
        tables[key], found[key] = finish(stage, daftar)
    export = Export(
        source=Path(path),
        kind=raw.kind,
        tables=tables,
        findings=as_findings(list(found.values()), extra=True),
        bukti_dir=raw.bukti_dir,
        tahun_penilaian=_tahun(tables.get("profil_pemda")),
    )
    if later is not None:
        export.pending = functools.partial(_contract_later, stages[later], daftar, catalog, found, later)
    return export


def _contract_later(stage, daftar, catalog, found: dict[str, pd.DataFrame], key: str) -> pd.DataFrame:
    """The export's findings with the contract `read_export(defer_contract=True)` left: its
    findings first in its table's, as `Stage` puts them when it validates at once."""
    from ingest.assemble import stage_findings
    from ingest.contracts import validate

    stage.parts.insert(0, validate(stage.table.key, stage.text, catalog))
    found[key] = stage_findings(stage, daftar)
    return as_findings(list(found.values()), extra=True)


def _tahun(profil: pd.DataFrame | None) -> int | None:
    """`Tahun Penilaian` when every Pemda row that states it states the same year."""
    if profil is None or "tahun_penilaian" not in profil:
        return None
    years = profil["tahun_penilaian"].dropna().unique()
    return int(years[0]) if len(years) == 1 else None


def select_region(export: Export, kode_pemda: str) -> Export:
    """Only the rows (every table) and findings of one Pemda.

    Findings about a whole table (a missing column, SKM-01) concern every Pemda of the export
    and are kept. `UsageError` when the code is not a Kemendagri code (`PP`, `PP.KK`) or the
    Pemda has no row in the export.
    """
    from ingest.pemda import is_kemendagri_form, is_known, official_name

    if not isinstance(kode_pemda, str):
        raise UsageError(
            f"Kode Pemda harus teks seperti '35.04', bukan {type(kode_pemda).__name__} ({kode_pemda!r})",
            f"The Pemda code must be text like '35.04', not {type(kode_pemda).__name__} ({kode_pemda!r})",
        )
    kode = kode_pemda.strip()
    if not is_kemendagri_form(kode):
        raise UsageError(
            f"Kode Pemda {kode_pemda!r} tidak berbentuk kode Kemendagri (PP atau PP.KK, mis. 35 atau 35.04)",
            f"Pemda code {kode_pemda!r} is not a Kemendagri code (PP or PP.KK, e.g. 35 or 35.04)",
        )
    present = any(
        "kode_pemda" in df.columns and (df["kode_pemda"] == kode).any() for df in export.tables.values()
    )
    if not present:
        nama = f" ({official_name(kode)})" if is_known(kode) else ""
        raise UsageError(
            f"Pemda {kode}{nama} tidak ada dalam ekspor {export.source.name}",
            f"Pemda {kode}{nama} is not in the export {export.source.name}",
        )
    tables = {
        key: (df[df["kode_pemda"] == kode].reset_index(drop=True) if "kode_pemda" in df.columns else df)
        for key, df in export.tables.items()
    }
    f = export.findings
    keep = (f["kode_pemda"] == kode) | (f["baris"].isna() & f["kode_pemda"].isna())
    return replace(
        export,
        tables=tables,
        findings=as_findings(f[keep], extra=True),
        tahun_penilaian=_tahun(tables.get("profil_pemda")) or export.tahun_penilaian,
    )
