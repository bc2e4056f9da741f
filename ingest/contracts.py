"""Per-table contracts as Pandera schemas, and their failures as SKM findings.

One `DataFrameSchema` per table, built from the declarations in `core.tables` and the
year's catalog (allowed values, indicator numbers). It validates the *cleaned text* of a
table (after `normalize.clean_text` and the spelling fixes), lazily, so every failure of
every row is collected; `SchemaErrors.failure_cases` becomes findings in one vectorized
step. Each check is named after the rule it raises:

- `column_in_dataframe` (a `required=True` column is absent) → SKM-01 (table, column);
- `SKM-02`: a date, number or code that does not parse;
- `SKM-03`: a value outside the catalog's allowed set (`nilai_sah`);
- `SKM-06`: an indicator number that is well formed but not in the catalog.

Rows are flagged, never dropped. Cross-row and cross-table contracts (unknown Pemda SKM-04,
duplicates SKM-05, unknown innovation SKM-06) need the whole export and live in
`ingest.assemble`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from core.catalog import Catalog
from ingest import normalize
from ingest.pemda import CODE_PATTERN
from core.tables import TABLES, Column, Table

#: Catalog `nilai_sah` keys are column names; these columns are checked against them.
CHOICE_COLUMNS: tuple[str, ...] = (
    "inisiator", "bentuk_inovasi", "jenis", "tahapan_inovasi", "video", "jenis_file", "parameter", "basis",
)

#: Partial finding columns produced here (context is attached in `ingest.assemble`).
RAW_FINDING_COLUMNS = ["rule_id", "tabel", "kolom", "nilai", "row"]

_PARSERS = normalize.parsers()


def _per_value(fn: Callable[[pd.Series], pd.Series]) -> Callable[[pd.Series], pd.Series]:
    """A vectorized check evaluated once per distinct value (national columns repeat a lot)."""
    return lambda s: normalize.on_uniques(s, lambda u: fn(u).astype(bool)).astype(bool)


def _parses(parser: Callable[[pd.Series], pd.Series]) -> Callable[[pd.Series], pd.Series]:
    return lambda s: parser(s).notna()


def indicator_numbers(table_key: str, catalog: Catalog) -> list[str]:
    """SID 16..35 for innovation indicators, the SPD numbers for region indicators."""
    return catalog.sid_numbers if table_key == "indikator_inovasi" else catalog.spd_numbers


def _checks_for(table: Table, col: Column, catalog: Catalog) -> list[pa.Check]:
    """The named checks of one column: (rule id, vectorized predicate over cleaned text)."""
    checks: list[tuple[str, Callable[[pd.Series], pd.Series]]] = []
    if col.kind in _PARSERS:
        checks.append(("SKM-02", _parses(_PARSERS[col.kind])))
    if col.name == "kode_pemda":
        checks.append(("SKM-02", lambda s: s.astype(str).str.fullmatch(CODE_PATTERN)))
    if col.name == "sha256":
        checks.append(("SKM-02", normalize.is_sha256))
    if col.name == "no_indikator":
        numbers = set(indicator_numbers(table.key, catalog))
        checks.append(("SKM-02", normalize.is_indicator_no))
        checks.append(("SKM-06", lambda s: s.isin(numbers) | ~normalize.is_indicator_no(s)))
    if col.name in CHOICE_COLUMNS and col.name in catalog.nilai_sah:
        allowed = set(catalog.nilai_sah[col.name])
        checks.append(("SKM-03", lambda s: s.isin(allowed)))
    return [pa.Check(_per_value(fn), name=rule_id) for rule_id, fn in checks]


@lru_cache(maxsize=None)
def _schema_cached(table_key: str, tahun: int) -> pa.DataFrameSchema:
    from core.catalog import load_catalog

    return build_schema(TABLES[table_key], load_catalog(tahun))


def build_schema(table: Table, catalog: Catalog) -> pa.DataFrameSchema:
    """The contract of one table over its cleaned text (object dtype, missing = NaN)."""
    columns = {
        c.name: pa.Column(None, checks=_checks_for(table, c, catalog), nullable=True, required=c.required)
        for c in table.columns
    }
    return pa.DataFrameSchema(columns, strict=False, coerce=False, name=table.display)


def schema_for(table_key: str, catalog: Catalog) -> pa.DataFrameSchema:
    """Cached per (table, catalog year) when `catalog` is the loaded catalog of its year."""
    from core.catalog import load_catalog

    if catalog is load_catalog(catalog.tahun):
        return _schema_cached(table_key, catalog.tahun)
    return build_schema(TABLES[table_key], catalog)


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in RAW_FINDING_COLUMNS})


def validate(table_key: str, text: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Run the table's contract; findings as rows of rule_id, tabel, kolom (display name),
    nilai (the cell text), row (index label in `text`, NA for table-level findings)."""
    table = TABLES[table_key]
    try:
        schema_for(table_key, catalog).validate(text, lazy=True)
    except SchemaErrors as exc:
        return failures_to_findings(exc.failure_cases, table, text)
    return _empty()


def failures_to_findings(fc: pd.DataFrame, table: Table, text: pd.DataFrame) -> pd.DataFrame:
    """`SchemaErrors.failure_cases` → partial findings, vectorized."""
    display = {c.name: c.display for c in table.columns}
    missing = fc[fc["check"] == "column_in_dataframe"]
    skm01 = pd.DataFrame(
        {
            "rule_id": "SKM-01",
            "tabel": table.display,
            "kolom": missing["failure_case"].map(display).fillna(missing["failure_case"]).astype(object),
            "nilai": None,
            "row": pd.NA,
        }
    )
    cells = fc[fc["check"].isin(["SKM-02", "SKM-03", "SKM-06"]) & fc["index"].notna()]
    rows = pd.DataFrame(
        {
            "rule_id": cells["check"].astype(object),
            "tabel": table.display,
            "kolom": cells["column"].map(display).fillna(cells["column"]).astype(object),
            "nilai": cells["failure_case"].astype(str).astype(object),
            "row": cells["index"].astype(object),
        }
    )
    out = pd.concat([x for x in (skm01, rows) if len(x)], ignore_index=True) if len(skm01) or len(rows) else _empty()
    return out[RAW_FINDING_COLUMNS]
