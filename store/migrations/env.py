"""Alembic environment: always run on the connection `store.db.upgrade` hands over
(`config.attributes["connection"]`), never from an ini file's URL."""

from __future__ import annotations

from alembic import context

from store.db import metadata


def run_migrations_online() -> None:
    connection = context.config.attributes["connection"]
    # SQLite cannot ALTER most things in place: batch mode copies the table when needed.
    context.configure(connection=connection, target_metadata=metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():  # pragma: no cover - we never generate SQL scripts
    raise SystemExit("iid-audit migrations run online only (iid-audit db upgrade)")
run_migrations_online()
