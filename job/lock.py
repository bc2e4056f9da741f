"""Run locks: an advisory file lock (`fcntl.flock`), held for the life of a run.

Why a file lock and not a Prefect concurrency limit: it works with no Prefect server at all
(the CLI's temporary server, a cron job, two terminals), and the kernel releases it when the
process dies, so a run killed half-way never leaves a stale lock behind: the rerun just
takes it. (`iid-audit serve` also gives the nightly deployment a Prefect concurrency limit of
one, so the UI shows a second scheduled run as cancelled instead of failed.)

Two locks are taken:
- `<state_dir>/nightly.lock`: at most one nightly (all-Pemda) audit at a time on this machine;
- `<out_dir>/.iid-audit.lock`: at most one run writing into one output folder.
POSIX only (Linux/macOS servers); on Windows the lock is a no-op.
"""

from __future__ import annotations

import os
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from core.outcomes import UsageError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class RunLocked(UsageError):
    """Another run holds the lock."""


@contextmanager
def run_lock(path: Path, pesan: str, message: str) -> Iterator[Path]:
    """Hold an exclusive lock on `path` or raise `RunLocked(pesan / message)` at once."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # Never through a link: a lock file that is a symlink to another file would have that
        # file truncated and overwritten with our PID.
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except OSError as exc:
        raise RunLocked(f"Berkas kunci {path} tidak dapat dipakai (tautan simbolik?): {exc.strerror}",
                        f"Lock file {path} cannot be used (a symbolic link?): {exc.strerror}") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise RunLocked(f"Berkas kunci {path} bukan berkas biasa", f"Lock file {path} is not a regular file")
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise RunLocked(pesan, message) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())  # who holds it, for a person looking
        yield path
    finally:
        os.close(fd)  # closing releases the lock


def nightly_lock(state_dir: Path):
    return run_lock(
        Path(state_dir) / "nightly.lock",
        "Audit nasional lain sedang berjalan (kunci nightly.lock dipegang proses lain)",
        "Another nightly audit is running (nightly.lock is held by another process)",
    )


def out_dir_lock(out_dir: Path):
    return run_lock(
        Path(out_dir) / ".iid-audit.lock",
        f"Audit lain sedang menulis ke {out_dir}",
        f"Another audit is writing to {out_dir}",
    )
