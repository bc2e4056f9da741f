"""Table-driven tests for checks.koordinat.

Every expected value below was written by hand from the input text (rounding
to 6 decimals done on paper), never computed by calling the code under test.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from checks.koordinat import BOUNDS_INDONESIA, read_coordinates

COLUMNS = ["status", "lat", "lon", "bentuk", "standar", "nilai_standar", "saran", "alternatif"]


def read_one(text: object, **bounds: float) -> pd.Series:
    return read_coordinates(pd.Series([text], dtype=object), **bounds).iloc[0]


def is_none(value: object) -> bool:
    return value is None


# (input, status, bentuk, nilai_standar)
READABLE = [
    # plain decimal
    pytest.param("-7.2892, 112.7681", "standar", "desimal", "-7.2892, 112.7681", id="plain"),
    pytest.param("-7.2892,112.7681", "standar", "desimal", "-7.2892, 112.7681", id="plain-nospace"),
    pytest.param("-7.2892 112.7681", "nonstandar", "desimal", "-7.2892, 112.7681", id="plain-space"),
    pytest.param("-7.2892; 112.7681", "nonstandar", "desimal", "-7.2892, 112.7681", id="plain-semicolon"),
    pytest.param("(-7.2892, 112.7681)", "nonstandar", "desimal", "-7.2892, 112.7681", id="plain-parens"),
    pytest.param("\u22127.2892, 112.7681", "nonstandar", "desimal", "-7.2892, 112.7681", id="unicode-minus"),
    pytest.param("-7.0, 112.0", "standar", "desimal", "-7.0, 112.0", id="zero-decimals"),
    pytest.param("-7.50, 112.500000", "standar", "desimal", "-7.5, 112.5", id="trailing-zeros"),
    pytest.param("-7.12345678, 112.1234564", "standar", "desimal", "-7.123457, 112.123456", id="rounded-6"),
    pytest.param("-7.2892,  112.7681", "nonstandar", "desimal", "-7.2892, 112.7681", id="two-spaces"),
    # degrees with hemisphere letters
    pytest.param("7.8718715°S 112.5231250°E", "nonstandar", "hemisfer", "-7.871872, 112.523125", id="hem-deg"),
    pytest.param("7.8718715° S, 112.5231250° E", "nonstandar", "hemisfer", "-7.871872, 112.523125",
                 id="hem-deg-spaces"),
    pytest.param("7.8718715\uf0b0S 112.5231250\uf0b0E", "nonstandar", "hemisfer", "-7.871872, 112.523125",
                 id="hem-private-use-degree"),
    pytest.param("7.8718715*S 112.5231250*E", "nonstandar", "hemisfer", "-7.871872, 112.523125", id="hem-star"),
    pytest.param("7.8718715\u00baS 112.5231250\u00baE", "nonstandar", "hemisfer", "-7.871872, 112.523125",
                 id="hem-ordinal"),
    pytest.param("7.8718715\u02daS 112.5231250\u02daE", "nonstandar", "hemisfer", "-7.871872, 112.523125",
                 id="hem-ring"),
    pytest.param("7.8718715S 112.5231250E", "nonstandar", "hemisfer", "-7.871872, 112.523125", id="hem-no-degree"),
    pytest.param("7,8718 LS 112,5231 BT", "nonstandar", "hemisfer", "-7.8718, 112.5231", id="hem-ls-bt-comma"),
    pytest.param("7.8718 ls 112.5231 bt", "nonstandar", "hemisfer", "-7.8718, 112.5231", id="hem-lowercase"),
    pytest.param("3.5952 LU 98.6722 BT", "nonstandar", "hemisfer", "3.5952, 98.6722", id="hem-lu-north"),
    pytest.param("7.8718 S 112.5231 T", "nonstandar", "hemisfer", "-7.8718, 112.5231", id="hem-s-t"),
    # degrees-minutes-seconds / decimal minutes
    pytest.param("7°17'21\"S 112°46'05\"E", "nonstandar", "dms", "-7.289167, 112.768056", id="dms"),
    pytest.param("6°54'27.6\"S 112°12'37.5\"E", "nonstandar", "dms", "-6.907667, 112.210417", id="dms-dec-sec"),
    pytest.param("7°17\u201921\u201dS 112°46\u201905\u201dE", "nonstandar", "dms", "-7.289167, 112.768056",
                 id="dms-typographic"),
    pytest.param("7°17'21''S 112°46'05''E", "nonstandar", "dms", "-7.289167, 112.768056", id="dms-two-primes"),
    pytest.param("7° 17' 21\" S, 112° 46' 05\" E", "nonstandar", "dms", "-7.289167, 112.768056", id="dms-spaced"),
    pytest.param("-7°17'21\", 112°46'05\"", "nonstandar", "dms", "-7.289167, 112.768056", id="dms-signed"),
    pytest.param("7°17.35'S 112°46.08'E", "nonstandar", "dms", "-7.289167, 112.768", id="dms-dec-min"),
    # Indonesian decimal commas
    pytest.param("-7,325387, 112,731079", "nonstandar", "desimal_koma", "-7.325387, 112.731079", id="koma"),
    pytest.param("-8,1026340,111,8961928", "nonstandar", "desimal_koma", "-8.102634, 111.896193", id="koma-4-parts"),
    pytest.param("-7,325387; 112,731079", "nonstandar", "desimal_koma", "-7.325387, 112.731079", id="koma-semicolon"),
    pytest.param("-7,325387 112,731079", "nonstandar", "desimal_koma", "-7.325387, 112.731079", id="koma-space"),
    # labels
    pytest.param("Lat -7.054327° Long 112.033387°", "nonstandar", "label", "-7.054327, 112.033387", id="lbl-lat-long"),
    pytest.param("Latitude: -7.05, Longitude: 112.03", "nonstandar", "label", "-7.05, 112.03", id="lbl-latitude"),
    pytest.param("LATITUDE -7.05 LONGITUDE 112.03", "nonstandar", "label", "-7.05, 112.03", id="lbl-upper"),
    pytest.param("Lintang: -7.4077, Bujur: 111.4401", "nonstandar", "label", "-7.4077, 111.4401", id="lbl-lintang"),
    pytest.param("lintang : - 8.1646 Bujur : 111.8524", "nonstandar", "label", "-8.1646, 111.8524",
                 id="lbl-space-after-minus"),
    pytest.param("L -8.2007, 111.0868", "nonstandar", "label", "-8.2007, 111.0868", id="lbl-L"),
    pytest.param("LS -8.2007 BT 111.0868", "nonstandar", "label", "-8.2007, 111.0868", id="lbl-ls-bt"),
    pytest.param("LS 8.2007 BT 111.0868", "nonstandar", "label", "-8.2007, 111.0868", id="lbl-ls-implies-minus"),
    pytest.param("Lintang: -7,4077, Bujur: 111,4401", "nonstandar", "label", "-7.4077, 111.4401",
                 id="lbl-with-comma-decimals"),
    pytest.param("Koordinat: -7.28, 112.76", "nonstandar", "label", "-7.28, 112.76", id="lbl-koordinat"),
    pytest.param("Lat, Long: -7.05, 112.03", "nonstandar", "label", "-7.05, 112.03", id="lbl-pair"),
    # map apps
    pytest.param("https://www.google.com/maps/place/Foo/@-8.0951048,112.1794287,19z/data=!3m1!4b1",
                 "nonstandar", "url_maps", "-8.095105, 112.179429", id="url-at"),
    pytest.param("https://www.google.com/maps/place/X/@-7.9,112.6,15z/data=!3m1!4b1!4m6!3m5!8m2!3d-7.93!4d112.62",
                 "nonstandar", "url_maps", "-7.93, 112.62", id="url-data-beats-at"),
    pytest.param("https://maps.google.com/?q=-7.93,112.62", "nonstandar", "url_maps", "-7.93, 112.62", id="url-q"),
    pytest.param("https://www.google.com/maps/search/?api=1&query=-7.93%2C112.62", "nonstandar", "url_maps",
                 "-7.93, 112.62", id="url-query"),
    pytest.param("-7.2869897,112.6987177,17z", "nonstandar", "zoom", "-7.28699, 112.698718", id="zoom"),
    # spreadsheet debris
    pytest.param("'-7.2892, 112.7681", "nonstandar", "desimal", "-7.2892, 112.7681", id="excel-quote"),
    pytest.param("'7°17'21\"S 112°46'05\"E", "nonstandar", "dms", "-7.289167, 112.768056", id="excel-quote-dms"),
    pytest.param("  -7.2892, 112.7681 \n", "standar", "desimal", "-7.2892, 112.7681", id="surrounding-ws"),
    pytest.param("\u00a0-7.2892,\u00a0112.7681\u00a0", "nonstandar", "desimal", "-7.2892, 112.7681", id="nbsp"),
    pytest.param("\n7.8718 LS\n112.5231 BT\n", "nonstandar", "hemisfer", "-7.8718, 112.5231", id="newlines"),
]


@pytest.mark.parametrize(("text", "status", "bentuk", "nilai"), READABLE)
def test_readable_forms(text: str, status: str, bentuk: str, nilai: str) -> None:
    row = read_one(text)
    assert (row["status"], row["bentuk"], row["nilai_standar"]) == (status, bentuk, nilai)
    lat, lon = (float(x) for x in nilai.split(", "))
    assert row["lat"] == pytest.approx(lat, abs=5e-7)
    assert row["lon"] == pytest.approx(lon, abs=5e-7)
    assert bool(row["standar"]) is (status == "standar")
    assert is_none(row["saran"]) and is_none(row["alternatif"])


EMPTY = [None, np.nan, pd.NA, "", "   ", "\n", "-", "null", "NULL", "None", "N/A", "n/a", "#N/A", "nan", "NaN",
         "tidak ada", "Tidak Diisi", "'", " - "]


@pytest.mark.parametrize("text", EMPTY, ids=repr)
def test_empty_markers_are_kosong(text: object) -> None:
    row = read_one(text)
    assert row["status"] == "kosong"
    assert math.isnan(row["lat"]) and math.isnan(row["lon"])
    assert is_none(row["bentuk"]) and is_none(row["nilai_standar"])
    assert not row["standar"]


UNREADABLE = [
    "Jl. Raya Tulungagung No. 12",
    "SDN 1 Kedungwaru",
    "Budi Santoso",
    "https://maps.app.goo.gl/AbC123xyz",
    "goo.gl/maps/AbC123xyz",
    "https://goo.gl/maps/AbC123xyz",
    "P8W2+9Q Tulungagung",
    "6P3QP8W2+9Q",
    "-7° lintang dan 111° bujur",
    "-7, 112",  # whole degrees only
    "7°S 112°E",  # whole degrees only
    "-7.2892",  # latitude without longitude
    "0",  # not an empty marker, but no point either
    "-7,2892",  # one decimal-comma latitude
    "-7.2892, 112.7681, 15",  # three numbers, not a comma-decimal pattern
    "1 2 3",
    "-7.1, 112.2, 3.3, 4.4",
    "7°75'21\"S 112°46'05\"E",  # 75 minutes
    "lihat lampiran",
    "Kec. Kedungwaru, Kab. Tulungagung",
]


@pytest.mark.parametrize("text", UNREADABLE)
def test_near_misses_are_tidak_terbaca(text: str) -> None:
    row = read_one(text)
    assert row["status"] == "tidak_terbaca"
    assert math.isnan(row["lat"]) and math.isnan(row["lon"])
    assert all(is_none(row[c]) for c in ("bentuk", "nilai_standar", "saran", "alternatif"))


# (input, bentuk, standar flag, nilai_standar, saran)
OUTSIDE = [
    pytest.param("7.6727, 111.7034", "desimal", True, "7.6727, 111.7034", "-7.6727, 111.7034", id="dropped-minus"),
    pytest.param("0, 0", "desimal", False, "0.0, 0.0", None, id="null-island"),
    pytest.param("0.0, 0.0", "desimal", True, "0.0, 0.0", None, id="null-island-decimals"),
    pytest.param("112.7681, -7.2892", "desimal", True, "112.7681, -7.2892", "-7.2892, 112.7681", id="swapped"),
    pytest.param("112.7681, 7.2892", "desimal", True, "112.7681, 7.2892", "-7.2892, 112.7681",
                 id="swapped-and-dropped-minus"),
    pytest.param("7.8718 LU 112.5231 BT", "hemisfer", False, "7.8718, 112.5231", "-7.8718, 112.5231",
                 id="north-letter"),
    pytest.param("-7.2892, 12.7681", "desimal", True, "-7.2892, 12.7681", None, id="no-fix"),
    pytest.param("51.5072, -0.1276", "desimal", True, "51.5072, -0.1276", None, id="london"),
    pytest.param("8.070611,111,902272", "desimal_koma", False, "8.070611, 111.902272", "-8.070611, 111.902272",
                 id="comma-single-reading-outside"),
]


@pytest.mark.parametrize(("text", "bentuk", "standar", "nilai", "saran"), OUTSIDE)
def test_outside_bounds(text: str, bentuk: str, standar: bool, nilai: str, saran: str | None) -> None:
    row = read_one(text)
    assert row["status"] == "di_luar"
    assert row["bentuk"] == bentuk
    assert bool(row["standar"]) is standar
    assert row["nilai_standar"] == nilai
    assert row["saran"] == saran
    lat, lon = (float(x) for x in nilai.split(", "))
    assert (row["lat"], row["lon"]) == (pytest.approx(lat), pytest.approx(lon))  # filled for di_luar
    assert is_none(row["alternatif"])


# Three comma parts p1,p2,p3: reading A = (p1, p2.p3), reading B = (p1.p2, p3).
# (input, status, nilai_standar, alternatif)
COMMA_PARTS = [
    pytest.param("-8.070611,111,902272", "nonstandar", "-8.070611, 111.902272", None, id="only-A-possible"),
    pytest.param("-8,070611,111.902272", "nonstandar", "-8.070611, 111.902272", None, id="only-B-possible"),
    pytest.param("-7,5,112", "nonstandar", "-7.5, 112.0", None, id="B-inside-A-outside"),
    pytest.param("-7, 112,5", "nonstandar", "-7.0, 112.5", None, id="A-inside-B-outside"),
    pytest.param("-7,3253, 112.731", "nonstandar", "-7.3253, 112.731", None, id="comma-lat-point-lon"),
    pytest.param("-7,112,112", "ambigu", None, "-7.0, 112.112 atau -7.112, 112.0", id="both-inside"),
    pytest.param("7,5,3", "ambigu", None, "7.0, 5.3 atau 7.5, 3.0", id="neither-inside"),
]


@pytest.mark.parametrize(("text", "status", "nilai", "alternatif"), COMMA_PARTS)
def test_three_comma_parts(text: str, status: str, nilai: str | None, alternatif: str | None) -> None:
    row = read_one(text)
    assert (row["status"], row["bentuk"]) == (status, "desimal_koma")
    assert row["nilai_standar"] == nilai
    assert row["alternatif"] == alternatif
    if status == "ambigu":
        assert math.isnan(row["lat"]) and math.isnan(row["lon"])
        assert is_none(row["saran"])


def test_bounds_come_from_keywords() -> None:
    jatim = dict(lat_min=-8.8, lat_max=-6.7, lon_min=110.8, lon_max=114.7)
    values = pd.Series(["-7.2892, 112.7681", "3.5952 LU 98.6722 BT", "-6.7, 110.8", "-8.8, 114.7"])
    out = read_coordinates(values, **jatim)
    assert list(out["status"]) == ["standar", "di_luar", "standar", "standar"]  # bounds inclusive
    assert list(read_coordinates(values)["status"]) == ["standar", "nonstandar", "standar", "standar"]
    assert BOUNDS_INDONESIA == dict(lat_min=-11.0, lat_max=6.0, lon_min=95.0, lon_max=141.0)


def test_bounds_decide_three_part_reading() -> None:
    # Both readings of "-7,112,112" are in Indonesia; only B is in a box around lon 112.0.
    row = read_one("-7,112,112", lat_min=-8.0, lat_max=-7.05, lon_min=111.9, lon_max=112.05)
    assert (row["status"], row["nilai_standar"]) == ("nonstandar", "-7.112, 112.0")


def test_output_shape_index_and_dtypes() -> None:
    values = pd.Series(
        ["-7.2892, 112.7681", None, "7.6727, 111.7034", "-7,112,112", "SDN 1", "-7.2892, 112.7681"],
        index=["a", "b", "c", "d", "e", "a"],  # duplicate label on purpose
    )
    out = read_coordinates(values)
    assert list(out.columns) == COLUMNS
    assert out.index.equals(values.index)
    assert list(out["status"]) == ["standar", "kosong", "di_luar", "ambigu", "tidak_terbaca", "standar"]
    assert out["lat"].dtype == np.float64 and out["lon"].dtype == np.float64
    assert out["standar"].dtype == bool
    for col in ("status", "bentuk", "nilai_standar", "saran", "alternatif"):
        assert out[col].dtype == object
    assert out["bentuk"].iloc[1] is None and out["saran"].iloc[0] is None
    assert out["nilai_standar"].iloc[4] is None and out["alternatif"].iloc[0] is None


def test_non_string_values() -> None:
    out = read_coordinates(pd.Series([0, -7.2892, 0.0], dtype=object))
    assert list(out["status"]) == ["tidak_terbaca"] * 3


def test_empty_series() -> None:
    out = read_coordinates(pd.Series([], dtype=object))
    assert out.empty and list(out.columns) == COLUMNS


def test_40000_rows() -> None:
    table = [p.values[0] for p in READABLE] + EMPTY + UNREADABLE + [p.values[0] for p in OUTSIDE]
    n = len(table)
    values = pd.Series(table * (40_000 // n + 1), dtype=object).iloc[:40_000]
    values.index = values.index + 1_000_000
    out = read_coordinates(values)
    assert len(out) == 40_000 and out.index.equals(values.index)
    last = (40_000 // n - 1) * n  # start of the last complete repeat
    expected = {
        0: "standar",
        last: "standar",
        last + len(READABLE): "kosong",
        last + len(READABLE) + len(EMPTY): "tidak_terbaca",
        last + n - len(OUTSIDE): "di_luar",
    }
    for pos, status in expected.items():
        assert out["status"].iloc[pos] == status, pos
    assert out["nilai_standar"].iloc[n + 10] == "-7.871872, 112.523125"  # READABLE[10], 2nd repeat
    assert out["saran"].iloc[last + n - len(OUTSIDE)] == "-7.6727, 111.7034"
    full = out.iloc[: (40_000 // n) * n]
    assert (full["status"] == "kosong").sum() == (40_000 // n) * len(EMPTY)
