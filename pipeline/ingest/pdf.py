"""PDF reader: pdfium's characters in reading order, as headed paragraphs and tables.

pypdfium2 gives every character of a page with its box and its text object
(font, size, matrix); characters become words the way pdfplumber forms them
(a space, a jump back or up, a gap wider than 0.15 of the type size, or a
change of font or size ends a word), at a fraction of pdfminer's cost. Ruled
tables come from the page's drawn lines (pdfium path objects), cut into
cells by pdfplumber's table finder, which needs only those edges. Geometry
(columns, unruled tables, paragraphs) lives in pdf_layout. Running headers
and footers are found across pages, so blocks are only built once every page
has been read.

pdfium reads files that are slightly broken; a PDF whose page tree pdfminer
cannot parse (it checks the syntax pdfium forgives) is reported as damaged,
as before. A PDF without any text layer raises EmptyDocument (we do no OCR);
pages without text in an otherwise readable PDF are listed in a warning.

Bounds: a PDF over the run's page limit is refused (TooManyPages) before any
page is read, and a page whose content streams inflate to more than
MAX_CONTENT bytes (a decompression bomb: a megabyte of zeros deflated a
thousandfold) is refused (ContentTooLarge) before pdfium inflates it whole.
"""

from __future__ import annotations

import ctypes
import io
import re
import threading
import zlib
from collections import Counter
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.errors import DamagedPDF, EmptyDocument, EncryptedPDF, IngestError, LimitExceeded, TooManyPages
from pipeline.ingest.blocks import ContentBuilder, clean_text
from pipeline.ingest.headline import is_contact
from pipeline.ingest.pdf_layout import _BOLD, Line, Table, Word, group_rows, join_lines, order_page, paragraphs, typical_pitch
from pipeline.ingest.text import finish
from pipeline.models import Block, Document, Source

MAX_PAGES = 2000
MAX_CONTENT = 256 << 20  # bytes of one page's content streams, inflated
_PDFIUM = threading.Lock()
ZONE = 0.08  # share of the page height at top and bottom where running heads live
MAX_EDGES = 3000
X_TOLERANCE = 0.15  # of the type size: a wider gap between two characters starts a new word
Y_TOLERANCE = 3.0  # points: a character further up or down starts a new word

_PAGE_NO = re.compile(
    r"\b(side|sida|sidan|page|pagina|blad|seite)\s*\d+(\s*(af|av|of|/|von|de)\s*\d+)?\b|^\W*\d{1,4}\W*$|^\d+\s*/\s*\d+$",
    re.IGNORECASE,
)
_GENERIC_TITLE = re.compile(
    r"^(saksframlegg|saksfremlegg|sakspapir|pressmeddelande|pressemelding|pressemeddelelse|press release|"
    r"nyhetsbrev|nyhedsbrev|newsletter|dagsorden|referat|protokoll?|agenda|minutes|report|rapport|"
    r"tjänsteskrivelse|tjenesteskrivelse|beslutsunderlag|bilaga|bilag|vedlegg|notat|memo|untitled|"
    r"dokument|document|brev|letter|title|uten tittel|namnlös)[\W\d]*$"
    r"|^microsoft (word|excel|powerpoint)\b|\.(docx?|pdf|odt|rtf|pptx?|xlsx?)$",
    re.IGNORECASE,
)
# An agenda-item number before the headline: "Nr. 63 – ", "Sak 12/20: ".
_ITEM_PREFIX = re.compile(
    r"^(?:(?:nr|sak|pkt|punkt|item|ärende|artikel)\.?\s*\d+[\w/.-]*\s*[–—:-]\s+|\d{1,3}\s*[–—]\s+)", re.IGNORECASE
)
# "Subject: ..." as a line or a table row ("Subject: | ..."); not "Title:", which is often a job title.
_SUBJECT_LABEL = r"(?:subject|emne|ämne|ärende|sak|vedr(?:ørende)?\.?|angående|rubrik)"
_SUBJECT = re.compile(rf"^{_SUBJECT_LABEL}\s*:?\s*\|\s*(.+)$|^{_SUBJECT_LABEL}\s*:\s*(.+)$", re.IGNORECASE | re.MULTILINE)
_SECTION = re.compile(r"^(§\s*\d+|\d{1,2}(\.\d+)*\.?)\s")  # "§ 1 Parter", "1.0 Purpose": a section heading
_MASTHEAD = re.compile(
    r"\b(kommune|kommun|stad|council|region|regionen|fylkeskommune|fylke|landsting|amt|municipality|"
    r"borough|county|government|regeringen|regjeringen)\b",
    re.IGNORECASE,
)


