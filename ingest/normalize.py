"""Turning the text of an export into typed columns, vectorized over whole columns.

Every parser here takes a column of *cleaned text* (object dtype, missing = NaN, see
`clean_text`) and returns the typed column; a cell that has text but does not parse comes
back missing, and `ingest.contracts` reports it (SKM-02). Parsers work on the distinct
values of a column (`_on_uniques`) and map back, so a 750,000-row column with a few
thousand distinct dates costs a few thousand parses.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from core.tables import NO_VALUE_MARKERS, Table

# ---------------------------------------------------------------------------- helpers


def _on_uniques(s: pd.Series, fn: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """Apply a vectorized `fn` to the distinct non-missing values of `s`, then map back
    (missing stays missing)."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    parsed = fn(pd.Series(np.asarray(uniques, dtype=object), dtype=object)).reset_index(drop=True)
    na_row = pd.Series([np.nan], dtype=parsed.dtype)
    ext = pd.concat([parsed, na_row], ignore_index=True).to_numpy()
    return pd.Series(ext[codes], index=s.index, dtype=parsed.dtype)  # code -1 → the NA row


# ---------------------------------------------------------------------------- text


def clean_text(s: pd.Series, extra_markers: Iterable[str] = ()) -> pd.Series:
    """Stripped text; an empty marker (`core.tables.NO_VALUE_MARKERS`, plus the column's own
    `extra_markers`, any case) becomes missing (NaN), object dtype.

    A column whose values nearly all differ (file names, SHA-256, Rancang Bangun) is cleaned
    value by value: factorizing it first would hash every long string for no repeat to
    share (0.5 s instead of 0.14 s for 750,000 file names). Others go through their distinct
    values (`_on_uniques`). Both give the same column."""
    markers = NO_VALUE_MARKERS | frozenset(m.casefold() for m in extra_markers)
    # casefolding never shortens a text (no character folds to nothing), so a text longer than
    # every marker is none of them: 110 MB of Rancang Bangun are not casefolded to learn that
    longest = max(map(len, markers), default=0)

    def clean(values: np.ndarray) -> np.ndarray:
        out = np.empty(len(values), dtype=object)
        out[:] = [np.nan if len(t := str(v).strip()) <= longest and t.casefold() in markers else t for v in values]
        return out

    s = s.astype(object, copy=False)
    if not _mostly_distinct(s):  # factorize: None, NaN and pd.NA are all missing
        return _on_uniques(s, lambda u: pd.Series(clean(u.to_numpy()), dtype=object)).astype(object, copy=False)
    values = s.to_numpy(dtype=object)
    out = clean(values)
    out[pd.isna(values)] = np.nan
    return pd.Series(out, index=s.index, dtype=object)


#: How many values, drawn at random (rows come grouped by Pemda and innovation, so evenly
#: spaced ones would see a pattern, not the column), `_mostly_distinct` looks at, and the
#: share of them that must differ. Of 5,000 values, the innovation id of 750,000 indicator
#: rows (37,000 distinct, 20 rows each) shows ~93.5 % distinct and is factorized. A value
#: seen `HEAVY_IN_SAMPLE` times or more is a frequent one (`-`, an empty cell): it is set
#: aside first, so file names, SHA-256 and long texts written once, 10-15 % of them empty,
#: show ~100 % and are cleaned value by value (0.14 s for 750,000 instead of 0.31 s
#: factorized). Either path gives the same column; this only picks the cheaper one.
DISTINCT_SAMPLE = 5_000
DISTINCT_SHARE = 0.95
HEAVY_IN_SAMPLE = 3
#: A column whose sampled texts are this long on average is cleaned value by value whatever
#: its repeats: stripping a text looks at its ends only, hashing it (to factorize) reads all
#: of it (Rancang Bangun: 37,000 texts, 110 MB, 0.26 s factorized, 0.03 s value by value).
LONG_TEXT_CHARS = 200


def _mostly_distinct(s: pd.Series) -> bool:
    """Whether cleaning the values one by one costs less than through the distinct ones:
    nearly every value of a long column differs, a few frequent values aside, or its texts
    are long (judged on a sample)."""
    if len(s) < DISTINCT_SAMPLE:
        return False  # factorizing a short column costs next to nothing
    rows = np.random.default_rng(0).integers(0, len(s), DISTINCT_SAMPLE)  # seeded: same path each run
    sample = s.iloc[rows].dropna()
    if len(sample) and sum(len(v) for v in sample if isinstance(v, str)) > LONG_TEXT_CHARS * len(sample):
        return True
    counts = sample.value_counts()
    light = counts[counts < HEAVY_IN_SAMPLE]
    seen = int(light.sum())  # sampled values that are not frequent ones
    return seen > DISTINCT_SAMPLE // 2 and len(light) > DISTINCT_SHARE * seen


