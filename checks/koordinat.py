"""Read the coordinates operators type into the ``Koordinat`` column.

Why this module exists
----------------------
The IID form asks for the innovation's location as ``lat, lon`` but the field
is free text, so regional-government operators type (or paste) whatever their
screen shows them: a Google Maps URL, the ``7.87°S 112.52°E`` line of a phone
app, degrees-minutes-seconds from a GPS camera, Indonesian decimal commas
(``-7,325387, 112,731079``), labels such as ``Lintang: ... Bujur: ...``.  A
BSKDN verifier reads all of these without trouble, so flagging them as
"wrong" would be noise.  This module reads every such form, says which form it
was (``bentuk``), gives the standard text to paste (``nilai_standar``) and only
reports what a verifier would really object to: nothing readable
(``tidak_terbaca``), a point outside Indonesia (``di_luar``, usually a dropped
minus sign, with a ``saran``) or a text with two plausible readings
(``ambigu``).

Forms and the ``bentuk`` code (tried in this order; the first match wins, so
the order is also the precedence when several decorations apply):

1. ``url_maps``  Google Maps URL: ``!3d<lat>!4d<lon>`` data fragment (the
   place itself, preferred), ``?q=`` / ``query=`` / ``ll=``, then ``@lat,lon``
   (only the viewport centre, hence last).
2. ``dms``       degrees-minutes(-seconds) or degrees-decimal-minutes, signed or
   with hemisphere letters, optionally labelled.
3. ``label``     a label *before* each number: Lat/Latitude/Long/Longitude/Lng,
   Lintang/Bujur, ``L``, ``LS``/``LU``/``BT``/``BB``, or one pair label such as
   ``Koordinat:`` / ``Lat, Long:``.  Wins over decimal comma and hemisphere
   suffix (``Lintang: -7,4 ...`` is ``label``).
4. ``hemisfer``  a hemisphere letter *after* the number: N/S/E/W or Indonesian
   U/S/T/B, LU/LS/BT/BB; decimal point or comma.
5. ``zoom``      ``lat,lon,17z`` copied from the address bar.
6. ``desimal``   two plain numbers with decimal points (comma, semicolon or
   space between, optional parentheses).
7. ``desimal_koma`` Indonesian decimal commas: ``-7,3 112,7`` / ``-7,3; 112,7``
   or 3-4 comma-separated parts (see ``_read_comma_parts``).

Signs: a minus, a south/west letter (S, LS, W, B, BB, "Lintang Selatan",
"Bujur Barat") makes the value negative; north/east letters keep the typed sign
(a typed minus is rarely an accident, a template letter may be).

Whole degrees on both axes (``-7, 112``) are not a placeable point (a cell of
~110 km) and are ``tidak_terbaca``; the single exception is an all-zero pair
(``0, 0``), the classic placeholder, which is read so it surfaces as
``di_luar``.

Everything runs on the *distinct* values with pandas ``.str`` methods, so a
40,000-row export with many repeated values costs a handful of regex passes.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from core.tables import NO_VALUE_MARKERS, TABLES

__all__ = ["BOUNDS_INDONESIA", "STATUSES", "BENTUK", "read_coordinates"]

BOUNDS_INDONESIA: dict[str, float] = dict(lat_min=-11.0, lat_max=6.0, lon_min=95.0, lon_max=141.0)

STATUSES: tuple[str, ...] = ("kosong", "standar", "nonstandar", "tidak_terbaca", "di_luar", "ambigu")
BENTUK: tuple[str, ...] = ("url_maps", "dms", "label", "hemisfer", "zoom", "desimal", "desimal_koma")

_COLUMNS = ["status", "lat", "lon", "bentuk", "standar", "nilai_standar", "saran", "alternatif"]

# Markers operators use for "nothing here" (compared after normalising, lower case): the
# project's one list plus the Koordinat column's own (`core.tables`: "tidak ada"), as ingest
# applies them. "0" is deliberately absent: it is a (bad) value, not an empty marker.
_EMPTY = NO_VALUE_MARKERS | set(TABLES["daftar_inovasi"].column("koordinat").kosong)

# Exactly the standard text, checked on the raw value: a leading ' or a unicode
# minus already makes it non-standard.
_STANDARD_RE = re.compile(r"\s*-?\d+\.\d+, ?-?\d+\.\d+\s*")

# ---------------------------------------------------------------- normalising
_CHAR_MAP: dict[str, str] = {
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\t": " ",
    "\u200b": "", "\ufeff": "",
    "\u2212": "-", "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
    "\u2014": "-", "\ufe63": "-", "\uff0d": "-",
    "\uf0b0": "°", "\u00ba": "°", "*": "°", "\u02da": "°",
    "\u2019": "'", "\u2018": "'", "\u2032": "'", "\u00b4": "'", "`": "'",
    "\u201d": '"', "\u201c": '"', "\u2033": '"',
}
_CHAR_RE = "[" + re.escape("".join(_CHAR_MAP)) + "]"


def _normalise(raw: pd.Series) -> pd.Series:
    """Undo what spreadsheets and keyboards do to a coordinate, keep its meaning."""
    s = raw.str.replace(_CHAR_RE, lambda m: _CHAR_MAP[m.group(0)], regex=True)
    s = s.str.strip().str.replace(r"^'", "", regex=True)  # Excel text marker
    s = s.str.replace("''", '"', regex=False)  # two primes = seconds
    s = s.str.replace(r"\s+", " ", regex=True).str.strip()
    # "- 8.16" -> "-8.16" at the start or after a colon / equals sign.
    return s.str.replace(r"(^|[:=])\s*-\s+(?=\d)", r"\1-", regex=True)


# ------------------------------------------------------------------- the forms
_LAT_LABEL = r"latitude|latitud|lat|lintang\s+selatan|lintang\s+utara|lintang|ls|lu|l"
_LON_LABEL = r"longitude|longitud|long|lng|lon|bujur\s+timur|bujur\s+barat|bujur|bt|bb"
_LAT_HEM = r"ls|lu|n|s|u"
_LON_HEM = r"bt|bb|e|w|t|b"
_NEGATIVE = frozenset({"s", "ls", "w", "b", "bb", "lintang selatan", "bujur barat"})

# Between the two axes: punctuation, a space, or nothing after a letter/°/quote.
_SEP = r"(?:\s*[,;/]\s*|\s+|(?<=[^\d.,\s]))"
_NO_LABEL = r"(?!)"  # never matches: the hemisphere form has letters after, not before
_NUM_PT = r"\d{1,3}\.\d+"  # decimal point required (URLs, zoom)
_NUM_PLAIN = r"\d{1,3}(?:\.\d+)?"


def _axis(ax: str, label: str, hem: str, *, label_req: bool, hem_req: bool, dms: bool) -> str:
    """One axis: [label] [-] number (or D°M'S") [°] [hemisphere letter]."""
    pre = rf"(?:(?P<{ax}_pre>{label})(?![a-z])\.?\s*[:=]?\s*)" + ("" if label_req else "?")
    if dms:
        num = (
            rf"(?P<{ax}_d>\d{{1,3}})\s*°\s*(?P<{ax}_m>\d{{1,2}}(?:[.,]\d+)?)\s*'\s*"
            rf"(?:(?P<{ax}_s>\d{{1,2}}(?:[.,]\d+)?)\s*\"\s*)?"
        )
    else:
        num = rf"(?P<{ax}_d>\d{{1,3}}(?:[.,]\d+)?)\s*°?\s*"
    suf = rf"(?:(?P<{ax}_suf>{hem})(?![a-z])\.?)" + ("" if hem_req else "?")
    return pre + rf"(?P<{ax}_sg>-)?\s*" + num + suf


def _pair(lat: str, lon: str) -> str:
    return rf"^{lat}{_SEP}{lon}\s*$"


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_PLAIN_PAIR = (
    rf"\(?\s*(?P<lat_sg>-)?(?P<lat_d>{_NUM_PLAIN})\s*(?:[,;]\s*|\s+)"
    rf"(?P<lon_sg>-)?(?P<lon_d>{_NUM_PLAIN})\s*\)?"
)

# (bentuk, regex) tried in order; every regex names lat_d / lon_d (+ optional
# _sg sign, _m minutes, _s seconds, _pre label, _suf hemisphere letter).
_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("url_maps", _rx(
        rf"!3d(?P<lat_sg>-)?(?P<lat_d>{_NUM_PLAIN})!4d(?P<lon_sg>-)?(?P<lon_d>{_NUM_PLAIN})")),
    ("url_maps", _rx(
        rf"[?&](?:q|query|ll|center|destination|daddr)=(?:loc:)?\s*(?P<lat_sg>-)?(?P<lat_d>{_NUM_PT})"
        rf"\s*(?:,|%2C)(?:\s|\+|%20)*(?P<lon_sg>-)?(?P<lon_d>{_NUM_PT})")),
    ("url_maps", _rx(
        rf"^(?=.*(?:https?://|www\.|maps|google)).*?@(?P<lat_sg>-)?(?P<lat_d>{_NUM_PT}),"
        rf"(?P<lon_sg>-)?(?P<lon_d>{_NUM_PT})")),
    ("dms", _rx(_pair(
        _axis("lat", _LAT_LABEL, _LAT_HEM, label_req=False, hem_req=False, dms=True),
        _axis("lon", _LON_LABEL, _LON_HEM, label_req=False, hem_req=False, dms=True)))),
    ("label", _rx(_pair(
        _axis("lat", _LAT_LABEL, _LAT_HEM, label_req=True, hem_req=False, dms=False),
        _axis("lon", _LON_LABEL, _LON_HEM, label_req=False, hem_req=False, dms=False)))),
    ("label", _rx(
        r"^(?:(?:titik\s+)?koordinat|lat(?:itude)?\s*[/,&]\s*(?:long(?:itude)?|lng|lon)"
        r"|lintang\s*[/,&]\s*bujur)\s*[:=]?\s*" + _PLAIN_PAIR + "$")),
    ("hemisfer", _rx(_pair(
        _axis("lat", _NO_LABEL, _LAT_HEM, label_req=False, hem_req=True, dms=False),
        _axis("lon", _NO_LABEL, _LON_HEM, label_req=False, hem_req=False, dms=False)))),
    ("zoom", _rx(
        rf"^@?(?P<lat_sg>-)?(?P<lat_d>{_NUM_PT})\s*,\s*(?P<lon_sg>-)?(?P<lon_d>{_NUM_PT})"
        r"\s*,\s*\d+(?:\.\d+)?z$")),
    ("desimal", _rx("^" + _PLAIN_PAIR + "$")),
    ("desimal_koma", _rx(
        r"^\(?\s*(?P<lat_sg>-)?(?P<lat_d>\d{1,3}[.,]\d+)(?:\s*;\s*|\s+)"
        r"(?P<lon_sg>-)?(?P<lon_d>\d{1,3}[.,]\d+)\s*\)?$")),
)

