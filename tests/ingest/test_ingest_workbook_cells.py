"""The workbook reader gives every cell the text pandas' `read_excel(dtype=str)` gives it
(numbers, dates, times, durations, booleans, blanks, ragged rows), reading through
python-calamine directly for speed; a sheet of text cells only (as the IID app writes them)
through fastexcel into Arrow, the same frame."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.cell.cell import TYPE_ERROR

from ingest import readers
from ingest.readers import _calamine_text, read_workbook_text

ROOT = Path(__file__).resolve().parents[2]


def pandas_text(path: Path) -> dict[str, pd.DataFrame]:
    return pd.read_excel(path, engine="calamine", sheet_name=None, header=None, dtype=str,
                         keep_default_na=False, na_filter=False)


def assert_same_text(path: Path) -> None:
    want = pandas_text(path)
    for got in (_calamine_text(path), read_workbook_text(path)):
        assert list(got) == list(want)
        for name in want:
            pd.testing.assert_frame_equal(got[name].reset_index(drop=True), want[name].reset_index(drop=True),
                                          check_dtype=False, check_column_type=False)


def read_by_arrow(path: Path) -> set[str]:
    """The sheets the fast path read into Arrow (the others fell to calamine)."""
    return {name for name, (_, table) in readers._read_workbook(path).items() if table is not None}


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


def text_only_workbook(path: Path) -> Path:
    """Text cells in the places that could shift a reader's rows or columns: empty rows and
    columns before, between and after the cells, a ragged row, whitespace, line breaks,
    non-Latin text, an escaped character, a cell past Excel's display limit, an error cell and
    a formula never calculated, an empty and a hidden sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Daftar Inovasi"
    ws["C3"], ws["D3"], ws["F3"] = "No", "Judul Inovasi", "Keterangan"
    ws["C4"], ws["D4"], ws["F4"] = "1", "  spasi  ", "baris\nbaru"
    ws["C7"], ws["D7"], ws["G7"] = "2", "Ünïcödé – “kutip” 😀", "ekor"
    ws["C8"], ws["D8"] = "_x000D_ x", "a" * 40_000
    wb.create_sheet("Kosong")
    errors = wb.create_sheet("Galat")  # an error cell and a formula never calculated: no text
    errors.append(["No", "Judul"])
    errors.append(["=1+1", "x"])
    errors["B2"].value, errors["B2"].data_type = "#N/A", TYPE_ERROR
    hidden = wb.create_sheet("Tersembunyi")
    hidden["A1"] = "x"
    hidden.sheet_state = "hidden"
    wb.save(path)
    return path


def test_a_workbook_of_text_cells_is_read_through_arrow_as_calamine_reads_it(tmp_path, caplog):
    path = text_only_workbook(tmp_path / "teks.xlsx")
    assert read_by_arrow(path) == {"Daftar Inovasi", "Kosong", "Galat", "Tersembunyi"}
    assert_same_text(path)
    got = read_workbook_text(path)["Daftar Inovasi"]
    assert got.shape == (8, 7)  # from A1: two empty rows and columns before the header
    assert got.iloc[2, 2] == "No" and got.iloc[3, 3] == "  spasi  " and got.iloc[4, 2] == ""
    assert read_workbook_text(path)["Galat"].values.tolist() == [["No", "Judul"], ["", ""]]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]  # (an empty column E)


def test_a_sheet_with_number_date_or_boolean_cells_is_read_by_calamine(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Teks"
    wb.active.append(["Kode Pemda", "Nama"])
    wb.active.append(["35.04", "Tulungagung"])
    for title, cell in (("Angka", 2026), ("Tanggal", datetime(2024, 2, 27)), ("Campur", True)):
        ws = wb.create_sheet(title)
        ws.append(["a", "b"])
        ws.append(["teks", cell])  # text and another kind in one column: no one type for it
    path = tmp_path / "campur.xlsx"
    wb.save(path)
    assert read_by_arrow(path) == {"Teks"}
    assert_same_text(path)
    assert read_workbook_text(path)["Angka"].iloc[1, 1] == "2026"


def test_the_sample_export_is_read_through_arrow_and_its_tables_carry_it():
    from ingest.readers import read_raw

    path = ROOT / "sample_data/daftar-inovasi-jatim-2025.xlsx"
    assert read_by_arrow(path) == {"Daftar Inovasi"}
    table = read_raw(path).tables["daftar_inovasi"]
    assert table.arrow is not None  # what the export cache stores as it is
    assert table.arrow.column_names == [c for c in table.frame.columns if c != "baris"]
    assert table.arrow.to_pandas().values.tolist() == table.frame.drop(columns="baris").values.tolist()
