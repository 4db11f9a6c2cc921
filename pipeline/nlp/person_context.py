"""What the words around a candidate name say about it.

For one candidate this finds: a role written before it ("kommunalråd X",
"Formand for DGI, X") or after it ("X, formand for Y", "Name\\nRole" lines), a
speech verb, a contact label or contact block, a signature line, a caption
("X fra Y"), and whether it is a photographer or byline. It also notes the
stretches of text where an organisation named with the person may stand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.nlp.person_lexicon import Lexicon
from pipeline.nlp.person_names import Candidate, collapse
from pipeline.nlp.person_roles import CAPTION, role_after, role_before, split_role_line, starts_with_role

_DOTTED = re.compile(r"^[\s._…\-–]{5,}$")
_PREV_WORD = re.compile(r"([^\W\d_][\w'’-]*)[ \t]+$")
_CELL = re.compile(r"[ \t]+\|[ \t]+")
_SIG_RUN = re.compile(r"[_.…]{5,}")
_SIG_BEFORE = re.compile(r"[_.…]{5,}[ \t]*$")
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n[ \t]*\n")
_CONTACTISH = re.compile(r"@|\d{2}[ -]?\d{2}|tlf|tel|mobil|e-?post|e-?mail|phone", re.IGNORECASE)


@dataclass
class Mention:
    cand: Candidate
    start: int
    end: int
    name: str
    speech: bool = False
    direct_speech: bool = False  # the speech verb stands right next to the name
    vouched_label: bool = False  # a contact label or contact verb right before the name
    role: str | None = None
    role_span: tuple[int, int] | None = None
    label_role: str | None = None
    contact_label: bool = False
    signature: bool = False
    caption: bool = False  # "X fra Y": counts once Y is known to be an organisation
    caption_zone: tuple[int, int] | None = None
    excluded: bool = False
    names_line: bool = False
    glued: bool = False  # right after a capitalised non-role word: the tail of an org name
    adjacent_role: bool = False  # role word right before the name or in apposition after it
    # Where an organisation named with the person may stand, best first.
    org_zones: list[tuple[int, int]] = field(default_factory=list)
    # The rest of the sentence after the name: "X er glad for, at Grundfos kan ...".
    sentence_zone: tuple[int, int] | None = None

    @property
    def supported(self) -> bool:
        """Context that makes a name with an unknown first word a person."""
        if self.glued:
            return False
        return bool(self.direct_speech or self.adjacent_role or self.vouched_label or self.signature)

    @property
    def contact(self) -> bool:
        evidence = (self.speech, self.role, self.label_role, self.contact_label, self.signature, self.caption)
        return not self.excluded and any(evidence)


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def _prev_lines(text: str, line_start: int, n: int) -> list[tuple[int, int]]:
    out = []
    pos = line_start
    while pos > 0 and len(out) < n:
        s = text.rfind("\n", 0, pos - 1) + 1
        out.append((s, pos - 1))
        pos = s
    return out


def in_contact_block(lex: Lexicon, text: str, line_start: int) -> bool:
    """A contact label line above, with only short contact-ish lines in between."""
    seen = 0
    for s, e in _prev_lines(text, line_start, 6):
        line = text[s:e]
        if lex.contact_label_line.match(line):
            return True
        if not line.strip():
            continue
        seen += 1
        if seen > 3 or len(line) > 140:
            return False
    return False


def _cells(line: str) -> list[tuple[int, int]]:
    """Column cells of a line: readers join table cells and PDF columns with ' | '."""
    bounds, pos = [], 0
    for m in _CELL.finditer(line):
        bounds.append((pos, m.start()))
        pos = m.end()
    bounds.append((pos, len(line)))
    return bounds


def column_header_zone(lex: Lexicon, text: str, line_start: int, k: int, idx: int) -> tuple[int, int] | None:
    """The 'For X | For Y' signature header above a names line: the zone of column idx."""
    for s, e in _prev_lines(text, line_start, 5):
        line = text[s:e]
        cells = _cells(line)
        if len(cells) == k and k > 1:
            a, b = cells[idx]
            m = lex.signature_for.match(line, a + len(line[a:b]) - len(line[a:b].lstrip()))
            if m and line[m.start()].isupper():
                return s + m.end(), s + b
            continue
        hits = [m for m in lex.signature_for.finditer(line) if line[m.start()].isupper()]
        if hits and hits[0].start() == len(line) - len(line.lstrip()) and len(hits) == k:
            a = hits[idx].end()
            b = hits[idx + 1].start() if idx + 1 < k else len(line)
            return s + a, s + b
    return None


def sentence_for_zone(lex: Lexicon, text: str, clause_floor: int, start: int) -> tuple[int, int] | None:
    """'For Kreis X skrev landrat Y under': the org after a sentence-initial 'For'."""
    dot = text.rfind(". ", 0, start)
    s = max(text.rfind("\n", 0, start) + 1, dot + 2 if dot >= 0 else 0)
    later = lex.party_signatures(text, s, start)
    if later:
        s = later[-1].start()  # signatures in columns: "For A: X role For B: Y"
    seg = text[s:start]
    m = lex.signature_for.match(seg.lstrip())
    if not m or not seg.lstrip()[:1].isupper():
        return None
    off = s + len(seg) - len(seg.lstrip()) + m.end()
    return off, start


def _set_line_role(lex: Lexicon, mention: Mention, text: str, a: int, b: int) -> bool:
    role = text[a:b].strip(" ,\t")
    if mention.role or not role or not starts_with_role(lex, role):
        return False
    a = a + text[a:b].index(role)
    mention.role, mention.role_span, mention.adjacent_role = collapse(role), (a, a + len(role)), True
    mention.org_zones.insert(0, mention.role_span)
    return True


def line_context(lex: Lexicon, text: str, mention: Mention, line_names: list[Candidate]) -> None:
    """Signature and contact-block evidence from the name's line and the lines around it."""
    cand = mention.cand
    ls, le = _line_bounds(text, cand.start)
    line = text[ls:le]
    cells = _cells(line)
    ci = next((i for i, (a, b) in enumerate(cells) if a <= cand.start - ls <= b), 0)
    ca, cb = cells[ci]
    if _SIG_BEFORE.search(line, ca, cand.start - ls):
        # "____ Ib Kristensen Borgmester": a signature with its role on the same line
        mention.signature = True
        stop = _SIG_RUN.search(line, cand.end - ls, cb)
        _set_line_role(lex, mention, text, cand.end, ls + (stop.start() if stop else cb))
        header = column_header_zone(lex, text, ls, len(cells), ci)
        if header:
            mention.org_zones.append(header)
    rest = line
    for c in line_names:
        rest = rest.replace(text[c.start:c.end], " ")
    rest = re.sub(r"(?i)\b(?:dr|prof)\.?", "", rest)
    names_only = bool(line_names) and not re.sub(r"[\s,;&|]|\b(?:og|och|and)\b", "", rest)
    mention.names_line = names_only
    if not names_only:
        if not mention.contact_label and cand.start - ls < 3 and in_contact_block(lex, text, ls):
            mention.contact_label = True
        return
    if len(cells) > 1:
        k, idx = len(cells), ci
    else:
        k = len(line_names)
        idx = next((i for i, c in enumerate(line_names) if c.start == cand.start), 0)
    prev = [text[s:e] for s, e in _prev_lines(text, ls, 2) if text[s:e].strip()]
    if prev and _DOTTED.match(prev[0]):
        mention.signature = True
    nxt_end = text.find("\n", le + 1)
    nxt = text[le + 1: len(text) if nxt_end < 0 else nxt_end] if le < len(text) else ""
    if nxt.strip() and not _CONTACTISH.search(nxt) and len(nxt) < 160:
        ncells = _cells(nxt)
        parts = ncells if len(ncells) == k > 1 else split_role_line(lex, nxt, k)
        if parts and _set_line_role(lex, mention, text, le + 1 + parts[idx][0], le + 1 + parts[idx][1]):
            mention.signature = mention.signature or k > 1
    header = column_header_zone(lex, text, ls, k, idx)
    if header:
        mention.org_zones.append(header)
        mention.signature = True
    if not mention.contact_label and in_contact_block(lex, text, ls):
        mention.contact_label = True


