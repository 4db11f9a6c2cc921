"""The PDF reader on generated PDFs (invented text) and the dev corpus."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas

from conftest import dev_documents, gold_for, requires_dev
from pdfgen import (
    HEIGHT, MARGIN, WIDTH, draw_paragraph, draw_table, make_encrypted_pdf, make_image_only_pdf, make_pdf,
    make_table_pdf, make_truncated_pdf, make_two_column_pdf,
)
from pipeline import ingest
from pipeline.errors import DamagedPDF, EmptyDocument, EncryptedPDF
from pipeline.ingest import pdf as pdf_reader
from pipeline.ingest.blocks import sha256
from pipeline.ingest.pdf import read_pdf
from pipeline.ingest.pdf_layout import Line, Word, join_lines
from pipeline.models import Source

LEFT_1 = [
    "#§ 1. Parter",
    "Avtalet gäller stöd till brottsutsatta och är ingånget mellan Norrvik kommun och Föreningen Trygga Norrvik.",
    "#§ 2. Åtagande",
    "Föreningen åtar sig att ge råd och stöd till personer som utsatts för brott i kommunen under hela avtalsperioden.",
]
RIGHT_1 = [
    "#§ 3. Ersättning",
    "Kommunen betalar en ersättning på totalt 120 000 kronor som delas upp på fyra utbetalningar under året.",
    "#§ 4. Uppföljning",
    "Samarbetet följs upp årligen vid ett gemensamt möte där föreningen redovisar sin verksamhet och statistik.",
]
LEFT_2 = ["#§ 5. Avtalstid", "Avtalet gäller från den 1 januari 2025 och förlängs med ett år i taget om ingen part säger upp det."]
RIGHT_2 = ["#§ 6. Underskrifter", "Avtalet är upprättat i två likalydande exemplar, ett för vardera parten."]


def _read(path: Path, **kw):
    data = path.read_bytes()
    source = Source(path=str(path), sha256=sha256(data), size=len(data), format="pdf")
    return read_pdf(data, source=source, doc_id=path.stem, **kw)


@pytest.fixture
def two_column(tmp_path):
    return make_two_column_pdf(
        tmp_path / "samverkan.pdf",
        title="Samverkansavtal mellan Norrvik kommun och Föreningen Trygga Norrvik om stöd till brottsutsatta",
        columns=[(LEFT_1, RIGHT_1), (LEFT_2, RIGHT_2)],
        header="Norrvik kommun – Socialförvaltningen · Dnr SN 2024/{page}7",
        footer="Norrvik kommun · 123 45 Norrvik · Sida {page} av {pages}",
    )


def test_two_columns_read_left_then_right(two_column):
    doc = ingest.read(two_column)
    assert doc.format == "pdf"
    order = [doc.content.index(p.lstrip("# ")) for p in LEFT_1 + RIGHT_1 + LEFT_2 + RIGHT_2]
    assert order == sorted(order)
    kinds = {b.text: b.kind for b in doc.blocks}
    assert kinds["§ 3. Ersättning"] == "heading"
    assert kinds[RIGHT_1[1]] == "body"  # one paragraph, not interleaved with the left column


def test_columns_starting_in_the_top_margin_are_not_running_heads(tmp_path):
    path = make_two_column_pdf(tmp_path / "tett.pdf", title="Samverkansavtal om fritidsgården i Norrvik",
                               columns=[(LEFT_1, RIGHT_1), (LEFT_2, RIGHT_2)], footer=None, top=48)
    doc = _read(path)
    order = [doc.content.index(p.lstrip("# ")) for p in LEFT_1 + RIGHT_1 + LEFT_2 + RIGHT_2]
    assert order == sorted(order)
    assert not [b for b in doc.blocks if b.kind == "boilerplate"]


def test_columns_around_a_full_width_table_and_three_columns(tmp_path):
    text = "Kommunen och föreningen samverkar kring stöd till brottsutsatta personer i hela kommunen under avtalsperioden."
    path = tmp_path / "blandat.pdf"
    c = canvas.Canvas(str(path))
    y = draw_paragraph(c, "Överenskommelse om partnerskap för trygghet", MARGIN, HEIGHT - 70, 480, "title")
    half = (WIDTH - 2 * MARGIN - 24) / 2
    y = min(draw_paragraph(c, "Vänster ett. " + text, MARGIN, y, half),
            draw_paragraph(c, "Höger ett. " + text, MARGIN + half + 24, y, half))
    y = draw_table(c, [["Part", "Roll", "Belopp"], ["Kommunen", "Finansiär", "100 000 kr"]], MARGIN, y, [160] * 3)
    y = min(draw_paragraph(c, "Vänster två. " + text, MARGIN, y, half),
            draw_paragraph(c, "Höger två. " + text, MARGIN + half + 24, y, half))
    third = (WIDTH - 2 * MARGIN - 40) / 3
    for k, name in enumerate(("Första", "Andra", "Tredje")):
        draw_paragraph(c, f"{name} spalten. " + text, MARGIN + k * (third + 20), y - 20, third)
    c.save()
    doc = _read(path)
    starts = ["Vänster ett.", "Höger ett.", "Part | Roll", "Vänster två.", "Höger två.", "Första spalten.",
              "Andra spalten.", "Tredje spalten."]
    blocks = [b.text for b in doc.blocks if b.kind in ("body", "table")]
    assert [next(t for t in blocks if t.startswith(s)) for s in starts] == blocks
    assert all(t.endswith("avtalsperioden.") for t in blocks if not t.startswith("Part"))


def test_two_column_title_is_the_wrapped_headline(two_column):
    doc = _read(two_column)
    assert doc.title == "Samverkansavtal mellan Norrvik kommun och Föreningen Trygga Norrvik om stöd till brottsutsatta"
    title = next(b for b in doc.blocks if b.kind == "title")
    assert title.page == 1 and title.text == doc.title


def test_running_header_and_footer_are_boilerplate(two_column):
    doc = _read(two_column)
    boiler = [b for b in doc.blocks if b.kind == "boilerplate"]
    texts = " ".join(b.text for b in boiler)
    assert "Sida 1 av 2" in texts and "Sida 2 av 2" in texts
    assert "Socialförvaltningen" in texts
    assert {b.page for b in boiler} == {1, 2}
    assert not any("Sida" in b.text for b in doc.content_blocks())
    assert doc.published is None  # the file's CreationDate is not a publication date


def test_blocks_point_into_content_and_carry_pages(two_column):
    doc = _read(two_column)
    assert doc.blocks
    for b in doc.blocks:
        assert doc.content[b.start:b.end] == b.text
        assert b.page in (1, 2)
    assert doc.metadata["pages"] == "2"
    assert "ReportLab" in doc.metadata["pdf_producer"]


def test_ruled_table_keeps_rows_and_is_not_repeated(tmp_path):
    rows = [["Förening", "Period", "Belopp"], ["Kulturföreningen Ljus", "2024–2026", "45 000 kr"],
            ["Idrottsklubben Fram", "2025", "30 000 kr"]]
    path = make_table_pdf(tmp_path / "tabell.pdf", rows, title="Bidrag till föreningar inom kulturnämndens område",
                          before="Nämnden beslutade om följande bidrag vid sitt sammanträde i mars.",
                          after="Bidragen betalas ut under andra kvartalet.")
    doc = _read(path)
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert len(tables) == 1
    assert tables[0].rows == rows
    assert "Idrottsklubben Fram | 2025 | 30 000 kr" in tables[0].text
    assert doc.content.count("Idrottsklubben Fram") == 1
    body = [b.text for b in doc.blocks if b.kind == "body"]
    assert body == ["Nämnden beslutade om följande bidrag vid sitt sammanträde i mars.",
                    "Bidragen betalas ut under andra kvartalet."]


def test_unruled_aligned_table(tmp_path):
    rows = [["Kommune", "Innbyggere", "Rolle"], ["Nordby", "12 000", "Vertskommune"],
            ["Sørvik", "3 400", "Samarbeidskommune"], ["Vestfjell", "1 100", "Samarbeidskommune"]]
    path = make_table_pdf(tmp_path / "samarbeid.pdf", rows, title="Interkommunalt samarbeid om krisesenter",
                          ruled=False, after="Kommunene deler kostnadene etter folketall.")
    doc = _read(path)
    table = next(b for b in doc.blocks if b.kind == "table")
    assert table.rows == rows


def test_title_prefers_visible_headline_over_generic_metadata(tmp_path):
    path = make_pdf(tmp_path / "sak.pdf", [[
        ("small", "Saksbehandler: Kari Nordmann Dato: 14.03.2022"),
        ("title", "Nr. 12 – Driftsavtale med Nordby frivilligsentral"),
        "Kommunedirektøren anbefaler at driftsavtalen med frivilligsentralen forlenges med fire år.",
    ]], title="Saksframlegg")
    doc = _read(path)
    assert doc.title == "Driftsavtale med Nordby frivilligsentral"
    assert doc.metadata["pdf_title"] == "Saksframlegg"
    assert doc.published == date(2022, 3, 14)


def test_title_falls_back_to_specific_metadata(tmp_path):
    text = "Kommunalbestyrelsen har godkendt en ny aftale med foreningen om drift af klubhuset i fire år."
    path = make_pdf(tmp_path / "aftale.pdf", [[text, text]], title="Aftale om drift af klubhuset", author="Østby Kommune")
    doc = _read(path)
    assert doc.title == "Aftale om drift af klubhuset"
    assert doc.metadata["pdf_author"] == "Østby Kommune"


def test_labelled_subject_is_the_title_when_no_headline_stands_out(tmp_path):
    path = make_pdf(tmp_path / "notat.pdf", [[
        ("heading", "1. Bakgrunn"),
        "Emne: Samarbeidsavtale med idrettsrådet i Nordby",
        "Kommunen og idrettsrådet har samarbeidet om fordeling av treningstid i mange år, og avtalen fornyes nå.",
    ]], title="Notat")
    doc = _read(path)
    assert doc.title == "Samarbeidsavtale med idrettsrådet i Nordby"


def test_join_lines_mends_soft_hyphens_but_keeps_compounds():
    def line(text, x0, top, width):
        return Line([Word(text, x0, x0 + width, top, top + 10, 10.0, False)])

    # Each first line reaches the right edge (x 300), so it wrapped softly.
    assert join_lines([line("kultur- og fritidsorganisa-", 0, 0, 300), line("tionerne", 0, 12, 40)]) == \
        "kultur- og fritidsorganisationerne"
    assert join_lines([line("Social-", 0, 0, 300), line("og Seniorudvalget", 0, 12, 90)]) == "Social- og Seniorudvalget"
    assert join_lines([line("IOP-", 0, 0, 300), line("avtal", 0, 12, 30)]) == "IOP-avtal"
    # A short line followed by a word that would have fitted was ended on purpose.
    assert join_lines([line("Karin Berg", 0, 0, 50), line("Ordförande", 0, 12, 50)], right=300) == "Karin Berg\nOrdförande"


def test_signature_columns_read_as_units(tmp_path):
    path = tmp_path / "avtal.pdf"
    c = canvas.Canvas(str(path))
    y = draw_paragraph(c, "Överenskommelse om samverkan kring fritidsgården", MARGIN, HEIGHT - 70, 480, "title")
    y = draw_paragraph(c, "Kommunen och föreningen driver fritidsgården tillsammans under två år. Föreningen ansvarar "
                          "för verksamheten och kommunen för lokalerna.", MARGIN, y, 480)
    y = draw_paragraph(c, "Överenskommelsen har upprättats i två likalydande exemplar.", MARGIN, y, 480)
    for x, lines in ((MARGIN, ["För Ekby kommun", "Ekby den 3 mars 2023", "....................................",
                                "Anna Berg", "Kommundirektör"]),
                     (320, ["För Föreningen Gården", "Ekby den 9 mars 2023", "....................................",
                            "Olle Lind", "Ordförande"])):
        yy = y
        for line in lines:
            c.setFont("Helvetica", 10)
            c.drawString(x, yy, line)
            yy -= 18
    c.save()
    doc = _read(path)
    assert doc.content.index("Anna Berg") < doc.content.index("För Föreningen Gården")
    assert doc.published == date(2023, 3, 9)  # the later signature


def test_truncated_pdf_is_damaged(tmp_path):
    path = make_truncated_pdf(tmp_path / "halv.pdf")
    with pytest.raises(DamagedPDF) as err:
        ingest.read(path)
    assert err.value.path == str(path) and "halv.pdf" in str(err.value)


def test_random_bytes_behind_pdf_magic_are_damaged(tmp_path):
    path = tmp_path / "skrot.pdf"
    path.write_bytes(b"%PDF-1.7\n" + os.urandom(4000))
    with pytest.raises(DamagedPDF) as err:
        _read(path)
    assert "skrot.pdf" in str(err.value)


def test_broken_page_dictionary_is_damaged(tmp_path):
    path = make_pdf(tmp_path / "trasig.pdf", [[("title", "Avtal om samverkan"), "Kommunen och föreningen samverkar."]])
    path.write_bytes(path.read_bytes().replace(b"/Parent", b"/\\ /Parent", 1))  # a key without a value
    with pytest.raises(DamagedPDF) as err:
        ingest.read(path)
    assert "trasig.pdf" in str(err.value)


def test_encrypted_pdf_needs_password(tmp_path):
    path = make_encrypted_pdf(tmp_path / "last.pdf")
    with pytest.raises(EncryptedPDF) as err:
        ingest.read(path)
    assert "last.pdf" in str(err.value) and "password" in err.value.reason


def test_owner_password_only_pdf_is_readable(tmp_path):
    enc = StandardEncryption("", ownerPassword="ägare", canPrint=0)
    path = make_pdf(tmp_path / "open.pdf", [[("title", "Avtal om lokaler för föreningen"), "Kommunen upplåter lokalen."]],
                    encrypt=enc)
    assert _read(path).title == "Avtal om lokaler för föreningen"


def test_image_only_pdf_is_empty(tmp_path):
    path = make_image_only_pdf(tmp_path / "skannad.pdf", pages=2)
    with pytest.raises(EmptyDocument) as err:
        ingest.read(path)
    assert "skannad.pdf" in str(err.value) and "image-only" in err.value.reason


def test_page_without_text_layer_is_warned(tmp_path):
    path = tmp_path / "blandet.pdf"
    c = canvas.Canvas(str(path))
    draw_paragraph(c, "Tilskudd til frivilligsentralen i Nordby", MARGIN, HEIGHT - 70, 480, "title")
    draw_paragraph(c, "Kommunen gir et årlig tilskudd til frivilligsentralen.", MARGIN, HEIGHT - 120, 480)
    c.showPage()
    c.rect(MARGIN, 300, 300, 300, fill=1)
    c.showPage()
    c.save()
    doc = _read(path)
    assert any("no text layer on page(s) 2" in w for w in doc.warnings)


def test_broken_page_is_skipped_with_warning(tmp_path, monkeypatch):
    path = make_pdf(tmp_path / "tre.pdf", [[("title", f"Referat fra møde nummer {n}"), "Udvalget godkendte aftalen."]
                                           for n in (1, 2, 3)])
    real = pdf_reader._read_page

    def flaky(page, number):
        if number == 2:
            raise ValueError("bad content stream")
        return real(page, number)

    monkeypatch.setattr(pdf_reader, "_read_page", flaky)
    doc = _read(path)
    assert any("page 2" in w and "bad content stream" in w for w in doc.warnings)
    assert {b.page for b in doc.blocks} == {1, 3}


def test_max_pages_bounds_reading(tmp_path):
    path = make_pdf(tmp_path / "lang.pdf", [[("title", f"Avsnitt {n} om partnerskapet"), "Text om samarbetet."]
                                            for n in range(1, 4)])
    doc = _read(path, max_pages=2)
    assert {b.page for b in doc.blocks} == {1, 2}
    assert any("first 2 of 3 pages" in w for w in doc.warnings)


DEV_PDFS = dev_documents(".pdf")


@requires_dev
@pytest.mark.parametrize("path", DEV_PDFS, ids=[p.name for p in DEV_PDFS])
def test_dev_pdf_title_and_published_match_gold(path):
    gold = gold_for(path)
    doc = _read(path)
    assert " ".join((doc.title or "").split()) == gold["title"]
    assert (doc.published.isoformat() if doc.published else None) == gold["published"]
    for b in doc.blocks:
        assert b.page is not None and doc.content[b.start:b.end] == b.text


TWO_COLUMN = [p for p in DEV_PDFS if p.stem in ("sv-gavle-samarbetsavtal-brottsoffer", "en-avon-somerset-opcc-dasv-fund")]


@requires_dev
@pytest.mark.parametrize("path", TWO_COLUMN, ids=[p.name for p in TWO_COLUMN])
def test_dev_two_column_pages_read_left_column_first(path):
    """The last line of the left half of page 1 comes before the first line of the right half."""
    import pdfplumber

    doc = _read(path)
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        w, h = page.width, page.height
        halves = [page.crop((0, 0.25 * h, w / 2 - 5, 0.9 * h)), page.crop((w / 2 + 5, 0.25 * h, w, 0.9 * h))]
        lines = [[" ".join(l.split()) for l in c.extract_text().splitlines()] for c in halves]
    left, right = ([l for l in ls if len(l.split()) >= 4 and not l.endswith("-") and l in doc.content] for ls in lines)
    assert left and right
    assert doc.content.index(left[-1]) < doc.content.index(right[0])


@requires_dev
@pytest.mark.parametrize("path", DEV_PDFS, ids=[p.name for p in DEV_PDFS])
def test_dev_ruled_tables_become_table_blocks(path):
    """Every ruled table pdfplumber finds is one table block with as many rows."""
    import pdfplumber

    doc = _read(path)
    with pdfplumber.open(path) as pdf:
        for n, page in enumerate(pdf.pages, start=1):
            found = [[r for r in t.extract() if any(r)] for t in page.find_tables()]
            found = sorted(len(t) for t in found if len(t) >= 2 and max(len([c for c in r if c]) for r in t) >= 2)
            blocks = sorted(len(b.rows) for b in doc.blocks if b.kind == "table" and b.page == n)
            assert all(rows in blocks for rows in found), (n, found, blocks)
