"""Plain text (often text scraped from a web page, chrome included)."""

from __future__ import annotations

import re

from pipeline.errors import EmptyDocument
from pipeline.ingest.blocks import ContentBuilder, clean_text
from pipeline.ingest.boilerplate import has_chrome_phrase, looks_like_navigation
from pipeline.ingest.charset import decode
from pipeline.ingest.headline import choose_published, choose_title, headline_text, is_contact, labelled_title
from pipeline.models import Document, Source

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n")


def add_paragraphs(builder: ContentBuilder, text: str, *, part: str | None = None, page: int | None = None) -> None:
    """Split text on blank lines and add each paragraph as a classified block."""
    for raw in _PARAGRAPH_BREAK.split(text.replace("\r\n", "\n").replace("\r", "\n")):
        paragraph = clean_text(raw)
        if not paragraph:
            continue
        # A signature ("Ane Vestergaard / SSP-koordinator, Roskilde Kommune / Tlf. ...") has the short
        # lines of a menu; a named person with a phone or mail makes it a contact block.
        if has_chrome_phrase(paragraph):
            kind = "boilerplate"
        elif is_contact(paragraph):
            kind = "contact"
        elif looks_like_navigation(paragraph):
            kind = "boilerplate"
        else:
            kind = "body"
        builder.add(kind, paragraph, part=part, page=page, clean=False)


def finish(doc_id: str, source: Source, builder: ContentBuilder, **fields) -> Document:
    """Pick headline and date where the reader has none, and build the document."""
    title = fields.pop("title", None)
    published = fields.pop("published", None)
    if title is None and (labelled := labelled_title(builder.blocks)):
        block, title = labelled
        block.kind = "title"
    if title is None:
        block = choose_title(builder.blocks)
        if block is not None:
            block.kind = "title"
            title = headline_text(block.text)
    else:
        for block in builder.blocks:
            if block.kind != "boilerplate" and block.text == title:
                block.kind = "title"
                break
    if published is None:
        published = choose_published(builder.blocks)
    return Document(
        id=doc_id, source=source, title=title, published=published,
        content=builder.content, blocks=builder.blocks, **fields,
    )


def read_text(data: bytes, *, source: Source, doc_id: str) -> Document:
    text, encoding = decode(data)
    builder = ContentBuilder()
    add_paragraphs(builder, text)
    if not builder.blocks:
        raise EmptyDocument(source.path, "the file holds no text")
    return finish(doc_id, source, builder, metadata={"encoding": encoding})
