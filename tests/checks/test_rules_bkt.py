"""BKT (evidence) rules: each fires at its exact key and severity; a near miss does not."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from tests.checks.builders import ExportBuilder, blank_pdf, minimal_pdf
from tests.checks.helpers import assert_findings, assert_no_findings

ts = pd.Timestamp


def tulungagung(**kw) -> ExportBuilder:
    return ExportBuilder(**kw).pemda("35.04", "Kab. Tulungagung")


# BKT-01 ----------------------------------------------------------------------------------------

def test_bkt01_parameter_without_data_pendukung_sid_and_spd():
    export = (tulungagung().spd("14", data_pendukung=None, jenis_file=None)
              .inovasi().indikator("17", data_pendukung=None, jenis_file=None)
              .indikator("18", parameter=None, data_pendukung=None).build())  # near miss: no parameter
    assert_findings(export, [
        ("BKT-01", {"kode_pemda": "35.04", "id_inovasi": "35.04-0001", "no_indikator": "17", "kolom": "Data Pendukung"}),
        ("BKT-01", {"kode_pemda": "35.04", "id_inovasi": None, "no_indikator": "14", "tabel": "Indikator Pemda"}),
    ])


# BKT-02 ----------------------------------------------------------------------------------------

def test_bkt02_type_not_accepted_from_jenis_file_or_extension_or_link():
    export = (tulungagung().inovasi()
              .indikator("16", jenis_file="jpg", data_pendukung="regulasi.jpg")
              .indikator("17", jenis_file=None, data_pendukung="sk-tim.PNG")
              .indikator("18", jenis_file=None, data_pendukung="https://drive.google.com/file/d/1")
              .indikator("19", jenis_file="png", data_pendukung="alat.png")  # near miss: 19 accepts png
              .indikator("25", jenis_file=None, data_pendukung="foto.jpeg")  # jpeg counts as jpg: fine
              .build())
    f = assert_findings(export, [
        ("BKT-02", {"id_inovasi": "35.04-0001", "no_indikator": "16", "nilai": "jpg", "kolom": "Jenis File"}),
        ("BKT-02", {"id_inovasi": "35.04-0001", "no_indikator": "17", "nilai": "png"}),
        ("BKT-02", {"id_inovasi": "35.04-0001", "no_indikator": "18", "nilai": "link"}),
    ])
    assert f.loc[f["no_indikator"] == "16", "pesan"].iloc[0].endswith("untuk indikator ini: pdf.")


def test_bkt02_video_link_is_accepted_for_indicator_35():
    assert_no_findings(tulungagung().inovasi().indikator("35", jenis_file="link").build(), "BKT-02")


# BKT-03 / BKT-04 -------------------------------------------------------------------------------

def test_bkt03_document_after_audit_date_fires_on_the_day_does_not():
    export = (tulungagung().inovasi()
              .indikator("21", tanggal_dokumen=ts("2062-03-15"))
              .indikator("22", tanggal_dokumen=ts("2026-07-02"))
              .indikator("23", tanggal_dokumen=ts("2026-07-01")).build())
    assert_findings(export, [
        ("BKT-03", {"no_indikator": "21", "nilai": "15-03-2062", "kolom": "Tanggal Dokumen"}),
        ("BKT-03", {"no_indikator": "22", "nilai": "02-07-2026"}),
    ], as_of=date(2026, 7, 1))


def test_bkt04_before_1_january_t_minus_2_except_regulasi_parameter_2_or_3():
    export = (tulungagung().spd("9", tanggal_dokumen=ts("2020-05-05"))
              .inovasi()
              .indikator("17", tanggal_dokumen=ts("2023-12-31"))          # fires
              .indikator("18", tanggal_dokumen=ts("2024-01-01"))          # near miss: first allowed day
              .indikator("16", parameter="3", nomor_dokumen="Peraturan Daerah Nomor 1 Tahun 2015",
                         tanggal_dokumen=ts("2015-02-01"))                # exempt: Perda
              .inovasi()
              .indikator("16", parameter="1", nomor_dokumen="Keputusan Bupati Nomor 5 Tahun 2019",
                         tanggal_dokumen=ts("2019-02-01"))                # SK is not exempt
              .build())
    assert_findings(export, [
        ("BKT-04", {"id_inovasi": "35.04-0001", "no_indikator": "17", "nilai": "31-12-2023"}),
        ("BKT-04", {"id_inovasi": "35.04-0002", "no_indikator": "16"}),
        ("BKT-04", {"id_inovasi": None, "no_indikator": "9"}),
    ])


# BKT-05 ----------------------------------------------------------------------------------------

def test_bkt05_pdf_under_20_kb_and_image_under_10_kb():
    export = (tulungagung().inovasi()
              .indikator("18", ukuran_file_kb=19.9)     # fires
              .indikator("17", ukuran_file_kb=20.0)     # near miss
              .indikator("25", ukuran_file_kb=9.99)     # jpg fires
              .indikator("27", ukuran_file_kb=10.0)     # near miss
              .build())
    f = assert_findings(export, [
        ("BKT-05", {"id_inovasi": "35.04-0001", "no_indikator": "18", "nilai": "19.9", "kolom": "Ukuran File (KB)"}),
        ("BKT-05", {"id_inovasi": "35.04-0001", "no_indikator": "25", "nilai": "9.99"}),
    ])
    msg = f.loc[f["no_indikator"] == "18", "pesan"].iloc[0]
    assert "pdf di bawah 20 KB" in msg and "Unggah ulang" in msg


# BKT-06 ----------------------------------------------------------------------------------------

def test_bkt06_same_hash_same_indicator_in_two_innovations_every_row():
    export = (tulungagung().inovasi().indikator("17", sha256="ab" * 32)
              .inovasi().indikator("17", sha256="ab" * 32).build())
    assert_findings(export, [
        ("BKT-06", {"id_inovasi": "35.04-0001", "no_indikator": "17"}),
        ("BKT-06", {"id_inovasi": "35.04-0002", "no_indikator": "17"}),
    ])


def test_bkt06_the_same_hash_in_capitals_or_with_spaces_is_the_same_file():
    export = (tulungagung().inovasi().indikator("17", sha256="AB" * 32)
              .inovasi().indikator("17", sha256=f" {'ab' * 32} ")
              .inovasi().indikator("17", sha256="ab" * 31 + "ac").build())  # near miss: another hash
    found = assert_findings(export, [
        ("BKT-06", {"id_inovasi": "35.04-0001", "no_indikator": "17"}),
        ("BKT-06", {"id_inovasi": "35.04-0002", "no_indikator": "17"}),
    ])
    assert all("pada 2 inovasi berbeda" in pesan for pesan in found["pesan"])


def test_bkt06_a_row_of_no_listed_innovation_does_not_count():
    """An indicator row whose innovation is not in the list (SKM-06's orphan) shares no file."""
    export = (tulungagung().inovasi().indikator("17", sha256="ab" * 32)
              .inovasi().indikator("17", sha256="ab" * 32)
              .inovasi().indikator("17", sha256="ab" * 32).build())
    sid = export.tables["indikator_inovasi"]
    sid.loc[sid["id_inovasi"] == "35.04-0003", "id_inovasi"] = "35.04-9999"
    found = assert_findings(export, [
        ("BKT-06", {"id_inovasi": "35.04-0001"}),
        ("BKT-06", {"id_inovasi": "35.04-0002"}),
    ])
    assert all("pada 2 inovasi berbeda" in pesan for pesan in found["pesan"])


def test_bkt06_same_hash_on_two_indicators_of_one_innovation_is_allowed():
    export = tulungagung().inovasi().indikator("17", sha256="cd" * 32).indikator("20", sha256="cd" * 32).build()
    assert_no_findings(export, "BKT-06")


def test_bkt06_same_hash_on_different_indicators_of_two_innovations_is_allowed():
    export = (tulungagung().inovasi().indikator("17", sha256="ef" * 32)
              .inovasi().indikator("18", sha256="ef" * 32).build())
    assert_no_findings(export, "BKT-06")


# BKT-07 ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("claimed, nomor, fires", [
    ("3", "Peraturan Bupati Tulungagung Nomor 12 Tahun 2024", True),      # Perbup claimed as Perda
    ("2", "Peraturan Bupati Tulungagung Nomor 12 Tahun 2024", False),     # Perbup as 2: fine
    ("3", "Perda Kab. Tulungagung No. 3 Tahun 2021", False),
    ("3", "Peraturan Daerah Provinsi Jawa Timur Nomor 46 Tahun 2023", False),
    ("2", "Perwali Batu No 5 Tahun 2024", False),
    ("2", "PERKADA Nomor 7 Tahun 2024", False),
    ("3", "Peraturan Kepala Daerah Nomor 7 Tahun 2024", True),             # Perkada is not a Perda
    ("2", "Keputusan Bupati Nomor 188/12/2024", True),
    ("1", "SK Bupati Nomor 188/12/2024", False),
    ("1", "Surat Edaran Dinas Perdagangan Nomor 500/2024", True),          # Perdagangan is no Perda
    ("3", "Surat Edaran Dinas Perdagangan Nomor 500/2024", True),
    ("2", "Peraturan Bupati Nomor 3 Tahun 2024 tentang Pelaksanaan Peraturan Daerah Nomor 1", False),
    ("3", "Peraturan Bupati Nomor 3 Tahun 2024 tentang Pelaksanaan Peraturan Daerah Nomor 1", True),
])
def test_bkt07_claim_versus_what_nomor_dokumen_proves(claimed, nomor, fires):
    export = tulungagung().inovasi(judul="Klinik Lansia").indikator("16", parameter=claimed, nomor_dokumen=nomor,
                                                                    tanggal_dokumen=ts("2025-01-01")).build()
    expected = [("BKT-07", {"id_inovasi": "35.04-0001", "no_indikator": "16", "kolom": "Nomor Dokumen",
                            "nilai": nomor})] if fires else []
    assert_findings(export, expected, rules=("BKT-07",))


