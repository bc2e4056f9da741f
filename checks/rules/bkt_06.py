"""BKT-06: the same `SHA256` is the evidence of the same indicator in two or more different
innovations (nation-wide); every row of such a group is a finding. One file reused across
*different* indicators of one innovation is allowed.

Pandas, not GX: a cross-row group (distinct innovations per (indicator, hash)).
"""

from core.findings import Severity
from checks.registry import PandasRule


def check(ctx):
    import pandas as pd

    from checks.context import rows_to_findings

    df = ctx.table("indikator_inovasi")
    has = df[df["sha256"].notna() & df["id_inovasi"].notna()]
    if ctx.has("daftar_inovasi", "id_inovasi"):  # an orphan row (SKM-06) is no innovation
        has = has[has["id_inovasi"].isin(ctx.table("daftar_inovasi")["id_inovasi"])]
    key = has["no_indikator"].astype(str) + "|" + has["sha256"].astype(str).str.lower().str.strip()
    n = has["id_inovasi"].groupby(key).transform("nunique")
    rows = has[n >= 2]
    out = rows_to_findings(rows, "indikator_inovasi", "BKT-06", kolom="SHA256",
                           nilai=rows["data_pendukung"] if "data_pendukung" in rows else rows["sha256"])
    out["jumlah"] = n[n >= 2].astype(int).astype(str).to_numpy()
    return out if len(out) else pd.DataFrame()


RULE = PandasRule(
    id="BKT-06",
    severity=Severity.WARNING,
    key=("kode_pemda", "id_inovasi", "no_indikator"),
    judul_id="Berkas bukti sama dipakai beberapa inovasi",
    judul_en="Same evidence file used by several innovations",
    pesan_id=(
        "Indikator {no_indikator} ({indikator}) inovasi '{judul_inovasi}': berkas bukti '{nilai}' identik "
        "(SHA256 sama) dengan bukti indikator yang sama pada {jumlah} inovasi berbeda. Verifikator menganggap "
        "bukti salinan tidak sesuai; unggah bukti milik inovasi ini sendiri."
    ),
    pesan_en=(
        "Indicator {no_indikator} ({indikator}) of innovation '{judul_inovasi}': evidence file '{nilai}' is "
        "identical (same SHA256) to the evidence of the same indicator across {jumlah} different innovations. "
        "Verifiers treat copied evidence as not matching; upload this innovation's own evidence."
    ),
    perbaikan_id="Gunakan bukti khusus untuk tiap inovasi; bukti yang sama di beberapa inovasi dinilai tidak sesuai.",
    perbaikan_en="Use evidence specific to each innovation; the same file in several innovations is judged not valid.",
    needs=("indikator_inovasi.sha256", "indikator_inovasi.id_inovasi"),
    check=check,
)
