"""Audit history: every run kept, what changed since the previous one, trends.

rules.md ("Region metrics"): change since the previous audit of the same Pemda, findings
fixed, new, still open, score and problem-share deltas. Three tables on the shared
`store.db.metadata` (their schema is made by the migrations in `store/migrations/`):

- `audit_run`: one row per *execution* (a run id of its own, never a day): when it started and
  finished, its scope (`nasional` or the one Pemda code of an on-demand run), the catalog year,
  the audit date (`as_of`), the export's name and fingerprint, the code version;
- `audit_pemda`: one row per Pemda audited in the run, with its scores, verified predicate and
  finding counts (a Pemda with no finding is still recorded: it *was* audited), and the change
  its report showed (`laporan_*`). Kept forever;
- `audit_finding`: one row per distinct finding key of the run and Pemda, and whether the
  report marked it new. Kept for the newest `keep_runs` runs of each Pemda
  (`Settings.history_keep_runs`), then dropped.

Only complete runs are stored: the job compares while it runs (`compare`, reading only) and
writes the whole run at its end in one transaction (`record_run`), so a run that dies leaves
the store at the previous complete run.

A finding's identity is `finding_key`: a hash of `rule_id` and the key fields that say where
the problem is (`kode_pemda`, `id_inovasi`, `no_indikator`, `kolom`, `tabel`). Not the message
(its wording may change), not `nilai` (a re-uploaded file that is still too small is the same
open problem), not `baris` (row numbers shift between exports). Two findings with the same
key are one. Only the hash, rule and severity are stored: no names, contacts or values.

The hash is pandas' vectorized 64-bit SipHash (`hash_pandas_object`, fixed `_HASH_KEY`,
UTF-8, stored as a signed BIGINT), so 200,000 findings hash without a Python loop; if a pandas
upgrade ever changed that algorithm, the next comparison would show every finding as fixed
and new once.

A run whose finding keys were dropped by retention has no baseline of findings any more:
its Pemda row says it had findings (`jumlah_*` > 0, or unknown counts of a run stored before
they were kept) but no key is left. A comparison with it (as the previous run, or as the run
compared) leaves `temuan_baru/selesai/tetap` empty (NA: unknown), never "everything new";
score deltas are still known (scores are kept forever).

Run order: `as_of`, then `started_at`, then `run_id`. The *previous* run of a Pemda is the
latest earlier stored run of the same catalog year that audited it, whatever its scope (a
national night is the previous run of an on-demand region run, and the other way round).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from collections.abc import Callable

import numpy as np
import pandas as pd
import sqlalchemy as sa

from checks.metrics import Metrics
from core.outcomes import UsageError
from store.db import init_db, metadata

#: Fields (besides rule_id) that identify where a finding is.
KEY_FIELDS: tuple[str, ...] = ("kode_pemda", "id_inovasi", "no_indikator", "kolom", "tabel")
#: SipHash key of `finding_key`. Changing it makes every stored key incomparable.
_HASH_KEY = "iid-audit-key-01"  # exactly 16 bytes

#: The scope of a run over every Pemda of the export (else the scope is the one Pemda's code).
SCOPE_NATIONAL = "nasional"

#: What changed per Pemda; every column but `kode_pemda` is also a `ringkasan.csv` column.
COMPARE_COLUMNS: list[str] = [
    "kode_pemda",
    "temuan_baru",
    "temuan_selesai",
    "temuan_tetap",
    "selisih_skor_terverifikasi",
    "selisih_persen_bermasalah",
    "run_sebelumnya",
]

#: One point of a Pemda's trend (a run that audited it).
TREND_COLUMNS: list[str] = [
    "kode_pemda", "run_id", "started_at", "as_of", "skor_terverifikasi", "persen_indikator_bermasalah",
]

#: Per Pemda and run, as stored in `audit_pemda` (besides run_id).
PEMDA_COLUMNS: list[str] = [
    "kode_pemda", "skor_klaim", "skor_terverifikasi", "persen_indikator_bermasalah", "predikat_terverifikasi",
    "jumlah_error", "jumlah_warning", "jumlah_info",
]

audit_run = sa.Table(
    "audit_run",
    metadata,
    sa.Column("run_id", sa.String(200), primary_key=True),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("tahun", sa.Integer, nullable=False),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("scope", sa.String(64)),
    sa.Column("export_hash", sa.String(64)),
    sa.Column("code_version", sa.String(40)),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    sa.Index("ix_audit_run_tahun_order", "tahun", "as_of", "started_at"),
)

audit_pemda = sa.Table(
    "audit_pemda",
    metadata,
    sa.Column("run_id", sa.String(200), sa.ForeignKey("audit_run.run_id", ondelete="CASCADE"), primary_key=True),
    sa.Column("kode_pemda", sa.String(32), primary_key=True),
    sa.Column("skor_klaim", sa.Float),
    sa.Column("skor_terverifikasi", sa.Float),
    sa.Column("persen_indikator_bermasalah", sa.Float),
    sa.Column("predikat_terverifikasi", sa.String(64)),
    sa.Column("jumlah_error", sa.Integer),
    sa.Column("jumlah_warning", sa.Integer),
    sa.Column("jumlah_info", sa.Integer),
    # the change the run's report showed (see `Comparison.shown`)
    sa.Column("laporan_baru", sa.Integer),
    sa.Column("laporan_selesai", sa.Integer),
    sa.Column("laporan_tetap", sa.Integer),
    sa.Column("laporan_selisih_skor", sa.Float),
    sa.Column("laporan_selisih_persen", sa.Float),
    sa.Column("laporan_run_sebelumnya", sa.String(200)),
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
    sa.Column("baru_di_laporan", sa.Boolean),  # the run's report marked it new
)

#: `audit_pemda.laporan_*` ↔ COMPARE_COLUMNS (what the report showed).
_SHOWN = {"laporan_baru": "temuan_baru", "laporan_selesai": "temuan_selesai", "laporan_tetap": "temuan_tetap",
          "laporan_selisih_skor": "selisih_skor_terverifikasi", "laporan_selisih_persen": "selisih_persen_bermasalah",
          "laporan_run_sebelumnya": "run_sebelumnya"}


@dataclass(frozen=True)
class RunRecord:
    """One execution of the audit, as `audit_run` keeps it."""

    run_id: str
    started_at: datetime
    tahun: int  # the catalog year: runs of different years are never compared
    as_of: date
    source: str  # the export's file or folder name
    scope: str = SCOPE_NATIONAL  # or the one Pemda code of an on-demand run
    export_hash: str | None = None
    code_version: str | None = None
    finished_at: datetime | None = None


@dataclass
class Comparison:
    """A run against the history before it (plain data for the reports and `ringkasan.csv`).

    `per_pemda` is against the previous run, exactly. `shown` and `baru` are what the report
    shows: the same, except for a Pemda whose findings and scores did not change at all since
    its previous run: its report shows again what the previous report showed (the change and
    the "baru" marks), so it is the same bytes and is not mailed again."""

    per_pemda: pd.DataFrame  # COMPARE_COLUMNS, one row per Pemda of the run
    shown: pd.DataFrame  # COMPARE_COLUMNS as the report shows them
    baru: pd.Series  # bool per finding row (the findings' index): marked new in the report
    tren: pd.DataFrame  # TREND_COLUMNS: each Pemda's earlier runs, then this one
    #: `finding_key` per finding row of a known Pemda (the findings' index): what `record_run`
    #: stores, so the run's keys are hashed once (0.2 s nationally) when it gets them back
    #: as the findings' `_kunci` column
    kunci: pd.Series | None = None


# ---------------------------------------------------------------------------------------------
# What a run is, as rows
# ---------------------------------------------------------------------------------------------


def _key_hashes(findings: pd.DataFrame) -> pd.Series:
    """`finding_key` (signed 64-bit) of every finding row of a known Pemda, on the findings' index."""
    f = findings[findings["kode_pemda"].notna()] if "kode_pemda" in findings.columns else findings.iloc[0:0]
    if f.empty:
        return pd.Series(dtype="int64")
    parts = [f["rule_id"].astype("string").fillna("")]
    for c in KEY_FIELDS:
        col = f[c] if c in f.columns else pd.Series(pd.NA, index=f.index)
        parts.append(col.astype("string").fillna(""))  # rule output: already stripped
    joined = parts[0].str.cat(parts[1:], sep="\x1f")
    h = pd.util.hash_pandas_object(joined, index=False, encoding="utf8", hash_key=_HASH_KEY)
    return pd.Series(h.to_numpy(dtype=np.uint64).view(np.int64), index=f.index)  # signed: fits BIGINT


