"""Prefect's real local engine for the flow tests: one test harness per test session (entering
it starts a temporary server, ~12 s here), telemetry off, results stored in a temporary
folder so nothing cached leaks between runs."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # before Prefect is imported

import pytest

from flows_sample import SAMPLE  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def prefect_engine(tmp_path_factory):
    from prefect.settings import (
        PREFECT_LOGGING_LEVEL,
        PREFECT_RESULTS_LOCAL_STORAGE_PATH,
        PREFECT_SERVER_ANALYTICS_ENABLED,
        temporary_settings,
    )
    from prefect.testing.utilities import prefect_test_harness

    results = tmp_path_factory.mktemp("prefect-results")
    with temporary_settings({
        PREFECT_RESULTS_LOCAL_STORAGE_PATH: str(results),
        PREFECT_SERVER_ANALYTICS_ENABLED: False,
        PREFECT_LOGGING_LEVEL: "WARNING",
    }):
        with prefect_test_harness(server_startup_timeout=120):
            yield


@pytest.fixture(autouse=True)
def state_dir(tmp_path, monkeypatch) -> Path:
    """Ledger, history and the nightly lock of each test in its own folder."""
    d = tmp_path / "state"
    monkeypatch.setenv("IID_AUDIT_STATE_DIR", str(d))
    for var in ("IID_AUDIT_DB_URL", "IID_AUDIT_SMTP_HOST", "IID_AUDIT_LANG"):
        monkeypatch.delenv(var, raising=False)
    return d


@pytest.fixture
def sample() -> Path:
    assert SAMPLE.is_dir(), "sample_data/ekspor-2026 not there"  # committed: missing is a failure
    return SAMPLE
