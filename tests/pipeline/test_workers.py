"""A run on forked workers (`IID_AUDIT_WORKERS`) gives the same outputs as a run in one
process, and a worker that dies loses nothing."""

import os
import threading
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from test_whole_outputs import recorded_runs

from checks.engine import run_rules
from checks.registry import GxRule, PandasRule, all_rules
from core.catalog import load_catalog
from core.parallel import can_fork
from core.settings import Settings
from ingest import read_export
from job.pipeline import JobRequest, run_job

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "ekspor-2026"
AS_OF = date(2026, 11, 30)
OUTPUTS = ("findings.csv", "ringkasan.csv", "cakupan.csv")

pytestmark = pytest.mark.skipif(not can_fork(), reason="no fork on this platform")


def _run(tmp_path: Path, name: str, workers: int, region: str | None = None):
    out = tmp_path / name
    summary = run_job(JobRequest(source=str(SAMPLE), out=out, as_of=AS_OF, region=region),
                      Settings(state_dir=tmp_path / f"{name}-state", workers=workers))
    return out, summary


def _reports(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "laporan").iterdir())}


def test_three_workers_give_the_bytes_of_one_process(tmp_path):
    one, s1 = _run(tmp_path, "satu", 1)
    three, s3 = _run(tmp_path, "tiga", 3)
    for name in OUTPUTS:
        assert (three / name).read_bytes() == (one / name).read_bytes(), name
    assert _reports(three) == _reports(one)
    assert sorted(p.name for p in (three / "outbox").glob("*.eml")) == \
        sorted(p.name for p in (one / "outbox").glob("*.eml"))
    assert s3.failures == s1.failures == []
    # the export cache was written by a child, whole, before the run ended
    entries = list((tmp_path / "tiga-state" / "ekspor-cache").iterdir())
    assert [e.name for e in entries if not e.name.startswith(".")] and all(
        (e / "meta.json").is_file() for e in entries)


def test_a_report_worker_that_dies_loses_no_report(tmp_path, monkeypatch):
    import reports

    parent = os.getpid()
    real = reports.render_pemda

    def dies_in_a_worker(result, kode, *args, **kwargs):
        if os.getpid() != parent:
            (tmp_path / f"mati-{kode}").touch()
            os._exit(9)  # as the kernel's OOM killer would
        return real(result, kode, *args, **kwargs)

    one, _ = _run(tmp_path, "satu", 1)
    monkeypatch.setattr(reports, "render_pemda", dies_in_a_worker)
    out, summary = _run(tmp_path, "mati", 2)
    assert list(tmp_path.glob("mati-*"))  # a worker did die
    assert summary.failures == []
    assert _reports(out) == _reports(one)


def test_a_gx_worker_that_dies_is_validated_here_again(tmp_path, monkeypatch):
    import checks.gx_engine as gx_engine

    export = read_export(SAMPLE)
    catalog = load_catalog(2026)
    alone = run_rules(export, catalog, as_of=AS_OF, workers=1)
    parent = os.getpid()
    real = gx_engine.run_gx

    def dies_in_a_worker(*args, **kwargs):
        if os.getpid() != parent:
            (tmp_path / "mati").touch()
            os._exit(9)
        return real(*args, **kwargs)

    monkeypatch.setattr(gx_engine, "run_gx", dies_in_a_worker)
    both = run_rules(export, catalog, as_of=AS_OF, workers=2)
    assert both.findings.equals(alone.findings)
    assert both.not_checked.equals(alone.not_checked)
    assert (tmp_path / "mati").exists()
    gx_rules = {r.id for r in all_rules().values() if isinstance(r, GxRule)}
    assert set(both.findings["rule_id"]) & gx_rules  # GX's findings are among them


