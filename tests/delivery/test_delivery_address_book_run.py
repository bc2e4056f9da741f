"""`--send` on a real export without addresses plus a partial address book: the Pemda in
the book get their report over SMTP (aiosmtpd on loopback), the others are listed, the run
is a success; the whole job through `pipeline.run_job`, as the CLI runs it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from job.pipeline import JobRequest, run_job

DAFTAR = Path(__file__).resolve().parents[2] / "sample_data" / "daftar-inovasi-jatim-2025.xlsx"


def test_send_with_a_partial_address_book_sends_to_those_in_it_and_lists_the_others(smtp_server, tmp_path):
    book = tmp_path / "kontak.csv"
    book.write_text("kode_pemda,nama,to,cc\n"
                    "35.07,Admin Malang,iid@malangkab.example.id,bappeda@malangkab.example.id\n"
                    "35.73,,iid@malangkota.example.id,\n", encoding="utf-8")
    settings = smtp_server.settings().with_(state_dir=tmp_path / "state", kontak=book)
    summary = run_job(JobRequest(source=str(DAFTAR), out=tmp_path / "out", as_of=date(2026, 7, 1), send=True),
                      settings)
    rcpts = sorted(tuple(m.rcpt_tos) for m in smtp_server.messages)
    assert rcpts == [("iid@malangkab.example.id", "bappeda@malangkab.example.id"), ("iid@malangkota.example.id",)]
    assert summary.delivery["sent"] == 2 and summary.delivery["no_recipient"] == 3
    assert summary.tanpa_alamat == ["35", "35.09", "35.15"]
    assert (summary.outcome, summary.exit_code, summary.failures) == ("temuan", 0, [])
    # the same night again: nothing is mailed twice
    again = run_job(JobRequest(source=str(DAFTAR), out=tmp_path / "out", as_of=date(2026, 7, 1), send=True), settings)
    assert len(smtp_server.messages) == 2 and again.delivery["sent"] == 0
