"""Per-Pemda HTML audit reports (email-ready) and the national index page.

Templates live in `reports/templates/`, every reader-facing string in
`core/messages/<lang>.yaml`. Reports are inlined (`reports.inline`) and cut to the email
body budget by measuring the final bytes (one measuring render gives each part's inlined
bytes, the cut is computed, taken from that render and checked: `fit_to_budget`), most
costly findings first; the full list always goes to the `-temuan.xlsx` attachment.
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np
import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from checks.registry import all_rules
from core.files import atomic_write
from core.settings import (
    REPORT_BODY_BUDGET_BYTES,
    REPORT_FIX_FIRST_ROWS,
    REPORT_FIX_WHAT_IF_TOP,
    REPORT_MATRIX_BUDGET_SHARE,
    REPORT_MAX_FINDINGS_SHOWN,
    REPORT_MEASURE_FINDINGS,
    REPORT_MEASURE_MATRIX_ROWS,
    REPORT_UNFOLDED_INNOVATIONS,
)
from reports.data import (
    LEGEND_STATUSES,
    SEVERITIES,
    NationIndex,
    cell_status,
    is_missing,
    key_text,
    safe_href,
    safe_kode,
    slugify,
    text,
)
from reports.history import changes_view, national_view, trend_view
from reports.i18n import Translator
from reports.inline import sheet

TEMPLATES_DIR = Path(__file__).parent / "templates"
LAPORAN_DIR = "laporan"

@dataclass
class RunInfo:
    run_id: str
    started_at: datetime
    export_name: str
    export_date: date | None = None


@dataclass
class ReportFiles:
    html: Path
    attachment: Path | None
    body_bytes: int
    findings_shown: int
    findings_total: int
    #: the email's plain-text part: the top of the report (scores, fix-first, the attachment)
    text: str | None = None
    #: the verified-score change the report shows (None: it shows none). The email subject
    #: takes it from here, so subject and body say one change (an unchanged rerun repeats the
    #: previous report's change, not the 0 against the previous run)
    selisih_skor_terverifikasi: float | None = None


class _ReportEnvironment(Environment):
    """Jinja's environment, reading `view.key` of a plain dict without the detour through an
    exception: Jinja tries the attribute first and the item only after an AttributeError,
    raised and caught for nearly every `f.severity` of 546 reports (2 s a night). What a
    lookup gives is the same: a dict's own attributes (`items`, `get`, ...) still win."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


#: What `getattr` finds on a plain dict (its methods and dunders): those names are attributes.
_DICT_ATTRIBUTES = frozenset(dir(dict))


#: Templates of pages read in a browser, never mailed: their own tags keep their classes and
#: take the sheet from one `<style>` (`index.html.j2` fills base's `style` block with it).
_BROWSER_PAGES = frozenset({"index.html.j2"})


