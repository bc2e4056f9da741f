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

from core.files import atomic_path
from core.safe_cells import neutralize
from reports.data import is_missing, text
from reports.i18n import Translator
from reports.xlsx import Sheet, cells_xml, row_xml, write_xlsx


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


#: The numeric columns of the findings sheet (written as numbers, empty when missing).
NUMBER_COLUMNS = ("poin_iid_hilang", "baris")


def finding_cells(findings: pd.DataFrame, t: Translator, indicators: dict) -> pd.DataFrame:
    """The findings sheet's rows for many findings at once (a whole nation's, in report
    order): `_xml`, each row's cells as the workbook stores them (`reports.xlsx.row_xml`;
    text cells through `_cell`, the `NUMBER_COLUMNS` as numbers). Computed once per run and
    sliced per Pemda."""
    def col(name: str) -> pd.Series:
        return findings[name] if name in findings.columns else pd.Series(None, index=findings.index, dtype=object)

    rule = col("rule_id").astype(object).where(col("rule_id").notna(), "").astype(str)
    raw_no = col("no_indikator")
    no = raw_no.map({v: text(v) for v in raw_no.dropna().unique()})
    severity = col("severity")
    labels = {s: t(f"keparahan.{s}") if t.has(f"keparahan.{s}") else s for s in severity.dropna().unique()}
    values = pd.DataFrame(index=findings.index)
    for name in FINDING_SHEET_COLUMNS:
        if name == "judul_aturan":
            values[name] = rule.map({r: t.rule_title(r) for r in rule.unique()})
        elif name == "severity":  # every word of the workbook in the report's language: `Kesalahan`
            values[name] = severity.map(labels)
        elif name == "indikator":
            values[name] = no.map({n: indicators[n].nama for n in no.dropna().unique() if n in indicators})
        elif name == "cara":
            values[name] = rule.map({r: t.fix_hint(r) for r in rule.unique()})
        elif name == "poin_iid_hilang":
            values[name] = col("poin")
        else:
            values[name] = col(name)
    return pd.DataFrame({"_xml": row_xml(values, NUMBER_COLUMNS, text=_cell)}, index=findings.index)


def write_attachment(report: PemdaFindings, path: Path) -> Path:
    """Write the workbook atomically (`core.files.atomic_path`) and return its path."""
    with atomic_path(path) as tmp:
        _write_workbook(report, tmp)
    return Path(path)


#: Column widths of the findings sheet (characters), in `FINDING_SHEET_COLUMNS` order.
FINDING_SHEET_WIDTHS = (9, 30, 9, 10, 24, 16, 36, 8, 30, 16, 30, 70, 50, 10, 16, 7)


def _write_workbook(report: PemdaFindings, tmp: Path) -> None:
    t = report.t
    cells = report.finding_cells()
    findings = Sheet(t("lampiran.lembar_temuan")[:31], [t(f"lampiran.kolom.{name}") for name in FINDING_SHEET_COLUMNS],
                     rows=cells["_xml"].tolist(), widths=dict(enumerate(FINDING_SHEET_WIDTHS)), freeze=(1, 0),
                     autofilter=True)
    sheets = [findings]
    matrix = report.matrix(None)
    if matrix["available"]:
        label = {s: t(f"status.{s}.simbol") + " " + t(f"status.{s}.nama") for s in {s for r in matrix["baris"] for s in r["sel"]}}
        sheets.append(Sheet(t("lampiran.lembar_matriks")[:31],
                            [t("lampiran.kolom.peringkat"), t("lampiran.kolom.judul_inovasi"), *map(str, matrix["kolom"])],
                            rows=[cells_xml([row["no"], _cell(row["judul"]), *(label[s] for s in row["sel"])])
                                  for row in matrix["baris"]],
                            widths={1: 40}, freeze=(1, 2)))
    # The workbook's own timestamp is the audit date, not the wall clock: the same findings
    # give the same bytes, so the send ledger sees an unchanged report and does not re-send it.
    as_of = report.result.as_of
    write_xlsx(tmp, sheets, created=datetime(as_of.year, as_of.month, as_of.day))
