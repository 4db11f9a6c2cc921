"""Email messages and mbox files.

One message is one document: the body (HTML preferred over plain text) is the
content, attachments become child documents read by the other readers, and a
forwarded message is the content while the outer Date stays `published`.
"""

from __future__ import annotations

import binascii
import codecs
import email.utils
import re
from dataclasses import dataclass, field
from datetime import date
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from pipeline.errors import EmptyDocument, IngestError, TooManyParts
from pipeline.ingest.blocks import ContentBuilder, clean_text, sha256
from pipeline.ingest.boilerplate import is_chrome
from pipeline.ingest.charset import decode
from pipeline.ingest.headline import choose_published, choose_title, headline_text, is_contact
from pipeline.ingest.text import add_paragraphs
from pipeline.models import CONTENT_KINDS, Document, Source

__all__ = ["read_email", "read_mbox"]

_SUBSTANTIAL = 300  # characters of own text that make a cover note content
_FOOTER_MAX = 1500  # a trailing footer after a rule is at most this long
_READABLE = {"application/pdf", "application/x-pdf", "text/plain", "text/html", "application/xhtml+xml", "text/markdown"}
_GENERIC = {"application/octet-stream", "application/x-download", "application/force-download", "binary/octet-stream"}
_READABLE_EXT = re.compile(r"\.(pdf|html?|txt|md|eml)$", re.IGNORECASE)
_SINGLE_BYTE = {"us-ascii", "ascii", "iso-8859-1", "iso8859-1", "latin-1", "latin1", "windows-1252", "cp1252", "iso-8859-15"}


@dataclass
class _Seg:
    """A paragraph of a body on its way into the content string."""

    kind: str
    text: str
    part: str
    rows: list[list[str]] | None = None
    h1: bool = False


