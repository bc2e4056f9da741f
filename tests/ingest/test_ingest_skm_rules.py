"""Every SKM rule (rules.md, "Structure"): fires with its exact key and severity, and a near
miss where it must not."""

from __future__ import annotations

import sys

import pandas as pd
import pytest
from ingest_builders import assert_findings, assert_no_finding, daftar, indikator, innovation, write_csv

from core.findings import Severity
from checks.registry import all_rules, get_rule
from ingest import read_export


def export_of(tmp_path, daftar_df=None, **tables):
    folder = tmp_path / "ekspor"
    if daftar_df is not None:
        write_csv(folder / "daftar_inovasi.csv", daftar_df)
    for key, df in tables.items():
        write_csv(folder / f"{key}.csv", df)
    return read_export(folder)


def test_rule_declarations():
    expected = {
        "SKM-01": (Severity.ERROR, ("tabel", "kolom")),
        "SKM-02": (Severity.ERROR, ("tabel", "baris", "kolom")),
        "SKM-03": (Severity.WARNING, ("tabel", "baris", "kolom")),
        "SKM-04": (Severity.ERROR, ("tabel", "baris")),
        "SKM-05": (Severity.WARNING, ("tabel", "baris")),
        "SKM-06": (Severity.ERROR, ("tabel", "baris")),
    }
    rules = all_rules()
    for rid, (sev, key) in expected.items():
        r = rules[rid]
        assert (r.severity, r.key, r.engine) == (sev, key, "contract")
        assert r.judul_id and r.judul_en and r.pesan_id != r.pesan_en


def test_message_templates_render_with_registry_fields():
    from core.catalog import load_catalog

    fields = dict(pemda="Kota Batu", kode_pemda="35.79", id_inovasi="35.79-1", judul_inovasi="Bank Sampah",
                  no_indikator="16", indikator="Regulasi", kolom="Jenis", nilai="Teknologi", tabel="Daftar Inovasi", baris=3)
    for rid in ["SKM-01", "SKM-02", "SKM-03", "SKM-04", "SKM-05", "SKM-06"]:
        r = get_rule(rid)
        extra = r.extra(load_catalog(2026)) if r.extra else {}
        for tpl in (r.pesan_id, r.pesan_en):
            text = tpl.format(**fields, **extra)
            assert "Jenis" in text or "Daftar Inovasi" in text
    skm03 = get_rule("SKM-03").pesan_id.format(**fields, **get_rule("SKM-03").extra(load_catalog(2026)))
    assert "Teknologi" in skm03 and "Non Digital" in skm03 and "baris 3" in skm03


# ---------------------------------------------------------------- SKM-01


def test_skm01_daftar_without_tahapan(tmp_path):
    df = daftar(innovation()).drop(columns=["Tahapan Inovasi"])
    e = export_of(tmp_path, df)
    assert_findings(e, [("SKM-01", {"tabel": "Daftar Inovasi", "kolom": "Tahapan Inovasi", "baris": None, "nilai": None})], exact=True)


def test_skm01_indikator_without_reference_and_data_pendukung(tmp_path):
    ind = indikator("35.04-0001").drop(columns=["ID Inovasi", "Data Pendukung"])
    e = export_of(tmp_path, daftar(innovation(id_inovasi="35.04-0001")), indikator_inovasi=ind)
    assert_findings(e, [
        ("SKM-01", {"tabel": "Indikator Inovasi", "kolom": "Data Pendukung"}),
        ("SKM-01", {"tabel": "Indikator Inovasi", "kolom": "ID Inovasi"}),
    ], exact=True)


def test_skm01_near_miss_reference_by_pemda_and_title(tmp_path):
    ind = indikator(None, pemda="Kab. Tulungagung", **{"Judul Inovasi": "sistem  ANTREAN puskesmas"})
    e = export_of(tmp_path, daftar(innovation(id_inovasi="35.04-0001", judul_inovasi="Sistem Antrean Puskesmas")), indikator_inovasi=ind)
    assert e.findings.empty
    assert (e.tables["indikator_inovasi"]["id_inovasi"] == "35.04-0001").all()


