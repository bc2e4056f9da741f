"""Small vectorized helpers shared by the LKP/BKT/KNS rules (not rules themselves)."""

from __future__ import annotations

import functools
import re
import weakref
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from checks.context import RuleContext
from ingest.normalize import on_uniques

#: The two tables of indicator rows: SID (per innovation) and SPD (per Pemda).
INDIKATOR_TABLES: tuple[str, ...] = ("indikator_inovasi", "indikator_pemda")

#: A URL-ish text: any `scheme:` or `www.` (spaces before it aside), but not a Windows path
#: (`C:\\...`, `C:/...` at the very start).
_LINK_RE = re.compile(r"(?![a-zA-Z]:[\\/])\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*:|www\.)")
_EXT_ALIAS = {"jpeg": "jpg"}


def tables_with(ctx: RuleContext, *columns: str) -> list[str]:
    """The indicator tables present in the export that have every `columns`."""
    return [t for t in INDIKATOR_TABLES if all(ctx.has(t, c) for c in columns) and ctx.has(t)]


def per_frame(fn: Callable[[pd.DataFrame], pd.Series]) -> Callable[[pd.DataFrame], pd.Series]:
    """`fn(table)` computed once per table object of the run, however many rules ask: several
    BKT rules and their GX derived columns need the evidence type of 750,000 rows, a few
    regular expressions each. Rules never change the export's tables, so the result stays
    true for the frame's life; the entry goes with the frame. Callers must not mutate it."""
    cache: dict[int, tuple[weakref.ref, pd.Series]] = {}

    @functools.wraps(fn)
    def memo(df: pd.DataFrame) -> pd.Series:
        key = id(df)
        hit = cache.get(key)
        if hit is not None and hit[0]() is df:
            return hit[1]
        out = fn(df)
        cache[key] = (weakref.ref(df, lambda _ref, k=key: cache.pop(k, None)), out)
        return out

    return memo


def looks_like_link(values: pd.Series) -> pd.Series:
    """A URL-ish text (any `scheme:` or `www.`): evidence given as a link, not a file. One
    expression matched per cell in a plain loop (pandas' `str.match`, twice, took 0.6 s for
    750,000 file names)."""
    match = _LINK_RE.match
    found = np.fromiter((isinstance(x, str) and match(x) is not None for x in values.to_numpy(dtype=object)),
                        dtype=bool, count=len(values))
    return pd.Series(found, index=values.index)


#: The common link: `http(s)://`, a plain host (letters, digits, dots, hyphens: no user, port
#: or brackets), then a path, query or fragment without a tab or line break, or nothing.
_PLAIN_LINK = re.compile(r"(?i:https?)://([A-Za-z0-9.-]*)(?:[/?#][^\t\r\n]*)?")


def plain_link_host(url: str) -> str | None:
    """The host of a plain `http(s)://host/...` link as `urlsplit` reads it (lower-cased; ""
    when there is none), without parsing the link (15 µs each, for the tens of thousands a
    night holds); None for any other text, which only `urlsplit` reads right."""
    plain = _PLAIN_LINK.fullmatch(url)
    return None if plain is None else plain.group(1).lower()


@per_frame
def link_evidence(df: pd.DataFrame) -> pd.Series:
    """Per row of an indicator table: its `Data Pendukung` is written as a link (`looks_like_link`)."""
    if "data_pendukung" not in df:
        return pd.Series(False, index=df.index)
    return looks_like_link(df["data_pendukung"])


@per_frame
def evidence_type(df: pd.DataFrame) -> pd.Series:
    """Effective evidence type per row: `Jenis File`, or when empty the file name's extension
    (lower-case, `jpeg` → `jpg`); a URL counts as `link`. NA when neither says anything."""
    data = df["data_pendukung"] if "data_pendukung" in df else pd.Series(None, index=df.index, dtype=object)
    if "jenis_file" in df:
        # once per distinct value: a handful of kinds in 750,000 rows
        given = on_uniques(df["jenis_file"], lambda u: u.astype(object).str.strip().str.lower()
                           .map(lambda k: _EXT_ALIAS.get(k, k))).astype(object)
        stated = given.notna() & (given != "")
    else:
        given, stated = pd.Series(None, index=df.index, dtype=object), pd.Series(False, index=df.index)
    # the file name is read only where `Jenis File` says nothing (nationally: few of 750,000 rows)
    rest = data[~stated].astype(object)
    ext = rest.str.extract(r"\.([A-Za-z0-9]{1,5})\s*$", expand=False).str.lower()
    ext = ext.map(lambda x: _EXT_ALIAS.get(x, x)) if len(ext) else ext  # (`replace` warns on all-missing)
    from_name = ext.where(~looks_like_link(rest), "link")
    out = given.where(stated, from_name.reindex(df.index))
    return out.astype(object).where(out.notna(), None)


