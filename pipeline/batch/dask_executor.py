"""The Dask executor: the same stage function on a Dask distributed cluster.

`--executor dask --scheduler tcp://HOST:PORT` connects to a running cluster
(`dask scheduler` and `dask worker --preload pipeline.batch.preload` processes,
each worker with this package installed); without `--scheduler` a `LocalCluster` of `--workers` processes is
started for the run. Tasks carry the document's bytes, so workers need no
access to the inputs; they write the result files into the output folder
(which must be the same path on every worker: a shared file system) and load
the results into the registry themselves (use PostgreSQL: a SQLite file only
works when every worker runs on this machine).

At most one task per worker thread is in flight, so a task's clock starts
about when it runs. A task past `--timeout` (with some grace) is recorded as a
Timeout and the worker process running it is ended (its task thread cannot be
stopped otherwise); the worker's nanny starts a fresh one. A worker
that dies on a document is replaced by its nanny; the scheduler retries the
document elsewhere and, when it kills workers again, gives up on it
(KilledWorker): recorded as WorkerDied, the run goes on.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator

from pipeline.batch import stage as stage_mod
from pipeline.batch.local import OnFailure, OnOutcome, Stage
from pipeline.batch.stage import StageConfig, timeout_error
from pipeline.batch.tasks import Task
from pipeline.errors import PipelineError


# Imported by each worker before it joins the scheduler: the pipelines are loaded before its first task
# (a replacement worker too), so no document's clock pays for them. `dask worker --preload` it.
PRELOAD = "pipeline.batch.preload"


RESULT_SECONDS = 120.0  # fetching a finished task's outcome (small) from its worker


class DaskUnavailable(PipelineError):
    stage = "run"


def _import():  # noqa: ANN202
    try:
        import dask  # noqa: F401
        from distributed import Client, KilledWorker, LocalCluster, wait
    except ImportError as exc:
        raise DaskUnavailable("--executor dask", f"needs Dask: pip install 'agreements[dask]' ({exc})") from exc
    return Client, KilledWorker, LocalCluster, wait


def run_dask(tasks: Iterator[Task], stage: Stage, config: StageConfig, on_outcome: OnOutcome,
             on_failure: OnFailure, tick: Callable[[], None], *, scheduler: str | None = None,
             workers: int = 2, tick_every: float = 0.5, log: Callable[[str], None] | None = None) -> None:
    import dask

    Client, KilledWorker, LocalCluster, wait = _import()
    cluster = None
    if scheduler:
        client = Client(scheduler, timeout=30)
    else:
        with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
            cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                                   dashboard_address=None, preload=[PRELOAD])
        client = Client(cluster)
    try:
        if log:
            log(f"dask: {len(client.nthreads())} workers, {sum(client.nthreads().values())} threads "
                f"at {client.scheduler.address}")
        client.run(stage_mod.warm_up)
        _loop(client, KilledWorker, wait, tasks, stage, config, on_outcome, on_failure, tick, tick_every)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _loop(client, KilledWorker, wait, tasks, stage, config, on_outcome, on_failure, tick, tick_every) -> None:  # noqa: ANN001, N803, PLR0913
    t = config.limits.timeout
    hard = t + max(2.0, t / 2) if t else None  # no alarm inside Dask's task threads: this is the limit
    inflight: dict[str, tuple] = {}  # key -> (future, task, submitted)
    it = iter(tasks)
    exhausted = False
    capacity, usable = 1, None
    ending: set[str] = set()  # workers told to exit (a task past its time): nothing new goes there
    while True:
        if not exhausted:
            # Asked before every round of submits: a worker that died, is restarting or is being
            # ended must not be counted, or tasks wait behind it and their clocks run meanwhile.
            threads = client.nthreads()
            ending &= threads.keys()
            usable = [w for w in threads if w not in ending] or None
            capacity = max(1, sum(n for w, n in threads.items() if w not in ending))
        while not exhausted and len(inflight) < capacity:
            task = next(it, None)
            if task is None:
                exhausted = True
                break
            key = f"agreements-{task.seq}-{uuid.uuid4().hex[:8]}"
            future = client.submit(stage, task, config, key=key, pure=False, retries=0,
                                   workers=usable, allow_other_workers=usable is not None)
            inflight[key] = (future, task, time.monotonic())
        if not inflight:
            if exhausted:
                return
            continue
        try:
            done = wait([f for f, _t, _s in inflight.values()], timeout=tick_every, return_when="FIRST_COMPLETED").done
        except TimeoutError:
            done = set()
        for future in done:
            _future, task, _submitted = inflight.pop(future.key)
            _finish(future, task, KilledWorker, on_outcome, on_failure)
        if hard:
            now = time.monotonic()
            late = [k for k, (_f, _t, s) in inflight.items() if now - s > hard]
            if late:
                ending |= _time_out(client, late, inflight, config, on_failure)
        tick()


def _finish(future, task: Task, KilledWorker, on_outcome: OnOutcome, on_failure: OnFailure) -> None:  # noqa: ANN001, N803
    status = future.status
    if status == "finished":
        try:  # the outcome lives on the worker: one that died since is recomputed elsewhere, or never
            outcome = future.result(timeout=RESULT_SECONDS)
        except Exception:  # noqa: BLE001
            on_failure(task, "worker", "WorkerDied", f"{task.where}: the Dask worker holding this result was lost")
        else:
            on_outcome(task, outcome)
    elif status == "error":
        exc = future.exception()
        if isinstance(exc, KilledWorker):
            on_failure(task, "worker", "WorkerDied", f"{task.where}: Dask workers died while processing this document")
        else:
            on_failure(task, "pipeline", type(exc).__name__, f"{task.where}: {exc}")
    else:
        on_failure(task, "worker", "WorkerDied", f"{task.where}: the Dask task was {status}")
    future.release()


def _time_out(client, keys: list[str], inflight: dict, config: StageConfig, on_failure: OnFailure) -> set[str]:  # noqa: ANN001
    """Record `keys` as timed out and end the workers running them; returns those workers' addresses."""
    try:
        processing = client.processing()
    except Exception:  # noqa: BLE001
        processing = {}
    stuck = sorted({addr for addr, running in processing.items() if set(running) & set(keys)})
    for key in keys:
        future, task, _s = inflight.pop(key)
        future.cancel()
        on_failure(task, *timeout_error(task, config.limits.timeout))
    if stuck:
        try:  # the worker process exits; its nanny starts a fresh one (not waited for here)
            client.run(_exit_worker, workers=stuck, wait=False)
        except Exception:  # noqa: BLE001, S110 - a worker that cannot be ended stays busy; the run goes on
            pass
    return set(stuck)


async def _exit_worker() -> None:
    """Run on the event loop of a worker whose task is past its time: end the process (its task
    thread cannot be stopped). A coroutine, so that `client.run(..., wait=False)` may send it."""
    import os

    os._exit(70)