def test_skm01_not_raised_for_absent_optional_columns(tmp_path):
    df = daftar(innovation()).drop(columns=["Koordinat", "Video", "Link Video", "Asta Cipta"])
    assert_no_finding(export_of(tmp_path, df), "SKM-01")


# ---------------------------------------------------------------- SKM-02


def test_skm02_unparseable_date_number_code(tmp_path):
    df = daftar(
        innovation(no="1", tanggal_penerapan="31-02-2024", kematangan="tinggi", id_inovasi="A"),
        innovation(no="2", judul_inovasi="Lain", tanggal_penerapan="1 Maret 2024", kematangan="12,5", id_inovasi="B",
                   kode_pemda="3504", pemda="Kab. Tulungagung"),
    )
    e = export_of(tmp_path, df)
    assert_findings(e, [
        ("SKM-02", {"baris": 1, "kolom": "Tanggal Penerapan", "nilai": "31-02-2024", "tabel": "Daftar Inovasi"}),
        ("SKM-02", {"baris": 1, "kolom": "Kematangan", "nilai": "tinggi"}),
        ("SKM-02", {"baris": 2, "kolom": "Kode Pemda", "nilai": "3504"}),  # BPS form, not Kemendagri
    ], exact=True)
    d = e.tables["daftar_inovasi"]
    assert pd.isna(d.loc[0, "tanggal_penerapan"]) and pd.isna(d.loc[0, "kematangan"])  # kept as NA, row kept
    assert d.loc[1, "kode_pemda"] == "35.04"  # the name still places the row


def test_skm02_near_miss_missing_values_are_not_unparseable(tmp_path):
    e = export_of(tmp_path, daftar(innovation(tanggal_penerapan="-", kematangan="", tanggal_input="Tidak Diisi")))
    assert_no_finding(e, "SKM-02")


# ---------------------------------------------------------------- SKM-03


def test_skm03_values_outside_allowed_set(tmp_path):
    e = export_of(
        tmp_path,
        daftar(innovation(id_inovasi="35.04-0001", jenis="Digitalisasi", inisiator="Bupati")),
        indikator_inovasi=indikator("35.04-0001", numbers=["16", "17"], Parameter="4"),
    )
    assert_findings(e, [
        ("SKM-03", {"kolom": "Jenis", "nilai": "Digitalisasi", "baris": 1, "tabel": "Daftar Inovasi", "kode_pemda": "35.04"}),
        ("SKM-03", {"kolom": "Inisiator", "nilai": "Bupati", "baris": 1}),
        ("SKM-03", {"kolom": "Parameter", "nilai": "4", "baris": 1, "tabel": "Indikator Inovasi", "no_indikator": "16",
                    "id_inovasi": "35.04-0001", "judul_inovasi": "Sistem Antrean Puskesmas"}),
        ("SKM-03", {"kolom": "Parameter", "nilai": "4", "baris": 2, "no_indikator": "17"}),
    ], exact=True)
    assert e.tables["daftar_inovasi"].loc[0, "jenis"] == "Digitalisasi"  # stays as written


def rendered(e, lang="id"):
    from checks.messages import render
    from core.catalog import load_catalog

    return render(e.findings, load_catalog(2026), lang)


def test_skm03_a_value_the_app_offers_is_one_info_per_pemda_with_count_and_rows(tmp_path):
    rows = [
        innovation(no="1", judul_inovasi="A", jenis="Teknologi"),
        innovation(no="2", judul_inovasi="B", jenis="Digital"),
        innovation(no="3", judul_inovasi="C", jenis="teknologi "),
        innovation(no="4", judul_inovasi="D", jenis="Teknologi"),
        innovation(no="5", judul_inovasi="E", jenis="Teknologi"),
        innovation(no="1", judul_inovasi="F", jenis="Teknologi", pemda="Kota Batu"),
    ]
    e = export_of(tmp_path, daftar(*rows))
    assert_findings(e, [
        ("SKM-03", {"kode_pemda": "35.04", "pemda": "Kab. Tulungagung", "kolom": "Jenis", "nilai": "Teknologi",
                    "baris": None, "id_inovasi": None, "judul_inovasi": None}),
        ("SKM-03", {"kode_pemda": "35.79", "kolom": "Jenis", "nilai": "Teknologi", "baris": None}),
    ], exact=True)
    f = rendered(e).set_index("kode_pemda")
    assert set(f["severity"]) == {"info"}
    assert f.loc["35.04", "pesan"].startswith("4 baris di tabel Daftar Inovasi memakai Jenis 'Teknologi' (baris 1, 3–5)")
    assert "Digital / Non Digital" in f.loc["35.04", "pesan"]
    assert f.loc["35.79", "pesan"].startswith("1 baris") and "(baris 6)" in f.loc["35.79", "pesan"]
    assert "rows 1, 3–5" in rendered(e, "en").set_index("kode_pemda").loc["35.04", "pesan"]
    assert list(e.tables["daftar_inovasi"]["jenis"]) == ["Teknologi", "Digital", "Teknologi", "Teknologi", "Teknologi", "Teknologi"]


