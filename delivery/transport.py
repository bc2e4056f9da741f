"""SMTP transport: one connection reused for many messages, faults sorted into kinds.

`smtplib.SMTP` over one connection sent 550 messages in ~8 s here, so the whole nation goes
through a single session (reopened when the server drops it). smtplib has no timeout unless
one is given: every connection gets `SmtpSettings.timeout`.

The transaction is spelled out (MAIL, RCPT per address, DATA) rather than `send_message`,
to know *where* a fault happened. Only one window is uncertain (RFC 1047): after the final
`.` of DATA went out and before the server's reply; a server may have queued the message and
died (`Uncertain`: never retried blindly). Everything else is a plain failure, retried next
time, because the server cannot have accepted a message whose final `.` it never read:

- a connection lost while the body is sent, or found closed before the final `.` is sent
  (the server dropped the session during DATA);
- a connection *reset* while waiting for the reply: the peer's socket was already closed when
  our `.` arrived (a closed socket answers data with RST), so it never read it.

TLS that does not match the server (implicit TLS against a plain port, STARTTLS refused) and
a password over a connection without TLS are configuration faults: every message would fail
the same way, so delivery stops at once with a line that names the cause.
"""

from __future__ import annotations

import errno
import os
import select
import smtplib
import socket
import ssl
import time
from dataclasses import dataclass
from typing import Callable

from core import settings as limits
from core.settings import SmtpSettings

CRLF = b"\r\n"


class DeliveryFault(Exception):
    """Base of the classified SMTP faults. `code` is the SMTP reply code when there was one."""

    def __init__(self, message: str, code: int | None = None, refused: dict | None = None):
        super().__init__(message)
        self.code = code
        self.refused = refused or {}

    @property
    def signature(self) -> str:
        """What makes two failures 'the same error' for the stop guard (no personal data)."""
        return f"{type(self).__name__}:{self.code or self.__cause__.__class__.__name__}"


class TemporaryFault(DeliveryFault):
    """4xx, greylisting, timeouts, dropped or refused connections: retry with backoff."""


class PermanentFault(DeliveryFault):
    """5xx or every recipient refused: record, don't retry."""


class ConfigFault(PermanentFault):
    """Login refused, STARTTLS missing, bad TLS: every message would fail the same way."""


class Uncertain(DeliveryFault):
    """The body was sent but the server's answer was lost: maybe delivered."""


def _peer_refused_our_data(sock: socket.socket | None) -> bool:
    """After an EOF where the reply should be: did the peer answer our final `.` with a reset?
    A socket closed before our data arrived resets it (RFC 793); one that read the `.`,
    queued the message and then closed does not. The reset may trail the EOF by a moment."""
    if sock is None:
        return False
    deadline = time.monotonic() + limits.SMTP_RESET_PROBE_SECONDS
    while True:
        if sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) in (errno.ECONNRESET, errno.EPIPE):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.01)


def _reply_text(resp: object) -> str:
    if isinstance(resp, bytes):
        return resp.decode("utf-8", "replace")
    return str(resp)


def _fault_from_code(code: int, resp: object, what: str) -> DeliveryFault:
    text = f"{what}: {code} {_reply_text(resp)}"
    return TemporaryFault(text, code) if 400 <= code < 500 else PermanentFault(text, code)


def _quote_periods(data: bytes) -> bytes:
    # RFC 5321 4.5.2 dot-stuffing, as smtplib.SMTP.data does
    import re

    data = re.sub(rb"(?:\r\n|\n|\r(?!\n))", CRLF, data)
    return re.sub(rb"(?m)^\.", b"..", data)


@dataclass
class RateLimiter:
    """At most `per_second` messages per second (0 = unlimited); clock and sleep injectable."""

    per_second: float
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _next: float | None = None

    def wait(self) -> None:
        if not self.per_second or self.per_second <= 0:
            return
        now = self.clock()
        if self._next is not None and now < self._next:
            self.sleep(self._next - now)
            now = self._next
        self._next = now + 1.0 / self.per_second


