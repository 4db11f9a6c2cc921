"""The HTML reader: charsets, headline and date, main content vs chrome, tables,
obfuscated emails, robustness, speed, and the dev corpus pages."""

import time
from datetime import date
from pathlib import Path

import pytest

from conftest import dev_documents, gold_for, requires_dev
from pipeline import ingest
from pipeline.errors import EmptyDocument
from pipeline.ingest.blocks import ContentBuilder, sha256
from pipeline.ingest.html import add_html, decode_cfemail, html_to_document, read_html
from pipeline.models import Source

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "html"


def _read(data: bytes, name: str = "side.html"):
    source = Source(path=name, sha256=sha256(data), size=len(data), format="html")
    return read_html(data, source=source, doc_id=Path(name).stem)


def _page(body: str, head: str = "", charset: str = "utf-8") -> bytes:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>".encode(charset)


def _kinds(doc) -> dict[str, str]:
    """Kind by paragraph: a web page's chrome comes as runs of paragraphs in one block."""
    return {piece: b.kind for b in doc.blocks for piece in b.text.split("\n\n")}


def _assert_offsets(doc) -> None:
    for b in doc.blocks:
        assert doc.content[b.start:b.end] == b.text


ARTICLE = (
    "<p>Kommunen har indgået en ny aftale med den lokale forening om drift af medborgerhuset. "
    "Aftalen gælder i tre år og bliver evalueret hvert år af udvalget.</p>"
)

# --- charsets -----------------------------------------------------------------------


def test_windows_1252_page_declared_iso_8859_1():
    body = "<h1>Tilskud til Ærø og Växjö</h1><p>“Søren Åberg” sagde – med glæde – at aftalen om både æøå og äö er på plads.</p>"
    doc = _read(_page(body, '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">', "cp1252"))
    assert doc.title == "Tilskud til Ærø og Växjö"
    assert "“Søren Åberg” sagde – med glæde – at aftalen om både æøå og äö er på plads." in doc.content
    assert doc.metadata["encoding"] == "cp1252"
    assert not any("charset" in w for w in doc.warnings)  # iso-8859-1 is read as windows-1252, as browsers do


def test_undeclared_cp1252_page():
    doc = _read(_page("<h1>Föreningsbidrag i Åmål</h1><p>Kulturnämnden ger 50 000 kronor till föreningen i år.</p>", charset="cp1252"))
    assert doc.title == "Föreningsbidrag i Åmål"
    assert doc.metadata["encoding"] == "cp1252"


def test_declared_utf8_but_really_cp1252_is_decoded_and_warned():
    data = _page("<h1>Støtte til frivillige på Fanø</h1>", '<meta charset="utf-8">', "cp1252")
    doc = _read(data)
    assert doc.title == "Støtte til frivillige på Fanø"
    assert doc.metadata["encoding"] == "cp1252"
    assert any("declares charset utf-8" in w for w in doc.warnings)


def test_meta_charset_utf8():
    doc = _read(_page("<h1>Bydelen får nytt aktivitetshus på Løren</h1>", '<meta charset="UTF-8">'))
    assert doc.title == "Bydelen får nytt aktivitetshus på Løren"
    assert doc.metadata["encoding"] == "utf-8"


def test_page_labelled_latin1_but_written_in_utf8_reads_as_utf8():
    # Valid multi-byte UTF-8 is all but impossible in genuine Latin-1 text, so a
    # mislabelled page is read as what its bytes are.
    doc = _read(_page("<h1>Prisen øger tilskuddet</h1>", '<meta charset="iso-8859-1">', "utf-8"))
    assert doc.title == "Prisen øger tilskuddet"


def test_meta_charset_latin1_page_keeps_its_letters():
    doc = _read(_page("<h1>Prisen øger tilskuddet</h1>", '<meta charset="iso-8859-1">', "latin-1"))
    assert doc.title == "Prisen øger tilskuddet"


def test_http_equiv_charset():
    head = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
    doc = _read(_page("<h1>Næstved Kommune støtter idrætten</h1>", head, "cp1252"))
    assert doc.title == "Næstved Kommune støtter idrætten"


def test_byte_order_mark_beats_a_wrong_declaration():
    data = b"\xef\xbb\xbf" + _page("<h1>Økonomiudvalget på Bornholm</h1>", '<meta charset="iso-8859-1">')
    doc = _read(data)
    assert doc.title == "Økonomiudvalget på Bornholm"
    assert doc.metadata["encoding"] == "utf-8"


# --- title --------------------------------------------------------------------------


