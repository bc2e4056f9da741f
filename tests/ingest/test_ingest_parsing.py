"""Cell-level parsing: dates, numbers, codes, spellings, headers (tables.py docstring)."""

from __future__ import annotations

import pandas as pd
import pytest
from ingest_builders import daftar, indikator, innovation, write_csv, write_workbook

from ingest import read_export
from ingest.normalize import DISTINCT_SAMPLE, clean_text, header_key, parse_date, parse_number


@pytest.mark.parametrize(
    "text, expected",
    [
        ("27-02-2024", "2024-02-27"),
        ("27/02/2024", "2024-02-27"),
        ("2024-02-27", "2024-02-27"),
        ("27 Februari 2024", "2024-02-27"),
        ("1 Agustus 2025", "2025-08-01"),
        ("5 Okt 2025", "2025-10-05"),
        ("17 AGUSTUS 2024", "2024-08-17"),
        ("3 Desember 2023", "2023-12-03"),
    ],
)
def test_dates_in_every_written_form(text, expected):
    assert parse_date(pd.Series([text], dtype=object)).iloc[0] == pd.Timestamp(expected)


@pytest.mark.parametrize("text", ["31-02-2024", "kemarin", "2024-13-01", "27 Febuary 2024"])
def test_impossible_or_garbled_dates_are_missing(text):
    assert pd.isna(parse_date(pd.Series([text], dtype=object)).iloc[0])


@pytest.mark.parametrize("text, expected", [("33,38", 33.38), ("33.38", 33.38), ("Rp 1.500.000", 1_500_000.0), ("1.500.000,50", 1_500_000.5), ("12", 12.0)])
def test_numbers_with_decimal_comma_or_point(text, expected):
    assert parse_number(pd.Series([text], dtype=object)).iloc[0] == pytest.approx(expected)


@pytest.mark.parametrize("header", ["Ukuran File (KB)", "ukuran_file_kb", "  UKURAN   file (kb) "])
def test_header_variants_meet(header):
    assert header_key(header) == "ukuran_file_kb"


def test_header_variants_in_a_file(tmp_path):
    df = pd.DataFrame(
        {"judul_inovasi": ["A"], "  PEMDA ": ["Kota Batu"], "Tahapan   inovasi": ["penerapan"], "TANGGAL_INPUT": ["27 Februari 2024"], "Catatan Internal": ["x"]}
    )
    e = read_export(write_csv(tmp_path / "daftar.csv", df))
    d = e.tables["daftar_inovasi"]
    assert {"judul_inovasi", "pemda", "tahapan_inovasi", "tanggal_input", "catatan_internal"} <= set(d.columns)
    assert d["tahapan_inovasi"].iloc[0] == "Penerapan"  # catalog spelling
    assert d["tanggal_input"].iloc[0] == pd.Timestamp(2024, 2, 27)
    assert e.findings.empty


def test_no_value_markers_become_missing(tmp_path):
    e = read_export(write_csv(tmp_path / "d.csv", daftar(innovation(asta_cipta="Tidak Diisi", nama_inisiator=" - ", koordinat="  "))))
    d = e.tables["daftar_inovasi"]
    assert d[["asta_cipta", "nama_inisiator", "koordinat"]].isna().all(axis=None)


@pytest.mark.parametrize("marker", ["null", "NULL", "None", "N/A", "#N/A", " nan ", "--", "Tidak ada"])
def test_what_other_systems_write_for_an_empty_cell_is_missing_and_audited_as_empty(tmp_path, marker):
    """`null` from another system in Koordinat: the profile field is empty (LKP-05), not an
    unreadable coordinate (KNS-07); in any other text column it is missing as well."""
    from datetime import date

    from checks.engine import run_rules
    from core.catalog import load_catalog

    e = read_export(write_csv(tmp_path / "d.csv", daftar(innovation(koordinat=marker, asta_cipta=marker))))
    assert e.tables["daftar_inovasi"]["koordinat"].isna().all()
    if marker != "Tidak ada":  # "no location" is empty in Koordinat only; elsewhere it is an answer
        assert e.tables["daftar_inovasi"]["asta_cipta"].isna().all()
    f = run_rules(e, load_catalog(2026), as_of=date(2026, 7, 1)).findings
    assert set(f.loc[f["rule_id"] == "LKP-05", "kolom"]) >= {"Koordinat"}
    assert "KNS-07" not in set(f["rule_id"])


@pytest.mark.parametrize("distinct", [True, False], ids=["file-names-each-once", "few-values-repeated"])
def test_long_columns_are_cleaned_alike_whether_their_values_repeat_or_not(distinct):
    """A long column of values written once (cleaned value by value) and one of a few
    values repeated (cleaned through its distinct values): padding stripped, markers any
    case and every kind of missing become NaN, the rest kept as written."""
    n = 4 * DISTINCT_SAMPLE
    written = [f" dok-{i if distinct else i % 7}.pdf " for i in range(n)]
    written[3], written[10], written[11], written[12], written[13] = "N/A", None, float("nan"), pd.NA, 12
    cleaned = clean_text(pd.Series(written, dtype=object), extra_markers=["Belum"])
    written[20] = "  belum "
    cleaned_with_marker = clean_text(pd.Series(written, dtype=object), extra_markers=["Belum"])
    assert cleaned.dtype == object and len(cleaned) == n
    assert cleaned[0] == "dok-0.pdf" and cleaned[n - 1] == f"dok-{n - 1 if distinct else (n - 1) % 7}.pdf"
    assert cleaned[13] == "12"
    assert cleaned[[3, 10, 11, 12]].map(type).tolist() == [float] * 4 and cleaned[[3, 10, 11, 12]].isna().all()
    assert pd.isna(cleaned_with_marker[20]) and cleaned_with_marker.drop(20).equals(cleaned.drop(20))


