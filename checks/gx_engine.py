"""Great Expectations 1.x engine: rules declared as expectations, validated once per table for
the whole nation in one ephemeral context.

A `gx` rule's `check(ctx)` returns a list of `GxCheck` (an expectation on one ingested table,
plus the derived columns it reads and how its unexpected rows become findings). The engine
gathers every check of every gx rule per table, builds ONE suite per table, validates the
table's frame ONCE (`result_format=COMPLETE`; the frame's index is `_row`, a source row's
position), and maps each expectation's unexpected `_row` values back to source rows → findings.

Cost (measured on the 546-Pemda synthetic nation, 36,931 innovations + 738,620 SID rows, 2
shared cores): the ~27 expectations of 13 rules validate in 13–15 s in total (≈0.5 s per
expectation, dominated by GX's metric computation, not context set-up), with 0 or 150,000
unexpected rows alike; the whole `run_rules` takes ~25 s. Rules whose logic needs groups,
anti-joins or parsing live in the pandas engine instead (their docstrings say why).
"""

from __future__ import annotations

import logging
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np
import pandas as pd

from checks.context import RuleContext, display, rows_to_findings, text_values
from checks.registry import Rule
from core.imports import defer

log = logging.getLogger(__name__)


@dataclass
class GxCheck:
    """One expectation of one rule on one ingested table.

    - `expectation`: a `great_expectations.expectations.*` instance (catalog values filled in);
    - `derived`: extra columns the expectation reads, computed vectorized from the table
      (name → f(table) -> Series); names must be unique per table across rules;
    - `kolom`: display column for the findings (default: the expectation's column);
    - `nilai`: column whose value is reported (default: the expectation's column; None = none);
    - `with_row`: findings carry `tabel`/`baris` (off for per-innovation findings).
    """

    table: str
    expectation: Any
    derived: dict[str, Callable[[pd.DataFrame], pd.Series]] = field(default_factory=dict)
    kolom: str | None = None
    nilai: str | None | bool = True
    with_row: bool = True
    no_indikator: str | None = None
    #: message fields taken per row from a column of the table or a derived column
    extras: dict[str, str] = field(default_factory=dict)
    #: message fields with one value for every finding of this check
    konstanta: dict[str, str] = field(default_factory=dict)


def _condition_columns(cond: Any) -> set[str]:
    """Columns a GX 1.x row condition reads (walks And/Or/Comparison/Nullity conditions)."""
    if cond is None or isinstance(cond, str):
        return set()
    out: set[str] = set()
    col = getattr(cond, "column", None)
    if col is not None and hasattr(col, "name"):
        out.add(col.name)
    for c in getattr(cond, "conditions", None) or ():
        out |= _condition_columns(c)
    return out


def _expectation_columns(exp: Any) -> list[str]:
    cols = []
    for attr in ("column", "column_A", "column_B"):
        v = getattr(exp, attr, None)
        if isinstance(v, str):
            cols.append(v)
    for v in getattr(exp, "column_list", None) or ():
        cols.append(v)
    return cols


#: What GX imports on start for expectations no rule here uses (the KL-divergence and
#: Kolmogorov-Smirnov ones): SciPy's statistics and Altair's charts, 1.2 s of GX's 2.5 s
#: import in its worker every night. Imported on their first use instead (`core.imports`).
GX_UNUSED_IMPORTS = ("scipy.stats", "altair")


def import_gx():
    """`great_expectations`, its start-up imports of `GX_UNUSED_IMPORTS` deferred."""
    if "great_expectations" not in sys.modules:
        for name in GX_UNUSED_IMPORTS:
            defer(name)
    import great_expectations as gx

    return gx


