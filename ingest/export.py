"""The in-memory form of one IID export, as every later stage sees it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

import pandas as pd

from core.findings import findings


@dataclass
class Export:
    """Tables keyed by `core.tables.TABLES` keys, with canonical column names.

    `kind` is `daftar` when the export is only the innovation list (what the IID app exports
    today) and `bundle` when it came as the workbook/folder of tables. `findings` holds the
    structural (SKM) findings raised while reading and validating; rows with problems stay
    in the tables, flagged there, never dropped.
    """

    source: Path
    kind: str
    tables: dict[str, pd.DataFrame]
    findings: pd.DataFrame = field(default_factory=findings)
    bukti_dir: Path | None = None
    #: `Tahun Penilaian` from Profil Pemda when present and unanimous.
    tahun_penilaian: int | None = None
    #: findings still to compute (`read_export(defer_contract=True)`): `settle()` adds them
    pending: Optional[Callable[[], pd.DataFrame]] = field(default=None, repr=False, compare=False)

    def settle(self) -> "Export":
        """This export with every finding of its reading in `findings` (see `pending`)."""
        if self.pending is not None:
            self.findings, self.pending = self.pending(), None
        return self

    def has(self, table: str, column: str | None = None) -> bool:
        df = self.tables.get(table)
        if df is None:
            return False
        return column is None or column in df.columns

    def unmet_needs(self, needs: tuple[str, ...]) -> list[str]:
        """The `needs` entries ("table" or "table.column") this export does NOT satisfy."""
        missing = []
        for n in needs:
            if n == "bukti":  # evidence files present beside the tables
                if self.bukti_dir is None:
                    missing.append(n)
                continue
            table, _, column = n.partition(".")
            if not self.has(table, column or None):
                missing.append(n)
        return missing
