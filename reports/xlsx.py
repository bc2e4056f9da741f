"""A small XLSX writer for the findings attachment: text and number cells, a bold header row,
column widths, frozen panes and an autofilter, nothing else.

Why not xlsxwriter (which the synthetic generator uses): a national run writes ~550
workbooks with ~5,000 cells each, and xlsxwriter spends ~5 µs in Python on every cell
(~25 ms a workbook, ~14 s of a national run). Here the XML of every finding's row is built
once for the nation, each distinct value of a column once (`row_xml`), and a workbook is a
join of its rows' XML, zipped: a few ms.

What it writes is plain SpreadsheetML (ECMA-376): inline strings (`t="inlineStr"`, no shared
strings table), cell references on every cell, one style besides the default (the header),
`docProps/core.xml` dated by the caller (the same findings give the same bytes), zip entries
dated 1980-01-01. Excel, LibreOffice and openpyxl read it (tests read it back with openpyxl).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

#: What stands for the row number in `row_xml`'s cells until `Sheet` numbers the row. A NUL
#: can never be in a cell's text: `escape` writes control characters as `_x0000_`.
ROW = "\x00"
#: Characters XML 1.0 cannot carry: written as Excel does, `_xHHHH_` (as xlsxwriter; like it,
#: a text that itself reads `_x0041_` is not escaped, so Excel shows it as `A`).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: zlib's fastest level: 0.9 ms a national attachment instead of 2.5 ms at level 6, for 15 %
#: more bytes (33 KB instead of 29 KB); an attachment does not count against the body budget.
_DEFLATE_LEVEL = 1
_FIXED_DATE = (1980, 1, 1, 0, 0, 0)


@lru_cache(maxsize=1024)
def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def _escape(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


@lru_cache(maxsize=4096)  # a matrix repeats a few status labels thousands of times
def escape(text: str) -> str:
    """Text as XML character data or attribute value (`&`, `<`, `>`, `"`, control characters)."""
    return _escape(text)


def number_text(value: float) -> str:
    """A number as the file stores it (`1`, `0.5`, `1.25E+20`): what xlsxwriter writes."""
    return f"{value:.16G}"


def cells_xml(values: list) -> str:
    """One row's cells (row number left as `ROW`): str → text ("" = no cell), int or float →
    number, None → no cell. For rows built one at a time; `row_xml` does many at once."""
    out = []
    for j, v in enumerate(values):
        if v is None or v == "":
            continue
        if isinstance(v, str):
            out.append(_text_cell(j, v))
        else:
            out.append(f'<c r="{column_letter(j)}{ROW}"><v>{number_text(float(v))}</v></c>')
    return "".join(out)


@lru_cache(maxsize=8192)  # a matrix sheet repeats a few status labels in the same columns
def _text_cell(column: int, text: str) -> str:
    return f'<c r="{column_letter(column)}{ROW}" t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def row_xml(cells: pd.DataFrame, numbers: tuple[str, ...] = (),
            text: Callable[[object], str] = str) -> np.ndarray:
    """The XML of each row's cells (`<c>` elements, row number left as `ROW`), for many rows
    at once. A text column's cell is `text(value)` ("" = no cell; missing values have none),
    a `numbers` column's the number (NaN = no cell). Column order is the frame's. Each
    distinct value of a column is turned into its cell once."""
    columns = []
    for j, name in enumerate(cells.columns):
        ref = f'<c r="{column_letter(j)}{ROW}"'
        if name in numbers:
            codes, uniques = pd.factorize(pd.to_numeric(cells[name], errors="coerce").astype("float64"))
            xml = [f"{ref}><v>{number_text(x)}</v></c>" for x in uniques]
        else:
            codes, uniques = pd.factorize(cells[name])
            xml = [f'{ref} t="inlineStr"><is><t xml:space="preserve">{_escape(t)}</t></is></c>' if (t := text(x)) else ""
                   for x in uniques]
        columns.append(np.asarray([*xml, ""], dtype=object)[codes])  # code -1 (missing) picks the last: no cell
    return np.asarray(["".join(parts) for parts in zip(*columns)], dtype=object)


@dataclass
class Sheet:
    """One worksheet: a bold header row, then rows of cells XML (`row_xml`)."""

    name: str
    header: list[str]
    rows: list[str] = field(default_factory=list)
    widths: dict[int, float] = field(default_factory=dict)  # column index → width (characters)
    freeze: tuple[int, int] = (0, 0)  # rows, columns kept in view
    autofilter: bool = False

    def xml(self) -> str:
        last_col = column_letter(max(len(self.header), 1) - 1)
        parts = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">',
                 f'<dimension ref="A1:{last_col}{len(self.rows) + 1}"/>', "<sheetViews><sheetView workbookViewId=\"0\">"]
        rows, cols = self.freeze
        if rows or cols:
            pane = "bottomRight" if rows and cols else ("bottomLeft" if rows else "topRight")
            split = (f' xSplit="{cols}"' if cols else "") + (f' ySplit="{rows}"' if rows else "")
            parts.append(f'<pane{split} topLeftCell="{column_letter(cols)}{rows + 1}" activePane="{pane}" state="frozen"/>'
                         f'<selection pane="{pane}"/>')
        parts.append("</sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>")
        if self.widths:
            parts.append("<cols>" + "".join(f'<col min="{c + 1}" max="{c + 1}" width="{w}" customWidth="1"/>'
                                            for c, w in sorted(self.widths.items())) + "</cols>")
        parts.append('<sheetData><row r="1">')
        parts.extend(f'<c r="{column_letter(j)}1" s="1" t="inlineStr"><is><t xml:space="preserve">{escape(h)}</t></is></c>'
                     for j, h in enumerate(self.header))
        parts.append("</row>")
        parts.extend(f'<row r="{i}">{cells.replace(ROW, str(i))}</row>' for i, cells in enumerate(self.rows, start=2))
        parts.append("</sheetData>")
        if self.autofilter:  # over the header and at least one row, as Excel wants it
            parts.append(f'<autoFilter ref="A1:{last_col}{max(len(self.rows) + 1, 2)}"/>')
        parts.append('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>')
        return "".join(parts)

    def filter_range(self) -> str:
        """The autofilter's range as Excel names it in the workbook (`'Temuan'!$A$1:$P$9`)."""
        n_rows = max(len(self.rows) + 1, 2)
        name = self.name.replace("'", "''")
        return f"'{name}'!$A$1:${column_letter(len(self.header) - 1)}${n_rows}"


