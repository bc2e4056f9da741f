"""A history database whose schema does not match the code (a column missing: a database
half-migrated by hand, or made by another version): the audit still stands, and the failure
says which column is missing and what to do, not just "OperationalError", and never a value."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from core.settings import Settings
from job.pipeline import JobRequest, error_text, run_job
from store.db import make_engine, open_db

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "ekspor-2026"


def without_column(settings: Settings, table: str, column: str) -> None:
    """The state folder's database at the newest revision, but `table` lacks `column`."""
    open_db(settings.database_url).dispose()
    engine = make_engine(settings.database_url)
    with engine.begin() as c:
        c.execute(sa.text(f"ALTER TABLE {table} DROP COLUMN {column}"))
    engine.dispose()


def test_a_missing_column_is_named_with_what_to_do(tmp_path):
    settings = Settings(state_dir=tmp_path / "state")
    without_column(settings, "audit_pemda", "laporan_baru")
    s = run_job(JobRequest(source=str(SAMPLE), out=tmp_path / "kab", region="35.04", as_of=date(2026, 11, 30)),
                settings)
    assert s.reports == 1 and s.outcome == "sebagian"  # the audit stands; the history part failed
    fails = [f for f in s.failures if f["tahap"] == "riwayat"]
    [f] = fails  # recording the run (there was nothing earlier to read)
    assert "kolom audit_pemda.laporan_baru tidak ada" in f["pesan"]
    assert "column audit_pemda.laporan_baru missing" in f["pesan"]
    assert f["pesan"].endswith("or use a fresh state folder (IID_AUDIT_STATE_DIR)")  # whole, not cut
    assert "iid-audit db upgrade" in f["pesan"] and "Error" not in f["pesan"]
    assert "INSERT" not in f["pesan"] and "35.04" not in f["pesan"]  # no statement, no values
    on_disk = json.loads((tmp_path / "kab" / "run.json").read_text(encoding="utf-8"))["failures"]
    assert [x["pesan"] for x in on_disk if x["tahap"] == "riwayat"] == [f["pesan"]]


def test_a_missing_table_is_named_and_other_errors_stay_their_type(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite'}")
    with engine.connect() as c:
        try:
            c.execute(sa.text("SELECT run_id FROM audit_run WHERE run_id = :r"), {"r": "budi@example.go.id"})
        except sa.exc.OperationalError as exc:
            missing = error_text(exc)
        try:
            c.execute(sa.text("SELECT 1 FROM (SELECT 1) WHERE 'budi@example.go.id' = 1 +"))
        except sa.exc.OperationalError as exc:
            other = error_text(exc)
    engine.dispose()
    assert "tabel audit_run tidak ada" in missing and "table audit_run missing" in missing
    assert "budi" not in missing
    assert other == "OperationalError"  # not a schema problem: the type only, as before
