"""Incremental merging equals deriving from scratch.

A load that only adds sources updates agreements, persons and organisations from
their `merge_state`; after every step of a random run (new documents, reloads,
changed documents, corrections set and removed) deriving everything again from
all the rows, with the state thrown away, must change nothing at all.
"""

from __future__ import annotations

import json
import random
from datetime import date, datetime

import pytest
from sqlalchemy import select, text

from pipeline.models import Agreement, Amount, Contact, Evidence, Party, Result, Source
from pipeline.registry import load_result, merge
from pipeline.registry import schema as S
from test_registry import db_url, pg_database, registry  # noqa: F401 - fixtures

MUNIS = ["Aarhus Kommune", "Aarhus Kommunes", "AARHUS KOMMUNE", "Vejle Kommune", "Lunds kommun"]
ORGS = ["Frivilligcenter Aarhus", "Foreningen Nord", "Foreningen Nord A/S", "Kvinnojouren i Lund"]
PEOPLE = ["Mette Vang", "METTE VANG", "Jens Munk", "Anna Ek"]


def _ev(rng: random.Random, doc: str) -> list[Evidence]:
    return [Evidence(doc=doc, start=s, end=s + 5, quote=f"q{s}") for s in rng.sample(range(0, 40, 5), rng.randint(0, 2))]


def _day(rng: random.Random) -> date | None:
    return rng.choice([None, date(2024 + rng.randint(0, 4), rng.choice([1, 6, 12]), 1)])


def _period(rng: random.Random) -> tuple[date | None, date | None]:
    """Mostly short closed periods over a decade (several agreements per group), some open or missing."""
    roll = rng.random()
    if roll < 0.15:
        return None, None
    start = date(2020 + rng.randint(0, 9), rng.choice([1, 4, 7, 10]), 1)
    if roll < 0.22:
        return start, None
    if roll < 0.27:
        return None, start
    end = date(start.year + rng.choice([0, 0, 0, 1]), rng.choice([3, 6, 9, 12]), 28)
    return start, end


def random_result(rng: random.Random, doc: str, version: int) -> Result:
    names = [rng.choice(MUNIS[:2] + MUNIS[3:4])] + rng.sample(ORGS[1:3], rng.randint(0, 1)) + rng.sample(ORGS, rng.randint(0, 1))
    agreements = []
    for _ in range(rng.choice([0, 1, 1, 1, 2])):
        start, end = _period(rng)
        agreements.append(Agreement(
            type=rng.choice(["grant", "iop"]), status=rng.choice([None, "proposed", "approved", "signed", "in_force"]),
            parties=names[:2], start=start, end=end,
            amounts=[Amount(value=rng.choice([100000, 250000, 250000.00001, 900000]), currency=rng.choice(["DKK", "DKK", "SEK"]),
                            per=rng.choice([None, "year", "year"]), approx=rng.random() < 0.3, evidence=_ev(rng, doc))
                     for _ in range(rng.randint(0, 2))],
            terms={"duration_months": rng.choice([None, 12, 36]), "notice_months": rng.choice([None, 3]),
                   "auto_renew": rng.choice([None, True, False])},
            evidence=_ev(rng, doc)))
    contacts = [Contact(name=rng.choice(PEOPLE), organisation=rng.choice([None, *names]),
                        role=rng.choice([None, "leder", "formand"]), phone=rng.choice([None, "12 34 56 78"]),
                        email=rng.choice([None, "a@b.dk", "c@d.dk"]), evidence=_ev(rng, doc))
                for _ in range(rng.randint(0, 2))]
    fmt = rng.choice(["html", "email", "pdf", "text"])
    return Result(
        id=doc, status="ok", format=fmt, language=rng.choice(["da", "sv", None]), published=_day(rng),
        title=f"{doc} v{version}", pipeline_version="test",
        source=Source(path=f"in/{doc}.{fmt}", sha256=f"{doc}-{version}".ljust(64, "0")[:64], size=1, format=fmt),
        parties=[Party(name=n, kind=rng.choice(["municipality", "organisation"]), evidence=_ev(rng, doc)) for n in names],
        agreements=agreements, contacts=contacts,
        dates=sorted({a.start for a in agreements if a.start}),
    )