def test_one_pemda_is_validated_by_a_gx_worker_that_imported_gx_during_the_read(tmp_path, monkeypatch):
    """A one-Pemda run forks GX's worker before the export is read: GX's import (most of what
    its rules take) overlaps the read, and the findings are those of one process."""
    import checks.gx_engine as gx_engine
    import job.pipeline as pipeline

    one, s1 = _run(tmp_path, "satu", 1, region="35.04")
    parent = os.getpid()
    real_import, real_gx, real_load = gx_engine.import_gx, gx_engine.run_gx, pipeline.load
    importing = tmp_path / "impor-mulai"
    seen_by_the_read: list[bool] = []

    def import_gx():
        importing.touch()
        return real_import()

    def run_gx(*args, **kwargs):
        (tmp_path / ("gx-pekerja" if os.getpid() != parent else "gx-di-sini")).touch()
        return real_gx(*args, **kwargs)

    def load(*args, **kwargs):  # the read waits for the import to begin: it must not need the read's end
        deadline = time.monotonic() + 30
        while not importing.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        seen_by_the_read.append(importing.exists())
        return real_load(*args, **kwargs)

    monkeypatch.setattr(gx_engine, "import_gx", import_gx)
    monkeypatch.setattr(gx_engine, "run_gx", run_gx)
    monkeypatch.setattr(pipeline, "load", load)
    two, s2 = _run(tmp_path, "dua", 2, region="35.04")
    assert s1.failures == s2.failures == []
    for name in OUTPUTS:
        assert (two / name).read_bytes() == (one / name).read_bytes(), name
    assert _reports(two) == _reports(one)
    assert (tmp_path / "gx-pekerja").exists() and not (tmp_path / "gx-di-sini").exists()
    assert seen_by_the_read == [True]


def _sample_rules():
    """The sample export, its catalog, its rules' findings in one process, the registry, and
    the ids of the pandas rules it can run (the ones GX's worker may take), costliest first."""
    export = read_export(SAMPLE)
    catalog = load_catalog(2026)
    rules = dict(all_rules())
    mine = [r.id for r in rules.values() if isinstance(r, PandasRule) and not export.unmet_needs(r.needs)]
    mine.sort(key=lambda rid: -rules[rid].cost)  # the order the two processes take them in
    return export, catalog, run_rules(export, catalog, as_of=AS_OF, workers=1), rules, mine


def test_once_gx_is_done_its_worker_takes_the_next_costliest_rule_with_the_same_findings(tmp_path, monkeypatch):
    """This process holds its first pandas rule (the costliest) until GX is done, so the worker,
    free, takes the next costliest: it runs there (a file per rule and process says where),
    every rule runs once, and the findings are those of one process, in the same order."""
    import checks.engine as engine

    export, catalog, alone, rules, mine = _sample_rules()
    parent = os.getpid()
    real_gx = engine._gx

    def gx_then_done(*args):
        found = real_gx(*args)
        (tmp_path / "gx-selesai").touch()
        return found

    def where(rule):
        def check(ctx):
            if rule.id == mine[0] and os.getpid() == parent:
                deadline = time.monotonic() + 60
                while not (tmp_path / "gx-selesai").exists() and time.monotonic() < deadline:
                    time.sleep(0.01)
                time.sleep(0.3)  # the worker's GX result on its way back
            (tmp_path / f"{rule.id}-{'sini' if os.getpid() == parent else 'pekerja'}").touch()
            return rule.check(ctx)
        return replace(rule, check=check)

    monkeypatch.setattr(engine, "_gx", gx_then_done)
    monkeypatch.setattr(engine, "all_rules", lambda: {k: where(r) if k in mine else r for k, r in rules.items()})
    both = run_rules(export, catalog, as_of=AS_OF, workers=2)
    assert rules[mine[0]].cost > rules[mine[1]].cost > rules[mine[-1]].cost  # (else the order says nothing)
    assert (tmp_path / f"{mine[1]}-pekerja").exists() and (tmp_path / f"{mine[0]}-sini").exists()
    assert all((tmp_path / f"{rid}-sini").exists() != (tmp_path / f"{rid}-pekerja").exists() for rid in mine)
    assert both.findings.equals(alone.findings)
    assert both.not_checked.equals(alone.not_checked)


