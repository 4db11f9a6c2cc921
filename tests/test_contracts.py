"""The pydantic contracts refuse a document whose blocks do not point into its content."""

import pytest
from pydantic import ValidationError

from pipeline.models import Block, Document, Result, Source

SRC = Source(path="x.html", sha256="0" * 64, size=1, format="html")


def test_block_must_quote_its_span_of_the_content():
    ok = Document(id="x", source=SRC, content="Aftale\n\nTekst", blocks=[Block(kind="body", start=8, end=13, text="Tekst")])
    assert ok.blocks[0].text == "Tekst"
    with pytest.raises(ValidationError, match=r"block body \[8:13\] does not match content"):
        Document(id="x", source=SRC, content="Aftale\n\nTekst", blocks=[Block(kind="body", start=8, end=13, text="Tekstx")])
    with pytest.raises(ValidationError, match="does not match content"):
        Document(id="x", source=SRC, content="Aftale", blocks=[Block(kind="body", start=0, end=9, text="Aftale")])


def test_a_checked_document_goes_into_a_result_as_it_is():
    doc = Document(id="x", source=SRC, content="Tekst", blocks=[Block(kind="body", start=0, end=5, text="Tekst")])
    result = Result(id="x", status="ok", pipeline_version="t", document=doc)
    assert result.document is doc
