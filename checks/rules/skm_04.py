"""SKM-04: the Pemda name/code is not an assessed Kemendagri province/kabupaten/kota.

Also raised for DKI Jakarta's non-autonomous units (31.01, 31.71–31.75) and when a valid
`Kode Pemda` and the `Pemda` name on the same row name different regions (the code wins).
"""

from core.findings import Severity
from checks.registry import ContractRule

RULE = ContractRule(
    id="SKM-04",
    severity=Severity.ERROR,
    key=("tabel", "baris"),
    judul_id="Pemda tidak dikenal",
    judul_en="Unknown Pemda",
    pesan_id=(
        "Tabel {tabel} baris {baris}: kolom {kolom} berisi '{nilai}', yang bukan provinsi/kabupaten/kota otonom "
        "dalam daftar Kemendagri (atau wilayah administrasi DKI Jakarta yang tidak dinilai, atau tidak cocok "
        "dengan Kode Pemda di baris yang sama). Tulis nama resmi, mis. 'Provinsi Jawa Timur', 'Kab. Tulungagung', "
        "'Kota Batu', atau kode Kemendagri yang benar (35, 35.04)."
    ),
    pesan_en=(
        "Table {tabel} row {baris}: column {kolom} holds '{nilai}', which is not an autonomous province/regency/"
        "city in the Kemendagri list (or is a non-assessed DKI Jakarta administrative unit, or disagrees with the "
        "Kode Pemda on the same row). Write the official name, e.g. 'Provinsi Jawa Timur', 'Kab. Tulungagung', "
        "'Kota Batu', or the correct Kemendagri code (35, 35.04)."
    ),
    perbaikan_id="Pastikan nama/kode Pemda sesuai daftar Kemendagri.",
    perbaikan_en="Make sure the region name/code matches the Kemendagri list.",
)