def test_bkt07_message_names_claim_and_proof():
    export = tulungagung().inovasi(judul="Klinik Lansia").indikator(
        "16", parameter="3", nomor_dokumen="Peraturan Bupati Tulungagung Nomor 12 Tahun 2024").build()
    f = assert_findings(export, [("BKT-07", {"id_inovasi": "35.04-0001"})])
    assert "Parameter 3 diklaim" in f["pesan"].iloc[0] and "Parameter 2" in f["pesan"].iloc[0]


# BKT-08 ----------------------------------------------------------------------------------------

def test_bkt08_link_evidence_must_be_http_and_video_on_a_known_host():
    export = (tulungagung()
              .spd("13a", jenis_file="link", data_pendukung="www.jawatimurprov.example/kajian-kebijakan")
              .inovasi(judul="Klinik Lansia", link_video="javascript:alert(1)")
              .indikator("35", data_pendukung="https://www.example.com/video-inovasi.mp4")
              .indikator("26", jenis_file="link", data_pendukung="https://pedoman.tulungagung.example/manual")  # ok
              .inovasi(judul="Bank Sampah", link_video="https://m.youtube.com/watch?v=x")               # ok
              .indikator("35", data_pendukung="https://youtube.com.evil.example/watch")
              .build())
    assert_findings(export, [
        ("BKT-08", {"id_inovasi": None, "no_indikator": "13a", "kolom": "Data Pendukung"}),
        ("BKT-08", {"id_inovasi": "35.04-0001", "kolom": "Link Video", "nilai": "javascript:alert(1)"}),
        ("BKT-08", {"id_inovasi": "35.04-0001", "no_indikator": "35"}),
        ("BKT-08", {"id_inovasi": "35.04-0002", "no_indikator": "35"}),
    ])


