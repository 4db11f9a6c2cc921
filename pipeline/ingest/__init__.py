"""Ingestion: any input file to one `Document`, with its language.

`read(path)` sniffs the format from the bytes and dispatches to one reader per
format; every reader returns the same document model.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from pathlib import Path

from pipeline import language
from pipeline.errors import IngestError, TooManyPages
from pipeline.ingest.blocks import sha256
from pipeline.ingest.sniff import sniff
from pipeline.models import Document, Source

__all__ = ["read", "read_bytes", "sniff"]


# Per-document limits of the current read (max_pages, max_parts), seen by the
# reads of attachments and container members nested in it.
_LIMITS: ContextVar[dict[str, int]] = ContextVar("ingest_limits", default={})
_TRUNCATED = re.compile(r"^read only the first (\d+) of (\d+) pages$")


def read(path: str | Path, *, max_pages: int | None = None, max_parts: int | None = None) -> Document:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(str(path), f"cannot read the file: {exc.strerror or exc}") from exc
    return read_bytes(data, path=str(path), doc_id=path.stem, max_pages=max_pages, max_parts=max_parts)


def read_bytes(
    data: bytes,
    *,
    path: str,
    doc_id: str,
    name: str | None = None,
    part: str | None = None,
    detect_language: bool = True,
    kind: str | None = None,
    max_pages: int | None = None,
    max_parts: int | None = None,
) -> Document:
    """Read one document from bytes. `path` is the file the bytes came from (for
    messages); `name` and `part` say where inside a container they sat.

    `kind` forces a reader (an mbox message is an email whatever it looks like).
    `max_pages` (PDF) and `max_parts` (MIME parts of an email) are limits: a
    document over one raises a LimitExceeded error (TooManyPages, TooManyParts);
    they hold for the attachments read inside this document too."""
    where = path if name is None else f"{path} [{name}]"
    kind = kind or sniff(data, where)
    fmt = {"mbox": "email", "warc": "html"}.get(kind, kind)  # containers: their members carry their own format
    source = Source(path=path, sha256=sha256(data), size=len(data), format=fmt, name=name, part=part)
    limits = dict(_LIMITS.get())
    limits.update({k: v for k, v in (("max_pages", max_pages), ("max_parts", max_parts)) if v is not None})
    token = _LIMITS.set(limits)
    try:
        doc = _reader(kind)(data, source=source, doc_id=doc_id, **_limit_args(kind, limits))
    finally:
        _LIMITS.reset(token)
    if kind == "pdf" and "max_pages" in limits:
        for warning in doc.warnings:
            if m := _TRUNCATED.match(warning):
                raise TooManyPages(where, f"the PDF has {m.group(2)} pages, more than the limit of {m.group(1)}")
    if detect_language:
        for d in doc.walk():
            language.detect(d)
    return doc


def _limit_args(kind: str, limits: dict[str, int]) -> dict[str, int]:
    if kind == "pdf" and "max_pages" in limits:
        return {"max_pages": limits["max_pages"]}
    if kind in ("email", "mbox") and "max_parts" in limits:
        return {"max_parts": limits["max_parts"]}
    return {}


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
    if kind == "warc":
        from pipeline.ingest.warc import read_warc

        return read_warc
    from pipeline.ingest.text import read_text

    return read_text
