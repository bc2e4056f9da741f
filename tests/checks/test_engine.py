"""The rules engine as a whole: clean export, not-checked rules, failures, registry, messages."""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd
import pytest

from checks import engine
from core.findings import ALL_COLUMNS
from checks.messages import placeholders, render
from checks.registry import all_rules
from tests.checks.builders import ExportBuilder, daftar_only
from tests.checks.helpers import CATALOG, audit

#: Every rule id of ../shared/spec/rules.md (hard-coded from the spec text).
SPEC_IDS = (
    [f"SKM-0{i}" for i in range(1, 7)]
    + [f"LKP-0{i}" for i in range(1, 10)]
    + [f"BKT-{i:02d}" for i in range(1, 12)]
    + [f"KNS-0{i}" for i in range(1, 8)]
)
SEVERITY = {
    "SKM-01": "error", "SKM-02": "error", "SKM-03": "warning", "SKM-04": "error", "SKM-05": "warning",
    "SKM-06": "error", "LKP-01": "error", "LKP-02": "warning", "LKP-03": "error", "LKP-04": "warning",
    "LKP-05": "warning", "LKP-06": "warning", "LKP-07": "error", "LKP-08": "warning", "LKP-09": "warning",
    "BKT-01": "error", "BKT-02": "error", "BKT-03": "error", "BKT-04": "warning", "BKT-05": "warning",
    "BKT-06": "warning", "BKT-07": "error", "BKT-08": "warning", "BKT-09": "error", "BKT-10": "warning",
    "BKT-11": "error", "KNS-01": "error", "KNS-02": "error", "KNS-03": "warning", "KNS-04": "error",
    "KNS-05": "warning", "KNS-06": "warning", "KNS-07": "warning",
}


def two_pemda() -> ExportBuilder:
    return ExportBuilder().pemda("35.04", "Kab. Tulungagung").inovasi().pemda("35.79", "Kota Batu").inovasi()


def test_every_spec_rule_is_registered_with_its_severity():
    rules = all_rules()
    assert sorted(rules) == sorted(SPEC_IDS)
    assert {rid: r.severity.value for rid, r in rules.items()} == SEVERITY


def test_each_rule_lives_in_exactly_one_engine_chosen_by_its_class():
    from checks.registry import ContractRule, GxRule, PandasRule

    for rule in all_rules().values():
        kinds = [k for k in (ContractRule, GxRule, PandasRule) if isinstance(rule, k)]
        assert len(kinds) == 1, rule.id
        assert rule.engine == kinds[0].engine
        if isinstance(rule, ContractRule):  # its logic runs in ingest: per-cell, built-in or cross-row
            assert rule.cells or rule.pandera_checks or rule.check, rule.id
        else:
            assert rule.check is not None, rule.id
    with pytest.raises(TypeError):
        PandasRule(**{f: getattr(all_rules()["KNS-05"], f) for f in ("id", "severity", "key", "judul_id", "judul_en",
                                                                     "pesan_id", "pesan_en", "perbaikan_id",
                                                                     "perbaikan_en")})


def test_clean_builder_export_has_no_findings_and_every_rule_ran(tmp_path):
    run = audit(two_pemda().build(bukti_dir=tmp_path / "bukti"))
    assert run.findings.empty, run.findings.drop(columns="pesan").to_string()
    assert list(run.findings.columns) == ALL_COLUMNS
    assert run.not_checked.empty, run.not_checked.to_string()


def test_innovation_list_only_export_lists_rules_not_checked_and_fires_none_of_them():
    export = daftar_only(two_pemda().inovasi(judul="Inovasi Tanpa Video", link_video=None, video="Tidak Ada"))
    run = audit(export)
    nc = run.not_checked
    not_run = set(nc["rule_id"])
    for rid in ["LKP-01", "LKP-02", "LKP-03", "LKP-04", *[f"BKT-{i:02d}" for i in range(1, 12)]]:
        assert rid in not_run
    assert nc["kode_pemda"].isna().all()
    lkp01 = nc.loc[nc["rule_id"] == "LKP-01", "alasan"].iloc[0]
    assert "Tidak diperiksa" in lkp01 and "Indikator Inovasi" in lkp01
    assert not set(run.findings["rule_id"]) & not_run
    # rules that need only the list still run: the missing video is found
    assert (run.findings["rule_id"] == "LKP-07").sum() == 1


def test_not_checked_reason_in_english():
    run = audit(daftar_only(two_pemda()), lang="en")
    alasan = run.not_checked.loc[run.not_checked["rule_id"] == "BKT-09", "alasan"].iloc[0]
    assert alasan.startswith("Not checked") and "bukti/" in alasan


