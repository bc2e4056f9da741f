"""SKM-02: a date, number or code cannot be parsed (Pandera contract; the value is kept as NA)."""

from __future__ import annotations

from core.findings import Severity
from core.rules import ContractRule, Predicate
from ingest import normalize
from ingest.pemda import CODE_PATTERN

_PARSERS = normalize.parsers()


def _parses(parser) -> Predicate:
    return lambda s: parser(s).notna()


def _kode_form(s):
    return s.astype(str).str.fullmatch(CODE_PATTERN)


def cells(table, col, catalog) -> list[Predicate]:
    """A typed column's cells parse as its kind (date, number, year, …); codes, hashes and
    indicator numbers have their official form."""
    checks: list[Predicate] = []
    if col.kind in _PARSERS:
        checks.append(_parses(_PARSERS[col.kind]))
    if col.name == "kode_pemda":
        checks.append(_kode_form)
    if col.name == "sha256":
        checks.append(normalize.is_sha256)
    if col.name == "no_indikator":
        checks.append(normalize.is_indicator_no)
    return checks


RULE = ContractRule(
    id="SKM-02",
    severity=Severity.ERROR,
    key=("tabel", "baris", "kolom"),
    judul_id="Nilai tidak terbaca",
    judul_en="Unreadable value",
    pesan_id=(
        "Tabel {tabel} baris {baris}, kolom {kolom}: nilai '{nilai}' tidak dapat dibaca sebagai tanggal, angka "
        "atau kode, sehingga dianggap kosong. Tulis tanggal sebagai DD-MM-YYYY (mis. 27-02-2024), angka dengan "
        "koma atau titik desimal, dan kode dalam bentuk resminya (Kode Pemda 35.04, No Indikator 16 atau 2a)."
    ),
    pesan_en=(
        "Table {tabel} row {baris}, column {kolom}: the value '{nilai}' cannot be read as a date, number or code, "
        "so it counts as empty. Write dates as DD-MM-YYYY (e.g. 27-02-2024), numbers with a decimal comma or "
        "point, and codes in their official form (Kode Pemda 35.04, No Indikator 16 or 2a)."
    ),
    perbaikan_id="Isi tanggal sebagai DD-MM-YYYY dan angka tanpa teks tambahan.",
    perbaikan_en="Enter dates as DD-MM-YYYY and numbers without extra text.",
    cells=cells,
)
