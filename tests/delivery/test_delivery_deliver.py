"""Delivery over a real SMTP server: one message per Pemda, faults, ledger, never twice."""

from __future__ import annotations

import time

import pytest

from delivery import DeliveryAborted, deliver, deliver_one
from delivery_helpers import nation, report, running_smtp_server
from store.ledger import FAILED, SENT, UNCERTAIN, Ledger

pytestmark = pytest.mark.smtp


def run(items, server, engine, tmp_path, sleeps, *, run_id="2026-03-01", resend=False, **kw):
    return deliver(items, settings=server.settings(), engine=engine, run_id=run_id,
                   outbox_dir=tmp_path / "outbox", send=True, resend=resend, sleep=sleeps, **kw)


def received_for(server, kode: str):
    return [m for m in server.messages if m.message["X-IID-Audit-Kode-Pemda"] == kode]


# ---- one message per Pemda -------------------------------------------------------------------
def test_each_pemda_gets_one_message_with_its_recipients_parts_and_attachment(smtp_server, engine, tmp_path, sleeps):
    xlsx = tmp_path / "35.04-tulungagung-temuan.xlsx"
    xlsx.write_bytes(b"PK\x03\x04 fake workbook bytes")
    items = [
        report("35.04", "Kab. Tulungagung", to=("admin@tulungagungkab.go.id", "bappeda@tulungagungkab.go.id"),
               cc=("kepala@tulungagungkab.go.id",), attachment=xlsx),
        report("35.05", "Kab. Blitar", to=("inovasi@blitarkab.go.id",), name="Siti Aminah"),
    ]
    summary = run(items, smtp_server, engine, tmp_path, sleeps)

    assert sorted(summary.sent) == ["35.04", "35.05"]
    assert len(smtp_server.messages) == 2
    [tulungagung] = received_for(smtp_server, "35.04")
    assert sorted(tulungagung.rcpt_tos) == sorted(
        ["admin@tulungagungkab.go.id", "bappeda@tulungagungkab.go.id", "kepala@tulungagungkab.go.id"])
    assert tulungagung.mail_from == "audit@iid-audit.example.id"
    msg = tulungagung.message
    assert [a.addr_spec for a in msg["To"].addresses] == ["admin@tulungagungkab.go.id", "bappeda@tulungagungkab.go.id"]
    assert msg["To"].addresses[0].display_name == "Budi Santoso"
    assert [a.addr_spec for a in msg["Cc"].addresses] == ["kepala@tulungagungkab.go.id"]
    assert msg["Subject"] == "Hasil audit IID 2026 Kab. Tulungagung: skor terverifikasi 38,12 (Kurang Inovatif)"
    assert msg["Reply-To"].addresses[0].addr_spec == "helpdesk@iid-audit.example.id"
    assert msg["Date"] is not None and msg["Message-ID"].endswith(".35.04@iid-audit.example.id>")
    assert msg.get_content_type() == "multipart/mixed"
    alternative = next(p for p in msg.iter_parts() if p.get_content_type() == "multipart/alternative")
    assert [p.get_content_type() for p in alternative.iter_parts()] == ["text/plain", "text/html"]
    assert "38,12" in alternative.get_body(("plain",)).get_content()
    assert "<h1>Kab. Tulungagung</h1>" in alternative.get_body(("html",)).get_content()
    [att] = list(msg.iter_attachments())
    assert att.get_filename() == "35.04-tulungagung-temuan.xlsx"
    assert att.get_content() == xlsx.read_bytes()

    [blitar] = received_for(smtp_server, "35.05")
    assert blitar.rcpt_tos == ["inovasi@blitarkab.go.id"]
    assert blitar.message.get_content_type() == "multipart/alternative"  # no attachment given


def test_one_connection_carries_the_whole_run(smtp_server, engine, tmp_path, sleeps, monkeypatch):
    import delivery.transport as transport

    opened = []
    real_open = transport.SmtpTransport._open
    monkeypatch.setattr(transport.SmtpTransport, "_open", lambda self: opened.append(1) or real_open(self))
    summary = run(nation(6), smtp_server, engine, tmp_path, sleeps)
    assert len(summary.sent) == 6 and len(smtp_server.messages) == 6
    assert len(opened) == 1


# ---- faults ----------------------------------------------------------------------------------
def test_greylisting_451_once_then_accepted_yields_exactly_one_message(smtp_server, engine, tmp_path, sleeps):
    smtp_server.handler.data_replies = ["451 4.7.1 Greylisted, please try again later"]
    summary = run([report()], smtp_server, engine, tmp_path, sleeps)
    assert summary.sent == ["35.04"]
    assert len(smtp_server.messages) == 1
    assert smtp_server.handler.data_calls == 2
    assert sleeps == [2.0]  # SMTP_RETRY_BASE_SECONDS, first backoff


