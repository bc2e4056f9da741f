"""When modules are imported: on first use (a library's start-up imports that this project
never uses), or in a thread ahead of their use.

GX imports, on start, every expectation it ships, among them the KL-divergence and
Kolmogorov-Smirnov ones this project never runs: they pull in SciPy's statistics and Altair's
charts, 1.2 s of the 2.5 s GX takes to import (`checks.gx_engine.import_gx`). `defer(name)`
puts a stand-in module under `name` in `sys.modules`; `import name` and
`from package import name` then return the stand-in without running the module, and the first
attribute read from it imports the real module (and the stand-in takes its namespace), so code
that does use the module works as before, only later.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import sys
import threading
import types


class _OnFirstUse(types.ModuleType):
    """A module not imported yet: the first attribute read imports it (`defer`)."""

    def __getattr__(self, attr: str):
        name = self.__name__
        if sys.modules.get(name) is self:
            del sys.modules[name]  # so the import below runs the real module
        real = importlib.import_module(name)
        self.__dict__.update(real.__dict__)
        return getattr(real, attr)


def defer(name: str) -> bool:
    """Import module `name` on first use instead of now (see the module doc). Does nothing,
    and returns False, when it is imported already or not installed."""
    if name in sys.modules:
        return False
    try:
        if importlib.util.find_spec(name) is None:
            return False
    except (ImportError, ValueError):  # a parent package missing
        return False
    sys.modules[name] = _OnFirstUse(name)
    return True


def is_deferred(name: str) -> bool:
    """Whether `name` is still a stand-in (not imported yet)."""
    return isinstance(sys.modules.get(name), _OnFirstUse)


def import_meanwhile(name: str) -> threading.Thread:
    """Import module `name` in a thread, now: for a module needed later, imported while this
    process waits without the GIL (pyarrow parsing the export's CSV). The job imports the
    history's SQLAlchemy so (0.3 s), and GX's worker, forked after the read, finds it
    imported instead of importing it for GX (0.4 s). A failed import is only retried, and
    raised, where the module is imported for use."""
    thread = threading.Thread(target=_import_quietly, args=(name,), name=f"import {name}", daemon=True)
    thread.start()
    _IMPORTING.append(thread)
    return thread


#: Threads of `import_meanwhile` not yet joined by `imports_done`.
_IMPORTING: list[threading.Thread] = []


def imports_done() -> None:
    """Wait for the imports of `import_meanwhile`. `core.parallel` calls it before it forks:
    a child forked in the middle of an import would find that module's import lock held by a
    thread it does not have, and wait for it forever."""
    while _IMPORTING:
        _IMPORTING.pop().join()


def _import_quietly(name: str) -> None:
    with contextlib.suppress(Exception):  # raised again where the module is imported for use
        importlib.import_module(name)
