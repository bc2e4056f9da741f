"""Writing files so that a reader never sees half of one: temp file beside the target, fsync,
rename over it (atomic on POSIX), and the folder fsynced so the rename survives a power cut.
A killed run leaves at most a `.<name>.<pid>.tmp`, which the next run removes."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

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
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


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
