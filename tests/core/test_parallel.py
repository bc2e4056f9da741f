"""Forked workers see the parent's data without pickling it, and a dead worker is visible."""

import os
import threading
from concurrent.futures import BrokenExecutor

import pytest
from core_helpers import run_python

from core.parallel import (
    available_cores,
    can_fork,
    foreign_threads,
    in_background,
    pool,
    shared,
    split,
    spread,
    submit,
)

pytestmark = pytest.mark.skipif(not can_fork(), reason="no fork on this platform")


def _read_payload(i: int) -> tuple[int, str, int]:
    data = shared()
    return os.getpid(), data["name"], data["values"][i]


def _die() -> None:
    os._exit(3)


def test_workers_read_the_payload_in_place_even_when_it_cannot_be_pickled():
    payload = {"name": "nasional", "values": list(range(100)), "lock": threading.Lock()}  # a lock never pickles
    with pool(payload, 2) as workers:
        results = [workers.submit(_read_payload, i).result() for i in (3, 97)]
    assert [(name, v) for _, name, v in results] == [("nasional", 3), ("nasional", 97)]
    assert all(pid != os.getpid() for pid, _, _ in results)


def test_no_pool_when_no_worker_is_wanted():
    with pool({"x": 1}, 0) as workers:
        assert workers is None


def test_a_dead_worker_breaks_its_call_and_later_submits_say_so():
    with pool(None, 1) as workers:
        job = workers.submit(_die)
        assert isinstance(job.exception(), BrokenExecutor)
        assert submit(workers, _read_payload, 0) is None


def test_background_child_sees_data_as_it_was_at_the_fork():
    out = run_python("""
        import os, tempfile
        from pathlib import Path
        from core.parallel import in_background

        data, target = {"text": "sebelum"}, Path(tempfile.mkdtemp()) / "out.txt"
        child = in_background(lambda d, p: p.write_text(f"{d['text']} {os.getpid()}"), data, target)
        data["text"] = "sesudah"  # the parent changes its copy afterwards
        text, pid = target.read_text().split() if child.wait() else ("", "0")
        print(text, int(pid) != os.getpid())
    """)
    assert out == "sebelum True"


def test_a_background_child_sends_its_value_back_however_large():
    """`in_background(value=True)`: the child's return value, pickled back (a history of
    several megabytes included: it is read before the child is joined, or both would wait)."""
    out = run_python("""
        import os
        from core.parallel import in_background

        data = {"kode": "35.04", "rows": list(range(500_000))}
        child = in_background(lambda d: (os.getpid(), d["kode"], d["rows"]), data, value=True)
        data["kode"] = "sesudah"
        pid, kode, rows = child.value()
        print(pid != os.getpid(), kode, len(rows) == 500_000 and rows[-1] == 499_999, child.wait())
    """)
    assert out == "True 35.04 True True"


def test_a_background_child_that_fails_or_dies_has_no_value():
    out = run_python("""
        import os
        from core.parallel import in_background

        def fails():
            raise ValueError("database gone")

        for fn in (fails, lambda: os._exit(9)):
            child = in_background(fn, value=True)
            try:
                child.value()
                print("value")
            except ChildProcessError:
                print("no value", child.wait())
        print(in_background(lambda: None, value=True).value())
    """)
    assert out.splitlines() == ["no value False", "no value False", "None"]


def test_split_keeps_order_and_sizes_near_equal():
    assert split(list("abcdefg"), 3) == [list("abc"), list("de"), list("fg")]
    assert split(["a"], 4) == [["a"]]
    assert split([], 2) == []
    assert sum(split(list(range(546)), 2), []) == list(range(546))


def test_available_cores_is_at_least_one():
    assert 1 <= available_cores() <= (os.cpu_count() or 1)


def _tag_in_worker(chunk: list) -> list:
    if 13 in chunk:
        os._exit(5)  # a worker killed on this chunk
    return [("worker", os.getpid(), x) for x in chunk]


def test_spread_keeps_chunk_order_and_redoes_a_dead_workers_chunk_here():
    here = lambda chunk: [("here", os.getpid(), x) for x in chunk]  # noqa: E731
    with pool(None, 2) as workers:
        out = spread(workers, list(range(9)), 3, _tag_in_worker, here)
    assert [c for c, _, _ in out] == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    assert [x for _, r, _ in out for _, _, x in r] == list(range(9))
    assert [by for _, _, by in out] == [True, True, False]
    assert all(pid != os.getpid() for _, pid, _ in out[0][1]) and all(pid == os.getpid() for _, pid, _ in out[2][1])
    with pool(None, 1) as workers:
        died = spread(workers, [12, 13, 14, 15], 2, _tag_in_worker, here)
    assert [(by, [who for who, _, _ in r]) for _, r, by in died] == [(False, ["here", "here"]), (False, ["here", "here"])]


