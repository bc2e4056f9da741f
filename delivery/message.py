"""One email per Pemda: `multipart/alternative` (plain-text summary + the inlined HTML report)
inside `multipart/mixed` with the full findings attached.

Built with the stdlib `EmailMessage`. prefect-email was tried and rejected: it puts the text
and HTML side by side (`multipart/mixed`) instead of as alternatives, so clients show both,
and it sets neither `Date` nor `Message-ID`. Every header text that comes from data goes
through `delivery.headers.clean_header_text` (CVE-2024-6923, see there).
"""

from __future__ import annotations

import binascii
import hashlib
import math
import mimetypes
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email import policy
from email.generator import BytesGenerator
from email.headerregistry import Address, HeaderRegistry
from email.message import EmailMessage, MIMEPart
from email.utils import format_datetime, parseaddr
from io import BytesIO
from pathlib import Path

import pandas as pd
from babel.numbers import format_decimal

from delivery.headers import clean_header_text
from delivery.recipients import Recipients
from core.safe_cells import write_csv
from core.settings import Settings

#: Serialization policy for the wire and for `.eml` files: CRLF, 78-column folding.
WIRE_POLICY = policy.SMTP


class _RepeatedHeaders(HeaderRegistry):
    """The stdlib's header registry (`email.policy.default`'s), remembering each header it
    made from a text: a night's 546 messages share most of their headers (content types,
    transfer encodings, MIME-Version, the sender), each parsed once instead of per message
    (a third of building one). A header is an immutable text with its parse; the same one
    in two messages is what parsing it twice would give."""

    #: Distinct headers remembered at most (a night has a few dozen repeated ones; the
    #: per-message ones, ids and dates, are forgotten in bulk past this).
    LIMIT = 2048

    def __init__(self) -> None:
        super().__init__()
        self._made: dict[tuple[str, str], object] = {}

    def __call__(self, name: str, value):
        if type(value) is not str:
            return super().__call__(name, value)
        header = self._made.get((name, value))
        if header is None:
            if len(self._made) >= self.LIMIT:
                self._made.clear()
            header = self._made[(name, value)] = super().__call__(name, value)
        return header


#: What messages are built with: `email.policy.default`, its headers remembered.
BUILD_POLICY = policy.default.clone(header_factory=_RepeatedHeaders())

#: X- headers that carry the ledger key inside the message (no personal data), so an
#: outbox file can be matched to its ledger row even without the Message-ID.
KEY_HEADERS = ("X-IID-Audit-Kode-Pemda", "X-IID-Audit-Run", "X-IID-Audit-Hash", "X-IID-Audit-Seq")

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_ID_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class ReportMessage:
    """What the flows hand to delivery for one Pemda."""

    kode_pemda: str
    pemda: str
    tahun: int
    skor_terverifikasi: float | None
    predikat_terverifikasi: str | None
    skor_klaim: float | None
    persen_indikator_bermasalah: float | None
    html: str
    text: str | None = None
    attachment: Path | None = None
    recipients: Recipients = field(default_factory=Recipients)
    #: verified score now minus at the Pemda's previous audit (None: first audit)
    selisih_skor_terverifikasi: float | None = None


def _missing(x: object) -> bool:
    if x is None or x is pd.NA:
        return True
    try:
        return bool(isinstance(x, float) and math.isnan(x))
    except TypeError:
        return False


def format_angka(x: object, digits: int = 2) -> str:
    """Indonesian decimal: 38.123 → '38,12', 1234.5 → '1.234,50'; missing → '–'. Same babel
    formatting (and rounding) as the HTML report, so subject and report show one number."""
    if _missing(x):
        return "–"
    try:
        v = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "–"
    fmt = "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(v, format=fmt, locale="id")


def attachment_bytes(item: ReportMessage) -> bytes:
    return Path(item.attachment).read_bytes() if item.attachment else b""