_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFDBE3EE"/><bgColor indexed="64"/></patternFill></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def write_xlsx(path: Path, sheets: list[Sheet], created: datetime) -> None:
    """The workbook of `sheets` at `path`, its creation time `created` (not the clock)."""
    ns_main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    ns_rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg_rel = "http://schemas.openxmlformats.org/package/2006/relationships"
    ct_sheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    filters = "".join(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">{escape(s.filter_range())}'
                      "</definedName>" for i, s in enumerate(sheets) if s.autofilter)
    files = {
        "[Content_Types].xml": head + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{ct_sheet}"/>'
                  for i in range(1, len(sheets) + 1))
        + '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>',
        "_rels/.rels": head + f'<Relationships xmlns="{pkg_rel}">'
        f'<Relationship Id="rId1" Type="{ns_rel}/officeDocument" Target="xl/workbook.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
        'Target="docProps/core.xml"/>'
        f'<Relationship Id="rId3" Type="{ns_rel}/extended-properties" Target="docProps/app.xml"/></Relationships>',
        "docProps/app.xml": head + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>iid-audit</Application></Properties>",
        "docProps/core.xml": head + '<cp:coreProperties '
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f'<dc:creator>iid-audit</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">{created:%Y-%m-%dT%H:%M:%SZ}'
        f'</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{created:%Y-%m-%dT%H:%M:%SZ}</dcterms:modified>'
        "</cp:coreProperties>",
        "xl/workbook.xml": head + f'<workbook xmlns="{ns_main}" xmlns:r="{ns_rel}"><bookViews><workbookView/></bookViews><sheets>'
        + "".join(f'<sheet name="{escape(s.name)}" sheetId="{i}" r:id="rId{i}"/>' for i, s in enumerate(sheets, start=1))
        + "</sheets>" + (f"<definedNames>{filters}</definedNames>" if filters else "") + "</workbook>",
        "xl/_rels/workbook.xml.rels": head + f'<Relationships xmlns="{pkg_rel}">'
        + "".join(f'<Relationship Id="rId{i}" Type="{ns_rel}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                  for i in range(1, len(sheets) + 1))
        + f'<Relationship Id="rId{len(sheets) + 1}" Type="{ns_rel}/styles" Target="styles.xml"/></Relationships>',
        "xl/styles.xml": _STYLES,
    }
    for i, sheet in enumerate(sheets, start=1):
        files[f"xl/worksheets/sheet{i}.xml"] = sheet.xml()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in files.items():
            info = zipfile.ZipInfo(name, date_time=_FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, content.encode("utf-8"), compresslevel=_DEFLATE_LEVEL)
    Path(path).write_bytes(buffer.getvalue())