def test_the_worker_keeps_taking_rules_while_this_process_is_in_a_long_one(tmp_path, monkeypatch):
    """The worker's rules are queued as its jobs end, not only when this process is between
    rules: while this process's first rule lasts (until the worker has run three), the worker
    goes on with the next ones. (Queued from here between rules, it stopped at two.)"""
    import checks.engine as engine

    export, catalog, alone, rules, mine = _sample_rules()
    parent = os.getpid()
    assert len(mine) > 4
    seen: list[int] = []

    def where(rule):
        def check(ctx):
            if os.getpid() != parent:
                (tmp_path / f"{rule.id}-pekerja").touch()
            elif rule.id == mine[0]:
                deadline = time.monotonic() + 30
                while len(list(tmp_path.glob("*-pekerja"))) < 3 and time.monotonic() < deadline:
                    time.sleep(0.01)
                seen.append(len(list(tmp_path.glob("*-pekerja"))))
            return rule.check(ctx)
        return replace(rule, check=check)

    monkeypatch.setattr(engine, "all_rules", lambda: {k: where(r) if k in mine else r for k, r in rules.items()})
    both = run_rules(export, catalog, as_of=AS_OF, workers=2)
    assert seen and seen[0] >= 3
    assert both.findings.equals(alone.findings)


def test_a_gx_rule_that_raises_in_the_worker_is_reported_as_here(monkeypatch):
    import checks.engine as engine

    export = read_export(SAMPLE)
    catalog = load_catalog(2026)
    rules = dict(all_rules())
    rule = next(r for r in rules.values() if isinstance(r, GxRule))

    def broken(ctx):
        raise ValueError("katalog rusak")

    rules[rule.id] = replace(rule, check=broken)
    monkeypatch.setattr(engine, "all_rules", lambda: rules)
    alone = run_rules(export, catalog, as_of=AS_OF, workers=1)
    both = run_rules(export, catalog, as_of=AS_OF, workers=2)
    assert rule.id in set(alone.not_checked["rule_id"])
    assert both.not_checked.equals(alone.not_checked)  # the same reason, naming ValueError
    assert "ValueError" in " ".join(both.not_checked["alasan"])
    assert both.findings.equals(alone.findings)


def test_an_outbox_worker_that_dies_loses_no_message(tmp_path, monkeypatch):
    import delivery

    parent = os.getpid()
    real = delivery.deliver

    def dies_in_a_worker(items, **kwargs):
        if os.getpid() != parent:
            (tmp_path / "mati").touch()
            os._exit(9)
        return real(items, **kwargs)

    one, _ = _run(tmp_path, "satu", 1)
    monkeypatch.setattr(delivery, "deliver", dies_in_a_worker)
    out, summary = _run(tmp_path, "mati", 3)
    assert (tmp_path / "mati").exists()
    assert summary.failures == []
    assert sorted(p.name for p in (out / "outbox").glob("*.eml")) == \
        sorted(p.name for p in (one / "outbox").glob("*.eml"))
    assert summary.delivery == _run(tmp_path, "satu-lagi", 1)[1].delivery


def _messy_export(tmp_path: Path) -> Path:
    from ingest_builders import daftar, indikator, innovation, write_csv

    folder = tmp_path / "berantakan"
    folder.mkdir()
    write_csv(folder / "daftar_inovasi.csv", daftar(
        innovation(),
        innovation(**{"Judul Inovasi": "Layanan Dua", "Jenis": "Teknologi", "Kematangan": "delapan"}),
        innovation(**{"Judul Inovasi": "Layanan Tiga", "Tahapan Inovasi": "Selesai", "Tanggal Input": "31-02-2025"}),
        innovation(**{"Judul Inovasi": "Layanan Empat", "Pemda": "Kabupaten Entah"}),
    ))
    sid = indikator()
    sid.loc[sid.index[:3], sid.columns[-1]] = "x"
    write_csv(folder / "indikator_inovasi.csv", sid)
    return folder


