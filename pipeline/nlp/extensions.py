"""Custom attributes our components fill in.

Span groups in `doc.spans` hold one kind of fact each ("money", "date",
"period", "duration", "phone", "email", "org", "person", ...); a span's
normalised value sits in `span._.value`.

spaCy keys plain extension values by character offsets only, so a date and a
period over the same words would overwrite each other's value. Our `value`
is keyed by the span's label as well: components label each span with its
group name (`doc.char_span(s, e, label="period")`).
"""

from spacy.tokens import Doc, Span

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
