"""LKP-03: a mandatory SPD indicator (per Pemda) has no row or no Parameter.

Pandas, not GX: expected slots = assessed Pemda of the export × mandatory SPD indicators
(cross join), anti-joined with the answered Indikator Pemda rows.
"""

from core.findings import Severity
from checks.registry import PandasRule
from checks.rulekit import assessed_pemda, missing_slots


def spd_slots_missing(ctx, wajib: bool, rule_id: str):
    import pandas as pd

    pemda = pd.DataFrame({"kode_pemda": assessed_pemda(ctx)})
    nos = [i.no for i in ctx.catalog.spd if i.wajib == wajib]
    slots = pemda.merge(pd.DataFrame({"no_indikator": nos}), how="cross")
    miss = missing_slots(slots, ctx.table("indikator_pemda"), ["kode_pemda", "no_indikator"])
    return pd.DataFrame({
        "rule_id": rule_id,
        "kode_pemda": miss["kode_pemda"].to_numpy(),
        "id_inovasi": None,
        "no_indikator": miss["no_indikator"].to_numpy(),
        "kolom": miss["ada_baris"].map({True: "Parameter", False: None}).to_numpy(),
    })


def check(ctx):
    return spd_slots_missing(ctx, True, "LKP-03")


RULE = PandasRule(
    id="LKP-03",
    severity=Severity.ERROR,
    key=("kode_pemda", "no_indikator"),
    judul_id="Indikator wajib Pemda tidak diisi",
    judul_en="Mandatory region indicator not answered",
    pesan_id=(
        "{pemda}: indikator Pemda wajib {no_indikator} ({indikator}) belum diisi (tidak ada baris atau "
        "Parameter kosong), sehingga bernilai 0. Isi Parameter indikator ini dan unggah Data Pendukungnya "
        "di aplikasi IID."
    ),
    pesan_en=(
        "{pemda}: mandatory region indicator {no_indikator} ({indikator}) is not answered (no row or empty "
        "Parameter), so it scores 0. Fill in its Parameter and upload the supporting evidence in the IID app."
    ),
    perbaikan_id="Indikator SPD wajib: pilih Parameter dan unggah Data Pendukung.",
    perbaikan_en="Mandatory SPD indicator: choose a Parameter and upload evidence.",
    needs=("indikator_pemda.no_indikator", "indikator_pemda.parameter"),
    check=check,
)
