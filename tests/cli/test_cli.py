"""`iid-audit` end to end: expected failures are one line and the documented exit code
(README "Exit codes", iid_audit/outcomes.py), never a traceback; a run says where its outputs are."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_conftest_paths import SAMPLE
from conftest import command

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


def test_without_a_prefect_server_the_audit_runs_in_process_and_starts_no_server(iid_audit, tmp_path):
    r = iid_audit("audit", str(SAMPLE), "--out", "keluaran", "--as-of", "2026-07-01", "--region", "35.04")
    assert r.code == 0, r.err
    assert "dalam proses ini / in-process" in r.err
    assert "server" not in r.err.lower()
    home = Path(iid_audit.env["PREFECT_HOME"])
    assert not list(home.glob("*.db")), "a Prefect database was created: a server was started"


def test_a_send_interrupted_by_an_earlier_crash_is_reconciled_on_the_cli_path(iid_audit, tmp_path):
    """A killed `--send` left its ledger row `in_progress`: the next CLI run (the path every
    user takes) must turn it into `uncertain` and tell the operator, not leave it forever."""
    from store.db import init_db, make_engine
    from store.ledger import IN_PROGRESS, UNCERTAIN, Ledger

    engine = init_db(make_engine(f"sqlite:///{tmp_path / 'state' / 'iid-audit.sqlite'}"))
    ledger = Ledger(engine)
    row = ledger.insert("35.79", "nasional-20260630", "ab" * 32, 0, IN_PROGRESS, "<x@iid-audit>")
    r = iid_audit("audit", str(SAMPLE), "--out", "keluaran", "--as-of", "2026-07-01")
    assert ledger.get(row.id).state == UNCERTAIN
    assert r.code == Outcome.PARTIAL.exit_code, r.err
    run = __import__("json").loads((tmp_path / "keluaran" / "run.json").read_text(encoding="utf-8"))
    [note] = [f for f in run["failures"] if f["kode_pemda"] == "35.79"]
    assert note["tahap"] == "kirim" and "--resend" in note["pesan"]


def test_five_cli_audits_at_once_all_succeed(iid_audit, tmp_path):
    """Five operators audit their own Pemda at the same moment, sharing one state database."""
    import subprocess

    regions = ["35", "35.04", "35.10", "35.78", "33"]
    procs = [subprocess.Popen(command("audit", str(SAMPLE), "--out", f"keluaran-{k}", "--region", k,
                                      "--as-of", "2026-07-01"),
                              cwd=iid_audit.cwd, env=iid_audit.env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
             for k in regions]
    results = [(k, p.wait(timeout=300), p.stderr.read()) for k, p in zip(regions, procs)]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    assert [(k, code) for k, code, _ in results] == [(k, 0) for k in regions], results
    for k in regions:
        ring = (tmp_path / f"keluaran-{k}" / "ringkasan.csv").read_text(encoding="utf-8").splitlines()
        assert len(ring) == 2 and ring[1].startswith(f"{k},")


def test_progress_bars_on_a_terminal_leave_no_thread_that_would_keep_children_from_forking():
    """rich draws the bars on each update, not from a refresher thread: a run on a terminal
    forks its background children (`core.parallel.foreign_threads`) as one on a pipe does."""
    import io
    import threading

    from core.parallel import foreign_threads
    from iid_audit.cli import Progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    before = set(threading.enumerate())
    bar = Progress(Terminal())
    try:
        bar("laporan", 3, 546)
        assert [t for t in foreign_threads() if t not in before] == []
        assert "3/546" in bar.stream.getvalue()
    finally:
        bar.close()
