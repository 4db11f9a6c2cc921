from datetime import date

import pytest

from pipeline.dates import find_dates, parse_date


@pytest.mark.parametrize(
    "text, expected",
    [
        ("03/02/23", date(2023, 2, 3)),
        ("Pressmeddelande • Aug 20, 2007 15:07 CEST", date(2007, 8, 20)),
        ("har den 8. december 2022 besøgt centret", date(2022, 12, 8)),
        ("Publicerad: 4 mars, 2024", date(2024, 3, 4)),
        ("2021-04-20T12:05:00+02:00", date(2021, 4, 20)),
        ("fra 16/5-2023", date(2023, 5, 16)),
        ("Pressemeddelelse · 19/05-14", date(2014, 5, 19)),
        ("Dato: 12.03.2024", date(2024, 3, 12)),
        ("Date: 9th May 2017", date(2017, 5, 9)),
        ("15 Oct 2014", date(2014, 10, 15)),
        ("Aftalen gælder fra 3.2.2021", date(2021, 2, 3)),
        ("Malmö den 14 januari 2019", date(2019, 1, 14)),
        ("Publisert 20. april 2021", date(2021, 4, 20)),
        ("Mødet 1. mai 2020", date(2020, 5, 1)),
        ("on 13/31/2020 by mistake", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_day_and_month_without_year_take_the_given_year():
    (match,) = find_dates("Fylkesordførar skreiv under avtalen Tysdag 13. april.")
    assert match.year is None
    assert match.value() is None
    assert match.value(2021) == date(2021, 4, 13)


@pytest.mark.parametrize("text", ["Socialpolitikken 2021 - 2024", "tlf 27903718", "2023–2025", "version 1.2.3", "kr. 440.000,-", "31. februar 2024"])
def test_things_that_are_not_dates(text):
    assert find_dates(text) == []


def test_spans_quote_the_text():
    text = "Avtalen gäller från 1 januari 2022 till 31 december 2024."
    found = find_dates(text)
    assert [text[d.start:d.end] for d in found] == ["1 januari 2022", "31 december 2024"]
    assert [d.value() for d in found] == [date(2022, 1, 1), date(2024, 12, 31)]
