"""From text tables to the typed tables of `core.tables` and the SKM findings.

Order: clean text → fix spellings and code forms → Pandera contract per table (SKM-01/02/03,
SKM-06 for indicator numbers) → parse types → Pemda codes (SKM-04) → innovation ids and
duplicates (SKM-05) → indicator rows to innovations (SKM-06) → findings get their context
(Pemda, innovation, indicator, row).

Decisions (the spec is silent):

- **Kode Pemda vs Pemda.** A valid, assessed `Kode Pemda` wins. If the `Pemda` name on the
  same row resolves to a *different* Kemendagri code, the row stays under the code and gets
  SKM-04 on column `Pemda` (the row may be filed under the wrong region: a verifier must
  look). A name that cannot be resolved next to a valid code is not reported (the code
  suffices). An invalid code (SKM-02) or an unknown / DKI-unit code (SKM-04) falls back to
  the name, without a second finding for that row.
- **Derived ids.** `id_inovasi` = `<kode_pemda>-<No>`; when the code is unknown, `No` is
  missing, or `No` repeats within the Pemda, `<kode_pemda or ?>-b<baris>` so ids never collide.
- **Indicator rows.** In `Indikator Inovasi` the Pemda comes from the innovation the row
  refers to; the row's own `Pemda`/`Kode Pemda` are only used (and checked, SKM-04) when the
  row refers to its innovation by title. `id_inovasi` is always present in that table: the
  `ID Inovasi` text, or the id found by (Pemda, normalized title); NA when unknown (SKM-06).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.catalog import Catalog
from core.findings import ALL_COLUMNS, findings
from ingest import normalize
from ingest.contracts import CHOICE_COLUMNS, RAW_FINDING_COLUMNS, validate
from ingest.pemda import CODE_PATTERN, assessed_codes, known_codes, official_names, resolve
from ingest.readers import RawTable
from core.tables import TABLES, Table

_PARSERS = normalize.parsers()


def _cells(rule_id: str, table: Table, column: str, values: pd.Series) -> pd.DataFrame:
    """Partial findings for the cells `values` (index = row labels) of one column."""
    display = table.column(column).display if column in table.names else column
    return pd.DataFrame(
        {
            "rule_id": rule_id,
            "tabel": table.display,
            "kolom": display,
            "nilai": values.astype(object).where(values.notna(), None),
            "row": values.index.to_series().astype(object),
        },
        index=None,
    ).reset_index(drop=True)


def _table_level(rule_id: str, table: Table, kolom: str) -> pd.DataFrame:
    return pd.DataFrame([{"rule_id": rule_id, "tabel": table.display, "kolom": kolom, "nilai": None, "row": pd.NA}])


def _concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    parts = [p for p in parts if p is not None and len(p)]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in RAW_FINDING_COLUMNS})
    return pd.concat(parts, ignore_index=True)[RAW_FINDING_COLUMNS]


class Stage:
    """One table on its way through ingest: cleaned text, typed frame, partial findings."""

    def __init__(self, raw: RawTable, catalog: Catalog):
        self.table = TABLES[raw.key]
        frame = raw.frame
        data_cols = [c for c in frame.columns if c != "baris"]
        extra = {c.name: c.kosong for c in self.table.columns}
        text = pd.DataFrame({c: normalize.clean_text(frame[c], extra.get(c, ())) for c in data_cols},
                            index=frame.index)
        keep = text.notna().any(axis=1) if data_cols else pd.Series(False, index=frame.index)
        text = text[keep].reset_index(drop=True)
        baris = frame.loc[keep.to_numpy(), "baris"].reset_index(drop=True) if len(frame) else frame["baris"]
        for col in text.columns:
            if col == "jenis_file":
                text[col] = normalize.normalize_jenis_file(text[col])
            elif col == "parameter":
                text[col] = normalize.normalize_parameter(text[col])
            elif col == "no_indikator":
                text[col] = normalize.normalize_indicator_no(text[col])
            elif col == "kode_pemda":
                text[col] = normalize.normalize_kode_pemda(text[col])
            if col in CHOICE_COLUMNS and col in catalog.nilai_sah:
                text[col] = normalize.canonical_choices(text[col], catalog.nilai_sah[col])
        self.text = text
        self.parts: list[pd.DataFrame] = [validate(self.table.key, text, catalog)]
        typed = text.copy()
        for c in self.table.columns:
            if c.name in typed.columns and c.kind in _PARSERS:
                typed[c.name] = _PARSERS[c.kind](text[c.name])
        typed["baris"] = baris.astype("int64").to_numpy()
        self.typed = typed
        self.kode = pd.Series(np.nan, index=text.index, dtype=object)
        #: code for findings: `kode`, or a non-assessed Kemendagri code the row names (DKI unit)
        self.hint = self.kode

    def has(self, *cols: str) -> bool:
        return all(c in self.text.columns for c in cols)

    def add(self, part: pd.DataFrame) -> None:
        self.parts.append(part)


def pemda_codes(stage: Stage, rows: pd.Series | None = None) -> tuple[pd.Series, pd.DataFrame]:
    """Kemendagri code per row from `Kode Pemda` / `Pemda` (see the module docstring), and
    SKM-04 findings for the rows selected by `rows` (default all). Also sets `stage.hint`:
    the Kemendagri code a row names even when it is not assessed (a DKI unit), so its
    finding still says which unit it was."""
    text, table = stage.text, stage.table
    idx = text.index
    rows = pd.Series(True, index=idx) if rows is None else rows
    assessed = assessed_codes()
    kode = pd.Series(np.nan, index=idx, dtype=object)
    hint = pd.Series(np.nan, index=idx, dtype=object)
    flagged = pd.Series(False, index=idx)
    parts = []
    has_name = "pemda" in text
    if "kode_pemda" in text:
        code = text["kode_pemda"]
        ok = code.isin(assessed)
        listed = code.isin(known_codes())
        kode = code.where(ok)
        hint = code.where(listed)
        unknown = code.notna() & code.astype(str).str.fullmatch(CODE_PATTERN) & ~listed
        # a DKI unit's code is reported on the Pemda name when there is one
        skm04 = unknown | (listed & ~ok & (not has_name))
        parts.append(_cells("SKM-04", table, "kode_pemda", code[skm04 & rows]))
        flagged = code.notna() & ~listed  # SKM-02 (form) or SKM-04 (unknown) already said it
        if not has_name:
            parts.append(_cells("SKM-04", table, "kode_pemda", code[code.isna() & rows]))
    if has_name:
        name = text["pemda"]
        res = resolve(name)["kode_pemda"]
        usable = res.isin(assessed)
        fill = kode.isna()
        parts.append(_cells("SKM-04", table, "pemda", name[fill & ~usable & ~flagged & rows]))
        parts.append(_cells("SKM-04", table, "pemda", name[~fill & res.notna() & (res != kode) & rows]))
        kode = kode.where(~fill, res.where(usable))
        hint = hint.where(hint.notna(), res)
    stage.hint = hint.where(kode.isna(), kode).astype(object)
    kode = kode.astype(object)
    return kode.where(kode.notna(), np.nan), _concat(parts)


def derive_ids(stage: Stage) -> None:
    """`id_inovasi` always, `id_inovasi_diturunkan` where derived; SKM-05 for duplicates."""
    text, typed, table = stage.text, stage.typed, stage.table
    idx = text.index
    given = text["id_inovasi"] if "id_inovasi" in text else pd.Series(np.nan, index=idx, dtype=object)
    kp = stage.kode.fillna("?").astype(str)
    no = typed["no"] if "no" in typed else pd.Series(pd.NA, index=idx, dtype="Int64")
    primary = kp + "-" + no.astype("string").fillna("").astype(str)
    need = given.isna()
    clash = primary.where(need & no.notna()).dropna().duplicated(keep=False).reindex(idx, fill_value=False)
    fallback = kp + "-b" + typed["baris"].astype(str)
    derived = primary.where(stage.kode.notna() & no.notna() & ~clash, fallback)
    ids = given.where(~need, derived).astype(object)
    typed["id_inovasi"] = ids
    typed["id_inovasi_diturunkan"] = need.to_numpy(dtype=bool)

    # SKM-05: same given ID, or same Pemda + normalized title; every row of the group
    id_dup = given.dropna().duplicated(keep=False).reindex(idx, fill_value=False)
    parts = [_cells("SKM-05", table, "id_inovasi", given[id_dup])]
    if "judul_inovasi" in text:
        title = normalize.normalize_title(text["judul_inovasi"])
        other = normalize.normalize_title(text["pemda"]) if "pemda" in text else pd.Series("", index=idx)
        group = stage.kode.fillna("?" + other.fillna("").astype(str))
        keyed = pd.DataFrame({"g": group, "t": title})[title.notna()]
        t_dup = keyed.duplicated(keep=False).reindex(idx, fill_value=False)
        parts.append(_cells("SKM-05", table, "judul_inovasi", text["judul_inovasi"][t_dup & ~id_dup]))
    stage.add(_concat(parts))


def link_indicators(stage: Stage, daftar: Stage | None) -> None:
    """Indikator Inovasi rows → innovation id and Pemda; SKM-01 (no reference), SKM-04, SKM-06."""
    text, typed, table = stage.text, stage.typed, stage.table
    idx = text.index
    by_title = stage.has("judul_inovasi") and ("pemda" in text or "kode_pemda" in text)
    if "id_inovasi" not in text and not by_title:
        stage.add(_table_level("SKM-01", table, table.column("id_inovasi").display))
    ref = text["id_inovasi"] if "id_inovasi" in text else pd.Series(np.nan, index=idx, dtype=object)
    own_kode, own_findings = (
        pemda_codes(stage, rows=ref.isna() if daftar is not None else None)
        if ("pemda" in text or "kode_pemda" in text)
        else (pd.Series(np.nan, index=idx, dtype=object), None)
    )
    stage.add(own_findings)
    if daftar is None:
        typed["id_inovasi"] = ref
        stage.kode = own_kode
        return
    d_ids = daftar.typed["id_inovasi"]
    d_kode = pd.Series(daftar.kode.to_numpy(), index=d_ids.to_numpy())
    d_kode = d_kode[~d_kode.index.duplicated()]
    ref_final = ref.copy()
    if by_title:
        d_title = pd.DataFrame(
            {"k": daftar.kode, "t": normalize.normalize_title(daftar.text["judul_inovasi"]) if "judul_inovasi" in daftar.text else np.nan, "id": d_ids}
        ).dropna().drop_duplicates(["k", "t"])
        mine = pd.DataFrame({"k": own_kode, "t": normalize.normalize_title(text["judul_inovasi"])})
        found = mine.merge(d_title, on=["k", "t"], how="left")["id"]
        found.index = idx
        ref_final = ref.where(ref.notna(), found)
    known = ref_final.isin(set(d_ids.dropna()))
    parts = [_cells("SKM-06", table, "id_inovasi", ref[ref.notna() & ~known])]
    if by_title:
        named = ref.isna() & own_kode.notna() & text["judul_inovasi"].notna()
        parts.append(_cells("SKM-06", table, "judul_inovasi", text["judul_inovasi"][named & ~known]))
        no_ref = ref.isna() & text["judul_inovasi"].isna()
    else:
        no_ref = ref.isna()
    parts.append(_cells("SKM-06", table, "id_inovasi" if "id_inovasi" in text else "judul_inovasi", ref[no_ref]))
    stage.add(_concat(parts))
    typed["id_inovasi"] = ref_final.where(ref_final.notna(), np.nan).astype(object)
    kode = ref_final.map(d_kode)
    stage.kode = kode.where(kode.notna(), own_kode).astype(object)


def region_table(stage: Stage) -> None:
    """Indikator Pemda / Profil Pemda: the Pemda reference must exist (SKM-01) and resolve (SKM-04)."""
    if "pemda" not in stage.text and "kode_pemda" not in stage.text:
        stage.add(_table_level("SKM-01", stage.table, stage.table.column("kode_pemda").display))
        return
    stage.kode, f = pemda_codes(stage)
    stage.add(f)


def finish(stage: Stage, daftar: Stage | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The typed table (canonical columns + baris, kode_pemda, ids) and its full findings."""
    typed = stage.typed
    typed["kode_pemda"] = stage.kode.to_numpy()
    raw = _concat(stage.parts)
    rows = raw["row"]
    at = rows.notna()
    r = pd.Index(rows[at].astype("int64"))
    out = pd.DataFrame(index=raw.index, columns=ALL_COLUMNS, dtype=object)
    out["rule_id"] = raw["rule_id"]
    out["tabel"] = raw["tabel"]
    out["kolom"] = raw["kolom"]
    out["nilai"] = raw["nilai"]
    if at.any():
        kode = stage.kode.where(stage.kode.notna(), stage.hint).reindex(r).to_numpy()
        out.loc[at, "kode_pemda"] = kode
        names = official_names(pd.Series(kode)).to_numpy()
        if "pemda" in stage.text:
            given = stage.text["pemda"].reindex(r).reset_index(drop=True)
            official = pd.Series(names, dtype=object)
            names = official.where(official.notna(), given).to_numpy()
        out.loc[at, "pemda"] = names
        out.loc[at, "baris"] = typed["baris"].reindex(r).to_numpy()
        if "id_inovasi" in typed:
            out.loc[at, "id_inovasi"] = typed["id_inovasi"].reindex(r).to_numpy()
        judul = stage.text["judul_inovasi"].reindex(r) if "judul_inovasi" in stage.text else pd.Series(np.nan, index=r)
        if stage.table.key == "indikator_inovasi" and daftar is not None and "judul_inovasi" in daftar.text:
            d = pd.Series(daftar.text["judul_inovasi"].to_numpy(), index=daftar.typed["id_inovasi"].to_numpy())
            d = d[~d.index.duplicated()]
            mapped = pd.Series(typed["id_inovasi"].reindex(r).map(d).to_numpy(), index=r, dtype=object)
            judul = mapped.where(mapped.notna(), judul)
        out.loc[at, "judul_inovasi"] = judul.to_numpy()
        if "no_indikator" in stage.text:
            out.loc[at, "no_indikator"] = stage.text["no_indikator"].reindex(r).to_numpy()
    out = out.astype(object)
    return typed, out.where(out.notna(), None) if len(out) else findings()