class ContentTooLarge(LimitExceeded):
    """A page's content streams inflate to more than MAX_CONTENT bytes."""


@dataclass
class _Para:
    page: int
    text: str
    size: float = 0.0
    bold: bool = False
    lines: int = 1
    rows: list[list[str]] | None = None
    kind: str = "body"


@dataclass
class _Page:
    """One page as compact paragraphs (words are dropped once laid out)."""

    number: int
    paras: list[_Para] = field(default_factory=list)
    top: list[_Para] = field(default_factory=list)  # lines in the top margin
    bottom: list[_Para] = field(default_factory=list)
    sizes: Counter[float] = field(default_factory=Counter)  # characters per font size
    has_text: bool = False
    has_graphics: bool = False
    warnings: list[str] = field(default_factory=list)


def read_pdf(data: bytes, *, source: Source, doc_id: str, max_pages: int = MAX_PAGES) -> Document:
    path = source.path if source.name is None else f"{source.path} [{source.name}]"
    # pdfium is not thread-safe, not even across documents: one thread at a time.
    with _PDFIUM:
        pages, failed, metadata, warnings = _read_pages(data, path, max_pages)
    return _document(pages, failed, metadata, warnings, path, source, doc_id)


def _read_pages(data: bytes, path: str, max_pages: int) -> tuple[list[_Page], list[int], dict[str, str], list[str]]:
    """Every page's paragraphs (what pdfium is needed for), the pages that failed, metadata, warnings."""
    warnings: list[str] = []
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise _open_error(path, exc) from exc
    except Exception as exc:  # noqa: BLE001
        raise DamagedPDF(path, f"cannot open the PDF: {_describe(exc)}") from exc
    try:
        count = len(pdf)
        if not count:
            raise DamagedPDF(path, "the PDF has no pages")
        limit = _page_limit()
        if limit is not None and count > limit:  # refused before reading a page
            raise TooManyPages(path, f"the PDF has {count} pages, more than the limit of {limit}")
        _check_page_tree(path, data)
        metadata = _metadata(pdf)
        metadata["pages"] = str(count)
        if count > max_pages:
            warnings.append(f"read only the first {max_pages} of {count} pages")
        pages: list[_Page] = []
        failed: list[int] = []
        for n in range(1, min(count, max_pages) + 1):
            page = None
            try:
                page = pdf[n - 1]
                pages.append(_read_page(page, n))
                warnings.extend(pages[-1].warnings)
            except Exception as exc:  # one broken page should not lose the rest
                failed.append(n)
                warnings.append(f"page {n} could not be read: {_describe(exc)}")
            finally:
                if page is not None:
                    page.close()
    finally:
        pdf.close()
    if failed and not pages:
        raise DamagedPDF(path, f"no page could be read ({warnings[-1]})")
    return pages, failed, metadata, warnings


def _document(pages: list[_Page], failed: list[int], metadata: dict[str, str], warnings: list[str], path: str,
              source: Source, doc_id: str) -> Document:
    if not any(p.has_text for p in pages):
        unread = f"; {len(failed)} page(s) unreadable" if failed else ""
        if any(p.has_graphics for p in pages):
            raise EmptyDocument(path, f"no text layer on any of {len(pages)} page(s){unread}; image-only PDF? (no OCR)")
        raise EmptyDocument(path, f"no text on any of {len(pages)} page(s){unread}")
    blank = [str(p.number) for p in pages if not p.has_text and p.has_graphics]
    if blank:
        warnings.append(f"no text layer on page(s) {', '.join(blank)}; image-only PDF?")

    paras, body_size = _paragraphs(pages)
    title, title_para = _choose_title(paras, body_size, metadata.get("pdf_title"))
    builder = ContentBuilder()
    title_block: Block | None = None
    for p in paras:
        block = builder.add(p.kind, p.text, page=p.page, rows=p.rows, clean=False)
        if p is title_para:
            title_block = block
    if not builder.blocks:
        raise EmptyDocument(path, "the PDF holds no readable text")
    if title_block is not None:
        title_block.kind = "title"
    return finish(doc_id, source, builder, title=title, metadata=metadata, warnings=warnings)