@dataclass
class _Found:
    """What a walk over MIME parts found: body paragraphs and pending parts."""

    segs: list[_Seg] = field(default_factory=list)
    attachments: list[tuple[str, EmailMessage]] = field(default_factory=list)
    messages: list[tuple[str, EmailMessage, str | None]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    html: bool = False

    def merge(self, other: _Found) -> None:
        self.segs += other.segs
        self.attachments += other.attachments
        self.messages += other.messages
        self.warnings += other.warnings
        self.html = self.html or other.html

    def richness(self) -> int:
        return _richness(self.segs)


@dataclass
class _Ctx:
    source: Source
    doc_id: str


def _richness(segs: list[_Seg]) -> int:
    return sum(len(s.text) for s in segs if s.kind in CONTENT_KINDS)


def _sub(path: str, i: int) -> str:
    return f"{path}.{i}" if path else str(i)


# --- parsing and headers -------------------------------------------------------


def _parse(data: bytes, path: str) -> EmailMessage:
    try:
        return BytesParser(policy=policy.default).parsebytes(data)
    except Exception as exc:  # the parser is lenient; anything it raises is a broken file
        raise IngestError(path, f"cannot parse the message: {type(exc).__name__}: {exc}") from exc


def _raw_header(msg: EmailMessage, name: str) -> str | None:
    for key, value in msg.raw_items():
        if key.lower() == name.lower():
            return value
    return None


def _header(msg: EmailMessage, name: str) -> str | None:
    """A header decoded from RFC 2047 words; raw 8-bit bytes decoded by charset detection."""
    raw = _raw_header(msg, name)
    if raw is None:
        return None
    try:
        value = str(msg[name])
    except Exception:  # a malformed structured header: fall back to the raw text
        value = raw
    if any("\udc80" <= ch <= "\udcff" for ch in raw):
        value, _ = decode(raw.encode("utf-8", "surrogateescape"))
    value = " ".join(value.split())
    return value or None


def _sent(msg: EmailMessage) -> date | None:
    """The Date header as a date in the sender's own timezone."""
    try:
        header = msg["Date"]
        moment = getattr(header, "datetime", None)
    except Exception:
        moment = None
    if moment is None:
        raw = _raw_header(msg, "Date")
        try:
            moment = email.utils.parsedate_to_datetime(raw) if raw else None
        except (TypeError, ValueError, IndexError):
            moment = None
    return moment.date() if moment is not None else None


def _filename(part: EmailMessage) -> str | None:
    try:
        name = part.get_filename()
    except Exception:
        return None
    if not name:
        return None
    return clean_text(name).replace("\n", " ") or None  # for display only, never a path


def _is_attachment(part: EmailMessage) -> bool:
    try:
        disposition = part.get_content_disposition()
    except Exception:
        disposition = None
    return disposition == "attachment" or _filename(part) is not None


def _payload(part: EmailMessage) -> bytes:
    try:
        data = part.get_payload(decode=True)
        base64ed = str(part.get("Content-Transfer-Encoding", "")).strip().lower() == "base64"
    except Exception:
        return b""
    if not isinstance(data, bytes):
        return b""
    if base64ed:
        # The stdlib returns the encoded text when base64 is one character too long
        # (a truncated mail); decode the whole quanta instead.
        raw = re.sub(rb"[^A-Za-z0-9+/]", b"", str(part.get_payload()).encode("ascii", "ignore"))
        if len(raw) % 4 == 1 and data.replace(b"\r", b"").replace(b"\n", b"") == raw:
            data = binascii.a2b_base64(raw[: len(raw) - 1])
    return data


def _known_charset(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


# --- walking the MIME tree -----------------------------------------------------


def _collect(msg: EmailMessage, prefix: str, ctx: _Ctx) -> _Found:
    found = _Found()
    _walk(msg, prefix if msg.is_multipart() else _sub(prefix, 1), ctx, found)
    return found


def _walk(part: EmailMessage, path: str, ctx: _Ctx, found: _Found) -> None:
    _visit(part, path, ctx, found)
    # After the visit: decoding the payload adds its own defects.
    for defect in part.defects:
        found.warnings.append(f"{ctx.source.path}: MIME defect in part {path or 'message'}: {type(defect).__name__}")


def _visit(part: EmailMessage, path: str, ctx: _Ctx, found: _Found) -> None:
    ctype = part.get_content_type()
    if ctype == "message/rfc822":  # before is_multipart(), which is true for it too
        inner = part.get_payload()
        inner = inner[0] if isinstance(inner, list) and inner else inner
        if isinstance(inner, EmailMessage):
            found.messages.append((path, inner, _filename(part)))
    elif part.is_multipart():
        kids = list(part.iter_parts())
        paths = [_sub(path, i) for i in range(1, len(kids) + 1)]
        if ctype == "multipart/alternative":
            found.merge(_alternative(kids, paths, ctx))
        else:
            for kid, kid_path in zip(kids, paths):
                _walk(kid, kid_path, ctx, found)
    elif ctype in ("text/plain", "text/html") and not _is_attachment(part):
        _text(part, path, ctx, found)
    else:
        found.attachments.append((path, part))


def _alternative(kids: list[EmailMessage], paths: list[str], ctx: _Ctx) -> _Found:
    """The richest alternative: the HTML unless it is empty next to the plain text."""
    options = []
    for kid, path in zip(kids, paths):
        option = _Found()
        _walk(kid, path, ctx, option)
        options.append(option)
    if not options:
        return _Found()
    html = [o for o in options if o.html and o.richness()]
    plain = [o for o in options if not o.html and o.richness()]
    if html and (not plain or html[-1].richness() >= 0.2 * plain[-1].richness()):
        chosen = html[-1]
    else:
        chosen = plain[-1] if plain else options[-1]
    chosen.warnings = [w for o in options for w in o.warnings]
    return chosen


def _text(part: EmailMessage, path: str, ctx: _Ctx, found: _Found) -> None:
    data = _payload(part)
    if not data.strip():
        return
    try:
        declared = part.get_content_charset()
    except Exception:
        declared = None
    if declared and not _known_charset(declared):
        found.warnings.append(f"{ctx.source.path}: part {path} declares unknown charset {declared!r}; detected instead")
    if part.get_content_subtype() == "html":
        text, _ = decode(data, declared, html=True)
        segs = _html_segments(text, path, ctx, found)
        found.html = found.html or bool(segs)
    else:
        text, _ = decode(data, declared)
        scratch = ContentBuilder()
        add_paragraphs(scratch, text)
        segs = [_Seg(b.kind, b.text, path) for b in scratch.blocks]
    found.segs += segs


def _html_segments(html: str, path: str, ctx: _Ctx, found: _Found) -> list[_Seg]:
    from pipeline.ingest.html import add_html

    scratch = ContentBuilder()
    try:
        page = add_html(scratch, html, path=ctx.source.path, part=path, email=True)
        h1 = " ".join(page.h1_block.text.split()) if page.h1_block is not None else None
    except IngestError:
        return []  # an empty HTML part: the plain alternative (if any) takes over
    except Exception as exc:
        found.warnings.append(f"{ctx.source.path}: HTML part {path} could not be read: {type(exc).__name__}: {exc}")
        return []
    found.warnings += [f"{ctx.source.path}: HTML part {path}: {w}" for w in page.warnings]
    segs = [_Seg(b.kind, b.text, path, b.rows) for b in page.blocks]
    if h1:
        target = next((s for s in segs if s.kind != "boilerplate" and " ".join(s.text.split()) == h1), None)
        if target is not None:
            target.h1 = True
    return segs


# --- forwarded messages ----------------------------------------------------------

_FWD_MARKER = re.compile(
    r"^[\s\-_=*>]*(?:begin |start på |början på |begynnelse på )?"
    r"(?:forwarded (?:message|e-?mail)|original message|videresendt (?:meddelelse|melding|besked|e-?post|e-?mail)"
    r"|vidarebefordrat (?:meddelande|brev|e-?postmeddelande)|oprindelig meddelelse|opprinnelig melding"
    r"|ursprungligt meddelande|weitergeleitete nachricht|ursprüngliche nachricht)\s*:?[\s\-_=*]*$",
    re.IGNORECASE,
)
_FWD_LABELS = {
    "from": "from", "fra": "from", "från": "from", "frå": "from", "von": "from", "afsender": "from", "avsender": "from",
    "avsändare": "from", "date": "date", "dato": "date", "datum": "date", "sent": "date", "sendt": "date",
    "skickat": "date", "gesendet": "date", "subject": "subject", "emne": "subject", "ämne": "subject",
    "betreff": "subject", "to": "to", "til": "to", "till": "to", "an": "to", "cc": "to", "kopi": "to",
    "kopia": "to", "bcc": "to", "reply-to": "to", "svar til": "to", "svara till": "to",
}
_FWD_LINE = re.compile(
    r"^\s*\**(" + "|".join(sorted(map(re.escape, _FWD_LABELS), key=len, reverse=True)) + r")\**\s*:\s*(.*)$",
    re.IGNORECASE,
)


def _header_run(lines: list[tuple[int, str]], start: int) -> tuple[dict[str, str], int]:
    """Forward header lines ("From: ...", "Emne: ...") from `start`; returns fields and the end index."""
    fields: dict[str, str] = {}
    k = start
    while k < len(lines):
        m = _FWD_LINE.match(lines[k][1])
        if not m:
            break
        fields.setdefault(_FWD_LABELS[m.group(1).lower()], m.group(2).strip())
        k += 1
    return fields, k


def _regroup(segs: list[_Seg], lines: list[tuple[int, str]]) -> list[_Seg]:
    """Lines (tagged with their segment) back into segments; whole segments keep everything."""
    out: list[_Seg] = []
    for i in dict.fromkeys(i for i, _ in lines):
        text = "\n".join(line for j, line in lines if j == i)
        seg = segs[i]
        if text == seg.text:
            out.append(seg)
        else:
            out.append(_Seg("body" if seg.kind == "title" else seg.kind, text, seg.part))
    return out


def _split_forward(segs: list[_Seg]) -> tuple[list[_Seg], list[_Seg], dict[str, str]] | None:
    """(lead: cover note and forward header, forwarded segments, header fields), or None."""
    lines = [(i, line) for i, s in enumerate(segs) for line in s.text.split("\n")]
    for k, (_, line) in enumerate(lines):
        marker = len(line) < 100 and _FWD_MARKER.match(line)
        if not marker and not _FWD_LINE.match(line):
            continue
        fields, end = _header_run(lines, k + 1 if marker else k)
        if not marker and not ("from" in fields and "subject" in fields and len(fields) >= 3):
            continue
        note = _regroup(segs, lines[:k])
        if _richness(note) < _SUBSTANTIAL:
            for s in note:
                s.kind = "boilerplate"
        header = _Seg("boilerplate", "\n".join(line for _, line in lines[k:end]), segs[lines[k][0]].part)
        return [*note, header], _regroup(segs, lines[end:]), fields
    return None


# --- footers and titles ----------------------------------------------------------

_RULE = re.compile(r"^[ \t]*--[ \t]*$|(?:^|(?<=\s))[-_=\u2013\u2014]{4,}(?=\s|$)", re.MULTILINE)


def _split_footer(segs: list[_Seg]) -> list[_Seg]:
    """A trailing footer after a rule ("-----", "--" signature marker) becomes boilerplate,
    even where the mail put it inside the last paragraph."""
    for i, seg in enumerate(segs):
        for m in _RULE.finditer(seg.text):
            after = "\n".join([seg.text[m.end():], *(s.text for s in segs[i + 1:])]).strip()
            signature = m.group().strip() == "--"
            if len(after) > _FOOTER_MAX or not after or not (is_chrome(after) or signature):
                continue
            head = seg.text[: m.start()].strip()
            kind = seg.kind
            if kind == "boilerplate" and is_chrome(seg.text) and not is_chrome(head):
                kind = "contact" if is_contact(head) else "body"  # the footer phrase was the reason
            rest = [_Seg("boilerplate", seg.text[m.start():].strip(), seg.part)]
            rest += [_Seg("boilerplate", s.text, s.part, s.rows) for s in segs[i + 1:]]
            lead = [_Seg(kind, head, seg.part, None, seg.h1)] if head else []
            return [*segs[:i], *lead, *rest]
    return segs


_PREFIX = re.compile(r"^\s*(?:(?:re|fwd?|vs|sv|aw|wg|tr|vb|antw)\s*(?:\[\d+\])?\s*:|[^:\n]{1,40}:(?=\s))\s*", re.IGNORECASE)
_WORD = re.compile(r"\w+")


def strip_prefix(subject: str) -> str:
    """'Fwd: Nyhetsbrev: X' -> 'X': reply/forward tags and short leading labels."""
    while True:
        m = _PREFIX.match(subject)
        if not m or len(m.group().split()) > 5 or not subject[m.end():].strip():
            return subject.strip()
        subject = subject[m.end():]


def _tokens(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.casefold()) if len(w) > 1 or w.isdigit()]


def _same_word(a: str, b: str) -> bool:
    # A crude stem match, so inflections still count (kulturhuse/kulturhusene).
    if a == b:
        return True
    if min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)):
        return True
    return min(len(a), len(b)) >= 6 and a[:5] == b[:5]


