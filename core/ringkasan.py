"""`ringkasan.csv` (the output contract): one row per Pemda, as the Pandera model
`RingkasanModel`; `checks.metrics` builds it, the pipeline validates it before writing.

Scores are empty (NaN), never 0, when they cannot be computed (an innovation-list export has
no indicator tables); counts are whole numbers; predicates are the catalog's names.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series


class RingkasanModel(pa.DataFrameModel):
    """The columns of `ringkasan.csv`, in order: the contract first, then the components."""

    kode_pemda: Series[object] = pa.Field(str_matches=r"^\d{2}(\.\d{2})?$", unique=True)
    pemda: Series[object]
    jumlah_inovasi: Series[int] = pa.Field(ge=0)
    #: share of indicator slots unanswered or carrying an error, in percent
    persen_indikator_bermasalah: Series[float] = pa.Field(ge=0, le=100, nullable=True)
    skor_klaim: Series[float] = pa.Field(ge=0, le=100, nullable=True)
    predikat_klaim: Series[object] = pa.Field(nullable=True)
    skor_terverifikasi: Series[float] = pa.Field(ge=0, le=100, nullable=True)
    predikat_terverifikasi: Series[object] = pa.Field(nullable=True)
    jumlah_error: Series[int] = pa.Field(ge=0)
    jumlah_warning: Series[int] = pa.Field(ge=0)
    jumlah_info: Series[int] = pa.Field(ge=0)
    # -- the components ---------------------------------------------------------------------
    provinsi: Series[object] = pa.Field(nullable=True)  # province name (grouping in the index)
    selisih_skor: Series[float] = pa.Field(nullable=True)  # skor_klaim - skor_terverifikasi
    skor_spd_klaim: Series[float] = pa.Field(nullable=True)
    skor_spd_terverifikasi: Series[float] = pa.Field(nullable=True)
    skor_sid_klaim: Series[float] = pa.Field(nullable=True)
    skor_sid_terverifikasi: Series[float] = pa.Field(nullable=True)
    skor_jumlah_inovasi: Series[float] = pa.Field(nullable=True)
    pembagi: Series[int] = pa.Field(ge=0)  # k = MAX(pembagi_minimum, n)
    urusan_wajib_tercakup: Series[int] = pa.Field(ge=0)  # of the urusan wajib pelayanan dasar
    jumlah_inisiatif: Series[int] = pa.Field(ge=0)
    jumlah_uji_coba: Series[int] = pa.Field(ge=0)
    jumlah_penerapan: Series[int] = pa.Field(ge=0)
    slot_indikator: Series[pd.Int64Dtype] = pa.Field(ge=0, nullable=True)  # SPD rows + 20 x n
    slot_bermasalah: Series[pd.Int64Dtype] = pa.Field(ge=0, nullable=True)
    # -- change since the previous run of the Pemda (empty: first audit, or no history) --------
    temuan_baru: Series[pd.Int64Dtype] = pa.Field(ge=0, nullable=True)
    temuan_selesai: Series[pd.Int64Dtype] = pa.Field(ge=0, nullable=True)
    temuan_tetap: Series[pd.Int64Dtype] = pa.Field(ge=0, nullable=True)
    selisih_skor_terverifikasi: Series[float] = pa.Field(nullable=True)  # now - previous
    selisih_persen_bermasalah: Series[float] = pa.Field(nullable=True)  # now - previous, points
    run_sebelumnya: Series[object] = pa.Field(nullable=True)  # the run compared against

    class Config:
        name = "ringkasan.csv"
        ordered = True
        strict = True
        coerce = False


_COLUMNS = list(RingkasanModel.to_schema().columns)

#: `ringkasan.csv`: these columns first (the contract every consumer relies on) …
RINGKASAN_CONTRACT: list[str] = _COLUMNS[: _COLUMNS.index("jumlah_info") + 1]
#: … last what changed since the previous run (`store.history.COMPARE_COLUMNS`, filled by
#: the job from the audit history) …
RINGKASAN_CHANGE: list[str] = _COLUMNS[_COLUMNS.index("temuan_baru"):]
#: … and between them these (score components, counts).
RINGKASAN_EXTRA: list[str] = _COLUMNS[len(RINGKASAN_CONTRACT): _COLUMNS.index("temuan_baru")]

_CHANGE_DTYPES = {"temuan_baru": "Int64", "temuan_selesai": "Int64", "temuan_tetap": "Int64",
                  "selisih_skor_terverifikasi": "float64", "selisih_persen_bermasalah": "float64",
                  "run_sebelumnya": object}


def with_changes(ringkasan: pd.DataFrame, changes: pd.DataFrame | None = None) -> pd.DataFrame:
    """`ringkasan` with the RINGKASAN_CHANGE columns from `changes` (one row per kode_pemda;
    None or a Pemda missing from it: empty, never 0)."""
    out = ringkasan.drop(columns=[c for c in RINGKASAN_CHANGE if c in ringkasan.columns])
    kode = out["kode_pemda"].astype(str)
    for c in RINGKASAN_CHANGE:
        if changes is None or c not in changes.columns:
            values = pd.Series(pd.NA if _CHANGE_DTYPES[c] == "Int64" else None, index=out.index)
        else:
            values = kode.map(dict(zip(changes["kode_pemda"].astype(str), changes[c])))
        if _CHANGE_DTYPES[c] is object:
            out[c] = values.astype(object).where(values.notna(), None)
        else:
            out[c] = pd.to_numeric(values, errors="coerce").astype(_CHANGE_DTYPES[c])
    return out


def validate(df: pd.DataFrame) -> pd.DataFrame:
    """`df` checked against RingkasanModel, every problem at once (SchemaErrors: our bug)."""
    return RingkasanModel.validate(df, lazy=True)
