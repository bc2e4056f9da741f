"""BKT-01: a Parameter is chosen but `Data Pendukung` is empty (SID and SPD rows).

GX: `expect_column_values_to_not_be_null(data_pendukung)` with row condition
`parameter is not null`.
"""

from core.findings import Severity
from checks.registry import GxRule


def check(ctx):
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    from checks.gx_engine import GxCheck
    from checks.rulekit import tables_with

    return [
        GxCheck(t, gxe.ExpectColumnValuesToNotBeNull(column="data_pendukung", row_condition=Column("parameter").is_not_null()),
                nilai=None)
        for t in tables_with(ctx, "parameter", "data_pendukung")
    ]


RULE = GxRule(
    id="BKT-01",
    severity=Severity.ERROR,
    key=("kode_pemda", "id_inovasi", "no_indikator"),
    judul_id="Parameter tanpa Data Pendukung",
    judul_en="Parameter without evidence",
    pesan_id=(
        "Indikator {no_indikator} ({indikator}) {subjek}: Parameter sudah dipilih tetapi Data "
        "Pendukung kosong, sehingga tidak dapat diverifikasi dan bernilai 0. Unggah dokumen bukti yang sesuai "
        "Parameter yang dipilih."
    ),
    pesan_en=(
        "Indicator {no_indikator} ({indikator}) of {subject}: a Parameter is chosen but "
        "Data Pendukung is empty, so it cannot be verified and scores 0. Upload the evidence that proves the "
        "chosen Parameter."
    ),
    perbaikan_id="Unggah Data Pendukung untuk Parameter yang dipilih.",
    perbaikan_en="Upload evidence for the chosen Parameter.",
    bukti=True,
    needs=("indikator_inovasi.parameter", "indikator_inovasi.data_pendukung"),
    check=check,
)