def _open_error(path: str, exc: pdfium.PdfiumError) -> IngestError:
    code = getattr(exc, "err_code", None)
    if code == pdfium_c.FPDF_ERR_PASSWORD:
        return EncryptedPDF(path, "the PDF is encrypted and needs a password")
    if code == pdfium_c.FPDF_ERR_SECURITY:
        return EncryptedPDF(path, "the PDF's encryption cannot be read: unsupported security handler")
    return DamagedPDF(path, f"the PDF is truncated or corrupt: {_describe(exc)}")


def _page_limit() -> int | None:
    """The run's page limit for this read (set by pipeline.ingest.read_bytes for the document and
    what it contains), or None: called directly, `max_pages` only truncates."""
    from pipeline.ingest import _LIMITS

    return _LIMITS.get().get("max_pages")


def _check_page_tree(path: str, data: bytes) -> None:
    """pdfium mends broken dictionaries and page trees silently; pdfminer's
    parser (the page tree and the raw content streams, not their text) says
    when the file is damaged, and how large each page's content inflates."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    try:
        for n, page in enumerate(PDFPage.create_pages(PDFDocument(PDFParser(io.BytesIO(data)))), start=1):
            size = _content_size(page, MAX_CONTENT)
            if size > MAX_CONTENT:
                raise ContentTooLarge(path, f"the content of page {n} inflates to more than {MAX_CONTENT >> 20} MB, "
                                            "the reader's limit (a decompression bomb?)")
    except ContentTooLarge:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types on junk
        if type(exc).__name__ in ("PDFEncryptionError", "PDFPasswordIncorrect", "PDFEncryptionWarning"):
            return  # pdfium opened it: an encryption pdfminer does not know
        raise DamagedPDF(path, f"cannot read the page tree: {_describe(exc)}") from exc


def _content_size(page, cap: int) -> int:  # noqa: ANN001
    """Bytes a page's Flate-compressed content streams inflate to, counted without keeping them
    and only up to a little past `cap`; streams with other filters count as their raw size."""
    from pdfminer.pdftypes import PDFStream, resolve1

    contents = page.contents if isinstance(page.contents, list) else [page.contents]
    total = 0
    for ref in contents:
        stream = resolve1(ref)
        if not isinstance(stream, PDFStream):
            continue
        raw = stream.rawdata if stream.rawdata is not None else (stream.data or b"")
        filters = [getattr(f, "name", f) for f, _params in stream.get_filters()]
        if stream.rawdata is None or not filters:
            total += len(raw)
        elif filters == ["FlateDecode"] or filters == ["Fl"]:
            total += _inflated_size(raw, cap - total + 1)
        else:
            total += len(raw)
        if total > cap:
            break
    return total


def _inflated_size(raw: bytes, cap: int) -> int:
    """Bytes a zlib stream inflates to, stopping once past `cap` (a broken stream: what came out)."""
    inflater = zlib.decompressobj()
    total, pending = 0, raw
    try:
        while pending and total <= cap:
            total += len(inflater.decompress(pending, 1 << 20))
            pending = inflater.unconsumed_tail
    except zlib.error:
        pass
    return total


def _describe(exc: object) -> str:
    try:
        text = str(exc).strip()
    except Exception:  # objects in the message can fail to print
        text = ""
    name = type(exc).__name__
    return f"{name}: {text[:200]}" if text else name


def _metadata(pdf) -> dict[str, str]:
    out: dict[str, str] = {}
    try:
        info = pdf.get_metadata_dict(skip_empty=True)
    except Exception:  # noqa: BLE001 - metadata is a nicety
        return out
    for key, name in (("Title", "pdf_title"), ("Author", "pdf_author"), ("Producer", "pdf_producer")):
        value = info.get(key)
        if isinstance(value, str) and clean_text(value):
            out[name] = clean_text(value).replace("\n", " ")
    return out


# Hot pdfium calls, typed with plain pointers: a text object's address is
# hashable, so style lookups need no ctypes casts.
_VP = ctypes.c_void_p
_get_text_object = ctypes.CFUNCTYPE(_VP, _VP, ctypes.c_int)(ctypes.cast(pdfium_c.FPDFText_GetTextObject, _VP).value)
_get_loose_box = ctypes.CFUNCTYPE(ctypes.c_int, _VP, ctypes.c_int, ctypes.POINTER(pdfium_c.FS_RECTF))(
    ctypes.cast(pdfium_c.FPDFText_GetLooseCharBox, _VP).value
)
# pdfium marks a hyphen that ends a line with U+FFFE (older builds: U+0002).
_HYPHEN_MARKS = str.maketrans({"\ufffe": "-", "\x02": "-"})


def _style(textpage, index: int) -> tuple[float, bool, bool, str]:
    """(type size in points, bold, upright, font name) of one character's text object."""
    m = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFText_GetMatrix(textpage, index, m)
    size = pdfium_c.FPDFText_GetFontSize(textpage, index)
    upright = m.a * m.d > 0 and m.b * m.c <= 0
    size *= abs(m.d) if upright else (m.c * m.c + m.d * m.d) ** 0.5
    buf = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    n = pdfium_c.FPDFText_GetFontInfo(textpage, index, buf, len(buf), ctypes.byref(flags))
    name = buf.value.decode("utf-8", "replace") if n else ""
    return size, bool(_BOLD.search(name)), upright, name


