"""LKP-07: no video (mandatory indicator 35): `Video = Tidak Ada`, or `Link Video` empty/`-`.

GX: `expect_column_values_to_not_be_null(link_video)` and, when the column exists,
`expect_column_values_to_not_be_in_set(video, ["Tidak Ada"])`; one finding per innovation.
Findings carry `no_indikator = "35"` so region metrics count slot 35 as in error.
"""

from core.findings import Severity
from checks.registry import GxRule


def check(ctx):
    import great_expectations.expectations as gxe

    from checks.gx_engine import GxCheck

    out = [GxCheck("daftar_inovasi", gxe.ExpectColumnValuesToNotBeNull(column="link_video"),
                   nilai=None, no_indikator="35", with_row=False)]
    if ctx.has("daftar_inovasi", "video"):
        out.append(GxCheck("daftar_inovasi", gxe.ExpectColumnValuesToNotBeInSet(column="video", value_set=["Tidak Ada"]),
                           no_indikator="35", with_row=False))
    return out


RULE = GxRule(
    id="LKP-07",
    severity=Severity.ERROR,
    key=("kode_pemda", "id_inovasi"),
    judul_id="Video inovasi tidak ada",
    judul_en="No innovation video",
    pesan_id=(
        "Inovasi '{judul_inovasi}' tidak memiliki video ({kolom}: '{nilai}'), padahal indikator wajib 35 "
        "({indikator}) menuntut video. Unggah video maksimal 5 menit (mp4) atau cantumkan tautan YouTube/Google "
        "Drive di kolom Link Video, dan set Video = Ada."
    ),
    pesan_en=(
        "Innovation '{judul_inovasi}' has no video ({kolom}: '{nilai}'), yet mandatory indicator 35 ({indikator}) "
        "requires one. Upload a video of at most 5 minutes (mp4) or put a YouTube/Google Drive link in Link "
        "Video, and set Video = Ada."
    ),
    perbaikan_id="Unggah video (maks. 5 menit) atau isi tautan YouTube/Google Drive yang dapat dibuka.",
    perbaikan_en="Upload a video (max. 5 minutes) or enter a YouTube/Google Drive link that opens.",
    needs=("daftar_inovasi.link_video",),
    check=check,
)
