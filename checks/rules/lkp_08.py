"""LKP-08: a Pemda reports fewer innovations than the SID divisor k (catalog
`pembagi_minimum`, 12 in 2026): the SID average is diluted (Σ / MAX(k, n)).

Pandas, not GX: a per-Pemda count (group), not a row property.
"""

from core.findings import Severity
from checks.registry import PandasRule


def check(ctx):
    import pandas as pd

    from checks.rulekit import assessed_pemda

    k = ctx.catalog.pembagi_minimum
    daftar = ctx.table("daftar_inovasi")
    n = daftar.groupby("kode_pemda").size()
    pemda = assessed_pemda(ctx)
    counts = pemda.map(n).fillna(0).astype(int)
    low = counts < k
    return pd.DataFrame({
        "rule_id": "LKP-08",
        "kode_pemda": pemda[low].to_numpy(),
        "kolom": None,
        "nilai": counts[low].astype(str).to_numpy(),
    })


RULE = PandasRule(
    id="LKP-08",
    severity=Severity.WARNING,
    key=("kode_pemda",),
    judul_id="Jumlah inovasi di bawah pembagi",
    judul_en="Fewer innovations than the divisor",
    pesan_id=(
        "{pemda} hanya melaporkan {nilai} inovasi, kurang dari pembagi minimum {k}: jumlah nilai SID tetap "
        "dibagi {k}, sehingga rata-ratanya turun. Laporkan inovasi lain yang sudah berjalan hingga minimal {k}."
    ),
    pesan_en=(
        "{pemda} reports only {nilai} innovations, fewer than the minimum divisor {k}: the SID total is still "
        "divided by {k}, lowering the average. Report further running innovations, up to at least {k}."
    ),
    perbaikan_id="Laporkan semua inovasi yang memenuhi syarat; kurang dari pembagi menurunkan rata-rata SID.",
    perbaikan_en="Report every eligible innovation; fewer than the divisor lowers the SID average.",
    needs=("daftar_inovasi",),
    check=check,
    extra=lambda catalog: {"k": catalog.pembagi_minimum},
)
