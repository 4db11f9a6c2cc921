"""Personal data: redacting contacts from outputs, forgetting a person everywhere."""

import json

import pytest

from pipeline.privacy import MASK, REDACTED, redact
from pipeline.registry import load_result, open_registry
from pipeline.registry.forget import forget_person
from pipeline.run import process_file, write_json_atomic

PRESS = """Ny driftsaftale med Vejle Krisecenter

Publiceret 3. februar 2025

Vejle Kommune har indgået en ny driftsaftale med Vejle Krisecenter, som gælder fra 1. marts 2025 til 28. februar 2027.

- Vi er glade for aftalen, siger Hanne Kjær Olsen, formand for Socialudvalget.

Kontakt:
Hanne Kjær Olsen, formand for Socialudvalget
Tlf. 76 81 00 00
E-mail: hanne.olsen@vejle.dk
"""


@pytest.fixture
def result(tmp_path):
    path = tmp_path / "vejle.txt"
    path.write_text(PRESS, encoding="utf-8")
    (res,) = process_file(path)
    assert res.status == "ok" and "Hanne Kjær Olsen" in {c.name for c in res.contacts}
    return res


def _all_text(res) -> str:
    return json.dumps(res.model_dump(mode="json"), ensure_ascii=False)


def test_redact_contacts_keeps_roles_and_organisations(result):
    red = redact(result, all_contacts=True)
    text = _all_text(red)
    for secret in ("Hanne", "Olsen", "76 81 00 00", "+4576810000", "hanne.olsen@vejle.dk"):
        assert secret not in text, secret
    (contact,) = red.contacts
    assert contact.name == REDACTED and contact.role and contact.organisation == "Vejle Kommune"
    # Offsets still hold: masks keep the length of what they hide.
    doc = red.document
    assert len(doc.content) == len(result.document.content)
    for b in doc.blocks:
        assert doc.content[b.start:b.end] == b.text
    for c in red.contacts:
        for ev in c.evidence:
            assert doc.content[ev.start:ev.end] == ev.quote and MASK in ev.quote
    assert [a.parties for a in red.agreements] == [a.parties for a in result.agreements]


def test_forget_person_in_registry_and_results_and_on_reload(tmp_path, result):
    out = tmp_path / "out"
    write_json_atomic(out / f"{result.id}.json", result)
    engine = open_registry(f"sqlite:///{tmp_path / 'registry.sqlite'}")
    load_result(engine, result)

    report = forget_person(engine, "hanne kjær olsen", results=out)
    assert report.contacts == 1 and report.files

    with engine.connect() as conn:
        dump = "\n".join(str(row) for table in ("persons", "person_contacts", "evidence", "agreement_sources", "corrections")
                         for row in conn.exec_driver_sql(f"select * from {table}"))
    assert "Hanne" not in dump and "Olsen" not in dump
    written = (out / f"{result.id}.json").read_text(encoding="utf-8")
    assert "Hanne" not in written and "Olsen" not in written

    # Loading the same document again does not bring the person back.
    load_result(engine, result.model_copy(update={"title": result.title + " "}))
    with engine.connect() as conn:
        names = [r[0] for r in conn.exec_driver_sql("select name from persons")]
        quotes = " ".join(r[0] for r in conn.exec_driver_sql("select quote from evidence"))
    assert "Hanne Kjær Olsen" not in names and "Olsen" not in quotes


def test_forget_needs_a_name():
    with pytest.raises(ValueError):
        forget_person(None, "   ")


def test_cli_redact_contacts_and_forget_person(tmp_path):
    from pipeline.cli import main

    src = tmp_path / "in"
    src.mkdir()
    (src / "vejle.txt").write_text(PRESS, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(src), "--out", str(out), "--workers", "1", "--quiet", "--redact-contacts"]) == 0
    text = (out / "vejle.json").read_text(encoding="utf-8")
    assert "Olsen" not in text and "hanne.olsen@vejle.dk" not in text and "formand for Socialudvalget" in text
    with open_registry(f"sqlite:///{out / 'registry.sqlite'}").connect() as conn:
        assert "Olsen" not in str(conn.exec_driver_sql("select * from persons").all())

    plain = tmp_path / "plain"
    assert main(["run", str(src), "--out", str(plain), "--workers", "1", "--quiet"]) == 0
    assert "Olsen" in (plain / "vejle.json").read_text(encoding="utf-8")
    db = f"sqlite:///{plain / 'registry.sqlite'}"
    assert main(["registry", "forget-person", "Hanne Kjær Olsen", "--db", db, "--results", str(plain)]) == 0
    assert "Olsen" not in (plain / "vejle.json").read_text(encoding="utf-8")
    # A forced re-run of the same documents keeps the person out of the new results.
    assert main(["run", str(src), "--out", str(plain), "--workers", "1", "--quiet", "--force"]) == 0
    assert "Olsen" not in (plain / "vejle.json").read_text(encoding="utf-8")