class _InliningLoader(FileSystemLoader):
    """The templates with the style sheet written into their tags as they load
    (`reports.inline`): an HTML report is rendered with its styles inline, for mail clients."""

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Any]:
        source, filename, uptodate = super().get_source(environment, template)
        if template.endswith(".html.j2") and template not in _BROWSER_PAGES:
            source = sheet(_report_css()).inline_template(source)
        return source, filename, uptodate


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Autoescape on for every template whatever its extension (`select_autoescape` would
    skip `.html.j2`), and undefined names fail instead of printing nothing."""
    env = _ReportEnvironment(
        loader=_InliningLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        extensions=["jinja2.ext.do"],
    )
    env.globals["inline_style"] = sheet(_report_css()).style  # a tag whose class is computed
    env.globals["report_css"] = Markup(_report_css())  # the sheet of `_BROWSER_PAGES`
    return env


@lru_cache(maxsize=1)
def macros():
    """The templates' macros (`_macros.html.j2`), callable from here: a finding's HTML is
    rendered once per report, not once per cut of `fit_to_budget`."""
    return environment().get_template("_macros.html.j2").module


_INDENT = re.compile(r"\n[ \t]+")


def compact(html: str) -> str:
    """Rendered HTML without its indentation: it only costs bytes of the email budget (the
    styles are in the tags already, `_InliningLoader`). A fragment is compacted alone to the
    same bytes as within the whole."""
    return _INDENT.sub("\n", str(html))


def report_stem(kode: str, pemda: Any) -> str:
    return f"{safe_kode(kode)}-{slugify(pemda)}"


# ------------------------------------------------------------------------------------------
# Building one Pemda's view
# ------------------------------------------------------------------------------------------


def _record(row: pd.Series | dict) -> dict[str, Any]:
    return {k: (None if is_missing(v) else v) for k, v in dict(row).items()}


class PemdaReport:
    """Everything the template needs about one Pemda, independent of how much is shown."""

    def __init__(self, result, kode: str, t: Translator, run_info: RunInfo | None):
        self.result = result
        self.kode = str(kode)
        self.t = t
        self.run_info = run_info
        idx = NationIndex.of(result)
        ring = idx.records("ringkasan", self.kode)
        self._records: list[dict] | None = None  # the findings as records, in report order
        if not ring and not self.records():
            from core.outcomes import UsageError

            raise UsageError(
                f"Pemda {self.kode} tidak ada di hasil audit",
                f"Region {self.kode} is not in the audit result",
            )
        self.ring = _record(ring[0]) if ring else {}
        # the matrix's columns of the slots (`_inov`, `_no`, `status`) as lists, not all 20
        self.slot = idx.columns("slot_status", self.kode, rows_of="slot")
        self.has_slots = bool(next(iter(self.slot.values()), None))
        self.pemda = text(self.ring.get("pemda")) or self._pemda_of_findings()
        self.changes = changes_view(t, idx.records("perubahan", self.kode),
                                    any(r.get("_baru") is True for r in self.records()))
        self.trend = trend_view(t, idx.records("tren", self.kode))
        self.catalog = result.catalog
        self.indicators = result.catalog.indicators
        self.lang = t.lang
        self.innovations = self._innovations()
        self._fixes: tuple[list[dict], int, dict | None] | None = None
        # what every cut of `fit_to_budget` shows alike, computed on the first render
        self._rows: dict[int, str] = {}  # a finding's HTML (`finding_row`) per position in `_records`
        self._rule_views: dict[tuple[str, str | None], dict] = {}  # `_rule_at`
        self._badges: dict[str, str] = {}  # `_badge`
        self._matrix_rows: tuple[list[dict], int] | None = None
        self._cells: dict[str, str] = {}  # a matrix cell's HTML per status (`_row_html`)
        self._fixed: dict | None = None

    # -- pieces ----------------------------------------------------------------------------
    def _innovations(self) -> list[dict]:
        """Innovations in report order: rank (most score lost first), then by findings."""
        nation = NationIndex.of(self.result)
        info = nation.first_records("daftar", "_id", self.kode)  # (none without `id_inovasi`: no `_id`)
        ranks = nation.first_records("inovasi", "_id", self.kode)
        fcount = nation.first_records("temuan_inovasi", "_inov", self.kode)
        ids = list(dict.fromkeys([*ranks.keys(), *fcount.keys(), *info.keys()]))
        ids = [i for i in ids if i]
        out = []
        for i in ids:
            rk = ranks.get(i, {})
            inf = info.get(i, {})
            fc = fcount.get(i)
            judul = text(rk.get("judul_inovasi")) or text(inf.get("judul_inovasi")) or (
                text(fc["judul"]) if fc is not None else None
            ) or i
            link = text(inf.get("link_video"))
            out.append(
                {
                    "id": i,
                    "judul": judul,
                    "peringkat": None if is_missing(rk.get("peringkat")) else float(rk.get("peringkat")),
                    "poin": None if is_missing(rk.get("poin_iid_hilang")) else float(rk["poin_iid_hilang"]),
                    "tahapan": text(inf.get("tahapan_inovasi")),
                    "opd": text(inf.get("admin_opd")),
                    "video": link,
                    "video_href": safe_href(link),
                    "n": 0 if fc is None else int(fc["n"]),
                    "sev": -1 if fc is None else int(fc["sev"]),
                }
            )
        out.sort(
            key=lambda v: (
                v["peringkat"] if v["peringkat"] is not None else math.inf,
                -(v["poin"] or 0),
                -v["sev"],
                -v["n"],
                v["judul"].casefold(),
            )
        )
        for pos, v in enumerate(out, start=1):
            v["no"] = pos
        return out

    def finding_cells(self) -> pd.DataFrame:
        """The attachment's findings sheet for this Pemda (`_attachment_cells`)."""
        return _attachment_cells(NationIndex.of(self.result), self.t, self.indicators, self.kode)

    @cached_property
    def findings(self) -> pd.DataFrame:
        """The Pemda's findings with every column, in report order (`NationIndex`): for the
        callers that want a frame; the report itself reads `records()`."""
        return NationIndex.of(self.result).rows("findings", self.kode).reset_index(drop=True)

    def _pemda_of_findings(self) -> str:
        """The Pemda's name from its findings when the summary has none (else its code)."""
        names = self.findings["pemda"].dropna() if self.records() else pd.Series(dtype=object)
        return text(names.iloc[0]) if len(names) else self.kode

    def records(self) -> list[dict]:
        """The findings as records, in report order (converted once per province:
        `NationIndex.records`), with the columns a report reads (`RECORD_COLUMNS`; not the
        message fields of each rule)."""
        if self._records is None:
            self._records = NationIndex.of(self.result).records("temuan_laporan", self.kode)
        return self._records

    def finding_view(self, r: dict) -> dict:
        t = self.t
        no = text(r.get("no_indikator"))
        rule_id = str(r.get("rule_id") or "")
        fixed = self._rule_at(rule_id, no)
        nilai = text(r.get("nilai"))
        kolom = text(r.get("kolom"))
        tabel, baris = text(r.get("tabel")), r.get("baris")
        severity = str(r.get("severity") or "info")
        poin = None if is_missing(r.get("poin")) or not r.get("poin") else t.num(r["poin"])
        return {
            **fixed,
            "severity": severity,
            "badge": self._badge(severity),
            "kolom": t("laporan.temuan.kolom", kolom=kolom) if kolom else None,
            "lokasi": t("laporan.temuan.baris", tabel=tabel, baris=int(baris))
            if tabel and not is_missing(baris) and not no
            else None,
            "pesan": text(r.get("pesan")) or fixed["rule_judul"],
            "nilai": nilai,
            "nilai_href": safe_href(nilai),
            "poin": poin,
            "poin_iid": t("umum.poin_iid", n=poin) if poin else None,
            "baru": bool(r.get("_baru") is True),  # new since the previous run (the job marks it)
        }

    def _rule_at(self, rule_id: str, no: str | None) -> dict:
        """What a finding shows of its rule and indicator, once per (rule, indicator) a report."""
        key = (rule_id, no)
        if key not in self._rule_views:
            t = self.t
            ind = self.indicators.get(no) if no else None
            rule = all_rules().get(rule_id)
            self._rule_views[key] = {
                "rule_id": rule_id,
                "rule_judul": t.rule_title(rule_id),
                "indikator": t("laporan.temuan.indikator", no=no, nama=ind.nama) if ind else (
                    t("laporan.temuan.indikator", no=no, nama="").rstrip(": ") if no else None
                ),
                "cara": t.fix_hint(rule_id),
                "bukti": ind.bukti if ind is not None and ind.bukti and rule is not None and rule.bukti else None,
                "aturan": t("laporan.temuan.aturan", rule_id=rule_id),
                # the row's fixed words, translated once a report, not once a finding row
                "label_nilai": t("laporan.temuan.nilai"),
                "label_cara": t("laporan.temuan.cara"),
                "label_bukti": t("laporan.temuan.bukti_diminta"),
            }
        return self._rule_views[key]

    def _badge(self, severity: str) -> str:
        """A severity's badge (`severity_badge`), rendered once a report per severity."""
        if severity not in self._badges:
            self._badges[severity] = macros().severity_badge(self.t, severity)
        return self._badges[severity]

    def fix_first(self) -> tuple[list[dict], int, dict | None]:
        """`_fix_first`, once per report (every cut of `fit_to_budget` shows the same list)."""
        if self._fixes is None:
            self._fixes = self._fix_first()
        return self._fixes

    def _fix_first(self) -> tuple[list[dict], int, dict | None]:
        """Every fix of `checks.metrics.fix_gains` backed by a finding of this Pemda, most IID
        points first: the top REPORT_FIX_FIRST_ROWS as lines (points, what, what to do, where
        in the IID app), how many there are, and the "what if" of the top REPORT_FIX_WHAT_IF_TOP."""
        t = self.t
        g = NationIndex.of(self.result).records("perbaikan", self.kode)
        if not g:
            return [], 0, None
        records = self.records()
        # a slot error is a finding by construction; the other fixes must have theirs here
        found = {(str(r["rule_id"]), r["_inov"], r["_no"]) for r in records}
        g = [r for r in g if r["jenis"] == "bukti" or (str(r["rule_id"]), r["_inov"], r["_no"]) in found]
        total = len(g)
        titles = {v["id"]: v for v in self.innovations}
        errors: dict[tuple[str, str], list[str]] = {}  # per slot, the rules that found an error there
        for r in records:
            if r["severity"] == "error":
                errors.setdefault((r["_inov"], r["_no"]), []).append(str(r["rule_id"]))
        rows = [self._fix_line(r, titles.get(r["_inov"]), errors) for r in g[:REPORT_FIX_FIRST_ROWS]]
        what_if = None
        top = g[:REPORT_FIX_WHAT_IF_TOP]
        verified = self.ring.get("skor_terverifikasi")
        if top and not is_missing(verified):
            gain = float(np.nansum(np.array([r["poin_iid"] for r in top], dtype=float)))  # as pandas sums
            before, after = float(verified), round(float(verified) + gain, 2)
            was, becomes = text(self.ring.get("predikat_terverifikasi")), self.catalog.predikat_for(after)
            what_if = {
                "teks": t("laporan.perbaiki.jika" if len(top) > 1 else "laporan.perbaiki.jika_satu",
                          n=t.int(len(top)), dari=t.num(before), ke=t.num(after), predikat=becomes),
                "naik": t("laporan.perbaiki.naik", dari=was, ke=becomes) if was and becomes != was else None,
                "perkiraan": any(r["taksiran"] != "tepat" for r in top),
            }
        return rows, total, what_if

    def _fix_line(self, r: dict, inv: dict | None, errors: dict[tuple[str, str], list[str]]) -> dict:
        """One "Perbaiki dulu" line: the points, what is wrong, what to do, where in the app."""
        t, no, jenis = self.t, r["_no"], r["jenis"]
        ind = self.indicators.get(no) if no else None
        judul_inov = inv["judul"] if inv else r["_inov"]
        if jenis == "bukti":
            rules = list(dict.fromkeys(errors.get((r["_inov"], no), [])))
        else:
            rules = [str(r["rule_id"])]
        if jenis in ("bukti", "wajib_kosong"):
            indikator = t("laporan.temuan.indikator", no=no, nama=ind.nama if ind else "")
            apa = indikator if jenis == "bukti" else t("laporan.perbaiki.wajib_kosong", indikator=indikator)
            lokasi = (t("laporan.perbaiki.lokasi.sid", no=no) if r["_inov"]
                      else t("laporan.perbaiki.lokasi.spd", no=no))
        elif jenis == "urusan":
            apa = t("laporan.perbaiki.urusan", n=t.int(self.ring.get("urusan_wajib_tercakup")),
                    total=t.int(len(self.catalog.urusan_wajib)), minimum=t.int(self.catalog.urusan_minimum))
            lokasi = t("laporan.perbaiki.lokasi.urusan")
        else:
            n, k = self.ring.get("jumlah_inovasi"), self.ring.get("pembagi") or self.catalog.pembagi_minimum
            apa = t("laporan.perbaiki.pembagi", n=t.int(n), k=t.int(k))
            lokasi = t("laporan.perbaiki.lokasi.pembagi", tambah=t.int(int(k) - int(n or 0)))
        return {
            "poin": t(f"laporan.perbaiki.kembali_{r['taksiran']}", n=t.num(r["poin_iid"])),
            "inovasi": judul_inov if r["_inov"] else (t("laporan.perbaiki.spd") if no else t("laporan.perbaiki.pemda")),
            "inovasi_no": inv["no"] if inv else None,
            "apa": apa,
            "cara": t.fix_hint(rules[0]) if rules else t("perbaikan.lain"),
            "lokasi": lokasi,
            "aturan": [rid if t.rule_title(rid) == rid else f"{rid}: {t.rule_title(rid)}" for rid in rules],
        }

    def matrix(self, limit: int | None) -> dict:
        sid = [i.no for i in self.catalog.sid]
        available = self.result.export.has("indikator_inovasi") and self.has_slots
        if not available:
            return {"available": False, "kolom": sid, "baris": [], "total": len(self.innovations), "shown": 0}
        if self._matrix_rows is None:
            self._matrix_rows = self._all_matrix_rows(sid)
        all_rows, total = self._matrix_rows
        rows = all_rows[: total if limit is None else limit]
        return {"available": True, "kolom": sid, "baris": rows, "total": total, "shown": len(rows)}

    def _all_matrix_rows(self, sid: list[str]) -> tuple[list[dict], int]:
        """Every innovation's row of the matrix (cut per render by `matrix`), and how many."""
        s = self.slot
        status: dict[tuple[str, str], str] = {}
        for inov, no, st in zip(s["_inov"], s["_no"], s["status"]):
            if inov != "":
                status.setdefault((inov, no), str(st))  # the first row of a slot counts
        wajib = {i.no for i in self.catalog.sid if i.wajib}
        invs = [v for v in self.innovations if any((v["id"], no) in status for no in sid)] or self.innovations
        rows = [{"no": v["no"], "judul": v["judul"],
                 "sel": [cell_status(status.get((v["id"], no), "kosong"), no in wajib) for no in sid]} for v in invs]
        return rows, len(invs)

    def _row_html(self, rows: list[dict]) -> list[dict]:
        """`rows` of the matrix with their HTML, made for a row when a render first shows it
        (a measure shows at most `REPORT_MEASURE_MATRIX_ROWS`; the attachment none)."""
        for r in rows:
            if "html" not in r:
                for st in r["sel"]:
                    if st not in self._cells:
                        self._cells[st] = macros().matrix_cell(self.t, st)
                r["html"] = macros().matrix_rows(self.t, r, len(r["sel"]),
                                                 Markup("".join([self._cells[st] for st in r["sel"]])))
        return rows

    def spd(self) -> dict:
        available = self.result.export.has("indikator_pemda") and self.has_slots
        if not available:
            return {"available": False, "baris": []}
        s = self.slot
        status = {no: str(st) for inov, no, st in zip(s["_inov"], s["_no"], s["status"]) if inov == ""}
        return {
            "available": True,
            "baris": [
                {"no": i.no, "nama": i.nama, "wajib": i.wajib, "status": cell_status(status.get(i.no, "kosong"), i.wajib)}
                for i in self.catalog.spd
            ],
        }

    def per_rule(self) -> list[dict]:
        """Findings per rule and severity: errors first, then the most frequent, then by rule."""
        counts = Counter((r["rule_id"], r["severity"]) for r in self.records())
        if not counts:
            return []
        rank = {s: i for i, s in enumerate(SEVERITIES)}
        order = sorted(counts, key=lambda k: (rank.get(k[1], 9), -counts[k], k[0]))
        checked = self._checked()
        t = self.t
        return [
            {"rule_id": rule, "judul": t.rule_title(str(rule)), "severity": sev, "n": t.int(counts[(rule, sev)]),
             "lolos": checked.get(str(rule))}
            for rule, sev in order
        ]

    def _checked(self) -> dict[str, str]:
        """Per rule with a failed item: "2.950 dari 3.000 indikator inovasi lolos" (`checks.coverage`)."""
        t = self.t
        return {str(r["rule_id"]): t("laporan.aturan.lolos", lolos=t.int(r["lolos"]), diperiksa=t.int(r["diperiksa"]),
                                     satuan=t(f"indeks.cakupan.satuan.{r['satuan']}"))
                for r in NationIndex.of(self.result).records("cakupan", self.kode) if r["gagal"] > 0}

    def rules_passed(self) -> int | None:
        """How many rules checked this Pemda and found nothing (None: not counted)."""
        c = NationIndex.of(self.result).records("cakupan", self.kode)
        return sum(r["gagal"] == 0 for r in c) if c else None

    def not_checked(self) -> list[dict]:
        return [
            {
                "rule_id": str(r["rule_id"]),
                "judul": self.t.rule_title(str(r["rule_id"])),
                "alasan": text(r.get("alasan")),
            }
            for r in NationIndex.of(self.result).not_checked(self.kode)
        ]

    def scores(self) -> dict:
        t, r = self.t, self.ring
        computable = not is_missing(r.get("skor_klaim")) and not is_missing(r.get("skor_terverifikasi"))
        slots, bad = r.get("slot_indikator"), r.get("slot_bermasalah")
        return {
            "computable": computable,
            "klaim": t.num(r.get("skor_klaim")),
            "predikat_klaim": text(r.get("predikat_klaim")),
            "terverifikasi": t.num(r.get("skor_terverifikasi")),
            "predikat_terverifikasi": text(r.get("predikat_terverifikasi")),
            "selisih": t.signed(-(float(r["skor_klaim"]) - float(r["skor_terverifikasi"]))) if computable else None,
            "bermasalah": t.pct(r.get("persen_indikator_bermasalah")),
            "bermasalah_ada": not is_missing(r.get("persen_indikator_bermasalah")),
            # colour by meaning: red only when some indicator is a problem, green when none is
            "bermasalah_nol": not is_missing(r.get("persen_indikator_bermasalah"))
            and float(r["persen_indikator_bermasalah"]) == 0.0,
            "bermasalah_ket": t("laporan.skor.bermasalah_ket", bermasalah=t.int(bad), total=t.int(slots))
            if not is_missing(slots) and not is_missing(bad)
            else None,
            "turun": computable and float(r["skor_terverifikasi"]) < float(r["skor_klaim"]),
        }

    def counts(self) -> list[dict]:
        n = Counter(str(r["severity"]) for r in self.records())
        return [{"severity": s, "n": self.t.int(n[s])} for s in SEVERITIES]

    def meta(self) -> list[tuple[str, str]]:
        t, ri = self.t, self.run_info
        tahun = self.result.export.tahun_penilaian or self.catalog.tahun
        export_name = ri.export_name if ri else Path(str(self.result.export.source)).name
        rows = [
            (t("laporan.meta.pemda"), self.pemda),
            (t("laporan.meta.kode"), self.kode),
        ]
        if text(self.ring.get("provinsi")):
            rows.append((t("laporan.meta.provinsi"), text(self.ring.get("provinsi"))))
        rows += [
            (t("laporan.meta.tahun"), str(tahun)),
            (t("laporan.meta.jumlah_inovasi"), t.int(self.ring.get("jumlah_inovasi", len(self.innovations)))),
            (t("laporan.meta.ekspor"), export_name),
        ]
        if ri and ri.export_date:
            rows.append((t("laporan.meta.tanggal_ekspor"), t.date(ri.export_date)))
        rows.append((t("laporan.meta.tanggal_audit"), t.date(self.result.as_of)))
        if ri:
            rows.append((t("laporan.meta.run"), str(ri.run_id)))
            rows.append((t("laporan.meta.dijalankan"), t.datetime(ri.started_at)))
        return rows

    # -- the template context for a given cut ------------------------------------------------
    def context(self, n_findings: int, n_matrix: int | None, attachment_name: str | None,
                measure: bool = False, measure_rows: int | None = None) -> dict:
        """The template context of one cut: the first `n_findings` findings (report order),
        `n_matrix` rows of the matrix (None: all). With `measure`, each finding, matrix row
        and innovation group is wrapped in measuring comments (`_marked`; `fit_to_budget`
        reads their sizes)."""
        t = self.t
        shown = self.records()[:n_findings]
        by_inov: dict[str, list[int]] = {}
        for i, r in enumerate(shown):
            by_inov.setdefault(r["_inov"], []).append(i)

        def sort_key(i: int) -> tuple:
            r = shown[i]
            return (
                -(0 if is_missing(r.get("poin")) else float(r["poin"])),
                -int(r["_sev"]),
                math.inf if is_missing(r.get("_noi")) else float(r["_noi"]),
                str(r["rule_id"]),
                str(r.get("kolom") or ""),
            )

        def rows(positions: list[int]) -> list[str]:
            out = []
            for i in sorted(positions, key=sort_key):
                if i not in self._rows:
                    self._rows[i] = macros().finding_row(t, self.finding_view(shown[i]))
                out.append(_marked("f", i, self._rows[i]) if measure else self._rows[i])
            return out

        pemda_level = rows(by_inov.pop("", []))
        groups = []
        for v in self.innovations:
            rs = by_inov.pop(v["id"], None)
            if rs:
                ringkas = _ringkas(t, [shown[i] for i in rs])
                groups.append({**v, "poin_teks": t.num(v["poin"]) if v["poin"] else None,
                               "ringkas": _marked("r", v["no"], ringkas) if measure else ringkas,
                               "temuan": rows(rs), "mark": _marks("g", measure, str(v["no"]))})
        # a long report folds per innovation (the summary line stays), so its top stays short
        for g in groups:
            g["buka"] = len(groups) <= REPORT_UNFOLDED_INNOVATIONS
        matrix = self.matrix(n_matrix)
        if measure and matrix["available"]:  # (`measure_rows`: only the first rows, the rest as if shown)
            rows_shown = matrix["baris"] if measure_rows is None else matrix["baris"][:measure_rows]
            matrix = {**matrix, "baris": [{**r, "html": _marked("m", j, r["html"])}
                                          for j, r in enumerate(self._row_html(rows_shown))]}
        elif matrix["available"]:
            self._row_html(matrix["baris"])
        return {
            **self._fixed_context(),
            "shown": len(shown),
            "attachment": attachment_name,
            "pemda_level": pemda_level,
            "pemda_mark": _marks("g", measure, PEMDA_GROUP),
            "groups": groups,
            "matrix": matrix,
            "note_mark": _marks("n", measure),
            "matrix_note_mark": _marks("x", measure),
        }

    def _fixed_context(self) -> dict:
        """The part of the template context every cut shares, computed once per report."""
        if self._fixed is not None:
            return self._fixed
        t = self.t
        total = len(self.records())
        fix_rows, fix_total, what_if = self.fix_first()
        self._fixed = {
            "t": t,
            "lang": self.lang,
            "tahun": self.result.export.tahun_penilaian or self.catalog.tahun,
            "pemda": self.pemda,
            "kode": self.kode,
            "meta": self.meta(),
            "skor": self.scores(),
            "counts": self.counts(),
            "total": total,
            "total_teks": t.int(total),
            "perubahan": self.changes,
            "tren": self.trend,
            "fix_rows": fix_rows,
            "fix_more": max(0, fix_total - len(fix_rows)),
            "what_if": what_if,
            "fix_open": REPORT_FIX_WHAT_IF_TOP,  # the rest of the list folds under them
            "has_slots": self.has_slots,
            "spd": self.spd(),
            "per_rule": self.per_rule(),
            "aturan_lolos": self.rules_passed(),
            "not_checked": self.not_checked(),
            "legend": LEGEND_STATUSES,
            "catalog": self.catalog,
            "n_rules": len(all_rules()),
            "total_maksimum": t.num(self.catalog.total_maksimum, 0),
            "run": {"id": self.run_info.run_id, "waktu": t.datetime(self.run_info.started_at)} if self.run_info else None,
        }
        return self._fixed

    def text(self, attachment_name: str | None) -> str:
        """The plain-text part of the email: scores, the whole fix-first list, the attachment."""
        t = self.t
        fix_rows, fix_total, what_if = self.fix_first()
        raw = environment().get_template("pemda.txt.j2").render({
            "t": t, "tahun": self.result.export.tahun_penilaian or self.catalog.tahun, "pemda": self.pemda,
            "kode": self.kode, "skor": self.scores(), "counts": self.counts(), "total_teks": t.int(len(self.records())),
            "attachment": attachment_name, "has_slots": self.has_slots, "fix_rows": fix_rows,
            "fix_more": max(0, fix_total - len(fix_rows)), "what_if": what_if,
        })
        return re.sub(r"\n{3,}", "\n\n", raw).strip() + "\n"

    def html(self, n_findings: int, n_matrix: int | None, attachment_name: str | None,
             measure: bool = False, measure_rows: int | None = None) -> str:
        context = self.context(n_findings, n_matrix, attachment_name, measure, measure_rows)
        return compact(environment().get_template("pemda.html.j2").render(context))


