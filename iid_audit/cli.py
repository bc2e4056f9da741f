"""`iid-audit`: the command line. Every expected failure is one clear line (Indonesian /
English) and a non-zero exit code from `Outcome`; never a traceback.

- `iid-audit audit EXPORT --out DIR [--region KODE] …` runs the job (`job.pipeline.run_job`)
  writing straight into DIR: in this process, with no server, when `PREFECT_API_URL` is not
  set; as a tracked flow run (`nightly-audit`, or `audit-region` with `--region`) on that
  Prefect server when it is set, or on a temporary local server with `--prefect`.
- `iid-audit serve --export SOURCE [--out DIR]` registers both deployments and runs them.
- `iid-audit outbox send DIR` sends the `.eml` files a run left in `DIR/outbox/`.
- `iid-audit history [--region KODE] [--limit N] [--json]` lists recent runs and what changed.
- `iid-audit db upgrade` applies the database migrations (every command does so at start).

Prefect is configured (`flows.embedded.configure_environment`) before it is imported: no
telemetry, warnings only on the console. Without a Prefect run it is not imported at all.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from datetime import date
from pathlib import Path

from core.outcomes import AuditError, Outcome, UsageError
from core.settings import HISTORY_LIST_LIMIT

log = logging.getLogger("iid_audit")

#: Failures listed one per line in the summary; the rest are in run.json and index.html.
MAX_FAILURES_SHOWN = 10


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"tanggal harus YYYY-MM-DD / date must be YYYY-MM-DD: {text!r}")


class _Parser(argparse.ArgumentParser):
    """Usage errors as one bilingual line and exit code 2 (`Outcome.USAGE`)."""

    def error(self, message: str):  # type: ignore[override]
        self.exit(Outcome.USAGE.exit_code, f"iid-audit: argumen tidak sah / invalid arguments: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="iid-audit", description="Audit data Indeks Inovasi Daerah (IID).")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    a = sub.add_parser("audit", help="audit an export and write findings, summary and reports")
    a.add_argument("export", type=Path, help="XLSX workbook, CSV, or folder of CSV tables")
    a.add_argument("--out", type=Path, required=True, help="output folder (findings.csv, ringkasan.csv at its top)")
    a.add_argument("--region", help="Kemendagri code of one Pemda, e.g. 35.04")
    a.add_argument("--year", type=int, help="assessment year (catalog); default Tahun Penilaian or 2026")
    a.add_argument("--as-of", type=_date, help="audit date (default: today in Jakarta)")
    a.add_argument("--lang", choices=["id", "en"], help="report language (default id)")
    a.add_argument("--send", action="store_true", help="send the emails over SMTP (default: write DIR/outbox/*.eml)")
    a.add_argument("--only", help="deliver only the report of this Pemda (all are still audited)")
    a.add_argument("--resend", action="store_true", help="send again even when this report was sent before")
    a.add_argument("--recipients", type=Path, help="CSV overriding the addresses of Profil Pemda")
    a.add_argument("--require-recipients", action="store_true",
                   help="a Pemda without an email address is a failure (exit 1), not a listed skip")
    a.add_argument("--data-docs", action="store_true",
                   help="also build Great Expectations Data Docs of the validation in DIR/gx/")
    a.add_argument("--prefect", action="store_true",
                   help="run as a tracked Prefect flow run (a temporary server when PREFECT_API_URL is unset)")

    s = sub.add_parser("serve", help="register the nightly and on-demand deployments and run them")
    s.add_argument("--export", required=True, help="export path or glob, e.g. '/data/iid/ekspor-*' (newest is used)")
    s.add_argument("--out", default="keluaran", help="output root; each run writes <out>/<run-id>/ (default keluaran)")
    s.add_argument("--lang", choices=["id", "en"], help="report language (default id)")
    s.add_argument("--send", action="store_true", help="scheduled runs send the emails over SMTP")
    s.add_argument("--pause-on-shutdown", action="store_true",
                   help="pause the schedules when serve stops (default: keep them active)")

    k = sub.add_parser("kontak", help="the address book of Pemda contacts (kontak.csv)")
    ksub = k.add_subparsers(dest="kontak_command", required=True, parser_class=_Parser)
    kc = ksub.add_parser("check", help="validate an address book: unknown codes, bad addresses, Pemda without contact")
    kc.add_argument("file", type=Path, help="the contacts CSV: kode_pemda,nama,to,cc")
    kc.add_argument("--export", type=Path,
                    help="list as 'no contact' only the Pemda of this export (default: all 546 assessed Pemda)")

    o = sub.add_parser("outbox", help="the emails written by a run without --send")
    osub = o.add_subparsers(dest="outbox_command", required=True, parser_class=_Parser)
    os_ = osub.add_parser("send", help="send the .eml files of DIR/outbox (or DIR) over SMTP")
    os_.add_argument("dir", type=Path, help="the run's output folder or its outbox folder")
    os_.add_argument("--resend", action="store_true", help="send again what was sent before")

    h = sub.add_parser("history", help="recent audit runs and what changed since the run before each")
    h.add_argument("--region", help="only the runs that audited this Pemda, with its scores and changes")
    h.add_argument("--limit", type=int, default=HISTORY_LIST_LIMIT, help=f"how many runs (default {HISTORY_LIST_LIMIT})")
    h.add_argument("--json", action="store_true", help="JSON for scripts instead of a table")

    d = sub.add_parser("db", help="the database of the audit history and the send ledger")
    dsub = d.add_subparsers(dest="db_command", required=True, parser_class=_Parser)
    dsub.add_parser("upgrade", help="apply the migrations up to the newest schema (done at every start anyway)")
    return p


# ---------------------------------------------------------------------------------------------
# Progress on stderr
# ---------------------------------------------------------------------------------------------

_STAGES = {"laporan": "laporan / reports", "kirim": "kirim / delivery"}


class Progress:
    """Progress on stderr: rich's bars on a terminal; on a pipe or file (cron, CI, logs), one
    plain line per tenth of the way, which a log keeps readably."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._bars = None
        self._tasks: dict[str, int] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        label = _STAGES.get(stage, stage)
        if self.tty:
            if self._bars is None:
                from rich.console import Console
                from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bars, TextColumn

                # drawn on each update, not by rich's refresher thread: a run forks children
                # (`core.parallel.in_background`) only while no thread but its own is alive
                self._bars = Bars(TextColumn("  {task.description:<18}"), BarColumn(), MofNCompleteColumn(),
                                  console=Console(file=self.stream), transient=False, auto_refresh=False)
                self._bars.start()
            if stage not in self._tasks:
                self._tasks[stage] = self._bars.add_task(label, total=total)
            self._bars.update(self._tasks[stage], completed=done, total=total, refresh=True)
            return
        step = max(1, total // 10)
        if done == total or done % step == 0:
            self.stream.write(f"  {label}: {done}/{total}\n")
            self.stream.flush()

    def note(self, text: str) -> None:
        if self._bars is not None:
            self._bars.console.print(text, markup=False, highlight=False)
        else:
            self.stream.write(text + "\n")
            self.stream.flush()

    def close(self) -> None:
        if self._bars is not None:
            self._bars.stop()
            self._bars = None


# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------


def _prefect(settings) -> None:
    """Configure Prefect before importing it; then quiet its console (unless debugging)."""
    from flows.embedded import configure_environment, quiet_console

    configure_environment(debug=settings.debug)
    import prefect  # noqa: F401  (sets up Prefect's logging)

    if not settings.debug:
        quiet_console()


def _audit(args, settings) -> Outcome:
    from core.fingerprint import fingerprint_ahead

    fingerprint_ahead(args.export)  # hashed on the other core while the analysis is imported
    from job import progress
    from job.pipeline import JobRequest, find_export, run_job

    export = find_export(args.export)  # fail fast, before anything starts
    if args.recipients is not None and not args.recipients.is_file():
        raise UsageError(f"Berkas penerima tidak ditemukan: {args.recipients}",
                         f"Recipients file not found: {args.recipients}")
    if args.only and args.region and args.only != args.region:
        raise UsageError("--only harus sama dengan --region", "--only must equal --region")
    if args.send and settings.smtp.configured and settings.smtp.placeholder_sender \
            and not settings.smtp.allow_test_sender:
        raise UsageError("IID_AUDIT_SMTP_FROM belum diisi (pengirim iid-audit@localhost tidak dapat dibalas)",
                         "IID_AUDIT_SMTP_FROM is not set (a sender at localhost cannot be answered); "
                         "IID_AUDIT_SMTP_ALLOW_TEST_SENDER=true for a test")
    if args.send and not settings.smtp.configured:
        print("iid-audit: SMTP belum dikonfigurasi (IID_AUDIT_SMTP_HOST): email ditulis ke outbox / "
              "SMTP is not configured: emails go to the outbox", file=sys.stderr)
    request = JobRequest(source=str(export), out=args.out, region=args.region, year=args.year, as_of=args.as_of,
                         lang=args.lang, send=args.send, resend=args.resend, only=args.only,
                         recipients=args.recipients, require_recipients=args.require_recipients,
                         data_docs=args.data_docs)
    tracked = args.prefect or bool(settings.prefect_api_url)
    bar = Progress()
    where = ("Prefect API" if settings.prefect_api_url else "server Prefect sementara / temporary Prefect server") \
        if tracked else "dalam proses ini / in-process"
    bar.note(f"iid-audit: mengaudit / auditing {export} ({where})")
    progress.set_reporter(bar)
    try:
        if tracked:
            summary = _audit_flow_run(request, settings)
        else:
            evidence_map = None
            if settings.dask_address:  # the evidence stage on a Dask cluster (flows.evidence)
                from flows.evidence import evidence_map_for

                evidence_map = evidence_map_for(settings.dask_address)
            done = run_job(request, settings, evidence_map=evidence_map)
            if _EXIT_WITHOUT_TEARDOWN:
                _KEEP.append(done)  # the run's data is let go by the exit (`run`)
            summary = done.as_dict()
    finally:
        progress.set_reporter(None)
        bar.close()
    _print_summary(summary)
    return Outcome.from_word(summary["outcome"])


def _audit_flow_run(request, settings) -> dict:
    """The same job as a tracked flow run on the Prefect server (`PREFECT_API_URL`), or on a
    temporary one this process starts, records and stops (`--prefect` without a server)."""
    _prefect(settings)
    if not settings.prefect_api_url:
        from prefect.settings import PREFECT_API_URL, temporary_settings

        from flows.embedded import TemporaryServer

        with TemporaryServer(settings.state_dir) as api_url, temporary_settings({PREFECT_API_URL: api_url}):
            return _flow_run(request)
    return _flow_run(request)


def _flow_run(request) -> dict:
    from flows.audit import audit_region, nightly_audit

    common = dict(source=request.source, out=str(request.out), run_folder=False, year=request.year,
                  as_of=request.as_of, lang=request.lang, send=request.send, resend=request.resend,
                  recipients=str(request.recipients) if request.recipients else None,
                  require_recipients=request.require_recipients, data_docs=request.data_docs)
    if request.region:
        return audit_region(kode_pemda=request.region, **common)
    return nightly_audit(only=request.only, **common)


def _print_summary(s: dict) -> None:
    f = s.get("findings", {})
    total = sum(f.values())
    print(f"Audit selesai / audit done: {s['pemda']} Pemda, {total} temuan / findings "
          f"({f.get('error', 0)} error, {f.get('warning', 0)} warning, {f.get('info', 0)} info)")
    print(f"Hasil audit / audit outputs: {s['out_dir']}")
    print("  findings.csv, ringkasan.csv, cakupan.csv, run.json")
    if s.get("index"):
        print(f"  index.html: {s['index']}")
    print(f"  laporan/: {s['reports']} laporan / reports")
    d = s.get("delivery") or {}
    if d.get("sent"):
        print(f"  email terkirim / emails sent: {d['sent']}")
    if d.get("skipped_unchanged"):
        print(f"  tidak berubah, tidak dikirim ulang / unchanged, not resent: {d['skipped_unchanged']}")
    if d.get("outbox") and s.get("outbox"):
        print(f"  outbox/: {d['outbox']} email (belum dikirim / not sent): iid-audit outbox send {s['out_dir']}")
    unaddressed = s.get("tanpa_alamat") or []
    if unaddressed:
        print(f"  belum ada alamat email / no email address yet: {len(unaddressed)} Pemda "
              f"({', '.join(unaddressed[:MAX_FAILURES_SHOWN])}{', …' if len(unaddressed) > MAX_FAILURES_SHOWN else ''})")
    if s.get("data_docs"):
        print(f"  GX Data Docs: {s['data_docs']}")
    if s.get("not_checked"):
        print(f"  {s['not_checked']} aturan tidak diperiksa / rule checks not run (lihat / see index.html)")
    fails = s.get("failures") or []
    if fails:
        print(f"Gagal / failed: {len(fails)}")
        for x in fails[:MAX_FAILURES_SHOWN]:
            print(f"  {x.get('kode_pemda') or '-'} [{x.get('tahap')}] {x.get('pesan')}")
        if len(fails) > MAX_FAILURES_SHOWN:
            print(f"  … {len(fails) - MAX_FAILURES_SHOWN} lagi / more: run.json")


def _serve(args, settings) -> Outcome:
    _prefect(settings)
    from flows.deployments import build_deployments, serve_deployments

    if not settings.prefect_api_url:
        print("iid-audit: PREFECT_API_URL tidak diisi: server Prefect sementara (tanpa UI, hilang saat berhenti). "
              "Jalankan `prefect server start` dan set PREFECT_API_URL=http://127.0.0.1:4200/api / "
              "PREFECT_API_URL unset: temporary Prefect server (no UI, gone when stopped).", file=sys.stderr)
    deployments = build_deployments(args.export, args.out, lang=args.lang, send=args.send)
    serve_deployments(deployments, pause_on_shutdown=args.pause_on_shutdown)
    return Outcome.CLEAN


def _kontak_check(args, settings) -> Outcome:
    """One line per problem on stdout, a count on stderr; exit 0 when the book is clean, 1
    when it has problems (it still works for the Pemda it covers)."""
    from delivery.recipients import check_address_book

    if not args.file.is_file():
        raise UsageError(f"Berkas kontak tidak ditemukan: {args.file}", f"Contacts file not found: {args.file}")
    expected = None
    if args.export is not None:
        from ingest import read_export
        from job.pipeline import find_export

        export = read_export(find_export(args.export))
        expected = {str(k) for df in export.tables.values() if "kode_pemda" in df.columns
                    for k in df["kode_pemda"].dropna().unique()}
    problems = check_address_book(args.file, expected)
    for p in problems:
        print(f"{p.kode_pemda or '-'}\t{p.masalah}\t{p.pesan}")
    print(f"iid-audit: {args.file.name}: {len(problems)} masalah / problem(s)", file=sys.stderr)
    return Outcome.PARTIAL if problems else Outcome.CLEAN


def _outbox_send(args, settings) -> Outcome:
    from delivery import send_outbox
    from store.db import open_db

    folder = args.dir / "outbox" if (args.dir / "outbox").is_dir() else args.dir
    if not folder.is_dir():
        raise UsageError(f"Folder outbox tidak ditemukan: {folder}", f"Outbox folder not found: {folder}")
    engine = open_db(settings.database_url)
    summary = send_outbox(folder, settings=settings, engine=engine, resend=args.resend)
    c = summary.counts()
    print(f"Outbox {folder.resolve()}: terkirim / sent {c['sent']}, tidak berubah / unchanged "
          f"{c['skipped_unchanged']}, gagal / failed {c['failed']}, tanpa penerima / no recipient "
          f"{c['no_recipient']}, tidak pasti / uncertain {c['uncertain']}, diganti laporan lebih baru / "
          f"superseded {c['superseded']}")
    return summary.outcome


def _history(args, settings) -> Outcome:
    """Recent runs, newest first: a table on a terminal, `--json` for scripts."""
    import json

    from store.db import open_db
    from store.history import list_runs

    if args.limit < 1:
        raise UsageError("--limit harus 1 atau lebih", "--limit must be 1 or more")
    engine = open_db(settings.database_url)
    try:
        runs = list_runs(engine, region=args.region, limit=args.limit)
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(runs, ensure_ascii=False, indent=2))
        return Outcome.CLEAN
    if not runs:
        where = f" {args.region}" if args.region else ""
        print(f"Belum ada audit tercatat{where} / no audit recorded{where} ({_db_where(settings)})")
        return Outcome.CLEAN
    print(_history_table(runs, region=args.region))
    return Outcome.CLEAN


