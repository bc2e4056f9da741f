"""The other cores: forked worker processes that read this process's data in place.

The work worth spreading (GX validating the national tables, rendering 546 reports, building
and writing their outbox messages, writing the export cache) reads a gigabyte of frames this
process already holds. A forked child
shares those pages copy-on-write, so nothing is pickled across; spawn, a queue or a task
server would have to serialize the nation to every worker first. What goes back is small
(findings, report file names).

The data is handed over by inheritance: `pool(payload, n)` keeps `payload` in this module
before the workers fork, and a function run in a worker reads it with `shared()`. Only
module-level functions and small arguments are pickled per call.

Where fork is not available (Windows) or no worker is wanted, `pool` yields None and the callers
do the same work in this process, in the same order: the outputs are the same bytes either
way (tests run both). When a worker dies (killed, out of memory), its calls fail with
`BrokenExecutor` and the callers do that work here instead: nothing is lost, and a fault
that killed the worker would have stopped a run without workers just the same.

A fork copies every lock as it is at that moment, held or not, and none of the threads that
would release them: a child that takes a lock some other thread held at the fork waits
forever. `pool`'s workers fork with other threads alive (a Prefect flow run's client, which
holds none of what they touch): they compute from `shared()`, log through `logging` (whose
locks Python resets in the child), write their own files and return. `in_background`'s
children open databases and write caches, what another thread of the process may be in the
middle of (a Prefect flow run's threads; a finalizer closing an old SQLite connection on
one of them held SQLite's lock at the fork, and the history's child waited forever in
`sqlite3.connect`): so it forks only while every other live thread is one of this program's
own (`OWN_THREAD_PREFIX`), and otherwise says None: the caller does the work itself.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import BrokenExecutor, Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, Callable, Iterator

from core.imports import imports_done

_PAYLOAD: Any = None


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def available_cores() -> int:
    """CPUs this process may run on (a container's or taskset's limit, not the machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def shared() -> Any:
    """The payload of the pool this worker was forked from."""
    return _PAYLOAD


def _adopt(payload: Any) -> None:
    global _PAYLOAD
    _PAYLOAD = payload


@contextmanager
def pool(payload: Any, processes: int) -> Iterator[Executor | None]:
    """`processes` forked workers that see `payload` through `shared()`, or None (do the work
    here) when `processes` is 0 or the platform cannot fork. The workers fork at the first
    `submit`, so `payload` must be complete before it. Callers keep this process busy too:
    with `Settings.workers` = n they ask for n - 1 processes."""
    if processes < 1 or not can_fork():
        yield None
        return
    imports_done()
    ex = ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("fork"),
                             initializer=_adopt, initargs=(payload,))
    try:
        yield ex
    finally:
        ex.shutdown(wait=True, cancel_futures=True)


def submit(workers: Executor, fn: Callable[..., Any], *args: Any) -> Future | None:
    """`workers.submit(fn, *args)`, or None when the pool is broken (a worker died before) or
    shutting down (a done-callback feeding it while the run stops): the caller then does the
    work itself, as it does for a call whose worker died."""
    try:
        return workers.submit(fn, *args)
    except (BrokenExecutor, RuntimeError):  # (RuntimeError: "cannot schedule new futures after shutdown")
        return None


def spread(workers: Executor, items: list, parts: int, in_worker: Callable[[list], Any],
           here: Callable[[list], Any], piece: int | None = None) -> list[tuple[list, Any, bool]]:
    """`items` in `parts` chunks (`split`): all but the last go to `workers` (`in_worker(chunk)`),
    the last is done by `here(chunk)` meanwhile, and a chunk whose worker died (or whose pool
    is broken) by `here` afterwards. Returns (chunk, result, done by a worker) in chunk order.

    With `piece`, the chunks are `piece` items each: the workers take pieces from the front,
    each kept two pieces ahead, while this process takes pieces from the end, until the two
    meet. Both sides then finish together whatever each item costs (546 reports of 3 to 300
    findings, split in halves, left one side idle a second per night). A worker's next piece
    is queued when one of its pieces ends (`add_done_callback`, in the pool's thread), not
    when this process is between two of its own: a worker done with two small reports while
    this process rendered a large one waited for it (the national reports 9.7 -> 9.0 s, medians
    of six alternated pairs)."""
    if piece is None:
        *theirs, mine = split(items, parts) or [[]]
        jobs = [(chunk, submit(workers, in_worker, chunk)) for chunk in theirs]
        last = here(mine)  # this process's share while the workers do theirs
        return [_joined(chunk, job, here) for chunk, job in jobs] + [(mine, last, False)]
    chunks = [items[i:i + piece] for i in range(0, len(items), max(1, piece))]
    lock = threading.Lock()
    sent: dict[int, Future | None] = {}  # chunk index → its worker's job (None: the pool broke)
    done_here: dict[int, Any] = {}
    front, back = 0, len(chunks)  # the workers' next piece; past the last left for this process

    def feed(_: object = None) -> None:
        """Queue the next piece from the front to the workers (here, or in the pool's thread
        when a piece of theirs ends); nothing once the two ends meet or the pool broke."""
        nonlocal front
        with lock:
            if front >= back:
                return
            i, front = front, front + 1
            job = sent[i] = submit(workers, in_worker, chunks[i])
        if job is not None:
            job.add_done_callback(feed)

    for _ in range(2 * max(1, parts - 1)):  # queued pieces: a worker never waits for its next one
        feed()
    while True:
        with lock:
            if front >= back:
                break
            back -= 1
            i = back
        done_here[i] = here(chunks[i])
    return [(chunk, done_here[i], False) if i in done_here else _joined(chunk, sent[i], here)
            for i, chunk in enumerate(chunks)]


