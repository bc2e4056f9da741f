"""A run's outputs appear whole or not at all: a run that dies leaves the previous complete
outputs untouched and a marker saying which run died where; the next run reports it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from core.settings import Settings
from job.pipeline import MARKER, JobRequest, in_process, run_job

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "ekspor-2026"


class Killed(BaseException):
    """Stands for SIGKILL/SIGTERM arriving during a stage (BaseException: nothing catches it)."""


def dies_at(tahap: str):
    def runner(name, fn, *args, label=None, retries=0):
        if name == tahap:
            raise Killed(name)
        return in_process(name, fn, *args, label=label, retries=retries)
    return runner


def snapshot(folder: Path) -> dict[str, bytes]:
    """What a reader of the folder sees (hidden staging/marker files and the outbox aside)."""
    files = (p for p in sorted(folder.rglob("*")) if p.is_file())
    return {str(p.relative_to(folder)): p.read_bytes() for p in files
            if not any(part.startswith(".") or part == "outbox" for part in p.relative_to(folder).parts)}


def recorded_runs(settings: Settings) -> list[str]:
    from store.db import open_db
    from store.history import list_runs

    engine = open_db(settings.database_url)
    try:
        return [r["run_id"] for r in list_runs(engine, limit=100)]
    finally:
        engine.dispose()


@pytest.mark.parametrize("tahap", ["laporan", "kirim", "indeks", "simpan"])
def test_a_run_killed_mid_way_leaves_the_previous_outputs_and_history_whole_and_says_where_it_died(tmp_path, tahap):
    settings = Settings(state_dir=tmp_path / "state")
    out = tmp_path / "keluaran"
    first = run_job(JobRequest(source=str(SAMPLE), out=out, region="35.04", as_of=date(2026, 7, 1)), settings)
    before = snapshot(out)
    assert recorded_runs(settings) == [first.run_id]
    with pytest.raises(Killed):
        run_job(JobRequest(source=str(SAMPLE), out=out, region="35.04", as_of=date(2026, 7, 2)), settings,
                stage=dies_at(tahap))
    assert snapshot(out) == before  # findings.csv, ringkasan.csv, laporan/, index.html, run.json: the old run's
    assert recorded_runs(settings) == [first.run_id]  # the history is at the previous complete run
    marker = json.loads((out / MARKER).read_text(encoding="utf-8"))
    assert marker["run_id"].endswith("-pemda-35.04") and marker["run_id"] > first.run_id
    assert marker["tahap"] == tahap

    again = run_job(JobRequest(source=str(SAMPLE), out=out, region="35.04", as_of=date(2026, 7, 2)), settings)
    assert again.run_sebelumnya_terputus == {"run_id": marker["run_id"], "tahap": tahap, "mulai": marker["mulai"]}
    assert not (out / MARKER).exists() and not list(out.glob(".staging-*"))
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["run_id"] == again.run_id != marker["run_id"] and run["run_sebelumnya_terputus"]["tahap"] == tahap
    assert recorded_runs(settings) == [again.run_id, first.run_id]


def test_a_run_refused_cleanly_leaves_no_marker_and_no_staging(tmp_path):
    from core.outcomes import UnreadableExport

    bad = tmp_path / "rusak.xlsx"
    bad.write_bytes(b"PK\x03\x04 bukan workbook")
    out = tmp_path / "keluaran"
    with pytest.raises(UnreadableExport):
        run_job(JobRequest(source=str(bad), out=out, as_of=date(2026, 7, 1)), Settings(state_dir=tmp_path / "s"))
    assert not (out / MARKER).exists() and not list(out.glob(".staging-*"))