def test_skm03_near_miss_an_invalid_value_beside_the_app_value_is_still_a_warning_per_row(tmp_path):
    e = export_of(tmp_path, daftar(innovation(no="1", judul_inovasi="A", jenis="Teknologi"),
                                   innovation(no="2", judul_inovasi="B", jenis="Teknologi Tepat Guna")))
    f = rendered(e)
    assert sorted(zip(f["severity"], f["nilai"], f["baris"].astype(str))) == [
        ("info", "Teknologi", "None"), ("warning", "Teknologi Tepat Guna", "2")]


def test_skm03_the_app_value_of_one_pemda_stays_with_it_when_one_region_is_selected(tmp_path):
    from ingest import select_region

    e = export_of(tmp_path, daftar(innovation(no="1", jenis="Teknologi"),
                                   innovation(no="1", judul_inovasi="F", jenis="Teknologi", pemda="Kota Batu")))
    batu = select_region(e, "35.79")
    assert list(batu.findings["kode_pemda"]) == ["35.79"]


def test_skm03_near_miss_case_and_spacing(tmp_path):
    e = export_of(tmp_path, daftar(innovation(jenis="  DIGITAL ", tahapan_inovasi="uji   coba")))
    assert_no_finding(e, "SKM-03")


# ---------------------------------------------------------------- SKM-04


def test_skm04_unknown_pemda_and_dki_unit(tmp_path):
    df = daftar(
        innovation(no="1", pemda="Kabupaten Antah Berantah"),
        innovation(no="2", pemda="Kota Administrasi Jakarta Barat"),
        innovation(no="3", pemda="Blitar"),  # bare and ambiguous: Kab. (35.05) or Kota (35.72)
    )
    e = export_of(tmp_path, df)
    assert_findings(e, [
        ("SKM-04", {"baris": 1, "kolom": "Pemda", "nilai": "Kabupaten Antah Berantah", "kode_pemda": None}),
        ("SKM-04", {"baris": 2, "kolom": "Pemda", "nilai": "Kota Administrasi Jakarta Barat", "kode_pemda": "31.73"}),
        ("SKM-04", {"baris": 3, "kolom": "Pemda", "nilai": "Blitar"}),
    ], exact=True)
    d = e.tables["daftar_inovasi"]
    assert len(d) == 3 and d["kode_pemda"].isna().all()  # rows kept, not assigned to anyone


def test_skm04_near_miss_kab_and_kota_blitar_are_both_fine(tmp_path):
    e = export_of(tmp_path, daftar(innovation(no="1", pemda="Kab. Blitar"), innovation(no="2", pemda="KOTA  blitar", judul_inovasi="B"),
                                   innovation(no="3", pemda="Provinsi DKI Jakarta", judul_inovasi="C")))
    assert_no_finding(e, "SKM-04")
    assert e.tables["daftar_inovasi"]["kode_pemda"].tolist() == ["35.05", "35.72", "31"]


def test_skm04_code_and_name_disagree_code_wins(tmp_path):
    e = export_of(tmp_path, daftar(innovation(kode_pemda="35.05", pemda="Kota Blitar")))
    assert_findings(e, [("SKM-04", {"baris": 1, "kolom": "Pemda", "nilai": "Kota Blitar", "kode_pemda": "35.05"})], exact=True)
    assert e.tables["daftar_inovasi"].loc[0, "kode_pemda"] == "35.05"