def _size(html: str) -> int:
    return len(html.encode("utf-8"))


#: The comments `PemdaReport.context(measure=True)` puts around what a cut can remove: a
#: finding (`f`, by its position in report order), a matrix row (`m`), an innovation's group
#: of findings (`g`, by the innovation's number; `PEMDA_GROUP` the Pemda's own). Keys are
#: numbers, never the export's text. HTML comments survive CSS
#: inlining untouched, so the bytes between them are the bytes the part costs in the email.
_MARK = r"<!--iid:(/?)([fmgrnx])(?::(\w+))?-->"
_MARK_TOKEN = re.compile(_MARK)
_MARK_BYTES = re.compile(_MARK.encode())  # `_costs` counts bytes
#: Around what a cut changes rather than removes (`_from_measured` puts the cut's own in):
#: an innovation group's severity summary (`r`), the findings note (`n`), the matrix note (`x`).
_CHANGED = ("r", "n", "x")


def _marked(kind: str, key: int, html: str) -> Markup:
    return Markup(f"<!--iid:{kind}:{int(key)}-->{escape(html)}<!--iid:/{kind}-->")  # (Markup stays as it is)


def _marks(kind: str, measure: bool, key: str | None = None) -> tuple[Markup, Markup]:
    """The opening and closing mark of a `kind` of part (`key`: which one), or nothing when
    not measuring."""
    if not measure:
        return Markup(""), Markup("")
    return Markup(f"<!--iid:{kind}{'' if key is None else ':' + key}-->"), Markup(f"<!--iid:/{kind}-->")


