"""BKT-04: `Tanggal Dokumen` is before 1 January of T-2 (T = assessment year, catalog
`ambang.dokumen_tertua_tahun_mundur`), except indicator 16 with parameter 2 or 3 (a Perda or
Perkada may be older and still in force).

GX: `expect_column_values_to_be_between(min_value=1 Jan T-2)` with the row condition
`no_indikator != "16" OR parameter not in {2, 3}`.
"""

from datetime import date

from core.findings import Severity
from checks.registry import GxRule


def _batas(catalog) -> date:
    return date(int(catalog.tahun) - int(catalog.ambang.dokumen_tertua_tahun_mundur), 1, 1)


def check(ctx):
    import great_expectations.expectations as gxe
    import pandas as pd
    from great_expectations.expectations.row_conditions import Column

    from checks.gx_engine import GxCheck
    from checks.rulekit import tables_with

    cond = (Column("no_indikator") != "16") | Column("parameter").is_not_in(["2", "3"])
    out = []
    for t in tables_with(ctx, "tanggal_dokumen"):
        has_cond = ctx.has(t, "parameter") and ctx.has(t, "no_indikator")
        out.append(GxCheck(t, gxe.ExpectColumnValuesToBeBetween(
            column="tanggal_dokumen", min_value=pd.Timestamp(_batas(ctx.catalog)),
            **({"row_condition": cond} if has_cond else {}),
        )))
    return out


RULE = GxRule(
    id="BKT-04",
    severity=Severity.WARNING,
    key=("kode_pemda", "id_inovasi", "no_indikator"),
    judul_id="Dokumen bukti terlalu lama",
    judul_en="Evidence document too old",
    pesan_id=(
        "Indikator {no_indikator} ({indikator}) {subjek}: Tanggal Dokumen {nilai} lebih awal "
        "dari {batas}; pedoman {tahun} hanya menilai bukti T-2 s.d. T-0. Unggah dokumen yang terbit sejak {batas} "
        "(Perda/Perkada untuk indikator 16 boleh lebih lama)."
    ),
    pesan_en=(
        "Indicator {no_indikator} ({indikator}) of {subject}: Tanggal Dokumen {nilai} is before "
        "{batas}; the {tahun} guideline only counts evidence from T-2 to T-0. Upload a document issued on or after "
        "{batas} (a Perda/Perkada for indicator 16 may be older)."
    ),
    perbaikan_id="Gunakan dokumen dalam rentang T-2 sampai T-0.",
    perbaikan_en="Use a document dated within T-2 to T-0.",
    bukti=True,
    needs=("indikator_inovasi.tanggal_dokumen",),
    check=check,
    extra=lambda catalog: {"batas": _batas(catalog).strftime("%d-%m-%Y"), "tahun": catalog.tahun},
)
