"""Dates, agreement periods and terms: the "agreements_dates" component and its helpers."""

import json
import re
from datetime import date
from pathlib import Path

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

import pipeline.nlp.extensions  # noqa: F401
import pipeline.nlp.temporal  # noqa: F401 - registers the factory
from pipeline.dates import add_months, find_month_years, find_year_ranges, find_years, fold, last_day, phrase_pattern
from pipeline.nlp.temporal import split_number_ranges

DEV = Path(__file__).resolve().parents[2] / "shared/corpus/dev"
COUNTRY = {"da": "DK", "sv": "SE", "nb": "NO", "nn": "NO", "en": "GB"}
_NLPS = {}


def nlp_for(lang):
    if lang not in _NLPS:
        nlp = split_number_ranges(spacy.blank(lang))
        nlp.add_pipe("agreements_dates", config={"lang": lang})
        _NLPS[lang] = nlp
    return _NLPS[lang]


def run(text, lang, published=None, context=True):
    nlp = nlp_for(lang)
    doc = nlp.make_doc(text)
    if context:
        doc._.context = {"lang": lang, "country": COUNTRY[lang], "published": published}
    return nlp(doc)


def values(doc, key):
    return [s._.value for s in doc.spans[key]]


# -- dates --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, lang, published, expected",
    [
        ("Aftalen blev underskrevet den 4. marts 2024 på rådhuset.", "da", None, ["2024-03-04"]),
        ("Mødet holdes 03/02/23 i byrådssalen.", "da", None, ["2023-02-03"]),
        ("Beslutningen togs 12.03.2024 och gäller direkt.", "sv", None, ["2024-03-12"]),
        ("Tilbudet åpner 16/5-2023.", "nb", None, ["2023-05-16"]),
        ("Styret møttest tysdag 13. april.", "nn", date(2021, 4, 20), ["2021-04-13"]),
        ("Nämnden sammanträder den 16 maj.", "sv", date(2022, 1, 10), ["2022-05-16"]),
        ("The report was published Aug 20, 2007.", "en", None, ["2007-08-20"]),
        ("The contract was signed on 9th May 2017 and 2017-06-01.", "en", None, ["2017-05-09", "2017-06-01"]),
        ("The form was filed 12/31/2020 by the clerk.", "en", None, ["2020-12-31"]),
        ("Vi ses i dag og i morgen.", "da", date(2024, 1, 1), []),
        ("See you today.", "en", date(2024, 1, 1), []),
    ],
)
def test_dates_are_iso_strings(text, lang, published, expected):
    assert values(run(text, lang, published), "date") == expected


def test_a_date_without_a_year_and_no_publication_date():
    assert values(run("Mødet er den 18. juni.", "da"), "date") == [None]
    # the year the document makes clear
    doc = run("Den 18 juni fördelade nämnden bidragen för 2019. Ansökan gäller 2019.", "sv")
    assert values(doc, "date") == ["2019-06-18"]


def test_dates_in_a_range_take_the_year_of_the_other_end():
    doc = run("Projektet løber fra 1. januar til 31. december 2016.", "da", date(2015, 6, 1))
    assert values(doc, "date") == ["2016-01-01", "2016-12-31"]
    # a stated length puts the start further back
    doc = run("Aftalen gælder i fire år, fra 1. januar til 31. december 2016.", "da")
    assert values(doc, "date") == ["2013-01-01", "2016-12-31"]


def test_component_copes_without_context():
    doc = run("Avtalen gäller från 1 januari 2022 till 31 december 2024.", "sv", context=False)
    assert values(doc, "date") == ["2022-01-01", "2024-12-31"]
    assert values(doc, "period") == [{"start": "2022-01-01", "end": "2024-12-31", "duration_months": None}]


# -- periods ------------------------------------------------------------------


def period(start, end, months=None):
    return {"start": start, "end": end, "duration_months": months}


