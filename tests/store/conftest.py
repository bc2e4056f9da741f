"""The store on both databases it supports: a SQLite file, and PostgreSQL when
`IID_AUDIT_TEST_PG_URL` names a server (CI starts one, `.ci/run`); each test gets a database
of its own, dropped afterwards. Without a server the PostgreSQL half is skipped, saying why."""

from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from store.db import make_engine

PG_URL_VARIABLE = "IID_AUDIT_TEST_PG_URL"


def _pg_database(admin_url: str):
    """A fresh PostgreSQL database on the server of `admin_url`: (its URL, a drop function)."""
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"iid_audit_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as c:
            c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as exc:
        admin.dispose()
        pytest.skip(f"PostgreSQL at {make_url(admin_url).render_as_string(hide_password=True)} "
                    f"not reachable: {type(exc.orig).__name__}")

    def drop() -> None:
        with admin.connect() as c:
            c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(admin_url).set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A database URL for one test: a new SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'state' / 'iid-audit.sqlite'}"
        return
    admin_url = os.environ.get(PG_URL_VARIABLE)
    if not admin_url:
        pytest.skip(f"{PG_URL_VARIABLE} not set: no PostgreSQL server to test on (CI sets it in .ci/run)")
    url, drop = _pg_database(admin_url)
    try:
        yield url
    finally:
        drop()


@pytest.fixture
def engine(db_url):
    eng = make_engine(db_url)
    yield eng
    eng.dispose()
