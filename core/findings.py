"""The one Finding shape every rule produces, and `findings.csv` (the output contract).

Rules work on whole-nation DataFrames, so findings travel as a DataFrame; its contract is the
Pandera schema `FINDINGS_SCHEMA` (the columns of `findings.csv`, in order) plus the two location
columns every internal frame carries (`tabel`, `baris`). `findings()` is the one constructor:
from nothing, a list of `Finding` values, a partial frame, or several frames. `validate`
checks a frame against the schema before anything is made of it: when the engine returns,
or (the pipeline) when `findings.csv` is written.
Reports group by `rule_id` and never parse `pesan`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import Enum
from typing import Iterable, Union

import pandas as pd
import pandera.pandas as pa


class Severity(str, Enum):
    """Ordered: ERROR outranks WARNING outranks INFO (`rank`, higher is worse)."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]


#: A rule's stable id, e.g. `BKT-05`.
RULE_ID_PATTERN = r"^[A-Z]{3}-\d{2}$"


def _text(nullable: bool = True, *checks: pa.Check) -> pa.Column:
    return pa.Column(object, checks=list(checks), nullable=nullable)


#: `findings.csv`: one row per finding, these columns in this order. Text or empty (None)
#: everywhere but `rule_id`, `severity` and `pesan`, which every finding has. A schema object,
#: not a `DataFrameModel`: building a model's schema imports Dask (pandera looks for its
#: frame types), half a second at every start for a library the audit does not use.
FINDINGS_SCHEMA = pa.DataFrameSchema(
    {
        "rule_id": _text(False, pa.Check.str_matches(RULE_ID_PATTERN)),
        "severity": _text(False, pa.Check.isin([s.value for s in Severity])),
        "kode_pemda": _text(),
        "pemda": _text(),
        "id_inovasi": _text(),
        "judul_inovasi": _text(),
        "no_indikator": _text(),
        "kolom": _text(),
        "nilai": _text(),
        "pesan": _text(False, pa.Check.str_length(min_value=1)),
    },
    name="findings.csv",
    ordered=True,
    strict=True,
    coerce=False,
)

#: The columns of `findings.csv`, in order (from the schema).
FINDING_COLUMNS: list[str] = list(FINDINGS_SCHEMA.columns)

#: Internal extras: where in the source a structural finding sits (table, 1-based data row).
LOCATION_COLUMNS: list[str] = ["tabel", "baris"]

ALL_COLUMNS: list[str] = FINDING_COLUMNS + LOCATION_COLUMNS


@dataclass(frozen=True)
class Finding:
    """One rule at one key, as a typed value (tests, one-off findings). `severity` and
    `pesan` come from the rule registry when the engine renders the messages."""

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


Parts = Union[None, pd.DataFrame, Iterable[Union[Finding, pd.DataFrame, None]]]


def findings(parts: Parts = None, *, extra: bool = False) -> pd.DataFrame:
    """The one constructor of a findings frame: every column of ALL_COLUMNS present (object
    dtype, None for missing), from nothing, a frame, `Finding` values or several frames.

    `extra=True` keeps columns beyond ALL_COLUMNS (per-row message fields a rule adds, such
    as BKT-07's `klaim`, used by the message templates) that some finding fills; by default
    they are dropped. (An extra no finding fills says nothing: a region's findings cut from
    the nation's have the same columns as the region's own.)"""
    if parts is None:
        frames: list[pd.DataFrame] = []
    elif isinstance(parts, pd.DataFrame):
        frames = [parts]
    else:
        items = list(parts)
        values = [p for p in items if isinstance(p, Finding)]
        frames = [p for p in items if isinstance(p, pd.DataFrame)]
        if values:
            frames.append(pd.DataFrame([asdict(v) for v in values]))
    frames = [f for f in frames if f is not None and len(f)]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in ALL_COLUMNS})
    df = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0].reset_index(drop=True)
    missing = [c for c in ALL_COLUMNS if c not in df.columns]
    if missing:
        df = df.assign(**{c: None for c in missing})
    columns = ALL_COLUMNS + ([c for c in df.columns if c not in ALL_COLUMNS and df[c].notna().any()] if extra else [])
    df = df[columns].astype(object)
    return df.where(df.notna(), None)


def validate(df: pd.DataFrame, *, location: bool = True) -> pd.DataFrame:
    """`df` checked against FINDINGS_SCHEMA (lazily: every problem at once); with `location`
    the frame also carries `tabel`/`baris` (the internal form). Raises SchemaErrors: a
    finding without a message or with an unknown severity is our bug, never written."""
    FINDINGS_SCHEMA.validate(df[FINDING_COLUMNS], lazy=True)
    if location:
        assert list(df.columns) == ALL_COLUMNS, list(df.columns)
    return df

