"""Header injection: data (Pemda names, admin names, predikat) must not add headers.

Python 3.11.7 predates the CVE-2024-6923 fix: an encoded word decoding to a newline in a
display name or subject becomes a real header line when `EmailMessage` refolds it.
"""

from __future__ import annotations

from email import policy
from email.headerregistry import Address
from email.message import EmailMessage

import pytest

from delivery import deliver
from delivery.headers import clean_header_text
from delivery_helpers import report

pytestmark = pytest.mark.smtp

CVE_PAYLOAD = "=?UTF-8?Q?=0A?=Bcc: x@y"
INTENDED = ["admin@tulungagungkab.go.id", "kepala@tulungagungkab.go.id"]


def _stdlib_is_vulnerable() -> bool:
    m = EmailMessage()
    m["Subject"] = "a " + CVE_PAYLOAD
    return b"\nBcc:" in m.as_bytes(policy=policy.SMTP)


def test_this_python_really_has_the_bug_we_guard_against():
    """Documents why `clean_header_text` exists; skip once the interpreter is fixed."""
    if not _stdlib_is_vulnerable():
        pytest.skip("this Python carries the CVE-2024-6923 fix")
    m = EmailMessage()
    m["To"] = Address(CVE_PAYLOAD, "a", "b.go.id")
    assert b"\nBcc: x@y" in m.as_bytes(policy=policy.SMTP)


@pytest.mark.parametrize(
    "hostile",
    [
        CVE_PAYLOAD,
        "Kab. Tulungagung =?UTF-8?Q?=0A?=Bcc: x@y",
        "=?utf-8?b?Cg==?=Bcc: x@y",  # base64 encoded word for "\n"
        "Kab. X\r\nBcc: x@y",
        "Kab. X\nBcc: x@y",
        "Kab. X\u2028Bcc: x@y",
        "==?UTF-8?Q?=0A?=?UTF-8?Q?=0A?=Bcc: x@y",  # removing one word reveals another
    ],
)
def test_clean_header_text_leaves_one_plain_line(hostile):
    cleaned = clean_header_text(hostile)
    assert "\n" not in cleaned and "\r" not in cleaned and "\u2028" not in cleaned
    assert "=?" not in cleaned
    m = EmailMessage()
    m["Subject"] = cleaned
    m["To"] = Address(cleaned, "a", "b.go.id")
    raw = m.as_bytes(policy=policy.SMTP)
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert not any(line.lower().startswith(b"bcc") for line in head.split(b"\r\n"))


def test_normal_names_are_untouched():
    assert clean_header_text("Kab. Tulungagung") == "Kab. Tulungagung"
    assert clean_header_text("Kota Bau-Bau (Sulawesi Tenggara) — 2026?") == "Kota Bau-Bau (Sulawesi Tenggara) — 2026?"
    assert clean_header_text("  Kab.   Pidie\tJaya ") == "Kab. Pidie Jaya"


@pytest.mark.parametrize("payload", [CVE_PAYLOAD, "\r\nBcc: x@y", "=?UTF-8?Q?=0D=0A?=Bcc: x@y"])
def test_injection_in_pemda_admin_and_subject_text_stays_inside_its_header(
    payload, smtp_server, engine, tmp_path, sleeps
):
    item = report(
        "35.04",
        pemda="Kab. Tulungagung " + payload,  # subject + body
        to=(INTENDED[0],),
        cc=(INTENDED[1],),
        name="Budi " + payload,  # To display name
        predikat="Kurang Inovatif " + payload,  # subject-bound text
        html="<html><body><p>Laporan</p></body></html>",
    )
    summary = deliver([item], settings=smtp_server.settings(), engine=engine, run_id="r1",
                      outbox_dir=tmp_path / "outbox", send=True, sleep=sleeps)
    assert summary.sent == ["35.04"]
    [got] = smtp_server.messages
    assert sorted(got.rcpt_tos) == sorted(INTENDED)  # the envelope: nobody else
    assert "bcc" not in got.header_names
    assert not any(line.lstrip().lower().startswith(b"bcc:") for line in got.raw.split(b"\r\n"))
    msg = got.message
    assert all(part.get_all("Bcc") is None for part in msg.walk())  # no part grew one either
    assert [a.addr_spec for a in msg["To"].addresses] == [INTENDED[0]]
    assert [a.addr_spec for a in msg["Cc"].addresses] == [INTENDED[1]]
    subject = str(msg["Subject"])
    assert subject.startswith("Hasil audit IID 2026 Kab. Tulungagung")
    assert "\n" not in subject and "=?" not in subject
    assert msg["To"].addresses[0].display_name.startswith("Budi")
    assert "\n" not in msg["To"].addresses[0].display_name