def _context(data_docs: Path | None = None):
    """An ephemeral GX context (in memory, no analytics, no progress bars): nothing of GX is
    written. With `data_docs`, a file-backed context in that folder instead, so the
    validation results are stored and Data Docs built there."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    if data_docs is not None:
        context = gx.get_context(mode="file", project_root_dir=str(data_docs))
        context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        return context
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
    )
    return gx.get_context(mode="ephemeral", project_config=config)


@contextmanager
def _no_fingerprint() -> Iterator[None]:
    """GX hashes every row of a batch under `HASH_THRESHOLD` bytes into a `pandas_data_fingerprint`
    batch marker (1.1 s for the nation's indicator table), which only its stored results and
    Data Docs show; the in-memory validation reads none of it, so the threshold is 0 while the
    batch is built (GX skips the hash above it). Data Docs runs keep the marker."""
    from great_expectations.execution_engine import pandas_execution_engine as engine

    before = engine.HASH_THRESHOLD
    engine.HASH_THRESHOLD = 0
    try:
        yield
    finally:
        engine.HASH_THRESHOLD = before


def _validate(context, batch_def, suite, frame: pd.DataFrame, data_docs: bool, parameters: dict):
    """One validation of one table: directly on the batch, or (Data Docs) through a stored
    ValidationDefinition and a Checkpoint whose UpdateDataDocsAction renders the result."""
    if not data_docs:
        with _no_fingerprint():  # the batch is built twice: here and again inside `validate`
            batch = batch_def.get_batch(batch_parameters={"dataframe": frame})
            return batch.validate(suite, result_format=_RESULT_FORMAT_IN_MEMORY, expectation_parameters=parameters)
    import great_expectations as gx
    from great_expectations.checkpoint import UpdateDataDocsAction

    suite = context.suites.add_or_update(suite)
    vd = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=suite.name, data=batch_def, suite=suite))
    checkpoint = context.checkpoints.add_or_update(gx.Checkpoint(
        name=suite.name, validation_definitions=[vd], actions=[UpdateDataDocsAction(name="data-docs")],
        result_format=_RESULT_FORMAT))
    run = checkpoint.run(batch_parameters={"dataframe": frame}, expectation_parameters=parameters)
    return next(iter(run.run_results.values()))


_RESULT_FORMAT = {
    "result_format": "COMPLETE",
    "unexpected_index_column_names": ["_row"],
    "return_unexpected_index_query": False,
    "include_unexpected_rows": False,
}
#: In memory the unexpected rows come back as the frame's index labels, which are the `_row`
#: positions (the frame has a fresh RangeIndex): GX looks up a named index column cell by cell
#: (`.at`, twice per unexpected row: ~0.4 s for the nation's 50,000), the labels it lists as they
#: are. Data Docs keep `_row` named, for their tables of unexpected rows.
_RESULT_FORMAT_IN_MEMORY = {k: v for k, v in _RESULT_FORMAT.items() if k != "unexpected_index_column_names"}


def _clean(s: pd.Series) -> pd.Series:
    """GX's pandas engine wants plain None for missing text, not pd.NA/NaN mixes."""
    if s.dtype == object or isinstance(s.dtype, pd.StringDtype):
        return s.astype(object).where(s.notna(), None)
    if isinstance(s.dtype, (pd.Int64Dtype, pd.Float64Dtype, pd.BooleanDtype)):
        return s.astype("float64") if not isinstance(s.dtype, pd.BooleanDtype) else s.astype(object)
    return s


def _suites(table: str, keep: list[tuple[int, Rule, GxCheck]], data_docs: bool
            ) -> list[tuple[str, list[str] | None, list[GxCheck]]]:
    """How a table's expectations are validated: (suite name, the frame's columns it gets or
    None for all, its checks).

    For Data Docs, the table's one suite over the whole frame (one page per table). In memory,
    one suite per set of columns the expectations read (`_row`, their columns, their row
    condition's): GX filters the *whole* batch for every metric of a conditional expectation,
    so the nation's indicator table validates in 1.5 s column group by column group instead
    of 3.6 s as one 11-column frame. The expectations and their results are the same."""
    if data_docs:
        return [(f"iid-{table}", None, [c for _, _, c in keep])]
    groups: dict[tuple[str, ...], list[GxCheck]] = {}
    for _, _, c in keep:
        exp = c.expectation
        cols = ("_row", *_expectation_columns(exp), *sorted(_condition_columns(getattr(exp, "row_condition", None))))
        groups.setdefault(tuple(dict.fromkeys(cols)), []).append(c)
    return [(f"iid-{table}-{n}", list(cols), group) for n, (cols, group) in enumerate(groups.items())]


def _filtered_once(frame: pd.DataFrame, expectations: list) -> list[tuple[pd.DataFrame, list]]:
    """In memory, the expectations that share a row condition validate on the frame's rows that
    meet it, filtered once here, as copies without the condition: GX filters the batch again
    for every metric of a conditional expectation (`DataFrame.query` on the nation's 750,000
    indicator rows, 5-8 times each: half of the validation). The same query GX runs (its own
    `condition_to_filter_clause`), on the same rows with the same labels (`_row` positions),
    so the same unexpected rows. A condition that does not filter here is left to GX, which
    reports its error on each expectation as before. The filtered rows keep only the columns
    the copies read: the condition's have done their part."""
    from great_expectations.execution_engine.pandas_execution_engine import PandasExecutionEngine
    from great_expectations.expectations.row_conditions import Condition

    engine = PandasExecutionEngine()
    plain: list = []
    by_clause: dict[str, list] = {}
    for exp in expectations:
        cond = getattr(exp, "row_condition", None)
        if cond is None:
            plain.append(exp)
            continue
        try:
            clause = engine.condition_to_filter_clause(cond) if isinstance(cond, Condition) else None
        except Exception:  # noqa: BLE001 - a condition GX cannot translate: GX says why
            clause = None
        if clause is None:
            plain.append(exp)
        else:
            by_clause.setdefault(clause, []).append(exp)
    out = [(frame, plain)] if plain else []
    for clause, some in by_clause.items():
        try:
            rows = frame.query(clause)
        except Exception:  # noqa: BLE001 - left to GX, which reports it per expectation
            out.append((frame, some))
            continue
        some = [exp.copy(update={"row_condition": None}) for exp in some]
        reads = dict.fromkeys(["_row", *(c for exp in some for c in _expectation_columns(exp))])
        out.append((rows[[c for c in reads if c in rows.columns]], some))
    return out


class StaleSuite(RuntimeError):
    """A rule declares an expectation its committed suite file lacks: `python -m checks.gx_suites`."""


def run_gx(ctx: RuleContext, rules: list[Rule], data_docs: Path | None = None
           ) -> tuple[dict[str, list[pd.DataFrame]], dict[str, BaseException]]:
    """Validate every gx rule's checks: one suite and one validation per table, each
    expectation as the committed suite file (`checks.gx_suites`) defines it.

    With `data_docs` (a folder), the validation runs in a file-backed GX context there (GX's
    project folder `<data_docs>/gx/`), through a Checkpoint whose action builds GX Data Docs
    (`<data_docs>/gx/uncommitted/data_docs/local_site/index.html`).
    Returns (findings per rule id, errors per rule id). A rule whose `check` raises, whose
    expectation is missing from its suite file, or raises inside GX, is reported in errors;
    the others go on.
    """
    gx = import_gx()

    from checks.gx_suites import expectation_from, keyed, load_suite

    found: dict[str, list[pd.DataFrame]] = {r.id: [] for r in rules}
    errors: dict[str, BaseException] = {}
    by_table: dict[str, list[tuple[Rule, str, GxCheck]]] = {}
    for rule in rules:
        try:
            checks = keyed(rule, list(rule.check(ctx)))
        except Exception as exc:  # noqa: BLE001 - one broken rule must not stop the others
            errors[rule.id] = exc
            continue
        for key, c in checks:
            by_table.setdefault(c.table, []).append((rule, key, c))
    if not by_table:
        return found, errors

    context = _context(data_docs)
    source = context.data_sources.add_pandas("iid")
    for table, items in by_table.items():
        base = ctx.table(table)
        frame = pd.DataFrame({"_row": np.arange(len(base))})
        keep: list[tuple[int, Rule, GxCheck]] = []
        suite_file = load_suite(ctx.tahun, table)
        for i, (rule, key, c) in enumerate(items):
            try:
                entry = suite_file.get(key)
                if entry is None:
                    raise StaleSuite(f"{key} not in the {ctx.tahun} suite file of {table}")
                c.expectation = expectation_from(entry)
                for name, fn in c.derived.items():
                    if name in frame.columns:
                        raise ValueError(f"derived column {name} declared twice on {table}")
                    frame[name] = _clean(pd.Series(fn(base)).reset_index(drop=True))
                cols = _expectation_columns(c.expectation) + sorted(_condition_columns(getattr(c.expectation, "row_condition", None)))
                for col in cols + [v for v in c.extras.values() if v in base.columns]:
                    if col not in frame.columns:
                        frame[col] = _clean(base[col].reset_index(drop=True))
                c.expectation.meta = {**(c.expectation.meta or {}), "rule_id": rule.id, "i": i}
                keep.append((i, rule, c))
            except Exception as exc:  # noqa: BLE001
                errors.setdefault(rule.id, exc)
        keep = [k for k in keep if k[1].id not in errors]
        if not keep:
            continue
        asset = source.add_dataframe_asset(table)
        batch_def = asset.add_batch_definition_whole_dataframe(f"{table}-nasional")
        results = []
        for name, columns, group in _suites(table, keep, data_docs is not None):
            part = frame if columns is None else frame[columns]
            expectations = [c.expectation for c in group]
            parts = [(part, expectations)] if data_docs is not None else _filtered_once(part, expectations)
            for rows, some in parts:
                suite = gx.ExpectationSuite(name=name)
                for exp in some:
                    suite.add_expectation(exp)
                results += _validate(context, batch_def, suite, rows, data_docs is not None, ctx.gx_parameters).results
        results.sort(key=lambda r: int((r.expectation_config.meta or {})["i"]))
        checks = {i: (rule, c) for i, rule, c in keep}
        for r in results:
            meta = r.expectation_config.meta or {}
            rule, c = checks[int(meta["i"])]
            if r.exception_info and r.exception_info.get("raised_exception"):
                errors.setdefault(rule.id, RuntimeError(str(r.exception_info.get("exception_message"))[:200]))
                continue
            idx = [d["_row"] if isinstance(d, dict) else d for d in (r.result.get("unexpected_index_list") or [])]
            if not idx:
                continue
            pos = np.asarray(idx, dtype=np.int64)
            rows = base.iloc[pos]
            column = _expectation_columns(c.expectation)[0] if _expectation_columns(c.expectation) else None
            kolom = c.kolom if c.kolom is not None else (display(table, column) if column else None)
            if c.nilai is True:
                nilai_col = column
            else:
                nilai_col = c.nilai or None
            if nilai_col is None:
                nilai = None
            elif nilai_col in base.columns:
                nilai = rows[nilai_col]
            else:
                nilai = pd.Series(frame[nilai_col].to_numpy()[pos], index=rows.index)
            out = rows_to_findings(rows, table, rule.id, kolom=kolom, nilai=nilai,
                                   no_indikator=c.no_indikator, with_row=c.with_row)
            for name, col in c.extras.items():
                out[name] = text_values(pd.Series(frame[col].to_numpy()[pos])).to_numpy()
            for name, value in c.konstanta.items():
                out[name] = value
            found[rule.id].append(out)
    for rid in errors:
        found.pop(rid, None)
    return found, errors
