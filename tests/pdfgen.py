"""Building small test PDFs with reportlab (invented public-sector text only).

A page is a list of items, drawn top to bottom in one full-width column:
a plain string is a body paragraph, ("title"|"heading"|"body"|"small", text)
sets the style, and ("table", rows) draws a ruled table.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

WIDTH, HEIGHT = A4
MARGIN = 57
STYLES = {
    "title": ("Helvetica-Bold", 17),
    "heading": ("Helvetica-Bold", 12),
    "body": ("Helvetica", 10),
    "small": ("Helvetica", 8.5),
}


def _canvas(path, *, title=None, author=None, encrypt=None) -> canvas.Canvas:
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    if title:
        c.setTitle(title)
    if author:
        c.setAuthor(author)
    return c


def _running(c: canvas.Canvas, n: int, total: int, header: str | None, footer: str | None) -> None:
    c.setFont("Helvetica", 7.5)
    if header:
        c.drawString(MARGIN, HEIGHT - 28, header.format(page=n, pages=total))
    if footer:
        c.drawString(MARGIN, 24, footer.format(page=n, pages=total))


def draw_paragraph(c: canvas.Canvas, text: str, x: float, y: float, width: float, style: str = "body") -> float:
    """Draw wrapped text with its top at y; return the y below it (with paragraph spacing)."""
    font, size = STYLES[style]
    c.setFont(font, size)
    leading = size * 1.35
    for line in simpleSplit(text, font, size, width):
        y -= leading
        c.drawString(x, y, line)
    return y - size * 0.9


def draw_table(c: canvas.Canvas, rows: list[list[str]], x: float, y: float, widths: list[float], ruled: bool = True) -> float:
    """Draw a table (ruled or not) with its top at y; return the y below it."""
    height = 16
    top = y
    for r, row in enumerate(rows):
        c.setFont("Helvetica-Bold" if r == 0 else "Helvetica", 9)
        cx = x
        for cell, w in zip(row, widths):
            c.drawString(cx + 4, y - 11.5, cell)
            cx += w
        y -= height
    if ruled:
        right = x + sum(widths)
        for i in range(len(rows) + 1):
            c.line(x, top - i * height, right, top - i * height)
        cx = x
        for w in [0, *widths]:
            cx += w
            c.line(cx, top, cx, y)
    return y - 12


def make_pdf(
    path: str | Path,
    pages: list[list],
    *,
    header: str | None = None,
    footer: str | None = None,
    title: str | None = None,
    author: str | None = None,
    encrypt=None,
) -> Path:
    """One full-width column per page; header/footer may use {page} and {pages}."""
    c = _canvas(path, title=title, author=author, encrypt=encrypt)
    for n, items in enumerate(pages, start=1):
        _running(c, n, len(pages), header, footer)
        y = HEIGHT - 70
        for item in items:
            kind, value = ("body", item) if isinstance(item, str) else item
            if kind == "table":
                widths = [(WIDTH - 2 * MARGIN) / len(value[0])] * len(value[0])
                y = draw_table(c, value, MARGIN, y, widths)
            elif kind == "plain_table":
                widths = [(WIDTH - 2 * MARGIN) / len(value[0])] * len(value[0])
                y = draw_table(c, value, MARGIN, y, widths, ruled=False)
            else:
                y = draw_paragraph(c, value, MARGIN, y, WIDTH - 2 * MARGIN, kind)
        c.showPage()
    c.save()
    return Path(path)


def make_two_column_pdf(
    path: str | Path,
    *,
    title: str,
    columns: list[tuple[list[str], list[str]]],
    header: str | None = None,
    footer: str | None = "Sida {page} av {pages}",
    intro: str | None = None,
    top: float = 70,
) -> Path:
    """Each page: (left paragraphs, right paragraphs) under a full-width title on
    page 1; `top` is where the text starts, in points from the top edge."""
    c = _canvas(path)
    gutter = 24
    col_w = (WIDTH - 2 * MARGIN - gutter) / 2
    for n, (left, right) in enumerate(columns, start=1):
        _running(c, n, len(columns), header, footer)
        y = HEIGHT - top
        if n == 1:
            y = draw_paragraph(c, title, MARGIN, y, WIDTH - 2 * MARGIN, "title")
            if intro:
                y = draw_paragraph(c, intro, MARGIN, y, WIDTH - 2 * MARGIN, "small")
        for x, paragraphs in ((MARGIN, left), (MARGIN + col_w + gutter, right)):
            yy = y
            for p in paragraphs:
                style = "heading" if p.startswith("#") else "body"
                yy = draw_paragraph(c, p.lstrip("# "), x, yy, col_w, style)
        c.showPage()
    c.save()
    return Path(path)


def make_table_pdf(path: str | Path, rows: list[list[str]], *, title: str = "Bidrag till föreningar",
                   ruled: bool = True, before: str | None = None, after: str | None = None) -> Path:
    """A headline, optional paragraphs around one table (ruled or only aligned)."""
    items: list = [("title", title)]
    items += [before] if before else []
    items.append(("table" if ruled else "plain_table", rows))
    items += [after] if after else []
    return make_pdf(path, [items])


def make_encrypted_pdf(path: str | Path, user_password: str = "hemligt") -> Path:
    from reportlab.lib.pdfencrypt import StandardEncryption

    enc = StandardEncryption(user_password, ownerPassword="ägare", canPrint=0)
    return make_pdf(path, [[("title", "Avtal om stöd till föreningen"), "Texten är skyddad med lösenord."]], encrypt=enc)


def make_image_only_pdf(path: str | Path, pages: int = 1) -> Path:
    """Pages with drawn shapes only, as a scan without OCR would look to a text reader."""
    c = _canvas(path)
    for _ in range(pages):
        c.setFillGray(0.6)
        c.rect(MARGIN, 300, 300, 400, fill=1, stroke=0)
        c.showPage()
    c.save()
    return Path(path)


def make_truncated_pdf(path: str | Path) -> Path:
    """A valid PDF cut in half."""
    path = Path(path)
    make_pdf(path, [[("title", "Samarbeidsavtale om frivilligsentral"), "Kommunen gir tilskudd."] * 3] * 2)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path
