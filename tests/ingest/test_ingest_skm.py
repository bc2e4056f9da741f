

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