def test_skm04_unknown_code(tmp_path):
    e = export_of(tmp_path, daftar(innovation(kode_pemda="35.99", pemda="Kab. Tulungagung")))
    assert_findings(e, [("SKM-04", {"baris": 1, "kolom": "Kode Pemda", "nilai": "35.99"})], exact=True)
    assert e.tables["daftar_inovasi"].loc[0, "kode_pemda"] == "35.04"  # the name still places it


def test_skm04_in_indikator_pemda(tmp_path):
    ip = pd.DataFrame({"Pemda": ["Kota Batu", "Kota Atlantis"], "No Indikator": ["1", "1"], "Parameter": ["1", "1"], "Data Pendukung": ["a.pdf", "b.pdf"]})
    e = export_of(tmp_path, indikator_pemda=ip)
    assert_findings(e, [("SKM-04", {"tabel": "Indikator Pemda", "baris": 2, "nilai": "Kota Atlantis"})], exact=True)


# ---------------------------------------------------------------- SKM-05


def test_skm05_same_id_and_same_title(tmp_path):
    df = daftar(
        innovation(no="1", id_inovasi="35.04-0001", judul_inovasi="Posyandu Remaja"),
        innovation(no="2", id_inovasi="35.04-0001", judul_inovasi="Posyandu Remaja Plus"),
        innovation(no="3", id_inovasi="35.04-0003", judul_inovasi="Bank Sampah"),
        innovation(no="4", id_inovasi="35.04-0004", judul_inovasi="  BANK sampah. "),
    )
    e = export_of(tmp_path, df)
    assert_findings(e, [
        ("SKM-05", {"baris": 1, "kolom": "ID Inovasi", "nilai": "35.04-0001"}),
        ("SKM-05", {"baris": 2, "kolom": "ID Inovasi", "nilai": "35.04-0001"}),
        ("SKM-05", {"baris": 3, "kolom": "Judul Inovasi", "nilai": "Bank Sampah", "id_inovasi": "35.04-0003"}),
        ("SKM-05", {"baris": 4, "kolom": "Judul Inovasi", "id_inovasi": "35.04-0004"}),
    ], exact=True)


def test_skm05_near_miss_same_title_in_two_pemda(tmp_path):
    e = export_of(tmp_path, daftar(innovation(no="1", pemda="Kab. Blitar"), innovation(no="2", pemda="Kota Blitar")))
    assert_no_finding(e, "SKM-05")


# ---------------------------------------------------------------- SKM-06


def test_skm06_unknown_innovation_and_indicator_number(tmp_path):
    ind = pd.concat([
        indikator("35.04-0001", numbers=["16", "36"]),
        indikator("35.04-0999", numbers=["17"]),
    ], ignore_index=True)
    ip = pd.DataFrame({"Kode Pemda": ["35.04", "35.04"], "No Indikator": ["2a", "16"], "Parameter": ["1", "1"], "Data Pendukung": ["a.pdf", "b.pdf"]})
    e = export_of(tmp_path, daftar(innovation(id_inovasi="35.04-0001")), indikator_inovasi=ind, indikator_pemda=ip)
    assert_findings(e, [
        ("SKM-06", {"tabel": "Indikator Inovasi", "baris": 2, "kolom": "No Indikator", "nilai": "36", "kode_pemda": "35.04"}),
        ("SKM-06", {"tabel": "Indikator Inovasi", "baris": 3, "kolom": "ID Inovasi", "nilai": "35.04-0999"}),
        ("SKM-06", {"tabel": "Indikator Pemda", "baris": 2, "kolom": "No Indikator", "nilai": "16"}),  # SID number in SPD table
    ], exact=True)
    assert len(e.tables["indikator_inovasi"]) == 3  # flagged, not dropped


def test_skm06_unknown_title(tmp_path):
    ind = indikator(None, numbers=["16"], pemda="Kab. Tulungagung", **{"Judul Inovasi": "Inovasi Yang Tidak Ada"})
    e = export_of(tmp_path, daftar(innovation()), indikator_inovasi=ind)
    assert_findings(e, [("SKM-06", {"baris": 1, "kolom": "Judul Inovasi", "nilai": "Inovasi Yang Tidak Ada"})], exact=True)