def content_hash(item: ReportMessage) -> str:
    """sha256 of what the Pemda would receive: the HTML report and the attachment bytes."""
    h = hashlib.sha256()
    html = item.html.encode("utf-8")
    att = attachment_bytes(item)
    # lengths first, so moving bytes between html and attachment changes the hash
    h.update(f"{len(html)}:{len(att)}:".encode())
    h.update(html)
    h.update(att)
    return h.hexdigest()


def _sender(settings: Settings) -> tuple[str, str]:
    """(display name, address) of the configured From."""
    name, addr = parseaddr(settings.smtp.sender)
    if not addr or "@" not in addr:
        raise ValueError("IID_AUDIT_SMTP_FROM bukan alamat email / is not an email address")
    return clean_header_text(name, limit=80), addr


def envelope_sender(settings: Settings) -> str:
    return _sender(settings)[1]


def message_id_for(kode_pemda: str, run_id: str, digest: str, seq: int, settings: Settings) -> str:
    """Stable Message-ID derived from the ledger key (Pemda, run, content hash, seq): the same
    report in the same run keeps its id (mail systems drop duplicates by it); a deliberate
    resend gets the next `seq`, hence a new id. Kept short so the header is never folded."""
    domain = envelope_sender(settings).rpartition("@")[2] or "iid-audit.local"
    domain = _ID_SAFE.sub("-", domain) or "iid-audit.local"
    kode = _ID_SAFE.sub("-", str(kode_pemda))[:16] or "x"
    key = hashlib.sha256(f"{kode_pemda}\x00{run_id}\x00{digest}\x00{int(seq)}".encode()).hexdigest()
    return f"<{key[:24]}.{kode}@{domain}>"


def subject_for(item: ReportMessage) -> str:
    pemda = clean_header_text(item.pemda, limit=100) or clean_header_text(item.kode_pemda)
    tahun = clean_header_text(item.tahun, limit=8)
    if _missing(item.skor_terverifikasi):
        return f"Hasil audit IID {tahun} {pemda}: skor terverifikasi belum dapat dihitung"
    skor = format_angka(item.skor_terverifikasi)
    predikat = clean_header_text(item.predikat_terverifikasi, limit=40)
    tail = f" ({predikat})" if predikat else ""
    return f"Hasil audit IID {tahun} {pemda}: skor terverifikasi {skor}{tail}{score_move(item)}"


def score_move(item: ReportMessage) -> str:
    """`, naik 3,50 sejak audit sebelumnya` when the verified score moved; else empty."""
    d = item.selisih_skor_terverifikasi
    if _missing(d) or round(float(d), 2) == 0:
        return ""
    return f", {'naik' if float(d) > 0 else 'turun'} {format_angka(abs(float(d)))} sejak audit sebelumnya"


def default_text(item: ReportMessage) -> str:
    """Plain-text alternative for clients that don't show HTML (and for screen readers) when the
    caller has none: the pipeline passes the report's own (`ReportFiles.text`: scores and the
    fix-first list)."""
    lines = [
        f"Hasil audit data Indeks Inovasi Daerah {item.tahun}",
        f"{clean_header_text(item.pemda)} ({clean_header_text(item.kode_pemda)})",
        "",
        f"Skor klaim          : {format_angka(item.skor_klaim)}",
        f"Skor terverifikasi  : {format_angka(item.skor_terverifikasi)}"
        + (f" ({clean_header_text(item.predikat_terverifikasi)})" if not _missing(item.predikat_terverifikasi) else ""),
        f"Indikator bermasalah: {format_angka(item.persen_indikator_bermasalah)} %",  # as the report: `32,74 %`
        "",
        "Laporan lengkap ada pada versi HTML email ini.",
    ]
    if item.attachment:
        lines.append(f"Seluruh temuan terlampir: {Path(item.attachment).name}")
    lines += ["", "Email ini dikirim otomatis oleh iid-audit; balas email ini bila ada pertanyaan."]
    return "\n".join(lines) + "\n"


