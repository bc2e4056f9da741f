"""KNS-06: `Rancang Bangun` identical (after normalizing space and case) to another
innovation's (nation-wide; copies between Pemda count too). Every member of a group.

Pandas, not GX: a cross-row group (distinct innovations per normalized text).
"""

from core.findings import Severity
from checks.registry import PandasRule


#: Every character `str.split` splits at (`str.isspace`; a test checks it is all of them).
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_DELETE = dict.fromkeys(map(ord, WHITESPACE))


def _squeezed(values):
    """Each text lower-cased, its whitespace deleted: equal for two texts whose
    `normalize_text` is equal (not the other way round: `a bc` and `ab c`)."""
    import numpy as np

    return values.astype(object).map(lambda x: x.lower().translate(_DELETE) if isinstance(x, str) else np.nan)


def _innovations_per_text(text, id_inovasi):
    """Per row: how many distinct innovations have the row's text."""
    import pandas as pd

    key = pd.util.hash_pandas_object(text, index=False)
    return id_inovasi.groupby(key.to_numpy()).transform("nunique")


def check(ctx):
    from checks.context import rows_to_findings
    from checks.rulekit import normalize_text

    df = ctx.table("daftar_inovasi")
    df = df[df["id_inovasi"].notna()]
    # Texts whose normalizations are equal are equal once lower-cased with their whitespace
    # deleted (`squeezed`, 0.35 s for 110 MB of Rancang Bangun): only the texts that share
    # that with another innovation's are normalized (word by word, 1.2 s for them all). The
    # same groups, so the same counts.
    squeezed = _squeezed(df["rancang_bangun"])
    ok = squeezed.notna() & squeezed.ne("")
    maybe = _innovations_per_text(squeezed[ok], df.loc[ok, "id_inovasi"]) >= 2
    d = df[ok][maybe.to_numpy()]
    norm = normalize_text(d["rancang_bangun"])
    n = _innovations_per_text(norm, d["id_inovasi"])
    bad = n.to_numpy() >= 2
    rows = d[bad]
    out = rows_to_findings(rows, "daftar_inovasi", "KNS-06", kolom="Rancang Bangun", nilai=None)
    out["jumlah"] = n[bad].astype(int).astype(str).to_numpy()
    return out


RULE = PandasRule(
    id="KNS-06",
    severity=Severity.WARNING,
    key=("kode_pemda", "id_inovasi"),
    judul_id="Rancang Bangun disalin",
    judul_en="Rancang Bangun copied",
    pesan_id=(
        "Inovasi '{judul_inovasi}': teks Rancang Bangun identik dengan Rancang Bangun inovasi lain ({jumlah} "
        "inovasi memakai teks yang sama). Tulis Rancang Bangun khusus untuk inovasi ini: latar belakang, "
        "tujuan, cara kerja, dan hasilnya sendiri."
    ),
    pesan_en=(
        "Innovation '{judul_inovasi}': its Rancang Bangun text is identical to another innovation's ({jumlah} "
        "innovations share it). Write a Rancang Bangun specific to this innovation: its own background, goals, "
        "workings and results."
    ),
    perbaikan_id="Tulis Rancang Bangun khusus untuk tiap inovasi.",
    perbaikan_en="Write a Rancang Bangun specific to each innovation.",
    needs=("daftar_inovasi.rancang_bangun",),
    cost=0.9,
    check=check,
)