def test_bkt08_google_drive_and_social_hosts_are_fine_for_video():
    export = (tulungagung().inovasi(link_video="https://drive.google.com/file/d/abc/view")
              .indikator("35", data_pendukung="https://www.instagram.com/reel/xyz").build())
    assert_no_findings(export, "BKT-08")


@pytest.mark.parametrize("url", [
    "https://www.youtube.com/watch?v=x", "http://youtu.be/x", "HTTPS://YOUTUBE.COM/x", "hTTp://m.youtube.com",
    "https://youtube.com.", "https://youtube.com.evil.example/", "https://evil.example/youtube.com",
    "https://user@youtube.com/x", "https://youtube.com@evil.example/x", "https://youtube.com:443/x",
    "https://youtube.com\\@evil.example/x", "https://[::1]/x", "https://[bad/x", "https://", "https:///x",
    "https:youtube.com", "  https://youtube.com/x  ", "https://you\ttube.com/x", "https://youtube.com/a\nb",
    "\x01https://youtube.com/x", "https://yоutube.com/x", "ftp://youtube.com/x", "javascript:alert(1)",
    "www.youtube.com/x", "https://drive.google.com/file/d/abc/view?usp=sharing#top",
])
def test_bkt08_reads_a_link_as_urlsplit_does(url):
    """A plain `http(s)://host/...` link is read without `urlsplit` (speed): the facts are
    those of `urlsplit` for every link, plain or not."""
    from urllib.parse import urlsplit

    from checks.rules.bkt_08 import _facts

    hosts = ("youtube.com", "youtu.be", "drive.google.com")
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower().rstrip(".")
        ok = parts.scheme.lower() in ("http", "https") and bool(host)
    except ValueError:
        host, ok = "", False
    assert _facts(hosts)(url) == (ok, ok and any(host == h or host.endswith("." + h) for h in hosts))


# BKT-09 / BKT-10: evidence files ------------------------------------------------------------------

