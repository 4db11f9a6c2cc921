"""Extraction quality may never drop below the pinned floors: on the dev corpus and on the
invented documents in tests/fixtures/invented (written for this project, gold by hand).

The floors live in `eval_floors.json` at the repository root. Raise them when
the pipeline gets better (scripts/pin_floors.py --write); never lower them.
"""

import json

import pytest

from pipeline.evaluate import evaluate
from pipeline.run import run
from conftest import DEV, REPO, requires_dev

INVENTED = REPO / "tests" / "fixtures" / "invented"

FLOORS = json.loads((REPO / "eval_floors.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("pred")
    run([DEV], out)
    return evaluate(DEV, out)


def _figure(score) -> float:
    return score.f1 if score.kind == "set" else score.accuracy


@requires_dev
def test_fact_f1_floor(report):
    assert report.fact_f1 >= FLOORS["fact_f1"] - 1e-9, f"fact_f1 {report.fact_f1:.3f} < floor {FLOORS['fact_f1']}"


@requires_dev
@pytest.mark.parametrize("field", sorted(FLOORS["fields"]))
def test_field_floor(report, field):
    value = _figure(report.fields[field])
    assert value >= FLOORS["fields"][field] - 1e-9, f"{field} {value:.3f} < floor {FLOORS['fields'][field]}"


@requires_dev
def test_no_document_fails(report):
    assert report.failed == 0


@requires_dev
@pytest.mark.parametrize("seed", ["seed-da-sonderborg", "seed-sv-skelleftea", "seed-sv-vellinge"])
def test_seed_documents_are_exact(report, seed):
    doc = next(d for d in report.per_document if d.id == seed)
    assert doc.fact_f1 == pytest.approx(1.0), doc


@pytest.fixture(scope="module")
def invented_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("invented")
    run([INVENTED], out)
    return evaluate(INVENTED, out)


def test_invented_documents_fact_f1_floor(invented_report):
    floor = FLOORS["invented"]["fact_f1"]
    assert invented_report.failed == 0
    assert invented_report.fact_f1 >= floor - 1e-9, f"fact_f1 {invented_report.fact_f1:.3f} < floor {floor}"


@pytest.mark.parametrize("field", sorted(FLOORS["invented"]["fields"]))
def test_invented_documents_field_floor(invented_report, field):
    value = _figure(invented_report.fields[field])
    floor = FLOORS["invented"]["fields"][field]
    assert value >= floor - 1e-9, f"{field} {value:.3f} < floor {floor}"