def test_temporary_fault_backs_off_exponentially_then_fails(smtp_server, engine, tmp_path, sleeps):
    smtp_server.handler.data_replies = ["451 4.3.0 try later"] * 10
    summary = run([report()], smtp_server, engine, tmp_path, sleeps)
    assert summary.failed == ["35.04"] and smtp_server.messages == []
    assert sleeps == [2.0, 4.0, 8.0]  # SMTP_RETRIES = 3
    [row] = Ledger(engine).rows(run_id="2026-03-01")
    assert row.state == FAILED and row.smtp_code == 451


def test_550_is_recorded_and_the_others_still_get_theirs(smtp_server, engine, tmp_path, sleeps):
    items = nation(3)
    smtp_server.handler.rcpt_replies["admin2@pemda2.go.id"] = "550 5.1.1 mailbox unavailable"
    summary = run(items, smtp_server, engine, tmp_path, sleeps)
    assert summary.failed == ["35.02"]
    assert summary.sent == ["35.01", "35.03"]
    assert sorted(m.rcpt_tos[0] for m in smtp_server.messages) == ["admin1@pemda1.go.id", "admin3@pemda3.go.id"]
    failed = [r for r in Ledger(engine).rows() if r.kode_pemda == "35.02"]
    assert [(r.state, r.smtp_code) for r in failed] == [(FAILED, 550)]
    assert sleeps == []  # permanent: not retried


def test_some_recipients_refused_the_rest_get_it_and_refusal_is_recorded(smtp_server, engine, tmp_path, sleeps):
    item = report(to=("admin@tulungagungkab.go.id", "lama@tulungagungkab.go.id"), cc=("kepala@tulungagungkab.go.id",))
    smtp_server.handler.rcpt_replies["lama@tulungagungkab.go.id"] = "550 5.1.1 no such user"
    summary = run([item], smtp_server, engine, tmp_path, sleeps)
    assert summary.sent == ["35.04"]
    [m] = smtp_server.messages
    assert sorted(m.rcpt_tos) == ["admin@tulungagungkab.go.id", "kepala@tulungagungkab.go.id"]
    assert list(summary.refused["35.04"]) == ["lama@tulungagungkab.go.id"]
    assert summary.refused["35.04"]["lama@tulungagungkab.go.id"][0] == 550
    [row] = Ledger(engine).rows()
    assert row.state == SENT
    assert sorted(row.accepted) == ["admin@tulungagungkab.go.id", "kepala@tulungagungkab.go.id"]
    assert row.refused["lama@tulungagungkab.go.id"][0] == 550


def test_all_recipients_refused_is_a_permanent_failure(smtp_server, engine, tmp_path, sleeps):
    smtp_server.handler.rcpt_replies["admin@tulungagungkab.go.id"] = "550 5.1.1 no such user"
    summary = run([report()], smtp_server, engine, tmp_path, sleeps)
    assert summary.failed == ["35.04"] and smtp_server.messages == []
    assert summary.results[0].smtp_code == 550


def test_connection_refused_is_retried_then_failed(engine, tmp_path, sleeps):
    with running_smtp_server() as server:
        settings = server.settings()
    # server stopped: nothing listens on that port any more
    summary = deliver([report()], settings=settings, engine=engine, run_id="r", outbox_dir=tmp_path / "o",
                      send=True, sleep=sleeps)
    assert summary.failed == ["35.04"]
    assert sleeps == [2.0, 4.0, 8.0]


def test_stops_before_mailing_the_rest_when_most_fail_the_same_way(smtp_server, engine, tmp_path, sleeps):
    # Our relay refuses everything: that is our bug, not 546 Pemda's.
    for i in range(1, 21):
        smtp_server.handler.rcpt_replies[f"admin{i}@pemda{i}.go.id"] = "550 5.7.1 relaying denied"
    with pytest.raises(DeliveryAborted) as exc:
        run(nation(20), smtp_server, engine, tmp_path, sleeps)
    summary = exc.value.summary
    assert len(summary.failed) == 5  # SEND_FAILURE_MIN_ATTEMPTS, then stop
    assert summary.aborted and "550" in summary.aborted
    assert len(Ledger(engine).rows()) == 5  # the other 15 were never touched


def test_a_few_failures_among_many_do_not_stop_the_run(smtp_server, engine, tmp_path, sleeps):
    smtp_server.handler.rcpt_replies["admin2@pemda2.go.id"] = "550 5.1.1 mailbox unavailable"
    smtp_server.handler.rcpt_replies["admin7@pemda7.go.id"] = "550 5.1.1 mailbox unavailable"
    summary = run(nation(10), smtp_server, engine, tmp_path, sleeps)
    assert len(summary.sent) == 8 and summary.failed == ["35.02", "35.07"] and summary.aborted is None


# ---- never twice -----------------------------------------------------------------------------
class Crash(Exception):
    pass


