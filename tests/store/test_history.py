"""Audit history on a real SQLite file: what changed since the previous audit of a Pemda."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
import sqlalchemy as sa

from core.findings import Finding, findings as make_findings
from checks.metrics import INOVASI_COLUMNS, PER_ATURAN_COLUMNS, RINGKASAN_CONTRACT, RINGKASAN_EXTRA, SLOT_COLUMNS, Metrics
from core.outcomes import UsageError
from store.db import init_db, make_engine
from store.history import COMPARE_COLUMNS, compare_with_previous, record_run

KAB = "35.04"
KOTA = "35.79"


@pytest.fixture
def engine(tmp_path):
    eng = make_engine(f"sqlite:///{tmp_path / 'state' / 'iid-audit.sqlite'}")
    yield eng
    eng.dispose()


def metrics_for(**scores: tuple[float | None, float | None]) -> Metrics:
    """Metrics with one ringkasan row per Pemda: kode=(skor_klaim, skor_terverifikasi)."""
    rows = []
    for kode, (klaim, verif) in scores.items():
        row = {c: None for c in RINGKASAN_CONTRACT + RINGKASAN_EXTRA}
        row.update(kode_pemda=kode.replace("_", "."), skor_klaim=klaim, skor_terverifikasi=verif,
                   persen_indikator_bermasalah=12.5)
        rows.append(row)
    empty = lambda cols: pd.DataFrame({c: pd.Series(dtype=object) for c in cols})  # noqa: E731
    return Metrics(pd.DataFrame(rows), empty(INOVASI_COLUMNS), empty(SLOT_COLUMNS), empty(PER_ATURAN_COLUMNS))


def bukti_kecil(kode: str, inovasi: str, no: str, *, nilai: str = "12 KB", baris: int = 1) -> Finding:
    return Finding(rule_id="BKT-05", severity="warning", kode_pemda=kode, id_inovasi=inovasi, no_indikator=no,
                   kolom="ukuran_file_kb", nilai=nilai, tabel="indikator_inovasi", baris=baris,
                   pesan=f"Berkas bukti terlalu kecil ({nilai})")


def record(engine, run_id, metrics, items, as_of=date(2026, 3, 1), source="export.xlsx"):
    record_run(engine, run_id, metrics, make_findings(items), source=source, tahun=2026, as_of=as_of)


def row(df: pd.DataFrame, kode: str) -> pd.Series:
    assert (df["kode_pemda"] == kode).sum() == 1
    return df[df["kode_pemda"] == kode].iloc[0]


def counts(engine) -> dict[str, int]:
    with engine.connect() as c:
        return {t: c.execute(sa.text(f"SELECT COUNT(*) FROM {t}")).scalar()
                for t in ("audit_run", "audit_pemda", "audit_finding")}


def test_first_audit_has_no_previous_run(engine):
    record(engine, "run-1", metrics_for(**{"35_04": (50.0, 40.0)}), [bukti_kecil(KAB, "35.04-1", "16")])
    cmp = compare_with_previous(engine, "run-1")
    assert list(cmp.columns) == COMPARE_COLUMNS
    r = row(cmp, KAB)
    assert r["run_sebelumnya"] is None
    assert pd.isna(r["temuan_baru"]) and pd.isna(r["temuan_selesai"]) and pd.isna(r["temuan_tetap"])
    assert pd.isna(r["selisih_skor_terverifikasi"])


def test_second_run_counts_new_fixed_still_open_and_score_delta(engine):
    record(engine, "run-1", metrics_for(**{"35_04": (50.0, 40.0)}), [
        bukti_kecil(KAB, "35.04-1", "16"),  # fixed by run 2
        bukti_kecil(KAB, "35.04-1", "17"),  # still open
        bukti_kecil(KAB, "35.04-2", "17"),  # still open
    ], as_of=date(2026, 3, 1))
    record(engine, "run-2", metrics_for(**{"35_04": (50.0, 43.5)}), [
        # same place, new value, new row number, new wording: the same open problem
        bukti_kecil(KAB, "35.04-1", "17", nilai="15 KB", baris=40),
        bukti_kecil(KAB, "35.04-2", "17"),
        bukti_kecil(KAB, "35.04-3", "17"),  # new
        Finding(rule_id="LKP-08", severity="warning", kode_pemda=KAB),  # new, Pemda-level
    ], as_of=date(2026, 3, 8))
    r = row(compare_with_previous(engine, "run-2"), KAB)
    assert (r["temuan_baru"], r["temuan_selesai"], r["temuan_tetap"]) == (2, 1, 2)
    assert r["selisih_skor_terverifikasi"] == 3.5
    assert r["run_sebelumnya"] == "run-1"


def test_all_findings_fixed(engine):
    record(engine, "run-1", metrics_for(**{"35_04": (50.0, 40.0)}),
           [bukti_kecil(KAB, "35.04-1", "16"), bukti_kecil(KAB, "35.04-1", "17")])
    record(engine, "run-2", metrics_for(**{"35_04": (50.0, 50.0)}), [], as_of=date(2026, 3, 8))
    r = row(compare_with_previous(engine, "run-2"), KAB)
    assert (r["temuan_baru"], r["temuan_selesai"], r["temuan_tetap"]) == (0, 2, 0)
    assert r["selisih_skor_terverifikasi"] == 10


def test_same_rule_elsewhere_is_a_different_finding(engine):
    record(engine, "run-1", metrics_for(**{"35_04": (50.0, 40.0)}), [bukti_kecil(KAB, "35.04-1", "16")])
    record(engine, "run-2", metrics_for(**{"35_04": (50.0, 40.0)}), [bukti_kecil(KAB, "35.04-1", "18")],
           as_of=date(2026, 3, 8))
    r = row(compare_with_previous(engine, "run-2"), KAB)
    assert (r["temuan_baru"], r["temuan_selesai"], r["temuan_tetap"]) == (1, 1, 0)


def test_rerun_of_same_run_id_replaces_never_duplicates(engine):
    m = metrics_for(**{"35_04": (50.0, 40.0), "35_79": (30.0, 30.0)})
    items = [bukti_kecil(KAB, "35.04-1", "16"), bukti_kecil(KAB, "35.04-1", "17"), bukti_kecil(KOTA, "35.79-1", "16"),
             bukti_kecil(KAB, "35.04-1", "16", baris=9)]  # same key twice: one finding
    record(engine, "run-1", m, items)
    first = counts(engine)
    assert first == {"audit_run": 1, "audit_pemda": 2, "audit_finding": 3}
    record(engine, "run-1", m, items)
    assert counts(engine) == first
    # a rerun with other content replaces the old content
    record(engine, "run-1", metrics_for(**{"35_04": (50.0, 45.0)}), [bukti_kecil(KAB, "35.04-1", "16")])
    assert counts(engine) == {"audit_run": 1, "audit_pemda": 1, "audit_finding": 1}


def test_previous_run_is_the_last_one_that_audited_that_pemda(engine):
    national = metrics_for(**{"35_04": (50.0, 40.0), "35_79": (30.0, 20.0)})
    record(engine, "nasional-1", national, [], as_of=date(2026, 3, 1))
    record(engine, "batu-ulang", metrics_for(**{"35_79": (30.0, 25.0)}), [], as_of=date(2026, 3, 4))
    record(engine, "nasional-2", national, [], as_of=date(2026, 3, 8))
    cmp = compare_with_previous(engine, "nasional-2")
    assert row(cmp, KAB)["run_sebelumnya"] == "nasional-1"
    assert row(cmp, KOTA)["run_sebelumnya"] == "batu-ulang"
    assert row(cmp, KOTA)["selisih_skor_terverifikasi"] == -5


def test_history_order_follows_audit_date_not_recording_order(engine):
    record(engine, "maret", metrics_for(**{"35_04": (50.0, 45.0)}), [], as_of=date(2026, 3, 8))
    record(engine, "februari", metrics_for(**{"35_04": (50.0, 40.0)}), [], as_of=date(2026, 2, 1))
    assert row(compare_with_previous(engine, "maret"), KAB)["run_sebelumnya"] == "februari"
    assert row(compare_with_previous(engine, "februari"), KAB)["run_sebelumnya"] is None


def test_innovation_list_only_scores_stored_empty(engine):
    record(engine, "run-1", metrics_for(**{"35_04": (None, None)}), [])
    record(engine, "run-2", metrics_for(**{"35_04": (None, None)}), [], as_of=date(2026, 3, 8))
    with engine.connect() as c:
        assert c.execute(sa.text("SELECT skor_terverifikasi FROM audit_pemda WHERE run_id='run-1'")).scalar() is None
    assert pd.isna(row(compare_with_previous(engine, "run-2"), KAB)["selisih_skor_terverifikasi"])


def test_no_personal_data_or_message_text_stored(engine, tmp_path):
    leak = Finding(rule_id="LKP-05", severity="warning", kode_pemda=KAB, id_inovasi="35.04-1", kolom="nama_inisiator",
                   nilai="budi.santoso@example.go.id", pesan="Nama Inisiator Budi Santoso 0812-3456-7890")
    record(engine, "run-1", metrics_for(**{"35_04": (50.0, 40.0)}), [leak])
    engine.dispose()
    db = b"".join(p.read_bytes() for p in (tmp_path / "state").iterdir())
    for secret in (b"budi", b"Budi", b"0812", b"Inisiator"):
        assert secret not in db


def test_unknown_run_is_a_usage_error(engine):
    with pytest.raises(UsageError):
        compare_with_previous(engine, "tidak-ada")


def test_tables_also_created_by_init_db(engine):
    init_db(engine)
    names = set(sa.inspect(engine).get_table_names())
    assert {"audit_run", "audit_pemda", "audit_finding"} <= names
    record(engine, "run-1", metrics_for(**{"35_04": (50.0, 40.0)}), [bukti_kecil(KAB, "35.04-1", "16")])
    assert counts(engine)["audit_finding"] == 1
