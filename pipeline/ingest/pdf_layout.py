"""Page geometry for the PDF reader: words to lines, columns, aligned tables
and paragraphs. Works on plain word boxes (pdf.py makes them from pdfium's
characters), so it never touches a PDF library.

Coordinates are pdfplumber's: x grows to the right, `top` grows downwards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median

_BOLD = re.compile(r"bold|black|heavy|semibold|demi|,b\b", re.IGNORECASE)
_LIST_MARK = re.compile(r"^([-–—•·▪*]|\d{1,2}[.)]|[a-h][.)]|§\s*\d)\s")
_SIGN_LINE = re.compile(r"[._]{8,}")
_LABEL = re.compile(r"^[A-ZÆØÅÄÖ][\w.-]*(?: [\w.-]+){0,2}:\s")  # "Tlf.: ", "Trykte vedlegg: "
_JOINERS = frozenset({"og", "och", "and", "eller", "or", "samt", "und", "&", "til", "till", "to"})


@dataclass(slots=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool


@dataclass(slots=True)
class Line:
    words: list[Word]
    text: str = ""
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    size: float = 0.0
    bold: bool = False

    def __post_init__(self) -> None:
        ws = sorted(self.words, key=lambda w: w.x0)
        self.words = ws
        parts = [ws[0].text]
        for a, b in zip(ws, ws[1:]):
            # Words split by a font change touch; real spaces leave a gap.
            parts.append(("" if b.x0 - a.x1 < 0.12 * max(a.size, 1) else " ") + b.text)
        self.text = "".join(parts)
        self.x0, self.x1 = ws[0].x0, max(w.x1 for w in ws)
        self.top, self.bottom = min(w.top for w in ws), max(w.bottom for w in ws)
        weight = {}
        for w in ws:
            weight[w.size] = weight.get(w.size, 0) + len(w.text)
        self.size = max(weight, key=weight.get)
        self.bold = sum(len(w.text) for w in ws if w.bold) * 2 > sum(len(w.text) for w in ws)


@dataclass(slots=True)
class Table:
    rows: list[list[str]]
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass(slots=True)
class _Row:
    words: list[Word] = field(default_factory=list)
    top: float = 0.0
    bottom: float = 0.0
    table: Table | None = None

    @property
    def x0(self) -> float:
        return self.table.x0 if self.table else self.words[0].x0

    @property
    def boxes(self) -> list[tuple[float, float]]:
        return [(self.table.x0, self.table.x1)] if self.table else [(w.x0, w.x1) for w in self.words]


def group_rows(words: list[Word]) -> list[list[Word]]:
    """Words sharing a baseline band, top to bottom, each row left to right."""
    rows: list[list[Word]] = []
    band = (0.0, -1.0)
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        mid = (w.top + w.bottom) / 2
        if rows and band[0] <= mid <= band[1]:
            rows[-1].append(w)
        else:
            rows.append([w])
            band = (w.top, w.bottom)
    for r in rows:
        r.sort(key=lambda w: w.x0)
    return rows


def segments(words: list[Word], gap: float) -> list[list[Word]]:
    """Split a row where the horizontal gap is wider than `gap`."""
    out = [[words[0]]]
    for a, b in zip(words, words[1:]):
        if b.x0 - a.x1 > gap:
            out.append([])
        out[-1].append(b)
    return out


def _free(boxes: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Empty x-ranges of a row, the open ends included."""
    free, right = [], float("-inf")
    for x0, x1 in sorted(boxes):
        if x0 > right:
            free.append((right, x0))
        right = max(right, x1)
    free.append((right, float("inf")))
    return free


def _crosses(boxes: list[tuple[float, float]], gutter: tuple[float, float]) -> bool:
    return any(x0 < gutter[1] - 0.5 and x1 > gutter[0] + 0.5 for x0, x1 in boxes)


def _sides(boxes: list[tuple[float, float]], gutter: tuple[float, float]) -> tuple[bool, bool]:
    return any(x1 <= gutter[0] + 0.5 for _, x1 in boxes), any(x0 >= gutter[1] - 0.5 for x0, _ in boxes)