@pytest.mark.parametrize(
    "text, lang, published, expected",
    [
        ("Avtalet gäller från 1 januari 2022 till 31 december 2024.", "sv", None, [period("2022-01-01", "2024-12-31")]),
        ("Aftalen løber fra 1. april 2025 til 31. marts 2029.", "da", None, [period("2025-04-01", "2029-03-31")]),
        ("Partnerskabet gælder 2023–2025.", "da", None, [period("2023-01-01", "2025-12-31")]),
        ("Tilskuddet gis i perioden 2024-2027.", "nb", None, [period("2024-01-01", "2027-12-31")]),
        ("Överenskommelsen gäller 1 juli 2024–31 december 2027.", "sv", None, [period("2024-07-01", "2027-12-31")]),
        ("Perioden er 2023-01-01–2025-12-31.", "nb", None, [period("2023-01-01", "2025-12-31")]),
        ("Överenskommelsen gäller under perioden 2025-01-01 -- 2027-12-31.", "sv", None,
         [period("2025-01-01", "2027-12-31")]),
        ("Avtalen gjelder for perioden 01.01.2026–31.12.2028.", "nb", None, [period("2026-01-01", "2028-12-31")]),
        ("The service runs from 1st April 2023 to 31st March 2026.", "en", None, [period("2023-04-01", "2026-03-31")]),
        ("Funding covers the years from April 2022 to March 2025.", "en", None, [period("2022-04-01", "2025-03-31")]),
        ("Avtalet gäller fr.o.m. 1 juli 2024.", "sv", None, [period("2024-07-01", None)]),
        ("Partnerskapet gäller från och med den 1 januari 2023.", "sv", None, [period("2023-01-01", None)]),
        ("Ordningen gælder fra 1. januar 2011.", "da", None, [period("2011-01-01", None)]),
        ("Aftalen trådte i kraft den 1. oktober 2014.", "da", None, [period("2014-10-01", None)]),
        ("Stödet gäller t.o.m. 2026.", "sv", None, [period(None, "2026-12-31")]),
        ("Avtalen varer fram til 2027.", "nb", None, [period(None, "2027-12-31")]),
        ("Avtalen gjeld fram til 1. januar 2019.", "nn", None, [period(None, "2019-01-01")]),
        ("Aftalen gælder til udgangen af 2027.", "da", None, [period(None, "2027-12-31")]),
        ("Driften er sikret ut over utgangen av 2021.", "nb", None, [period(None, "2021-12-31")]),
        ("Den gamle aftale blev forlænget med ét år til januar 2018.", "da", None, [period(None, "2018-01-31")]),
        ("Kommunen har sedan årsskiftet ett avtal med jouren.", "sv", date(2024, 3, 4), [period("2024-01-01", None)]),
        ("Sedan 2019 har nämnden ett partnerskap med föreningen.", "sv", None, [period("2019-01-01", None)]),
        ("Föreningen får 40 000 kronor i bidrag för 2016.", "sv", None, [period("2016-01-01", "2016-12-31")]),
        ("Tilskuddet gjelder for kalenderåret 2024.", "nb", None, [period("2024-01-01", "2024-12-31")]),
        ("Midlane blir fordelte i 2022 og 2023.", "nn", None, [period("2022-01-01", "2023-12-31")]),
        ("Den förra överenskommelsen löpte ut vid årsskiftet 2018/2019.", "sv", None, [period(None, "2018-12-31")]),
        ("The Facility Agreement dated 1st October 2005 continues.", "en", None, [period("2005-10-01", None)]),
    ],
)
def test_periods(text, lang, published, expected):
    assert values(run(text, lang, published), "period") == expected


def test_a_start_and_a_stated_length_give_the_end():
    doc = run("Aftalen træder i kraft 1. juni 2014 og løber i to år.", "da")
    assert values(doc, "period") == [period("2014-06-01", "2016-05-31", 24)]
    doc = run("Samarbejdet gælder fra 1. august i år og løber de følgende to år.", "da", date(2017, 8, 2))
    assert values(doc, "period") == [period("2017-08-01", "2019-07-31", 24)]


def test_a_length_in_another_sentence_does_not_give_the_end():
    doc = run("Kommunen har fra 2018 indgået nye aftaler. Aftalerne gælder i fire år.", "da")
    assert values(doc, "period") == [period("2018-01-01", None)]
    assert values(doc, "duration") == [48]


def test_a_year_alone_is_a_start_or_an_end():
    doc = run("Bidraget gäller från 2020 och ersättningen betalas fram till 2023.", "sv")
    assert values(doc, "period") == [period("2020-01-01", None), period(None, "2023-12-31")]


