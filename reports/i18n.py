"""The reports' translator: the message catalogs and formatters of `core.i18n`, plus the texts
each rule module holds about itself (title and fix hint, both languages)."""

from __future__ import annotations

from checks.registry import all_rules
from core.i18n import MESSAGES_DIR, load_messages
from core.i18n import Translator as _Translator

__all__ = ["MESSAGES_DIR", "Translator", "load_messages"]


class Translator(_Translator):
    def rule_title(self, rule_id: str) -> str:
        rule = all_rules().get(rule_id)
        return rule.judul(self.lang) if rule is not None else rule_id

    def fix_hint(self, rule_id: str) -> str:
        rule = all_rules().get(rule_id)
        return rule.perbaikan(self.lang) if rule is not None else self("perbaikan.lain")
