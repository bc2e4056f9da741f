"""Screenshots of rendered reports, to look at them as a reader would (phone and desktop).

    python -m reports.screenshot OUT_DIR [--limit N] [--dest DIR]

Renders `OUT_DIR/index.html` and the reports in `OUT_DIR/laporan/` with headless Chromium
at 375 px and 1280 px into `OUT_DIR/screenshots/` (PNG), each page laid out at that width (in a
frame: a headless window is never narrower than 500 px). `measure` says what of a page reaches
past a width (the phone test uses it). Chromium is a Debian package (`apt-get install
chromium`); without it the command says so and exits 2.
"""

from __future__ import annotations

import argparse
import html as html_lib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
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


def _chromium(chromium: str | None, width: int, height: int, profile: Path, *args: str) -> subprocess.CompletedProcess:
    chromium = chromium or find_chromium()
    if chromium is None:
        raise FileNotFoundError("chromium not found (apt-get install chromium)")
    cmd = [
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--hide-scrollbars", f"--user-data-dir={profile}", f"--window-size={width},{height}", *args,
    ]
    return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)


def _framed(page_uri: str, width: int, height: int, script: str = "") -> str:
    """A page showing `page_uri` in a `width` × `height` frame at its top left. Headless Chromium
    never makes a window narrower than 500 px (a 375 px screenshot of a page alone is a crop
    of a 500 px layout); a frame is laid out at exactly its own width."""
    return (f'<!DOCTYPE html><html><body style="margin:0"><iframe src="{html_lib.escape(page_uri)}" '
            f'width="{width}" height="{height}" style="border:0;display:block"></iframe>{script}</body></html>')


def screenshot(html: Path, png: Path, width: int, height: int = HEIGHT, chromium: str | None = None) -> Path:
    """One PNG of `html` laid out at `width` px; the browser never touches the network."""
    png.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="iid-shot-") as tmp:
        frame = Path(tmp) / "frame.html"
        frame.write_text(_framed(Path(html).resolve().as_uri(), width, height), encoding="utf-8")
        _chromium(chromium, width, height, Path(tmp) / "profile", f"--screenshot={png.resolve()}", frame.as_uri())
    if not png.is_file():
        raise RuntimeError(f"chromium wrote no screenshot for {html}")
    return png


#: Added to a temporary copy only (the report itself never carries a script): notes where each
#: heading starts as the page opens, then opens every `<details>`, lists each element whose box
#: reaches past the page's width, and posts that to the frame around it (a message is the one
#: thing a file: page may send another).
_MEASURE = """<script>
addEventListener("load", () => {
  const headings = [...document.querySelectorAll("h2")].map(h => [h.textContent.trim(), Math.round(h.getBoundingClientRect().top)]);
  document.querySelectorAll("details").forEach(d => { d.open = true; });
  const w = document.documentElement.clientWidth, out = [];
  if (document.documentElement.scrollWidth > w) out.push("page scrollWidth=" + document.documentElement.scrollWidth);
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && (r.right > w + 0.5 || r.left < -0.5))
      out.push(el.tagName.toLowerCase() + " right=" + Math.round(r.right) + " " + (el.textContent || "").trim().slice(0, 50));
  }
  parent.postMessage(JSON.stringify({width: w, wider: out, headings: headings}), "*");
});
</script>"""
_RECEIVE = """<script>
addEventListener("message", e => {
  const pre = document.createElement("pre"); pre.id = "iid-overflow"; pre.textContent = e.data;
  document.body.appendChild(pre);
});
</script>"""
_RESULT = re.compile(r'<pre id="iid-overflow">(.*?)</pre>', re.S)


@dataclass
class Layout:
    """A page as laid out at one width: how wide it is, what reaches past that (every
    `<details>` open), and where each `<h2>` starts in px as the page opens (folded)."""

    width: int
    wider: list[str]
    headings: list[tuple[str, int]]


def measure(html: Path, width: int, chromium: str | None = None) -> Layout:
    """The layout of `html` at `width` px, as a phone reader gets it (measured on a temporary
    copy with a script added; the report file is not touched)."""
    page = Path(html).read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="iid-measure-") as tmp:
        copy = Path(tmp) / "page.html"
        copy.write_text(page.replace("</body>", _MEASURE + "</body>", 1), encoding="utf-8")
        frame = Path(tmp) / "frame.html"
        frame.write_text(_framed(copy.as_uri(), width, 900, _RECEIVE), encoding="utf-8")
        proc = _chromium(chromium, width, 900, Path(tmp) / "profile", "--virtual-time-budget=10000",
                         "--dump-dom", frame.as_uri())
    m = _RESULT.search(proc.stdout)
    if m is None:
        raise RuntimeError(f"chromium did not measure {html}")
    data = json.loads(html_lib.unescape(m.group(1)))
    return Layout(int(data["width"]), list(data["wider"]), [(str(t), int(y)) for t, y in data["headings"]])


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
