"""Local executors: in this process (one worker), or a pool of worker processes.

The pool is our own rather than `concurrent.futures.ProcessPoolExecutor`,
which can neither kill one worker that hangs nor tell which task a dead worker
held (it breaks the whole pool instead). Here each worker has its own pipe:
the parent sends it one task at a time and knows what each worker is doing, so

- a worker past its deadline (the per-document timeout, plus a little grace
  after the worker's own alarm) is killed, its task recorded as a Timeout, and
  a fresh worker takes its place;
- a worker that dies (segfault, os._exit, out of memory) has its task
  recorded as failed (WorkerDied) and is replaced; the run goes on;
- each worker's address space is capped (`--max-memory`, RLIMIT_AS): a
  document that needs more fails (a MemoryError: OutOfMemory, and the worker
  exits; a C library that aborts instead: WorkerDied) and cannot take the
  machine's memory;
- workers start from a forkserver (a clean process that imported the readers
  and loaded the language pipelines once, so a worker, or its replacement,
  is ready at once; spawned where there is no forkserver): no locks or threads
  inherited from the parent; they ignore Ctrl-C (the parent stops them), and
  die with the parent even when it is killed with SIGKILL (a watch thread sees
  the parent's end of a pipe close).

Messages from a worker: ("start", seq) when it begins a task, ("store", seq)
when the document is read and extracted and its results are being written and
loaded (that gets its own, longer deadline: a registry may wait on a lock),
("done", outcome).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from multiprocessing.connection import wait

from pipeline.batch import stage as stage_mod
from pipeline.batch.limits import cap_memory, describe_size, memory_note
from pipeline.batch.stage import Outcome, StageConfig, timeout_error
from pipeline.batch.tasks import Task
from pipeline.errors import PipelineError

Stage = Callable[[Task, StageConfig], Outcome]
OnOutcome = Callable[[Task, Outcome], None]
OnFailure = Callable[..., None]  # (task, stage, type, message, seconds=None)

STARTUP_FAILURES = 3  # workers in a row that die before their first task: the run stops
STARTUP_SECONDS = 300.0  # a worker that never starts its task (stuck importing) is replaced after this
STORE_SECONDS = 300.0  # writing a task's results and loading them into the registry


def grace(timeout: float) -> float:
    """Time past the in-worker alarm before the parent kills the worker."""
    return min(5.0, max(0.5, timeout / 2))


def run_in_process(tasks: Iterator[Task], stage: Stage, config: StageConfig, on_outcome: OnOutcome,
                   on_failure: OnFailure, tick: Callable[[], None]) -> None:
    """One worker: the stage runs here (easy to debug; the timeout is the alarm alone)."""
    for task in tasks:
        started = time.monotonic()
        try:
            outcome = stage(task, config)
        except Exception as exc:  # noqa: BLE001 - a bug in a stage fails its task, not the run
            on_failure(task, "pipeline", type(exc).__name__, f"{task.where}: {exc}", seconds=time.monotonic() - started)
        else:
            on_outcome(task, outcome)
        tick()


def _die_with_parent() -> None:
    """Linux: SIGKILL this process when the parent dies, whatever killed it."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent is already gone
            os._exit(1)
    except Exception:  # noqa: BLE001, S110 - best effort
        pass


def _watch_parent(alive) -> None:  # noqa: ANN001
    """Exit when the parent is gone: it holds the only write end of `alive` and never writes, so the
    read end turns readable (EOF) exactly when the parent dies, however it died. (A worker forked by
    the forkserver is not the parent's child: PR_SET_PDEATHSIG alone would not see the parent die.)"""

    def watch() -> None:
        try:
            alive.poll(None)
        except (OSError, EOFError, ValueError):
            pass
        os._exit(1)

    threading.Thread(target=watch, name="agreements-parent-watch", daemon=True).start()


