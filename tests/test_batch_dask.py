"""The Dask executor: the same stage on a LocalCluster of two worker processes, into PostgreSQL.

Skipped with the reason when Dask is not installed (`pip install -e '.[test]'`
installs it) or no PostgreSQL server answers (see tests/test_registry.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("distributed", reason="Dask is not installed: pip install -e '.[dask]'")

from batch_docs import make_corpus  # noqa: E402
from pipeline.batch.dask_executor import PRELOAD  # noqa: E402
from pipeline.registry import open_registry  # noqa: E402
from pipeline.run import run  # noqa: E402
from test_registry import create_pg_database, drop_pg_database, snapshot  # noqa: E402
from test_warc import _pdf_bytes, write_warc  # noqa: E402


def _results(out: Path) -> dict[str, dict]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(out.glob("*.json"))}


@pytest.fixture(scope="module")
def cluster():
    import dask
    from distributed import LocalCluster

    # allowed-failures 0: a document that kills its worker is given up at once (default: tried on 3 more,
    # each retry killing the worker it lands on, and whatever that worker was running).
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), \
            LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None,
                         preload=[PRELOAD]) as c:
        yield c


@pytest.fixture
def pg():
    url = create_pg_database("agreements_dask")
    yield url
    drop_pg_database(url)


def test_dask_cluster_runs_the_same_stage_into_postgresql(tmp_path, pg, cluster):
    inputs = tmp_path / "in"
    n = make_corpus(inputs, n=8)
    write_warc(inputs / "crawl.warc.gz", _pdf_bytes(tmp_path))
    n += 3
    reference = run([inputs], tmp_path / "local", db=f"sqlite:///{tmp_path / 'local.sqlite'}", workers=1)

    out = tmp_path / "dask"
    summary = run([inputs], out, db=pg, executor="dask", scheduler=cluster.scheduler_address)
    assert summary.processed == n and summary.failed == 1 and summary.errors[0].id == "tom"
    assert summary.loaded == {"inserted": n - 1}
    got, want = _results(out), _results(tmp_path / "local")
    assert got.keys() == want.keys() and "crawl-00004.json" in got
    for name in want:
        assert got[name] == want[name], name
    engine, local = open_registry(pg), open_registry(reference.registry)
    assert snapshot(engine) == snapshot(local)
    engine.dispose(), local.dispose()
    assert json.loads((out / "errors.jsonl").read_text(encoding="utf-8"))["type"] == "EmptyDocument"

    again = run([inputs], out, db=pg, executor="dask", scheduler=cluster.scheduler_address)
    assert (again.processed, again.skipped) == (0, n) and again.loaded == {"unchanged": n - 1}


def test_a_hung_or_crashing_document_fails_alone_on_dask(tmp_path, cluster):
    from batch_docs import trouble_stage
    from pipeline.batch.limits import Limits

    inputs = tmp_path / "in"
    n = make_corpus(inputs, n=4)
    for name in ("hang.txt", "crash.txt"):
        (inputs / name).write_text("Kommunen giver tilskud\n\nVejle Kommune giver 10.000 kr.\n", encoding="utf-8")
    summary = run([inputs], tmp_path / "out", executor="dask", scheduler=cluster.scheduler_address,
                  limits=Limits(timeout=20.0), stage=trouble_stage)
    failed = {e.id: (e.error.stage, e.error.type) for e in summary.errors}
    assert failed == {"hang": ("limits", "Timeout"), "crash": ("worker", "WorkerDied"), "tom": ("ingest", "EmptyDocument")}
    assert summary.processed == n + 2
