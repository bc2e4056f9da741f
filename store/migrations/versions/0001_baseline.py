"""Baseline: the schema `metadata.create_all` made before migrations existed.

Every table is created only when missing, so a database made by that older code (any subset
of these tables: the ledger alone, say) is brought under Alembic by this same step.

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _tables() -> list[tuple[str, list, list]]:
    """(name, columns and constraints, indexes) as the pre-migration code declared them."""
    return [
        ("send_ledger", [
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("kode_pemda", sa.String(32), nullable=False),
            sa.Column("run_id", sa.String(200), nullable=False),
            sa.Column("content_hash", sa.String(64), nullable=False),
            sa.Column("seq", sa.Integer, nullable=False),
            sa.Column("state", sa.String(16), nullable=False),
            sa.Column("message_id", sa.String(300)),
            sa.Column("accepted", sa.Text),
            sa.Column("refused", sa.Text),
            sa.Column("smtp_code", sa.Integer),
            sa.Column("error", sa.Text),
            sa.Column("outbox_path", sa.Text),
            sa.Column("attempts", sa.Integer, nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
            sa.UniqueConstraint("kode_pemda", "run_id", "content_hash", "seq", name="uq_send_ledger_key"),
        ], [("ix_send_ledger_pemda_state", ["kode_pemda", "state"]),
            ("ix_send_ledger_message_id", ["message_id"])]),
        ("audit_run", [
            sa.Column("run_id", sa.String(200), primary_key=True),
            sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("source", sa.Text, nullable=False),
            sa.Column("tahun", sa.Integer, nullable=False),
            sa.Column("as_of", sa.Date, nullable=False),
        ], []),
        ("audit_pemda", [
            sa.Column("run_id", sa.String(200), sa.ForeignKey("audit_run.run_id", ondelete="CASCADE"), primary_key=True),
            sa.Column("kode_pemda", sa.String(32), primary_key=True),
            sa.Column("skor_klaim", sa.Float),
            sa.Column("skor_terverifikasi", sa.Float),
            sa.Column("persen_indikator_bermasalah", sa.Float),
        ], [("ix_audit_pemda_kode", ["kode_pemda"])]),
        ("audit_finding", [
            sa.Column("run_id", sa.String(200), sa.ForeignKey("audit_run.run_id", ondelete="CASCADE"), primary_key=True),
            sa.Column("kode_pemda", sa.String(32), primary_key=True),
            sa.Column("finding_key", sa.BigInteger, primary_key=True, autoincrement=False),
            sa.Column("rule_id", sa.String(16), nullable=False),
            sa.Column("severity", sa.String(8)),
        ], []),
    ]


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    for name, columns, indexes in _tables():
        if name in existing:
            continue
        op.create_table(name, *columns)
        for ix, cols in indexes:
            op.create_index(ix, name, cols)


def downgrade() -> None:
    for name, _c, _i in reversed(_tables()):
        op.drop_table(name)