# 3 or 4 comma-separated numbers: decimal commas mixed with the separator comma.
_COMMA_PARTS = re.compile(
    r"^\(?\s*(?P<p1>-?\d{1,3}(?:\.\d+)?)\s*,\s*(?P<p2>-?\d+(?:\.\d+)?)\s*,\s*"
    r"(?P<p3>-?\d+(?:\.\d+)?)(?:\s*,\s*(?P<p4>-?\d+(?:\.\d+)?))?\s*\)?$"
)


# ------------------------------------------------------------------- helpers
def _to_float(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s.astype(object).str.replace(",", ".", regex=False), errors="coerce")


def _full(s: pd.Series, pattern: str) -> pd.Series:
    """Boolean fullmatch where a missing group simply does not match."""
    return s.astype(object).fillna("").str.fullmatch(pattern).astype(bool)


def _axis_value(g: pd.DataFrame, ax: str) -> pd.Series:
    """Signed decimal degrees of one axis; NaN when minutes/seconds are >= 60."""
    zero = pd.Series(0.0, index=g.index)
    mins = _to_float(g[f"{ax}_m"]).fillna(0.0) if f"{ax}_m" in g else zero
    secs = _to_float(g[f"{ax}_s"]).fillna(0.0) if f"{ax}_s" in g else zero
    value = _to_float(g[f"{ax}_d"]) + mins / 60 + secs / 3600
    negative = g[f"{ax}_sg"].notna()
    for part in (f"{ax}_pre", f"{ax}_suf"):
        if part in g:
            letters = g[part].astype(object).str.lower().str.replace(r"\s+", " ", regex=True)
            negative |= letters.isin(_NEGATIVE)
    return value.mask(negative, -value).where((mins < 60) & (secs < 60))


