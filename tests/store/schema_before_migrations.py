"""The database as iid-audit made it before migrations existed: `metadata.create_all` of
these declarations (a frozen copy of store/ledger.py and store/history.py at that time),
with the day-based run ids of then."""

from __future__ import annotations

from datetime import date, datetime, timezone

import sqlalchemy as sa

old = sa.MetaData()

sa.Table(
    "send_ledger", old,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kode_pemda", sa.String(32), nullable=False),
    sa.Column("run_id", sa.String(200), nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False, default=0),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("message_id", sa.String(300)),
    sa.Column("accepted", sa.Text),
    sa.Column("refused", sa.Text),
    sa.Column("smtp_code", sa.Integer),
    sa.Column("error", sa.Text),
    sa.Column("outbox_path", sa.Text),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("kode_pemda", "run_id", "content_hash", "seq", name="uq_send_ledger_key"),
    sa.Index("ix_send_ledger_pemda_state", "kode_pemda", "state"),
    sa.Index("ix_send_ledger_message_id", "message_id"),
)
sa.Table(
    "audit_run", old,
    sa.Column("run_id", sa.String(200), primary_key=True),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("tahun", sa.Integer, nullable=False),
    sa.Column("as_of", sa.Date, nullable=False),
)
sa.Table(
    "audit_pemda", old,
    sa.Column("run_id", sa.String(200), sa.ForeignKey("audit_run.run_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("kode_pemda", sa.String(32), primary_key=True),
    sa.Column("skor_klaim", sa.Float),
    sa.Column("skor_terverifikasi", sa.Float),
    sa.Column("persen_indikator_bermasalah", sa.Float),
    sa.Index("ix_audit_pemda_kode", "kode_pemda"),
)
sa.Table(
    "audit_finding", old,
    sa.Column("run_id", sa.String(200), sa.ForeignKey("audit_run.run_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("kode_pemda", sa.String(32), primary_key=True),
    sa.Column("finding_key", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("rule_id", sa.String(16), nullable=False),
    sa.Column("severity", sa.String(8)),
)

NIGHT = "nasional-20261129"
REGION = "pemda-35.04-20261129"
YESTERDAY = datetime(2026, 11, 29, 2, 0, tzinfo=timezone.utc)


def installed_database(engine: sa.Engine, finding_keys: dict[str, list[tuple[str, int]]]) -> None:
    """Tables as the old code made them, holding a night and a region run of yesterday (with
    `finding_keys`: run_id → [(kode_pemda, key)]) and one sent email in the ledger."""
    old.create_all(engine)
    t = old.tables
    with engine.begin() as c:
        for run_id, minutes in ((NIGHT, 0), (REGION, 60)):
            c.execute(t["audit_run"].insert().values(run_id=run_id, started_at=YESTERDAY.replace(minute=minutes % 60,
                                                                                                hour=2 + minutes // 60),
                                                     source="/data/ekspor-2026", tahun=2026, as_of=date(2026, 11, 29)))
            c.execute(t["audit_pemda"].insert().values(run_id=run_id, kode_pemda="35.04", skor_klaim=50.0,
                                                       skor_terverifikasi=40.0 if run_id == NIGHT else 41.0,
                                                       persen_indikator_bermasalah=30.0))
            for kode, key in finding_keys.get(run_id, []):
                c.execute(t["audit_finding"].insert().values(run_id=run_id, kode_pemda=kode, finding_key=key,
                                                             rule_id="BKT-05", severity="warning"))
        c.execute(t["send_ledger"].insert().values(kode_pemda="35.04", run_id=REGION, content_hash="c" * 64, seq=0,
                                                   state="sent", message_id="<m1@pemda>", attempts=1,
                                                   created_at=YESTERDAY, updated_at=YESTERDAY))
