"""The two deployments and `iid-audit serve`.

Why `serve()` and not `prefect.yaml` + `prefect deploy`: served deployments need no work pool,
no worker and no code storage; one long-running process on the audit machine (a systemd
service) registers both deployments and runs their flows. The definitions are Python objects
(`build_deployments`), so tests inspect schedule and parameters without a server, and the
same code path serves against the temporary local server, a self-hosted `prefect server
start` or Prefect Cloud (`PREFECT_API_URL`, plus `PREFECT_API_KEY` for Cloud).

- `nightly-audit/nightly-audit`: cron `0 2 * * *` in `Asia/Jakarta` (a bare cron string
  would run in UTC, i.e. 09:00 WIB), concurrency limit 1 with `CANCEL_NEW`: a second nightly
  (a manual run while one is going, or the late runs picked up after the server was down)
  is cancelled, not queued.
- `audit-region/audit-region`: no schedule; run on demand with the code quoted as text:
  `prefect deployment run 'audit-region/audit-region' --params '{"kode_pemda": "35.04"}'`.

Schedules stay active when `serve` stops (`pause_on_shutdown=False`): a stopped service then
shows as Late runs in the UI instead of a silently paused schedule; on restart the first
late nightly runs and the concurrency limit cancels the rest.
"""

from __future__ import annotations

import os
from typing import Optional

from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
from prefect.deployments.runner import EntrypointType, RunnerDeployment
from prefect.schedules import Cron, Schedule

from flows.audit import NIGHTLY_FLOW, REGION_FLOW, audit_region, nightly_audit
from job.pipeline import TIMEZONE

NIGHTLY_CRON = "0 2 * * *"
NIGHTLY_DEPLOYMENT = NIGHTLY_FLOW  # full name: nightly-audit/nightly-audit
REGION_DEPLOYMENT = REGION_FLOW  # full name: audit-region/audit-region
TAGS = ["iid-audit"]


def nightly_schedule() -> Schedule:
    return Cron(NIGHTLY_CRON, timezone=TIMEZONE)


def _absolute(source: str) -> str:
    """Served runs may start in another working folder: store absolute paths (globs too)."""
    return os.path.abspath(os.path.expanduser(str(source)))


def build_deployments(source: str, out: str = "keluaran", *, lang: Optional[str] = None,
                      send: bool = False) -> list[RunnerDeployment]:
    """Both deployments, with `source` (path or glob of the exports) and the output root
    (each run writes `<out>/<run-id>/`) as default parameters."""
    params: dict = {"source": _absolute(source), "out": _absolute(out), "run_folder": True, "send": bool(send)}
    if lang:
        params["lang"] = lang
    nightly = nightly_audit.to_deployment(
        name=NIGHTLY_DEPLOYMENT,
        schedule=nightly_schedule(),
        parameters=params,
        concurrency_limit=ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW),
        description="Audit IID semua Pemda dari ekspor terbaru, setiap malam 02:00 WIB.",
        tags=TAGS,
        entrypoint_type=EntrypointType.MODULE_PATH,
    )
    region = audit_region.to_deployment(
        name=REGION_DEPLOYMENT,
        parameters=params,
        description='Audit satu Pemda sesuai permintaan: --params \'{"kode_pemda": "35.04"}\' (kode sebagai teks).',
        tags=TAGS,
        entrypoint_type=EntrypointType.MODULE_PATH,
    )
    return [nightly, region]


def serve_deployments(deployments: list[RunnerDeployment], *, pause_on_shutdown: bool = False,
                      limit: Optional[int] = None) -> None:
    """Register the deployments and run their flows in this process until stopped (Ctrl-C)."""
    from prefect import serve

    serve(*deployments, pause_on_shutdown=pause_on_shutdown, limit=limit)
