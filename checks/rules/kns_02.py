"""KNS-02: a date of the innovation (Tanggal Input, Uji Coba, Penerapan, Pengembangan) is after
the audit date. One finding per date column.

GX: `expect_column_values_to_be_between(max_value=$tanggal_audit)` (a suite parameter) per date column present.
"""

from core.findings import Severity
from checks.registry import GxRule
from checks.context import AUDIT_DATE

KOLOM = ("tanggal_input", "tanggal_uji_coba", "tanggal_penerapan", "tanggal_pengembangan")


def check(ctx):
    import great_expectations.expectations as gxe

    from checks.gx_engine import GxCheck

    return [
        GxCheck("daftar_inovasi", gxe.ExpectColumnValuesToBeBetween(column=c, max_value=AUDIT_DATE),
                konstanta={"tanggal_audit": ctx.as_of.strftime("%d-%m-%Y")})
        for c in KOLOM if ctx.has("daftar_inovasi", c)
    ]


RULE = GxRule(
    id="KNS-02",
    severity=Severity.ERROR,
    key=("kode_pemda", "id_inovasi", "kolom"),
    judul_id="Tanggal inovasi di masa depan",
    judul_en="Innovation date in the future",
    pesan_id=(
        "Inovasi '{judul_inovasi}': {kolom} {nilai} jatuh setelah tanggal audit {tanggal_audit}. Periksa salah "
        "ketik tahun dan isi tanggal yang sebenarnya."
    ),
    pesan_en=(
        "Innovation '{judul_inovasi}': {kolom} {nilai} is after the audit date {tanggal_audit}. Check for a "
        "mistyped year and enter the real date."
    ),
    perbaikan_id="Perbaiki tanggal yang melewati tanggal audit.",
    perbaikan_en="Fix the date that is after the audit date.",
    needs=("daftar_inovasi",),
    check=check,
)
