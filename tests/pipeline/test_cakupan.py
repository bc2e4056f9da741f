"""`cakupan.csv` and the index's per-rule table from a real run on the sample: counts that add
up, innovation rules checking every innovation `ringkasan.csv` counts, the index showing the
national sums."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from core.i18n import Translator
from core.settings import Settings
from job.pipeline import JobRequest, run_job

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "ekspor-2026"


def test_sample_run_counts_checks_per_rule_and_pemda(tmp_path):
    out = tmp_path / "keluaran"
    run_job(JobRequest(source=str(SAMPLE), out=out, as_of=date(2026, 11, 30)), Settings(state_dir=tmp_path / "state"))
    c = pd.read_csv(out / "cakupan.csv", dtype={"kode_pemda": str})
    ring = pd.read_csv(out / "ringkasan.csv", dtype={"kode_pemda": str}).set_index("kode_pemda")
    findings = pd.read_csv(out / "findings.csv", dtype=str)

    assert list(c.columns) == ["rule_id", "kode_pemda", "satuan", "diperiksa", "gagal", "lolos", "temuan"]
    assert (c["lolos"] >= 0).all() and (c["gagal"] <= c["diperiksa"]).all() and (c["gagal"] <= c["temuan"]).all()
    assert set(c["kode_pemda"]) == set(ring.index)
    inov = c[c["satuan"] == "inovasi"]
    assert (inov["diperiksa"].to_numpy() == ring.loc[inov["kode_pemda"], "jumlah_inovasi"].to_numpy()).all()
    slots = c[c["satuan"] == "slot_inovasi"]
    assert (slots["diperiksa"].to_numpy() == 20 * ring.loc[slots["kode_pemda"], "jumlah_inovasi"].to_numpy()).all()
    # every finding of a Pemda the run knows is counted in `temuan`
    known = findings[findings["kode_pemda"].isin(ring.index) & (findings["rule_id"] != "SKM-01")]
    assert c["temuan"].sum() == len(known)
    # LKP-02 failed items are distinct (innovation, indicator) pairs of its findings
    lkp02 = findings[findings["rule_id"] == "LKP-02"]
    assert c.loc[c["rule_id"] == "LKP-02", "gagal"].sum() == len(lkp02.drop_duplicates(["id_inovasi", "no_indikator"]))

    html = (out / "index.html").read_text(encoding="utf-8")
    t = Translator("id")
    assert t("indeks.cakupan.judul") in html
    lkp02_checked = int(c.loc[c["rule_id"] == "LKP-02", "diperiksa"].sum())
    assert t.int(lkp02_checked) in html


def test_a_pemda_report_says_how_many_items_of_each_failing_rule_passed(tmp_path):
    out = tmp_path / "keluaran"
    run_job(JobRequest(source=str(SAMPLE), out=out, region="35.04", as_of=date(2026, 11, 30)),
            Settings(state_dir=tmp_path / "state"))
    c = pd.read_csv(out / "cakupan.csv", dtype={"kode_pemda": str})
    (report,) = (out / "laporan").glob("35.04-*.html")
    html = report.read_text(encoding="utf-8")
    t = Translator("id")
    failing = c[c["gagal"] > 0]
    assert len(failing) >= 5
    for r in failing.itertuples():
        line = t("laporan.aturan.lolos", lolos=t.int(r.lolos), diperiksa=t.int(r.diperiksa),
                 satuan=t(f"indeks.cakupan.satuan.{r.satuan}"))
        assert line in html, r.rule_id
    assert t("laporan.aturan.lainnya", n=int((c["gagal"] == 0).sum())) in html
