"""Ingestion against the dev corpus gold files: format, language, published, title."""

import pytest

from pipeline import ingest
from conftest import dev_documents, gold_for, requires_dev

DOCS = dev_documents(".html", ".eml", ".pdf", ".txt")


def _norm(title):
    return " ".join(title.casefold().split()) if title else title


@requires_dev
@pytest.mark.parametrize("path", DOCS, ids=[p.name for p in DOCS])
def test_document_header_fields_match_gold(path):
    gold = gold_for(path)
    doc = ingest.read(path)
    assert doc.format == gold["format"]
    assert doc.language == gold["language"] or (gold["language"] == "no" and doc.language in ("nb", "nn"))
    assert (doc.published.isoformat() if doc.published else None) == gold["published"]
    assert _norm(doc.title) == _norm(gold["title"])
