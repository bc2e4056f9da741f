"""A Pemda operator's fixes, made in a copy of the sample export (the Pemda's loop: read the
report, fix the evidence in the IID app, export, audit again)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "ekspor-2026"

#: Evidence columns copied from an answered row of the same innovation.
EVIDENCE = ("Data Pendukung", "Jenis File", "Ukuran File (KB)", "SHA256", "Nomor Dokumen", "Tanggal Dokumen",
            "Tanggal Unggah")


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def fixed_copy(dest: Path) -> Path:
    """The sample with three of Kab. Tulungagung's findings fixed: evidence uploaded for
    indicators 17 and 34 of innovation 35.04-0001 (two BKT-01), and the Admin OPD of
    35.04-0011 filled in (one LKP-05). Nothing else changes."""
    shutil.copytree(SAMPLE, dest)
    ind = _read(dest / "indikator_inovasi.csv")
    mine = ind["ID Inovasi"] == "35.04-0001"
    donor = ind[mine & (ind["No Indikator"] == "16")].iloc[0]
    for no in ("17", "34"):
        row = mine & (ind["No Indikator"] == no)
        assert ind.loc[row, "Data Pendukung"].tolist() == ["-"], "the sample changed: pick another BKT-01"
        for c in EVIDENCE:
            ind.loc[row, c] = donor[c]
    ind.to_csv(dest / "indikator_inovasi.csv", index=False, encoding="utf-8")
    daftar = _read(dest / "daftar_inovasi.csv")
    row = daftar["ID Inovasi"] == "35.04-0011"
    assert daftar.loc[row, "Admin OPD"].tolist() == ["Tidak Diisi"]
    daftar.loc[row, "Admin OPD"] = "Dinas Pendidikan (tulungagungkab.disdik)"
    daftar.to_csv(dest / "daftar_inovasi.csv", index=False, encoding="utf-8")
    return dest
