"""STARTTLS, implicit TLS and login against a real aiosmtpd server with a throwaway CA."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from contextlib import contextmanager

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from delivery import DeliveryAborted, deliver
from delivery_helpers import Handler, SmtpServer, _free_port, report

pytestmark = pytest.mark.smtp
x509 = pytest.importorskip("cryptography.x509")


@pytest.fixture(scope="module")
def cert_files(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 (it is its own CA)."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    d = tmp_path_factory.mktemp("tls")
    (d / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (d / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                  serialization.NoEncryption()))
    return d / "cert.pem", d / "key.pem"


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == b"iid" and auth_data.password == b"rahasia"
    return AuthResult(success=ok, handled=False)  # handled=False: server answers 535


@contextmanager
def tls_server(cert_files, *, implicit: bool):
    cert, key = cert_files
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    handler = Handler()
    port = _free_port()
    # aiosmtpd only knows STARTTLS as "TLS" for AUTH: on an implicit-TLS socket it must be told
    kw = (dict(ssl_context=ctx, auth_require_tls=False) if implicit
          else dict(tls_context=ctx, require_starttls=True, auth_require_tls=True))
    controller = Controller(handler, hostname="127.0.0.1", port=port, authenticator=_authenticator, **kw)
    controller.start()
    try:
        yield SmtpServer(handler, "127.0.0.1", port)
    finally:
        controller.stop()


@pytest.mark.parametrize("mode", ["starttls", "ssl"])
def test_tls_and_login(mode, cert_files, engine, tmp_path, sleeps, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_files[0]))  # trust our throwaway CA
    with tls_server(cert_files, implicit=mode == "ssl") as server:
        settings = server.settings(tls=mode, user="iid", password="rahasia")
        summary = deliver([report()], settings=settings, engine=engine, run_id="r1",
                          outbox_dir=tmp_path / "o", send=True, sleep=sleeps)
        assert summary.sent == ["35.04"]
        assert len(server.messages) == 1


def test_wrong_password_stops_at_once(cert_files, engine, tmp_path, sleeps, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_files[0]))
    from delivery_helpers import nation

    with tls_server(cert_files, implicit=False) as server:
        settings = server.settings(tls="starttls", user="iid", password="salah")
        with pytest.raises(DeliveryAborted) as exc:
            deliver(nation(5), settings=settings, engine=engine, run_id="r1",
                    outbox_dir=tmp_path / "o", send=True, sleep=sleeps)
        assert exc.value.summary.failed == ["35.01"]  # the other four never tried
        assert server.messages == []
        assert sleeps == []


def test_untrusted_certificate_is_refused(cert_files, engine, tmp_path, sleeps):
    with tls_server(cert_files, implicit=False) as server:
        settings = server.settings(tls="starttls", user="iid", password="rahasia")
        with pytest.raises(DeliveryAborted):
            deliver([report()], settings=settings, engine=engine, run_id="r1",
                    outbox_dir=tmp_path / "o", send=True, sleep=sleeps)
        assert server.messages == []


def test_implicit_tls_against_a_plain_server_is_a_configuration_fault_named_at_once(smtp_server, engine, tmp_path,
                                                                                  sleeps):
    settings = smtp_server.settings(tls="ssl")  # aiosmtpd here speaks plain SMTP
    with pytest.raises(DeliveryAborted) as exc:
        deliver([report()], settings=settings, engine=engine, run_id="r1", outbox_dir=tmp_path / "o", send=True,
                sleep=sleeps)
    assert "TLS" in str(exc.value) and "IID_AUDIT_SMTP_TLS=ssl" in str(exc.value)
    assert sleeps == []  # not retried as a temporary fault


def test_a_password_is_never_sent_without_tls_unless_allowed(smtp_server, engine, tmp_path, sleeps):
    settings = smtp_server.settings(tls="none", user="iid", password="rahasia")
    with pytest.raises(DeliveryAborted) as exc:
        deliver([report()], settings=settings, engine=engine, run_id="r1", outbox_dir=tmp_path / "o", send=True,
                sleep=sleeps)
    assert "without TLS" in str(exc.value) and "rahasia" not in str(exc.value)
    assert smtp_server.handler.data_calls == 0


def test_allowing_plain_auth_for_a_loopback_relay_sends(engine, tmp_path, sleeps):
    handler = Handler()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, authenticator=_authenticator,
                            auth_require_tls=False)
    controller.start()
    try:
        server = SmtpServer(handler, "127.0.0.1", port)
        settings = server.settings(tls="none", user="iid", password="rahasia", allow_plain_auth=True)
        summary = deliver([report()], settings=settings, engine=engine, run_id="r1", outbox_dir=tmp_path / "o",
                          send=True, sleep=sleeps)
    finally:
        controller.stop()
    assert summary.sent == ["35.04"]


def test_a_real_send_from_the_localhost_placeholder_is_refused_unless_a_test(smtp_server, engine, tmp_path, sleeps):
    settings = smtp_server.settings(sender="iid-audit <iid-audit@localhost>")
    with pytest.raises(DeliveryAborted) as exc:
        deliver([report()], settings=settings, engine=engine, run_id="r1", outbox_dir=tmp_path / "o", send=True,
                sleep=sleeps)
    assert "IID_AUDIT_SMTP_FROM" in str(exc.value) and smtp_server.handler.data_calls == 0
    allowed = smtp_server.settings(sender="iid-audit <iid-audit@localhost>", allow_test_sender=True)
    summary = deliver([report()], settings=allowed, engine=engine, run_id="r2", outbox_dir=tmp_path / "o",
                      send=True, sleep=sleeps)
    assert summary.sent == ["35.04"]
