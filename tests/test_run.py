import json
import os
import subprocess
import sys

from pipeline.cli import main
from conftest import SAMPLES, REPO


def _write_inputs(folder):
    folder.mkdir()
    (folder / "godt.txt").write_text(
        "Ny aftale med krisecentret\n\nKommunen har indgået en ny driftsaftale med krisecentret, som gælder fra 1. januar 2026.",
        encoding="utf-8",
    )
    (folder / "tom.txt").write_bytes(b"")
    (folder / "junk.pdf").write_bytes(os.urandom(3000))
    sub = folder / "under"
    sub.mkdir()
    (sub / "godt.txt").write_text("Samme navn, anden mappe\n\nEn anden tekst om et tilskud til foreningen på 50.000 kr. i år.", encoding="utf-8")


def test_run_writes_one_result_per_input_and_records_failures(tmp_path, capsys):
    inputs, out = tmp_path / "in", tmp_path / "out"
    _write_inputs(inputs)
    status = main(["run", str(inputs), "--out", str(out)])
    assert status == 1  # some inputs failed
    names = sorted(p.name for p in out.iterdir())
    assert "godt.json" in names and "tom.json" in names and "junk.json" in names
    assert len([n for n in names if n.startswith("godt")]) == 2  # same stem twice, both kept
    assert not [n for n in names if n.endswith(".tmp")]
    ok = json.loads((out / "godt.json").read_text(encoding="utf-8"))
    assert ok["status"] == "ok" and ok["format"] == "text" and ok["language"] == "da"
    assert ok["title"] == "Ny aftale med krisecentret" and ok["id"] == "godt"
    assert {"id", "format", "language", "published", "title"} <= ok.keys()
    empty = json.loads((out / "tom.json").read_text(encoding="utf-8"))
    assert empty["status"] == "error" and empty["error"]["type"] == "EmptyDocument"
    assert str(inputs / "tom.txt") in empty["error"]["message"]
    junk = json.loads((out / "junk.json").read_text(encoding="utf-8"))
    assert junk["status"] == "error" and "junk.pdf" in junk["error"]["message"]
    err = capsys.readouterr().err
    assert "tom.txt" in err and "junk.pdf" in err


def test_run_exits_zero_when_all_inputs_succeed(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("Overskrift om tilskud\n\nKommunen giver et tilskud på 10.000 kr. til foreningen for at styrke arbejdet med frivillige.", encoding="utf-8")
    assert main(["run", str(src), "--out", str(tmp_path / "out")]) == 0


def test_samples_cover_every_format_and_all_succeed(tmp_path):
    out = tmp_path / "out"
    assert main(["run", str(SAMPLES), "--out", str(out)]) == 0
    results = [json.loads(p.read_text(encoding="utf-8")) for p in out.glob("*.json")]
    formats = [r["format"] for r in results]
    for fmt in ("html", "email", "pdf", "text"):
        assert formats.count(fmt) >= 2, fmt
    assert {r["language"] for r in results} >= {"da", "sv", "en"}
    assert {r["language"] for r in results} & {"nb", "nn"}
    for r in results:
        assert r["title"], r["id"]


def test_module_entry_point_runs():
    proc = subprocess.run([sys.executable, "-m", "pipeline", "--version"], capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0 and "agreements" in proc.stdout


def test_atomic_write_leaves_old_file_intact_on_failure(tmp_path, monkeypatch):
    from pipeline import run as run_mod

    target = tmp_path / "x.json"
    run_mod.write_json_atomic(target, {"a": 1})

    class Boom:
        def __repr__(self):
            raise RuntimeError("cannot serialise")

    try:
        run_mod.write_json_atomic(target, {"a": object()})
    except TypeError:
        pass
    assert json.loads(target.read_text()) == {"a": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]