def page_words(textpage, page_top: float) -> list[tuple[Word, bool]]:
    """A page's words with whether they stand upright, from pdfium's characters.

    Coordinates are pdfplumber's: x as in the PDF, `top` measured down from
    `page_top`. A character's box is pdfium's loose box (advance width, font
    descent); its height is the type size, as in pdfminer."""
    raw = textpage.raw
    n = pdfium_c.FPDFText_CountChars(raw)
    if n <= 0:
        return []
    text = textpage.get_text_range(0, n)
    if len(text) != n:  # characters outside the BMP: one index, two UTF-16 units
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, i)) for i in range(n))
    text = text.translate(_HYPHEN_MARKS)
    tp = ctypes.cast(raw, _VP)
    box = pdfium_c.FS_RECTF()
    pbox = ctypes.pointer(box)
    styles: dict[int | None, tuple[float, bool, bool, str]] = {}
    out: list[tuple[Word, bool]] = []
    chars: list[str] = []
    style = None
    x0 = x1 = bottom = px0 = px1 = pbottom = 0.0

    def flush() -> None:
        size, bold, upright, _ = style
        out.append((Word("".join(chars), x0, x1, bottom - size, bottom, round(size, 1), bold), upright))
        chars.clear()

    for i, ch in enumerate(text):
        if ch.isspace():
            if chars:
                flush()
            continue
        obj = _get_text_object(tp, i)
        st = styles.get(obj)
        if st is None:
            st = styles[obj] = _style(raw, i)
        _get_loose_box(tp, i, pbox)
        left, right, b = box.left, box.right, page_top - box.bottom
        if chars and (st != style or left < px0 or left > px1 + X_TOLERANCE * style[0] or abs(b - pbottom) > Y_TOLERANCE):
            flush()
        if not chars:
            style, x0, x1, bottom = st, left, right, b
        else:  # never left of the word's first character (that starts a new word)
            if right > x1:
                x1 = right
            if b > bottom:
                bottom = b
        chars.append(ch)
        px0, px1, pbottom = left, right, b
    if chars:
        flush()
    return out


