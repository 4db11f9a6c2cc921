import json

import pytest

from pipeline.cli import main
from pipeline.evaluate import (
    FIELDS, AccuracyScore, SetScore, evaluate, format_report, language_ok, match_agreements,
    norm_party, norm_text, _Agreement,
)


# ---------------------------------------------------------------------------
# helpers: invented documents


def agreement(parties, type="iop", status="in_force", start=None, end=None, amounts=(),
              duration=None, review=None):
    return {
        "type": type, "status": status, "parties": list(parties), "start": start, "end": end,
        "amounts": [{"value": v, "currency": c, "per": None} for v, c in amounts],
        "terms": {"duration_months": duration, "review_every_months": review,
                  "notice_months": None, "auto_renew": None},
    }


def contact(name, org=None, phone=None, email=None, role=None):
    return {"name": name, "role": role, "organisation": org, "phone": phone, "email": email}


def doc(id, **kw):
    base = {
        "id": id, "source_url": "https://example.org/x", "format": "text", "language": "da",
        "published": "2024-03-04", "title": "En overskrift", "parties": [], "agreements": [],
        "amounts": [], "dates": [], "contacts": [],
    }
    base.update(kw)
    return base


def write_gold(folder, *docs):
    folder.mkdir(exist_ok=True)
    for d in docs:
        (folder / f"{d['id']}.gold.json").write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")


