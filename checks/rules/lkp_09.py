"""LKP-09: fewer than 5 (catalog `urusan_minimum`) of the 6 urusan wajib pelayanan dasar are
covered by the Pemda's `Urusan Utama`: the Jumlah Inovasi score is 0.

Pandas, not GX: a per-Pemda distinct count over a group. Urusan are matched lower-cased with
whitespace collapsed against catalog `urusan_wajib_pelayanan_dasar`.
"""

from core.findings import Severity
from checks.registry import PandasRule


def check(ctx):
    import pandas as pd

    from checks.rulekit import assessed_pemda, normalize_text

    wajib = [" ".join(u.lower().split()) for u in ctx.catalog.urusan_wajib]
    daftar = ctx.table("daftar_inovasi")
    u = pd.DataFrame({"kode_pemda": daftar["kode_pemda"], "urusan": normalize_text(daftar["urusan_utama"])})
    covered = u[u["urusan"].isin(wajib)].drop_duplicates().groupby("kode_pemda").size()
    pemda = assessed_pemda(ctx)
    counts = pemda.map(covered).fillna(0).astype(int)
    low = counts < ctx.catalog.urusan_minimum
    return pd.DataFrame({
        "rule_id": "LKP-09",
        "kode_pemda": pemda[low].to_numpy(),
        "kolom": "Urusan Utama",
        "nilai": counts[low].astype(str).to_numpy(),
    })


RULE = PandasRule(
    id="LKP-09",
    severity=Severity.WARNING,
    key=("kode_pemda",),
    judul_id="Urusan wajib pelayanan dasar kurang",
    judul_en="Too few basic-service urusan covered",
    pesan_id=(
        "{pemda}: Urusan Utama inovasi hanya mencakup {nilai} dari {jumlah_urusan} urusan wajib pelayanan dasar "
        "({urusan}); minimal {minimum} diperlukan, jadi nilai Jumlah Inovasi menjadi 0. Laporkan inovasi pada "
        "urusan yang belum tercakup, atau perbaiki Urusan Utama yang salah pilih."
    ),
    pesan_en=(
        "{pemda}: the innovations' Urusan Utama cover only {nilai} of the {jumlah_urusan} basic-service urusan "
        "({urusan}); at least {minimum} are needed, so the Jumlah Inovasi score is 0. Report innovations in the "
        "missing urusan, or correct a wrongly chosen Urusan Utama."
    ),
    perbaikan_id="Laporkan inovasi pada urusan wajib pelayanan dasar yang belum tercakup.",
    perbaikan_en="Report innovations in the basic-service affairs not yet covered.",
    needs=("daftar_inovasi.urusan_utama",),
    check=check,
    extra=lambda catalog: {
        "jumlah_urusan": len(catalog.urusan_wajib),
        "urusan": "; ".join(catalog.urusan_wajib),
        "minimum": catalog.urusan_minimum,
    },
)
