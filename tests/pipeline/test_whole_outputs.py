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


@pytest.mark.parametrize("tahap", ["laporan", "kirim", "indeks"])
def test_a_run_killed_mid_way_leaves_the_previous_outputs_whole_and_says_where_it_died(tmp_path, tahap):
    settings = Settings(state_dir=tmp_path / "state")
    out = tmp_path / "keluaran"
    run_job(JobRequest(source=str(SAMPLE), out=out, region="35.04", as_of=date(2026, 7, 1)), settings)
    before = snapshot(out)
    with pytest.raises(Killed):
        run_job(JobRequest(source=str(SAMPLE), out=out, region="35.04", as_of=date(2026, 7, 2)), settings,
                stage=dies_at(tahap))
    assert snapshot(out) == before  # findings.csv, ringkasan.csv, laporan/, index.html, run.json: the old run's
    marker = json.loads((out / MARKER).read_text(encoding="utf-8"))
    assert marker["run_id"] == "pemda-35.04-20260702" and marker["tahap"] == tahap

    again = run_job(JobRequest(source=str(SAMPLE), out=out, region="35.04", as_of=date(2026, 7, 2)), settings)
    assert again.run_sebelumnya_terputus["tahap"] == tahap
    assert not (out / MARKER).exists() and not list(out.glob(".staging-*"))
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["run_id"] == "pemda-35.04-20260702" and run["run_sebelumnya_terputus"]["tahap"] == tahap


def test_a_run_refused_cleanly_leaves_no_marker_and_no_staging(tmp_path):
    from core.outcomes import UnreadableExport

    bad = tmp_path / "rusak.xlsx"
    bad.write_bytes(b"PK\x03\x04 bukan workbook")
    out = tmp_path / "keluaran"
    with pytest.raises(UnreadableExport):
        run_job(JobRequest(source=str(bad), out=out, as_of=date(2026, 7, 1)), Settings(state_dir=tmp_path / "s"))
    assert not (out / MARKER).exists() and not list(out.glob(".staging-*"))
