"""The contract rules (SKM-*), one module each, run while the export is read.

Each module defines `RULE`, a `core.rules.ContractRule` with its texts and its logic (`cells`
predicates for the table schemas, `check` over the assembled tables). `contract_rules()`
discovers them; `ingest.contracts` builds the Pandera schemas from their `cells`,
`ingest.assemble` runs their `check`s, and `checks.registry` lists them with every other rule.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from core.rules import ContractRule


@lru_cache(maxsize=1)
def contract_rules() -> dict[str, ContractRule]:
    """Every contract rule by id, in id order (the order their checks run and report)."""
    found: dict[str, ContractRule] = {}
    for mod in pkgutil.iter_modules(__path__):
        if mod.name.startswith("_"):
            continue
        rule = getattr(importlib.import_module(f"{__name__}.{mod.name}"), "RULE", None)
        if isinstance(rule, ContractRule):
            if rule.id in found:
                raise RuntimeError(f"duplicate rule id {rule.id}")
            found[rule.id] = rule
    return dict(sorted(found.items()))
