"""LKP-02: a non-mandatory SID indicator has no row or no Parameter (it scores 0).

Pandas, not GX: a missing row cannot be an unexpected row; slots by cross join + anti-join
(see LKP-01).
"""

from core.findings import Severity
from checks.registry import PandasRule
from checks.rules.lkp_01 import sid_slots_missing


def check(ctx):
    return sid_slots_missing(ctx, False, "LKP-02")


RULE = PandasRule(
    id="LKP-02",
    severity=Severity.WARNING,
    key=("kode_pemda", "id_inovasi", "no_indikator"),
    judul_id="Indikator inovasi tidak diisi",
    judul_en="Innovation indicator not answered",
    pesan_id=(
        "Inovasi '{judul_inovasi}': indikator {no_indikator} ({indikator}) belum diisi (tidak ada baris atau "
        "Parameter kosong), sehingga bernilai 0. Bila inovasi memenuhinya, pilih Parameter dan unggah Data "
        "Pendukungnya di aplikasi IID."
    ),
    pesan_en=(
        "Innovation '{judul_inovasi}': indicator {no_indikator} ({indikator}) is not answered (no row or empty "
        "Parameter), so it scores 0. If the innovation meets it, choose the Parameter and upload its evidence "
        "in the IID app."
    ),
    perbaikan_id="Isi indikator ini jika ada buktinya; indikator kosong bernilai 0.",
    perbaikan_en="Fill in this indicator if you have evidence; an empty indicator scores 0.",
    bukti=True,
    needs=("daftar_inovasi", "indikator_inovasi.no_indikator", "indikator_inovasi.parameter"),
    cost=0.5,
    check=check,
)
