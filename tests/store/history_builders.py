"""Builders for history tests: Pemda scores, findings where they are, runs at given times."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pandas as pd
import sqlalchemy as sa

from checks.metrics import INOVASI_COLUMNS, PER_ATURAN_COLUMNS, RINGKASAN_CONTRACT, RINGKASAN_EXTRA, SLOT_COLUMNS, Metrics
from core.findings import Finding, findings as make_findings
from store.history import SCOPE_NATIONAL, RunRecord, record_run

KAB = "35.04"
KOTA = "35.79"
#: The morning every test's first run starts (later runs of a test start later).
MORNING = datetime(2026, 11, 30, 1, 0, tzinfo=timezone.utc)


def metrics_for(**scores) -> Metrics:
    """One ringkasan row per Pemda: `35_04=(skor_klaim, skor_terverifikasi[, persen_bermasalah])`."""
    rows = []
    for kode, values in scores.items():
        klaim, verif, *rest = values
        row = {c: None for c in RINGKASAN_CONTRACT + RINGKASAN_EXTRA}
        row.update(kode_pemda=kode.replace("_", "."), skor_klaim=klaim, skor_terverifikasi=verif,
                   persen_indikator_bermasalah=rest[0] if rest else 12.5, jumlah_error=1, jumlah_warning=2,
                   jumlah_info=0, predikat_terverifikasi="Inovatif" if verif and verif > 40 else "Kurang Inovatif")
        rows.append(row)
    empty = lambda cols: pd.DataFrame({c: pd.Series(dtype=object) for c in cols})  # noqa: E731
    return Metrics(pd.DataFrame(rows), empty(INOVASI_COLUMNS), empty(SLOT_COLUMNS), empty(PER_ATURAN_COLUMNS))


def bukti_kecil(kode: str, inovasi: str, no: str, *, nilai: str = "12 KB", baris: int = 1) -> Finding:
    return Finding(rule_id="BKT-05", severity="warning", kode_pemda=kode, id_inovasi=inovasi, no_indikator=no,
                   kolom="ukuran_file_kb", nilai=nilai, tabel="indikator_inovasi", baris=baris,
                   pesan=f"Berkas bukti terlalu kecil ({nilai})")


def run_record(run_id: str, *, as_of: date = date(2026, 11, 30), minutes: int = 0, scope: str = SCOPE_NATIONAL,
               tahun: int = 2026) -> RunRecord:
    started = MORNING + timedelta(minutes=minutes)
    return RunRecord(run_id=run_id, started_at=started, finished_at=started + timedelta(seconds=30), tahun=tahun,
                     as_of=as_of, source="ekspor-2026", scope=scope, export_hash="ab" * 32, code_version="0.1.0")


def with_counts(metrics: Metrics, findings: pd.DataFrame) -> Metrics:
    """`metrics` with each Pemda's `jumlah_*` counted from `findings`, as the job's metrics are
    (the history tells a run whose findings retention dropped by its counts)."""
    ring = metrics.ringkasan.copy()
    for s in ("error", "warning", "info"):
        n = findings[findings["severity"] == s].groupby("kode_pemda").size()
        ring[f"jumlah_{s}"] = ring["kode_pemda"].map(n).fillna(0).astype(int)
    return replace(metrics, ringkasan=ring)


def record(engine, run_id, metrics, items, *, as_of=date(2026, 11, 30), minutes=0, scope=SCOPE_NATIONAL,
           tahun=2026, keep_runs=None):
    f = make_findings(items)
    record_run(engine, run_record(run_id, as_of=as_of, minutes=minutes, scope=scope, tahun=tahun),
               with_counts(metrics, f), f, keep_runs=keep_runs)


def row(df: pd.DataFrame, kode: str) -> pd.Series:
    assert (df["kode_pemda"] == kode).sum() == 1
    return df[df["kode_pemda"] == kode].iloc[0]


def counts(engine) -> dict[str, int]:
    with engine.connect() as c:
        return {t: c.execute(sa.text(f"SELECT COUNT(*) FROM {t}")).scalar()
                for t in ("audit_run", "audit_pemda", "audit_finding")}
