"""SKM-06: an indicator row refers to an unknown innovation or an unknown indicator number."""

from core.findings import Severity
from checks.registry import ContractRule

RULE = ContractRule(
    id="SKM-06",
    severity=Severity.ERROR,
    key=("tabel", "baris"),
    judul_id="Rujukan indikator tidak dikenal",
    judul_en="Indicator row refers to nothing known",
    pesan_id=(
        "Tabel {tabel} baris {baris}: kolom {kolom} berisi '{nilai}', yang tidak merujuk ke inovasi di Daftar "
        "Inovasi atau ke nomor indikator dalam katalog (SID 16–35, SPD 1–15), sehingga baris ini tidak ikut "
        "dinilai. Perbaiki ID Inovasi / Judul Inovasi atau No Indikator agar sama dengan yang ada di aplikasi IID."
    ),
    pesan_en=(
        "Table {tabel} row {baris}: column {kolom} holds '{nilai}', which refers to no innovation of Daftar "
        "Inovasi or to no indicator number of the catalog (SID 16–35, SPD 1–15), so the row is not scored. "
        "Correct ID Inovasi / Judul Inovasi or No Indikator to match the IID app."
    ),
    perbaikan_id="Hubungkan indikator ke inovasi dan nomor indikator yang benar.",
    perbaikan_en="Link the indicator to the right innovation and indicator number.",
    needs=("indikator_inovasi",),
)
