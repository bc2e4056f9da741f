"""Every runtime limit and default of iid-audit, in one place, each with the reason for it.

Configuration is read from the environment (and a `.env` file in the working folder) once,
into a typed, frozen `Settings`. Business code receives a `Settings`; it never reads
`os.environ` itself. Audit thresholds that change with the guideline year (divisor k, word
counts, file sizes, windows) are *not* here: they live in the year's catalog YAML
(`checks/catalog/<year>.yaml`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

#: Assessment year used when neither `--year` nor `Tahun Penilaian` says otherwise.
DEFAULT_YEAR = 2026

#: Gmail clips an HTML body past ~102 KB; stay under it with a margin.
REPORT_BODY_BUDGET_BYTES = 100_000

#: How many findings a report shows in full before pointing at the attachment (the real cap
#: is the byte budget above; this keeps rendering time bounded for pathological exports).
REPORT_MAX_FINDINGS_SHOWN = 400

#: "Perbaiki dulu" lists this many costly slots: a to-do list a busy operator reads at once.
REPORT_FIX_FIRST_ROWS = 10

#: When a report must be cut to fit REPORT_BODY_BUDGET_BYTES, the innovation x indicator
#: matrix may keep at most this share of the room; findings (what to fix) keep the rest.
REPORT_MATRIX_BUDGET_SHARE = 0.4

#: A single SMTP command may hang forever without a timeout (smtplib has none by default).
SMTP_TIMEOUT_SECONDS = 30.0

#: Transient SMTP faults (4xx, greylisting, dropped connections) are retried this often,
#: with exponential backoff starting at SMTP_RETRY_BASE_SECONDS.
SMTP_RETRIES = 3
SMTP_RETRY_BASE_SECONDS = 2.0

#: If this share of the Pemda attempted so far fail with the same error (and at least
#: SEND_FAILURE_MIN_ATTEMPTS were tried), the fault is ours: stop before emailing the rest.
SEND_FAILURE_STOP_RATIO = 0.5
SEND_FAILURE_MIN_ATTEMPTS = 5

#: Messages per second; public mail relays throttle bursts from one sender.
SEND_RATE_PER_SECOND = 5.0

#: Evidence PDFs larger than this are not opened for text checks (BKT-09/10): bounded memory.
MAX_EVIDENCE_PDF_BYTES = 50 * 1024 * 1024


def _default_state_dir() -> Path:
    """Stable home for the send ledger: not inside a run folder, so reruns see it."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "iid-audit"


@dataclass(frozen=True)
class SmtpSettings:
    host: str | None = None
    port: int = 587
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    tls: str = "starttls"  # starttls | ssl | none
    sender: str = "iid-audit <iid-audit@localhost>"
    reply_to: str | None = None
    timeout: float = SMTP_TIMEOUT_SECONDS

    @property
    def configured(self) -> bool:
        return bool(self.host)


@dataclass(frozen=True)
class Settings:
    year: int = DEFAULT_YEAR
    lang: str = "id"
    db_url: str = ""
    state_dir: Path = field(default_factory=_default_state_dir)
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    send_rate_per_second: float = SEND_RATE_PER_SECOND
    report_budget_bytes: int = REPORT_BODY_BUDGET_BYTES
    #: Show tracebacks and debug logs (IID_AUDIT_DEBUG=1); off: one line per error.
    debug: bool = False

    @property
    def database_url(self) -> str:
        """SQLAlchemy URL of the history/ledger database (SQLite in a stable place by default)."""
        if self.db_url:
            return self.db_url
        return f"sqlite:///{self.state_dir / 'iid-audit.sqlite'}"

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)


def _load_dotenv(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    from dotenv import dotenv_values

    return {k: v for k, v in dotenv_values(path).items() if v is not None}


def load_settings(env: Mapping[str, str] | None = None, dotenv: Path | None = None) -> Settings:
    """Read configuration once. `env` defaults to the process environment over `./.env`."""
    if env is None:
        merged = _load_dotenv(dotenv or Path.cwd() / ".env")
        merged.update(os.environ)
        env = merged
    smtp = SmtpSettings(
        host=env.get("IID_AUDIT_SMTP_HOST") or None,
        port=int(env.get("IID_AUDIT_SMTP_PORT") or (465 if env.get("IID_AUDIT_SMTP_TLS") == "ssl" else 587)),
        user=env.get("IID_AUDIT_SMTP_USER") or None,
        password=env.get("IID_AUDIT_SMTP_PASSWORD") or None,
        tls=(env.get("IID_AUDIT_SMTP_TLS") or "starttls").lower(),
        sender=env.get("IID_AUDIT_SMTP_FROM") or SmtpSettings.sender,
        reply_to=env.get("IID_AUDIT_SMTP_REPLY_TO") or None,
        timeout=float(env.get("IID_AUDIT_SMTP_TIMEOUT") or SMTP_TIMEOUT_SECONDS),
    )
    if smtp.tls not in {"starttls", "ssl", "none"}:
        raise ValueError("IID_AUDIT_SMTP_TLS harus starttls, ssl atau none / must be starttls, ssl or none")
    state_dir = Path(env["IID_AUDIT_STATE_DIR"]) if env.get("IID_AUDIT_STATE_DIR") else _default_state_dir()
    return Settings(
        year=int(env.get("IID_AUDIT_YEAR") or DEFAULT_YEAR),
        lang=env.get("IID_AUDIT_LANG") or "id",
        db_url=env.get("IID_AUDIT_DB_URL") or "",
        state_dir=state_dir,
        smtp=smtp,
        send_rate_per_second=float(env.get("IID_AUDIT_SEND_RATE") or SEND_RATE_PER_SECOND),
        debug=(env.get("IID_AUDIT_DEBUG") or "").strip().lower() in {"1", "true", "yes", "on"},
    )
