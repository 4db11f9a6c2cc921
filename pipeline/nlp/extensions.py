"""Custom attributes our components fill in.

Span groups in `doc.spans` hold one kind of fact each ("money", "date",
"period", "duration", "phone", "email", "org", "person", ...); a span's
normalised value sits in `span._.value`.

spaCy keys plain extension values by character offsets only, so a date and a
period over the same words would overwrite each other's value. Our `value`
is keyed by the span's label as well: components label each span with its
group name (`doc.char_span(s, e, label="period")`).
"""

import json

from spacy.tokens import Doc, Span
from spacy.util import ensure_path

_KEY = "agreements.value"


def _get(span: Span):
    return span.doc.user_data.get((_KEY, span.label, span.start_char, span.end_char))


def _set(span: Span, value) -> None:
    span.doc.user_data[(_KEY, span.label, span.start_char, span.end_char)] = value


_TEXT = "agreements.text"


def doc_text(doc: Doc) -> str:
    """doc.text computed once per Doc: spaCy rebuilds it from every token on each
    access, which costs more than all our patterns together."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


def content_ranges(doc: Doc, text: str) -> list[tuple[int, int]]:
    """The stretches of `text` that hold the document's own content, from
    `doc._.context["content"]` (set by extraction; chrome lies between them),
    else the whole text. Each stretch runs on to the end of its line (and
    takes in the blank lines to the next), so a pattern that cannot match a
    line break finds there exactly what it finds in the whole text."""
    ranges = doc._.context.get("content") if isinstance(doc._.context, dict) else None
    if ranges is None:
        return [(0, len(text))]
    out: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        nl = text.find("\n", end)
        end = len(text) if nl < 0 else nl
        # Next to the previous stretch (blank lines between): one stretch.
        if out and (start <= out[-1][1] or not text[out[-1][1]:start].strip()):
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def set_doc_text(doc: Doc, text: str) -> Doc:
    """Record the text a Doc was made from (the tokenizer keeps every character,
    so it equals doc.text), sparing doc_text the rebuild."""
    doc.user_data[_TEXT] = text
    return doc


def put_spans(doc: Doc, key: str, items) -> None:
    """doc.spans[key] from (start_char, end_char, value) triples, widened to whole
    tokens and labelled `key`. Two facts of one group widened to the same tokens
    would share a value: the later one is left out rather than given a wrong value."""
    spans = []
    for start, end, value in items:
        span = doc.char_span(start, end, label=key, alignment_mode="expand")
        if span is None:
            continue
        if span._.value is not None and span._.value != value:
            continue
        span._.value = value
        spans.append(span)
    doc.spans[key] = spans


if not Span.has_extension("value"):
    Span.set_extension("value", getter=_get, setter=_set)
if not Doc.has_extension("context"):
    # What the document tells the components: language, country, publication date.
    Doc.set_extension("context", default=None)


def write_data(path, name: str, data) -> None:
    """A component's word lists into its folder of a saved model (to_disk)."""
    path = ensure_path(path)
    path.mkdir(parents=True, exist_ok=True)
    (path / name).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def read_data(path, name: str):
    """A component's word lists from a saved model (from_disk)."""
    return json.loads((ensure_path(path) / name).read_text(encoding="utf-8"))