def _ringkas(t: Translator, records: list[dict]) -> str:
    """An innovation group's summary line: its shown findings per severity."""
    sev = Counter(r["severity"] for r in records)
    return " · ".join(f"{t('keparahan.' + s)} {t.int(sev[s])}" for s in SEVERITIES if s in sev)


#: The key of the Pemda's own findings among the groups (an innovation's is its number).
PEMDA_GROUP = "p"


@dataclass
class _Costs:
    """What each removable part of a report costs, in inlined bytes (`_costs`)."""

    full: int  # the whole report as measured (every finding shown, the whole matrix)
    finding: dict[int, int]  # per position in report order, with its line break
    matrix: list[int]  # per matrix row, in order, with its line break
    group: dict[str, int]  # per innovation number (`PEMDA_GROUP`): its frame without its findings


def _costs(measured: str) -> _Costs:
    """One pass over the measured report's bytes: each part's size is the distance between
    its marks, less the marks inside it."""
    data = measured.encode("utf-8")
    finding: dict[int, int] = {}
    matrix: list[int] = []
    group: dict[str, int] = {}
    marks = 0  # bytes of marks seen so far
    opened: dict[bytes, tuple[bytes, int, int, int]] = {}  # kind -> (key, end of its mark, marks, findings)
    in_findings = 0  # bytes of findings seen so far
    for m in _MARK_BYTES.finditer(data):
        closing, kind, key = m.group(1), m.group(2), m.group(3)
        if kind.decode() in _CHANGED:  # part of what stays: only the mark's own bytes are not
            marks += len(m.group(0))
            continue
        if not closing:
            opened[kind] = (key, m.end(), marks + len(m.group(0)), in_findings)
        else:
            key, start, marks_before, findings_before = opened.pop(kind)
            size = m.start() - start - (marks - marks_before) + 1  # with the line break after it
            if kind == b"f":
                finding[int(key)] = size
                in_findings += size
            elif kind == b"m":
                matrix.append(size)
            else:
                group[key.decode()] = size - (in_findings - findings_before)
        marks += len(m.group(0))
    return _Costs(len(data) - marks, finding, matrix, group)


