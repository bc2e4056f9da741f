"""From text tables to the typed tables of `core.tables` and the SKM findings.

Order: clean text → fix spellings and code forms → Pandera contract per table (the contract
rules' per-cell checks) → parse types → Pemda codes → innovation ids → indicator rows to
innovations → the contract rules' cross-row `check`s → findings get their context (Pemda,
innovation, indicator, row).

Ingest resolves, the rules judge: this module decides which Pemda and innovation each row
belongs to (it must, to build the tables) and keeps what it saw on the `Stage` as facts
(`Stage.pemda`: which Pemda references failed and how; `Stage.link`: which innovation
references resolve; `Stage.reference_missing`); the rules in `ingest/rules/` turn those
facts into findings (SKM-01, SKM-04, SKM-05, SKM-06).

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
from core.tables import TABLES
from ingest import normalize, partial
from ingest.contracts import validate
from ingest.pemda import CODE_PATTERN, assessed_codes, codes_for, known_codes, official_names
from ingest.readers import RawTable
from ingest.rules import contract_rules

_PARSERS = normalize.parsers()


#: The columns whose cleaned text is also brought to one form (`Stage._clean`).
_FORMS = {
    "jenis_file": normalize.normalize_jenis_file,
    "parameter": normalize.normalize_parameter,
    "no_indikator": normalize.normalize_indicator_no,
    "kode_pemda": normalize.normalize_kode_pemda,
}


class Stage:
    """One table on its way through ingest: cleaned text, typed frame, partial findings."""

    def __init__(self, raw: RawTable, catalog: Catalog, check_contracts: bool = True):
        self.table = TABLES[raw.key]
        self.catalog = catalog
        frame = raw.frame
        extra = {c.name: c.kosong for c in self.table.columns}
        columns = {c: self._clean(c, frame[c], extra.get(c, ())) for c in frame.columns if c != "baris"}
        keep = _any_present(columns.values(), len(frame))
        if keep.all():  # the usual case: no row to drop, so no copy to make
            text = pd.DataFrame(columns, copy=False)
            baris = frame["baris"]
        else:
            text = pd.DataFrame({c: s[keep] for c, s in columns.items()}, index=frame.index[keep])
            baris = frame.loc[keep, "baris"]
        text.index = pd.RangeIndex(len(text))
        self.text = text
        #: partial findings; the contract's first (`check_contracts=False`: the caller puts
        #: `validate`'s there itself, computed elsewhere, before `finish`)
        self.parts: list[pd.DataFrame] = [validate(self.table.key, text, catalog)] if check_contracts else []
        typed = text.copy(deep=False)  # parsed columns replace theirs; `text` keeps its own
        for c in self.table.columns:
            if c.name in typed.columns and c.kind in _PARSERS:
                typed[c.name] = _PARSERS[c.kind](text[c.name])
        typed["baris"] = baris.astype("int64").to_numpy()
        self.typed = typed
        self.kode = pd.Series(np.nan, index=text.index, dtype=object)
        #: code for findings: `kode`, or a non-assessed Kemendagri code the row names (DKI unit)
        self.hint = self.kode
        #: how the rows' own Pemda references resolved (`pemda_codes`); None: not resolved
        self.pemda: pd.DataFrame | None = None
        #: how indicator rows' innovation references resolved (`link_indicators`); None: not linked
        self.link: pd.DataFrame | None = None
        #: the column the table lacks to tie its rows to an innovation or Pemda (None: has one)
        self.reference_missing: str | None = None
        #: indicator rows may name their innovation by Pemda + title instead of `ID Inovasi`
        self.refers_by_title = False

    def _clean(self, col: str, raw: pd.Series, markers: tuple[str, ...]) -> pd.Series:
        """One column's cleaned text with its spellings and code forms fixed. Every step works
        value by value: a column with steps after the cleaning (a handful of distinct values
        in 750,000 rows: Jenis File, Parameter, codes) goes through all of them once per
        distinct value, not through a pass over its rows for each step."""
        steps = []
        if col in _FORMS:
            steps.append(_FORMS[col])
        if col in self.catalog.nilai_sah:
            offered = self.catalog.nilai_sah[col] + self.catalog.nilai_aplikasi.get(col, ())
            steps.append(lambda text: normalize.canonical_choices(text, offered))

        def clean(values: pd.Series) -> pd.Series:
            text = normalize.clean_text(values, markers)
            for step in steps:
                text = step(text)
            return text

        return normalize.on_uniques(raw, clean).astype(object) if steps else clean(raw)

    def has(self, *cols: str) -> bool:
        return all(c in self.text.columns for c in cols)

    def add(self, part: pd.DataFrame) -> None:
        self.parts.append(part)


def _any_present(columns, n: int) -> np.ndarray:
    """Rows with a value in at least one of `columns` (a row that is empty everywhere is a
    blank line of the sheet, not a record). Each column is only looked at where the columns
    before it were all empty."""
    present = np.zeros(n, dtype=bool)
    for s in columns:
        todo = np.flatnonzero(~present)
        if not len(todo):
            break
        present[todo] = pd.notna(s.to_numpy()[todo])
    return present


def pemda_codes(stage: Stage, rows: pd.Series | None = None) -> pd.Series:
    """Kemendagri code per row from `Kode Pemda` / `Pemda` (see the module docstring). Keeps on
    `stage.pemda` what failed, per row (`diperiksa`: the rows whose own reference counts, by
    `rows`, default all). Also sets `stage.hint`: the Kemendagri code a row names even when it
    is not assessed (a DKI unit), so its finding still says which unit it was.

    Facts (boolean columns of `stage.pemda`): `kode_tak_dikenal` (a well-formed code outside
    the Kemendagri list), `kode_tak_dinilai` (listed but not assessed: a DKI unit),
    `kode_kosong`, `nama_tak_dikenal` (the name was needed and names no assessed Pemda, the
    code not already flagged), `nama_beda` (a valid code and a name of another Pemda)."""
    text = stage.text
    idx = text.index
    false = pd.Series(False, index=idx)
    facts = pd.DataFrame(False, index=idx, columns=["diperiksa", "kode_tak_dikenal", "kode_tak_dinilai",
                                                    "kode_kosong", "nama_tak_dikenal", "nama_beda"])
    facts["diperiksa"] = True if rows is None else rows.to_numpy(dtype=bool)
    assessed = assessed_codes()
    kode = pd.Series(np.nan, index=idx, dtype=object)
    hint = pd.Series(np.nan, index=idx, dtype=object)
    flagged = false
    if "kode_pemda" in text:
        code = text["kode_pemda"]
        # what each distinct code is, spread back over the rows (750,000 indicator rows: one
        # hash of the column instead of three); a missing code is none of it
        at, distinct = pd.factorize(code, use_na_sentinel=True)
        distinct = pd.Series(distinct, dtype=object)

        def spread(per_code: pd.Series) -> pd.Series:
            return pd.Series(np.append(per_code.to_numpy(dtype=bool), False)[at], index=idx)

        ok = spread(distinct.isin(assessed))
        listed = spread(distinct.isin(known_codes()))
        kode = code.where(ok)
        hint = code.where(listed)
        well_formed = spread(distinct.astype(str).str.fullmatch(CODE_PATTERN))
        facts["kode_tak_dikenal"] = well_formed & ~listed  # (missing: not well formed)
        facts["kode_tak_dinilai"] = listed & ~ok
        facts["kode_kosong"] = code.isna()
        flagged = code.notna() & ~listed  # SKM-02 (form) or SKM-04 (unknown) already said it
    if "pemda" in text:
        name = text["pemda"]
        res = codes_for(name)
        usable = res.isin(assessed)
        fill = kode.isna()
        facts["nama_tak_dikenal"] = fill & ~usable & ~flagged
        facts["nama_beda"] = ~fill & res.notna() & (res != kode)
        kode = kode.where(~fill, res.where(usable))
        hint = hint.where(hint.notna(), res)
    stage.pemda = facts
    stage.hint = hint.where(kode.isna(), kode).astype(object)
    kode = kode.astype(object)
    return kode.where(kode.notna(), np.nan)


def derive_ids(stage: Stage) -> None:
    """`id_inovasi` always, `id_inovasi_diturunkan` where derived (duplicates: SKM-05's check)."""
    text, typed = stage.text, stage.typed
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


def link_indicators(stage: Stage, daftar: Stage | None) -> None:
    """Indikator Inovasi rows → innovation id and Pemda. Keeps `stage.link`: per row `ref` (the
    `ID Inovasi` text), `kode_sendiri` (the row's own Pemda), `dikenal` (its reference, by id or
    by Pemda + title, names an innovation of Daftar Inovasi); and `stage.refers_by_title`."""
    text, typed = stage.text, stage.typed
    idx = text.index
    by_title = stage.has("judul_inovasi") and ("pemda" in text or "kode_pemda" in text)
    stage.refers_by_title = by_title
    if "id_inovasi" not in text and not by_title:
        stage.reference_missing = "id_inovasi"
    ref = text["id_inovasi"] if "id_inovasi" in text else pd.Series(np.nan, index=idx, dtype=object)
    own_kode = (
        pemda_codes(stage, rows=ref.isna() if daftar is not None else None)
        if ("pemda" in text or "kode_pemda" in text)
        else pd.Series(np.nan, index=idx, dtype=object)
    )
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
    stage.link = pd.DataFrame({"ref": ref, "kode_sendiri": own_kode, "dikenal": ref_final.isin(set(d_ids.dropna()))})
    typed["id_inovasi"] = ref_final.where(ref_final.notna(), np.nan).astype(object)
    kode = ref_final.map(d_kode)
    stage.kode = kode.where(kode.notna(), own_kode).astype(object)


def region_table(stage: Stage) -> None:
    """Indikator Pemda / Profil Pemda: rows tied to their Pemda by `Kode Pemda` or `Pemda`."""
    if "pemda" not in stage.text and "kode_pemda" not in stage.text:
        stage.reference_missing = "kode_pemda"
        return
    stage.kode = pemda_codes(stage)


def run_rule_checks(stage: Stage) -> None:
    """Every contract rule's cross-row `check` over one assembled table, in rule order."""
    for rule in contract_rules().values():
        if rule.check is not None:
            stage.add(rule.check(stage))


def finish(stage: Stage, daftar: Stage | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The typed table (canonical columns + baris, kode_pemda, ids) and its full findings (with
    the message fields a rule added, see `ingest.partial`)."""
    typed = stage.typed
    typed["kode_pemda"] = stage.kode.to_numpy()
    return typed, stage_findings(stage, daftar)


def stage_findings(stage: Stage, daftar: Stage | None) -> pd.DataFrame:
    """A finished stage's findings (`finish`), from its partial findings so far."""
    typed = stage.typed
    raw = partial.concat(stage.parts)
    rows = raw["row"]
    at = rows.notna()
    r = pd.Index(rows[at].astype("int64"))
    extras = [c for c in raw.columns if c not in partial.RAW_FINDING_COLUMNS and c != partial.PER_PEMDA]
    out = pd.DataFrame(index=raw.index, columns=ALL_COLUMNS + extras, dtype=object)
    for c in ("rule_id", "tabel", "kolom", "nilai", *extras):
        out[c] = raw[c]
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
    if partial.PER_PEMDA in raw:  # about the Pemda: its row only said which Pemda
        out.loc[raw[partial.PER_PEMDA].eq(True).to_numpy(), ["baris", "id_inovasi", "judul_inovasi", "no_indikator"]] = None
    out = out.astype(object)
    return out.where(out.notna(), None) if len(out) else findings()
