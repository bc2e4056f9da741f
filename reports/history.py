"""The audit history as the reports show it (templates: `_riwayat.html.j2`).

Plain values in, template dictionaries out: what the job puts on the result from the history
(`result.perubahan`: what changed per Pemda as the report shows it; `result.tren`,
`result.tren_nasional`: columns of `store.history.TREND_COLUMNS`, and of its
`national_runs`). Reports never read the store.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd

from reports.data import is_missing
from reports.i18n import Translator

#: Colours of the verified predicates in the national distribution, best first (the catalog
#: lists predicates best first); "not computable" is grey.
PREDICATE_COLOURS = ("#1a7f37", "#4ea96b", "#d29922", "#cf222e", "#8c959f", "#57606a")
NOT_COMPUTED_COLOUR = "#d0d7de"


def changes_view(t: Translator, rows: list[dict], any_new: bool) -> dict | None:
    """What changed since the previous run, from the Pemda's rows of the job's
    `result.perubahan` (records with the columns of `store.history.COMPARE_COLUMNS`); None for
    a first audit, or without history."""
    if not rows:
        return None
    row = {k: (None if is_missing(v) else v) for k, v in rows[0].items()}
    if is_missing(row.get("run_sebelumnya")):
        return None
    selisih = row.get("selisih_skor_terverifikasi")
    baru, selesai = row.get("temuan_baru"), row.get("temuan_selesai")
    return {
        "baru": t.int(baru),
        "selesai": t.int(selesai),
        "tetap": t.int(row.get("temuan_tetap")),
        "selisih": t.signed(selisih),
        # the number itself: the email subject says the same change (`ReportFiles`)
        "selisih_nilai": None if is_missing(selisih) else float(selisih),
        "selisih_bermasalah": t.signed(row.get("selisih_persen_bermasalah")),
        # the previous run's findings were dropped by retention: what changed is unknown (shown
        # as "—"), never "nothing changed" nor "all new"; the score change is still known
        "tak_diketahui": baru is None or selesai is None,
        "ada_perubahan": bool((baru or 0) or (selesai or 0)),
        "skor_berubah": not is_missing(selisih) and round(float(selisih), 2) != 0,
        "baru_ada": any_new,
    }


def _bar(value: Any, text: str) -> dict:
    w = 0 if is_missing(value) else max(1, min(100, round(float(value))))
    return {"w": w, "teks": text}


def trend_view(t: Translator, pts: list[dict]) -> list[dict]:
    """One Pemda's trend points (its rows of the job's `result.tren`, as records), oldest
    first, as bars on a 0–100 scale."""
    out = []
    seen: Counter[str] = Counter()
    for r in pts:
        # labelled by audit date and its order within that date, never by the wall clock: a
        # rerun after a run that died while mailing must draw the same bytes, or the ledger
        # would see a new report and mail the Pemda twice
        seen[str(r["as_of"])] += 1
        k = seen[str(r["as_of"])]
        out.append({
            "label": t.date_short(r["as_of"]) + (f" ({k})" if k > 1 else ""),
            "skor": _bar(r["skor_terverifikasi"], t.num(r["skor_terverifikasi"])),
            "bermasalah": _bar(r["persen_indikator_bermasalah"], t.pct(r["persen_indikator_bermasalah"], 1)),
        })
    return out


def national_view(t: Translator, rows: pd.DataFrame | None, predicates: list[str]) -> tuple[list[dict], list]:
    """Per national run, oldest first: Pemda count, the verified predicates as one stacked
    bar, the median problem share; and the legend (name, colour)."""
    if rows is None or not len(rows):
        return [], []
    colours = dict(zip(predicates, PREDICATE_COLOURS))
    legend = [(p, colours[p]) for p in predicates] + [(t("indeks.distribusi.tidak_dihitung"), NOT_COMPUTED_COLOUR)]
    out = []
    for run_id, g in rows.groupby("run_id", sort=False):
        n = len(g)
        pred = g["predikat_terverifikasi"].astype("string")
        parts = []
        for nama, warna in legend:
            k = int(pred.isna().sum()) if warna == NOT_COMPUTED_COLOUR else int((pred == nama).sum())
            if k:
                parts.append({"nama": nama, "n": t.int(k), "w": max(1, round(100 * k / n)), "warna": warna})
        median = pd.to_numeric(g["persen_indikator_bermasalah"], errors="coerce").median()
        out.append({"label": t.datetime_short(g["started_at"].iloc[0]), "pemda": t.int(n), "bagian": parts,
                    "median": t.pct(median, 1)})
    return out, legend
