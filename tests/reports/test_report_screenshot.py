"""Reports looked at as a reader would: headless Chromium at phone and desktop width."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import pytest

from reports import render_index, render_pemda
from reports.screenshot import find_chromium

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
