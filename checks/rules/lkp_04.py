"""LKP-04: a non-mandatory SPD indicator has no row or no Parameter (scores 0).

Pandas, not GX: cross join of Pemda × indicators and anti-join (see LKP-03).
"""

from core.findings import Severity
from checks.registry import PandasRule
from checks.rules.lkp_03 import spd_slots_missing


def check(ctx):
    return spd_slots_missing(ctx, False, "LKP-04")


RULE = PandasRule(
    id="LKP-04",
    severity=Severity.WARNING,
    key=("kode_pemda", "no_indikator"),
    judul_id="Indikator Pemda tidak diisi",
    judul_en="Region indicator not answered",
    pesan_id=(
        "{pemda}: indikator Pemda {no_indikator} ({indikator}) belum diisi (tidak ada baris atau Parameter "
        "kosong), sehingga bernilai 0. Bila Pemda memenuhinya, isi Parameter dan unggah Data Pendukungnya."
    ),
    pesan_en=(
        "{pemda}: region indicator {no_indikator} ({indikator}) is not answered (no row or empty Parameter), "
        "so it scores 0. If the region meets it, fill in the Parameter and upload the supporting evidence."
    ),
    perbaikan_id="Isi indikator SPD ini jika ada buktinya; indikator kosong bernilai 0.",
    perbaikan_en="Fill in this SPD indicator if you have evidence; an empty indicator scores 0.",
    needs=("indikator_pemda.no_indikator", "indikator_pemda.parameter"),
    check=check,
)
