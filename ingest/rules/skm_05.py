"""SKM-05: the same innovation appears twice (same ID, or same Pemda + normalized title)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.findings import Severity
from core.rules import ContractRule
from ingest import normalize, partial


def check(stage) -> pd.DataFrame | None:
    """Daftar Inovasi: every row of a group with the same given `ID Inovasi`, or else the same
    Pemda (its code, or its written name when the code is unknown) and normalized title."""
    if stage.table.key != "daftar_inovasi":
        return None
    text, table = stage.text, stage.table
    idx = text.index
    given = text["id_inovasi"] if "id_inovasi" in text else pd.Series(np.nan, index=idx, dtype=object)
    id_dup = given.dropna().duplicated(keep=False).reindex(idx, fill_value=False)
    parts = [partial.cells("SKM-05", table, "id_inovasi", given[id_dup])]
    if "judul_inovasi" in text:
        title = normalize.normalize_title(text["judul_inovasi"])
        other = normalize.normalize_title(text["pemda"]) if "pemda" in text else pd.Series("", index=idx)
        group = stage.kode.fillna("?" + other.fillna("").astype(str))
        keyed = pd.DataFrame({"g": group, "t": title})[title.notna()]
        t_dup = keyed.duplicated(keep=False).reindex(idx, fill_value=False)
        parts.append(partial.cells("SKM-05", table, "judul_inovasi", text["judul_inovasi"][t_dup & ~id_dup]))
    return partial.concat(parts)


RULE = ContractRule(
    id="SKM-05",
    severity=Severity.WARNING,
    key=("tabel", "baris"),
    judul_id="Inovasi tercatat ganda",
    judul_en="Innovation listed twice",
    pesan_id=(
        "Inovasi '{judul_inovasi}' tercatat lebih dari sekali di tabel {tabel} (baris {baris}: {kolom} '{nilai}' "
        "sama dengan baris lain). Hapus entri ganda atau bedakan judulnya, agar setiap inovasi dinilai sekali."
    ),
    pesan_en=(
        "Innovation '{judul_inovasi}' is listed more than once in table {tabel} (row {baris}: {kolom} '{nilai}' "
        "equals another row's). Remove the duplicate entry or make the titles distinct, so each innovation is "
        "assessed once."
    ),
    perbaikan_id="Hapus atau gabungkan inovasi yang tercatat dua kali.",
    perbaikan_en="Remove or merge the innovation recorded twice.",
    needs=("daftar_inovasi",),
    check=check,
)
