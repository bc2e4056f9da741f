"""The export cache (`ingest.cache`): a cached read, whole or one region, is the same export as
an uncached one; the second read parses no export file; a changed file or broken entry is read
again; the cache never decides whether an audit works."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from ingest_builders import daftar, innovation, write_csv

from core.settings import EXPORT_CACHE_KEPT
from ingest import cache, read_export, readers, select_region
from ingest.region import KODE

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ["sample_data/ekspor-2026", "sample_data/daftar-inovasi-jatim-2025.xlsx"]


def assert_same_export(a, b) -> None:
    pd.testing.assert_frame_equal(a.findings.reset_index(drop=True), b.findings.reset_index(drop=True))
    assert list(a.tables) == list(b.tables)
    for t in a.tables:
        pd.testing.assert_frame_equal(a.tables[t].reset_index(drop=True), b.tables[t].reset_index(drop=True))
    assert (a.kind, a.bukti_dir, a.tahun_penilaian, a.source) == (b.kind, b.bukti_dir, b.tahun_penilaian, b.source)


@pytest.fixture
def parses(monkeypatch):
    """Counts the raw reads of export files (the work the cache saves)."""
    calls = []
    real = readers.read_raw

    def counted(path):
        calls.append(Path(path))
        return real(path)

    monkeypatch.setattr(readers, "read_raw", counted)
    return calls


@pytest.mark.parametrize("source", SOURCES)
def test_a_cached_read_is_the_same_export_and_the_second_parses_nothing(tmp_path, source, parses):
    path = ROOT / source
    plain = read_export(path)
    first = read_export(path, cache_dir=tmp_path / "cache")
    second = read_export(path, cache_dir=tmp_path / "cache")
    assert len(parses) == 2  # the plain read and the first cached one; the second came from Parquet
    assert_same_export(first, plain)
    assert_same_export(second, plain)


@pytest.mark.parametrize("source", SOURCES)
def test_a_region_from_the_cache_is_that_region_of_the_whole_export(tmp_path, source, parses):
    path = ROOT / source
    whole = read_export(path)
    read_export(path, cache_dir=tmp_path / "cache")  # fills the cache
    for kode in sorted(set(whole.tables["daftar_inovasi"]["kode_pemda"].dropna())):
        cached = select_region(read_export(path, region=kode, cache_dir=tmp_path / "cache"), kode)
        assert_same_export(cached, select_region(whole, kode))
    assert len(parses) == 2


def test_a_row_filed_under_an_unknown_code_but_a_known_name_comes_with_its_region(tmp_path):
    rows = daftar(innovation(judul_inovasi="Satu"), innovation(judul_inovasi="Dua", kode_pemda="99.99"),
                  innovation(judul_inovasi="Tiga", pemda="Kota Batu"))
    path = write_csv(tmp_path / "daftar.csv", rows)
    read_export(path, cache_dir=tmp_path / "cache")
    got = read_export(path, region="35.04", cache_dir=tmp_path / "cache")
    assert got.tables["daftar_inovasi"]["judul_inovasi"].tolist() == ["Satu", "Dua"]


def test_a_changed_export_is_read_again_and_old_entries_are_pruned(tmp_path, parses):
    path = tmp_path / "daftar.csv"
    for i in range(EXPORT_CACHE_KEPT + 2):
        write_csv(path, daftar(innovation(judul_inovasi=f"Inovasi {i}")))
        e = read_export(path, cache_dir=tmp_path / "cache")
        assert e.tables["daftar_inovasi"]["judul_inovasi"].tolist() == [f"Inovasi {i}"]
    assert len(parses) == EXPORT_CACHE_KEPT + 2
    assert len([p for p in (tmp_path / "cache").iterdir() if p.is_dir()]) == EXPORT_CACHE_KEPT


def test_a_broken_entry_is_read_again_not_trusted(tmp_path, parses):
    path = ROOT / SOURCES[0]
    read_export(path, cache_dir=tmp_path / "cache")
    (entry,) = [p for p in (tmp_path / "cache").iterdir() if p.is_dir()]
    for f in entry.glob("*.parquet"):
        f.write_bytes(b"not parquet")
    assert_same_export(read_export(path, cache_dir=tmp_path / "cache"), read_export(path))
    assert len(parses) == 3


def test_a_cache_that_cannot_be_written_changes_nothing(tmp_path):
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the folder should be", encoding="utf-8")
    path = ROOT / SOURCES[0]
    assert_same_export(read_export(path, cache_dir=blocked), read_export(path))


def test_the_key_is_the_content_not_the_name_or_time(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    shutil.copytree(ROOT / SOURCES[0], a)
    shutil.copytree(ROOT / SOURCES[0], b)
    assert cache.export_key(a) == cache.export_key(b)
    (b / "profil_pemda.csv").write_bytes((b / "profil_pemda.csv").read_bytes() + b"\r\n")
    assert cache.export_key(a) != cache.export_key(b)


def test_a_write_that_fails_leaves_no_half_entry_and_old_leftovers_go(tmp_path):
    import os
    import time

    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    stale = cache_dir / ".deadbeef.123.tmp"
    stale.mkdir()
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    fresh = cache_dir / ".cafe.456.tmp"  # a live writer's: kept
    fresh.mkdir()
    path = write_csv(tmp_path / "daftar.csv", daftar(innovation(judul_inovasi="Satu")))
    raw = readers.read_raw(path)
    readers.forget_arrow(raw)  # the entry is then made from the frames, which this one breaks:
    raw.tables["daftar_inovasi"].frame.loc[0, "jenis"] = object()  # no text: Arrow refuses it mid-write
    with pytest.raises(Exception):
        cache._store(raw, cache_dir / "entri")
    assert not (cache_dir / "entri").exists() and not list(cache_dir.glob(".entri.*"))
    read_export(path, cache_dir=cache_dir)  # a good write, which also prunes
    assert not stale.exists() and fresh.exists()


def test_row_groups_are_small_in_bytes_so_a_region_decodes_few(tmp_path, monkeypatch):
    """A table of long texts (Rancang Bangun) is cut into many row groups, not one, and every
    region read from them is still that region of the whole export."""
    import pyarrow.parquet as pq

    path = ROOT / SOURCES[0]
    whole = read_export(path)
    monkeypatch.setattr(cache, "EXPORT_CACHE_ROW_GROUP_BYTES", 4096)
    read_export(path, cache_dir=tmp_path / "cache")
    entry = next(p for p in (tmp_path / "cache").iterdir() if p.is_dir())
    meta = json.loads((entry / "meta.json").read_text(encoding="utf-8"))
    book = pq.ParquetFile(entry / meta["tables"]["daftar_inovasi"]["file"])
    groups = [book.metadata.row_group(i) for i in range(book.metadata.num_row_groups)]
    assert len(groups) > 1
    per_row = sum(g.total_byte_size for g in groups) / book.metadata.num_rows
    assert all(g.num_rows == 1 or g.num_rows * per_row <= 4 * 4096 for g in groups)  # encoded bytes, roughly
    # the sample lists a Pemda's innovations together: its code's range is in some groups only,
    # the others skipped by their statistics
    kode = book.schema_arrow.get_field_index(KODE)
    spans = [(g.column(kode).statistics.min, g.column(kode).statistics.max) for g in groups]
    for code in set(whole.tables["daftar_inovasi"]["kode_pemda"].dropna()):
        assert sum(lo <= code <= hi for lo, hi in spans) < len(groups), code
    for kode in sorted(set(whole.tables["daftar_inovasi"]["kode_pemda"].dropna())):
        cached = select_region(read_export(path, region=kode, cache_dir=tmp_path / "cache"), kode)
        assert_same_export(cached, select_region(whole, kode))


@pytest.mark.parametrize(("rows", "nbytes"), [(37_000, 110 * 1024**2), (740_000, 110 * 1024**2), (10, 10**9), (0, 0)])
def test_a_row_group_holds_about_the_budget_and_at_most_the_row_cap(rows, nbytes):
    from core.settings import EXPORT_CACHE_ROW_GROUP_BYTES, EXPORT_CACHE_ROW_GROUP_ROWS

    n = cache.row_group_rows(rows, nbytes)
    assert 1 <= n <= EXPORT_CACHE_ROW_GROUP_ROWS
    per_row = nbytes / rows if rows else 0
    assert n * per_row <= EXPORT_CACHE_ROW_GROUP_BYTES or n == 1  # a row over the budget is a group alone
    if n < EXPORT_CACHE_ROW_GROUP_ROWS and per_row:
        assert (n + 1) * per_row > EXPORT_CACHE_ROW_GROUP_BYTES  # not smaller than the budget asks


TITLED_CSV = (
    "Ekspor Daftar Inovasi 2026;;;\n"  # a title row above the header
    "\n"
    "No;Judul Inovasi;Kode Pemda;\n"  # a last column with neither a header nor a value
    "1;Sahabat Arsip; 35.04;\n"
    "2;\"Jemput Bola; Keliling\";35.04;\n"
)


@pytest.mark.parametrize("source", ["sample_data/ekspor-2026", "judul-di-atas"])
def test_a_csv_entry_stores_pyarrow_s_own_columns_holding_the_frames_cells(tmp_path, source):
    """A CSV read by pyarrow keeps its table beside the frame, laid out as the header lays the
    frame out (title rows and an empty last column dropped); the cache stores those columns
    instead of converting the frame back: the same Parquet tables as converting would write."""
    import pyarrow.parquet as pq

    if source == "judul-di-atas":
        path = tmp_path / "ekspor"
        path.mkdir()
        (path / "daftar_inovasi.csv").write_text(TITLED_CSV, encoding="utf-8")
    else:
        path = ROOT / source
    raw = readers.read_raw(path)
    assert all(t.arrow is not None for t in raw.tables.values())
    assert all(t.arrow.column_names == [c for c in t.frame.columns if c != "baris"] and t.arrow.num_rows == len(t.frame)
               for t in raw.tables.values())
    (tmp_path / "dari-arrow").mkdir()
    cache._write_entry(raw, tmp_path / "dari-arrow")
    readers.forget_arrow(raw)
    (tmp_path / "dari-frame").mkdir()
    cache._write_entry(raw, tmp_path / "dari-frame")
    files = sorted(p.name for p in (tmp_path / "dari-arrow").glob("*.parquet"))
    assert files == sorted(p.name for p in (tmp_path / "dari-frame").glob("*.parquet")) and files
    for name in files:
        assert pq.read_table(tmp_path / "dari-arrow" / name).equals(pq.read_table(tmp_path / "dari-frame" / name))


def test_a_read_lets_go_of_pyarrow_s_tables(tmp_path, monkeypatch):
    """Once the entry is stored (here, or by the writer's fork), the export's reader holds the
    frames only: pyarrow's tables would keep the national CSVs' 230 MB for the whole run."""
    kept = []
    real = readers.read_raw

    def read_raw(path):
        raw = real(path)
        kept.append(raw)
        return raw

    monkeypatch.setattr(readers, "read_raw", read_raw)
    read_export(ROOT / "sample_data/ekspor-2026", cache_dir=tmp_path / "cache")
    read_export(ROOT / "sample_data/ekspor-2026")
    assert len(kept) == 2 and all(t.arrow is None for raw in kept for t in raw.tables.values())
