"""The README is the user's manual: its rule table must be the registry's, not a stale copy."""

from pathlib import Path

from checks.registry import all_rules, rules_markdown

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


@pytest.mark.parametrize("doc", ["README.md", "docs/rules.md"])
def test_rule_tables_are_the_registry(doc):
    text = (ROOT / doc).read_text(encoding="utf-8")
    table = text.split("<!-- rules:start -->")[1].split("<!-- rules:end -->")[0].strip()
    assert table == rules_markdown(), "regenerate with: python -m checks.registry"


def test_docs_never_point_users_at_files_they_do_not_have():
    """Users get the repository, not the team's `../shared/spec/`: links go to `docs/`."""
    for path in [README, *sorted((ROOT / "docs").glob("*.md"))]:
        text = path.read_text(encoding="utf-8")
        assert "shared/spec" not in text, path.name
        for target in __import__("re").findall(r"\]\((?!https?:)([^)#]+)", text):
            assert (path.parent / target).exists(), f"{path.name} links to missing {target}"


def test_every_spec_rule_family_is_listed():
    ids = set(all_rules())
    for family, count in {"SKM": 6, "LKP": 9, "BKT": 11, "KNS": 7}.items():
        assert {f"{family}-{i:02d}" for i in range(1, count + 1)} <= ids
