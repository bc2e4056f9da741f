"""Per-table contracts as Pandera schemas, built from the contract rules' declarations.

One `DataFrameSchema` per table: each column of `core.tables` with, as named Pandera checks,
the per-cell predicates every contract rule declares for it (`ContractRule.cells`, e.g.
SKM-02 "parses as a date", SKM-03 "one of the catalog's `nilai_sah`"). It validates the
*cleaned text* of a table (after `normalize.clean_text` and the spelling fixes), lazily, so
every failure of every row is collected; `SchemaErrors.failure_cases` becomes partial
findings in one vectorized step: a failing named check is a finding of the rule it is named
after, a failing built-in check (`column_in_dataframe`: a required column is absent) one of
the rule that claims it in `ContractRule.pandera_checks` (SKM-01).

Rows are flagged, never dropped. Cross-row and cross-table contracts (unknown Pemda, duplicates,
unknown innovation) need the whole export: their rules' `check` runs in `ingest.assemble`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from core.catalog import Catalog
from core.tables import TABLES, Column, Table
from ingest import normalize, partial
from ingest.rules import contract_rules


def _per_value(fn: Callable[[pd.Series], pd.Series]) -> Callable[[pd.Series], pd.Series]:
    """A vectorized check evaluated once per distinct value (national columns repeat a lot)."""
    return lambda s: normalize.on_uniques(s, lambda u: fn(u).astype(bool)).astype(bool)


def _checks_for(table: Table, col: Column, catalog: Catalog) -> list[pa.Check]:
    """The named checks of one column: every contract rule's predicates for it, in rule order."""
    return [
        pa.Check(_per_value(predicate), name=rule.id)
        for rule in contract_rules().values()
        if rule.cells is not None
        for predicate in rule.cells(table, col, catalog)
    ]


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


def validate(table_key: str, text: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Run the table's contract; partial findings (`ingest.partial`): rule_id, tabel, kolom
    (display name), nilai (the cell text), row (index label in `text`, NA for a whole table)."""
    table = TABLES[table_key]
    try:
        # in place: the schema coerces nothing (`coerce=False`, no defaults), so validating a
        # copy only copied the table (0.4 s for the nation's 750,000 indicator rows)
        schema_for(table_key, catalog).validate(text, lazy=True, inplace=True)
    except SchemaErrors as exc:
        return failures_to_findings(exc.failure_cases, table)
    return partial.empty()


def failures_to_findings(fc: pd.DataFrame, table: Table) -> pd.DataFrame:
    """`SchemaErrors.failure_cases` → partial findings, vectorized: table-level failures of the
    built-in checks first (by the rule claiming them), then the failing cells."""
    rules = contract_rules()
    display = {c.name: c.display for c in table.columns}
    builtin = {name: rule.id for rule in rules.values() for name in rule.pandera_checks}
    whole = fc[fc["check"].isin(list(builtin))]
    tables = pd.DataFrame(
        {
            "rule_id": whole["check"].map(builtin).astype(object),
            "tabel": table.display,
            "kolom": whole["failure_case"].map(display).fillna(whole["failure_case"]).astype(object),
            "nilai": None,
            "row": pd.NA,
        }
    )
    at = fc[fc["check"].isin(list(rules)) & fc["index"].notna()]
    rows = pd.DataFrame(
        {
            "rule_id": at["check"].astype(object),
            "tabel": table.display,
            "kolom": at["column"].map(display).fillna(at["column"]).astype(object),
            "nilai": at["failure_case"].astype(str).astype(object),
            "row": at["index"].astype(object),
        }
    )
    return partial.concat([tables, rows])
