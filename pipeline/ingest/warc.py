"""WARC archives as scrapers write them (plain or `.warc.gz`), read with warcio.

Each `response` record with HTTP status 200 and an HTML or PDF body is one
document: its body (de-chunked, content-encoding undone) is read by the same
readers as a file, and its target URI and WARC date are kept in the
document's metadata (`url`, `warc_date`, `warc_record_id`, `content_type`).
Requests, metadata, revisits, other statuses (404, 301...) and other media
types (images, CSS, JSON...) are passed over. The document's published date
stays what its reader finds in the body.

Records are numbered by their position among the file's response records
(1-based), so a record keeps its number whatever is passed over: document ids
are `<warc stem>-<number, 5 digits>`.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from pipeline.errors import EmptyDocument, IngestError
from pipeline.models import Document, Source

_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_PDF_TYPES = {"application/pdf", "application/x-pdf"}
_GENERIC = {"", "application/octet-stream", "binary/octet-stream", "application/x-download",
            "application/force-download", "text/plain"}
_SNIFF_BYTES = 65536


@dataclass
class WarcResponse:
    """One response record worth reading: an HTML or PDF body."""

    n: int  # position among the file's response records, 1-based
    uri: str
    date: str | None
    record_id: str | None
    content_type: str
    body: bytes | None  # None when longer than `max_bytes` (see `size`) or unreadable (see `problem`)
    size: int  # bytes of the body read (at least max_bytes + 1 when too long)
    problem: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)


def warc_stem(name: str) -> str:
    """`crawl.warc.gz` -> `crawl`."""
    lower = name.lower()
    for suffix in (".warc.gz", ".warc", ".arc.gz", ".arc", ".gz"):
        if lower.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name.rsplit(".", 1)[0] if "." in name[1:] else name


def _read_up_to(stream, n: int) -> bytes:  # noqa: ANN001 - a warcio reader
    chunks, got = [], 0
    while got < n:
        chunk = stream.read(min(n - got, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _kind(content_type: str, head: bytes) -> str | None:
    """'html' or 'pdf' when the record is worth reading, from its Content-Type and its first bytes."""
    from pipeline.ingest.sniff import sniff

    if content_type in _PDF_TYPES or head.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if content_type in _HTML_TYPES or content_type in _GENERIC:
        try:
            found = sniff(head)
        except IngestError:
            return None
        if found in ("html", "pdf"):
            return found
        return "html" if content_type in _HTML_TYPES else None
    return None


def iter_warc(stream: BinaryIO, *, max_bytes: int | None = None) -> Iterator[WarcResponse]:
    """The HTML and PDF responses of a WARC stream, in file order."""
    from warcio.archiveiterator import ArchiveIterator

    n = 0
    try:
        for record in ArchiveIterator(stream, arc2warc=True):
            if record.rec_type != "response":
                continue
            n += 1
            http = record.http_headers
            if http is None or http.get_statuscode() != "200":
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI") or ""
            ctype = (http.get_header("Content-Type") or "").split(";")[0].strip().lower()
            meta = {"url": uri, "warc_date": record.rec_headers.get_header("WARC-Date") or "",
                    "warc_record_id": record.rec_headers.get_header("WARC-Record-ID") or "", "content_type": ctype}
            meta = {k: v for k, v in meta.items() if v}
            common = dict(n=n, uri=uri, date=meta.get("warc_date"), record_id=meta.get("warc_record_id"),
                          content_type=ctype, metadata=meta)
            try:
                content = record.content_stream()
                head = _read_up_to(content, _SNIFF_BYTES)
                if not head.strip() or _kind(ctype, head) is None:
                    continue
                limit = max_bytes if max_bytes is not None else 1 << 62
                rest = _read_up_to(content, limit + 1 - len(head)) if len(head) <= limit else b""
            except Exception as exc:  # noqa: BLE001 - a broken body (bad gzip, chunking) is that record's problem
                yield WarcResponse(**common, body=None, size=0, problem=f"cannot read the record's body: {type(exc).__name__}: {exc}")
                continue
            body = head + rest
            if max_bytes is not None and len(body) > max_bytes:
                yield WarcResponse(**common, body=None, size=len(body))
            else:
                yield WarcResponse(**common, body=body, size=len(body))
    except Exception as exc:  # noqa: BLE001 - a truncated or damaged archive: what was read stands
        raise IngestError(getattr(stream, "name", "<warc>"), f"cannot read the WARC archive after {n} responses: "
                          f"{type(exc).__name__}: {exc}") from exc


def read_warc(data: bytes, *, source: Source, doc_id: str) -> Document:
    """A WARC file as a container: one child document per HTML or PDF response."""
    from pipeline.ingest import read_bytes

    children: list[Document] = []
    warnings: list[str] = []
    stem = doc_id[: -len(".warc")] if doc_id.lower().endswith(".warc") and len(doc_id) > 5 else doc_id  # x.warc.gz
    try:
        for rec in iter_warc(io.BytesIO(data)):
            child_id = f"{stem}-{rec.n:05d}"
            if rec.body is None:
                warnings.append(f"{source.path}: record {rec.n} ({rec.uri}) skipped: {rec.problem or 'too large'}")
                continue
            try:
                child = read_bytes(rec.body, path=source.path, doc_id=child_id, name=rec.uri, part=str(rec.n),
                                   detect_language=False)
            except IngestError as exc:
                warnings.append(f"{source.path}: record {rec.n} ({rec.uri}) skipped: {exc.reason}")
                continue
            child.metadata.update(rec.metadata)
            children.append(child)
    except IngestError as exc:
        if not children:
            raise IngestError(source.path, exc.reason) from exc
        warnings.append(f"{source.path}: {exc.reason}")
    if not children:
        raise EmptyDocument(source.path, "the WARC archive holds no HTTP 200 response with an HTML or PDF body")
    return Document(id=doc_id, source=source, container=True, children=children, warnings=warnings,
                    metadata={"documents": str(len(children))})
