"""The real sample export through the whole pipeline, when the sample and engines exist."""

from __future__ import annotations

from pathlib import Path

import pytest
from reports_test_builders import Page, assert_no_script_or_external_loads

from iid_audit.settings import REPORT_BODY_BUDGET_BYTES, Settings
from reports import render_index, render_pemda

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "ekspor-2026"


@pytest.mark.skipif(not SAMPLE.exists(), reason="sample_data/ekspor-2026 not there yet")
def test_sample_export_renders_every_pemda_within_budget(tmp_path):
    pytest.importorskip("checks.engine", reason="rules engine not there yet")
    from iid_audit.pipeline import run_audit

    result = run_audit(SAMPLE, tmp_path, settings=Settings())
    reports = {}
    for kode in result.ringkasan["kode_pemda"].astype(str):
        files = render_pemda(result, kode, tmp_path)
        assert files.body_bytes <= REPORT_BODY_BUDGET_BYTES
        html = files.html.read_text(encoding="utf-8")
        assert_no_script_or_external_loads(html)
        reports[kode] = files
    index = render_index(result, reports, tmp_path)
    text = Page(index.read_text(encoding="utf-8")).text
    assert all(str(n) in text for n in result.ringkasan["pemda"].dropna())
