"""Money amounts: number parsing, finding and normalising, and the spaCy component."""

import json
from pathlib import Path

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

import pipeline.nlp.extensions  # noqa: F401
import pipeline.nlp.money  # noqa: F401 - registers the factory
from pipeline.amounts import find_amounts, parse_amount, parse_number, resolve_currency, to_number
from pipeline.nlp.temporal import split_number_ranges

DEV = Path(__file__).resolve().parents[2] / "shared/corpus/dev"


@pytest.mark.parametrize(
    "text, lang, scaled, expected",
    [
        ("575 000", "da", False, 575000),
        ("1.250.000", "da", False, 1250000),
        ("440.000,-", "nb", False, 440000),
        ("1 200 000,-", "nb", False, 1200000),
        ("2,1", "sv", True, 2.1),
        ("44,5", "da", True, 44.5),
        ("217,000", "en", False, 217000),
        ("28,931.30", "en", False, 28931.30),
        ("1.250.000,50", "da", False, 1250000.50),
        ("75,000", "da", False, 75000),  # English grouping in a Danish text
        ("1,250", "da", True, 1.25),  # "1,250 mio."
        ("1.250", "da", True, 1250),  # "1.250 mio."
        ("1.250", "en", True, 1.25),  # "1.250 million"
        ("2.94", "sv", False, 2.94),
        ("12", None, False, 12),
    ],
)
def test_parse_number(text, lang, scaled, expected):
    assert parse_number(text, lang, scaled) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["", "abc", "1..2", ",5", None, 12, "1 2 3 x"])
def test_parse_number_rejects_odd_input(text):
    assert parse_number(text) is None


def test_to_number_keeps_integers_integral():
    assert to_number(3_000_000.0) == 3_000_000 and isinstance(to_number(3e6), int)
    assert to_number(2.94) == 2.94


@pytest.mark.parametrize(
    "code, lang, country, expected",
    [
        ("@kr", "da", None, "DKK"),
        ("@kr", "sv", None, "SEK"),
        ("@kr", "nn", None, "NOK"),
        ("@kr", "en", "SE", "SEK"),
        ("@kr", "en", None, None),
        ("@kroner", "nb", "NO", "NOK"),
        ("@kroner", "en", "DK", "DKK"),
        ("@kroner", "sv", "SE", None),
        ("GBP", "da", "DK", "GBP"),
    ],
)
def test_resolve_currency(code, lang, country, expected):
    assert resolve_currency(code, lang, country) == expected


