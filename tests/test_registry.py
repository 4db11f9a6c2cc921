"""The agreement registry, run on SQLite and on PostgreSQL alike.

PostgreSQL: a server on 127.0.0.1:5432 with trust auth (AGREEMENTS_TEST_PG
overrides the admin URL); a fresh database is created for the test run and
dropped after it; the tests skip with the reason when no server answers.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import sys
import uuid
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, text

from conftest import SAMPLES
from pipeline.cli import main
from pipeline.models import Agreement, Amount, Contact, Evidence, Party, Result, Source
from pipeline.registry import load_result, open_registry
from pipeline.registry import schema as S
from pipeline.registry.db import head_revision, normalise_url
from pipeline.registry.export import export, ocds_package
from pipeline.registry.query import get_agreement, get_organisation, list_agreements, list_organisations
from pipeline.registry.views import AgreementFilter, OrganisationFilter

PG_ADMIN = os.environ.get("AGREEMENTS_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
TESTS = Path(__file__).resolve().parent


# --- Back-ends --------------------------------------------------------------------------


def _admin():
    import psycopg

    try:
        return psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3)
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"no PostgreSQL server answers at {PG_ADMIN}: {exc}".splitlines()[0])


def create_pg_database(prefix: str = "agreements_test") -> str:
    """A new empty database; its URL."""
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with _admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return normalise_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)


def drop_pg_database(url: str) -> None:
    name = normalise_url(url).database
    with _admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def pg_database():
    url = create_pg_database()
    yield url
    drop_pg_database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """An empty, migrated registry: a SQLite file, or the run's PostgreSQL database emptied."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'registry.sqlite'}"
        return
    url = request.getfixturevalue("pg_database")
    engine = open_registry(url)
    with engine.begin() as conn:
        names = ", ".join(t.name for t in S.Base.metadata.sorted_tables)
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()
    yield url


@pytest.fixture
def registry(db_url):
    engine = open_registry(db_url)
    yield engine
    engine.dispose()


# --- Results ----------------------------------------------------------------------------


def write_trio(folder: Path) -> Path:
    """A press release, a newsletter email and the signed PDF of one agreement (invented)."""
    sys.path.insert(0, str(TESTS))
    from pdfgen import make_pdf

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "horsens-pressemeddelelse.txt").write_text(
        "Ny samarbejdsaftale med Frivilligcenter Horsens\n\nPubliceret 14. november 2025\n\n"
        "Horsens Kommune og Frivilligcenter Horsens har indgået en ny samarbejdsaftale, som gælder fra "
        "1. januar 2026 til 31. december 2028. Aftalen blev godkendt af Social- og Sundhedsudvalget den "
        "10. november 2025.\n\nMed aftalen giver Horsens Kommune frivilligcentret et årligt tilskud på "
        "900.000 kr. til at støtte de frivillige foreninger i kommunen.\n\nKontakt:\n"
        "Jens Munk Olesen, formand for Social- og Sundhedsudvalget\nTlf. 76 29 29 29\n"
        "E-mail: jens.munk.olesen@horsens.dk\n",
        encoding="utf-8",
    )
    (folder / "horsens-nyhedsbrev.eml").write_text(
        "From: Horsens Kommune - Frivillignyt <frivillignyt@horsens.dk>\nTo: modtager@example.dk\n"
        "Subject: Frivillignyt: Samarbejdsaftale med Frivilligcenter Horsens\n"
        "Date: Mon, 01 Dec 2025 08:30:00 +0100\nMessage-ID: <frivillignyt-2025-12@horsens.dk>\n"
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=\"utf-8\"\nContent-Transfer-Encoding: 8bit\n\n"
        "Samarbejdsaftale med Frivilligcenter Horsens\n\n"
        "Horsens Kommunes nye samarbejdsaftale med Frivilligcenter Horsens er nu underskrevet. Aftalen gælder "
        "fra 1. januar 2026 til 31. december 2028, og frivilligcentret får et årligt tilskud på 900.000 kr.\n\n"
        "Aftalen revideres hvert år.\n\nKontakt: Jens Munk Olesen, formand for Social- og Sundhedsudvalget, "
        "tlf. 76 29 29 29, e-mail jens.munk.olesen@horsens.dk\n",
        encoding="utf-8",
    )
    make_pdf(folder / "horsens-samarbejdsaftale.pdf", [[
        ("title", "Samarbejdsaftale mellem Horsens Kommune og Frivilligcenter Horsens"),
        ("heading", "1. Parter"),
        "Denne samarbejdsaftale er indgået mellem Horsens Kommune og Frivilligcenter Horsens.",
        ("heading", "2. Aftalens varighed"),
        "Aftalen gælder fra 1. januar 2026 til 31. december 2028. Aftalen kan opsiges med 6 måneders varsel.",
        ("heading", "3. Økonomi"),
        "Horsens Kommune yder et årligt tilskud på 900.000 kr. til Frivilligcenter Horsens.",
        ("heading", "4. Underskrifter"),
        "Horsens, den 20. november 2025",
    ]], title="Samarbejdsaftale mellem Horsens Kommune og Frivilligcenter Horsens")
    return folder


