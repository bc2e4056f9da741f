"""LKP-05: an innovation's profile field is empty (an empty marker such as `-`, blank,
`Tidak Diisi`, `null` or `N/A` → NA at ingest, `core.tables.NO_VALUE_MARKERS`).

GX: `expect_column_values_to_not_be_null` per profile column present; `Tanggal Penerapan`
only for stage Penerapan (a GX 1.x row condition).
"""

from core.findings import Severity
from checks.registry import GxRule

#: Profile columns checked (canonical names); Tanggal Penerapan is conditional.
KOLOM = ("admin_opd", "inisiator", "bentuk_inovasi", "jenis", "urusan_utama", "asta_cipta", "koordinat")


def check(ctx):
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    from checks.gx_engine import GxCheck

    daftar = ctx.table("daftar_inovasi")
    out = [
        GxCheck("daftar_inovasi", gxe.ExpectColumnValuesToNotBeNull(column=c), nilai=None)
        for c in KOLOM if c in daftar.columns
    ]
    if "tanggal_penerapan" in daftar.columns and "tahapan_inovasi" in daftar.columns:
        out.append(GxCheck(
            "daftar_inovasi",
            gxe.ExpectColumnValuesToNotBeNull(
                column="tanggal_penerapan", row_condition=Column("tahapan_inovasi") == "Penerapan"
            ),
            nilai=None,
        ))
    return out


RULE = GxRule(
    id="LKP-05",
    severity=Severity.WARNING,
    key=("kode_pemda", "id_inovasi", "kolom"),
    judul_id="Kolom profil inovasi kosong",
    judul_en="Innovation profile field empty",
    pesan_id=(
        "Inovasi '{judul_inovasi}': kolom {kolom} kosong (atau berisi penanda kosong seperti '-', 'Tidak Diisi', 'null'). Lengkapi "
        "kolom {kolom} pada profil inovasi di aplikasi IID agar verifikator dapat menilainya."
    ),
    pesan_en=(
        "Innovation '{judul_inovasi}': field {kolom} is empty (or holds an empty marker such as '-', 'Tidak Diisi', 'null'). Fill in {kolom} in "
        "the innovation profile in the IID app so the verifiers can assess it."
    ),
    perbaikan_id="Lengkapi profil inovasi; jangan isi dengan tanda '-'.",
    perbaikan_en="Complete the innovation profile; do not enter '-'.",
    needs=("daftar_inovasi",),
    check=check,
)