def _aligned_table(rows: list[_Row], start: int, gap: float) -> tuple[int, Table] | None:
    """Rows of three or more short cells whose columns line up: an unruled table.
    Returns the index after its last row and the table."""
    first = rows[start]
    if first.table or any(not w.text for w in first.words):
        return None
    segs = segments(first.words, gap)
    if len(segs) < 3:
        return None
    cols = [(s[0].x0, max(w.x1 for w in s)) for s in segs]
    cells = [[Line(s).text for s in segs]]
    end, full_rows = start + 1, 1
    while end < len(rows) and not rows[end].table and all(w.text for w in rows[end].words):
        row_segs = segments(rows[end].words, gap)
        placed: dict[int, list[str]] = {}
        for s in row_segs:
            x0, x1 = s[0].x0, max(w.x1 for w in s)
            hit = [i for i, (c0, c1) in enumerate(cols) if x0 < c1 + gap / 2 and x1 > c0 - gap / 2]
            if len(hit) != 1:
                break
            placed.setdefault(hit[0], []).append(Line(s).text)
        else:
            if rows[end].top - rows[end - 1].bottom > 2.5 * max(w.size for w in rows[end].words):
                break
            if len(placed) == len(cols):
                cells.append([" ".join(placed.get(i, [])) for i in range(len(cols))])
                full_rows += 1
            elif 0 not in placed:  # a wrapped cell continues the row above
                for i, texts in placed.items():
                    cells[-1][i] = f"{cells[-1][i]} {' '.join(texts)}".strip()
            else:
                break
            end += 1
            continue
        break
    body = [c for row in cells[1:] for c in row if c]
    words_per_cell = sum(len(c.split()) for c in body) / max(1, len(body))
    # Narrow text columns also line up; their lines mostly go on in lower case.
    running = sum(1 for c in body if c[:1].islower())
    if full_rows < 2 or words_per_cell > 4.5 or running * 2 >= len(body):
        return None
    span = rows[start:end]
    table = Table(cells, min(r.x0 for r in span), max(w.x1 for r in span for w in r.words),
                  span[0].top, span[-1].bottom)
    return end, table


def _column_region(rows: list[_Row], start: int, width: float, gap: float):
    """A run of rows that one vertical gutter splits, at least two of them with
    text on both sides, or None. Returns (end, gutter)."""
    first = rows[start]
    if first.table:
        return None
    min_width = max(gap / 2, 5.0)
    starts = [(a, b) for a, b in _free(first.boxes)
              if b - a >= gap and a > float("-inf") and b < float("inf") and a < 0.8 * width and b > 0.2 * width]
    for gutter in starts:
        two_sided, end = 1, start + 1
        while end < len(rows):
            best = None
            for a, b in _free(rows[end].boxes):
                lo, hi = max(a, gutter[0]), min(b, gutter[1])
                if hi - lo >= min_width and (best is None or hi - lo > best[1] - best[0]):
                    best, both = (lo, hi), a > float("-inf") and b < float("inf")
            if best is None:
                break
            gutter, two_sided, end = best, two_sided + both, end + 1
        if two_sided >= 2:
            return end, gutter
    return None


def _is_prose(rows: list[_Row], gutter: tuple[float, float], width: float) -> bool:
    """Text columns are wide, hold several words a line, and their lines wrap
    (the next line's first word would not have fitted); key/value pairs and
    signature blocks do not. A table beside the gutter counts as text."""
    left = [[w for w in r.words if w.x1 <= gutter[0] + 0.5] for r in rows if not r.table]
    left = [ws for ws in left if ws]
    if not left:
        return True
    x0 = min(ws[0].x0 for ws in left)
    text = [ws for ws in left if all(w.text for w in ws)]
    if gutter[0] - x0 < 0.2 * width or sum(len(ws) for ws in text) < 3 * len(text):
        return False
    wraps = [a[-1].x1 + 0.3 * a[-1].size + b[0].x1 - b[0].x0 >= gutter[0] - 0.5 * a[-1].size
             for a, b in zip(text, text[1:])]
    return sum(wraps) * 2 >= len(wraps)


