"""KNS-06: `Rancang Bangun` identical (after normalizing space and case) to another
innovation's (nation-wide; copies between Pemda count too). Every member of a group.

Pandas, not GX: a cross-row group (distinct innovations per normalized text).
"""

from core.findings import Severity
from checks.registry import PandasRule


def check(ctx):
    import pandas as pd

    from checks.context import rows_to_findings
    from checks.rulekit import normalize_text

    df = ctx.table("daftar_inovasi")
    df = df[df["id_inovasi"].notna()]
    norm = normalize_text(df["rancang_bangun"])
    ok = norm.notna() & norm.ne("")
    d, norm = df[ok], norm[ok]
    key = pd.util.hash_pandas_object(norm, index=False)
    n = d["id_inovasi"].groupby(key.to_numpy()).transform("nunique")
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
    check=check,
)
