"""`--data-docs`: GX Data Docs of the run's validation for analysts who know GX; without the
flag nothing of GX is written. The findings are the same either way."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from core.settings import Settings
from job.pipeline import DATA_DOCS_INDEX, GX_FOLDER, JobRequest, run_job

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "ekspor-2026"


def test_data_docs_only_on_request_and_the_findings_do_not_change(tmp_path):
    settings = Settings(state_dir=tmp_path / "state")
    plain = run_job(JobRequest(source=str(SAMPLE), out=tmp_path / "a", region="35.04", as_of=date(2026, 7, 1)),
                    settings)
    assert plain.data_docs is None and not (tmp_path / "a" / GX_FOLDER).exists()
    docs = run_job(JobRequest(source=str(SAMPLE), out=tmp_path / "b", region="35.04", as_of=date(2026, 7, 1),
                              data_docs=True), settings)
    index = tmp_path / "b" / GX_FOLDER / DATA_DOCS_INDEX
    assert docs.data_docs == str(index.resolve()) and index.is_file()
    pages = {p.name for p in index.parent.rglob("*.html")}
    assert any("iid-daftar_inovasi" in str(p) for p in index.parent.rglob("*.html")), pages
    assert (tmp_path / "a" / "findings.csv").read_bytes() == (tmp_path / "b" / "findings.csv").read_bytes()
