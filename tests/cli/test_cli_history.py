"""`iid-audit history` and `iid-audit db upgrade` as a user runs them: audit the sample, fix a
few things in a copy, audit again the same day, then ask what changed."""

from __future__ import annotations

import json
import sys

from cli_conftest_paths import REPO, SAMPLE

sys.path.insert(0, str(REPO / "tests" / "pipeline"))
sys.path.insert(0, str(REPO / "tests" / "store"))
from fixed_copy import fixed_copy  # noqa: E402  (the sample with three findings fixed)
from history_builders import KAB, bukti_kecil, metrics_for, record  # noqa: E402


def test_history_after_a_fixed_copy_is_audited_again_the_same_day(iid_audit, tmp_path):
    empty = iid_audit("history")
    assert empty.code == 0 and "Belum ada audit tercatat" in empty.out

    assert iid_audit("audit", str(SAMPLE), "--out", "pagi", "--region", "35.04", "--as-of", "2026-11-30").code == 0
    fixed = fixed_copy(tmp_path / "perbaikan")
    r = iid_audit("audit", str(fixed), "--out", "siang", "--region", "35.04", "--as-of", "2026-11-30")
    assert r.code == 0, r.out + r.err
    pagi = json.loads((tmp_path / "pagi" / "run.json").read_text(encoding="utf-8"))["run_id"]
    siang = json.loads((tmp_path / "siang" / "run.json").read_text(encoding="utf-8"))["run_id"]

    j = iid_audit("history", "--region", "35.04", "--json")
    assert j.code == 0, j.err
    runs = json.loads(j.out)
    assert [x["run_id"] for x in runs] == [siang, pagi]
    assert (runs[0]["temuan_selesai"], runs[0]["temuan_baru"], runs[0]["run_sebelumnya"]) == (3, 0, pagi)
    assert runs[0]["selisih_skor_terverifikasi"] > 0 and runs[1]["temuan_selesai"] is None

    table = iid_audit("history", "--region", "35.04", "--limit", "1")
    lines = table.out.splitlines()
    assert len(lines) == 2 and lines[1].startswith(siang)  # header, then the newest run only
    assert f"+{runs[0]['selisih_skor_terverifikasi']:.2f}" in lines[1]


def test_history_shows_unknown_changes_where_retention_dropped_the_findings(iid_audit):
    from store.db import make_engine

    engine = make_engine(f"sqlite:///{iid_audit.cwd / 'state' / 'iid-audit.sqlite'}")
    for i in range(3):  # a different finding each run; the oldest run's findings are dropped
        record(engine, f"run-{i}", metrics_for(**{"35_04": (50.0, 40.0 + i)}),
               [bukti_kecil(KAB, "35.04-1", str(16 + i))], minutes=i, keep_runs=2, scope=KAB)
    engine.dispose()

    j = iid_audit("history", "--region", KAB, "--json")
    assert j.code == 0, j.err
    runs = {r["run_id"]: r for r in json.loads(j.out)}
    assert (runs["run-2"]["temuan_baru"], runs["run-2"]["temuan_selesai"]) == (1, 1)
    blind = runs["run-1"]  # against run-0, whose findings are gone: unknown, not "1 new"
    assert (blind["temuan_baru"], blind["temuan_selesai"], blind["temuan_tetap"]) == (None, None, None)
    assert blind["run_sebelumnya"] == "run-0" and blind["selisih_skor_terverifikasi"] == 1.0

    table = iid_audit("history", "--region", KAB)
    assert table.code == 0, table.err
    line = next(x for x in table.out.splitlines() if x.startswith("run-1 "))
    cells = line.split()
    # … error, warning, selesai, baru, tetap, skor, Δ skor, %, Δ %
    assert cells[-7:-4] == ["—", "—", "—"] and cells[-3] == "+1.00"


def test_db_upgrade_migrates_then_says_it_is_current(iid_audit):
    first = iid_audit("db", "upgrade")
    assert first.code == 0, first.err
    assert "kosong / empty → 0004" in first.out
    again = iid_audit("db", "upgrade")
    assert again.code == 0 and "sudah terbaru / already current" in again.out


def test_an_unreachable_database_is_one_line_not_a_traceback(iid_audit):
    iid_audit.env["IID_AUDIT_DB_URL"] = "postgresql+psycopg://iid:rahasia@127.0.0.1:1/iid"
    r = iid_audit("history")
    assert r.code == 2
    assert r.err.count("\n") == 1 and "Traceback" not in r.err
    assert "rahasia" not in r.err and "IID_AUDIT_DB_URL" in r.err


def test_history_on_a_database_missing_a_column_names_it_in_one_line(iid_audit):
    import sqlalchemy as sa

    from store.db import make_engine, open_db

    url = f"sqlite:///{iid_audit.cwd / 'state' / 'iid-audit.sqlite'}"
    open_db(url).dispose()
    engine = make_engine(url)
    with engine.begin() as c:
        c.execute(sa.text("ALTER TABLE audit_run DROP COLUMN code_version"))
    engine.dispose()
    r = iid_audit("history")
    assert r.code == 2 and r.err.count("\n") == 1 and "Traceback" not in r.err
    assert "code_version" in r.err and "iid-audit db upgrade" in r.err