def similarity(a: str, b: str) -> float:
    """Share of the two texts' words (weighted by length) that the other text also has."""
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return 0.0
    hits = sum(_weight(x) for x in ta if any(_same_word(x, y) for y in tb))
    hits += sum(_weight(y) for y in tb if any(_same_word(y, x) for x in ta))
    return hits / (sum(map(_weight, ta)) + sum(map(_weight, tb)))


def _weight(word: str) -> int:
    return min(len(word), 8)  # so "og", "for", "the" count for little


_SENTENCE_BREAK = re.compile(r"[.!?] +[A-ZÆØÅÄÖ]")
_SENTENCE_END = re.compile(r"[.;,!]$")
_ABBREVIATION_END = re.compile(r"\b(kr|mio|mia|mill|nr|st)\.$", re.IGNORECASE)


def _headline_like(seg: _Seg) -> bool:
    text = seg.text
    if seg.kind not in ("title", "heading", "body") or "\n" in text or len(text) > 200 or not 2 <= len(text.split()) <= 30:
        return False
    if seg.kind != "body":
        return True
    # A paragraph of sentences is a lead, not a headline.
    ends = _SENTENCE_END.search(text) and not _ABBREVIATION_END.search(text)
    return not ends and not _SENTENCE_BREAK.search(text)