def test_bkt09_missing_unreadable_blank_and_hash_mismatch(tmp_path):
    (tmp_path / "rahasia.pdf").write_bytes(minimal_pdf("di luar folder bukti"))
    export = (tulungagung().inovasi()
              .indikator("20", _berkas=False)                                 # missing
              .indikator("21", _bytes=b"not a pdf at all")                    # unreadable
              .indikator("23", _bytes=blank_pdf())                            # no text, no image
              .indikator("24", sha256="00" * 32, _sha_tetap=True)             # hash differs
              .indikator("28", data_pendukung="../rahasia.pdf", _berkas=False)  # exists, but outside bukti/
              .build(bukti_dir=tmp_path / "bukti"))
    assert_findings(export, [
        ("BKT-09", {"id_inovasi": "35.04-0001", "no_indikator": "20", "kolom": "Data Pendukung"}),
        ("BKT-09", {"id_inovasi": "35.04-0001", "no_indikator": "21"}),
        ("BKT-09", {"id_inovasi": "35.04-0001", "no_indikator": "23"}),
        ("BKT-09", {"id_inovasi": "35.04-0001", "no_indikator": "24", "kolom": "SHA256"}),
        ("BKT-09", {"id_inovasi": "35.04-0001", "no_indikator": "28"}),
    ])


def test_bkt09_bkt10_not_checked_without_bukti_folder():
    from tests.checks.helpers import audit

    run = audit(tulungagung().inovasi().build())
    assert {"BKT-09", "BKT-10"} <= set(run.not_checked["rule_id"])


def test_bkt10_regulasi_pdf_must_name_the_innovation(tmp_path):
    export = (tulungagung()
              .inovasi(judul="LANUPA: Sekolah Air Minum Perdesaan")
              .indikator("16", _isi="Peraturan Bupati Nomor 16 Tahun 2024 tentang Penataan Pasar Hewan")
              .inovasi(judul="KLIK: Klinik Lansia Terpadu")   # near miss: name without the acronym, other case
              .indikator("16", _isi="PERATURAN BUPATI NOMOR 16 TAHUN 2024 TENTANG INOVASI KLINIK LANSIA TERPADU")
              .build(bukti_dir=tmp_path / "bukti"))
    assert_findings(export, [("BKT-10", {"id_inovasi": "35.04-0001", "no_indikator": "16", "kolom": "Data Pendukung"})])


def test_bkt10_regulation_number_in_its_text_must_be_the_one_nomor_dokumen_states(tmp_path):
    cited = " Menimbang: bahwa perlu. Mengingat: Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah"
    export = (tulungagung()
              .inovasi(judul="Klinik Lansia Terpadu")
              .indikator("16", nomor_dokumen="Peraturan Bupati Tulungagung Nomor 12 Tahun 2024",
                         _isi="PERATURAN BUPATI TULUNGAGUNG NOMOR 12 TAHUN 2025 TENTANG KLINIK LANSIA TERPADU" + cited)
              .inovasi(judul="Sekolah Air Minum Perdesaan")
              .indikator("16", nomor_dokumen="Keputusan Bupati Nomor 188.45/123/KPTS/418.12/2025",
                         _isi="KEPUTUSAN BUPATI TULUNGAGUNG NOMOR : 188/45/KEP/2025 TENTANG SEKOLAH AIR MINUM PERDESAAN")
              # near misses: same number written otherwise (leading zero, "No.", a year only in the code);
              # a number cited after Mengingat is not the document's own; an export stating no number
              .inovasi(judul="Bank Sampah Berbasis Masjid")
              .indikator("16", nomor_dokumen="188.45/123/KPTS/418.12/2025",
                         _isi="KEPUTUSAN BUPATI NOMOR: 188.45/0123/KPTS/418.12/2025 TENTANG BANK SAMPAH BERBASIS MASJID")
              .inovasi(judul="Posko Tanggap Bencana Desa")
              .indikator("16", nomor_dokumen="Perbup Nomor 7 Tahun 2024",
                         _isi="PERATURAN BUPATI No. 7 TAHUN 2024 TENTANG POSKO TANGGAP BENCANA DESA" + cited)
              .inovasi(judul="Rumah Singgah Lansia Terlantar")
              .indikator("16", nomor_dokumen="Peraturan Bupati tentang Rumah Singgah",
                         _isi="PERATURAN BUPATI NOMOR 9 TAHUN 2024 TENTANG RUMAH SINGGAH LANSIA TERLANTAR")
              # near miss: only a letterhead address has a number (the heading is a scanned image)
              .inovasi(judul="Pasar Tani Organik Mingguan")
              .indikator("16", _isi="PEMERINTAH KABUPATEN TULUNGAGUNG Jalan Ahmad Yani Timur Nomor 37 "
                                    "tentang Pasar Tani Organik Mingguan")
              .build(bukti_dir=tmp_path / "bukti"))
    found = assert_findings(export, [
        ("BKT-10", {"id_inovasi": "35.04-0001", "no_indikator": "16", "kolom": "Nomor Dokumen", "severity": "warning",
                    "nilai": "Peraturan Bupati Tulungagung Nomor 12 Tahun 2024"}),
        ("BKT-10", {"id_inovasi": "35.04-0002", "no_indikator": "16", "kolom": "Nomor Dokumen", "severity": "warning"}),
    ])
    pesan = dict(zip(found["id_inovasi"], found["pesan"]))
    assert "menurut teksnya bernomor 12 Tahun 2025, bukan seperti tertulis di Nomor Dokumen" in pesan["35.04-0001"]
    assert "35.04-0001_16.pdf" in pesan["35.04-0001"]
    assert "bernomor 188/45/KEP/2025" in pesan["35.04-0002"]
    en = assert_findings(export, [("BKT-10", {"id_inovasi": i}) for i in ("35.04-0001", "35.04-0002")], lang="en")
    assert en["pesan"].str.contains("by its text, regulation").all()
    assert "is number 12 Tahun 2025, not what Nomor Dokumen says" in en.loc[en["id_inovasi"] == "35.04-0001", "pesan"].iloc[0]