def _is_whole(g: pd.DataFrame, ax: str) -> pd.Series:
    """No decimals and no minutes: a whole degree."""
    whole = ~g[f"{ax}_d"].str.contains(r"[.,]", regex=True)
    return whole & g[f"{ax}_m"].isna() if f"{ax}_m" in g else whole


def _inside(lat: pd.Series, lon: pd.Series, b: dict[str, float]) -> pd.Series:
    return lat.between(b["lat_min"], b["lat_max"]) & lon.between(b["lon_min"], b["lon_max"])


def _fmt_num(x: pd.Series) -> pd.Series:
    """Up to 6 decimals, trailing zeros stripped, at least one decimal digit."""
    if x.empty:
        return pd.Series([], index=x.index, dtype=object)
    arr = np.round(x.to_numpy(dtype=float), 6) + 0.0  # + 0.0 turns -0.0 into 0.0
    txt = pd.Series(np.char.mod("%.6f", arr), index=x.index, dtype=object)
    return txt.str.rstrip("0").str.replace(r"\.$", ".0", regex=True)


def _std_text(lat: pd.Series, lon: pd.Series) -> pd.Series:
    return _fmt_num(lat) + ", " + _fmt_num(lon)


# ------------------------------------------------------------------- reading
def _read_comma_parts(text: pd.Series, b: dict[str, float]) -> pd.DataFrame:
    """Decimal commas that collide with the separator comma.

    Four parts ``a,b,c,d`` read as ``a.b, c.d``.  Three parts ``p1,p2,p3`` have
    two readings: A = (p1, p2.p3) and B = (p1.p2, p3); a reading is possible
    only if the parts it joins are plain digits (and p1 has no point for B).
    One possible reading is taken as is; with two, the one inside the bounds
    wins, and if both or neither are inside the value is ``ambigu``.
    """
    g = text.str.extract(_COMMA_PARTS).dropna(subset=["p1"])
    out = pd.DataFrame({"lat": np.nan, "lon": np.nan, "ambigu": False, "alternatif": None},
                       index=g.index)
    if g.empty:
        return out
    p1, p2, p3, p4 = (g[c] for c in ("p1", "p2", "p3", "p4"))
    int1, int3 = _full(p1, r"-?\d+"), _full(p3, r"-?\d+")
    dig2, dig3 = _full(p2, r"\d+"), _full(p3, r"\d+")
    four = p4.notna()
    ok4 = four & int1 & dig2 & int3 & _full(p4, r"\d+")
    lat4, lon4 = _to_float(p1 + "." + p2), _to_float(p3 + "." + p4)

    ok_a = ~four & _full(p2, r"-?\d+") & dig3
    ok_b = ~four & int1 & dig2
    lat_a, lon_a = _to_float(p1), _to_float(p2 + "." + p3)
    lat_b, lon_b = _to_float(p1 + "." + p2), _to_float(p3)
    in_a, in_b = ok_a & _inside(lat_a, lon_a, b), ok_b & _inside(lat_b, lon_b, b)
    take_a = ok_a & (~ok_b | (in_a & ~in_b))
    take_b = ok_b & (~ok_a | (in_b & ~in_a))
    both = ok_a & ok_b & ~take_a & ~take_b

    out["lat"] = np.select([ok4, take_a, take_b], [lat4, lat_a, lat_b], np.nan)
    out["lon"] = np.select([ok4, take_a, take_b], [lon4, lon_a, lon_b], np.nan)
    out["ambigu"] = both
    out["alternatif"] = (_std_text(lat_a, lon_a) + " atau " + _std_text(lat_b, lon_b)).where(both, None)
    return out[ok4 | take_a | take_b | both]


