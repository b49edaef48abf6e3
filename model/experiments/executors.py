"""Where runs execute: serially, in local processes (the default), or on Dask distributed.

All three call the same ``run_task`` on the same task records, so they give identical numbers.
Each result is handed to ``on_result`` as soon as it finishes, so nothing finished is lost.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from typing import Any

from model.experiments.tasks import run_task

EXECUTORS = ("serial", "processes", "dask")


def _lost(task: dict, err: BaseException) -> dict[str, Any]:
    """A run whose worker died: reported with its parameters."""
    return {
        "task": task["task"],
        "point": task["point"],
        "seed": task["seed"],
        "parameters": task["parameters"],
        "status": "failed",
        "error": f"worker lost: {type(err).__name__}: {err}",
        "traceback": "",
    }


# Linux's prctl option that sends the calling process a signal when its parent dies
# (<sys/prctl.h>: PR_SET_PDEATHSIG = 1).
_PR_SET_PDEATHSIG = 1


def end_with_parent() -> None:
    """Worker start-up: end this worker when the process that started it dies (killed, even by
    SIGKILL), so that no worker goes on alone. Where the system cannot do it, nothing is done.
    Ctrl-C (which a terminal sends to the worker too) is left to the parent, which ends its
    workers itself after keeping what finished."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The parent blocked Ctrl-C while starting this worker (``execute``): one pressed meanwhile
    # is pending here and now dropped.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: the pool's own shutdown is all there is
        return
    if os.getppid() == 1:  # the parent died before the request took effect
        os._exit(1)


def _end_workers(pool: ProcessPoolExecutor) -> None:
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=10)


def execute(
    tasks: list[dict],
    on_result: Callable[[dict], None],
    executor: str = "processes",
    workers: int | None = None,
    scheduler: str | None = None,
) -> None:
    workers = workers or os.cpu_count() or 1
    if executor == "serial":
        for task in tasks:
            on_result(run_task(task))
    elif executor == "processes":
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"), initializer=end_with_parent)
        try:
            # Workers start during the submissions; Ctrl-C is held back meanwhile, so that a
            # worker still starting up inherits it blocked (and drops it) rather than dying
            # with a traceback, and the parent gets it right after.
            held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
            try:
                futures = {pool.submit(run_task, task): task for task in tasks}
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, held)
            for future in as_completed(futures):
                try:
                    result = future.result()
                except Exception as err:  # the worker process died
                    result = _lost(futures[future], err)
                on_result(result)
        except BaseException:
            # Interrupted (or the parent's own work failed): the runs not started are dropped and
            # the running ones ended, rather than waited for as the pool's shutdown would.
            _end_workers(pool)
            raise
        pool.shutdown()
    elif executor == "dask":
        _execute_dask(tasks, on_result, workers, scheduler)
    else:
        raise ValueError(f"unknown executor {executor!r}; allowed: {', '.join(EXECUTORS)}")


def _execute_dask(
    tasks: Iterable[dict], on_result: Callable[[dict], None], workers: int, scheduler: str | None
) -> None:
    from distributed import Client, LocalCluster
    from distributed import as_completed as dask_completed

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        tasks = list(tasks)
        futures = client.map(run_task, tasks, pure=False)
        by_key = {f.key: t for f, t in zip(futures, tasks, strict=True)}
        for future in dask_completed(futures):
            try:
                result = future.result()
            except Exception as err:  # a worker was lost and the scheduler gave up on the run
                result = _lost(by_key[future.key], err)
            on_result(result)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