class SmtpTransport:
    """A lazily opened SMTP session per `SmtpSettings` (`starttls` | `ssl` | `none`, login)."""

    def __init__(self, smtp: SmtpSettings, *, ssl_context: ssl.SSLContext | None = None):
        if not smtp.configured:
            raise ValueError("SMTP belum dikonfigurasi / SMTP is not configured")
        self.smtp = smtp
        self.ssl_context = ssl_context
        self._conn: smtplib.SMTP | None = None
        self.connections_opened = 0

    # ---- connection ------------------------------------------------------------------
    def _context(self) -> ssl.SSLContext:
        return self.ssl_context or ssl.create_default_context()

    def _open(self) -> smtplib.SMTP:
        s = self.smtp
        if s.placeholder_sender and not s.allow_test_sender:
            raise ConfigFault("IID_AUDIT_SMTP_FROM is not set (the sender is iid-audit@localhost): a Pemda could "
                              "not answer the report; set it, or IID_AUDIT_SMTP_ALLOW_TEST_SENDER=true for a test")
        if s.tls == "none" and s.user and s.secret and not s.allow_plain_auth:
            raise ConfigFault("SMTP password refused over a connection without TLS (IID_AUDIT_SMTP_TLS=none); use "
                              "starttls/ssl, or IID_AUDIT_SMTP_ALLOW_PLAIN_AUTH=true for a loopback relay")
        try:
            if s.tls == "ssl":
                conn: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=self._context())
            else:
                conn = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            try:
                conn.ehlo()
                if s.tls == "starttls":
                    conn.starttls(context=self._context())
                    conn.ehlo()
                if s.user:
                    conn.login(s.user, s.secret or "")
            except BaseException:
                conn.close()
                raise
        except smtplib.SMTPAuthenticationError as e:
            raise ConfigFault(f"SMTP login refused: {e.smtp_code}", e.smtp_code) from e
        except smtplib.SMTPNotSupportedError as e:
            raise ConfigFault(f"SMTP server lacks a required extension (STARTTLS/AUTH): {e}") from e
        except ssl.SSLCertVerificationError as e:
            raise ConfigFault(f"SMTP TLS certificate not trusted: {e.verify_message}") from e
        except ssl.SSLError as e:  # e.g. WRONG_VERSION_NUMBER: implicit TLS against a plain port
            raise ConfigFault(f"SMTP TLS handshake failed with IID_AUDIT_SMTP_TLS={s.tls} on port {s.port} "
                              f"({e.reason or type(e).__name__}): does the server speak "
                              f"{'implicit TLS' if s.tls == 'ssl' else 'STARTTLS'} there?") from e
        except smtplib.SMTPResponseException as e:
            raise _fault_from_code(e.smtp_code, e.smtp_error, "connect") from e
        except (smtplib.SMTPException, OSError) as e:  # refused, timeout, DNS, TLS, dropped
            raise TemporaryFault(f"connect: {type(e).__name__}: {e}") from e
        self.connections_opened += 1
        return conn

    def connection(self) -> smtplib.SMTP:
        if self._conn is None:
            self._conn = self._open()
        return self._conn

    def reset(self) -> None:
        """Drop the connection (after a fault) so the next send reconnects."""
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:
                pass

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.quit()
            except Exception:
                try:
                    conn.close()
                except Exception:
                    pass

    def __enter__(self) -> "SmtpTransport":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- one transaction ---------------------------------------------------------------
    def send(self, from_addr: str, to_addrs: list[str], data: bytes) -> dict[str, tuple[int, str]]:
        """Send `data` to `to_addrs`; returns the recipients the server refused (the others
        got it). Raises TemporaryFault / PermanentFault / Uncertain."""
        if not to_addrs:
            raise PermanentFault("no recipients")
        reused = self._conn is not None
        conn = self.connection()
        body_sent = False
        try:
            conn.ehlo_or_helo_if_needed()
            opts = ["SIZE=%d" % len(data)] if conn.has_extn("size") else []
            try:
                code, resp = conn.mail(from_addr, opts)
            except (smtplib.SMTPServerDisconnected, ConnectionError) as e:
                if not reused:
                    raise
                # the server closed our idle connection: reopen once, not a fault
                self.reset()
                conn = self.connection()
                conn.ehlo_or_helo_if_needed()
                code, resp = conn.mail(from_addr, opts)
            if code != 250:
                self._rset_or_reset(code)
                raise _fault_from_code(code, resp, "MAIL FROM")
            refused: dict[str, tuple[int, str]] = {}
            for addr in to_addrs:
                code, resp = conn.rcpt(addr)
                if code not in (250, 251):
                    refused[addr] = (code, _reply_text(resp))
                if code == 421:
                    self.reset()
                    raise TemporaryFault(f"RCPT TO: 421 {_reply_text(resp)}", 421, refused)
            if len(refused) == len(to_addrs):
                self._rset_or_reset(0)
                codes = [c for c, _ in refused.values()]
                temp = [c for c in codes if 400 <= c < 500]
                cls = TemporaryFault if temp else PermanentFault
                code0 = temp[0] if temp else codes[0]
                raise cls(f"RCPT TO: every recipient refused ({code0})", code0, refused)
            code, resp = conn.docmd("data")
            if code != 354:
                self._rset_or_reset(code)
                raise _fault_from_code(code, resp, "DATA")
            q = _quote_periods(data)
            if not q.endswith(CRLF):
                q += CRLF
            conn.send(q)
            self._closed_during_data(conn)
            # a second handle on the TCP connection (smtplib closes its own on EOF; TLS sockets
            # cannot be dup()ed, their file descriptor can)
            probe = socket.socket(fileno=os.dup(conn.sock.fileno())) if conn.sock is not None else None
            try:
                conn.send(b"." + CRLF)
                body_sent = True
                try:
                    code, resp = conn.getreply()
                except (ConnectionResetError, smtplib.SMTPServerDisconnected) as e:
                    self.reset()
                    if isinstance(e, ConnectionResetError) or _peer_refused_our_data(probe):
                        raise TemporaryFault("the server closed the session before reading the end of the "
                                             "message") from e
                    raise
            finally:
                if probe is not None:
                    probe.close()
            if code != 250:
                self._rset_or_reset(code)
                raise _fault_from_code(code, resp, "end of DATA")
            return refused
        except DeliveryFault:
            raise
        except smtplib.SMTPResponseException as e:
            self.reset()
            if body_sent:
                raise Uncertain(f"after message body: {e.smtp_code}", e.smtp_code) from e
            raise _fault_from_code(e.smtp_code, e.smtp_error, "SMTP") from e
        except (smtplib.SMTPException, OSError, socket.timeout) as e:
            self.reset()
            if body_sent:
                raise Uncertain(f"connection lost after message body: {type(e).__name__}") from e
            raise TemporaryFault(f"{type(e).__name__}: {e}") from e

    def _closed_during_data(self, conn: smtplib.SMTP) -> None:
        """Before the final `.`: has the server already closed the session (or answered
        early, e.g. 552 too large)? Then it cannot accept this message: a plain failure."""
        sock = conn.sock
        if sock is None:
            raise TemporaryFault("connection closed during DATA, before the end of the message")
        readable, _, _ = select.select([sock], [], [], 0)
        if not readable:
            return
        try:
            early = sock.recv(1, socket.MSG_PEEK)
        except OSError as e:
            raise TemporaryFault(f"connection lost during DATA, before the end of the message: "
                                 f"{type(e).__name__}") from e
        if not early:
            raise TemporaryFault("connection closed by the server during DATA, before the end of the message")
        code, resp = conn.getreply()
        raise _fault_from_code(code, resp, "DATA (before the end of the message)")

    def _rset_or_reset(self, code: int) -> None:
        if code == 421:
            self.reset()
            return
        try:
            assert self._conn is not None
            self._conn.rset()
        except Exception:
            self.reset()
