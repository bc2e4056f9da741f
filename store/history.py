"""Audit history: what each run found per Pemda, so the next report can say what changed.

rules.md ("Region metrics"): change since the previous audit of the same Pemda, findings
fixed, new, still open, score delta. Three tables on the shared `store.db.metadata`:

- `audit_run`: one row per run (run_id, started_at, source, tahun, as_of);
- `audit_pemda`: one row per Pemda audited in the run, with its scores (a Pemda with no
  finding is still recorded: it *was* audited);
- `audit_finding`: one row per distinct finding key of the run.

A finding's identity is `finding_key`: a hash of `rule_id` and the key fields that say where
the problem is (`kode_pemda`, `id_inovasi`, `no_indikator`, `kolom`, `tabel`). Not the message
(its wording may change), not `nilai` (a re-uploaded file that is still too small is the same
open problem), not `baris` (row numbers shift between exports). Two findings with the same
key are one. Only the hash, rule and severity are stored: no names, contacts or values.

The hash is pandas' vectorized 64-bit SipHash (`hash_pandas_object`, fixed `_HASH_KEY`,
UTF-8, stored as a signed BIGINT), so 200,000 findings hash without a Python loop; if a pandas
upgrade ever changed that algorithm, the next comparison would show every finding as fixed
and new once.

Run order: `as_of`, then `started_at`, then `run_id`. A rerun of a run_id replaces that run's
rows (one transaction) and keeps its original `started_at`, so its place in history holds.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

import numpy as np
import pandas as pd
import sqlalchemy as sa

from checks.metrics import Metrics
from core.outcomes import UsageError
from store.db import metadata

#: Fields (besides rule_id) that identify where a finding is.
KEY_FIELDS: tuple[str, ...] = ("kode_pemda", "id_inovasi", "no_indikator", "kolom", "tabel")
#: SipHash key of `finding_key`. Changing it makes every stored key incomparable.
_HASH_KEY = "iid-audit-key-01"  # exactly 16 bytes

COMPARE_COLUMNS: list[str] = [
    "kode_pemda",
    "temuan_baru",
    "temuan_selesai",
    "temuan_tetap",
    "selisih_skor_terverifikasi",
    "run_sebelumnya",
]

audit_run = sa.Table(
    "audit_run",
    metadata,
    sa.Column("run_id", sa.String(200), primary_key=True),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("tahun", sa.Integer, nullable=False),
    sa.Column("as_of", sa.Date, nullable=False),
)

audit_pemda = sa.Table(
    "audit_pemda",
    metadata,
    sa.Column("run_id", sa.String(200), sa.ForeignKey("audit_run.run_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("kode_pemda", sa.String(32), primary_key=True),
    sa.Column("skor_klaim", sa.Float),
    sa.Column("skor_terverifikasi", sa.Float),
    sa.Column("persen_indikator_bermasalah", sa.Float),
    sa.Index("ix_audit_pemda_kode", "kode_pemda"),
)

audit_finding = sa.Table(
    "audit_finding",
    metadata,
    sa.Column("run_id", sa.String(200), sa.ForeignKey("audit_run.run_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("kode_pemda", sa.String(32), primary_key=True),
    sa.Column("finding_key", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("rule_id", sa.String(16), nullable=False),
    sa.Column("severity", sa.String(8)),
)

_TABLES = [audit_run, audit_pemda, audit_finding]


def ensure_tables(engine: sa.Engine) -> None:
    """Create the history tables if missing (idempotent)."""
    metadata.create_all(engine, tables=_TABLES)


def finding_keys(findings: pd.DataFrame) -> pd.DataFrame:
    """`kode_pemda, finding_key, rule_id, severity` per distinct finding of a known Pemda."""
    f = findings[findings["kode_pemda"].notna()] if "kode_pemda" in findings.columns else findings.iloc[0:0]
    if f.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in ("kode_pemda", "finding_key", "rule_id", "severity")})
    parts = [f["rule_id"].astype("string").fillna("")]
    for c in KEY_FIELDS:
        col = f[c] if c in f.columns else pd.Series(pd.NA, index=f.index)
        parts.append(col.astype("string").fillna(""))  # rule output: already stripped
    joined = parts[0].str.cat(parts[1:], sep="\x1f")
    h = pd.util.hash_pandas_object(joined, index=False, encoding="utf8", hash_key=_HASH_KEY)
    out = pd.DataFrame({
        "kode_pemda": f["kode_pemda"].astype(str).str.strip().to_numpy(),
        "finding_key": h.to_numpy(dtype=np.uint64).view(np.int64),  # signed: fits BIGINT
        "rule_id": f["rule_id"].astype(str).to_numpy(),
        "severity": f["severity"].astype(object).to_numpy() if "severity" in f.columns else None,
    })
    return out.drop_duplicates(["kode_pemda", "finding_key"]).reset_index(drop=True)


def _records(df: pd.DataFrame) -> list[dict]:
    """Parameter dicts for executemany: Python scalars, NaN / NA → None."""
    cols = list(df.columns)
    values = [df[c].astype(object).where(df[c].notna(), None).tolist() for c in cols]
    return [dict(zip(cols, row)) for row in zip(*values)]


def record_run(
    engine: sa.Engine,
    run_id: str,
    metrics: Metrics,
    findings: pd.DataFrame,
    *,
    source: str,
    tahun: int,
    as_of: date,
) -> None:
    """Store one run (its Pemda scores and finding keys). Rerunning a run_id replaces it."""
    ensure_tables(engine)
    r = metrics.ringkasan
    pemda = pd.DataFrame({
        "run_id": run_id,
        "kode_pemda": r["kode_pemda"].astype(str),
        "skor_klaim": pd.to_numeric(r["skor_klaim"], errors="coerce"),
        "skor_terverifikasi": pd.to_numeric(r["skor_terverifikasi"], errors="coerce"),
        "persen_indikator_bermasalah": pd.to_numeric(r["persen_indikator_bermasalah"], errors="coerce"),
    }).drop_duplicates("kode_pemda")
    keys = finding_keys(findings).assign(run_id=run_id)
    with engine.begin() as conn:
        old = conn.execute(sa.select(audit_run.c.started_at).where(audit_run.c.run_id == run_id)).scalar()
        for t in (audit_finding, audit_pemda, audit_run):
            conn.execute(t.delete().where(t.c.run_id == run_id))
        conn.execute(audit_run.insert(), [{
            "run_id": run_id, "started_at": old or datetime.now(timezone.utc), "source": str(source),
            "tahun": int(tahun), "as_of": as_of,
        }])
        if len(pemda):
            conn.execute(audit_pemda.insert(), _records(pemda))  # executemany
        if len(keys):
            conn.execute(audit_finding.insert(), _records(keys[["run_id", "kode_pemda", "finding_key", "rule_id", "severity"]]))


def _run_order(conn) -> pd.DataFrame:
    runs = pd.DataFrame(conn.execute(sa.select(audit_run.c.run_id, audit_run.c.as_of, audit_run.c.started_at)).all(),
                        columns=["run_id", "as_of", "started_at"])
    runs = runs.sort_values(["as_of", "started_at", "run_id"]).reset_index(drop=True)
    runs["urutan"] = np.arange(len(runs))
    return runs[["run_id", "urutan"]]


def compare_with_previous(engine: sa.Engine, run_id: str) -> pd.DataFrame:
    """Per Pemda of `run_id`: findings new / fixed / still open and the verified-score delta
    against the previous run that audited the same Pemda.

    A Pemda audited for the first time has `run_sebelumnya` None and the other columns
    empty (NA), not "everything is new". UsageError for an unknown run_id.
    """
    ensure_tables(engine)
    with engine.connect() as conn:
        order = _run_order(conn)
        if run_id not in set(order["run_id"]):
            raise UsageError(f"Run {run_id!r} tidak ada dalam riwayat audit", f"Run {run_id!r} is not in the audit history")
        cur = pd.DataFrame(
            conn.execute(sa.select(audit_pemda.c.kode_pemda, audit_pemda.c.skor_terverifikasi)
                         .where(audit_pemda.c.run_id == run_id)).all(),
            columns=["kode_pemda", "skor_terverifikasi"],
        )
        # every earlier audit of these Pemda (one row per run × Pemda; ≤ 546 per run)
        rank = int(order.loc[order["run_id"] == run_id, "urutan"].iloc[0])
        earlier = order.loc[order["urutan"] < rank, "run_id"].tolist()
        hist = pd.DataFrame(
            conn.execute(sa.select(audit_pemda.c.run_id, audit_pemda.c.kode_pemda, audit_pemda.c.skor_terverifikasi)
                         .where(audit_pemda.c.run_id.in_(earlier))).all() if earlier else [],
            columns=["run_id", "kode_pemda", "skor_sebelumnya"],
        )
        hist = hist[hist["kode_pemda"].isin(cur["kode_pemda"])].merge(order, on="run_id")
        prev = (hist.sort_values("urutan").drop_duplicates("kode_pemda", keep="last")
                .rename(columns={"run_id": "run_sebelumnya"})[["kode_pemda", "run_sebelumnya", "skor_sebelumnya"]])
        prev_runs = sorted(set(prev["run_sebelumnya"]))
        cur_keys = pd.DataFrame(
            conn.execute(sa.select(audit_finding.c.kode_pemda, audit_finding.c.finding_key)
                         .where(audit_finding.c.run_id == run_id)).all(),
            columns=["kode_pemda", "finding_key"],
        )
        old_keys = pd.DataFrame(
            conn.execute(sa.select(audit_finding.c.run_id, audit_finding.c.kode_pemda, audit_finding.c.finding_key)
                         .where(audit_finding.c.run_id.in_(prev_runs))).all() if prev_runs else [],
            columns=["run_sebelumnya", "kode_pemda", "finding_key"],
        )
    # keep only each Pemda's own previous run
    old_keys = old_keys.merge(prev[["kode_pemda", "run_sebelumnya"]], on=["kode_pemda", "run_sebelumnya"])
    both = cur_keys.assign(kini=True).merge(old_keys[["kode_pemda", "finding_key"]].assign(dulu=True),
                                            on=["kode_pemda", "finding_key"], how="outer")
    both = both[both["kode_pemda"].isin(prev["kode_pemda"])]
    kini, dulu = both["kini"].eq(True), both["dulu"].eq(True)
    counts = pd.DataFrame({
        "kode_pemda": both["kode_pemda"],
        "temuan_baru": kini & ~dulu,
        "temuan_selesai": dulu & ~kini,
        "temuan_tetap": kini & dulu,
    }).groupby("kode_pemda").sum()
    out = cur.merge(prev, on="kode_pemda", how="left").set_index("kode_pemda")
    has_prev = out["run_sebelumnya"].notna()
    for c in ("temuan_baru", "temuan_selesai", "temuan_tetap"):
        col = counts[c].reindex(out.index).fillna(0) if c in counts.columns else pd.Series(0, index=out.index)
        out[c] = col.astype("Int64").where(has_prev, pd.NA)
    out["selisih_skor_terverifikasi"] = (
        pd.to_numeric(out["skor_terverifikasi"], errors="coerce") - pd.to_numeric(out["skor_sebelumnya"], errors="coerce")
    ).round(2)
    out["run_sebelumnya"] = out["run_sebelumnya"].astype(object).where(has_prev, None)
    return out.reset_index()[COMPARE_COLUMNS].sort_values("kode_pemda").reset_index(drop=True)