def _worker_main(conn, alive, stage: Stage, config: StageConfig) -> None:  # noqa: ANN001
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    _watch_parent(alive)
    cap_memory(config.limits.max_memory)
    stage_mod.warm_up()
    stage_mod.store_hook = lambda seq: conn.send(("store", seq))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        conn.send(("start", task.seq))
        try:
            outcome = stage(task, config)
        except MemoryError:  # outside the stage's own handling (writing the results): a fresh worker goes on
            conn.send(("failed", _out_of_memory(task)))
            return
        except Exception as exc:  # noqa: BLE001 - reported as this task's failure
            conn.send(("failed", ("pipeline", type(exc).__name__, f"{task.where}: {exc}")))
            continue
        conn.send(("done", outcome))
        if outcome.recycle:
            return


def _out_of_memory(task: Task) -> tuple[str, str, str]:
    return ("limits", "OutOfMemory", f"{task.where}: {memory_note()}")


# How a worker ends when an allocation fails in C code under its memory cap (or the kernel's OOM killer).
_MEMORY_DEATHS = {-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS, -signal.SIGKILL}


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "unknown exit"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


class _Slot:
    def __init__(self, ctx, stage: Stage, config: StageConfig):  # noqa: ANN001
        self.conn, child = ctx.Pipe(duplex=True)
        alive_r, self.alive = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=_worker_main, args=(child, alive_r, stage, config), daemon=True,
                                name="agreements-worker")
        self.proc.start()
        child.close()
        alive_r.close()
        self.task: Task | None = None
        self.deadline: float | None = None
        self.started = 0.0  # when the worker began its task
        self.phase = "idle"  # starting (spawned, warming up), working (read + extract), storing
        self.retired = False

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()
        self.alive.close()
        self.retired = True

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.proc.join(2)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(2)
        self.conn.close()
        self.alive.close()
        self.retired = True


def _context(start_method: str | None):  # noqa: ANN202
    """forkserver where there is one (workers fork from a server that loaded the pipelines once), else spawn."""
    if start_method is None:
        start_method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
    ctx = mp.get_context(start_method)
    if start_method == "forkserver":
        ctx.set_forkserver_preload(["pipeline.batch.preload"])
    return ctx


class WorkersCannotStart(PipelineError):
    stage = "run"


