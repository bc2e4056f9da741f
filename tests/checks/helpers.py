"""Domain helpers for the rule tests: run the real engine on a builder export and compare
findings by the fields a test names."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from core.catalog import load_catalog
from checks.engine import RuleRun, run_rules
from checks.registry import all_rules
from ingest.export import Export

CATALOG = load_catalog(2026)
#: Default audit date of the tests (T = 2026).
AS_OF = date(2026, 7, 1)


def audit(export: Export, *, as_of: date = AS_OF, lang: str = "id") -> RuleRun:
    return run_rules(export, CATALOG, as_of=as_of, lang=lang)


def _matches(row: pd.Series, want: dict) -> bool:
    for k, v in want.items():
        got = row[k]
        if v is None:
            if got is not None and not (isinstance(got, float) and pd.isna(got)):
                return False
        elif got is None or str(got) != str(v):
            return False
    return True


def assert_findings(
    export: Export,
    expected: list[tuple[str, dict]],
    *,
    as_of: date = AS_OF,
    rules: tuple[str, ...] = (),
    lang: str = "id",
) -> pd.DataFrame:
    """For every rule id in `expected` (and in `rules`), the findings of that rule are EXACTLY
    the expected ones: each expected (rule_id, {field: value}) matches one distinct finding,
    and no other finding of those rules exists. Severity must be one the registry gives that
    rule (the expected dict may pin which) and the message fully rendered. Returns the
    findings of the checked rules."""
    run = audit(export, as_of=as_of, lang=lang)
    f = run.findings
    checked = {r for r, _ in expected} | set(rules)
    for rid in checked:
        assert rid not in set(run.not_checked["rule_id"]), f"{rid} was not checked: {run.not_checked}"
    mine = f[f["rule_id"].isin(checked)]
    unused = list(mine.index)
    for rid, want in expected:
        hit = next((i for i in unused if mine.at[i, "rule_id"] == rid and _matches(mine.loc[i], want)), None)
        assert hit is not None, f"expected {rid} {want} not found among:\n{mine.drop(columns=['pesan']).to_string()}"
        unused.remove(hit)
    assert not unused, f"unexpected findings:\n{mine.loc[unused].drop(columns=['pesan']).to_string()}"
    reg = all_rules()
    for _, row in mine.iterrows():
        assert row["severity"] in {s.value for s in reg[row["rule_id"]].severities}
        assert row["pesan"] and not re.search(r"\{[a-z_]+\}", row["pesan"]), row["pesan"]
    return mine


def assert_no_findings(export: Export, *rule_ids: str, as_of: date = AS_OF) -> None:
    assert_findings(export, [], rules=rule_ids, as_of=as_of)
