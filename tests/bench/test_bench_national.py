"""The end-to-end benchmark runs at a small scale and writes its JSON (no timing asserted:
speed is measured by running `bench/national.py`, not by tests)."""

from __future__ import annotations

import json
import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_benchmark_runs_every_scenario_and_writes_its_figures(tmp_path, capsys):
    main = runpy.run_path(str(ROOT / "bench" / "national.py"))["main"]
    code = main(["--pemda", "3", "--out", str(tmp_path / "out"), "--results", str(tmp_path / "hasil")])
    assert code == 0
    (result,) = list((tmp_path / "hasil").glob("*-3.json"))
    data = json.loads(result.read_text(encoding="utf-8"))
    runs = data["runs"]
    assert set(runs) == {"nasional (CSV)", "satu Pemda, ekspor baru", "satu Pemda setelah malam"}
    for name, r in runs.items():
        assert r["exit"] in (0, 1), (name, r)
        assert r["wall_s"] > 0 and r["peak_rss_mb"] > 0 and "analisis" in r["stages_s"], name
    assert runs["nasional (CSV)"]["pemda"] == 3 and runs["satu Pemda setelah malam"]["pemda"] == 1
    assert data["floor"]["wall_s"] > 0
    assert data["python"]["reference_s"] > 0 and Path(data["python"]["executable"]).is_file()
    # the export carries problems as a nation's does, so the reports and their attachments are measured
    assert data["problems"] > 0 and runs["nasional (CSV)"]["findings"] > 0
    table = capsys.readouterr().out
    assert "floor (pandas)" in table and "≤ 30 s" in table and "≤ 8 s" in table
    assert f"pure-Python reference {data['python']['reference_s']:.2f} s" in table