def _choose_title(segs: list[_Seg], subject: str | None) -> tuple[_Seg | None, str | None]:
    """The <h1>; else the short line most like the subject; else the bare subject."""
    candidates = [s for s in segs if _headline_like(s)]
    bare = strip_prefix(subject) if subject else ""
    scored = [(max(similarity(s.text, bare), similarity(s.text, subject or "")), s) for s in candidates] if bare else []
    best = max(scored, key=lambda pair: pair[0], default=(0.0, None))
    h1 = next((s for s in segs if s.h1 and s.kind != "boilerplate"), None)
    if h1 is not None and not (best[0] >= 0.8 and similarity(h1.text, bare) < 0.2):
        return h1, h1.text
    if best[1] is not None and best[0] >= 0.5:
        return best[1], best[1].text
    return None, bare or None


# --- assembling the document -----------------------------------------------------


# Messages larger than this have their MIME parts counted by the quick compat32 parser before the
# full parse: a message of 5 000 parts is refused in a tenth of the time (headers are not decoded).
QUICK_COUNT_BYTES = 65536


def _count_parts(msg) -> int:  # noqa: ANN001
    return sum(1 for _ in msg.walk())


def read_email(data: bytes, *, source: Source, doc_id: str, max_parts: int | None = None) -> Document:
    if max_parts is not None and len(data) > QUICK_COUNT_BYTES:
        try:
            parts = _count_parts(BytesParser(policy=policy.compat32).parsebytes(data))
        except Exception:  # noqa: BLE001 - the full parse below decides what is broken
            parts = 0
        if parts > max_parts:
            raise TooManyParts(source.path, f"the message has {parts} MIME parts, more than the limit of {max_parts}")
    msg = _parse(data, source.path)
    if max_parts is not None:
        parts = _count_parts(msg)
        if parts > max_parts:
            raise TooManyParts(source.path, f"the message has {parts} MIME parts, more than the limit of {max_parts}")
    try:
        return _document(msg, source=source, doc_id=doc_id)
    except IngestError:
        raise
    except Exception as exc:  # a message the stdlib parses but we cannot make sense of
        raise IngestError(source.path, f"cannot read the message: {type(exc).__name__}: {exc}") from exc


