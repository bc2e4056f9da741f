"""Fixtures of the delivery tests: a real SMTP server (aiosmtpd) on a loopback port and the
ledger on a real SQLite file. Other test folders can reuse them with
`from delivery_helpers import running_smtp_server` (or by importing these fixtures)."""

from __future__ import annotations

import pytest

from delivery_helpers import Sleeps, running_smtp_server
from core.settings import Settings, SmtpSettings
from store.db import init_db, make_engine


@pytest.fixture
def smtp_server():
    with running_smtp_server() as server:
        yield server


@pytest.fixture
def engine(tmp_path):
    """The ledger on a real SQLite file (as in production, in its own state folder)."""
    eng = make_engine(f"sqlite:///{tmp_path / 'state' / 'iid-audit.sqlite'}")
    init_db(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def no_smtp_settings() -> Settings:
    return Settings(smtp=SmtpSettings(host=None, sender="Tim Audit IID <audit@iid-audit.example.id>"),
                    send_rate_per_second=0)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()
