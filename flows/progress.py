"""Progress of a run over Pemda, for whoever is watching (the CLI draws it on stderr).

A module-level hook rather than a flow parameter: flow parameters are sent to the Prefect
API as JSON, and a callback is not data. Served runs have no reporter and stay silent.
"""

from __future__ import annotations

from typing import Callable

#: (stage, done, total) -> None; stage is "laporan" (render) or "kirim" (delivery).
Reporter = Callable[[str, int, int], None]

_reporter: Reporter | None = None


def set_reporter(reporter: Reporter | None) -> None:
    global _reporter
    _reporter = reporter


def report(stage: str, done: int, total: int) -> None:
    if _reporter is not None:
        try:
            _reporter(stage, done, total)
        except Exception:  # a broken terminal must not break the audit
            pass