def _document(msg: EmailMessage, *, source: Source, doc_id: str) -> Document:
    ctx = _Ctx(source, doc_id)
    metadata = {key: value for key, name in _HEADERS if (value := _header(msg, name))}
    found = _collect(msg, "", ctx)
    lead, segs, fields = _forwarded(found, ctx)
    for key in ("from", "subject", "date"):
        if fields.get(key):
            metadata[f"forwarded_{key}"] = fields[key]
    segs = _split_footer(segs)
    subject = fields.get("subject") or metadata.get("subject")
    chosen, title = _choose_title(segs, subject)

    builder = ContentBuilder()
    for seg in [*lead, *segs]:
        kind = "title" if seg is chosen else ("heading" if seg.kind == "title" else seg.kind)
        builder.add(kind, seg.text, part=seg.part, rows=seg.rows)
    children, skipped, warnings = _attachments(found, ctx)
    if skipped:
        metadata["skipped_attachments"] = "; ".join(skipped)
    if not builder.blocks and not children:
        raise EmptyDocument(source.path, "the message has no readable text and no readable attachments")
    if title is None:
        block = choose_title(builder.blocks)
        if block is not None:
            block.kind, title = "title", headline_text(block.text)
    published = _sent(msg) or _forward_date(fields) or choose_published(builder.blocks)
    return Document(
        id=doc_id, source=source, title=title, published=published, metadata=metadata,
        content=builder.content, blocks=builder.blocks, children=children,
        warnings=list(dict.fromkeys([*found.warnings, *warnings])),
    )


