"""SKM-01: a required column of a present table is missing: a `required` column of
`core.tables` (Pandera's own `column_in_dataframe` check), or every column that ties the
table's rows to their innovation (`ID Inovasi`, or `Pemda` + `Judul Inovasi`) or Pemda
(`Kode Pemda` or `Pemda`), which no single column is required to be."""

from __future__ import annotations

import pandas as pd

from core.findings import Severity
from core.rules import ContractRule
from ingest import partial


def check(stage) -> pd.DataFrame | None:
    """The table lacks its reference: one finding about the whole table, on the column to add."""
    if stage.reference_missing is None:
        return None
    table = stage.table
    return partial.table_level("SKM-01", table, table.column(stage.reference_missing).display)


RULE = ContractRule(
    id="SKM-01",
    severity=Severity.ERROR,
    key=("tabel", "kolom"),
    judul_id="Kolom wajib tidak ada",
    judul_en="Required column missing",
    pesan_id=(
        "Tabel {tabel} tidak memiliki kolom wajib '{kolom}', sehingga pemeriksaan yang memerlukannya "
        "tidak dapat dijalankan. Ekspor ulang dari aplikasi IID dengan kolom '{kolom}' (judul kolom persis seperti ini)."
    ),
    pesan_en=(
        "Table {tabel} lacks the required column '{kolom}', so the checks that need it cannot run. "
        "Export again from the IID app with the column '{kolom}' (header exactly like this)."
    ),
    perbaikan_id="Ekspor ulang dari aplikasi IID tanpa menghapus atau mengganti nama kolom.",
    perbaikan_en="Export again from the IID application without removing or renaming columns.",
    pandera_checks=("column_in_dataframe",),
    check=check,
)