def _is_signature(rows: list[_Row]) -> bool:
    return any(len([w for w in r.words if _SIGN_LINE.search(w.text)]) >= 2 for r in rows)


def _split(rows: list[_Row], gutter: tuple[float, float]) -> tuple[list, list]:
    left: list = []
    right: list = []
    for r in rows:
        if r.table:
            (left if r.table.x1 <= gutter[0] + 0.5 else right).append(r.table)
            continue
        left.extend(w for w in r.words if w.x1 <= gutter[0] + 0.5)
        right.extend(w for w in r.words if w.x0 >= gutter[1] - 0.5)
    return left, right


def _pairs_table(rows: list[_Row], gutter: tuple[float, float]) -> Table:
    """Two-column key/value rows; a row with an empty key continues the one above."""
    cells: list[list[str]] = []
    for r in rows:
        left = [w for w in r.words if w.x1 <= gutter[0] + 0.5]
        right = [w for w in r.words if w.x0 >= gutter[1] - 0.5]
        pair = [Line(left).text if left else "", Line(right).text if right else ""]
        if cells and not pair[0]:
            cells[-1][1] = f"{cells[-1][1]} {pair[1]}".strip()
        else:
            cells.append(pair)
    words = [w for r in rows for w in r.words]
    return Table(cells, min(w.x0 for w in words), max(w.x1 for w in words), rows[0].top, rows[-1].bottom)


class Flow(list):
    """Lines and tables in reading order; `right` is the column's right edge,
    which tells a soft wrap from a line ended on purpose."""

    right: float = 0.0


def _make_flow(items: list, right: float) -> Flow:
    flow = Flow(items)
    flow.right = right
    return flow


def order_page(words: list[Word], tables: list[Table], width: float, right: float | None = None,
               depth: int = 0) -> list[Flow]:
    """Reading order. Full-width stretches read top to bottom; a stretch split
    by a gutter reads its left column, then its right (each split again, so
    three columns work too). `right` is the text's right edge."""
    if not words and not tables:
        return []
    size = median(w.size for w in words) if words else 10.0
    gap = max(1.5 * size, 8.0)
    page_right = right if right is not None else max([w.x1 for w in words] + [t.x1 for t in tables])
    rows = [_Row(r, min(w.top for w in r), max(w.bottom for w in r)) for r in group_rows(words)]
    for t in tables:
        # A table beside a column of text occupies the rows it spans.
        for r in rows:
            if r.top < t.bottom and r.bottom > t.top:
                r.words.append(Word("", t.x0, t.x1, r.top, r.bottom, 0.0, False))
    rows.extend(_Row([], t.top, t.bottom, t) for t in tables)
    rows.sort(key=lambda r: (r.top, r.x0))
    for r in rows:
        r.words.sort(key=lambda w: w.x0)

    flows: list[Flow] = []
    plain: list[_Row] = []

    def flush_plain() -> None:
        if plain:
            flows.append(_make_flow(_lines_and_tables(plain), page_right))
            plain.clear()

    i = 0
    while i < len(rows):
        found = _aligned_table(rows, i, gap)
        if found:
            flush_plain()
            i, table = found
            flows.append(_make_flow([table], page_right))
            continue
        region = _column_region(rows, i, width, gap)
        if region:
            end, gutter = region
            # Rows just above that overlap the first split row belong to it (a table beside a heading).
            while plain and plain[-1].bottom > rows[i].top and not _crosses(plain[-1].boxes, gutter):
                i -= 1
                plain.pop()
            flush_plain()
            span = rows[i:end]
            signature = _is_signature(span)
            prose = not signature and _is_prose(span, gutter, width)
            if prose or signature:
                left, right = _split(span, gutter)
                # A long text column ends at the gutter; a few short lines say little about its edge.
                long = prose and sum(_sides(r.boxes, gutter)[0] for r in span) >= 5
                edge = gutter[0] if long else max(gutter[0], gutter[1] - gap)
                for items, r in ((left, edge), (right, page_right)):
                    if depth < 2:
                        ws = [w for w in items if isinstance(w, Word) and w.text]
                        flows.extend(order_page(ws, [t for t in items if isinstance(t, Table)], width, r, depth + 1))
                    elif items:
                        flows.append(_flow(items, r))
            else:
                flows.append(_make_flow([_pairs_table(span, gutter)], page_right))
            i = end
            continue
        plain.append(rows[i])
        i += 1
    flush_plain()
    return flows