_HEADERS = (("from", "From"), ("to", "To"), ("subject", "Subject"), ("date", "Date"), ("message_id", "Message-ID"))


def _forwarded(found: _Found, ctx: _Ctx) -> tuple[list[_Seg], list[_Seg], dict[str, str]]:
    """Split (lead, content, forward header fields): inline forwards, nested ones included,
    and a forward-as-attachment when the outer body has nothing of its own."""
    lead: list[_Seg] = []
    segs = found.segs
    fields: dict[str, str] = {}
    while (split := _split_forward(segs)) is not None:
        more, segs, inner_fields = split
        lead += more
        fields = {**fields, **inner_fields}  # the innermost sender is the author
    if not lead and found.messages and _richness(segs) < _SUBSTANTIAL:
        path, inner, _ = found.messages.pop(0)
        fields = {key: value for key, name in _FWD_HEADERS if (value := _header(inner, name))}
        lead += [_Seg("boilerplate", s.text, s.part, s.rows) for s in segs]
        header = "\n".join(f"{name}: {fields[key]}" for key, name in _FWD_HEADERS if key in fields)
        if header:
            lead.append(_Seg("boilerplate", header, path))
        inner_found = _collect(inner, path, ctx)
        inner_lead, segs, nested = _forwarded(inner_found, ctx)
        lead += inner_lead
        fields = {**fields, **nested}
        # The inner message's attachments belong to this email.
        found.attachments += inner_found.attachments
        found.messages += inner_found.messages
        found.warnings += inner_found.warnings
    return lead, segs, fields


_FWD_HEADERS = (("from", "From"), ("date", "Date"), ("subject", "Subject"))


def _forward_date(fields: dict[str, str]) -> date | None:
    raw = fields.get("date")
    if not raw:
        return None
    try:
        return email.utils.parsedate_to_datetime(raw).date()
    except (TypeError, ValueError, IndexError):
        from pipeline.dates import parse_date

        return parse_date(raw)


def _attachments(found: _Found, ctx: _Ctx) -> tuple[list[Document], list[str], list[str]]:
    """Child documents from readable attachments and attached messages, in part order;
    returns (children, skipped attachment notes, warnings)."""
    from pipeline.ingest import read_bytes

    children: list[Document] = []
    skipped: list[str] = []
    warnings: list[str] = []
    path = ctx.source.path
    pending = [(p, part, None, False) for p, part in found.attachments]
    pending += [(p, inner, name, True) for p, inner, name in found.messages]
    for part_path, part, name, is_message in sorted(pending, key=lambda t: _part_key(t[0])):
        doc_id = f"{ctx.doc_id}/{len(children) + 1}"
        name = name or (_header(part, "Subject") if is_message else _filename(part))
        ctype = "message/rfc822" if is_message else part.get_content_type()
        if not is_message and not _readable(ctype, name):
            skipped.append(f"{name or 'part ' + part_path} ({ctype})")
            continue
        try:
            if is_message:
                child = _message_child(part, part_path, name, ctx, doc_id)
            else:
                child = read_bytes(_payload(part), path=path, doc_id=doc_id, name=name, part=part_path, detect_language=False)
        except Exception as exc:  # one bad attachment must not fail the email
            reason = exc.reason if isinstance(exc, IngestError) else f"{type(exc).__name__}: {exc}"
            warnings.append(f"{path}: attachment {name or 'unnamed'!r} (part {part_path}) skipped: {reason}")
            continue
        children.append(child)
    return children, skipped, warnings


