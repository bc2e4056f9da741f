"""The rule registry: every audit rule of the export contract as data plus one small unit.

Each rule lives in its own module that defines `RULE` (id, severity, key, messages and fix
hint in both languages, what it needs, its thresholds) and its check: `checks/rules/<id>.py`
(e.g. `bkt_05.py`) for the audit engines, `ingest/rules/<id>.py` for the contract rules that
run while the export is read. Adding a rule touches that one file: `all_rules()` discovers
the modules of both packages.

The rule's class is its engine (chosen by type, never by a string; the shape is `core.rules`):
- `ContractRule`: raised while reading the export (ingest + Pandera contracts): SKM-*;
- `GxRule`: Great Expectations expectations, validated once over the whole nation;
- `PandasRule`: a vectorized pandas function over whole-nation frames, for what GX cannot
  say cleanly (cross-row groups, fuzzy titles, evidence files).
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

from core.rules import ContractRule, Lookup, Rule, Variant

__all__ = ["ContractRule", "GxRule", "Lookup", "PandasRule", "Rule", "Variant", "all_rules", "get_rule"]


@dataclass(frozen=True)
class GxRule(Rule):
    """`check(ctx) -> list[checks.gx_engine.GxCheck]`: Great Expectations expectations,
    validated with every other GX rule once per table over the whole nation."""

    engine: ClassVar[str] = "gx"

    def __post_init__(self) -> None:
        if self.check is None:
            raise TypeError(f"{self.id}: a GX rule needs a check")


@dataclass(frozen=True)
class PandasRule(Rule):
    """`check(ctx) -> DataFrame` of partial findings: a vectorized pandas function, for what
    GX cannot say cleanly (cross-row groups, fuzzy titles, evidence files)."""

    engine: ClassVar[str] = "pandas"
    #: Roughly what the check costs over the national export (seconds on the benchmark's
    #: export, `bench/national.py`; 0 = a few hundredths). It only orders the rules the two
    #: processes share (`checks.engine._pandas_rules`): the costliest first, so the last ones
    #: taken are the cheap ones and both processes end together. In registry order, the worker
    #: (taking from the back) met KNS-06 and KNS-05 last and this process waited 0.6 s for them
    #: nationally, 3.3 s on twice the innovations.
    cost: float = 0.0

    def __post_init__(self) -> None:
        if self.check is None:
            raise TypeError(f"{self.id}: a pandas rule needs a check")


@lru_cache(maxsize=1)
def all_rules() -> dict[str, Rule]:
    """Every registered rule by id, in id order: the contract rules of `ingest/rules/*.py` and
    the audit rules of `checks/rules/*.py`."""
    import checks.rules as pkg
    from ingest.rules import contract_rules

    found: dict[str, Rule] = dict(contract_rules())
    for mod in pkgutil.iter_modules(pkg.__path__):
        if mod.name.startswith("_"):
            continue
        module = importlib.import_module(f"checks.rules.{mod.name}")
        rule = getattr(module, "RULE", None)
        if isinstance(rule, Rule):
            if rule.id in found:
                raise RuntimeError(f"duplicate rule id {rule.id}")
            found[rule.id] = rule
    return dict(sorted(found.items()))


def get_rule(rule_id: str) -> Rule:
    return all_rules()[rule_id]


def rules_markdown() -> str:
    """The rule table of the README, generated from the registry (`python -m checks.registry`)."""
    lines = [
        "| id | severity | engine | key | rule (id) | rule (en) |",
        "|---|---|---|---|---|---|",
    ]
    for r in all_rules().values():
        lines.append(
            f"| {r.id} | {', '.join(s.value for s in r.severities)} | {r.engine} | {', '.join(r.key)} | {r.judul_id} | {r.judul_en} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    # run as a script this module is `__main__`; the rules register against `checks.registry`
    from checks.registry import rules_markdown as _table

    print(_table())
