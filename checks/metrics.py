"""Region metrics of `../shared/spec/rules.md`: scores as claimed and as verified, problem share.

Declared shape (the contract between metrics, reports, flows and delivery). Implementation
follows in `region_metrics`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.catalog import Catalog
from core.ringkasan import RINGKASAN_CONTRACT, RINGKASAN_EXTRA
from ingest.export import Export
from ingest.pemda import is_assessed, official_names, province_names

#: `ringkasan.csv` has the columns of `core.ringkasan.RINGKASAN_SCHEMA` (RINGKASAN_CONTRACT, then
#: RINGKASAN_EXTRA); the names are imported from here by the metrics' readers too.

#: `Metrics.inovasi`: one row per innovation, ranked within its Pemda by IID points lost.
INOVASI_COLUMNS: list[str] = [
    "kode_pemda",
    "id_inovasi",
    "judul_inovasi",
    "skor_klaim",  # Σ bobot × parameter of rows 16–35 (0..111)
    "skor_terverifikasi",  # same, rows with an error finding count 0
    "poin_iid_hilang",  # (klaim - terverifikasi) / k / total_maksimum × 100
    "peringkat",  # 1 = loses most
]

#: `Metrics.slot`: one row per indicator slot (SPD: id_inovasi empty), answered or not.
SLOT_COLUMNS: list[str] = [
    "kode_pemda",
    "id_inovasi",  # None for SPD
    "no_indikator",
    "kelompok",  # SPD | SID
    "parameter",  # 1..3 or None when unanswered
    "status",  # ok | warning | error | kosong (unanswered)
    "skor_klaim",
    "skor_terverifikasi",
    "poin_iid_hilang",  # what fixing this slot's errors regains, in IID points
]

#: `Metrics.per_aturan`: findings per Pemda, rule and severity.
PER_ATURAN_COLUMNS: list[str] = ["kode_pemda", "rule_id", "severity", "jumlah"]

#: `fix_gains`: one row per fix that wins IID points back, best first within each Pemda.
FIX_COLUMNS: list[str] = [
    "kode_pemda",
    "id_inovasi",  # None for SPD slots and Pemda-wide fixes
    "no_indikator",  # None for Pemda-wide fixes
    "jenis",  # one of FIX_KINDS
    "rule_id",  # the rule naming a Pemda-wide or unanswered-slot fix; None for slot errors
    "wajib",  # the slot's indicator is mandatory (an unanswered one may get the innovation rejected)
    "taksiran",  # tepat | minimal | rata_rata: how the points are known (see `fix_gains`)
    "poin_iid",  # IID points won back: score if fixed − verified score
    "skor_jika_diperbaiki",  # the verified IID with this one fix, rounded like the IID
    "peringkat",  # 1 = wins most within the Pemda
]
#: `jenis` of a fix: an error zeroing a claimed slot, an unanswered mandatory indicator,
#: Jumlah Inovasi lost to too few urusan wajib (LKP-09), SID diluted by too few innovations (LKP-08).
FIX_KINDS: tuple[str, ...] = ("bukti", "wajib_kosong", "urusan", "pembagi")


@dataclass
class Metrics:
    ringkasan: pd.DataFrame  # RINGKASAN_CONTRACT + RINGKASAN_EXTRA
    inovasi: pd.DataFrame  # INOVASI_COLUMNS
    slot: pd.DataFrame  # SLOT_COLUMNS
    per_aturan: pd.DataFrame  # PER_ATURAN_COLUMNS


# ---------------------------------------------------------------------------------------------
# Implementation
# ---------------------------------------------------------------------------------------------


#: Tahapan Inovasi (normalized) → ringkasan count column.
_TAHAPAN_COLUMNS: dict[str, str] = {
    "inisiatif": "jumlah_inisiatif",
    "uji coba": "jumlah_uji_coba",
    "penerapan": "jumlah_penerapan",
}
_ANSWERED: frozenset[str] = frozenset({"1", "2", "3"})
_PEMDA_TABLES: tuple[str, ...] = ("daftar_inovasi", "indikator_inovasi", "indikator_pemda", "profil_pemda")
#: Columns left empty (NaN / None) when the export has no indicator table.
_SCORE_COLUMNS: tuple[str, ...] = (
    "persen_indikator_bermasalah", "skor_klaim", "skor_terverifikasi", "selisih_skor",
    "skor_spd_klaim", "skor_spd_terverifikasi", "skor_sid_klaim", "skor_sid_terverifikasi",
    "slot_indikator", "slot_bermasalah",
)


def _norm_text(s: pd.Series) -> pd.Series:
    """Lower-case, whitespace collapsed: how urusan and tahapan are compared."""
    return s.astype("string").str.lower().str.replace(r"\s+", " ", regex=True).str.strip()


def key_text(s: pd.Series) -> pd.Series:
    """Join key: stripped text, missing → "" (SPD slots have no innovation). The one key form
    of metrics, coverage and reports.

    Cleans the distinct values only (37,000 ids, not 750,000 rows), then spreads them back.
    """
    codes, uniq = pd.factorize(s, use_na_sentinel=True)
    clean = pd.Series(uniq, dtype=object).astype(str).str.strip().to_numpy(dtype=object)
    clean = np.append(clean, "")  # code -1 (missing) picks this
    return pd.Series(clean[codes], index=s.index, dtype=object)


def _pemda_names(kodes: pd.Index) -> pd.DataFrame:
    """`pemda` (official Kemendagri name) and `provinsi` per code; every code here is an
    assessed Pemda of the list (`_pemda_codes`), so the registry always knows it."""
    codes = pd.Series(kodes.astype(object))
    return pd.DataFrame({"kode_pemda": codes, "pemda": official_names(codes), "provinsi": province_names(codes)})


def _pemda_codes(export: Export) -> pd.Index:
    codes = [
        key_text(df["kode_pemda"].dropna())
        for t in _PEMDA_TABLES
        if (df := export.tables.get(t)) is not None and "kode_pemda" in df.columns
    ]
    if not codes:
        return pd.Index([], dtype=object)
    s = pd.concat(codes, ignore_index=True)
    # DKI's administrative units are not assessed (SKM-04): they get no row
    found = {k for k in set(s[s != ""]) if is_assessed(k)}
    return pd.Index(sorted(found), dtype=object)


def _innovations(export: Export) -> pd.DataFrame:
    """One row per reported innovation: kode_pemda, id_inovasi, judul_inovasi, urusan, tahapan.

    An ID reported twice (SKM-05) is one innovation; rows without a known Pemda are skipped.
    """
    cols = ["kode_pemda", "id_inovasi", "judul_inovasi", "urusan", "tahapan"]
    d = export.tables.get("daftar_inovasi")
    if d is None or "id_inovasi" not in d.columns:
        d = export.tables.get("indikator_inovasi")  # no list: what the indicator table names
        if d is None or "id_inovasi" not in d.columns:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    inv = pd.DataFrame({
        "kode_pemda": key_text(d["kode_pemda"]) if "kode_pemda" in d.columns else "",
        "id_inovasi": key_text(d["id_inovasi"]),
        "judul_inovasi": d["judul_inovasi"].astype(object) if "judul_inovasi" in d.columns else None,
        "urusan": _norm_text(d["urusan_utama"]) if "urusan_utama" in d.columns else pd.NA,
        "tahapan": _norm_text(d["tahapan_inovasi"]) if "tahapan_inovasi" in d.columns else pd.NA,
    })
    inv = inv[(inv["kode_pemda"] != "") & (inv["id_inovasi"] != "")]
    return inv.drop_duplicates(["kode_pemda", "id_inovasi"]).reset_index(drop=True)


def _answers(df: pd.DataFrame | None, numbers: list[str], with_inovasi: bool) -> pd.DataFrame:
    """Answered rows (Parameter 1..3) of a catalog indicator: one per slot, highest Parameter."""
    cols = ["kode_pemda", "id_inovasi", "no_indikator", "parameter"]
    if df is None or not {"kode_pemda", "no_indikator", "parameter"} <= set(df.columns):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    a = pd.DataFrame({
        "kode_pemda": key_text(df["kode_pemda"]),
        "id_inovasi": key_text(df["id_inovasi"]) if with_inovasi and "id_inovasi" in df.columns else "",
        "no_indikator": key_text(df["no_indikator"]).str.lower(),
        "parameter": key_text(df["parameter"]),
    })
    a = a[a["parameter"].isin(_ANSWERED) & a["no_indikator"].isin(numbers)]
    a = a.assign(parameter=a["parameter"].astype(int))
    # Two rows for one slot: the claim is the higher Parameter (what the Pemda asks to be scored).
    return a.sort_values("parameter", ascending=False).drop_duplicates(cols[:3])


def _finding_keys(findings: pd.DataFrame, severity: str) -> pd.DataFrame:
    """The slot key (`SLOT_KEY`) of each `severity` finding naming an indicator."""
    f = findings[(findings["severity"] == severity) & findings["no_indikator"].notna() & findings["kode_pemda"].notna()]
    return pd.DataFrame({
        "kode_pemda": key_text(f["kode_pemda"]),
        "id_inovasi": key_text(f["id_inovasi"]),
        "no_indikator": key_text(f["no_indikator"]).str.lower(),
    })


@dataclass(frozen=True)
class MetricsBase:
    """What the metrics take from the export alone, before any finding is known: the Pemda,
    their innovations, and every slot with its answer. `metrics_base` computes it while GX
    validates in its worker (`checks.engine.run_rules(meanwhile=...)`); frozen, and
    never changed by `region_metrics` (which builds new frames from it)."""

    pemda: pd.Index
    inv: pd.DataFrame
    answered_slots: pd.DataFrame | None
    #: the slots' keys as integers (`SlotKeys`), with `answered_slots`
    slot_keys: "SlotKeys | None" = None
    #: the slots' report order (`_slot_order`), with `answered_slots`: known from the export
    #: alone, so sorted while GX validates rather than after the rules (0.3 s)
    slot_order: np.ndarray | None = None


#: What identifies a slot (and a finding's slot): kode_pemda, id_inovasi ("" for SPD), no_indikator.
SLOT_KEY: list[str] = ["kode_pemda", "id_inovasi", "no_indikator"]


@dataclass(frozen=True)
class SlotKeys:
    """Each slot's key (`SLOT_KEY`, in `key_text` form) as one integer, and the way to give any
    other frame's keys the same integers. Rows (answers, findings) are matched to their slots by
    integer lookups: a merge on the three text columns hashed the 750,000 slots' text again each
    time (0.3 s a merge nationally). Matches exactly what such a merge matches (equal text)."""

    levels: tuple[pd.Index, ...]  # the distinct values of each key column
    index: pd.Index  # one unique int64 per slot row (per `rows` row), in the slots' order
    size: int  # rows of the slots' frame
    #: with `first`, the row of each distinct key (its first); None: every row, keys unique
    rows: np.ndarray | None = None

    @classmethod
    def of(cls, slots: pd.DataFrame, *, first: bool = False) -> "SlotKeys":
        """The keys of `slots` (its `SLOT_KEY` columns in `key_text` form), unique by
        construction; with `first`, a key repeated stands for its first row (what a merge
        on the frame `drop_duplicates(SLOT_KEY)` made would find)."""
        parts, levels = [], []
        for column in SLOT_KEY:
            codes, uniques = pd.factorize(slots[column])
            parts.append(codes)
            levels.append(pd.Index(uniques, dtype=object))
        index = pd.Index(_mixed_radix(parts, levels))
        if index.is_unique:
            return cls(tuple(levels), index, len(slots))
        if not first:  # a slot is one per key by construction (`_answered_slots`)
            raise ValueError("slot keys are not unique")
        rows = np.flatnonzero(~index.duplicated(keep="first"))
        return cls(tuple(levels), index[rows], len(slots), rows)

    def positions(self, frame: pd.DataFrame) -> np.ndarray:
        """The slot row of each row of `frame` (its `SLOT_KEY` columns in `key_text` form), -1
        for a row naming no slot."""
        parts = [level.get_indexer(frame[column]) for column, level in zip(SLOT_KEY, self.levels)]
        pos = self.index.get_indexer(_mixed_radix(parts, self.levels))
        return pos if self.rows is None else np.where(pos >= 0, self.rows[pos], -1)

    def flags(self, frame: pd.DataFrame) -> np.ndarray:
        """Per slot: some row of `frame` names it."""
        pos = self.positions(frame)
        out = np.zeros(self.size, dtype=bool)
        out[pos[pos >= 0]] = True
        return out


def _mixed_radix(parts: list[np.ndarray], levels: list[pd.Index] | tuple[pd.Index, ...]) -> np.ndarray:
    """Codes of each key column (-1: a value no slot has) as one int64: digit `code + 1` in base
    `len(level) + 1`, so a value unknown to the slots (digit 0) is never a slot's number."""
    key = np.zeros(len(parts[0]) if parts else 0, dtype=np.int64)
    for codes, level in zip(parts, levels):
        key = key * (len(level) + 1) + (np.asarray(codes, dtype=np.int64) + 1)
    return key