def finding_keys(findings: pd.DataFrame, hashes: pd.Series | None = None) -> pd.DataFrame:
    """`kode_pemda, finding_key, rule_id, severity` per distinct finding of a known Pemda
    (`hashes`: its `_key_hashes`, when the caller has them already)."""
    h = _key_hashes(findings) if hashes is None else hashes
    if h.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in ("kode_pemda", "finding_key", "rule_id", "severity")})
    f = findings.loc[h.index]
    out = pd.DataFrame({
        "kode_pemda": f["kode_pemda"].astype(str).str.strip().to_numpy(),
        "finding_key": h.to_numpy(),
        "rule_id": f["rule_id"].astype(str).to_numpy(),
        "severity": f["severity"].astype(object).to_numpy() if "severity" in f.columns else None,
    })
    return out.drop_duplicates(["kode_pemda", "finding_key"]).reset_index(drop=True)


def pemda_rows(metrics: Metrics) -> pd.DataFrame:
    """PEMDA_COLUMNS of every Pemda of the run, from `ringkasan` (empty scores stay empty)."""
    r = metrics.ringkasan
    out = pd.DataFrame({"kode_pemda": r["kode_pemda"].astype(str)})
    for c in ("skor_klaim", "skor_terverifikasi", "persen_indikator_bermasalah"):
        out[c] = pd.to_numeric(r[c], errors="coerce")
    out["predikat_terverifikasi"] = r["predikat_terverifikasi"].astype(object).where(r["predikat_terverifikasi"].notna(), None)
    for c in ("jumlah_error", "jumlah_warning", "jumlah_info"):
        out[c] = pd.to_numeric(r[c], errors="coerce").astype("Int64")
    return out.drop_duplicates("kode_pemda").reset_index(drop=True)


