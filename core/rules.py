"""The shape of an audit rule, below every engine: what a rule *is* (id, severity, key, texts
in both languages, fix hint, needs, thresholds, variants), whoever runs it.

The rule's class is its engine, chosen by type, never by a string. Two engines live above
this floor and subclass `Rule` where they run: `checks.registry.GxRule` and
`checks.registry.PandasRule`. The third, `ContractRule`, is here because its rules run while
the export is read (`ingest`, below `checks`): the SKM rules in `ingest/rules/`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, ClassVar

from core.findings import Severity

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from core.catalog import Catalog
    from core.tables import Column, Table

#: A vectorized predicate over one column's cleaned text: True where the cell passes.
Predicate = Callable[["pd.Series"], "pd.Series"]


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
    """Raised while reading the export: the SKM rules, in `ingest/rules/`. Ingest runs them; the
    audit engine runs nothing for them (their findings arrive with the export). A contract rule
    says what fails it in up to three ways, each optional:

    - `cells(table, column, catalog) -> [Predicate]`: per-cell checks of one column's cleaned
      text, run as named Pandera checks of the table's schema (a failing cell is a finding of
      this rule on that column);
    - `pandera_checks`: Pandera's own built-in checks whose table-level failures are this rule's
      (`column_in_dataframe`: a required column is absent);
    - `check(stage) -> partial findings`: a cross-row or cross-table check over an assembled
      `ingest.assemble.Stage` (its cleaned text, typed frame, Pemda codes and links), run once
      every table of the export is assembled.
    """

    engine: ClassVar[str] = "contract"
    cells: Callable[["Table", "Column", "Catalog"], list[Predicate]] | None = field(
        default=None, compare=False, repr=False)
    pandera_checks: tuple[str, ...] = ()
