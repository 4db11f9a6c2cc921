"""The shortcuts taken for speed give the answers the slow paths gave.

pdfium's words against pdfplumber's, ruled tables from pdfium's drawn lines
against pdfplumber's table finder, cue words searched in content only against
the whole text, extraction on the content stretches against the whole page, and a pipeline renewed for its grown vocabulary against the
old one. (Throughput itself is measured by scripts/benchmark.py, not here.)
"""

from __future__ import annotations

from datetime import date

import pdfplumber
import pypdfium2 as pdfium
import pytest

from pdfgen import make_pdf, make_table_pdf, make_two_column_pdf
from pipeline import nlp
from pipeline.extract import mentions
from pipeline.ingest import pdf as pdf_reader
from pipeline.ingest.blocks import ContentBuilder
from pipeline.models import Document, Source
from pipeline.nlp import extensions

LEFT = ["#§ 1. Parter", "Avtalet är ingånget mellan Norrvik kommun och Föreningen Trygga Norrvik om stöd till brottsutsatta."]
RIGHT = ["#§ 2. Ersättning", "Kommunen betalar totalt 120 000 kronor, fördelat på fyra utbetalningar under avtalsåret."]


def _plumber_words(path, n=0):
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[n]
        return page.extract_words(x_tolerance_ratio=0.15, y_tolerance=3, extra_attrs=["size", "fontname"])


def _pdfium_words(path, n=0):
    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[n]
        textpage = page.get_textpage()
        return [w for w, upright in pdf_reader.page_words(textpage, page.get_mediabox()[3]) if upright]
    finally:
        pdf.close()


def test_pdfium_words_are_pdfplumbers_words(tmp_path):
    path = make_two_column_pdf(tmp_path / "avtal.pdf", title="Samverkansavtal med Föreningen Trygga Norrvik",
                               columns=[(LEFT, RIGHT)], header="Norrvik kommun · Dnr 2024/17",
                               footer="Sida {page} av {pages}")
    theirs = _plumber_words(path)
    ours = _pdfium_words(path)
    assert [w.text for w in ours] == [w["text"] for w in theirs]
    for a, b in zip(ours, theirs):
        assert a.x0 == pytest.approx(b["x0"], abs=0.25) and a.x1 == pytest.approx(b["x1"], abs=0.25)
        assert a.bottom == pytest.approx(b["bottom"], abs=0.5) and a.size == round(b["size"], 1)
        assert a.bold == ("Bold" in b["fontname"])