def metrics_base(export: Export, catalog: Catalog) -> MetricsBase:
    pemda = _pemda_codes(export)
    inv = _innovations(export)
    inv = inv[inv["kode_pemda"].isin(pemda)]
    scored = export.kind != "daftar" and export.tables.get("indikator_inovasi") is not None
    if not scored:
        return MetricsBase(pemda, inv, None)
    slots, keys = _answered_slots(export, catalog, pemda, inv)
    return MetricsBase(pemda, inv, slots, keys, _slot_order(slots, catalog, _spd_id_none(slots)))


def _answered_slots(export: Export, catalog: Catalog, pemda: pd.Index, inv: pd.DataFrame
                    ) -> tuple[pd.DataFrame, SlotKeys]:
    """Every SPD slot per Pemda and SID slot per innovation, with its bobot and answer (the
    answers as a left merge on `SLOT_KEY` would put them), and the slots' integer keys."""
    spd = pd.DataFrame({"no_indikator": catalog.spd_numbers, "bobot": [i.bobot for i in catalog.spd]})
    sid = pd.DataFrame({"no_indikator": catalog.sid_numbers, "bobot": [i.bobot for i in catalog.sid]})
    spd_slots = pd.DataFrame({"kode_pemda": pemda, "id_inovasi": ""}).merge(spd, how="cross")
    spd_slots["kelompok"] = "SPD"
    sid_slots = inv[["kode_pemda", "id_inovasi"]].merge(sid, how="cross")
    sid_slots["kelompok"] = "SID"
    answers = pd.concat([
        _answers(export.tables.get("indikator_pemda"), catalog.spd_numbers, with_inovasi=False),
        _answers(export.tables.get("indikator_inovasi"), catalog.sid_numbers, with_inovasi=True),
    ], ignore_index=True)
    s = pd.concat([spd_slots, sid_slots], ignore_index=True)
    keys = SlotKeys.of(s)
    pos = keys.positions(answers)  # `_answers` keeps one row per slot
    parameter = np.full(len(s), np.nan)
    parameter[pos[pos >= 0]] = pd.to_numeric(answers["parameter"], errors="coerce").to_numpy(dtype=float)[pos >= 0]
    s["parameter"] = parameter
    return s, keys