def _lines_and_tables(rows: list[_Row]) -> list[Line | Table]:
    out: list[Line | Table] = []
    for r in rows:
        if r.table:
            out.append(r.table)
        else:
            real = [w for w in r.words if w.text]
            if real:
                out.append(Line(real))
    return out


def _flow(items: list, right: float) -> Flow:
    words = [w for w in items if isinstance(w, Word) and w.text]
    tables = [t for t in items if isinstance(t, Table)]
    out: list[Line | Table] = [Line(r) for r in group_rows(words)] + tables
    out.sort(key=lambda x: x.top)
    return _make_flow(out, right)


def typical_pitch(flows: list[list[Line | Table]]) -> dict[float, float]:
    """Median distance between baselines of consecutive same-size lines, per size."""
    seen: dict[float, list[float]] = {}
    for flow in flows:
        for a, b in zip(flow, flow[1:]):
            if isinstance(a, Line) and isinstance(b, Line) and a.size == b.size:
                d = b.top - a.top
                if 0 < d < 2.5 * a.size:
                    seen.setdefault(a.size, []).append(d)
    return {s: median(d) for s, d in seen.items()}


def paragraphs(flow: Flow, pitch: dict[float, float]) -> list[list[Line] | Table]:
    """Group a flow's lines into paragraphs by vertical gaps, size, weight and list marks."""
    right = flow.right or max((x.x1 for x in flow if isinstance(x, Line)), default=0.0)
    out: list[list[Line] | Table] = []
    for item in flow:
        if isinstance(item, Table):
            out.append(item)
            continue
        prev = out[-1][-1] if out and isinstance(out[-1], list) else None
        if prev is None or _breaks(prev, item, pitch, right):
            out.append([item])
        else:
            out[-1].append(item)
    return out


def _soft(a: Line, b: Line, right: float) -> bool:
    """The line wrapped because the next line's first word did not fit after it."""
    if _SIGN_LINE.fullmatch(a.text) or _SIGN_LINE.fullmatch(b.text) or _LABEL.match(b.text):
        return False
    first = b.words[0]
    return a.x1 + 0.3 * a.size + (first.x1 - first.x0) >= right - 0.5 * a.size


def _breaks(a: Line, b: Line, pitch: dict[float, float], right: float) -> bool:
    if abs(a.size - b.size) > 0.4:
        return True
    step = pitch.get(a.size, 1.25 * a.size)
    if b.top - a.top > 1.3 * step or b.top < a.top:
        return True
    # A bold run-in lead-in wraps softly into lower-case text; a heading does not.
    if a.bold != b.bold and not (_soft(a, b, right) and b.text[:1].islower()):
        return True
    return bool(_LIST_MARK.match(b.text))


def join_lines(lines: list[Line], right: float = 0.0) -> str:
    """Soft wraps become spaces; lines ended on purpose keep their newline."""
    right = max([right] + [l.x1 for l in lines])
    text = lines[0].text
    for a, b in zip(lines, lines[1:]):
        if not _soft(a, b, right):
            text += "\n" + b.text
        elif re.search(r"[^\W\d_]-$", text) and b.text[:1].islower() and b.text.split()[0] not in _JOINERS:
            # A hyphen at a soft wrap splits one word ("organisa-" "tion").
            text = text[:-1] + b.text if text[-2:-1].islower() else text + b.text
        elif text.endswith(("-", "/")):
            text += ("" if b.text.split()[0] not in _JOINERS else " ") + b.text
        else:
            text += " " + b.text
    return text
