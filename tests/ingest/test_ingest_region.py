"""select_region and the Pemda name ↔ Kemendagri code resolver."""

from __future__ import annotations

import pandas as pd
import pytest
from ingest_builders import daftar, indikator, innovation, write_csv

from core.outcomes import UsageError
from ingest import read_export, select_region
from ingest.pemda import official_name, province_of, resolve


@pytest.fixture
def nation(tmp_path):
    folder = tmp_path / "ekspor"
    write_csv(folder / "daftar_inovasi.csv", daftar(
        innovation(no="1", id_inovasi="35.04-0001", jenis="Teknologi"),
        innovation(no="2", id_inovasi="35.79-0001", pemda="Kota Batu", jenis="Teknologi"),
        innovation(no="3", id_inovasi="35-0001", pemda="Provinsi Jawa Timur"),
        innovation(no="4", id_inovasi="??-1", pemda="Kota Atlantis"),
    ).drop(columns=["Tahapan Inovasi"]))
    write_csv(folder / "indikator_inovasi.csv", pd.concat([indikator("35.04-0001"), indikator("35.79-0001")], ignore_index=True))
    return read_export(folder)


def test_select_region_keeps_only_that_pemda(nation):
    r = select_region(nation, "35.79")
    assert r.tables["daftar_inovasi"]["id_inovasi"].tolist() == ["35.79-0001"]
    assert len(r.tables["indikator_inovasi"]) == 20 and (r.tables["indikator_inovasi"]["kode_pemda"] == "35.79").all()
    kept = r.findings
    assert set(kept["kode_pemda"].dropna()) == {"35.79"}
    assert "SKM-01" in set(kept["rule_id"])  # a missing column concerns every Pemda of the export
    assert "SKM-04" not in set(kept["rule_id"])  # the unknown Pemda's row is not 35.79's
    assert len(nation.tables["daftar_inovasi"]) == 4  # the original export is untouched


def test_select_region_province_is_not_its_kabupaten(nation):
    r = select_region(nation, "35")
    assert r.tables["daftar_inovasi"]["id_inovasi"].tolist() == ["35-0001"]


@pytest.mark.parametrize("bad", ["3504", "35.4", "Tulungagung", "", "35.04.01"])
def test_select_region_rejects_non_kemendagri_codes(nation, bad):
    with pytest.raises(UsageError) as exc:
        select_region(nation, bad)
    assert "PP.KK" in exc.value.pesan and "PP.KK" in exc.value.message


@pytest.mark.parametrize("bad", [35.04, 35, None, ["35.04"]])
def test_select_region_rejects_non_text(nation, bad):
    with pytest.raises(UsageError) as exc:
        select_region(nation, bad)
    assert "teks" in exc.value.pesan and "text" in exc.value.message


def test_select_region_pemda_not_in_export(nation):
    with pytest.raises(UsageError) as exc:
        select_region(nation, "33.74")
    assert "33.74" in exc.value.pesan and "Kota Semarang" in exc.value.message


@pytest.mark.parametrize(
    "name, kode",
    [
        ("Provinsi Jawa Timur", "35"), ("Prov. Jawa Timur", "35"), ("PROVINSI  JAWA TIMUR", "35"), ("Jawa Timur", "35"),
        ("Kab. Tulungagung", "35.04"), ("Kabupaten Tulungagung", "35.04"), ("KABUPATEN TULUNGAGUNG", "35.04"),
        ("  kab.   tulungagung ", "35.04"), ("Tulungagung", "35.04"),
        ("Kota Batu", "35.79"), ("Kab. Blitar", "35.05"), ("Kota Blitar", "35.72"),
        ("DKI Jakarta", "31"), ("Daerah Istimewa Yogyakarta", "34"), ("Provinsi Papua Barat Daya", "96"),
        ("Kota Administrasi Jakarta Barat", "31.73"),
    ],
)
def test_resolve_names(name, kode):
    out = resolve(pd.Series([name]))
    assert out.loc[0, "kode_pemda"] == kode


def test_resolve_unknown_and_ambiguous_are_missing():
    out = resolve(pd.Series(["Blitar", "Kota Atlantis", None, ""], index=[10, 11, 12, 13]))
    assert list(out.columns) == ["kode_pemda", "nama_resmi", "provinsi"]
    assert list(out.index) == [10, 11, 12, 13]
    assert out.isna().all(axis=None)


def test_resolve_gives_official_name_and_province():
    out = resolve(pd.Series(["KABUPATEN TULUNGAGUNG", "Kota Batu"]))
    assert out["nama_resmi"].tolist() == ["Kab. Tulungagung", "Kota Batu"]
    assert out["provinsi"].tolist() == ["Jawa Timur", "Jawa Timur"]


def test_official_name_and_province_of():
    assert official_name("35") == "Provinsi Jawa Timur"
    assert official_name("35.04") == "Kab. Tulungagung"
    assert province_of("35.79") == "Jawa Timur"
    with pytest.raises(UsageError):
        official_name("3504")


@pytest.mark.parametrize("source", ["sample_data/ekspor-2026", "sample_data/daftar-inovasi-jatim-2025.xlsx"])
def test_reading_one_region_gives_the_same_rows_and_findings_as_the_whole_export(source):
    """The region path sets other Pemda aside right after the raw read (speed); what it gives
    for that Pemda is exactly what the whole export gives, findings and row numbers included."""
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / source
    full = read_export(path)
    codes = sorted(set(full.tables["daftar_inovasi"]["kode_pemda"].dropna()))
    assert len(codes) >= 5
    for kode in codes:
        whole, narrow = select_region(full, kode), select_region(read_export(path, region=kode), kode)
        pd.testing.assert_frame_equal(narrow.findings.reset_index(drop=True), whole.findings.reset_index(drop=True))
        for t in whole.tables:
            pd.testing.assert_frame_equal(narrow.tables[t].reset_index(drop=True), whole.tables[t].reset_index(drop=True))


def test_a_row_filed_under_an_unknown_code_but_a_known_name_stays_with_its_region(tmp_path):
    rows = daftar(innovation(judul_inovasi="Satu"), innovation(judul_inovasi="Dua", pemda="Kab. Tulungagung",
                                                                 kode_pemda="99.99"))
    path = write_csv(tmp_path / "daftar.csv", rows)
    narrow = select_region(read_export(path, region="35.04"), "35.04")
    whole = select_region(read_export(path), "35.04")
    assert len(narrow.tables["daftar_inovasi"]) == len(whole.tables["daftar_inovasi"]) == 2
    pd.testing.assert_frame_equal(narrow.findings.reset_index(drop=True), whole.findings.reset_index(drop=True))