def _slots(answered: pd.DataFrame, keys: SlotKeys, catalog: Catalog, findings: pd.DataFrame, k: pd.Series
           ) -> pd.DataFrame:
    """Every slot (`_answered_slots`) with claim, verified score, status."""
    s = answered.copy(deep=False)  # new columns, and whole columns replaced: `answered` (the base's) stays as it is
    err = keys.flags(_finding_keys(findings, "error"))
    warn = keys.flags(_finding_keys(findings, "warning"))
    answered = s["parameter"].notna()
    s["status"] = np.select([~answered, err, warn], ["kosong", "error", "warning"], default="ok")
    s["skor_klaim"] = (s["bobot"] * s["parameter"].fillna(0)).astype(float)
    s["skor_terverifikasi"] = s["skor_klaim"].where(~err, 0.0)
    # Points of IID: SID rows count / k, every score / total_maksimum × 100.
    per = 100.0 / catalog.total_maksimum
    div = np.where(s["kelompok"] == "SID", s["kode_pemda"].map(k).to_numpy(dtype=float), 1.0)
    s["poin_iid_hilang"] = (s["skor_klaim"] - s["skor_terverifikasi"]) / div * per
    s["parameter"] = s["parameter"].astype("Int64")
    s["id_inovasi"] = _spd_id_none(s)
    return s


