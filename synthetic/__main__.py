"""`python -m synthetic --pemda 546 --seed 2026 --out DIR [--xlsx] [--bukti]`."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from synthetic.generator import DEFAULT_AS_OF, generate_export


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m synthetic", description="Generate a synthetic IID export (deterministic per seed): clean, or with problems planted nationwide.")
    ap.add_argument("--pemda", type=int, default=546, help="number of Pemda (546 = the nation)")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--year", type=int, default=2026, help="assessment year (catalog)")
    ap.add_argument("--out", type=Path, required=True, help="output folder")
    ap.add_argument("--xlsx", action="store_true", help="one workbook instead of four CSV files")
    ap.add_argument("--bukti", action="store_true", help="also write evidence files to OUT/bukti (small scales only)")
    ap.add_argument("--min-inovasi", type=int, help="fixed range of innovations per Pemda (with --max-inovasi)")
    ap.add_argument("--max-inovasi", type=int)
    ap.add_argument("--as-of", type=date.fromisoformat, default=DEFAULT_AS_OF, help="no date after this day (YYYY-MM-DD)")
    ap.add_argument("--problems", type=float, default=0.0, metavar="SHARE",
                    help="mean share of indicator rows with a problem, each Pemda its own (0 = clean; 0.15 in the benchmark)")
    a = ap.parse_args(argv)
    spread = None
    if a.min_inovasi is not None or a.max_inovasi is not None:
        lo = a.min_inovasi if a.min_inovasi is not None else 12
        spread = (lo, a.max_inovasi if a.max_inovasi is not None else lo)
    try:
        g = generate_export(
            a.out, n_pemda=a.pemda, seed=a.seed, year=a.year, fmt="xlsx" if a.xlsx else "csv",
            innovations_per_pemda=spread, with_bukti=a.bukti, as_of=a.as_of, problems=a.problems,
        )
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(
        f"{g.out_dir}: {g.n_pemda} Pemda, {g.n_inovasi} inovasi, {g.n_indikator_inovasi} baris indikator inovasi, "
        f"{g.n_indikator_pemda} baris indikator Pemda" + (f", {g.n_bukti} berkas bukti" if g.bukti_dir else "") + f" ({g.seconds:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
