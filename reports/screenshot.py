"""Screenshots of rendered reports, to look at them as a reader would (phone and desktop).

    python -m reports.screenshot OUT_DIR [--limit N] [--dest DIR]

Renders `OUT_DIR/index.html` and the reports in `OUT_DIR/laporan/` with headless Chromium
at 375 px and 1280 px into `OUT_DIR/screenshots/` (PNG). Chromium is a Debian package
(`apt-get install chromium`); without it the command says so and exits 2.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

WIDTHS = (375, 1280)
#: Tall enough to see the headline, the fix list and the first findings in one image.
HEIGHT = 2400
#: One page load must not hang a run (Chromium has no default timeout for --screenshot).
TIMEOUT_SECONDS = 60


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def screenshot(html: Path, png: Path, width: int, height: int = HEIGHT, chromium: str | None = None) -> Path:
    """One PNG of `html` at `width` px; the browser never touches the network."""
    chromium = chromium or find_chromium()
    if chromium is None:
        raise FileNotFoundError("chromium not found (apt-get install chromium)")
    png.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="iid-shot-") as profile:
        cmd = [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--hide-scrollbars", f"--user-data-dir={profile}", f"--window-size={width},{height}",
            f"--screenshot={png}", Path(html).resolve().as_uri(),
        ]
        subprocess.run(cmd, check=True, capture_output=True, timeout=TIMEOUT_SECONDS)
    if not png.is_file():
        raise RuntimeError(f"chromium wrote no screenshot for {html}")
    return png


def screenshot_run(out_dir: Path, dest: Path | None = None, limit: int = 3, height: int = HEIGHT) -> list[Path]:
    """index.html plus up to `limit` reports (largest first: the hardest to read), both widths."""
    out_dir = Path(out_dir)
    dest = Path(dest) if dest else out_dir / "screenshots"
    pages: list[Path] = []
    if (out_dir / "index.html").is_file():
        pages.append(out_dir / "index.html")
    reports = sorted((out_dir / "laporan").glob("*.html"), key=lambda p: -p.stat().st_size)
    pages += reports[:limit]
    chromium = find_chromium()
    shots = []
    for page in pages:
        for w in WIDTHS:
            shots.append(screenshot(page, dest / f"{page.stem}-{w}.png", w, height, chromium=chromium))
    return shots


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m reports.screenshot", description=__doc__.splitlines()[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--dest", type=Path, default=None)
    ap.add_argument("--limit", type=int, default=3, help="how many reports (largest first)")
    ap.add_argument("--height", type=int, default=HEIGHT, help="window height in px")
    args = ap.parse_args(argv)
    if find_chromium() is None:
        print("chromium tidak ditemukan / not found: apt-get install chromium", file=sys.stderr)
        return 2
    if not args.out_dir.is_dir():
        print(f"folder tidak ada / no such folder: {args.out_dir}", file=sys.stderr)
        return 2
    for p in screenshot_run(args.out_dir, args.dest, args.limit, args.height):
        print(p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
