"""Property-based tests for the normalisers: they never raise, and round-trip where defined."""

from datetime import date

import phonenumbers
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.amounts import find_amounts, parse_amount, parse_number
from pipeline.dates import find_dates, parse_date
from pipeline.nlp.contacts import find_emails, find_phones, normalise_phone
from pipeline.nlp.org_names import org_key
from pipeline.nlp.orgs import canonical_org, same_org

TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300)
NORDIC = st.text(alphabet="0123456789 .,-–/:kr mio. mia. tkr år per om året januar maj december ÆØÅæøåäö£€$", max_size=120)
LANGS = st.sampled_from(["da", "sv", "nb", "nn", "en", None])

MONTHS = {
    "da": ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"],
    "sv": ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"],
    "nb": ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "desember"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
}
DAYS = st.dates(min_value=date(1950, 1, 1), max_value=date(2049, 12, 31))


@settings(max_examples=300)
@given(TEXT | NORDIC)
def test_date_finder_never_raises_and_spans_quote_the_text(text):
    for d in find_dates(text):
        assert text[d.start:d.end] == d.text
        assert 1 <= d.month <= 12 and 1 <= d.day <= 31
    parse_date(text)


@given(DAYS, st.sampled_from(sorted(MONTHS)))
def test_written_dates_round_trip(day, lang):
    month = MONTHS[lang][day.month - 1]
    text = f"{month} {day.day}, {day.year}" if lang == "en" else f"den {day.day}. {month} {day.year}"
    assert parse_date(text) == day


@given(DAYS, st.sampled_from(["{d:02d}.{m:02d}.{y}", "{y}-{m:02d}-{d:02d}", "{d}/{m}-{y}", "{d:02d}/{m:02d}/{y}"]))
def test_numeric_dates_round_trip_day_first(day, pattern):
    assert parse_date(pattern.format(d=day.day, m=day.month, y=day.year)) == day


@settings(max_examples=300)
@given(TEXT | NORDIC, LANGS)
def test_amount_finder_never_raises(text, lang):
    for amount in find_amounts(text, lang):
        assert text[amount.start:amount.end]
    parse_amount(text, lang)
    parse_number(text, lang)


@given(st.integers(min_value=1000, max_value=999_999_999), st.sampled_from([("da", "DKK"), ("sv", "SEK"), ("nb", "NOK")]))
def test_grouped_kroner_round_trip(value, lang_currency):
    lang, currency = lang_currency
    for sep in (" ", "."):
        text = f"et beløb på {value:,} kr.".replace(",", sep)
        parsed = parse_amount(text, lang)
        assert parsed is not None, text
        assert (parsed["value"], parsed["currency"]) == (value, currency), text


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=9), st.sampled_from(["mio. kr.", "miljoner kronor", "millioner kroner"]))
def test_scaled_amounts_round_trip(whole, tenth, scale):
    lang = {"mio. kr.": "da", "miljoner kronor": "sv", "millioner kroner": "nb"}[scale]
    parsed = parse_amount(f"{whole},{tenth} {scale}", lang)
    assert parsed is not None
    assert parsed["value"] == whole * 1_000_000 + tenth * 100_000


@settings(max_examples=300)
@given(TEXT | NORDIC, st.sampled_from(["DK", "SE", "NO", "GB"]))
def test_phone_and_mail_finders_never_raise(text, region):
    for start, end, value in find_phones(text, region):
        assert value.startswith("+") and text[start:end]
    for start, end, value in find_emails(text):
        assert "@" in value and value == value.lower()
    normalise_phone(text, region)


@given(st.sampled_from(["DK", "SE", "NO"]), st.integers(min_value=0, max_value=10**6))
def test_phone_numbers_round_trip_through_their_national_format(region, seed):
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    digits = str(example.national_number)
    # Vary the subscriber digits while keeping the number valid for the region.
    candidate = phonenumbers.parse(digits[:-3] + f"{seed % 1000:03d}", region)
    if not phonenumbers.is_valid_number(candidate):
        return
    e164 = phonenumbers.format_number(candidate, phonenumbers.PhoneNumberFormat.E164)
    national = phonenumbers.format_number(candidate, phonenumbers.PhoneNumberFormat.NATIONAL)
    assert normalise_phone(national, region) == e164


@settings(max_examples=300)
@given(TEXT, LANGS)
def test_name_normalisers_never_raise(text, lang):
    canonical_org(text, lang)
    # Reflexive wherever the text has a name in it at all ("’S" normalises to nothing).
    assert same_org(text, text) or not org_key(text)


@given(st.sampled_from(["Sønderborg Kommune", "Vellinge kommun", "Bergen kommune", "Region Skåne", "Kvinnojouren Söderslätt"]))
def test_genitive_and_case_forms_are_the_same_organisation(name):
    for variant in (name + "s", name.upper(), name.lower(), f" {name} "):
        assert same_org(name, variant), variant
        assert same_org(variant, name), variant


@given(st.text(alphabet="ab -'’/_.\nÅé1", max_size=30))
def test_org_trigger_search_finds_exactly_the_word_tokens(text):
    from pipeline.nlp.org_find import _token_starts
    from pipeline.nlp.org_scan import WORD

    tokens = [(m.start(), m.group()) for m in WORD.finditer(text)]
    for word in {w for _, w in tokens}:
        assert list(_token_starts(text, word)) == [p for p, w in tokens if w == word]
