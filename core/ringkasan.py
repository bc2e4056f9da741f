"""`ringkasan.csv` (the output contract): one row per Pemda, as the Pandera schema
`RINGKASAN_SCHEMA`; `checks.metrics` builds it, the pipeline validates it before writing.

Scores are empty (NaN), never 0, when they cannot be computed (an innovation-list export has
no indicator tables); counts are whole numbers; predicates are the catalog's names.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa


#: The columns of `ringkasan.csv`, in order: the contract first, then the components. A
#: schema object, not a `DataFrameModel` (see `core.findings.FINDINGS_SCHEMA`: no Dask import).
RINGKASAN_SCHEMA = pa.DataFrameSchema(
    {
        "kode_pemda": pa.Column(object, checks=[pa.Check.str_matches(r"^\d{2}(\.\d{2})?$")], nullable=False, unique=True),
        "pemda": pa.Column(object, nullable=False),
        "jumlah_inovasi": pa.Column("int64", checks=[pa.Check.ge(0)], nullable=False),
        # share of indicator slots unanswered or carrying an error, in percent
        "persen_indikator_bermasalah": pa.Column("float64", checks=[pa.Check.ge(0), pa.Check.le(100)], nullable=True),
        "skor_klaim": pa.Column("float64", checks=[pa.Check.ge(0), pa.Check.le(100)], nullable=True),
        "predikat_klaim": pa.Column(object, nullable=True),
        "skor_terverifikasi": pa.Column("float64", checks=[pa.Check.ge(0), pa.Check.le(100)], nullable=True),
        "predikat_terverifikasi": pa.Column(object, nullable=True),
        "jumlah_error": pa.Column("int64", checks=[pa.Check.ge(0)], nullable=False),
        "jumlah_warning": pa.Column("int64", checks=[pa.Check.ge(0)], nullable=False),
        "jumlah_info": pa.Column("int64", checks=[pa.Check.ge(0)], nullable=False),
        # -- the components ---------------------------------------------------------------------
        "provinsi": pa.Column(object, nullable=True),  # province name (grouping in the index)
        "selisih_skor": pa.Column("float64", nullable=True),  # skor_klaim - skor_terverifikasi
        "skor_spd_klaim": pa.Column("float64", nullable=True),
        "skor_spd_terverifikasi": pa.Column("float64", nullable=True),
        "skor_sid_klaim": pa.Column("float64", nullable=True),
        "skor_sid_terverifikasi": pa.Column("float64", nullable=True),
        "skor_jumlah_inovasi": pa.Column("float64", nullable=True),
        "pembagi": pa.Column("int64", checks=[pa.Check.ge(0)], nullable=False),  # k = MAX(pembagi_minimum, n)
        "urusan_wajib_tercakup": pa.Column("int64", checks=[pa.Check.ge(0)], nullable=False),  # of the urusan wajib pelayanan dasar
        "jumlah_inisiatif": pa.Column("int64", checks=[pa.Check.ge(0)], nullable=False),
        "jumlah_uji_coba": pa.Column("int64", checks=[pa.Check.ge(0)], nullable=False),
        "jumlah_penerapan": pa.Column("int64", checks=[pa.Check.ge(0)], nullable=False),
        "slot_indikator": pa.Column("Int64", checks=[pa.Check.ge(0)], nullable=True),  # SPD rows + 20 x n
        "slot_bermasalah": pa.Column("Int64", checks=[pa.Check.ge(0)], nullable=True),
        # -- change since the previous run of the Pemda (empty: first audit, or no history) --------
        "temuan_baru": pa.Column("Int64", checks=[pa.Check.ge(0)], nullable=True),
        "temuan_selesai": pa.Column("Int64", checks=[pa.Check.ge(0)], nullable=True),
        "temuan_tetap": pa.Column("Int64", checks=[pa.Check.ge(0)], nullable=True),
        "selisih_skor_terverifikasi": pa.Column("float64", nullable=True),  # now - previous
        "selisih_persen_bermasalah": pa.Column("float64", nullable=True),  # now - previous, points
        "run_sebelumnya": pa.Column(object, nullable=True),  # the run compared against
    },
    name="ringkasan.csv",
    ordered=True,
    strict=True,
    coerce=False,
)

_COLUMNS = list(RINGKASAN_SCHEMA.columns)

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
    """`df` checked against RINGKASAN_SCHEMA, every problem at once (SchemaErrors: our bug)."""
    return RINGKASAN_SCHEMA.validate(df, lazy=True)
