"""A clean generated export satisfies every rule of rules.md, checked here directly with pandas.

Expectations come from the spec (rules.md, catalog-2026.md, export-format.md) and the
catalog data, never from running the generator's own helpers.
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd
import pytest
from rapidfuzz import fuzz, process

from core.tables import DAFTAR_INOVASI, REAL_EXPORT_COLUMNS
from synthetic import national_pemda

AS_OF = date(2026, 7, 1)  # the as_of the medium fixture was generated with

SID = [str(n) for n in range(16, 36)]
SPD = ["1", "2a", "2b", "3", "4", "5a", "5b", "6", "7", "8", "9", "10a", "10b", "11a", "11b", "12", "13a", "13b", "14", "15"]
EMPTY = {"", "-", "tidak diisi"}


def _date(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s.where(s != "-"), format="%d-%m-%Y", errors="raise")


@pytest.fixture(scope="module")
def daftar(medium_tables):
    return medium_tables["daftar_inovasi"]


@pytest.fixture(scope="module")
def sid_rows(medium_tables):
    return medium_tables["indikator_inovasi"]


@pytest.fixture(scope="module")
def spd_rows(medium_tables):
    return medium_tables["indikator_pemda"]


# ------------------------------------------------------------------ shape and counts


def test_daftar_has_the_19_real_columns_then_the_optional_ones(daftar):
    assert list(daftar.columns[:19]) == list(REAL_EXPORT_COLUMNS)
    assert list(daftar.columns[19:]) == ["ID Inovasi", "Kode Pemda", "Tanggal Uji Coba", "Rancang Bangun", "Tujuan", "Manfaat", "Hasil Inovasi", "Anggaran"]
    assert list(daftar.columns) == [c.display for c in DAFTAR_INOVASI.columns]


def test_twenty_sid_rows_per_innovation_and_twenty_spd_rows_per_pemda(daftar, sid_rows, spd_rows, medium_tables):
    per_inn = sid_rows.groupby("ID Inovasi")["No Indikator"].apply(lambda s: sorted(s, key=int))
    assert len(per_inn) == len(daftar)
    assert (per_inn.map(lambda v: v == SID)).all()
    per_pemda = spd_rows.groupby("Kode Pemda")["No Indikator"].apply(list)
    assert len(per_pemda) == 40 and (per_pemda.map(lambda v: sorted(v) == sorted(SPD))).all()
    assert len(medium_tables["profil_pemda"]) == 40


def test_every_pemda_has_at_least_12_innovations_and_valid_codes(daftar):
    counts = daftar.groupby("Kode Pemda").size()
    assert len(counts) == 40 and counts.min() >= 12
    nat = national_pemda().set_index("kode_pemda")["pemda"]
    assert daftar["Kode Pemda"].isin(nat.index).all()
    assert not daftar["Kode Pemda"].isin(["31.01", "31.71", "31.72", "31.73", "31.74", "31.75"]).any()
    assert (daftar["Pemda"] == daftar["Kode Pemda"].map(nat)).all()
    assert daftar["ID Inovasi"].is_unique
    assert (daftar["No"] == [str(i) for i in range(1, len(daftar) + 1)]).all()


# ------------------------------------------------------------------ SKM / LKP


def test_only_allowed_values(daftar, sid_rows, spd_rows, catalog_2026):
    ns = {k: {v.lower() for v in vals} for k, vals in catalog_2026.nilai_sah.items()}
    for col, key in [("Inisiator", "inisiator"), ("Bentuk Inovasi", "bentuk_inovasi"), ("Jenis", "jenis"),
                     ("Tahapan Inovasi", "tahapan_inovasi"), ("Video", "video")]:
        assert daftar[col].str.lower().isin(ns[key]).all(), col
    assert set(daftar["Jenis"]) <= {"Digital", "Non Digital"}  # never Teknologi in a clean export
    for rows in (sid_rows, spd_rows):
        assert rows["Parameter"].isin(["1", "2", "3"]).all()
        assert rows["Jenis File"].isin(["pdf", "jpg", "png", "mp4", "link"]).all()


def test_profile_fields_are_filled(daftar):
    for col in ["Admin OPD", "Inisiator", "Bentuk Inovasi", "Jenis", "Urusan Utama", "Asta Cipta", "Tanggal Penerapan", "Koordinat",
                "Judul Inovasi", "Pemda", "Nama Inisiator", "Tanggal Input", "Tanggal Uji Coba", "Tujuan", "Manfaat", "Hasil Inovasi", "Anggaran"]:
        assert not daftar[col].str.strip().str.lower().isin(EMPTY).any(), col


def test_rancang_bangun_has_300_words_and_is_distinct(daftar):
    rb = daftar["Rancang Bangun"]
    assert (rb.str.split().str.len() >= 300).all()
    normal = rb.str.lower().str.split().str.join(" ")
    assert normal.is_unique


def test_video_present_on_youtube(daftar):
    assert (daftar["Video"] == "Ada").all()
    assert daftar["Link Video"].str.fullmatch(r"https://www\.youtube\.com/watch\?v=[A-Za-z0-9_-]{11}").all()


def test_at_least_5_of_6_urusan_wajib_per_pemda_in_lower_case(daftar):
    wajib = ["pendidikan", "kesehatan", "pekerjaan umum dan penataan ruang", "perumahan rakyat dan kawasan permukiman",
             "ketenteraman, ketertiban umum, dan perlindungan masyarakat", "sosial"]
    covered = daftar[daftar["Urusan Utama"].isin(wajib)].groupby("Kode Pemda")["Urusan Utama"].nunique()
    assert len(covered) == 40 and (covered >= 5).all()
    assert (daftar["Urusan Utama"] == daftar["Urusan Utama"].str.lower()).all()


def test_titles_distinct_and_not_near_identical_within_a_pemda(daftar):
    for _, titles in daftar.groupby("Kode Pemda")["Judul Inovasi"]:
        low = titles.str.lower().tolist()
        scores = process.cdist(low, low, scorer=fuzz.token_sort_ratio)
        np.fill_diagonal(scores, 0)
        assert scores.max() < 90, titles.tolist()


# ------------------------------------------------------------------ KNS


def test_dates_parse_are_ordered_not_in_the_future_and_eligible(daftar):
    uji, pen = _date(daftar["Tanggal Uji Coba"]), _date(daftar["Tanggal Penerapan"])
    dev, inp = _date(daftar["Tanggal Pengembangan"]), _date(daftar["Tanggal Input"])
    assert (uji <= pen).all()
    assert (dev.isna() | (dev >= pen)).all()
    as_of = pd.Timestamp(AS_OF)
    for d in (uji, pen, dev, inp):
        assert (d.isna() | (d <= as_of)).all()
    w0, w1 = pd.Timestamp(2024, 1, 1), pd.Timestamp(2025, 12, 31)
    eligible = pen.between(w0, w1) | dev.between(w0, w1)
    assert eligible.all()
    assert dev.notna().any() and dev.isna().any()  # both forms occur


def test_kematangan_in_range_and_coordinates_inside_indonesia(daftar):
    k = pd.to_numeric(daftar["Kematangan"])
    assert k.between(0, 111).all()
    parts = daftar["Koordinat"].str.extract(r"^(-?\d+\.\d{3}), (-?\d+\.\d{3})$").astype(float)
    assert parts.notna().all().all()
    assert parts[0].between(-11, 6).all() and parts[1].between(95, 141).all()


def test_coordinates_are_near_the_province(daftar):
    nat = national_pemda().set_index("kode_pemda")
    lat = daftar["Koordinat"].str.split(", ").str[0].astype(float)
    ref = daftar["Kode Pemda"].map(nat["lat"])
    assert ((lat - ref).abs() < 2).all()


# ------------------------------------------------------------------ BKT


def test_every_answer_has_evidence_of_an_accepted_type(sid_rows, spd_rows, catalog_2026):
    for rows in (sid_rows, spd_rows):
        dp = rows["Data Pendukung"]
        assert not dp.str.strip().isin(EMPTY).any()
        accepted = rows["No Indikator"].map(lambda n: set(catalog_2026.indicator(n).jenis_file))
        assert [t in a for t, a in zip(rows["Jenis File"], accepted)] == [True] * len(rows)
        files = rows["Jenis File"] != "link"
        assert (dp[files].str.rsplit(".", n=1).str[1] == rows.loc[files, "Jenis File"]).all()
        assert dp[~files].str.startswith("https://").all()


def test_video_indicator_is_youtube_drive_or_mp4(sid_rows):
    v = sid_rows[sid_rows["No Indikator"] == "35"]
    link = v["Jenis File"] == "link"
    assert v.loc[link, "Data Pendukung"].str.match(r"https://(www\.youtube\.com/|drive\.google\.com/)").all()
    assert set(v.loc[~link, "Jenis File"]) <= {"mp4"}


def test_file_sizes_above_minimum_and_sha256_unique_per_indicator(sid_rows, spd_rows):
    for rows in (sid_rows, spd_rows):
        files = rows[rows["Jenis File"] != "link"]
        kb = pd.to_numeric(files["Ukuran File (KB)"])
        assert (kb[files["Jenis File"] == "pdf"] >= 20).all()
        assert (kb[files["Jenis File"].isin(["jpg", "png"])] >= 10).all()
        assert files["SHA256"].str.fullmatch(r"[0-9a-f]{64}").all()
    files = sid_rows[sid_rows["Jenis File"] != "link"]
    assert not files.duplicated(["No Indikator", "SHA256"]).any()  # BKT-06: no digest reused across innovations


def test_document_dates_within_t_minus_2_and_as_of(sid_rows, spd_rows):
    for rows in (sid_rows, spd_rows):
        d = _date(rows["Tanggal Dokumen"])
        u = _date(rows["Tanggal Unggah"])
        assert (d.isna() | d.between(pd.Timestamp(2024, 1, 1), pd.Timestamp(AS_OF))).all()
        assert (d.isna() | (u >= d)).all() and (u <= pd.Timestamp(AS_OF)).all()


def _proves(nomor: str) -> int:
    """BKT-07 as rules.md states it, applied to `Nomor Dokumen`."""
    if re.search(r"\bperaturan daerah\b|\bperda\b", nomor, re.I):
        return 3
    if re.search(r"\bperaturan (bupati|walikota|wali kota|gubernur|kepala daerah)\b|\b(perbup|perwali|pergub|perkada)\b", nomor, re.I):
        return 2
    if re.search(r"\bkeputusan\b|\bsk\b", nomor, re.I):
        return 1
    return 0


def test_regulasi_document_proves_exactly_the_claimed_parameter(sid_rows):
    reg = sid_rows[sid_rows["No Indikator"] == "16"]
    proved = reg["Nomor Dokumen"].map(_proves)
    assert (proved == reg["Parameter"].astype(int)).all()
    assert set(reg["Parameter"]) == {"1", "2", "3"}
    assert reg["Nomor Dokumen"].str.contains(r" Nomor .+", regex=True).all()


def test_kemanfaatan_has_a_basis(sid_rows):
    km = sid_rows[sid_rows["No Indikator"] == "33"]
    assert km["Basis"].isin(list("abcdef")).all()
    assert (sid_rows.loc[sid_rows["No Indikator"] != "33", "Basis"] == "-").all()


# ------------------------------------------------------------------ Profil Pemda


def test_profil_pemda_is_complete_and_fake(medium_tables):
    prof = medium_tables["profil_pemda"]
    assert (prof["Tahun Penilaian"] == "2026").all()
    assert not prof.isin(["", "-"]).any().any()
    emails = prof["Email"].str.split(r"[;,]\s*").explode()
    assert emails.str.fullmatch(r"[a-z0-9.]+@[a-z0-9]+\.example").all()  # reserved TLD (RFC 2606): never delivered
    assert prof["Telepon"].str.fullmatch(r"\+62\d{9,12}").all()
