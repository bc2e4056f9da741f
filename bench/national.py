"""End-to-end benchmark: `iid-audit audit` as a user runs it, beside a pandas floor.

Each scenario runs the CLI in a fresh process (nothing configured: in-process, SQLite, outbox)
and reports its wall time from process start, its peak RSS (`os.wait4`, that process alone)
and the seconds per stage from its `run.json`. The floor reads the same CSV tables with
pandas and runs a few vectorized checks: what any audit of these files must at least cost.

The exports carry problems as a real nation's do (`python -m synthetic --problems 0.15`: on
average 15 % of indicator rows unanswered, without evidence or with a document date typed in
the future, each Pemda its own share): ~116,000 findings nationally, so the reports are cut to
the email budget and carry their XLSX attachments. `--problems 0` measures a clean nation.

    python bench/national.py                       # national CSV, one Pemda, the floor
    python bench/national.py --xlsx --scales       # also from one workbook, and ½× / 2× data
    python bench/national.py --pemda 40            # a small nation (quick check of the script)

One table is printed, with the speed issue's targets beside the runs they apply to, and the
interpreter that ran them with its pure-Python speed (`PYTHON_REFERENCE`: the same code runs
~20 % faster on an optimized CPython build); the figures are written to
`bench/results/<date>-<pemda>.json`. The CLI runs on the interpreter that runs this script:
`/path/to/venv/bin/python bench/national.py` measures that venv's. Exports are generated once into
`bench/out/` (git-ignored) and reused; every run starts from an empty state folder (no
history, no export cache), except "one Pemda after the night", which runs on the national
run's state as an on-demand audit does (its export cache warm).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-07-01"
#: ½× and 2× scale: innovations per Pemda fixed at half and twice the national mean (~68)
SCALES = {"½×": (34, 34), "2×": (136, 136)}
#: The speed issue's targets on a 2-core machine: wall seconds from process start, and peak RSS.
TARGET_S = {"nasional (CSV)": 30.0, "nasional (XLSX)": 60.0, "satu Pemda setelah malam": 8.0}
TARGET_RSS_MB = {"nasional (CSV)": 2048}
#: Mean share of indicator rows with a problem in the generated exports (see the docstring).
PROBLEMS = 0.15
#: 2× data must take at most this many times the 1× time.
TARGET_2X = 2.1


def generate(out: Path, pemda: int, *, xlsx: bool = False, spread: tuple[int, int] | None = None,
             problems: float = PROBLEMS) -> Path:
    """The export, generated once in a child process: a parent grown by generating 1.5 M rows
    would lend its size to every later child's peak RSS (Linux counts it from the fork)."""
    if not (out / "profil_pemda.csv").exists() and not list(out.glob("*.xlsx")):
        cmd = [sys.executable, "-m", "synthetic", "--pemda", str(pemda), "--out", str(out), "--as-of", AS_OF,
               "--problems", str(problems)]
        if xlsx:
            cmd.append("--xlsx")
        if spread:
            cmd += ["--min-inovasi", str(spread[0]), "--max-inovasi", str(spread[1])]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    books = list(out.glob("*.xlsx"))
    return books[0] if xlsx and books else out


