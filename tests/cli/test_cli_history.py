"""`iid-audit history` and `iid-audit db upgrade` as a user runs them: audit the sample, fix a
few things in a copy, audit again the same day, then ask what changed."""

from __future__ import annotations

import json
import sys

from cli_conftest_paths import REPO, SAMPLE

sys.path.insert(0, str(REPO / "tests" / "pipeline"))
from fixed_copy import fixed_copy  # noqa: E402  (the sample with three findings fixed)


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
