"""SKM-02: a date, number or code cannot be parsed (Pandera contract; the value is kept as NA)."""

from core.findings import Severity
from checks.registry import ContractRule

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
)
