"""The send ledger: which report went to which Pemda, so nothing is emailed twice.

One row per send *attempt slot*, keyed by (kode_pemda, run_id, content_hash, seq):
`content_hash` is the sha256 of the report (HTML + attachment bytes), `seq` is 0 for the
first send of that content in that run and grows only when an operator asks to resend.

States (a row moves only forward, each move a conditional UPDATE so two workers never both
own a row):

- `in_progress`: claimed; written *before* SMTP DATA. Found later, it means a crash (or a
  concurrent worker) mid-send: the message may or may not have reached the server.
- `sent`: the server accepted DATA (message_id, accepted and refused recipients recorded).
- `failed`: not delivered (permanent 5xx, all recipients refused, or temporary faults past
  the retries), with the SMTP code. Not delivered means a later run may safely try again.
- `outbox`: written as an `.eml` file instead of sent (dry run / no SMTP configured).
- `superseded`: an `outbox` message replaced by a newer report of the same Pemda before it
  was sent (a later audit, or the newer report sent directly): kept for the record, its file
  moved to `outbox/diganti/`, never sent.
- `uncertain`: an `in_progress` row found by a later run, or a connection lost after the
  message body was sent (reply never read). Treated as possibly sent: reported, never
  resent automatically; only `resend=True` sends again.

Addresses are personal data: they are stored here (the ledger is the record of who got
what) but never logged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from store.db import metadata

IN_PROGRESS = "in_progress"
SENT = "sent"
FAILED = "failed"
OUTBOX = "outbox"
UNCERTAIN = "uncertain"
SUPERSEDED = "superseded"
STATES = (IN_PROGRESS, SENT, FAILED, OUTBOX, UNCERTAIN, SUPERSEDED)

#: States after which the message may have reached the recipient: never resent by default.
MAYBE_DELIVERED = (IN_PROGRESS, SENT, UNCERTAIN)
#: States whose row may be claimed again (nothing was delivered).
REUSABLE = (FAILED, OUTBOX)

send_ledger = sa.Table(
    "send_ledger",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kode_pemda", sa.String(32), nullable=False),
    sa.Column("run_id", sa.String(200), nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False, default=0),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("message_id", sa.String(300)),
    sa.Column("accepted", sa.Text),  # JSON list of addresses
    sa.Column("refused", sa.Text),  # JSON {address: [code, text]}
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


def _now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class LedgerRow:
    id: int
    kode_pemda: str
    run_id: str
    content_hash: str
    seq: int
    state: str
    message_id: str | None
    accepted: list[str]
    refused: dict[str, list]
    smtp_code: int | None
    error: str | None
    outbox_path: str | None
    attempts: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_mapping(cls, m) -> "LedgerRow":
        return cls(
            id=m["id"], kode_pemda=m["kode_pemda"], run_id=m["run_id"],
            content_hash=m["content_hash"], seq=m["seq"], state=m["state"],
            message_id=m["message_id"],
            accepted=json.loads(m["accepted"]) if m["accepted"] else [],
            refused=json.loads(m["refused"]) if m["refused"] else {},
            smtp_code=m["smtp_code"], error=m["error"], outbox_path=m["outbox_path"],
            attempts=m["attempts"] or 0, created_at=m["created_at"], updated_at=m["updated_at"],
        )


class Ledger:
    """Typed access to `send_ledger`. Every state change is one short transaction."""

    def __init__(self, engine: sa.Engine):
        from store.db import init_db

        self.engine = init_db(engine)

    # ---- reads -------------------------------------------------------------------------
    def _select(self, *where, order=None) -> list[LedgerRow]:
        q = sa.select(send_ledger).where(*where)
        if order is not None:
            q = q.order_by(*order)
        with self.engine.connect() as c:
            return [LedgerRow.from_mapping(r) for r in c.execute(q).mappings()]

    def get(self, row_id: int) -> LedgerRow | None:
        rows = self._select(send_ledger.c.id == row_id)
        return rows[0] if rows else None

    def rows_for_key(self, kode_pemda: str, run_id: str, content_hash: str) -> list[LedgerRow]:
        t = send_ledger.c
        return self._select(
            t.kode_pemda == kode_pemda, t.run_id == run_id, t.content_hash == content_hash,
            order=[t.seq],
        )

    def by_message_id(self, message_id: str) -> LedgerRow | None:
        rows = self._select(send_ledger.c.message_id == message_id, order=[send_ledger.c.id.desc()])
        return rows[0] if rows else None

    def last_sent(self, kode_pemda: str) -> LedgerRow | None:
        """The most recent `sent` row of a Pemda, in any run."""
        t = send_ledger.c
        rows = self._select(t.kode_pemda == kode_pemda, t.state == SENT, order=[t.updated_at.desc(), t.id.desc()])
        return rows[0] if rows else None

    def last_maybe_delivered(self, kode_pemda: str) -> LedgerRow | None:
        """The most recent `sent` or `uncertain` row of a Pemda, in any run."""
        t = send_ledger.c
        rows = self._select(t.kode_pemda == kode_pemda, t.state.in_((SENT, UNCERTAIN)),
                            order=[t.updated_at.desc(), t.id.desc()])
        return rows[0] if rows else None

    def reconcile_in_progress(self) -> list[LedgerRow]:
        """Turn every `in_progress` row into `uncertain` (run at the start of a delivery: a
        row still in progress then was left by a crash, or belongs to a worker still sending,
        whose own `mark_sent`/`mark_failed` still wins). Returns the rows changed."""
        changed = []
        for r in self.rows(state=IN_PROGRESS):
            if self.mark_uncertain(r.id, "ditemukan in_progress saat rekonsiliasi: mungkin terkirim"):
                changed.append(r)
        return changed

    def rows(self, *, run_id: str | None = None, state: str | None = None) -> list[LedgerRow]:
        t = send_ledger.c
        where = []
        if run_id is not None:
            where.append(t.run_id == run_id)
        if state is not None:
            where.append(t.state == state)
        return self._select(*where, order=[t.id])

    # ---- writes ------------------------------------------------------------------------
    def insert(
        self, kode_pemda: str, run_id: str, content_hash: str, seq: int, state: str,
        message_id: str | None, outbox_path: str | None = None,
    ) -> LedgerRow | None:
        """Create a row; None when the key is already taken (another worker got there)."""
        now = _now()
        try:
            with self.engine.begin() as c:
                res = c.execute(send_ledger.insert().values(
                    kode_pemda=kode_pemda, run_id=run_id, content_hash=content_hash, seq=seq,
                    state=state, message_id=message_id, outbox_path=outbox_path,
                    attempts=1 if state == IN_PROGRESS else 0, created_at=now, updated_at=now,
                ))
                row_id = res.inserted_primary_key[0]
        except IntegrityError:
            return None
        return self.get(row_id)

    def transition(self, row_id: int, from_states: tuple[str, ...], to_state: str, **values) -> bool:
        """Move a row to `to_state` only if it is still in one of `from_states` (atomic claim)."""
        t = send_ledger.c
        vals = dict(values, state=to_state, updated_at=_now())
        for key in ("accepted", "refused"):
            if key in vals and not isinstance(vals[key], (str, type(None))):
                vals[key] = json.dumps(vals[key], ensure_ascii=False)
        stmt = send_ledger.update().where(t.id == row_id, t.state.in_(from_states)).values(**vals)
        if to_state == IN_PROGRESS:
            stmt = stmt.values(attempts=t.attempts + 1)
        with self.engine.begin() as c:
            return c.execute(stmt).rowcount == 1

    def claim(self, row_id: int) -> bool:
        """Take a not-delivered row (`failed`/`outbox`) for sending."""
        return self.transition(row_id, REUSABLE, IN_PROGRESS, error=None, smtp_code=None)

    def mark_sent(self, row_id: int, message_id: str, accepted: list[str], refused: dict) -> bool:
        # from any state: a concurrent reader may have turned our in_progress into uncertain
        return self.transition(row_id, (IN_PROGRESS, UNCERTAIN), SENT, message_id=message_id,
                               accepted=accepted, refused=refused, smtp_code=250, error=None)

    def mark_failed(self, row_id: int, smtp_code: int | None, error: str, refused: dict | None = None) -> bool:
        return self.transition(row_id, (IN_PROGRESS, UNCERTAIN), FAILED, smtp_code=smtp_code,
                               error=error[:2000], refused=refused or {})

    def mark_uncertain(self, row_id: int, error: str) -> bool:
        return self.transition(row_id, (IN_PROGRESS,), UNCERTAIN, error=error[:2000])

    def mark_outbox(self, row_id: int, message_id: str, outbox_path: str) -> bool:
        return self.transition(row_id, REUSABLE, OUTBOX, message_id=message_id, outbox_path=outbox_path)

    def supersede_outbox(self, kode_pemda: str, keep_id: int | None) -> list[LedgerRow]:
        """Every pending `outbox` row of a Pemda but `keep_id` becomes `superseded` (a newer
        report exists); the rows changed, with their `.eml` paths."""
        t = send_ledger.c
        changed = []
        for r in self._select(t.kode_pemda == kode_pemda, t.state == OUTBOX, order=[t.id]):
            if r.id != keep_id and self.transition(r.id, (OUTBOX,), SUPERSEDED,
                                                   error="diganti laporan yang lebih baru"):
                changed.append(r)
        return changed
