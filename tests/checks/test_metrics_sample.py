"""Region metrics on the committed synthetic sample, read by the real ingest, with the
planted-problem log (`sample_data/masalah-tertanam.csv`) as the findings.

Expectations come from `sample_data/README.md` and the planted log, not from the code.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from core.catalog import load_catalog
from core.findings import findings as make_findings
from checks.metrics import region_metrics

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"

CATALOG = load_catalog(2026)


@pytest.fixture(scope="module")
def planted() -> pd.DataFrame:
    log = pd.read_csv(SAMPLE / "masalah-tertanam.csv", dtype=str, keep_default_na=False).replace("", None)
    return log[log["rule_id"] != "-"].rename(columns={"masalah": "pesan"})


@pytest.fixture(scope="module")
def sample_metrics(planted):
    from ingest import read_export

    export = read_export(SAMPLE / "ekspor-2026")
    return region_metrics(export, make_findings(planted), CATALOG)


def ringkasan_row(m, kode: str) -> pd.Series:
    r = m.ringkasan
    return r[r["kode_pemda"] == kode].iloc[0]


def test_sample_pemda_are_the_six_assessed_ones(sample_metrics):
    # Kota Jakarta Selatan (31.74) is a DKI administrative city: not assessed, not a Pemda row.
    assert list(sample_metrics.ringkasan["kode_pemda"]) == ["33", "35", "35.04", "35.10", "35.78", "35.79"]


def test_tulungagung_slots_and_problem_share_follow_the_planted_log(sample_metrics, planted):
    r = ringkasan_row(sample_metrics, "35.04")
    assert r["jumlah_inovasi"] == 30  # 31 rows, one ID reported twice (SKM-05)
    assert r["slot_indikator"] == 20 + 20 * 30
    # Planted slots unanswered or in error: the log's error / LKP-02 / LKP-04 rows with an
    # indicator, except SKM-06 (rows pointing at an innovation or indicator that does not exist:
    # no slot of the catalog).
    log = planted[planted["kode_pemda"] == "35.04"]
    real = log[log["no_indikator"].notna() & (log["rule_id"] != "SKM-06")
               & (log["severity"].eq("error") | log["rule_id"].isin(["LKP-02", "LKP-04"]))]
    n_bad = real.drop_duplicates(["id_inovasi", "no_indikator"]).shape[0]
    assert r["slot_bermasalah"] == n_bad
    assert r["persen_indikator_bermasalah"] == round(n_bad / 620 * 100, 2)
    assert r["skor_terverifikasi"] < r["skor_klaim"]


def test_regulation_overclaim_costs_its_slot(sample_metrics):
    # BKT-07 planted on 35.04-0014 indicator 16, claimed Parameter 3 (bobot 3), k = 30.
    s = sample_metrics.slot
    slot = s[(s["id_inovasi"] == "35.04-0014") & (s["no_indikator"] == "16")].iloc[0]
    assert slot["status"] == "error" and slot["parameter"] == 3
    assert slot["poin_iid_hilang"] == pytest.approx(3 * 3 / 30 / 250 * 100)


def test_clean_kota_batu_loses_nothing(sample_metrics):
    r = ringkasan_row(sample_metrics, "35.79")
    assert r["persen_indikator_bermasalah"] == 0
    assert r["skor_klaim"] == r["skor_terverifikasi"] > 0
    assert (r["jumlah_error"], r["jumlah_warning"], r["jumlah_info"]) == (0, 0, 0)


def test_planted_formula_conditions(sample_metrics):
    surabaya = ringkasan_row(sample_metrics, "35.78")  # LKP-09: < 5 urusan wajib
    assert surabaya["urusan_wajib_tercakup"] < 5 and surabaya["skor_jumlah_inovasi"] == 0
    jateng = ringkasan_row(sample_metrics, "33")  # LKP-08: fewer innovations than k
    assert jateng["jumlah_inovasi"] == 8 and jateng["pembagi"] == 12


def test_per_severity_counts_match_the_log(sample_metrics, planted):
    for kode, log in planted[planted["kode_pemda"].isin(sample_metrics.ringkasan["kode_pemda"])].groupby("kode_pemda"):
        r = ringkasan_row(sample_metrics, kode)
        assert r["jumlah_error"] == (log["severity"] == "error").sum(), kode
        assert r["jumlah_warning"] == (log["severity"] == "warning").sum(), kode


def test_real_innovation_list_export_has_counts_but_no_scores():
    from ingest import read_export

    path = SAMPLE / "daftar-inovasi-jatim-2025.xlsx"
    m = region_metrics(read_export(path), make_findings(None), CATALOG)
    r = m.ringkasan
    assert r["jumlah_inovasi"].sum() == 40  # README: 40 rows
    assert r["skor_klaim"].isna().all() and r["persen_indikator_bermasalah"].isna().all()
    assert r["predikat_klaim"].isna().all()
    assert m.slot.empty


def test_a_base_computed_before_the_findings_gives_the_same_metrics_and_stays_unchanged(planted):
    """The engine computes `metrics_base` while GX validates; one base serves any findings."""
    from checks.metrics import metrics_base
    from ingest import read_export

    export = read_export(SAMPLE / "ekspor-2026")
    base = metrics_base(export, CATALOG)
    before = base.answered_slots.copy()
    findings = make_findings(planted)
    with_base = region_metrics(export, findings, CATALOG, base)
    again = region_metrics(export, make_findings(planted.iloc[:0]), CATALOG, base)  # no findings: full scores
    pd.testing.assert_frame_equal(base.answered_slots, before)
    alone = region_metrics(export, findings, CATALOG)
    for name in ("ringkasan", "inovasi", "slot", "per_aturan"):
        pd.testing.assert_frame_equal(getattr(with_base, name), getattr(alone, name))
    assert (again.ringkasan["skor_terverifikasi"] >= with_base.ringkasan["skor_terverifikasi"]).all()
    assert (again.ringkasan["skor_terverifikasi"] > with_base.ringkasan["skor_terverifikasi"]).any()