def test_a_rule_that_raises_is_not_checked_and_the_others_still_run(monkeypatch, caplog):
    rules = dict(all_rules())

    def boom(ctx):
        raise ZeroDivisionError("secret value 0812-3456-7890")

    rules["KNS-05"] = replace(rules["KNS-05"], check=boom)
    gx_broken = replace(rules["KNS-04"], check=boom)
    rules["KNS-04"] = gx_broken
    monkeypatch.setattr(engine, "all_rules", lambda: rules)
    export = two_pemda().inovasi(judul="Tanggal Salah", tanggal_input=pd.Timestamp("2062-01-20")).build()
    run = audit(export)
    nc = run.not_checked.set_index("rule_id")
    assert "ZeroDivisionError" in nc.at["KNS-05", "alasan"]
    assert "ZeroDivisionError" in nc.at["KNS-04", "alasan"]
    assert set(run.findings["rule_id"]) == {"KNS-02"}
    assert "0812" not in caplog.text


def test_findings_carry_official_pemda_name_and_title_from_daftar():
    export = (ExportBuilder().pemda("35.04", "KABUPATEN TULUNGAGUNG")
              .inovasi(judul="Klinik Lansia", kematangan=140.0).build())
    f = audit(export).findings
    row = f[f["rule_id"] == "KNS-04"].iloc[0]
    assert row["pemda"] == "Kab. Tulungagung"
    assert row["judul_inovasi"] == "Klinik Lansia"
    assert row["id_inovasi"] == "35.04-0001"


def test_export_skm_findings_are_included_and_rendered():
    from core.findings import Finding, findings as make_findings

    export = two_pemda().build()
    export.findings = make_findings([Finding("SKM-03", kode_pemda="35.04", kolom="Jenis", nilai="Teknologi",
                                              tabel="Daftar Inovasi", baris=3)])
    f = audit(export).findings
    skm = f[f["rule_id"] == "SKM-03"].iloc[0]
    assert skm["severity"] == "warning" and "Teknologi" in skm["pesan"]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_template_renders_without_leftover_placeholders(lang):
    rows = []
    for rid in all_rules():
        rows.append({"rule_id": rid, "kode_pemda": "35.04", "pemda": "Kab. Tulungagung", "id_inovasi": "35.04-0001",
                     "judul_inovasi": "Klinik Lansia", "no_indikator": "16", "kolom": "Jenis File", "nilai": "jpg",
                     "tabel": "Indikator Inovasi", "baris": 4})
    out = render(pd.DataFrame(rows), CATALOG, lang)
    for _, r in out.iterrows():
        assert not re.search(r"\{[^}]*\}", r["pesan"]), r["pesan"]
        assert r["severity"] == SEVERITY[r["rule_id"]]
    assert out["pesan"].str.contains("Regulasi Inovasi Daerah").sum() >= 5  # indikator name from catalog


def test_templates_use_only_known_fields():
    from checks.messages import COMPUTED_FIELDS, FIELDS_FROM_ROW

    known = set(FIELDS_FROM_ROW) | set(COMPUTED_FIELDS)
    per_row = {"BKT-02": {"jenis_diterima"}, "BKT-05": {"jenis", "min_kb"}, "BKT-06": {"jumlah"}, "BKT-07": {"klaim", "terbukti"},
               "BKT-09": {"masalah_id", "masalah_en"}, "KNS-01": {"pembanding", "kolom_pembanding"},
               "KNS-05": {"id_mirip"}, "KNS-06": {"jumlah"}, "BKT-03": {"tanggal_audit"}, "KNS-02": {"tanggal_audit"}}
    per_row["KNS-07"] = {"nilai_standar", "saran", "alternatif"}
    per_row["SKM-03"] = {"jumlah", "daftar_baris"}
    per_row["BKT-10"] = {"berkas", "nomor_teks", "tanggal_audit"}
    for rid, rule in all_rules().items():
        extra = set(rule.extra(CATALOG)) if rule.extra else set()
        templates = [rule.pesan_id, rule.pesan_en] + [t for v in rule.variants.values() for t in (v.pesan_id, v.pesan_en)]
        for tpl in templates:
            assert placeholders(tpl) <= known | extra | per_row.get(rid, set()), rid


def test_a_region_level_finding_reads_as_the_pemdas_never_inovasi_dash():
    row = {"rule_id": "BKT-01", "kode_pemda": "35.04", "pemda": "Kab. Tulungagung", "id_inovasi": None,
           "judul_inovasi": None, "no_indikator": "8", "kolom": "Data Pendukung", "nilai": None,
           "tabel": "Indikator Pemda", "baris": 3}
    id_, en = render(pd.DataFrame([row]), CATALOG, "id").iloc[0]["pesan"], render(pd.DataFrame([row]), CATALOG, "en").iloc[0]["pesan"]
    assert "Pemda Kab. Tulungagung" in id_ and "inovasi '-'" not in id_ and "inovasi" not in id_.split(":")[0]
    assert "of Kab. Tulungagung" in en and "innovation '-'" not in en
    inov = render(pd.DataFrame([{**row, "id_inovasi": "35.04-0001", "judul_inovasi": "Klinik Lansia"}]), CATALOG, "id")
    assert "inovasi 'Klinik Lansia'" in inov.iloc[0]["pesan"]


