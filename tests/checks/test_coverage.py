"""Checks counted like a validation tool (`checks.coverage`): per rule and Pemda, items checked,
failed and passed, adding up to the rows of the tables the rules check."""

from __future__ import annotations

import pandas as pd
import pytest
from builders import ExportBuilder, daftar_only
from helpers import CATALOG, audit

from checks.coverage import national, rule_coverage, unit_of
from checks.metrics import region_metrics
from checks.registry import all_rules

N_SID = len(CATALOG.sid_numbers)  # 20 innovation indicators
N_SPD = len(CATALOG.spd_numbers)


def coverage(export):
    run = audit(export)
    m = region_metrics(export, run.findings, CATALOG)
    return rule_coverage(export.tables, m.inovasi, m.ringkasan["kode_pemda"], run.findings, run.not_checked, CATALOG)


def at(c: pd.DataFrame, rule_id: str, kode: str) -> dict:
    rows = c[(c["rule_id"] == rule_id) & (c["kode_pemda"] == kode)]
    assert len(rows) == 1, rows
    return rows.iloc[0].to_dict()


def rows_of(e, table: str, kode: str) -> int:
    return int((e.tables[table]["kode_pemda"] == kode).sum())


@pytest.fixture(scope="module")
def two_pemda_export():
    # 15 innovations in Tulungagung, one with a KNS-04 problem; Kota Batu padded to the minimum
    b = ExportBuilder().pemda("35.04", "Kab. Tulungagung")
    for _ in range(14):
        b.inovasi()
    b.inovasi(kematangan=140.0)
    b.pemda("35.79", "Kota Batu").inovasi()
    return b.build()


def test_checked_items_are_the_rows_of_the_table_each_rule_checks(two_pemda_export):
    e = two_pemda_export
    c = coverage(e)
    assert rows_of(e, "daftar_inovasi", "35.04") == 15
    for kode in ("35.04", "35.79"):
        daftar, sid_rows, spd_rows = (rows_of(e, t, kode) for t in ("daftar_inovasi", "indikator_inovasi", "indikator_pemda"))
        assert (sid_rows, spd_rows) == (daftar * N_SID, N_SPD)  # a complete export: every slot has its row
        mine = c[c["kode_pemda"] == kode].set_index("rule_id")
        for rid, r in mine.iterrows():
            if r["satuan"] == "baris":
                tables = [n.split(".")[0] for n in all_rules()[rid].needs] or list(e.tables)
                expected = sum(rows_of(e, t, kode) for t in tables if "kode_pemda" in e.tables[t])
            else:
                expected = {"inovasi": daftar, "slot_inovasi": sid_rows, "slot_pemda": spd_rows, "pemda": 1}[r["satuan"]]
            assert r["diperiksa"] == expected, rid
        assert (mine["lolos"] >= 0).all() and (mine["gagal"] <= mine["diperiksa"]).all()


def test_one_innovation_out_of_fifteen_fails_kns04(two_pemda_export):
    c = coverage(two_pemda_export)
    assert at(c, "KNS-04", "35.04") == {"rule_id": "KNS-04", "kode_pemda": "35.04", "satuan": "inovasi",
                                        "diperiksa": 15, "gagal": 1, "lolos": 14, "temuan": 1}
    batu = rows_of(two_pemda_export, "daftar_inovasi", "35.79")
    assert at(c, "KNS-04", "35.79")["gagal"] == 0
    nat = national(c).set_index("rule_id").loc["KNS-04"]
    n = 15 + batu
    assert (nat["diperiksa"], nat["gagal"], nat["persen_lolos"]) == (n, 1, round((n - 1) / n * 100, 2))


def test_several_findings_on_one_indicator_fail_it_once():
    # BKT-08 twice on one innovation (its video link and indicator 35's link), once on another's 35
    b = (ExportBuilder().pemda("35.04", "Kab. Tulungagung")
         .inovasi(link_video="javascript:alert(1)").indikator("35", data_pendukung="https://youtube.com.evil.example/w")
         .inovasi().indikator("35", data_pendukung="https://youtube.com.evil.example/v")
         .indikator("26", jenis_file="link", data_pendukung="javascript:void(0)"))
    e = b.build()
    c = coverage(e)
    r = at(c, "BKT-08", "35.04")
    # slots failed: (0001, 35), (0002, 35), (0002, 26); the Link Video finding is no SID slot
    assert (r["gagal"], r["temuan"]) == (3, 4)
    slots = rows_of(e, "daftar_inovasi", "35.04") * N_SID
    assert r["diperiksa"] == slots and r["lolos"] == slots - 3


def test_rules_not_checked_have_no_counts_never_a_pass():
    e = daftar_only(ExportBuilder().pemda("35.04", "Kab. Tulungagung").inovasi())
    c = coverage(e)
    counted = set(c["rule_id"])
    assert not counted & {"LKP-01", "LKP-03", "BKT-01", "BKT-09"}
    assert {"KNS-04", "LKP-05", "LKP-09"} <= counted


def test_every_rule_but_whole_table_skm01_has_a_unit():
    units = {rid: unit_of(r) for rid, r in all_rules().items()}
    assert [rid for rid, u in units.items() if u is None] == ["SKM-01"]
    assert units["LKP-09"] == "pemda" and units["LKP-03"] == "slot_pemda" and units["SKM-05"] == "baris"