def _attachment_type(path: Path) -> tuple[str, str]:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return tuple(_XLSX.split("/", 1))  # type: ignore[return-value]
    if suffix == ".csv":
        return "text", "csv"
    guessed, _ = mimetypes.guess_type(path.name)
    if guessed and "/" in guessed:
        return tuple(guessed.split("/", 1))  # type: ignore[return-value]
    return "application", "octet-stream"


def build_message(
    item: ReportMessage,
    settings: Settings,
    *,
    run_id: str = "",
    seq: int = 0,
    digest: str | None = None,
    now: datetime | None = None,
) -> EmailMessage:
    """The email for one Pemda. `run_id`/`seq` make the Message-ID (the ledger key)."""
    digest = digest or content_hash(item)
    sender_name, sender_addr = _sender(settings)
    recips = item.recipients
    msg = EmailMessage(policy=BUILD_POLICY)
    msg["Subject"] = subject_for(item)
    msg["From"] = Address(display_name=sender_name, addr_spec=sender_addr)
    if recips.to:
        # The admin's name greets the first address only: the others may be other people.
        to = [Address(display_name=clean_header_text(recips.name, limit=80) if i == 0 else "",
                      addr_spec=a) for i, a in enumerate(recips.to)]
        msg["To"] = to
    if recips.cc:
        msg["Cc"] = [Address(addr_spec=a) for a in recips.cc]
    reply_to = settings.smtp.reply_to
    if reply_to:
        rname, raddr = parseaddr(reply_to)
        msg["Reply-To"] = Address(display_name=clean_header_text(rname, limit=80), addr_spec=raddr)
    else:
        msg["Reply-To"] = Address(display_name=sender_name, addr_spec=sender_addr)
    msg["Date"] = format_datetime(now or datetime.now(timezone.utc))
    msg["Message-ID"] = message_id_for(item.kode_pemda, run_id, digest, seq, settings)
    msg["Content-Language"] = "id"
    msg[KEY_HEADERS[0]] = clean_header_text(item.kode_pemda, limit=32)
    msg[KEY_HEADERS[1]] = clean_header_text(run_id, limit=200)
    msg[KEY_HEADERS[2]] = digest
    msg[KEY_HEADERS[3]] = str(int(seq))

    msg.set_content(item.text if item.text else default_text(item), subtype="plain", charset="utf-8")
    msg.make_alternative()
    msg.attach(_html_part(item.html))
    if item.attachment:
        path = Path(item.attachment)
        maintype, subtype = _attachment_type(path)
        filename = clean_header_text(path.name, limit=120) or "temuan"
        msg.add_attachment(path.read_bytes(), maintype=maintype, subtype=subtype, filename=filename)
    # Deterministic MIME boundaries: the same report in the same run serializes to the same
    # bytes (an outbox file can be compared with a rebuild). `=_` never occurs in QP/base64.
    tag = hashlib.sha256(str(msg["Message-ID"]).encode()).hexdigest()[:24]
    for i, part in enumerate(p for p in msg.walk() if p.is_multipart()):
        part.set_boundary(f"=_iid{tag}_{i}")
    return msg


def _html_part(html: str) -> MIMEPart:
    """The HTML report as a quoted-printable part: what `add_alternative` builds, encoded by
    `binascii` (C) instead of `email.quoprimime` (pure Python, 4 ms for a 100 KB report, 550
    reports a night)."""
    part = MIMEPart(policy=BUILD_POLICY)
    part["Content-Type"] = 'text/html; charset="utf-8"'
    part["Content-Transfer-Encoding"] = "quoted-printable"
    part.set_payload(binascii.b2a_qp(html.encode("utf-8"), istext=True).decode("ascii"))
    return part


def findings_csv_attachment(findings: pd.DataFrame, path: Path) -> Path:
    """Write one Pemda's findings as a formula-safe CSV to attach (when no XLSX was made)."""
    return write_csv(findings, Path(path))


