"""Finding messages: fill `severity` and `pesan` from the rule registry's templates.

Templates are `str.format`-style (`{judul_inovasi}`, `{no_indikator}`, …). Rendering is
vectorized: a template is split once into literal text and field names, then each field's
column is concatenated as a whole (one pass per rule and field, never per row), so ~200k
findings render in well under a second per rule.
"""

from __future__ import annotations

import logging
import string

import numpy as np
import pandas as pd

from core.catalog import Catalog
from core.findings import ALL_COLUMNS
from core.findings import findings as as_findings
from checks.registry import Lookup, Rule, all_rules

log = logging.getLogger(__name__)

#: What a missing value shows as inside a message.
KOSONG = "-"

FIELDS_FROM_ROW = ("pemda", "kode_pemda", "id_inovasi", "judul_inovasi", "no_indikator", "kolom", "nilai", "tabel", "baris")

#: Computed for every finding: `subjek` (id) / `subject` (en), "inovasi 'Judul'" for a finding
#: about an innovation, "Pemda Kab. X" (id) / "Kab. X" (en) for a region-level one (SPD rows):
#: never "inovasi '-'".
COMPUTED_FIELDS = ("indikator", "subjek", "subject")


def _parts(template: str) -> list[tuple[str, str | None]]:
    return [(lit, name) for lit, name, _spec, _conv in string.Formatter().parse(template)]


def _as_text(values: pd.Series) -> np.ndarray:
    s = values.astype(object)
    missing = s.isna().to_numpy()
    if pd.api.types.infer_dtype(s, skipna=True) == "string":  # text already (most fields): no call per cell
        out = s.to_numpy(dtype=object, copy=True)
    else:
        out = s.map(lambda v: v if isinstance(v, str) else (str(int(v)) if isinstance(v, float) and v.is_integer()
                                                             else str(v)), na_action="ignore").to_numpy(dtype=object)
    out[missing] = KOSONG
    return out


def extra_values(rule: Rule, catalog: Catalog) -> dict[str, "str | Lookup"]:
    if rule.extra is None:
        return {}
    return {k: v if isinstance(v, Lookup) else str(v) for k, v in rule.extra(catalog).items()}


def render_template(template: str, group: pd.DataFrame, fields: dict[str, object]) -> np.ndarray:
    """`template` filled for every row of `group`; `fields` holds scalars or per-row Series."""
    out = np.full(len(group), "", dtype=object)
    for lit, name in _parts(template):
        if lit:
            out = out + lit
        if name is None:
            continue
        v = fields.get(name)
        if isinstance(v, pd.Series):
            out = out + _as_text(v)
        elif v is None:
            out = out + KOSONG
        else:
            out = out + str(v)
    return out


def render(findings: pd.DataFrame, catalog: Catalog, lang: str) -> pd.DataFrame:
    """`findings` (any rule ids) with `severity` and `pesan` filled in `lang` ("id" | "en").

    Columns beyond the finding columns (per-row message fields a rule added, e.g. BKT-07's
    `klaim`/`terbukti`) feed the templates and are dropped from the result. A field a row
    lacks renders as `-`. Unknown rule ids keep their severity and get a plain message."""
    df = as_findings(findings, extra=True)
    if df.empty:
        return df[ALL_COLUMNS]
    rules = all_rules()
    names = {no: ind.nama for no, ind in catalog.indicators.items()}
    en = lang == "en"
    for rule_id, idx in df.groupby("rule_id", sort=False, dropna=False).groups.items():
        group = df.loc[idx]
        rule = rules.get(rule_id)
        if rule is None:
            df.loc[idx, "pesan"] = render_template(
                "{rule_id}: {kolom} {nilai}", group, {"rule_id": str(rule_id), "kolom": group["kolom"], "nilai": group["nilai"]}
            )
            continue
        fields: dict[str, object] = {f: group[f] for f in group.columns}
        fields["indikator"] = group["no_indikator"].map(names)  # no_indikator is text ("16", "2a")
        # who a finding is about: an innovation, or (region-level rows: SPD indicators) the Pemda
        judul, pemda = group["judul_inovasi"], group["pemda"].fillna(group["kode_pemda"]).fillna(KOSONG)
        has = judul.notna()
        fields["subjek"] = ("inovasi '" + judul.astype(str) + "'").where(has, "Pemda " + pemda.astype(str))
        fields["subject"] = ("innovation '" + judul.astype(str) + "'").where(has, pemda.astype(str))
        for name, value in extra_values(rule, catalog).items():
            fields[name] = group[value.field].map(value.values) if isinstance(value, Lookup) else value
        fields["rule_id"] = rule.id
        df.loc[idx, "severity"] = rule.severity.value
        df.loc[idx, "pesan"] = render_template(rule.pesan_en if en else rule.pesan_id, group, fields)
        if rule.variants and "varian" in group:
            for name, variant in rule.variants.items():
                sel = (group["varian"] == name).to_numpy()
                if sel.any():
                    part = group[sel]
                    sub_fields = {k: (v[sel] if isinstance(v, pd.Series) else v) for k, v in fields.items()}
                    df.loc[part.index, "severity"] = variant.severity.value
                    df.loc[part.index, "pesan"] = render_template(variant.pesan(lang), part, sub_fields)
    return df[ALL_COLUMNS]


def placeholders(template: str) -> set[str]:
    """The field names a template uses (for tests and registry checks)."""
    return {name for _lit, name in _parts(template) if name}
