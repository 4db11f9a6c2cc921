"""A batch run: plan the tasks, skip what is done, execute the rest, record every outcome.

The parent process plans (walks the inputs, hashes each document, names its
result in input order), consults the ledger, hands the remaining tasks to an
executor (in-process, a local process pool, or Dask) and records each outcome
as it comes back: counts and progress, one line per failure in
`<out>/errors.jsonl`, and a ledger row.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.batch import crash
from pipeline.batch import stage as stage_mod
from pipeline.batch.ledger import Ledger, clean_temp_files, pipeline_fingerprint
from pipeline.batch.limits import Limits
from pipeline.batch.progress import Reporter, Stats
from pipeline.batch.stage import Outcome, StageConfig
from pipeline.batch.tasks import Planner, Task

if TYPE_CHECKING:
    from pipeline.run import RunSummary

ERRORS_FILE = "errors.jsonl"
EXECUTORS = ("local", "dask")


def registry_key(url: str) -> str:
    """A registry's identity: a SQLite file's real path, other URLs without password."""
    from pipeline.registry.db import normalise_url

    u = normalise_url(url)
    if u.get_backend_name() == "sqlite":
        return f"sqlite:///{os.path.realpath(u.database)}" if u.database else str(u)
    return u.render_as_string(hide_password=True)


def absolute_url(url: str) -> str:
    """The URL workers use: a SQLite file by its absolute path (workers may start elsewhere)."""
    from pipeline.registry.db import normalise_url

    u = normalise_url(url)
    if u.get_backend_name() == "sqlite" and u.database and u.database != ":memory:":
        return u.set(database=os.path.abspath(u.database)).render_as_string(hide_password=False)
    return url if isinstance(url, str) and "://" in url else u.render_as_string(hide_password=False)


def _registry_empty(engine) -> bool:  # noqa: ANN001
    from sqlalchemy import func, select

    from pipeline.registry import schema as S

    with engine.connect() as conn:
        return not conn.execute(select(func.count()).select_from(S.Document)).scalar()


class ErrorLog:
    """`<out>/errors.jsonl`: one JSON object per failure, appended as it happens (kept across runs)."""

    def __init__(self, path: Path, run_id: str):
        self.path = path
        self.run_id = run_id
        self._fh = None

    def write(self, task: Task, name: str, doc_id: str, error: dict) -> None:
        if self._fh is None:
            self._fh = self.path.open("a", encoding="utf-8")
        entry = {"time": datetime.now(timezone.utc).isoformat(timespec="seconds"), "run": self.run_id,
                 "input": task.path, "part": task.part, "url": task.label, "id": doc_id, "result": f"{name}.json",
                 "stage": error.get("stage"), "type": error.get("type"), "message": error.get("message")}
        self._fh.write(json.dumps({k: v for k, v in entry.items() if v is not None}, ensure_ascii=False) + "\n")
        self._fh.flush()

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


def run_batch(
    inputs: Iterable[str | Path],
    out_dir: str | Path,
    *,
    db: str | None = None,
    workers: int = 1,
    executor: str = "local",
    scheduler: str | None = None,
    force: bool = False,
    retry_failed: bool = False,
    limits: Limits | None = None,
    reporter: Reporter | None = None,
    stage: Callable[[Task, StageConfig], Outcome] | None = None,
    redact_contacts: bool = False,
) -> RunSummary:
    from pipeline import __version__
    from pipeline.models import ErrorInfo, Result
    from pipeline.run import RunSummary

    if executor not in EXECUTORS:
        raise ValueError(f"unknown executor {executor!r}: one of {', '.join(EXECUTORS)}")
    limits = limits or Limits()
    reporter = reporter or Reporter()
    stage = stage or stage_mod.process_task
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    summary = RunSummary(registry=db, errors_file=out / ERRORS_FILE)
    started = time.monotonic()
    ledger = Ledger(out)
    errors = ErrorLog(out / ERRORS_FILE, datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:6])
    stats = Stats()
    in_process = executor == "local" and workers <= 1
    crash.mark_run()  # a test hook: no-op unless armed
    try:
        clean_temp_files(out)
        # Redacted and plain results of one document differ: each is its own version.
        version = pipeline_fingerprint() + ("+redacted" if redact_contacts else "")
        reg_key, stage_db, fresh = None, None, False
        # A local pool into SQLite: workers write the files, this process loads them (one writer
        # instead of workers queueing on the database lock). PostgreSQL and Dask: workers load.
        parent_loads = False
        if db is not None:
            stage_db, reg_key = absolute_url(db), registry_key(db)
            fresh = _registry_empty(stage_mod.engine_for(stage_db))  # creates and migrates it once, here
            parent_loads = not in_process and executor == "local" and reg_key.startswith("sqlite")
            if not in_process and not parent_loads:
                stage_mod.close_engines()
        forgotten: frozenset[str] = frozenset()
        if stage_db is not None:
            from pipeline.registry.forget import forgotten_hashes

            with stage_mod.engine_for(stage_db).connect() as conn:
                forgotten = frozenset(forgotten_hashes(conn))
        config = StageConfig(out_dir=str(out.resolve()), db=stage_db, limits=limits, load=not parent_loads,
                             redact_contacts=redact_contacts, forgotten=forgotten)
        planner = Planner(inputs, limits)
        stats.total = planner.estimate
        reporter.start(stats)
        mode = ("dask" + (f" at {scheduler}" if scheduler else f", a local cluster of {workers} workers")
                if executor == "dask" else ("in this process" if in_process else f"{workers} worker processes"))
        reporter.log(f"{len(planner.files)} input files; {mode}; results in {out}")

        def load_here(outcome: Outcome) -> None:
            for d in outcome.docs:
                if d.status != "ok":
                    continue
                try:
                    result = Result.model_validate_json((out / f"{d.name}.json").read_bytes())
                except Exception as exc:  # noqa: BLE001
                    d.registry_error = {"stage": "registry", "type": type(exc).__name__,
                                        "message": f"{out / d.name}.json: cannot read the result: {exc}"}
                    continue
                stage_mod.load_into(stage_db, result, d)

        def record(task: Task, outcome: Outcome) -> None:
            if parent_loads and task.load_only is None:
                load_here(outcome)
            ok = failed = 0
            loaded_all = True
            first_error = None
            for d in outcome.docs:
                if task.load_only is None:
                    summary.documents += 1
                    summary.processed += 1
                    summary.written.append(out / f"{d.name}.json")
                    summary.pages += d.pages
                if task.load_only is not None:
                    pass  # done before: only its registry load is news
                elif d.status == "error":
                    failed += 1
                    first_error = first_error or d.error
                    summary.failed += 1
                    summary.errors.append(Result(id=d.id, status="error", pipeline_version=__version__,
                                                 error=ErrorInfo(**d.error)))
                    errors.write(task, d.name, d.id, d.error)
                else:
                    ok += 1
                if d.loaded:
                    summary.loaded[d.loaded] = summary.loaded.get(d.loaded, 0) + 1
                if d.registry_error:
                    loaded_all = False
                    summary.failed += 1
                    summary.errors.append(Result(id=d.id, status="error", pipeline_version=__version__,
                                                 error=ErrorInfo(**d.registry_error)))
                    errors.write(task, d.name, d.id, d.registry_error)
            registry = reg_key if reg_key and loaded_all else None
            if task.load_only is not None:
                ledger.set_registry(task.key, registry)
            else:
                ledger.put(task.key, task.sha256, version, [d.name for d in outcome.docs],
                           "error" if failed else "ok", ok, failed, registry, first_error,
                           outcome.seconds if outcome.seconds else None)
                stats.processed += len(outcome.docs)
                stats.pages += sum(d.pages for d in outcome.docs)
            stats.failed = summary.failed
            reporter.update(stats)

        def fail(task: Task, stage_name: str, type_: str, message: str, seconds: float | None = None) -> None:
            outcome = stage_mod.failure_outcome(task, config, stage_name, type_, message)
            outcome.seconds = seconds or 0.0
            record(task, outcome)

        def skip(task: Task, names: list[str], ok: int, failed: int, in_registry: bool) -> None:
            summary.documents += len(names)
            summary.skipped += len(names)
            summary.skipped_failed += failed
            if in_registry and ok:
                summary.loaded["unchanged"] = summary.loaded.get("unchanged", 0) + ok
            stats.skipped += len(names)
            reporter.update(stats)

        def pending() -> Iterator[Task]:
            for task in planner:
                stats.total = planner.estimate
                row = None if force else ledger.get(task.key)
                if row is not None and row.sha256 == task.sha256 and row.version == version and row.names \
                        and (row.names[0] == task.name or row.names[0].startswith(f"{task.name}-")) \
                        and all((out / f"{n}.json").exists() for n in row.names) \
                        and not (retry_failed and row.status == "error"):
                    if reg_key is None or not row.ok or (row.registry == reg_key and not fresh):
                        skip(task, row.names, row.ok, row.failed, reg_key is not None and row.registry == reg_key)
                        continue
                    summary.documents += len(row.names)
                    summary.skipped += len(row.names)
                    summary.skipped_failed += row.failed
                    stats.skipped += len(row.names)
                    task.load_only, task.data = row.names, None
                    if parent_loads:
                        record(task, Outcome(task.seq, stage_mod.load_files(task, config)))
                    else:
                        yield task
                    continue
                if task.error is not None:
                    fail(task, *task.error)
                    continue
                yield task
            stats.total, stats.complete = planner.estimate, True

        def tick() -> None:
            reporter.update(stats)

        if executor == "dask":
            from pipeline.batch.dask_executor import run_dask

            run_dask(pending(), stage, config, record, fail, tick, scheduler=scheduler, workers=workers,
                     log=reporter.log)
        elif in_process:
            from pipeline.batch.local import run_in_process

            run_in_process(pending(), stage, config, record, fail, tick)
        else:
            from pipeline.batch.local import WorkerPool

            pool = WorkerPool(workers, stage, config)
            pool.run(pending(), record, fail, tick)
            summary.replaced_workers = pool.replaced
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        summary.seconds = time.monotonic() - started
        stats.complete = stats.complete or summary.interrupted
        reporter.close(stats)
        errors.close()
        ledger.close()
        stage_mod.close_engines()
    if not errors.path.exists():
        summary.errors_file = None
    return summary
