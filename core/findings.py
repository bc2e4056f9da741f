"""The one Finding shape every rule produces (see `../shared/spec/rules.md`, "Findings contract").

Rules work on whole-nation DataFrames, so findings travel as a DataFrame with the columns
below; `Finding` is the same shape as a typed value for tests and one-off findings (ingest
errors). Reports group by `rule_id` and never parse `pesan`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import Enum

import pandas as pd


class Severity(str, Enum):
    """Ordered: ERROR outranks WARNING outranks INFO (`rank`, higher is worse)."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]


#: The columns of `findings.csv`, in order (the output contract).
FINDING_COLUMNS: list[str] = [
    "rule_id",
    "severity",
    "kode_pemda",
    "pemda",
    "id_inovasi",
    "judul_inovasi",
    "no_indikator",
    "kolom",
    "nilai",
    "pesan",
]

#: Internal extras: where in the source a structural finding sits (table, 1-based data row).
LOCATION_COLUMNS: list[str] = ["tabel", "baris"]

ALL_COLUMNS: list[str] = FINDING_COLUMNS + LOCATION_COLUMNS


@dataclass(frozen=True)
class Finding:
    """One rule at one key. `severity` and `pesan` come from the rule registry."""

    rule_id: str
    kode_pemda: str | None = None
    pemda: str | None = None
    id_inovasi: str | None = None
    judul_inovasi: str | None = None
    no_indikator: str | None = None
    kolom: str | None = None
    nilai: str | None = None
    tabel: str | None = None
    baris: int | None = None
    severity: str | None = None
    pesan: str | None = None


def empty_findings() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in ALL_COLUMNS})


def findings_frame(items: list[Finding] | pd.DataFrame | None) -> pd.DataFrame:
    """Normalize a list of Findings or a partial frame to the full finding columns (object dtype)."""
    if items is None:
        return empty_findings()
    if isinstance(items, pd.DataFrame):
        df = items.copy()
    else:
        if not items:
            return empty_findings()
        df = pd.DataFrame([asdict(f) for f in items])
    for c in ALL_COLUMNS:
        if c not in df.columns:
            df[c] = None
    df = df[ALL_COLUMNS].astype(object)
    return df.where(df.notna(), None)


def concat_findings(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [findings_frame(f) for f in frames if f is not None and len(f)]
    if not frames:
        return empty_findings()
    return pd.concat(frames, ignore_index=True)