def _spd_id_none(slots: pd.DataFrame) -> pd.Series:
    """`id_inovasi` with the SPD slots' "" as None (the slot frame's form)."""
    return slots["id_inovasi"].where(slots["id_inovasi"] != "", None)


def _slot_order(slot: pd.DataFrame, catalog: Catalog, id_inovasi: pd.Series | None = None) -> np.ndarray:
    """Slots by Pemda, then innovation (SPD's empty id first), then the catalog's order of
    indicators: a stable sort of three integer keys, as `sort_values` would sort the text
    columns (missing first), without copying the 750,000 rows to sort them. `id_inovasi`
    stands for the frame's own column (the answered slots' "" made None, as `_slots` does)."""
    order = {no: i for i, no in enumerate(catalog.spd_numbers + catalog.sid_numbers)}
    rank = slot["no_indikator"].map(order).fillna(-1).to_numpy()  # (every slot's number is the catalog's)
    ids = slot["id_inovasi"] if id_inovasi is None else id_inovasi
    inovasi = pd.factorize(ids, sort=True)[0]  # None (SPD) is -1: first
    kode = pd.factorize(slot["kode_pemda"], sort=True)[0]
    return np.lexsort((rank, inovasi, kode))


def _column_take(col: pd.Series, order: np.ndarray):
    """`col`'s values at `order`: its extension array's take, or its NumPy array's."""
    if isinstance(col.dtype, np.dtype):
        return col.to_numpy().take(order)
    return col.array.take(order)


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


