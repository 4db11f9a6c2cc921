"""Crash safety: `agreements run` killed with SIGKILL at any moment, then started again.

The run is a subprocess in its own session (`python -m pipeline run`, one
worker or two); the whole process group is killed

- at moments known to be inside a result file's write (half its bytes in the
  temporary file, before the rename) or inside a registry transaction (all
  rows inserted, before COMMIT; or after the document's row, before its facts): the run
  kills itself through the test hook `AGREEMENTS_CRASH_AT` (pipeline/batch/crash.py);
- at random moments (seeded) while documents are being done.

After each kill: every `*.json` is a whole, valid result equal to the
reference's (a half-written one only ever sits in a hidden temporary file),
each document in the registry has all its rows and no row belongs to no
document, and every ledger row names result files that exist. Run again to the
end: each input has exactly one result file, the registry equals the registry
of an uninterrupted reference run, the ledger holds each task once, no
temporary file is left, and nothing recorded as done before the kill was done
again (each document processed exactly once).

On SQLite and on PostgreSQL (127.0.0.1:5432 with trust auth, or
AGREEMENTS_TEST_PG; skipped with the reason when no server answers).
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from batch_docs import make_corpus
from conftest import REPO
from pipeline.batch.crash import ENV, RUN_PID
from pipeline.batch.ledger import STATE_FILE
from pipeline.batch.runner import registry_key
from pipeline.models import Result
from pipeline.registry import open_registry
from pipeline.registry import schema as S
from pipeline.run import run
from test_registry import create_pg_database, drop_pg_database, snapshot

# Tables whose rows belong to one document (deleted with it).
PER_DOCUMENT = (S.DocumentDate, S.OrganisationAlias, S.AgreementSource, S.PersonContact, S.Evidence)
RUN_TIMEOUT = 240  # seconds a run may take on a slow, shared machine before the test gives up


# --- The corpus and the uninterrupted reference ---------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("crash") / "in"
    make_corpus(folder, n=8)  # 13 documents: text, HTML, email, an mbox of three, an empty file
    return folder


class Reference:
    """An uninterrupted run's results, ledger and registry: what every killed run must end as."""

    def __init__(self, corpus: Path, out: Path, db: str):
        summary = run([corpus], out, db=db)
        assert summary.failed == 1 and summary.errors[0].error.type == "EmptyDocument"  # tom.txt
        self.total = summary.documents
        self.results = _results(out)
        self.tasks = _ledger(out)  # key -> (names, status)
        engine = open_registry(db)
        self.snapshot = snapshot(engine)
        self.rows = _rows_per_document(engine)
        engine.dispose()
        assert len(self.rows) == self.total - 1 and all(self.rows.values())


@pytest.fixture(scope="module")
def sqlite_reference(corpus, tmp_path_factory) -> Reference:
    base = tmp_path_factory.mktemp("reference")
    return Reference(corpus, base / "out", f"sqlite:///{base / 'registry.sqlite'}")


@pytest.fixture(scope="module")
def pg_reference(corpus, tmp_path_factory) -> Reference:
    url = create_pg_database("agreements_crash")  # skips when no server answers
    try:
        return Reference(corpus, tmp_path_factory.mktemp("pg-reference") / "out", url)
    finally:
        drop_pg_database(url)


@pytest.fixture
def pg_url():
    url = create_pg_database("agreements_crash")
    yield url
    drop_pg_database(url)


# --- Reading what a run left --------------------------------------------------------------


def _results(out: Path) -> dict[str, dict]:
    """Every result file, each validated as a Result (a partial file fails here)."""
    found = {}
    for p in sorted(out.glob("*.json")):
        data = p.read_bytes()
        Result.model_validate_json(data)
        found[p.stem] = json.loads(data)
    return found


def _ledger(out: Path) -> dict[str, tuple[list[str], str, str | None]]:
    db = sqlite3.connect(out / STATE_FILE)
    try:
        rows = db.execute("SELECT key, names, status, registry FROM done").fetchall()
    finally:
        db.close()
    return {key: (json.loads(names), status, registry) for key, names, status, registry in rows}


def _rows_per_document(engine) -> dict[str, dict[str, int]]:
    """Document (key and path: two inputs may share a stem) -> rows of each per-document table;
    a row whose document is gone counts under 'orphan:'."""
    with engine.connect() as c:
        keys = {i: f"{key} {path}" for i, key, path in c.execute(select(S.Document.id, S.Document.doc_key,
                                                                        S.Document.path))}
        rows: dict[str, dict[str, int]] = {key: {} for key in keys.values()}
        for model in PER_DOCUMENT:
            for doc_id, n in c.execute(select(model.document_id, func.count()).group_by(model.document_id)):
                rows.setdefault(keys.get(doc_id, f"orphan:{doc_id}"), {})[model.__tablename__] = n
        unmerged = c.execute(select(func.count()).select_from(S.AgreementSource)
                             .where(S.AgreementSource.agreement_id.is_(None))).scalar()
    assert not unmerged, f"{unmerged} agreement sources not merged into an agreement"
    return rows


