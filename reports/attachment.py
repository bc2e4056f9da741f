"""`<kode>-<slug>-temuan.xlsx`: every finding of one Pemda (and the full matrix), for when the
email body cannot hold them all and for operators who want to filter.

Data cells are written as *string* cells and neutralized against formula injection
(`core.safe_cells`): a phone number `+62…` stays the text `'+62…`, never a formula.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import pandas as pd
import xlsxwriter

from core.files import atomic_path
from core.safe_cells import neutralize
from reports.data import is_missing, text
from reports.i18n import Translator


class PemdaFindings(Protocol):
    """What the workbook needs of one Pemda's report (`reports.render.PemdaReport` is one)."""

    t: Translator
    lang: str
    result: Any  # has `as_of`
    findings: pd.DataFrame

    def finding_cells(self) -> pd.DataFrame: ...  # `finding_cells` of its findings

    def matrix(self, limit: int | None) -> dict: ...

FINDING_SHEET_COLUMNS = [
    "rule_id", "judul_aturan", "severity", "kode_pemda", "pemda", "id_inovasi", "judul_inovasi",
    "no_indikator", "indikator", "kolom", "nilai", "pesan", "cara", "poin_iid_hilang", "tabel", "baris",
]


#: Excel's limit of characters in one cell; past it a spreadsheet cuts silently.
XLSX_CELL_MAX_CHARS = 32_767
#: What a cut cell ends with: the reader knows it is not the whole text (findings.csv has it).
CUT_MARK = "…[dipotong]"


def _cell(value) -> str:
    """The value unchanged (no strip: nothing is lost) but formula-neutralized; a text longer
    than a cell can hold is cut visibly (`…[dipotong]`), never silently."""
    if is_missing(value):
        return ""
    text = str(neutralize(str(value)))
    if len(text) > XLSX_CELL_MAX_CHARS:
        text = text[: XLSX_CELL_MAX_CHARS - len(CUT_MARK)] + CUT_MARK
    return text


def _cells(values: pd.Series) -> pd.Series:
    """`_cell` of a whole column, once per distinct value."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    cells = [_cell(v) for v in uniques] + [""]  # code -1 (missing): an empty cell
    return pd.Series(pd.Index(cells, dtype=object).take(codes), index=values.index, dtype=object)


#: The numeric columns of the findings sheet (written as numbers, empty when missing).
NUMBER_COLUMNS = ("poin_iid_hilang", "baris")


def finding_cells(findings: pd.DataFrame, t: Translator, indicators: dict) -> pd.DataFrame:
    """The findings sheet's cells for many findings at once (a whole nation's, in report
    order): one column per `FINDING_SHEET_COLUMNS`, text cells final (`_cell`), the two
    number columns as floats (NaN: empty). Computed once per run and sliced per Pemda."""
    def col(name: str) -> pd.Series:
        return findings[name] if name in findings.columns else pd.Series(None, index=findings.index, dtype=object)

    rule = col("rule_id").astype(object).where(col("rule_id").notna(), "").astype(str)
    no = col("no_indikator").map(lambda v: text(v))
    severity = col("severity")
    labels = {s: t(f"keparahan.{s}") for s in severity.dropna().unique() if t.has(f"keparahan.{s}")}
    out = pd.DataFrame(index=findings.index)
    for name in FINDING_SHEET_COLUMNS:
        if name == "judul_aturan":
            v = rule.map({r: t.rule_title(r) for r in rule.unique()})
        elif name == "severity":  # every word of the workbook in the report's language: `Kesalahan`
            v = severity.map(lambda s: labels.get(s, s))
        elif name == "indikator":
            v = no.map({n: indicators[n].nama for n in no.dropna().unique() if n in indicators})
        elif name == "cara":
            v = rule.map({r: t.fix_hint(r) for r in rule.unique()})
        elif name == "poin_iid_hilang":
            out[name] = pd.to_numeric(col("poin"), errors="coerce").astype("float64")
            continue
        elif name == "baris":
            out[name] = pd.to_numeric(col("baris"), errors="coerce").astype("float64")
            continue
        else:
            v = col(name)
        out[name] = _cells(v)
    return out


def write_attachment(report: PemdaFindings, path: Path) -> Path:
    """Write the workbook atomically (`core.files.atomic_path`) and return its path."""
    with atomic_path(path) as tmp:
        _write_workbook(report, tmp)
    return Path(path)


def _write_workbook(report: PemdaFindings, tmp: Path) -> None:
    t = report.t
    wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                        "strings_to_numbers": False})
    # The workbook's own timestamp is the audit date, not the wall clock: the same findings
    # give the same bytes, so the send ledger sees an unchanged report and does not re-send it.
    as_of = report.result.as_of
    wb.set_properties({"created": datetime(as_of.year, as_of.month, as_of.day)})
    try:
        bold = wb.add_format({"bold": True, "bg_color": "#DBE3EE"})
        ws = wb.add_worksheet(t("lampiran.lembar_temuan")[:31])
        for c, name in enumerate(FINDING_SHEET_COLUMNS):
            ws.write_string(0, c, t(f"lampiran.kolom.{name}"), bold)
        cells = report.finding_cells()
        texts = [c for c in FINDING_SHEET_COLUMNS if c not in NUMBER_COLUMNS]
        at = {name: c for c, name in enumerate(FINDING_SHEET_COLUMNS)}
        numbers = [(at[name], cells[name].to_numpy()) for name in NUMBER_COLUMNS]
        for i, row in enumerate(cells[texts].itertuples(index=False, name=None), start=1):
            for c, v in zip((at[name] for name in texts), row):
                ws.write_string(i, c, v)
            for c, values in numbers:
                if values[i - 1] == values[i - 1]:  # not NaN
                    ws.write_number(i, c, int(values[i - 1]) if c == at["baris"] else float(values[i - 1]))
        ws.autofilter(0, 0, max(len(report.findings), 1), len(FINDING_SHEET_COLUMNS) - 1)
        ws.freeze_panes(1, 0)
        for c, width in enumerate([9, 30, 9, 10, 24, 16, 36, 8, 30, 16, 30, 70, 50, 10, 16, 7]):
            ws.set_column(c, c, width)

        matrix = report.matrix(None)
        if matrix["available"]:
            ms = wb.add_worksheet(t("lampiran.lembar_matriks")[:31])
            ms.write_string(0, 0, t("lampiran.kolom.peringkat"), bold)
            ms.write_string(0, 1, t("lampiran.kolom.judul_inovasi"), bold)
            for c, no in enumerate(matrix["kolom"], start=2):
                ms.write_string(0, c, str(no), bold)
            for i, row in enumerate(matrix["baris"], start=1):
                ms.write_number(i, 0, row["no"])
                ms.write_string(i, 1, _cell(row["judul"]))
                for c, s in enumerate(row["sel"], start=2):
                    ms.write_string(i, c, t(f"status.{s}.simbol") + " " + t(f"status.{s}.nama"))
            ms.freeze_panes(1, 2)
            ms.set_column(1, 1, 40)
    finally:
        wb.close()
