"""SKM-05: the same innovation appears twice (same ID, or same Pemda + normalized title)."""

from core.findings import Severity
from checks.registry import ContractRule

RULE = ContractRule(
    id="SKM-05",
    severity=Severity.WARNING,
    key=("tabel", "baris"),
    judul_id="Inovasi tercatat ganda",
    judul_en="Innovation listed twice",
    pesan_id=(
        "Inovasi '{judul_inovasi}' tercatat lebih dari sekali di tabel {tabel} (baris {baris}: {kolom} '{nilai}' "
        "sama dengan baris lain). Hapus entri ganda atau bedakan judulnya, agar setiap inovasi dinilai sekali."
    ),
    pesan_en=(
        "Innovation '{judul_inovasi}' is listed more than once in table {tabel} (row {baris}: {kolom} '{nilai}' "
        "equals another row's). Remove the duplicate entry or make the titles distinct, so each innovation is "
        "assessed once."
    ),
    perbaikan_id="Hapus atau gabungkan inovasi yang tercatat dua kali.",
    perbaikan_en="Remove or merge the innovation recorded twice.",
    needs=("daftar_inovasi",),
)
