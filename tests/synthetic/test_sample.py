"""The committed sample: rebuilt byte-identically, and every planted problem is really there."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from pypdf import PdfReader

from synthetic.sample import build_samples

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
EKSPOR = SAMPLE / "ekspor-2026"
#: Every rule id of rules.md; SKM-01 needs a missing column and is not planted.
RULE_IDS = (
    [f"SKM-0{i}" for i in range(2, 7)] + [f"LKP-0{i}" for i in range(1, 10)]
    + [f"BKT-{i:02d}" for i in range(1, 12)] + [f"KNS-0{i}" for i in range(1, 8)]
)


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(EKSPOR / name, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def log() -> pd.DataFrame:
    return pd.read_csv(SAMPLE / "masalah-tertanam.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def daftar() -> pd.DataFrame:
    return _csv("daftar_inovasi.csv")


@pytest.fixture(scope="module")
def sid() -> pd.DataFrame:
    return _csv("indikator_inovasi.csv")


def test_regenerating_gives_the_committed_bytes(tmp_path):
    build_samples(tmp_path)
    committed = {str(p.relative_to(SAMPLE)): p.read_bytes() for p in SAMPLE.rglob("*") if p.is_file()}
    rebuilt = {str(p.relative_to(tmp_path)): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert set(rebuilt) == set(committed)
    assert [k for k in rebuilt if rebuilt[k] != committed[k]] == []


def test_every_rule_but_skm01_is_planted_and_batu_is_clean(log):
    assert set(RULE_IDS) <= set(log["rule_id"])
    assert "SKM-01" not in set(log["rule_id"])
    assert not (log["kode_pemda"] == "35.79").any()


def test_tulungagung_is_the_worst_with_about_a_third_of_slots_in_trouble(log):
    bad = log[(log["no_indikator"] != "") & (log["severity"].eq("error") | log["rule_id"].isin(["LKP-02", "LKP-04"]))]
    per = bad.drop_duplicates(["kode_pemda", "id_inovasi", "no_indikator"]).groupby("kode_pemda").size()
    assert per.idxmax() == "35.04"
    assert 0.30 <= per["35.04"] / (20 + 20 * 30) <= 0.40


def test_planted_values_are_in_the_tables(daftar, sid):
    assert (daftar["Jenis"] == "Teknologi").sum() >= 5
    assert {"Kab. Tulungagung", "KABUPATEN TULUNGAGUNG"} <= set(daftar["Pemda"])
    assert (daftar["Pemda"] == "Kota Jakarta Selatan").sum() == 1
    assert daftar["ID Inovasi"].duplicated().sum() == 1  # SKM-05
    assert "35.04-0999" in set(sid["ID Inovasi"]) and "35.04-0999" not in set(daftar["ID Inovasi"])  # SKM-06
    have32 = set(sid.loc[sid["No Indikator"] == "32", "ID Inovasi"])
    assert not {"35.04-0001", "35.04-0002", "35.04-0003", "35.04-0004"} & have32  # LKP-01
    assert "javascript:alert(1)" in set(daftar["Link Video"])
    assert daftar["Judul Inovasi"].str.contains("<script>", regex=False).any()
    assert (pd.to_numeric(daftar["Kematangan"]) > 111).any()
    rb_words = daftar["Rancang Bangun"].str.split().str.len()
    assert (rb_words == 120).sum() == 1
    reg = sid[sid["No Indikator"] == "16"]
    assert ((reg["Parameter"] == "3") & reg["Nomor Dokumen"].str.startswith("Peraturan Bupati")).any()  # BKT-07
    assert (reg["Jenis File"] == "jpg").any()  # BKT-02
    assert sid["Tanggal Dokumen"].str.endswith("2022").any()  # BKT-04


def test_evidence_files_match_except_where_planted(sid, log):
    files = sid[(sid["Jenis File"] != "link") & (sid["Data Pendukung"] != "-")]
    missing = set(log.loc[log["masalah"] == "berkas tidak ada di bukti/", "nilai"])
    wrong_sha = set(log.loc[log["masalah"] == "SHA256 di tabel berbeda dari berkas", "nilai"])
    assert len(missing) == 1 and len(wrong_sha) == 1
    for name, rows in files.groupby("Data Pendukung"):
        path = EKSPOR / "bukti" / name
        if name in missing:
            assert not path.exists()
            continue
        data = path.read_bytes()
        digest_ok = set(rows["SHA256"]) == {hashlib.sha256(data).hexdigest()}
        assert digest_ok == (name not in wrong_sha), name
        assert set(rows["Ukuran File (KB)"]) == {str(round(len(data) / 1024))}
    small = files[(files["Jenis File"] == "pdf") & (pd.to_numeric(files["Ukuran File (KB)"]) < 20)]
    assert len(small) == 1 and (EKSPOR / "bukti" / small["Data Pendukung"].iloc[0]).stat().st_size < 20 * 1024  # BKT-05
    jpg = files[files["Jenis File"] == "jpg"]["Data Pendukung"].iloc[0]
    assert (EKSPOR / "bukti" / jpg).read_bytes()[:3] == b"\xff\xd8\xff"


def test_bkt10_regulasi_pdf_lacks_the_title_while_others_have_it(daftar, sid, log):
    titles = daftar.drop_duplicates("ID Inovasi").set_index("ID Inovasi")["Judul Inovasi"]
    planted = log.loc[log["rule_id"] == "BKT-10", "nilai"].iloc[0]
    reg = sid[(sid["No Indikator"] == "16") & (sid["Jenis File"] == "pdf") & (sid["Data Pendukung"] != "-")]
    for _, row in reg.iterrows():
        text = PdfReader(EKSPOR / "bukti" / row["Data Pendukung"]).pages[0].extract_text()
        assert (titles[row["ID Inovasi"]] in text) == (row["Data Pendukung"] != planted)


def test_jatim_2025_list_has_exactly_the_real_19_columns():
    from core.tables import REAL_EXPORT_COLUMNS

    wb = openpyxl.load_workbook(SAMPLE / "daftar-inovasi-jatim-2025.xlsx", read_only=True)
    assert len(wb.sheetnames) == 1
    rows = list(wb[wb.sheetnames[0]].iter_rows(values_only=True))
    assert list(rows[0]) == list(REAL_EXPORT_COLUMNS)
    body = pd.DataFrame(rows[1:], columns=rows[0])
    assert 35 <= len(body) <= 45
    assert 0.10 <= (body["Jenis"] == "Teknologi").mean() <= 0.20
    assert body["Tanggal Penerapan"].str.fullmatch(r"\d\d-\d\d-\d{4}").all()
    assert (body == "-").any().any()
    assert body["Pemda"].str.startswith("Provinsi Jawa Timur").any()