def _part_key(path: str) -> list[int]:
    return [int(x) for x in path.split(".") if x.isdigit()]


def _readable(ctype: str, name: str | None) -> bool:
    if ctype in _READABLE:
        return True
    return ctype in _GENERIC and name is not None and bool(_READABLE_EXT.search(name))


def _message_child(inner: EmailMessage, part_path: str, name: str | None, ctx: _Ctx, doc_id: str) -> Document:
    try:
        data = inner.as_bytes()
    except Exception:  # serialising a damaged message can fail; the hash then covers its text
        data = inner.as_string().encode("utf-8", "surrogateescape")
    source = Source(path=ctx.source.path, sha256=sha256(data), size=len(data), format="email", name=name, part=part_path)
    return _document(inner, source=source, doc_id=doc_id)


# --- mbox ------------------------------------------------------------------------

_FROM_LINE = re.compile(rb"^From [^\r\n]*$", re.MULTILINE)
_STRICT_FROM = re.compile(rb"^From \S+ .*\d\d:\d\d.*\d{4}$")
_HEADER_START = re.compile(rb"[A-Za-z][A-Za-z0-9-]*:")
_QUOTED_FROM = re.compile(rb"^>(>*From )", re.MULTILINE)


def split_mbox(data: bytes) -> list[bytes]:
    """Messages of an mbox: split at "From " lines that start the file or follow a blank
    line and are followed by a header; ">From " quoting (mboxrd) is undone."""
    data = data.replace(b"\r\n", b"\n")
    first = len(data) - len(data.lstrip())
    starts = []
    for m in _FROM_LINE.finditer(data):
        after_blank = m.start() == first or data[max(0, m.start() - 2): m.start()] == b"\n\n"
        if (after_blank or _STRICT_FROM.match(m.group())) and _HEADER_START.match(data, m.end() + 1):
            starts.append(m)
    messages = []
    for k, m in enumerate(starts):
        end = starts[k + 1].start() if k + 1 < len(starts) else len(data)
        body = data[m.end() + 1: end]
        if body.endswith(b"\n\n"):
            body = body[:-1]  # the blank line that separates messages
        messages.append(_QUOTED_FROM.sub(rb"\1", body))
    return messages


def read_mbox(data: bytes, *, source: Source, doc_id: str, max_parts: int | None = None) -> Document:
    messages = split_mbox(data)
    if not messages:
        raise EmptyDocument(source.path, "the mbox holds no messages")
    if len(messages) == 1:
        return read_email(messages[0], source=source, doc_id=doc_id, max_parts=max_parts)
    children, warnings = [], []
    for n, raw in enumerate(messages, start=1):
        part = Source(path=source.path, sha256=sha256(raw), size=len(raw), format="email", part=str(n))
        try:
            children.append(read_email(raw, source=part, doc_id=f"{doc_id}-{n:04d}", max_parts=max_parts))
        except IngestError as exc:
            warnings.append(f"{source.path}: message {n} skipped: {exc.reason}")
    if not children:
        raise IngestError(source.path, f"none of the {len(messages)} messages could be read: " + "; ".join(warnings))
    return Document(
        id=doc_id, source=source, container=True, children=children, warnings=warnings,
        metadata={"messages": str(len(messages))},
    )