def test_skm06_a_row_naming_no_innovation_says_so_not_an_empty_value(tmp_path):
    ind = indikator(None, numbers=["16"], pemda="Kab. Tulungagung", **{"Judul Inovasi": ""})
    e = export_of(tmp_path, daftar(innovation()), indikator_inovasi=ind)
    assert_findings(e, [("SKM-06", {"baris": 1, "nilai": None})], exact=True)
    f = rendered(e)
    assert f["severity"].tolist() == ["error"]
    assert "tidak menyebut inovasinya" in f["pesan"].iloc[0] and "''" not in f["pesan"].iloc[0]
    assert "names no innovation" in rendered(e, "en")["pesan"].iloc[0]


def test_skm06_near_miss_every_sid_number_is_known(tmp_path):
    e = export_of(tmp_path, daftar(innovation(id_inovasi="X-1")), indikator_inovasi=indikator("X-1"))
    assert e.findings.empty


def test_findings_frame_shape(tmp_path):
    from core.findings import ALL_COLUMNS

    e = export_of(tmp_path, daftar(innovation(jenis="Digitalisasi")))
    assert list(e.findings.columns) == ALL_COLUMNS
    assert e.findings["severity"].isna().all()  # rendered later by the rules engine


# ---------------------------------------------------------------- adding a contract rule


NEW_RULE = '''
from core.findings import Severity
from core.rules import ContractRule
from ingest import partial


def cells(table, col, catalog):
    return [lambda s: ~s.str.contains("lorem", case=False, na=False)] if col.name == "judul_inovasi" else []


def check(stage):
    if stage.table.key != "daftar_inovasi" or len(stage.text) < 3:
        return None
    return partial.table_level("SKM-99", stage.table, "No")


RULE = ContractRule(
    id="SKM-99", severity=Severity.INFO, key=("tabel", "baris", "kolom"),
    judul_id="Judul contoh", judul_en="Placeholder title",
    pesan_id="Judul '{nilai}' adalah teks contoh.", pesan_en="Title '{nilai}' is placeholder text.",
    perbaikan_id="Tulis judul sebenarnya.", perbaikan_en="Write the real title.",
    cells=cells, check=check,
)
'''


@pytest.fixture
def one_more_contract_rule(tmp_path, monkeypatch):
    """A contract rule added as one file (in a folder the rules package also reads)."""
    import ingest.rules
    from checks import registry
    from ingest import contracts

    folder = tmp_path / "more_rules"
    folder.mkdir()
    (folder / "skm_99.py").write_text(NEW_RULE, encoding="utf-8")
    monkeypatch.setattr(ingest.rules, "__path__", [*ingest.rules.__path__, str(folder)])
    caches = (ingest.rules.contract_rules, contracts._schema_cached, registry.all_rules)
    for cache in caches:
        cache.cache_clear()
    yield
    monkeypatch.undo()
    sys.modules.pop("ingest.rules.skm_99", None)
    for cache in caches:
        cache.cache_clear()


def test_a_contract_rule_is_one_file_its_cells_and_its_check_run_while_reading(tmp_path, one_more_contract_rule):
    rows = [innovation(no=str(i), judul_inovasi=t) for i, t in enumerate(["Lorem Ipsum", "Bank Sampah", "Kopi Darat"], 1)]
    e = export_of(tmp_path, daftar(*rows))
    assert_findings(e, [
        ("SKM-99", {"kolom": "Judul Inovasi", "nilai": "Lorem Ipsum", "baris": 1}),
        ("SKM-99", {"kolom": "No", "baris": None}),
    ], exact=True)
    assert "SKM-99" in all_rules() and all_rules()["SKM-99"].engine == "contract"


def test_the_added_rule_is_gone_with_its_file(tmp_path):
    e = export_of(tmp_path, daftar(innovation(judul_inovasi="Lorem Ipsum")))
    assert e.findings.empty and "SKM-99" not in all_rules()
