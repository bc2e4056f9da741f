"""Small vectorized helpers shared by the LKP/BKT/KNS rules (not rules themselves)."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import pandas as pd

from checks.context import RuleContext

#: The two tables of indicator rows: SID (per innovation) and SPD (per Pemda).
INDIKATOR_TABLES: tuple[str, ...] = ("indikator_inovasi", "indikator_pemda")

_URL_RE = r"^\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*:|www\.)"
_EXT_ALIAS = {"jpeg": "jpg"}


def tables_with(ctx: RuleContext, *columns: str) -> list[str]:
    """The indicator tables present in the export that have every `columns`."""
    return [t for t in INDIKATOR_TABLES if all(ctx.has(t, c) for c in columns) and ctx.has(t)]


def looks_like_link(values: pd.Series) -> pd.Series:
    """A URL-ish text (any `scheme:` or `www.`): evidence given as a link, not a file."""
    s = values.astype(object).where(values.notna(), None)
    return s.str.match(_URL_RE, na=False).astype(bool) & ~s.str.match(r"^[a-zA-Z]:[\\/]", na=False).astype(bool)


def evidence_type(df: pd.DataFrame) -> pd.Series:
    """Effective evidence type per row: `Jenis File`, or when empty the file name's extension
    (lower-case, `jpeg` → `jpg`); a URL counts as `link`. NA when neither says anything."""
    data = df["data_pendukung"] if "data_pendukung" in df else pd.Series(None, index=df.index, dtype=object)
    ext = data.astype(object).str.extract(r"\.([A-Za-z0-9]{1,5})\s*$", expand=False).str.lower().replace(_EXT_ALIAS)
    from_name = ext.where(~looks_like_link(data), "link")
    if "jenis_file" in df:
        given = df["jenis_file"].astype(object).str.strip().str.lower().replace(_EXT_ALIAS)
        out = given.where(given.notna() & (given != ""), from_name)
    else:
        out = from_name
    return out.astype(object).where(out.notna(), None)


def normalize_text(values: pd.Series) -> pd.Series:
    """Lower-case, whitespace collapsed, stripped (for identity of free text)."""
    return values.astype(object).str.lower().str.replace(r"\s+", " ", regex=True).str.strip()


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

    Returns the slots with `ada_baris` (a row exists, so the Parameter is what is missing)."""
    present = rows[key + ["parameter"]].copy()
    present["_dijawab"] = present["parameter"].notna()
    agg = present.groupby(key, dropna=False, sort=False)["_dijawab"].any().rename("_dijawab").reset_index()
    m = slots.merge(agg, on=key, how="left")
    miss = m[m["_dijawab"].ne(True)].copy()
    miss["ada_baris"] = miss["_dijawab"].notna()
    return miss.drop(columns="_dijawab")


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


@lru_cache(maxsize=65536)
def file_facts(path: str) -> tuple[bool, str | None, str | None]:
    """(exists, sha256, problem) for one evidence file; problem ∈ {None, 'unreadable', 'pdf_empty'}.

    Read once per distinct file (cached), never once per table row."""
    p = Path(path)
    if not p.is_file():
        return False, None, None
    try:
        data = p.read_bytes()
    except OSError:
        return True, None, "unreadable"
    digest = hashlib.sha256(data).hexdigest()
    suffix = p.suffix.lower()
    if suffix == ".pdf":
        return True, digest, _pdf_problem(p)
    if suffix in (".png",):
        return True, digest, None if data[:8] == b"\x89PNG\r\n\x1a\n" else "unreadable"
    if suffix in (".jpg", ".jpeg"):
        return True, digest, None if data[:3] == b"\xff\xd8\xff" else "unreadable"
    return True, digest, None


def _pdf_problem(p: Path) -> str | None:
    try:
        from pypdf import PdfReader

        reader = PdfReader(str(p))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception:  # noqa: BLE001
                return "unreadable"
        for page in reader.pages:
            if (page.extract_text() or "").strip():
                return None
            try:
                if len(page.images) > 0:
                    return None
            except Exception:  # noqa: BLE001
                continue
        return "pdf_empty"
    except Exception:  # noqa: BLE001 - a corrupt file is a finding, not a crash
        return "unreadable"


@lru_cache(maxsize=16384)
def pdf_text(path: str) -> str | None:
    """All text of a PDF (None when unreadable), read once per distinct file."""
    try:
        from pypdf import PdfReader

        reader = PdfReader(path)
        return "\n".join((page.extract_text() or "") for page in reader.pages)
    except Exception:  # noqa: BLE001
        return None


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


def word_count(values: pd.Series) -> pd.Series:
    """Words (runs of non-space) per text; missing text has 0 words."""
    return values.astype(object).str.count(r"\S+").fillna(0).astype("int64")


def as_int_parameter(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values.astype(object).where(values.notna(), None), errors="coerce")
