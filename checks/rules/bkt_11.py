"""BKT-11: Kemanfaatan (indicator 33) has a Parameter but no `Basis` a–f (catalog
`nilai_sah.basis`): the parameter has no defined meaning without its basis.

GX: `expect_column_values_to_not_be_null(basis)` and `expect_column_values_to_be_in_set(basis)`
with the row condition `no_indikator == "33" AND parameter is not null`.
"""

from core.findings import Severity
from checks.registry import GxRule


def check(ctx):
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    from checks.gx_engine import GxCheck

    cond = (Column("no_indikator") == "33") & Column("parameter").is_not_null()
    basis = list(ctx.catalog.nilai_sah["basis"])
    return [
        GxCheck("indikator_inovasi", gxe.ExpectColumnValuesToNotBeNull(column="basis", row_condition=cond)),
        GxCheck("indikator_inovasi", gxe.ExpectColumnValuesToBeInSet(column="basis", value_set=basis, row_condition=cond)),
    ]


RULE = GxRule(
    id="BKT-11",
    severity=Severity.ERROR,
    key=("kode_pemda", "id_inovasi", "no_indikator"),
    judul_id="Kemanfaatan tanpa Basis",
    judul_en="Kemanfaatan without a basis",
    pesan_id=(
        "Indikator 33 ({indikator}) inovasi '{judul_inovasi}': Parameter dipilih tetapi Basis '{nilai}' tidak "
        "salah satu dari {basis}, sehingga Parameter tidak dapat dinilai. Pilih Basis kemanfaatan yang sesuai "
        "(a penerima manfaat, b cakupan unit, c efisiensi belanja, d tambahan pendapatan, e jumlah produk, "
        "f tren positif) dan unggah buktinya."
    ),
    pesan_en=(
        "Indicator 33 ({indikator}) of innovation '{judul_inovasi}': a Parameter is chosen but Basis '{nilai}' is "
        "not one of {basis}, so the Parameter cannot be scored. Choose the matching benefit basis (a "
        "beneficiaries, b unit coverage, c spending efficiency, d added revenue, e products, f positive trend) "
        "and upload its evidence."
    ),
    perbaikan_id="Pilih Basis (a–f) untuk indikator Kemanfaatan.",
    perbaikan_en="Choose a Basis (a–f) for the Kemanfaatan indicator.",
    needs=("indikator_inovasi.basis", "indikator_inovasi.parameter"),
    check=check,
    extra=lambda catalog: {"basis": "/".join(catalog.nilai_sah["basis"])},
)
