"""The CLI as a user runs it: a subprocess with nothing configured (no PREFECT_API_URL, so
the job runs in-process with no server), in its own PREFECT_HOME and state folder."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

@dataclass
class Ran:
    code: int
    out: str
    err: str


@pytest.fixture(scope="session")
def prefect_home(tmp_path_factory) -> Path:
    """One Prefect home per test worker: its database is migrated once, not per test."""
    return tmp_path_factory.mktemp("prefect-home")


@pytest.fixture
def iid_audit(prefect_home, tmp_path):
    """Run `iid-audit ARGS…` in `tmp_path`; returns (exit code, stdout, stderr)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "IID_AUDIT_"))}
    env.update(PREFECT_HOME=str(prefect_home), IID_AUDIT_STATE_DIR=str(tmp_path / "state"))

    def run(*args: str, timeout: float = 240) -> Ran:
        p = subprocess.run(command(*args), cwd=tmp_path, env=env, capture_output=True, text=True, timeout=timeout)
        return Ran(p.returncode, p.stdout, p.stderr)

    run.env = env  # type: ignore[attr-defined]
    run.cwd = tmp_path  # type: ignore[attr-defined]
    return run


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "iid_audit.cli", *args]