def test_og_title_wins_over_h1_and_title_tag():
    head = '<title>Gammel titel - Solby Kommune</title><meta property="og:title" content="Aftale med Kulturværket">'
    doc = _read(_page("<main><h1>Aftale med Kulturværket er på plads</h1>" + ARTICLE + "</main>", head))
    assert doc.title == "Aftale med Kulturværket"
    assert [b.text for b in doc.blocks if b.kind == "title"] == ["Aftale med Kulturværket er på plads"]


def test_dc_title_then_h1():
    head = '<meta name="DC.title" content="Samarbetsavtal med Idrottsalliansen">'
    doc = _read(_page("<h1>Nyhet: Samarbetsavtal med Idrottsalliansen</h1>" + ARTICLE, head))
    assert doc.title == "Samarbetsavtal med Idrottsalliansen"
    assert doc.blocks[0].kind == "title"  # the h1 that ends with the title is the headline block


def test_h1_in_main_content_before_title_tag():
    head = "<title>Nyheter | Fjordvik kommune</title>"
    body = '<header><h1 class="logo">Fjordvik kommune</h1></header><main><h1>Krisesenteret får nye lokaler</h1>' + ARTICLE + "</main>"
    doc = _read(_page(body, head))
    assert doc.title == "Krisesenteret får nye lokaler"
    assert _kinds(doc)["Krisesenteret får nye lokaler"] == "title"
    assert _kinds(doc)["Fjordvik kommune"] == "boilerplate"


@pytest.mark.parametrize(
    "tag, expected",
    [
        ("Nye regler for tilskud - Solby Kommune", "Nye regler for tilskud"),
        ("Nye regler for tilskud | Solby Kommune", "Nye regler for tilskud"),
        ("Nye regler for tilskud – Solby Kommune", "Nye regler for tilskud"),
        ("Tilskud til foreninger - ansøg nu", "Tilskud til foreninger - ansøg nu"),  # not a site name
    ],
)
def test_title_tag_loses_its_site_suffix(tag, expected):
    doc = _read(_page("<div>" + ARTICLE + "</div>", f"<title>{tag}</title>"))
    assert doc.title == expected


def test_site_name_from_og_site_name_is_stripped_from_og_title():
    head = '<meta property="og:title" content="Ny aftale om frivillighed · Norrby stad"><meta property="og:site_name" content="Norrby stad">'
    doc = _read(_page("<main><h1>Ny aftale om frivillighed</h1>" + ARTICLE + "</main>", head))
    assert doc.title == "Ny aftale om frivillighed"
    assert doc.metadata["site"] == "Norrby stad"


def test_og_title_with_a_dash_keeps_it_without_a_known_site_name():
    head = '<meta property="og:title" content="Nytt avtal – Konstkollektivet">'
    assert _read(_page("<main><h1>Nytt avtal</h1>" + ARTICLE + "</main>", head)).title == "Nytt avtal – Konstkollektivet"


# --- publication date ---------------------------------------------------------------


@pytest.mark.parametrize(
    "meta",
    [
        '<meta property="article:published_time" content="2021-04-20T12:05:00+02:00">',
        '<meta name="DC.date.issued" content="2021-04-20">',
        '<meta name="DC.date.created" content="2021-04-20">',
        '<meta name="EPi.Published" content="20.04.2021 10:15:00">',
        '<meta itemprop="datePublished" content="2021-04-20">',
        '<meta name="pubdate" content="2021-04-20">',
    ],
)
def test_published_from_meta(meta):
    doc = _read(_page("<main><h1>Ny samarbeidsavtale med idrettsrådet</h1><p>Sist oppdatert 03.05.2021</p>" + ARTICLE + "</main>", meta))
    assert doc.published == date(2021, 4, 20)


def test_published_from_json_ld():
    script = '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2023-06-13T08:00:00Z"}</script>'
    doc = _read(_page("<main><h1>Nytt partnerskap</h1>" + ARTICLE + "</main>", script))
    assert doc.published == date(2023, 6, 13)


def test_time_in_main_content_not_in_related_list():
    body = (
        '<main><article><h1>Kulturhuset får ny driftsaftale</h1><p>Af redaktionen, <time datetime="2024-03-04">4. marts</time></p>'
        + ARTICLE
        + '</article><aside><h2>Flere nyheder</h2><ul><li><time datetime="2024-02-01">1. feb</time> <a href="/a">Andet</a></li></ul></aside></main>'
    )
    assert _read(_page(body)).published == date(2024, 3, 4)