def _objects(page) -> tuple[bool, list[list[tuple[float, float]]]]:
    """Whether the page draws anything but text, and its drawn paths as lists
    of points in page space (forms included)."""
    graphics = False
    paths: list[list[tuple[float, float]]] = []
    m = pdfium_c.FS_MATRIX()
    x, y = ctypes.c_float(), ctypes.c_float()

    def walk(count, get, parent, depth: int) -> None:
        nonlocal graphics
        for i in range(count):
            obj = get(i)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
                continue
            if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
                if depth < 8 and pdfium_c.FPDFPageObj_GetMatrix(obj, m):
                    here = _compose((m.a, m.b, m.c, m.d, m.e, m.f), parent)
                    walk(pdfium_c.FPDFFormObj_CountObjects(obj), lambda k, o=obj: pdfium_c.FPDFFormObj_GetObject(o, k),
                         here, depth + 1)
                continue
            graphics = True
            if kind != pdfium_c.FPDF_PAGEOBJ_PATH or not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
                continue
            a, b, c, d, e, f = _compose((m.a, m.b, m.c, m.d, m.e, m.f), parent)
            current: list[tuple[float, float]] = []
            for k in range(pdfium_c.FPDFPath_CountSegments(obj)):
                seg = pdfium_c.FPDFPath_GetPathSegment(obj, k)
                if not pdfium_c.FPDFPathSegment_GetPoint(seg, x, y):
                    continue
                point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
                if pdfium_c.FPDFPathSegment_GetType(seg) == pdfium_c.FPDF_SEGMENT_MOVETO and current:
                    paths.append(current)
                    current = []
                current.append(point)
                if pdfium_c.FPDFPathSegment_GetClose(seg) and current[0] != point:
                    current.append(current[0])
            if current:
                paths.append(current)

    raw = page.raw
    walk(pdfium_c.FPDFPage_CountObjects(raw), lambda k: pdfium_c.FPDFPage_GetObject(raw, k), (1, 0, 0, 1, 0, 0), 0)
    return graphics, paths


def _compose(inner: tuple, outer: tuple) -> tuple:
    """The matrix that applies `inner`, then `outer`."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _edges(paths: list[list[tuple[float, float]]], page_top: float) -> list[dict]:
    """Straight segments as pdfplumber's edges ("h", "v"; slanted ones have no orientation)."""
    edges = []
    for points in paths:
        for (ax, ay), (bx, by) in zip(points, points[1:]):
            top, bottom = page_top - max(ay, by), page_top - min(ay, by)
            x0, x1 = min(ax, bx), max(ax, bx)
            edges.append({
                "object_type": "curve_edge", "x0": x0, "x1": x1, "top": top, "doctop": top, "bottom": bottom,
                "width": x1 - x0, "height": bottom - top,
                "orientation": "v" if ax == bx else ("h" if ay == by else None),
            })
    return edges


def _read_page(page, number: int) -> _Page:
    mx0, my0, mx1, my1 = page.get_mediabox()
    cx0, cy0, cx1, cy1 = page.get_cropbox()
    x0, top0, x1, bottom0 = cx0, my1 - cy1, cx1, my1 - cy0
    height = bottom0 - top0
    textpage = page.get_textpage()
    try:
        found = page_words(textpage, my1)
    finally:
        textpage.close()
    words = [
        w for w, upright in found
        if upright and w.x1 > x0 and w.x0 < x1 and w.bottom > top0 and w.top < bottom0
    ]
    graphics, paths = _objects(page)
    result = _Page(number, has_graphics=graphics)
    tables: list[Table] = []
    edges = sum(max(0, len(p) - 1) for p in paths)
    if edges > MAX_EDGES:  # a drawing, not a table; the table finder would crawl
        result.warnings.append(f"page {number}: {edges} ruling lines; tables not detected")
    elif edges >= 4:
        tables = _tables(_edges(paths, my1), (x0, top0, x1, bottom0), words)
        words = [w for w in words if not any(_inside(w, t) for t in tables)]
    result.has_text = bool(words or tables)
    rows = group_rows(words)
    # Running heads sit in the margins, set apart from the text by more than a line space.
    i = 0
    while i < len(rows) and max(w.bottom for w in rows[i]) <= top0 + ZONE * height:
        i += 1
    while 0 < i < len(rows) and _gap(rows[i - 1], rows[i]) < 1.5 * rows[i - 1][0].size:
        i -= 1
    j = len(rows)
    while j > i and min(w.top for w in rows[j - 1]) >= bottom0 - ZONE * height:
        j -= 1
    while i < j < len(rows) and _gap(rows[j - 1], rows[j]) < 1.5 * rows[j][0].size:
        j += 1
    result.top = [_para(number, [Line(r)], 0.0) for r in rows[:i]]
    result.bottom = [_para(number, [Line(r)], 0.0) for r in rows[j:]]
    flows = order_page([w for r in rows[i:j] for w in r], tables, x1 - x0)
    pitch = typical_pitch(flows)
    for flow in flows:
        for item in flow:
            if isinstance(item, Line):
                result.sizes[item.size] += len(item.text)
        result.paras.extend(_para(number, para, flow.right) for para in paragraphs(flow, pitch))
    return result


