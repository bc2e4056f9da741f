"""Writing files so that a reader never sees half of one: temp file beside the target, fsync,
rename over it (atomic on POSIX), and the folder fsynced so the rename survives a power cut.
A killed run leaves at most a `.<name>.<pid>.tmp`, which the next run removes."""

from __future__ import annotations

import contextvars
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

#: Inside `deferred_sync()`: atomic writes rename without their own fsync; one sync at the end.
_DEFERRED: contextvars.ContextVar[bool] = contextvars.ContextVar("iid_audit_deferred_sync", default=False)

#: Leftovers of a killed writer match this (see `remove_leftovers`; pathlib's `*` matches
#: hidden names too, so older `name.tmp` leftovers go as well).
TMP_GLOB = "*.tmp"


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temp path to write (by any library) in place of `path`; on success it is
    fsynced and renamed over `path`, on an exception removed and `path` left as it was."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    deferred = _DEFERRED.get()
    try:
        yield tmp
        if not deferred:
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if not deferred:
        _fsync_dir(path.parent)


@contextmanager
def deferred_sync(sync: bool = True) -> Iterator[None]:
    """Many files written in a row (546 reports and their attachments into a run's staging
    folder): each is still written to a temp name and renamed, but the data reaches the disk
    by one `os.sync()` when the block ends instead of two fsyncs per file (~2 ms each, over a
    thousand files). Only for files nothing reads before the block ends: the staging folder is
    published after it. With `sync=False` the caller syncs once after many such blocks
    (`sync_disk`: a report worker's block is one report)."""
    token = _DEFERRED.set(True)
    try:
        yield
    finally:
        _DEFERRED.reset(token)
        if sync:
            sync_disk()


def sync_disk() -> None:
    """Every written file's data onto the disk (the end of `deferred_sync` blocks)."""
    os.sync()


def atomic_write(path: Path, data: bytes | str, encoding: str = "utf-8") -> Path:
    """Write `data` (text as `encoding`) to `path` atomically; returns `path`."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data.encode(encoding) if isinstance(data, str) else data)
    return Path(path)


def remove_leftovers(*folders: Path) -> int:
    """Delete the temp files a killed writer left in `folders`; how many were removed."""
    n = 0
    for folder in folders:
        if Path(folder).is_dir():
            for tmp in Path(folder).glob(TMP_GLOB):
                tmp.unlink(missing_ok=True)
                n += 1
    return n
