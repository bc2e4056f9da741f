"""One garbage Pemda among good ones: its rows are findings, never a crash, and the others'
audit, reports and emails come out as if it were not there."""

from __future__ import annotations

from datetime import date

from ingest_builders import daftar, innovation, write_csv

from core.settings import Settings
from job.pipeline import JobRequest, run_job

HOSTILE = "<script>alert(1)</script>=cmd|' /C calc'!A0\x07\u202e"


def test_garbage_rows_of_one_pemda_are_findings_and_the_good_pemda_are_untouched(tmp_path):
    good = [innovation(judul_inovasi=f"Layanan Baik {i}", no=str(i)) for i in range(1, 4)]
    garbage = innovation(pemda="Kota Batu", no="9", judul_inovasi=HOSTILE, admin_opd=HOSTILE, inisiator=HOSTILE,
                         jenis=HOSTILE, kematangan="sembilan", tanggal_input="31-02-2025",
                         tanggal_penerapan="kemarin", koordinat=HOSTILE, video=HOSTILE, link_video=HOSTILE)
    export = write_csv(tmp_path / "daftar-inovasi.csv", daftar(*good, garbage))
    summary = run_job(JobRequest(source=str(export), out=tmp_path / "out", as_of=date(2026, 7, 1)),
                      Settings(state_dir=tmp_path / "state"))
    assert summary.failures == [] and summary.outcome == "temuan"
    html = {p.name.split("-", 1)[0]: p.read_text(encoding="utf-8") for p in (tmp_path / "out" / "laporan").glob("*.html")}
    assert set(html) == {"35.04", "35.79"}
    assert "<script>" not in html["35.79"] and "&lt;script&gt;" in html["35.79"]
    findings = (tmp_path / "out" / "findings.csv").read_text(encoding="utf-8")
    assert "\n'=cmd" not in findings and ",=cmd" not in findings  # no cell starts a formula
    batu = [ln for ln in findings.splitlines() if ",35.79," in ln]
    assert any(ln.startswith("SKM-02") for ln in batu) and any(ln.startswith("KNS-07") for ln in batu)
    tulungagung = [ln.split(",")[0] for ln in findings.splitlines() if ",35.04," in ln]
    assert not any(r.startswith(("SKM-02", "KNS-07")) for r in tulungagung)