def run_cli(export: Path, out: Path, *extra: str, state: Path | None = None) -> dict:
    """One CLI run in a fresh process: wall seconds, peak RSS (MB), stages, exit code. The
    state folder is `<out>-state`, emptied first, unless `state` names another run's."""
    import shutil

    if state is None:
        state = out.parent / f"{out.name}-state"
        shutil.rmtree(state, ignore_errors=True)
    env = {**os.environ, "IID_AUDIT_STATE_DIR": str(state)}
    env.pop("PREFECT_API_URL", None)
    t = time.perf_counter()
    p = subprocess.Popen([sys.executable, "-m", "iid_audit.cli", "audit", str(export), "--out", str(out),
                          "--as-of", AS_OF, *extra], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    err = p.stderr.read().decode(errors="replace") if p.stderr else ""
    p.stderr and p.stderr.close()
    run = json.loads((out / "run.json").read_text(encoding="utf-8")) if (out / "run.json").is_file() else {}
    return {"wall_s": round(wall, 2), "peak_rss_mb": usage.ru_maxrss // 1024, "exit": os.waitstatus_to_exitcode(status),
            "stages_s": run.get("tahap_detik", {}), "pemda": run.get("pemda"), "findings": _count_findings(out),
            "error": err.strip().splitlines()[-1] if os.waitstatus_to_exitcode(status) else None}


def _count_findings(out: Path) -> int | None:
    """Rows of the run's `findings.csv` (None when it wrote none)."""
    import csv

    path = out / "findings.csv"
    if not path.is_file():
        return None
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return sum(1 for _ in csv.reader(fh)) - 1


def region_in(export: Path, wanted: str) -> str:
    """`wanted` when the export's Profil Pemda has it, else its first Kemendagri code."""
    import csv

    with open(export / "profil_pemda.csv", encoding="utf-8-sig", newline="") as fh:
        codes = [row.get("Kode Pemda", "").strip() for row in csv.DictReader(fh)]
    return wanted if wanted in codes else next(c for c in codes if c)


def floor(export: Path) -> dict:
    """Read the CSV tables with pandas and run a few vectorized checks, in a fresh process."""
    code = f"""
import time, resource, pandas as pd
t = time.perf_counter()
d = pd.read_csv({str(export / 'daftar_inovasi.csv')!r}, dtype=str, keep_default_na=False)
i = pd.read_csv({str(export / 'indikator_inovasi.csv')!r}, dtype=str, keep_default_na=False)
p = pd.read_csv({str(export / 'indikator_pemda.csv')!r}, dtype=str, keep_default_na=False)
checks = [
    (d["Koordinat"].str.strip() == "").sum(),
    pd.to_datetime(d["Tanggal Penerapan"], format="%d-%m-%Y", errors="coerce").isna().sum(),
    (i["Data Pendukung"].str.strip() == "").sum(),
    i.groupby(["No Indikator", "SHA256"])["ID Inovasi"].transform("nunique").gt(1).sum(),
    pd.to_numeric(i["Ukuran File (KB)"].str.replace(",", "."), errors="coerce").lt(20).sum(),
    p.groupby("Kode Pemda").size().lt(20).sum(),
]
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    return {"wall_s": round(time.perf_counter() - t, 2), "inner_s": round(float(out[0]), 2), "peak_rss_mb": int(out[1])}


#: A fixed pure-Python workload (dicts, strings, f-strings, calls: what the reports, the
#: messages and the rules' Python parts do), timed in a fresh process. The pandas floor
#: measures the host's C speed; this measures the interpreter's own, which differs with how
#: CPython was built: an optimized build (PGO + LTO: Debian's and Ubuntu's python3.11, the
#: python.org installers, the official Docker images) runs it ~30 % faster than pyenv's default
#: build (no `--enable-optimizations`), and the whole audit ~20 % faster (bench/README.md).
PYTHON_REFERENCE = """
import time
def work():
    seen = {}
    for i in range(3_000_000):
        key = f"k{i % 1000}"
        seen[key] = seen.get(key, 0) + len(key.replace("k", "&amp;"))
    return seen
t = time.perf_counter(); work(); print(time.perf_counter() - t)
"""


def interpreter() -> dict:
    """Which Python runs the CLI (`sys.executable`, the base interpreter of a venv) and its
    pure-Python speed (`PYTHON_REFERENCE`, seconds: less is faster)."""
    import platform

    out = subprocess.run([sys.executable, "-c", PYTHON_REFERENCE], capture_output=True, text=True, check=True)
    return {"executable": os.path.realpath(sys.executable), "version": platform.python_version(),
            "compiler": platform.python_compiler(), "reference_s": round(float(out.stdout.split()[0]), 2)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pemda", type=int, default=546)
    ap.add_argument("--xlsx", action="store_true", help="also audit the national export as one workbook")
    ap.add_argument("--scales", action="store_true", help="also ½× and 2× innovations per Pemda")
    ap.add_argument("--region", default="35.04",
                    help="the Pemda of the one-Pemda run (the export's first when it has not this one)")
    ap.add_argument("--problems", type=float, default=PROBLEMS,
                    help="mean share of indicator rows with a problem in the exports (0: a clean nation)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    ap.add_argument("--results", type=Path, default=ROOT / "bench" / "results", help="where the JSON goes")
    a = ap.parse_args(argv)

    tag = f"-masalah{round(a.problems * 100)}" if a.problems else ""  # each kind of export its own folder
    base = a.out / f"nasional-{a.pemda}{tag}"
    runs: dict[str, dict] = {}
    csv = generate(base, a.pemda, problems=a.problems)
    a.region = region_in(csv, a.region)
    runs["nasional (CSV)"] = run_cli(csv, a.out / "run-nasional")
    runs["satu Pemda, ekspor baru"] = run_cli(csv, a.out / "run-region", "--region", a.region)
    runs["satu Pemda setelah malam"] = run_cli(csv, a.out / "run-region-warm", "--region", a.region,
                                               state=a.out / "run-nasional-state")
    if a.xlsx:
        book = generate(a.out / f"nasional-{a.pemda}{tag}-xlsx", a.pemda, xlsx=True, problems=a.problems)
        runs["nasional (XLSX)"] = run_cli(book, a.out / "run-xlsx")
    if a.scales:
        for name, spread in SCALES.items():
            runs[f"nasional {name}"] = run_cli(generate(a.out / f"nasional-{a.pemda}{tag}-{spread[0]}", a.pemda,
                                                        spread=spread, problems=a.problems), a.out / f"run-{spread[0]}")
    base_floor = floor(csv)
    python = interpreter()
    ratio = lambda r: round(r["wall_s"] / base_floor["wall_s"], 1)  # noqa: E731

    def target(name: str, r: dict) -> str:
        out = []
        if name in TARGET_S:
            out.append(f"≤ {TARGET_S[name]:g} s {'✓' if r['wall_s'] <= TARGET_S[name] else '✗'}")
        if name in TARGET_RSS_MB:
            out.append(f"≤ {TARGET_RSS_MB[name]} MB {'✓' if r['peak_rss_mb'] <= TARGET_RSS_MB[name] else '✗'}")
        if name == "nasional 2×" and "nasional (CSV)" in runs:
            x = r["wall_s"] / runs["nasional (CSV)"]["wall_s"]
            out.append(f"{x:.2f}× of 1× (≤ {TARGET_2X}× {'✓' if x <= TARGET_2X else '✗'})")
        return ", ".join(out)

    print(f"{'run':<26} {'wall s':>8} {'× floor':>8} {'peak MB':>8} {'temuan':>8}  {'target':<28} stages (s)")
    for name, r in runs.items():
        stages = ", ".join(f"{k} {v:.1f}" for k, v in r["stages_s"].items())
        print(f"{name:<26} {r['wall_s']:>8.1f} {ratio(r):>8} {r['peak_rss_mb']:>8} {r['findings'] if r['findings'] is not None else '-':>8}"
              f"  {target(name, r):<28} {stages}"
              + (f"  EXIT {r['exit']}: {r['error']}" if r["exit"] else ""))
        r["target"] = target(name, r)
    print(f"{'floor (pandas)':<26} {base_floor['wall_s']:>8.1f} {1.0:>8} {base_floor['peak_rss_mb']:>8}")
    print(f"Python {python['version']} ({python['executable']}, {python['compiler']}): "
          f"pure-Python reference {python['reference_s']:.2f} s")

    results = a.results
    results.mkdir(parents=True, exist_ok=True)
    path = results / f"{datetime.now():%Y%m%d-%H%M}-{a.pemda}.json"
    path.write_text(json.dumps({"pemda": a.pemda, "problems": a.problems, "cores": os.cpu_count(), "runs": runs,
                                "floor": base_floor, "python": python},
                               indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"→ {path}")
    return 0 if all(r["exit"] in (0, 1) for r in runs.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
