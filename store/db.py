"""The project's one database: engine factory and the shared `metadata` every table registers on.

Modules that keep state (`store.ledger` for email sends, `store.history` for run history)
declare their `sqlalchemy.Table`s on `metadata` at import time (what queries use). The
schema itself is made only by the Alembic migrations in `store/migrations/` (shipped in the
package): `init_db(engine)` applies them up to the newest at start, once per engine, and
`iid-audit db upgrade` does the same by hand. A database made before migrations existed
(`metadata.create_all`) is taken over by the baseline step, which creates only what is missing.
The default URL is `Settings.database_url`: a SQLite file in a stable state folder (never
inside a run folder, so reruns and the next night see the same ledger). Production points
`IID_AUDIT_DB_URL` at PostgreSQL (`postgresql+psycopg://…`).
"""

from __future__ import annotations

import importlib
import re
import threading
import weakref
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import sqlalchemy as sa
from sqlalchemy.engine import make_url

#: Every table of the project is declared on this one MetaData.
metadata = sa.MetaData()

#: Modules that declare tables on `metadata`; imported by `init_db` so all tables exist.
#: Missing optional modules are skipped (e.g. while a module is still being written).
TABLE_MODULES: tuple[str, ...] = ("store.ledger", "store.history", "store.evidence")

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


#: The Alembic scripts (env.py, versions/): inside the package, so an installed copy has them.
MIGRATIONS_DIR = Path(__file__).parent / "migrations"

#: Engines already brought to the newest schema by this process (upgrade runs once each).
_UPGRADED: "weakref.WeakSet[sa.Engine]" = weakref.WeakSet()
_UPGRADE_LOCK = threading.Lock()


def _import_tables() -> None:
    for name in TABLE_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # a real import error inside the module: don't hide it
                raise


def _alembic_config(connection):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    cfg.attributes["connection"] = connection
    return cfg


def schema_revision(engine: sa.Engine) -> str | None:
    """The Alembic revision the database is at (None: never migrated)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    """The newest revision the code knows."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config(None)).get_current_head()


#: The newest migration's revision (`head_revision`), stated so that a database already at it is
#: recognised without importing Alembic (0.25 s a run, for a check that nearly always finds the
#: schema current). A test holds it equal to Alembic's head: a new migration updates it.
SCHEMA_HEAD = "0004"


def _at_head(engine: sa.Engine) -> bool:
    """Whether the database is stamped with `SCHEMA_HEAD` (one row in Alembic's version table),
    read with plain SQL. False when unsure (no table, no row, several): Alembic then decides."""
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("alembic_version"):
            return False
        rows = conn.execute(sa.text("SELECT version_num FROM alembic_version")).fetchall()
    return [r[0] for r in rows] == [SCHEMA_HEAD]


