"""LKP (completeness) rules: each fires at its exact key and severity; a near miss does not."""

from __future__ import annotations

import pandas as pd

from tests.checks.builders import URUSAN_WAJIB, ExportBuilder, rancang_bangun
from tests.checks.helpers import assert_findings, assert_no_findings


def tulungagung(**kw) -> ExportBuilder:
    return ExportBuilder(**kw).pemda("35.04", "Kab. Tulungagung")


# LKP-01 / LKP-02: SID slots per innovation --------------------------------------------------

def test_lkp01_mandatory_indicator_without_row_or_parameter():
    export = (tulungagung().inovasi(judul="Klinik Lansia").indikator("32", hapus=True)
              .inovasi(judul="Bank Sampah").indikator("17", parameter=None).build())
    assert_findings(export, [
        ("LKP-01", {"kode_pemda": "35.04", "id_inovasi": "35.04-0001", "no_indikator": "32", "kolom": None}),
        ("LKP-01", {"kode_pemda": "35.04", "id_inovasi": "35.04-0002", "no_indikator": "17", "kolom": "Parameter"}),
    ], rules=("LKP-02",))


def test_lkp02_optional_indicator_missing_is_a_warning_not_lkp01():
    export = tulungagung().inovasi().indikator("31", hapus=True).indikator("18", parameter=None).build()
    f = assert_findings(export, [
        ("LKP-02", {"id_inovasi": "35.04-0001", "no_indikator": "31"}),
        ("LKP-02", {"id_inovasi": "35.04-0001", "no_indikator": "18"}),
    ], rules=("LKP-01",))
    assert set(f["severity"]) == {"warning"}


def test_lkp01_a_second_answered_row_of_the_same_indicator_counts_as_answered():
    export = tulungagung().inovasi().indikator("16", parameter=None).build()
    extra = export.tables["indikator_inovasi"].iloc[[0]].assign(parameter="2", baris=999)
    export.tables["indikator_inovasi"] = pd.concat([export.tables["indikator_inovasi"], extra], ignore_index=True)
    assert_no_findings(export, "LKP-01")


# LKP-03 / LKP-04: SPD slots per Pemda -------------------------------------------------------

def test_lkp03_mandatory_spd_missing_and_lkp04_optional_without_parameter():
    export = tulungagung().spd("8", hapus=True).spd("12", parameter=None).inovasi().build()
    assert_findings(export, [
        ("LKP-03", {"kode_pemda": "35.04", "id_inovasi": None, "no_indikator": "8"}),
        ("LKP-04", {"kode_pemda": "35.04", "id_inovasi": None, "no_indikator": "12", "kolom": "Parameter"}),
    ])


def test_lkp03_pemda_without_any_spd_row_misses_every_spd_indicator():
    export = ExportBuilder().pemda("35.79", "Kota Batu", spd=False).inovasi().build()
    f = assert_findings(export, [("LKP-03", {"no_indikator": n}) for n in
                                 ["1", "3", "4", "5a", "5b", "6", "7", "8", "9", "10a", "10b", "11a", "11b"]])
    assert set(f["kode_pemda"]) == {"35.79"}


# LKP-05: empty profile fields ---------------------------------------------------------------

def test_lkp05_each_empty_profile_column_is_one_finding():
    export = (tulungagung().inovasi(judul="Klinik Lansia", admin_opd=None, koordinat=None)
              .inovasi(judul="Bank Sampah", asta_cipta=None).build())
    assert_findings(export, [
        ("LKP-05", {"id_inovasi": "35.04-0001", "kolom": "Admin OPD"}),
        ("LKP-05", {"id_inovasi": "35.04-0001", "kolom": "Koordinat"}),
        ("LKP-05", {"id_inovasi": "35.04-0002", "kolom": "Asta Cipta"}),
    ])