def test_a_deferred_contract_settles_to_the_findings_read_at_once(tmp_path, monkeypatch):
    """`defer_contract` leaves the largest table's contract for later: the tables are already
    whole, the findings lack that contract's until `settle()`, then equal one read at once."""
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[1] / "ingest"))
    path = _messy_export(tmp_path)
    alone = read_export(path)
    later = read_export(path, defer_contract=True)
    assert len(alone.findings) >= 3 and {"SKM-02", "SKM-03"} <= set(alone.findings["rule_id"])
    for key in alone.tables:
        assert later.tables[key].equals(alone.tables[key])
    assert later.pending is not None and len(later.findings) < len(alone.findings)
    assert later.settle().findings.equals(alone.findings)
    assert later.pending is None and later.settle().findings.equals(alone.findings)  # settles once


def test_rules_settle_a_deferred_contract(tmp_path, monkeypatch):
    """The pipeline defers the indicator contract to the pause while GX validates in its
    worker (or, when GX is done first, to the end of the rules): the rules' findings are
    those of an export read at once."""
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[1] / "ingest"))
    path = _messy_export(tmp_path)
    catalog = load_catalog(2026)
    at_once = run_rules(read_export(path), catalog, as_of=AS_OF, workers=2)
    later = read_export(path, defer_contract=True)
    assert later.pending is not None
    deferred = run_rules(later, catalog, as_of=AS_OF, workers=2)
    assert later.pending is None
    assert deferred.findings.equals(at_once.findings)


def test_a_findings_writer_that_dies_leaves_findings_csv_to_the_run(tmp_path, monkeypatch):
    """findings.csv is written by a child while the metrics are computed; a child that dies
    (before or while writing) leaves it to the run, which writes the same bytes."""
    from job import pipeline

    one, _ = _run(tmp_path, "satu", 1)
    parent = os.getpid()
    real = pipeline.write_findings

    def dies_in_a_child(out_dir, findings):
        if os.getpid() != parent:
            (tmp_path / "mati").touch()
            (out_dir / "findings.csv").write_text("setengah,ditulis\n", encoding="utf-8")
            os._exit(9)
        return real(out_dir, findings)

    monkeypatch.setattr(pipeline, "write_findings", dies_in_a_child)
    out, summary = _run(tmp_path, "mati", 2)
    assert (tmp_path / "mati").exists()
    assert summary.failures == []
    for name in OUTPUTS:
        assert (out / name).read_bytes() == (one / name).read_bytes(), name


@pytest.mark.parametrize("workers", [1, 2])
def test_a_finding_that_breaks_its_contract_fails_the_analysis_and_is_never_written(tmp_path, monkeypatch, workers):
    """The pipeline's rules leave the contract check to `write_findings` (in a child with
    workers): a finding without a message must still stop the analysis before anything is
    made of it, and no findings.csv exists."""
    from pandera.errors import SchemaErrors

    import checks.engine as engine
    from job.pipeline import audit_export

    real = engine.render

    def loses_a_message(findings, *args, **kwargs):
        out = real(findings, *args, **kwargs)
        out.loc[out.index[0], "pesan"] = ""
        return out

    monkeypatch.setattr(engine, "render", loses_a_message)
    with pytest.raises(SchemaErrors):
        audit_export(read_export(SAMPLE), load_catalog(2026), AS_OF, workers=workers, out_dir=tmp_path)
    assert not (tmp_path / "findings.csv").exists()


@pytest.fixture
def threads_of_other_tests_ignored(monkeypatch):
    """Threads other tests left in this process (the flow tests' Prefect client, when they ran
    first here) would keep the run's background children in it (`core.parallel.foreign_threads`),
    as a run in a process of its own has none; threads started during the test still count."""
    import core.parallel

    before, real = set(threading.enumerate()), core.parallel.foreign_threads
    monkeypatch.setattr(core.parallel, "foreign_threads", lambda: [t for t in real() if t not in before])


