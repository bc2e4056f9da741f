"""The shared helpers of the rules: what counts as a link, and a row's evidence type."""

from __future__ import annotations

import numpy as np
import pandas as pd

from checks.rulekit import evidence_type, looks_like_link


def test_links_are_schemes_and_www_but_not_windows_paths():
    values = pd.Series(["https://x.example/a", "  www.x.example", "mailto:humas@x.example", "javascript:alert(1)",
                        "laporan-2025.pdf", "C:\\Users\\operator\\laporan.pdf", "d:/bukti/foto.jpg",
                        "Perbup: nomor 12", "1:2", None, np.nan, "", "wwwx.example"],
                       index=range(10, 23))
    assert looks_like_link(values).tolist() == [True, True, True, True, False, False, False, True, False,
                                                False, False, False, False]
    assert looks_like_link(values).index.equals(values.index)


def test_evidence_type_is_jenis_file_or_the_file_names_extension():
    df = pd.DataFrame({
        "jenis_file": [" PDF ", "jpeg", None, None, None, "", "Link", None],
        "data_pendukung": ["a.docx", "b.pdf", "foto.JPEG ", "https://x.example/v", "tanpa-ekstensi", "c.png",
                           "d.pdf", None],
    })
    assert evidence_type(df).tolist() == ["pdf", "jpg", "jpg", "link", None, "png", "link", None]


def test_missing_slots_are_those_without_a_row_or_without_a_parameter_in_any_of_their_rows():
    from checks.rulekit import missing_slots

    slots = pd.DataFrame({"id_inovasi": ["A", "A", "B", "B", "C"], "no_indikator": ["16", "17", "16", "17", "16"],
                          "kode_pemda": ["35.04"] * 4 + ["35.79"]})
    rows = pd.DataFrame({
        "id_inovasi": ["A", "A", "B", "B", None, "D", "C"],
        "no_indikator": ["16", "17", "16", "16", "17", "16", None],
        "parameter": ["2", None, None, "3", "1", "1", "1"],
    })
    miss = missing_slots(slots, rows, ["id_inovasi", "no_indikator"])
    # a row, no Parameter; B-17: no row (B's answered 16 and a row without a key don't count);
    # C-16: only a row without its indicator number
    assert miss[["id_inovasi", "no_indikator", "kode_pemda", "ada_baris"]].values.tolist() == [
        ["A", "17", "35.04", True], ["B", "17", "35.04", False], ["C", "16", "35.79", False]]
    assert miss.index.tolist() == [1, 3, 4]  # the slots' positions
