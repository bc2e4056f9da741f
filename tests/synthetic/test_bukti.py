"""Evidence files written with `with_bukti=True` match the table and are what they claim to be."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest
from pypdf import PdfReader

from synthetic import generate_export


@pytest.fixture(scope="module")
def tables(small_export_with_bukti):
    g = small_export_with_bukti
    read = lambda k: pd.read_csv(g.paths[k], dtype=str, keep_default_na=False)  # noqa: E731
    return g, read("daftar_inovasi"), read("indikator_inovasi"), read("indikator_pemda")


def _file_rows(df: pd.DataFrame) -> pd.DataFrame:
    return df[df["Jenis File"] != "link"]


def test_every_named_file_exists_with_the_size_and_digest_of_the_table(tables):
    g, _, sid, spd = tables
    rows = pd.concat([_file_rows(sid), _file_rows(spd)])
    assert len(rows) > 0
    for name, group in rows.groupby("Data Pendukung"):
        data = (g.bukti_dir / name).read_bytes()
        assert set(group["SHA256"]) == {hashlib.sha256(data).hexdigest()}
        assert set(group["Ukuran File (KB)"]) == {str(round(len(data) / 1024))}
    assert g.n_bukti == rows["Data Pendukung"].nunique()


def test_files_meet_the_minimum_sizes_and_have_real_headers(tables):
    g, _, sid, spd = tables
    for name in pd.concat([_file_rows(sid), _file_rows(spd)])["Data Pendukung"].unique():
        data = (g.bukti_dir / name).read_bytes()
        if name.endswith(".pdf"):
            assert data.startswith(b"%PDF-") and len(data) >= 20 * 1024
        elif name.endswith(".png"):
            assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 10 * 1024
        else:
            pytest.fail(f"unexpected evidence type {name}")


def test_pdf_text_contains_the_innovation_title(tables):
    g, daftar, sid, _ = tables
    titles = daftar.set_index("ID Inovasi")["Judul Inovasi"]
    reg = sid[sid["No Indikator"] == "16"]
    for _, row in reg.iterrows():
        text = PdfReader(g.bukti_dir / row["Data Pendukung"]).pages[0].extract_text()
        assert titles[row["ID Inovasi"]] in text


def test_bukti_refuses_national_scale(tmp_path):
    with pytest.raises(ValueError):
        generate_export(tmp_path, n_pemda=100, with_bukti=True)
