"""Checks counted like a validation tool: per rule and Pemda, how many items the rule
checked, how many failed and passed (as Great Expectations' Data Docs or pointblank's step
table count them), so "3 temuan" reads against "of 540 checked".

An item is what the rule's key says it is about (the key is declared data, `Rule.key`):

| key holds                         | item (`satuan`)                                  | checked per Pemda            |
|---|---|---|
| `id_inovasi` and `no_indikator`   | `slot_inovasi`: one SID indicator of one innovation | innovations × SID indicators |
| `id_inovasi`                      | `inovasi`: one innovation                        | innovations                  |
| `no_indikator` (no innovation)    | `slot_pemda`: one SPD indicator of the Pemda      | SPD indicators               |
| only `kode_pemda`                 | `pemda`: the Pemda itself                        | 1                            |
| `baris` (structure rules)         | `baris`: one row of the tables the rule reads    | the Pemda's rows             |

An item fails when at least one finding of the rule is about it (several findings on one
item are one failed item); passed = checked − failed, so the two always add up to what was
checked. `temuan` counts every finding of the rule for the Pemda, so a finding that names no
item of its kind (BKT-08 on `Link Video` of Daftar Inovasi or on an SPD indicator's link,
SKM-03's one note per Pemda about an app-offered value) is still visible beside the rate.
A rule not checked for a Pemda (or for the run) has no row: "not checked" is not "passed".
SKM-01 (a whole table lacks a column) has no per-Pemda item and is not counted.

Everything is vectorized per rule over the nation (33 rules, never a loop over rows).
"""

from __future__ import annotations

import pandas as pd

from checks.metrics import key_text
from checks.registry import Rule, all_rules
from core.catalog import Catalog

#: The columns of `cakupan.csv` (one row per rule and Pemda).
CAKUPAN_COLUMNS = ["rule_id", "kode_pemda", "satuan", "diperiksa", "gagal", "lolos", "temuan"]
#: The national rows (one per rule).
NASIONAL_COLUMNS = ["rule_id", "satuan", "diperiksa", "gagal", "lolos", "persen_lolos", "temuan"]


def unit_of(rule: Rule) -> str | None:
    """What one checked item of `rule` is (see the module docstring); None: not counted."""
    key = set(rule.key)
    if "baris" in key:
        return "baris"
    if {"id_inovasi", "no_indikator"} <= key:
        return "slot_inovasi"
    if "id_inovasi" in key:
        return "inovasi"
    if "no_indikator" in key:
        return "slot_pemda"
    if key == {"kode_pemda"}:
        return "pemda"
    return None


def _rows_per_pemda(per_table: dict[str, pd.Series], keys: list[str]) -> pd.Series:
    counts = [per_table[k] for k in keys if k in per_table]
    return pd.concat(counts).groupby(level=0).sum() if counts else pd.Series(dtype="int64")


