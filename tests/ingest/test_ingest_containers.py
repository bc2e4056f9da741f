"""Every container of export-format.md ("Containers the ingest must accept") and its variants."""

from __future__ import annotations

import pandas as pd
import pytest
from ingest_builders import (
    assert_findings, daftar, indikator, innovation, real_layout_rows, write_csv, write_workbook,
)

from ingest import read_export


def _two_innovations() -> pd.DataFrame:
    return daftar(
        innovation(no="1", id_inovasi="35.04-0001", judul_inovasi="Posyandu Remaja"),
        innovation(no="2", id_inovasi="35.79-0001", judul_inovasi="Bank Sampah", pemda="Kota Batu"),
    )


def test_workbook_bundle_with_display_sheet_names(tmp_path):
    path = write_workbook(
        tmp_path / "ekspor.xlsx",
        {"Daftar Inovasi": _two_innovations(), " indikator  INOVASI ": indikator("35.04-0001"), "Petunjuk": [["abaikan"]]},
    )
    e = read_export(path)
    assert e.kind == "bundle"
    assert set(e.tables) == {"daftar_inovasi", "indikator_inovasi"}
    assert e.tables["daftar_inovasi"]["kode_pemda"].tolist() == ["35.04", "35.79"]
    assert len(e.tables["indikator_inovasi"]) == 20
    assert e.findings.empty


def test_workbook_bundle_with_snake_case_sheet_names(tmp_path):
    path = write_workbook(tmp_path / "ekspor.xlsx", {"daftar_inovasi": _two_innovations(), "indikator_inovasi": indikator("35.79-0001")})
    e = read_export(path)
    assert e.kind == "bundle"
    assert (e.tables["indikator_inovasi"]["kode_pemda"] == "35.79").all()


def test_csv_folder_with_evidence_folder_inside(tmp_path):
    folder = tmp_path / "ekspor"
    write_csv(folder / "daftar_inovasi.csv", _two_innovations())
    write_csv(folder / "indikator_inovasi.csv", indikator("35.04-0001"))
    write_csv(folder / "profil_pemda.csv", pd.DataFrame({"Kode Pemda": ["35.04", "35.79"], "Pemda": ["Kab. Tulungagung", "Kota Batu"], "Tahun Penilaian": ["2026", "2026"]}))
    (folder / "bukti").mkdir()
    e = read_export(folder)
    assert e.kind == "bundle"
    assert e.bukti_dir == folder / "bukti"
    assert e.tahun_penilaian == 2026
    assert set(e.tables) == {"daftar_inovasi", "indikator_inovasi", "profil_pemda"}


def test_profil_with_two_different_years_gives_no_tahun(tmp_path):
    folder = tmp_path / "ekspor"
    write_csv(folder / "daftar_inovasi.csv", _two_innovations())
    write_csv(folder / "profil_pemda.csv", pd.DataFrame({"Kode Pemda": ["35.04", "35.79"], "Tahun Penilaian": ["2026", "2025"]}))
    assert read_export(folder).tahun_penilaian is None


def test_folder_holding_one_workbook(tmp_path):
    folder = tmp_path / "ekspor"
    write_workbook(folder / "apa-saja.xlsx", {"Daftar Inovasi": _two_innovations(), "Indikator Inovasi": indikator("35.04-0001")})
    (folder / "~$apa-saja.xlsx").write_bytes(b"lock file of an open Excel")
    e = read_export(folder)
    assert e.kind == "bundle" and len(e.tables["indikator_inovasi"]) == 20


def test_single_innovation_list_xlsx_is_daftar(tmp_path):
    path = write_workbook(tmp_path / "daftar-inovasi.xlsx", {"Sheet1": real_layout_rows()})
    (tmp_path / "bukti").mkdir()
    e = read_export(path)
    assert e.kind == "daftar"
    assert e.bukti_dir == tmp_path / "bukti"  # beside the table
    assert list(e.tables) == ["daftar_inovasi"]


def test_single_innovation_list_csv_is_daftar(tmp_path):
    e = read_export(write_csv(tmp_path / "export-iid.csv", _two_innovations()))
    assert e.kind == "daftar"
    assert e.bukti_dir is None
    assert e.tables["daftar_inovasi"]["judul_inovasi"].tolist() == ["Posyandu Remaja", "Bank Sampah"]


@pytest.mark.parametrize("bom", [False, True], ids=["utf8-no-bom", "utf8-bom"])
def test_utf8_with_and_without_bom(tmp_path, bom):
    df = daftar(innovation(judul_inovasi="Layanan Kesehatan Jiwa — Ramah Lansia ü"))
    e = read_export(write_csv(tmp_path / "daftar.csv", df, bom=bom))
    d = e.tables["daftar_inovasi"]
    assert "judul_inovasi" in d.columns  # a BOM must not stick to the first header
    assert "no" in d.columns
    assert d["judul_inovasi"].iloc[0] == "Layanan Kesehatan Jiwa — Ramah Lansia ü"


def test_cp1252_semicolon_decimal_comma(tmp_path):
    """`cp1252-semicolon.csv`: what Excel (Indonesian locale, Windows) saves as "CSV"."""
    df = daftar(innovation(judul_inovasi="Café Literasi – Sekolah", kematangan="33,38", pemda="Kota Batu"))
    path = write_csv(tmp_path / "cp1252-semicolon.csv", df, encoding="cp1252", sep=";")
    e = read_export(path)
    d = e.tables["daftar_inovasi"]
    assert d.shape[1] > 10  # not one big column
    assert d["judul_inovasi"].iloc[0] == "Café Literasi – Sekolah"
    assert d["kematangan"].iloc[0] == pytest.approx(33.38)
    assert d["kode_pemda"].iloc[0] == "35.79"
    assert e.findings.empty


def test_blank_lines_keep_source_row_numbers(tmp_path):
    path = tmp_path / "daftar.csv"
    lines = "Judul Inovasi,Pemda,Tahapan Inovasi,Jenis\r\nA,Kota Batu,Penerapan,Digital\r\n\r\nB,Kota Batu,Penerapan,Digitalisasi\r\n"
    path.write_text(lines, encoding="utf-8")
    e = read_export(path)
    assert e.tables["daftar_inovasi"]["baris"].tolist() == [1, 3]
    assert_findings(e, [("SKM-03", {"baris": 3, "nilai": "Digitalisasi"})], exact=True)


def test_title_rows_above_the_header_are_skipped(tmp_path):
    rows = [["Daftar Inovasi Daerah Provinsi Jawa Timur 2025"], [], *real_layout_rows()]
    e = read_export(write_workbook(tmp_path / "judul.xlsx", {"Sheet1": rows}))
    d = e.tables["daftar_inovasi"]
    assert d["judul_inovasi"].iloc[0] == "Jatim Satu Data"
    assert d["baris"].tolist() == [1, 2, 3, 4]


def test_excel_sep_hint_line(tmp_path):
    """`sep=;` on the first line is how Excel is told the delimiter; it is not a header."""
    path = tmp_path / "daftar.csv"
    path.write_text("sep=;\r\nJudul Inovasi;Pemda;Tahapan Inovasi;Kematangan\r\nA;Kota Batu;Penerapan;12,5\r\n", encoding="utf-8")
    d = read_export(path).tables["daftar_inovasi"]
    assert d["kematangan"].tolist() == [12.5] and d["kode_pemda"].tolist() == ["35.79"]
