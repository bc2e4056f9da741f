"""The evidence stage as Prefect tasks mapped over batches: on Prefect's default runner and on
a real local Dask cluster of 2 workers (prefect-dask), the same findings as in-process; and the
whole nightly flow with IID_AUDIT_DASK_ADDRESS naming a running cluster, the same findings.csv."""

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


def test_the_nightly_flow_on_a_dask_cluster_writes_the_findings_it_writes_without(sample, tmp_path, monkeypatch):
    """End to end: the nightly Prefect flow over the committed sample, once as configured out of
    the box and once with IID_AUDIT_DASK_ADDRESS naming a running 2-worker Dask cluster (worker
    processes, as on real machines); each with an empty evidence cache of its own, so both read
    every file. Same findings.csv byte for byte, and on Dask the files were opened in the
    workers, none in this process."""
    from dask.distributed import Client, LocalCluster

    from checks.evidence import opened_count
    from flows.audit import nightly_audit
    from tests.flows.test_flows import AS_OF

    monkeypatch.setattr(settings, "EVIDENCE_BATCH_FILES", 40)  # several batches, several tasks per worker
    n_files = sum(1 for p in (sample / "bukti").iterdir() if p.is_file())

    def night(name: str) -> tuple[bytes, int, dict]:
        monkeypatch.setenv("IID_AUDIT_STATE_DIR", str(tmp_path / name / "state"))
        before = opened_count()
        summary = nightly_audit(source=str(sample), out=str(tmp_path / name / "keluaran"), run_folder=False,
                                as_of=AS_OF)
        return (tmp_path / name / "keluaran" / "findings.csv").read_bytes(), opened_count() - before, summary

    monkeypatch.delenv("IID_AUDIT_DASK_ADDRESS", raising=False)
    plain, opened_here, summary = night("biasa")
    assert opened_here == n_files and summary["exit_code"] == 0

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        monkeypatch.setenv("IID_AUDIT_DASK_ADDRESS", cluster.scheduler_address)
        on_dask, opened_here, summary = night("dask")
        in_workers = client.run(opened_count)
    assert summary["exit_code"] == 0
    assert on_dask == plain
    assert b"BKT-09" in plain and b"BKT-10" in plain
    assert opened_here == 0
    assert len(in_workers) == 2 and sum(in_workers.values()) == n_files
