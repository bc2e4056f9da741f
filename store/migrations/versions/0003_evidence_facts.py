"""Evidence facts remembered across nights: one row per file name in bukti/ with the size and
mtime it had when read, its SHA256, type by content, problem, PDF page count and (for a
Regulasi PDF) its text, zlib-compressed. `checks.evidence` skips every file whose (name,
size, mtime) and code version match a row.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evidence_facts",
        sa.Column("name", sa.String(1000), primary_key=True),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("mtime_ns", sa.BigInteger, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64)),
        sa.Column("problem", sa.String(32)),
        sa.Column("kind", sa.String(16)),
        sa.Column("pages", sa.Integer),
        sa.Column("text_read", sa.Boolean, nullable=False),
        sa.Column("text_z", sa.LargeBinary),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("evidence_facts")