@pytest.mark.usefixtures("threads_of_other_tests_ignored")
def test_the_index_is_written_by_a_child_while_the_history_saves_and_commits_after_it(tmp_path, monkeypatch):
    """The other core writes the index while the history is saved; the save waits for it
    before its commit, so a history that names the run always has its index whole."""
    from job import pipeline

    parent, real = os.getpid(), pipeline.write_index
    seen: dict = {}

    def slow_index(*args):
        time.sleep(0.5)  # longer than the sample's history save: the save must wait
        (tmp_path / f"indeks-{os.getpid()}").touch()
        return real(*args)

    real_finish = pipeline.IndexWriting.finish

    def finish(self):
        if "runs" not in seen:  # the first call: inside the save, before its commit
            seen["runs"] = recorded_runs(settings)
        return real_finish(self)

    monkeypatch.setattr(pipeline, "write_index", slow_index)
    monkeypatch.setattr(pipeline.IndexWriting, "finish", finish)
    settings = Settings(state_dir=tmp_path / "state", workers=2)
    summary = run_job(JobRequest(source=str(SAMPLE), out=tmp_path / "out", as_of=AS_OF), settings)
    written_by = [int(p.name.split("-")[1]) for p in tmp_path.glob("indeks-*")]
    assert written_by and parent not in written_by  # a child wrote it
    assert seen["runs"] == []  # the save waited for it before committing
    assert recorded_runs(settings) == [summary.run_id]
    assert summary.index and Path(summary.index).is_file() and summary.failures == []


def test_an_index_child_that_dies_is_written_here_and_one_that_fails_is_a_failure_not_a_lost_history(
        tmp_path, monkeypatch):
    from job import pipeline

    parent, real = os.getpid(), pipeline.write_index

    def dies_in_a_child(*args):
        if os.getpid() != parent:
            os._exit(9)
        return real(*args)

    monkeypatch.setattr(pipeline, "write_index", dies_in_a_child)
    settings = Settings(state_dir=tmp_path / "state", workers=2)
    summary = run_job(JobRequest(source=str(SAMPLE), out=tmp_path / "out", as_of=AS_OF), settings)
    assert summary.index and Path(summary.index).is_file() and summary.failures == []

    def broken(*args):
        raise RuntimeError("templat indeks rusak")

    monkeypatch.setattr(pipeline, "write_index", broken)
    again = run_job(JobRequest(source=str(SAMPLE), out=tmp_path / "out2", as_of=AS_OF), settings)
    assert again.index is None
    assert [(f["tahap"], f["pesan"]) for f in again.failures] == [("indeks", "RuntimeError")]
    assert recorded_runs(settings) == [again.run_id, summary.run_id]  # the history has the run all the same


