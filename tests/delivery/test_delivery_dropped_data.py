"""A server that drops the connection during DATA never read the end of the message: that is
a failed send, retried next time, not "uncertain" (only a loss after the final `.` is)."""

from __future__ import annotations

import socket
import threading

from delivery import deliver
from delivery_helpers import nation
from store.ledger import FAILED, Ledger


class DropsDuringData:
    """A minimal SMTP server on loopback that answers up to DATA 354, reads part of the body,
    then closes the session (bounded: serves at most `sessions` connections, then stops)."""

    def __init__(self, sessions: int = 20):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(10)
        self.port = self.sock.getsockname()[1]
        self.sessions = sessions
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        for _ in range(self.sessions):
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                f = conn.makefile("rb")
                conn.sendall(b"220 test ESMTP\r\n")
                try:
                    while True:
                        line = f.readline()
                        if not line:
                            break
                        cmd = line[:4].upper()
                        if cmd in (b"EHLO", b"HELO"):
                            conn.sendall(b"250 test\r\n")
                        elif cmd in (b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                            conn.sendall(b"250 OK\r\n")
                        elif cmd == b"DATA":
                            conn.sendall(b"354 go ahead\r\n")
                            f.read(512)  # part of the body, then hang up
                            break
                        elif cmd == b"QUIT":
                            conn.sendall(b"221 bye\r\n")
                            break
                except OSError:
                    pass
                finally:
                    f.close()  # the makefile holds the socket open: close both now

    def close(self) -> None:
        self.sock.close()


def test_drop_during_data_is_a_failure_and_a_healthy_rerun_sends_it(smtp_server, engine, tmp_path, sleeps):
    bad = DropsDuringData()
    try:
        settings = smtp_server.settings().with_(smtp=smtp_server.settings().smtp.model_copy(update={"port": bad.port}))
        first = deliver(nation(3), settings=settings, engine=engine, run_id="r1", outbox_dir=tmp_path / "o",
                        send=True, sleep=sleeps)
    finally:
        bad.close()
    assert first.uncertain == [] and first.failed == ["35.01", "35.02", "35.03"]
    assert {r.state for r in Ledger(engine).rows(run_id="r1")} == {FAILED}
    again = deliver(nation(3), settings=smtp_server.settings(), engine=engine, run_id="r1",
                    outbox_dir=tmp_path / "o", send=True, sleep=sleeps)
    assert again.sent == ["35.01", "35.02", "35.03"] and len(smtp_server.messages) == 3