def _gap(upper: list[Word], lower: list[Word]) -> float:
    return min(w.top for w in lower) - max(w.bottom for w in upper)


def _inside(w: Word, t: Table) -> bool:
    cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
    return t.x0 <= cx <= t.x1 and t.top <= cy <= t.bottom


@dataclass
class _EdgePage:
    """What pdfplumber's table finder reads of a page (its "lines" strategy)."""

    edges: list[dict]
    bbox: tuple[float, float, float, float]


def _tables(edges: list[dict], bbox, words: list[Word]) -> list[Table]:
    """pdfplumber's ruled tables, found from pdfium's drawn lines, their cells
    filled from our words so spacing matches the running text. Boxes with one
    column or one row stay text."""
    from pdfplumber.table import TableFinder

    out = []
    for found in TableFinder(_EdgePage(edges, bbox)).tables:
        bx0, btop, bx1, bbottom = found.bbox
        inside = [w for w in words if bx0 <= (w.x0 + w.x1) / 2 <= bx1 and btop <= (w.top + w.bottom) / 2 <= bbottom]
        rows = []
        for row in found.rows:
            cells = []
            for cell in row.cells:
                if cell is None:
                    continue
                cx0, ctop, cx1, cbottom = cell
                ws = [w for w in inside if cx0 <= (w.x0 + w.x1) / 2 <= cx1 and ctop <= (w.top + w.bottom) / 2 <= cbottom]
                cells.append(" ".join(Line(r).text for r in group_rows(ws)) if ws else "")
            if any(cells):
                rows.append(cells)
        columns = [i for i in range(max((len(r) for r in rows), default=0)) if any(i < len(r) and r[i] for r in rows)]
        if len(rows) >= 2 and len(columns) >= 2:
            rows = [[r[i] if i < len(r) else "" for i in columns] for r in rows]
            out.append(Table(rows, bx0, bx1, btop, bbottom))
    return out


def _key(p: _Para) -> str:
    return " ".join(re.sub(r"\d+", "#", p.text.casefold()).split())


def _paragraphs(pages: list[_Page]) -> tuple[list[_Para], float]:
    """Every page's running heads, paragraphs and tables, classified, and the body text size."""
    seen: Counter[tuple[str, str]] = Counter()
    sizes: Counter[float] = Counter()
    for p in pages:
        seen.update({("t", _key(l)) for l in p.top} | {("b", _key(l)) for l in p.bottom})
        sizes.update(p.sizes)
    body_size = sizes.most_common(1)[0][0] if sizes else 10.0

    out: list[_Para] = []
    for p in pages:
        head = [l for l in p.top if seen[("t", _key(l))] >= 2 or _PAGE_NO.search(l.text)]
        foot = [l for l in p.bottom if seen[("b", _key(l))] >= 2 or _PAGE_NO.search(l.text)]
        if head:
            out.append(_Para(p.number, "\n".join(l.text for l in head), kind="boilerplate"))
        paras = [l for l in p.top if l not in head] + p.paras + [l for l in p.bottom if l not in foot]
        for i, para in enumerate(paras):
            _classify(para, body_size)
            if not (i == 0 and _continues(out, para)):
                out.append(para)
        if foot:
            out.append(_Para(p.number, "\n".join(l.text for l in foot), kind="boilerplate"))
    return _merge_contact_labels([p for p in out if p.text]), body_size


