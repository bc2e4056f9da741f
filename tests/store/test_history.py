"""Audit history on real databases (SQLite, and PostgreSQL when there is a server): what
changed since the previous run of a Pemda, trends, retention, whole runs only."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
import sqlalchemy as sa

from core.findings import Finding, findings as make_findings
from core.outcomes import UsageError
from store import history
from store.history import (
    COMPARE_COLUMNS,
    compare,
    compare_with_previous,
    list_runs,
    national_runs,
    record_run,
    trend_points,
)

from history_builders import KAB, KOTA, bukti_kecil, counts, metrics_for, record, row, run_record


def test_first_audit_has_no_previous_run(engine):
    record(engine, "run-1", metrics_for(**{"35_04": (50.0, 40.0)}), [bukti_kecil(KAB, "35.04-1", "16")])
    cmp = compare_with_previous(engine, "run-1")
    assert list(cmp.columns) == COMPARE_COLUMNS
    r = row(cmp, KAB)
    assert r["run_sebelumnya"] is None
    assert pd.isna(r["temuan_baru"]) and pd.isna(r["temuan_selesai"]) and pd.isna(r["temuan_tetap"])
    assert pd.isna(r["selisih_skor_terverifikasi"]) and pd.isna(r["selisih_persen_bermasalah"])


def test_two_runs_the_same_day_are_two_runs_with_new_fixed_still_open_and_deltas(engine):
    record(engine, "pagi", metrics_for(**{"35_04": (50.0, 40.0, 30.0)}), [
        bukti_kecil(KAB, "35.04-1", "16"),  # fixed by the afternoon
        bukti_kecil(KAB, "35.04-1", "17"),  # still open
        bukti_kecil(KAB, "35.04-2", "17"),  # still open
    ], minutes=0)
    record(engine, "siang", metrics_for(**{"35_04": (50.0, 43.5, 22.5)}), [
        # same place, new value, new row number, new wording: the same open problem
        bukti_kecil(KAB, "35.04-1", "17", nilai="15 KB", baris=40),
        bukti_kecil(KAB, "35.04-2", "17"),
        bukti_kecil(KAB, "35.04-3", "17"),  # new
        Finding(rule_id="LKP-08", severity="warning", kode_pemda=KAB),  # new, Pemda-level
    ], minutes=300)
    assert counts(engine)["audit_run"] == 2
    r = row(compare_with_previous(engine, "siang"), KAB)
    assert (r["temuan_baru"], r["temuan_selesai"], r["temuan_tetap"]) == (2, 1, 2)
    assert r["selisih_skor_terverifikasi"] == 3.5
    assert r["selisih_persen_bermasalah"] == -7.5
    assert r["run_sebelumnya"] == "pagi"


def test_a_run_in_progress_is_compared_without_being_stored_and_marks_its_new_findings(engine):
    record(engine, "pagi", metrics_for(**{"35_04": (50.0, 40.0)}), [bukti_kecil(KAB, "35.04-1", "16"),
                                                                   bukti_kecil(KAB, "35.04-1", "17")])
    now = make_findings([bukti_kecil(KAB, "35.04-1", "17", baris=3), bukti_kecil(KAB, "35.04-9", "20"),
                         bukti_kecil(KAB, "35.04-9", "20", baris=8)])  # one new finding, twice
    before = counts(engine)
    c = compare(engine, run_record("siang", minutes=60), metrics_for(**{"35_04": (50.0, 45.0)}), now)
    assert counts(engine) == before  # reading only
    r = row(c.per_pemda, KAB)
    assert (r["temuan_baru"], r["temuan_selesai"], r["temuan_tetap"]) == (1, 1, 1)
    assert c.baru.tolist() == [False, True, True]
    assert c.tren["run_id"].tolist() == ["pagi", "siang"]
    assert c.tren["skor_terverifikasi"].tolist() == [40.0, 45.0]


def test_first_audit_marks_no_finding_new(engine):
    c = compare(engine, run_record("pertama"), metrics_for(**{"35_04": (50.0, 40.0)}),
                make_findings([bukti_kecil(KAB, "35.04-1", "16")]))
    assert c.baru.tolist() == [False]
    assert row(c.per_pemda, KAB)["run_sebelumnya"] is None


def test_all_findings_fixed(engine):
    record(engine, "run-1", metrics_for(**{"35_04": (50.0, 40.0)}),
           [bukti_kecil(KAB, "35.04-1", "16"), bukti_kecil(KAB, "35.04-1", "17")])
    record(engine, "run-2", metrics_for(**{"35_04": (50.0, 50.0)}), [], as_of=date(2026, 12, 7))
    r = row(compare_with_previous(engine, "run-2"), KAB)
    assert (r["temuan_baru"], r["temuan_selesai"], r["temuan_tetap"]) == (0, 2, 0)
    assert r["selisih_skor_terverifikasi"] == 10


def test_same_rule_elsewhere_is_a_different_finding(engine):
    record(engine, "run-1", metrics_for(**{"35_04": (50.0, 40.0)}), [bukti_kecil(KAB, "35.04-1", "16")])
    record(engine, "run-2", metrics_for(**{"35_04": (50.0, 40.0)}), [bukti_kecil(KAB, "35.04-1", "18")], minutes=5)
    r = row(compare_with_previous(engine, "run-2"), KAB)
    assert (r["temuan_baru"], r["temuan_selesai"], r["temuan_tetap"]) == (1, 1, 0)


def test_recording_a_run_id_again_replaces_never_duplicates(engine):
    m = metrics_for(**{"35_04": (50.0, 40.0), "35_79": (30.0, 30.0)})
    items = [bukti_kecil(KAB, "35.04-1", "16"), bukti_kecil(KAB, "35.04-1", "17"), bukti_kecil(KOTA, "35.79-1", "16"),
             bukti_kecil(KAB, "35.04-1", "16", baris=9)]  # same key twice: one finding
    record(engine, "run-1", m, items)
    first = counts(engine)
    assert first == {"audit_run": 1, "audit_pemda": 2, "audit_finding": 3}
    record(engine, "run-1", m, items)
    assert counts(engine) == first
    record(engine, "run-1", metrics_for(**{"35_04": (50.0, 45.0)}), [bukti_kecil(KAB, "35.04-1", "16")])
    assert counts(engine) == {"audit_run": 1, "audit_pemda": 1, "audit_finding": 1}


def test_previous_run_is_the_last_one_that_audited_that_pemda_whatever_its_scope(engine):
    national = metrics_for(**{"35_04": (50.0, 40.0), "35_79": (30.0, 20.0)})
    record(engine, "nasional-1", national, [], as_of=date(2026, 11, 1))
    record(engine, "batu-ulang", metrics_for(**{"35_79": (30.0, 25.0)}), [], as_of=date(2026, 11, 4), scope=KOTA)
    record(engine, "nasional-2", national, [], as_of=date(2026, 11, 8))
    cmp = compare_with_previous(engine, "nasional-2")
    assert row(cmp, KAB)["run_sebelumnya"] == "nasional-1"
    assert row(cmp, KOTA)["run_sebelumnya"] == "batu-ulang"
    assert row(cmp, KOTA)["selisih_skor_terverifikasi"] == -5


def test_a_region_run_after_a_national_night_compares_against_the_night(engine):
    record(engine, "malam", metrics_for(**{"35_04": (50.0, 40.0), "35_79": (30.0, 20.0)}),
           [bukti_kecil(KAB, "35.04-1", "16"), bukti_kecil(KOTA, "35.79-1", "16")], minutes=0)
    record(engine, "kab-siang", metrics_for(**{"35_04": (50.0, 44.0)}), [], minutes=600, scope=KAB)
    r = row(compare_with_previous(engine, "kab-siang"), KAB)
    assert r["run_sebelumnya"] == "malam"
    assert (r["temuan_baru"], r["temuan_selesai"], r["temuan_tetap"]) == (0, 1, 0)
    assert r["selisih_skor_terverifikasi"] == 4


def test_another_catalog_year_is_never_the_previous_run(engine):
    record(engine, "tahun-lalu", metrics_for(**{"35_04": (50.0, 40.0)}), [], tahun=2025)
    record(engine, "tahun-ini", metrics_for(**{"35_04": (50.0, 45.0)}), [], minutes=10)
    assert row(compare_with_previous(engine, "tahun-ini"), KAB)["run_sebelumnya"] is None


def test_history_order_follows_audit_date_not_recording_order(engine):
    record(engine, "desember", metrics_for(**{"35_04": (50.0, 45.0)}), [], as_of=date(2026, 12, 8))
    record(engine, "november", metrics_for(**{"35_04": (50.0, 40.0)}), [], as_of=date(2026, 11, 1), minutes=60)
    assert row(compare_with_previous(engine, "desember"), KAB)["run_sebelumnya"] == "november"
    assert row(compare_with_previous(engine, "november"), KAB)["run_sebelumnya"] is None


def test_innovation_list_only_scores_stored_empty(engine):
    record(engine, "run-1", metrics_for(**{"35_04": (None, None, None)}), [])
    record(engine, "run-2", metrics_for(**{"35_04": (None, None, None)}), [], minutes=5)
    with engine.connect() as c:
        assert c.execute(sa.text("SELECT skor_terverifikasi FROM audit_pemda WHERE run_id='run-1'")).scalar() is None
    assert pd.isna(row(compare_with_previous(engine, "run-2"), KAB)["selisih_skor_terverifikasi"])


def test_retention_drops_old_findings_but_keeps_every_score(engine):
    for i in range(4):
        record(engine, f"run-{i}", metrics_for(**{"35_04": (50.0, 40.0 + i)}), [bukti_kecil(KAB, "35.04-1", str(16 + i))],
               minutes=i, keep_runs=2)
    with engine.connect() as c:
        kept = {r for (r,) in c.execute(sa.text("SELECT DISTINCT run_id FROM audit_finding")).all()}
        scored = {r for (r,) in c.execute(sa.text("SELECT run_id FROM audit_pemda")).all()}
    assert kept == {"run-2", "run-3"}
    assert scored == {"run-0", "run-1", "run-2", "run-3"}
    r = row(compare_with_previous(engine, "run-3"), KAB)  # the previous run still has its findings
    assert (r["temuan_baru"], r["temuan_selesai"], r["temuan_tetap"]) == (1, 1, 0)


def test_changes_against_findings_dropped_by_retention_are_unknown_not_all_new(engine):
    # four runs, one finding each (a different one each time); the findings of the two oldest are dropped
    for i in range(4):
        record(engine, f"run-{i}", metrics_for(**{"35_04": (50.0, 40.0 + i)}),
               [bukti_kecil(KAB, "35.04-1", str(16 + i))], minutes=i, keep_runs=2)
    for run_id, before in (("run-2", "run-1"), ("run-1", "run-0")):  # the baseline (and for run-1 itself) is gone
        r = row(compare_with_previous(engine, run_id), KAB)
        assert r["run_sebelumnya"] == before
        assert pd.isna(r["temuan_baru"]) and pd.isna(r["temuan_selesai"]) and pd.isna(r["temuan_tetap"])
        assert r["selisih_skor_terverifikasi"] == 1.0  # scores are kept forever: still known
    runs = {r["run_id"]: r for r in list_runs(engine, region=KAB)}
    assert (runs["run-3"]["temuan_baru"], runs["run-3"]["temuan_selesai"]) == (1, 1)
    for run_id in ("run-2", "run-1"):
        assert runs[run_id]["ada_sebelumnya"] is True
        assert (runs[run_id]["temuan_baru"], runs[run_id]["temuan_selesai"], runs[run_id]["temuan_tetap"]) == (
            None, None, None)
        assert runs[run_id]["selisih_skor_terverifikasi"] == 1.0

    # a run audited now with an earlier audit date, right after run-1: its report cannot say
    # what is new either, and marks nothing new
    late = compare(engine, run_record("susulan", minutes=1, as_of=date(2026, 11, 30)),
                   metrics_for(**{"35_04": (50.0, 41.0)}),
                   make_findings([bukti_kecil(KAB, "35.04-1", "17"), bukti_kecil(KAB, "35.04-1", "30")]))
    s = row(late.shown, KAB)
    assert s["run_sebelumnya"] == "run-1" and pd.isna(s["temuan_baru"]) and pd.isna(s["temuan_selesai"])
    assert late.baru.tolist() == [False, False]


def test_a_national_run_sums_changes_only_when_every_pemda_is_known(engine):
    both = {"35_04": (50.0, 40.0), "35_79": (30.0, 20.0)}
    record(engine, "kota-lama", metrics_for(**{"35_79": (30.0, 20.0)}),
           [bukti_kecil(KOTA, "35.79-1", "16")], scope=KOTA, as_of=date(2026, 11, 1))
    for i, day in enumerate((2, 3)):  # Kota Batu's run above drops out of its newest two
        record(engine, f"malam-{i}", metrics_for(**both),
               [bukti_kecil(KAB, "35.04-1", "16"), bukti_kecil(KOTA, "35.79-1", "16")],
               as_of=date(2026, 11, day), keep_runs=2)
    first = [r for r in list_runs(engine) if r["run_id"] == "malam-0"][0]
    assert first["ada_sebelumnya"] is True and first["temuan_tetap"] is None  # 35.79 unknown: no partial sum
    newest = [r for r in list_runs(engine) if r["run_id"] == "malam-1"][0]
    assert (newest["temuan_baru"], newest["temuan_selesai"], newest["temuan_tetap"]) == (0, 0, 2)


def test_a_previous_run_without_findings_is_a_known_baseline(engine):
    record(engine, "bersih", metrics_for(**{"35_04": (50.0, 50.0)}), [], keep_runs=2)
    record(engine, "lagi", metrics_for(**{"35_04": (50.0, 48.0)}),
           [bukti_kecil(KAB, "35.04-1", "16")], minutes=5, keep_runs=2)
    r = row(compare_with_previous(engine, "lagi"), KAB)
    assert (r["temuan_baru"], r["temuan_selesai"], r["temuan_tetap"]) == (1, 0, 0)


def test_a_run_that_fails_while_recording_leaves_the_store_at_the_previous_complete_run(engine, monkeypatch):
    record(engine, "pagi", metrics_for(**{"35_04": (50.0, 40.0)}), [bukti_kecil(KAB, "35.04-1", "16")])
    before = counts(engine)

    def dies(*_a, **_k):
        raise RuntimeError("killed mid-write")

    monkeypatch.setattr(history, "_prune_findings", dies)  # the last write of the transaction
    with pytest.raises(RuntimeError):
        record(engine, "siang", metrics_for(**{"35_04": (50.0, 45.0)}), [bukti_kecil(KAB, "35.04-1", "17")],
               minutes=60, keep_runs=5)
    assert counts(engine) == before
    assert [r["run_id"] for r in list_runs(engine)] == ["pagi"]


def test_trend_keeps_distinct_points_only_and_the_newest(engine):
    tren = pd.DataFrame({
        "kode_pemda": [KAB] * 5 + [KOTA],
        "run_id": ["a", "b", "c", "d", "e", "k"],
        "started_at": pd.date_range("2026-11-01", periods=6, tz="UTC"),
        "as_of": [date(2026, 11, d) for d in range(1, 7)],
        "skor_terverifikasi": [40.0, 40.0, 42.0, 42.0, 45.0, 20.0],
        "persen_indikator_bermasalah": [30.0, 30.0, 25.0, 25.0, 20.0, 50.0],
    })
    pts = trend_points(tren, limit=2)
    assert pts.loc[pts["kode_pemda"] == KAB, "run_id"].tolist() == ["c", "e"]
    assert pts.loc[pts["kode_pemda"] == KOTA, "run_id"].tolist() == ["k"]
    assert trend_points(tren, limit=12).loc[lambda d: d["kode_pemda"] == KAB, "run_id"].tolist() == ["a", "c", "e"]


def test_national_runs_are_the_national_nights_only(engine):
    national = metrics_for(**{"35_04": (50.0, 40.0), "35_79": (30.0, 20.0)})
    record(engine, "malam-1", national, [], as_of=date(2026, 11, 1))
    record(engine, "kab", metrics_for(**{"35_04": (50.0, 44.0)}), [], as_of=date(2026, 11, 1), minutes=60, scope=KAB)
    record(engine, "malam-2", national, [], as_of=date(2026, 11, 2))
    rows = national_runs(engine, 2026, limit=12)
    assert rows["run_id"].drop_duplicates().tolist() == ["malam-1", "malam-2"]
    assert national_runs(engine, 2026, limit=1)["run_id"].unique().tolist() == ["malam-2"]


def test_list_runs_newest_first_with_the_region_delta(engine):
    record(engine, "pagi", metrics_for(**{"35_04": (50.0, 40.0, 30.0)}), [bukti_kecil(KAB, "35.04-1", "16")],
           scope=KAB)
    record(engine, "siang", metrics_for(**{"35_04": (50.0, 44.0, 25.0)}), [], minutes=60, scope=KAB)
    runs = list_runs(engine, region=KAB, limit=5)
    assert [r["run_id"] for r in runs] == ["siang", "pagi"]
    assert runs[0]["temuan_selesai"] == 1 and runs[0]["temuan_baru"] == 0
    assert runs[0]["selisih_skor_terverifikasi"] == 4.0 and runs[0]["selisih_persen_bermasalah"] == -5.0
    assert runs[1]["ada_sebelumnya"] is False and runs[1]["temuan_baru"] is None
    assert list_runs(engine, region=KOTA) == []


def test_unknown_run_is_a_usage_error(engine):
    with pytest.raises(UsageError):
        compare_with_previous(engine, "tidak-ada")


def test_no_personal_data_or_message_text_stored(tmp_path):
    from store.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'state' / 'iid-audit.sqlite'}")
    leak = Finding(rule_id="LKP-05", severity="warning", kode_pemda=KAB, id_inovasi="35.04-1", kolom="nama_inisiator",
                   nilai="budi.santoso@example.go.id", pesan="Nama Inisiator Budi Santoso 0812-3456-7890")
    record(engine, "run-1", metrics_for(**{"35_04": (50.0, 40.0)}), [leak])
    engine.dispose()
    db = b"".join(p.read_bytes() for p in (tmp_path / "state").iterdir())
    for secret in (b"budi", b"Budi", b"0812", b"Inisiator"):
        assert secret not in db


def test_record_run_stores_what_the_run_was(engine):
    record_run(engine, run_record("r1", scope=KAB), metrics_for(**{"35_04": (50.0, 40.0)}), make_findings([]))
    [r] = list_runs(engine)
    assert (r["cakupan"], r["tahun"], r["tanggal_audit"], r["sidik_ekspor"], r["versi"]) == (
        KAB, 2026, "2026-11-30", "ab" * 32, "0.1.0")
    assert r["mulai"].startswith("2026-11-30T01:00:00")


def audit_and_record(engine, run_id, metrics, items, minutes):
    """What the job does: compare while running, then record the run with what its report showed."""
    f = make_findings(items)
    c = compare(engine, run_record(run_id, minutes=minutes), metrics, f)
    record_run(engine, run_record(run_id, minutes=minutes), metrics,
               f.assign(_baru=c.baru, _kunci=c.kunci.astype("Int64")), shown=c.shown)
    return c


def stored_keys(engine, run_id: str) -> list[tuple]:
    with engine.connect() as conn:
        return sorted(conn.execute(sa.text("SELECT kode_pemda, finding_key, rule_id, severity, baru_di_laporan "
                                           "FROM audit_finding WHERE run_id = :r"), {"r": run_id}).all())


def test_the_keys_compare_hashed_are_the_keys_recorded(engine):
    """The job hands `compare`'s hashes back as `_kunci` so `record_run` does not hash again:
    what it stores is what hashing the findings itself stores."""
    m = metrics_for(**{"35_04": (50.0, 40.0), "35_79": (30.0, 20.0)})
    f = make_findings([bukti_kecil(KAB, "35.04-1", "16"), bukti_kecil(KOTA, "35.79-1", "17"),
                       Finding(rule_id="SKM-01", tabel="Daftar Inovasi")])  # a whole-table finding: no Pemda, no key
    c = compare(engine, run_record("a"), m, f)
    assert len(c.kunci) == 2
    record_run(engine, run_record("a"), m, f.assign(_baru=c.baru, _kunci=c.kunci.astype("Int64")))
    record_run(engine, run_record("b", minutes=1), m, f.assign(_baru=c.baru))
    assert len(stored_keys(engine, "a")) == 2
    assert stored_keys(engine, "a") == stored_keys(engine, "b")


def test_an_unchanged_rerun_shows_what_the_previous_report_showed_so_the_email_is_the_same(engine):
    m = metrics_for(**{"35_04": (50.0, 40.0)})
    audit_and_record(engine, "pagi", m, [bukti_kecil(KAB, "35.04-1", "16"), bukti_kecil(KAB, "35.04-1", "17")], 0)
    fixed = [bukti_kecil(KAB, "35.04-1", "17"), bukti_kecil(KAB, "35.04-2", "20")]  # one fixed, one new
    siang = audit_and_record(engine, "siang", metrics_for(**{"35_04": (50.0, 42.0)}), fixed, 60)
    assert siang.shown.equals(siang.per_pemda) and siang.baru.tolist() == [False, True]

    sore = audit_and_record(engine, "sore", metrics_for(**{"35_04": (50.0, 42.0)}), fixed, 120)  # nothing changed
    r = row(sore.per_pemda, KAB)  # exactly: against the afternoon
    assert (r["run_sebelumnya"], r["temuan_baru"], r["temuan_selesai"], r["selisih_skor_terverifikasi"]) == (
        "siang", 0, 0, 0)
    s = row(sore.shown, KAB)  # the report: what the afternoon's report showed
    assert (s["run_sebelumnya"], s["temuan_baru"], s["temuan_selesai"], s["temuan_tetap"]) == ("pagi", 1, 1, 1)
    assert s["selisih_skor_terverifikasi"] == 2.0
    assert sore.baru.tolist() == [False, True]

    malam = compare(engine, run_record("malam", minutes=180), metrics_for(**{"35_04": (50.0, 42.0)}),
                    make_findings([bukti_kecil(KAB, "35.04-1", "17")]))  # now the new one is fixed too
    assert row(malam.shown, KAB)["run_sebelumnya"] == "sore" and row(malam.shown, KAB)["temuan_selesai"] == 1
