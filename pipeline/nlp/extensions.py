"""Custom attributes our components fill in.

Span groups in `doc.spans` hold one kind of fact each ("money", "date",
"period", "duration", "phone", "email", "org", "person", "role"); a span's
normalised value sits in `span._.value`.
"""

from spacy.tokens import Doc, Span

if not Span.has_extension("value"):
    Span.set_extension("value", default=None)
if not Doc.has_extension("context"):
    # What the document tells the components: language, country, publication date.
    Doc.set_extension("context", default=None)