def test_a_blank_line_between_records_is_no_record(tmp_path):
    rows = daftar(innovation(no=1, judul_inovasi="Satu"), innovation(no=2, judul_inovasi="Dua"))
    path = write_csv(tmp_path / "d.csv", rows)
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0], lines[1], ",".join([" "] * lines[0].count(",")) + " ", lines[2]]) + "\n", encoding="utf-8")
    d = read_export(path).tables["daftar_inovasi"]
    assert d["judul_inovasi"].tolist() == ["Satu", "Dua"]
    assert d["baris"].tolist() == [1, 3] and d.index.tolist() == [0, 1]  # data rows as the file numbers them


def test_tidak_ada_is_an_answer_not_an_empty_marker(tmp_path):
    e = read_export(write_csv(tmp_path / "d.csv", daftar(innovation(video="Tidak Ada", link_video=""))))
    assert e.tables["daftar_inovasi"]["video"].tolist() == ["Tidak Ada"]


def test_allowed_values_rewritten_to_catalog_spelling(tmp_path):
    row = innovation(jenis="non  digital", inisiator="kepala daerah", video="tidak ada", tahapan_inovasi="UJI COBA",
                     bentuk_inovasi="inovasi PELAYANAN publik")
    d = read_export(write_csv(tmp_path / "d.csv", daftar(row))).tables["daftar_inovasi"]
    assert d.loc[0, ["jenis", "inisiator", "video", "tahapan_inovasi", "bentuk_inovasi"]].tolist() == [
        "Non Digital", "Kepala Daerah", "Tidak Ada", "Uji Coba", "Inovasi pelayanan publik"]


def test_indicator_codes_from_excel_numbers(tmp_path):
    """Excel stores `16` and `2` as numbers; `16.0` and `2.0` must not leak into codes."""
    rows = [["ID Inovasi", "No Indikator", "Parameter", "Data Pendukung", "Jenis File", "Ukuran File (KB)", "Tanggal Dokumen"],
            ["35.04-0001", 16.0, 2.0, "a.pdf", "PDF", 120, "10-01-2025"],
            ["35.04-0001", 17, 3, "b.pdf", ".Pdf", "1.024,5", "10/01/2025"]]
    d_rows = daftar(innovation(id_inovasi="35.04-0001"))
    e = read_export(write_workbook(tmp_path / "e.xlsx", {"Daftar Inovasi": d_rows, "Indikator Inovasi": rows}))
    ii = e.tables["indikator_inovasi"]
    assert ii["no_indikator"].tolist() == ["16", "17"]
    assert ii["parameter"].tolist() == ["2", "3"]
    assert ii["jenis_file"].tolist() == ["pdf", "pdf"]
    assert ii["ukuran_file_kb"].tolist() == [120.0, 1024.5]
    assert ii["tanggal_dokumen"].tolist() == [pd.Timestamp(2025, 1, 10)] * 2
    assert e.findings.empty


def test_spd_numbers_keep_their_letter(tmp_path):
    folder = tmp_path / "e"
    write_csv(folder / "indikator_pemda.csv", pd.DataFrame(
        {"Kode Pemda": ["35.04", "35.04"], "No Indikator": ["2A", "10 b"], "Parameter": ["1", "3"], "Data Pendukung": ["x.pdf", "y.pdf"]}))
    e = read_export(folder)
    assert e.tables["indikator_pemda"]["no_indikator"].tolist() == ["2a", "10b"]
    assert e.findings.empty


def test_dtypes_after_ingest(tmp_path):
    folder = tmp_path / "e"
    write_csv(folder / "daftar_inovasi.csv", daftar(innovation(id_inovasi="35.04-0001")))
    write_csv(folder / "indikator_inovasi.csv", indikator("35.04-0001"))
    e = read_export(folder)
    d, ii = e.tables["daftar_inovasi"], e.tables["indikator_inovasi"]
    assert str(d["tanggal_input"].dtype) == "datetime64[ns]"
    assert d["kematangan"].dtype == "float64"
    assert d["baris"].dtype == "int64"
    assert d["id_inovasi_diturunkan"].dtype == bool and not d["id_inovasi_diturunkan"].any()
    assert ii["ukuran_file_kb"].dtype == "float64"
    assert (ii["id_inovasi"] == "35.04-0001").all() and (ii["kode_pemda"] == "35.04").all()


@pytest.mark.parametrize("text", ["inf", "-Infinity", "1e999", "1e30", "nan"])
def test_numbers_no_one_typed_are_unreadable_not_a_crash(text):
    """Found by the property test: `inf` or a 31-digit number once crashed the integer parser."""
    from ingest.normalize import parse_int

    assert parse_int(pd.Series([text, "12"], dtype=object)).tolist()[0] is pd.NA
    assert parse_number(pd.Series([text], dtype=object)).isna().all() or text == "1e30"


def test_an_identical_title_twice_is_skm05_only_not_also_kns05(tmp_path):
    from datetime import date

    from checks.engine import run_rules
    from core.catalog import load_catalog

    e = read_export(write_csv(tmp_path / "d.csv", daftar(innovation(judul_inovasi="Kampung Bedah Rumah", no="1"),
                                                          innovation(judul_inovasi="kampung bedah rumah", no="2"))))
    rules = set(run_rules(e, load_catalog(2026), as_of=date(2026, 7, 1)).findings["rule_id"])
    assert "SKM-05" in rules and "KNS-05" not in rules