@pytest.fixture(scope="session")
def sample_results(tmp_path_factory) -> list[Result]:
    """The pipeline's results for samples/ (run once for the session)."""
    from pipeline.run import run

    out = tmp_path_factory.mktemp("sample-results")
    run([SAMPLES], out)
    return [Result.model_validate_json(p.read_bytes()) for p in sorted(out.glob("*.json"))]


@pytest.fixture(scope="session")
def trio_results(tmp_path_factory) -> list[Result]:
    from pipeline.run import run

    folder = write_trio(tmp_path_factory.mktemp("trio") / "in")
    out = folder.parent / "out"
    run([folder], out)
    return [Result.model_validate_json(p.read_bytes()) for p in sorted(out.glob("*.json"))]


def ev(doc: str, quote: str, start: int = 0) -> Evidence:
    return Evidence(doc=doc, start=start, end=start + len(quote), quote=quote)


def make_result(doc: str, fmt: str, parties: list[tuple[str, str]], agreements: list[dict],
                contacts: list[dict] = (), published: date | None = date(2025, 11, 1), sha: str | None = None) -> Result:
    """A hand-built result (the registry's input contract), with evidence on every fact."""
    return Result(
        id=doc, status="ok", format=fmt, language="da", published=published, title=f"Title of {doc}",
        source=Source(path=f"in/{doc}.{fmt}", sha256=sha or (doc * 8)[:64].ljust(64, "0"), size=100, format=fmt),
        pipeline_version="test",
        parties=[Party(name=n, kind=k, evidence=[ev(doc, n)]) for n, k in parties],
        agreements=[
            Agreement(**{**a, "amounts": [Amount(**m, evidence=[ev(doc, f"{m['value']} kr.", 50)])
                                          for m in a.get("amounts", [])]}, evidence=[ev(doc, "aftale", 10)])
            for a in agreements
        ],
        contacts=[Contact(**c, evidence=[ev(doc, c["name"], 200)]) for c in contacts],
        dates=[a["start"] for a in agreements if a.get("start")],
    )


def snapshot(engine, loaded_at: bool = False) -> dict[str, list]:
    """Every row of every table, ids replaced by natural keys: equal for equal registries."""
    with engine.connect() as c:
        doc = dict(c.execute(select(S.Document.id, S.Document.doc_key)).all())
        org = dict(c.execute(select(S.Organisation.id, S.Organisation.key)).all())
        agr = dict(c.execute(select(S.Agreement.id, S.Agreement.key)).all())
        per = dict(c.execute(select(S.Person.id, S.Person.key)).all())
        alias = {r.id: (org[r.organisation_id], doc[r.document_id], r.alias)
                 for r in c.execute(select(S.OrganisationAlias.__table__))}
        source = {r.id: (doc[r.document_id], r.claim_index) for r in c.execute(select(S.AgreementSource.__table__))}
        amount = {r.id: (agr[r.agreement_id], r.slot) for r in c.execute(select(S.Amount.__table__))}
        contact = {r.id: (doc[r.document_id], r.claim_index) for r in c.execute(select(S.PersonContact.__table__))}
        dates = {r.id: (doc[r.document_id], r.value) for r in c.execute(select(S.DocumentDate.__table__))}
        maps = {"document_id": doc, "organisation_id": org, "agreement_id": agr, "person_id": per, "alias_id": alias,
                "source_id": source, "amount_id": amount, "contact_id": contact, "date_id": dates}
        out = {}
        for table in S.Base.metadata.sorted_tables:
            rows = []
            for r in c.execute(select(table)).mappings():
                row = {}
                for k, v in r.items():
                    if k == "id" or (k in ("loaded_at", "applied_at") and not loaded_at):
                        continue
                    row[k] = maps[k].get(v) if k in maps and v is not None else v
                rows.append(json.dumps(row, sort_keys=True, default=str, ensure_ascii=False))
            out[table.name] = sorted(rows)
        return out


