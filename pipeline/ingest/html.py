"""HTML pages and HTML mail bodies to blocks.

One iterative lxml walk (no recursion: broken or deeply nested markup must not
crash) turns block-level elements into blocks. The main content is found from
landmarks (<main>, <article>, role=main, #content) and everything outside it,
plus navigation, cookie banners, share bars, sidebars and footers, is kept in
the content as "boilerplate" so evidence offsets stay checkable.
"""

from __future__ import annotations

import codecs
import re
import threading
from dataclasses import dataclass, field
from datetime import date

from lxml import etree

from pipeline.dates import find_dates, parse_date
from pipeline.errors import EmptyDocument, IngestError
from pipeline.ingest.blocks import ContentBuilder, clean_text
from pipeline.ingest.boilerplate import has_chrome_phrase, is_chrome, looks_like_navigation
from pipeline.ingest.charset import decode
from pipeline.ingest.headline import choose_published, choose_title, headline_text, is_contact
from pipeline.models import Block, Document, Source

# Never in the content: code, styling, widgets and form controls.
_DROP = frozenset(
    "script style noscript template svg math head title meta link iframe object embed canvas "
    "select textarea input button audio video map datalist".split()
)
_BLOCK = frozenset(
    "address article aside blockquote body caption center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main menu nav "
    "ol p pre section summary table tbody td tfoot th thead tr ul".split()
)
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_CHROME_TAGS = frozenset({"nav", "aside", "header", "footer", "form"})
_CHROME_ROLES = frozenset(
    "navigation banner contentinfo complementary search alertdialog dialog menu menubar toolbar".split()
)
# class/id tokens of site and article chrome (tokens split on space, - and _).
_CHROME_TOKEN = re.compile(
    r"(?:^|[\s_-])(?:cookie\w*|consent\w*|gdpr|share\w*|sharing|social|socialmedia|breadcrumbs?|brodsmulor|crumbs?"
    r"|menu|menus|megamenu|mainmenu|submenu|topmenu|nav|navbar|navi|navigation|sidebar\w*|widget\w*|related\w*"
    r"|relaterede|comments?|kommentarer|footer\w*|ft|ftr|colophon|header|hdr|hd|masthead|topbar|toolbar|top"
    r"|banner|logo|branding|skip\w*|skiplink|puff\w*|advert\w*|ads|newsletter|pagination|pager|utility"
    r"|tags|tagcloud|categories|preheader|print|quick-?exit)(?=$|[\s_-])"
)
_CONTACT_TOKEN = re.compile(r"(?:^|[\s_-])(?:kontakt\w*|contact\w*|presskontakt|pressekontakt)(?=$|[\s_-])")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden")
# id/class names of the main content container (after a short site prefix).
_MAIN_NAME = re.compile(
    r"^(?:[a-z]{1,4}[-_]?)?(?:main|content|main-?content|content-?main|main-?body|article(?:-?(?:body|content))?"
    r"|entry-?content|post-?content|page-?content|primary-?content|story-?content|news-?content"
    r"|innhold|indhold|innehall|hovedindhold|hovedinnhold|huvudinnehall)$"
)
_MAIN_XPATH = (  # a cheap pre-filter in C; _MAIN_NAME decides
    "//*[@id or @class][contains(translate(concat(@id, ' ', @class), 'CMAINTEH', 'cmainteh'), 'main')"
    " or contains(translate(concat(@id, ' ', @class), 'CONTE', 'conte'), 'content')"
    " or contains(translate(concat(@id, ' ', @class), 'ARTICLE', 'article'), 'article')"
    " or contains(translate(concat(@id, ' ', @class), 'INHOLDE', 'inholde'), 'nnhold')"
    " or contains(translate(concat(@id, ' ', @class), 'INHOLDE', 'inholde'), 'ndhold')"
    " or contains(translate(concat(@id, ' ', @class), 'INEHAL', 'inehal'), 'innehall')]"
)
_JSONLD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]{6,40})"')
_JSONLD_HEADLINE = re.compile(r'"headline"\s*:\s*"((?:[^"\\]|\\.){3,300})"')
_TITLE_SEP = re.compile(r"\s+(?:[|\-–—·»:]|::)\s+")
_META_TITLES = ("og:title", "dc.title", "twitter:title", "dcterms.title")
_META_DATES = (
    "article:published_time", "og:published_time", "og:article:published_time", "article.published",
    "dc.date.issued", "dcterms.issued", "dc.date.created", "dcterms.created", "dc.date", "dcterms.date",
    "epi.published", "datepublished", "date", "pubdate", "publishdate", "publish-date", "publish_date",
    "publication_date", "publication-date", "published", "published_time", "sailthru.date", "parsely-pub-date",
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff]")
_DOCTYPE_SUBSET = re.compile(r"<!DOCTYPE[^>\[]*\[", re.IGNORECASE)
_SUBSET_END = re.compile(r"\]\s*>")
_CODE = re.compile(r"<(script|style|template|svg|noscript)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_ANY_TAG = re.compile(r"</?([a-zA-Z][\w:-]*)[^>]*>")
_P_RUN = re.compile(r"(?:<p>\s*){2,}")
_KEEP_FLAT = frozenset({"html", "head", "body", "title", "meta", "link"})
_CFEMAIL_PATH = "/cdn-cgi/l/email-protection#"
# Labels browsers all read as windows-1252 (so does charset.decode).
_LATIN1 = frozenset("iso8859-1 iso-8859-1 latin-1 latin1 cp1252 windows-1252 ascii us-ascii iso8859-15 iso-8859-15".split())


def decode_cfemail(hexstr: str) -> str | None:
    """Cloudflare's email obfuscation: hex bytes XOR-ed with the first byte."""
    try:
        data = bytes.fromhex(hexstr.strip())
    except ValueError:
        return None
    if len(data) < 2:
        return None
    key = data[0]
    try:
        text = bytes(b ^ key for b in data[1:]).decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text if "@" in text and text.isprintable() else None


def parse_html(html: str, path: str, warnings: list[str] | None = None) -> etree._Element:
    """The document's root element. lxml fetches no DTDs and expands no
    external entities here; markup nested past libxml2's depth limit (thousands
    of unclosed tags) is parsed again flattened rather than cut off."""
    return _parse_page(html, path, warnings)[0]


def _parse_page(
    html: str, path: str, warnings: list[str] | None = None, utf8: bytes | None = None
) -> tuple[etree._Element, bytes]:
    """parse_html, and the bytes parsed. `utf8` is `html` encoded, if at hand."""
    m = _DOCTYPE_SUBSET.search(html, 0, 2048)
    if m:  # an internal DTD subset: never needed for HTML, and it leaks into the text
        end = _SUBSET_END.search(html, m.end())
        html = html[: m.start()] + html[end.end() if end else m.end():]
        utf8 = None
    data = utf8 if utf8 is not None else html.encode("utf-8", "replace")
    root, too_deep = _parse(data, html, path)
    if too_deep:
        html = _flatten(html)
        data = html.encode("utf-8", "replace")
        root, _ = _parse(data, html, path)
        if warnings is not None:
            warnings.append("markup nested too deep: parsed flattened, without its structure")
    return root, data


def _parse(data: bytes, html: str, path: str) -> tuple[etree._Element, bool]:
    parser = etree.HTMLParser(
        encoding="utf-8", no_network=True, remove_comments=True, remove_pis=True, huge_tree=True, collect_ids=False
    )
    try:
        root = etree.fromstring(data, parser)
    except (etree.LxmlError, ValueError) as exc:
        if not html.strip() or "empty" in str(exc).lower():
            raise EmptyDocument(path, "the HTML page is empty") from exc
        raise IngestError(path, f"cannot parse the HTML: {exc}") from exc
    if root is None:
        raise EmptyDocument(path, "the HTML page is empty")
    fatal = parser.error_log.filter_from_fatals()
    return root, any("depth" in e.message.lower() for e in fatal)


def _flatten(html: str) -> str:
    """Every block tag becomes <p> (which cannot nest), every other tag a space."""
    html = _CODE.sub(" ", html)

    def tag(m: re.Match) -> str:
        name = m.group(1).lower()
        if name in _KEEP_FLAT:
            return m.group(0)
        return "<p>" if name in _BLOCK or name == "br" else " "

    return _P_RUN.sub("<p>", _ANY_TAG.sub(tag, html))


@dataclass
class HtmlPage:
    """What one HTML text added to a builder, with the page's own headline and date."""

    title: str | None = None
    published: date | None = None
    title_block: Block | None = None
    h1_block: Block | None = None  # the headline <h1> (the title block unless metadata said otherwise)
    blocks: list[Block] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _norm(text: str | None) -> str:
    return " ".join(text.split()).casefold() if text else ""


def _ancestors(el) -> list:
    return [el, *el.iterancestors()]


def _common_ancestor(a, b):
    seen = set(_ancestors(a))
    return next((x for x in _ancestors(b) if x in seen), None)


def _inside(el, container) -> bool:
    return el is container or any(a is container for a in el.iterancestors())


def _chrome_by_attrs(el, keys: list[str]) -> bool:
    """Chrome by ARIA role, class/id tokens or hidden styling."""
    if "role" in keys and (el.get("role") or "").strip().lower() in _CHROME_ROLES:
        return True
    if "hidden" in keys or ("aria-hidden" in keys and el.get("aria-hidden") == "true"):
        return True
    if "style" in keys and _HIDDEN_STYLE.search(el.get("style", "").lower()):
        return True
    names = f"{el.get('class', '')} {el.get('id', '')}".lower()
    return bool(_CHROME_TOKEN.search(names)) and not _CONTACT_TOKEN.search(names)


def _dateline(text: str) -> bool:
    return len(text) <= 80 and any(d.year is not None for d in find_dates(text))


def _link_dense_list(el) -> bool:
    """A list of links (menus, related news): most of its text is link text."""
    items = [li for li in el if li.tag == "li"]
    if len(items) < 2:
        return False
    total = len("".join(el.itertext()).split())
    linked = sum(len("".join(a.itertext()).split()) for a in el.iter("a"))
    return total > 0 and linked >= 0.75 * total


def _is_data_table(el) -> bool:
    """Layout tables (mail templates) hold blocks; data tables hold rows of cells."""
    if (el.get("role") or "").lower() in ("presentation", "none"):
        return False
    if next(el.iterdescendants("table", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "form"), None) is not None:
        return False
    return any(sum(1 for c in tr if c.tag in ("td", "th")) >= 2 for tr in el.iter("tr"))


def _inline_text(el) -> str:
    """Text of a table cell: scripts dropped, obfuscated emails decoded."""
    out: list[str] = []
    walker = etree.iterwalk(el, events=("start", "end"))
    for event, node in walker:
        tag = node.tag
        if event == "start":
            if not isinstance(tag, str) or tag in _DROP:
                walker.skip_subtree()
                continue
            cf = _cfemail(node, tag)
            if cf:
                out.append(cf)
                walker.skip_subtree()
            elif tag == "br":
                out.append(" ")
            elif node.text:
                out.append(node.text)
        elif node is not el and node.tail:
            out.append(node.tail)
    return " ".join("".join(out).split())


def _cfemail(el, tag: str) -> str | None:
    if tag not in ("a", "span"):
        return None
    hexstr = el.get("data-cfemail")
    if hexstr:
        return decode_cfemail(hexstr)
    href = el.get("href") or ""
    if tag == "a" and _CFEMAIL_PATH in href and el.find(".//*[@data-cfemail]") is None:
        text = "".join(el.itertext()).strip().lower()
        if not text or "protected" in text or "email" in text:
            return decode_cfemail(href.split("#", 1)[1])
    return None


# Per tag, what the walk does with it (anything else is inline markup).
_INLINE, _SKIP, _BLOCKTAG, _BR, _LINK, _SPAN, _TIME = range(7)
_TAG_CODE: dict = {tag: _BLOCKTAG for tag in _BLOCK}
_TAG_CODE.update({tag: _SKIP for tag in _DROP})
_TAG_CODE.update({etree.Comment: _SKIP, etree.ProcessingInstruction: _SKIP, etree.Entity: _SKIP})
_TAG_CODE.update({"br": _BR, "a": _LINK, "span": _SPAN, "time": _TIME})


# Chrome subtrees (menus, headers, footers: most elements of a page) are all
# boilerplate. Their text is gathered in C by one XSLT transform into a
# stream with marker characters (noncharacters) for block boundaries, line
# breaks (<br>, newlines in <pre>), link starts, element starts and ends, and
# the starts of links and dates; the stream is then cut into blocks exactly
# as the walk would. A subtree holding a table is walked in Python (the
# transform says so), and so is a page that might hold a marker character or
# an obfuscated email (see _chrome_safe).
_M_BLOCK, _M_BR, _M_LINK, _M_ADJ, _M_BAIL, _M_END, _M_OPEN, _M_STEP = (chr(c) for c in range(0xFDD0, 0xFDD8))
_NO_SPACE_AFTER = frozenset({"", _M_BLOCK, _M_BR})
_NOT_CONTENT = _M_BLOCK + _M_LINK + _M_ADJ  # what the stream is left with besides text, <br> and spaces
_CHROME_MIN_CHILDREN = 4  # a smaller subtree is cheaper to walk than to transform
# A numeric character reference to a marker (U+FDD0-U+FDDF) or to "-" or a
# lower-case letter (one of "email-protection" written as a reference).
_RISKY_REF = re.compile(
    rb"&#(?:[xX]0*(?:2[dD]|6[1-9a-fA-F]|7[0-9aA]|[fF][dD][dD][0-9a-fA-F])"
    rb"|0*(?:45|9[7-9]|1[01][0-9]|12[0-2]|649(?:7[6-9]|8[0-9]|9[01])))"
)


def _chrome_safe(data: bytes, root) -> bool:
    """May this page's chrome go through the transform? Not if the bytes parsed
    might hold a marker (a character from U+FDC0-U+FDFF, or a reference to
    one) or an obfuscated email (see _cfemail: "email-protection" in an href,
    perhaps written with references, or a data-cfemail attribute)."""
    if b"\xef" in data and b"\xef\xb7" in data:  # memchr first: a two-byte search is slow
        return False
    if b"email-protection" in data or _RISKY_REF.search(data):
        return False
    return not root.xpath("boolean(descendant::*/@data-cfemail)")


def _xsl_text(s: str) -> str:
    return "<xsl:text>" + "".join(f"&#x{ord(c):X};" for c in s) + "</xsl:text>"


def _xsl_templates(mode: str) -> str:
    """The templates of one mode; in "pre" (inside <pre>) text keeps its line breaks.
    Inline and dropped elements end with _M_END, so a link or date whose start
    (_M_STEP) follows one directly has an element before it without a tail
    (after a block or a <br> the walk adds no space anyway)."""
    inner = f'<xsl:apply-templates mode="{mode}"/>'
    block, end = _xsl_text(_M_BLOCK), _xsl_text(_M_END)
    pre_text = (
        f"""<xsl:template match="text()" mode="pre"><xsl:value-of select="translate(., '&#10;', '&#x{ord(_M_BR):X};')"/></xsl:template>"""
        if mode == "pre" else ""
    )
    return f"""
<xsl:template match="{'|'.join(sorted(_DROP))}|comment()|processing-instruction()" mode="{mode}">{end}</xsl:template>
<xsl:template match="table" mode="{mode}">{_xsl_text(_M_BAIL)}</xsl:template>
<xsl:template match="{'|'.join(sorted(_BLOCK - {'pre', 'table'}))}" mode="{mode}">{block}{inner}{block}</xsl:template>
<xsl:template match="pre" mode="{mode}">{block}<xsl:apply-templates mode="pre"/>{block}</xsl:template>
<xsl:template match="br" mode="{mode}">{_xsl_text(_M_BR)}</xsl:template>
<xsl:template match="a" mode="{mode}">{_xsl_text(_M_STEP + _M_LINK)}{inner}{end}</xsl:template>
<xsl:template match="time" mode="{mode}">{_xsl_text(_M_STEP)}{inner}{end}</xsl:template>
<xsl:template match="*" mode="{mode}">{_xsl_text(_M_OPEN)}{inner}{end}</xsl:template>{pre_text}"""


_CHROME_XSLT = f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="/*" priority="10"><xsl:apply-templates mode="flow"/></xsl:template>
<xsl:template match="/pre" priority="11"><xsl:apply-templates mode="pre"/></xsl:template>
{_xsl_templates("flow")}
{_xsl_templates("pre")}
</xsl:stylesheet>"""
_XSLT = threading.local()  # an XSLT object per thread


def _chrome_stream(el) -> str | None:
    """The marker stream of a chrome subtree's content, or None to walk it in Python."""
    transform = getattr(_XSLT, "chrome", None)
    if transform is None:
        transform = _XSLT.chrome = etree.XSLT(etree.XML(_CHROME_XSLT))
    try:
        stream = str(transform(el))
    except etree.LxmlError:  # e.g. nesting deeper than libxslt recurses
        return None
    if _M_BAIL in stream:
        return None
    # A link or date right after an element's end: that element is its
    # getprevious() and has no tail (see _Walker's adjacent-link rule).
    return stream.replace(_M_END + _M_STEP, _M_ADJ).replace(_M_END, "").replace(_M_OPEN, "").replace(_M_STEP, "")


def _adjacent_spaces(stream: str) -> str:
    """A space at each _M_ADJ after text not ending in white space, as the walk adds it."""
    pieces = stream.split(_M_ADJ)
    out = [pieces[0]]
    last = pieces[0][-1:]
    for piece in pieces[1:]:
        if last not in _NO_SPACE_AFTER and not last.isspace():
            out.append(" ")
            last = " "
        if piece:
            out.append(piece)
            last = piece[-1]
    return "".join(out)


def _add_text(buf: list, s: str, in_pre: bool) -> bool:
    """Append text to the walk's buffer; inside <pre> its line breaks are kept (None marks one).
    Returns whether a line break was added."""
    if not (in_pre and "\n" in s):
        buf.append(s)
        return False
    for i, line in enumerate(s.split("\n")):
        if i:
            buf.append(None)
        buf.append(line)
    return True


def _buffer_text(buf: list, has_br: bool) -> str:
    if not has_br:
        return " ".join((buf[0] if len(buf) == 1 else "".join(buf)).split())
    lines, cur = [], []
    for piece in buf:
        if piece is None:
            lines.append(" ".join("".join(cur).split()))
            cur = []
        else:
            cur.append(piece)
    lines.append(" ".join("".join(cur).split()))
    return "\n".join(line for line in lines if line)


class _Walker:
    """Walks the tree once, adding one block per block-level element with text.

    One loop over lxml's iterwalk with the state in local variables: it runs
    for every element of a page, most of them menu items (chrome). A block
    frame is a tuple (element, chrome, inherit, heading level, is the main
    content root, is <pre>): `chrome` says its own text is chrome, `inherit`
    that its descendants' is too."""

    def __init__(
        self, builder: ContentBuilder, part: str | None, root, root_path: set, title_h1, chrome_xslt: bool = True
    ) -> None:
        self.builder = builder
        self.chrome_xslt = chrome_xslt  # chrome subtrees may go through _chrome_stream
        self.part = part
        self.root = root
        self.root_path = root_path  # ancestors of the main content: not chrome themselves
        self.title_h1 = title_h1
        self.inside_root = root is None
        self.h1_block: Block | None = None
        self.first_heading: Block | None = None
        self.has_content = False  # a block not taken for boilerplate was added
        self.times: list[tuple[str, int, bool]] = []  # (value, builder.position() then, marked as publication)

    def _flush(self, buf: list, has_br: bool, links: int, link_words: int, frame: tuple | None) -> None:
        """The block of the text gathered since the last block boundary."""
        text = _buffer_text(buf, has_br)
        if not text:
            return
        if _CONTROL.search(text):
            text = clean_text(text)
            if not text:
                return
        if frame is not None and frame[1]:
            self.builder.append("boilerplate", text, self.part)
            return
        kind = self._kind(frame, text, links, link_words)
        block = self.builder.append(kind, text, self.part)
        if kind == "boilerplate":
            return
        self.has_content = True
        if frame is None:
            return
        if frame[3]:
            if frame[0] is self.title_h1 and self.h1_block is None:
                self.h1_block = block
            if self.first_heading is None and frame[3] <= 3:
                self.first_heading = block

    def _chrome_blocks(self, stream: str, links: int) -> int:
        """Add the blocks of a chrome subtree's marker stream (see _chrome_stream);
        return the count of links started since the last flush of a non-empty
        buffer, as the walk keeps it."""
        content = len(stream.rstrip(_NOT_CONTENT))
        if not content:
            return links + stream.count(_M_LINK)
        boundary = stream.find(_M_BLOCK, content)
        links = 0 if boundary < 0 else stream.count(_M_LINK, boundary)
        if _M_LINK in stream:
            stream = stream.replace(_M_LINK, "")
        if _M_ADJ in stream:
            stream = _adjacent_spaces(stream)
        # Per block, as _buffer_text: white space collapsed, lines trimmed, empty
        # lines dropped; done with string methods on the whole stream at once
        # (markers are not white space, so runs of it never cross them).
        stream = " ".join(stream.split())
        if _M_BR in stream:
            stream = stream.replace(" " + _M_BR, _M_BR).replace(_M_BR + " ", _M_BR)
            while _M_BR + _M_BR in stream:
                stream = stream.replace(_M_BR + _M_BR, _M_BR)
        stream = stream.replace(" " + _M_BLOCK, _M_BLOCK).replace(_M_BLOCK + " ", _M_BLOCK)
        if _M_BR in stream:
            stream = stream.replace(_M_BLOCK + _M_BR, _M_BLOCK).replace(_M_BR + _M_BLOCK, _M_BLOCK)
            stream = stream.strip(_M_BR).replace(_M_BR, "\n")
        texts = stream.split(_M_BLOCK)
        if _CONTROL.search(stream):
            texts = [clean_text(text) for text in texts]
        self.builder.extend("boilerplate", [text for text in texts if text], self.part)
        return links

    def _kind(self, frame: tuple | None, text: str, links: int, link_words: int) -> str:
        # Inside the main content a long paragraph of sentences is content:
        # the (slow) chrome phrase rules are for short lines.
        prose = self.root is not None and len(text) >= 200 and ". " in text
        if frame is not None and frame[3]:
            return "boilerplate" if not prose and is_chrome(text) else "heading"
        if links >= 3 and link_words >= 0.8 * len(text.split()):
            return "boilerplate"  # a line of links: a menu or a tag list
        if prose:
            return "contact" if len(text) <= 500 and is_contact(text) else "body"
        nav = looks_like_navigation(text)
        phrase = has_chrome_phrase(text)
        if (nav or phrase) and _dateline(text):
            nav = phrase = False  # "Publisert 18.11.2016 / Oppdatert 28.11.2016", a mail's dateline
        if is_contact(text) and not phrase:
            return "contact"
        return "boilerplate" if phrase or nav else "body"

    def table(self, el, chrome: bool) -> None:
        for tr in el.iter("tr"):
            cells = [_inline_text(c) for c in tr if c.tag in ("td", "th")]
            filled = [c for c in cells if c]
            if filled:
                kind = "boilerplate" if chrome else "table"
                if self.builder.add(kind, " | ".join(filled), part=self.part, rows=[cells]) is not None and not chrome:
                    self.has_content = True
        caption = el.find("caption")
        if caption is not None and _inline_text(caption):
            block = self.builder.add("boilerplate" if chrome else "body", _inline_text(caption), part=self.part)
            if block is not None and not chrome:
                self.has_content = True

    def _classify(self, el, tag: str) -> tuple[bool, bool, bool]:
        """(own text is chrome, descendants are chrome, is the main content root),
        for a block whose parent frame does not make it chrome."""
        if el is self.root:
            return False, False, True
        if not self.inside_root:
            if el in self.root_path:
                return True, False, False  # text beside the main content, not its children
            return True, True, False
        if el in self.root_path:
            return False, False, False
        keys = el.keys()
        chrome = tag in _CHROME_TAGS or bool(keys and _chrome_by_attrs(el, keys))
        if chrome and tag == "form":
            chrome = _paragraph_text(el) < 200  # ASP.NET pages wrap everything in one <form>
        if not chrome and tag in ("ul", "ol"):
            chrome = _link_dense_list(el)
        return chrome, chrome, False

    def walk(self, top) -> None:
        times = self.times
        xslt = self.chrome_xslt
        code_of = _TAG_CODE.get
        buf: list[str | None] = []  # the text since the last block boundary; None marks a line break
        has_br = False  # buf holds a None
        has_text = False  # buf holds more than white space (else it makes no block)
        links = link_words = 0  # links started and words inside links since the last block
        in_link = in_pre = 0
        frames: list[tuple] = []
        frame = None  # the innermost block frame
        chrome = inherit = False  # its flags
        inside_root = self.inside_root
        stack: list = []  # per open element: its frame, or 0 inline, 2 skipped, 3 link
        walker = etree.iterwalk(top, events=("start", "end"))
        skip = walker.skip_subtree
        for event, el in walker:
            if event == "start":
                tag = el.tag
                code = code_of(tag, _INLINE)
                if code == _SKIP or (code == _INLINE and tag.__class__ is not str):
                    skip()
                    stack.append(2)
                    continue
                if not inherit and el.get("itemprop") == "datePublished":
                    value = el.get("content") or el.get("datetime") or "".join(el.itertext())
                    times.append((value, self.builder.position(), True))
                if code == _LINK or code == _SPAN:
                    cf = _cfemail(el, tag)
                    if cf:
                        if in_link and not chrome:
                            link_words += len(cf.split())
                        has_br = _add_text(buf, cf, in_pre) or has_br
                        has_text = True
                        skip()
                        stack.append(2)
                        continue
                if code == _BR:
                    buf.append(None)
                    has_br = True
                    stack.append(2)
                    continue
                is_block = code == _BLOCKTAG
                if not is_block and not inherit and inside_root:
                    # Inline chrome (a skip link, a hidden preheader) becomes its own block.
                    keys = el.keys()
                    is_block = bool(keys) and _chrome_by_attrs(el, keys)
                if not is_block:
                    if code == _LINK or code == _TIME:
                        if buf:
                            last = buf[-1]
                            if last and not last[-1:].isspace():
                                prev = el.getprevious()
                                if prev is not None and not prev.tail:
                                    buf.append(" ")  # adjacent links or dates read as separate words
                        if code == _LINK:
                            links += 1
                            in_link += 1
                        elif not chrome:
                            value = el.get("datetime") or "".join(el.itertext())
                            times.append((value, self.builder.position(), el.get("pubdate") is not None))
                    stack.append(3 if code == _LINK else 0)
                else:
                    if inherit:
                        own_chrome = child_chrome = True
                        is_root = False
                    else:
                        own_chrome, child_chrome, is_root = self._classify(el, tag)
                    if tag == "table" and _is_data_table(el):
                        if buf:
                            if has_text:
                                self._flush(buf, has_br, links, link_words, frame)
                            buf, has_br, has_text, links, link_words = [], False, False, 0, 0
                        self.table(el, own_chrome)
                        skip()
                        stack.append(2)
                        continue
                    if buf:
                        if has_text:
                            self._flush(buf, has_br, links, link_words, frame)
                        buf, has_br, has_text, links, link_words = [], False, False, 0, 0
                    if is_root:
                        inside_root = self.inside_root = True
                    is_pre = tag == "pre"
                    frame = (el, own_chrome, child_chrome, _HEADINGS.get(tag, 0), is_root, is_pre)
                    frames.append(frame)
                    stack.append(frame)
                    chrome, inherit = own_chrome, child_chrome
                    if child_chrome and xslt and not in_pre and len(el) >= _CHROME_MIN_CHILDREN:
                        stream = _chrome_stream(el)
                        if stream is not None:
                            links = self._chrome_blocks(stream, links)
                            if is_pre:
                                in_pre += 1  # undone at its end
                            skip()
                            continue
                    if is_pre:
                        in_pre += 1
                s = el.text
            else:
                opened = stack.pop()
                if opened.__class__ is tuple:
                    if buf:
                        if has_text:
                            self._flush(buf, has_br, links, link_words, frame)
                        buf, has_br, has_text, links, link_words = [], False, False, 0, 0
                    frames.pop()
                    if opened[4]:
                        inside_root = self.inside_root = False
                    if opened[5]:
                        in_pre -= 1
                    if frames:
                        frame = frames[-1]
                        chrome, inherit = frame[1], frame[2]
                    else:
                        frame = None
                        chrome = inherit = False
                elif opened == 3:
                    in_link -= 1
                if el is top:
                    continue
                s = el.tail
            # The element's text (at its start) or tail (at its end).
            if s:
                if in_link and not chrome:  # words in links only matter in blocks that may be content
                    link_words += len(s.split())
                has_br = _add_text(buf, s, in_pre) or has_br
                if not has_text and not s.isspace():
                    has_text = True
        if has_text:
            self._flush(buf, has_br, links, link_words, frame)


def _metas(root) -> tuple[dict[str, str], str | None]:
    """Meta values by lower-cased name/property/itemprop (first wins), and the declared charset."""
    metas: dict[str, str] = {}
    charset = None
    for m in root.iter("meta"):
        if m.get("charset"):
            charset = charset or m.get("charset")
        key = m.get("property") or m.get("name") or m.get("itemprop") or m.get("http-equiv")
        value = m.get("content")
        if not key or value is None:
            continue
        key = key.strip().lower()
        if key == "content-type" and "charset=" in value.lower():
            charset = charset or value.lower().split("charset=", 1)[1].split(";")[0].strip()
        metas.setdefault(key, " ".join(value.split()))
    return metas, charset


def _first_h1(root, scope=None):
    """The page's headline element: the first <h1> with text, not a logo in the site header."""
    h1s = [h for h in (scope if scope is not None else root).iter("h1") if "".join(h.itertext()).strip()]
    for h in h1s:
        if next(h.iterancestors("header", "nav", "footer", "aside"), None) is None:
            return h
    return h1s[0] if h1s else None


def _paragraph_text(el) -> int:
    return sum(len("".join(p.itertext()).strip()) for p in el.iter("p"))


def _find_root(root, h1, warnings: list[str]):
    """The main content element: a landmark, else the densest text container."""
    body = root.find("body")
    body = body if body is not None else root
    total = None
    groups = (
        lambda: list(root.iter("main")) + root.xpath("//@role[. = 'main']/.."),  # faster than //*[@role='main']
        lambda: list(root.iter("article")),
        lambda: [el for el in root.xpath(_MAIN_XPATH) if _main_name(el)],
    )
    for make_group in groups:
        group = make_group()
        if len(group) > 1 and h1 is not None:
            group = sorted(group, key=lambda el: not _inside(h1, el))
        for cand in group:
            if cand is body or cand is root:
                continue
            if h1 is not None and _inside(h1, cand):
                return cand
            if total is None:
                total = _paragraph_text(body) or 1
            if _paragraph_text(cand) >= 0.4 * total:
                return _widen(cand, h1)
    guess = _densest(body)
    if guess is not None and h1 is not None:
        guess = _common_ancestor(guess, h1)
    if guess is None or guess is body or guess is root:
        warnings.append("no main content found")
        return None
    warnings.append("no main content landmark: main content guessed from text density")
    return guess


def _widen(cand, h1):
    """A headline outside the landmark (a page header above <main>) joins it."""
    if h1 is None or _inside(h1, cand) or next(h1.iterancestors("header", "nav", "footer", "aside"), None) is not None:
        return cand
    return _common_ancestor(cand, h1) or cand


def _main_name(el) -> bool:
    names = f"{el.get('id', '')} {el.get('class', '')}".lower().split()
    return any(_MAIN_NAME.match(n) for n in names)


def _densest(body):
    """The element holding most paragraph text, widened until it holds most of the page's."""
    direct: dict = {}
    for p in body.iter("p", "div", "td"):
        if p.tag == "p":
            parent = p.getparent()
            n = len("".join(p.itertext()).strip())
        else:
            parent = p
            n = len((p.text or "").strip()) + sum(len((c.tail or "").strip()) for c in p)
        if parent is not None and n:
            direct[parent] = direct.get(parent, 0) + n
    if not direct:
        return None
    total = sum(direct.values())
    best = max(direct, key=direct.get)
    covered = {}
    for el, n in direct.items():
        for a in _ancestors(el):
            covered[a] = covered.get(a, 0) + n
    while best is not None and covered.get(best, 0) < 0.6 * total:
        best = best.getparent()
    return best


def _strip_site(title: str, site: str | None, guess: bool = True) -> str:
    """'Headline - Site' / 'Headline | Site' to 'Headline'; without a known site
    name (and `guess`), a short capitalised last segment is taken for one."""
    if site:
        for m in _TITLE_SEP.finditer(title):
            if _norm(title[m.end():]) == _norm(site):
                return title[: m.start()].strip()
            if _norm(title[: m.start()]) == _norm(site):
                return title[m.end():].strip()
    matches = list(_TITLE_SEP.finditer(title)) if guess else []
    if matches:
        m = matches[-1]
        suffix = title[m.end():].strip()
        if suffix[:1].isupper() and len(suffix.split()) <= 5 and m.start() > 0:
            return title[: m.start()].strip()
    return title


def _meta_title(metas: dict[str, str], jsonld: list[str]) -> str | None:
    site = metas.get("og:site_name")
    for key in _META_TITLES:
        value = metas.get(key)
        if value and _norm(value) != _norm(site):
            return _strip_site(value, site, guess=False)
    for text in jsonld:
        m = _JSONLD_HEADLINE.search(text)
        if m:
            return " ".join(m.group(1).replace('\\"', '"').split())
    return None


def _meta_published(metas: dict[str, str], jsonld: list[str]) -> date | None:
    for key in _META_DATES:
        if key in metas:
            found = parse_date(metas[key])
            if found:
                return found
    for text in jsonld:
        m = _JSONLD_DATE.search(text)
        if m and parse_date(m.group(1)):
            return parse_date(m.group(1))
    return None


def _first_long_body(blocks: list[Block]) -> int:
    return next(
        (i for i, b in enumerate(blocks) if b.kind == "body" and len(b.text) >= 100), len(blocks)
    )


def _time_published(times, start: int, blocks: list[Block]) -> date | None:
    """A <time> marked as the publication date, or one in the header zone above the body text."""
    limit = start + _first_long_body(blocks)
    for value, _, marked in times:
        if marked and parse_date(value):
            return parse_date(value)
    for value, index, _ in times:
        if index < limit and parse_date(value):
            return parse_date(value)
    return None


def _mark_title(title: str, page: HtmlPage, h1_block: Block | None) -> Block | None:
    want = _norm(title)
    if h1_block is not None:
        h1 = _norm(h1_block.text)
        if h1 == want or h1.startswith(want) or h1.endswith(want):  # "Issue - items at meetings - <title>"
            return h1_block
    return next((b for b in page.blocks if b.kind != "boilerplate" and _norm(b.text) == want), None)


def add_html(
    builder: ContentBuilder,
    html: str,
    *,
    path: str,
    part: str | None = None,
    email: bool = False,
    utf8: bytes | None = None,
) -> HtmlPage:
    """Add the blocks of one HTML text to `builder` (labelled with `part`) and
    return what the page says about its headline and date. In a mail body
    (`email=True`) the main-content landmark rules are off: mail templates
    have none, and their header lines (sender, date) belong to the message.
    `utf8` is `html` encoded as UTF-8, if at hand (saves encoding it again)."""
    page = HtmlPage()
    root, parsed = _parse_page(html, path, page.warnings, utf8)
    metas, declared = _metas(root)
    h1 = _first_h1(root)
    main = None if email else _find_root(root, h1, page.warnings)
    if main is not None and h1 is not None and not _inside(h1, main):
        h1 = _first_h1(root, main) or h1
    root_path = set(main.iterancestors()) if main is not None else set()
    if h1 is not None:
        root_path.update(h1.iterancestors())
    builder.cut()
    start = len(builder.blocks)
    walker = _Walker(builder, part, main, root_path, h1, chrome_xslt=_chrome_safe(parsed, root))
    walker.walk(root)
    builder.cut()
    page.blocks = builder.blocks[start:]
    if not page.blocks:
        raise EmptyDocument(path, "the HTML page holds no text")
    if not walker.has_content:
        page.warnings.append("every block of the page was taken for boilerplate")

    jsonld = [s.text for s in root.iter("script") if "ld+json" in (s.get("type") or "") and s.text]
    page.metadata = _metadata(root, metas, declared)
    page.h1_block = walker.h1_block
    page.title, page.title_block = _choose_title(page, metas, jsonld, walker, root, email)
    page.published = (
        _meta_published(metas, jsonld)
        or _time_published(walker.times, start, page.blocks)
        or choose_published(page.blocks, title=page.title_block)
    )
    return page


def _choose_title(page: HtmlPage, metas, jsonld, walker: _Walker, root, email: bool) -> tuple[str | None, Block | None]:
    title = _meta_title(metas, jsonld)
    if title:
        return title, _mark_title(title, page, walker.h1_block)
    if walker.h1_block is not None:
        return walker.h1_block.text.replace("\n", " "), walker.h1_block
    tag = root.find(".//title")
    tag_title = " ".join("".join(tag.itertext()).split()) if tag is not None else ""
    tag_title = _strip_site(tag_title, metas.get("og:site_name")) if tag_title else ""
    if tag_title:
        block = _mark_title(tag_title, page, None)
        if block is not None or not email:
            return tag_title, block
    heading = walker.first_heading
    limit = _first_long_body(page.blocks)
    if heading is not None and any(b is heading for b in page.blocks[: limit + 1]):
        return heading.text.replace("\n", " "), heading
    block = choose_title(page.blocks)
    return (headline_text(block.text), block) if block is not None else (None, None)


def _metadata(root, metas: dict[str, str], declared: str | None) -> dict[str, str]:
    out: dict[str, str] = {}
    canonical = next((ln.get("href") for ln in root.iter("link") if (ln.get("rel") or "").lower() == "canonical"), None)
    url = canonical or metas.get("og:url")
    if url:
        out["url"] = url.strip()
    if metas.get("og:site_name"):
        out["site"] = metas["og:site_name"]
    description = metas.get("description") or metas.get("og:description")
    if description:
        out["description"] = description
    lang = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang") or root.get("xml:lang")
    if lang:
        out["html_lang"] = lang.strip()
    if declared:
        out["declared_charset"] = declared.strip().lower()
    return out


def _same_charset(a: str, b: str) -> bool:
    a, b = a.strip().lower(), b.strip().lower()
    if a in _LATIN1 and b in _LATIN1:
        return True
    try:
        return codecs.lookup(a).name == codecs.lookup(b).name
    except LookupError:
        return False


def html_to_document(
    html: str,
    *,
    source: Source,
    doc_id: str,
    part: str | None = None,
    encoding: str | None = None,
    utf8: bytes | None = None,
) -> Document:
    """A document from already-decoded HTML (a web page, or a mail's only body)."""
    email = source.format == "email"
    builder = ContentBuilder(merge_chrome=not email)
    page = add_html(builder, html, path=source.path, part=part, email=email, utf8=utf8)
    metadata = dict(page.metadata)
    warnings = list(page.warnings)
    if page.title_block is not None:
        page.title_block.kind = "title"
    if encoding:
        metadata["encoding"] = encoding
        declared = metadata.get("declared_charset")
        by_bom = encoding.startswith(("utf-16", "utf-32"))
        if declared and not by_bom and not _same_charset(declared, encoding):
            warnings.append(f"page declares charset {declared} but its bytes decode as {encoding}")
    if page.title is None:
        warnings.append("no title found")
    return Document(
        id=doc_id, source=source, title=page.title, published=page.published, metadata=metadata,
        warnings=warnings, content=builder.content, blocks=builder.blocks,
    )


def read_html(data: bytes, *, source: Source, doc_id: str) -> Document:
    text, encoding = decode(data, html=True)
    # Strictly decoded UTF-8 encodes back to the same bytes: parse those.
    utf8 = data if encoding == "utf-8" and not data.startswith(codecs.BOM_UTF8) else None
    return html_to_document(text, source=source, doc_id=doc_id, encoding=encoding, utf8=utf8)
