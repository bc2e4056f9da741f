"""KNS-03: stage `Penerapan` but neither Tanggal Penerapan nor Tanggal Pengembangan falls in
the eligibility window (catalog `formula.jendela_kelayakan`; 2026: 1 Jan 2024 – 31 Dec 2025,
both ends inclusive). Both dates missing also fires (nothing shows eligibility).

Pandas, not GX: "either of two columns in a window" is an OR across columns that a single
column expectation cannot state without a derived flag (which would be pandas anyway).
"""

from core.findings import Severity
from checks.registry import PandasRule


def check(ctx):
    import pandas as pd

    from checks.context import rows_to_findings

    df = ctx.table("daftar_inovasi")
    lo, hi = pd.Timestamp(ctx.catalog.jendela_mulai), pd.Timestamp(ctx.catalog.jendela_selesai)

    def inside(col):
        if col not in df:
            return pd.Series(False, index=df.index)
        return df[col].between(lo, hi).fillna(False)

    bad = df["tahapan_inovasi"].eq("Penerapan").fillna(False) & ~inside("tanggal_penerapan") & ~inside("tanggal_pengembangan")
    rows = df[bad]
    return rows_to_findings(rows, "daftar_inovasi", "KNS-03", kolom="Tanggal Penerapan",
                            nilai=rows["tanggal_penerapan"], with_row=True)


RULE = PandasRule(
    id="KNS-03",
    severity=Severity.WARNING,
    key=("kode_pemda", "id_inovasi"),
    judul_id="Penerapan di luar jendela penilaian",
    judul_en="Implementation outside the eligibility window",
    pesan_id=(
        "Inovasi '{judul_inovasi}' bertahap Penerapan, tetapi Tanggal Penerapan ({nilai}) maupun Tanggal "
        "Pengembangan tidak berada dalam jendela penilaian {mulai} s.d. {selesai}. Inovasi lama harus menunjukkan "
        "pengembangan dalam jendela itu: isi Tanggal Pengembangan beserta buktinya, atau perbaiki tanggal yang salah."
    ),
    pesan_en=(
        "Innovation '{judul_inovasi}' is at stage Penerapan, but neither Tanggal Penerapan ({nilai}) nor Tanggal "
        "Pengembangan lies in the eligibility window {mulai} to {selesai}. Older innovations must show a "
        "development within it: fill in Tanggal Pengembangan with evidence, or correct a wrong date."
    ),
    perbaikan_id="Pastikan tanggal penerapan atau pengembangan berada dalam jendela penilaian.",
    perbaikan_en="Make sure the implementation or development date falls in the assessment window.",
    needs=("daftar_inovasi.tahapan_inovasi", "daftar_inovasi.tanggal_penerapan"),
    check=check,
    extra=lambda catalog: {"mulai": catalog.jendela_mulai.strftime("%d-%m-%Y"),
                           "selesai": catalog.jendela_selesai.strftime("%d-%m-%Y")},
)
