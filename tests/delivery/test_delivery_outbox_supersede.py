"""The outbox holds only what should still go out: a newer report of a Pemda supersedes its
older unsent message (kept in `outbox/diganti/`, never sent)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from delivery import send_outbox
from job.pipeline import JobRequest, run_job
from store.db import init_db, make_engine
from store.ledger import SUPERSEDED, Ledger

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "ekspor-2026"


def test_audit_twice_into_one_folder_then_outbox_send_mails_each_pemda_once_the_newest(smtp_server, tmp_path):
    settings = smtp_server.settings().with_(state_dir=tmp_path / "state")
    out = tmp_path / "keluaran"
    offline = settings.with_(smtp=settings.smtp.model_copy(update={"host": None}))  # the audits write the outbox
    first = run_job(JobRequest(source=str(SAMPLE), out=out, as_of=date(2026, 7, 1)), offline)
    second = run_job(JobRequest(source=str(SAMPLE), out=out, as_of=date(2026, 7, 2)), offline)
    assert first.run_id != second.run_id
    pending = sorted((out / "outbox").glob("*.eml"))
    retired = sorted((out / "outbox" / "diganti").glob("*.eml"))
    assert len(pending) == 6 and len(retired) == 6  # one pending message per Pemda; the old ones kept
    engine = init_db(make_engine(settings.database_url))
    assert len(Ledger(engine).rows(state=SUPERSEDED)) == 6

    summary = send_outbox(out / "outbox", settings=settings, engine=engine, sleep=lambda s: None)
    assert sorted(summary.sent) == sorted({"35", "35.04", "35.79", "35.10", "35.78", "33"})
    runs = {m.message["X-IID-Audit-Run"] for m in smtp_server.messages}
    assert len(smtp_server.messages) == 6 and runs == {second.run_id}


def test_outbox_send_skips_an_older_file_of_the_same_pemda_and_says_so(smtp_server, tmp_path):
    """Two pending files of one Pemda in a folder (copied by hand, say): only the newer goes."""
    settings = smtp_server.settings().with_(state_dir=tmp_path / "state")
    offline = settings.with_(smtp=settings.smtp.model_copy(update={"host": None}))
    a = run_job(JobRequest(source=str(SAMPLE), out=tmp_path / "a", region="35.04", as_of=date(2026, 7, 1)), offline)
    b_settings = offline.with_(state_dir=tmp_path / "other-state")  # another machine's ledger
    b = run_job(JobRequest(source=str(SAMPLE), out=tmp_path / "b", region="35.04", as_of=date(2026, 7, 2)),
                b_settings)
    folder = tmp_path / "kirim"
    folder.mkdir()
    for src in [*(tmp_path / "a" / "outbox").glob("*.eml"), *(tmp_path / "b" / "outbox").glob("*.eml")]:
        (folder / src.name).write_bytes(src.read_bytes())
    engine = init_db(make_engine(settings.database_url))
    summary = send_outbox(folder, settings=settings, engine=engine, sleep=lambda s: None)
    assert summary.sent == ["35.04"] and summary.superseded == ["35.04"]
    assert [m.message["X-IID-Audit-Run"] for m in smtp_server.messages] == [b.run_id] != [a.run_id]
    assert len(list((folder / "diganti").glob("*.eml"))) == 1
