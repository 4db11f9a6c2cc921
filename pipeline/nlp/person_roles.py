"""Role phrases next to a name: before it ("kommunalråd X", "Formand for DGI, X") and
after it ("X, formand for Y", "X, der er formand for Y"), and roles split across
signature columns ("Borgmester Formand for X")."""

from __future__ import annotations

import re

from pipeline.nlp.person_lexicon import UPPER, Lexicon
from pipeline.nlp.person_names import collapse

_BOUNDARY = re.compile(r'[!?;:\n"”“«»–—|]|_{3,}|\.(?=\s)|(?<=\s)-(?=\s)')
_WORD = re.compile(r"[^\s,]+|,")
# " | " joins table cells: a role never runs into the next cell.
_TERMINATOR = re.compile(
    r"\n|\s\|\s|[.;:!?(\"”](?=\s|$)|\)|\s[–—-]\s|,|\s+(?:tlf|tel|telefon|tfn|mobil|e-post|e-mail|email)\b", re.IGNORECASE
)
_CONJ = re.compile(r"\s(?:og|och|and|eller|or|samt|&)\s")
_APPOSITION = re.compile(r"\s*,\s*(?:(?:der|som|who|which)\s+(?:er|är|is|var|was|har været)\s+)?")
CAPTION = re.compile(rf"[ \t]+(?:fra|från|frå|from)[ \t]+(?=[{UPPER}])")
# A capitalised name as written: "Ældre Sagen Vejle", "Foreningen Grønne Spirer", "Tjej- och Kvinnojouren".
_CAP_WORDS = re.compile(
    rf"[{UPPER}][\w&.'’-]*(?:(?:(?<=-)[ \t]+(?:og|och|and)[ \t]+|[ \t]+(?:(?:of|for|i|&)[ \t]+)?)[{UPPER}][\w&.'’-]*)*"
)


def wrapped(lex: Lexicon, text: str, nl: int) -> bool:
    """A line break inside a sentence: the line before is long and ends without punctuation."""
    line_start = text.rfind("\n", 0, nl) + 1
    line = text[line_start:nl].rstrip()
    if len(line) < 60 or line[-1:] in ".:!?;":
        return False
    return not lex.starts_signature(text, nl + 1)  # "... i socialnämnden⏎För Kvinnojouren X:" is the next one


def _clause_start(lex: Lexicon, pre: str, floor: int) -> tuple[int, bool]:
    """Where the clause before a name begins, and whether a speech verb opened it."""
    start, speech = floor, False
    for m in _BOUNDARY.finditer(pre, floor):
        if m.group(0) == "\n" and wrapped(lex, pre, m.start()):
            continue
        start = m.end()
    for m in lex.speech_verb.finditer(pre, start):
        start, speech = m.end(), True
    return start, speech


def _extend_left(lex: Lexicon, words: list[re.Match], h: int) -> int:
    """Take in modifiers, hyphen chains and genitives before a role head word."""
    head_cap = words[h].group(0)[:1].isupper()
    i = h
    while i > 0:
        w = words[i - 1].group(0)
        low = w.lower()
        pair = f"{words[i - 2].group(0).lower()} {low}" if i > 1 else ""
        if pair in lex.modifiers:
            i -= 2
        elif low in lex.modifiers or w.endswith("-"):
            i -= 1
        elif low in ("og", "och", "and", "&") and i > 1 and words[i - 2].group(0).endswith("-"):
            i -= 2
        elif w[:1].islower() and len(w) > 4 and w.endswith("s") and not w.endswith("ss"):
            i -= 1  # "kultur- och fritidsnämndens ordförande"
        elif head_cap and w[:1].isupper() and not lex.blocks_name(w) and w != ",":
            i -= 1  # "Water Utility Director"
        else:
            break
    return i


_COPULA_END = re.compile(r"\s+(?:er|är|is|was|var|blir|blev|vert|vart|bliver)$")


