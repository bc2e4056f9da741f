"""The rule registry: every audit rule of `../shared/spec/rules.md` as data plus one small unit.

Each rule lives in its own module `checks/rules/<id>.py` (e.g. `bkt_05.py`) that defines
`RULE` (id, severity, key, messages and fix hint in both languages, what it needs, its
thresholds) and its check. Adding a rule touches that one file: `all_rules()` discovers the
modules.

The rule's class is its engine (chosen by type, never by a string):
- `ContractRule`: raised while reading the export (ingest + Pandera contracts): SKM-*;
- `GxRule`: Great Expectations expectations, validated once over the whole nation;
- `PandasRule`: a vectorized pandas function over whole-nation frames, for what GX cannot
  say cleanly (cross-row groups, fuzzy titles, evidence files).
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, ClassVar

from core.findings import Severity


@dataclass(frozen=True)
class Lookup:
    """A template value that depends on the finding: `values[<finding's field>]`.

    E.g. SKM-03 names the allowed set of the very column in error:
    `Lookup("kolom", {"Jenis": "Digital / Non Digital", ...})`."""

    field: str
    values: dict[str, str]


@dataclass(frozen=True)
class Variant:
    """One case of a rule with its own severity and message, chosen per finding by its
    `varian` field (KNS-07: a point read from a non-standard form is `info` with the value to
    paste; an unreadable one is a `warning`). Same templates fields as the rule's own."""

    severity: Severity
    pesan_id: str
    pesan_en: str

    def pesan(self, lang: str) -> str:
        return self.pesan_en if lang == "en" else self.pesan_id


@dataclass(frozen=True)
class Rule:
    id: str  # stable, e.g. "BKT-05"
    severity: Severity
    key: tuple[str, ...]  # finding fields that locate the problem
    judul_id: str  # short title, Indonesian
    judul_en: str
    #: message templates; fields: pemda, kode_pemda, id_inovasi, judul_inovasi, no_indikator,
    #: indikator (name from the catalog), kolom, nilai, tabel, baris, plus `extra` below.
    pesan_id: str
    pesan_en: str
    #: how the Pemda fixes it, one sentence (the message says what is wrong and where)
    perbaikan_id: str
    perbaikan_en: str
    #: what the rule needs: "table" or "table.column"; missing → rule "not checked".
    needs: tuple[str, ...] = ()
    #: the check, of the shape its engine (the rule's class) runs; see the subclasses
    check: Callable[..., Any] | None = field(default=None, compare=False, repr=False)
    #: extra template values (thresholds from the catalog): f(catalog) -> dict of str or Lookup
    extra: Callable[..., dict] | None = field(default=None, compare=False, repr=False)
    #: the finding is about an indicator's evidence: the report shows what evidence the
    #: catalog asks for beside it
    bukti: bool = False
    #: cases with their own severity and message, by the finding's `varian` (see Variant);
    #: a finding without a known `varian` gets the rule's own severity and message
    variants: dict[str, Variant] = field(default_factory=dict, compare=False, hash=False)

    @property
    def severities(self) -> list[Severity]:
        """Every severity this rule can give, worst first."""
        found = {self.severity, *(v.severity for v in self.variants.values())}
        return sorted(found, key=lambda s: -s.rank)

    #: the engine's name (README, docs); each subclass is one engine
    engine: ClassVar[str] = ""

    @property
    def kategori(self) -> str:
        return self.id.split("-")[0]

    def judul(self, lang: str) -> str:
        return self.judul_en if lang == "en" else self.judul_id

    def pesan(self, lang: str) -> str:
        return self.pesan_en if lang == "en" else self.pesan_id

    def perbaikan(self, lang: str) -> str:
        return self.perbaikan_en if lang == "en" else self.perbaikan_id


@dataclass(frozen=True)
class ContractRule(Rule):
    """Raised while reading the export (ingest and its Pandera contracts): the SKM rules. The
    engine runs nothing for it; its findings arrive with the export."""

    engine: ClassVar[str] = "contract"


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

    def __post_init__(self) -> None:
        if self.check is None:
            raise TypeError(f"{self.id}: a pandas rule needs a check")


@lru_cache(maxsize=1)
def all_rules() -> dict[str, Rule]:
    """Every registered rule by id, in id order (discovered from `checks/rules/*.py`)."""
    import checks.rules as pkg

    found: dict[str, Rule] = {}
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
