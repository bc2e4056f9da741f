"""BKT-07: Regulasi (indicator 16): the claimed Parameter is higher than what `Nomor Dokumen`
(the document's own title and number) proves. `Peraturan Daerah`/`Perda` → 3;
`Peraturan Bupati/Walikota/Gubernur/Kepala Daerah`/`Perbup`/`Perwali`/`Pergub`/`Perkada` → 2;
`Keputusan`/`SK` → 1; anything else → 0. `Informasi` only repeats the claim, so it is ignored.

Pandas, not GX: a regex *classification* compared with another column. Words are matched
on word boundaries (`Perdagangan` is not a Perda) and the EARLIEST document-type phrase
wins: "Peraturan Bupati ... tentang Pelaksanaan Peraturan Daerah ..." is a Perbup.
"""

import re

from core.findings import Severity
from checks.registry import PandasRule

_KEPALA = r"(?:bupati|wali\s*kota|gubernur|kepala\s+daerah)"
PATTERN = re.compile(
    r"\b(?:(?P<p3>peraturan\s+daerah|perda)|(?P<p2>peraturan\s+" + _KEPALA + r"|perbup|perwali|pergub|perkada)"
    r"|(?P<p1>keputusan|sk))\b",
    re.IGNORECASE,
)


def proved_level(nomor):
    """Parameter level (0..3) each `Nomor Dokumen` proves (vectorized)."""
    import numpy as np
    import pandas as pd

    s = pd.Series(nomor).astype(object).where(pd.Series(nomor).notna(), None)
    m = s.str.extract(PATTERN)
    level = np.select([m["p3"].notna(), m["p2"].notna(), m["p1"].notna()], [3, 2, 1], default=0)
    return pd.Series(level, index=s.index)


def check(ctx):
    import pandas as pd

    from checks.context import rows_to_findings
    from checks.rulekit import as_int_parameter

    df = ctx.table("indikator_inovasi")
    r16 = df[df["no_indikator"].astype(str) == "16"]
    klaim = as_int_parameter(r16["parameter"])
    bukti = proved_level(r16["nomor_dokumen"])
    bad = klaim.notna() & (klaim > bukti)
    rows = r16[bad]
    out = rows_to_findings(rows, "indikator_inovasi", "BKT-07", kolom="Nomor Dokumen", nilai=rows["nomor_dokumen"])
    out["klaim"] = klaim[bad].astype(int).astype(str).to_numpy()
    out["terbukti"] = bukti[bad].astype(int).astype(str).to_numpy()
    return out if len(out) else pd.DataFrame()


RULE = PandasRule(
    id="BKT-07",
    severity=Severity.ERROR,
    key=("kode_pemda", "id_inovasi", "no_indikator"),
    judul_id="Parameter Regulasi melebihi dokumen",
    judul_en="Regulation parameter higher than the document proves",
    pesan_id=(
        "Indikator 16 ({indikator}) inovasi '{judul_inovasi}': Parameter {klaim} diklaim, tetapi Nomor Dokumen "
        "'{nilai}' hanya membuktikan Parameter {terbukti} (3 = Peraturan Daerah, 2 = Peraturan Kepala Daerah, "
        "1 = SK/Keputusan). Turunkan Parameter ke {terbukti} atau unggah regulasi yang sesuai klaim."
    ),
    pesan_en=(
        "Indicator 16 ({indikator}) of innovation '{judul_inovasi}': Parameter {klaim} is claimed, but Nomor "
        "Dokumen '{nilai}' only proves Parameter {terbukti} (3 = Perda, 2 = regional head regulation, 1 = "
        "decree/SK). Lower the Parameter to {terbukti} or upload a regulation that supports the claim."
    ),
    perbaikan_id="Turunkan Parameter sesuai dokumen, atau unggah Perda/Perkada yang menyebut inovasi.",
    perbaikan_en="Lower the Parameter to match the document, or upload a Perda/Perkada naming the innovation.",
    bukti=True,
    needs=("indikator_inovasi.nomor_dokumen", "indikator_inovasi.parameter"),
    cost=0.35,
    check=check,
)
