"""Alembic migrations of the project's database (applied by `store.db.init_db`)."""