def test_time_only_in_related_list_is_ignored():
    body = (
        "<main><article><h1>Kulturhuset får ny driftsaftale</h1>" + ARTICLE + "</article>"
        '<aside class="related"><ul><li><time datetime="2024-02-01">1. februar 2024</time> <a href="/a">Andet</a></li>'
        '<li><time datetime="2024-01-11">11. januar 2024</time> <a href="/b">Mere</a></li></ul></aside></main>'
    )
    assert _read(_page(body)).published is None


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Publicerad: 4 mars, 2024", date(2024, 3, 4)),
        ("Publiceret 02.08.2017 af Redaktionen", date(2017, 8, 2)),
        ("Publisert 20.04.2021", date(2021, 4, 20)),
        ("Posted by: admin In: News 15 Oct 2014", date(2014, 10, 15)),
        ("Sidst opdateret: 15.09.2022", date(2022, 9, 15)),
        ("Av: Kari Nordmo / Publisert: 18.11.2016 / Oppdatert: 28.11.2016", date(2016, 11, 18)),
    ],
)
def test_published_from_visible_nordic_lines(line, expected):
    body = f"<main><h1>Ny aftale om frivilligcentret</h1><p class='meta'>{line}</p>{ARTICLE}</main>"
    doc = _read(_page(body))
    assert doc.published == expected
    assert _kinds(doc)[line] == "body"  # a dateline is content, even with separators


def test_notice_first_published_table_row():
    doc = _read((FIXTURES / "en_decision_notice.html").read_bytes(), "en_decision_notice.html")
    assert doc.title == "Community Grants Review"
    assert doc.published == date(2023, 9, 5)
    row = next(b for b in doc.blocks if "first published" in b.text)
    assert row.kind == "table"
    assert row.rows == [["Notice of proposed decision first published:", "05/09/2023"]]


def test_page_without_a_date_has_no_published():
    body = "<main><h1>Sådan søger du § 18-midler</h1>" + ARTICLE + "<p>Ansøgningsfristen er den 1. februar hvert år.</p></main>"
    assert _read(_page(body)).published is None


# --- main content and boilerplate ------------------------------------------------------


def test_press_release_page_chrome_and_contact():
    doc = _read((FIXTURES / "da_solby_nyhed.html").read_bytes(), "da_solby_nyhed.html")
    kinds = _kinds(doc)
    assert doc.title == "Solby Kommune indgår driftsaftale med Kulturværket"
    assert kinds[doc.title] == "title"
    assert doc.published == date(2025, 2, 3)  # not the dates of the related news
    for chrome in (
        "Vi bruger cookies for at forbedre hjemmesiden. Læs mere",  # cookie banner (button text dropped)
        "Spring til indhold",  # skip link
        "Borger",  # header navigation
        "Tlf. 70 10 20 30 · Åbent 10-15",  # header phone
        "Forside",  # breadcrumb
        "Del: Facebook LinkedIn E-mail",  # share bar inside the article
        "Relaterede nyheder",  # aside inside <main>
        "20. januar 2025 Ny bibliotekschef i Solby",
        "Solby Kommune · Rådhustorvet 1 · 9999 Solby · Tlf. 70 10 20 30",  # footer
        "Skjult tekst om noget helt andet",  # display:none
    ):
        assert kinds[chrome] == "boilerplate", chrome
    assert kinds["Mette Lund, kulturchef\nTlf. 70 10 20 45\nE-mail: kulturchef@solby.dk"] == "contact"
    assert kinds["Hvad indeholder aftalen?"] == "heading"
    assert kinds["Drift af huset på Havnegade 4"] == "body"
    for dropped in ("SCRIPTTEKST", "NOSCRIPTTEKST", "TEMPLATETEKST", "SVGTEKST", "STYLETEKST", "Accepter"):
        assert dropped not in doc.content
    assert doc.metadata["url"] == "https://www.solby.example/nyheder/driftsaftale-kulturvaerket"
    assert doc.metadata["site"] == "Solby Kommune"
    assert doc.metadata["description"] == "Kulturværket får en fireårig driftsaftale med Solby Kommune."
    assert doc.warnings == []
    _assert_offsets(doc)


def test_everything_outside_main_is_boilerplate():
    body = (
        "<div>Kommunens driftsinfo: Rådhuset holder lukket fredag på grund af flytning til nye lokaler.</div>"
        "<main><h1>Ny aftale om medborgerhuset</h1>" + ARTICLE + "</main>"
        "<div><p>Endnu en tekst uden for hovedindholdet, som intet har med nyheden at gøre.</p></div>"
    )
    kinds = _kinds(_read(_page(body)))
    assert kinds["Kommunens driftsinfo: Rådhuset holder lukket fredag på grund af flytning til nye lokaler."] == "boilerplate"
    assert kinds["Endnu en tekst uden for hovedindholdet, som intet har med nyheden at gøre."] == "boilerplate"
    assert kinds["Ny aftale om medborgerhuset"] == "title"


