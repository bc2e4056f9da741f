"""The evidence cache (`core.evidence.FactsCache`) over the project's database: what
`checks.evidence` learnt by opening a file, one row per name, kept until the file's content
changes (a new size, or a new SHA256 after a new mtime: `checks.evidence` decides) or the
fact-computing code does (`version`). One query per batch of names; one upsert per batch.
Text is stored zlib-compressed, capped at `EVIDENCE_CACHE_TEXT_CHARS`; blank pages as
`"2,5"`."""

from __future__ import annotations

import zlib
from datetime import datetime, timezone
from typing import Iterable

import sqlalchemy as sa

from core import settings as limits
from core.evidence import EvidenceFacts
from store.db import metadata

evidence_facts = sa.Table(
    "evidence_facts", metadata,
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
    sa.Column("blank_pages", sa.String(400)),
    sa.Column("duration_s", sa.Float),
)


class DbFactsCache:
    """`FactsCache` on an engine at the newest schema (`store.db.open_db`)."""

    def __init__(self, engine: sa.Engine):
        self.engine = engine

    def get(self, names: Iterable[str], version: int) -> dict[str, EvidenceFacts]:
        names = list(names)
        if not names:
            return {}
        t = evidence_facts
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(t).where(t.c.name.in_(names), t.c.version == version)).all()
        out = {}
        for r in rows:
            text = zlib.decompress(r.text_z).decode("utf-8") if r.text_z is not None else None
            blank = tuple(int(p) for p in r.blank_pages.split(",")) if r.blank_pages else ()
            out[r.name] = EvidenceFacts(r.name, int(r.size), int(r.mtime_ns), r.sha256, r.problem, r.kind, r.pages,
                                        bool(r.text_read), text, r.version, blank, r.duration_s)
        return out

    def put(self, facts: Iterable[EvidenceFacts]) -> None:
        now = datetime.now(timezone.utc)
        rows = {f.name: dict(
            name=f.name, size=f.size, mtime_ns=f.mtime_ns, version=f.version, sha256=f.sha256, problem=f.problem,
            kind=f.kind, pages=f.pages, text_read=f.text_read, read_at=now,
            blank_pages=",".join(map(str, f.blank_pages)) or None, duration_s=f.duration_s,
            text_z=None if f.text is None else zlib.compress(f.text[: limits.EVIDENCE_CACHE_TEXT_CHARS].encode("utf-8")),
        ) for f in facts}
        if not rows:
            return
        dialect = self.engine.dialect.name
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        stmt = insert(evidence_facts)
        stmt = stmt.on_conflict_do_update(index_elements=["name"],
                                          set_={c: stmt.excluded[c] for c in rows[next(iter(rows))] if c != "name"})
        with self.engine.begin() as conn:
            conn.execute(stmt, list(rows.values()))
