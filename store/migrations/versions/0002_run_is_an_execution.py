"""A run is an execution: what it covered and from what, and what each Pemda scored.

`audit_run` gains the run's scope (`nasional` or a Pemda code), the export's fingerprint, the
code version and when it finished; `audit_pemda` the verified predicate and the finding counts
per severity (the national distribution and `iid-audit history` read them), and the change its
report showed (`laporan_*`); `audit_finding` whether the report marked the finding new. A
rerun that changes nothing shows that same change again, so its report is the same bytes. Runs recorded
before this step had day-based ids (`nasional-20261130`, `pemda-35.04-20261130`): their scope
is read back from the id.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""
from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_OLD_REGION_ID = re.compile(r"^pemda-(.+)-\d{8}$")
REPORT_COLUMNS = ("laporan_baru", "laporan_selesai", "laporan_tetap", "laporan_selisih_skor", "laporan_selisih_persen",
                  "laporan_run_sebelumnya")


def upgrade() -> None:
    with op.batch_alter_table("audit_run") as b:
        b.add_column(sa.Column("scope", sa.String(64)))
        b.add_column(sa.Column("export_hash", sa.String(64)))
        b.add_column(sa.Column("code_version", sa.String(40)))
        b.add_column(sa.Column("finished_at", sa.DateTime(timezone=True)))
    with op.batch_alter_table("audit_pemda") as b:
        b.add_column(sa.Column("predikat_terverifikasi", sa.String(64)))
        b.add_column(sa.Column("jumlah_error", sa.Integer))
        b.add_column(sa.Column("jumlah_warning", sa.Integer))
        b.add_column(sa.Column("jumlah_info", sa.Integer))
        for c in ("laporan_baru", "laporan_selesai", "laporan_tetap"):
            b.add_column(sa.Column(c, sa.Integer))
        b.add_column(sa.Column("laporan_selisih_skor", sa.Float))
        b.add_column(sa.Column("laporan_selisih_persen", sa.Float))
        b.add_column(sa.Column("laporan_run_sebelumnya", sa.String(200)))
    with op.batch_alter_table("audit_finding") as b:
        b.add_column(sa.Column("baru_di_laporan", sa.Boolean))
    run = sa.table("audit_run", sa.column("run_id", sa.String), sa.column("scope", sa.String))
    conn = op.get_bind()
    for (run_id,) in conn.execute(sa.select(run.c.run_id)).all():
        m = _OLD_REGION_ID.match(run_id)
        conn.execute(run.update().where(run.c.run_id == run_id).values(scope=m.group(1) if m else "nasional"))
    op.create_index("ix_audit_run_tahun_order", "audit_run", ["tahun", "as_of", "started_at"])


def downgrade() -> None:
    op.drop_index("ix_audit_run_tahun_order", "audit_run")
    with op.batch_alter_table("audit_finding") as b:
        b.drop_column("baru_di_laporan")
    with op.batch_alter_table("audit_pemda") as b:
        for c in ("predikat_terverifikasi", "jumlah_error", "jumlah_warning", "jumlah_info", *REPORT_COLUMNS):
            b.drop_column(c)
    with op.batch_alter_table("audit_run") as b:
        for c in ("scope", "export_hash", "code_version", "finished_at"):
            b.drop_column(c)
