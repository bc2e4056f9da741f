"""Partial findings of the contract rules: `rule_id, tabel, kolom, nilai, row`, where `row` is
the index label of the cell in its table's cleaned text (NA for a finding about a whole
table). `ingest.assemble.finish` gives them their context (Pemda, innovation, indicator,
row number) once the whole export is assembled.

Optional columns: `PER_PEMDA` (True: the finding is about the Pemda of `row`, not that row:
it keeps the Pemda and drops the row, innovation and indicator), and any other column a rule
adds, kept as a message field of its templates (`varian`, counts)."""

from __future__ import annotations

import pandas as pd

from core.tables import Table

#: Partial finding columns.
RAW_FINDING_COLUMNS = ["rule_id", "tabel", "kolom", "nilai", "row"]
#: Optional column: the finding is about the Pemda of `row` (see the module docstring).
PER_PEMDA = "per_pemda"


def empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in RAW_FINDING_COLUMNS})


def cells(rule_id: str, table: Table, column: str, values: pd.Series) -> pd.DataFrame:
    """Partial findings for the cells `values` (index = row labels) of one column."""
    display = table.column(column).display if column in table.names else column
    return pd.DataFrame(
        {
            "rule_id": rule_id,
            "tabel": table.display,
            "kolom": display,
            "nilai": values.astype(object).where(values.notna(), None),
            "row": values.index.to_series().astype(object),
        },
        index=None,
    ).reset_index(drop=True)


def table_level(rule_id: str, table: Table, kolom: str) -> pd.DataFrame:
    """One finding about a whole table (a column it lacks)."""
    return pd.DataFrame([{"rule_id": rule_id, "tabel": table.display, "kolom": kolom, "nilai": None, "row": pd.NA}])


def concat(parts: list[pd.DataFrame | None]) -> pd.DataFrame:
    """The parts in order; the required columns first, then any optional ones."""
    parts = [p for p in parts if p is not None and len(p)]
    if not parts:
        return empty()
    out = pd.concat(parts, ignore_index=True)
    return out[RAW_FINDING_COLUMNS + [c for c in out.columns if c not in RAW_FINDING_COLUMNS]]
