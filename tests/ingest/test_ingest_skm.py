

def test_skm03_message_names_the_allowed_values_of_that_column_only(tmp_path):
    """A Pemda operator must see the choices for *this* column, not every allowed set."""
    from datetime import date

    from core.catalog import load_catalog
    from checks.engine import run_rules
    from ingest import read_export

    path = tmp_path / "daftar.csv"
    path.write_text(
        "No,Judul Inovasi,Pemda,Jenis,Tahapan Inovasi\n1,Sistem Antrean Puskesmas,Kab. Tulungagung,Teknologi,Penerapan\n",
        encoding="utf-8",
    )
    findings = run_rules(read_export(path), load_catalog(2026), as_of=date(2026, 7, 1)).findings
    pesan = findings.loc[findings.rule_id == "SKM-03", "pesan"].tolist()
    assert len(pesan) == 1
    assert "Digital / Non Digital" in pesan[0]
    assert "Kepala Daerah" not in pesan[0]  # Inisiator's choices belong to another column


def test_a_contract_finds_the_cells_and_leaves_the_table_as_it_was():
    """The contract validates the table itself, not a copy (`inplace`: it coerces nothing)."""
    import pandas as pd

    from core.catalog import load_catalog
    from ingest.contracts import validate

    text = pd.DataFrame({"no": ["1", "dua", None], "judul_inovasi": ["Klinik Lansia", None, "Bank Sampah"],
                         "jenis": ["Digital", "Analog", None], "tanggal_input": ["2025-02-30", "01-03-2025", None]})
    before = text.copy(deep=True)
    found = validate("daftar_inovasi", text, load_catalog(2026))
    pd.testing.assert_frame_equal(text, before)
    cells = set(zip(found["rule_id"], found["kolom"], found["nilai"].astype(str), found["row"].astype(str)))
    assert {("SKM-03", "Jenis", "Analog", "1"), ("SKM-02", "No", "dua", "1"),
            ("SKM-02", "Tanggal Input", "2025-02-30", "0")} <= cells