# -- durations and terms ------------------------------------------------------


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("Projektet har 2 års projekttid.", "da", [24]),
        ("Aftalen er treårig.", "da", [36]),
        ("Kommunen inngår toårige avtaler med klubbene.", "nb", [24]),
        ("Det blir en fireårig avtale.", "nb", [48]),
        ("Avtalen gjelder for tre år.", "nb", [36]),
        ("Aftalerne gælder i fire år.", "da", [48]),
        ("Samarbeidet løper i to år.", "nb", [24]),
        ("Nämnden tecknar ett nytt avtal för ytterligare tre år.", "sv", [36]),
        ("The money is spread over three years.", "en", [36]),
        ("The partnership runs for three years.", "en", [36]),
        ("The council granted a licence for 10 years.", "en", [120]),
        ("It is a three-year fund.", "en", [36]),
        ("Forsøget varer i seks måneder.", "da", [6]),
        ("Under två år får klubben stöd.", "sv", [24]),
        ("Avtalstid: tre år", "sv", [36]),
        ("Det er ti år siden vi startede.", "da", []),
        ("De siste fire årene har vi samarbeidet godt.", "nb", []),
        ("Krisesenteret har vært i drift i 27 år.", "nb", []),
        ("Avtalet förlängs med ett år i taget.", "sv", []),
        ("Avtalet gäller i tre (3) år.", "sv", [36]),
        ("Aftalen løber i 3 år til og med den 29. februar 2028.", "da", [36]),
        ("The agreement covers three years from 1 May 2024.", "en", [36]),
        ("Tilskuddet gælder i 3 år til 2028.", "da", []),
        # an option to extend is no length of the agreement
        ("It is a three-year contract with an option to extend for a further two years.", "en", [36]),
        ("Överenskommelsen gäller 2025–2027, med möjlighet till förlängning i två år.", "sv", []),
        ("Aftalen løber i tre år med mulighed for forlængelse i to år.", "da", [36]),
        ("Avtalen gjelder i tre år, med opsjon på forlengelse i ytterligere to år.", "nb", [36]),
    ],
)
def test_durations(text, lang, expected):
    assert values(run(text, lang), "duration") == expected


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("Driftsaftalen revideres hvert andet år.", "da", [24]),
        ("Samarbeidsavtalen revideres hvert annet år.", "nb", [24]),
        ("Överenskommelsen utvärderas årligen.", "sv", [12]),
        ("Avtalen evalueres årlig.", "nb", [12]),
        ("Avtalen evaluerast kvart år.", "nn", [12]),
        ("Parterna håller uppföljningsmöten varje halvår.", "sv", [6]),
        ("The parties review every six months.", "en", [6]),
        ("There is an annual status meeting.", "en", [12]),
        ("Parterne gør status på samarbejdet én gang om året.", "da", [12]),
        ("Styregruppen følger op på aftalen hvert halve år.", "da", [6]),
        ("Kommunen giver et årligt tilskud til klubben.", "da", []),
        ("Leiarane møtest seks gonger i året.", "nn", []),
        ("The Recipient shall submit quarterly monitoring reports. The Agreement will be reviewed annually.", "en", [12]),
    ],
)
def test_review_intervals(text, lang, expected):
    assert values(run(text, lang), "term_review") == expected


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("Hver part kan opsige aftalen med seks måneders varsel.", "da", [6]),
        ("Avtalet har sex månaders uppsägningstid.", "sv", [6]),
        ("Avtalen kan sies opp med tre måneders skriftlig varsel.", "nb", [3]),
        ("Either party may end it on three months' notice.", "en", [3]),
        ("Aftalen opsiges med 3 måneders varsel.", "da", [3]),
        ("Uppsägningstiden är tre månader.", "sv", [3]),
        ("The agreement has a notice period of six months.", "en", [6]),
        ("Vardera part får säga upp överenskommelsen med sex (6) månaders uppsägningstid.", "sv", [6]),
        ("Avtalen gjelder fra 1. september, og oppsigelsesfristen er 6 måneder.", "nb", [6]),
        ("It will terminate on 31 January 2026 at the end of the six-month notice period.", "en", [6]),
        ("Avtalet kan sägas upp senast tre månader före årets slut.", "sv", [3]),
    ],
)
def test_notice(text, lang, expected):
    doc = run(text, lang)
    assert values(doc, "term_notice") == expected
    assert values(doc, "duration") == []  # a notice period is not the agreement's length


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("Avtalet förlängs automatiskt.", "sv", [True]),
        ("Aftalen forlænges automatisk med et år.", "da", [True]),
        ("Avtalen fornyes automatisk.", "nb", [True]),
        ("The agreement renews automatically.", "en", [True]),
        ("Därefter förlängs det med ett år i taget.", "sv", [True]),
        ("Överenskommelsen förlängs inte automatiskt.", "sv", [False]),
        ("Aftalen forlænges ikke automatisk.", "da", [False]),
        ("The agreement does not renew automatically.", "en", [False]),
        ("Der er ingen automatisk forlængelse.", "da", [False]),
        ("Hvis ingen af parterne opsiger aftalen, forlænges den automatisk.", "da", [True]),
    ],
)
def test_renewal(text, lang, expected):
    assert values(run(text, lang), "term_renewal") == expected


def test_spans_point_at_the_evidence():
    doc = run("Avtalen løper i to år og kan sies opp med seks måneders varsel.", "nb")
    assert [s.text for s in doc.spans["duration"]] == ["løper i to år"]
    assert [s.text for s in doc.spans["term_notice"]] == ["seks måneders varsel"]


