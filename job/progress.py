"""Progress of a run over Pemda, for whoever is watching (the CLI draws it on stderr).

A module-level hook rather than a parameter: flow parameters are sent to the Prefect API as
JSON, and a callback is not data. Served runs have no reporter and stay silent.
"""

from __future__ import annotations

from typing import Callable

#: (stage, done, total) -> None; stage is "laporan" (render) or "kirim" (delivery).
Reporter = Callable[[str, int, int], None]

_reporter: Reporter | None = None
_counts: dict[str, list[int]] = {}


def set_reporter(reporter: Reporter | None) -> None:
    global _reporter
    _reporter = reporter
    _counts.clear()


def start(stage: str, total: int) -> None:
    """A stage of `total` items begins (nothing is drawn until the first one is done)."""
    _counts[stage] = [0, int(total)]


def advance(stage: str) -> None:
    """One more item of `stage` is done."""
    done_total = _counts.setdefault(stage, [0, 0])
    done_total[0] += 1
    done_total[1] = max(done_total)
    report(stage, *done_total)


def report(stage: str, done: int, total: int) -> None:
    if _reporter is not None:
        try:
            _reporter(stage, done, total)
        except Exception:  # a broken terminal must not break the audit
            pass