def test_line_end_hyphen_and_scaled_type(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "skala.pdf"
    c = canvas.Canvas(str(path))
    t = c.beginText()
    t.setTextTransform(12, 0, 0, 12, 72, 700)  # 1 pt type scaled to 12 by the text matrix
    t.setFont("Helvetica-Bold", 1)
    t.textOut("Samarbeids-")
    c.drawText(t)
    c.setFont("Helvetica", 10)
    c.drawString(72, 686, "avtale mellom partene")
    c.saveState()
    c.translate(300, 300)
    c.rotate(90)
    c.drawString(0, 0, "Rotert tekst")
    c.restoreState()
    c.showPage()
    c.save()
    words = _pdfium_words(path)
    assert [(w.text, w.size, w.bold) for w in words] == [
        ("Samarbeids-", 12.0, True), ("avtale", 10.0, False), ("mellom", 10.0, False), ("partene", 10.0, False),
    ]
    assert [w["text"] for w in _plumber_words(path) if w["upright"]] == [w.text for w in words]


def test_ruled_tables_from_pdfium_lines_are_pdfplumbers(tmp_path):
    rows = [["Förening", "Ändamål", "Belopp"], ["Norrviks IF", "Ungdomsverksamhet", "45 000 kr"],
            ["Kulturföreningen Ljuset", "Konserter", "30 000 kr"], ["PRO Norrvik", "Träffar", "12 500 kr"]]
    path = make_table_pdf(tmp_path / "bidrag.pdf", rows, before="Kulturnämnden har beviljat följande bidrag.")
    with pdfplumber.open(path) as pdf:
        expected = [[[c for c in r] for r in t.extract()] for t in pdf.pages[0].find_tables()]
    doc_pdf = pdfium.PdfDocument(str(path))
    page = doc_pdf[0]
    top = page.get_mediabox()[3]
    _, paths = pdf_reader._objects(page)
    words = _pdfium_words(path)
    tables = pdf_reader._tables(pdf_reader._edges(paths, top), (0, 0, page.get_width(), page.get_height()), words)
    doc_pdf.close()
    assert [t.rows for t in tables] == expected


def test_image_only_page_has_graphics_and_no_words(tmp_path):
    from pdfgen import make_image_only_pdf

    path = make_image_only_pdf(tmp_path / "skannad.pdf")
    pdf = pdfium.PdfDocument(str(path))
    graphics, paths = pdf_reader._objects(pdf[0])
    pdf.close()
    assert graphics and paths and _pdfium_words(path) == []


def _doc(blocks: list[tuple[str, str]], fmt: str = "text") -> Document:
    """A Danish document of (kind, text) blocks."""
    b = ContentBuilder()
    for kind, text in blocks:
        b.add(kind, text)
    src = Source(path=f"x.{fmt}", sha256="0" * 64, size=0, format=fmt)
    return Document(id="x", source=src, language="da", content=b.content, blocks=b.blocks)


def _chrome_doc() -> Document:
    return _doc([
        ("boilerplate", "Forside | Tilskud og puljer | Samarbejdsaftaler | Driftsaftale | Ansøg om tilskud"),
        ("title", "Ny samarbejdsaftale med Frivilligcenter Nordby"),
        ("body", "Nordby Kommune og Frivilligcenter Nordby har indgået en samarbejdsaftale. Udvalget har godkendt et "
                 "årligt tilskud på 400.000 kr. for 2026."),
        ("boilerplate", "Læs også: Driftsaftale med krisecentret er opsagt · Ansøgning om tilskud"),
        ("body", "Aftalen gælder fra 1. januar 2026 til 31. december 2028."),
    ])


def test_cues_searched_in_content_only_find_what_the_whole_text_gives(monkeypatch):
    doc = _chrome_doc()
    fast, _ = mentions.analyse(doc, "da", date(2025, 12, 1))
    monkeypatch.setattr("pipeline.nlp.cues.content_ranges", lambda d, text: [(0, len(text))])
    whole, _ = mentions.analyse(doc, "da", date(2025, 12, 1))
    assert [[(m.kind, m.start, m.end, m.value) for m in u.mentions] for u in fast] == \
           [[(m.kind, m.start, m.end, m.value) for m in u.mentions] for u in whole]
    assert any(m.kind == "cue_type" for u in fast for m in u.mentions)


def test_no_cue_pattern_can_match_a_line_break():
    """What makes searching content stretches only (run to their line ends) exact."""
    import json
    import re

    from pipeline.nlp.cues import DATA

    cues = json.loads(DATA.read_text(encoding="utf-8"))
    newline_capable = re.compile(r"\\[sSWDB]|(?<!\\)\.|\[\^")
    for table in ("type", "status"):
        for label, patterns in cues[table].items():
            for pattern in patterns:
                assert not newline_capable.search(pattern), (label, pattern)
                assert not re.search(pattern, "\n", re.IGNORECASE)


def test_content_ranges_run_to_the_end_of_their_line_and_over_blank_lines():
    class _Doc:
        class _:  # noqa: N801 - spaCy's extension namespace
            context = {"content": [(0, 3), (5, 8), (20, 25)]}

    text = "abc\n\ndefgh\nijklmnopq\nrstuvwxyz"
    # (0, 3) runs to its line's end and over the blank line into (5, 8); (20, 25) stands apart
    assert extensions.content_ranges(_Doc, text) == [(0, 10), (20, 30)]


def test_pipeline_with_a_grown_vocabulary_is_renewed_and_reads_the_same(monkeypatch):
    doc = _chrome_doc()
    before, _ = mentions.analyse(doc, "da", date(2025, 12, 1))
    old = nlp.load("da")
    monkeypatch.setattr(nlp, "RENEW_AFTER", 5)
    old.make_doc(" ".join(f"ord{i}" for i in range(10)))  # ten new strings
    new = nlp.load("da")
    assert new is not old and nlp.load("da") is new
    after, _ = mentions.analyse(doc, "da", date(2025, 12, 1))
    assert [[(m.kind, m.start, m.end, m.value) for m in u.mentions] for u in before] == \
           [[(m.kind, m.start, m.end, m.value) for m in u.mentions] for u in after]


def test_a_plain_pdf_reads_through_pdfium(tmp_path):
    from pipeline import ingest

    path = make_pdf(tmp_path / "en.pdf", [[("title", "Avtal om samverkan"), "Kommunen och föreningen samverkar."]])
    doc = ingest.read(path)
    assert doc.title == "Avtal om samverkan" and "Kommunen och föreningen samverkar." in doc.content
    assert doc.metadata["pages"] == "1"


def _page_with_chrome() -> Document:
    return _doc([
        ("boilerplate", "Hjem  Borger  Erhverv  Politik  Byrådet"),
        ("title", "Ny driftsaftale med Krisecentret Lyspunktet"),
        # The municipality is named only in the chrome: "Byrådet" stands for it.
        ("body", "Byrådet har indgået en ny driftsaftale med Krisecentret Lyspunktet. Aftalen gælder fra 1. april "
                 "2025 til 31. marts 2028, og kommunen giver et årligt driftstilskud på 2,8 mio. kr."),
        ("boilerplate", "Del på Facebook  Cookies  Horsens Kommune  Rådhustorvet 4  Tlf. 76 29 29 29"),
        ("body", "Aftalen blev godkendt den 27. februar 2025."),
        ("contact", "Lise Holm, formand\nTlf. 24 68 10 12"),
        ("boilerplate", "© Horsens Kommune"),
    ], fmt="html")


def test_compact_text_maps_back_to_the_document_offsets():
    doc = _page_with_chrome()
    compact = mentions.Compact(doc)
    assert "Facebook" not in compact.text and "Hjem" not in compact.text
    for b in doc.blocks:
        if not b.is_content:
            assert compact.to_compact(b.start, b.end) is None
            continue
        start, end = compact.to_compact(b.start, b.end)
        assert compact.text[start:end] == b.text
        assert compact.to_doc(start, end) == (b.start, b.end)
    # A span across left-out chrome has no place in the document.
    first, second = [b for b in doc.blocks if b.kind == "body"]
    a, _ = compact.to_compact(first.start, first.end)
    _, z = compact.to_compact(second.start, second.end)
    assert compact.to_doc(a, z) is None


def test_extraction_on_the_compact_text_equals_extraction_on_the_whole_page(monkeypatch):
    """Components reading only the content stretches (orgs the whole page) find what they found
    reading the whole page with chrome, spans outside content dropped."""
    from pipeline.extract import extract

    doc = _page_with_chrome()
    fast = extract(doc)

    class WholePage(mentions.Compact):  # the old way: the whole text, content ranges given
        def __init__(self, doc):
            self.text = doc.content
            self.starts, self.origins, self.lengths = [0], [0], [len(doc.content)]

    monkeypatch.setattr(mentions, "Compact", WholePage)
    slow = extract(doc)
    assert fast.model_dump() == slow.model_dump()
    assert [p.name for p in fast.parties] == ["Horsens Kommune", "Krisecentret Lyspunktet"]
