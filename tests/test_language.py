import pytest

from pipeline import language
from pipeline.ingest.blocks import ContentBuilder
from pipeline.models import Document, Source

SENTENCES = {
    "da": "Kommunen har indgået en ny aftale med foreningen, som driver krisecentret. Aftalen blev godkendt af udvalget i går, og den gælder i fire år.",
    "sv": "Kommunen har tecknat en ny överenskommelse med föreningen som driver kvinnojouren. Avtalet godkändes av nämnden i går och gäller i fyra år.",
    "nb": "Kommunen har inngått en ny avtale med foreningen som driver krisesenteret. Avtalen ble godkjent av utvalget i går, og den gjelder i fire år.",
    "nn": "Kommunen har inngått ein ny avtale med foreininga som driv krisesenteret. Avtalen vart godkjend av utvalet i går, og han gjeld i fire år frå no.",
    "en": "The council has signed a new agreement with the charity that runs the refuge. The agreement was approved by the committee yesterday and runs for four years.",
}


def _doc(*blocks: tuple[str, str]) -> Document:
    b = ContentBuilder()
    for kind, text in blocks:
        b.add(kind, text)
    src = Source(path="x", sha256="0" * 64, size=0, format="text")
    return Document(id="x", source=src, content=b.content, blocks=b.blocks)


@pytest.mark.parametrize("lang", sorted(SENTENCES))
def test_each_language(lang):
    assert language.detect(_doc(("body", SENTENCES[lang]))).language == lang


def test_bokmal_and_nynorsk_are_told_apart():
    assert language.detect_text(SENTENCES["nb"]) == "nb"
    assert language.detect_text(SENTENCES["nn"]) == "nn"


def test_main_language_is_the_content_majority_not_the_chrome():
    nav = "Home News About us Contact Cookies We use cookies to improve your experience on this website. Accept all cookies."
    doc = language.detect(_doc(("boilerplate", nav), ("boilerplate", nav), ("title", "Nytt avtal med kvinnojouren"), ("body", SENTENCES["sv"]), ("body", SENTENCES["sv"])))
    assert doc.language == "sv"
    assert all(b.lang is None for b in doc.blocks if b.kind == "boilerplate")


def test_mixed_document_keeps_per_block_languages():
    doc = language.detect(_doc(("body", SENTENCES["da"] * 2), ("body", SENTENCES["en"])))
    assert doc.language == "da"
    assert [b.lang for b in doc.blocks] == ["da", "en"]
    assert set(doc.languages) == {"da", "en"} and doc.languages["da"] > doc.languages["en"]


def test_detection_is_deterministic():
    text = "Aftale om drift. " * 3
    assert len({language.detect_text(text) for _ in range(5)}) == 1


def test_too_little_text_gives_none():
    assert language.detect_text("OK") is None


LANGDETECT_TEXTS = [
    *SENTENCES.values(),
    " ".join(SENTENCES.values()),
    "OK",
    "Tlf. 12 34 56 78, e-post kari.nilsen@nordby.example.no, https://www.nordby.example.no/aktuelt",
    "NORDBY KOMMUNE INNGÅR AVTALE MED FRIVILLIGSENTRALEN",
    "Æblegården, Østerbro og Ålholm: tre nye aftaler – «samarbejde» i 2026.",
    "Die Gemeinde und der Verein haben eine neue Vereinbarung unterzeichnet.",
    "Привет, мир. 東京と大阪。",
    "12 345 678",
    "Tiếng Việt: a\u0301 e\u0300 o\u0303 và   nhiều    khoảng trắng",
    "Kommunen og the council und die Gemeinde och kommunen le conseil et la ville " * 4,
    "Kommunen har indgået en ny aftale med foreningen. " * 40,
]


@pytest.mark.parametrize("text", LANGDETECT_TEXTS)
def test_fast_detect_langs_is_langdetect_to_the_last_bit(text):
    import langdetect
    from langdetect.lang_detect_exception import LangDetectException

    def run(fn):
        try:
            return [(r.lang, r.prob) for r in fn(text)]
        except LangDetectException as exc:
            return str(exc)

    assert run(language.detect_langs) == run(langdetect.detect_langs)


def test_document_language_costs_one_detection_and_short_blocks_share_it(monkeypatch):
    calls = []
    real = language.detect_langs
    monkeypatch.setattr(language, "detect_langs", lambda text: calls.append(text) or real(text))
    blocks = [("title", "Nytt avtal med kvinnojouren i Norrvik")]
    blocks += [("body", SENTENCES["sv"])] * 12 + [("contact", "Anna Berg, Norrvik kommun, tel. 0123-456 78")]
    doc = language.detect(_doc(*blocks))
    assert len(calls) == 1 and len(calls[0]) <= language._DOC_SAMPLE
    assert doc.language == "sv" and doc.languages == {"sv": 1.0}
    assert {b.lang for b in doc.blocks} == {"sv"}


def test_a_paragraph_in_another_language_gets_its_own_detection():
    doc = language.detect(_doc(("title", "Ny aftale med krisecentret"), ("body", SENTENCES["da"] * 3),
                               ("body", SENTENCES["en"]), ("body", SENTENCES["da"])))
    assert doc.language == "da"
    assert [b.lang for b in doc.blocks] == ["da", "da", "en", "da"]


def test_fast_detect_langs_matches_langdetect_when_no_trial_converges(monkeypatch):
    # Every trial then runs to ITERATION_LIMIT, drawing more n-grams than the first batch.
    import langdetect
    from langdetect.detector import Detector

    monkeypatch.setattr(Detector, "CONV_THRESHOLD", 1.1)
    for text in (SENTENCES["da"], SENTENCES["sv"] + " " + SENTENCES["en"], "x y"):
        assert [(r.lang, r.prob) for r in language.detect_langs(text)] == [
            (r.lang, r.prob) for r in langdetect.detect_langs(text)
        ]


@pytest.mark.parametrize(
    "text",
    ["  a  b   c ", "mail me at a.b@c.dk or https://x.dk/a?b=1  now", "Привет мир hello", "東京と大阪 abc [\\]^_`",
     "Tiếng Việt có dấu: a\u0301 e\u0300", "x" * 12000],
)
def test_detector_text_is_append_then_cleaning_text(text):
    from langdetect import detector_factory

    detector_factory.init_factory()
    slow = detector_factory._factory.create()
    slow.append(text)
    slow.cleaning_text()
    fast = detector_factory._factory.create()
    assert language._detector_text(fast, text) == slow.text


def test_random_draws_are_random_random_s():
    assert language._draws_match()


def test_content_kinds_are_what_content_blocks_keeps():
    doc = _doc(("title", "Ny aftale"), ("boilerplate", "Forside"), ("body", SENTENCES["da"]), ("contact", "Tlf. 12 34 56 78"),
               ("table", "a | b"), ("heading", "Fakta"))
    from pipeline.models import CONTENT_KINDS

    assert doc.content_blocks() == [b for b in doc.blocks if b.kind in CONTENT_KINDS]