def header_key(name: object) -> str:
    """`Ukuran File (KB)` / `ukuran_file_kb` / ` UKURAN  file (kb) ` → `ukuran_file_kb`."""
    return "_".join(re.sub(r"[^0-9a-z]+", " ", str(name).casefold()).split())


def column_map(headers: Iterable[object], table: Table) -> dict[str, str]:
    """Source header → canonical name; unknown headers keep their normalized key.

    Display and snake_case names match case-insensitively with whitespace collapsed. A header
    repeated in the file gets a `_2`, `_3` suffix so no column is lost.
    """
    known = {header_key(c.display): c.name for c in table.columns}
    known.update({header_key(c.name): c.name for c in table.columns})
    out: dict[str, str] = {}
    seen: dict[str, int] = {}
    for i, h in enumerate(headers):
        key = header_key(h) or f"kolom_{i + 1}"
        name = known.get(key, key)
        seen[name] = seen.get(name, 0) + 1
        out[str(h)] = name if seen[name] == 1 else f"{name}_{seen[name]}"
    return out


def choice_key(s: pd.Series) -> pd.Series:
    """How allowed values compare: case-folded, `-`/`_` as space, whitespace collapsed."""
    return s.astype(str).str.casefold().str.replace(r"[\s_\-]+", " ", regex=True).str.strip()


def canonical_choices(s: pd.Series, allowed: Iterable[str]) -> pd.Series:
    """Values matching an allowed value loosely are rewritten to the catalog's spelling;
    other values stay as written (SKM-03 reports them)."""
    allowed = list(allowed)
    spelling = dict(zip(choice_key(pd.Series(allowed, dtype=object)), allowed))

    def fn(u: pd.Series) -> pd.Series:
        return choice_key(u).map(spelling).fillna(u).astype(object)

    return _on_uniques(s, fn).astype(object)


def parsers() -> dict[str, Callable[[pd.Series], pd.Series]]:
    """The parser of each typed column kind (`core.tables.Column.kind`): text → value or NA."""
    return {"date": parse_date, "number": parse_number, "int": parse_int}


def normalize_title(s: pd.Series) -> pd.Series:
    """Comparison form of an innovation title: case-folded, punctuation as space, collapsed.

    Used for SKM-05 (same innovation twice) and to match `Indikator Inovasi` rows to
    `Daftar Inovasi` by title.
    """

    def fn(u: pd.Series) -> pd.Series:
        t = u.astype(str).str.casefold().str.replace(r"[^\w]+", " ", regex=True)
        return t.str.replace(r"\s+", " ", regex=True).str.strip().astype(object)

    return _on_uniques(s, fn).astype(object)


# ---------------------------------------------------------------------------- numbers


def _number_text(u: pd.Series) -> pd.Series:
    """`Rp 1.500.000,00` → `1500000.00`; `33,38` → `33.38`; `33.38` stays. Digits with at most a
    decimal point (most cells) are left as they are without the dozen string passes below,
    which would leave them so too."""
    text = u.astype(str)
    plain = text.str.fullmatch(r"\d+(?:\.\d+)?").to_numpy(dtype=bool)
    if plain.all():
        return text
    text = text.copy()
    text[~plain] = _rewritten_number(text[~plain])
    return text


def _rewritten_number(t: pd.Series) -> pd.Series:
    t = t.str.replace(r"(?i)^\s*rp\.?\s*", "", regex=True).str.replace(r"[\s\u00a0]", "", regex=True)
    both = t.str.contains(",", regex=False) & t.str.contains(".", regex=False)
    comma_last = t.str.rfind(",") > t.str.rfind(".")
    many_dots = t.str.count(r"\.") > 1
    many_commas = t.str.count(",") > 1
    # Indonesian: `.` thousands, `,` decimal
    ind = (both & comma_last) | (~both & many_dots)
    t = t.where(~ind, t.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
    # English: `,` thousands, `.` decimal
    eng = (both & ~comma_last) | (~both & many_commas)
    t = t.where(~eng, t.str.replace(",", "", regex=False))
    # lone decimal comma
    t = t.str.replace(",", ".", regex=False)
    return t


def parse_number(s: pd.Series) -> pd.Series:
    """Decimal comma or point (and Indonesian thousands dots) → float64, NaN when unparseable."""
    if not len(s):
        return pd.Series([], index=s.index, dtype="float64")
    def fn(u: pd.Series) -> pd.Series:
        f = pd.to_numeric(_number_text(u), errors="coerce").astype("float64")
        return f.where(np.isfinite(f))  # `inf`, `1e999`: text, not a number anyone typed

    return _on_uniques(s, fn).astype("float64")


def parse_int(s: pd.Series) -> pd.Series:
    """Whole numbers (`12`, `12.0` from Excel) → Int64; fractional or unparseable → NA."""
    f = parse_number(s)
    whole = (f == np.floor(f)) & (f.abs() < 2**53)  # beyond 2**53 a float is no exact whole number
    return f.where(whole).round().astype("Int64")


# ---------------------------------------------------------------------------- dates

_MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "maret": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "agus": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "november": 11, "nov": 11, "nop": 11, "desember": 12, "des": 12,
    "dec": 12,
    # English long forms seen in mixed exports
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8,
    "october": 10, "december": 12,
}
_MONTH_RE = re.compile(r"^(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})$")
#: Month names (lower case, Indonesian long and short forms, English) → month number: also what
#: `checks.regulasi` reads a regulation's "pada tanggal 12 Maret 2026" with.
MONTHS: dict[str, int] = _MONTHS

