"""Which Pemda a raw row can belong to, before anything is parsed: the one rule that narrows a
national export to one region right after the raw read (`narrow_raw`), and that the export
cache (`ingest.cache`) stores per row so a region is a filter on two columns."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from ingest import pemda
from ingest.readers import RawExport

#: Row columns: the row's own Kemendagri code, the code its Pemda name resolves to where the code
#: is no assessed one, and "the table has neither" (its rows are linked later: every region's).
KODE, NAMA, SEMUA = "_wilayah_kode", "_wilayah_nama", "_wilayah_semua"


def region_keys(df: pd.DataFrame) -> pd.DataFrame:
    """Per raw row: its stripped `Kode Pemda` (KODE), the assessed code its `Pemda` name resolves
    to where that code is not an assessed one (NAMA, as `assemble.pemda_codes` will decide),
    and SEMUA when the table has neither column."""
    out = pd.DataFrame(index=df.index)
    has_code, has_name = "kode_pemda" in df.columns, "pemda" in df.columns
    fallback = pd.Series(True, index=df.index)
    out[KODE] = pd.Series(None, index=df.index, dtype="string")
    out[NAMA] = pd.Series(None, index=df.index, dtype="string")
    if has_code:
        code = df["kode_pemda"].astype("string").str.strip()
        out[KODE] = code
        fallback = ~code.isin(pemda.assessed_codes()).fillna(False)
    if has_name:
        names = df["pemda"].where(fallback)
        out[NAMA] = pemda.codes_for(names.astype("string").str.strip()).astype("string")
    out[SEMUA] = not (has_code or has_name)
    return out


def rows_of_region(keys: pd.DataFrame, region: str) -> pd.Series:
    """The rows that can belong to Pemda `region`: KODE == region or NAMA == region, or SEMUA."""
    return (keys[KODE].eq(region).fillna(False) | keys[NAMA].eq(region).fillna(False) | keys[SEMUA]).astype(bool)


def narrow_raw(raw: RawExport, region: str) -> RawExport:
    """Only the raw rows that can belong to Pemda `region` (a table with neither a code nor a
    name column is kept whole: its rows are linked later)."""
    if not isinstance(region, str):
        return raw
    kode = region.strip()
    tables = {key: replace(rt, frame=rt.frame[rows_of_region(region_keys(rt.frame), kode).to_numpy()], arrow=None)
              for key, rt in raw.tables.items()}
    return replace(raw, tables=tables)
