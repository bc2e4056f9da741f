"""What one Pemda's report shows, cut out of the whole-nation frames of an AuditResult.

The frames are indexed by `kode_pemda` once per result (546 reports must not each scan
~750,000 slot rows); everything else works on one Pemda's rows.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionDtype
from pandas.core.dtypes.cast import maybe_box_native

from checks.metrics import SlotKeys, key_text  # noqa: F401 - the one join key, re-exported for the report modules
from checks.rulekit import plain_link_host
from core.findings import ALL_COLUMNS, Severity

NAType = type(pd.NA)
SEVERITY_RANK = {s.value: s.rank for s in Severity}
SEVERITIES = [Severity.ERROR.value, Severity.WARNING.value, Severity.INFO.value]
SLOT_STATUSES = ("ok", "warning", "error", "kosong")
#: The one legend of the reports, colour by meaning: red = loss or error (an error, a mandatory
#: indicator left empty), amber = warning (an optional one empty too), green = clean, grey = not
#: checked. Each with its symbol and word (`status.<s>` in the message catalogs).
LEGEND_STATUSES = ("error", "wajib", "warning", "kosong", "ok", "tidak_diperiksa")


def cell_status(status: str, wajib: bool) -> str:
    """A slot's status as shown: an unanswered mandatory indicator is a loss (`wajib`, red)."""
    return "wajib" if status == "kosong" and wajib else status


def is_missing(x: Any) -> bool:
    if x is None:
        return True
    kind = type(x)
    if kind is str or kind is int or kind is bool:  # most cells: known without pandas (1,500 a report)
        return False
    if kind is float:
        return x != x  # NaN
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def as_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """`df.to_dict("records")`, the same dicts, made column by column: `tolist()` gives a
    column's Python values at once where `to_dict` boxes cell by cell (the findings, innovations
    and fixes of 546 reports: 1.7 million cells a night). Object and extension columns holding
    numpy scalars or NA are boxed as `to_dict` boxes them (`maybe_box_native`: NA → None)."""
    if not df.columns.is_unique:
        return df.to_dict("records")
    columns = df.columns.tolist()
    values = []
    for c, dtype in zip(columns, df.dtypes.tolist()):
        v = df[c].tolist()
        if (dtype == object or isinstance(dtype, ExtensionDtype)) and any(
                issubclass(kind, np.generic) or kind is NAType for kind in set(map(type, v))):
            v = [maybe_box_native(x) for x in v]
        values.append(v)
    return [dict(zip(columns, row)) for row in zip(*values)]


def text(x: Any) -> str | None:
    """A cell as display text; None for missing values (so templates can test it)."""
    if is_missing(x):
        return None
    s = str(x).strip()
    return s or None


_BELOW_33 = re.compile("[\x00-\x20]")


def safe_href(url: Any) -> str | None:
    """The URL when it may be a link (http/https with a host); None means show it as text."""
    s = text(url)
    if not s or not s[:8].lower().startswith(("http://", "https://")):  # (what urlsplit would find)
        return None  # most values are file names: no parse, no scan
    if _BELOW_33.search(s):  # whitespace/control chars hide schemes
        return None
    if plain_link_host(s):  # the usual link (37,000 a night): urlsplit would find this host
        return s
    try:
        parts = urlsplit(s)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return s


def slugify(name: Any, limit: int = 60) -> str:
    s = unicodedata.normalize("NFKD", str(name or "")).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")[:limit].strip("-")
    return s or "pemda"


def safe_kode(kode: Any) -> str:
    """A Kemendagri code as a file-name part (digits and dots; nothing that walks paths)."""
    s = re.sub(r"[^0-9A-Za-z.]+", "-", str(kode)).strip(".-")
    return s or "tanpa-kode"


def _indices(df: pd.DataFrame | None) -> dict[Any, np.ndarray]:
    """Row positions (ascending) per stripped `kode_pemda`, missing codes left out: what
    grouping the stripped text gives, with the 750,000 slot rows hashed once and only the
    distinct codes stripped."""
    if df is None or not len(df) or "kode_pemda" not in df.columns:
        return {}
    codes, uniques = pd.factorize(df["kode_pemda"], use_na_sentinel=True)
    key_codes, keys = pd.factorize(pd.Series(uniques, dtype=object).astype("string").str.strip())
    rows = np.where(codes >= 0, key_codes[codes] if len(key_codes) else codes, -1)
    order = np.argsort(rows, kind="stable")
    bounds = np.searchsorted(rows[order], np.arange(len(keys) + 1))
    return {k: order[bounds[i]:bounds[i + 1]] for i, k in enumerate(keys)}


