"""Bad input: one clear bilingual line (UsageError / UnreadableExport), never a traceback."""

from __future__ import annotations

import zipfile

import pytest
from ingest_builders import daftar, innovation, write_workbook

from core.outcomes import Outcome, UnreadableExport, UsageError
from ingest import read_export


def assert_bilingual(exc: pytest.ExceptionInfo, *words: str) -> None:
    e = exc.value
    assert e.pesan and e.message and e.pesan != e.message  # Indonesian and English
    assert " / " in str(e) and "\n" not in str(e) and "Traceback" not in str(e)
    for w in words:
        assert w in e.pesan and w in e.message


def test_missing_path_is_usage_error(tmp_path):
    with pytest.raises(UsageError) as exc:
        read_export(tmp_path / "tidak-ada.xlsx")
    assert exc.value.outcome is Outcome.USAGE
    assert_bilingual(exc, "tidak-ada.xlsx")


def test_unsupported_file_type_is_usage_error(tmp_path):
    p = tmp_path / "laporan.pdf"
    p.write_bytes(b"%PDF-1.4")
    with pytest.raises(UsageError) as exc:
        read_export(p)
    assert_bilingual(exc, "laporan.pdf")


def test_folder_without_tables(tmp_path):
    (tmp_path / "catatan.txt").write_text("x")
    with pytest.raises(UnreadableExport) as exc:
        read_export(tmp_path)
    assert_bilingual(exc, "daftar_inovasi.csv")


def test_corrupt_workbook(tmp_path):
    good = write_workbook(tmp_path / "ok.xlsx", {"Daftar Inovasi": daftar(innovation())})
    broken = tmp_path / "rusak.xlsx"
    broken.write_bytes(good.read_bytes()[:700])  # a download cut short: zip header, no directory
    with pytest.raises(UnreadableExport) as exc:
        read_export(broken)
    assert exc.value.outcome is Outcome.UNREADABLE
    assert_bilingual(exc, "rusak.xlsx")


def test_zip_that_is_not_a_workbook(tmp_path):
    p = tmp_path / "bukan-excel.xlsx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(UnreadableExport) as exc:
        read_export(p)
    assert_bilingual(exc, "bukan-excel.xlsx")


def test_text_renamed_to_xlsx(tmp_path):
    p = tmp_path / "daftar.xlsx"
    p.write_text("No,Judul Inovasi\n1,A\n")
    with pytest.raises(UnreadableExport) as exc:
        read_export(p)
    assert_bilingual(exc, "daftar.xlsx")


def test_password_protected_workbook(tmp_path):
    """Excel saves a password-protected .xlsx as an OLE2 container (EncryptedPackage)."""
    p = tmp_path / "terkunci.xlsx"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)
    with pytest.raises(UnreadableExport) as exc:
        read_export(p)
    assert_bilingual(exc, "terkunci.xlsx")
    assert "sandi" in exc.value.pesan and "password" in exc.value.message


@pytest.mark.parametrize("content", [b"", b"  \r\n", b"\xef\xbb\xbf"], ids=["empty", "blank", "bom-only"])
def test_empty_csv(tmp_path, content):
    p = tmp_path / "daftar_inovasi.csv"
    p.write_bytes(content)
    with pytest.raises(UnreadableExport) as exc:
        read_export(p)
    assert_bilingual(exc, "daftar_inovasi.csv")


def test_empty_xlsx_file(tmp_path):
    p = tmp_path / "kosong.xlsx"
    p.write_bytes(b"")
    with pytest.raises(UnreadableExport) as exc:
        read_export(p)
    assert_bilingual(exc, "kosong.xlsx")


def test_undecodable_bytes(tmp_path):
    """0x81 and 0x8D are invalid UTF-8 here and undefined in Windows-1252: never guess latin-1."""
    p = tmp_path / "undecodable.csv"
    p.write_bytes("No,Judul Inovasi,Pemda\n1,Inovasi ".encode() + b"\x81\x8d" + b",Kota Batu\n")
    with pytest.raises(UnreadableExport) as exc:
        read_export(p)
    assert_bilingual(exc, "undecodable.csv")
    assert "UTF-8" in exc.value.pesan


def test_ragged_csv_names_the_file(tmp_path):
    p = tmp_path / "daftar_inovasi.csv"
    p.write_text("No,Judul Inovasi\n1,A\n2,B,C,D\n", encoding="utf-8")
    with pytest.raises(UnreadableExport) as exc:
        read_export(p)
    assert_bilingual(exc, "daftar_inovasi.csv")


def test_header_only_file_gives_empty_table(tmp_path):
    p = tmp_path / "daftar_inovasi.csv"
    p.write_text("No,Judul Inovasi,Pemda,Tahapan Inovasi\n", encoding="utf-8")
    e = read_export(p)
    d = e.tables["daftar_inovasi"]
    assert len(d) == 0 and {"judul_inovasi", "kode_pemda", "id_inovasi", "baris"} <= set(d.columns)
    assert e.findings.empty