def _dump(conn) -> dict[str, list]:
    """Every row of every table (merge_state included), ids replaced by natural keys."""
    doc = dict(conn.execute(select(S.Document.id, S.Document.doc_key)).all())
    org = dict(conn.execute(select(S.Organisation.id, S.Organisation.key)).all())
    agr = dict(conn.execute(select(S.Agreement.id, S.Agreement.key)).all())
    per = dict(conn.execute(select(S.Person.id, S.Person.key)).all())
    maps = {"document_id": doc, "organisation_id": org, "agreement_id": agr, "person_id": per,
            "alias_id": {r.id: (r.alias, r.document_id) for r in conn.execute(select(S.OrganisationAlias.__table__))},
            "source_id": {r.id: (r.document_id, r.claim_index) for r in conn.execute(select(S.AgreementSource.__table__))},
            "amount_id": {r.id: (agr[r.agreement_id], r.slot) for r in conn.execute(select(S.Amount.__table__))},
            "contact_id": {r.id: (r.document_id, r.claim_index) for r in conn.execute(select(S.PersonContact.__table__))},
            "date_id": {r.id: (r.document_id, str(r.value)) for r in conn.execute(select(S.DocumentDate.__table__))}}
    out = {}
    for table in S.Base.metadata.sorted_tables:
        rows = []
        for r in conn.execute(select(table)).mappings():
            row = {k: maps[k].get(v) if k in maps and v is not None else v for k, v in r.items()
                   if k not in ("id", "loaded_at", "applied_at")}
            rows.append(json.dumps(row, sort_keys=True, default=str))
        out[table.name] = sorted(rows)
    return out


def assert_derived_from_scratch_is_the_same(engine) -> None:
    with engine.connect() as conn:
        trans = conn.begin()
        before = _dump(conn)
        groups = set(conn.scalars(select(S.AgreementSource.group_key))) | set(conn.scalars(select(S.Agreement.group_key)))
        persons = set(conn.scalars(select(S.Person.key)))
        orgs = set(conn.scalars(select(S.Organisation.norm)))
        for table in ("agreements", "persons", "organisations"):
            conn.execute(text(f"UPDATE {table} SET merge_state = NULL"))
        merge.refresh(conn, groups=groups, org_norms=orgs, person_keys=persons)
        after = _dump(conn)
        trans.rollback()
    for table in before:
        if table in ("agreements", "persons", "organisations"):
            # a row no load has touched since merge_state was added may still have none
            states = {json.loads(r)["key"]: json.loads(r)["merge_state"] for r in before[table]}
            after[table] = sorted(
                json.dumps({**row, "merge_state": row["merge_state"] if states.get(row["key"]) is not None else None},
                           sort_keys=True)
                for row in map(json.loads, after[table]))
        assert after[table] == before[table], table


def _correct(engine, rng: random.Random) -> None:
    """Set or remove a reviewer's correction the way review.apply_review does, and derive again."""
    from pipeline.registry.db import write_transaction

    with write_transaction(engine) as conn:
        targets = ([("agreement", k, g) for k, g in conn.execute(select(S.Agreement.key, S.Agreement.group_key))]
                   + [("contact", k, None) for k in conn.scalars(select(S.Person.key))]
                   + [("organisation", k, n) for k, n in conn.execute(select(S.Organisation.key, S.Organisation.norm))])
        if not targets:
            return
        target, key, extra = rng.choice(targets)
        field, value = {"agreement": rng.choice([("status", "ended"), ("delete", True), ("end", "2030-12-31"),
                                                 ("amounts", [{"value": 5, "currency": "DKK", "per": "year"}])]),
                        "contact": rng.choice([("role", "rettet"), ("delete", True)]),
                        "organisation": rng.choice([("country", "DK"), ("kind", "company")])}[target]
        conn.execute(S.Correction.__table__.delete().where(S.Correction.target == target, S.Correction.target_key == key,
                                                          S.Correction.field == field))
        if rng.random() < 0.7:
            conn.execute(S.Correction.__table__.insert().values(target=target, target_key=key, field=field, value=value,
                                                               source="test", applied_at=datetime(2025, 1, 1)))
        merge.refresh(conn, groups=[extra] if target == "agreement" else [],
                      org_norms=[extra] if target == "organisation" else [],
                      person_keys=[key] if target == "contact" else [])