def fit_to_budget(report: PemdaReport, attachment_name: str | None, budget: int) -> tuple[str, int]:
    """The report within `budget` inlined bytes: all of it when it fits, else the matrix cut
    to its share (`REPORT_MATRIX_BUDGET_SHARE` of what the fixed part leaves) and then as many
    findings as fit, most costly first. Returns the HTML and how many findings it shows.

    A measuring render tells what each finding, matrix row and innovation group costs
    (`_costs`); the cut is computed from those, made from that render (`_from_measured`) and
    checked: a report is rendered once or twice, not once per guess. The first measure shows at most
    `REPORT_MEASURE_FINDINGS` findings and `REPORT_MEASURE_MATRIX_ROWS` matrix rows (what
    usually fits; the matrix note as if every row were shown, so the fixed part measures the
    same); only when all of those fit are the rest measured too.
    """
    n = min(len(report.records()), REPORT_MAX_FINDINGS_SHOWN)
    measured_n = min(n, REPORT_MEASURE_FINDINGS)
    total_rows = len(report.matrix(None)["baris"])  # what a measure of every row renders
    rows = min(total_rows, REPORT_MEASURE_MATRIX_ROWS)
    while True:
        measured = report.html(measured_n, None, attachment_name, measure=True, measure_rows=rows)
        if measured_n == n:
            full = _MARK_TOKEN.sub("", measured)
            if _size(full) <= budget:
                if rows == total_rows:
                    return full, n
                rows = total_rows  # the whole may fit, the share no longer applying: measure every row
                continue
        costs = _costs(measured)
        shown, m = _cut(report, costs, measured_n, budget)
        if m == rows < total_rows:  # every measured row fits: measure them all
            rows = total_rows
            continue
        if shown < measured_n or measured_n == n:
            break
        measured_n = n  # every measured finding fits: measure them all
    html = _from_measured(report, measured, shown, m, attachment_name)
    while _size(html) > budget and (shown > 0 or m > 0):  # the notes a cut adds, and rounding
        excess = _size(html) - budget
        if shown > 0:
            while shown > 0 and excess > 0:
                shown -= 1
                excess -= costs.finding.get(shown, 1)
        else:
            while m > 0 and excess > 0:
                m -= 1
                excess -= costs.matrix[m]
        html = _from_measured(report, measured, shown, m, attachment_name)
    return html, shown


