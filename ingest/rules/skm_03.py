"""SKM-03: a value outside the catalog's allowed set (`nilai_sah`), e.g. `Jenis = Teknologi`."""

from __future__ import annotations

from core.findings import Severity
from core.rules import ContractRule, Lookup, Predicate

#: Display names of the columns whose allowed values the catalog lists.
_KOLOM = {
    "inisiator": "Inisiator",
    "bentuk_inovasi": "Bentuk Inovasi",
    "jenis": "Jenis",
    "tahapan_inovasi": "Tahapan Inovasi",
    "video": "Video",
    "jenis_file": "Jenis File",
    "parameter": "Parameter",
    "basis": "Basis",
}


def _pilihan(catalog) -> dict:
    """The allowed set of the column each finding is about."""
    return {"pilihan": Lookup("kolom", {_KOLOM.get(k, k): " / ".join(v) for k, v in catalog.nilai_sah.items()})}


def cells(table, col, catalog) -> list[Predicate]:
    """A column the catalog lists allowed values for (`nilai_sah`) holds one of them (after
    `ingest.normalize.canonical_choices` fixed case and spacing)."""
    if col.name not in catalog.nilai_sah:
        return []
    allowed = set(catalog.nilai_sah[col.name])
    return [lambda s: s.isin(allowed)]


RULE = ContractRule(
    id="SKM-03",
    severity=Severity.WARNING,
    key=("tabel", "baris", "kolom"),
    judul_id="Nilai di luar pilihan resmi",
    judul_en="Value outside the allowed set",
    pesan_id=(
        "Kolom {kolom} baris {baris} (tabel {tabel}) berisi '{nilai}', yang tidak ada dalam pilihan resmi "
        "({pilihan}). Pilih salah satu nilai resmi di aplikasi IID."
    ),
    pesan_en=(
        "Column {kolom} row {baris} (table {tabel}) holds '{nilai}', which is not one of the official choices "
        "({pilihan}). Pick one of the official values in the IID app."
    ),
    perbaikan_id="Pilih salah satu nilai yang tersedia di aplikasi IID (sesuai pedoman).",
    perbaikan_en="Choose one of the values the IID application offers (per the guideline).",
    extra=_pilihan,
    cells=cells,
)
