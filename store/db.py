"""The project's one database: engine factory and the shared `metadata` every table registers on.

Modules that keep state (`store.ledger` for email sends, `store.history` for run history)
declare their `sqlalchemy.Table`s on `metadata` at import time; `init_db(engine)` imports
them and creates whatever is missing. The default URL is `Settings.database_url`: a SQLite
file in a stable state folder (never inside a run folder, so reruns and the next night see
the same ledger). Production can point `IID_AUDIT_DB_URL` at PostgreSQL or any SQLAlchemy URL.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

#: Every table of the project is declared on this one MetaData.
metadata = sa.MetaData()

#: Modules that declare tables on `metadata`; imported by `init_db` so all tables exist.
#: Missing optional modules are skipped (e.g. while a module is still being written).
TABLE_MODULES: tuple[str, ...] = ("store.ledger", "store.history")

#: Seconds a SQLite writer waits for a lock held by another process (parallel Prefect tasks).
SQLITE_BUSY_TIMEOUT_SECONDS = 30.0


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    try:
        cur.execute("PRAGMA journal_mode=WAL")  # readers don't block the writer
        cur.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT_SECONDS * 1000)}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")  # safe with WAL, much faster than FULL
    finally:
        cur.close()


def make_engine(url: str) -> sa.Engine:
    """An Engine for `url`. For SQLite: create the parent folder, allow use across threads
    (Prefect runs tasks in a thread pool), WAL journal and a busy timeout."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_SECONDS},
            future=True,
        )
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return sa.create_engine(url, pool_pre_ping=True, future=True)


def init_db(engine: sa.Engine) -> sa.Engine:
    """Create every table registered on `metadata` (idempotent)."""
    for name in TABLE_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # a real import error inside the module: don't hide it
                raise
    metadata.create_all(engine)
    return engine
