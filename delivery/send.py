"""Deliver each Pemda's report once: ledger first, then SMTP (or the outbox).

Order of one delivery (`deliver_one`):

1. No valid recipient: without sending, the message is still written to the outbox (with no
   `To`, `unaddressed`), so nothing is lost; when sending, it is skipped as `no_recipient`.
   Either way it is listed, and it is not a failure (the export carries no addresses; an
   address book supplies them).
2. Ledger rows of this key (Pemda, run, content hash). A row still `in_progress` was left by
   a crash (or is a worker still sending): it becomes `uncertain` — possibly sent. A `sent`
   row means this run already delivered it; an `uncertain` row is reported and NOT resent:
   a duplicate to a government inbox is worse than a report the operator resends by hand
   with `resend=True` after checking. (An SMTP server cannot be asked whether it queued a
   message, and the outbox only proves it was written, so there is nothing to check.)
   `deliver` and `send_outbox` first turn *every* leftover `in_progress` row into
   `uncertain` (listed in `DeliverySummary.reconciled`), so a crashed send of an older
   version of a report is reported too, not forgotten.
3. The last `sent`/`uncertain` row of this Pemda (any run) has the same content hash →
   `skipped_unchanged` (tomorrow's run does not mail an unchanged report) or `uncertain`,
   unless `resend=True`.
4. Claim: insert an `in_progress` row (unique key: a concurrent worker loses) or take back a
   `failed`/`outbox` row with a conditional UPDATE; the claim is committed *before* DATA.
5. Send over the shared connection; temporary faults retried with exponential backoff;
   permanent ones recorded as `failed`; a lost reply after the body → `uncertain`.

Personal data (addresses, names) never goes to the log: kode_pemda, states and codes only.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path
from typing import Callable

import sqlalchemy as sa

from delivery.message import (
    KEY_HEADERS,
    ReportMessage,
    build_message,
    content_hash,
    envelope_sender,
    message_id_for,
    serialize,
)
from delivery.outbox import eml_name, list_outbox, read_eml, retire, write_eml
from delivery.recipients import validate_address
from delivery.transport import ConfigFault, PermanentFault, RateLimiter, SmtpTransport, TemporaryFault, Uncertain
from core import settings as limits
from core.outcomes import AuditError, Outcome, UsageError
from core.settings import Settings
from store.ledger import FAILED, IN_PROGRESS, OUTBOX, REUSABLE, SENT, SUPERSEDED, UNCERTAIN, Ledger, LedgerRow

log = logging.getLogger(__name__)

# ItemResult.status values (ledger states where they coincide)
STATUS_SENT = SENT
STATUS_SKIPPED = "skipped_unchanged"
STATUS_OUTBOX = OUTBOX
STATUS_FAILED = FAILED
STATUS_NO_RECIPIENT = "no_recipient"
STATUS_UNCERTAIN = UNCERTAIN
STATUS_SUPERSEDED = SUPERSEDED


@dataclass
class ItemResult:
    kode_pemda: str
    status: str
    reason: str = ""
    message_id: str | None = None
    smtp_code: int | None = None
    error: str | None = None  # server text may name an address: summary only, never logged
    refused: dict[str, tuple[int, str]] = field(default_factory=dict)
    path: Path | None = None  # the .eml written (outbox)
    attempted: bool = False  # an SMTP transaction was tried (counts for the stop guard)
    signature: str | None = None  # failure kind, for the stop guard
    unaddressed: bool = False  # the report has no valid recipient yet


@dataclass
class DeliverySummary:
    sent: list[str] = field(default_factory=list)
    skipped_unchanged: list[str] = field(default_factory=list)
    outbox: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    no_recipient: list[str] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)
    #: outbox messages not sent because a newer report of the same Pemda exists
    superseded: list[str] = field(default_factory=list)
    #: kode_pemda → refused recipients of messages that reached the others
    refused: dict[str, dict[str, tuple[int, str]]] = field(default_factory=dict)
    results: list[ItemResult] = field(default_factory=list)
    aborted: str | None = None
    #: kode_pemda of sends found `in_progress` (a crash) at the start, now `uncertain`
    reconciled: list[str] = field(default_factory=list)

    @property
    def unaddressed(self) -> list[str]:
        """Pemda whose report has no valid recipient (outbox without `To`, or skipped)."""
        return [r.kode_pemda for r in self.results if r.unaddressed]

    _LISTS = {
        STATUS_SENT: "sent", STATUS_SKIPPED: "skipped_unchanged", STATUS_OUTBOX: "outbox",
        STATUS_FAILED: "failed", STATUS_NO_RECIPIENT: "no_recipient", STATUS_UNCERTAIN: "uncertain",
        STATUS_SUPERSEDED: "superseded",
    }

    def merged(self, *others: "DeliverySummary") -> "DeliverySummary":
        """This summary and `others` (parts of one delivery, in order) as one."""
        whole = DeliverySummary()
        for part in (self, *others):
            for r in part.results:
                whole.add(r)
            whole.reconciled += [k for k in part.reconciled if k not in whole.reconciled]
            whole.aborted = whole.aborted or part.aborted
        return whole

    def add(self, r: ItemResult) -> None:
        self.results.append(r)
        getattr(self, self._LISTS[r.status]).append(r.kode_pemda)
        if r.refused and r.status == STATUS_SENT:
            self.refused[r.kode_pemda] = dict(r.refused)

    @classmethod
    def from_results(cls, results: list[ItemResult]) -> "DeliverySummary":
        s = cls()
        for r in results:
            s.add(r)
        return s

    def counts(self) -> dict[str, int]:
        c = {name: len(getattr(self, name)) for name in self._LISTS.values()}
        c["refused_recipients"] = sum(len(v) for v in self.refused.values())
        c["unaddressed"] = len(self.unaddressed)
        return c

    @property
    def outcome(self) -> Outcome:
        """PARTIAL when anything needs the operator (failed, uncertain, refused, reconciled).
    A Pemda without an address is listed (`unaddressed`), not a failure."""
        if self.aborted or self.failed or self.uncertain or self.refused or self.reconciled:
            return Outcome.PARTIAL
        return Outcome.CLEAN


class DeliveryAborted(AuditError):
    """Most Pemda failed with the same error, or SMTP is misconfigured: the fault is ours,
    so delivery stopped before mailing the rest. `summary` holds what happened so far."""

    outcome = Outcome.PARTIAL

    def __init__(self, summary: DeliverySummary, reason: str):
        summary.aborted = reason
        self.summary = summary
        super().__init__(f"Pengiriman email dihentikan: {reason}", f"delivery stopped: {reason}")


class StopGuard:
    """SEND_FAILURE_STOP_RATIO of the attempted Pemda failing with one same error (after at
    least SEND_FAILURE_MIN_ATTEMPTS) means our bug or our relay, not theirs."""

    def __init__(self, ratio: float = limits.SEND_FAILURE_STOP_RATIO,
                 min_attempts: int = limits.SEND_FAILURE_MIN_ATTEMPTS):
        self.ratio = ratio
        self.min_attempts = min_attempts
        self.attempted = 0
        self.failures: Counter[str] = Counter()

    def record(self, r: ItemResult) -> str | None:
        """Count one result; the reason to stop, or None."""
        if not r.attempted:
            return None
        self.attempted += 1
        if r.status in (STATUS_FAILED, STATUS_UNCERTAIN) and r.signature:  # every kind of failure counts
            self.failures[r.signature] += 1
        if self.attempted < self.min_attempts or not self.failures:
            return None
        sig, n = self.failures.most_common(1)[0]
        if n / self.attempted >= self.ratio:
            return f"{n} dari {self.attempted} Pemda gagal dengan galat sama ({sig})"
        return None


# ---- the decision ---------------------------------------------------------------------------
@dataclass
class _Plan:
    skip: ItemResult | None = None
    reuse: LedgerRow | None = None
    seq: int = 0


def _plan(ledger: Ledger, kode: str, run_id: str, digest: str, resend: bool) -> _Plan:
    rows = ledger.rows_for_key(kode, run_id, digest)
    stale = [r for r in rows if r.state == IN_PROGRESS]
    for r in stale:
        # Left by a crash (or a worker still sending): possibly delivered. See module doc.
        ledger.mark_uncertain(r.id, "ditemukan in_progress oleh percobaan berikutnya: mungkin terkirim")
        log.warning("deliver %s: send left in_progress found, marked uncertain", kode)
    if stale:
        rows = ledger.rows_for_key(kode, run_id, digest)
    if not resend:
        done = [r for r in rows if r.state in (SENT, UNCERTAIN, IN_PROGRESS)]
        if done:
            last = done[-1]
            if last.state == SENT:
                return _Plan(skip=ItemResult(kode, STATUS_SKIPPED, reason="sudah terkirim pada run ini",
                                             message_id=last.message_id))
            return _Plan(skip=ItemResult(kode, STATUS_UNCERTAIN, message_id=last.message_id,
                                         reason="mungkin sudah terkirim (pengiriman terputus); kirim ulang dengan resend"))
        prev = ledger.last_maybe_delivered(kode)
        if prev is not None and prev.content_hash == digest:
            if prev.state == SENT:
                return _Plan(skip=ItemResult(kode, STATUS_SKIPPED, message_id=prev.message_id,
                                             reason=f"laporan tidak berubah sejak run {prev.run_id}"))
            return _Plan(skip=ItemResult(kode, STATUS_UNCERTAIN, message_id=prev.message_id,
                                         reason=f"laporan sama mungkin sudah terkirim pada run {prev.run_id}; "
                                                "kirim ulang dengan resend"))
    if rows and rows[-1].state in REUSABLE:
        return _Plan(reuse=rows[-1], seq=rows[-1].seq)
    return _Plan(seq=(max(r.seq for r in rows) + 1) if rows else 0)


def _claim(ledger: Ledger, plan: _Plan, kode: str, run_id: str, digest: str, message_id: str) -> int | None:
    if plan.reuse is not None:
        if not ledger.claim(plan.reuse.id):
            return None
        return plan.reuse.id
    row = ledger.insert(kode, run_id, digest, plan.seq, IN_PROGRESS, message_id)
    return row.id if row else None


def _transmit(
    ledger: Ledger, row_id: int, kode: str, message_id: str, data: bytes, envelope: list[str], *,
    settings: Settings, transport: SmtpTransport, sleep: Callable[[float], None],
    limiter: RateLimiter | None,
) -> ItemResult:
    """One claimed message over SMTP with retries; the ledger row ends sent/failed/uncertain."""
    from_addr = envelope_sender(settings)
    attempt = 0
    while True:
        try:
            if limiter is not None:
                limiter.wait()
            refused = transport.send(from_addr, envelope, data)
        except Uncertain as e:
            ledger.mark_uncertain(row_id, str(e))
            log.warning("deliver %s: connection lost after the body, marked uncertain", kode)
            return ItemResult(kode, STATUS_UNCERTAIN, reason="balasan server hilang setelah isi terkirim",
                              message_id=message_id, error=str(e), attempted=True, signature=e.signature)
        except TemporaryFault as e:
            if attempt < limits.SMTP_RETRIES:
                delay = limits.SMTP_RETRY_BASE_SECONDS * (2 ** attempt)
                log.info("deliver %s: temporary fault %s, retry %d in %.1fs", kode, e.code, attempt + 1, delay)
                sleep(delay)
                attempt += 1
                continue
            ledger.mark_failed(row_id, e.code, str(e), e.refused)
            log.warning("deliver %s: failed after %d retries (%s)", kode, attempt, e.code)
            return ItemResult(kode, STATUS_FAILED, reason="gangguan sementara berulang", message_id=message_id,
                              smtp_code=e.code, error=str(e), refused=e.refused, attempted=True,
                              signature=e.signature)
        except PermanentFault as e:  # ConfigFault included
            ledger.mark_failed(row_id, e.code, str(e), e.refused)
            log.warning("deliver %s: permanent failure (%s)", kode, e.code)
            r = ItemResult(kode, STATUS_FAILED, reason="ditolak server", message_id=message_id,
                           smtp_code=e.code, error=str(e), refused=e.refused, attempted=True,
                           signature=e.signature)
            if isinstance(e, ConfigFault):
                raise DeliveryAborted(DeliverySummary.from_results([r]), f"konfigurasi SMTP: {e}") from e
            return r
        accepted = [a for a in envelope if a not in refused]
        ledger.mark_sent(row_id, message_id, accepted, {a: list(v) for a, v in refused.items()})
        _supersede(ledger, kode, None)  # the Pemda has this report: older unsent ones must never go
        log.info("deliver %s: sent to %d recipient(s), %d refused", kode, len(accepted), len(refused))
        return ItemResult(kode, STATUS_SENT, message_id=message_id, refused=dict(refused), attempted=True)


def _supersede(ledger: Ledger, kode: str, keep_id: int | None, keep_path: Path | None = None) -> None:
    """One pending message per Pemda: older unsent outbox messages are retired. An older row
    whose file is `keep_path` (the same report again, from a later run: same file name) is
    retired in the ledger only; its file now holds the pending message."""
    for r in ledger.supersede_outbox(kode, keep_id):
        if keep_path is None or r.outbox_path is None or Path(r.outbox_path) != Path(keep_path):
            retire(r.outbox_path)
        log.info("deliver %s: older outbox message superseded", kode)


def _reconcile(ledger: Ledger) -> list[str]:
    rows = ledger.reconcile_in_progress()
    if rows:
        log.warning("delivery: %d send(s) left in_progress by an earlier crash marked uncertain", len(rows))
    return sorted({r.kode_pemda for r in rows})


def deliver_one(
    item: ReportMessage,
    *,
    settings: Settings,
    engine: sa.Engine | None = None,
    run_id: str,
    outbox_dir: Path,
    send: bool,
    resend: bool = False,
    ledger: Ledger | None = None,
    transport: SmtpTransport | None = None,
    limiter: RateLimiter | None = None,
    sleep: Callable[[float], None] = time.sleep,
    now: datetime | None = None,
) -> ItemResult:
    """Deliver one Pemda's report (one Prefect task per Pemda can call this alone: it opens
    and closes its own connection when no `transport` is shared)."""
    kode = str(item.kode_pemda)
    to_outbox = not (send and settings.smtp.configured)
    if not item.recipients and not to_outbox:
        log.info("deliver %s: no valid recipient, skipped", kode)
        return ItemResult(kode, STATUS_NO_RECIPIENT, reason="tidak ada alamat email yang valid", unaddressed=True)
    if ledger is None:
        if engine is None:
            raise ValueError("deliver_one needs an engine or a ledger")
        ledger = Ledger(engine)
    digest = content_hash(item)
    plan = _plan(ledger, kode, run_id, digest, resend)
    if plan.skip is not None:
        log.info("deliver %s: %s", kode, plan.skip.status)
        return plan.skip
    msg = build_message(item, settings, run_id=run_id, seq=plan.seq, digest=digest, now=now)
    message_id = str(msg["Message-ID"])

    if to_outbox:
        path = write_eml(outbox_dir, eml_name(kode, digest, plan.seq), msg)
        if plan.reuse is not None:
            ledger.mark_outbox(plan.reuse.id, message_id, str(path))
            keep = plan.reuse.id
        else:
            row = ledger.insert(kode, run_id, digest, plan.seq, OUTBOX, message_id, str(path))
            keep = row.id if row else None
        _supersede(ledger, kode, keep, path)
        log.info("deliver %s: written to outbox%s", kode, "" if item.recipients else " without recipient")
        return ItemResult(kode, STATUS_OUTBOX, message_id=message_id, path=path, unaddressed=not item.recipients)

    row_id = _claim(ledger, plan, kode, run_id, digest, message_id)
    if row_id is None:
        return ItemResult(kode, STATUS_UNCERTAIN, message_id=message_id,
                          reason="sedang dikirim oleh proses lain")
    own = transport is None
    transport = transport or SmtpTransport(settings.smtp)
    try:
        return _transmit(ledger, row_id, kode, message_id, serialize(msg), item.recipients.envelope,
                         settings=settings, transport=transport, sleep=sleep, limiter=limiter)
    finally:
        if own:
            transport.close()


def deliver(
    items: list[ReportMessage],
    *,
    settings: Settings,
    engine: sa.Engine,
    run_id: str,
    outbox_dir: Path,
    send: bool,
    resend: bool = False,
    only: str | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    on_result: Callable[[ItemResult], None] | None = None,
    now: datetime | None = None,
) -> DeliverySummary:
    """Deliver every report over one SMTP connection (or into `outbox_dir`).

    Raises DeliveryAborted (with `.summary`) when the stop guard trips or SMTP is
    misconfigured; `on_result` is called after each Pemda (progress, tests)."""
    ledger = Ledger(engine)
    summary = DeliverySummary()
    summary.reconciled = _reconcile(ledger)
    guard = StopGuard()
    use_smtp = send and settings.smtp.configured
    transport = SmtpTransport(settings.smtp) if use_smtp else None
    limiter = RateLimiter(settings.send_rate_per_second, clock=clock, sleep=sleep) if use_smtp else None
    todo = [i for i in items if only is None or str(i.kode_pemda) == str(only)]
    if only is not None and not todo:
        raise UsageError(f"Pemda {only} tidak ada di antara laporan", f"no report for Pemda {only}")
    try:
        for item in todo:  # loop over Pemda: one message each
            try:
                r = deliver_one(item, settings=settings, run_id=run_id, outbox_dir=outbox_dir, send=send,
                                resend=resend, ledger=ledger, transport=transport, limiter=limiter,
                                sleep=sleep, now=now)
            except DeliveryAborted as e:
                for prev in e.summary.results:
                    summary.add(prev)
                raise DeliveryAborted(summary, e.summary.aborted or "") from e
            summary.add(r)
            if on_result is not None:
                on_result(r)
            reason = guard.record(r)
            if reason:
                log.error("delivery stopped: %s", reason)
                raise DeliveryAborted(summary, reason)
    finally:
        if transport is not None:
            transport.close()
    log.info("delivery %s: %s", run_id, summary.counts())
    return summary


def _newest_per_pemda(ledger: Ledger, paths: list[Path]) -> list[tuple[Path, EmailMessage, bool]]:
    """Each outbox file with its message and whether it is superseded: its ledger row says so,
    or a newer message of the same Pemda is in the folder (newer = later `Date`, the moment
    the report's message was made; the file's time breaks a tie)."""
    items = []
    for path in paths:
        msg = read_eml(path)
        row = ledger.by_message_id(str(msg["Message-ID"] or ""))
        kode = str(msg.get(KEY_HEADERS[0]) or "").strip()
        try:
            made = parsedate_to_datetime(str(msg["Date"])).timestamp()
        except (TypeError, ValueError):
            made = 0.0
        rank = (made, path.stat().st_mtime)
        items.append((path, msg, kode, row, rank))
    newest: dict[str, tuple] = {}
    for path, _msg, kode, row, rank in items:
        if kode and (row is None or row.state != SUPERSEDED) and (kode not in newest or rank > newest[kode]):
            newest[kode] = rank
    out = []
    for path, msg, kode, row, rank in items:
        old = bool(kode) and ((row is not None and row.state == SUPERSEDED) or rank != newest.get(kode, rank))
        out.append((path, msg, old))
    return out


def _envelope_of(msg: EmailMessage) -> list[str]:
    pairs = getaddresses([str(v) for v in (msg.get_all("To") or []) + (msg.get_all("Cc") or [])])
    out: list[str] = []
    for _, addr in pairs:
        a = validate_address(addr)
        if a and a.lower() not in {o.lower() for o in out}:
            out.append(a)
    return out


def send_outbox(
    outbox_dir: Path,
    *,
    settings: Settings,
    engine: sa.Engine,
    resend: bool = False,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> DeliverySummary:
    """Send the `.eml` files a dry run left in `outbox_dir`, through the same ledger: a file
    already sent (by this or by `deliver`) is skipped, so running it twice mails nothing new.
    Only the newest pending message of each Pemda goes out: an older one (superseded by a
    later audit) is listed under `superseded` and moved to `outbox/diganti/`, never sent."""
    if not settings.smtp.configured:
        raise UsageError("SMTP belum dikonfigurasi (IID_AUDIT_SMTP_HOST)", "SMTP is not configured (IID_AUDIT_SMTP_HOST)")
    ledger = Ledger(engine)
    summary = DeliverySummary()
    summary.reconciled = _reconcile(ledger)
    guard = StopGuard()
    limiter = RateLimiter(settings.send_rate_per_second, clock=clock, sleep=sleep)
    pending = _newest_per_pemda(ledger, list_outbox(outbox_dir))
    with SmtpTransport(settings.smtp) as transport:
        for path, msg, superseded in pending:
            kode, run_id, digest = (str(msg.get(h) or "").strip() for h in KEY_HEADERS[:3])
            if superseded:
                row = ledger.by_message_id(str(msg["Message-ID"] or ""))
                if row is not None and row.state == OUTBOX:
                    ledger.transition(row.id, (OUTBOX,), SUPERSEDED, error="diganti laporan yang lebih baru")
                retire(path)
                summary.add(ItemResult(kode, STATUS_SUPERSEDED, reason="ada laporan yang lebih baru", path=path))
                continue
            if not (kode and digest):
                summary.add(ItemResult(kode or path.stem, STATUS_FAILED, reason="bukan email iid-audit (tanpa kunci)"))
                continue
            envelope = _envelope_of(msg)
            if not envelope:
                summary.add(ItemResult(kode, STATUS_NO_RECIPIENT, reason="tidak ada alamat email yang valid",
                                       unaddressed=True))
                continue
            row = ledger.by_message_id(str(msg["Message-ID"] or ""))
            if row is not None:  # the ledger's own key (the header run id may have been cleaned)
                run_id, digest = row.run_id, row.content_hash
            plan = _plan(ledger, kode, run_id, digest, resend)
            if plan.skip is not None:
                summary.add(plan.skip)
                continue
            message_id = message_id_for(kode, run_id, digest, plan.seq, settings)
            if plan.reuse is not None and plan.reuse.message_id:
                message_id = plan.reuse.message_id
            if str(msg["Message-ID"]) != message_id:  # a deliberate resend: new id
                msg.replace_header("Message-ID", message_id)
                msg.replace_header(KEY_HEADERS[3], str(plan.seq))
            row_id = _claim(ledger, plan, kode, run_id, digest, message_id)
            if row_id is None:
                summary.add(ItemResult(kode, STATUS_UNCERTAIN, reason="sedang dikirim oleh proses lain"))
                continue
            try:
                r = _transmit(ledger, row_id, kode, message_id, serialize(msg), envelope, settings=settings,
                              transport=transport, sleep=sleep, limiter=limiter)
            except DeliveryAborted as e:
                for prev in e.summary.results:
                    summary.add(prev)
                raise DeliveryAborted(summary, e.summary.aborted or "") from e
            r.path = path
            summary.add(r)
            reason = guard.record(r)
            if reason:
                raise DeliveryAborted(summary, reason)
    log.info("outbox send: %s", summary.counts())
    return summary
