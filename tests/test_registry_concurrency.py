"""Four loader processes at once into one fresh registry give exactly the rows of one serial load.

Each process (spawned, so nothing is shared but the database) opens the
registry -- creating and migrating it, racing the others -- then loads an
overlapping share of the results in its own order: every result is loaded by
three of the four. SQLite (WAL, busy timeout, BEGIN IMMEDIATE) and PostgreSQL
(advisory locks, unique keys, retries) alike.
"""

from __future__ import annotations

import multiprocessing as mp
import random
import time
from pathlib import Path

import pytest

from conftest import DEV, SAMPLES
from pipeline.registry import open_registry
from pipeline.registry import schema as S
from pipeline.registry.load import load_files
from test_registry import create_pg_database, drop_pg_database, make_result, snapshot, write_trio

WORKERS = 4


@pytest.fixture(scope="module")
def result_files(tmp_path_factory) -> list[Path]:
    from pipeline.run import run

    out = tmp_path_factory.mktemp("concurrency")
    inputs = [SAMPLES, write_trio(out / "trio")]
    if DEV.is_dir():  # more documents sharing organisations (Bodø kommune...)
        inputs.append(DEV)
    run(inputs, out / "results")
    for i in range(48):
        (out / "results" / f"contention-{i:02d}.json").write_text(_contended(i).model_dump_json(), encoding="utf-8")
    return sorted((out / "results").glob("*.json"))


def _contended(i: int):
    """Results that all touch one municipality, four associations, a handful of agreement groups and one person."""
    from datetime import date

    town = ["Hjørring Kommune", "Hjørring Kommunes", "HJØRRING KOMMUNE"][i % 3]
    club = f"Foreningen Nord {i % 4}" + (" A/S" if i % 5 == 0 else "")
    year = 2020 + (i % 6)
    period = {} if i % 7 == 0 else {"start": date(year, 1, 1), "end": date(year + (i % 3), 12, 31)}
    agreement = dict(type=["grant", "cooperation_agreement"][i % 2], status=["approved", "signed"][i % 2],
                     parties=[town, club], amounts=[dict(value=100000 * (1 + i % 3), currency="DKK", per="year")],
                     **period)
    contact = dict(name="Mette Vang", role=f"rolle {i % 5}", organisation=town, email=f"mv{i % 2}@hjoerring.dk")
    return make_result(f"contention-{i:02d}", ["text", "html", "email", "pdf"][i % 4],
                       [(town, "municipality"), (club, "organisation")], [agreement], [contact],
                       published=date(2019 + i % 8, 1 + i % 12, 1))


def _worker(url: str, paths: list[str], ready, start, failures) -> None:  # noqa: ANN001
    """Open the registry (migrating it, racing the others), read and plan every result, then load at the signal."""
    try:
        from pipeline.registry import load_result
        from pipeline.registry.load import plan, read_result_files

        engine = open_registry(url)
        results = [r for _p, r in read_result_files(paths)]
        for r in results:
            plan(r)  # warm the name caches: the loads themselves then run close together
        ready.put(True)
        start.wait(120)
        for r in results:
            load_result(engine, r)
        engine.dispose()
    except BaseException as exc:  # noqa: BLE001 - reported to the parent
        ready.put(False)
        failures.put(f"{type(exc).__name__}: {exc}"[:2000])


def _load_concurrently(url: str, files: list[Path]) -> float:
    ctx = mp.get_context("spawn")
    ready, start, failures = ctx.Queue(), ctx.Event(), ctx.Queue()
    procs = []
    for i in range(WORKERS):
        share = [str(f) for n, f in enumerate(files) if n % WORKERS != i]
        random.Random(i).shuffle(share)
        procs.append(ctx.Process(target=_worker, args=(url, share, ready, start, failures)))
    for p in procs:
        p.start()
    for _ in procs:
        ready.get(timeout=120)
    t0 = time.perf_counter()
    start.set()
    for p in procs:
        p.join(300)
    elapsed = time.perf_counter() - t0
    errors = []
    while not failures.empty():
        errors.append(failures.get())
    assert not errors, errors
    assert [p.exitcode for p in procs] == [0] * WORKERS
    return elapsed


def _check(serial_url: str, concurrent_url: str, files: list[Path]) -> None:
    load_files(serial_url, files)
    _load_concurrently(concurrent_url, files)
    serial, concurrent = open_registry(serial_url), open_registry(concurrent_url)
    try:
        expected, got = snapshot(serial), snapshot(concurrent)
        assert len(expected["documents"]) == len(files)
        assert len(expected["agreements"]) > 10
        for table in expected:
            assert got[table] == expected[table], table
        with concurrent.connect() as conn:
            docs = conn.execute(S.Document.__table__.select()).all()
            assert len({d.doc_key for d in docs}) == len(docs) == len(files)
    finally:
        serial.dispose()
        concurrent.dispose()


def test_four_loaders_on_one_sqlite_file(tmp_path, result_files):
    _check(f"sqlite:///{tmp_path / 'serial.sqlite'}", f"sqlite:///{tmp_path / 'concurrent.sqlite'}", result_files)


def test_four_loaders_on_one_postgresql_database(result_files):
    serial = create_pg_database("agreements_test_serial")
    concurrent = create_pg_database("agreements_test_concurrent")
    try:
        _check(serial, concurrent, result_files)
    finally:
        drop_pg_database(serial)
        drop_pg_database(concurrent)
