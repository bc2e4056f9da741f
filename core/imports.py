"""Modules imported on first use: a library's start-up imports that this project never uses.

GX imports, on start, every expectation it ships, among them the KL-divergence and
Kolmogorov-Smirnov ones this project never runs: they pull in SciPy's statistics and Altair's
charts, 1.2 s of the 2.5 s GX takes to import (`checks.gx_engine.import_gx`). `defer(name)`
puts a stand-in module under `name` in `sys.modules`; `import name` and
`from package import name` then return the stand-in without running the module, and the first
attribute read from it imports the real module (and the stand-in takes its namespace), so code
that does use the module works as before, only later.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
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
