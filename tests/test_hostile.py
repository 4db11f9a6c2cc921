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
