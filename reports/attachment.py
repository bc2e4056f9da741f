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
    indicators: dict

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
        indicators = report.indicators
        for i, r in enumerate(report.findings.to_dict("records"), start=1):
            no = text(r.get("no_indikator"))
            ind = indicators.get(no) if no else None
            rule_id = str(r.get("rule_id") or "")
            values = {
                **{k: r.get(k) for k in FINDING_SHEET_COLUMNS},
                "judul_aturan": t.rule_title(rule_id),
                # every word of the workbook in the report's language: `Kesalahan`, not `error`
                "severity": t(f"keparahan.{r.get('severity')}") if t.has(f"keparahan.{r.get('severity')}")
                else r.get("severity"),
                "indikator": ind.nama if ind else None,
                "cara": t.fix_hint(rule_id),
            }
            for c, name in enumerate(FINDING_SHEET_COLUMNS):
                v = values.get(name)
                if name == "poin_iid_hilang":
                    v = r.get("poin")
                    if not is_missing(v):
                        ws.write_number(i, c, float(v))
                    continue
                if name == "baris" and not is_missing(v):
                    try:
                        ws.write_number(i, c, int(v))
                        continue
                    except (TypeError, ValueError):
                        pass
                ws.write_string(i, c, _cell(v))
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