class _WireGenerator(BytesGenerator):
    """`BytesGenerator` whose bodies get their CRLF line ends in one substitution: the stdlib
    writes a 100 KB report line by line, a write call per line and per line end (3.5 ms a
    message). The same bytes: the stdlib splits at `NLCRE` (CRLF, CR, LF) and joins the lines
    with the line end; here each of those becomes the line end by `str.replace`."""

    def _write_lines(self, lines: str) -> None:
        if lines:
            if "\r" in lines:
                lines = lines.replace("\r\n", "\n").replace("\r", "\n")
            self.write(lines.replace("\n", self._NL))

    def _write_headers(self, msg: MIMEPart) -> None:
        """A header whose value is ASCII and fits on one line is written as it is: folding
        it through its parse tree (0.7 ms of a message's 1.6) gives the same line. The others
        are folded by the policy, as the stdlib folds them all (tested)."""
        limit, nl = self.policy.max_line_length or -1, self.policy.linesep  # (no limit: all folded)
        for name, value in msg.raw_items():
            text = str(value)
            if (text and text.isascii() and text == text.strip() and "\n" not in text and "\r" not in text
                    and len(name) + 2 + len(text) <= limit):
                self._fp.write(f"{name}: {text}{nl}".encode("ascii"))
            else:
                self._fp.write(self.policy.fold_binary(name, value))
        self.write(self._NL)


def serialize(msg: EmailMessage) -> bytes:
    """The message as sent and as kept in the outbox (`msg.as_bytes(policy=WIRE_POLICY)`)."""
    fp = BytesIO()
    _WireGenerator(fp, mangle_from_=False, policy=WIRE_POLICY).flatten(msg, unixfrom=False)
    return fp.getvalue()


def report_messages(
    ringkasan: pd.DataFrame,
    *,
    tahun: int,
    html: dict[str, str],
    recipients: dict[str, Recipients],
    attachments: dict[str, Path] | None = None,
    text: dict[str, str] | None = None,
    score_change: dict[str, float | None] | None = None,
) -> list[ReportMessage]:
    """One ReportMessage per `ringkasan` row (`core.ringkasan` columns) that
    has a rendered HTML report; a Pemda absent from `recipients` gets empty Recipients, so
    `deliver` lists it under `no_recipient`.

    `score_change`: the verified-score change each rendered report shows
    (`ReportFiles.selisih_skor_terverifikasi`); when given it is the subject's only source, so
    the subject never says another change than the body. Without it, `ringkasan`'s."""
    out: list[ReportMessage] = []
    for rec in ringkasan.to_dict("records"):  # one row per Pemda
        kode = str(rec["kode_pemda"])
        if kode not in html:
            continue  # its report could not be rendered: the flow reports that failure
        change = score_change.get(kode) if score_change is not None else rec.get("selisih_skor_terverifikasi")
        out.append(ReportMessage(
            kode_pemda=kode,
            pemda=str(rec.get("pemda") or kode),
            tahun=int(tahun),
            skor_terverifikasi=None if _missing(rec.get("skor_terverifikasi")) else float(rec["skor_terverifikasi"]),
            predikat_terverifikasi=None if _missing(rec.get("predikat_terverifikasi")) else str(rec["predikat_terverifikasi"]),
            skor_klaim=None if _missing(rec.get("skor_klaim")) else float(rec["skor_klaim"]),
            persen_indikator_bermasalah=None if _missing(rec.get("persen_indikator_bermasalah"))
            else float(rec["persen_indikator_bermasalah"]),
            selisih_skor_terverifikasi=None if _missing(change) else float(change),  # type: ignore[arg-type]
            html=html[kode],
            text=(text or {}).get(kode),
            attachment=(attachments or {}).get(kode),
            recipients=recipients.get(kode, Recipients()),
        ))
    return out