def _read_distinct(raw: pd.Series, b: dict[str, float]) -> pd.DataFrame:
    """The full answer for distinct, non-missing values (object Series of str)."""
    text = _normalise(raw)
    kosong = text.str.lower().isin(_EMPTY)
    lat = pd.Series(np.nan, index=raw.index)
    lon = pd.Series(np.nan, index=raw.index)
    bentuk = pd.Series(None, index=raw.index, dtype=object)
    ambigu = pd.Series(False, index=raw.index)
    alternatif = pd.Series(None, index=raw.index, dtype=object)

    todo = ~kosong
    for code, rx in _FORMS:
        if not todo.any():
            break
        g = text[todo].str.extract(rx).dropna(subset=["lat_d", "lon_d"])
        if g.empty:
            continue
        la, lo = _axis_value(g, "lat"), _axis_value(g, "lon")
        whole = _is_whole(g, "lat") & _is_whole(g, "lon") & ~((la == 0) & (lo == 0))
        good = ~whole & la.notna() & lo.notna()
        # A matching but unusable value (whole degrees, 75 minutes) stays claimed:
        # later, looser forms must not reinterpret it.
        lat[g.index[good]], lon[g.index[good]] = la[good], lo[good]
        bentuk[g.index[good]] = code
        todo[g.index] = False

    parts = _read_comma_parts(text[todo], b)
    lat[parts.index], lon[parts.index] = parts["lat"], parts["lon"]
    bentuk[parts.index] = "desimal_koma"
    ambigu[parts.index] = parts["ambigu"]
    alternatif[parts.index] = parts["alternatif"]

    read = lat.notna() & lon.notna()
    inside = _inside(lat, lon, b)
    standar = _full(raw, _STANDARD_RE.pattern) & ~kosong
    status = np.select(
        [kosong, ambigu, ~read, inside & standar, inside],
        ["kosong", "ambigu", "tidak_terbaca", "standar", "nonstandar"],
        "di_luar",
    )

    # di_luar: suggest the first fix that lands inside (dropped minus sign,
    # then swapped order, then swapped with the minus dropped).
    outside = read & ~inside
    fixes = [(-lat, lon), (lon, lat), (-lon, lat)]
    conds = [outside & _inside(fl, fo, b) for fl, fo in fixes]
    s_lat = pd.Series(np.select(conds, [f[0] for f in fixes], np.nan), index=raw.index)
    s_lon = pd.Series(np.select(conds, [f[1] for f in fixes], np.nan), index=raw.index)

    res = pd.DataFrame(index=raw.index)
    res["status"] = pd.Series(status, index=raw.index, dtype=object)
    res["lat"], res["lon"] = lat.where(read), lon.where(read)
    res["bentuk"] = bentuk.where(read | ambigu, None)
    res["standar"] = standar.astype(bool)
    res["nilai_standar"] = _std_text(lat, lon).where(read, None)
    res["saran"] = _std_text(s_lat, s_lon).where(s_lat.notna(), None)
    res["alternatif"] = alternatif.where(ambigu, None)
    return res