def _merge_contact_labels(paras: list[_Para]) -> list[_Para]:
    """A bare "Kontakt" / "För mer information" line belongs to the paragraph under it."""
    out: list[_Para] = []
    for p in paras:
        prev = out[-1] if out else None
        if (prev and prev.kind == "contact" and prev.lines == 1 and len(prev.text) <= 40 and p.page == prev.page
                and p.kind in ("body", "contact") and len(p.text) <= 400):
            prev.text, prev.lines = f"{prev.text}\n{p.text}", prev.lines + p.lines
            continue
        out.append(p)
    return out


def _continues(out: list[_Para], item: _Para) -> bool:
    """A paragraph cut by a column or page break: the new flow starts in lower
    case and the last body paragraph did not end its sentence. Merge them."""
    prev = next((p for p in reversed(out) if p.kind != "boilerplate"), None)
    if prev is None or prev.kind != "body" or item.kind != "body" or not item.text[:1].islower():
        return False
    if prev.text.endswith((".", "!", "?", ":", ";")):
        return False
    prev.text = f"{prev.text} {item.text}"
    prev.lines += item.lines
    return True


def _para(page: int, para: list[Line] | Table, right: float) -> _Para:
    if isinstance(para, Table):
        rows = [[clean_text(c).replace("\n", " ") for c in r] for r in para.rows]
        return _Para(page, "\n".join(" | ".join(r) for r in rows), rows=rows, lines=len(rows), kind="table")
    text = clean_text(join_lines(para, right))
    return _Para(page, text, max(l.size for l in para), all(l.bold for l in para), len(para))


def _classify(p: _Para, body_size: float) -> None:
    """Headings by bigger type, or bold and short; contacts by their content."""
    if p.kind != "body":
        return
    if p.lines <= 3 and len(p.text) <= 200 and p.size >= body_size + 1:
        p.kind = "heading"
    elif is_contact(p.text):
        p.kind = "contact"
    elif (p.bold and p.lines <= 2 and len(p.text) <= 150 and p.size >= body_size - 0.6
          and not p.text.endswith((".", ",", ";"))):
        p.kind = "heading"


def _choose_title(paras: list[_Para], body_size: float, meta_title: str | None) -> tuple[str | None, _Para | None]:
    """The visible headline (largest type on the first page), else a labelled
    subject, else a specific PDF Title; None lets finish() fall back to text."""
    first = min((p.page for p in paras if p.kind != "boilerplate"), default=1)
    page = [p for p in paras if p.page == first and p.kind != "boilerplate"]
    sizes = sorted({p.size for p in page if p.kind != "table"}, reverse=True)
    for size in sizes:
        if size < 1.15 * body_size:
            break
        for p in page:
            if p.size == size and p.kind != "table" and _headline_like(p):
                p.text = " ".join(p.text.split())
                return _ITEM_PREFIX.sub("", p.text), p
    for p in page:
        m = _SUBJECT.search(p.text)
        if m:
            value = (m.group(1) or m.group(2)).split(" | ")[0].strip()
            if len(value.split()) >= 2:
                return value, None
    if meta_title and not _GENERIC_TITLE.search(meta_title) and len(meta_title.split()) >= 2:
        return meta_title, None
    return None, None


def _headline_like(p: _Para) -> bool:
    words = p.text.split()
    if not 2 <= len(words) <= 40 or p.lines > 4 or _GENERIC_TITLE.search(p.text) or _SECTION.match(p.text):
        return False
    # An organisation's name in big type at the top is a masthead, not the headline.
    return not (len(words) <= 4 and _MASTHEAD.search(p.text))
