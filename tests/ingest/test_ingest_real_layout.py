"""The innovation list exactly as the IID app exports it today (export-format.md): 19 columns."""

from __future__ import annotations

import pandas as pd
import pytest
from ingest_builders import assert_findings, real_layout_rows, write_workbook

from ingest import read_export
from core.tables import REAL_EXPORT_COLUMNS


@pytest.fixture
def real(tmp_path):
    return read_export(write_workbook(tmp_path / "daftar-inovasi-jatim-2025.xlsx", {"Daftar Inovasi": real_layout_rows()}))


def test_real_layout_columns_are_canonical(real):
    d = real.tables["daftar_inovasi"]
    assert list(d.columns[:19]) == [
        "no", "judul_inovasi", "pemda", "admin_opd", "inisiator", "nama_inisiator", "bentuk_inovasi", "jenis",
        "asta_cipta", "urusan_utama", "urusan_lain_yang_beririsan", "kematangan", "tahapan_inovasi",
        "tanggal_input", "tanggal_penerapan", "tanggal_pengembangan", "koordinat", "video", "link_video",
    ]
    assert set(d.columns[19:]) == {"baris", "kode_pemda", "id_inovasi", "id_inovasi_diturunkan"}
    assert len(REAL_EXPORT_COLUMNS) == 19


def test_real_layout_codes_ids_and_types(real):
    d = real.tables["daftar_inovasi"]
    assert d["kode_pemda"].tolist() == ["35", "35.04", "35.79", "35.04"]
    assert d["id_inovasi"].tolist() == ["35-1", "35.04-2", "35.79-3", "35.04-4"]
    assert d["id_inovasi_diturunkan"].all()
    assert d["tanggal_input"].iloc[0] == pd.Timestamp(2025, 2, 27)  # "27-02-2025" text
    assert d["tanggal_input"].iloc[3] == pd.Timestamp(2025, 1, 15)  # native Excel date cell
    assert pd.isna(d["tanggal_pengembangan"]).all()  # "-" everywhere
    assert d["kematangan"].tolist() == [80.0, 80.0, 80.0, 33.5]
    assert d["nama_inisiator"].isna().all() and d["asta_cipta"].isna().all()
    assert d["video"].tolist() == ["Ada", "Ada", "Tidak Ada", "Ada"]
    assert pd.isna(d["link_video"].iloc[2])


def test_real_layout_findings(real):
    assert_findings(
        real,
        [("SKM-03", {"kolom": "Jenis", "nilai": "Teknologi", "kode_pemda": "35", "pemda": "Provinsi Jawa Timur",
                     "baris": None, "tabel": "Daftar Inovasi", "judul_inovasi": None, "id_inovasi": None,
                     "varian": "aplikasi", "jumlah": 1, "daftar_baris": "1"})],
        exact=True,
    )
    assert set(real.findings["rule_id"]) == {"SKM-03"}