# (text, lang, country, [(value, currency, per, approx), ...])
CASES = [
    # Danish
    ("Kommunen giver kr. 1 200 000,- om året til centret.", "da", "DK", [(1200000, "DKK", "year", False)]),
    ("Tilskuddet er på 350.000 kr. i 2025.", "da", "DK", [(350000, "DKK", None, False)]),
    ("Puljen er på 3 mio. kr.", "da", "DK", [(3000000, "DKK", None, False)]),
    ("Vi har fået tre mio. kr. til legepladsen.", "da", "DK", [(3000000, "DKK", None, False)]),
    ("Udgiften var 44,5 t.kr. sidste år.", "da", "DK", [(44500, "DKK", None, False)]),
    ("Foreningen får omkring 20.000 kroner hver.", "da", "DK", [(20000, "DKK", None, True)]),
    ("Der er afsat 500.000-600.000 kr. om året.", "da", "DK", [(500000, "DKK", "year", False), (600000, "DKK", "year", False)]),
    ("Bevillingen er i alt 2,5 mio. kr.", "da", "DK", [(2500000, "DKK", "total", False)]),
    ("Byrådet afsætter knap fire millioner kroner.", "da", "DK", [(4000000, "DKK", None, True)]),
    ("Støtten udgør DKK 75,000 per year.", "da", "DK", [(75000, "DKK", "year", False)]),
    ("Prisen er 1,2 mia. kr.", "da", "DK", [(1200000000, "DKK", None, False)]),
    ("Hver deltager betaler 150 kr. om måneden.", "da", "DK", [(150, "DKK", "month", False)]),
    # Swedish
    ("Nämnden beviljar 2,1 miljoner kronor till jouren.", "sv", "SE", [(2100000, "SEK", None, False)]),
    ("Avtalet är värt drygt 1 miljon kronor över tre år.", "sv", "SE", [(1000000, "SEK", "total", True)]),
    ("Föreningen får 125 000:- i bidrag.", "sv", "SE", [(125000, "SEK", None, False)]),
    ("Stödet är SEK 640 000 per år.", "sv", "SE", [(640000, "SEK", "year", False)]),
    ("Totalt 1,5 Mkr fördelas.", "sv", "SE", [(1500000, "SEK", "total", False)]),
    ("Budgeten är 650 tkr.", "sv", "SE", [(650000, "SEK", None, False)]),
    ("Foreningen får 350' kr. om året.", "da", "DK", [(350000, "DKK", "year", False)]),
    ("Förening | Belopp (kr) Ändamål\nLunds Schacksällskap | 45 000 Schackskola\nKulturföreningen Kvarnen | 120 000 Konserter",
     "sv", "SE", [(45000, "SEK", None, False), (120000, "SEK", None, False)]),
    ("År | Antal\n2024 | 1 200\n2025 | 1 350", "sv", "SE", []),
    ("Kommunen ger två miljoner till föreningslivet.", "sv", "SE", [(2000000, "SEK", None, False)]),
    ("I snitt ger kommunerna 3,12 kronor per invånare.", "sv", "SE", [(3.12, "SEK", None, False)]),
    ("Projektet kostar sammanlagt 18 MSEK.", "sv", "SE", [(18000000, "SEK", "total", False)]),
    # Norwegian Bokmål and Nynorsk
    ("Kommunen setter av kr 650 000 til drift.", "nb", "NO", [(650000, "NOK", None, False)]),
    ("Tilskuddet er kr. 440.000,- for hele perioden.", "nb", "NO", [(440000, "NOK", "total", False)]),
    ("Fylket gir fire millioner kroner årlig.", "nb", "NO", [(4000000, "NOK", "year", False)]),
    ("Det er inntil 250 000 kroner pr. år.", "nb", "NO", [(250000, "NOK", "year", True)]),
    ("Ordninga får over fire millionar kroner.", "nn", "NO", [(4000000, "NOK", None, True)]),
    ("Laget får 2,5 millionar kroner i 2024.", "nn", "NO", [(2500000, "NOK", None, False)]),
    ("Budsjettet er 3 MNOK.", "nb", "NO", [(3000000, "NOK", None, False)]),
    # English
    ("The charity will receive £217,000 over three years.", "en", "GB", [(217000, "GBP", "total", False)]),
    ("Each project gets £28,931.30.", "en", "GB", [(28931.30, "GBP", None, False)]),
    ("The council found more than £217,000 for the refuge.", "en", "GB", [(217000, "GBP", None, True)]),
    ("The fund is worth £1.2m.", "en", "GB", [(1200000, "GBP", None, False)]),
    ("Grants of up to half a million pounds are available.", "en", "GB", [(500000, "GBP", None, True)]),
    ("The budget rises to SEK 1.2 billion per year.", "en", "SE", [(1200000000, "SEK", "year", False)]),
    ("A pilot costs 1.5 million euro.", "en", "IE", [(1500000, "EUR", None, False)]),
    ("Local groups can apply for £50k annually.", "en", "GB", [(50000, "GBP", "year", False)]),
    ("In Norway the shelter received 900 000 kr a month.", "en", "NO", [(900000, "NOK", "month", False)]),
    ("The scheme pays $12,500 a year.", "en", "US", [(12500, "USD", "year", False)]),
    ("The award is €30,000.", "en", "IE", [(30000, "EUR", None, False)]),
]


@pytest.mark.parametrize("text, lang, country, expected", CASES, ids=[c[0][:40] for c in CASES])
def test_find_amounts(text, lang, country, expected):
    found = find_amounts(text, lang, country)
    assert [(a.value, a.currency, a.per, a.approx) for a in found] == expected
    for a in found:
        assert text[a.start : a.end] == a.text


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Ring på tlf. 27 90 37 18 eller 70 20 30 40.", "da"),
        ("Aftalen gælder fra 2023 til 2025.", "da"),
        ("Mødet er den 12.03.2024 kl. 10.", "da"),
        ("Ledigheden faldt med 35 pct. og 3,5 %.", "da"),
        ("Sagsnr. 21/01877 og journalnr. UPN2024/118.", "sv"),
        ("Postboks 6, 5881 Bergen", "nb"),
        ("14 projekter og 38 forsøgsprojekter", "da"),
        ("jf. § 18 i serviceloven", "da"),
        ("Kommunen har 2 miljoner invånare.", "sv"),
        ("Five million people live there.", "en"),
        ("Version 1.2.3 was released.", "en"),
        ("DET ER NOK 500 PLASSER IGJEN", "nb"),
    ],
)
def test_things_that_are_not_money(text, lang):
    assert find_amounts(text, lang) == []


def test_a_year_before_a_prefix_currency_is_not_an_amount():
    found = find_amounts("2026 SEK 480 000\n2027 SEK 495 000", "sv", "SE")
    assert [(a.value, a.text) for a in found] == [(480000, "SEK 480 000"), (495000, "SEK 495 000")]


def test_bare_sums_listed_under_a_money_heading():
    text = "Föreslagna bidrag 2025:\nStadsteatern 120 000\nKörsällskapet 45 000\nFolkets hus 230 000\n"
    assert [a.value for a in find_amounts(text, "sv", "SE")] == [120000, 45000, 230000]
    population = "Invånare per ort:\nStorby 47 000\nLilleby 9 500\n"
    assert find_amounts(population, "sv", "SE") == []


def test_a_group_broken_over_two_lines():
    (amount,) = find_amounts("Utbetalning sker med 212\n500 kr per kvartal.", "sv", "SE")
    assert amount.value == 212500


