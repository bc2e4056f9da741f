"""Evidence stage throughput: files per second reading N small evidence files (PDF, PNG, JPEG),
in this process, as Prefect tasks on the default runner, and on a local 2-worker Dask cluster
(prefect-dask), each cold (empty evidence cache) and warm (every file already in the cache).

    python bench/evidence.py                 # 2,000 files
    python bench/evidence.py --files 10000   # more

Files are written once into bench/out/bukti-<N>/ (git-ignored); the cache is a fresh SQLite
database per cold run. Prints one table and writes bench/results/<date>-bukti-<N>.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from checks.evidence import evidence_facts, map_in_process  # noqa: E402
from store.db import make_engine, init_db  # noqa: E402
from store.evidence import DbFactsCache  # noqa: E402
from synthetic.evidence import evidence_bytes  # noqa: E402

#: Mix of types as in the sample (mostly PDF) and sizes of small uploads (KB).
MIX = (("pdf", 0.6, 24), ("png", 0.25, 14), ("jpg", 0.15, 12))


def write_files(folder: Path, n: int) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for i in range(n):
        r = (i * 0.618) % 1.0
        acc = 0.0
        for ext, share, kb in MIX:
            acc += share
            if r < acc:
                break
        name = f"bukti-{i:06d}.{ext}"
        p = folder / name
        if not p.exists():
            p.write_bytes(evidence_bytes(ext, [f"Dokumen bukti nomor {i}", "Inovasi daerah contoh"], kb * 1024, seed=i))
        names.append(name)
    return names


def one_pass(bukti: Path, names: pd.Series, cache, evidence_map) -> dict:
    """One night over the files: seconds, files per second and how many files were sent to be
    read (on Dask they are opened in the workers, so counted where they are sent)."""
    sent = [0]

    def counting(fn, batches):
        sent[0] += sum(len(b) for b in batches)
        return (evidence_map or map_in_process)(fn, batches)

    ctx = SimpleNamespace(export=SimpleNamespace(bukti_dir=bukti), evidence_cache=cache, evidence_map=counting,
                          evidence_memo={}, evidence_text_names=set())
    t = time.perf_counter()
    facts = evidence_facts(ctx, names)
    seconds = time.perf_counter() - t
    assert facts.notna().all()
    return {"seconds": round(seconds, 2), "files_per_second": round(len(names) / seconds, 1), "files_read": sent[0]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    args = ap.parse_args(argv)

    import os

    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from prefect.testing.utilities import prefect_test_harness

    from flows.evidence import evidence_map

    bukti = args.out / f"bukti-{args.files}"
    names = pd.Series(write_files(bukti, args.files))
    runners = {
        "in-process": None,
        "Prefect default runner": evidence_map(""),
        "Dask, 2 local workers": evidence_map("", n_workers=2, threads_per_worker=1, processes=True),
    }
    rows = []
    with prefect_test_harness(server_startup_timeout=120), tempfile.TemporaryDirectory() as tmp:
        for label, mapper in runners.items():
            engine = init_db(make_engine(f"sqlite:///{Path(tmp) / (label.split()[0].strip(',') + '.sqlite')}"))
            cold = one_pass(bukti, names, DbFactsCache(engine), mapper)
            warm = one_pass(bukti, names, DbFactsCache(engine), mapper)
            engine.dispose()
            rows.append({"runner": label, "cold": cold, "warm": warm})

    print(f"{args.files} evidence files ({', '.join(f'{int(s * 100)}% {e} ~{kb} KB' for e, s, kb in MIX)})")
    print("| runner | cold s | cold files/s | files read | warm s | warm files/s | files read |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        c, w = r["cold"], r["warm"]
        print(f"| {r['runner']} | {c['seconds']} | {c['files_per_second']:,.0f} | {c['files_read']} | {w['seconds']} | "
              f"{w['files_per_second']:,.0f} | {w['files_read']} |")
    out = ROOT / "bench" / "results" / f"{date.today().isoformat()}-bukti-{args.files}.json"
    out.write_text(json.dumps({"files": args.files, "rows": rows}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