def test_bkt10_regulation_enacted_after_the_audit_date_by_its_own_text(tmp_path):
    judul = "Klinik Lansia Terpadu"
    isi = f"PERATURAN BUPATI NOMOR 16 TAHUN 2024 TENTANG {judul.upper()} "
    export = (tulungagung()
              .inovasi(judul=judul)
              .indikator("16", _isi=isi + "Ditetapkan di Tulungagung pada tanggal 2 Juli 2026 BUPATI TULUNGAGUNG")
              .inovasi(judul="Sekolah Air Minum Perdesaan")
              .indikator("16", _isi="PERATURAN BUPATI NOMOR 16 TAHUN 2024 TENTANG SEKOLAH AIR MINUM PERDESAAN "
                                    "Ditetapkan di Tulungagung pada tanggal 3 Maret 2025 "
                                    "Diundangkan di Tulungagung pada tanggal 12 Agustus 2026")
              # near misses: enacted on the audit date itself; a later date that is no enactment
              # ("berlaku sejak tanggal ..."); an impossible date
              .inovasi(judul="Bank Sampah Berbasis Masjid")
              .indikator("16", _isi="PERATURAN BUPATI NOMOR 16 TAHUN 2024 TENTANG BANK SAMPAH BERBASIS MASJID "
                                    "Ditetapkan di Tulungagung pada tanggal 1 Juli 2026")
              .inovasi(judul="Posko Tanggap Bencana Desa")
              .indikator("16", _isi="PERATURAN BUPATI NOMOR 16 TAHUN 2024 TENTANG POSKO TANGGAP BENCANA DESA "
                                    "Ditetapkan di Tulungagung pada tanggal 5 Januari 2026. Peraturan ini berlaku "
                                    "sejak tanggal 1 Januari 2027")
              .inovasi(judul="Rumah Singgah Lansia Terlantar")
              .indikator("16", _isi="PERATURAN BUPATI NOMOR 16 TAHUN 2024 TENTANG RUMAH SINGGAH LANSIA TERLANTAR "
                                    "Ditetapkan di Tulungagung pada tanggal 31 Februari 2027")
              .build(bukti_dir=tmp_path / "bukti"))
    found = assert_findings(export, [
        ("BKT-10", {"id_inovasi": "35.04-0001", "no_indikator": "16", "kolom": "Tanggal Dokumen", "severity": "error",
                    "nilai": "2 Juli 2026"}),
        ("BKT-10", {"id_inovasi": "35.04-0002", "kolom": "Tanggal Dokumen", "severity": "error",
                    "nilai": "12 Agustus 2026"}),
    ])
    assert "ditetapkan pada tanggal 2 Juli 2026, setelah tanggal audit 01-07-2026" in found["pesan"].iloc[0]


# BKT-11 ----------------------------------------------------------------------------------------

def test_bkt11_kemanfaatan_with_parameter_needs_basis_a_to_f():
    export = (tulungagung().inovasi().indikator("33", basis=None)
              .inovasi().indikator("33", basis="g")
              .inovasi().indikator("33", parameter=None, basis=None)   # near miss: no parameter
              .inovasi().indikator("33", basis="f")                    # near miss
              .build())
    assert_findings(export, [
        ("BKT-11", {"id_inovasi": "35.04-0001", "no_indikator": "33", "kolom": "Basis"}),
        ("BKT-11", {"id_inovasi": "35.04-0002", "no_indikator": "33", "nilai": "g"}),
    ])


