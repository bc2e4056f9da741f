"""SKM-04: the Pemda name/code is not an assessed Kemendagri province/kabupaten/kota.

Also raised for DKI Jakarta's non-autonomous units (31.01, 31.71–31.75) and when a valid
`Kode Pemda` and the `Pemda` name on the same row name different regions (the code wins).
"""

from __future__ import annotations

import pandas as pd

from core.findings import Severity
from core.rules import ContractRule
from ingest import partial


def check(stage) -> pd.DataFrame | None:
    """From `Stage.pemda` (how each row's own Pemda reference resolved; see
    `ingest.assemble.pemda_codes`), for the rows whose own reference counts: a code outside the
    Kemendagri list; a DKI unit's code, or a missing code, when there is no name column to say
    more; a name that resolves to no assessed Pemda where it was needed; a name of another Pemda
    beside a valid code. An unreadable code is SKM-02's, not reported twice."""
    facts = stage.pemda
    if facts is None:
        return None
    text, table = stage.text, stage.table
    rows = facts["diperiksa"]
    has_name = "pemda" in text
    parts = []
    if "kode_pemda" in text:
        code = text["kode_pemda"]
        dki_unit = facts["kode_tak_dinilai"] & (not has_name)
        parts.append(partial.cells("SKM-04", table, "kode_pemda", code[(facts["kode_tak_dikenal"] | dki_unit) & rows]))
        if not has_name:
            parts.append(partial.cells("SKM-04", table, "kode_pemda", code[facts["kode_kosong"] & rows]))
    if has_name:
        name = text["pemda"]
        parts.append(partial.cells("SKM-04", table, "pemda", name[facts["nama_tak_dikenal"] & rows]))
        parts.append(partial.cells("SKM-04", table, "pemda", name[facts["nama_beda"] & rows]))
    return partial.concat(parts)


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
    check=check,
)
