"""The committed synthetic sample (sample_data/ekspor-2026, real ingest): every planted LKP/BKT/
KNS problem of `masalah-tertanam.csv` is found at its key, Kota Batu stays clean, and no rule
finds anything that was not planted."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from checks.registry import all_rules
from tests.checks.helpers import CATALOG

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data" / "ekspor-2026"
LOG = ROOT / "sample_data" / "masalah-tertanam.csv"


KEY_FIELDS = ("kode_pemda", "id_inovasi", "no_indikator", "kolom")


def _keys(df: pd.DataFrame) -> set[tuple]:
    rules = all_rules()
    out = set()
    for r in df.to_dict("records"):
        key = [f for f in rules[r["rule_id"]].key if f in KEY_FIELDS]
        out.add((r["rule_id"], *[("" if pd.isna(r.get(f)) or r.get(f) is None else str(r[f])) for f in key]))
    return out


@pytest.fixture(scope="module")
def run():
    from checks.engine import run_rules
    from ingest import read_export

    return run_rules(read_export(SAMPLE), CATALOG, as_of=date(2026, 7, 1))


@pytest.fixture(scope="module")
def planted() -> pd.DataFrame:
    log = pd.read_csv(LOG, dtype=str, keep_default_na=False)
    return log[log["rule_id"].str.match(r"^(LKP|BKT|KNS)-")]


def test_every_rule_ran_on_the_full_sample(run):
    assert run.not_checked.empty, run.not_checked.to_string()


def test_every_planted_problem_is_found_at_its_key(run, planted):
    found = _keys(run.findings[run.findings["rule_id"].str.match(r"^(LKP|BKT|KNS)-")])
    missing = _keys(planted) - found
    assert not missing, sorted(missing)


def test_nothing_unplanted_is_found(run, planted):
    found = _keys(run.findings[run.findings["rule_id"].str.match(r"^(LKP|BKT|KNS)-")])
    extra = found - _keys(planted)
    assert not extra, sorted(extra)


def test_kota_batu_is_clean(run):
    assert not (run.findings["kode_pemda"] == "35.79").any()


def test_planted_severity_matches(run, planted):
    """Per rule, the severities found are the ones planted (a rule with variants, e.g. BKT-09's
    jenis_berbeda warning beside its errors, plants each)."""
    f = run.findings
    for rid, sevs in planted.groupby("rule_id")["severity"]:
        assert set(f.loc[f["rule_id"] == rid, "severity"]) == set(sevs), rid