def _from_measured(report: PemdaReport, measured: str, shown: int, m: int, attachment_name: str | None) -> str:
    """The report cut to its first `shown` findings and `m` matrix rows, made from the
    measuring render (`measured`, inlined) instead of rendered and inlined again: the bytes
    of what the cut leaves out are dropped between their marks, and what a cut changes (each
    innovation's severity summary, the findings and matrix notes) is put in anew. The same
    bytes as `report.html(shown, m, ...)` (tested); rendered so when the cut changes which
    innovations unfold, which no mark holds."""
    t = report.t
    group_of = {v["id"]: str(v["no"]) for v in report.innovations} | {"": PEMDA_GROUP}
    kept: dict[str, list[dict]] = {}
    for r in report.records()[:shown]:
        key = group_of.get(r["_inov"])
        if key is not None:
            kept.setdefault(key, []).append(r)
    tokens = list(_MARK_TOKEN.finditer(measured))
    measured_groups = {tok[3] for tok in tokens if tok[2] == "g" and not tok[1]} - {PEMDA_GROUP}
    unfold = REPORT_UNFOLDED_INNOVATIONS
    if (len(kept.keys() - {PEMDA_GROUP}) <= unfold) != (len(measured_groups) <= unfold):
        return report.html(shown, m, attachment_name)
    total_rows = report.matrix(None)["total"]
    out: list[str] = []
    pos = 0
    skip: str | None = None  # the kind whose closing mark ends what is left out
    for tok in tokens:
        closing, kind, key = tok.group(1), tok.group(2), tok.group(3)
        if skip is not None:
            if closing and kind == skip:
                skip = None
                pos = tok.end() + (measured.startswith("\n", tok.end()))  # with its line break
            continue
        out.append(measured[pos:tok.start()])
        pos = tok.end()
        if closing:
            continue
        if (kind == "f" and int(key) >= shown) or (kind == "m" and int(key) >= m) or (kind == "g" and key not in kept):
            skip = kind
        elif kind in _CHANGED:  # the text between the marks is replaced
            end = measured.index(f"<!--iid:/{kind}-->", pos)
            if kind == "r":
                out.append(str(escape(_ringkas(t, kept[key]))))  # as `_marked` put it
            elif kind == "n":
                out.append(compact(macros().findings_note(t, shown, len(report.records()),
                                                                   t.int(len(report.records())), attachment_name)))
            else:
                out.append(compact(macros().matrix_note(t, m, total_rows, attachment_name)))
            pos = end
    out.append(measured[pos:])
    return "".join(out)


