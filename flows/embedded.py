"""Prefect with nothing configured: the CLI's embedded default.

`configure_environment()` runs in the CLI entry point *before* Prefect is imported (Prefect
reads its settings at import). It only fills what the user did not set:

- `PREFECT_SERVER_ANALYTICS_ENABLED=false`: no telemetry (`DO_NOT_TRACK` does not turn it off).
- `PREFECT_LOGGING_LEVEL=WARNING`: Prefect's own console chatter hidden; our progress and
  summary are printed by the CLI, not logged.
- `PREFECT_LOGGING_SETTINGS_PATH`: Prefect's own default logging config plus one filter (see
  `DropShutdownCancel`).

With `PREFECT_API_URL` unset, Prefect starts a temporary local server for the run and stops it
at exit; with it set, the run is recorded on that server (self-hosted or Prefect Cloud).

This module must not import Prefect at module level: the temporary server process imports
`DropShutdownCancel` from here while Prefect is still configuring its logging.
"""

from __future__ import annotations

import asyncio
import atexit
import importlib.util
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import MutableMapping

from core.outcomes import AuditError
from core.settings import PREFECT_SERVER_STARTUP_SECONDS

#: Loggers of the temporary server that report work cancelled by its shutdown: the task-run
#: recorder's last flush, and the database connection that flush was using.
SHUTDOWN_LOGGERS = ("prefect.server.services.task_run_recorder", "sqlalchemy.pool.impl.AsyncAdaptedQueuePool")


class DropShutdownCancel(logging.Filter):
    """Drop the task-run recorder's "Error flushing N events" record (and the connection
    pool's "Exception during reset") when its exception is `asyncio.CancelledError`.

    Why: when the CLI exits, Prefect stops its temporary server while the server's task-run
    recorder is still writing the last task-run events it received; the shutdown cancels
    that write and the recorder logs it at ERROR with two chained CancelledError tracebacks.
    That is the server being told to stop, not a failure of the audit (whose outputs are
    written and whose exit code is already decided). Any other error of that logger, and
    every record of other loggers, still shows.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, asyncio.CancelledError)


class QuietRunConsole(logging.Filter):
    """For the console only (the Prefect API still receives everything): drop tracebacks and
    "Finished in state Failed" lines of flow and task runs. The CLI prints one line per
    error and a summary of per-Pemda failures; the details stay in the Prefect UI and
    `run.json`. Not installed with IID_AUDIT_DEBUG=1."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith(("prefect.flow_runs", "prefect.task_runs")):
            return True
        if record.exc_info:
            return False
        msg = str(record.msg)
        return not msg.startswith(("Finished in state", "Encountered exception"))


def _prefect_logging_yml() -> Path | None:
    spec = importlib.util.find_spec("prefect")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "logging" / "logging.yml"
    return path if path.is_file() else None


def write_logging_config(folder: Path) -> Path | None:
    """Prefect's installed default logging config (kept in step with the installed version)
    with `DropShutdownCancel` on `SHUTDOWN_LOGGERS`."""
    import yaml

    src = _prefect_logging_yml()
    if src is None:
        return None
    config = yaml.safe_load(src.read_text())
    config.setdefault("filters", {})["iid_audit_drop_shutdown_cancel"] = {
        "()": f"{__name__}.DropShutdownCancel"
    }
    for name in SHUTDOWN_LOGGERS:  # a logger's filters see only its own records: name each
        config.setdefault("loggers", {})[name] = {"filters": ["iid_audit_drop_shutdown_cancel"]}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "prefect-logging.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def configure_environment(environ: MutableMapping[str, str] | None = None, *, debug: bool = False) -> None:
    """Fill Prefect's settings the user left unset (call before importing Prefect)."""
    env = os.environ if environ is None else environ
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    env.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if debug else "WARNING")
    if "PREFECT_LOGGING_SETTINGS_PATH" not in env:
        folder = Path(tempfile.mkdtemp(prefix="iid-audit-prefect-"))
        atexit.register(shutil.rmtree, folder, True)  # after Prefect's own atexit (LIFO)
        path = write_logging_config(folder)
        if path is not None:
            env["PREFECT_LOGGING_SETTINGS_PATH"] = str(path)


def quiet_console() -> None:
    """Install `QuietRunConsole` on the root logger's handlers (after Prefect set them up)."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, QuietRunConsole) for f in handler.filters):
            handler.addFilter(QuietRunConsole())


# ---------------------------------------------------------------------------------------------
# The temporary server of `iid-audit audit --prefect`: ours to start, record and stop
# ---------------------------------------------------------------------------------------------

#: The temporary server's PID while it runs, in the state folder: a run killed with SIGKILL
#: cannot stop its server, so the next run ends it (after checking the PID is such a server).
SERVER_PID_FILE = "prefect-server.pid"


def _is_our_server(pid: int) -> bool:
    """A live process whose command line is Prefect's temporary server (uvicorn serving
    `prefect.server.api.server:create_app`): never end a PID that was reused by another."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return b"uvicorn" in cmdline and b"prefect.server.api.server:create_app" in cmdline


def end_orphan(state_dir: Path) -> int | None:
    """End the temporary server a killed run left behind (its recorded PID, if still ours)."""
    pid_file = Path(state_dir) / SERVER_PID_FILE
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    ended = None
    if _is_our_server(pid):
        import signal

        try:
            os.kill(pid, signal.SIGTERM)
            ended = pid
        except OSError:
            pass
    pid_file.unlink(missing_ok=True)
    return ended


class TemporaryServer:
    """Prefect's temporary server for one tracked run, started and stopped here (not at Prefect's
    interpreter exit): its PID recorded in the state folder while it runs; stopped on normal
    exit, on an exception and on SIGTERM/SIGINT (the CLI turns those into exceptions)."""

    def __init__(self, state_dir: Path):
        self.state_dir = Path(state_dir)
        self.server = None

    def __enter__(self) -> str:
        from prefect.server.api.server import SubprocessASGIServer

        end_orphan(self.state_dir)
        self.server = SubprocessASGIServer()
        try:
            self.server.start(timeout=PREFECT_SERVER_STARTUP_SECONDS)
        except RuntimeError:  # it never answered: stopped, and said in a line, not a traceback
            self.server.stop()
            self.server = None
            raise AuditError(
                f"Server Prefect sementara tidak siap dalam {PREFECT_SERVER_STARTUP_SECONDS} detik. Jalankan tanpa "
                "--prefect, atau arahkan PREFECT_API_URL ke server Prefect yang berjalan",
                f"The temporary Prefect server was not ready within {PREFECT_SERVER_STARTUP_SECONDS} s. Run without "
                "--prefect, or point PREFECT_API_URL at a running Prefect server",
            ) from None
        self.state_dir.mkdir(parents=True, exist_ok=True)
        if self.server.server_process is not None:
            (self.state_dir / SERVER_PID_FILE).write_text(f"{self.server.server_process.pid}\n")
        return self.server.api_url

    def __exit__(self, *exc) -> None:
        if self.server is not None:
            self.server.stop()
        (self.state_dir / SERVER_PID_FILE).unlink(missing_ok=True)