#: What the metrics read of a finding: which rule, how severe, and the slot it names.
_FINDING_KEYS = ("rule_id", "severity", *SLOT_KEY)


def region_metrics(export: Export, findings: pd.DataFrame, catalog: Catalog,
                   base: MetricsBase | None = None) -> Metrics:
    """Region metrics of rules.md: IID as claimed and as verified, problem share, counts.

    - Pemda: every known `kode_pemda` in any table; n = innovations of `daftar_inovasi`
      (rejected ones included, one per ID). Slots: catalog SPD indicators per Pemda + SID
      indicators per innovation; answered = Parameter 1..3 (two rows for one slot: the
      higher Parameter is the claim).
    - `skor_klaim` counts every answer; `skor_terverifikasi` scores 0 every slot carrying an
      `error` finding keyed on it (kode_pemda, id_inovasi, no_indikator). Innovation-level
      findings without `no_indikator` mark no slot. Jumlah Inovasi is in both scores.
    - IID and `persen_indikator_bermasalah` are rounded to 2 decimals, sub-scores too; the
      IID is computed from the unrounded parts.
    - No indicator table (`kind == "daftar"` or no `indikator_inovasi`): slots and scores
      cannot be known, so `slot` is empty and every score, predicate, percentage and slot
      count is empty (NaN / None), never 0 or 100. What the list alone gives is kept:
      counts, `pembagi`, `urusan_wajib_tercakup`, `skor_jumlah_inovasi`; `inovasi` lists the
      innovations with empty scores, ranked by id.
    - `indikator_pemda` alone missing: SPD slots count as unanswered (score 0, bermasalah),
      as the app would score a Pemda that entered no SPD data; the score is a lower bound.
    """
    from core.findings import findings as as_findings

    findings = as_findings(findings[[c for c in _FINDING_KEYS if c in findings.columns]])  # not the messages
    base = base or metrics_base(export, catalog)
    pemda, inv = base.pemda, base.inv
    scored = base.answered_slots is not None

    r = _pemda_names(pemda).set_index("kode_pemda")
    n = inv.groupby("kode_pemda").size().reindex(pemda, fill_value=0)
    r["jumlah_inovasi"] = n.astype(int)
    k = np.maximum(catalog.pembagi_minimum, n).astype(int)
    r["pembagi"] = k
    wajib = {" ".join(u.lower().split()) for u in catalog.urusan_wajib}
    cov = inv[inv["urusan"].isin(wajib)].groupby("kode_pemda")["urusan"].nunique()
    r["urusan_wajib_tercakup"] = cov.reindex(pemda, fill_value=0).astype(int)
    ji = (np.minimum(n, catalog.jumlah_inovasi_batas) * catalog.jumlah_inovasi_faktor).astype(float)
    ji = ji.where(r["urusan_wajib_tercakup"] >= catalog.urusan_minimum, 0.0)
    r["skor_jumlah_inovasi"] = ji.round(2)
    tah = inv.groupby(["kode_pemda", "tahapan"]).size().unstack(fill_value=0)
    for t, col in _TAHAPAN_COLUMNS.items():
        r[col] = (tah[t] if t in tah.columns else pd.Series(dtype=int)).reindex(pemda, fill_value=0).astype(int)

    f = findings[findings["kode_pemda"].notna()].assign(kode_pemda=lambda x: key_text(x["kode_pemda"]))
    sev = f.groupby(["kode_pemda", "severity"]).size().unstack(fill_value=0)
    for s in ("error", "warning", "info"):
        r[f"jumlah_{s}"] = (sev[s] if s in sev.columns else pd.Series(dtype=int)).reindex(pemda, fill_value=0).astype(int)

    inov = inv[["kode_pemda", "id_inovasi", "judul_inovasi"]].copy()
    if scored:
        slot = _slots(base.answered_slots, base.slot_keys, catalog, findings, k)
        per = 100.0 / catalog.total_maksimum
        g = slot.groupby(["kode_pemda", "kelompok"])[["skor_klaim", "skor_terverifikasi"]].sum().unstack(fill_value=0.0)
        for src, part in (("skor_klaim", "klaim"), ("skor_terverifikasi", "terverifikasi")):
            spd_sum = g[(src, "SPD")].reindex(pemda, fill_value=0.0) if (src, "SPD") in g.columns else pd.Series(0.0, index=pemda)
            sid_rows = g[(src, "SID")].reindex(pemda, fill_value=0.0) if (src, "SID") in g.columns else pd.Series(0.0, index=pemda)
            sid_sum = sid_rows / k + ji
            iid = (spd_sum + sid_sum) * per
            r[f"skor_spd_{part}"] = spd_sum.round(2)
            r[f"skor_sid_{part}"] = sid_sum.astype(float).round(2)
            r[f"skor_{part}"] = iid.astype(float).round(2)
        slot["bermasalah"] = slot["status"].isin(["kosong", "error"])
        cnt = slot.groupby("kode_pemda")["bermasalah"].agg(["size", "sum"]).reindex(pemda, fill_value=0)
        r["slot_indikator"] = cnt["size"].astype("Int64")
        r["slot_bermasalah"] = cnt["sum"].astype("Int64")
        r["persen_indikator_bermasalah"] = (cnt["sum"] / cnt["size"].where(cnt["size"] > 0) * 100).astype(float).round(2)
        r["selisih_skor"] = (r["skor_klaim"] - r["skor_terverifikasi"]).round(2)
        r["predikat_klaim"] = r["skor_klaim"].map(catalog.predikat_for)
        r["predikat_terverifikasi"] = r["skor_terverifikasi"].map(catalog.predikat_for)

        summed = ["skor_klaim", "skor_terverifikasi", "poin_iid_hilang"]
        sid_slot = slot.loc[(slot["kelompok"] == "SID").to_numpy(), ["kode_pemda", "id_inovasi", *summed]]
        si = sid_slot.groupby(["kode_pemda", "id_inovasi"])[summed].sum()
        inov = inov.merge(si.reset_index(), on=["kode_pemda", "id_inovasi"], how="left")
        order = base.slot_order if base.slot_order is not None else _slot_order(slot, catalog)
        # column by column, one take each (not a copy of the frame, its take and a reset index);
        # a NumPy column as its array (pandas' wrapper of one looks for missing values in each
        # of its 750,000 cells when the frame is built from it: 0.2 s for nothing)
        slot = pd.DataFrame({c: _column_take(slot[c], order) for c in SLOT_COLUMNS}, copy=False)
    else:
        for c in _SCORE_COLUMNS:
            r[c] = np.nan
        r["slot_indikator"] = r["slot_indikator"].astype("Int64")
        r["slot_bermasalah"] = r["slot_bermasalah"].astype("Int64")
        r["predikat_klaim"] = None
        r["predikat_terverifikasi"] = None
        for c in ("skor_klaim", "skor_terverifikasi", "poin_iid_hilang"):
            inov[c] = np.nan
        slot = _empty(SLOT_COLUMNS)

    # Rank on the lost row score (exact multiples of 0.25; k is one number per Pemda), not on
    # the float points, so equal losses tie exactly and fall back to the id.
    inov = inov.assign(_hilang=inov["skor_klaim"] - inov["skor_terverifikasi"]).sort_values(
        ["kode_pemda", "_hilang", "id_inovasi"], ascending=[True, False, True], na_position="last")
    inov["peringkat"] = inov.groupby("kode_pemda").cumcount().add(1).astype(int)
    inov = inov[INOVASI_COLUMNS].reset_index(drop=True)

    ringkasan = r.reset_index()[RINGKASAN_CONTRACT + RINGKASAN_EXTRA].sort_values("kode_pemda").reset_index(drop=True)
    for c in ringkasan.columns:
        if c.startswith("skor_") or c in ("persen_indikator_bermasalah", "selisih_skor"):
            ringkasan[c] = ringkasan[c].astype(float)

    per_aturan = (
        f.groupby(["kode_pemda", "rule_id", "severity"]).size().rename("jumlah").reset_index()
        if len(f) else _empty(PER_ATURAN_COLUMNS)
    )
    per_aturan = per_aturan[per_aturan["kode_pemda"].isin(pemda)] if len(per_aturan) else per_aturan
    per_aturan = per_aturan[PER_ATURAN_COLUMNS].sort_values(["kode_pemda", "rule_id", "severity"]).reset_index(drop=True)
    return Metrics(ringkasan=ringkasan, inovasi=inov, slot=slot, per_aturan=per_aturan)