@lru_cache(maxsize=1)
def _report_css() -> str:
    """The style sheet of the reports (`base.html.j2`'s `<style>`), which `_InliningLoader`
    writes into the templates' tags."""
    source = (TEMPLATES_DIR / "base.html.j2").read_text(encoding="utf-8")
    return source[source.index("<style>") + len("<style>"): source.index("</style>")]


def _cut(report: PemdaReport, costs: _Costs, n: int, budget: int) -> tuple[int, int]:
    """How many of the first `n` findings and how many matrix rows fit in `budget` (the
    matrix first, up to its share of the room; see `fit_to_budget`)."""
    group_of = {v["id"]: str(v["no"]) for v in report.innovations} | {"": PEMDA_GROUP}
    group = [group_of.get(r["_inov"]) for r in report.records()[:n]]
    base = costs.full - sum(costs.finding.values()) - sum(costs.group.values()) - sum(costs.matrix)
    free = max(budget - base, 0)
    m, matrix_bytes = len(costs.matrix), sum(costs.matrix)
    if matrix_bytes > free * REPORT_MATRIX_BUDGET_SHARE:
        m, matrix_bytes = 0, 0
        for row in costs.matrix:
            if matrix_bytes + row > free * REPORT_MATRIX_BUDGET_SHARE:
                break
            m, matrix_bytes = m + 1, matrix_bytes + row
    room = free - matrix_bytes
    opened: set[str] = set()
    used = shown = 0
    for i in range(n):
        cost = costs.finding.get(i, 0) + (costs.group.get(group[i], 0) if group[i] not in opened else 0)
        if used + cost > room:
            break
        used += cost
        opened.add(group[i])
        shown += 1
    return shown, m


# ------------------------------------------------------------------------------------------
# Public API
# ------------------------------------------------------------------------------------------


def _paths(out_dir: Path, kode: str, pemda: str) -> tuple[Path, Path]:
    stem = report_stem(kode, pemda)
    folder = Path(out_dir) / LAPORAN_DIR
    return folder / f"{stem}.html", folder / f"{stem}-temuan.xlsx"


def _attachment_cells(nation: NationIndex, t: Translator, indicators: dict, kode: str) -> pd.DataFrame:
    """`kode`'s rows of the attachments' findings sheet (`reports.attachment.finding_cells`),
    computed once per province and language (`NationIndex.per_finding`)."""
    from reports.attachment import finding_cells

    return nation.per_finding(f"lampiran:{t.lang}", lambda f: finding_cells(f, t, indicators), kode)


def prepare_reports(result) -> None:
    """Compute what every report slices from the nation (`NationIndex`: ordered findings,
    keys, fixes) now, once: workers forked afterwards inherit it instead of each computing it
    again. (Records and attachment cells are made per province by whichever process renders
    it: `NationIndex.first_records`, `NationIndex.per_finding`.)"""
    NationIndex.of(result)


def render_pemda_html(
    result,
    kode_pemda: str,
    *,
    lang: str = "id",
    run_info: RunInfo | None = None,
    attachment_name: str | None = None,
    budget: int = REPORT_BODY_BUDGET_BYTES,
) -> str:
    """The inlined report of one Pemda as a string (the email body), within `budget` bytes.

    `attachment_name` is the file the text points to when findings are cut (pass
    `ReportFiles.attachment.name`); `render_pemda` writes the same body to disk.
    """
    report = PemdaReport(result, kode_pemda, Translator(lang), run_info)
    html, _shown = fit_to_budget(report, attachment_name, budget)
    return html


def render_pemda(
    result,
    kode_pemda: str,
    out_dir: Path,
    *,
    lang: str = "id",
    run_info: RunInfo | None = None,
    budget: int = REPORT_BODY_BUDGET_BYTES,
) -> ReportFiles:
    """Write `laporan/<kode>-<slug>.html` and, when the Pemda has findings, the
    `-temuan.xlsx` attachment holding all of them (the HTML may show only the costliest)."""
    from reports.attachment import write_attachment

    t = Translator(lang)
    report = PemdaReport(result, kode_pemda, t, run_info)
    html_path, xlsx_path = _paths(out_dir, report.kode, report.pemda)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    attachment = None
    if report.records():
        attachment = write_attachment(report, xlsx_path)
    html, shown = fit_to_budget(report, attachment.name if attachment else None, budget)
    atomic_write(html_path, html)
    return ReportFiles(
        html=html_path,
        attachment=attachment,
        body_bytes=_size(html),
        findings_shown=shown,
        findings_total=len(report.records()),
        text=report.text(attachment.name if attachment else None),
        selisih_skor_terverifikasi=report.changes["selisih_nilai"] if report.changes else None,
    )


def _rel_href(path: Path, out_dir: Path) -> str:
    rel = os.path.relpath(Path(path).resolve(), Path(out_dir).resolve())
    return quote(Path(rel).as_posix())


def _sorted(df: pd.DataFrame, by: list[str], ascending: list[bool]) -> pd.DataFrame:
    return df.sort_values(by, ascending=ascending, na_position="last", kind="mergesort")


def _coverage_rows(result, t: Translator) -> list[dict]:
    """The national per-rule counts (`checks.coverage.national`) as the index shows them."""
    from checks.coverage import national

    cakupan = getattr(result, "cakupan", None)
    if cakupan is None or not len(cakupan):
        return []
    rules = all_rules()
    return [
        {"rule_id": r.rule_id, "judul": t.rule_title(r.rule_id), "satuan": t(f"indeks.cakupan.satuan.{r.satuan}"),
         "diperiksa": t.int(r.diperiksa), "gagal": t.int(r.gagal), "gagal_n": int(r.gagal),
         "temuan": t("indeks.cakupan.temuan", n=t.int(r.temuan)) if r.temuan != r.gagal else None,
         "persen": t.pct(r.persen_lolos), "severity": rules[r.rule_id].severity.value}
        for r in national(cakupan).itertuples(index=False)
    ]


