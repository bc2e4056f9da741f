"""`fix_gains`: the IID points each fix wins back, from the catalog formula written out by hand
(IID = (SPD + SID) / 250 × 100; SID = Σ rows / MAX(12, n) + Jumlah Inovasi)."""

from __future__ import annotations

import pytest
from metrics_builders import CATALOG, URUSAN_WAJIB, ExportBuilder, finding, findings, sid_answers, spd_answers

from checks.metrics import FIX_COLUMNS, fix_gains, region_metrics

KAB = "35.04"
KOTA = "35.78"
#: 100 / total_maksimum: one raw point in IID points
PER = 100 / 250


def gains_of(builder: ExportBuilder, *items):
    m = region_metrics(builder.build(), findings(*items), CATALOG)
    return m, fix_gains(m.ringkasan, m.slot, CATALOG)


def verified(m, kode):
    return float(m.ringkasan.set_index("kode_pemda").loc[kode, "skor_terverifikasi"])


def test_clean_pemda_has_nothing_to_win_back():
    b = ExportBuilder().spd(KAB, spd_answers(2))
    b.innovations(KAB, 12, answers=sid_answers(2))
    _, g = gains_of(b)
    assert list(g.columns) == FIX_COLUMNS
    assert len(g) == 0


def test_too_few_urusan_wajib_wins_back_the_whole_jumlah_inovasi():
    # Kota Surabaya: 28 innovations over 3 of the 6 urusan wajib (5 needed): Jumlah Inovasi 0.
    b = ExportBuilder().spd(KOTA, spd_answers(2))
    b.innovations(KOTA, 28, answers=sid_answers(2), urusan=URUSAN_WAJIB[:3])
    m, g = gains_of(b, finding("LKP-09", KOTA, severity="warning"))
    assert len(g) == 1
    row = g.iloc[0]
    assert (row["jenis"], row["rule_id"], row["taksiran"]) == ("urusan", "LKP-09", "tepat")
    # MIN(28, 200) × 0.38 = 10.64 raw points → 4.256 IID points
    assert row["poin_iid"] == pytest.approx(10.64 * PER)
    assert row["skor_jika_diperbaiki"] == pytest.approx(round(verified(m, KOTA) + 4.256, 2))


def test_unanswered_mandatory_indicators_are_fixes_at_parameter_one_at_least():
    b = ExportBuilder().spd(KAB, spd_answers(2, **{"8": None, "12": None}))  # 8 wajib, 12 not
    ids = b.innovations(KAB, 12, answers=sid_answers(2))
    b.innovation(KAB, answers=sid_answers(2, **{"16": None, "18": None}))  # 16 wajib, 18 not
    _, g = gains_of(b)
    assert set(g["jenis"]) == {"wajib_kosong"}
    got = {(r.id_inovasi, r.no_indikator): r for r in g.itertuples()}
    assert set(got) == {(None, "8"), (f"{KAB}-013", "16")}  # the non-mandatory ones are not fixes
    # SPD 8: bobot 1.5 × Parameter 1 = 1.5 raw points → 0.6
    assert got[(None, "8")].poin_iid == pytest.approx(1.5 * PER)
    assert got[(None, "8")].rule_id == "LKP-03"
    # SID 16: bobot 3 × 1 / k (13 innovations) → 3 / 13 × 0.4
    assert got[(f"{KAB}-013", "16")].poin_iid == pytest.approx(3 / 13 * PER)
    assert got[(f"{KAB}-013", "16")].rule_id == "LKP-01"
    assert all(r.taksiran == "minimal" and r.wajib for r in got.values())
    assert list(g["no_indikator"]) == ["8", "16"]  # most points first
    assert ids  # the 12 complete innovations give no fix


def test_an_error_on_a_claimed_slot_wins_back_its_claim():
    b = ExportBuilder().spd(KAB, spd_answers(2))
    ids = b.innovations(KAB, 15, answers=sid_answers(2))
    _, g = gains_of(b, finding("BKT-01", KAB, id_inovasi=ids[4], no="35"),
                    finding("BKT-05", KAB, id_inovasi=ids[0], no="20", severity="warning"))  # a warning costs nothing
    assert len(g) == 1
    row = g.iloc[0]
    assert (row["jenis"], row["id_inovasi"], row["no_indikator"]) == ("bukti", ids[4], "35")
    # indicator 35: bobot 4 × Parameter 2 = 8, / k = 15 → 8 / 15 × 0.4
    assert row["poin_iid"] == pytest.approx(8 / 15 * PER)
    assert row["taksiran"] == "tepat"


def test_fewer_innovations_than_the_divisor_is_valued_at_the_current_average():
    # 6 innovations at SID 74 each (Σ bobot 37 × 2), k = 12: SID = 444 / 12 + 6 × 0.38
    b = ExportBuilder().spd(KAB, spd_answers(2))
    b.innovations(KAB, 6, answers=sid_answers(2))
    _, g = gains_of(b, finding("LKP-08", KAB, severity="warning"))
    assert list(g["jenis"]) == ["pembagi"]
    # 6 more at the average 74: SID 444 / 6 = 74 instead of 37, Jumlah Inovasi + 6 × 0.38
    assert g.iloc[0]["poin_iid"] == pytest.approx((74 - 37 + 6 * 0.38) * PER)
    assert g.iloc[0]["taksiran"] == "rata_rata"


def test_whole_nation_at_once_ranked_within_each_pemda():
    b = ExportBuilder().spd(KAB, spd_answers(2, **{"8": None})).spd(KOTA, spd_answers(2))
    b.innovations(KAB, 12, answers=sid_answers(2))
    b.innovations(KOTA, 28, answers=sid_answers(2), urusan=URUSAN_WAJIB[:3])
    kab_ids = [f"{KAB}-{i:03d}" for i in range(1, 13)]
    _, g = gains_of(b, finding("BKT-01", KAB, id_inovasi=kab_ids[0], no="16"))
    kab = g[g["kode_pemda"] == KAB]
    # SPD 8 missing: 1.5 × 0.4 = 0.6; indicator 16 error: 3 × 2 / 12 × 0.4 = 0.2
    assert list(kab["jenis"]) == ["wajib_kosong", "bukti"]
    assert list(kab["peringkat"]) == [1, 2]
    assert list(g[g["kode_pemda"] == KOTA]["jenis"]) == ["urusan"]


def test_without_indicator_tables_only_the_urusan_fix_is_known():
    b = ExportBuilder(kind="daftar")
    b.innovations(KOTA, 6, urusan=URUSAN_WAJIB[:3])  # 6 < k = 12 and 3 < 5 urusan
    _, g = gains_of(b)
    # no SID average to value LKP-08 with; Jumlah Inovasi 6 × 0.38 = 2.28 raw points is exact
    assert list(g["jenis"]) == ["urusan"]
    assert g.iloc[0]["poin_iid"] == pytest.approx(6 * 0.38 * PER)
