"""KNS-04: `Kematangan` outside 0..111 (catalog `ambang.kematangan`; both ends allowed).

GX: `expect_column_values_to_be_between(min_value, max_value)`.
"""

from core.findings import Severity
from checks.registry import GxRule


def check(ctx):
    import great_expectations.expectations as gxe

    from checks.gx_engine import GxCheck

    k = ctx.catalog.ambang.kematangan
    return [GxCheck("daftar_inovasi", gxe.ExpectColumnValuesToBeBetween(
        column="kematangan", min_value=float(k.min), max_value=float(k.max)))]


RULE = GxRule(
    id="KNS-04",
    severity=Severity.ERROR,
    key=("kode_pemda", "id_inovasi"),
    judul_id="Kematangan di luar rentang",
    judul_en="Kematangan out of range",
    pesan_id=(
        "Inovasi '{judul_inovasi}': Kematangan bernilai {nilai}, di luar rentang {min}..{max} (nilai maksimum SID "
        "per inovasi). Periksa kembali isian indikator inovasi ini; Kematangan dihitung dari Parameter yang dipilih."
    ),
    pesan_en=(
        "Innovation '{judul_inovasi}': Kematangan is {nilai}, outside {min}..{max} (the maximum SID score per "
        "innovation). Re-check this innovation's indicator answers; Kematangan derives from the chosen Parameters."
    ),
    perbaikan_id="Periksa kembali isian indikator; nilai kematangan harus 0–111.",
    perbaikan_en="Check the indicator entries; maturity must be 0–111.",
    needs=("daftar_inovasi.kematangan",),
    check=check,
    extra=lambda catalog: {"min": f"{catalog.ambang.kematangan.min:g}", "max": f"{catalog.ambang.kematangan.max:g}"},
)