def role_before(
    lex: Lexicon, text: str, start: int, floor: int
) -> tuple[str | None, tuple[int, int] | None, bool, int, bool]:
    """(role, span, opened by a speech verb, clause start, role right before the name) before a name."""
    lo = max(0, start - 250, floor)
    pre = text[lo:start]
    cstart, speech = _clause_start(lex, pre, 0)
    words = list(_WORD.finditer(pre, cstart))
    heads = [i for i, w in enumerate(words) if w.group(0) != "," and lex.is_role_word(w.group(0))]
    if not heads:
        return None, None, speech, lo + cstart, False
    h = heads[-1]
    if len(words) - h > 12:
        return None, None, speech, lo + cstart, False
    i = _extend_left(lex, words, h)
    rs = words[i].start()
    role = _COPULA_END.sub("", pre[rs:].rstrip(" ,\t\n\u00a0"))  # "Dagleg leiar ved sentralen er X"
    if not role:
        return None, None, speech, lo + cstart, False
    adjacent = h == len(words) - 1 or words[-1].group(0) == ","
    if not adjacent and words[h + 1].group(0).lower() not in lex.org_preps | {"med", "with"}:
        return None, None, speech, lo + cstart, False  # "Borgmesteren har talt med X": not X's role
    return collapse(role), (lo + rs, lo + rs + len(role)), speech, lo + cstart, adjacent


def _read_role(lex: Lexicon, text: str, pos: int, limit: int) -> tuple[int, int]:
    """From `pos`, the end of a role phrase (commas inside lists and 'Ældre-,' kept)."""
    end = pos
    for m in _TERMINATOR.finditer(text, pos, limit):
        if m.group(0) == "\n" and wrapped(lex, text, m.start()):
            continue  # "Minister for Local\nGovernment and ..." in wrapped text
        if m.group(0) == ",":
            if text[m.start() - 1] == "-":
                continue  # "Ældre-, Handicap- og Psykiatriudvalget"
            nxt = _TERMINATOR.search(text, m.end(), limit)
            seg = text[m.end(): nxt.start() if nxt else limit]
            role_so_far = text[pos:m.start()]
            if seg.strip()[:1].islower() and _CONJ.search(seg) and re.search(r"\s(?:for|för|of)\s", role_so_far):
                continue  # "minister for justits, kultur og Europa"
        return pos, m.start()
    return pos, limit if end == pos else end


def starts_with_role(lex: Lexicon, role: str) -> bool:
    """A role word within the first four words ('t f socialchef', 'press officer'), not after 'og'."""
    words = role.split()[:4]
    if not words or words[0].lower() in ("og", "och", "and", "men", "but", "som", "der", "who", "which", "&"):
        return False
    return any(lex.is_role_word(w) for w in words)


def role_after(lex: Lexicon, text: str, end: int) -> tuple[str | None, tuple[int, int] | None, list[tuple[int, int]]]:
    """Apposition after a name: ', formand for X', ', der er formand for X'; zones after it."""
    limit = min(len(text), end + 300)
    pos = end
    m = lex.party_letters.match(text, pos)
    if m:
        pos = m.end()
    zones: list[tuple[int, int]] = []
    m = _APPOSITION.match(text, pos, limit)
    if not m or "\n" in text[pos:m.end()]:
        cap = CAPTION.match(text, pos, limit)
        if cap:
            run = _CAP_WORDS.match(text, cap.end(), limit)
            zones.append((cap.end(), run.end() if run else cap.end()))
        return None, None, zones
    rs, re_ = _read_role(lex, text, m.end(), limit)
    role = text[rs:re_].strip()
    if not role or not starts_with_role(lex, role):
        if role[:1].isupper():
            zones.append((rs, re_))  # "Ursula Petersen, Sozialdienst Nordschleswig"
            if re_ < limit and text[re_] == ",":
                zones.append(_read_role(lex, text, re_ + 1, limit))  # "Mads Kjeldsen, Teknik & Miljø, Esbjerg Kommune"
        return None, None, zones
    zones.append((rs, re_))
    if re_ < limit and text[re_] == ",":
        zones.append(_read_role(lex, text, re_ + 1, limit))  # "generalsekreterare, Brottsofferjouren Sverige"
    return collapse(role), (rs, rs + len(role.rstrip())), zones


def split_role_line(lex: Lexicon, line: str, k: int) -> list[tuple[int, int]]:
    """Cut a line of k column roles ('Borgmester Formand for X') at role words; [] if unsure."""
    if k == 1:
        return [(0, len(line.rstrip()))]
    words = list(_WORD.finditer(line))
    starts = []
    for i, w in enumerate(words):
        if w.group(0) == "," or not lex.is_role_word(w.group(0)):
            continue
        prev = words[i - 1].group(0) if i else ""
        joined = prev.endswith((",", "-")) or prev.lower() in lex.modifiers  # "Formand, X", "t f chef"
        if i == 0 or not joined:
            starts.append(w.start() if i else 0)
    if len(starts) != k:
        return []
    bounds = starts + [len(line)]
    return [(bounds[j], bounds[j] + len(line[bounds[j]:bounds[j + 1]].rstrip())) for j in range(k)]
