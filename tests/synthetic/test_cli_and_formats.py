"""The `python -m synthetic` command and the workbook form."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from synthetic.__main__ import main
from synthetic.problems import plant_problems
from synthetic import build_tables


def test_cli_writes_the_four_csv_files_and_bukti(tmp_path, capsys):
    assert main(["--pemda", "2", "--seed", "3", "--out", str(tmp_path), "--bukti", "--min-inovasi", "12", "--max-inovasi", "12"]) == 0
    names = {p.name for p in tmp_path.iterdir()}
    assert names == {"daftar_inovasi.csv", "indikator_inovasi.csv", "indikator_pemda.csv", "profil_pemda.csv", "bukti"}
    daftar = pd.read_csv(tmp_path / "daftar_inovasi.csv", dtype=str)
    assert len(daftar) == 24
    assert "24 inovasi" in capsys.readouterr().out


def test_cli_refuses_bukti_at_national_scale_with_a_message(tmp_path, capsys):
    assert main(["--pemda", "546", "--out", str(tmp_path), "--bukti"]) == 2
    assert "small" in capsys.readouterr().err


def test_workbook_has_one_sheet_per_table_all_text(tmp_path):
    assert main(["--pemda", "2", "--seed", "4", "--out", str(tmp_path), "--xlsx", "--min-inovasi", "12", "--max-inovasi", "12"]) == 0
    wb = openpyxl.load_workbook(tmp_path / "ekspor.xlsx", read_only=True)
    assert wb.sheetnames == ["Daftar Inovasi", "Indikator Inovasi", "Indikator Pemda", "Profil Pemda"]
    header, first = list(wb["Daftar Inovasi"].iter_rows(min_row=1, max_row=2, values_only=True))
    assert header[:3] == ("No", "Judul Inovasi", "Pemda")
    assert all(isinstance(v, str) for v in first)  # dates, numbers and codes as the app writes them
    assert first[header.index("Kode Pemda")].count(".") <= 1


def test_plant_problems_needs_the_sample_layout():
    with pytest.raises(ValueError, match="sample"):
        plant_problems(build_tables(n_pemda=2, seed=1, innovations_per_pemda=(12, 12)))