def test_bkt09_a_file_too_large_to_read_is_a_warning_and_is_never_read(tmp_path, monkeypatch):
    """Memory bounded by design: over MAX_EVIDENCE_BYTES the file is not opened at all."""
    from core import settings

    monkeypatch.setattr(settings, "MAX_EVIDENCE_BYTES", 5 * 1024 * 1024)
    export = tulungagung().inovasi().build(bukti_dir=tmp_path / "bukti")
    row = export.tables["indikator_inovasi"].query("no_indikator == '20'").iloc[0]
    huge = tmp_path / "bukti" / row["data_pendukung"]
    with open(huge, "r+b") as fh:  # sparse: 6 MB on paper, nothing on disk
        fh.truncate(6 * 1024 * 1024)
    opened = []
    real_open = open
    monkeypatch.setattr("builtins.open", lambda f, *a, **k: opened.append(str(f)) or real_open(f, *a, **k))
    found = assert_findings(export, [("BKT-09", {"id_inovasi": "35.04-0001", "no_indikator": "20",
                                                 "severity": "warning"})], rules=("BKT-09",))
    assert "terlalu besar untuk diperiksa (lebih dari 5 MB)" in found["pesan"].iloc[0]
    assert str(huge) not in opened


def test_bkt09_hashing_a_large_file_streams_it_in_bounded_memory(tmp_path):
    """A 150 MB evidence file (sparse) is hashed in a subprocess whose peak memory stays far
    below the file's size (read whole it would need 150 MB more)."""
    import subprocess
    import sys

    big = tmp_path / "besar.bin"
    with open(big, "wb") as fh:
        fh.truncate(150 * 1024 * 1024)
    code = ("import resource, sys; from pathlib import Path; from checks.evidence import read_facts; "
            "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss; "
            f"facts = read_facts(Path({str(big)!r}), 'besar.bin', {150 * 1024 * 1024}, 0); "
            "after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss; "
            "print(facts.sha256, (after - before) // 1024)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    import hashlib

    want = hashlib.sha256()
    with open(big, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            want.update(block)
    assert out[0] == want.hexdigest()
    assert int(out[1]) < 32, f"peak memory grew by {out[1]} MB while hashing 150 MB"


# BKT-09 from the file's content: type by magic bytes, blank scans, corrupt images ---------------

def _image(kind: str, *, fill: int = 255, noise: int = 0, mark: int | None = None, size=(400, 300)) -> bytes:
    """A grey page of `fill`, with ±`noise` sensor noise and, when `mark` is given, a block of
    that grey covering a tenth of the page (a note or a stamp)."""
    import io
    import random

    from PIL import Image

    w, h = size
    rnd = random.Random(7)
    img = Image.new("L", size, fill)
    if noise:
        img.putdata([max(0, min(255, fill + rnd.randint(-noise, noise))) for _ in range(w * h)])
    if mark is not None:
        img.paste(mark, (0, 0, w, h // 10))
    buf = io.BytesIO()
    img.save(buf, format={"png": "PNG", "jpg": "JPEG"}[kind])
    return buf.getvalue()


def test_bkt09_type_by_content_must_be_the_declared_jenis_file(tmp_path):
    from synthetic.evidence import jpeg_bytes, mp4_bytes, png_bytes

    export = (tulungagung().inovasi()
              .indikator("20", data_pendukung="laporan.pdf", jenis_file="pdf", _bytes=png_bytes(["x"], 0))
              .indikator("21", data_pendukung="foto.jpg", jenis_file="jpg", _bytes=png_bytes(["y"], 0, seed=3))
              .indikator("23", data_pendukung="rekaman.mp4", jenis_file="mp4", _bytes=minimal_pdf("bukan video"))
              # near misses: jpeg is jpg; mp4 with its ftyp box; a type we do not recognise is not judged
              .indikator("24", data_pendukung="foto2.jpeg", jenis_file="jpeg", _bytes=jpeg_bytes(["z"], 0))
              .indikator("25", data_pendukung="video.mp4", jenis_file="mp4", _bytes=mp4_bytes(["v"], 2000))
              .indikator("26", data_pendukung="tabel.xlsx", jenis_file="xlsx", _bytes=b"PK\x03\x04 spreadsheet")
              .build(bukti_dir=tmp_path / "bukti"))
    found = assert_findings(export, [
        ("BKT-09", {"no_indikator": "20", "kolom": "Jenis File", "severity": "warning"}),
        ("BKT-09", {"no_indikator": "21", "kolom": "Jenis File", "severity": "warning"}),
        ("BKT-09", {"no_indikator": "23", "kolom": "Jenis File", "severity": "warning"}),
    ], rules=("BKT-09",))
    pesan = dict(zip(found["no_indikator"], found["pesan"]))
    assert "menurut isinya berjenis png, bukan pdf" in pesan["20"]
    assert "menurut isinya berjenis pdf, bukan mp4" in pesan["23"]


def test_bkt09_a_blank_scan_is_found_and_a_faint_note_is_not(tmp_path):
    export = (tulungagung().inovasi()
              .indikator("20", data_pendukung="pindai.png", jenis_file="png", _bytes=_image("png", noise=2))
              .indikator("21", data_pendukung="pindai.jpg", jenis_file="jpg", _bytes=_image("jpg", fill=250))
              # near misses: a faint grey note (230 on white) on a tenth of the page; a dark page with a stamp
              .indikator("23", data_pendukung="catatan.png", jenis_file="png", _bytes=_image("png", noise=2, mark=230))
              .indikator("24", data_pendukung="stempel.jpg", jenis_file="jpg", _bytes=_image("jpg", fill=40, mark=200))
              .build(bukti_dir=tmp_path / "bukti"))
    found = assert_findings(export, [
        ("BKT-09", {"no_indikator": "20", "kolom": "Data Pendukung", "severity": "error"}),
        ("BKT-09", {"no_indikator": "21", "kolom": "Data Pendukung", "severity": "error"}),
    ], rules=("BKT-09",))
    assert found["pesan"].str.contains("adalah gambar kosong").all()


def test_bkt09_a_corrupt_image_is_unreadable_but_trailing_bytes_are_not_corruption(tmp_path):
    png, jpg = _image("png", mark=0), _image("jpg", mark=0)
    export = (tulungagung().inovasi()
              .indikator("20", data_pendukung="potong.png", jenis_file="png", _bytes=png[: len(png) // 2])
              .indikator("21", data_pendukung="potong.jpg", jenis_file="jpg", _bytes=jpg[: len(jpg) // 3])
              .indikator("23", data_pendukung="utuh.jpg", jenis_file="jpg", _bytes=jpg + b"trailing bytes")  # near miss
              .build(bukti_dir=tmp_path / "bukti"))
    found = assert_findings(export, [
        ("BKT-09", {"no_indikator": "20", "severity": "error"}),
        ("BKT-09", {"no_indikator": "21", "severity": "error"}),
    ], rules=("BKT-09",))
    assert found["pesan"].str.contains("tidak dapat dibaca").all()


def test_evidence_facts_count_a_pdfs_pages_and_read_only_the_first_pages(tmp_path, monkeypatch):
    from io import BytesIO
    from pathlib import Path

    from pypdf import PdfReader, PdfWriter

    from checks.evidence import read_facts
    from core import settings

    w = PdfWriter()
    page = PdfReader(BytesIO(minimal_pdf("Peraturan Bupati Nomor 7"))).pages[0]
    for _ in range(12):
        w.add_page(page)
    buf = BytesIO()
    w.write(buf)
    p = tmp_path / "dua-belas.pdf"
    p.write_bytes(buf.getvalue())
    monkeypatch.setattr(settings, "MAX_PDF_PAGES_READ", 3)
    f = read_facts(Path(p), p.name, p.stat().st_size, 0, with_text=True)
    assert (f.kind, f.problem, f.pages) == ("pdf", None, 12)
    assert f.text.count("Peraturan Bupati Nomor 7") == 3


# BKT-09: blank pages inside a scan, a video's duration -----------------------------------------

def _scan(*pages) -> bytes:
    """A PDF of the given pages, in order: image bytes (`_image`: a scanned page, JPEG inside the
    PDF as scanners write it), "kosong" (a page with nothing at all), "vektor" (a page whose only
    content is a drawn frame) or a text (a page of text)."""
    from io import BytesIO

    from PIL import Image
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ContentStream

    w = PdfWriter()
    for page in pages:
        if page == "kosong":
            w.add_blank_page(width=612, height=792)
        elif page == "vektor":
            blank = w.add_blank_page(width=612, height=792)
            stream = ContentStream(None, None)
            stream.set_data(b"0 0 0 RG 2 w 72 72 468 648 re S")
            blank.replace_contents(stream)
        elif isinstance(page, str):
            w.add_page(PdfReader(BytesIO(minimal_pdf(page))).pages[0])
        else:
            buf = BytesIO()
            Image.open(BytesIO(page)).convert("L").save(buf, format="PDF")
            w.add_page(PdfReader(BytesIO(buf.getvalue())).pages[0])
    out = BytesIO()
    w.write(out)
    return out.getvalue()


def test_bkt09_blank_pages_inside_a_scan_are_named_within_the_pages_read(tmp_path, monkeypatch):
    from core import settings

    monkeypatch.setattr(settings, "MAX_PDF_PAGES_READ", 5)
    isi = _image("jpg", fill=40, mark=200)
    putih = _image("jpg", noise=2)
    export = (tulungagung().inovasi()
              # white scans on pages 2 and 4, a page with nothing on 5; page 6 is beyond the pages read
              .indikator("20", _bytes=_scan(isi, putih, "Laporan kegiatan", putih, "kosong", putih))
              # every page blank: no content at all (an error, as before)
              .indikator("21", _bytes=_scan(putih, "kosong"))
              # near misses: a faint note on white, a page drawn in vectors only, text; a blank page
              # only after the pages read
              .indikator("23", _bytes=_scan(isi, _image("jpg", noise=2, mark=230), "vektor", "Lampiran"))
              .indikator("24", _bytes=_scan(isi, isi, isi, isi, isi, "kosong"))
              .build(bukti_dir=tmp_path / "bukti"))
    found = assert_findings(export, [
        ("BKT-09", {"no_indikator": "20", "kolom": "Data Pendukung", "severity": "warning"}),
        ("BKT-09", {"no_indikator": "21", "kolom": "Data Pendukung", "severity": "error"}),
    ], rules=("BKT-09",))
    pesan = dict(zip(found["no_indikator"], found["pesan"]))
    assert "memuat halaman kosong, tanpa teks maupun gambar berisi: halaman 2, 4, 5." in pesan["20"]
    assert "PDF tanpa halaman berisi teks atau gambar" in pesan["21"]
    en = assert_findings(export, [("BKT-09", {"no_indikator": n}) for n in ("20", "21")], rules=("BKT-09",), lang="en")
    assert "holds blank pages, with neither text nor an image with content: page 2, 4, 5." in \
        en.loc[en["no_indikator"] == "20", "pesan"].iloc[0]


def test_bkt09_a_video_is_read_for_its_duration_and_zero_or_no_header_is_a_finding(tmp_path):
    from pathlib import Path

    from checks.evidence import read_facts
    from synthetic.evidence import mp4_bytes, mvhd_box

    def mp4(data: bytes, name: str) -> Path:
        p = tmp_path / name
        p.write_bytes(data)
        return p

    # moov after a large mdat, and a 64-bit mvhd (version 1): read by seeking, never the media
    late = (mp4_bytes(["v"], 40)[:24] + (8 + 200_000).to_bytes(4, "big") + b"mdat" + bytes(200_000)
            + (8 + len(mvhd_box(95.25, version=1))).to_bytes(4, "big") + b"moov" + mvhd_box(95.25, version=1))
    for data, want in ((mp4_bytes(["v"], 3000, duration_s=12.5), 12.5), (late, 95.25)):
        p = mp4(data, "video.mp4")
        f = read_facts(p, p.name, p.stat().st_size, 0)
        assert (f.kind, f.problem, f.duration_s) == ("mp4", None, want)

    export = (tulungagung().inovasi()
              .indikator("20", data_pendukung="nol.mp4", jenis_file="mp4", _bytes=mp4_bytes(["nol"], 3000, duration_s=0))
              .indikator("21", data_pendukung="putus.mp4", jenis_file="mp4", _bytes=mp4_bytes(["putus"], 3000, moov=False))
              .indikator("23", data_pendukung="terpotong.mp4", jenis_file="mp4", _bytes=late[:100_000])
              # near misses: a short video is still a video; the late-moov file whole
              .indikator("24", data_pendukung="singkat.mp4", jenis_file="mp4", _bytes=mp4_bytes(["s"], 3000, duration_s=0.5))
              .indikator("25", data_pendukung="utuh.mp4", jenis_file="mp4", _bytes=late)
              .build(bukti_dir=tmp_path / "bukti"))
    found = assert_findings(export, [
        ("BKT-09", {"no_indikator": "20", "kolom": "Data Pendukung", "severity": "error"}),
        ("BKT-09", {"no_indikator": "21", "kolom": "Data Pendukung", "severity": "error"}),
        ("BKT-09", {"no_indikator": "23", "kolom": "Data Pendukung", "severity": "error"}),
    ], rules=("BKT-09",))
    pesan = dict(zip(found["no_indikator"], found["pesan"]))
    assert "adalah video berdurasi 0 detik (tanpa rekaman)" in pesan["20"]
    assert "tidak dapat dibaca" in pesan["21"] and "tidak dapat dibaca" in pesan["23"]
