"""The workbook reader gives every cell the text pandas' `read_excel(dtype=str)` gives it
(numbers, dates, times, durations, booleans, blanks, ragged rows), reading through
python-calamine directly for speed."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from ingest.readers import _calamine_text

ROOT = Path(__file__).resolve().parents[2]


def pandas_text(path: Path) -> dict[str, pd.DataFrame]:
    return pd.read_excel(path, engine="calamine", sheet_name=None, header=None, dtype=str,
                         keep_default_na=False, na_filter=False)


def assert_same_text(path: Path) -> None:
    want, got = pandas_text(path), _calamine_text(path)
    assert list(got) == list(want)
    for name in want:
        pd.testing.assert_frame_equal(got[name].reset_index(drop=True), want[name].reset_index(drop=True),
                                      check_dtype=False, check_column_type=False)


def test_native_cells_read_as_pandas_writes_them(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Daftar Inovasi"
    ws.append(["No", "Judul Inovasi", "Tanggal", "Nilai", "Jam", "Durasi", "Ya", "Kosong"])
    ws.append([1, "Bank Sampah", datetime(2024, 2, 27), 1.5, time(9, 30), timedelta(hours=1, minutes=5), True, None])
    ws.append([2.0, "  spasi  ", date(2025, 1, 3), 1e16, None, None, False, ""])
    ws.append([3, "pendek"])  # a ragged row
    ws.append([])
    ws.append([-0.25, "=1+1", "27 Februari 2024", 12345678901234567890, "x", "y", "z", 0])
    other = wb.create_sheet("Profil Pemda")
    other.append(["Kode Pemda", "Tahun Penilaian"])
    other.append(["35.04", 2026])
    path = tmp_path / "sel.xlsx"
    wb.save(path)
    assert_same_text(path)


@pytest.mark.parametrize("name", ["sample_data/daftar-inovasi-jatim-2025.xlsx"])
def test_the_sample_workbook_reads_as_pandas_reads_it(name):
    assert_same_text(ROOT / name)
