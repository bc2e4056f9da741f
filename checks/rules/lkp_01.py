"""LKP-01: a mandatory SID indicator (catalog `wajib`: 16, 17, 32, 33, 35) has no row or no
Parameter, per innovation.

Pandas, not GX: the problem is a row that does NOT exist. Expected slots = every innovation
of Daftar Inovasi × every mandatory SID indicator (cross join), anti-joined with the answered
rows of Indikator Inovasi; an expectation can only judge rows that are there.
"""

from core.findings import Severity
from checks.registry import PandasRule
from checks.rulekit import missing_slots


def sid_slots_missing(ctx, wajib: bool, rule_id: str):
    import pandas as pd

    daftar = ctx.table("daftar_inovasi")
    inov = daftar.dropna(subset=["id_inovasi"]).drop_duplicates("id_inovasi")[["id_inovasi", "kode_pemda"]]
    nos = [i.no for i in ctx.catalog.sid if i.wajib == wajib]
    slots = inov.merge(pd.DataFrame({"no_indikator": nos}), how="cross")
    rows = ctx.table("indikator_inovasi")
    miss = missing_slots(slots, rows, ["id_inovasi", "no_indikator"])
    return pd.DataFrame({
        "rule_id": rule_id,
        "kode_pemda": miss["kode_pemda"].to_numpy(),
        "id_inovasi": miss["id_inovasi"].to_numpy(),
        "no_indikator": miss["no_indikator"].to_numpy(),
        "kolom": miss["ada_baris"].map({True: "Parameter", False: None}).to_numpy(),
    })


def check(ctx):
    return sid_slots_missing(ctx, True, "LKP-01")


RULE = PandasRule(
    id="LKP-01",
    severity=Severity.ERROR,
    key=("kode_pemda", "id_inovasi", "no_indikator"),
    judul_id="Indikator wajib inovasi tidak diisi",
    judul_en="Mandatory innovation indicator not answered",
    pesan_id=(
        "Inovasi '{judul_inovasi}': indikator wajib {no_indikator} ({indikator}) belum diisi (tidak ada baris "
        "atau Parameter kosong), sehingga bernilai 0 dan inovasi dapat ditolak. Pilih Parameter yang sesuai "
        "dan unggah Data Pendukungnya di aplikasi IID."
    ),
    pesan_en=(
        "Innovation '{judul_inovasi}': mandatory indicator {no_indikator} ({indikator}) is not answered (no row "
        "or empty Parameter), so it scores 0 and the innovation may be rejected. Choose the matching Parameter "
        "and upload its supporting evidence in the IID app."
    ),
    perbaikan_id="Indikator wajib: pilih Parameter dan unggah Data Pendukung; tanpa ini inovasi bernilai 0.",
    perbaikan_en="Mandatory indicator: choose a Parameter and upload evidence; without it the innovation scores 0.",
    bukti=True,
    needs=("daftar_inovasi", "indikator_inovasi.no_indikator", "indikator_inovasi.parameter"),
    cost=0.4,
    check=check,
)