def _values(df: pd.DataFrame) -> dict[str, list]:
    """Each column as Python scalars, NaN / NA → None (what a driver takes)."""
    return {c: df[c].astype(object).where(df[c].notna(), None).tolist() for c in df.columns}


def _records(df: pd.DataFrame) -> list[dict]:
    """Parameter dicts for executemany."""
    values = _values(df)
    return [dict(zip(values, row)) for row in zip(*values.values())]


def _insert_many(conn, table: sa.Table, df: pd.DataFrame) -> None:
    """`df`'s rows into `table` by one driver executemany. For a night's 116,000 finding keys:
    SQLAlchemy's per-row parameter handling took ~0.8 s of the run's last serial second; the
    values here are already plain Python (text, int, bool, None), all the driver needs."""
    compiled = table.insert().compile(dialect=conn.dialect, column_keys=list(df.columns))
    if compiled.positional:  # SQLite: `?` in the compiled order
        values = _values(df)
        params: list = list(zip(*(values[c] for c in compiled.positiontup)))
    else:  # PostgreSQL drivers: `%(name)s`
        params = _records(df)
    conn.exec_driver_sql(str(compiled), params)


# ---------------------------------------------------------------------------------------------
# Reading the history
# ---------------------------------------------------------------------------------------------


def _frame(conn, query, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(conn.execute(query).all(), columns=columns)


def _runs(conn, tahun: int | None = None) -> pd.DataFrame:
    """Stored runs (of one catalog year when given), in run order."""
    cols = ["run_id", "started_at", "finished_at", "source", "tahun", "as_of", "scope", "export_hash", "code_version"]
    q = sa.select(*(audit_run.c[c] for c in cols))
    if tahun is not None:
        q = q.where(audit_run.c.tahun == int(tahun))
    runs = _frame(conn, q, cols)
    runs["started_at"] = pd.to_datetime(runs["started_at"], utc=True)
    return runs.sort_values(["as_of", "started_at", "run_id"], kind="mergesort").reset_index(drop=True)


def _before(runs: pd.DataFrame, as_of: date, started_at: datetime, run_id: str) -> pd.Series:
    """Which of `runs` come before the run (as_of, started_at, run_id) in run order."""
    started = pd.Timestamp(started_at)
    started = started.tz_localize("UTC") if started.tzinfo is None else started.tz_convert("UTC")
    a = runs["as_of"]
    return (a < as_of) | ((a == as_of) & ((runs["started_at"] < started)
                                          | ((runs["started_at"] == started) & (runs["run_id"] < run_id))))


def _earlier_points(conn, runs: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """Every stored score of `codes` in `runs`, in run order (TREND_COLUMNS)."""
    cols = ["run_id", "kode_pemda", "skor_terverifikasi", "persen_indikator_bermasalah"]
    if not len(runs) or not codes:
        return pd.DataFrame(columns=TREND_COLUMNS)
    q = (sa.select(*(audit_pemda.c[c] for c in cols)).join(audit_run, audit_run.c.run_id == audit_pemda.c.run_id)
         .where(audit_run.c.tahun == int(runs["tahun"].iloc[0]), audit_pemda.c.kode_pemda.in_(codes)))
    pts = _frame(conn, q, cols)
    order = runs[["run_id", "started_at", "as_of"]].assign(_urutan=np.arange(len(runs)))
    pts = pts.merge(order, on="run_id").sort_values(["_urutan", "kode_pemda"], kind="mergesort")
    return pts[TREND_COLUMNS].reset_index(drop=True)


_COUNT_COLUMNS = ["jumlah_error", "jumlah_warning", "jumlah_info"]


def keys_dropped(pemda: pd.DataFrame, keys: pd.DataFrame) -> pd.Series:
    """Per row of `pemda` (kode_pemda + `jumlah_*` of one run): True when the run had findings
    (or counts stored before they were kept: unknown) but none of its keys is in `keys` (that
    run's kode_pemda, finding_key): retention dropped them, so its findings are unknown.
    Retention drops a Pemda's keys of a run all at once, never some of them."""
    counts = pemda[_COUNT_COLUMNS].apply(pd.to_numeric, errors="coerce")
    had = counts.isna().any(axis=1) | counts.sum(axis=1).gt(0)
    has_keys = pemda["kode_pemda"].astype(str).isin(set(keys["kode_pemda"].astype(str)))
    return (had & ~has_keys).astype(bool)


def _changes(conn, current: pd.DataFrame, cur_keys: pd.DataFrame, earlier: pd.DataFrame,
             current_dropped: pd.Series | None = None):
    """Per Pemda of `current` (PEMDA_COLUMNS) against its latest point in `earlier`
    (TREND_COLUMNS): COMPARE_COLUMNS; whether nothing at all changed (bool by kode_pemda);
    the previous run's keys (kode_pemda, finding_key, baru_di_laporan); and what the previous
    run's report showed (kode_pemda + COMPARE_COLUMNS). The finding counts are NA (unknown)
    where the previous run's keys, or the current run's (`current_dropped`, bool by
    kode_pemda), were dropped by retention."""
    prev = (earlier.drop_duplicates("kode_pemda", keep="last")
            .rename(columns={"run_id": "run_sebelumnya", "skor_terverifikasi": "_skor_dulu",
                             "persen_indikator_bermasalah": "_persen_dulu"})
            [["kode_pemda", "run_sebelumnya", "_skor_dulu", "_persen_dulu"]])
    key_cols = ["kode_pemda", "finding_key", "baru_di_laporan"]
    shown_cols = ["kode_pemda", *_SHOWN, *_COUNT_COLUMNS]
    keys_parts, shown_parts = [pd.DataFrame(columns=key_cols)], [pd.DataFrame(columns=shown_cols)]
    for run_id, codes in prev.groupby("run_sebelumnya")["kode_pemda"]:  # one query each per previous run
        codes = codes.tolist()
        keys_parts.append(_frame(conn, sa.select(*(audit_finding.c[c] for c in key_cols)).where(
            audit_finding.c.run_id == run_id, audit_finding.c.kode_pemda.in_(codes)), key_cols))
        shown_parts.append(_frame(conn, sa.select(*(audit_pemda.c[c] for c in shown_cols)).where(
            audit_pemda.c.run_id == run_id, audit_pemda.c.kode_pemda.in_(codes)), shown_cols))
    old_keys = pd.concat(keys_parts[1:], ignore_index=True) if len(keys_parts) > 1 else keys_parts[0]
    old_shown = pd.concat(shown_parts[1:], ignore_index=True) if len(shown_parts) > 1 else shown_parts[0]
    gone = set(old_shown.loc[keys_dropped(old_shown, old_keys), "kode_pemda"].astype(str))
    if current_dropped is not None:
        gone |= set(current_dropped.index[current_dropped.astype(bool)].astype(str))
    old_shown = old_shown.drop(columns=_COUNT_COLUMNS)
    # only the Pemda with a previous run are compared (filtered before the merge: on a first
    # night, none of the 116,000 findings' keys)
    cur = cur_keys.loc[cur_keys["kode_pemda"].isin(prev["kode_pemda"]).to_numpy(), ["kode_pemda", "finding_key"]]
    both = (cur.assign(kini=True)
            .merge(old_keys[["kode_pemda", "finding_key"]].assign(dulu=True), on=["kode_pemda", "finding_key"],
                   how="outer"))
    both = both[both["kode_pemda"].isin(prev["kode_pemda"])]
    kini, dulu = both["kini"].eq(True), both["dulu"].eq(True)
    counts = pd.DataFrame({
        "kode_pemda": both["kode_pemda"],
        "temuan_baru": kini & ~dulu,
        "temuan_selesai": dulu & ~kini,
        "temuan_tetap": kini & dulu,
    }).groupby("kode_pemda").sum()
    out = current[["kode_pemda", "skor_terverifikasi", "persen_indikator_bermasalah"]].merge(
        prev, on="kode_pemda", how="left").set_index("kode_pemda")
    has_prev = out["run_sebelumnya"].notna()
    known = has_prev & ~out.index.astype(str).isin(gone)  # a baseline of findings on both sides
    for c in ("temuan_baru", "temuan_selesai", "temuan_tetap"):
        col = counts[c].reindex(out.index).fillna(0) if c in counts.columns else pd.Series(0, index=out.index)
        out[c] = col.astype("Int64").where(known, pd.NA)
    num = lambda c: pd.to_numeric(out[c], errors="coerce")  # noqa: E731
    same = has_prev & out["temuan_baru"].eq(0).fillna(False) & out["temuan_selesai"].eq(0).fillna(False)
    for now, dulu_ in (("skor_terverifikasi", "_skor_dulu"), ("persen_indikator_bermasalah", "_persen_dulu")):
        same &= (num(now).round(2) == num(dulu_).round(2)) | (num(now).isna() & num(dulu_).isna())
    out["selisih_skor_terverifikasi"] = (num("skor_terverifikasi") - num("_skor_dulu")).round(2)
    out["selisih_persen_bermasalah"] = (num("persen_indikator_bermasalah") - num("_persen_dulu")).round(2)
    out["run_sebelumnya"] = out["run_sebelumnya"].astype(object).where(has_prev, None)
    per_pemda = out.reset_index()[COMPARE_COLUMNS].sort_values("kode_pemda").reset_index(drop=True)
    old_shown = old_shown.rename(columns=_SHOWN)
    return per_pemda, same, old_keys, old_shown


def compare(engine: sa.Engine, run: RunRecord, metrics: Metrics, findings: pd.DataFrame) -> Comparison:
    """`run` (not stored yet) against the stored history: what changed per Pemda, what its
    report shows (see `Comparison`), which finding rows it marks new, and each Pemda's trend
    ending with this run. Reads only.

    A Pemda audited for the first time (in this catalog year) has `run_sebelumnya` None and the
    other columns empty (NA), not "everything is new"; none of its findings is marked new.
    """
    init_db(engine)
    current = pemda_rows(metrics)
    hashes = _key_hashes(findings)
    cur_keys = finding_keys(findings, hashes)
    with engine.connect() as conn:
        runs = _runs(conn, run.tahun)
        runs = runs[_before(runs, run.as_of, run.started_at, run.run_id)]
        earlier = _earlier_points(conn, runs, current["kode_pemda"].tolist())
        per_pemda, same, old_keys, old_shown = _changes(conn, current, cur_keys, earlier)
    kept = set(same.index[same])  # nothing changed: the report shows what the previous one showed
    parts = [p for p in (per_pemda[~per_pemda["kode_pemda"].isin(kept)],
                         with_dtypes_of(old_shown[old_shown["kode_pemda"].isin(kept)], per_pemda)) if len(p)]
    shown = pd.concat(parts, ignore_index=True) if parts else per_pemda.iloc[0:0]
    shown = with_dtypes_of(shown, per_pemda).sort_values("kode_pemda").reset_index(drop=True)
    # a finding row is new when its Pemda had a previous run and that run did not have its key;
    # for an unchanged Pemda, when the previous report marked it new
    kode = findings.loc[hashes.index, "kode_pemda"].astype(str).str.strip() if len(hashes) else pd.Series(dtype=object)
    # (a Pemda whose previous findings were dropped by retention: none marked, unknown)
    with_prev = set(per_pemda.loc[per_pemda["temuan_baru"].notna(), "kode_pemda"])
    pairs = pd.MultiIndex.from_arrays([kode.to_numpy(), hashes.to_numpy()])
    k = old_keys.astype({"finding_key": "int64"})
    known = pd.MultiIndex.from_frame(k[["kode_pemda", "finding_key"]])
    marked = pd.MultiIndex.from_frame(k.loc[k["baru_di_laporan"].eq(True), ["kode_pemda", "finding_key"]])
    unchanged = kode.isin(kept).to_numpy()
    is_new = np.where(unchanged, pairs.isin(marked), kode.isin(with_prev).to_numpy() & ~pairs.isin(known))
    baru = pd.Series(False, index=findings.index)
    baru.loc[hashes.index] = is_new
    now = current.assign(run_id=run.run_id, started_at=pd.Timestamp(run.started_at), as_of=run.as_of)[TREND_COLUMNS]
    tren = pd.concat([earlier, now], ignore_index=True) if len(earlier) else now.reset_index(drop=True)
    return Comparison(per_pemda=per_pemda, shown=shown, baru=baru, tren=tren, kunci=hashes)


def with_dtypes_of(df: pd.DataFrame, like: pd.DataFrame) -> pd.DataFrame:
    """`df` with the column dtypes of `like` (rows read back from the database come as objects)."""
    out = df[list(like.columns)].copy()
    for c in like.columns:
        if like[c].dtype != object:
            out[c] = pd.to_numeric(out[c], errors="coerce").astype(like[c].dtype)
        else:
            out[c] = out[c].astype(object).where(out[c].notna(), None)
    return out


def compare_with_previous(engine: sa.Engine, run_id: str) -> pd.DataFrame:
    """COMPARE_COLUMNS per Pemda of the stored run `run_id` against each one's previous run.
    UsageError for an unknown run_id."""
    init_db(engine)
    with engine.connect() as conn:
        row = conn.execute(sa.select(audit_run.c.tahun, audit_run.c.as_of, audit_run.c.started_at)
                           .where(audit_run.c.run_id == run_id)).first()
        if row is None:
            raise UsageError(f"Run {run_id!r} tidak ada dalam riwayat audit", f"Run {run_id!r} is not in the audit history")
        current = _frame(conn, sa.select(*(audit_pemda.c[c] for c in PEMDA_COLUMNS))
                         .where(audit_pemda.c.run_id == run_id), PEMDA_COLUMNS)
        cur_keys = _frame(conn, sa.select(audit_finding.c.kode_pemda, audit_finding.c.finding_key)
                          .where(audit_finding.c.run_id == run_id), ["kode_pemda", "finding_key"])
        runs = _runs(conn, row.tahun)
        runs = runs[_before(runs, row.as_of, row.started_at, run_id)]
        earlier = _earlier_points(conn, runs, current["kode_pemda"].tolist())
        dropped = keys_dropped(current, cur_keys).set_axis(current["kode_pemda"].astype(str))
        per_pemda, *_ = _changes(conn, current, cur_keys, earlier, dropped)
    return per_pemda


def trend_points(tren: pd.DataFrame, limit: int) -> pd.DataFrame:
    """Each Pemda's last `limit` *distinct* points, oldest first: consecutive runs with the same
    verified score and problem share are one point (the first of them). So a night that changed
    nothing leaves the chart, and hence the emailed report, byte-identical (it is not re-sent)."""
    if not len(tren):
        return tren.reindex(columns=TREND_COLUMNS)
    t = tren.reset_index(drop=True)
    value = (t["skor_terverifikasi"].astype("Float64").astype(str) + "|"
             + t["persen_indikator_bermasalah"].astype("Float64").astype(str))
    changed = value.ne(value.groupby(t["kode_pemda"]).shift())
    t = t[changed]
    return t.groupby("kode_pemda", sort=False).tail(limit).sort_values(["kode_pemda"], kind="mergesort").reset_index(drop=True)


def national_runs(engine: sa.Engine, tahun: int, limit: int) -> pd.DataFrame:
    """The Pemda rows of the newest `limit` national runs of the catalog year, oldest run first:
    run_id, started_at, as_of, kode_pemda, skor_terverifikasi, persen_indikator_bermasalah,
    predikat_terverifikasi (the index page draws the national distribution over runs from it)."""
    init_db(engine)
    cols = ["run_id", "kode_pemda", "skor_terverifikasi", "persen_indikator_bermasalah", "predikat_terverifikasi"]
    with engine.connect() as conn:
        runs = _runs(conn, tahun)
        runs = runs[runs["scope"] == SCOPE_NATIONAL].tail(limit)
        if not len(runs):
            return pd.DataFrame(columns=["run_id", "started_at", "as_of", *cols[1:]])
        rows = _frame(conn, sa.select(*(audit_pemda.c[c] for c in cols))
                      .where(audit_pemda.c.run_id.in_(runs["run_id"].tolist())), cols)
    order = runs[["run_id", "started_at", "as_of"]].assign(_urutan=np.arange(len(runs)))
    out = rows.merge(order, on="run_id").sort_values(["_urutan", "kode_pemda"], kind="mergesort")
    return out[["run_id", "started_at", "as_of", *cols[1:]]].reset_index(drop=True)


def list_runs(engine: sa.Engine, region: str | None = None, limit: int = 10) -> list[dict]:
    """The newest `limit` runs (that audited `region`, when given), newest first, each with its
    Pemda count, findings per severity and what changed since the previous run (summed over its
    Pemda, or the region's own row). Plain JSON-ready values."""
    init_db(engine)
    with engine.connect() as conn:
        runs = _runs(conn)
        if region is not None:
            covered = {r for (r,) in conn.execute(sa.select(audit_pemda.c.run_id)
                                                  .where(audit_pemda.c.kode_pemda == region)).all()}
            runs = runs[runs["run_id"].isin(covered)]
        runs = runs.tail(limit).iloc[::-1]
        ids = runs["run_id"].tolist()
        pemda = _frame(conn, sa.select(audit_pemda.c.run_id, *(audit_pemda.c[c] for c in PEMDA_COLUMNS))
                       .where(audit_pemda.c.run_id.in_(ids)), ["run_id", *PEMDA_COLUMNS]) if ids else None
    out = []
    for r in runs.to_dict("records"):
        p = pemda[pemda["run_id"] == r["run_id"]]
        cmp = compare_with_previous(engine, r["run_id"])
        if region is not None:
            p, cmp = p[p["kode_pemda"] == region], cmp[cmp["kode_pemda"] == region]
        item = {
            "run_id": r["run_id"], "mulai": pd.Timestamp(r["started_at"]).isoformat(),
            "tanggal_audit": r["as_of"].isoformat(), "cakupan": r["scope"], "tahun": int(r["tahun"]),
            "ekspor": r["source"], "sidik_ekspor": r["export_hash"], "versi": r["code_version"],
            "pemda": int(len(p)),
            **{k: _int(p[f"jumlah_{k}"].sum(min_count=1)) for k in ("error", "warning", "info")},
            "ada_sebelumnya": bool(cmp["run_sebelumnya"].notna().any()),
            **{c: _known_sum(cmp, c) for c in ("temuan_baru", "temuan_selesai", "temuan_tetap")},
        }
        if region is not None and len(p):
            one, c1 = p.iloc[0], cmp.iloc[0]
            item.update(skor_terverifikasi=_float(one["skor_terverifikasi"]),
                        persen_indikator_bermasalah=_float(one["persen_indikator_bermasalah"]),
                        selisih_skor_terverifikasi=_float(c1["selisih_skor_terverifikasi"]),
                        selisih_persen_bermasalah=_float(c1["selisih_persen_bermasalah"]),
                        run_sebelumnya=c1["run_sebelumnya"])
        out.append(item)
    return out


def _known_sum(cmp: pd.DataFrame, column: str) -> int | None:
    """`column` summed over the Pemda that had a previous run; None when there is none, or
    when one of them is unknown (its findings dropped by retention): a partial sum would
    read as the run's whole change."""
    values = cmp.loc[cmp["run_sebelumnya"].notna(), column]
    if not len(values) or values.isna().any():
        return None
    return int(values.sum())


def _utc(t: datetime | None) -> datetime | None:
    """UTC, so every backend stores the same instant (SQLite keeps no offset)."""
    if t is None:
        return None
    return t.replace(tzinfo=timezone.utc) if t.tzinfo is None else t.astimezone(timezone.utc)


def _int(x) -> int | None:
    return None if pd.isna(x) else int(x)


def _float(x) -> float | None:
    return None if pd.isna(x) else round(float(x), 2)


# ---------------------------------------------------------------------------------------------
# Writing a run
# ---------------------------------------------------------------------------------------------


def record_run(engine: sa.Engine, run: RunRecord, metrics: Metrics, findings: pd.DataFrame,
               keep_runs: int | None = None, shown: pd.DataFrame | None = None,
               before_commit: Callable[[], object] | None = None) -> None:
    """Store one complete run (its Pemda scores and finding keys) in one transaction, then
    drop the finding keys of each of its Pemda beyond that Pemda's newest `keep_runs` runs
    (scores are kept forever). Recording a run_id again replaces it.

    `shown` (COMPARE_COLUMNS) and a `_baru` column of `findings` are what the run's reports
    showed (`Comparison.shown`, `.baru`): kept, so an unchanged rerun can show them again. A
    `_kunci` column (`Comparison.kunci`, nullable) saves hashing the findings again.
    `before_commit` is called once everything is written, before the commit: the job waits
    there for what must be whole before the history says the run happened."""
    init_db(engine)
    pemda = pemda_rows(metrics).assign(run_id=run.run_id)
    if shown is not None and len(shown):
        pemda = pemda.merge(shown.rename(columns={v: k for k, v in _SHOWN.items()}), on="kode_pemda", how="left")
    else:
        pemda = pemda.assign(**{c: None for c in _SHOWN})
    if "_kunci" in findings.columns:  # as `compare` hashed them
        hashes = findings["_kunci"].dropna().astype("int64")
    else:
        hashes = _key_hashes(findings)  # once: 116,000 findings take ~0.2 s
    keys = finding_keys(findings, hashes).assign(run_id=run.run_id)
    marked = findings.loc[findings["_baru"].eq(True)] if "_baru" in findings.columns else findings.iloc[0:0]
    new_keys = finding_keys(marked, hashes[hashes.index.isin(marked.index)])
    keys["baru_di_laporan"] = pd.MultiIndex.from_frame(keys[["kode_pemda", "finding_key"]]).isin(
        pd.MultiIndex.from_frame(new_keys[["kode_pemda", "finding_key"]])) if len(keys) else []
    with engine.begin() as conn:
        for t in (audit_finding, audit_pemda, audit_run):
            conn.execute(t.delete().where(t.c.run_id == run.run_id))
        conn.execute(audit_run.insert(), [{
            "run_id": run.run_id, "started_at": _utc(run.started_at), "finished_at": _utc(run.finished_at),
            "source": str(run.source), "tahun": int(run.tahun), "as_of": run.as_of, "scope": run.scope,
            "export_hash": run.export_hash, "code_version": run.code_version,
        }])
        if len(pemda):
            conn.execute(audit_pemda.insert(), _records(pemda[["run_id", *PEMDA_COLUMNS, *_SHOWN]]))  # executemany
        if len(keys):
            _insert_many(conn, audit_finding,
                         keys[["run_id", "kode_pemda", "finding_key", "rule_id", "severity", "baru_di_laporan"]])
        if keep_runs is not None:
            _prune_findings(conn, pemda["kode_pemda"].tolist(), keep_runs)
        if before_commit is not None:
            before_commit()


def _prune_findings(conn, codes: list[str], keep_runs: int) -> None:
    """Delete the finding keys of `codes` in all but each one's newest `keep_runs` runs."""
    if not codes:
        return
    q = (sa.select(audit_pemda.c.run_id, audit_pemda.c.kode_pemda, audit_run.c.as_of, audit_run.c.started_at)
         .join(audit_run, audit_run.c.run_id == audit_pemda.c.run_id).where(audit_pemda.c.kode_pemda.in_(codes)))
    seen = _frame(conn, q, ["run_id", "kode_pemda", "as_of", "started_at"])
    seen = seen.sort_values(["kode_pemda", "as_of", "started_at", "run_id"], ascending=False, kind="mergesort")
    old = seen[seen.groupby("kode_pemda").cumcount() >= keep_runs]
    if len(old):
        conn.execute(audit_finding.delete().where(audit_finding.c.run_id == sa.bindparam("r"),
                                                  audit_finding.c.kode_pemda == sa.bindparam("k")),
                     [{"r": r, "k": k} for r, k in zip(old["run_id"], old["kode_pemda"])])
