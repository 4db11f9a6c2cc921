"""Phone numbers and e-mail addresses (component agreements_contacts)."""

import pytest
import spacy

from pipeline.nlp import extensions  # noqa: F401
from pipeline.nlp.contacts import find_emails, find_phones, normalise_phone, region_for


def run(text: str, lang: str = "da", country: str | None = None) -> spacy.tokens.Doc:
    nlp = spacy.blank(lang)
    nlp.add_pipe("agreements_contacts", config={"lang": lang})
    doc = nlp.make_doc(text)
    doc._.context = {"lang": lang, "country": country, "published": None}
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def phones(text: str, lang: str = "da", country: str | None = None) -> list[str]:
    doc = run(text, lang, country)
    return [s._.value for s in doc.spans["phone"]]


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("Ring til Jens på Tlf. 23456789 i dag.", "da", "+4523456789"),
        ("Mobil 41 22 63 85 · jens@firma.dk", "da", "+4541226385"),
        ("tlf.: 3345 6789, e-mail: abc@ministeriet.dk", "da", "+4533456789"),
        ("Eva Lind, handläggare, 0910-12 34 56", "sv", "+46910123456"),
        ("Per Holm, 070-1234567", "sv", "+46701234567"),
        ("kontakta oss på tfn 073-851 22 90", "sv", "+46738512290"),
        ("Växel +46 8 123 456 78", "sv", "+46812345678"),
        ("Tlf. 912 34 567", "nb", "+4791234567"),
        ("Telefon: 22 33 44 55", "nn", "+4722334455"),
        ("Call the team on 020 7946 0123.", "en", "+442079460123"),
    ],
)
def test_phone_normalised_to_e164(text, lang, expected):
    assert phones(text, lang) == [expected]


def test_country_beats_language():
    # A Swedish number in an English page about a Swedish ministry.
    assert phones("Switchboard 08-405 10 00", "en", "SE") == ["+4684051000"]
    assert phones("Switchboard 08-405 10 00", "en", None) == []  # not a valid British number


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Aftalen gælder fra 01.01.2024 til 31.12.2027.", "nb"),
        ("Strategien for 2021-2024 og budgettet 2021 - 2024.", "da"),
        ("Nøgletal 2014 2015", "da"),
        ("Arkivsak: 23/04417-3, løpenr. 12345678/2023", "nb"),
        ("Malmö stad, organisationsnummer 556123-4567, nedan kallad staden.", "sv"),
        ("Org.nr. 923 456 781 · Bankkonto 1234 56 78901", "nb"),
        ("CVR 29 18 93 45", "da"),
        ("Projektet får 12 345 678 kr. i alt, og kr. 23 456 789 næste år.", "da"),
        ("Rådhuset, 8000 Aarhus C, åbent 10-15.", "da"),
        ("Sagsnr. 21/01234", "da"),
        ("Registered charity no. 1234567 and company no. 7654321", "en"),
    ],
)
def test_numbers_that_are_not_phones(text, lang):
    assert phones(text, lang) == []


def test_phone_spans_cover_the_number_as_written():
    doc = run("Kontakt: Lise Holm, tlf. 27 12 34 56, lise@kommune.dk", "da", "DK")
    (span,) = doc.spans["phone"]
    assert span.text == "27 12 34 56"


def test_region_falls_back_to_language():
    assert region_for(None, "sv") == "SE"
    assert region_for({"lang": "nn", "country": None}) == "NO"
    assert region_for({"lang": "en", "country": "DK"}) == "DK"
    assert region_for({"lang": "xx", "country": "??"}, "xx") == "GB"


def test_normalise_phone_never_raises():
    assert normalise_phone("27 12 34 56", "DK") == "+4527123456"
    for junk in ("", "abc", "+", "0" * 40, "12", None):
        assert normalise_phone(junk, "DK") is None


def test_find_phones_on_odd_input():
    assert find_phones("", "DK") == []
    assert find_phones("+++ ((( 0000 ))) ---", "SE") == []
    assert find_phones("tlf 1234567", "ZZ") == []  # unknown region: nothing, no error


def test_emails_lower_cased():
    doc = run("Skriv til Anna.Berg@Kommune.SE eller post@kommune.se.", "sv")
    assert [s._.value for s in doc.spans["email"]] == ["anna.berg@kommune.se", "post@kommune.se"]
    assert doc.spans["email"][1].text == "post@kommune.se"


def test_email_spelled_with_at_and_dot():
    found = [v for _, _, v in find_emails("E-post: kari.nordmann [at] example.no, eller ola(at)example(dot)no")]
    assert found == ["kari.nordmann@example.no", "ola@example.no"]


def test_no_email_in_plain_text():
    assert find_emails("Mødet er @ kl. 10 på rådhuset, se www.example.dk") == []