@pytest.mark.parametrize("seed", [1, 2])
def test_incremental_merge_equals_deriving_from_scratch(registry, seed):
    rng = random.Random(seed)
    versions: dict[str, int] = {}
    steps = 120 if registry.dialect.name == "sqlite" else 50
    for step in range(steps):
        roll = rng.random()
        if roll < 0.08:
            _correct(registry, rng)
        else:
            if roll < 0.7 or not versions:
                doc = f"d{len(versions):03d}"
                versions[doc] = 0
            else:
                doc = rng.choice(sorted(versions))
                versions[doc] += rng.random() < 0.8  # else: the same version again
            result = random_result(random.Random(f"{seed}-{doc}-{versions[doc]}"), doc, versions[doc])
            load_result(registry, result)
        assert_derived_from_scratch_is_the_same(registry)


def test_an_undated_source_moves_to_the_period_that_grew_nearer(registry):
    from test_registry import make_result

    from pipeline.registry.query import list_agreements

    parties = [("Vejle Kommune", "municipality"), ("Linde Gas A/S", "company")]

    def doc(name: str, start: date | None, end: date | None, published: date):
        grant = dict(type="grant", parties=[n for n, _ in parties], **({"start": start, "end": end} if start else {}))
        return make_result(name, "html", parties, [grant], published=published)

    load_result(registry, doc("a", date(2020, 1, 1), date(2020, 12, 31), date(2020, 1, 1)))
    load_result(registry, doc("b", date(2024, 1, 1), date(2024, 12, 31), date(2024, 1, 1)))
    load_result(registry, doc("c", None, None, date(2022, 10, 1)))  # nearer 2024 than 2020
    assert sorted(sorted(s.document for s in a.sources) for a in list_agreements(registry)) == [["a"], ["b", "c"]]
    assert_derived_from_scratch_is_the_same(registry)
    load_result(registry, doc("d", date(2020, 6, 1), date(2022, 9, 30), date(2019, 1, 1)))  # 2020 grows to Sept. 2022
    assert_derived_from_scratch_is_the_same(registry)
    sources = sorted(sorted(s.document for s in a.sources) for a in list_agreements(registry))
    assert sources == [["a", "c", "d"], ["b"]]


def test_a_registry_from_before_merge_state_upgrades_and_loads_the_same(db_url, tmp_path):  # noqa: F811
    """Revision 0001 (no merge_state, full evidence indexes) upgraded by open_registry: the first loads
    derive from all rows, and the registry ends as one loaded at the newest revision from the start."""
    from alembic import command

    from pipeline.registry import open_registry
    from pipeline.registry.db import alembic_config, head_revision, write_transaction
    from test_registry import snapshot

    rng = random.Random(7)
    first = [random_result(random.Random(f"old-{i}"), f"d{i:02d}", 0) for i in range(25)]
    later = [random_result(random.Random(f"new-{i}"), f"d{i:02d}", 1) for i in range(0, 40, 2)]
    engine = open_registry(db_url)
    for r in first:
        load_result(engine, r)
    with write_transaction(engine) as conn:
        command.downgrade(alembic_config(conn), "0001")
    engine.dispose()
    engine = open_registry(db_url)  # upgraded again: every merge_state NULL
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
        assert conn.execute(text("SELECT count(*) FROM organisations WHERE merge_state IS NOT NULL")).scalar() == 0
    for r in later + rng.sample(first, 5):
        load_result(engine, r)
    assert_derived_from_scratch_is_the_same(engine)

    fresh_url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    fresh = open_registry(fresh_url)
    for r in first + later + random.Random(7).sample(first, 5):
        load_result(fresh, r)

    def public(snap):
        return {t: sorted(json.dumps({k: v for k, v in json.loads(r).items() if k != "merge_state"}, sort_keys=True)
                          for r in rows) for t, rows in snap.items()}

    assert public(snapshot(engine)) == public(snapshot(fresh))
    engine.dispose()
    fresh.dispose()
