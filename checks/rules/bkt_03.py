"""BKT-03: `Tanggal Dokumen` is after the audit date (a typo such as 2062, or a future date).

GX: `expect_column_values_to_be_between(tanggal_dokumen, max_value=$tanggal_audit)` on both indicator
tables (the audit date itself is allowed).
"""

from core.findings import Severity
from checks.context import AUDIT_DATE
from checks.registry import GxRule


def check(ctx):
    import great_expectations.expectations as gxe

    from checks.gx_engine import GxCheck
    from checks.rulekit import tables_with

    return [
        GxCheck(t, gxe.ExpectColumnValuesToBeBetween(column="tanggal_dokumen", max_value=AUDIT_DATE),
                konstanta={"tanggal_audit": ctx.as_of.strftime("%d-%m-%Y")})
        for t in tables_with(ctx, "tanggal_dokumen")
    ]


RULE = GxRule(
    id="BKT-03",
    severity=Severity.ERROR,
    key=("kode_pemda", "id_inovasi", "no_indikator"),
    judul_id="Tanggal dokumen di masa depan",
    judul_en="Document date in the future",
    pesan_id=(
        "Indikator {no_indikator} ({indikator}) {subjek}: Tanggal Dokumen {nilai} jatuh setelah "
        "tanggal audit {tanggal_audit}, sehingga bukti tidak sah. Periksa salah ketik tahun dan isi tanggal "
        "sesuai dokumen."
    ),
    pesan_en=(
        "Indicator {no_indikator} ({indikator}) of {subject}: Tanggal Dokumen {nilai} is after "
        "the audit date {tanggal_audit}, so the evidence is invalid. Check for a mistyped year and enter the date "
        "printed on the document."
    ),
    perbaikan_id="Periksa tanggal dokumen; dokumen tidak boleh bertanggal di masa depan.",
    perbaikan_en="Check the document date; it cannot be in the future.",
    needs=("indikator_inovasi.tanggal_dokumen",),
    check=check,
)