def span_ends_apposition(text: str, end: int) -> bool:
    """A name closed by a comma or party letters, as in 'Rådmand for X, Name, kalder'."""
    return bool(re.match(r"\s*(?:\([^)\n]{1,12}\)|,)", text[end:end + 14]))


def analyse(lex: Lexicon, text: str, cand: Candidate, floor: int, line_names: list[Candidate]) -> Mention:
    start = cand.start
    t = lex.academic_title_before.search(text, max(0, start - 12), start)
    if t:
        start = t.start()
    mention = Mention(cand, start, cand.end, collapse(text[start:cand.end]))
    prev = _PREV_WORD.search(text, max(0, start - 40), start)
    if prev and prev.group(1)[:1].isupper() and not lex.is_role_word(prev.group(1)):
        mention.glued = not lex.honorific_before.search(text, max(0, start - 12), start)
    mention.excluded = bool(lex.exclude_before.search(text[max(0, start - 80):start]))

    role, span, speech, cstart, adjacent = role_before(lex, text, start, floor)
    if role:
        mention.role, mention.role_span, mention.adjacent_role = role, span, adjacent
        mention.org_zones.append(span)
        g = re.search(r"(\S+(?:['’]s|s))\s*$", text[max(0, span[0] - 60):span[0]])
        if g and g.group(1)[:1].isupper():
            gs = span[0] - len(text[max(0, span[0] - 60):span[0]]) + g.start(1)
            mention.org_zones.append((gs, gs + len(g.group(1))))  # "Kyiv's mayor"
    after = bool(lex.speech_after.match(text, cand.end))
    mention.speech = speech or after
    mention.direct_speech = after or (speech and not text[cstart:start].strip())
    if mention.adjacent_role and not span_ends_apposition(text, cand.end) and text[span[1]:start].strip() == ",":
        mention.adjacent_role = after  # "Formand, Furesø Industri": a role and its organisation

    arole, aspan, zones = role_after(lex, text, cand.end)
    if arole:
        # The apposition is the fuller role, and the org in it comes first.
        mention.role, mention.role_span, mention.adjacent_role = arole, aspan, True
        mention.org_zones[:0] = zones
    else:
        mention.org_zones.extend(zones)
        if zones and CAPTION.match(text, cand.end):
            mention.caption, mention.caption_zone = True, zones[0]

    label = lex.contact_label_before.search(text, max(0, start - 60), start)
    if label:
        mention.contact_label = mention.vouched_label = True
        lab = collapse(label.group(1)).lower()
        if lab in lex.label_roles:
            mention.label_role = collapse(label.group(1))

    line_context(lex, text, mention, line_names)
    zone = sentence_for_zone(lex, text, cstart, start)
    if zone:
        mention.org_zones.append(zone)
        _, le = _line_bounds(text, cand.start)
        signed_for = text[zone[0]:start].rstrip().endswith(":")
        if signed_for and not text[cand.end:le].strip(" ,\t"):
            # "For Esbjerg Kommune: Helle Bjerregaard⏎direktør": a signature, its role on the next line
            mention.signature = True
            nxt_end = text.find("\n", le + 1)
            nxt_end = len(text) if nxt_end < 0 else nxt_end
            if le < len(text) and nxt_end - le < 120:
                _set_line_role(lex, mention, text, le + 1, nxt_end)
        elif signed_for and not mention.role:
            # "For Esbjerg Kommune: Helle Bjerregaard direktør, Sundhed & Omsorg For ...": a signature
            # line laid out in columns, the role after the name up to the next party's "For".
            nxt = lex.party_signatures(text, cand.end, le)
            if _set_line_role(lex, mention, text, cand.end, nxt[0].start() if nxt else le):
                mention.signature = True
    stop = _SENTENCE_END.search(text, cand.end, min(len(text), cand.end + 200))
    mention.sentence_zone = (cand.end, stop.start() if stop else min(len(text), cand.end + 200))
    return mention