class WorkerPool:
    def __init__(self, workers: int, stage: Stage, config: StageConfig, start_method: str | None = None):
        self.size = max(1, workers)
        self.stage = stage
        self.config = config
        self.ctx = _context(start_method)
        self.slots: list[_Slot] = []
        self.replaced = 0  # workers killed or dead and replaced
        self._again: list[Task] = []  # tasks whose worker died before starting them
        self._startup_failures = 0

    def _hard_timeout(self) -> float | None:
        t = self.config.limits.timeout
        return t + grace(t) if t else None

    def run(self, tasks: Iterator[Task], on_outcome: OnOutcome, on_failure: OnFailure,
            tick: Callable[[], None], tick_every: float = 0.5) -> None:
        self._it, self._exhausted, self._on_failure = iter(tasks), False, on_failure
        try:
            while True:
                self._fill()
                exhausted = self._exhausted
                busy = [s for s in self.slots if s.task is not None]
                if not busy and exhausted:
                    break
                now = time.monotonic()
                deadlines = [s.deadline for s in busy if s.deadline is not None]
                wait_for = min([tick_every, *[max(0.0, d - now) for d in deadlines]])
                ready = wait([s.conn for s in busy] + [s.proc.sentinel for s in busy], timeout=wait_for)
                for slot in busy:
                    if slot.conn in ready:
                        self._receive(slot, on_outcome, on_failure)
                for slot in busy:
                    if not slot.retired and slot.task is not None and slot.proc.sentinel in ready and not slot.conn.poll():
                        self._died(slot, on_failure)
                now = time.monotonic()
                for slot in busy:
                    if not slot.retired and slot.task is not None and slot.deadline is not None and now > slot.deadline:
                        self._overdue(slot, on_failure)
                self.slots = [s for s in self.slots if not s.retired]
                tick()
        finally:
            for slot in self.slots:
                if slot.task is not None:
                    slot.kill()
                else:
                    slot.stop()
            self.slots = []

    def _fill(self) -> None:
        """Give every idle worker (and new ones, up to the pool's size) a task."""
        self._exhausted = self._dispatch(self._it, self._exhausted, self._on_failure)

    def _dispatch(self, it: Iterator[Task], exhausted: bool, on_failure: OnFailure) -> bool:
        while not exhausted:
            idle = next((s for s in self.slots if s.task is None and not s.retired), None)
            if idle is None and len(self.slots) >= self.size:
                return False
            task = self._again.pop() if self._again else next(it, None)
            if task is None:
                return True
            if idle is None:
                idle = _Slot(self.ctx, self.stage, self.config)
                self.slots.append(idle)
            for _attempt in range(2):
                try:
                    idle.conn.send(task)
                    break
                except (OSError, ValueError):  # the idle worker died: another one takes the task
                    idle.kill()
                    self.slots.remove(idle)
                    idle = _Slot(self.ctx, self.stage, self.config)
                    self.slots.append(idle)
            else:
                on_failure(task, "worker", "WorkerDied", f"{task.where}: no worker process could take the document")
                continue
            idle.task, idle.phase = task, "starting"
            hard = self._hard_timeout()
            idle.deadline = time.monotonic() + STARTUP_SECONDS + (hard or 0)
        return exhausted

    def _receive(self, slot: _Slot, on_outcome: OnOutcome, on_failure: OnFailure) -> None:
        while slot.task is not None and not slot.retired:
            try:
                if not slot.conn.poll():
                    return
                kind, payload = slot.conn.recv()
            except (EOFError, OSError):
                self._died(slot, on_failure)
                return
            if kind == "start":
                self._startup_failures = 0
                hard = self._hard_timeout()
                slot.started = time.monotonic()
                slot.deadline = slot.started + hard if hard else None
                slot.phase = "working"
            elif kind == "store":
                slot.deadline = time.monotonic() + STORE_SECONDS
                slot.phase = "storing"
            elif kind in ("done", "failed"):
                task, slot.task, slot.deadline, slot.phase = slot.task, None, None, "idle"
                if kind == "done":
                    if payload.recycle:  # the worker exits by itself; a fresh one comes when needed
                        slot.proc.join(5)
                        slot.kill()
                    else:
                        self._fill()  # the worker goes on while the outcome is recorded here
                    on_outcome(task, payload)
                else:
                    if payload[1] == "OutOfMemory":  # the worker exits by itself (see _worker_main)
                        slot.proc.join(5)
                        slot.kill()
                    on_failure(task, *payload, seconds=time.monotonic() - slot.started)

    def _died(self, slot: _Slot, on_failure: OnFailure) -> None:
        task, phase = slot.task, slot.phase
        slot.proc.join(1)
        code = slot.proc.exitcode
        slot.kill()
        self.replaced += 1
        if task is not None and phase == "starting":  # not the document's fault: another worker takes it
            slot.task = None
            self._again.append(task)
            self._startup_failures += 1
            if self._startup_failures >= STARTUP_FAILURES:
                raise WorkersCannotStart("worker processes", f"{self._startup_failures} in a row died before their "
                                         f"first document ({_describe_exit(code)}). A script that calls "
                                         "pipeline.run.run() with workers > 1 must guard its top level with "
                                         "`if __name__ == '__main__':` (workers import the main module)")
            return
        if task is not None:
            slot.task = None
            cap = self.config.limits.max_memory
            hint = (f"; out of memory? each worker may take {describe_size(cap)} (--max-memory)"
                    if cap and code in _MEMORY_DEATHS else "")
            on_failure(task, "worker", "WorkerDied", f"{task.where}: the worker process died ({_describe_exit(code)}) "
                       f"while processing this document{hint}", seconds=time.monotonic() - slot.started)

    def _overdue(self, slot: _Slot, on_failure: OnFailure) -> None:
        task, phase = slot.task, slot.phase
        slot.kill()
        self.replaced += 1
        slot.task = None
        if task is None:
            return
        seconds = time.monotonic() - slot.started
        if phase == "working":
            on_failure(task, *timeout_error(task, self.config.limits.timeout), seconds=seconds)
        elif phase == "storing":
            on_failure(task, "limits", "Timeout", f"{task.where}: writing and loading the results took longer "
                       f"than {STORE_SECONDS:g} s (a registry lock held elsewhere?)", seconds=seconds)
        else:
            on_failure(task, "worker", "WorkerDied", f"{task.where}: the worker process did not start "
                       f"within {STARTUP_SECONDS:g} s")
