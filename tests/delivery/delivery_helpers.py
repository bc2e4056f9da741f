"""Helpers for delivery tests: a scriptable aiosmtpd handler, what the server received,
and builders for report messages."""

from __future__ import annotations

import asyncio
import socket
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from aiosmtpd.controller import Controller

from delivery import Recipients, ReportMessage
from core.settings import Settings, SmtpSettings


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        return BytesParser(policy=policy.default).parsebytes(self.raw)  # type: ignore[return-value]

    @property
    def header_names(self) -> list[str]:
        """Names of the top-level header lines exactly as received (before the first blank line)."""
        head = self.raw.split(b"\r\n\r\n", 1)[0].replace(b"\r\n", b"\n").split(b"\n")
        return [ln.split(b":", 1)[0].decode().lower() for ln in head if ln and not ln[:1].isspace()]


@dataclass
class Handler:
    """Scriptable behaviour: `rcpt_replies[address] = "550 …"`, `data_replies` consumed one per
    DATA ("DROP" = queue the message then drop the connection without answering;
    "HANGUP_AFTER_REPLY" = accept, answer 250, then close the connection)."""

    messages: list[Received] = field(default_factory=list)
    rcpt_replies: dict[str, str] = field(default_factory=dict)
    data_replies: list[str] = field(default_factory=list)
    data_calls: int = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.rcpt_replies.get(address.lower())
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.data_calls += 1
        reply = self.data_replies.pop(0) if self.data_replies else None
        if reply and reply not in ("DROP", "HANGUP_AFTER_REPLY"):
            return reply
        raw = envelope.original_content or envelope.content
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(raw)))
        if reply == "DROP":
            server.transport.close()
        elif reply == "HANGUP_AFTER_REPLY":  # an idle timeout: answer, then close the session
            asyncio.get_running_loop().call_later(0.05, server.transport.close)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class SmtpServer:
    handler: Handler
    host: str
    port: int

    @property
    def messages(self) -> list[Received]:
        return self.handler.messages

    def settings(self, **smtp_changes) -> Settings:
        smtp = SmtpSettings(**{"host": self.host, "port": self.port, "tls": "none", "timeout": 5.0,
                               "sender": "Tim Audit IID <audit@iid-audit.example.id>",
                               "reply_to": "Helpdesk IID <helpdesk@iid-audit.example.id>", **smtp_changes})
        return Settings(smtp=smtp, send_rate_per_second=0)



class Sleeps(list):
    """Injected sleep: records the delays instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)




def report(
    kode: str = "35.04",
    pemda: str = "Kab. Tulungagung",
    *,
    to: tuple[str, ...] = ("admin@tulungagungkab.go.id",),
    cc: tuple[str, ...] = (),
    name: str = "Budi Santoso",
    html: str | None = None,
    attachment: Path | None = None,
    skor: float | None = 38.123,
    predikat: str | None = "Kurang Inovatif",
) -> ReportMessage:
    """A small report for one Pemda (the real HTML comes from the reports engineer)."""
    return ReportMessage(
        kode_pemda=kode, pemda=pemda, tahun=2026, skor_terverifikasi=skor,
        predikat_terverifikasi=predikat, skor_klaim=61.5, persen_indikator_bermasalah=42.0,
        html=html or f"<html><body><h1>{pemda}</h1><p>Skor terverifikasi</p></body></html>",
        text=None, attachment=attachment, recipients=Recipients(to=to, cc=cc, name=name),
    )


def nation(n: int) -> list[ReportMessage]:
    """`n` Pemda, each with its own admin address."""
    return [report(f"35.{i:02d}", f"Kab. Contoh {i}", to=(f"admin{i}@pemda{i}.go.id",)) for i in range(1, n + 1)]


@contextmanager
def running_smtp_server(handler: Handler | None = None) -> Iterator[SmtpServer]:
    """Start aiosmtpd on a free loopback port for the duration of the block."""
    handler = handler or Handler()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, data_size_limit=10_000_000)
    controller.start()
    try:
        yield SmtpServer(handler, "127.0.0.1", port)
    finally:
        controller.stop()