@contextmanager
def _migrating(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A connection whose migrations run in one transaction: all applied, or none.

    PostgreSQL has transactional DDL: a plain transaction. SQLite does too, but pysqlite
    (Python's `sqlite3`) opens its implicit transaction only before INSERT/UPDATE/DELETE, so an
    ALTER or CREATE would run, and stay, outside it: a migration dying half-way would leave
    its first columns in a database still stamped with the previous revision. So, as
    SQLAlchemy documents for pysqlite, the driver's own transaction handling is switched off
    (`isolation_level = None`) and we emit BEGIN ourselves, before any DDL.

    Also for SQLite: foreign keys are off meanwhile. Batch mode rebuilds a table by copying it
    and dropping the old one; dropping `audit_run` with foreign keys on would cascade into
    `audit_pemda` and `audit_finding` and empty them. The pragma is a no-op inside a
    transaction, so it is set before BEGIN; `PRAGMA foreign_key_check` proves the result is
    consistent before COMMIT (SQLite's documented procedure for schema changes), and foreign
    keys are on again before the connection goes back to the pool."""
    if engine.dialect.name != "sqlite":
        with engine.begin() as conn:
            yield conn
        return
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        saved = raw.isolation_level
        raw.isolation_level = None  # pysqlite: no implicit BEGIN/COMMIT of its own
        try:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock now, and DDL inside the transaction
            try:
                yield conn
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:  # names of tables only: no values
                    raise sa.exc.IntegrityError("PRAGMA foreign_key_check", {},
                                                RuntimeError(f"foreign keys broken in {sorted({r[0] for r in broken})}"))
                conn.commit()
            except BaseException:
                conn.rollback()
                raise
        finally:
            try:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()
            finally:
                raw.isolation_level = saved


def upgrade(engine: sa.Engine, revision: str = "head") -> str | None:
    """Apply the migrations up to `revision` in one transaction (see `_migrating`); returns the
    revision reached."""
    from alembic import command

    _import_tables()
    with _migrating(engine) as conn:
        command.upgrade(_alembic_config(conn), revision)
    return schema_revision(engine)


def open_db(url: str) -> sa.Engine:
    """An engine for `url` at the newest schema; a database that cannot be reached or
    migrated is one clear line (UsageError naming the URL without its password)."""
    from core.outcomes import UsageError

    engine = make_engine(url)
    try:
        return init_db(engine)
    except sa.exc.SQLAlchemyError as exc:
        engine.dispose()
        where = make_url(url).render_as_string(hide_password=True)
        kind = type(getattr(exc, "orig", None) or exc).__name__
        raise UsageError(f"Basis data {where} tidak dapat dibuka ({kind}); periksa IID_AUDIT_DB_URL",
                         f"Database {where} cannot be opened ({kind}); check IID_AUDIT_DB_URL") from None


#: A database error saying a table or column the code needs is missing (SQLite, PostgreSQL).
#: Only identifiers are captured (`t`: table, `c`: column), never a value.
_ID = r"[A-Za-z_][A-Za-z0-9_]{0,62}"
_SCHEMA_MISMATCH: tuple["re.Pattern[str]", ...] = tuple(re.compile(p) for p in (
    rf"no such column: (?:(?P<t>{_ID})\.)?(?P<c>{_ID})\b",  # SQLite
    rf"table (?P<t>{_ID}) has no column named (?P<c>{_ID})\b",  # SQLite, INSERT
    rf"no such table: (?:{_ID}\.)?(?P<t>{_ID})\b",  # SQLite
    rf'column "?(?:(?P<t2>{_ID})\.)?(?P<c>{_ID})"? (?:of relation "?(?P<t>{_ID})"? )?does not exist',  # PostgreSQL
    rf'relation "?(?:{_ID}\.)?(?P<t>{_ID})"? does not exist',  # PostgreSQL
))


def schema_problem(exc: BaseException) -> str | None:
    """For a database error caused by a schema older (or other) than the code's, a clear
    bilingual line naming the missing table or column and what to do; None for any other
    error. Table and column names are ours, not data; the error's own text (which may quote
    values) is never repeated."""
    if not isinstance(exc, sa.exc.DBAPIError):
        return None
    raw = str(getattr(exc, "orig", None) or "")
    for pattern in _SCHEMA_MISMATCH:
        m = pattern.search(raw)
        if m is None:
            continue
        g = m.groupdict()
        table = g.get("t") or g.get("t2")
        if g.get("c"):
            name = f"{table}.{g['c']}" if table else g["c"]
            id_, en = f"kolom {name}", f"column {name}"
        else:
            id_, en = f"tabel {table}", f"table {table}"
        return (f"skema basis data tidak cocok: {id_} tidak ada; jalankan `iid-audit db upgrade` atau pakai folder "
                f"state baru (IID_AUDIT_STATE_DIR) / database schema mismatch: {en} missing; run "
                f"`iid-audit db upgrade` or use a fresh state folder (IID_AUDIT_STATE_DIR)")
    return None


#: Any fixed number: the PostgreSQL advisory lock that serializes migrations across processes.
_PG_MIGRATION_LOCK = 0x11D_A0D17


@contextmanager
def _migration_lock(engine: sa.Engine) -> Iterator[None]:
    """Across processes (five audits started at once on a new database must not all migrate
    it): a lock file beside a SQLite file, an advisory lock on PostgreSQL; nothing for an
    in-memory database, which no other process sees."""
    url = engine.url
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            yield
            return
        import fcntl

        lock = Path(url.database).with_name(Path(url.database).name + ".migrasi.lock")
        lock.parent.mkdir(parents=True, exist_ok=True)
        with open(lock, "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
        return
    if url.get_backend_name() == "postgresql":
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
            try:
                yield
            finally:
                conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_MIGRATION_LOCK})
                conn.commit()
        return
    yield


def init_db(engine: sa.Engine) -> sa.Engine:
    """Bring the database to the newest schema (once per engine and process; idempotent). A
    database already at the newest revision is only read; otherwise one process at a time
    migrates it, and the others find it done."""
    with _UPGRADE_LOCK:
        if engine not in _UPGRADED and not _at_head(engine):
            head = head_revision()
            if schema_revision(engine) != head:
                with _migration_lock(engine):
                    if schema_revision(engine) != head:  # another process may have done it meanwhile
                        upgrade(engine)
        _UPGRADED.add(engine)
    return engine


def downgrade(engine: sa.Engine, revision: str) -> str | None:
    """Undo migrations down to `revision` (maintenance and tests); returns the revision reached."""
    from alembic import command

    _import_tables()
    with _migrating(engine) as conn:
        command.downgrade(_alembic_config(conn), revision)
    return schema_revision(engine)