def write_pred(folder, *docs, name=None):
    """Predictions as `run` writes them: status ok plus the gold keys (source_url dropped)."""
    folder.mkdir(exist_ok=True)
    for d in docs:
        data = {k: v for k, v in d.items() if k != "source_url"}
        data.setdefault("status", "ok")
        data.setdefault("pipeline_version", "0.1.0")
        (folder / f"{name or d['id']}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def score_one(tmp_path, gold, pred):
    write_gold(tmp_path / "gold", gold)
    if pred is not None:
        write_pred(tmp_path / "pred", pred)
    else:
        (tmp_path / "pred").mkdir(exist_ok=True)
    return evaluate(tmp_path / "gold", tmp_path / "pred")


def counts(score):
    if isinstance(score, SetScore):
        return (score.tp, score.pred, score.gold)
    return (score.correct, score.total)


# ---------------------------------------------------------------------------
# normalisation


@pytest.mark.parametrize("a, b", [
    ("Vellinge kommun", "  VELLINGE   Kommun "),
    ("Linde Gas A/S", "Linde Gas"),
    ("Linde Gas A/S", "linde gas AS"),
    ("Grundfos", "Grundfos A/S"),
    ("Grundfos", "Grundfos ApS"),
    ("Volvo", "Volvo AB"),
    ("Suomen Punainen Risti", "Suomen Punainen Risti rf"),
    ("Suomen Punainen Risti", "Suomen Punainen Risti ry"),
    ("Krisesenteret i Salten", "Krisesenteret i Salten IKS"),
    ("Womankind", "Womankind Ltd"),
    ("Womankind", "Womankind Ltd."),
    ("Womankind", "Womankind Limited"),
    ("Acme", "Acme, Inc."),
    ("Acme", "Acme plc"),
    ("Office of the Police and Crime Commissioner for Avon and Somerset",
     "Police and Crime Commissioner for Avon and Somerset"),
    ("Brottsofferjouren Huddinge-Botkyrka", "Brottsofferjouren Huddinge - Botkyrka"),
    ("Brottsofferjouren Huddinge-Botkyrka", "Brottsofferjouren Huddinge – Botkyrka"),
    ("Sønderborg Kvinde- & Krisecenter", "Sønderborg Kvinde-&Krisecenter"),
    ("Sønderborg Kvinde- & Krisecenter", "sønderborg kvinde -  &  krisecenter"),
])
def test_party_names_equal_after_normalisation(a, b):
    assert norm_party(a) == norm_party(b)


@pytest.mark.parametrize("a, b", [
    ("Vellinge kommun", "Vellinge kommuns"),  # no stemming: the genitive is wrong
    ("Sønderborg Kvinde- & Krisecenter", "Sønderborg Kvinde og Krisecenter"),
    ("Nykredit", "Nykredit Realkredit"),
    ("Office of the Police and Crime Commissioner", "Police Commissioner"),
])
def test_party_names_that_stay_different(a, b):
    assert norm_party(a) != norm_party(b)


def test_legal_form_only_stripped_as_a_trailing_word():
    assert norm_party("Texas Instruments AS") == "texas instruments"
    assert norm_party("Abbas") == "abbas"  # "as" inside a word stays
    assert norm_party("AS Vest") == "as vest"  # only trailing
    assert norm_party("A/S") == "a/s"  # a name that is only a legal form stays
    assert norm_party(None) is None


def test_titles_and_contact_names_fold_case_and_whitespace():
    assert norm_text("  Nya  överenskommelser\nför VELLINGES ") == norm_text("nya överenskommelser för vellinges")
    assert norm_text("Linde Gas A/S") != norm_text("Linde Gas")  # titles keep legal forms


def test_language_no_accepted_for_nb_and_nn():
    assert language_ok("nb", "no") and language_ok("nn", "no") and language_ok("no", "nb")
    assert language_ok("nb", "NB")
    assert not language_ok("nb", "nn")
    assert not language_ok("da", "no")
    assert not language_ok("sv", None)


# ---------------------------------------------------------------------------
# document fields


def test_perfect_prediction_scores_one(tmp_path):
    gold = doc(
        "a", parties=[{"name": "Vellinge kommun", "kind": "municipality"},
                      {"name": "Kvinnojouren Söderslätt", "kind": "organisation"}],
        agreements=[agreement(["Vellinge kommun", "Kvinnojouren Söderslätt"], start="2024-01-01",
                              end="2027-12-31", amounts=[(125000, "SEK")], duration=48, review=12)],
        amounts=[{"value": 125000, "currency": "SEK", "per": "year"}], dates=["2024-03-04"],
        contacts=[contact("Roger Eriksson", org="Vellinge kommun", phone="+4640425000", email="r@vellinge.se")],
    )
    report = score_one(tmp_path, gold, gold)
    assert report.documents == 1 and report.failed == 0
    for name in FIELDS:
        assert report.fields[name].value == 1.0, name
    assert report.fact_f1 == 1.0
    assert report.per_document[0].fact_f1 == 1.0 and report.per_document[0].details == {}


def test_language_published_title_are_accuracies_over_documents(tmp_path):
    write_gold(tmp_path / "gold",
               doc("a", language="nb", title="Ny  Avtale", published="2024-01-02"),
               doc("b", language="nn", title="X", published=None),
               doc("c", language="sv", title="Y", published="2024-05-06"))
    write_pred(tmp_path / "pred",
               doc("a", language="no", title="ny avtale", published="2024-01-02"),
               doc("b", language="nb", title="x", published=None),  # nb for nn is wrong
               doc("c", language="sv", title="Z", published="2024-05-07"))
    r = evaluate(tmp_path / "gold", tmp_path / "pred")
    assert counts(r.fields["language"]) == (2, 3)
    assert counts(r.fields["published"]) == (2, 3)
    assert counts(r.fields["title"]) == (2, 3)


def test_parties_set_scores_and_party_kind(tmp_path):
    gold = doc("a", parties=[
        {"name": "Linde Gas A/S", "kind": "company"},
        {"name": "Vejle Kommune", "kind": "municipality"},
        {"name": "Office of the Police and Crime Commissioner for Avon", "kind": "state"},
        {"name": "Nykredit", "kind": "company"},
    ])
    pred = doc("a", parties=[
        {"name": "Linde Gas", "kind": "company"},
        {"name": "vejle kommune", "kind": "organisation"},  # found, wrong kind
        {"name": "Police and Crime Commissioner for Avon", "kind": "state"},
        {"name": "Vejle Kommune", "kind": "municipality"},  # duplicate: counted once, first kind kept
        {"name": "Danske Bank", "kind": "company"},  # spurious
    ])  # Nykredit missed
    r = score_one(tmp_path, gold, pred)
    parties = r.fields["parties"]
    assert counts(parties) == (3, 4, 4)
    assert parties.precision == parties.recall == parties.f1 == 0.75
    # Linde and Avon right; Vejle wrong kind; Nykredit not found counts as wrong.
    assert counts(r.fields["party_kind"]) == (2, 4)
    details = r.per_document[0].details
    assert "missed: nykredit" in details["parties"] and "spurious: danske bank" in details["parties"]


def test_amounts_compare_value_and_currency_with_tolerance(tmp_path):
    gold = doc("a", amounts=[{"value": 3000000, "currency": "DKK", "per": "total"},
                             {"value": 2.5, "currency": "SEK", "per": None},
                             {"value": 650000, "currency": "DKK", "per": "year"}])
    pred = doc("a", amounts=[{"value": 3000000.001, "currency": "dkk", "per": None},  # per not scored
                             {"value": "2.50", "currency": "SEK"},
                             {"value": 650000, "currency": "NOK"},  # wrong currency
                             {"value": 3000000.0, "currency": "DKK"}])  # duplicate of the first
    r = score_one(tmp_path, gold, pred)
    assert counts(r.fields["amounts"]) == (2, 3, 3)


def test_dates_are_a_set_of_iso_strings(tmp_path):
    gold = doc("a", dates=["2024-03-04", "2024-01-01", "2023-12-31"])
    pred = doc("a", dates=["2024-03-04", "2024-01-01", "2024-01-01", "2025-01-01"])
    r = score_one(tmp_path, gold, pred)
    assert counts(r.fields["dates"]) == (2, 3, 3)


def test_contacts_names_and_their_fields(tmp_path):
    gold = doc("a", contacts=[
        contact("Roger Eriksson", org="Vellinge kommun", phone="+4640425000", email="roger@vellinge.se"),
        contact("Gitte Knudsen", org="Linde Gas A/S", phone=None, email="gk@linde.dk"),
        contact("Max Engelberth", org=None, phone="+4512345678", email=None),
    ])
    pred = doc("a", contacts=[
        contact("ROGER  eriksson", org="vellinge kommun", phone="+46 40 42 50 00", email="Roger@Vellinge.se"),
        contact("Gitte Knudsen", org="Linde Gas", phone="+4599999999", email="other@linde.dk"),
        contact("Søren Peschardt", org="Vejle Kommune"),
    ])  # Max Engelberth missed
    r = score_one(tmp_path, gold, pred)
    assert counts(r.fields["contacts"]) == (2, 3, 3)
    # phone: Roger right, Max missing (Gitte has no gold phone, not judged)
    assert counts(r.fields["contact_phone"]) == (1, 2)
    # email: Roger right (lower-cased), Gitte wrong
    assert counts(r.fields["contact_email"]) == (1, 2)
    # org: both right with party-name normalisation (legal form dropped)
    assert counts(r.fields["contact_org"]) == (2, 2)


def test_missing_contact_is_wrong_in_each_gold_field(tmp_path):
    gold = doc("a", contacts=[contact("Ann", org="X", phone="+4511111111", email="a@x.dk")])
    r = score_one(tmp_path, gold, doc("a"))
    for f in ("contact_phone", "contact_email", "contact_org"):
        assert counts(r.fields[f]) == (0, 1)


# ---------------------------------------------------------------------------
# agreements


def test_agreement_matching_needs_party_overlap_f1_of_a_half(tmp_path):
    gold = doc("a", agreements=[agreement(["A", "B"]), agreement(["C", "D", "E"])])
    pred = doc("a", agreements=[
        agreement(["a", "X"]),  # overlap F1 2*1/4 = 0.5: matches A,B
        agreement(["C", "X", "Y"]),  # 2*1/6 = 0.33: no match
    ])
    r = score_one(tmp_path, gold, pred)
    assert counts(r.fields["agreements"]) == (1, 2, 2)
    assert counts(r.fields["agreement_type"]) == (1, 2)


def test_agreement_matching_is_one_to_one_best_overlap_first():
    gold = [_Agreement(agreement(["A", "B"])), _Agreement(agreement(["A", "B", "C"]))]
    pred = [_Agreement(agreement(["A", "B", "C"]))]
    # pred overlaps gold[0] with 0.8 and gold[1] with 1.0: it goes to gold[1]
    assert match_agreements(gold, pred) == [(1, 0)]
    pred = [_Agreement(agreement(["A", "B", "C"])), _Agreement(agreement(["A", "B"]))]
    assert match_agreements(gold, pred) == [(0, 1), (1, 0)]


def test_agreement_ties_go_to_same_type_start_end_and_amounts(tmp_path):
    # Two instruments between the same parties: a grant and an IOP.
    gold = doc("a", agreements=[
        agreement(["Sigtuna kommun", "Kvinnojouren i Sigtuna"], type="grant", status="approved",
                  start="2020-01-01", amounts=[(125000, "SEK")]),
        agreement(["Sigtuna kommun", "Kvinnojouren i Sigtuna"], type="iop", status="in_force", review=12),
    ])
    # Predicted in the other order; all overlaps are 1.0, the tie-break pairs them by type etc.
    pred = doc("a", agreements=[
        agreement(["Kvinnojouren i Sigtuna", "Sigtuna kommun"], type="iop", status="in_force", review=12),
        agreement(["Sigtuna kommun", "Kvinnojouren i Sigtuna"], type="grant", status="approved",
                  start="2020-01-01", amounts=[(125000, "SEK")]),
    ])
    r = score_one(tmp_path, gold, pred)
    for f in ("agreement_type", "agreement_status"):
        assert counts(r.fields[f]) == (2, 2), f
    assert counts(r.fields["agreements"]) == (2, 2, 2)
    assert counts(r.fields["agreement_amounts"]) == (1, 1, 1)
    assert counts(r.fields["agreement_start"]) == (1, 1)
    assert counts(r.fields["review_every_months"]) == (1, 1)
    assert counts(r.fields["agreement_end"]) == (0, 0)  # no gold end: not judged
    assert r.fields["agreement_end"].accuracy is None


def test_tie_break_prefers_partial_agreement_on_type_start_end_amounts():
    gold = [_Agreement(agreement(["A", "B"], type="grant", start="2024-01-01")),
            _Agreement(agreement(["A", "B"], type="iop"))]
    pred = [_Agreement(agreement(["A", "B"], type="iop")),
            _Agreement(agreement(["A", "B"], type="grant", start="2024-01-01"))]
    assert match_agreements(gold, pred) == [(0, 1), (1, 0)]


def test_agreement_amounts_and_terms_over_gold_agreements(tmp_path):
    gold = doc("a", agreements=[
        agreement(["K", "F"], type="grant", start="2024-01-01", end="2025-12-31",
                  amounts=[(100, "DKK"), (200, "DKK")], duration=24),
        agreement(["K", "G"], type="grant", amounts=[(300, "DKK")], duration=12, review=12),
    ])
    pred = doc("a", agreements=[
        agreement(["K", "F"], type="grant", start="2024-01-01", end="2025-06-30",
                  amounts=[(100, "DKK"), (250, "DKK")], duration=24.0),
        agreement(["X", "Y"], type="grant", amounts=[(999, "DKK")]),  # unmatched
    ])  # gold K,G not found
    r = score_one(tmp_path, gold, pred)
    assert counts(r.fields["agreements"]) == (1, 2, 2)
    # matched pair: 1 tp of 2 gold / 2 pred; unmatched gold: 1 missed; unmatched pred: 1 false positive
    assert counts(r.fields["agreement_amounts"]) == (1, 3, 3)
    assert counts(r.fields["agreement_type"]) == (1, 2)  # the unfound agreement is wrong
    assert counts(r.fields["agreement_status"]) == (1, 2)
    assert counts(r.fields["agreement_start"]) == (1, 1)
    assert counts(r.fields["agreement_end"]) == (0, 1)
    assert counts(r.fields["duration_months"]) == (1, 2)  # 24 == 24.0; the unfound one wrong
    assert counts(r.fields["review_every_months"]) == (0, 1)


def test_missing_terms_and_keys_in_a_prediction_read_as_empty(tmp_path):
    gold = doc("a", parties=[{"name": "K", "kind": "municipality"}], dates=["2024-03-04"],
               agreements=[agreement(["K", "F"], status=None, duration=12)])
    pred = {"id": "a", "status": "ok", "format": "text", "language": "da", "published": "2024-03-04",
            "title": "En overskrift", "agreements": [{"type": "iop", "parties": ["K", "F"]}]}
    r = score_one(tmp_path, gold, pred)
    assert r.failed == 0
    assert counts(r.fields["language"]) == (1, 1)
    assert counts(r.fields["parties"]) == (0, 0, 1)
    assert counts(r.fields["dates"]) == (0, 0, 1)
    assert counts(r.fields["agreements"]) == (1, 1, 1)
    assert counts(r.fields["agreement_status"]) == (1, 1)  # null == null
    assert counts(r.fields["duration_months"]) == (0, 1)


# ---------------------------------------------------------------------------
# failures, lookup, micro-average, fact_f1


def full_gold(id):
    return doc(id, language="sv", parties=[{"name": "K", "kind": "municipality"}],
               agreements=[agreement(["K", "F"], amounts=[(5, "SEK")])], amounts=[{"value": 5, "currency": "SEK"}],
               dates=["2024-03-04"], contacts=[contact("Ann", org="K", email="ann@k.se")])


@pytest.mark.parametrize("kind", ["missing", "unreadable", "error", "not_object"])
def test_failed_document_misses_every_gold_fact(tmp_path, kind):
    gold = full_gold("a")
    write_gold(tmp_path / "gold", gold)
    pred_dir = tmp_path / "pred"
    pred_dir.mkdir()
    if kind == "unreadable":
        (pred_dir / "a.json").write_text("{not json", encoding="utf-8")
    elif kind == "not_object":
        (pred_dir / "a.json").write_text("[]", encoding="utf-8")
    elif kind == "error":
        # an error result that even carries facts: they do not count
        write_pred(pred_dir, dict(gold, status="error", error={"stage": "read", "type": "Boom", "message": "bad"}))
    r = evaluate(tmp_path / "gold", pred_dir)
    assert r.failed == 1
    d = r.per_document[0]
    assert d.status == {"not_object": "unreadable"}.get(kind, kind) and d.reason
    for name in FIELDS:
        s = r.fields[name]
        if isinstance(s, SetScore):
            assert s.tp == 0 and s.pred == 0, name
        else:
            assert s.correct == 0, name
        assert s.value in (0.0, None), name
    assert counts(r.fields["language"]) == (0, 1)
    assert counts(r.fields["agreement_amounts"]) == (0, 0, 1)
    assert r.fact_f1 == 0.0


def test_prediction_found_by_its_id_field(tmp_path):
    gold = full_gold("a")
    write_gold(tmp_path / "gold", gold)
    write_pred(tmp_path / "pred", gold, name="a-1234abcd")  # file named differently
    write_pred(tmp_path / "pred", doc("other"))
    r = evaluate(tmp_path / "gold", tmp_path / "pred")
    assert r.failed == 0 and r.fact_f1 == 1.0
    assert r.per_document[0].prediction.endswith("a-1234abcd.json")


def test_file_named_by_id_comes_first(tmp_path):
    write_gold(tmp_path / "gold", doc("a", title="Right"))
    write_pred(tmp_path / "pred", doc("a", title="Right"))
    write_pred(tmp_path / "pred", doc("a", title="Wrong"), name="a-copy")
    r = evaluate(tmp_path / "gold", tmp_path / "pred")
    assert counts(r.fields["title"]) == (1, 1)


def test_counts_are_summed_over_documents(tmp_path):
    # micro-average: doc a has 1 of 1 party, doc b 0 of 3 -> recall 1/4, not mean(1, 0)
    write_gold(tmp_path / "gold",
               doc("a", parties=[{"name": "A", "kind": "other"}]),
               doc("b", parties=[{"name": n, "kind": "other"} for n in "BCD"]))
    write_pred(tmp_path / "pred", doc("a", parties=[{"name": "A", "kind": "other"}]),
               doc("b", parties=[{"name": "X", "kind": "other"}]))
    r = evaluate(tmp_path / "gold", tmp_path / "pred")
    p = r.fields["parties"]
    assert counts(p) == (1, 2, 4)
    assert p.recall == 0.25 and p.precision == 0.5 and p.f1 == pytest.approx(2 / 6)


def test_fact_f1_is_the_mean_over_fields_with_gold_items(tmp_path):
    gold = doc("a", parties=[{"name": "A", "kind": "other"}, {"name": "B", "kind": "other"}],
               dates=["2024-01-01"])
    pred = doc("a", title="Wrong", parties=[{"name": "A", "kind": "company"}], dates=["2025-01-01"])
    r = score_one(tmp_path, gold, pred)
    supported = {n: s.value for n, s in r.fields.items() if s.support}
    assert set(supported) == {"language", "published", "title", "parties", "party_kind", "dates"}
    # language 1, published 1, title 0, parties F1 2/3, party_kind 0, dates 0
    assert r.fact_f1 == pytest.approx((1 + 1 + 0 + 2 / 3 + 0 + 0) / 6)
    assert r.per_document[0].fact_f1 == pytest.approx(r.fact_f1)
    # a field with predictions but no gold item is not in the mean
    assert counts(r.fields["amounts"]) == (0, 0, 0) and r.fields["amounts"].f1 is None


def test_spurious_predictions_without_gold_do_not_enter_fact_f1(tmp_path):
    gold = doc("a")
    pred = doc("a", amounts=[{"value": 1, "currency": "DKK"}], agreements=[agreement(["A", "B"])])
    r = score_one(tmp_path, gold, pred)
    assert counts(r.fields["amounts"]) == (0, 1, 0) and r.fields["amounts"].f1 == 0.0
    assert r.fact_f1 == 1.0  # only language, published and title have gold items


def test_gold_files_only_define_the_documents(tmp_path):
    write_gold(tmp_path / "gold", doc("a"))
    write_pred(tmp_path / "pred", doc("a"), doc("extra"))
    r = evaluate(tmp_path / "gold", tmp_path / "pred")
    assert r.documents == 1 and [d.id for d in r.per_document] == ["a"]


# ---------------------------------------------------------------------------
# report and command line


def test_format_report_lists_every_field_and_ends_with_fact_f1(tmp_path):
    r = score_one(tmp_path, full_gold("a"), doc("a", language="sv"))
    text = format_report(r)
    lines = text.splitlines()
    assert lines[-1].startswith("fact_f1 ") and lines[-1] == f"fact_f1 {r.fact_f1:.3f}"
    for name in FIELDS:
        assert any(line.split()[:1] == [name] for line in lines), name
    parties = next(line for line in lines if line.startswith("parties "))
    assert parties.split()[-3:] == ["0", "0", "1"]  # tp, pred, gold
    with_docs = format_report(r, per_document=True)
    assert with_docs.splitlines()[-1] == lines[-1] and "\na " in with_docs


def test_cli_eval_prints_table(tmp_path, capsys):
    write_gold(tmp_path / "gold", full_gold("a"), full_gold("b"))
    write_pred(tmp_path / "pred", full_gold("a"))  # b missing
    status = main(["eval", "--gold", str(tmp_path / "gold"), "--pred", str(tmp_path / "pred")])
    out = capsys.readouterr().out
    assert status == 0
    assert "2 documents, 1 failed (1 missing)" in out
    assert out.strip().splitlines()[-1].startswith("fact_f1 0.")
    assert "language" in out and "review_every_months" in out


def test_cli_eval_json_and_per_doc(tmp_path, capsys):
    write_gold(tmp_path / "gold", full_gold("a"), full_gold("b"))
    write_pred(tmp_path / "pred", full_gold("a"))
    assert main(["eval", "--gold", str(tmp_path / "gold"), "--pred", str(tmp_path / "pred"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["documents"] == 2 and data["failed"] == 1
    assert data["fields"]["parties"] == {"kind": "set", "tp": 1, "pred": 1, "gold": 2,
                                         "precision": 1.0, "recall": 0.5, "f1": pytest.approx(2 / 3)}
    assert data["fields"]["language"]["accuracy"] == 0.5
    assert 0 < data["fact_f1"] < 1 and "per_document" not in data
    assert main(["eval", "--gold", str(tmp_path / "gold"), "--pred", str(tmp_path / "pred"),
                 "--json", "--per-doc"]) == 0
    data = json.loads(capsys.readouterr().out)
    by_id = {d["id"]: d for d in data["per_document"]}
    assert by_id["a"]["fact_f1"] == 1.0 and by_id["b"]["status"] == "missing" and by_id["b"]["fact_f1"] == 0.0
    assert main(["eval", "--gold", str(tmp_path / "gold"), "--pred", str(tmp_path / "pred"), "--per-doc"]) == 0
    out = capsys.readouterr().out
    assert "missing" in out and out.strip().splitlines()[-1].startswith("fact_f1 ")


def test_cli_eval_without_gold_files_is_an_error(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["eval", "--gold", str(tmp_path / "empty"), "--pred", str(tmp_path / "empty")]) == 2
    assert main(["eval", "--gold", str(tmp_path / "nope"), "--pred", str(tmp_path / "empty")]) == 2
    assert "error" in capsys.readouterr().err


def test_accuracy_score_model():
    s = AccuracyScore()
    assert s.accuracy is None
    s.judge(True)
    s.judge(False)
    assert s.accuracy == 0.5 and s.support == 2