def _joined(chunk: list, job: Future | None, here: Callable[[list], Any]) -> tuple[list, Any, bool]:
    """A worker's chunk, its result; or done by `here` when its worker died."""
    if job is not None and job.exception() is None:
        return chunk, job.result(), True
    return chunk, here(chunk), False


def split(items: list, parts: int) -> list[list]:
    """`items` in at most `parts` contiguous chunks of near-equal length (order kept)."""
    parts = max(1, min(parts, len(items)))
    size, extra = divmod(len(items), parts)
    out, start = [], 0
    for i in range(parts):
        end = start + size + (1 if i < extra else 0)
        out.append(items[start:end])
        start = end
    return [c for c in out if c]


class Background:
    """A function running in a forked child, not waited for until `wait()`."""

    def __init__(self, process: Any, receiver: Any = None) -> None:
        self._process = process
        self._receiver = receiver  # the value's pipe (`in_background(value=True)`), else None
        self._wants_value = receiver is not None
        self._value: tuple[Any] | None = None  # (value,) once received

    def wait(self) -> bool:
        """Block until the child is done; whether it exited cleanly (and, when its value was
        asked for, sent it)."""
        if self._receiver is not None and self._value is None:
            try:  # before the join: a value larger than the pipe holds waits for this read
                self._value = (self._receiver.recv(),)
            except (EOFError, OSError):  # the child ended without sending it
                pass
            finally:
                self._receiver.close()
                self._receiver = None
        self._process.join()
        return self._process.exitcode == 0 and (self._value is not None or not self._wants_value)

    def value(self) -> Any:
        """The child's return value (`in_background(value=True)`); ChildProcessError when the
        child failed or died (see `wait`)."""
        if not self.wait() or self._value is None:
            raise ChildProcessError("the background child ended without its value")
        return self._value[0]


#: Threads whose name starts so are this program's own, known to hold nothing a forked child
#: takes (`core.fingerprint`'s hashing); `core.imports`' import threads are joined before a fork.
OWN_THREAD_PREFIX = "iid-audit"


def _ours(thread: threading.Thread) -> bool:
    """A thread of this program's own, or of a `pool` it has open: the executor's manager and
    its queue's feeder, which multiprocessing itself forks around (the pool starts its
    workers while they run) and which hold nothing outside the pool's queues."""
    return (thread.name.startswith(OWN_THREAD_PREFIX) or thread.name == "QueueFeederThread"
            or type(thread).__module__ == "concurrent.futures.process")


def foreign_threads() -> list[threading.Thread]:
    """Live threads other than the calling one that this program did not start (a Prefect
    flow run's event loop, log and event workers): what a child forked now could find holding
    a lock it needs."""
    me = threading.current_thread()
    return [t for t in threading.enumerate() if t is not me and t.is_alive() and not _ours(t)]


def in_background(fn: Callable[..., Any], *args: Any, value: bool = False) -> Background | None:
    """Run `fn(*args)` in a forked child that sees this process's data as it is now (the
    arguments are inherited, not pickled), or None when the platform cannot fork or threads
    this program did not start are alive (`foreign_threads`): the caller then calls `fn`
    itself. For work whose result is a file, such as a cache entry: the child returns
    nothing, and an error in it is only its exit code (`Background.wait`).

    With `value`, the child sends `fn`'s return value back, pickled (`Background.value`): for
    a small result of work that opens a database, such as the history's read. Such a child is
    a daemon: its value is wanted only by a caller still waiting for it, and a run that stops
    before it waits does not wait for the child either."""
    imports_done()  # (the import threads end before anything is counted or forked)
    if not can_fork() or foreign_threads():
        return None
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False) if value else (None, None)
    process = context.Process(target=_quietly, args=(sender, fn, *args), daemon=value)
    process.start()
    if sender is not None:
        sender.close()  # the child's end: once the child is gone, reading here ends (EOFError)
    return Background(process, receiver)


def _quietly(sender: Any, fn: Callable[..., Any], *args: Any) -> None:
    """`fn(*args)` in a background child, its value sent through `sender` when there is one:
    an error is its exit code, not a traceback on the console (the parent, seeing `wait()`
    fail, does the work itself and reports the error)."""
    try:
        out = fn(*args)
        if sender is not None:
            sender.send(out)
    except BaseException:  # noqa: BLE001 - said by the exit code
        os._exit(1)
