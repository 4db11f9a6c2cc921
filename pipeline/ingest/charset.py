"""Bytes to text: BOM, then the declared charset, then UTF-8, then detection."""

from __future__ import annotations

import codecs

from bs4.dammit import EncodingDetector

# WHATWG: labels that browsers decode as windows-1252, so 0x80-0x9F are
# typographic quotes and dashes rather than C1 controls.
_AS_CP1252 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "ascii", "us-ascii", "iso-8859-15", "cp819"}
_BOMS = [
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]


def _normal(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    if name in _AS_CP1252:
        return "cp1252"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(data: bytes, declared: str | None = None, *, html: bool = False) -> tuple[str, str]:
    """Return (text, encoding used). Never raises: the last resort is cp1252 with replacement."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(enc, errors="replace"), enc
    candidates = [_normal(declared)]
    if html:
        candidates.append(_normal(EncodingDetector.find_declared_encoding(data[:4096], is_html=True, search_entire_document=False)))
    if candidates[-1] == "cp1252" and not data.isascii():
        # Labelled ASCII or Latin-1 but the bytes are UTF-8 (common in mail and
        # old CMSs); valid multi-byte UTF-8 is very unlikely in real single-byte text.
        candidates.insert(0, "utf-8")
    # Undeclared and not UTF-8: our documents are Western European, where
    # windows-1252 is by far the likeliest; it fails only on five unused bytes.
    candidates += ["utf-8", "cp1252"]
    for enc in candidates:
        if not enc:
            continue
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            continue  # a wrong declaration: fall through to detection
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    enc = _normal(best.encoding) if best is not None else None
    if enc and enc not in ("utf-8",):
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            pass
    return data.decode("cp1252", errors="replace"), "cp1252"
