"""SKM-06: an indicator row refers to an unknown innovation or an unknown indicator number."""

from __future__ import annotations

import pandas as pd

from core.findings import Severity
from core.rules import ContractRule, Predicate, Variant
from ingest import normalize, partial


def cells(table, col, catalog) -> list[Predicate]:
    """A well-formed indicator number (a malformed one is SKM-02's) that the catalog has: SID
    16–35 in Indikator Inovasi, the SPD numbers in Indikator Pemda."""
    if col.name != "no_indikator":
        return []
    numbers = set(catalog.sid_numbers if table.key == "indikator_inovasi" else catalog.spd_numbers)
    return [lambda s: s.isin(numbers) | ~normalize.is_indicator_no(s)]


def check(stage) -> pd.DataFrame | None:
    """Indikator Inovasi rows whose reference (`Stage.link`, see
    `ingest.assemble.link_indicators`) names no innovation of Daftar Inovasi: an unknown
    `ID Inovasi`; a title not found under the row's own Pemda; no reference at all."""
    link = stage.link
    if link is None:
        return None
    text, table = stage.text, stage.table
    ref, known = link["ref"], link["dikenal"]
    parts = [partial.cells("SKM-06", table, "id_inovasi", ref[ref.notna() & ~known])]
    if stage.refers_by_title:
        judul = text["judul_inovasi"]
        named = ref.isna() & link["kode_sendiri"].notna() & judul.notna()
        parts.append(partial.cells("SKM-06", table, "judul_inovasi", judul[named & ~known]))
        no_ref = ref.isna() & judul.isna()
    else:
        no_ref = ref.isna()
    missing = partial.cells("SKM-06", table, "id_inovasi" if "id_inovasi" in text else "judul_inovasi", ref[no_ref])
    missing["varian"] = "tanpa_rujukan"  # nothing to quote: its own message, not "berisi ''"
    parts.append(missing)
    return partial.concat(parts)


RULE = ContractRule(
    id="SKM-06",
    severity=Severity.ERROR,
    key=("tabel", "baris"),
    judul_id="Rujukan indikator tidak dikenal",
    judul_en="Indicator row refers to nothing known",
    pesan_id=(
        "Tabel {tabel} baris {baris}: kolom {kolom} berisi '{nilai}', yang tidak merujuk ke inovasi di Daftar "
        "Inovasi atau ke nomor indikator dalam katalog (SID 16–35, SPD 1–15), sehingga baris ini tidak ikut "
        "dinilai. Perbaiki ID Inovasi / Judul Inovasi atau No Indikator agar sama dengan yang ada di aplikasi IID."
    ),
    pesan_en=(
        "Table {tabel} row {baris}: column {kolom} holds '{nilai}', which refers to no innovation of Daftar "
        "Inovasi or to no indicator number of the catalog (SID 16–35, SPD 1–15), so the row is not scored. "
        "Correct ID Inovasi / Judul Inovasi or No Indikator to match the IID app."
    ),
    perbaikan_id="Hubungkan indikator ke inovasi dan nomor indikator yang benar.",
    perbaikan_en="Link the indicator to the right innovation and indicator number.",
    needs=("indikator_inovasi",),
    cells=cells,
    check=check,
    variants={
        "tanpa_rujukan": Variant(
            severity=Severity.ERROR,
            pesan_id=(
                "Tabel {tabel} baris {baris}: baris ini tidak menyebut inovasinya (ID Inovasi dan Judul Inovasi "
                "kosong), sehingga tidak ikut dinilai. Isi ID Inovasi sesuai inovasinya di aplikasi IID."
            ),
            pesan_en=(
                "Table {tabel} row {baris}: the row names no innovation (ID Inovasi and Judul Inovasi are empty), "
                "so it is not scored. Fill in ID Inovasi as the innovation has it in the IID app."
            ),
        ),
    },
)