def test_saved_model_is_self_contained(tmp_path):
    nlp_for("sv").to_disk(tmp_path / "sv")
    assert (tmp_path / "sv" / "agreements_dates" / "temporal_lexicon.json").exists()
    nlp = spacy.load(tmp_path / "sv")
    doc = nlp.make_doc("Avtalet gäller 2023-01-01–2025-12-31 och utvärderas årligen.")
    doc._.context = {"lang": "sv", "country": "SE", "published": None}
    doc = nlp(doc)
    assert values(doc, "date") == ["2023-01-01", "2025-12-31"]  # the tokenizer split is saved too
    assert values(doc, "period") == [period("2023-01-01", "2025-12-31")]
    assert values(doc, "term_review") == [12]


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200), st.sampled_from(["da", "sv", "nb", "nn", "en"]))
def test_component_never_raises(text, lang):
    doc = run(text, lang, date(2020, 5, 1))
    for key in ("date", "period", "duration", "term_review", "term_notice", "term_renewal"):
        assert key in doc.spans


DATEISH = st.lists(
    st.sampled_from(["1.", "31.", "januar", "december", "2024", "–", "-", "til", "fra", "från och med", "fram til", "år",
                     "i", "to", "tre", "hvert", "andet", "måneders", "varsel", "årig", "automatisk", "ikke", "forlænges",
                     "2023-01-01", "31.12.2027", " ", "\n", ".", "sedan", "årsskiftet", "2018/2019"]),
    max_size=20,
).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(DATEISH, st.sampled_from(["da", "sv", "nb", "en"]), st.sampled_from([None, date(2019, 9, 1)]))
def test_component_values_are_well_formed_on_date_like_text(text, lang, published):
    doc = run(text, lang, published)
    for value in values(doc, "date"):
        assert value is None or date.fromisoformat(value)
    for value in values(doc, "period"):
        assert set(value) == {"start", "end", "duration_months"}
        assert value["start"] or value["end"]
    for key in ("duration", "term_review", "term_notice"):
        assert all(isinstance(v, int) and v > 0 for v in values(doc, key))


# -- helpers in pipeline.dates --------------------------------------------------


def test_month_years_years_and_year_ranges():
    text = "Aftalen blev forlænget til januar 2018 og budgettet 2021 - 2024 gælder; sag UPN2024/118, 2022/23."
    assert [(m.month, m.year) for m in find_month_years(text)] == [(1, 2018)]
    assert [y.year for y in find_years(text)] == [2018, 2021, 2024]
    assert [(r.first, r.last) for r in find_year_ranges(text)] == [(2021, 2024)]
    assert find_month_years("den 4. marts 2024") == []
    assert [(r.first, r.last) for r in find_year_ranges("budget 2022-24.")] == [(2022, 2024)]
    assert find_year_ranges("1 juli 2024–31 december 2027") == []


def test_month_arithmetic():
    assert last_day(2024, 2) == date(2024, 2, 29)
    assert last_day(2023, 12) == date(2023, 12, 31)
    assert add_months(date(2014, 6, 1), 24) == date(2016, 6, 1)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2017, 1, 1), -48) == date(2013, 1, 1)


def test_fold_keeps_offsets_and_phrase_pattern_prefers_longer_phrases():
    text = "İstanbul og Århus"
    assert len(fold(text)) == len(text) and fold(text).endswith("århus")
    pattern = re.compile(phrase_pattern(["fra", "fra og med", "från"]))
    assert pattern.match("fra  og med 2020").group(0) == "fra  og med"
    assert pattern.match("från 2020").group(0) == "från"


# -- the dev corpus (read in place) -------------------------------------------


@pytest.mark.skipif(not DEV.is_dir(), reason="dev corpus not found")
def test_dates_of_the_plain_text_dev_documents():
    """Set precision and recall of the date spans against gold `dates` of every .txt document."""
    tp = fp = fn = 0
    for path in sorted(DEV.glob("*.txt")):
        gold = json.loads(path.with_name(path.stem + ".gold.json").read_text(encoding="utf-8"))
        published = date.fromisoformat(gold["published"]) if gold["published"] else None
        doc = run(path.read_text(encoding="utf-8"), gold["language"] if gold["language"] in COUNTRY else "en", published)
        found = {v for v in values(doc, "date") if v}
        wanted = set(gold["dates"])
        tp, fp, fn = tp + len(found & wanted), fp + len(found - wanted), fn + len(wanted - found)
    assert tp / (tp + fn) >= 0.9
    assert tp / (tp + fp) >= 0.6  # boilerplate dates (related links) count against us here


def test_a_date_that_recurs_every_year_has_no_year():
    doc = run("Fristen for ansøgninger er altid den 1. februar.", "da", date(2024, 5, 1))
    assert values(doc, "date") == [None]
    doc = run("Hver deltager møder den 5. maj.", "da", date(2024, 1, 2))
    assert values(doc, "date") == ["2024-05-05"]
