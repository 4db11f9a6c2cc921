"""Batch runs: parallel like serial, resumable after kill -9, bounded, observable.

Documents are invented (tests/batch_docs.py); stages that hang or crash on
purpose wrap the real stage and are handed to `run(stage=...)`.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from batch_docs import make_corpus
from conftest import REPO, SAMPLES
from pdfgen import make_pdf
from pipeline.batch.limits import Limits, parse_size
from pipeline.batch.progress import LogReporter, RichReporter, Stats, status_line
from pipeline.cli import main
from pipeline.registry import open_registry
from pipeline.registry import schema as S
from pipeline.run import run
from test_registry import snapshot

TESTS = Path(__file__).resolve().parent


def _results(out: Path) -> dict[str, dict]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(out.glob("*.json"))}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, int]:
    folder = tmp_path_factory.mktemp("corpus") / "in"
    return folder, make_corpus(folder)


@pytest.fixture(scope="module")
def serial(corpus, tmp_path_factory) -> tuple[Path, str]:
    """A clean serial run (in this process) over the corpus and samples/: the reference."""
    folder, _n = corpus
    base = tmp_path_factory.mktemp("serial")
    db = f"sqlite:///{base / 'registry.sqlite'}"
    summary = run([folder, SAMPLES], base / "out", db=db, workers=1)
    assert summary.failed == 1 and summary.errors[0].error.type == "EmptyDocument", summary.errors  # tom.txt
    return base / "out", db


def test_two_workers_give_exactly_the_serial_results(corpus, serial, tmp_path):
    folder, n = corpus
    out = tmp_path / "out"
    db = f"sqlite:///{tmp_path / 'registry.sqlite'}"
    summary = run([folder, SAMPLES], out, db=db, workers=2)
    assert summary.documents == summary.processed == n + 8 and summary.failed == 1
    assert summary.loaded == {"inserted": n + 7}
    got, want = _results(out), _results(serial[0])
    assert got.keys() == want.keys()
    assert "da-00.json" in got and any(k.startswith("da-00-") for k in got)  # one stem, two folders
    assert {"arkiv-0001.json", "arkiv-0002.json", "arkiv-0003.json"} <= got.keys()  # mbox: one per message
    for name in want:
        assert got[name] == want[name], name
    engine, reference = open_registry(db), open_registry(serial[1])
    assert snapshot(engine) == snapshot(reference)
    engine.dispose(), reference.dispose()
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(errors) == 1 and errors[0]["type"] == "EmptyDocument" and errors[0]["stage"] == "ingest"
    assert errors[0]["input"] == str(folder / "tom.txt") and errors[0]["result"] == "tom.json"


def test_a_second_run_skips_what_is_done_and_redoes_what_changed(corpus, tmp_path):
    folder, n = corpus
    inputs = tmp_path / "in"
    make_corpus(inputs)
    out, db = tmp_path / "out", f"sqlite:///{tmp_path / 'registry.sqlite'}"
    first = run([inputs], out, db=db)
    assert first.processed == n
    (inputs / "sv-01.txt").write_text("Ändrad text\n\nUmeå kommun ger Föreningen Fristad 90 000 kronor 2026.\n",
                                      encoding="utf-8")
    (out / "web-02.json").unlink()  # a lost result is made again
    again = run([inputs], out, db=db)
    assert (again.processed, again.skipped, again.failed, again.skipped_failed) == (2, n - 2, 0, 1)
    assert again.loaded == {"replaced": 1, "unchanged": n - 2}  # web-02 read again: the registry had it
    assert json.loads((out / "sv-01.json").read_text(encoding="utf-8"))["title"] == "Ändrad text"
    retried = run([inputs], out, db=db, retry_failed=True)
    assert (retried.processed, retried.skipped, retried.failed) == (1, n - 1, 1)
    forced = run([inputs], out, db=None, force=True)
    assert forced.processed == n and forced.skipped == 0
    # Another registry: nothing is read again, the results are loaded from their files.
    other = run([inputs], out, db=f"sqlite:///{tmp_path / 'other.sqlite'}")
    assert other.processed == 0 and other.skipped == n and other.loaded == {"inserted": n - 1}


def test_killed_run_resumes_with_no_lost_and_no_duplicate_document(corpus, serial, tmp_path):
    folder, n = corpus
    total = n + 8
    out, db = tmp_path / "out", f"sqlite:///{tmp_path / 'registry.sqlite'}"
    script = (f"import sys; sys.path.insert(0, {str(TESTS)!r})\n"
              "from batch_docs import slow_stage\nfrom pipeline.run import run\n"
              f"run([{str(folder)!r}, {str(SAMPLES)!r}], {str(out)!r}, db={db!r}, workers=2, stage=slow_stage)\n")
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=REPO)
    try:
        deadline = time.monotonic() + 90
        while len(list(out.glob("*.json"))) < 8 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        family = _descendants(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(10)
    before = len(list(out.glob("*.json")))
    assert 8 <= before < total, f"{before} results when killed: the run was not cut half-way"
    assert family and _gone(family), "worker processes outlived the killed run"

    summary = run([folder, SAMPLES], out, db=db, workers=2)
    assert summary.skipped >= 6 and summary.processed + summary.skipped == total, summary
    assert not list(out.glob(".*.tmp"))
    got, want = _results(out), _results(serial[0])
    assert got.keys() == want.keys()  # every input exactly one result
    for name in want:
        assert got[name] == want[name], name
    engine, reference = open_registry(db), open_registry(serial[1])
    with engine.connect() as c:
        assert c.execute(select(func.count()).select_from(S.Document)).scalar() == total - 1  # tom.txt failed
    assert snapshot(engine) == snapshot(reference)
    engine.dispose(), reference.dispose()
    # Started once more: everything is done.
    last = run([folder, SAMPLES], out, db=db, workers=2)
    assert (last.processed, last.skipped) == (0, total)


def _descendants(pid: int) -> list[int]:
    psutil = pytest.importorskip("psutil")
    return [p.pid for p in psutil.Process(pid).children(recursive=True)]


def _gone(pids: list[int], wait: float = 10.0) -> bool:
    import psutil

    def alive(pid: int) -> bool:
        try:
            return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:  # also when it ends between the look-up and the status read
            return False

    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if not any(alive(p) for p in pids):
            return True
        time.sleep(0.1)
    return False


def test_hung_and_crashed_workers_are_replaced_and_their_documents_fail(tmp_path):
    from batch_docs import trouble_stage

    inputs = tmp_path / "in"
    n = make_corpus(inputs, n=6)
    for name in ("hang.txt", "sleep.txt", "crash.txt", "oom.txt"):
        (inputs / name).write_text("Kommunen giver tilskud\n\nVejle Kommune giver 10.000 kr. til foreningen.\n",
                                   encoding="utf-8")
    out = tmp_path / "out"
    started = time.monotonic()
    summary = run([inputs], out, workers=2, limits=Limits(timeout=2.0), stage=trouble_stage)
    assert time.monotonic() - started < 40
    failed = {e.id: e.error for e in summary.errors}
    assert set(failed) == {"hang", "sleep", "crash", "oom", "tom"}
    assert (failed["hang"].stage, failed["hang"].type) == ("limits", "Timeout")
    assert (failed["sleep"].stage, failed["sleep"].type) == ("limits", "Timeout")
    assert "--timeout" in failed["hang"].message and "hang.txt" in failed["hang"].message
    assert (failed["crash"].stage, failed["crash"].type) == ("worker", "WorkerDied")
    assert "exit code 3" in failed["crash"].message and "crash.txt" in failed["crash"].message
    assert failed["oom"].type == "ExtractionError" and "MemoryError" in failed["oom"].message
    assert summary.replaced_workers == 2  # hang (killed) and crash; sleep and oom recycled themselves
    assert summary.processed == n + 4 and summary.failed == 5
    for doc_id, error in failed.items():
        result = json.loads((out / f"{doc_id}.json").read_text(encoding="utf-8"))
        assert result["status"] == "error" and result["error"] == error.model_dump()
    logged = [json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(e["id"] for e in logged) == sorted(failed)
    assert all({"time", "input", "stage", "type", "message"} <= e.keys() for e in logged)


def test_limits_on_bytes_pages_and_mime_parts(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    pdf = make_pdf(inputs / "lang.pdf", [[("title", f"Side {k}"), "Aftalen gælder fra 1. januar 2026."] for k in range(4)])
    max_bytes = pdf.stat().st_size + 500
    (inputs / "stor.txt").write_text("Overskrift\n\n" + "Kommunen giver tilskud. " * (max_bytes // 20), encoding="utf-8")
    parts = "".join(f"--b\nContent-Type: text/plain\nContent-Disposition: attachment; filename=bilag{k}.txt\n\n"
                    f"Bilag {k}: tilskud på {k} 000 kr.\n" for k in range(6))
    (inputs / "bilag.eml").write_text(
        "From: a@kommune.example.dk\nTo: b@example.dk\nSubject: Bilag\nDate: Mon, 2 Jun 2025 09:00:00 +0200\n"
        "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\n"
        "Se bilagene om tilskuddet.\n" + parts + "--b--\n", encoding="utf-8")
    (inputs / "lille.txt").write_text("Kort\n\nVejle Kommune giver 5.000 kr.\n", encoding="utf-8")
    out = tmp_path / "out"
    summary = run([inputs], out, limits=Limits(max_bytes=max_bytes, max_pages=3, max_parts=5, timeout=None))
    failed = {e.id: e.error for e in summary.errors}
    assert set(failed) == {"stor", "lang", "bilag"}
    assert all(e.stage == "limits" for e in failed.values())
    assert failed["stor"].type == "FileTooLarge" and "--max-bytes" in failed["stor"].message
    assert failed["lang"].type == "TooManyPages" and "4 pages, more than the limit of 3" in failed["lang"].message
    assert failed["bilag"].type == "TooManyParts" and "8 MIME parts" in failed["bilag"].message
    ok = run([inputs], tmp_path / "out2", limits=Limits.none())
    assert ok.failed == 0


def test_parse_size():
    assert parse_size("50MB") == 50_000_000 and parse_size("2k") == 2000 and parse_size("1MiB") == 1 << 20
    assert parse_size("1048576") == 1048576 and parse_size("1.5 GB") == 1_500_000_000
    with pytest.raises(ValueError):
        parse_size("lots")


def test_cli_globs_quiet_summary_and_exit_status(tmp_path, capsys, monkeypatch):
    inputs = tmp_path / "data"
    make_corpus(inputs, n=8)
    monkeypatch.chdir(tmp_path)
    assert main(["run", "data/**/da-*.txt", "--out", "out", "--workers", "1", "--quiet"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out.startswith("3 documents, 0 failed; results in out; registry out/registry.sqlite: 3 inserted;")
    names = sorted(p.name for p in Path("out").glob("*.json"))  # data/da-00.txt, data/da-04.txt, data/under/da-00.txt
    assert names[0].startswith("da-00-") and names[1:] == ["da-00.json", "da-04.json"]
    assert main(["run", "data", "--out", "out", "--workers", "2", "--log-every", "0"]) == 1  # tom.txt fails
    captured = capsys.readouterr()
    assert "3 skipped (done before)" in captured.out and "failures in out/errors.jsonl" in captured.out
    assert "tom.txt: the file is empty [EmptyDocument]" in captured.err
    assert "docs/s" in captured.err and "failed" in captured.err  # log lines: not a terminal
    assert main(["run", "data", "--out", "out", "--workers", "2"]) == 1  # the earlier failure still counts
    assert "0 failed, 13 skipped (done before, 1 of them failed)" in capsys.readouterr().out


def test_progress_shows_rate_pages_failures_and_eta():
    stats = Stats(total=100, processed=20, skipped=10, failed=2, pages=57)
    stats.started -= 10
    line = status_line(stats)
    assert line.startswith("30/100+ documents (10 skipped), 2.0 docs/s, 57 pages, 2 failed, ETA ")
    assert "ETA 35s" in line
    stream = io.StringIO()
    log = LogReporter(every=0, stream=stream)
    log.start(stats)
    log.update(stats)
    assert "docs/s" in stream.getvalue()

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    term = Terminal()
    bar = RichReporter(term)
    bar.start(stats)
    bar.update(stats, force=True)
    bar.close(stats)
    shown = term.getvalue()
    assert "30/100" in shown and "docs/s" in shown and "57 pages" in shown and "2 failed" in shown and "ETA" in shown


def test_a_second_run_into_the_same_folder_is_refused_while_one_runs(tmp_path):
    from pipeline.batch.ledger import BusyOutput, Ledger

    out = tmp_path / "out"
    out.mkdir()
    held = Ledger(out)
    try:
        with pytest.raises(BusyOutput, match="another `agreements run` is writing"):
            run([SAMPLES / "sv-lund-kvinnojour-iop.html"], out)
    finally:
        held.close()
    (out / ".x.json.abc123.tmp").write_text("{half")  # left by a killed run
    assert run([SAMPLES / "sv-lund-kvinnojour-iop.html"], out).processed == 1
    assert not list(out.glob(".*.tmp"))
