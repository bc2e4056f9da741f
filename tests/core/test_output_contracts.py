"""The output contracts as Pandera models: what `findings.csv` and `ringkasan.csv` must be,
checked before anything is written (a broken contract is our bug, never a file)."""

from __future__ import annotations

import pandas as pd
import pytest
from pandera.errors import SchemaErrors

from core.findings import ALL_COLUMNS, FINDING_COLUMNS, Finding, findings, validate
from core.ringkasan import RINGKASAN_CHANGE, RINGKASAN_CONTRACT, with_changes
from core.ringkasan import validate as validate_ringkasan


def one(**over) -> pd.DataFrame:
    base = dict(rule_id="LKP-06", severity="warning", kode_pemda="35.04", pemda="Kab. Tulungagung",
                id_inovasi="35.04-0001", pesan="Rancang Bangun terlalu pendek.")
    return findings([Finding(**{**base, **over})])


def test_the_one_constructor_gives_every_column_from_values_frames_or_nothing():
    assert list(findings().columns) == ALL_COLUMNS and findings().empty
    both = findings([one(), None, Finding("SKM-01", tabel="Daftar Inovasi", kolom="Pemda")])
    assert list(both.columns) == ALL_COLUMNS and len(both) == 2
    assert both.loc[1, "kode_pemda"] is None  # None, not NaN: the CSV cell is empty
    extra = findings(pd.DataFrame({"rule_id": ["BKT-07"], "klaim": ["3"]}), extra=True)
    assert list(extra.columns) == ALL_COLUMNS + ["klaim"]


def test_a_well_formed_finding_passes():
    validate(one())


@pytest.mark.parametrize("bad", [
    dict(severity="fatal"),  # not a severity
    dict(severity=None),
    dict(pesan=None),  # every finding says what is wrong
    dict(pesan=""),
    dict(rule_id="LKP6"),  # not a stable id
])
def test_a_broken_finding_is_refused(bad):
    with pytest.raises(SchemaErrors):
        validate(one(**bad))


def test_findings_csv_columns_come_from_the_model_in_order():
    assert FINDING_COLUMNS == ["rule_id", "severity", "kode_pemda", "pemda", "id_inovasi", "judul_inovasi",
                               "no_indikator", "kolom", "nilai", "pesan"]


def ringkasan_row(**over) -> pd.DataFrame:
    row = dict(kode_pemda="35.04", pemda="Kab. Tulungagung", jumlah_inovasi=12, persen_indikator_bermasalah=25.0,
               skor_klaim=61.5, predikat_klaim="Inovatif", skor_terverifikasi=38.1,
               predikat_terverifikasi="Kurang Inovatif", jumlah_error=3, jumlah_warning=4, jumlah_info=0,
               provinsi="Jawa Timur", selisih_skor=23.4, skor_spd_klaim=10.0, skor_spd_terverifikasi=8.0,
               skor_sid_klaim=40.0, skor_sid_terverifikasi=25.0, skor_jumlah_inovasi=5.0, pembagi=12,
               urusan_wajib_tercakup=4, jumlah_inisiatif=1, jumlah_uji_coba=2, jumlah_penerapan=9)
    row.update(over)
    df = pd.DataFrame([row])
    df["slot_indikator"] = pd.array([over.get("slot_indikator", 252)], dtype="Int64")
    df["slot_bermasalah"] = pd.array([over.get("slot_bermasalah", 63)], dtype="Int64")
    changes = {k: over[k] for k in RINGKASAN_CHANGE if k in over}
    return with_changes(df, pd.DataFrame([{"kode_pemda": row["kode_pemda"], **changes}]) if changes else None)


def test_ringkasan_contract_and_refusals():
    validate_ringkasan(ringkasan_row())
    validate_ringkasan(ringkasan_row(skor_klaim=float("nan"), predikat_klaim=None))  # cannot compute: empty
    validate_ringkasan(ringkasan_row(temuan_baru=3, temuan_selesai=12, temuan_tetap=40, selisih_skor_terverifikasi=-1.5,
                                     selisih_persen_bermasalah=2.0, run_sebelumnya="20261130T010000.000Z-nasional"))
    for bad in (dict(jumlah_error=-1), dict(persen_indikator_bermasalah=130.0), dict(kode_pemda="3504"),
                dict(temuan_baru=-1)):
        with pytest.raises(SchemaErrors):
            validate_ringkasan(ringkasan_row(**bad))
    assert RINGKASAN_CONTRACT[:3] == ["kode_pemda", "pemda", "jumlah_inovasi"]
    assert RINGKASAN_CHANGE == ["temuan_baru", "temuan_selesai", "temuan_tetap", "selisih_skor_terverifikasi",
                                "selisih_persen_bermasalah", "run_sebelumnya"]


def test_the_catalog_is_typed_and_a_wrong_threshold_is_one_clear_error(tmp_path, monkeypatch):
    import core.catalog as catalog_module
    from core.catalog import load_catalog
    from core.outcomes import UsageError

    c = load_catalog(2026)
    assert c.ambang.koordinat.lat_min == -11 and c.ambang.judul_mirip_min_skor == 90
    text = (catalog_module.CATALOG_DIR / "2026.yaml").read_text(encoding="utf-8")
    (tmp_path / "2099.yaml").write_text(text.replace("tahun: 2026", "tahun: 2099").replace(
        "judul_mirip_min_skor: 90", "judul_mirip_min_skor: sembilan puluh"), encoding="utf-8")
    monkeypatch.setattr(catalog_module, "CATALOG_DIR", tmp_path)
    with pytest.raises(UsageError) as info:
        catalog_module.load_catalog(2099)
    assert "judul_mirip_min_skor" in str(info.value) and "2099" in str(info.value)
