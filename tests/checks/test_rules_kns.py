"""KNS (consistency) rules: each fires at its exact key and severity; a near miss does not."""

from __future__ import annotations

import sys
from datetime import date

import pandas as pd
import pytest

from tests.checks.builders import ExportBuilder, rancang_bangun
from tests.checks.helpers import assert_findings, assert_no_findings

ts = pd.Timestamp


def tulungagung(**kw) -> ExportBuilder:
    return ExportBuilder(**kw).pemda("35.04", "Kab. Tulungagung")


def test_kns01_dates_out_of_order_same_day_is_fine():
    export = (tulungagung()
              .inovasi(tanggal_uji_coba=ts("2025-03-01"), tanggal_penerapan=ts("2025-02-10"))
              .inovasi(tanggal_penerapan=ts("2025-02-10"), tanggal_pengembangan=ts("2025-02-09"))
              .inovasi(tanggal_uji_coba=ts("2025-02-10"), tanggal_penerapan=ts("2025-02-10"),
                       tanggal_pengembangan=ts("2025-02-10"))                 # near miss: same day
              .inovasi(tanggal_uji_coba=None, tanggal_penerapan=ts("2024-02-10"))  # missing: not judged
              .build())
    f = assert_findings(export, [
        ("KNS-01", {"id_inovasi": "35.04-0001", "kolom": "Tanggal Penerapan", "nilai": "10-02-2025"}),
        ("KNS-01", {"id_inovasi": "35.04-0002", "kolom": "Tanggal Pengembangan"}),
    ])
    assert "01-03-2025" in f.iloc[0]["pesan"]


def test_kns02_each_future_date_column_is_a_finding():
    export = (tulungagung().inovasi(tanggal_input=ts("2062-01-20"), tanggal_pengembangan=ts("2026-07-02"))
              .inovasi(tanggal_input=ts("2026-07-01")).build())  # near miss: the audit day itself
    assert_findings(export, [
        ("KNS-02", {"id_inovasi": "35.04-0001", "kolom": "Tanggal Input", "nilai": "20-01-2062"}),
        ("KNS-02", {"id_inovasi": "35.04-0001", "kolom": "Tanggal Pengembangan"}),
    ], as_of=date(2026, 7, 1))


@pytest.mark.parametrize("penerapan, pengembangan, tahapan, fires", [
    ("2023-12-31", None, "Penerapan", True),
    ("2024-01-01", None, "Penerapan", False),
    ("2025-12-31", None, "Penerapan", False),
    ("2026-01-01", None, "Penerapan", True),
    ("2021-03-10", "2025-06-01", "Penerapan", False),   # developed inside the window
    ("2021-03-10", "2023-06-01", "Penerapan", True),
    (None, None, "Penerapan", True),
    ("2021-03-10", None, "Uji Coba", False),           # only stage Penerapan is judged
])
def test_kns03_window_edges(penerapan, pengembangan, tahapan, fires):
    export = tulungagung().inovasi(
        tahapan_inovasi=tahapan, tanggal_uji_coba=ts("2020-01-01"),
        tanggal_penerapan=ts(penerapan) if penerapan else None,
        tanggal_pengembangan=ts(pengembangan) if pengembangan else None).build()
    expected = [("KNS-03", {"id_inovasi": "35.04-0001"})] if fires else []
    assert_findings(export, expected, rules=("KNS-03",))


def test_kns04_kematangan_outside_0_to_111():
    export = (tulungagung().inovasi(kematangan=140.0).inovasi(kematangan=-1.0)
              .inovasi(kematangan=111.0).inovasi(kematangan=0.0).build())
    assert_findings(export, [
        ("KNS-04", {"id_inovasi": "35.04-0001", "nilai": "140", "kolom": "Kematangan"}),
        ("KNS-04", {"id_inovasi": "35.04-0002", "nilai": "-1"}),
    ])


def test_kns05_near_identical_titles_within_one_pemda_every_member():
    export = (tulungagung().inovasi(judul="JESEH: Kampung Bedah Rumah").inovasi(judul="JESEH: Kampung Bedah Rumah 2")
              .pemda("35.79", "Kota Batu").inovasi(judul="JESEH: Kampung Bedah Rumah")  # other Pemda: not compared
              .build())
    assert_findings(export, [
        ("KNS-05", {"kode_pemda": "35.04", "id_inovasi": "35.04-0001", "nilai": "JESEH: Kampung Bedah Rumah 2"}),
        ("KNS-05", {"kode_pemda": "35.04", "id_inovasi": "35.04-0002", "nilai": "JESEH: Kampung Bedah Rumah"}),
    ])


def test_kns05_leaves_exact_duplicates_to_skm05():
    """The same title twice (case and punctuation aside) is one problem, SKM-05's, not also KNS-05."""
    export = tulungagung().inovasi(judul="Kampung Bedah Rumah").inovasi(judul="KAMPUNG BEDAH RUMAH!").build()
    assert_no_findings(export, "KNS-05")


def test_kns05_different_titles_sharing_words_are_fine():
    export = tulungagung().inovasi(judul="Kampung Bedah Rumah").inovasi(judul="Kampung Bebas Sampah Plastik").build()
    assert_no_findings(export, "KNS-05")


def test_kns05_the_same_words_in_another_order_are_near_identical():
    """`token_sort_ratio` sorts the words: `Rumah Bedah Kampung` is `Kampung Bedah Rumah`."""
    export = (tulungagung().inovasi(judul="Kampung Bedah Rumah").inovasi(judul="Rumah Bedah - Kampung")
              .inovasi(judul="Kampung Bedah Sekolah").build())
    assert_findings(export, [
        ("KNS-05", {"id_inovasi": "35.04-0001", "nilai": "Rumah Bedah - Kampung"}),
        ("KNS-05", {"id_inovasi": "35.04-0002", "nilai": "Kampung Bedah Rumah"}),
    ])