#: Numeric date layouts, tried in this order on what is still unparsed.
DATE_FORMATS: tuple[str, ...] = ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%d.%m.%Y", "%Y/%m/%d")


def _parse_dates_unique(u: pd.Series) -> pd.Series:
    t = u.astype(str).str.strip()
    out = pd.Series(pd.NaT, index=t.index, dtype="datetime64[ns]")
    for fmt in DATE_FORMATS:
        todo = out.isna()
        if not todo.any():
            break
        out[todo] = pd.to_datetime(t[todo], format=fmt, errors="coerce")
    todo = out.isna()
    if todo.any():  # `27 Februari 2024`, `5 Okt 2025`, `1 Agustus 2024`
        parts = t[todo].str.casefold().str.extract(_MONTH_RE)
        month = parts[1].map(_MONTHS)
        num = parts[0] + "-" + month.astype("Int64").astype(str) + "-" + parts[2]
        num = num.where(month.notna())
        out[todo] = pd.to_datetime(num, format="%d-%m-%Y", errors="coerce")
    return out


def parse_date(s: pd.Series) -> pd.Series:
    """`DD-MM-YYYY`, `DD/MM/YYYY`, `YYYY-MM-DD` (also with the time Excel cells carry) and
    Indonesian long dates (`27 Februari 2024`, `5 Okt 2025`) → datetime64; NaT otherwise."""
    if not len(s):
        return pd.Series([], index=s.index, dtype="datetime64[ns]")
    return _on_uniques(s, _parse_dates_unique).astype("datetime64[ns]")


# ---------------------------------------------------------------------------- codes


def normalize_indicator_no(s: pd.Series) -> pd.Series:
    """`16`, `16.0` (Excel), ` 2A ` → `16`, `16`, `2a`; other text stays as written (stripped)."""

    def fn(u: pd.Series) -> pd.Series:
        t = u.astype(str).str.strip().str.casefold()
        t = t.str.replace(r"^(\d+)\.0+$", r"\1", regex=True).str.replace(r"^0+(\d)", r"\1", regex=True)
        return t.str.replace(r"^(\d+)\s+([a-z])$", r"\1\2", regex=True).astype(object)

    return _on_uniques(s, fn).astype(object)


def is_indicator_no(s: pd.Series) -> pd.Series:
    """Well-formed indicator numbers: digits with an optional letter (`16`, `2a`)."""
    return s.astype(str).str.fullmatch(r"\d{1,3}[a-z]?")


def normalize_parameter(s: pd.Series) -> pd.Series:
    """`2`, `2.0`, ` 2 ` → `2`; anything else stays as written."""
    return _on_uniques(s, lambda u: u.astype(str).str.strip().str.replace(r"^(\d+)\.0+$", r"\1", regex=True).astype(object)).astype(object)


def normalize_kode_pemda(s: pd.Series) -> pd.Series:
    """Kemendagri code text: `35.04` stays; `35.1` (Excel read `35.10` as a number) → `35.10`;
    `35.0` → `35`. Other text stays as written (SKM-02 reports it)."""

    def fn(u: pd.Series) -> pd.Series:
        t = u.astype(str).str.strip()
        t = t.str.replace(r"^(\d{2})\.0+$", r"\1", regex=True)
        return t.str.replace(r"^(\d{2})\.(\d)$", r"\g<1>.\g<2>0", regex=True).astype(object)

    return _on_uniques(s, fn).astype(object)


def normalize_jenis_file(s: pd.Series) -> pd.Series:
    """`PDF`, `.pdf` → `pdf` (the catalog spells file types lower-case)."""
    return _on_uniques(s, lambda u: u.astype(str).str.strip().str.casefold().str.lstrip(".").astype(object)).astype(object)


def is_sha256(s: pd.Series) -> pd.Series:
    return s.astype(str).str.fullmatch(r"[0-9a-fA-F]{64}")


#: Public name of the per-distinct-value helper (used by the contracts' checks).
on_uniques = _on_uniques