@pytest.mark.parametrize(
    "wrapper",
    [
        '<nav class="x">{}</nav>',
        '<div role="navigation">{}</div>',
        '<div role="complementary">{}</div>',
        '<div class="sk-sidebar">{}</div>',
        '<div id="comments">{}</div>',
        '<div class="social-share">{}</div>',
        '<div class="gdpr-notice">{}</div>',
        '<div class="md-puff">{}</div>',
        '<footer>{}</footer>',
        '<form action="/sok">{}</form>',
    ],
)
def test_chrome_by_tag_role_and_class_inside_main(wrapper):
    chrome = "<p>Et stykke tekst fra sidens ramme, ikke fra nyheden.</p>"
    body = "<main><h1>Ny aftale om medborgerhuset</h1>" + ARTICLE + wrapper.format(chrome) + "</main>"
    assert _kinds(_read(_page(body)))["Et stykke tekst fra sidens ramme, ikke fra nyheden."] == "boilerplate"


def test_link_list_is_boilerplate():
    links = "".join(f'<li><a href="/n{i}">Nyhed nummer {i} fra kommunen</a></li>' for i in range(4))
    body = "<main><h1>Ny aftale om medborgerhuset</h1>" + ARTICLE + f"<ul>{links}</ul><ul><li>Drift af huset</li><li>Udlån af lokaler</li></ul></main>"
    kinds = _kinds(_read(_page(body)))
    assert kinds["Nyhed nummer 2 fra kommunen"] == "boilerplate"
    assert kinds["Udlån af lokaler"] == "body"


def test_page_wrapped_in_one_form_is_not_all_chrome():
    body = '<form id="aspnetForm"><div id="nav"><a href="/">Hjem</a></div><h1>Nytt driftstilskudd til frivilligsentralen</h1>' + ARTICLE * 3 + "</form>"
    doc = _read(_page(body))
    assert doc.title == "Nytt driftstilskudd til frivilligsentralen"
    assert sum(b.kind == "body" for b in doc.blocks) == 3


def test_old_table_layout_without_landmarks():
    doc = _read((FIXTURES / "nb_gammel_tabellside.html").read_bytes(), "nb_gammel_tabellside.html")
    kinds = _kinds(doc)
    assert doc.title == "Frivilligsentralen får nytt driftstilskudd"
    assert doc.published == date(2021, 4, 20)
    assert kinds["Forsiden\nTjenester\nPolitikk\nAktuelt"] == "boilerplate"
    assert kinds["Kontaktperson:\nKari Nordmo, enhetsleder kultur\nTelefon 900 11 222"] == "contact"
    assert any("landmark" in w for w in doc.warnings)
    _assert_offsets(doc)


def test_no_main_content_warning():
    doc = _read(_page("<p>Kort tekst.</p>"))
    assert "no main content found" in doc.warnings


# --- blocks ------------------------------------------------------------------------------


def test_blocks_br_inline_and_whitespace():
    body = (
        "<main><h1>Ny   aftale\n om <em>idræt</em></h1>"
        "<p>Første linje<br>anden <strong>linje</strong>   med\n\t mellemrum</p>"
        "<blockquote>Et citat fra borgmesteren om aftalen.</blockquote>"
        "<dl><dt>Periode</dt><dd>2025–2027</dd></dl><address>Rådhuset, Solby</address>"
        "<div>Tekst direkte i en div <p>og et afsnit</p> og mere tekst</div>"
        "<h3>Underoverskrift</h3><pre>linje 1\n  linje 2</pre></main>"
    )
    doc = _read(_page(body))
    texts = [b.text for b in doc.blocks]
    assert texts == [
        "Ny aftale om idræt", "Første linje\nanden linje med mellemrum", "Et citat fra borgmesteren om aftalen.",
        "Periode", "2025–2027", "Rådhuset, Solby", "Tekst direkte i en div", "og et afsnit", "og mere tekst",
        "Underoverskrift", "linje 1\nlinje 2",
    ]
    assert _kinds(doc)["Underoverskrift"] == "heading"
    _assert_offsets(doc)


