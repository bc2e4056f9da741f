"""What a Regulasi document says about itself, read from its text (BKT-10): its number and year
("Peraturan Bupati Tulungagung Nomor 12 Tahun 2025", "NOMOR : 188/45/KEP/2025") and the date it
was enacted ("Ditetapkan di Tulungagung pada tanggal 12 Maret 2026").

Plain functions of text, no file access: the text comes from the evidence facts (read once,
cached across nights), so a warm night parses the cached text and opens no PDF.

The number is looked for in the regulation's heading, before "Menimbang"/"Mengingat"/
"Memperhatikan": what follows cites other laws ("Undang-Undang Nomor 23 Tahun 2014"), which
are not the document's own number. A text without that heading is searched whole.
"""

from __future__ import annotations

import re
from datetime import date

from core import settings as limits
from ingest.normalize import MONTHS

#: "Nomor 12 Tahun 2025", "NOMOR : 188/45/KEP/2025", "No. 7 Tahun 2024": a number starts with a digit.
_NOMOR = re.compile(
    r"\b(?:nomor|no\.)\s*[:.]?\s*(?P<nomor>\d[0-9A-Za-z./\-]*)(?:\s*,?\s*tahun\s+(?P<tahun>(?:19|20)\d{2}))?",
    re.IGNORECASE,
)
#: A bare code as `Nomor Dokumen` may hold it, without the word Nomor: "188.45/123/KPTS/418.12/2025".
_KODE = re.compile(r"^\d[0-9A-Za-z.\-]*(?:/[0-9A-Za-z.\-]+)+$")
_HEADING_END = re.compile(r"\b(?:menimbang|mengingat|memperhatikan)\b", re.IGNORECASE)
_YEAR = re.compile(r"(?:19|20)\d{2}")


def _date_pattern() -> re.Pattern:
    window = limits.REGULASI_DATE_WINDOW_CHARS
    return re.compile(
        r"\b(?:ditetapkan|diundangkan)\b.{0,%d}?\btanggal\s+(?P<d>\d{1,2})\s+(?P<m>[A-Za-z]+)\.?\s+(?P<y>(?:19|20)\d{2})"
        % window,
        re.IGNORECASE | re.DOTALL,
    )


#: (number as normalized text, year or None): what identifies a regulation.
Nomor = tuple[str, "int | None"]


def _norm(nomor: str) -> str:
    """Upper case, no spaces, no trailing punctuation, no leading zeros in numeric parts
    ("012/kpts/2025." → "12/KPTS/2025")."""
    s = re.sub(r"\s+", "", nomor).strip(".-/,;:").upper()
    return re.sub(r"(?<![0-9A-Z])0+(?=\d)", "", s)


def _nomor(m: re.Match) -> Nomor:
    nomor = _norm(m.group("nomor"))
    if m.group("tahun"):
        return nomor, int(m.group("tahun"))
    years = [p for p in nomor.split("/") if _YEAR.fullmatch(p)]
    return nomor, int(years[-1]) if years else None


def document_numbers(text: str | None) -> list[Nomor]:
    """Every (number, year) the regulation's heading names, in order: the first is its own."""
    if not text:
        return []
    end = _HEADING_END.search(text)
    head = text[: end.start()] if end else text
    return [_nomor(m) for m in _NOMOR.finditer(head)]


def stated_number(nomor_dokumen: str | None) -> Nomor | None:
    """The (number, year) the export's `Nomor Dokumen` states: after the word Nomor, or the
    whole cell when it is a bare code; None when it states none (a name only, or empty)."""
    if not nomor_dokumen or not str(nomor_dokumen).strip():
        return None
    text = str(nomor_dokumen).strip()
    m = _NOMOR.search(text)
    if m:
        return _nomor(m)
    if _KODE.match(text):
        nomor = _norm(text)
        years = [p for p in nomor.split("/") if _YEAR.fullmatch(p)]
        return nomor, int(years[-1]) if years else None
    return None


def same_number(a: Nomor, b: Nomor) -> bool:
    """Same number, and same year when both say one."""
    return a[0] == b[0] and (a[1] is None or b[1] is None or a[1] == b[1])


def show_number(n: Nomor) -> str:
    """How a message writes it, after "bernomor": "12 Tahun 2025", or "188/45/KEP/2025" when
    the year is already inside the code."""
    nomor, tahun = n
    if tahun is None or "/" in nomor:
        return nomor
    return f"{nomor} Tahun {tahun}"


def enactment_dates(text: str | None) -> list[tuple[date, str]]:
    """Each date the text is "ditetapkan"/"diundangkan" on, with its words as written
    ("12 Maret 2026"); impossible dates (31 Februari) and unknown month names are skipped."""
    if not text:
        return []
    out = []
    for m in _date_pattern().finditer(text):
        month = MONTHS.get(m.group("m").casefold())
        if month is None:
            continue
        try:
            d = date(int(m.group("y")), month, int(m.group("d")))
        except ValueError:
            continue
        out.append((d, f"{int(m.group('d'))} {m.group('m')} {m.group('y')}"))
    return out
