"""The Great Expectations suites as files in the repository: `checks/gx/<year>/iid-<table>.json`.

Why files: analysts who know GX review expectations where GX keeps them, in suite JSON, with
each expectation's rule id, severity and title in its `meta` and `description`, and the
catalog's thresholds written out as values. The GX rules (`checks/rules/*.py`) declare the
expectations in code next to the derived columns they read; `python -m checks.gx_suites`
writes the suites from them for every catalog year, and a test fails when a committed suite
differs from what the rules declare (as the README's rule table does).

At run time the engine takes each expectation's definition from the suite file (matched to
the rule's check by `meta.kunci`: rule id, table, expectation type, column) and the derived columns
and the mapping of unexpected rows to findings from the rule. A check without an expectation
in the file means the file is stale: that rule is "not checked", named, never guessed.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from checks.context import RuleContext
from checks.registry import GxRule, Rule, all_rules
from core.catalog import Catalog, available_years, load_catalog
from core.findings import Severity
from core.tables import TABLES
from ingest.export import Export

GX_DIR = Path(__file__).parent / "gx"

#: Our severities in GX's own terms (GX renders them in Data Docs).
GX_SEVERITY = {Severity.ERROR: "critical", Severity.WARNING: "warning", Severity.INFO: "info"}


def suite_name(table: str) -> str:
    return f"iid-{table}"


def suite_path(year: int, table: str) -> Path:
    return GX_DIR / str(year) / f"{suite_name(table)}.json"


def _base_key(rule: Rule, check: Any) -> str:
    exp = check.expectation
    columns = [getattr(exp, "column", None)] + [getattr(exp, a, None) for a in ("column_A", "column_B")]
    columns = [c for c in columns if isinstance(c, str)] + list(getattr(exp, "column_list", None) or ())
    return f"{rule.id}:{check.table}:{exp.expectation_type}:{','.join(columns) or '-'}"


def keyed(rule: Rule, checks: list[Any]) -> list[tuple[str, Any]]:
    """Each check of `rule` with its stable name, e.g.
    `LKP-05:daftar_inovasi:expect_column_values_to_not_be_null:jenis`; a name the rule uses
    more than once (one column, several row conditions: BKT-05 per file type) gets `#2`, `#3`
    in the rule's own order."""
    count: dict[str, int] = {}
    out = []
    for check in checks:
        base = _base_key(rule, check)
        count[base] = count.get(base, 0) + 1
        out.append((base if count[base] == 1 else f"{base}#{count[base]}", check))
    return out


def describe(rule: Rule, check: Any, key: str) -> dict[str, Any]:
    """The suite-file form of one expectation: GX's configuration with our meta."""
    cfg = check.expectation.configuration.to_json_dict()
    return {
        "type": cfg["type"],
        "kwargs": cfg["kwargs"],
        "description": f"{rule.id} · {rule.judul_id} / {rule.judul_en}",
        "severity": GX_SEVERITY[rule.severity],
        "meta": {"kunci": key, "rule_id": rule.id, "severity": rule.severity.value, "tabel": check.table,
                 "judul": rule.judul_id},
    }


def _every_column(catalog: Catalog) -> RuleContext:
    """A context whose export has every declared table and column (no rows): every
    expectation a rule can declare for that catalog is declared."""
    tables = {key: pd.DataFrame({c.name: pd.Series(dtype=object) for c in t.columns} | {
        "baris": pd.Series(dtype="int64"), "kode_pemda": pd.Series(dtype=object),
        "id_inovasi": pd.Series(dtype=object)}) for key, t in TABLES.items()}
    export = Export(source=Path("."), kind="bundle", tables=tables, bukti_dir=Path("."))
    return RuleContext(export=export, catalog=catalog, as_of=date(catalog.tahun, 1, 1))


def build_suites(catalog: Catalog) -> dict[str, list[dict[str, Any]]]:
    """table → its expectations (suite-file form), as the GX rules declare them for `catalog`."""
    ctx = _every_column(catalog)
    suites: dict[str, list[dict[str, Any]]] = {}
    for rule in all_rules().values():
        if isinstance(rule, GxRule):
            for key, check in keyed(rule, list(rule.check(ctx))):
                suites.setdefault(check.table, []).append(describe(rule, check, key))
    return suites


def suite_text(table: str, expectations: list[dict[str, Any]], year: int) -> str:
    doc = {"name": suite_name(table), "meta": {"tahun": year, "dibuat_oleh": "python -m checks.gx_suites"},
           "expectations": expectations}
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def write_suites(years: list[int] | None = None) -> list[Path]:
    written = []
    for year in years or available_years():
        for table, expectations in build_suites(load_catalog(year)).items():
            path = suite_path(year, table)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(suite_text(table, expectations, year), encoding="utf-8")
            written.append(path)
    return written


@lru_cache(maxsize=None)
def load_suite(year: int, table: str) -> dict[str, dict[str, Any]]:
    """`meta.kunci` → expectation (suite-file form) of the committed suite; {} without a file."""
    path = suite_path(year, table)
    if not path.is_file():
        return {}
    doc = json.loads(path.read_text(encoding="utf-8"))
    return {e["meta"]["kunci"]: e for e in doc["expectations"]}


def expectation_from(entry: dict[str, Any]):
    """A GX expectation object from its suite-file form."""
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    return ExpectationConfiguration(type=entry["type"], kwargs=entry["kwargs"], meta=dict(entry["meta"]),
                                    description=entry.get("description"),
                                    severity=entry.get("severity", "critical")).to_domain_obj()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Write the GX suites of every catalog year from the GX rules.")
    p.add_argument("--check", action="store_true", help="only compare; exit 1 when a committed suite is stale")
    args = p.parse_args(argv)
    stale = []
    for year in available_years():
        for table, expectations in build_suites(load_catalog(year)).items():
            path = suite_path(year, table)
            want = suite_text(table, expectations, year)
            if not path.is_file() or path.read_text(encoding="utf-8") != want:
                stale.append(path)
    if args.check:
        for path in stale:
            print(f"stale: {path}", file=sys.stderr)
        return 1 if stale else 0
    for path in write_suites():
        print(path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
