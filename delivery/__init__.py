"""Email delivery of each Pemda's report: recipients, message, SMTP/outbox, send ledger.

Plain functions for the flows and the CLI (see `delivery.send` for the once-only rules).
"""

from delivery.message import ReportMessage, build_message, content_hash, findings_csv_attachment, report_messages
from delivery.recipients import Recipients, recipients_from_profil, validate_address
from delivery.send import (
    DeliveryAborted,
    DeliverySummary,
    ItemResult,
    StopGuard,
    deliver,
    deliver_one,
    send_outbox,
)
from delivery.transport import RateLimiter, SmtpTransport

__all__ = [
    "DeliveryAborted",
    "DeliverySummary",
    "ItemResult",
    "RateLimiter",
    "Recipients",
    "ReportMessage",
    "SmtpTransport",
    "StopGuard",
    "build_message",
    "content_hash",
    "deliver",
    "deliver_one",
    "findings_csv_attachment",
    "recipients_from_profil",
    "report_messages",
    "send_outbox",
    "validate_address",
]