def _not_checked_rows(result, t: Translator) -> list[dict]:
    """The rules this run could not check (whole run), once each: what the CLI points at."""
    nc = result.not_checked
    if nc is None or not len(nc) or "rule_id" not in nc.columns:
        return []
    whole = nc[key_text(nc["kode_pemda"]) == ""] if "kode_pemda" in nc.columns else nc
    return [{"rule_id": str(r["rule_id"]), "judul": t.rule_title(str(r["rule_id"])), "alasan": text(r.get("alasan"))}
            for r in whole.drop_duplicates("rule_id").sort_values("rule_id").to_dict("records")]


def render_index(
    result,
    reports: dict[str, ReportFiles],
    out_dir: Path,
    *,
    lang: str = "id",
    failures: list[dict] | None = None,
    run_info: RunInfo | None = None,
    unaddressed: list[str] | None = None,
) -> Path:
    """Write `index.html`: every Pemda by province, worst problem share first, other orders in
    `<details>` sections (no script), the predicate distribution, the failures and the Pemda
    whose report has no email address yet (`unaddressed`: kode_pemda)."""
    t = Translator(lang)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    ring = result.metrics.ringkasan.copy()
    for c in ("kode_pemda", "pemda", "provinsi", "persen_indikator_bermasalah", "skor_klaim", "predikat_klaim",
              "skor_terverifikasi", "predikat_terverifikasi", "jumlah_error", "jumlah_warning", "jumlah_inovasi"):
        if c not in ring.columns:
            ring[c] = None
    ring["_kode"] = key_text(ring["kode_pemda"])
    ring["_nama"] = ring["pemda"].astype("string").fillna("").str.casefold()
    for c in ("persen_indikator_bermasalah", "skor_klaim", "skor_terverifikasi"):
        ring[c] = pd.to_numeric(ring[c], errors="coerce")
    ring["_selisih"] = ring["skor_klaim"] - ring["skor_terverifikasi"]

    def row(r: dict) -> dict:
        rf = reports.get(r["_kode"])
        return {
            "kode": r["_kode"],
            "pemda": text(r.get("pemda")) or r["_kode"],
            "href": _rel_href(rf.html, out_dir) if rf is not None and Path(rf.html).exists() else None,
            "inovasi": t.int(r.get("jumlah_inovasi")),
            "bermasalah": t.pct(r.get("persen_indikator_bermasalah")),
            "klaim": t.num(r.get("skor_klaim")),
            "predikat_klaim": text(r.get("predikat_klaim")),
            "terverifikasi": t.num(r.get("skor_terverifikasi")),
            "predikat_terverifikasi": text(r.get("predikat_terverifikasi")),
            "error": t.int(r.get("jumlah_error")),
            "warning": t.int(r.get("jumlah_warning")),
        }

    worst = _sorted(ring, ["persen_indikator_bermasalah", "_nama"], [False, True])
    worst = worst.assign(_prov=worst["provinsi"].astype("string").fillna(t("indeks.provinsi_lain")))
    provinces = []
    for prov, g in worst.groupby("_prov", sort=True):
        provinces.append({"nama": str(prov), "jumlah": t("indeks.provinsi_jumlah", n=t.int(len(g))),
                          "baris": [row(r) for r in g.to_dict("records")]})
    orders = [
        ("skor", [row(r) for r in _sorted(ring, ["skor_terverifikasi", "_nama"], [True, True]).to_dict("records")]),
        ("selisih", [row(r) for r in _sorted(ring, ["_selisih", "_nama"], [False, True]).to_dict("records")]),
        ("nama", [row(r) for r in _sorted(ring, ["_nama"], [True]).to_dict("records")]),
    ]
    # predicate distribution
    names = [p.nama for p in result.catalog.predikat]
    n_all = max(len(ring), 1)
    dist = []
    for nama in names:
        k = int((ring["predikat_klaim"].astype("string") == nama).sum())
        v = int((ring["predikat_terverifikasi"].astype("string") == nama).sum())
        dist.append({"nama": nama, "klaim": t.int(k), "terverifikasi": t.int(v),
                     "w_klaim": round(100 * k / n_all), "w_terverifikasi": round(100 * v / n_all)})
    tidak = int(ring["skor_terverifikasi"].isna().sum())
    tren_nasional, tren_legenda = national_view(t, getattr(result, "tren_nasional", None), names)
    names_by_kode = dict(zip(ring["_kode"], ring["pemda"].astype("string").fillna("")))
    fails = []
    for f in failures if failures is not None else (result.failures or []):
        kode = text(f.get("kode_pemda")) or "?"
        fails.append(t("indeks.gagal.baris", pemda=names_by_kode.get(kode) or kode, kode=kode,
                       tahap=text(f.get("tahap")) or "?", pesan=text(f.get("pesan")) or "?"))
    rules = all_rules()
    ctx = {
        "t": t,
        "lang": lang,
        "tahun": result.export.tahun_penilaian or result.catalog.tahun,
        "n_pemda": t.int(len(ring)),
        "provinces": provinces,
        "orders": orders,
        "dist": dist,
        "tidak_dihitung": t.int(tidak) if tidak else None,
        "tren_nasional": tren_nasional,
        "tren_legenda": tren_legenda,
        "failures": fails,
        "unaddressed": [f"{names_by_kode.get(k) or k} ({k})" for k in (unaddressed or [])],
        "not_checked": _not_checked_rows(result, t),
        "cakupan": _coverage_rows(result, t),
        "catalog": result.catalog,
        "n_rules": len(rules),
        "run": {"id": run_info.run_id, "waktu": t.datetime(run_info.started_at)} if run_info else None,
        "as_of": t.date(result.as_of),
    }
    html = environment().get_template("index.html.j2").render(ctx)
    path = out_dir / "index.html"
    atomic_write(path, html)
    return path
