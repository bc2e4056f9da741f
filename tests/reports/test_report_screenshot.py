"""Reports looked at as a reader would: headless Chromium at phone and desktop width."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import pytest

from reports_test_builders import NationBuilder

from reports import render_index, render_pemda
from reports.i18n import Translator
from reports.screenshot import find_chromium, measure

ID = Translator("id")

pytestmark = pytest.mark.skipif(
    find_chromium() is None, reason="Chromium not installed (apt-get install chromium): screenshots not taken"
)


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


def test_screenshot_module_renders_phone_and_desktop_widths(tulungagung, tmp_path):
    result = tulungagung.build(tmp_path)
    files = render_pemda(result, "35.04", tmp_path)
    render_index(result, {"35.04": files}, tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "reports.screenshot", str(tmp_path), "--limit", "1", "--height", "900"],
        capture_output=True, text=True, timeout=300, cwd=Path(__file__).resolve().parents[2],
    )
    assert proc.returncode == 0, proc.stderr
    shots = tmp_path / "screenshots"
    for page in ("index", files.html.stem):
        for width in (375, 1280):
            png = shots / f"{page}-{width}.png"
            assert png.is_file(), png
            w, h = png_size(png)
            assert (w, h) == (width, 900)
            assert png.stat().st_size > 5_000  # not a blank page


#: A 375 px wide phone screen is 667 px (iPhone SE) to 812 px (iPhone 12 mini) tall.
PHONE_WIDTH, PHONE_SCREEN = 375, 812


def test_measure_finds_what_a_phone_would_scroll_sideways_for(tmp_path):
    page = tmp_path / "wide.html"
    page.write_text('<!DOCTYPE html><html><head><meta name="viewport" content="width=device-width">'
                    '</head><body><h2>Kop</h2><table style="width:600px"><tr><td>lebar</td></tr></table>'
                    '<details><summary>buka</summary><div style="width:700px">tersembunyi</div></details>'
                    '</body></html>', encoding="utf-8")
    layout = measure(page, PHONE_WIDTH)
    assert layout.width == PHONE_WIDTH  # laid out at 375 px, not cropped from a wider window
    assert any(w.startswith("table ") for w in layout.wider)
    assert any(w.startswith("div ") for w in layout.wider)  # folded content is opened first
    assert layout.headings == [("Kop", layout.headings[0][1])]
    assert "<script" not in page.read_text(encoding="utf-8")  # measured on a copy


def long_report(tmp_path):
    """30 innovations with long titles, a costly error in each, a region-level finding: the
    worst a report gets, and an index of Pemda with long names."""
    titles = [f"Gerakan Terpadu Peningkatan Layanan Kesehatan Masyarakat Desa Nomor {i}" for i in range(30)]
    b = NationBuilder().pemda("35.04", "Kabupaten Tulungagung", "Jawa Timur", innovations=titles,
                              skor=(41.73, 37.68), persen=32.74)
    b.pemda("35.05", "Kabupaten Probolinggo Selatan Raya Sejahtera", "Jawa Timur", skor=(70.2, 66.1), persen=5.5)
    sid = b.catalog.sid_numbers
    for i in range(30):
        no = sid[i % len(sid)]
        b.finding("BKT-01", "35.04", inovasi=i + 1, no=no, pesan="Parameter tanpa Data Pendukung " * 3)
        b.slot("35.04", inovasi=i + 1, no=no, status="error", poin=0.05 + i / 100)
        b.finding("LKP-01", "35.04", inovasi=i + 1, no="17", severity="error", pesan="Indikator wajib 17 kosong")
        b.slot("35.04", inovasi=i + 1, no="17", status="kosong")
    b.finding("LKP-03", "35.04", no="8", severity="error", pesan="Indikator SPD wajib Opini BPK kosong")
    b.slot("35.04", inovasi=None, no="8", status="kosong")
    result = b.build(tmp_path)
    reports = {k: render_pemda(result, k, tmp_path) for k in ("35.04", "35.05")}
    return reports, render_index(result, reports, tmp_path)


def test_report_and_index_fit_a_375px_phone(tmp_path):
    reports, index = long_report(tmp_path)
    for page in (reports["35.04"].html, reports["35.05"].html, index):
        layout = measure(page, PHONE_WIDTH)
        assert layout.width == PHONE_WIDTH
        assert layout.wider == [], f"{page.name} at {PHONE_WIDTH} px: {layout.wider[:5]}"


def test_scores_and_fix_first_fit_two_phone_screens(tmp_path):
    reports, _ = long_report(tmp_path)
    layout = measure(reports["35.04"].html, PHONE_WIDTH)
    names = [h for h, _ in layout.headings]
    fix = names.index(ID("laporan.perbaiki.judul"))
    after = layout.headings[fix + 1]  # where the fix-first list ends
    assert names[fix - 1] == ID("laporan.skor.judul")  # the fixes right under the scores
    assert after[1] <= 2 * PHONE_SCREEN, f"the top of the report ends at {after[1]} px"


def test_sample_reports_fit_a_375px_phone(tmp_path):
    from datetime import date

    from core.settings import Settings
    from job.pipeline import run_audit

    sample = Path(__file__).resolve().parents[2] / "sample_data" / "ekspor-2026"
    result = run_audit(sample, tmp_path, settings=Settings(state_dir=tmp_path / "state"), as_of=date(2026, 11, 30))
    for kode in ("35.04", "35.78", "35.79"):  # the worst, LKP-09 only, clean
        files = render_pemda(result, kode, tmp_path / "r")
        layout = measure(files.html, PHONE_WIDTH)
        assert layout.wider == [], f"{kode}: {layout.wider[:5]}"
