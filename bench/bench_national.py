"""National-scale benchmark: generate → ingest → rules → metrics, timed stage by stage.

    python bench/bench_national.py [--pemda 546] [--seed 2026] [--regenerate] [--out bench/out]

Reuses `bench/out/nasional-<pemda>-<seed>/` (git-ignored) when it exists.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

AS_OF = date(2026, 7, 1)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def report(stage: str, rows: int | None, seconds: float | None, note: str = "") -> None:
    if seconds is None:
        print(f"{stage:<28} {'-':>10} {'-':>9} {'-':>12}  {note}")
        return
    rate = f"{rows / seconds:,.0f}/s" if rows and seconds > 0 else "-"
    print(f"{stage:<28} {rows if rows is not None else '-':>10,} {seconds:>8.2f}s {rate:>12}  peak {peak_mb():,.0f} MB {note}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pemda", type=int, default=546)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    ap.add_argument("--regenerate", action="store_true", help="generate even when the export exists")
    a = ap.parse_args(argv)

    from synthetic import generate_export

    export_dir = a.out / f"nasional-{a.pemda}-{a.seed}"
    print(f"{'stage':<28} {'rows':>10} {'seconds':>9} {'throughput':>12}")
    marker = export_dir / "profil_pemda.csv"
    if a.regenerate or not marker.exists():
        t = time.perf_counter()
        g = generate_export(export_dir, n_pemda=a.pemda, seed=a.seed, as_of=AS_OF)
        rows = g.n_inovasi + g.n_indikator_inovasi + g.n_indikator_pemda + g.n_pemda
        report("generate (csv)", rows, time.perf_counter() - t,
               f"({g.n_pemda} Pemda, {g.n_inovasi} inovasi, {g.n_indikator_inovasi} SID, {g.n_indikator_pemda} SPD)")
    else:
        report("generate (csv)", None, None, f"reused {export_dir}")
    size_mb = sum(p.stat().st_size for p in export_dir.glob("*.csv")) / 1e6
    print(f"{'':<28} export size {size_mb:,.0f} MB")

    from core.catalog import load_catalog
    from checks.engine import run_rules
    from checks.metrics import region_metrics
    from ingest import read_export

    t = time.perf_counter()
    export = read_export(export_dir)
    rows = sum(len(df) for df in export.tables.values())
    report("ingest.read_export", rows, time.perf_counter() - t, f"({len(export.findings)} SKM findings)")

    catalog = load_catalog(2026)
    t = time.perf_counter()
    result = run_rules(export, catalog, as_of=AS_OF)
    report("checks.engine.run_rules", rows, time.perf_counter() - t, f"({len(result.findings)} findings)")

    t = time.perf_counter()
    metrics = region_metrics(export, result.findings, catalog)
    report("checks.metrics.region_metrics", len(metrics.ringkasan), time.perf_counter() - t, "(Pemda)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