def test_run_interrupted_after_two_of_five_then_rerun_sends_the_rest_once(smtp_server, engine, tmp_path, sleeps):
    items = nation(5)
    sent_so_far = []

    def crash_after_two(result):
        sent_so_far.append(result.kode_pemda)
        if len(sent_so_far) == 2:
            raise Crash("worker killed")

    with pytest.raises(Crash):
        run(items, smtp_server, engine, tmp_path, sleeps, on_result=crash_after_two)
    assert len(smtp_server.messages) == 2

    summary = run(items, smtp_server, engine, tmp_path, sleeps)  # same night, same run id
    assert sorted(summary.sent) == ["35.03", "35.04", "35.05"]
    assert sorted(summary.skipped_unchanged) == ["35.01", "35.02"]
    kodes = [m.message["X-IID-Audit-Kode-Pemda"] for m in smtp_server.messages]
    assert sorted(kodes) == ["35.01", "35.02", "35.03", "35.04", "35.05"]  # each exactly once


def test_second_identical_run_sends_nothing_and_resend_sends_again(smtp_server, engine, tmp_path, sleeps):
    items = nation(3)
    run(items, smtp_server, engine, tmp_path, sleeps, run_id="2026-03-01")
    assert len(smtp_server.messages) == 3

    next_night = run(items, smtp_server, engine, tmp_path, sleeps, run_id="2026-03-02")
    assert next_night.sent == [] and sorted(next_night.skipped_unchanged) == ["35.01", "35.02", "35.03"]
    assert len(smtp_server.messages) == 3

    forced = run(items, smtp_server, engine, tmp_path, sleeps, run_id="2026-03-02", resend=True)
    assert sorted(forced.sent) == ["35.01", "35.02", "35.03"]
    assert len(smtp_server.messages) == 6
    ids = [m.message["Message-ID"] for m in smtp_server.messages]
    assert len(set(ids)) == 6  # a deliberate resend carries a new Message-ID


def test_changed_report_is_sent_the_next_night(smtp_server, engine, tmp_path, sleeps):
    run([report(html="<p>v1</p>")], smtp_server, engine, tmp_path, sleeps, run_id="n1")
    summary = run([report(html="<p>v2: fixed</p>")], smtp_server, engine, tmp_path, sleeps, run_id="n2")
    assert summary.sent == ["35.04"]
    assert len(smtp_server.messages) == 2


def test_same_message_id_for_the_same_report_in_the_same_run(smtp_server, engine, tmp_path, sleeps, no_smtp_settings):
    # dry run first, then the real send of that run: one stable id, derived from the ledger key
    dry = deliver([report()], settings=no_smtp_settings, engine=engine, run_id="r1",
                  outbox_dir=tmp_path / "outbox", send=False)
    summary = run([report()], smtp_server, engine, tmp_path, sleeps, run_id="r1")
    assert summary.sent == ["35.04"]
    assert smtp_server.messages[0].message["Message-ID"] == dry.results[0].message_id


def test_crash_mid_send_is_reconciled_as_uncertain_not_resent(smtp_server, engine, tmp_path, sleeps):
    """A row left `in_progress` (the process died between claim and the server's reply)."""
    from delivery.message import content_hash

    item = report()
    ledger = Ledger(engine)
    ledger.insert("35.04", "r1", content_hash(item), 0, "in_progress", "<x@y>")

    summary = run([item], smtp_server, engine, tmp_path, sleeps, run_id="r1")
    assert summary.uncertain == ["35.04"] and summary.sent == []
    assert smtp_server.messages == []
    assert [r.state for r in ledger.rows()] == [UNCERTAIN]

    again = run([item], smtp_server, engine, tmp_path, sleeps, run_id="r1")  # still not blindly
    assert again.uncertain == ["35.04"] and smtp_server.messages == []

    forced = run([item], smtp_server, engine, tmp_path, sleeps, run_id="r1", resend=True)
    assert forced.sent == ["35.04"] and len(smtp_server.messages) == 1


def test_connection_lost_after_the_body_is_uncertain_not_retried(smtp_server, engine, tmp_path, sleeps):
    smtp_server.handler.data_replies = ["DROP"]  # queued, then the reply never comes
    summary = run(nation(2), smtp_server, engine, tmp_path, sleeps)
    assert summary.uncertain == ["35.01"]
    assert summary.sent == ["35.02"]  # the next one reconnects
    assert len(received_for(smtp_server, "35.01")) == 1
    rerun = run(nation(2), smtp_server, engine, tmp_path, sleeps)
    assert rerun.sent == [] and len(smtp_server.messages) == 2