# --- Starting and killing runs ---------------------------------------------------------------


class Run:
    """`python -m pipeline run` in its own session (its own process group)."""

    def __init__(self, corpus: Path, out: Path, db: str, workers: int, crash: str | None = None):
        self.out = out
        out.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if k not in (ENV, RUN_PID)}
        if crash:
            env[ENV] = crash
        self.log = out.parent / f"run-{time.monotonic_ns()}.log"
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "pipeline", "run", str(corpus), "--out", str(out), "--db", db,
                 "--workers", str(workers), "--log-every", "1"],
                cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait(self) -> int:
        try:
            return self.proc.wait(RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(f"the run did not end within {RUN_TIMEOUT} s:\n{self.output()}")

    def kill(self) -> None:
        """SIGKILL the whole process group (the run, its forkserver and workers)."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(30)
        self.assert_group_gone()

    def assert_group_gone(self, wait: float = 20.0) -> None:
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                os.killpg(self.proc.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)
        pytest.fail("processes of the killed run are still there")

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-3000:]


def killed_by_hook(corpus: Path, out: Path, db: str, workers: int, crash: str) -> Run:
    r = Run(corpus, out, db, workers, crash)
    code = r.wait()
    r.assert_group_gone()
    assert code == -signal.SIGKILL, f"the run was not killed at {crash} (exit {code}):\n{r.output()}"
    return r


def killed_at_random(corpus: Path, out: Path, db: str, workers: int, rng: random.Random, total: int) -> Run:
    """Killed at a random moment once the run is under way: once a random number of new result
    files exist, after a random fraction of the time the run has been taking per result (so the
    moment falls among the documents still to come, however fast the machine)."""
    before = len(list(out.glob("*.json")))
    target = min(total - 3, before + rng.randint(1, 4))
    fraction = rng.random()
    r = Run(corpus, out, db, workers)
    deadline = time.monotonic() + RUN_TIMEOUT
    first = None
    while r.proc.poll() is None and time.monotonic() < deadline:
        count = len(list(out.glob("*.json")))
        if count > before and first is None:
            first = time.monotonic()
        if count >= target:
            per_result = (time.monotonic() - first) / (count - before) if first and count > before + 1 else 0.1
            time.sleep(fraction * per_result)
            break
        time.sleep(0.005)
    r.kill()
    return r


# --- The checks ------------------------------------------------------------------------------


def _same_code(out: Path) -> None:
    """The killed run (a new process) ran the code this test runs: a checkout edited meanwhile would
    make everything count as a new version, to be done again (not a failure of crash safety)."""
    from pipeline.batch import ledger as ledger_mod

    db = sqlite3.connect(out / STATE_FILE)
    try:
        versions = {v for (v,) in db.execute("SELECT DISTINCT version FROM done")}
    finally:
        db.close()
    ours = ledger_mod.pipeline_fingerprint()
    ledger_mod._FINGERPRINT = None
    now = ledger_mod.pipeline_fingerprint()
    if versions - {ours} or now != ours:
        pytest.fail(f"the code under pipeline/ changed while this test ran ({ours} in the test, {versions or now} "
                    "in the run): run the test again on a checkout nobody is editing")


def _is_json(data: bytes) -> bool:
    try:
        json.loads(data)
    except ValueError:
        return False
    return True


def check_after_kill(out: Path, db: str, ref: Reference) -> int:
    """What a killed run left is consistent; returns the documents the ledger records as done."""
    _same_code(out)
    results = _results(out)  # every *.json whole and valid
    assert results.keys() <= ref.results.keys()
    for name, result in results.items():
        assert result == ref.results[name], f"{name}.json differs from the reference"
    for tmp in out.glob(".*.tmp"):  # a write cut short stays in its hidden temporary file
        assert tmp.name.startswith(".") and ".json." in tmp.name
    ledger = _ledger(out)
    assert ledger.keys() <= ref.tasks.keys()
    for key, (names, status, _registry) in ledger.items():
        assert (names, status) == ref.tasks[key][:2], key
        assert all(n in results for n in names), f"the ledger has {key} done but its result file is missing"
    engine = open_registry(db)
    try:
        rows = _rows_per_document(engine)
    finally:
        engine.dispose()
    for doc, counts in rows.items():  # each document in the registry is there whole
        assert doc in ref.rows, f"registry rows of no known document: {doc} {counts}"
        assert counts == ref.rows[doc], f"{doc} is in the registry only in part: {counts} of {ref.rows[doc]}"
    in_registry = {key.split(" ", 1)[0] for key in rows}
    done_and_ok = {results[n]["id"] for names, status, _r in ledger.values() if status == "ok" for n in names}
    assert done_and_ok <= in_registry, "the ledger has documents done that are not in the registry"
    return sum(len(names) for names, _s, _r in ledger.values())


def finish_and_check(corpus: Path, out: Path, db: str, ref: Reference, done_before: int, workers: int = 1) -> None:
    """Run again to the end (no hook): the reference's results, ledger and registry, each document once."""
    summary = run([corpus], out, db=db, workers=workers)
    assert summary.documents == ref.total
    assert summary.skipped == done_before, "a document recorded as done was processed again (or one was lost)"
    assert summary.processed == ref.total - done_before
    assert not list(out.glob(".*.tmp")), "temporary files left behind"
    results = _results(out)
    assert results.keys() == ref.results.keys()  # every input exactly one result
    for name in ref.results:
        assert results[name] == ref.results[name], name
    ledger = _ledger(out)
    assert {k: v[:2] for k, v in ledger.items()} == {k: v[:2] for k, v in ref.tasks.items()}
    assert {r for _n, _s, r in ledger.values()} == {registry_key(db)}  # each task loaded into this registry
    engine = open_registry(db)
    try:
        assert _rows_per_document(engine) == ref.rows
        assert snapshot(engine) == ref.snapshot
    finally:
        engine.dispose()


# --- SQLite ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("workers", "crash"), [(1, "json:3"), (2, "json:2")])
def test_killed_inside_a_result_write(corpus, sqlite_reference, tmp_path, workers, crash):
    out, db = tmp_path / "out", f"sqlite:///{tmp_path / 'registry.sqlite'}"
    killed_by_hook(corpus, out, db, workers, crash)
    partial = list(out.glob(".*.json.*.tmp"))
    assert partial, "the kill was not inside a write: no temporary file"
    # The hooked write left half a result: not valid JSON. With two workers the other one may have
    # been killed after writing all of its file but before the rename: whole, and still hidden.
    halves = [tmp for tmp in partial if not _is_json(tmp.read_bytes())]
    assert halves, f"no half-written temporary file among {[t.name for t in partial]}"
    if workers == 1:
        assert halves == partial
    done = check_after_kill(out, db, sqlite_reference)
    finish_and_check(corpus, out, db, sqlite_reference, done)


@pytest.mark.parametrize(("workers", "crash"), [(2, "registry:3"), (1, "insert:4")])
def test_killed_inside_a_registry_transaction(corpus, sqlite_reference, tmp_path, workers, crash):
    out, db = tmp_path / "out", f"sqlite:///{tmp_path / 'registry.sqlite'}"
    killed_by_hook(corpus, out, db, workers, crash)
    done = check_after_kill(out, db, sqlite_reference)
    engine = open_registry(db)
    with engine.connect() as c:
        in_registry = c.execute(select(func.count()).select_from(S.Document)).scalar()
    engine.dispose()
    # One process loads (the run itself; with a pool too on SQLite): the loads before the N-th
    # are committed, the N-th (all its rows, or only its document row) was rolled back.
    assert in_registry == int(crash.split(":")[1]) - 1
    finish_and_check(corpus, out, db, sqlite_reference, done)


def test_killed_at_random_moments(corpus, sqlite_reference, tmp_path):
    """Seeded random kills, one worker and two by turns, each run resuming what the one before left."""
    rng = random.Random(20250617)
    out, db = tmp_path / "out", f"sqlite:///{tmp_path / 'registry.sqlite'}"
    kills = 0
    for workers in (1, 2):
        killed_at_random(corpus, out, db, workers, rng, sqlite_reference.total)
        done = check_after_kill(out, db, sqlite_reference)
        kills += done < sqlite_reference.total
    assert kills, "the runs ended before they were killed: no kill tested anything"
    finish_and_check(corpus, out, db, sqlite_reference, done)


# --- PostgreSQL (workers load their own documents) ---------------------------------------------


def test_postgresql_killed_inside_a_transaction_and_at_a_random_moment(corpus, pg_reference, pg_url, tmp_path):
    """Two workers, each loading its own documents: one kills the run inside its second load
    transaction. Then a run with one worker, killed at a random moment."""
    out = tmp_path / "out"
    killed_by_hook(corpus, out, pg_url, 2, "registry:2")
    check_after_kill(out, pg_url, pg_reference)
    killed_at_random(corpus, out, pg_url, 1, random.Random(7), pg_reference.total)
    done = check_after_kill(out, pg_url, pg_reference)
    finish_and_check(corpus, out, pg_url, pg_reference, done)
