"""What a rule sees: the export, the catalog, the audit date, and helpers that turn rows of an
ingested table into findings (vectorized: a whole-nation frame in, a findings frame out)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable

import numpy as np
import pandas as pd

from core.catalog import Catalog
from core.evidence import EvidenceFacts, FactsCache
from ingest.export import Export
from core.tables import TABLES


#: The audit date as a GX suite parameter: the suite file holds the expectation, the run the date.
AUDIT_DATE = {"$PARAMETER": "tanggal_audit"}


@dataclass
class RuleContext:
    export: Export
    catalog: Catalog
    as_of: date
    #: Evidence facts remembered across nights (`store.evidence`, wired by the pipeline); None:
    #: every evidence file is read in this run (still once per distinct file).
    evidence_cache: FactsCache | None = None
    #: How batches of evidence files are read: `map(read_batch, batches)` → results in order.
    #: None: in this process; `flows.evidence` maps them as Prefect tasks (Dask included).
    evidence_map: Callable[[Callable, list], list] | None = None
    #: This run's facts per file name in bukti/ (`checks.evidence.evidence_facts`).
    evidence_memo: dict[str, EvidenceFacts | None] = field(default_factory=dict, repr=False)
    #: Names of Regulasi PDFs whose text BKT-10 reads (`checks.evidence`), once per run.
    evidence_text_names: set[str] | None = field(default=None, repr=False)

    @property
    def tahun(self) -> int:
        """Assessment year T (the catalog's year)."""
        return int(self.catalog.tahun)

    @property
    def as_of_ts(self) -> pd.Timestamp:
        return pd.Timestamp(self.as_of)

    @property
    def gx_parameters(self) -> dict:
        """Values of the GX suite parameters (`{"$PARAMETER": name}` in a suite file): what
        changes per run, not per catalog year."""
        return {"tanggal_audit": self.as_of_ts}

    def table(self, key: str) -> pd.DataFrame:
        return self.export.tables[key]

    def has(self, table: str, column: str | None = None) -> bool:
        return self.export.has(table, column)


def display(table: str, column: str) -> str:
    """The header the IID app writes for a canonical column (`tanggal_dokumen` → `Tanggal Dokumen`)."""
    try:
        return TABLES[table].column(column).display
    except KeyError:
        return column


def text_values(values: pd.Series) -> pd.Series:
    """Values as the text a Pemda operator would recognise: dates DD-MM-YYYY, whole numbers
    without `.0`, missing → None. Vectorized per dtype."""
    s = pd.Series(values)
    if pd.api.types.is_datetime64_any_dtype(s):
        out = s.dt.strftime("%d-%m-%Y").astype(object)
    elif pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        f = s.astype("Float64")
        whole = f.notna() & (f.round(0) == f).fillna(False)
        out = pd.Series(np.where(whole.to_numpy(), f.round(0).astype("Int64").astype(str).to_numpy(dtype=object),
                                 f.astype(str).to_numpy(dtype=object)), index=s.index, dtype=object)
        out[f.isna().to_numpy()] = None
        return out
    else:
        out = s.astype(object)
    return out.where(s.notna(), None)


def rows_to_findings(
    rows: pd.DataFrame,
    table: str,
    rule_id: str,
    *,
    kolom: str | pd.Series | None = None,
    nilai: pd.Series | str | None = None,
    no_indikator: str | pd.Series | None = None,
    with_row: bool = True,
) -> pd.DataFrame:
    """Findings (partial columns) for `rows` of ingested `table`: where (kode_pemda,
    id_inovasi, no_indikator, tabel, baris) comes from the rows; `kolom`/`nilai` as given.

    `with_row=False` drops `tabel`/`baris` (a finding about an innovation, not one source row)."""
    n = len(rows)
    out = pd.DataFrame(index=rows.index)
    out["rule_id"] = rule_id
    out["kode_pemda"] = rows["kode_pemda"] if "kode_pemda" in rows else None
    out["id_inovasi"] = rows["id_inovasi"] if ("id_inovasi" in rows and table != "indikator_pemda") else None
    if no_indikator is not None:
        out["no_indikator"] = no_indikator
    elif "no_indikator" in rows:
        out["no_indikator"] = rows["no_indikator"]
    else:
        out["no_indikator"] = None
    out["kolom"] = kolom
    if isinstance(nilai, pd.Series):
        out["nilai"] = text_values(nilai).reindex(rows.index)
    else:
        out["nilai"] = nilai
    if with_row and "baris" in rows:
        out["tabel"] = TABLES[table].display if table in TABLES else table
        out["baris"] = rows["baris"]
    else:
        out["tabel"] = None
        out["baris"] = None
    if n == 0:
        return out.iloc[0:0]
    return out.reset_index(drop=True)
