"""`--send` end to end: the nightly flow delivers one email per sample Pemda to a real SMTP
server on loopback, and the same night run again delivers none (the send ledger)."""

from __future__ import annotations

import socket
from datetime import date
from email import message_from_bytes

import pandas as pd
from aiosmtpd.controller import Controller

from flows.audit import nightly_audit

from flows_sample import SAMPLE, SAMPLE_AS_OF


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_send_delivers_once_per_pemda_and_an_identical_rerun_sends_nothing(sample, tmp_path, monkeypatch):
    inbox = Inbox()
    port = _free_port()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        monkeypatch.setenv("IID_AUDIT_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("IID_AUDIT_SMTP_PORT", str(port))
        monkeypatch.setenv("IID_AUDIT_SMTP_TLS", "none")
        monkeypatch.setenv("IID_AUDIT_SMTP_FROM", "Tim Audit IID <audit@iid-audit.example.id>")
        as_of = date.fromisoformat(SAMPLE_AS_OF)
        nightly_audit(source=str(SAMPLE), out=str(tmp_path / "a"), run_folder=False, as_of=as_of, send=True)
        first = len(inbox.messages)
        nightly_audit(source=str(SAMPLE), out=str(tmp_path / "b"), run_folder=False, as_of=as_of, send=True)
    finally:
        server.stop()

    profil = pd.read_csv(SAMPLE / "profil_pemda.csv", dtype=str)
    assert first == len(profil)  # one message per Pemda of the export
    assert len(inbox.messages) == first  # the rerun sent nothing
    subjects = {message_from_bytes(raw)["Subject"] for _rcpt, raw in inbox.messages}
    assert any("Tulungagung" in s for s in subjects)
    expected = {a.strip().lower() for e in profil["Email"] for a in e.replace(";", ",").split(",") if a.strip()}
    assert {a.lower() for rcpt, _raw in inbox.messages for a in rcpt} == expected