def _collapsed(x: object) -> object:
    return " ".join(x.lower().split()) if isinstance(x, str) else np.nan


def normalize_text(values: pd.Series) -> pd.Series:
    """Lower-case, whitespace collapsed, stripped (for identity of free text). `str.split`
    and `join` per cell, not a regular expression: 110 MB of Rancang Bangun nationally in
    0.6 s instead of 2.4 s (the same whitespace: both follow `str.isspace`)."""
    return values.astype(object).map(_collapsed)


def assessed_pemda(ctx: RuleContext) -> pd.Series:
    """Codes of the assessed Pemda present anywhere in the export (DKI units excluded)."""
    from ingest.pemda import assessed_codes

    codes = pd.concat(
        [df["kode_pemda"] for df in ctx.export.tables.values() if "kode_pemda" in df.columns], ignore_index=True
    ).dropna().astype(str).drop_duplicates()
    ok = assessed_codes()
    return codes[codes.isin(ok)].sort_values().reset_index(drop=True)


def missing_slots(
    slots: pd.DataFrame, rows: pd.DataFrame, key: list[str]
) -> pd.DataFrame:
    """Slots (expected key combinations) with no row, or only rows without a Parameter.

    Returns the slots with `ada_baris` (a row exists, so the Parameter is what is missing),
    in slot order, indexed by their positions. Keys are compared as a merge compares them
    (equal values, a missing value equal to a missing one), as integer codes: the nation's
    738,000 slots against its 734,000 rows without grouping or joining their texts."""
    n = len(slots)
    codes = np.zeros(n + len(rows), dtype=np.int64)
    for c in key:
        both = np.concatenate([slots[c].to_numpy(dtype=object), rows[c].to_numpy(dtype=object)])
        part, values = pd.factorize(both, use_na_sentinel=False)
        codes, _ = pd.factorize(codes * len(values) + part)  # one code per distinct key so far
    at_slot, at_row = codes[:n], codes[n:]
    answered = np.isin(at_slot, at_row[rows["parameter"].notna().to_numpy()])
    miss = np.flatnonzero(~answered)
    out = slots.iloc[miss].copy()
    out.index = pd.Index(miss)
    out["ada_baris"] = np.isin(at_slot[miss], at_row)
    return out


# --- evidence files (BKT-09/BKT-10) -------------------------------------------------------

def safe_path(bukti_dir: Path, name: object) -> Path | None:
    """The file `name` inside `bukti_dir`, or None when the name escapes the folder."""
    if not isinstance(name, str) or not name.strip():
        return None
    base = Path(bukti_dir).resolve()
    p = (base / name.strip()).resolve()
    try:
        p.relative_to(base)
    except ValueError:
        return None
    return p


def distinct_map(values: pd.Series, fn) -> pd.Series:
    """`fn` applied once per distinct non-missing value, mapped back (vectorized fan-out)."""
    uniq = pd.unique(values.dropna())
    table = {v: fn(v) for v in uniq}
    return values.map(table)


_NUM = r"[-+−]?\d+(?:\.\d+)?"
_NUM_COMMA = r"[-+−]?\d+(?:,\d+)?"


def parse_koordinat(values: pd.Series) -> pd.DataFrame:
    """`lat, lon` text → floats (`-7.05, 111.9`, `-7.05;111.9`, `-7,05; 111,9`, `-7.05 111.9`)."""
    s = values.astype(object).where(values.notna(), None).str.strip()
    a = s.str.extract(rf"^\(?\s*({_NUM})\s*[,;\s]\s*({_NUM})\s*\)?$")
    b = s.str.extract(rf"^\(?\s*({_NUM_COMMA})\s*;\s*({_NUM_COMMA})\s*\)?$")
    lat = a[0].fillna(b[0].str.replace(",", ".", regex=False))
    lon = a[1].fillna(b[1].str.replace(",", ".", regex=False))
    conv = lambda x: pd.to_numeric(x.str.replace("−", "-", regex=False), errors="coerce")  # noqa: E731
    return pd.DataFrame({"lat": conv(lat), "lon": conv(lon)}, index=values.index)


def _words(x: object) -> int:
    return len(x.split()) if isinstance(x, str) else 0


def word_count(values: pd.Series) -> pd.Series:
    """Words (runs of non-space) per text; missing text has 0 words (`str.split` per cell:
    3× faster than counting a regular expression's matches)."""
    return values.astype(object).map(_words).astype("int64")


def as_int_parameter(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values.astype(object).where(values.notna(), None), errors="coerce")