def test_table_rows_become_blocks_with_cells():
    body = (
        "<main><h1>Tilskud fordelt</h1><table><tr><th>Forening</th><th>Beløb</th></tr>"
        "<tr><td>Solby Boldklub</td><td>25.000 kr.</td></tr><tr><td>Solby <b>Spejderne</b></td><td>12.500 kr.<br></td></tr></table></main>"
    )
    doc = _read(_page(body))
    rows = [b for b in doc.blocks if b.kind == "table"]
    assert [b.rows for b in rows] == [[["Forening", "Beløb"]], [["Solby Boldklub", "25.000 kr."]], [["Solby Spejderne", "12.500 kr."]]]
    assert rows[1].text == "Solby Boldklub | 25.000 kr."
    _assert_offsets(doc)


def test_layout_table_holds_blocks_not_rows():
    body = '<table role="presentation"><tr><td><h1>Nyhedsbrev om kultur</h1><p>Første afsnit om aftalen.</p></td></tr></table>'
    doc = _read(_page(body))
    assert not any(b.kind == "table" for b in doc.blocks)
    assert [b.text for b in doc.blocks] == ["Nyhedsbrev om kultur", "Første afsnit om aftalen."]


def test_cfemail_decoder():
    encoded = "4232302731312702312d2e203b6c2629"  # key 0x42
    assert decode_cfemail(encoded) == "presse@solby.dk"
    assert decode_cfemail("zz") is None
    assert decode_cfemail("42") is None


def test_cfemail_in_page_is_decoded():
    doc = _read((FIXTURES / "da_solby_nyhed.html").read_bytes())
    assert "kulturchef@solby.dk" in doc.content
    assert "[email" not in doc.content
    href_only = '<main><h1>Kontakt os om tilskud</h1><p>Skriv til <a href="/cdn-cgi/l/email-protection#4232302731312702312d2e203b6c2629">[email&#160;protected]</a> i dag.</p></main>'
    assert "Skriv til presse@solby.dk i dag." in _read(_page(href_only)).content


def test_add_html_appends_with_part_label():
    builder = ContentBuilder()
    builder.add("body", "Tekst fra mailens første del.")
    html = (FIXTURES / "sv_nyhetsbrev_mejl.html").read_text(encoding="utf-8")
    page = add_html(builder, html, path="brev.eml", part="1.2", email=True)
    assert page.blocks and all(b.part == "1.2" for b in page.blocks)
    assert builder.blocks[0].part is None
    assert page.title == "Nytt IOP-avtal med Älvby Kvinnojour"  # the <h2>, not the <title>
    assert page.published == date(2024, 3, 4)
    content = builder.content
    for b in builder.blocks:
        assert content[b.start:b.end] == b.text


def test_mail_body_footer_is_boilerplate():
    html = (FIXTURES / "sv_nyhetsbrev_mejl.html").read_text(encoding="utf-8")
    source = Source(path="brev.eml", sha256="0" * 64, size=len(html), format="email")
    doc = html_to_document(html, source=source, doc_id="brev", part="1", encoding="utf-8")
    kinds = _kinds(doc)
    assert kinds["Du får detta nyhetsbrev eftersom du prenumererar på nyheter från Älvby kommun. Avsluta prenumeration"] == "boilerplate"
    assert kinds["This email was sent to mottagare@example.org. Unsubscribe"] == "boilerplate"
    assert kinds["Läs om nya avtal i Älvby kommun."] == "boilerplate"  # hidden preheader
    assert kinds["ÄLVBY KOMMUN · Nyhetsbrev · 4 mars 2024"] == "body"
    assert kinds["Nytt IOP-avtal med Älvby Kvinnojour"] == "title"
    assert kinds["För mer information:\nEva Lind, ordförande socialnämnden\nTel. 0123-45 67 89"] == "contact"


# --- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   \n ", b"<!-- bara en kommentar -->", b"<html><script>var a = 1;</script></html>"])
def test_empty_pages_raise_naming_the_file(data):
    with pytest.raises(EmptyDocument) as err:
        _read(data, "tom.html")
    assert "tom.html" in str(err.value)


def test_deeply_nested_markup_keeps_its_text():
    data = b"<html><head><title>Dyb side</title></head><body><p>Start.</p>" + b"<div>" * 5000 + b"<p>Dybt nede.</p>" + b"</div>" * 5000 + b"<p>Slut.</p></body></html>"
    doc = _read(data)
    assert [b.text for b in doc.blocks] == ["Start.", "Dybt nede.", "Slut."]
    assert any("nested too deep" in w for w in doc.warnings)


def test_unclosed_inline_tags_do_not_crash():
    doc = _read(b"<p>Tekst " + b"<font><b>" * 20000 + b"med mange tags</p>")
    assert "Tekst med mange tags" in doc.content