def _history_table(runs: list[dict], region: str | None) -> str:
    """One line per run; changes are `—` for a run with nothing before it, and finding changes
    `—` (unknown) where retention dropped the findings they would be counted from."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from job.pipeline import TIMEZONE

    def n(x) -> str:
        return "—" if x is None else str(x)

    def d(x) -> str:
        return "—" if x is None else f"{x:+.2f}"

    head = ["run", "mulai (WIB) / started", "tgl audit / as-of", "cakupan / scope", "Pemda", "error", "warning",
            "selesai / fixed", "baru / new", "tetap / open"]
    if region:
        head += ["skor terverifikasi / verified", "Δ skor", "bermasalah % / problem %", "Δ %"]
    rows = []
    for r in runs:
        mulai = datetime.fromisoformat(r["mulai"]).astimezone(ZoneInfo(TIMEZONE)).strftime("%Y-%m-%d %H:%M:%S")
        row = [r["run_id"], mulai, r["tanggal_audit"], r["cakupan"] or "—", str(r["pemda"]), n(r["error"]),
               n(r["warning"]), n(r["temuan_selesai"]), n(r["temuan_baru"]), n(r["temuan_tetap"])]
        if region:
            row += [n(r.get("skor_terverifikasi")), d(r.get("selisih_skor_terverifikasi")),
                    n(r.get("persen_indikator_bermasalah")), d(r.get("selisih_persen_bermasalah"))]
        rows.append(row)
    widths = [max(len(h), *(len(x[i]) for x in rows)) for i, h in enumerate(head)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    return "\n".join([line(head), *(line(r) for r in rows)])


def _db_where(settings) -> str:
    from sqlalchemy.engine import make_url

    return make_url(settings.database_url).render_as_string(hide_password=True)


def _db_upgrade(args, settings) -> Outcome:
    from store.db import head_revision, make_engine, schema_revision, upgrade

    engine = make_engine(settings.database_url)
    try:
        before = schema_revision(engine)
        after = upgrade(engine)
    except Exception as exc:  # noqa: BLE001 - unreachable server, bad URL: one line
        import sqlalchemy as sa

        if not isinstance(exc, sa.exc.SQLAlchemyError):
            raise
        raise UsageError(f"Basis data {_db_where(settings)} tidak dapat dimutakhirkan ({type(exc).__name__})",
                         f"Database {_db_where(settings)} cannot be upgraded ({type(exc).__name__})") from None
    finally:
        engine.dispose()
    state = "sudah terbaru / already current" if before == after else f"{before or 'kosong / empty'} → {after}"
    print(f"iid-audit db: {_db_where(settings)}: revisi / revision {after} (terbaru / newest {head_revision()}): {state}")
    return Outcome.CLEAN


def threading_is_main() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _terminate_as_exception(signum, frame) -> None:
    """SIGTERM ends the run like Ctrl-C: `finally` blocks run, so a temporary Prefect server
    and its children are stopped and locks released (the default would kill us outright)."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    import signal

    if threading_is_main():
        signal.signal(signal.SIGTERM, _terminate_as_exception)
    debug = False
    try:
        from core.settings import load_settings

        try:
            settings = load_settings()
        except ValueError as exc:
            raise UsageError(f"Konfigurasi tidak sah: {exc}", f"Invalid configuration: {exc}")
        debug = settings.debug
        logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING,
                            format="%(levelname)s %(name)s: %(message)s")
        if args.command in ("audit", "serve"):
            from flows.embedded import end_orphan

            if end_orphan(settings.state_dir):
                print("iid-audit: server Prefect sementara yang ditinggalkan run sebelumnya dihentikan / "
                      "ended the temporary Prefect server an earlier run left behind", file=sys.stderr)
        if args.command == "audit":
            outcome = _audit(args, settings)
        elif args.command == "serve":
            outcome = _serve(args, settings)
        elif args.command == "kontak":
            outcome = _kontak_check(args, settings)
        elif args.command == "outbox":
            outcome = _outbox_send(args, settings)
        elif args.command == "history":
            outcome = _history(args, settings)
        elif args.command == "db":
            outcome = _db_upgrade(args, settings)
        else:  # pragma: no cover - argparse guards this
            parser.error(f"unknown command {args.command}")
    except AuditError as exc:
        print(f"iid-audit: {exc}", file=sys.stderr)
        return exc.outcome.exit_code
    except KeyboardInterrupt:
        print("iid-audit: dihentikan / interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug of ours: one line for the user, the traceback with debug on
        if debug:
            import traceback

            traceback.print_exc()
        from store.db import schema_problem

        schema = schema_problem(exc)
        if schema:  # not a bug: a database of another schema (names the table/column, no value)
            print(f"iid-audit: {schema}", file=sys.stderr)
            return Outcome.USAGE.exit_code
        print(
            f"iid-audit: kesalahan internal / internal error ({type(exc).__name__}). "
            "Jalankan ulang dengan IID_AUDIT_DEBUG=1 untuk detail / rerun with IID_AUDIT_DEBUG=1 for details.",
            file=sys.stderr,
        )
        return Outcome.INTERNAL.exit_code
    return outcome.exit_code


#: Set by `run` (the console command): the run's data is let go by the process's exit, not
#: object by object: a national run holds 1.5 GB of frames, whose freeing took 0.8 s after
#: the summary was printed. `main()` called from Python (the tests) frees as usual.
_EXIT_WITHOUT_TEARDOWN = False
_KEEP: list = []


def run() -> None:
    """The `iid-audit` command: `main()`. After an in-process audit, exit with its code once
    the output is flushed and the logging handlers closed (what the interpreter's own exit
    would still do: every file, database and child process of the run is already closed,
    synced or waited for). Every other command (`serve`, a run tracked by Prefect, whose
    clients clean up at exit) exits as usual."""
    global _EXIT_WITHOUT_TEARDOWN
    _EXIT_WITHOUT_TEARDOWN = True
    code = main()
    if not _KEEP:
        sys.exit(code)
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
