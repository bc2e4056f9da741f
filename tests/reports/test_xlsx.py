"""The attachment's own XLSX writer (`reports.xlsx`), read back by openpyxl and calamine:
texts exactly as given (markup, quotes, control characters), numbers as numbers, the bold
header, frozen panes, the autofilter and widths, and the same bytes for the same content."""

from __future__ import annotations

import zipfile
from datetime import datetime
from xml.dom.minidom import parseString

import openpyxl
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from reports.xlsx import Sheet, cells_xml, column_letter, row_xml, write_xlsx

TRICKY = ["<b>Perda</b> & \"Perbup\"", "  spasi di tepi  ", "baris\nbaru", "kontrol\x01\x1f",
          "'=HYPERLINK(\"x\")", "Rp 1.500.000", "ümlaut ✓ 中文"]


def _book(tmp_path, rows: list[str], **sheet) -> openpyxl.Workbook:
    path = tmp_path / "b.xlsx"
    write_xlsx(path, [Sheet("Temuan", ["Teks", "Angka", "Bulat"], rows=rows, **sheet)], created=datetime(2026, 7, 1))
    return path


def test_cells_read_back_exactly(tmp_path):
    cells = pd.DataFrame({"teks": TRICKY, "angka": [0.5, float("nan"), 1.25e20, -3.0, 0.1, 2.0, 7.0],
                          "bulat": [1980, 7, float("nan"), 0, 1, 2, 3]})
    path = _book(tmp_path, list(row_xml(cells, numbers=("angka", "bulat"))))
    ws = openpyxl.load_workbook(path).active
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows][:3] == TRICKY[:3]
    assert rows[3][0] == "kontrol_x0001__x001F_"  # XML cannot carry them: Excel's escape (Excel shows them)
    assert [r[0] for r in rows][4:] == TRICKY[4:]
    assert [r[1] for r in rows] == [0.5, None, 1.25e20, -3, 0.1, 2, 7]
    assert rows[0][2] == 1980 and rows[2][2] is None
    assert all(ws.cell(row=r, column=1).data_type == "s" for r in range(2, 9))
    calamine = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Temuan").to_python()
    assert calamine[0] == ["Teks", "Angka", "Bulat"] and calamine[1][0] == TRICKY[0] and calamine[7][0] == TRICKY[6]


def test_empty_text_is_an_empty_cell_and_columns_stay_in_place(tmp_path):
    cells = pd.DataFrame({"a": ["", "x"], "b": [float("nan"), 2.0], "c": ["z", ""]})
    path = _book(tmp_path, list(row_xml(cells, numbers=("b",))) + [cells_xml([None, 5, "q"])])
    rows = list(openpyxl.load_workbook(path).active.iter_rows(min_row=2, values_only=True))
    assert rows == [(None, None, "z"), ("x", 2, None), (None, 5, "q")]


def test_header_panes_filter_and_widths(tmp_path):
    path = _book(tmp_path, [cells_xml(["a", 1, 2])], widths={0: 30, 2: 7}, freeze=(1, 2), autofilter=True)
    ws = openpyxl.load_workbook(path).active
    assert [c.value for c in ws[1]] == ["Teks", "Angka", "Bulat"]
    assert ws["A1"].font.b and ws["A1"].fill.fgColor.rgb == "FFDBE3EE" and not ws["A2"].font.b
    assert ws.freeze_panes == "C2" and ws.auto_filter.ref == "A1:C2"
    assert ws.column_dimensions["A"].width == 30 and ws.column_dimensions["C"].width == 7
    with zipfile.ZipFile(path) as z:  # every part is well-formed XML
        for name in z.namelist():
            parseString(z.read(name))
        assert "_xlnm._FilterDatabase" in z.read("xl/workbook.xml").decode()


@pytest.mark.parametrize("name", ["Temuan", "Pak O'Neil & <Co>"])
def test_sheet_names_and_two_sheets(tmp_path, name):
    path = tmp_path / "b.xlsx"
    write_xlsx(path, [Sheet(name, ["x"], rows=[cells_xml(["1"])], autofilter=True), Sheet("Matriks", ["y"])],
               created=datetime(2026, 7, 1))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [name, "Matriks"] and wb[name]["A2"].value == "1" and wb["Matriks"].max_row == 1


def test_same_content_same_bytes_and_the_given_date(tmp_path):
    rows = [cells_xml(["a", 1.5, 3])]
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_xlsx(a, [Sheet("S", ["x", "y", "z"], rows=rows)], created=datetime(2026, 7, 1))
    write_xlsx(b, [Sheet("S", ["x", "y", "z"], rows=list(rows))], created=datetime(2026, 7, 1))
    assert a.read_bytes() == b.read_bytes()
    assert ">2026-07-01T00:00:00Z<" in zipfile.ZipFile(a).read("docProps/core.xml").decode()


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 27, 51, 52, 701, 702)] == ["A", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]
