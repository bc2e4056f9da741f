"""Region metrics of `../shared/spec/rules.md`: scores as claimed and as verified, problem share.

Declared shape (the contract between metrics, reports, flows and delivery). Implementation
follows in `region_metrics`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

#: `ringkasan.csv`: one row per Pemda, these columns first (the output contract) …
RINGKASAN_CONTRACT: list[str] = [
    "kode_pemda",
    "pemda",
    "jumlah_inovasi",
    "persen_indikator_bermasalah",
    "skor_klaim",
    "predikat_klaim",
    "skor_terverifikasi",
    "predikat_terverifikasi",
    "jumlah_error",
    "jumlah_warning",
    "jumlah_info",
]
#: … then these.
RINGKASAN_EXTRA: list[str] = [
    "provinsi",  # province name (for grouping in the index)
    "selisih_skor",  # skor_klaim - skor_terverifikasi
    "skor_spd_klaim",
    "skor_spd_terverifikasi",
    "skor_sid_klaim",
    "skor_sid_terverifikasi",
    "skor_jumlah_inovasi",
    "pembagi",  # k = MAX(pembagi_minimum, n)
    "urusan_wajib_tercakup",  # how many of the 6 urusan wajib pelayanan dasar
    "jumlah_inisiatif",
    "jumlah_uji_coba",
    "jumlah_penerapan",
    "slot_indikator",  # SPD rows + 20 x n
    "slot_bermasalah",  # unanswered or carrying an error finding
]

#: `Metrics.inovasi`: one row per innovation, ranked within its Pemda by IID points lost.
INOVASI_COLUMNS: list[str] = [
    "kode_pemda",
    "id_inovasi",
    "judul_inovasi",
    "skor_klaim",  # Σ bobot × parameter of rows 16–35 (0..111)
    "skor_terverifikasi",  # same, rows with an error finding count 0
    "poin_iid_hilang",  # (klaim - terverifikasi) / k / total_maksimum × 100
    "peringkat",  # 1 = loses most
]

#: `Metrics.slot`: one row per indicator slot (SPD: id_inovasi empty), answered or not.
SLOT_COLUMNS: list[str] = [
    "kode_pemda",
    "id_inovasi",  # None for SPD
    "no_indikator",
    "kelompok",  # SPD | SID
    "parameter",  # 1..3 or None when unanswered
    "status",  # ok | warning | error | kosong (unanswered)
    "skor_klaim",
    "skor_terverifikasi",
    "poin_iid_hilang",  # what fixing this slot's errors regains, in IID points
]

#: `Metrics.per_aturan`: findings per Pemda, rule and severity.
PER_ATURAN_COLUMNS: list[str] = ["kode_pemda", "rule_id", "severity", "jumlah"]


@dataclass
class Metrics:
    ringkasan: pd.DataFrame  # RINGKASAN_CONTRACT + RINGKASAN_EXTRA
    inovasi: pd.DataFrame  # INOVASI_COLUMNS
    slot: pd.DataFrame  # SLOT_COLUMNS
    per_aturan: pd.DataFrame  # PER_ATURAN_COLUMNS
