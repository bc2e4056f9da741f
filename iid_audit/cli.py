"""`iid-audit`: the command line. Every expected failure is one clear line (Indonesian /
English) and a non-zero exit code from `Outcome`; never a traceback."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import date
from pathlib import Path

from iid_audit.outcomes import AuditError, Outcome, UsageError

log = logging.getLogger("iid_audit")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"tanggal harus YYYY-MM-DD / date must be YYYY-MM-DD: {text!r}")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="iid-audit", description="Audit data Indeks Inovasi Daerah (IID).")
    sub = p.add_subparsers(dest="command", required=True)

    a = sub.add_parser("audit", help="audit an export and write findings, summary and reports")
    a.add_argument("export", type=Path, help="XLSX workbook, CSV, or folder of CSV tables")
    a.add_argument("--out", type=Path, required=True, help="output folder")
    a.add_argument("--region", help="Kemendagri code of one Pemda, e.g. 35.04")
    a.add_argument("--year", type=int, help="assessment year (catalog); default Tahun Penilaian or 2026")
    a.add_argument("--as-of", type=_date, help="audit date (default: today)")
    a.add_argument("--lang", choices=["id", "en"], help="report language (default id)")
    return p


def _audit(args, settings) -> Outcome:
    from iid_audit.pipeline import run_audit

    if args.lang:
        settings = settings.with_(lang=args.lang)
    result = run_audit(
        args.export, args.out, settings=settings, region=args.region, year=args.year, as_of=args.as_of
    )
    print(f"Hasil audit / audit outputs: {result.out_dir.resolve()}")
    print(f"  findings.csv: {len(result.findings)} temuan / findings")
    print(f"  ringkasan.csv: {len(result.ringkasan)} Pemda")
    return result.outcome


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        from iid_audit.settings import load_settings

        try:
            settings = load_settings()
        except ValueError as exc:
            raise UsageError(f"Konfigurasi tidak sah: {exc}", f"Invalid configuration: {exc}")
        if args.command == "audit":
            outcome = _audit(args, settings)
        else:  # pragma: no cover - argparse guards this
            parser.error(f"unknown command {args.command}")
    except AuditError as exc:
        print(f"iid-audit: {exc}", file=sys.stderr)
        return exc.outcome.exit_code
    except KeyboardInterrupt:
        print("iid-audit: dihentikan / interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug of ours: one line for the user, the details in the log
        log.debug("internal error", exc_info=True)
        print(
            f"iid-audit: kesalahan internal / internal error ({type(exc).__name__}). "
            "Jalankan ulang dengan IID_AUDIT_DEBUG=1 untuk detail / rerun with IID_AUDIT_DEBUG=1 for details.",
            file=sys.stderr,
        )
        return Outcome.INTERNAL.exit_code
    return outcome.exit_code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
