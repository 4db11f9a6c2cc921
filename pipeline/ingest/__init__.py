"""Ingestion: any input file to one `Document`, with its language.

`read(path)` sniffs the format from the bytes and dispatches to one reader per
format; every reader returns the same document model.
"""

from __future__ import annotations

from pathlib import Path

from pipeline import language
from pipeline.errors import IngestError
from pipeline.ingest.blocks import sha256
from pipeline.ingest.sniff import sniff
from pipeline.models import Document, Source

__all__ = ["read", "read_bytes", "sniff"]


def read(path: str | Path) -> Document:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(str(path), f"cannot read the file: {exc.strerror or exc}") from exc
    return read_bytes(data, path=str(path), doc_id=path.stem)


def read_bytes(
    data: bytes,
    *,
    path: str,
    doc_id: str,
    name: str | None = None,
    part: str | None = None,
    detect_language: bool = True,
) -> Document:
    """Read one document from bytes. `path` is the file the bytes came from (for
    messages); `name` and `part` say where inside a container they sat."""
    kind = sniff(data, path if name is None else f"{path} [{name}]")
    fmt = "email" if kind == "mbox" else kind
    source = Source(path=path, sha256=sha256(data), size=len(data), format=fmt, name=name, part=part)
    reader = _reader(kind)
    doc = reader(data, source=source, doc_id=doc_id)
    if detect_language:
        for d in doc.walk():
            language.detect(d)
    return doc


def _reader(kind: str):
    # Imported lazily: a run over HTML never pays for loading the PDF stack.
    if kind == "html":
        from pipeline.ingest.html import read_html

        return read_html
    if kind == "pdf":
        from pipeline.ingest.pdf import read_pdf

        return read_pdf
    if kind == "email":
        from pipeline.ingest.mail import read_email

        return read_email
    if kind == "mbox":
        from pipeline.ingest.mail import read_mbox

        return read_mbox
    from pipeline.ingest.text import read_text

    return read_text