def fix_gains(ringkasan: pd.DataFrame, slot: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Every fix that wins IID points back, with the score if it alone were made (FIX_COLUMNS),
    over the whole nation at once, from the formulas of `region_metrics`:

    - `bukti` (tepat): a claimed slot whose error zeroes it: its `poin_iid_hilang`.
    - `wajib_kosong` (minimal): an unanswered mandatory indicator, answered at Parameter 1
      (the least the app accepts): bobot × 1, SID / k, × 100 / total_maksimum.
    - `urusan` (tepat, LKP-09): fewer than `urusan_minimum` urusan wajib covered zeroes
      Jumlah Inovasi; covering them restores MIN(n, batas) × faktor.
    - `pembagi` (rata_rata, LKP-08): n < k divides the SID total by k; reporting k − n more
      innovations scoring like the current verified average makes the SID part that average
      (Σ / n instead of Σ / k), plus their Jumlah Inovasi when the urusan are covered. Not
      estimated without slots (an export without indicator tables has no average).

    Each gain is against the verified score as it is: slot and urusan gains add up exactly;
    the `pembagi` estimate is the one that moves with other fixes (a larger Σ, a larger average).
    """
    if not len(ringkasan) or "pembagi" not in ringkasan.columns:
        return _empty(FIX_COLUMNS)
    per = 100.0 / catalog.total_maksimum
    r = ringkasan.assign(kode_pemda=key_text(ringkasan["kode_pemda"])).set_index("kode_pemda")
    n = pd.to_numeric(r["jumlah_inovasi"], errors="coerce").fillna(0)
    k = pd.to_numeric(r["pembagi"], errors="coerce").fillna(catalog.pembagi_minimum)
    covered = pd.to_numeric(r["urusan_wajib_tercakup"], errors="coerce").fillna(0) >= catalog.urusan_minimum
    wajib = {i.no: i.bobot for i in (*catalog.spd, *catalog.sid) if i.wajib}
    parts = []
    if len(slot) and "status" in slot.columns:
        # the columns a fix reads, each filtered alone: not a copy of the 750,000 slots' frame
        kode, no = key_text(slot["kode_pemda"]).rename("kode_pemda"), key_text(slot["no_indikator"])
        lost = pd.to_numeric(slot["poin_iid_hilang"], errors="coerce").fillna(0.0)
        bukti = (lost > 0).to_numpy()
        parts.append(pd.DataFrame({
            "kode_pemda": kode[bukti], "id_inovasi": slot["id_inovasi"][bukti], "no_indikator": no[bukti],
            "jenis": "bukti", "rule_id": None, "taksiran": "tepat", "poin_iid": lost[bukti]}))
        kosong = ((slot["status"].astype(str) == "kosong") & no.isin(list(wajib))).to_numpy()
        sid = (slot["kelompok"][kosong].astype(str) == "SID").to_numpy()
        div = np.where(sid, kode[kosong].map(k).to_numpy(dtype=float), 1.0)
        parts.append(pd.DataFrame({
            "kode_pemda": kode[kosong], "id_inovasi": slot["id_inovasi"][kosong], "no_indikator": no[kosong],
            "jenis": "wajib_kosong", "rule_id": np.where(sid, "LKP-01", "LKP-03"), "taksiran": "minimal",
            "poin_iid": no[kosong].map(wajib).to_numpy(dtype=float) * 1 / div * per}))
        in_sid = (slot["kelompok"].astype(str) == "SID").to_numpy()
        sid_sum = slot["skor_terverifikasi"][in_sid].groupby(kode[in_sid]).sum()
    else:
        sid_sum = pd.Series(dtype=float)
    ji = np.minimum(n, catalog.jumlah_inovasi_batas) * catalog.jumlah_inovasi_faktor
    urusan = (~covered) & (n > 0)
    parts.append(pd.DataFrame({
        "kode_pemda": r.index[urusan], "jenis": "urusan", "rule_id": "LKP-09", "taksiran": "tepat",
        "poin_iid": (ji * per)[urusan].to_numpy(dtype=float)}))
    total = sid_sum.reindex(r.index, fill_value=0.0)
    extra_ji = (np.minimum(k, catalog.jumlah_inovasi_batas) * catalog.jumlah_inovasi_faktor - ji).where(covered, 0.0)
    dilution = (total / n.where(n > 0) - total / k + extra_ji) * per
    # without indicator tables (the app's list export) the SID average is unknown: no estimate
    pembagi = (n > 0) & (n < k) & (dilution > 0) & bool(len(slot))
    parts.append(pd.DataFrame({
        "kode_pemda": r.index[pembagi], "jenis": "pembagi", "rule_id": "LKP-08", "taksiran": "rata_rata",
        "poin_iid": dilution[pembagi].to_numpy(dtype=float)}))
    g = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else _empty(FIX_COLUMNS)
    if not len(g):
        return g
    g = g.reindex(columns=FIX_COLUMNS)
    g["wajib"] = g["no_indikator"].isin(list(wajib))
    g["poin_iid"] = g["poin_iid"].astype(float)
    verified = pd.to_numeric(r["skor_terverifikasi"], errors="coerce") if "skor_terverifikasi" in r.columns else None
    g["skor_jika_diperbaiki"] = (g["kode_pemda"].map(verified) + g["poin_iid"]).round(2) if verified is not None else np.nan
    g["id_inovasi"] = g["id_inovasi"].where(g["id_inovasi"].notna() & (g["id_inovasi"].astype(str) != ""), None)
    order = {no: i for i, no in enumerate(catalog.spd_numbers + catalog.sid_numbers)}
    g = g.assign(_p=g["poin_iid"].round(9), _ord=g["no_indikator"].map(order).fillna(-1),
                 _id=g["id_inovasi"].fillna("").astype(str))
    g = g.sort_values(["kode_pemda", "_p", "wajib", "_id", "_ord"], ascending=[True, False, False, True, True],
                      kind="mergesort")
    g["peringkat"] = g.groupby("kode_pemda").cumcount().add(1).astype(int)
    return g[FIX_COLUMNS].reset_index(drop=True)
