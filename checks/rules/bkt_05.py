"""BKT-05: the evidence file is suspiciously small (catalog `ambang.ukuran_min_kb`: pdf < 20 KB,
jpg/png < 10 KB). 19.9 KB fires for a pdf, 20 does not.

GX: one `expect_column_values_to_be_between(ukuran_file_kb, min_value=<min>)` per file type,
each with the row condition `type == <type>` on the derived evidence type.
"""

from core.findings import Severity
from checks.registry import GxRule


def check(ctx):
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    from checks.gx_engine import GxCheck
    from checks.rulekit import evidence_type, tables_with

    out = []
    for t in tables_with(ctx, "ukuran_file_kb"):
        tipe = f"_bkt05_tipe_{t}"
        for i, (jenis, min_kb) in enumerate(sorted(ctx.catalog.ambang.ukuran_min_kb.items())):
            out.append(GxCheck(
                t,
                gxe.ExpectColumnValuesToBeBetween(column="ukuran_file_kb", min_value=float(min_kb),
                                                  row_condition=Column(tipe) == jenis),
                derived={tipe: evidence_type} if i == 0 else {},
                konstanta={"jenis": jenis, "min_kb": f"{min_kb:g}"},
            ))
    return out


RULE = GxRule(
    id="BKT-05",
    severity=Severity.WARNING,
    key=("kode_pemda", "id_inovasi", "no_indikator"),
    judul_id="Berkas bukti terlalu kecil",
    judul_en="Evidence file suspiciously small",
    pesan_id=(
        "Berkas bukti indikator {no_indikator} ({indikator}) {subjek} hanya {nilai} KB; berkas "
        "{jenis} di bawah {min_kb} KB biasanya kosong atau tidak terbaca. Unggah ulang dokumen lengkap hasil "
        "pindaian yang jelas."
    ),
    pesan_en=(
        "The evidence file of indicator {no_indikator} ({indikator}) of {subject} is only "
        "{nilai} KB; a {jenis} under {min_kb} KB is usually blank or unreadable. Upload the complete document "
        "again as a clear scan."
    ),
    perbaikan_id="Unggah file asli yang terbaca jelas, bukan file kosong atau halaman tunggal yang terpotong.",
    perbaikan_en="Upload the original, legible file, not an empty or cut-off page.",
    needs=("indikator_inovasi.ukuran_file_kb",),
    check=check,
)
