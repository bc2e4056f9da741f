"""The README is the user's manual: its rule table must be the registry's, not a stale copy."""

from pathlib import Path

from checks.registry import all_rules, rules_markdown

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_rule_table_is_the_registry():
    text = README.read_text(encoding="utf-8")
    table = text.split("<!-- rules:start -->")[1].split("<!-- rules:end -->")[0].strip()
    assert table == rules_markdown(), "regenerate with: python -m checks.registry"


def test_every_spec_rule_family_is_listed():
    ids = set(all_rules())
    for family, count in {"SKM": 6, "LKP": 9, "BKT": 11, "KNS": 7}.items():
        assert {f"{family}-{i:02d}" for i in range(1, count + 1)} <= ids
