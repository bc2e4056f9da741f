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

    class Config:
        name = "ringkasan.csv"
        ordered = True
        strict = True
        coerce = False


_COLUMNS = list(RingkasanModel.to_schema().columns)

#: `ringkasan.csv`: these columns first (the contract every consumer relies on) …
RINGKASAN_CONTRACT: list[str] = _COLUMNS[: _COLUMNS.index("jumlah_info") + 1]
#: … then these (score components, counts).
RINGKASAN_EXTRA: list[str] = _COLUMNS[len(RINGKASAN_CONTRACT):]


def validate(df: pd.DataFrame) -> pd.DataFrame:
    """`df` checked against RingkasanModel, every problem at once (SchemaErrors: our bug)."""
    return RingkasanModel.validate(df, lazy=True)
