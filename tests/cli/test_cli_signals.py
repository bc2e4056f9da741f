"""No process outlives the run: SIGTERM stops the temporary Prefect server of `--prefect`;
after SIGKILL, the next run ends the orphan it left (by its recorded PID, checked to be ours)."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest
from cli_conftest_paths import SAMPLE
from conftest import command

from flows.embedded import SERVER_PID_FILE, _is_our_server

pytestmark = pytest.mark.prefect


def start_tracked_run(iid_audit) -> tuple[subprocess.Popen, int]:
    p = subprocess.Popen(command("audit", str(SAMPLE), "--out", "keluaran", "--prefect", "--as-of", "2026-07-01"),
                         cwd=iid_audit.cwd, env=iid_audit.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    pid_file = Path(iid_audit.env["IID_AUDIT_STATE_DIR"]) / SERVER_PID_FILE
    deadline = time.monotonic() + 120
    while not pid_file.is_file():
        if p.poll() is not None or time.monotonic() > deadline:
            p.kill()
            pytest.fail("the tracked run never started its temporary server")
        time.sleep(0.1)
    return p, int(pid_file.read_text())


def gone(pid: int, timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _is_our_server(pid):
            return True
        time.sleep(0.1)
    return False


def test_sigterm_stops_the_temporary_server_with_the_run(iid_audit):
    p, server = start_tracked_run(iid_audit)
    assert _is_our_server(server)
    p.send_signal(signal.SIGTERM)
    assert p.wait(timeout=60) != 0
    assert gone(server), "the temporary Prefect server outlived the run"


def test_after_sigkill_the_next_run_ends_the_orphan_first(iid_audit):
    p, server = start_tracked_run(iid_audit)
    p.kill()
    p.wait(timeout=30)
    time.sleep(0.5)
    assert _is_our_server(server), "expected the orphan to survive a SIGKILL"
    r = iid_audit("audit", str(SAMPLE), "--out", "lagi", "--region", "35.04", "--as-of", "2026-07-01")
    assert r.code == 0, r.err
    assert "dihentikan" in r.err
    assert gone(server)


def test_a_recorded_pid_that_is_not_our_server_is_left_alone(iid_audit, tmp_path):
    sleeper = subprocess.Popen(["sleep", "30"])
    try:
        state = Path(iid_audit.env["IID_AUDIT_STATE_DIR"])
        state.mkdir(parents=True, exist_ok=True)
        (state / SERVER_PID_FILE).write_text(f"{sleeper.pid}\n")
        r = iid_audit("audit", str(SAMPLE), "--out", "k", "--region", "35.04", "--as-of", "2026-07-01")
        assert r.code == 0 and sleeper.poll() is None  # a PID reused by another program is not ours
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_temporary_server_that_never_answers_is_stopped_and_said_in_a_line(tmp_path, monkeypatch):
    """Prefect's own wait (20 s) gave up on a loaded host while a new Prefect home migrated its
    database, as an internal error; the wait is now `PREFECT_SERVER_STARTUP_SECONDS`, and a
    server that does not answer in it is stopped and reported as what it is."""
    from prefect.server.api.server import SubprocessASGIServer

    import flows.embedded as embedded
    from core.outcomes import AuditError

    real_start = SubprocessASGIServer.start
    waits, spawned = [], []

    def start_tracked(self, timeout=None):
        waits.append(timeout)
        try:
            real_start(self, timeout=timeout)
        finally:
            spawned.append(self.server_process)  # the uvicorn process it started

    monkeypatch.setattr(embedded, "PREFECT_SERVER_STARTUP_SECONDS", 0.05)  # no server answers this soon
    monkeypatch.setattr(SubprocessASGIServer, "start", start_tracked)
    with pytest.raises(AuditError, match="tidak siap dalam 0.05 detik"):
        embedded.TemporaryServer(tmp_path / "state").__enter__()
    assert waits == [0.05]
    assert not (tmp_path / "state" / SERVER_PID_FILE).exists()
    assert spawned and all(p is not None and p.poll() is not None for p in spawned)  # stopped, not left running
