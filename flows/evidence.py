"""The evidence stage on Prefect: batches of files (`checks.evidence.read_batch`, never one task
per file) mapped as Prefect tasks, on Prefect's default task runner (threads, one machine) or on
a Dask cluster through prefect-dask's `DaskTaskRunner`.

`evidence_map(address)` returns what `RuleContext.evidence_map` expects; the pipeline gets it
from `Settings.dask_address` (`IID_AUDIT_DASK_ADDRESS`): empty runs the batches on the default
runner, an address (`tcp://scheduler:8786`) on that cluster, whose workers need this package
installed and read access to `bukti/` at the same path.
"""

from __future__ import annotations

from typing import Any, Callable

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from checks.evidence import read_batch


@task(name="bukti-batch", persist_result=False, cache_policy=NO_CACHE)
def read_batch_task(items: list) -> list:
    return read_batch(items)


def evidence_batches(batches: list, runner) -> list:
    """The `bukti` flow: each batch one task on `runner`; results in the batches' order. The
    batches reach the tasks by closure, not as flow parameters: Prefect refuses flow
    parameters over 512 KB, and 750,000 file names are far more."""

    @flow(name="bukti", persist_result=False, log_prints=False, task_runner=runner)
    def bukti() -> list:
        futures = read_batch_task.map(batches)
        return [f.result() for f in futures]

    return bukti()


def task_runner(address: str | None, **local_cluster: Any):
    """Prefect's default runner when `address` is empty and no local cluster is asked for;
    otherwise prefect-dask's DaskTaskRunner on `address`, or on a LocalCluster of
    `local_cluster` keyword arguments (tests and the benchmark: n_workers=2)."""
    if not address and not local_cluster:
        from prefect.task_runners import ThreadPoolTaskRunner

        return ThreadPoolTaskRunner()
    from prefect_dask import DaskTaskRunner

    return DaskTaskRunner(address=address) if address else DaskTaskRunner(cluster_kwargs=local_cluster)


def evidence_map(address: str | None = None, **local_cluster: Any) -> Callable[[Callable, list], list]:
    """A `RuleContext.evidence_map` running the batches as the `bukti` flow (see `task_runner`)."""

    def run(fn: Callable, batches: list) -> list:
        if fn is not read_batch:
            raise ValueError("the bukti flow maps checks.evidence.read_batch only")
        if not batches:
            return []
        return evidence_batches(batches, task_runner(address, **local_cluster))

    return run


def evidence_map_for(address: str) -> Callable[[Callable, list], list] | None:
    """What the job uses for `Settings.dask_address`: None (in this process) when empty."""
    return evidence_map(address) if address else None