def test_messages_in_indonesian_say_how_to_fix():
    export = two_pemda().inovasi(judul="Klinik Lansia").indikator("18", ukuran_file_kb=12.0).build()
    f = audit(export).findings
    msg = f.loc[f["rule_id"] == "BKT-05", "pesan"].iloc[0]
    assert "Klinik Lansia" in msg and "18" in msg and "Dukungan anggaran" in msg and "12 KB" in msg
    assert "Unggah ulang" in msg


def test_render_is_vectorized_enough_for_200k_findings():
    import time

    n = 200_000
    df = pd.DataFrame({"rule_id": ["BKT-05", "LKP-02"] * (n // 2), "kode_pemda": "35.04", "pemda": "Kab. Tulungagung",
                       "id_inovasi": "35.04-0001", "judul_inovasi": "Klinik Lansia", "no_indikator": "18",
                       "nilai": "12"})
    t = time.perf_counter()
    out = render(df, CATALOG, "id")
    assert time.perf_counter() - t < 10
    assert out["pesan"].notna().all() and len(out) == n


def test_gx_validates_each_expectation_once_for_the_whole_nation_on_the_columns_it_reads(monkeypatch):
    """Not once per Pemda, and not on the table's every derived column: GX filters the whole
    batch for each conditional metric, so each group of expectations gets only `_row`, its
    columns and its row condition's."""
    from great_expectations.datasource.fluent.interfaces import Batch

    from checks.gx_engine import _condition_columns, _expectation_columns

    calls = []
    original = Batch.validate

    def counting(self, expect, *a, **kw):
        columns = set(self.data.dataframe.columns)
        for e in expect.expectations:
            wanted = {"_row", *_expectation_columns(e), *_condition_columns(getattr(e, "row_condition", None))}
            calls.append((expect.name.rsplit("-", 1)[0], e.meta["rule_id"], columns == wanted))
        return original(self, expect, *a, **kw)

    monkeypatch.setattr(Batch, "validate", counting)
    audit(two_pemda().pemda("33", "Provinsi Jawa Tengah").inovasi().build())
    tables = {t for t, _, _ in calls}
    assert tables == {"iid-daftar_inovasi", "iid-indikator_inovasi", "iid-indikator_pemda"}
    assert all(narrow for _, _, narrow in calls)
    from checks.gx_suites import load_suite

    declared = sum(len(load_suite(2026, t.removeprefix("iid-"))) for t in tables)
    assert len(calls) == declared  # each expectation of the suite files, validated once


def test_gx_validates_without_fingerprinting_the_nation(monkeypatch):
    """GX would hash every row of each batch into a marker nobody reads (1 s nationally);
    the in-memory validation must not, and must still find what it finds."""
    from great_expectations.execution_engine import pandas_execution_engine

    def refuse(df):
        raise AssertionError("batch hashed")

    monkeypatch.setattr(pandas_execution_engine, "hash_pandas_dataframe", refuse)
    export = ExportBuilder().pemda("35.04", "Kab. Tulungagung").inovasi(kematangan="250").build()
    run = engine.run_rules(export, CATALOG, as_of=pd.Timestamp("2026-07-01").date())
    assert set(run.not_checked["rule_id"]) == {"BKT-09", "BKT-10"}  # no bukti/ folder; every GX rule ran
    assert "KNS-04" in set(run.findings["rule_id"])  # a GX rule (Kematangan outside 0..111)


def test_conditional_expectations_find_the_same_rows_filtered_once_as_gx_filters_them(tmp_path):
    """In memory, the rows a row condition keeps are filtered once and the expectation runs on
    them without its condition (`gx_engine._filtered_once`); GX's own conditional validation
    (the Data Docs path keeps the conditions) finds the same rows."""
    from datetime import date

    from checks.context import RuleContext
    from checks.gx_engine import run_gx
    from checks.registry import GxRule

    ts = pd.Timestamp
    export = (ExportBuilder().pemda("35.04", "Kab. Tulungagung")
              .spd("14", data_pendukung=None, jenis_file=None)                                     # BKT-01
              .inovasi(tahapan_inovasi="Penerapan", tanggal_penerapan=None)                        # LKP-05
              .indikator("17", data_pendukung=None, jenis_file=None)                               # BKT-01
              .indikator("18", ukuran_file_kb=19.9).indikator("25", ukuran_file_kb=9.99)          # BKT-05
              .indikator("33", basis="g")                                                          # BKT-11
              .inovasi().indikator("33", basis=None).indikator("18", tanggal_dokumen=ts("2015-01-01"))
              .build())
    ctx = RuleContext(export, CATALOG, date(2026, 7, 1))
    rules = [r for r in all_rules().values() if isinstance(r, GxRule)]
    in_memory, errors = run_gx(ctx, rules)
    with_conditions, errors_gx = run_gx(ctx, rules, data_docs=tmp_path)
    assert errors == errors_gx == {}

    def rows(found):
        return {rid: sorted(map(tuple, pd.concat(parts)[["tabel", "baris", "kolom"]].astype(str).to_numpy()))
                for rid, parts in found.items() if parts}

    assert rows(in_memory) == rows(with_conditions)
    assert {"BKT-01", "BKT-05", "BKT-11", "LKP-05"} <= set(rows(in_memory))  # conditional ones, each fired
