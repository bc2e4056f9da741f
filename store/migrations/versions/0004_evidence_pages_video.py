"""Evidence facts gain the blank pages of a PDF (`"2,5"`: 1-based, among the pages read) and an
MP4's duration in seconds. Rows of the older facts version are recomputed on the next read
(`checks.evidence.FACTS_VERSION`), so existing rows need no value.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("evidence_facts") as batch:
        batch.add_column(sa.Column("blank_pages", sa.String(400)))
        batch.add_column(sa.Column("duration_s", sa.Float))


def downgrade() -> None:
    with op.batch_alter_table("evidence_facts") as batch:
        batch.drop_column("duration_s")
        batch.drop_column("blank_pages")