def rule_coverage(tables: dict[str, pd.DataFrame], innovations: pd.DataFrame, pemda: pd.Series,
                  findings: pd.DataFrame, not_checked: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """`CAKUPAN_COLUMNS` for every counted rule and every Pemda of `pemda` (codes) it checked.

    `tables`: the export's typed tables; `innovations`: one row per innovation (`kode_pemda`,
    `id_inovasi`, as `checks.metrics` counts them); `findings`: the run's findings;
    `not_checked`: rule_id, kode_pemda (None = the whole run)."""
    codes = key_text(pd.Series(pemda, dtype=object))
    pemda = pd.Index(codes[codes != ""].unique(), name="kode_pemda")
    inov = pd.DataFrame({"kode_pemda": key_text(innovations["kode_pemda"]), "id_inovasi": key_text(innovations["id_inovasi"])})
    n_inov = inov["kode_pemda"].value_counts().reindex(pemda, fill_value=0)
    f = pd.DataFrame({"rule_id": findings["rule_id"], "kode_pemda": key_text(findings["kode_pemda"]),
                      "id_inovasi": key_text(findings["id_inovasi"]), "no_indikator": key_text(findings["no_indikator"]),
                      "tabel": findings["tabel"], "baris": findings["baris"]})  # what is counted, not every column
    f = f[f["kode_pemda"].isin(pemda)]
    of_rule = f.groupby("rule_id", sort=False).indices  # each rule's rows, in order: one pass, not one per rule
    whole_run = set(not_checked.loc[not_checked["kode_pemda"].isna(), "rule_id"])
    skipped = pd.MultiIndex.from_arrays([not_checked["rule_id"].astype(object), key_text(not_checked["kode_pemda"])])
    sid, spd = set(catalog.sid_numbers), set(catalog.spd_numbers)
    rows = {k: key_text(df["kode_pemda"]).value_counts() for k, df in tables.items() if "kode_pemda" in df}
    per_rule = f.groupby(["rule_id", "kode_pemda"]).size()
    all_of_rule = {rid: s.droplevel(0).reindex(pemda, fill_value=0) for rid, s in per_rule.groupby(level=0)}
    none = pd.Series(0, index=pemda)
    out = []
    for rule in all_rules().values():
        unit = unit_of(rule)
        if unit is None or rule.id in whole_run:
            continue
        mine = f.iloc[of_rule.get(rule.id, [])]
        if unit == "slot_inovasi":
            checked = n_inov * len(sid)
            mine = mine[mine["no_indikator"].isin(sid)].merge(inov, on=["kode_pemda", "id_inovasi"])
            items = ["kode_pemda", "id_inovasi", "no_indikator"]
        elif unit == "inovasi":
            checked = n_inov
            mine = mine.merge(inov, on=["kode_pemda", "id_inovasi"])
            items = ["kode_pemda", "id_inovasi"]
        elif unit == "slot_pemda":
            checked = pd.Series(len(spd), index=pemda)
            mine = mine[mine["no_indikator"].isin(spd)]
            items = ["kode_pemda", "no_indikator"]
        elif unit == "pemda":
            checked = pd.Series(1, index=pemda)
            items = ["kode_pemda"]
        else:  # baris: the rows of the tables the rule reads (every table when it names none)
            needs = [n.split(".")[0] for n in rule.needs] or list(tables)
            checked = _rows_per_pemda(rows, needs).reindex(pemda, fill_value=0)
            mine = mine[mine["baris"].notna()]
            items = ["kode_pemda", "tabel", "baris"]
        failed = mine.drop_duplicates(items)["kode_pemda"].value_counts().reindex(pemda, fill_value=0)
        part = pd.DataFrame({"rule_id": rule.id, "kode_pemda": pemda, "satuan": unit,
                             "diperiksa": checked.reindex(pemda, fill_value=0).to_numpy("int64"),
                             "gagal": failed.to_numpy("int64"), "temuan": all_of_rule.get(rule.id, none).to_numpy("int64")})
        out.append(part)
    if not out:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in CAKUPAN_COLUMNS})
    df = pd.concat(out, ignore_index=True)
    df = df[~pd.MultiIndex.from_frame(df[["rule_id", "kode_pemda"]]).isin(skipped)]
    df["lolos"] = df["diperiksa"] - df["gagal"]
    return df[CAKUPAN_COLUMNS].reset_index(drop=True)


def national(cakupan: pd.DataFrame) -> pd.DataFrame:
    """One row per rule: the Pemda rows summed, with the pass rate (None when nothing was checked)."""
    g = cakupan.groupby(["rule_id", "satuan"], sort=True, as_index=False)[["diperiksa", "gagal", "lolos", "temuan"]].sum()
    g["persen_lolos"] = (g["lolos"] / g["diperiksa"].where(g["diperiksa"] > 0) * 100).round(2)
    return g[NASIONAL_COLUMNS]
