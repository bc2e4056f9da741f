"""The evidence stage as Prefect tasks mapped over batches: on Prefect's default runner and on
a real local Dask cluster of 2 workers (prefect-dask), the same findings as in-process."""

from __future__ import annotations

import pytest

from checks.engine import run_rules
from core import settings
from tests.checks.builders import ExportBuilder, blank_pdf, minimal_pdf
from tests.checks.helpers import AS_OF, CATALOG

pytestmark = pytest.mark.prefect


def _export(bukti):
    from tests.checks.test_rules_bkt import _image

    from synthetic.evidence import png_bytes

    return (ExportBuilder().pemda("35.04", "Kab. Tulungagung")
            .inovasi(judul="KLIK: Klinik Lansia Terpadu")
            .indikator("16", _isi="Peraturan Bupati Nomor 3 Tahun 2024 tentang Penataan Pasar Hewan")  # BKT-10
            .indikator("20", _bytes=blank_pdf())                                                      # empty PDF
            .indikator("21", data_pendukung="laporan.pdf", jenis_file="pdf", _bytes=png_bytes(["x"], 0))  # wrong type
            .indikator("25", data_pendukung="pindai.png", jenis_file="png", _bytes=_image("png", noise=2))  # blank scan
            .indikator("27", data_pendukung="rusak.jpg", jenis_file="jpg", _bytes=_image("jpg", mark=0)[:900])  # corrupt
            .indikator("28", _bytes=minimal_pdf("isi baik"), sha256="00" * 32, _sha_tetap=True)        # hash
            .inovasi(judul="LANUPA: Sekolah Air Minum Perdesaan")
            .pemda("35.10", "Kab. Banyuwangi").inovasi()
            .build(bukti_dir=bukti))


def _evidence(export, evidence_map):
    f = run_rules(export, CATALOG, as_of=AS_OF, evidence_map=evidence_map).findings
    f = f[f["rule_id"].isin(["BKT-09", "BKT-10"])]
    return sorted(zip(f["rule_id"], f["kode_pemda"], f["id_inovasi"], f["no_indikator"], f["severity"], f["pesan"]))


def test_default_runner_and_a_two_worker_dask_cluster_find_what_in_process_finds(tmp_path, monkeypatch):
    from flows.evidence import evidence_map

    monkeypatch.setattr(settings, "EVIDENCE_BATCH_FILES", 7)  # several batches, several tasks
    export = _export(tmp_path / "bukti")
    here = _evidence(export, None)
    assert {(r[0], r[3]) for r in here} == {("BKT-10", "16"), ("BKT-09", "20"), ("BKT-09", "21"), ("BKT-09", "25"),
                                            ("BKT-09", "27"), ("BKT-09", "28")}
    assert _evidence(export, evidence_map("")) == here
    assert _evidence(export, evidence_map("", n_workers=2, processes=False, threads_per_worker=1)) == here
