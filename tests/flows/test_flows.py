"""The two flows on Prefect's real local engine over the committed sample export."""

from __future__ import annotations

import json
import re
import time
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from prefect.exceptions import ParameterTypeError

from flows.audit import audit_region, nightly_audit
from job.lock import RunLocked, nightly_lock
from core.outcomes import Outcome

from flows_sample import SAMPLE, SAMPLE_AS_OF, SAMPLE_PEMDA

#: rules.md, "Findings contract (output)".
FINDINGS_HEADER = ["rule_id", "severity", "kode_pemda", "pemda", "id_inovasi", "judul_inovasi",
                   "no_indikator", "kolom", "nilai", "pesan"]
RINGKASAN_FIRST = ["kode_pemda", "pemda", "jumlah_inovasi", "persen_indikator_bermasalah", "skor_klaim",
                   "predikat_klaim", "skor_terverifikasi", "predikat_terverifikasi"]
AS_OF = date.fromisoformat(SAMPLE_AS_OF)


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def report_pages(out: Path) -> dict[str, Path]:
    """kode_pemda → its report page, from the file names `laporan/<kode>-<slug>.html`."""
    return {p.name.split("-", 1)[0]: p for p in (out / "laporan").glob("*.html")}


@pytest.fixture(scope="module")
def nightly(tmp_path_factory) -> tuple[Path, dict]:
    """One nightly run over the whole sample, shared by the tests that only read its outputs."""
    import os

    assert SAMPLE.is_dir(), "sample_data/ekspor-2026 not there"  # committed: missing is a failure
    root = tmp_path_factory.mktemp("nightly")
    os.environ["IID_AUDIT_STATE_DIR"] = str(root / "state")
    try:
        summary = nightly_audit(source=str(SAMPLE), out=str(root / "keluaran"), as_of=AS_OF)
    finally:
        os.environ.pop("IID_AUDIT_STATE_DIR", None)
    return Path(summary["out_dir"]), summary


def test_nightly_writes_the_findings_contract_a_report_per_pemda_and_the_index(nightly):
    out, summary = nightly
    assert out.parent.name == "keluaran" and out.name == summary["run_id"]  # <out>/<run-id>/
    findings = read_csv(out / "findings.csv")
    assert list(findings.columns) == FINDINGS_HEADER
    assert len(findings) > 0
    ring = read_csv(out / "ringkasan.csv")
    assert list(ring.columns[: len(RINGKASAN_FIRST)]) == RINGKASAN_FIRST
    assert set(ring["kode_pemda"]) == SAMPLE_PEMDA
    assert set(report_pages(out)) == SAMPLE_PEMDA
    index = (out / "index.html").read_text(encoding="utf-8")
    for page in report_pages(out).values():
        assert f"laporan/{page.name}" in index
    assert summary["failures"] == []
    assert summary["pemda"] == len(SAMPLE_PEMDA)


def test_nightly_hands_every_report_to_delivery_as_an_outbox_email_without_send(nightly):
    out, summary = nightly
    emls = sorted((out / "outbox").glob("*.eml"))
    # every sample Pemda has a Profil Pemda address (sample_data/ekspor-2026/profil_pemda.csv)
    assert {p.name.split("_", 1)[0] for p in emls} == SAMPLE_PEMDA
    assert summary["delivery"]["outbox"] == len(SAMPLE_PEMDA)


def test_nightly_run_summary_is_written_and_names_the_run(nightly):
    out, summary = nightly
    on_disk = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert on_disk["run_id"] == summary["run_id"] == out.name  # <out>/<run-id>/
    assert re.fullmatch(r"\d{8}T\d{6}\.\d{3}Z-nasional", summary["run_id"])  # an execution, stamped in UTC
    assert on_disk["findings"] == summary["findings"]
    assert on_disk["outcome"] == "temuan" and on_disk["exit_code"] == 0  # a word, not the enum's number
    assert Outcome.from_word(on_disk["outcome"]) is Outcome.FINDINGS


def test_region_run_produces_only_that_pemdas_outputs(sample, tmp_path):
    summary = audit_region(kode_pemda="35.04", source=str(sample), out=str(tmp_path), as_of=AS_OF)
    out = Path(summary["out_dir"])
    assert out.parent == tmp_path and out.name == summary["run_id"] and out.name.endswith("Z-pemda-35.04")
    assert set(report_pages(out)) == {"35.04"}
    ring = read_csv(out / "ringkasan.csv")
    assert list(ring["kode_pemda"]) == ["35.04"]
    findings = read_csv(out / "findings.csv")
    assert set(findings["kode_pemda"]) <= {"35.04", ""}  # "" = about a whole table
    assert "35.04" in set(findings["kode_pemda"])  # the sample's worst Pemda has findings
    assert [p.name.split("_", 1)[0] for p in (out / "outbox").glob("*.eml")] == ["35.04"]


