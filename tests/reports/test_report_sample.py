"""The real sample export through the real ingest, rules and metrics: every Pemda's report
within budget, email-safe, and listed in the index."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from reports_test_builders import Page, assert_no_script_or_external_loads

from core.settings import REPORT_BODY_BUDGET_BYTES, Settings
from reports import render_index, render_pemda
from reports.i18n import Translator

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"


def audit(path: Path, out: Path):
    """With a state folder of its own: never the user's (whose database another version of
    iid-audit may have migrated further)."""
    from job.pipeline import run_audit

    return run_audit(path, out, settings=Settings(state_dir=out / "state"), as_of=date(2026, 3, 2))


@pytest.mark.parametrize("name", ["ekspor-2026", "daftar-inovasi-jatim-2025.xlsx"])
def test_sample_export_renders_every_pemda_within_budget(name, tmp_path):
    path = SAMPLES / name
    assert path.exists(), f"sample_data/{name} not there"  # committed: missing is a failure
    result = audit(path, tmp_path)
    reports = {}
    for kode in result.ringkasan["kode_pemda"].dropna().astype(str):
        files = render_pemda(result, kode, tmp_path)
        assert files.body_bytes <= REPORT_BODY_BUDGET_BYTES
        html = files.html.read_text(encoding="utf-8")
        assert_no_script_or_external_loads(html)
        text = Page(html).text
        if result.export.kind == "daftar":  # the real app export has no indicator tables
            assert Translator("id")("laporan.skor.tidak_dapat") in text
        reports[kode] = files
    assert reports
    index = render_index(result, reports, tmp_path)
    text = Page(index.read_text(encoding="utf-8")).text
    assert all(str(n) in text for n in result.ringkasan["pemda"].dropna())
