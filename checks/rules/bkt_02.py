"""BKT-02: the evidence type is not one the catalog accepts for that indicator
(`jenis_file` per indicator). Type = `Jenis File`, or when empty the file name's extension;
a URL counts as `link`. Rows of unknown indicators are SKM-06's, not judged here.

GX: one `expect_column_values_to_be_in_set` over a derived `"<no>|<type>"` column against
the accepted (indicator, type) pairs from the catalog.
"""

from core.findings import Severity
from checks.registry import GxRule


def _pairs(catalog) -> list[str]:
    return sorted(f"{i.no}|{t}" for i in (*catalog.spd, *catalog.sid) for t in i.jenis_file)


def _pair_column(catalog):
    known = set(catalog.indicators)

    def f(df):
        from checks.rulekit import evidence_type

        import numpy as np
        import pandas as pd

        tipe = evidence_type(df)
        no = df["no_indikator"].astype(object)
        # "<no>|<type>" from the ~40 x ~6 distinct values, not 750,000 string concatenations
        no_codes, nos = pd.factorize(no)
        tipe_codes, tipes = pd.factorize(tipe)
        pairs = np.array([f"{a}|{b}" for a in nos for b in tipes] or [None], dtype=object)
        pair = pairs[np.maximum(no_codes, 0) * max(len(tipes), 1) + np.maximum(tipe_codes, 0)]
        ok = (no_codes >= 0) & (tipe_codes >= 0) & no.isin(known).to_numpy()
        return pd.Series(np.where(ok, pair, None), index=df.index, dtype=object)

    return f


def check(ctx):
    import great_expectations.expectations as gxe

    from checks.gx_engine import GxCheck
    from checks.rulekit import evidence_type, tables_with

    return [
        GxCheck(
            t,
            gxe.ExpectColumnValuesToBeInSet(column=f"_bkt02_{t}", value_set=_pairs(ctx.catalog)),
            derived={f"_bkt02_{t}": _pair_column(ctx.catalog), f"_bkt02_tipe_{t}": evidence_type,
                     f"_bkt02_diterima_{t}": _accepted_column(ctx.catalog)},
            kolom="Jenis File",
            nilai=f"_bkt02_tipe_{t}",
            extras={"jenis_diterima": f"_bkt02_diterima_{t}"},
        )
        for t in tables_with(ctx, "no_indikator", "data_pendukung")
    ]


def _accepted_column(catalog):
    """Per row: the types the catalog accepts for the row's indicator (for the message)."""
    accepted = {no: "/".join(i.jenis_file) for no, i in catalog.indicators.items()}

    def f(df):
        return df["no_indikator"].astype(object).map(accepted)

    return f


RULE = GxRule(
    id="BKT-02",
    severity=Severity.ERROR,
    key=("kode_pemda", "id_inovasi", "no_indikator"),
    judul_id="Jenis berkas bukti tidak diterima",
    judul_en="Evidence file type not accepted",
    pesan_id=(
        "Indikator {no_indikator} ({indikator}) {subjek}: bukti berjenis '{nilai}' tidak "
        "diterima untuk indikator ini, sehingga bukti dianggap tidak sah. Unggah ulang bukti dalam jenis yang "
        "diterima pedoman untuk indikator ini: {jenis_diterima}."
    ),
    pesan_en=(
        "Indicator {no_indikator} ({indikator}) of {subject}: evidence of type '{nilai}' is "
        "not accepted for this indicator, so it counts as invalid. Upload it again in a type the guideline "
        "accepts for this indicator: {jenis_diterima}."
    ),
    perbaikan_id="Unggah bukti dengan jenis file yang diterima untuk indikator ini.",
    perbaikan_en="Upload evidence in a file type accepted for this indicator.",
    bukti=True,
    needs=("indikator_inovasi.no_indikator", "indikator_inovasi.data_pendukung"),
    check=check,
)
