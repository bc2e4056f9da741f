"""LKP-06: `Rancang Bangun` (when the column exists) has fewer than 300 words (catalog
`ambang.rancang_bangun_min_kata`). 299 words fire, 300 do not; an empty text has 0 words.

GX: `expect_column_values_to_be_between(min_value=300)` on a derived word count.
"""

from core.findings import Severity
from checks.registry import GxRule


def _min(catalog) -> int:
    return int(catalog.ambang.rancang_bangun_min_kata)


def check(ctx):
    import great_expectations.expectations as gxe

    from checks.gx_engine import GxCheck
    from checks.rulekit import word_count

    return [GxCheck(
        "daftar_inovasi",
        gxe.ExpectColumnValuesToBeBetween(column="_lkp06_kata", min_value=_min(ctx.catalog)),
        derived={"_lkp06_kata": lambda df: word_count(df["rancang_bangun"])},
        kolom="Rancang Bangun",
        nilai="_lkp06_kata",
    )]


RULE = GxRule(
    id="LKP-06",
    severity=Severity.WARNING,
    key=("kode_pemda", "id_inovasi"),
    judul_id="Rancang Bangun terlalu pendek",
    judul_en="Rancang Bangun too short",
    pesan_id=(
        "Inovasi '{judul_inovasi}': Rancang Bangun hanya {nilai} kata, kurang dari {min_kata} kata yang "
        "diharapkan. Lengkapi uraian latar belakang, tujuan, cara kerja, dan hasil inovasi hingga minimal "
        "{min_kata} kata."
    ),
    pesan_en=(
        "Innovation '{judul_inovasi}': Rancang Bangun has only {nilai} words, fewer than the {min_kata} "
        "expected. Extend the description (background, goals, how it works, results) to at least {min_kata} words."
    ),
    perbaikan_id="Tulis Rancang Bangun minimal 300 kata: latar belakang, tujuan, cara kerja, manfaat.",
    perbaikan_en="Write at least 300 words of Rancang Bangun: background, goals, how it works, benefits.",
    needs=("daftar_inovasi.rancang_bangun",),
    check=check,
    extra=lambda catalog: {"min_kata": _min(catalog)},
)
