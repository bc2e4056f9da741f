"""KNS-01: dates out of order: Tanggal Penerapan before Tanggal Uji Coba, or Tanggal
Pengembangan before Tanggal Penerapan (same day is in order; a missing date is not judged).

GX: `expect_column_pair_values_a_to_be_greater_than_b(or_equal=True,
ignore_row_if="either_value_is_missing")` per pair present.
"""

from core.findings import Severity
from checks.registry import GxRule

PAIRS = (("tanggal_penerapan", "tanggal_uji_coba"), ("tanggal_pengembangan", "tanggal_penerapan"))


def check(ctx):
    import great_expectations.expectations as gxe

    from checks.context import display
    from checks.gx_engine import GxCheck

    out = []
    for a, b in PAIRS:
        if ctx.has("daftar_inovasi", a) and ctx.has("daftar_inovasi", b):
            out.append(GxCheck(
                "daftar_inovasi",
                gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A=a, column_B=b, or_equal=True,
                                                          ignore_row_if="either_value_is_missing"),
                kolom=display("daftar_inovasi", a), nilai=a,
                extras={"pembanding": b}, konstanta={"kolom_pembanding": display("daftar_inovasi", b)},
            ))
    return out


RULE = GxRule(
    id="KNS-01",
    severity=Severity.ERROR,
    key=("kode_pemda", "id_inovasi"),
    judul_id="Urutan tanggal inovasi salah",
    judul_en="Innovation dates out of order",
    pesan_id=(
        "Inovasi '{judul_inovasi}': {kolom} ({nilai}) lebih awal dari {kolom_pembanding} ({pembanding}); urutan "
        "tahapan harus Uji Coba → Penerapan → Pengembangan. Perbaiki tanggal yang salah sesuai dokumen."
    ),
    pesan_en=(
        "Innovation '{judul_inovasi}': {kolom} ({nilai}) is earlier than {kolom_pembanding} ({pembanding}); the "
        "stages must run Uji Coba → Penerapan → Pengembangan. Correct the wrong date from the documents."
    ),
    perbaikan_id="Urutkan tanggal: uji coba, lalu penerapan, lalu pengembangan.",
    perbaikan_en="Order the dates: trial, then implementation, then development.",
    needs=("daftar_inovasi.tanggal_penerapan",),
    check=check,
)