#: What a report reads of a finding (`PemdaReport.records`): its fields as `finding_view`
#: shows them, and the keys the report orders and groups by (`order_findings`).
RECORD_COLUMNS = ("rule_id", "severity", "no_indikator", "kolom", "nilai", "tabel", "baris", "pesan",
                  "poin", "_sev", "_noi", "_inov", "_no", "_baru")

#: The Daftar Inovasi columns a report shows about an innovation.
REPORT_DAFTAR_COLUMNS = ["kode_pemda", "id_inovasi", "judul_inovasi", "tahapan_inovasi", "admin_opd", "link_video"]


#: The frames a report reads that the history replaces or adds (`job.pipeline.apply_history`:
#: the summary with its change columns, what changed, the trends). An index made before the
#: history was read (`reports.render.prepare_reports`, while a child reads it) keeps the rest
#: and takes these anew (`NationIndex.with_history`), with the columns the history adds to the
#: findings (`_baru`, `_kunci`). Everything else an index derives reads none of what the history
#: changes: `fix_gains` reads the summary's scores, not its change columns.
HISTORY_FRAMES = ("ringkasan", "perubahan", "tren")

#: The column `NationIndex.of` numbers the findings with before ordering them (removed after).
_SOURCE_ROW = "_baris_asal"


@dataclass
class NationIndex:
    """Row positions per kode_pemda for every frame a report reads."""

    frames: dict[str, pd.DataFrame]
    positions: dict[str, dict[Any, np.ndarray]] = field(default_factory=dict)
    #: each row of the ordered findings (`frames["findings"]`): its row in the result's findings
    source_rows: np.ndarray | None = field(default=None, repr=False)
    _records: dict[tuple[str, str], dict[str, list[dict]]] = field(default_factory=dict, repr=False)
    _columns: dict[tuple[str, str, str], tuple[np.ndarray, dict[str, list]]] = field(default_factory=dict, repr=False)
    result_not_checked: pd.DataFrame | None = None
    _derived: dict[tuple[str, str], pd.DataFrame] = field(default_factory=dict, repr=False)
    _not_checked: list[dict] | None = field(default=None, repr=False)

    @classmethod
    def of(cls, result) -> "NationIndex":
        frames = {
            "findings": result.findings,
            "ringkasan": result.metrics.ringkasan,
            "inovasi": result.metrics.inovasi,
            "slot": result.metrics.slot,
            "daftar": result.export.tables.get("daftar_inovasi"),
            "cakupan": getattr(result, "cakupan", None),
            "perubahan": getattr(result, "perubahan", None),  # from the history, when read
            "tren": getattr(result, "tren", None),
        }
        # the frames' identities, before the derived frames are added, and the findings' columns
        # (the history adds some in place)
        key = ({k: id(f) for k, f in frames.items()}, tuple(result.findings.columns))
        cached = result.__dict__.get("_reports_index")
        if cached is not None and cached[0] == key:
            return cached[1]
        if cached is not None and _history_added(cached[0], key):
            idx = cached[1].with_history(frames, result.findings)
        else:
            idx = cls._build(result, frames)
        result.__dict__["_reports_index"] = (key, idx)
        return idx

    @classmethod
    def _build(cls, result, frames: dict[str, pd.DataFrame | None]) -> "NationIndex":
        from checks.metrics import fix_gains

        # the fixes of the whole nation, once per result (each report only looks its own up)
        frames["perbaikan"] = fix_gains(result.metrics.ringkasan, result.metrics.slot, result.catalog)
        # computed once for the nation, sliced per report: only the innovation-list columns a
        # report shows (not the long Rancang Bangun text of 37,000 innovations), the findings in
        # report order with their keys and costs
        daftar = frames["daftar"]
        if daftar is not None:
            frames["daftar"] = daftar[[c for c in REPORT_DAFTAR_COLUMNS if c in daftar.columns]]
        # join keys as plain text, once: `_id`/`_inov` (innovation, "" for SPD), `_no` (indicator)
        for name, keys in (("daftar", {"_id": "id_inovasi"}), ("inovasi", {"_id": "id_inovasi"}),
                           ("slot", {"_inov": "id_inovasi", "_no": "no_indikator"}),
                           ("perbaikan", {"_inov": "id_inovasi", "_no": "no_indikator"})):
            df = frames.get(name)
            if df is not None and all(c in df.columns for c in keys.values()):
                frames[name] = _with_columns(df, {k: key_text(df[c]) for k, c in keys.items()})
        slot = frames["slot"]  # what a report's matrix reads of its slots (`PemdaReport.slot`)
        frames["slot_status"] = slot[[c for c in ("_inov", "_no", "status") if c in slot.columns]]
        f = frames["findings"] = order_findings(result.findings, frames["slot"], result.metrics.inovasi,
                                                source_row=_SOURCE_ROW)
        source_rows = f.pop(_SOURCE_ROW).to_numpy()
        # the findings as a report's records read them (`NationIndex.records`, per province)
        frames["temuan_laporan"] = f[["kode_pemda", *(c for c in RECORD_COLUMNS if c in f.columns)]]
        frames["temuan_inovasi"] = (  # per innovation: how many findings, the worst, a title
            f[f["_inov"] != ""].groupby(["_kode", "_inov"], sort=False)
            .agg(n=("rule_id", "size"), sev=("_sev", "max"), judul=("judul_inovasi", "first"))
            .reset_index().rename(columns={"_kode": "kode_pemda"}))
        return cls(frames, {k: _indices(v) for k, v in frames.items()}, source_rows,
                   result_not_checked=getattr(result, "not_checked", None))

    def with_history(self, frames: dict[str, pd.DataFrame | None], findings: pd.DataFrame) -> "NationIndex":
        """This index with the history's frames (`HISTORY_FRAMES`) taken from `frames`, and the
        columns `findings` gained since (`_baru`, `_kunci`) put in report order where a full
        build puts them (after the findings' own columns): the index `NationIndex.of` would
        build from scratch now, without ordering the findings or summing the fixes again."""
        new = dict(self.frames)
        new.update({name: frames[name] for name in HISTORY_FRAMES})
        f = self.frames["findings"]
        added = [c for c in findings.columns if c not in f.columns]
        if added:
            at = findings[added].iloc[self.source_rows]
            f = _with_columns(f, {c: at[c].array for c in added})  # (dtypes kept: `_kunci` is Int64)
            f = new["findings"] = f[[*findings.columns, *(c for c in f.columns if c not in findings.columns)]]
            new["temuan_laporan"] = f[["kode_pemda", *(c for c in RECORD_COLUMNS if c in f.columns)]]
        positions = {**self.positions, **{name: _indices(new[name]) for name in HISTORY_FRAMES}}
        return NationIndex(new, positions, self.source_rows, result_not_checked=self.result_not_checked)

    def not_checked(self, kode: str) -> list[dict]:
        """The rules not checked for `kode` (those of the whole export and its own), one row
        per rule, by rule id: the result's `not_checked`, keyed once per result."""
        if self._not_checked is None:
            nc = self.result_not_checked
            if nc is None or not len(nc) or "rule_id" not in nc.columns:
                nc = pd.DataFrame(columns=["rule_id", "_kode"])
            else:
                nc = nc.assign(_kode=key_text(nc["kode_pemda"]) if "kode_pemda" in nc.columns else "")
            self._not_checked = as_records(nc)
        mine = [r for r in self._not_checked if r["_kode"] in ("", str(kode))]
        first = {str(r["rule_id"]): r for r in reversed(mine)}  # the first row of each rule
        return [first[k] for k in sorted(first)]

    def per_finding(self, key: str, compute: Callable[[pd.DataFrame], pd.DataFrame], kode: str) -> pd.DataFrame:
        """`kode`'s rows of `compute(rows)`, a row-wise function of the nation's ordered findings
        (a frame on their index: the attachments' cells), computed once per `key` and province
        (per process) and sliced. Per province, not for the nation before the report workers
        fork: each worker computes the provinces it renders, on its own core (0.9 s a night
        otherwise spent before them, with the other core idle)."""
        mine = self.positions.get("findings", {}).get(str(kode))
        findings = self.frames["findings"]
        if mine is None:
            return compute(findings.iloc[0:0])
        province = _province(kode)
        if (key, province) not in self._derived:
            self._derived[(key, province)] = compute(findings.iloc[self._province_rows("findings", province)])
        return self._derived[(key, province)].loc[findings.index[mine]]

    def _province_rows(self, name: str, province: str) -> np.ndarray:
        """Positions (ascending) of the rows of frame `name` of every Pemda of `province`."""
        parts = [pos for k, pos in self.positions.get(name, {}).items() if _province(k) == province]
        return np.sort(np.concatenate(parts)) if parts else np.array([], dtype=np.int64)

    def records(self, name: str, kode: str) -> list[dict]:
        """`kode`'s rows of frame `name` as dicts, in row order: what
        `as_records(rows(name, kode))` gives, converted once per province (per process, like
        `per_finding`) instead of once per report (a small frame's conversion is mostly
        pandas' cost per column) or for the nation before the report workers fork."""
        province = _province(kode)
        if (name, province) not in self._records:
            df = self.frames.get(name)
            per: dict[str, list[dict]] = {}
            if df is not None and len(df):
                rows = self._province_rows(name, province)
                recs = as_records(df.iloc[rows])
                for k, pos in self.positions.get(name, {}).items():
                    if _province(k) == province:
                        per[k] = [recs[i] for i in np.searchsorted(rows, pos)]
            self._records[(name, province)] = per
        return self._records[(name, province)].get(str(kode), [])

    def columns(self, name: str, kode: str, rows_of: str | None = None) -> dict[str, list]:
        """`kode`'s rows of frame `name` (a frame row-aligned with frame `rows_of`, when given)
        as one list per column, in row order: what `rows_of(df, rows_of, kode)[c].tolist()`
        gives for each column `c`, each converted once per province (like `records`) and sliced
        with plain list indexing: the slot rows (~1,400 a Pemda), which a report walks in
        Python, without a pandas call per report."""
        province, by = _province(kode), rows_of or name
        if (name, by, province) not in self._columns:
            df = self.frames.get(name)
            rows = self._province_rows(by, province) if df is not None else np.array([], dtype=np.int64)
            part = df.iloc[rows] if df is not None else pd.DataFrame()
            self._columns[(name, by, province)] = (rows, {c: part[c].tolist() for c in part.columns})
        rows, lists = self._columns[(name, by, province)]
        pos = self.positions.get(by, {}).get(str(kode))
        at = np.searchsorted(rows, pos).tolist() if pos is not None else []
        return {c: [v[i] for i in at] for c, v in lists.items()}

    def first_records(self, name: str, key: str, kode: str) -> dict[Any, dict]:
        """The first row (a dict) of each `key` value among `kode`'s rows of frame `name`, in
        row order: what `rows(name, kode).drop_duplicates(key).to_dict("records")` gives."""
        df = self.frames.get(name)
        first: dict[Any, dict] = {}
        if df is not None and key in df.columns:
            for rec in self.records(name, kode):
                first.setdefault(rec[key], rec)
        return first

    def rows(self, name: str, kode: str) -> pd.DataFrame:
        df = self.frames.get(name)
        if df is None:
            return pd.DataFrame()
        return self.rows_of(df, name, kode)

    def rows_of(self, df: pd.DataFrame, name: str, kode: str) -> pd.DataFrame:
        """`kode`'s rows of `df`, a frame row-aligned with frame `name`."""
        pos = self.positions.get(name, {}).get(str(kode))
        if pos is None:
            return df.iloc[0:0]
        return df.iloc[pos]