def test_kroner_in_english_text_needs_a_country():
    assert find_amounts("It cost 400 kr.", "en", None) == []
    assert parse_amount("It cost 400 kr.", "en", "DK")["currency"] == "DKK"


def test_parse_amount_returns_the_value_dict():
    assert parse_amount("Vi giver 2,5 mio. kr. om året", "da") == {
        "value": 2500000,
        "currency": "DKK",
        "per": "year",
        "approx": False,
    }
    assert parse_amount("ingen penge her", "da") is None


@settings(max_examples=300, deadline=None)
@given(st.text(), st.sampled_from(["da", "sv", "nb", "nn", "en", None, "xx"]), st.sampled_from(["DK", "SE", None, "zz"]))
def test_finding_never_raises_on_arbitrary_text(text, lang, country):
    for a in find_amounts(text, lang, country):
        assert 0 <= a.start < a.end <= len(text)
        assert a.value >= 0


AMOUNTISH = st.lists(
    st.sampled_from(["kr.", "kr", "mio.", "1", "200", "000", ".", ",", ",-", ":-", " ", "\n", "-", "–", "£", "€", "SEK",
                     "miljoner", "tre", "half a", "million", "om året", "ca.", "over", "t.kr.", "2024", "i alt"]),
    max_size=25,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(AMOUNTISH, st.sampled_from(["da", "sv", "nb", "en"]))
def test_finding_never_raises_on_amount_like_text(text, lang):
    for a in find_amounts(text, lang, "DK"):
        assert text[a.start : a.end] == a.text
        assert a.currency in ("DKK", "SEK", "NOK", "GBP", "EUR")


@given(st.text(max_size=30))
def test_parse_number_never_raises(text):
    value = parse_number(text)
    assert value is None or value >= 0


# -- the spaCy component ------------------------------------------------------


def money_nlp(lang):
    nlp = split_number_ranges(spacy.blank(lang))
    nlp.add_pipe("agreements_money", config={"lang": lang})
    return nlp


def run(nlp, text, context):
    doc = nlp.make_doc(text)
    doc._.context = context
    return nlp(doc)


def test_component_fills_the_money_span_group():
    nlp = money_nlp("da")
    doc = run(nlp, "Kommunen giver 500.000-600.000 kr. om året og i alt 3 mio. kr.", {"lang": "da", "country": "DK", "published": None})
    assert [s.text for s in doc.spans["money"]] == ["500.000", "600.000 kr.", "3 mio. kr."]
    assert [s._.value for s in doc.spans["money"]] == [
        {"value": 500000, "currency": "DKK", "per": "year", "approx": False},
        {"value": 600000, "currency": "DKK", "per": "year", "approx": False},
        {"value": 3000000, "currency": "DKK", "per": "total", "approx": False},
    ]


def test_component_takes_the_currency_of_kroner_from_the_context():
    nlp = money_nlp("en")
    doc = run(nlp, "The shelter gets 2 million kronor a year.", {"lang": "en", "country": "SE", "published": None})
    assert doc.spans["money"][0]._.value["currency"] == "SEK"
    doc = run(nlp, "The club gets 40 000 kr.", {"lang": "en", "country": "NO", "published": None})
    assert doc.spans["money"][0]._.value == {"value": 40000, "currency": "NOK", "per": None, "approx": False}


def test_component_copes_without_context():
    nlp = money_nlp("sv")
    doc = nlp("Föreningen får 30 000 kronor.")
    assert doc.spans["money"][0]._.value["currency"] == "SEK"


def test_saved_model_is_self_contained(tmp_path):
    money_nlp("nb").to_disk(tmp_path / "nb")
    assert (tmp_path / "nb" / "agreements_money" / "money_lexicon.json").exists()
    nlp = spacy.load(tmp_path / "nb")
    doc = run(nlp, "Fylket gir kr 650 000 per år.", {"lang": "nb", "country": "NO", "published": None})
    assert doc.spans["money"][0]._.value == {"value": 650000, "currency": "NOK", "per": "year", "approx": False}


# -- the dev corpus (read in place) -------------------------------------------


@pytest.mark.skipif(not DEV.is_dir(), reason="dev corpus not found")
def test_amounts_of_the_plain_text_dev_documents():
    """Set precision and recall of (value, currency) against the gold of every .txt document."""
    tp = fp = fn = 0
    for path in sorted(DEV.glob("*.txt")):
        gold = json.loads(path.with_name(path.stem + ".gold.json").read_text(encoding="utf-8"))
        lang = gold["language"]
        country = {"da": "DK", "sv": "SE", "nb": "NO", "nn": "NO"}.get(lang, "GB")
        found = {(float(a.value), a.currency) for a in find_amounts(path.read_text(encoding="utf-8"), lang, country)}
        wanted = {(float(a["value"]), a["currency"]) for a in gold["amounts"]}
        tp, fp, fn = tp + len(found & wanted), fp + len(found - wanted), fn + len(wanted - found)
    assert tp / (tp + fn) >= 0.9
    assert tp / (tp + fp) >= 0.9
