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