def test_lkp05_tanggal_penerapan_only_required_at_stage_penerapan():
    export = (tulungagung().inovasi(judul="Klinik Lansia", tahapan_inovasi="Penerapan", tanggal_penerapan=None,
                                    tanggal_pengembangan=pd.Timestamp("2025-01-01"))
              .inovasi(judul="Bank Sampah", tahapan_inovasi="Uji Coba", tanggal_penerapan=None,
                       tanggal_pengembangan=None).build())
    assert_findings(export, [("LKP-05", {"id_inovasi": "35.04-0001", "kolom": "Tanggal Penerapan"})])


# LKP-06: Rancang Bangun length --------------------------------------------------------------

def test_lkp06_299_words_fires_300_does_not():
    export = (tulungagung().inovasi(judul="Klinik Lansia", rancang_bangun=rancang_bangun("Klinik", 299))
              .inovasi(judul="Bank Sampah", rancang_bangun=rancang_bangun("Bank", 300)).build())
    f = assert_findings(export, [("LKP-06", {"id_inovasi": "35.04-0001", "nilai": "299", "kolom": "Rancang Bangun"})])
    assert "299 kata" in f["pesan"].iloc[0] and "300" in f["pesan"].iloc[0]


def test_lkp06_not_checked_without_the_column():
    from tests.checks.helpers import audit

    run = audit(tulungagung().inovasi().tanpa_kolom("daftar_inovasi", "rancang_bangun").build())
    assert "LKP-06" in set(run.not_checked["rule_id"]) and "KNS-06" in set(run.not_checked["rule_id"])
    assert not run.findings["rule_id"].isin(["LKP-06", "KNS-06"]).any()


# LKP-07: no video ----------------------------------------------------------------------------

def test_lkp07_video_tidak_ada_or_empty_link_counts_as_slot_35():
    export = (tulungagung().inovasi(judul="Klinik Lansia", video="Tidak Ada", link_video=None)
              .inovasi(judul="Bank Sampah", video="Ada", link_video=None)
              .inovasi(judul="Pasar Tani", video="Tidak Ada").build())
    assert_findings(export, [
        ("LKP-07", {"id_inovasi": "35.04-0001", "no_indikator": "35"}),
        ("LKP-07", {"id_inovasi": "35.04-0002", "no_indikator": "35"}),
        ("LKP-07", {"id_inovasi": "35.04-0003", "no_indikator": "35"}),
    ])


def test_lkp07_video_with_link_is_fine():
    assert_no_findings(tulungagung().inovasi(video="Ada", link_video="https://youtu.be/abc").build(), "LKP-07")


# LKP-08: fewer innovations than k --------------------------------------------------------------

def test_lkp08_eleven_innovations_fire_twelve_do_not():
    b = ExportBuilder(lengkapi=False).pemda("33", "Provinsi Jawa Tengah")
    for _ in range(11):
        b.inovasi()
    b.pemda("35.04", "Kab. Tulungagung")
    for _ in range(12):
        b.inovasi()
    assert_findings(b.build(), [("LKP-08", {"kode_pemda": "33", "id_inovasi": None, "nilai": "11"})])


# LKP-09: urusan wajib coverage ----------------------------------------------------------------

def _with_urusan(urusan: list[str]) -> ExportBuilder:
    b = ExportBuilder(lengkapi=False).pemda("35.78", "Kota Surabaya")
    for i in range(12):
        b.inovasi(urusan_utama=urusan[i % len(urusan)])
    return b


def test_lkp09_four_of_six_urusan_fires():
    export = _with_urusan(URUSAN_WAJIB[:4] + ["pariwisata"]).build()
    assert_findings(export, [("LKP-09", {"kode_pemda": "35.78", "nilai": "4", "kolom": "Urusan Utama"})])


def test_lkp09_five_of_six_in_any_case_and_spacing_is_enough():
    odd = [" ".join(u.upper().split()).replace(" ", "  ") for u in URUSAN_WAJIB[:5]]
    assert_no_findings(_with_urusan(odd).build(), "LKP-09")