@pytest.mark.parametrize("a, b", [
    ("kampung bedah rumah", "rumah bedah kampung"), ("jeseh kampung bedah rumah", "jeseh kampung bedah rumah 2"),
    ("sistem informasi desa", "sistem informasi desa digital"), ("a b c", "c b a d"), ("ümit öz 2025", "öz ümit 2024"),
    ("bank sampah", "sampah bank induk"), ("x", "y"), ("satu", "satu satu"),
])
def test_kns05_reads_token_sort_ratio_as_the_ratio_of_sorted_words(a, b):
    """What KNS-05 computes (words sorted once per title, then `ratio`) is rapidfuzz's
    `token_sort_ratio` of normalized titles (words of `\\w`, single spaces)."""
    from rapidfuzz import fuzz

    def words(t):
        return " ".join(sorted(t.split(" ")))

    assert fuzz.ratio(words(a), words(b)) == fuzz.token_sort_ratio(a, b)


def test_kns06_identical_rancang_bangun_after_space_and_case_normalization():
    text = rancang_bangun("Teks yang sama", 320)
    export = (tulungagung().inovasi(rancang_bangun=text)
              .inovasi(rancang_bangun="  " + text.upper().replace(" ", "   ") + " ")
              .pemda("35.79", "Kota Batu").inovasi(rancang_bangun=text)
              .build())
    assert_findings(export, [
        ("KNS-06", {"kode_pemda": "35.04", "id_inovasi": "35.04-0001", "kolom": "Rancang Bangun"}),
        ("KNS-06", {"kode_pemda": "35.04", "id_inovasi": "35.04-0002"}),
        ("KNS-06", {"kode_pemda": "35.79", "id_inovasi": "35.79-0001"}),
    ])


def test_kns06_one_word_different_is_not_identical():
    text = rancang_bangun("Teks yang sama", 320)
    export = tulungagung().inovasi(rancang_bangun=text).inovasi(rancang_bangun=text + " tambahan").build()
    assert_no_findings(export, "KNS-06")


def test_kns06_same_letters_split_into_other_words_are_not_identical():
    """`rumah sakit` and `rumahsakit`: the same letters, other words (the check first groups
    texts by their letters without spaces, then compares the words of those that share them)."""
    text = rancang_bangun("Teks yang sama", 320)
    export = (tulungagung().inovasi(rancang_bangun=text + " rumah sakit")
              .inovasi(rancang_bangun=text + " rumahsakit")
              .inovasi(rancang_bangun=text + "\u3000rumah\u00a0SAKIT")  # ideographic and no-break spaces
              .build())
    found = assert_findings(export, [
        ("KNS-06", {"id_inovasi": "35.04-0001"}),
        ("KNS-06", {"id_inovasi": "35.04-0003"}),
    ])
    assert found["pesan"].str.contains("(2 inovasi memakai", regex=False).all()


def test_kns06_whitespace_is_every_character_str_split_splits_at():
    from checks.rules.kns_06 import WHITESPACE

    assert set(WHITESPACE) == {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}


@pytest.mark.parametrize("koordinat, severity, says", [
    ("-7.2892, 112.7681", None, None),                      # the standard form: silent
    ("-11.0, 95.0", None, None),                            # corners are inside
    ("6.0, 141.0", None, None),
    ("-8.0654;111.9025", "info", "-8.0654, 111.9025"),      # readable, not standard: the value to paste
    ("-8,0654; 111,9025", "info", "-8.0654, 111.9025"),     # decimal commas with a semicolon
    ("7°17'21\"S 112°46'05\"E", "info", "-7.289167, 112.768056"),
    ("https://www.google.com/maps/place/X/@-8.0951048,112.1794287,19z", "info", "-8.095105, 112.179429"),
    ("35.689, 139.692", "warning", "di luar wilayah Indonesia"),  # Tokyo
    ("7.6727, 111.7034", "warning", "-7.6727, 111.7034"),   # the dropped minus sign, suggested
    ("111.9025, -8.0654", "warning", "-8.0654, 111.9025"),  # swapped, suggested
    ("-11.01, 120", "warning", "di luar wilayah Indonesia"),
    ("Jl. Ahmad Yani 12", "warning", "tidak dapat dibaca"),  # an address
    ("https://maps.app.goo.gl/AbC123xyz", "warning", "tidak dapat dibaca"),  # a short link
    ("-7° lintang dan 111° bujur", "warning", "tidak dapat dibaca"),  # whole degrees
    ("6, 141", "warning", "tidak dapat dibaca"),
    ("-8.070611,111,902272", "info", "-8.070611, 111.902272"),  # two readings, one inside Indonesia
])
def test_kns07_koordinat(koordinat, severity, says):
    export = tulungagung().inovasi(koordinat=koordinat).build()
    expected = [] if severity is None else [
        ("KNS-07", {"id_inovasi": "35.04-0001", "kolom": "Koordinat", "nilai": koordinat, "severity": severity})]
    found = assert_findings(export, expected, rules=("KNS-07",))
    if says:
        assert says in found["pesan"].iloc[0]


def test_kns07_empty_koordinat_is_lkp05_not_kns07():
    export = tulungagung().inovasi(koordinat=None).build()
    assert_findings(export, [("LKP-05", {"id_inovasi": "35.04-0001", "kolom": "Koordinat"})], rules=("KNS-07",))
