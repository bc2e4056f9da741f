"""The GX suites are files in the repository, the ones the run validates with: reviewable,
each expectation naming its rule, and never out of step with the rules that declare them."""

from __future__ import annotations

import json
from datetime import date

from checks import gx_suites
from checks.registry import GxRule, all_rules
from core.catalog import available_years
from tests.checks.builders import ExportBuilder
from tests.checks.helpers import audit


def test_committed_suites_are_what_the_rules_declare():
    assert gx_suites.main(["--check"]) == 0, "regenerate with: python -m checks.gx_suites"


def test_every_gx_rule_has_expectations_in_every_year_and_each_names_its_rule():
    gx_ids = {r.id for r in all_rules().values() if isinstance(r, GxRule)}
    for year in available_years():
        files = sorted((gx_suites.GX_DIR / str(year)).glob("iid-*.json"))
        assert files, year
        seen = set()
        for path in files:
            for e in json.loads(path.read_text(encoding="utf-8"))["expectations"]:
                rule = all_rules()[e["meta"]["rule_id"]]
                assert e["meta"]["severity"] == rule.severity.value
                assert e["description"].startswith(rule.id) and e["type"].startswith("expect_")
                seen.add(rule.id)
        assert seen == gx_ids, year


def test_the_run_takes_thresholds_from_the_suite_file(monkeypatch):
    """Edit LKP-06's word minimum in the suite file (as a reviewer could) and the run follows it."""
    entries = dict(gx_suites.load_suite(2026, "daftar_inovasi"))
    key = next(k for k in entries if k.startswith("LKP-06:"))
    edited = json.loads(json.dumps(entries[key]))
    edited["kwargs"]["min_value"] = 10_000  # no Rancang Bangun is that long
    real = gx_suites.load_suite.__wrapped__
    monkeypatch.setattr(gx_suites, "load_suite",
                        lambda year, table: {**real(year, table), **({key: edited} if table == "daftar_inovasi" else {})})
    run = audit(ExportBuilder().pemda("35.04", "Kab. Tulungagung").inovasi().build())
    assert "LKP-06" in set(run.findings["rule_id"])


def test_a_rule_missing_from_its_stale_suite_file_is_not_checked_and_says_why(monkeypatch):
    real = gx_suites.load_suite.__wrapped__
    monkeypatch.setattr(gx_suites, "load_suite",
                        lambda year, table: {k: v for k, v in real(year, table).items() if not k.startswith("KNS-04:")})
    run = audit(ExportBuilder().pemda("35.04", "Kab. Tulungagung").inovasi(kematangan=500).build(), as_of=date(2026, 7, 1))
    nc = run.not_checked.set_index("rule_id")
    assert "StaleSuite" in nc.at["KNS-04", "alasan"]
    assert "KNS-04" not in set(run.findings["rule_id"])
