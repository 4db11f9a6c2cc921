"""What a run has finished, so that a run started again does only the rest.

`<out>/.agreements-state.sqlite` (hidden, so a folder walk never takes it for
a document) holds one row per finished task: its key (the input's absolute
path, `#n` for a message or WARC record), content hash, pipeline fingerprint,
result file names, status, the registry it was loaded into, and the seconds
its worker spent on it (reading, extracting, writing; loading too where
workers load; for a timeout or a dead worker, the seconds until then). A row is
written only after the task's result files were written (atomically) and
loaded; a run killed at any moment redoes at most the tasks that were in
flight, which rewrites the same files and loads the same facts (loading is
idempotent): no document is lost, none is duplicated.

The file is also the run's lock: a second run into the same output folder
while one is going refuses to start.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import PipelineError

STATE_FILE = ".agreements-state.sqlite"


class BusyOutput(PipelineError):
    stage = "run"


@dataclass
class Row:
    key: str
    sha256: str
    version: str
    names: list[str]
    status: str  # ok | error (some document of the task failed)
    ok: int
    failed: int
    registry: str | None
    error: dict | None


class Ledger:
    def __init__(self, out: Path):
        self.path = out / STATE_FILE
        self._lock_fd = None
        self._lock()
        self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS done (key TEXT PRIMARY KEY, sha256 TEXT NOT NULL, version TEXT NOT NULL, "
            "names TEXT NOT NULL, status TEXT NOT NULL, ok INTEGER NOT NULL, failed INTEGER NOT NULL, "
            "registry TEXT, error TEXT, at REAL NOT NULL, seconds REAL)")
        columns = {r[1] for r in self.conn.execute("PRAGMA table_info(done)")}
        if "seconds" not in columns:  # a ledger written before seconds were recorded
            self.conn.execute("ALTER TABLE done ADD COLUMN seconds REAL")

    def _lock(self) -> None:
        try:
            import fcntl
        except ImportError:  # no advisory locks here: two runs into one folder are the user's care
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)  # flock: apart from SQLite's own fcntl locks
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise BusyOutput(str(self.path.parent), "another `agreements run` is writing to this output folder") from None
        self._lock_fd = fd

    def get(self, key: str) -> Row | None:
        r = self.conn.execute("SELECT key, sha256, version, names, status, ok, failed, registry, error FROM done "
                              "WHERE key = ?", (key,)).fetchone()
        if r is None:
            return None
        return Row(r[0], r[1], r[2], json.loads(r[3]), r[4], r[5], r[6], r[7], json.loads(r[8]) if r[8] else None)

    def put(self, key: str, sha256: str, version: str, names: list[str], status: str, ok: int, failed: int,
            registry: str | None, error: dict | None, seconds: float | None = None) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO done (key, sha256, version, names, status, ok, failed, registry, error, at, "
            "seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (key, sha256, version, json.dumps(names), status, ok, failed, registry,
             json.dumps(error, ensure_ascii=False) if error else None, time.time(),
             round(seconds, 3) if seconds is not None else None))

    def set_registry(self, key: str, registry: str | None) -> None:
        self.conn.execute("UPDATE done SET registry = ? WHERE key = ?", (registry, key))

    def close(self) -> None:
        self.conn.close()
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None


def clean_temp_files(out: Path) -> int:
    """Remove the temporary files of atomic writes a killed run left behind (`.<name>.json.<random>.tmp`)."""
    n = 0
    for p in out.glob(".*.json.*.tmp"):
        try:
            p.unlink()
            n += 1
        except OSError:
            pass
    return n


_FINGERPRINT: str | None = None


def pipeline_fingerprint() -> str:
    """The pipeline version and a hash of what decides a result (the code that reads and extracts,
    its data files, the language pipelines in models/): a changed checkout counts as a new version."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        import pipeline

        root = Path(pipeline.__file__).resolve().parent
        models = Path(os.environ.get("AGREEMENTS_MODELS", root.parent / "models"))
        h = hashlib.sha256()
        skip = {root / "batch", root / "registry", root / "cli.py", root / "evaluate.py"}
        for base in (root, models):
            if not base.is_dir():
                continue
            for dirpath, dirs, files in os.walk(base):
                dirs[:] = sorted(d for d in dirs if d != "__pycache__" and Path(dirpath, d) not in skip)
                for name in sorted(files):
                    p = Path(dirpath, name)
                    if p in skip or name.endswith((".pyc", ".pyo")):
                        continue
                    h.update(str(p.relative_to(base)).encode())
                    h.update(p.read_bytes())
        _FINGERPRINT = f"{pipeline.__version__}+{h.hexdigest()[:12]}"
    return _FINGERPRINT
