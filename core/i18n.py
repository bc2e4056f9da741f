"""Message catalogs and locale-aware formatting: the one mechanism for every text a user reads in
the run's language (reports, emails, "not checked" reasons). Rule texts live in each rule module.

Every string a reader sees comes from `core/messages/<lang>.yaml` (templates hold none);
numbers and dates go through Babel so Indonesian readers get `33,38` and `27 Februari 2024`.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

from core.outcomes import UsageError

MESSAGES_DIR = Path(__file__).parent / "messages"
LANGUAGES = ("id", "en")

#: Babel locale per report language.
LOCALES = {"id": "id_ID", "en": "en_GB"}


def _flatten(prefix: str, node: Any, out: dict[str, str]) -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            _flatten(f"{prefix}.{k}" if prefix else str(k), v, out)
    else:
        out[prefix] = str(node)


@lru_cache(maxsize=None)
def load_messages(lang: str) -> dict[str, str]:
    """The catalog of `lang` as flat dotted keys (`laporan.skor.klaim`)."""
    if lang not in LANGUAGES:
        raise UsageError(
            f"Bahasa laporan '{lang}' tidak tersedia (tersedia: {', '.join(LANGUAGES)})",
            f"Report language '{lang}' not available (available: {', '.join(LANGUAGES)})",
        )
    data = yaml.safe_load((MESSAGES_DIR / f"{lang}.yaml").read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    _flatten("", data, out)
    return out


@lru_cache(maxsize=65_536)
def _decimal(value: float | int, fmt: str, locale: str) -> str:
    """Babel's `format_decimal`, remembered: a national run formats the same few thousand
    numbers (counts, points) hundreds of thousands of times, ~45 µs each."""
    return format_decimal(value, format=fmt, locale=locale)


def _missing(x: Any) -> bool:
    """None, NaN, NA and NaT are all "no value" to a reader."""
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


class Translator:
    """`t(key, **values)` plus number/date formatters for one language."""

    def __init__(self, lang: str = "id"):
        self.lang = lang
        self.locale = LOCALES[lang] if lang in LOCALES else lang
        self.messages = load_messages(lang)

    def has(self, key: str) -> bool:
        return key in self.messages

    def __call__(self, key: str, **values: Any) -> str:
        try:
            text = self.messages[key]
        except KeyError:  # a missing key is a bug in our catalog: fail loudly in tests
            raise KeyError(f"message '{key}' missing from core/messages/{self.lang}.yaml") from None
        return text.format(**values) if values else text

    # -- numbers -------------------------------------------------------------------------
    def num(self, x: Any, digits: int = 2) -> str:
        """`33,38` (id) / `33.38` (en); an em dash for missing values."""
        if _missing(x):
            return self("umum.tidak_ada")
        fmt = "#,##0." + "0" * digits if digits else "#,##0"
        return _decimal(float(x), fmt, self.locale)

    def signed(self, x: Any, digits: int = 2) -> str:
        if _missing(x):
            return self("umum.tidak_ada")
        s = self.num(abs(float(x)), digits)
        return ("+" if float(x) > 0 else "−" if float(x) < 0 else "") + s

    def int(self, x: Any) -> str:
        if _missing(x):
            return self("umum.tidak_ada")
        return _decimal(int(x), "#,##0", self.locale)

    def pct(self, x: Any, digits: int = 2) -> str:
        if _missing(x):
            return self("umum.tidak_ada")
        return self("umum.persen", n=self.num(x, digits))

    # -- dates ---------------------------------------------------------------------------
    def date(self, d: date | datetime | None) -> str:
        if d is None or _missing(d):
            return self("umum.tidak_ada")
        if isinstance(d, datetime):
            d = d.date()
        return format_date(d, "d MMMM y", locale=self.locale)

    def datetime(self, dt: datetime | None) -> str:
        if dt is None or _missing(dt):
            return self("umum.tidak_ada")
        return format_datetime(dt, "d MMMM y HH.mm" if self.lang == "id" else "d MMMM y HH:mm", locale=self.locale)

    def date_short(self, d: date | datetime | None) -> str:
        """`30 Nov 2026`: a date in a narrow column."""
        if d is None or _missing(d):
            return self("umum.tidak_ada")
        if isinstance(d, datetime):
            d = d.date()
        return format_date(d, "d MMM y", locale=self.locale)

    def datetime_short(self, dt: datetime | None) -> str:
        """`30 Nov 2026 14.22`: a label in a narrow column (the trend charts)."""
        if dt is None or _missing(dt):
            return self("umum.tidak_ada")
        return format_datetime(dt, "d MMM y HH.mm" if self.lang == "id" else "d MMM y HH:mm", locale=self.locale)
