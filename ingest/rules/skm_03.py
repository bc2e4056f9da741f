"""SKM-03: a value outside the catalog's allowed set (`nilai_sah`), e.g. `Jenis = Digitalisasi`.

A value the IID application itself offers although the guideline does not list it (the
catalog's `nilai_aplikasi`, e.g. `Jenis = Teknologi`) is not the Pemda's mistake: it is one
info finding per Pemda, table and value (variant `aplikasi`), with how many rows and which,
instead of a warning per row that would bury the Pemda's real problems.
"""

from __future__ import annotations

import pandas as pd

from core.findings import Severity
from core.rules import ContractRule, Lookup, Predicate, Variant
from core.tables import TABLES
from ingest import partial

#: Display name of every column (the allowed sets are keyed by column name).
_DISPLAY = {c.name: c.display for t in TABLES.values() for c in t.columns}


def _pilihan(catalog) -> dict:
    """The allowed set of the column each finding is about."""
    return {"pilihan": Lookup("kolom", {_DISPLAY.get(k, k): " / ".join(v) for k, v in catalog.nilai_sah.items()})}


def cells(table, col, catalog) -> list[Predicate]:
    """A column the catalog lists allowed values for (`nilai_sah`) holds one of them, or one the
    app offers (`nilai_aplikasi`, reported per Pemda by `check`), after
    `ingest.normalize.canonical_choices` fixed case and spacing."""
    if col.name not in catalog.nilai_sah:
        return []
    accepted = set(catalog.nilai_sah[col.name]) | set(catalog.nilai_aplikasi.get(col.name, ()))
    return [lambda s: s.isin(accepted)]


def ranges(baris: pd.Series) -> str:
    """Sorted row numbers written as ranges: `3–5, 9, 12–40`."""
    b = baris.drop_duplicates().sort_values()
    start = b.diff().ne(1)
    run = start.cumsum()
    lo, hi = b.groupby(run).min().astype(int).astype(str), b.groupby(run).max().astype(int).astype(str)
    return ", ".join(lo.where(lo == hi, lo + "–" + hi))


def check(stage) -> pd.DataFrame | None:
    """One `aplikasi` finding per Pemda, column and app-offered value, on the Pemda's first such
    row (for its Pemda only), with `jumlah` rows and their numbers `daftar_baris`."""
    text, table, catalog = stage.text, stage.table, stage.catalog
    parts = []
    for col, values in catalog.nilai_aplikasi.items():
        if col not in text:
            continue
        hit = text[col].isin(values)
        if not hit.any():
            continue
        who = stage.kode.where(stage.kode.notna(), stage.hint)
        if "pemda" in text:
            who = who.where(who.notna(), text["pemda"])
        rows = pd.DataFrame({"who": who.fillna("?"), "nilai": text[col], "baris": stage.typed["baris"]})[hit]
        groups = rows.reset_index().groupby(["who", "nilai"], sort=False)
        first = groups["index"].min()
        found = partial.cells("SKM-03", table, col, text.loc[first.to_numpy(), col])
        found[partial.PER_PEMDA] = True
        found["varian"] = "aplikasi"
        found["jumlah"] = groups.size().to_numpy()
        found["daftar_baris"] = groups["baris"].agg(ranges).to_numpy()
        parts.append(found)
    return partial.concat(parts)


RULE = ContractRule(
    id="SKM-03",
    severity=Severity.WARNING,
    key=("tabel", "baris", "kolom"),
    judul_id="Nilai di luar pilihan resmi",
    judul_en="Value outside the allowed set",
    pesan_id=(
        "Kolom {kolom} baris {baris} (tabel {tabel}) berisi '{nilai}', yang tidak ada dalam pilihan resmi "
        "({pilihan}). Pilih salah satu nilai resmi di aplikasi IID."
    ),
    pesan_en=(
        "Column {kolom} row {baris} (table {tabel}) holds '{nilai}', which is not one of the official choices "
        "({pilihan}). Pick one of the official values in the IID app."
    ),
    perbaikan_id="Pilih salah satu nilai yang tersedia di aplikasi IID (sesuai pedoman).",
    perbaikan_en="Choose one of the values the IID application offers (per the guideline).",
    extra=_pilihan,
    cells=cells,
    check=check,
    variants={
        "aplikasi": Variant(
            severity=Severity.INFO,
            pesan_id=(
                "{jumlah} baris di tabel {tabel} memakai {kolom} '{nilai}' (baris {daftar_baris}). Pilihan ini "
                "ditawarkan aplikasi IID tetapi tidak tercantum dalam pedoman ({pilihan}), sehingga verifikator "
                "dapat menilainya tidak sesuai. Bila inovasinya memang sesuai salah satu pilihan pedoman, pilih "
                "nilai itu."
            ),
            pesan_en=(
                "{jumlah} rows of table {tabel} use {kolom} '{nilai}' (rows {daftar_baris}). The IID app offers "
                "this choice but the guideline does not list it ({pilihan}), so a verifier may judge it not "
                "compliant. Where the innovation fits one of the guideline's choices, pick that value."
            ),
        ),
    },
)
