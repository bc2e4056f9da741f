"""`iid-audit` end to end: expected failures are one line and the documented exit code
(README "Exit codes", iid_audit/outcomes.py), never a traceback; a run says where its outputs are."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_conftest_paths import SAMPLE

from iid_audit.cli import main
from core.outcomes import Outcome


def assert_one_clean_line(err: str, *words: str) -> None:
    lines = [ln for ln in err.splitlines() if ln.startswith("iid-audit: ") and " / " in ln]
    assert "Traceback" not in err and "ERROR" not in err, err
    assert lines, err
    for w in words:
        assert w in lines[-1], lines[-1]


def test_missing_export_is_a_usage_error(capsys, tmp_path):
    code = main(["audit", str(tmp_path / "tidak-ada.xlsx"), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == Outcome.USAGE.exit_code == 2
    assert_one_clean_line(err, "tidak-ada.xlsx")
    assert not (tmp_path / "out").exists()


def test_bad_arguments_are_one_line_and_exit_code_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["audit", "x.xlsx"])  # --out missing
    assert info.value.code == 2
    assert_one_clean_line(capsys.readouterr().err, "--out")


@pytest.fixture
def corrupt_workbook(tmp_path) -> Path:
    """An .xlsx that is not a zip at all (a download cut short, a renamed text file)."""
    p = tmp_path / "ekspor-rusak.xlsx"
    p.write_bytes(b"PK\x03\x04 bukan workbook \x00\x01")
    return p


def test_corrupt_workbook_is_unreadable_with_exit_code_3(iid_audit, corrupt_workbook):
    r = iid_audit("audit", str(corrupt_workbook), "--out", "keluaran")
    assert r.code == Outcome.UNREADABLE.exit_code == 3
    assert_one_clean_line(r.err, "ekspor-rusak.xlsx")
    assert r.out == ""


def test_unknown_region_is_a_usage_error(iid_audit):
    r = iid_audit("audit", str(SAMPLE), "--out", "keluaran", "--region", "99.99")
    assert r.code == Outcome.USAGE.exit_code == 2
    assert_one_clean_line(r.err, "99.99")


def test_a_run_on_the_sample_prints_its_output_folder_on_a_clean_console(iid_audit, tmp_path):
    r = iid_audit("audit", str(SAMPLE), "--out", "keluaran", "--as-of", "2026-07-01")
    out_dir = tmp_path / "keluaran"
    assert r.code == 0, r.err
    assert f"{out_dir}" in r.out
    assert (out_dir / "findings.csv").is_file() and (out_dir / "ringkasan.csv").is_file()  # top of DIR
    assert (out_dir / "index.html").is_file()
    assert "Traceback" not in r.err and "ERROR" not in r.err and "CancelledError" not in r.err, r.err
    # stderr holds only our own lines: the start line and the progress counters
    assert all(ln.startswith(("iid-audit: ", "  laporan", "  kirim")) for ln in r.err.splitlines()), r.err
    assert "6 Pemda" in r.out
