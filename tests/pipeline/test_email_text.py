"""The email's plain-text part is the top of the report (scores, the fix-first list, the
attachment), numbers formatted as in the HTML: a reader without HTML misses no fix."""

from __future__ import annotations

from datetime import date
from email import message_from_bytes, policy
from pathlib import Path

from core.settings import Settings
from job.pipeline import JobRequest, run_job
from reports.i18n import Translator

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "ekspor-2026"
ID = Translator("id")


def test_outbox_text_part_carries_the_scores_and_the_fixes_as_the_report_shows_them(tmp_path):
    out = tmp_path / "keluaran"
    run_job(JobRequest(source=str(SAMPLE), out=out, as_of=date(2026, 11, 30)), Settings(state_dir=tmp_path / "state"))
    mails = {}
    for p in (out / "outbox").glob("*.eml"):
        msg = message_from_bytes(p.read_bytes(), policy=policy.default)
        mails[msg["X-IID-Audit-Kode-Pemda"]] = msg
    # Kota Surabaya: 28 innovations over 3 urusan wajib (sample_data/README): Jumlah Inovasi lost
    surabaya = mails["35.78"]
    text = surabaya.get_body(("plain",)).get_content()
    html = surabaya.get_body(("html",)).get_content()
    assert "<" not in text  # plain text, not markup
    assert ID("laporan.perbaiki.judul") in text
    # MIN(28, 200) × 0.38 = 10.64 of 250 → 4.256 IID points, as the HTML says it
    line = ID("laporan.perbaiki.kembali_tepat", n="4,26")
    assert line in text and line in html
    assert "LKP-09" in text
    attachment = next(part.get_filename() for part in surabaya.iter_attachments())
    assert attachment in text
    # Tulungagung: its problem share exactly as the report shows it (not `32,7%`)
    tulungagung = mails["35.04"].get_body(("plain",)).get_content()
    assert "32,74 %" in tulungagung and "32,74 %" in mails["35.04"].get_body(("html",)).get_content()
    assert tulungagung.count(ID("laporan.temuan.cara")) >= 5  # each fix says what to do