def _slow_in_worker(chunk: list) -> list:
    import time

    time.sleep(0.05 * sum(chunk))  # a chunk costs its items' sum
    return [("worker", x) for x in chunk]


def test_spread_in_pieces_shares_uneven_items_by_cost_and_keeps_their_order():
    """Halves of [8, 1, 1, ...] leave one side with most of the work; pieces do not: this
    process takes pieces from the end while the worker is busy with the costly first one."""
    import time

    def here(chunk):
        time.sleep(0.05 * sum(chunk))
        return [("here", x) for x in chunk]

    items = [8] + [1] * 8
    with pool(None, 1) as workers:
        out = spread(workers, items, 2, _slow_in_worker, here, piece=1)
    assert [c for c, _, _ in out] == [[x] for x in items]  # every item once, in order
    by = [b for _, _, b in out]
    assert by[0] is True  # the worker took the first (costly) item
    assert sum(1 for b in by if not b) >= 6  # and this process most of the cheap ones meanwhile
    assert [who for _, r, b in out for who, _ in r] == ["worker" if b else "here" for b in by]


def _quick_in_worker(chunk: list) -> list:
    import time

    time.sleep(0.005)
    return [("worker", x) for x in chunk]


def test_spread_in_pieces_keeps_a_worker_busy_while_this_process_is_on_a_long_item():
    """A worker's next piece is queued as soon as one of its pieces ends, not when this process
    is between two of its own: while this process spends 0.1 s on an item, a worker with
    items of 5 ms does many of them, not only the two queued before it started."""
    import time

    def here(chunk):
        time.sleep(0.1)
        return [("here", x) for x in chunk]

    with pool(None, 1) as workers:
        out = spread(workers, list(range(30)), 2, _quick_in_worker, here, piece=1)
    assert [c for c, _, _ in out] == [[x] for x in range(30)]
    assert sum(1 for _, _, by in out if by) >= 24  # two per long item here would have been 20


def test_a_pool_shut_down_takes_no_more_work_and_says_so():
    """A done-callback that feeds a pool while the run stops (the pool shutting down) gets
    None, as from a broken pool: the work is done here, no error from the pool's thread."""
    with pool(None, 1) as workers:
        assert submit(workers, os.getpid).result() != os.getpid()
    assert submit(workers, os.getpid) is None


def test_spread_in_pieces_redoes_a_dead_workers_pieces_here():
    here = lambda chunk: [("here", os.getpid(), x) for x in chunk]  # noqa: E731
    with pool(None, 1) as workers:
        out = spread(workers, [12, 13, 14, 15, 16, 17], 2, _tag_in_worker, here, piece=1)
    assert [x for _, r, _ in out for _, _, x in r] == [12, 13, 14, 15, 16, 17]
    assert all(who == "here" for _, r, by in out if not by for who, _, _ in r)
    assert [by for _, _, by in out][1] is False  # the piece that killed its worker was done here


def test_no_background_child_while_a_foreign_thread_holds_what_it_needs(tmp_path):
    """A child forked while another thread holds a lock inherits it held, with no thread to
    release it (the history's child once waited forever in `sqlite3.connect` so, forked in
    a Prefect flow run). With a thread this program did not start alive, the caller does the
    work itself: it waits for the lock like any thread and goes on."""
    held, release = threading.Lock(), threading.Event()
    held.acquire()

    def foreign() -> None:  # e.g. a Prefect client's worker, or a finalizer on one of its threads
        release.wait()
        held.release()

    other = threading.Thread(target=foreign, name="EventsWorkerThread", daemon=True)
    other.start()
    try:
        assert other in foreign_threads()
        assert in_background(lambda: held.acquire()) is None  # forked, it would wait forever
    finally:
        release.set()
        other.join()
    with held:  # the work done here instead takes the lock once the other thread lets go
        pass
    assert other not in foreign_threads()


def test_background_child_forks_beside_this_programs_own_threads():
    """The export's hashing thread (`core.fingerprint`) and an open pool's threads do not keep
    the cache and history children in this process."""
    out = run_python("""
        import os, tempfile, threading
        from pathlib import Path
        from core.parallel import foreign_threads, in_background, pool

        stop = threading.Event()
        own = threading.Thread(target=stop.wait, name="iid-audit-sidik", daemon=True)
        own.start()
        target = Path(tempfile.mkdtemp()) / "out.txt"
        with pool(None, 1) as workers:
            assert workers.submit(os.getpid).result() != os.getpid()  # the pool's threads now run
            alive = len(threading.enumerate())
            child = in_background(lambda p: p.write_text(str(os.getpid())), target)
            print(alive > 2, foreign_threads() == [], child is not None and child.wait())
        stop.set()
        print(int(target.read_text()) != os.getpid())
    """)
    assert out.splitlines() == ["True True True", "True"]
