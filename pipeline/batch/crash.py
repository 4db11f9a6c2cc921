"""A test hook: the run kills itself with SIGKILL at a chosen moment (tests/test_crash_safety.py).

Set `AGREEMENTS_CRASH_AT` (read here only) to one or more comma-separated points:

- `json:N`: in the middle of the N-th result file this process writes
  (`pipeline.run.write_json_atomic`): half of its bytes are in the temporary
  file, flushed to disk, and it has not been renamed over the result;
- `registry:N`: inside the N-th registry transaction this process commits:
  every row of the document is inserted, COMMIT has not been sent;
- `insert:N`: inside the N-th registry transaction that sends a second INSERT,
  just before that one runs (the first, the document's row, is in; its facts
  are not). Statements are seen at the database driver (SQLite's trace
  callback, a psycopg cursor), whatever builds them.

Counts are per process: in a pool each worker counts its own writes, and the
process that loads into the registry (the run itself for SQLite, each worker
for PostgreSQL) counts the loads. When a point is reached the whole run is
killed: its process group when the run leads one (started with `setsid`, as
the tests do), otherwise the run's main process and this one (workers die with
the run). Unset, a point costs one test of a module global.
"""

from __future__ import annotations

import os
import signal
from collections import Counter

ENV = "AGREEMENTS_CRASH_AT"
RUN_PID = "AGREEMENTS_CRASH_RUN"  # the run's main process, set by the runner for its workers
KINDS = ("json", "registry", "insert")

_counts: Counter[str] = Counter()


def _parse(spec: str | None) -> dict[str, int]:
    points: dict[str, int] = {}
    for item in (spec or "").split(","):
        if not item.strip():
            continue
        kind, _, n = item.strip().partition(":")
        if kind not in KINDS or not n.isdigit() or int(n) < 1:
            raise ValueError(f"{ENV}: {item.strip()!r} is not one of json:N, registry:N, insert:N (N >= 1)")
        points[kind] = int(n)
    return points


_AT = _parse(os.environ.get(ENV))
armed = bool(_AT)


def mark_run() -> None:
    """Called by the run's main process: workers (which inherit the environment) know whom to kill."""
    if armed:
        os.environ[RUN_PID] = str(os.getpid())


def point(kind: str, flush=None) -> None:  # noqa: ANN001
    """Count one `kind` event; at the chosen one, flush (`flush()`, then fsync when it is a file) and die."""
    if not armed or kind not in _AT:
        return
    _counts[kind] += 1
    if _counts[kind] != _AT[kind]:
        return
    if flush is not None:
        flush.flush()
        os.fsync(flush.fileno())
    kill_run()


def kill_run() -> None:
    run = int(os.environ.get(RUN_PID) or os.getpid())
    try:
        if os.getpgid(run) == run:
            os.killpg(run, signal.SIGKILL)
    except OSError:
        pass
    if run != os.getpid():
        try:
            os.kill(run, signal.SIGKILL)
        except OSError:
            pass
    os.kill(os.getpid(), signal.SIGKILL)


def watch_engine(engine) -> None:  # noqa: ANN001
    """Count the registry's commits and INSERT statements of `engine` (when those points are armed)."""
    if not armed or not ({"registry", "insert"} & _AT.keys()):
        return
    from sqlalchemy import event

    if "registry" in _AT:
        event.listen(engine, "commit", lambda conn: point("registry"))
    if "insert" in _AT:
        inserts = [0]  # INSERT statements of the transaction under way (a process loads one at a time)

        def statement(sql: str) -> None:
            if sql.lstrip()[:6].upper() == "INSERT":
                inserts[0] += 1
                if inserts[0] == 2:
                    point("insert")

        def end(conn) -> None:  # noqa: ANN001
            inserts[0] = 0

        traced: set[int] = set()

        def checkout(dbapi_conn, record, proxy) -> None:  # noqa: ANN001, ARG001
            if id(dbapi_conn) not in traced:
                traced.add(id(dbapi_conn))
                _trace(dbapi_conn, statement)

        event.listen(engine, "checkout", checkout)
        event.listen(engine, "commit", end)
        event.listen(engine, "rollback", end)


def _trace(dbapi_conn, callback) -> None:  # noqa: ANN001
    """Call `callback(sql)` before each statement the driver connection runs."""
    if hasattr(dbapi_conn, "set_trace_callback"):  # sqlite3
        dbapi_conn.set_trace_callback(callback)
        return
    base = dbapi_conn.cursor_factory  # psycopg 3

    def text(query, cursor) -> str:  # noqa: ANN001
        if isinstance(query, bytes):
            return query.decode("utf-8", "replace")
        return query if isinstance(query, str) else query.as_string(cursor)

    class Tracing(base):
        def execute(self, query, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
            callback(text(query, self))
            return super().execute(query, *args, **kwargs)

        def executemany(self, query, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
            callback(text(query, self))
            return super().executemany(query, *args, **kwargs)

    dbapi_conn.cursor_factory = Tracing