def test_reports_prepared_while_the_history_is_read_take_it_as_if_prepared_after(tmp_path, monkeypatch):
    """`run_job` prepares the reports' nation-wide data while a child reads the history;
    applied afterwards, the history's changes, trend and "baru" badges reach the index
    without the findings being ordered again, and every report is the bytes of one prepared
    after the history."""
    from datetime import datetime, timezone

    import reports.data as data
    from core.i18n import Translator
    from job.pipeline import History, apply_history, run_audit
    from reports import prepare_reports, render_pemda
    from store.history import RunRecord

    ordered = []
    order_findings = data.order_findings
    monkeypatch.setattr(data, "order_findings", lambda *a, **k: ordered.append(1) or order_findings(*a, **k))
    run = RunRecord("20261130T120000.000Z-nasional", datetime(2026, 11, 30, 12, tzinfo=timezone.utc), 2026, AS_OF,
                    SAMPLE.name)

    def history_of(result) -> History:
        f, kab = result.findings, "35.04"
        changes = pd.DataFrame([{"kode_pemda": kab, "temuan_baru": 2, "temuan_selesai": 3, "temuan_tetap": 4,
                                 "selisih_skor_terverifikasi": 1.25, "selisih_persen_bermasalah": -2.5,
                                 "run_sebelumnya": "20261129T120000.000Z-nasional"}])
        tren = pd.DataFrame([{"kode_pemda": kab, "run_id": f"r{i}", "as_of": AS_OF, "skor_terverifikasi": s,
                              "started_at": datetime(2026, 11, 30, h, tzinfo=timezone.utc),
                              "persen_indikator_bermasalah": p} for i, (h, s, p) in enumerate([(8, 36.8, 35.9),
                                                                                             (12, 38.1, 33.4)])])
        baru = pd.Series(False, index=f.index)
        baru[f.index[f["kode_pemda"] == kab][:2]] = True
        return History(changes, changes, baru, tren, nation=pd.DataFrame(),
                       kunci=pd.Series(range(len(f)), index=f.index) * 7919)

    settings = Settings(state_dir=tmp_path / "state", workers=1)
    early = run_audit(SAMPLE, tmp_path / "awal", settings, as_of=AS_OF)
    prepare_reports(early)  # the history not read yet
    apply_history(early, history_of(early), run)
    prepare_reports(early)
    assert len(ordered) == 1
    late = run_audit(SAMPLE, tmp_path / "akhir", settings, as_of=AS_OF)
    apply_history(late, history_of(late), run)
    prepare_reports(late)
    assert len(ordered) == 2

    got, want = data.NationIndex.of(early), data.NationIndex.of(late)
    assert got.frames.keys() == want.frames.keys()
    for name, frame in want.frames.items():
        if frame is None:
            assert got.frames[name] is None, name
        else:
            pd.testing.assert_frame_equal(got.frames[name], frame, obj=name)
    codes = [str(k) for k in late.ringkasan["kode_pemda"]]
    html = {k: render_pemda(early, k, tmp_path / "awal").html.read_bytes() for k in codes}
    assert html == {k: render_pemda(late, k, tmp_path / "akhir").html.read_bytes() for k in codes}
    badge = f">{Translator('id')('laporan.perubahan.lencana_baru')}</span>".encode()
    assert html["35.04"].count(badge) == 3  # the two findings marked new, and the legend


def test_a_history_child_that_dies_leaves_the_read_to_the_run(tmp_path):
    """The history is read by a child while the reports' data is prepared; a child that dies
    leaves the read to the run: the second night says what changed as in one process. (In
    a Python of its own: threads other tests leave behind, Prefect's or tqdm's, keep
    background children from forking, `core.parallel.foreign_threads`.)"""
    import subprocess
    import sys
    import textwrap

    code = textwrap.dedent(f"""
        import os, sys
        from datetime import date
        from pathlib import Path
        import store.history
        from core.settings import Settings
        from job.pipeline import JobRequest, run_job
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from fixed_copy import SAMPLE, fixed_copy

        tmp, as_of = Path({str(tmp_path)!r}), date({AS_OF.year}, {AS_OF.month}, {AS_OF.day})
        fixed = fixed_copy(tmp / "diperbaiki")
        parent, compare = os.getpid(), store.history.compare

        def dies_in_a_child(*args, **kwargs):
            if os.getpid() != parent:
                (tmp / "mati").touch()
                os._exit(9)
            return compare(*args, **kwargs)

        # two processes first: GX validated in this process leaves tqdm's thread behind a while
        for name, workers in (("dua", 2), ("satu", 1)):
            settings = Settings(state_dir=tmp / f"{{name}}-state", workers=workers)
            run_job(JobRequest(source=str(SAMPLE), out=tmp / name / "malam-1", as_of=as_of), settings)
            store.history.compare = dies_in_a_child
            night = run_job(JobRequest(source=str(fixed), out=tmp / name / "malam-2", as_of=as_of), settings)
            store.history.compare = compare
            print(name, night.failures)
        print("mati", (tmp / "mati").exists())
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:3] == ["dua []", "satu []", "mati True"]
    changed = ["kode_pemda", "temuan_baru", "temuan_selesai", "temuan_tetap", "selisih_skor_terverifikasi"]
    one, two = (pd.read_csv(tmp_path / name / "malam-2" / "ringkasan.csv", dtype={"kode_pemda": str})[changed]
                for name in ("satu", "dua"))
    assert one["temuan_selesai"].sum() == 3  # what the fixed copy fixed
    pd.testing.assert_frame_equal(two, one)
