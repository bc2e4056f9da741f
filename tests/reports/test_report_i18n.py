"""Message catalogs, Babel formatting and the no-strings-in-templates rule."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from reports.i18n import MESSAGES_DIR, Translator, load_messages
from reports.render import TEMPLATES_DIR, environment


def test_indonesian_numbers_and_dates():
    t = Translator("id")
    assert t.num(33.38) == "33,38"
    assert t.pct(33.38) == "33,38 %"
    assert t.num(1234567.5) == "1.234.567,50"
    assert t.date(date(2024, 2, 27)) == "27 Februari 2024"
    assert t.num(float("nan")) == t("umum.tidak_ada")


def test_english_numbers_and_dates():
    t = Translator("en")
    assert t.num(33.38) == "33.38"
    assert t.pct(33.38) == "33.38%"
    assert t.date(date(2024, 2, 27)) == "27 February 2024"


def test_catalogs_have_the_same_keys():
    assert set(load_messages("id")) == set(load_messages("en"))


def test_unknown_language_is_a_usage_error():
    from core.outcomes import UsageError

    with pytest.raises(UsageError):
        Translator("fr")


def test_templates_hold_no_reader_facing_words():
    """Every word a reader sees comes from core/messages/*.yaml."""
    for path in TEMPLATES_DIR.glob("*.j2"):
        src = path.read_text(encoding="utf-8")
        src = re.sub(r"\{#.*?#\}", "", src, flags=re.S)
        src = re.sub(r"<style>.*?</style>", "", src, flags=re.S)
        src = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", "", src, flags=re.S)
        src = re.sub(r"<[^>]*>", "", src)
        leftover = re.findall(r"[A-Za-z]{2,}", src)
        assert leftover == [], f"{path.name}: {leftover[:10]}"


def test_autoescape_and_strict_undefined_for_j2_templates():
    env = environment()
    assert env.autoescape is True
    tpl = env.from_string("{{ x }}")
    assert tpl.render(x="<b>") == "&lt;b&gt;"
    with pytest.raises(Exception):
        tpl.render()


def test_every_rule_carries_its_fix_hint_in_both_languages_and_a_fallback_exists():
    from checks.registry import all_rules

    for rule in all_rules().values():
        assert rule.perbaikan_id.strip() and rule.perbaikan_en.strip(), rule.id
        assert rule.perbaikan_id != rule.perbaikan_en, rule.id
    for lang in ("id", "en"):
        assert "perbaikan.lain" in load_messages(lang)
    assert (MESSAGES_DIR / "id.yaml").is_file() and Path(MESSAGES_DIR / "en.yaml").is_file()
