"""The hostile corpus (scripts/make_hostile.py, scaled down for CI) through the real run.

Every input gets a result or a structured error; nothing is fetched from the
network, nothing is written outside the output folder, and no injected SQL or
shell text does anything but end up as text.
"""

import json
import socket
import sys
from pathlib import Path

import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "scripts"))
from make_hostile import PARTY, build  # noqa: E402

from pipeline.run import run  # noqa: E402


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    inputs = build(root / "in", scale=0.01)
    return root, inputs


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", lambda self, *a: refuse(*a))


def test_every_hostile_input_gets_a_result_or_a_structured_error(hostile, no_network):
    root, inputs = hostile
    out = root / "out"
    before = {p for p in root.parent.rglob("*")}
    summary = run([root / "in"], out, db=f"sqlite:///{out / 'registry.sqlite'}")
    results = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in out.glob("*.json")}
    for path in inputs:
        result = results[path.stem]
        assert result["status"] in ("ok", "error"), path.name
        if result["status"] == "error":
            err = result["error"]
            assert err["stage"] and err["type"] and path.name in err["message"], err
    assert summary.documents == len(inputs)
    # Nothing written beside the inputs or anywhere else in the test's area.
    created = {p for p in root.parent.rglob("*")} - before
    assert all(out in p.parents or p == out for p in created), sorted(str(p) for p in created if out not in p.parents)


def test_expected_refusals(hostile):
    root, _ = hostile
    out = root / "out"
    error_type = lambda name: json.loads((out / f"{name}.json").read_text())["error"]["type"]  # noqa: E731
    assert error_type("encrypted") == "EncryptedPDF"
    assert error_type("truncated") == "DamagedPDF"
    assert error_type("empty") == "EmptyDocument"


def test_attachment_names_never_become_paths(hostile):
    root, _ = hostile
    result = json.loads((root / "out" / "path-traversal.json").read_text())
    names = [c["source"]["name"] for c in result["document"]["children"]]
    assert "../../etc/passwd" in names  # kept for display only
    assert not (root / "etc").exists() and not Path("/var/evil.html").exists()


def test_sql_and_shell_text_is_only_text(hostile):
    import sqlite3

    root, _ = hostile
    db = sqlite3.connect(root / "out" / "registry.sqlite")
    tables = {r[0] for r in db.execute("select name from sqlite_master where type='table'")}
    assert "organisations" in tables  # the DROP TABLE in a party name did nothing
    result = json.loads((root / "out" / "sql-party.json").read_text())
    assert PARTY.split(";")[0] in result["document"]["content"]


# --- Bounds that the CI-sized corpus does not reach -------------------------------------------


def greedy_stage(task, config):  # noqa: ANN001, ANN201
    """The real stage, except that reading greedy* asks for 1.5 GB (untouched: harmless without a cap)."""
    from unittest import mock

    import pipeline.ingest
    from pipeline.batch.stage import process_task

    if not Path(task.path).name.startswith("greedy"):
        return process_task(task, config)

    def hog(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202, ARG001
        return bytearray(1_500_000_000)

    with mock.patch.object(pipeline.ingest, "read_bytes", hog):
        return process_task(task, config)


def test_a_document_over_the_memory_cap_fails_and_the_run_goes_on(tmp_path):
    from batch_docs import make_corpus

    from pipeline.batch.limits import Limits

    inputs = tmp_path / "in"
    n = make_corpus(inputs, n=3)
    (inputs / "greedy.txt").write_text("Aftale\n\nVejle Kommune giver 10.000 kr. til foreningen.\n", encoding="utf-8")
    summary = run([inputs], tmp_path / "out", workers=2, limits=Limits(max_memory=800_000_000), stage=greedy_stage)
    failed = {e.id: e.error for e in summary.errors}
    assert set(failed) == {"greedy", "tom"} and summary.processed == n + 1
    greedy = failed["greedy"]
    assert (greedy.stage, greedy.type) == ("limits", "OutOfMemory"), greedy
    assert "greedy.txt" in greedy.message and "800 MB per worker, --max-memory" in greedy.message
    result = json.loads((tmp_path / "out" / "greedy.json").read_text(encoding="utf-8"))
    assert result["error"]["type"] == "OutOfMemory"


def test_a_pdf_over_the_page_limit_is_refused_before_a_page_is_read(monkeypatch):
    from make_hostile import empty_pages_pdf

    from pipeline import ingest
    from pipeline.errors import TooManyPages
    from pipeline.ingest import pdf

    def never(*args):  # noqa: ANN002, ANN202
        raise AssertionError("a page was read")

    monkeypatch.setattr(pdf, "_read_page", never)
    with pytest.raises(TooManyPages, match="x.pdf: the PDF has 600 pages, more than the limit of 500"):
        ingest.read_bytes(empty_pages_pdf(600), path="x.pdf", doc_id="x", max_pages=500)


def test_a_pdf_stream_bomb_is_refused_before_pdfium_inflates_it(monkeypatch):
    from make_hostile import stream_bomb_pdf

    from pipeline import ingest
    from pipeline.errors import EmptyDocument
    from pipeline.ingest import pdf

    bomb = stream_bomb_pdf(8)  # 8 MB of zeros in 8 kB
    with pytest.raises(EmptyDocument):  # under the bound: read (a page without text)
        ingest.read_bytes(bomb, path="bomb.pdf", doc_id="bomb")
    monkeypatch.setattr(pdf, "MAX_CONTENT", 4 << 20)
    monkeypatch.setattr(pdf, "_read_page", lambda *a: pytest.fail("the bomb reached pdfium's page reader"))
    with pytest.raises(pdf.ContentTooLarge, match="bomb.pdf: the content of page 1 inflates to more than 4 MB") as err:
        ingest.read_bytes(bomb, path="bomb.pdf", doc_id="bomb")
    assert err.value.stage == "limits"


def test_a_message_over_the_part_limit_is_refused_before_the_full_parse(monkeypatch):
    from make_hostile import many_parts_mail

    from pipeline import ingest
    from pipeline.errors import TooManyParts
    from pipeline.ingest import mail

    monkeypatch.setattr(mail, "_parse", lambda *a: pytest.fail("the message was parsed in full"))
    with pytest.raises(TooManyParts, match="m.eml: the message has 1202 MIME parts, more than the limit of 1000"):
        ingest.read_bytes(many_parts_mail(1200), path="m.eml", doc_id="m", max_parts=1000)
