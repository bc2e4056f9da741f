"""Region metrics against rules.md ("Region metrics") and catalog-2026.md ("Index formula").

Expected numbers come from the spec's formula and the catalog's weights, written out in the
comments, never from running `region_metrics`.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from metrics_builders import (
    CATALOG,
    URUSAN_LAIN,
    URUSAN_WAJIB,
    ExportBuilder,
    finding,
    findings,
    sid_answers,
    spd_answers,
)

from core.catalog import load_catalog
from checks.metrics import (
    INOVASI_COLUMNS,
    PER_ATURAN_COLUMNS,
    RINGKASAN_CONTRACT,
    RINGKASAN_EXTRA,
    SLOT_COLUMNS,
    region_metrics,
)

KAB = "35.04"  # Kabupaten Tulungagung
KOTA = "35.79"  # Kota Batu

# Worked example inputs (catalog-2026.md): SPD Σ bobot = 21, all at Parameter 2 = 42;
# indicator 12 (bobot 2) at Parameter 1 instead → SPD 40.
SPD_40 = spd_answers(2, **{"12": 1})
# SID Σ bobot = 37, all at Parameter 2 = 74; indicator 35 (bobot 4) at 1 → 70 per innovation.
SID_70 = sid_answers(2, **{"35": 1})
# 74; 16 (bobot 3) and 31 (bobot 3) at Parameter 3 → 80 per innovation.
SID_80 = sid_answers(2, **{"16": 3, "31": 3})
# 74; 35 (4), 16 (3), 31 (3), 33 (3), 20 (1) at Parameter 1 → 74 - 14 = 60 per innovation.
SID_60 = sid_answers(2, **{"35": 1, "16": 1, "31": 1, "33": 1, "20": 1})


def metrics_of(builder: ExportBuilder, *items, catalog=CATALOG):
    return region_metrics(builder.build(), findings(*items), catalog)


def row_of(m, kode: str = KAB) -> pd.Series:
    r = m.ringkasan
    assert (r["kode_pemda"] == kode).sum() == 1
    return r[r["kode_pemda"] == kode].iloc[0]


def slot_of(m, kode: str, id_inovasi: str | None, no: str) -> pd.Series:
    s = m.slot
    sel = (s["kode_pemda"] == kode) & (s["no_indikator"] == no)
    sel &= s["id_inovasi"].isna() if id_inovasi is None else (s["id_inovasi"] == id_inovasi)
    assert sel.sum() == 1
    return s[sel].iloc[0]


# -- the worked example ---------------------------------------------------------------------

@pytest.fixture
def tulungagung_20_innovations_averaging_70():
    b = ExportBuilder().spd(KAB, SPD_40)
    ids = b.innovations(KAB, 20, answers=SID_70)  # urusan cycle the six wajib: all covered
    return b, ids


def test_worked_example_20_innovations_averaging_70_is_inovatif(tulungagung_20_innovations_averaging_70):
    b, _ = tulungagung_20_innovations_averaging_70
    r = row_of(metrics_of(b))
    assert r["jumlah_inovasi"] == 20
    assert r["pembagi"] == 20
    assert r["urusan_wajib_tercakup"] == 6
    assert r["skor_spd_klaim"] == 40
    assert r["skor_jumlah_inovasi"] == pytest.approx(20 * 0.38)
    assert r["skor_sid_klaim"] == pytest.approx(77.6)  # 1400/20 + 20 × 0,38
    assert r["skor_klaim"] == 47.04  # 117,6 / 250 × 100
    assert r["predikat_klaim"] == "Inovatif"
    # no findings: verified equals claimed
    assert r["skor_terverifikasi"] == 47.04
    assert r["predikat_terverifikasi"] == "Inovatif"
    assert r["selisih_skor"] == 0
    assert r["persen_indikator_bermasalah"] == 0
    assert r["slot_indikator"] == 20 + 20 * 20


def test_worked_example_8_innovations_averaging_80_pays_the_divisor_penalty():
    b = ExportBuilder().spd(KAB, SPD_40)
    b.innovations(KAB, 8, answers=SID_80)  # 8 innovations still cover the 6 urusan wajib
    r = row_of(metrics_of(b))
    assert r["pembagi"] == 12
    assert r["skor_sid_klaim"] == 56.37  # 640/12 + 8 × 0,38
    assert r["skor_klaim"] == round((40 + 640 / 12 + 8 * 0.38) / 250 * 100, 2)


# -- predicates -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("year", "skor", "predikat"),
    [
        (2026, 65.01, "Sangat Inovatif"),
        (2026, 65.00, "Inovatif"),
        (2026, 40.01, "Inovatif"),
        (2026, 40.00, "Kurang Inovatif"),
        (2026, 0.01, "Kurang Inovatif"),
        (2026, 0, "Tidak Dapat Dinilai"),
        (2023, 60.01, "Sangat Inovatif"),
        (2023, 60.00, "Inovatif"),
        (2023, 35.00, "Inovatif"),
        (2023, 34.99, "Kurang Inovatif"),
        (2023, 0.01, "Kurang Inovatif"),
        (2023, 0, "Tidak Dapat Dinilai"),
    ],
)
def test_predicate_band_edges(year, skor, predikat):
    assert load_catalog(year).predikat_for(skor) == predikat


@pytest.fixture
def iid_exactly_40():
    """SPD 40 + 12 innovations of 60 with no urusan wajib (Jumlah Inovasi 0):
    (40 + 720/12 + 0) / 250 × 100 = 40,00 exactly, in 2026 and in 2023 (k = 12 in both)."""
    b = ExportBuilder().spd(KAB, SPD_40)
    b.innovations(KAB, 12, answers=SID_60, urusan=URUSAN_LAIN)
    return b


def test_iid_on_the_2026_band_edge_40_is_kurang_inovatif(iid_exactly_40):
    r = row_of(metrics_of(iid_exactly_40))
    assert r["skor_klaim"] == 40.00
    assert r["predikat_klaim"] == "Kurang Inovatif"


def test_iid_40_is_inovatif_in_2023_bands(iid_exactly_40):
    r = row_of(metrics_of(iid_exactly_40, catalog=load_catalog(2023)))
    assert r["skor_klaim"] == 40.00
    assert r["predikat_klaim"] == "Inovatif"  # 2023: Inovatif from 35,00


def test_nothing_answered_scores_0_tidak_dapat_dinilai():
    b = ExportBuilder()
    b.innovations(KAB, 3, answers=sid_answers(None))  # rows present, no Parameter chosen
    b.profile(KAB)
    r = row_of(metrics_of(b))
    assert r["skor_klaim"] == 0
    assert r["predikat_klaim"] == "Tidak Dapat Dinilai"
    assert r["persen_indikator_bermasalah"] == 100


# -- Jumlah Inovasi: urusan coverage --------------------------------------------------------

@pytest.mark.parametrize(("covered", "skor_ji"), [(4, 0.0), (5, 12 * 0.38), (6, 12 * 0.38)])
def test_jumlah_inovasi_needs_5_of_6_urusan_wajib(covered, skor_ji):
    b = ExportBuilder().spd(KAB, SPD_40)
    b.innovations(KAB, 12, answers=SID_70, urusan=URUSAN_WAJIB[:covered] + [URUSAN_LAIN])
    r = row_of(metrics_of(b))
    assert r["urusan_wajib_tercakup"] == covered
    assert r["skor_jumlah_inovasi"] == pytest.approx(skor_ji)
    assert r["skor_sid_klaim"] == pytest.approx(round(12 * 70 / 12 + skor_ji, 2))


def test_urusan_matched_ignoring_case_and_spacing():
    b = ExportBuilder()
    for u in ["  Pendidikan", "KESEHATAN", "pekerjaan  umum dan penataan ruang",
              "Perumahan Rakyat dan Kawasan  Permukiman", "sosial "]:
        b.innovation(KAB, urusan=u, answers=SID_70)
    r = row_of(metrics_of(b))
    assert r["urusan_wajib_tercakup"] == 5
    assert r["skor_jumlah_inovasi"] == pytest.approx(5 * 0.38)


def test_jumlah_inovasi_capped_at_batas():
    b = ExportBuilder()
    b.innovations(KAB, 205, answers=None)  # no indicator rows at all
    r = row_of(metrics_of(b))
    assert r["jumlah_inovasi"] == 205
    assert r["skor_jumlah_inovasi"] == pytest.approx(200 * 0.38)


# -- verified score: error findings ---------------------------------------------------------

def test_error_on_one_sid_slot_costs_exactly_its_score_over_k(tulungagung_20_innovations_averaging_70):
    b, ids = tulungagung_20_innovations_averaging_70
    m = metrics_of(b, finding("BKT-05", KAB, id_inovasi=ids[2], no="16"))
    lost = 3 * 2 / 20 / 250 * 100  # bobot 16 × Parameter 2 / k / 250 × 100 = 0,12
    r = row_of(m)
    assert r["skor_klaim"] == 47.04
    assert r["skor_terverifikasi"] == round(47.04 - lost, 2)
    assert r["selisih_skor"] == pytest.approx(lost)
    s = slot_of(m, KAB, ids[2], "16")
    assert s["status"] == "error"
    assert s["skor_klaim"] == 6 and s["skor_terverifikasi"] == 0
    assert s["poin_iid_hilang"] == pytest.approx(lost)
    assert r["slot_bermasalah"] == 1
    assert r["persen_indikator_bermasalah"] == round(1 / 420 * 100, 2)


def test_error_on_spd_slot_costs_its_score_over_250(tulungagung_20_innovations_averaging_70):
    b, _ = tulungagung_20_innovations_averaging_70
    m = metrics_of(b, finding("BKT-02", KAB, no="8"))  # Opini BPK, bobot 1,5 × Parameter 2
    s = slot_of(m, KAB, None, "8")
    assert s["status"] == "error" and s["kelompok"] == "SPD"
    assert s["poin_iid_hilang"] == pytest.approx(3 / 250 * 100)
    r = row_of(m)
    assert r["skor_spd_terverifikasi"] == 37
    assert r["skor_terverifikasi"] == round(47.04 - 1.2, 2)


def test_warning_does_not_lower_the_score_but_marks_the_slot(tulungagung_20_innovations_averaging_70):
    b, ids = tulungagung_20_innovations_averaging_70
    m = metrics_of(b, finding("BKT-04", KAB, severity="warning", id_inovasi=ids[0], no="17"),
                   finding("XXX-01", KAB, severity="info", id_inovasi=ids[0], no="18"))  # any info finding
    r = row_of(m)
    assert r["skor_terverifikasi"] == r["skor_klaim"] == 47.04
    assert r["slot_bermasalah"] == 0
    assert slot_of(m, KAB, ids[0], "17")["status"] == "warning"
    assert slot_of(m, KAB, ids[0], "18")["status"] == "ok"
    assert (r["jumlah_error"], r["jumlah_warning"], r["jumlah_info"]) == (0, 1, 1)


def test_innovation_level_error_without_indicator_marks_no_slot(tulungagung_20_innovations_averaging_70):
    b, ids = tulungagung_20_innovations_averaging_70
    m = metrics_of(b, finding("KNS-01", KAB, id_inovasi=ids[0]))
    r = row_of(m)
    assert r["skor_terverifikasi"] == 47.04
    assert r["slot_bermasalah"] == 0
    assert r["jumlah_error"] == 1


def test_no_video_finding_on_indicator_35_zeroes_that_slot(tulungagung_20_innovations_averaging_70):
    b, ids = tulungagung_20_innovations_averaging_70
    m = metrics_of(b, finding("LKP-07", KAB, id_inovasi=ids[5], no="35"))
    s = slot_of(m, KAB, ids[5], "35")
    assert s["status"] == "error"
    assert s["poin_iid_hilang"] == pytest.approx(4 * 1 / 20 / 250 * 100)


def test_two_errors_on_one_slot_cost_it_once(tulungagung_20_innovations_averaging_70):
    b, ids = tulungagung_20_innovations_averaging_70
    m = metrics_of(b, finding("BKT-05", KAB, id_inovasi=ids[0], no="16"),
                   finding("BKT-07", KAB, id_inovasi=ids[0], no="16"))
    assert row_of(m)["selisih_skor"] == pytest.approx(0.12)
    assert row_of(m)["jumlah_error"] == 2


# -- problem share ----------------------------------------------------------------------------

def test_unanswered_and_error_slots_both_count_as_bermasalah():
    b = ExportBuilder().spd(KAB, spd_answers(2))  # 20 SPD slots answered
    answers = sid_answers(2)
    for no in ("18", "19", "20", "21", "22"):
        del answers[no]  # no row at all
    answers["23"] = None  # row without Parameter
    (iid,) = b.innovations(KAB, 1, answers=answers)
    m = metrics_of(b, finding("BKT-01", KAB, id_inovasi=iid, no="16"),
                   finding("LKP-02", KAB, severity="warning", id_inovasi=iid, no="18"))
    r = row_of(m)
    assert r["slot_indikator"] == 40
    assert r["slot_bermasalah"] == 7  # 5 missing rows + 1 empty Parameter + 1 error
    assert r["persen_indikator_bermasalah"] == 17.5  # 7 / 40 × 100
    assert slot_of(m, KAB, iid, "18")["status"] == "kosong"  # unanswered outranks its warning
    assert pd.isna(slot_of(m, KAB, iid, "23")["parameter"])


def test_persen_rounded_to_two_decimals():
    b = ExportBuilder().spd(KAB, spd_answers(2))
    answers = sid_answers(2)
    del answers["16"]
    b.innovations(KAB, 2, answers=answers)  # 60 slots, 2 unanswered
    assert row_of(metrics_of(b))["persen_indikator_bermasalah"] == 3.33


def test_missing_indikator_pemda_counts_spd_as_unanswered():
    b = ExportBuilder().without_indikator_pemda()
    b.innovations(KAB, 20, answers=SID_70)
    m = metrics_of(b)
    r = row_of(m)
    assert r["skor_spd_klaim"] == 0
    assert r["slot_bermasalah"] == 20  # the 20 SPD indicators of the 2026 catalog
    assert r["skor_klaim"] == round(77.6 / 250 * 100, 2)
    assert (m.slot[m.slot["kelompok"] == "SPD"]["status"] == "kosong").all()


# -- innovation ranking -----------------------------------------------------------------------

def test_innovations_ranked_by_points_lost_ties_by_id(tulungagung_20_innovations_averaging_70):
    b, ids = tulungagung_20_innovations_averaging_70
    m = metrics_of(b, finding("BKT-05", KAB, id_inovasi=ids[4], no="35"),  # 4×1 lost
                   finding("BKT-05", KAB, id_inovasi=ids[7], no="16"),  # 3×2
                   finding("BKT-05", KAB, id_inovasi=ids[7], no="20"))  # + 1×2 = 8
    inv = m.inovasi[m.inovasi["kode_pemda"] == KAB].set_index("id_inovasi")
    assert list(m.inovasi.columns) == INOVASI_COLUMNS
    assert inv.loc[ids[7], "peringkat"] == 1
    assert inv.loc[ids[4], "peringkat"] == 2
    assert inv.loc[ids[0], "peringkat"] == 3  # first of the lossless ones by id
    assert inv.loc[ids[7], "skor_klaim"] == 70 and inv.loc[ids[7], "skor_terverifikasi"] == 62
    assert inv.loc[ids[7], "poin_iid_hilang"] == pytest.approx(8 / 20 / 250 * 100)
    assert sorted(inv["peringkat"]) == list(range(1, 21))


# -- Pemda set, counts, shape -----------------------------------------------------------------

def test_pemda_set_counts_and_column_order():
    b = ExportBuilder().spd(KOTA, SPD_40)
    b.innovation(KAB, tahapan="Inisiatif", answers=SID_70)
    b.innovation(KAB, tahapan="Uji Coba", answers=SID_70)
    b.innovation(KAB, tahapan="Penerapan", answers=SID_70)
    b.innovation(KAB, tahapan="Penerapan", answers=SID_70, id_inovasi="35.04-001")  # same ID twice
    b.innovation(None, answers=SID_70)  # unknown Pemda: not a Pemda
    b.profile("35")  # profile only: a Pemda with no innovation
    m = metrics_of(b, finding("SKM-04", None))
    r = m.ringkasan
    assert list(r.columns) == RINGKASAN_CONTRACT + RINGKASAN_EXTRA
    assert list(r["kode_pemda"]) == ["35", KAB, KOTA]
    kab = row_of(m, KAB)
    assert kab["jumlah_inovasi"] == 3
    assert (kab["jumlah_inisiatif"], kab["jumlah_uji_coba"], kab["jumlah_penerapan"]) == (1, 1, 1)
    assert kab["pemda"] == "Kab. Tulungagung" and kab["provinsi"] == "Jawa Timur"
    prov = row_of(m, "35")
    assert prov["jumlah_inovasi"] == 0 and prov["pembagi"] == 12
    assert prov["skor_klaim"] == 0 and prov["slot_indikator"] == 20
    assert row_of(m, KOTA)["skor_klaim"] == round(40 / 250 * 100, 2)
    for c in ("skor_klaim", "skor_terverifikasi", "persen_indikator_bermasalah", "selisih_skor"):
        assert r[c].dtype == float
    assert list(m.slot.columns) == SLOT_COLUMNS


def test_per_aturan_counts_per_pemda_rule_and_severity(tulungagung_20_innovations_averaging_70):
    b, ids = tulungagung_20_innovations_averaging_70
    b.innovation(KOTA, answers=SID_70)
    m = metrics_of(
        b,
        finding("BKT-05", KAB, id_inovasi=ids[0], no="16"),
        finding("BKT-05", KAB, id_inovasi=ids[1], no="16"),
        finding("BKT-05", KAB, severity="warning", id_inovasi=ids[2], no="16"),
        finding("LKP-08", KOTA, severity="warning"),
        finding("SKM-01", None),  # structural, no Pemda
    )
    pa = m.per_aturan
    assert list(pa.columns) == PER_ATURAN_COLUMNS
    got = {(k, rid, sev): n for k, rid, sev, n in pa.itertuples(index=False)}
    assert got == {(KAB, "BKT-05", "error"): 2, (KAB, "BKT-05", "warning"): 1, (KOTA, "LKP-08", "warning"): 1}
    assert (row_of(m)["jumlah_error"], row_of(m)["jumlah_warning"]) == (2, 1)


# -- the real innovation-list-only export -----------------------------------------------------

def test_innovation_list_only_export_leaves_scores_empty():
    b = ExportBuilder(kind="daftar")
    b.innovations(KAB, 13, answers=SID_70)  # answers are dropped: the list has no indicator table
    m = metrics_of(b, finding("LKP-07", KAB, id_inovasi=f"{KAB}-001", no="35"))
    r = row_of(m)
    assert r["jumlah_inovasi"] == 13 and r["jumlah_penerapan"] == 13
    assert r["pembagi"] == 13 and r["urusan_wajib_tercakup"] == 6
    assert r["skor_jumlah_inovasi"] == pytest.approx(13 * 0.38)  # needs only the list
    for c in ("skor_klaim", "skor_terverifikasi", "persen_indikator_bermasalah", "selisih_skor",
              "skor_spd_klaim", "skor_sid_klaim", "slot_indikator", "slot_bermasalah"):
        assert pd.isna(r[c]), c
    assert r["predikat_klaim"] is None and r["predikat_terverifikasi"] is None
    assert r["jumlah_error"] == 1
    assert m.slot.empty and list(m.slot.columns) == SLOT_COLUMNS
    assert len(m.inovasi) == 13 and m.inovasi["poin_iid_hilang"].isna().all()


def test_empty_export_gives_empty_frames():
    m = metrics_of(ExportBuilder())
    assert m.ringkasan.empty and list(m.ringkasan.columns) == RINGKASAN_CONTRACT + RINGKASAN_EXTRA
    assert m.inovasi.empty and m.slot.empty and m.per_aturan.empty


def test_scores_are_finite_and_within_0_100(tulungagung_20_innovations_averaging_70):
    b, _ = tulungagung_20_innovations_averaging_70
    b.spd(KOTA, spd_answers(3))
    b.innovations(KOTA, 250, answers=sid_answers(3))
    r = metrics_of(b).ringkasan
    assert r["skor_klaim"].between(0, 100).all()
    # full marks: (63 + 111 + 200 × 0,38) / 250 × 100 = 100
    assert row_of(metrics_of(b), KOTA)["skor_klaim"] == 100
    assert not any(math.isnan(x) for x in r["skor_terverifikasi"])


def test_equal_losses_from_different_slots_tie_and_rank_by_id(tulungagung_20_innovations_averaging_70):
    b, ids = tulungagung_20_innovations_averaging_70
    # ids[9] loses 16 (bobot 3 × 2 = 6); ids[3] loses 19 (2 × 2) and 20 (1 × 2) = 6 as well:
    # the same loss, so the lower id ranks first.
    m = metrics_of(b, finding("BKT-05", KAB, id_inovasi=ids[9], no="16"),
                   finding("BKT-05", KAB, id_inovasi=ids[3], no="19"),
                   finding("BKT-05", KAB, id_inovasi=ids[3], no="20"))
    inv = m.inovasi.set_index("id_inovasi")
    assert inv.loc[ids[3], "peringkat"] == 1 and inv.loc[ids[9], "peringkat"] == 2
    assert inv.loc[ids[3], "poin_iid_hilang"] == pytest.approx(inv.loc[ids[9], "poin_iid_hilang"])
