"""The job reads an export through the cache in its state folder: a national run fills it, an
on-demand region afterwards reads Parquet, with the same outputs as without the cache."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from core.ringkasan import RINGKASAN_CHANGE
from core.settings import EXPORT_CACHE_FOLDER, Settings
from ingest import readers
from job.pipeline import JobRequest, run_job

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "ekspor-2026"


def test_a_region_after_the_national_run_reads_the_cache_and_gives_the_same_outputs(tmp_path, monkeypatch):
    day = date(2026, 11, 30)
    fresh = Settings(state_dir=tmp_path / "fresh")
    run_job(JobRequest(source=str(SAMPLE), out=tmp_path / "tanpa-cache", region="35.04", as_of=day), fresh)

    settings = Settings(state_dir=tmp_path / "state")
    run_job(JobRequest(source=str(SAMPLE), out=tmp_path / "nasional", as_of=day), settings)
    assert len(list((tmp_path / "state" / EXPORT_CACHE_FOLDER).iterdir())) == 1

    reads = []
    real = readers.read_raw
    monkeypatch.setattr(readers, "read_raw", lambda p: reads.append(p) or real(p))
    run_job(JobRequest(source=str(SAMPLE), out=tmp_path / "wilayah", region="35.04", as_of=day), settings)
    assert reads == []  # no export file parsed: the region came from the cache
    for name in ("findings.csv", "cakupan.csv"):
        assert (tmp_path / "wilayah" / name).read_bytes() == (tmp_path / "tanpa-cache" / name).read_bytes(), name
    # ringkasan.csv the same but for the change columns (this region has a previous run: the night)
    ring = [pd.read_csv(tmp_path / d / "ringkasan.csv", dtype=str).drop(columns=RINGKASAN_CHANGE)
            for d in ("wilayah", "tanpa-cache")]
    pd.testing.assert_frame_equal(*ring)
