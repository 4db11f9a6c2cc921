"""Deciding a file's format from its bytes, not its name."""

from __future__ import annotations

import re
import zlib

from pipeline.errors import EmptyDocument, UnsupportedFormat

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_HTML_START = re.compile(
    rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title|div|p|table|h1|article|section)\b",
    re.IGNORECASE | re.DOTALL,
)
_HTML_ANYWHERE = re.compile(rb"<(html|body|head)\b[^>]*>|</(p|div|table|body|html)>", re.IGNORECASE)
_HEADER_LINE = re.compile(rb"^([A-Za-z][A-Za-z0-9-]{1,40}):[ \t]?[^\r\n]*\r?$")
_MAIL_HEADERS = {
    b"from", b"to", b"subject", b"date", b"message-id", b"mime-version", b"content-type",
    b"received", b"return-path", b"delivered-to", b"reply-to", b"cc", b"x-mailer", b"content-transfer-encoding",
}
_CONTROL_BYTES = bytes(c for c in range(32) if c < 9 or c > 13)
_MBOX_FROM = re.compile(rb"^From \S+ .*\d{4}\s*$|^From \S+\s*$|^From - ")


def _is_binary(head: bytes) -> bool:
    """Mostly control bytes. Stray NULs in otherwise readable text (a broken export)
    do not make it binary: the readers drop control characters."""
    sample = head[:4096]
    if not sample:
        return False
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls / len(sample) > 0.05


def _looks_like_mail(head: bytes) -> bool:
    """RFC 5322: the message starts with header lines, several of them mail headers."""
    lines = head.split(b"\n", 60)[:60]
    known = 0
    for line in lines:
        if line.strip() == b"":
            break
        if line[:1] in (b" ", b"\t"):  # folded continuation
            continue
        m = _HEADER_LINE.match(line)
        if not m:
            return False
        if m.group(1).lower() in _MAIL_HEADERS:
            known += 1
    return known >= 2


def is_warc(head: bytes) -> bool:
    """A WARC file (`WARC/1.0` record header), plain or gzip-compressed record by record."""
    if head.startswith(b"WARC/"):
        return True
    if head[:2] == b"\x1f\x8b":
        try:
            return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head[:16384], 16).startswith(b"WARC/")
        except zlib.error:
            return False
    return False


def sniff(data: bytes, path: str = "<bytes>") -> str:
    """Return 'pdf', 'warc', 'email', 'mbox', 'html' or 'text'; raise for empty or binary junk."""
    if not data.strip():
        raise EmptyDocument(path, "the file is empty")
    head = data[:65536]
    if head.lstrip()[:5] == b"%PDF-" or b"%PDF-" in head[:1024]:
        return "pdf"
    if is_warc(head):
        return "warc"
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom):]
            break
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(head) > 1 and head[1:2] == b"\x00"):
        text = head.decode("utf-16", errors="replace").encode("utf-8")
        head = text
    if _is_binary(head):
        raise UnsupportedFormat(path, "binary data that is not PDF, HTML, email or text")
    first_line = head.lstrip(b"\r\n").split(b"\n", 1)[0]
    if _MBOX_FROM.match(first_line.rstrip(b"\r")) and _looks_like_mail(head.lstrip(b"\r\n").split(b"\n", 1)[1] if b"\n" in head else b""):
        return "mbox"
    if _looks_like_mail(head.lstrip(b"\r\n")):
        return "email"
    if _HTML_START.match(head) or len(_HTML_ANYWHERE.findall(head)) >= 2:
        return "html"
    return "text"