def test_deliver_one_alone_opens_and_closes_its_own_connection(smtp_server, engine, tmp_path, sleeps):
    r = deliver_one(report(), settings=smtp_server.settings(), engine=engine, run_id="r1",
                    outbox_dir=tmp_path / "o", send=True, sleep=sleeps)
    assert r.status == SENT and len(smtp_server.messages) == 1
    again = deliver_one(report(), settings=smtp_server.settings(), engine=engine, run_id="r1",
                        outbox_dir=tmp_path / "o", send=True, sleep=sleeps)  # a retried Prefect task
    assert again.status == "skipped_unchanged" and len(smtp_server.messages) == 1


def test_no_recipient_is_listed_not_a_crash(smtp_server, engine, tmp_path, sleeps):
    items = [report("35.04", to=()), report("35.05", "Kab. Blitar", to=("inovasi@blitarkab.go.id",))]
    summary = run(items, smtp_server, engine, tmp_path, sleeps)
    assert summary.no_recipient == ["35.04"] and summary.sent == ["35.05"]


def test_only_one_region(smtp_server, engine, tmp_path, sleeps):
    summary = run(nation(3), smtp_server, engine, tmp_path, sleeps, only="35.02")
    assert summary.sent == ["35.02"] and len(smtp_server.messages) == 1


class FakeClock:
    """Time that moves only when someone sleeps (or the test advances it)."""

    def __init__(self):
        self.t = 0.0
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self.t

    def sleep(self, s: float) -> None:
        self.sleeps.append(s)
        self.t += s


def test_send_rate_spaces_messages(smtp_server, engine, tmp_path):
    clock = FakeClock()
    settings = smtp_server.settings().with_(send_rate_per_second=2.0)
    deliver(nation(3), settings=settings, engine=engine, run_id="r", outbox_dir=tmp_path / "o",
            send=True, sleep=clock.sleep, clock=clock.now)
    assert clock.sleeps == pytest.approx([0.5, 0.5])  # 2 per second: 0.5 s apart
    assert len(smtp_server.messages) == 3


def test_logs_name_no_person(smtp_server, engine, tmp_path, sleeps, caplog):
    smtp_server.handler.rcpt_replies["lama@tulungagungkab.go.id"] = "550 5.1.1 <lama@tulungagungkab.go.id> unknown"
    caplog.set_level("DEBUG")
    item = report(to=("admin@tulungagungkab.go.id", "lama@tulungagungkab.go.id"))
    run([item], smtp_server, engine, tmp_path, sleeps)
    ours = [r for r in caplog.records if r.name.startswith(("delivery", "store"))]  # not the test server's
    text = "\n".join(r.getMessage() for r in ours)
    assert "35.04" in text
    for personal in ("admin@", "lama@", "tulungagungkab", "Budi Santoso"):
        assert personal not in text


def test_server_closing_with_421_is_retried_on_a_new_connection(smtp_server, engine, tmp_path, sleeps):
    smtp_server.handler.data_replies = ["421 4.3.2 Service shutting down"]
    summary = run(nation(2), smtp_server, engine, tmp_path, sleeps)
    assert sorted(summary.sent) == ["35.01", "35.02"]
    assert len(smtp_server.messages) == 2 and sleeps == [2.0]


def test_crashed_send_is_reported_at_the_next_start_and_not_resent_the_next_night(
    smtp_server, engine, tmp_path, sleeps
):
    from delivery.message import content_hash

    item = report()
    Ledger(engine).insert("35.04", "night-1", content_hash(item), 0, "in_progress", "<x@y>")

    next_night = run([item], smtp_server, engine, tmp_path, sleeps, run_id="night-2")
    assert next_night.reconciled == ["35.04"]
    assert next_night.uncertain == ["35.04"] and smtp_server.messages == []

    changed = run([report(html="<p>diperbaiki</p>")], smtp_server, engine, tmp_path, sleeps, run_id="night-3")
    assert changed.sent == ["35.04"]  # a different report is not the one that may have gone out


def test_idle_connection_closed_by_the_server_is_reopened_without_a_retry(smtp_server, engine, tmp_path, sleeps):
    from delivery import SmtpTransport

    settings = smtp_server.settings()
    smtp_server.handler.data_replies = ["HANGUP_AFTER_REPLY"]
    with SmtpTransport(settings.smtp) as transport:
        r1 = deliver_one(report("35.01", to=("a@pemda1.go.id",)), settings=settings, engine=engine, run_id="r",
                         outbox_dir=tmp_path / "o", send=True, transport=transport, sleep=sleeps)
        time.sleep(0.3)  # the server hangs up meanwhile
        r2 = deliver_one(report("35.02", to=("b@pemda2.go.id",)), settings=settings, engine=engine, run_id="r",
                         outbox_dir=tmp_path / "o", send=True, transport=transport, sleep=sleeps)
    assert (r1.status, r2.status) == (SENT, SENT)
    assert len(smtp_server.messages) == 2 and sleeps == []
    assert transport.connections_opened == 2