@pytest.fixture
def report_path_taken_by_a_folder(tmp_path, monkeypatch) -> tuple[Path, str]:
    """Kota Batu's report cannot be written: its file system says IsADirectoryError.

    Test seam (rendering is robust to every data fault we could plant, and a run renders into
    its own fresh staging folder): the renderer is wrapped to fail as the atomic write would
    when a folder sits where the HTML file must go; every other Pemda renders for real."""
    import reports

    real = reports.render_pemda

    def render_pemda(result, kode, *args, **kwargs):
        if kode == "35.79":
            raise IsADirectoryError(21, "Is a directory")
        return real(result, kode, *args, **kwargs)

    monkeypatch.setattr(reports, "render_pemda", render_pemda)
    return tmp_path / "keluaran", "35.79"


def test_a_pemda_whose_report_fails_is_recorded_and_the_others_go_on(sample, report_path_taken_by_a_folder):
    out, broken = report_path_taken_by_a_folder
    state = nightly_audit(source=str(sample), out=str(out), run_folder=False, as_of=AS_OF, return_state=True)
    summary = state.result()
    assert Outcome.from_word(summary["outcome"]) is Outcome.PARTIAL and summary["exit_code"] == 1
    assert [(f["kode_pemda"], f["tahap"]) for f in summary["failures"]] == [(broken, "laporan")]
    assert "IsADirectoryError" in summary["failures"][0]["pesan"]
    pages = report_pages(out)
    assert set(pages) == SAMPLE_PEMDA - {broken}  # the five others were rendered
    assert json.loads((out / "run.json").read_text())["failures"] == summary["failures"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "IsADirectoryError" in index and broken in index
    # rendering is one task per province, not per Pemda: the broken Pemda is recorded inside
    # its province's batch, which completes with the others' reports
    provinces = {k.split(".")[0] for k in SAMPLE_PEMDA}
    states = _task_states(state.state_details.flow_run_id, prefix="laporan ", expected=len(provinces))
    assert states == {f"laporan {p}": "COMPLETED" for p in provinces}


def _task_states(flow_run_id, prefix: str, expected: int, timeout: float = 30.0) -> dict[str, str]:
    """Task run name → state type, as the Prefect API records them (events are recorded
    asynchronously by the server, so wait until `expected` tasks have a final state)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    deadline = time.monotonic() + timeout
    while True:
        with get_client(sync_client=True) as client:
            runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
        states = {r.name: r.state.type.value for r in runs if r.name.startswith(prefix) and r.state}
        if (len(states) == expected and all(v in ("COMPLETED", "FAILED") for v in states.values())) \
                or time.monotonic() > deadline:
            return states
        time.sleep(0.2)


@pytest.mark.parametrize("kode", [35.04, 35.1, 3504])
def test_a_numeric_kode_pemda_is_refused_not_audited_as_another_pemda(sample, tmp_path, kode):
    with pytest.raises(ParameterTypeError) as info:
        audit_region(kode_pemda=kode, source=str(sample), out=str(tmp_path / "out"), as_of=AS_OF)
    text = str(info.value)
    assert "kode_pemda" in text and repr(kode) in text and '"35.04"' in text
    assert not (tmp_path / "out").exists()


def test_a_second_nightly_run_is_refused_while_one_holds_the_lock(sample, tmp_path, state_dir):
    with nightly_lock(state_dir):
        with pytest.raises(RunLocked):
            nightly_audit(source=str(sample), out=str(tmp_path / "out"), as_of=AS_OF)
    assert not list((tmp_path / "out").glob("*/findings.csv"))


def test_a_run_killed_half_way_is_rerun_to_completion(sample, tmp_path):
    """What a kill leaves: temp files of half-written outputs, a stale findings.csv, the lock
    file (its flock died with the process). The rerun takes the lock and rewrites everything."""
    out = tmp_path / "keluaran"
    (out / "laporan").mkdir(parents=True)
    (out / ".iid-audit.lock").write_text("12345\n")
    (out / "findings.csv").write_text("half,a,file\n")
    (out / "findings.csv.tmp").write_text("half")
    (out / "laporan" / "35.04-kab-tulungagung.html.tmp").write_text("<html>")
    summary = audit_region(kode_pemda="35.04", source=str(sample), out=str(out), run_folder=False, as_of=AS_OF)
    assert summary["failures"] == []
    assert list(read_csv(out / "findings.csv").columns) == FINDINGS_HEADER
    assert not list(out.rglob("*.tmp"))
    assert set(report_pages(out)) == {"35.04"}



def test_in_a_flow_run_background_work_stays_in_the_process():
    """A Prefect flow run's client threads (event loop, log and event workers) may hold a lock
    a forked child would need forever; under them the run's background children (export
    cache, history, findings, index) are done in the process instead."""
    from prefect import flow

    from core.parallel import foreign_threads, in_background

    @flow(persist_result=False)
    def background() -> tuple[bool, bool]:
        return bool(foreign_threads()), in_background(print) is None

    assert background() == (True, True)
