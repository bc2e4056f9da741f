"""An export's fingerprint: SHA-256 over the names and bytes of the files its raw read reads.
It keys the export cache (`ingest.cache`) and the history's runs (`store.history`).

Here in `core`, which imports nothing heavy, and not in `ingest` (which imports pandas): the
command starts hashing (`fingerprint_ahead`) before it loads the analysis. Hashing 230 MB takes
0.3 s; `hashlib` releases the GIL while it reads, so a thread does it on the other core while
this one imports the rest of the program, and the read finds it done.
"""

from __future__ import annotations

import hashlib
import threading
from concurrent.futures import Future
from pathlib import Path

#: File suffixes read as an export (`ingest.readers`), and by the newest-export glob of the pipeline.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")
CSV_SUFFIXES = (".csv",)
EXPORT_SUFFIXES = WORKBOOK_SUFFIXES + CSV_SUFFIXES

#: Digests computed or being computed, by (files, their names, sizes and modification times):
#: remembered while no file changed (a few exports at most).
_DIGESTS: dict[tuple, Future] = {}
_LOCK = threading.Lock()


def export_files(path: Path) -> list[Path]:
    """The files an export's raw read reads: the file itself, or a folder's CSV and workbook
    files (what `ingest.readers.read_raw` chooses from)."""
    path = Path(path)
    if path.is_file():
        return [path]
    return sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith(("~$", ".", "._"))
                  and p.suffix.lower() in EXPORT_SUFFIXES)


def export_digest(path: Path) -> str:
    """The export's fingerprint: SHA-256 over the names and bytes of the files its raw read
    reads (`export_files`; evidence files are fingerprinted one by one by the rules). Computed
    once per run however often asked (the cache and the history both want it), or waited for
    when `fingerprint_ahead` is computing it."""
    future, files, fresh = _claim(path)
    if fresh:
        _compute(future, files)
    return future.result()


def fingerprint_ahead(path: Path) -> None:
    """Start `export_digest(path)` in a thread; nothing when `path` is no readable export (the
    command then says why, as it does without this)."""
    try:
        future, files, fresh = _claim(path)
    except OSError:
        return
    if fresh:
        threading.Thread(target=_compute, args=(future, files), name="iid-audit-sidik", daemon=True).start()


def _claim(path: Path) -> tuple[Future, tuple[Path, ...], bool]:
    """The future of `path`'s digest, the files it hashes, and whether the caller must compute
    it (the first to ask); a digest that failed is forgotten, so the next asks again."""
    files = tuple(export_files(path))
    key = (files, tuple((f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in files))
    with _LOCK:
        future = _DIGESTS.get(key)
        if future is not None and not (future.done() and future.exception() is not None):
            return future, files, False
        if len(_DIGESTS) >= 8:
            _DIGESTS.clear()
        future = _DIGESTS[key] = Future()
    return future, files, True


#: Bytes read and hashed at a time. Each read and each hash runs without the GIL; between
#: them the thread takes the GIL back, waiting for the importing thread to yield it (up to
#: 5 ms): `hashlib.file_digest`'s 256 KB steps made 900 such waits for 230 MB, 16 MB make 15.
CHUNK_BYTES = 16 * 1024 * 1024


def _compute(future: Future, files: tuple[Path, ...]) -> None:
    try:
        h = hashlib.sha256()
        buffer = memoryview(bytearray(CHUNK_BYTES))
        for f in files:
            h.update(f.name.encode("utf-8", "surrogateescape") + b"\0")
            one = hashlib.sha256()
            with f.open("rb", buffering=0) as fh:
                while n := fh.readinto(buffer):
                    one.update(buffer[:n])
            h.update(one.digest())
        future.set_result(h.hexdigest())
    except BaseException as exc:  # noqa: BLE001 - whoever waits for the digest raises it
        future.set_exception(exc)
