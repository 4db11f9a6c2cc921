"""PDF reader: pdfplumber words in reading order, as headed paragraphs and tables.

Each page is opened once: its words (with size and font) and, where the page
has ruling lines, pdfplumber's tables. Geometry (columns, unruled tables,
paragraphs) lives in pdf_layout. Running headers and footers are found across
pages, so blocks are only built once every page has been read.

A PDF without any text layer raises EmptyDocument (we do no OCR); pages
without text in an otherwise readable PDF are listed in a warning.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from pipeline.errors import DamagedPDF, EmptyDocument, EncryptedPDF, IngestError
from pipeline.ingest.blocks import ContentBuilder, clean_text
from pipeline.ingest.headline import is_contact
from pipeline.ingest.pdf_layout import Line, Table, Word, group_rows, join_lines, order_page, paragraphs, typical_pitch
from pipeline.ingest.text import finish
from pipeline.models import Block, Document, Source

MAX_PAGES = 2000
ZONE = 0.08  # share of the page height at top and bottom where running heads live
MAX_EDGES = 3000

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
    warnings: list[str] = []
    try:
        opened = pdfplumber.open(io.BytesIO(data))
    except PdfminerException as exc:
        raise _open_error(path, exc.args[0] if exc.args else exc) from exc
    except Exception as exc:  # pdfminer raises many unrelated types on junk
        raise DamagedPDF(path, f"cannot open the PDF: {_describe(exc)}") from exc
    with _closing(opened) as pdf:
        metadata = _metadata(pdf)
        try:
            all_pages = pdf.pages
        except Exception as exc:
            raise DamagedPDF(path, f"cannot read the page tree: {_describe(exc)}") from exc
        if not all_pages:
            raise DamagedPDF(path, "the PDF has no pages")
        metadata["pages"] = str(len(all_pages))
        if len(all_pages) > max_pages:
            warnings.append(f"read only the first {max_pages} of {len(all_pages)} pages")
        pages: list[_Page] = []
        failed: list[int] = []
        for n, page in enumerate(all_pages[:max_pages], start=1):
            try:
                pages.append(_read_page(page, n))
                warnings.extend(pages[-1].warnings)
            except Exception as exc:  # one broken page should not lose the rest
                failed.append(n)
                warnings.append(f"page {n} could not be read: {_describe(exc)}")
            finally:
                page.close()
    if failed and not pages:
        raise DamagedPDF(path, f"no page could be read ({warnings[-1]})")
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


@contextmanager
def _closing(pdf):
    """Close the PDF to free its pages; pdfplumber's close walks the page tree
    again, which fails on a broken tree and would hide our own error."""
    try:
        yield pdf
    finally:
        try:
            pdf.close()
        except Exception:
            pass


def _open_error(path: str, cause: object) -> IngestError:
    if isinstance(cause, PDFPasswordIncorrect):
        return EncryptedPDF(path, "the PDF is encrypted and needs a password")
    if isinstance(cause, PDFEncryptionError):
        return EncryptedPDF(path, f"the PDF's encryption cannot be read: {_describe(cause)}")
    return DamagedPDF(path, f"the PDF is truncated or corrupt: {_describe(cause)}")


def _describe(exc: object) -> str:
    try:
        text = str(exc).strip()
    except Exception:  # pdfminer objects in the message can fail to print
        text = ""
    name = type(exc).__name__
    return f"{name}: {text[:200]}" if text else name


def _metadata(pdf) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, name in (("Title", "pdf_title"), ("Author", "pdf_author"), ("Producer", "pdf_producer")):
        value = pdf.metadata.get(key)
        if isinstance(value, bytes):
            value = value.decode("utf-8", errors="replace")
        if isinstance(value, str) and clean_text(value):
            out[name] = clean_text(value).replace("\n", " ")
    return out


def _read_page(page, number: int) -> _Page:
    x0, top0, x1, bottom0 = page.bbox
    height = bottom0 - top0
    raw = page.extract_words(
        x_tolerance_ratio=0.15, y_tolerance=3, keep_blank_chars=False, use_text_flow=False,
        extra_attrs=["size", "fontname"],
    )
    words = [
        Word.from_plumber(w) for w in raw
        if w.get("upright", True) and w["x1"] > x0 and w["x0"] < x1 and w["bottom"] > top0 and w["top"] < bottom0
    ]
    result = _Page(number, has_graphics=bool(page.images or page.rects or page.curves or page.lines))
    tables: list[Table] = []
    edges = len(page.edges)
    if edges > MAX_EDGES:  # a drawing, not a table; the table finder would crawl
        result.warnings.append(f"page {number}: {edges} ruling lines; tables not detected")
    elif edges >= 4:
        tables = _tables(page, words)
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


def _tables(page, words: list[Word]) -> list[Table]:
    """pdfplumber's ruled tables, their cells filled from our words so spacing
    matches the running text. Boxes with one column or one row stay text."""
    out = []
    for found in page.find_tables():
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