def read_coordinates(
    values: pd.Series,
    *,
    lat_min: float = -11.0,
    lat_max: float = 6.0,
    lon_min: float = 95.0,
    lon_max: float = 141.0,
) -> pd.DataFrame:
    """Read a ``Koordinat`` column; index = values.index, one row per input value.

    Columns: status, lat, lon, bentuk, standar, nilai_standar, saran, alternatif
    (see the module docstring).  Bounds are inclusive.  Each distinct value is
    read once and the answer is mapped back, so repeated values are free.
    """
    bounds = dict(lat_min=lat_min, lat_max=lat_max, lon_min=lon_min, lon_max=lon_max)
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    raw = pd.Series(np.asarray(uniques, dtype=object), dtype=object).astype(str)
    table = _read_distinct(raw, bounds)
    # One extra row for missing values (None, NaN, pd.NA): kosong.
    missing = pd.DataFrame(
        {"status": ["kosong"], "lat": [np.nan], "lon": [np.nan], "bentuk": [None],
         "standar": [False], "nilai_standar": [None], "saran": [None], "alternatif": [None]},
        index=[len(table)],
    )
    if len(table):
        table = pd.concat([table.reset_index(drop=True), missing])
    else:
        table = missing.reset_index(drop=True)
    pos = np.where(codes < 0, len(table) - 1, codes)
    out = table.iloc[pos][_COLUMNS].reset_index(drop=True)
    out.index = values.index
    out = out.astype({"status": object, "lat": "float64", "lon": "float64", "standar": bool,
                      "bentuk": object, "nilai_standar": object, "saran": object, "alternatif": object})
    return out
