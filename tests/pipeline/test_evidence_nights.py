"""Two nights over the sample through the whole job: the second opens no evidence file (the
cache in the state folder's database) and its findings.csv is the same bytes, planted content
problems included."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from checks.evidence import opened_count
from core.settings import Settings
from job.pipeline import JobRequest, run_job

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "ekspor-2026"


def test_the_second_night_opens_no_evidence_file(tmp_path):
    day = date(2026, 11, 30)
    settings = Settings(state_dir=tmp_path / "state")
    n_files = sum(1 for p in (SAMPLE / "bukti").iterdir() if p.is_file())

    before = opened_count()
    run_job(JobRequest(source=str(SAMPLE), out=tmp_path / "malam-1", as_of=day), settings)
    assert opened_count() - before == n_files  # every file in bukti/ is named by some row, each opened once

    before = opened_count()
    run_job(JobRequest(source=str(SAMPLE), out=tmp_path / "malam-2", as_of=day), settings)
    assert opened_count() - before == 0
    first, second = (tmp_path / "malam-1" / "findings.csv"), (tmp_path / "malam-2" / "findings.csv")
    assert first.read_bytes() == second.read_bytes()
    f = pd.read_csv(second, dtype=str)
    bkt09 = set(f.loc[f["rule_id"] == "BKT-09", "nilai"])
    assert {"35-0018_25_sosialisasi.png", "35-0019_20_bimtek.pdf", "35-0020_27_kemudahan.jpg"} <= bkt09
