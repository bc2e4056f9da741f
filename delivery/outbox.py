"""The outbox: messages written as `.eml` files (dry run, or no SMTP configured), to be
read, checked and later sent with `iid-audit outbox send DIR` (`delivery.send_outbox`).

Files are written atomically (temp file, fsync, rename): a crash never leaves half a
message that a later `outbox send` would mail.
"""

from __future__ import annotations

import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from core.files import atomic_write
from delivery.message import serialize

_NAME_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def eml_name(kode_pemda: str, digest: str, seq: int) -> str:
    kode = _NAME_SAFE.sub("-", str(kode_pemda)) or "x"
    return f"{kode}_{digest[:12]}_{int(seq)}.eml"


def write_eml(outbox_dir: Path, name: str, msg: EmailMessage) -> Path:
    return atomic_write(Path(outbox_dir) / name, serialize(msg))


def read_eml(path: Path) -> EmailMessage:
    with open(path, "rb") as fh:
        return BytesParser(policy=policy.default).parse(fh)  # type: ignore[return-value]


#: Where a superseded message is moved (kept for the record, never sent).
SUPERSEDED_DIR = "diganti"


def retire(path: str | Path | None) -> Path | None:
    """Move a superseded `.eml` into `diganti/` beside it (its record stays; `outbox send`
    never sees it). A file already gone is fine: the ledger row says what it was."""
    if not path:
        return None
    p = Path(path)
    if not p.is_file():
        return None
    dest = p.parent / SUPERSEDED_DIR / p.name
    dest.parent.mkdir(parents=True, exist_ok=True)
    p.replace(dest)
    return dest


def list_outbox(outbox_dir: Path) -> list[Path]:
    """The `.eml` files of an outbox, in a stable order (temp files excluded)."""
    d = Path(outbox_dir)
    if not d.is_dir():
        return []
    return sorted(p for p in d.glob("*.eml") if not p.name.startswith("."))