def count(engine, model) -> int:
    with engine.connect() as c:
        return len(c.execute(select(model.__table__)).all())


# --- Schema and migrations ------------------------------------------------------------------


def test_migrations_create_exactly_the_models(registry):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with registry.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        assert ctx.get_current_revision() == head_revision()
        assert compare_metadata(ctx, S.Base.metadata) == []


def test_sqlite_runs_in_wal_mode_with_busy_timeout_and_foreign_keys(tmp_path):
    engine = open_registry(f"sqlite:///{tmp_path / 'r.sqlite'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 10_000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_bare_path_and_postgres_scheme_are_understood():
    assert normalise_url("out/registry.sqlite").get_backend_name() == "sqlite"
    assert normalise_url("postgresql://u@h/db").drivername == "postgresql+psycopg"


# --- Loading --------------------------------------------------------------------------------


def test_loading_the_samples_twice_changes_nothing(registry, sample_results):
    first = [load_result(registry, r) for r in sample_results]
    assert {o.action for o in first} == {"inserted"}
    before = snapshot(registry, loaded_at=True)
    second = [load_result(registry, r) for r in sample_results]
    assert {o.action for o in second} == {"unchanged"}
    assert [o.agreements for o in second] == [o.agreements for o in first]
    assert snapshot(registry, loaded_at=True) == before
    assert len(list_agreements(registry)) == sum(len(r.agreements) for r in sample_results)
    # every stored fact has evidence pointing into its document
    with registry.connect() as c:
        for fact in ("party", "agreement", "amount", "contact"):
            assert c.scalar(text(f"SELECT count(*) FROM evidence WHERE fact = '{fact}'")) > 0
        assert c.scalar(text("SELECT count(*) FROM agreement_sources s WHERE NOT EXISTS "
                             "(SELECT 1 FROM evidence e WHERE e.source_id = s.id)")) == 0


def test_press_release_email_and_signed_pdf_are_one_agreement_with_three_sources(registry, trio_results):
    assert {r.format for r in trio_results} == {"text", "email", "pdf"}
    for r in trio_results:
        load_result(registry, r)
    agreements = list_agreements(registry)
    assert len(agreements) == 1, [a.id for a in agreements]
    a = agreements[0]
    assert sorted(s.format for s in a.sources) == ["email", "pdf", "text"]
    assert [p.name for p in a.parties] == ["Horsens Kommune", "Frivilligcenter Horsens"]
    assert (a.type, a.start, a.end) == ("cooperation_agreement", date(2026, 1, 1), date(2028, 12, 31))
    assert [(m.value, m.currency, m.per) for m in a.amounts] == [(900000, "DKK", "year")]
    shown = get_agreement(registry, a.id)
    assert {e.document for e in shown.evidence} == {r.id for r in trio_results}
    assert {e.document for e in shown.amounts[0].evidence} == {r.id for r in trio_results}
    assert len(list_organisations(registry)) == 2


def test_same_agreement_from_hand_built_results_merges_across_spellings(registry):
    a = dict(type="iop", status="approved", parties=["Lunds kommun", "Kvinnojouren i Lund"],
             start=date(2026, 1, 1), end=date(2028, 12, 31), amounts=[dict(value=1200000, currency="SEK", per="year")])
    load_result(registry, make_result("press", "html", [("Lunds kommun", "municipality"),
                                                        ("Kvinnojouren i Lund", "organisation")], [a]))
    b = dict(a, status="signed", parties=["LUNDS KOMMUN", "Kvinnojouren i Lunds"], start=None, end=None)
    load_result(registry, make_result("mail", "email", [("LUNDS KOMMUN", "municipality"),
                                                        ("Kvinnojouren i Lunds", "organisation")], [b]))
    c = dict(a, status="signed", parties=["Lunds kommun", "Kvinnojouren i Lund AB"], end=date(2027, 12, 31),
             amounts=[dict(value=1200000, currency="SEK", per="year"), dict(value=3600000, currency="SEK", per="total")],
             terms={"notice_months": 6})
    load_result(registry, make_result("signed", "pdf", [("Lunds kommun", "municipality"),
                                                        ("Kvinnojouren i Lund AB", "organisation")], [c]))
    # a renewal for a later period is another agreement of the same parties
    d = dict(a, start=date(2029, 1, 1), end=date(2031, 12, 31))
    load_result(registry, make_result("renewal", "html", [("Lunds kommun", "municipality"),
                                                          ("Kvinnojouren i Lund", "organisation")], [d],
                                      published=date(2028, 11, 1)))
    first, second = list_agreements(registry)
    assert sorted(s.document for s in first.sources) == ["mail", "press", "signed"]
    assert first.status == "signed" and first.end == date(2027, 12, 31)  # the PDF's period wins
    assert first.terms.notice_months == 6
    assert sorted((m.value, m.per) for m in first.amounts) == [(1200000, "year"), (3600000, "total")]
    assert [s.document for s in second.sources] == ["renewal"] and second.id == first.id + "-2"
    orgs = list_organisations(registry)
    assert len(orgs) == 2
    jour = get_organisation(registry, "Kvinnojouren i Lunds")
    assert jour.name == "Kvinnojouren i Lund" and set(jour.aliases) == {"Kvinnojouren i Lunds", "Kvinnojouren i Lund AB"}
    assert get_organisation(registry, "lunds kommun").id == get_organisation(registry, "LUNDS KOMMUN").id


def test_a_changed_document_replaces_its_own_facts_and_nothing_else(registry, sample_results):
    for r in sample_results:
        load_result(registry, r)
    before = snapshot(registry)
    target = next(r for r in sample_results if r.id == "da-odense-krisecenter-driftsaftale")
    old_ids = {a.id for a in list_agreements(registry, AgreementFilter(party="Odense"))}
    changed = copy.deepcopy(target)
    changed.source.sha256 = "f" * 64
    changed.agreements[0].amounts[0].value = 2_500_000
    changed.contacts = []
    assert load_result(registry, changed).action == "replaced"
    after = snapshot(registry)
    odense = [a for a in list_agreements(registry) if a.id in old_ids][0]
    assert [m.value for m in odense.amounts] == [2_500_000]
    assert not [p for p in list_organisations(registry) if p.name == "Odense Kommune"][0].persons
    doc_key = target.id
    for table, rows in before.items():  # rows of other documents and agreements are untouched
        keep_before = [r for r in rows if doc_key not in r and not any(i in r for i in old_ids)]
        keep_after = [r for r in after[table] if doc_key not in r and not any(i in r for i in old_ids)]
        if table not in ("organisations", "persons"):
            assert keep_before == keep_after, table
    # loading the original again restores exactly the first state
    assert load_result(registry, target).action == "replaced"
    assert snapshot(registry) == before


def test_a_document_that_drops_a_party_removes_what_only_it_said(registry):
    one = make_result("one", "html", [("Vejle Kommune", "municipality"), ("Linde Gas A/S", "company")],
                      [dict(type="cooperation_agreement", parties=["Vejle Kommune", "Linde Gas A/S"])])
    load_result(registry, one)
    assert {o.name for o in list_organisations(registry)} == {"Vejle Kommune", "Linde Gas A/S"}
    two = one.model_copy(update={"parties": one.parties[:1], "agreements": [], "contacts": []})
    load_result(registry, two)
    assert [o.name for o in list_organisations(registry)] == ["Vejle Kommune"]
    assert list_agreements(registry) == [] and count(registry, S.AgreementSource) == 0


def test_one_document_loads_whole_or_not_at_all(registry, sample_results, monkeypatch):
    from pipeline.registry import merge

    load_result(registry, sample_results[0])
    before = snapshot(registry, loaded_at=True)

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(merge, "refresh", broken)
    with pytest.raises(RuntimeError):
        load_result(registry, sample_results[1])
    changed = sample_results[0].model_copy(deep=True)
    changed.source.sha256 = "0" * 64
    with pytest.raises(RuntimeError):
        load_result(registry, changed)
    assert snapshot(registry, loaded_at=True) == before


def test_error_results_are_skipped(registry):
    bad = Result(id="x", status="error", pipeline_version="t")
    assert load_result(registry, bad).action == "skipped"
    assert count(registry, S.Document) == 0


# --- Queries and exports ------------------------------------------------------------------------


def test_filters(registry, sample_results, trio_results):
    for r in sample_results + trio_results:
        load_result(registry, r)
    every = list_agreements(registry)
    assert len(every) == 9
    sek = list_agreements(registry, AgreementFilter(currency="sek"))
    assert sek and all(any(m.currency == "SEK" for m in a.amounts) for a in sek)
    assert len(sek) == len([a for a in every if any(m.currency == "SEK" for m in a.amounts)])
    assert [a.parties[1].name for a in list_agreements(registry, AgreementFilter(party="örebro"))] == [
        "Brottsofferjouren Örebro"]
    y2029 = list_agreements(registry, AgreementFilter(year=2029))
    assert y2029 and all(a.start.year <= 2029 <= a.end.year for a in y2029)
    assert all(a.type == "iop" for a in list_agreements(registry, AgreementFilter(type="iop")))
    assert list_agreements(registry, AgreementFilter(kind="company")) == []
    assert len(list_agreements(registry, AgreementFilter(kind="municipality"))) == 9
    munis = list_organisations(registry, OrganisationFilter(kind="municipality"))
    assert munis and {o.kind for o in munis} == {"municipality"}
    assert {o.country for o in list_organisations(registry, OrganisationFilter(country="se"))} == {"SE"}
    assert get_organisation(registry, "Horsens Kommunes").persons[0].email == "jens.munk.olesen@horsens.dk"


def test_exports_json_jsonl_csv_and_ocds(registry, sample_results):
    for r in sample_results:
        load_result(registry, r)
    n = len(sample_results)
    out = io.StringIO()
    assert export(registry, "json", out) == n
    data = json.loads(out.getvalue())
    assert len(data) == n and all(a["evidence"] and a["sources"] for a in data)
    out = io.StringIO()
    export(registry, "jsonl", out, agreement_filter=AgreementFilter(currency="NOK"))
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines and all(any(m["currency"] == "NOK" for m in a["amounts"]) for a in lines)
    out = io.StringIO()
    export(registry, "csv", out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == n and {"id", "parties", "amounts", "start", "end", "sources"} <= rows[0].keys()
    out = io.StringIO()
    export(registry, "csv", out, entity="organisations")
    assert len(list(csv.DictReader(io.StringIO(out.getvalue())))) == len(list_organisations(registry))

    out = io.StringIO()
    export(registry, "ocds", out, ocid_prefix="ocds-test01")
    package = json.loads(out.getvalue())
    assert package["version"] == "1.1" and len(package["releases"]) == n
    for release in package["releases"]:
        assert release["ocid"].startswith("ocds-test01-ag-")
        assert {"id", "date", "tag", "initiationType", "parties", "awards", "contracts"} <= release.keys()
        roles = {r for p in release["parties"] for r in p["roles"]}
        assert {"buyer", "supplier"} <= roles or {"funder", "beneficiary"} <= roles
        contract = release["contracts"][0]
        assert set(contract["value"]) == {"amount", "currency"}
        assert contract["period"]["startDate"].endswith("T00:00:00Z")
        assert release["buyer"]["id"] in {p["id"] for p in release["parties"]}
    lund = next(r for r in package["releases"] if "Lunds kommun" in [p["name"] for p in r["parties"]])
    assert {p["name"]: p["roles"] for p in lund["parties"]} == {"Lunds kommun": ["buyer"],
                                                                "Kvinnojouren i Lund": ["supplier"]}
    assert lund["contracts"][0]["value"] == {"amount": 1200000, "currency": "SEK"}
    assert lund["contracts"][0]["period"] == {"startDate": "2026-01-01T00:00:00Z", "endDate": "2028-12-31T00:00:00Z"}


def test_grants_name_funder_and_beneficiary():
    from pipeline.registry.views import AgreementView, AmountView, PartyView

    grant = AgreementView(id="ag-x", type="grant", status="approved", start=date(2026, 1, 1),
                          parties=[PartyView(id="org-a", name="Tromsø kommune", kind="municipality"),
                                   PartyView(id="org-b", name="Frivilligsentral", kind="organisation")],
                          amounts=[AmountView(value=850000, currency="NOK")])
    release = ocds_package([grant], "ocds-x")["releases"][0]
    assert [p["roles"][0] for p in release["parties"]] == ["funder", "beneficiary"]
    assert release["awards"][0]["suppliers"] == [{"id": "org-b", "name": "Frivilligsentral"}]
    assert release["awards"][0]["contractPeriod"] == {"startDate": "2026-01-01T00:00:00Z"}


# --- Review round-trip ------------------------------------------------------------------------


def _reviewed(registry, tmp_path: Path, edit) -> Path:
    from pipeline.registry.review import write_review

    path = tmp_path / "review.json"
    write_review(registry, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def test_corrections_win_and_survive_reloads_and_changed_documents(registry, trio_results, sample_results, tmp_path):
    from pipeline.registry.review import apply_review

    for r in trio_results + sample_results:
        load_result(registry, r)
    horsens = list_agreements(registry, AgreementFilter(party="Horsens"))[0]
    voss = list_agreements(registry, AgreementFilter(party="Voss"))[0]

    def edit(data):
        a = next(a for a in data["agreements"] if a["id"] == horsens.id)
        a["amounts"][0]["value"] = 950000
        a["status"] = "in_force"
        next(a for a in data["agreements"] if a["id"] == voss.id)["delete"] = True
        data["contacts"].append({"name": "Karen Bro", "organisation": "Frivilligcenter Horsens",
                                 "role": "leder", "email": "karen.bro@frivillighorsens.dk"})
        org = next(o for o in data["organisations"] if o["name"] == "Frivilligcenter Horsens")
        org["country"] = "DK"
        org["kind"] = "organisation"

    path = _reviewed(registry, tmp_path, edit)
    report = apply_review(registry, path)
    assert report.agreements == sorted([horsens.id, voss.id]) and len(report.contacts) == 1

    def check():
        a = get_agreement(registry, horsens.id)
        assert [m.value for m in a.amounts] == [950000] and a.status == "in_force"
        assert set(a.corrected) == {"amounts", "status"}
        assert voss.id not in {x.id for x in list_agreements(registry)}
        org = get_organisation(registry, "Frivilligcenter Horsens")
        assert [(p.name, p.role, p.email) for p in org.persons] == [
            ("Karen Bro", "leder", "karen.bro@frivillighorsens.dk")]

    check()
    # applying the same file again changes nothing
    before = snapshot(registry)
    assert apply_review(registry, path).corrections == 0
    assert snapshot(registry) == before
    # re-loading the same results, and a changed version of one source, keep the corrections
    for r in trio_results + sample_results:
        load_result(registry, r)
    check()
    changed = trio_results[0].model_copy(deep=True)
    changed.source.sha256 = "e" * 64
    changed.title = "Rettet titel"
    changed.agreements[0].amounts[0].value = 910000
    assert load_result(registry, changed).action == "replaced"
    check()


@pytest.mark.parametrize("edit, where, reason", [
    (lambda d: d["agreements"][0]["amounts"][0].__setitem__("value", "lots"), "agreements[0].amounts[0].value",
     "valid number"),
    (lambda d: d["agreements"][0].__setitem__("id", "ag-0000000000"), "agreements[0].id", "no agreement"),
    (lambda d: d["agreements"][0].__setitem__("type", "treaty"), "agreements[0].type", "Input should be"),
    (lambda d: d["agreements"][0].__setitem__("colour", "red"), "agreements[0].colour", "Extra inputs"),
    (lambda d: d["contacts"].append({"name": "A B", "email": "not-an-email"}), "contacts[", "email"),
    (lambda d: d["organisations"][0].__setitem__("country", "Denmark"), "organisations[0].country", "pattern"),
])
def test_an_invalid_review_file_is_rejected_whole_and_changes_nothing(registry, sample_results, tmp_path, edit, where,
                                                                    reason):
    from pipeline.registry.review import ReviewError, apply_review

    for r in sample_results:
        load_result(registry, r)

    def both(data):
        data["agreements"][1]["status"] = "ended"  # a valid change that must not be applied either
        edit(data)

    path = _reviewed(registry, tmp_path, both)
    before = snapshot(registry, loaded_at=True)
    with pytest.raises(ReviewError) as info:
        apply_review(registry, path)
    message = str(info.value)
    assert str(path) in message and where in message and reason in message, message
    assert snapshot(registry, loaded_at=True) == before


def test_review_file_that_is_not_json_names_line_and_column(registry, tmp_path):
    from pipeline.registry.review import ReviewError, apply_review

    path = tmp_path / "broken.json"
    path.write_text('{"agreements": [\n  {"id": }\n]}', encoding="utf-8")
    with pytest.raises(ReviewError, match=r"broken\.json: line 2 column 10: not valid JSON"):
        apply_review(registry, path)


# --- Command line ---------------------------------------------------------------------------


def test_cli_run_fills_the_registry_and_registry_commands_read_it(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["run", str(SAMPLES), "--out", "output"]) == 0
    assert "results in output; registry output/registry.sqlite: 8 inserted" in capsys.readouterr().out
    assert main(["registry", "agreements", "--party", "lund"]) == 0
    table = capsys.readouterr().out
    assert "Lunds kommun + Kvinnojouren i Lund" in table and "1 agreements" in table
    assert main(["registry", "agreements", "--json", "--currency", "NOK"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == 3
    assert main(["registry", "show-agreement", listed[0]["id"]]) == 0
    assert json.loads(capsys.readouterr().out)["evidence"]
    assert main(["registry", "organisations", "--kind", "municipality", "--country", "NO"]) == 0
    assert "3 organisations" in capsys.readouterr().out
    assert main(["registry", "show-organisation", "Bodø kommune"]) == 0
    assert json.loads(capsys.readouterr().out)["persons"]
    for fmt in ("json", "jsonl", "csv", "ocds"):
        assert main(["registry", "export", "--format", fmt, "--out", f"export.{fmt}"]) == 0
        assert Path(f"export.{fmt}").stat().st_size > 100
    assert main(["registry", "export", "--format", "ocds", "--out", "output/ocds.json"]) == 0
    capsys.readouterr()
    assert main(["registry", "load", "output", "--db", "sqlite:///copy.sqlite"]) == 0
    loaded = capsys.readouterr().out
    assert "8 results: 8 inserted" in loaded and "passed over 1 JSON files that are not results: ocds.json" in loaded
    assert main(["registry", "load", "output/ocds.json", "--db", "sqlite:///copy.sqlite"]) == 2
    assert "output/ocds.json: not a result file" in capsys.readouterr().err
    assert main(["review", "export", "--out", "review.json"]) == 0
    data = json.loads(Path("review.json").read_text(encoding="utf-8"))
    data["agreements"][0]["amounts"][0]["value"] = "x"
    Path("bad.json").write_text(json.dumps(data), encoding="utf-8")
    capsys.readouterr()
    assert main(["review", "apply", "bad.json"]) == 2
    err = capsys.readouterr().err
    assert "bad.json: agreements[0].amounts[0].value: Input should be a valid number" in err
    assert "nothing was changed" in err
    assert main(["run", str(SAMPLES), "--out", "output"]) == 0  # again: nothing new
    assert "registry output/registry.sqlite: 8 unchanged" in capsys.readouterr().out
    assert main(["registry", "agreements", "--db", "sqlite:///nowhere/registry.sqlite"]) == 2
    assert "no registry at nowhere/registry.sqlite" in capsys.readouterr().err


def test_cli_run_no_db_writes_json_only(tmp_path):
    assert main(["run", str(SAMPLES / "sv-lund-kvinnojour-iop.html"), "--out", str(tmp_path), "--no-db"]) == 0
    # No registry; the hidden run state (.agreements-state.sqlite) is not a result.
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith(".")] == ["sv-lund-kvinnojour-iop.json"]


def test_a_registry_failure_is_that_documents_error_and_the_run_goes_on(tmp_path, capsys, monkeypatch):
    import pipeline.registry as registry_pkg

    real = registry_pkg.load_result

    def flaky(engine, result):
        if result.id == "sv-lund-kvinnojour-iop":
            raise RuntimeError("constraint trouble")
        return real(engine, result)

    monkeypatch.setattr(registry_pkg, "load_result", flaky)
    assert main(["run", str(SAMPLES), "--out", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert "sv-lund-kvinnojour-iop.html: registry: constraint trouble [RuntimeError]" in captured.err
    assert "8 documents, 1 failed" in captured.out and ": 7 inserted" in captured.out
    engine = open_registry(f"sqlite:///{tmp_path / 'registry.sqlite'}")
    assert len(list_agreements(engine)) == 7
    engine.dispose()