def _history_added(before: tuple[dict[str, int], tuple], now: tuple[dict[str, int], tuple]) -> bool:
    """Whether an index keyed `before` (`NationIndex.of`) differs from `now` by the history
    only: the same frames but `HISTORY_FRAMES`, the findings' columns only added to."""
    (ids, columns), (ids_now, columns_now) = before, now
    return (all(ids[k] == ids_now[k] for k in ids if k not in HISTORY_FRAMES)
            and columns_now[:len(columns)] == columns)


def _with_columns(df: pd.DataFrame, columns: dict[str, Any]) -> pd.DataFrame:
    """`df.assign(**columns)` without copying `df`'s own columns: a shallow copy gets the new
    ones (a pandas setitem puts a new array in the copy, never writes into the shared ones).
    `assign` copied the 750,000 slot rows' every column to add two keys (0.3 s a night)."""
    out = df.copy(deep=False)
    for name, values in columns.items():
        out[name] = values
    return out


def _province(kode: Any) -> str:
    """The province part of a Kemendagri code (`35.04` → `35`): how `NationIndex` groups the
    work it does per part of the nation."""
    return str(kode).split(".")[0]


def order_findings(findings: pd.DataFrame, slot: pd.DataFrame, inovasi: pd.DataFrame,
                   source_row: str | None = None) -> pd.DataFrame:
    """Findings, most costly first, with `poin` (slot IID points) and `peringkat`: run once for
    the nation (`NationIndex`), so each Pemda's rows, sliced, are already in its report order.
    With `source_row`, a column of that name holds each row's position in `findings`.

    Cost order: IID points the finding's slot loses, then severity, then the innovation's
    rank, then rule and indicator (stable, so the same export gives the same report).
    """
    f = findings.copy()
    if source_row is not None:
        f[source_row] = np.arange(len(f))
    for c in ALL_COLUMNS:
        if c not in f.columns:
            f[c] = None
    # a finding whose severity was never filled (raised before the registry ran) is shown,
    # and counted, as info rather than dropped
    sev = f["severity"].astype("string").str.lower()
    f["severity"] = sev.where(sev.isin(list(SEVERITY_RANK)), "info").astype(object)
    f["_kode"] = key_text(f["kode_pemda"])
    f["_inov"] = key_text(f["id_inovasi"])
    f["_no"] = key_text(f["no_indikator"])
    if len(slot) and {"kode_pemda", "id_inovasi", "no_indikator", "poin_iid_hilang"} <= set(slot.columns):
        # each finding's slot (the first with its key), found by integer keys: a merge hashed
        # the 750,000 slots' three text keys
        keys = SlotKeys.of(pd.DataFrame({
            "kode_pemda": key_text(slot["kode_pemda"]),
            "id_inovasi": slot["_inov"] if "_inov" in slot.columns else key_text(slot["id_inovasi"]),
            "no_indikator": slot["_no"] if "_no" in slot.columns else key_text(slot["no_indikator"]),
        }), first=True)
        pos = keys.positions(pd.DataFrame({"kode_pemda": f["_kode"], "id_inovasi": f["_inov"], "no_indikator": f["_no"]}))
        poin = pd.to_numeric(slot["poin_iid_hilang"], errors="coerce").to_numpy(dtype=float)
        f = f.reset_index(drop=True)  # (as the merge left it)
        f["poin"] = np.where(pos >= 0, poin[np.maximum(pos, 0)], np.nan)
    else:
        f["poin"] = np.nan
    if len(inovasi) and "peringkat" in inovasi.columns:
        r = pd.DataFrame(
            {
                "_inov": key_text(inovasi["id_inovasi"]),
                "peringkat": pd.to_numeric(inovasi["peringkat"], errors="coerce"),
            }
        ).drop_duplicates("_inov")
        f = f.merge(r, on="_inov", how="left")
    else:
        f["peringkat"] = np.nan
    f["_sev"] = f["severity"].astype("string").map(SEVERITY_RANK).fillna(-1)
    codes, numbers = pd.factorize(f["_no"].astype(str))  # a few dozen distinct indicator numbers
    leading = pd.to_numeric(pd.Series(numbers, dtype=object).str.extract(r"^(\d+)")[0], errors="coerce").to_numpy()
    f["_noi"] = leading[codes] if len(codes) else np.nan
    f = f.sort_values(
        ["poin", "_sev", "peringkat", "_inov", "rule_id", "_noi", "_no", "kolom"],
        ascending=[False, False, True, True, True, True, True, True],
        na_position="last",
        kind="mergesort",
    )
    return f.reset_index(drop=True)