def test_broken_markup():
    doc = _read(b"<h1>Overskrift<p>Afsnit uden slut <b>fed <i>kursiv</p><li>punkt<td>celle</table></div></div>rest")
    assert "Afsnit uden slut fed kursiv" in doc.content
    _assert_offsets(doc)


def test_entities_are_not_expanded_from_a_dtd(tmp_path):
    secret = tmp_path / "hemmelig.txt"
    secret.write_text("HEMMELIGT INDHOLD")
    data = (
        f'<!DOCTYPE html [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<html><body><h1>Titel her</h1><p>Før &x; efter &amp; mere</p></body></html>"
    ).encode()
    doc = _read(data)
    assert "HEMMELIGT" not in doc.content
    assert "]>" not in doc.content
    assert "efter & mere" in doc.content


def test_read_through_ingest_dispatch(tmp_path):
    path = tmp_path / "nyhed.html"
    path.write_bytes((FIXTURES / "da_solby_nyhed.html").read_bytes())
    doc = ingest.read(path)
    assert doc.format == "html"
    assert doc.title == "Solby Kommune indgår driftsaftale med Kulturværket"
    assert doc.language == "da"


# --- speed --------------------------------------------------------------------------------


def test_100_kb_page_is_fast():
    para = '<p>Kommunen og <a href="/f">Foreningen</a> har indgået en <b>aftale</b> om drift af huset, siger rådmand Jens Hansen.</p>\n'
    data = _page("<main><h1>Ny aftale</h1>" + para * (100_000 // len(para)) + "</main>")
    _read(data)
    started = time.perf_counter()
    doc = _read(data)
    elapsed = time.perf_counter() - started
    assert len(doc.blocks) > 500
    assert elapsed < 0.25, f"{elapsed * 1000:.0f} ms for a 100 KB page"


# --- the dev corpus --------------------------------------------------------------------------

DEV_HTML = dev_documents(".html")


@requires_dev
@pytest.mark.parametrize("path", DEV_HTML, ids=[p.name for p in DEV_HTML])
def test_dev_pages_title_and_published_match_gold(path):
    gold = gold_for(path)
    data = path.read_bytes()
    doc = _read(data, str(path))
    assert " ".join(doc.title.casefold().split()) == " ".join(gold["title"].casefold().split())
    assert (doc.published.isoformat() if doc.published else None) == gold["published"]
    assert doc.content_blocks(), "no content blocks"
    _assert_offsets(doc)


@requires_dev
def test_dev_corpus_has_html_pages():
    assert len(DEV_HTML) >= 10


# --- fast paths give what the plain code gives ----------------------------------------------


def test_unvalidated_blocks_equal_validated_ones():
    fast, slow = ContentBuilder(), ContentBuilder()
    fast.append("heading", "Ny aftale", "1.2")
    fast.extend("boilerplate", ["Forside", "Nyheder\nKontakt"], None)
    slow.add("heading", "Ny aftale", part="1.2", clean=False)
    slow.add("boilerplate", "Forside", clean=False)
    slow.add("boilerplate", "Nyheder\nKontakt", clean=False)
    assert fast.content == slow.content and fast.length == slow.length
    for a, b in zip(fast.blocks, slow.blocks, strict=True):
        assert a == b and a.model_dump_json() == b.model_dump_json()
        assert a.model_fields_set == b.model_fields_set
        a.lang = b.lang = "da"
        assert a == b and a.model_fields_set == b.model_fields_set


def test_chrome_runs_merge_into_one_block_over_the_same_content():
    def build(merge: bool) -> ContentBuilder:
        b = ContentBuilder(merge_chrome=merge)
        b.extend("boilerplate", ["Forside", "Nyheder\nKontakt"], None)
        b.append("boilerplate", "Søg", None)
        b.add("boilerplate", "  Log  ind ")
        b.append("title", "Ny aftale", None)
        b.add("boilerplate", "Del", part="1")
        b.add("boilerplate", "Print", part="2")  # another part: another block
        b.add("boilerplate", "Dato | Emne", rows=[["Dato", "Emne"]])  # a table row stays a row
        b.append("boilerplate", "Cookies", None)
        b.cut()
        b.append("boilerplate", "Om os", None)
        return b

    merged, plain = build(True), build(False)
    assert merged.content == plain.content and merged.length == plain.length
    assert [(b.kind, b.text, b.part) for b in merged.blocks] == [
        ("boilerplate", "Forside\n\nNyheder\nKontakt\n\nSøg\n\nLog ind", None),
        ("title", "Ny aftale", None),
        ("boilerplate", "Del", "1"),
        ("boilerplate", "Print", "2"),
        ("boilerplate", "Dato | Emne", None),
        ("boilerplate", "Cookies", None),
        ("boilerplate", "Om os", None),
    ]
    for b in merged.blocks:
        assert merged.content[b.start:b.end] == b.text
    assert len(plain.blocks) == 10


def test_merged_chrome_reads_pages_as_block_by_block(monkeypatch):
    """Random pages read with chrome runs merged and one block per chrome paragraph: the same
    content, title, date, and kind for every character; content blocks the same."""
    import random

    def read(page: str, merge: bool):
        builder = ContentBuilder(merge_chrome=merge)
        try:
            got = add_html(builder, page, path="p.html")
        except EmptyDocument:
            return None
        content = builder.content
        kind = [None] * len(content)
        for b in builder.blocks:
            assert content[b.start:b.end] == b.text
            for i in range(b.start, b.end):
                kind[i] = b.kind
        kind = [k for k, ch in zip(kind, content) if ch != "\n"]
        own = [(b.kind, b.start, b.end, b.text) for b in builder.blocks if b.kind != "boilerplate"]
        return content, kind, own, got.title, got.published, len(builder.blocks)

    fewer = 0
    for seed in range(300):
        page = _random_page(random.Random(seed))
        merged, plain = read(page, True), read(page, False)
        assert (merged is None) == (plain is None), seed
        if merged is not None:
            assert merged[:5] == plain[:5], seed
            fewer += merged[5] < plain[5]
    assert fewer > 100  # the pages do have chrome runs to merge


def test_date_between_chrome_blocks_keeps_its_place_before_the_body():
    # The header zone is counted in blocks: a date inside a chrome run must keep its place.
    page = _page(
        "<main><h1>Ny aftale om medborgerhuset</h1><div class='share'><a href='/d'>Del</a> <a href='/p'>Print</a></div>"
        "<time datetime='2025-02-03'></time><div class='share'><a href='/t'>Tweet</a></div>" + ARTICLE + "</main>"
    )
    assert _read(page).published == date(2025, 2, 3)


def test_chrome_phrase_words_cover_case_folding():
    # has_chrome_phrase skips the pattern when the lower-cased paragraph holds
    # none of _CHROME_WORDS; a letter IGNORECASE matches to one of their
    # letters but lower() does not map to it must be in _FOLD_RISK.
    import re
    import sys

    from pipeline.ingest import boilerplate

    letters = sorted(set("".join(boilerplate._CHROME_WORDS + boilerplate._CHROME_LINE_STARTS)) - {" "})
    any_letter = re.compile("[" + "".join(re.escape(c) for c in letters) + "]", re.IGNORECASE)
    everything = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    risky = {c for c in any_letter.findall(everything) if c.lower() not in letters}
    assert risky <= set(boilerplate._FOLD_RISK)


@pytest.mark.parametrize(
    "text",
    [
        "Vi bruger cookies", "Accepter alle COOKIES", "cookies OK", "Skip to main content", "Gå til hovedinnhold",
        "Du er her: Forside", "Læs også", "You are receiving this", "Log ind", "Kommentera", "Del på Facebook",
        "Facebook | Twitter", "© 2027 Skovlunde", "Copyright © Kommune", "ALL RIGHTS RESERVED", "Ansvarlig redaktør",
        "Til toppen", "Privacy policy", "Unſubscribe", "Why dıd i get this", "Kommunen har indgået en aftale.",
    ],
)
def test_chrome_phrase_prefilter_agrees_with_the_pattern(text):
    from pipeline.ingest import boilerplate

    for t in (text, text.upper(), text.lower(), "x\n" + text, text + " her"):
        assert boilerplate.has_chrome_phrase(t) == bool(boilerplate._CHROME.search(t)), t


def _random_page(rng) -> str:
    """A page of random markup: blocks, inline tags, chrome classes, <br>, <pre>,
    adjacent links and dates, tables, scripts, odd white space and entities."""
    words = ("kommunen aftale tilskud Skovlunde Kommune Maria Hansen menu share cookies Læs også Del på Facebook "
             "Kontakt tlf. 12 34 56 78 mail@example.org 14. januar 2027 Home | News | Contact Forside » Nyheder").split()
    blocks = "div p li ul nav header footer aside main article section h1 h2 pre blockquote form figure".split()
    inline = "a span b em time strong img small".split()
    classes = ["", "content", "site-header", "mega-menu", "cookie-banner", "share", "related", "sidebar", "news"]

    def text(n=None):
        n = rng.choice([0, 1, 2, 3, 8]) if n is None else n
        seps = [" ", " ", "  ", "\n  ", "\t", "&nbsp;", " &amp; ", "\u00a0", ". ", "&#160;", "\u2003", ""]
        out = "".join(rng.choice(words) + rng.choice(seps) for _ in range(n))
        return out.rstrip() if rng.random() < 0.5 else out

    def attrs(tag):
        out = ""
        if rng.random() < 0.4:
            out += f' class="{rng.choice(classes)}"'
        if rng.random() < 0.05:
            out += ' role="navigation"'
        if tag == "a":
            out += ' href="/x"'
        if tag == "time" and rng.random() < 0.5:
            out += ' datetime="2025-10-01"'
        return out

    def node(depth):
        r = rng.random()
        if depth > 6 or r < 0.25:
            return text()
        if r < 0.3:
            return "<br>" + text(2)
        if r < 0.34:
            return "<script>var x = 1;</script>" + text(1)
        if r < 0.37:
            return "<table><tr><td>" + text(2) + "</td><td>" + text(1) + "</td></tr></table>"
        if r < 0.39:  # a menu ending in an icon link, then a line of links (links are counted across blocks)
            items = "".join(f"<li><a>{text(1)}</a></li>" for _ in range(rng.randint(3, 6)))
            icon = '<li><a href="/i"><img src="i.png"></a></li>' * rng.randint(1, 2)
            return f"<nav><ul>{items}{icon}</ul></nav><a>{text(1)}</a> <a>{text(1)}</a>{text(rng.choice([0, 1]))}"
        if r < 0.42:  # icon links and links or dates right after an element
            return "".join(rng.choice(['<a href="/i"><img src="i.png"></a>', f"<a>{text(1)}</a>", f"<time>{text(1)}</time>",
                                       f"<b>{text(1)}</b>", "<br>"]) for _ in range(rng.randint(1, 5)))
        if r < 0.6:
            tag = rng.choice(inline)
            kids = "".join(node(depth + 2) for _ in range(rng.randint(0, 2)))
            return f"<{tag}{attrs(tag)}>{text(2)}{kids}</{tag}>" + (text(1) if rng.random() < 0.5 else "")
        tag = rng.choice(blocks)
        if tag == "ul":
            kids = "".join(f"<li>{node(depth + 1)}</li>" + rng.choice(["", "\n"]) for _ in range(rng.randint(1, 8)))
        else:
            kids = "".join(node(depth + 1) for _ in range(rng.randint(0, 5)))
        return f"<{tag}{attrs(tag)}>{text(2) if rng.random() < 0.5 else ''}{kids}</{tag}>"

    body = "".join(node(0) for _ in range(rng.randint(1, 8)))
    if rng.random() < 0.3:
        body += f"<main><h1>{text(4)}</h1>{node(1)}</main>"
    return f"<!DOCTYPE html><html><head><title>{text(3)}</title></head><body>{body}</body></html>"


def test_chrome_transform_gives_the_blocks_of_the_walk(monkeypatch):
    import random

    from pipeline.ingest import html as html_module

    def blocks(page: str, xslt: bool):
        monkeypatch.setattr(html_module, "_chrome_safe", lambda data, root: xslt)
        builder = ContentBuilder()
        try:
            add_html(builder, page, path="p.html", email=random.Random(page).random() < 0.3)
        except EmptyDocument:
            return None
        return [(b.kind, b.start, b.end, b.text) for b in builder.blocks]

    for seed in range(300):
        page = _random_page(random.Random(seed))
        assert blocks(page, True) == blocks(page, False), seed


@pytest.mark.parametrize(
    "item",
    [
        '<a href="#" DATA-CFEMAIL="422f232b2e022d30256c2629">[email protected]</a>',
        '<a href="/cdn-cgi/l/&#101;mail-protection#422f232b2e022d30256c2629">[email protected]</a>',
        '<a href="/cdn-cgi/l/email-protection#422f232b2e022d30256c2629">x</a>',
        "Menu &#xFDD0; item",
        "Menu \ufdd1 item",
        "<b>A</b><a href='/a'>B</a><time>2025</time>",
    ],
)
def test_pages_the_transform_must_not_take_read_as_the_walk_reads_them(item, monkeypatch):
    from pipeline.ingest import html as html_module

    items = "".join(f"<li><a href='/{i}'>Punkt {i}</a></li>" for i in range(6))
    page = _page(f"<nav><ul>{items}<li>{item}</li></ul></nav><main><h1>Ny aftale</h1>{ARTICLE}</main>")
    fast = _read(page).model_dump_json()
    monkeypatch.setattr(html_module, "_chrome_safe", lambda data, root: False)
    assert fast == _read(page).model_dump_json()
