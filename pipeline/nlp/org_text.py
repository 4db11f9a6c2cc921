"""Small text helpers for organisation names: where a name starts and ends.

Names are found from an anchor (a head word such as "Kvinnojouren", a legal
form, "kommune") and grown over the capitalised words beside it, on the same
line and never across a wide gap (two-column PDF text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UP = "A-ZÆØÅÄÖÜÉÈÁÍÓÚÑ"
LOW = "a-zæøåäöüéèáíóúñß"
# A capitalised name word: "Sønderborg", "Huddinge-Botkyrka", "Women's"; or an abbreviation "Gl.", "J.P.".
CAPW = rf"(?:(?:[{UP}]\.){{1,3}}|[{UP}][{LOW}]{{0,2}}\.(?= [{UP}])|[{UP}][\w’'&/-]*[\w&])"
_NAME_WORD = re.compile(rf"^(?:[{UP}][\w’'&/.-]*|[{UP}])$")
_ABBR = re.compile(rf"^(?:(?:[{UP}]\.){{1,3}}|[{UP}][{LOW}]{{0,2}}\.)$")
_TOKEN = re.compile(r"\S+")
_SENT_END = set(".!?:;•*–—»«\"“”(|>›/")
COORD = {"&", "og", "och", "and", "und", "eller"}
GENITIVE_LINKS = {"stads", "läns", "amts", "kommuns", "kommunes", "fylkes"}
EN_LINKS = {"and", "upon", "of", "on", "the", "&"}


def collapse(text: str) -> str:
    """One space between words, none around a joining hyphen inside a name."""
    text = " ".join(text.split())
    return re.sub(r"(\w)- (?=\w)(?!(?:og|och|and|und|&|eller) )", r"\1-", text)


def is_capitalised(word: str) -> bool:
    return bool(word) and word[0].isupper()


def sentence_initial(text: str, pos: int) -> bool:
    """True when only punctuation, a bullet or a line break stands before `pos` in its sentence."""
    i = pos - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] == "\n" or text[i] in _SENT_END or text[i].isdigit()


@dataclass
class Stops:
    words: frozenset[str]
    heads: frozenset[str]  # words that start another organisation and so end a name


# "Kirkstall Women's Refuge Trust": a plural genitive is part of a charity's name, not an owner.
_PLURAL_GENITIVES = {f"{w}{g}" for w in ("Women", "Children", "Men", "People") for g in ("'s", "’s")}


def walk_left(text: str, pos: int, stops: Stops, max_words: int = 4, english: bool = False,
              allow_lower_genitive: bool = True, ampersand: bool = False) -> int:
    """Start of the run of name words that ends just before `pos` (== pos when there is none)."""
    line_start = max(text.rfind("\n", 0, pos) + 1, pos - 160)
    segment = text[line_start:pos]
    if segment and not segment.endswith(" "):
        return pos  # anchor glued to something else ("Kvinde-&Krisecenter" aside, rare)
    toks = list(_TOKEN.finditer(segment))
    start = pos
    taken = 0
    i = len(toks) - 1
    right_edge = len(segment)
    while i >= 0 and taken < max_words:
        tok = toks[i]
        gap = segment[tok.end():right_edge]
        if "  " in gap or "\t" in gap:
            break
        word = tok.group()
        left = toks[i - 1].group() if i > 0 else ""
        if word in COORD and left.endswith("-") and is_capitalised(left):
            # "Kvinde- & Krisecenter", "Tjej- och Kvinnojouren"
            start = line_start + toks[i - 1].start()
            right_edge = toks[i - 1].start()
            taken += 2
            i -= 2
            continue
        if ampersand and word == "&" and taken and is_capitalised(left) and left not in stops.words:
            i -= 1  # "Jensen & Sønner A/S"
            right_edge = tok.start()
            continue
        if english and word in EN_LINKS and taken and is_capitalised(left) and left not in stops.words:
            i -= 1
            right_edge = tok.start()
            continue
        if allow_lower_genitive and word in GENITIVE_LINKS and is_capitalised(left) and left not in stops.words:
            i -= 1
            right_edge = tok.start()
            continue
        if word in stops.words or word in stops.heads or (word.endswith(("'s", "’s")) and word not in _PLURAL_GENITIVES):
            break
        if word[-1] in ",;:!?)»\"”" or (word.endswith(".") and not _ABBR.match(word)):
            break
        if not _NAME_WORD.match(word):
            # "v/Frederiksborg", "(Sønderborg": the name starts inside the token
            cut = max(word.rfind("/"), word.rfind("("), word.rfind("»"), word.rfind('"'))
            if cut >= 0 and _NAME_WORD.match(word[cut + 1:]) and word[cut + 1:] not in stops.words:
                start = line_start + tok.start() + cut + 1
            break
        start = line_start + tok.start()
        right_edge = tok.start()
        taken += 1
        i -= 1
    # a connector may not open the name
    while start < pos and text[start:pos].split(" ", 1)[0] in EN_LINKS | GENITIVE_LINKS:
        nxt = text.find(" ", start)
        if nxt < 0 or nxt >= pos:
            return pos
        start = nxt + 1
    return start


_RIGHT_PLACE = re.compile(rf" (?:(i|på|in) )?((?:[{UP}][{LOW}]{{0,2}}\. )?{CAPW})(?![\w-])")
_LOWER_NEXT = re.compile(rf" (?:kommun|kommune|Kommune|stad|fylkeskommune)\b")


def walk_right_place(text: str, pos: int, stops: Stops, allow_i: bool = True) -> tuple[int, str | None]:
    """A place word that completes a name: "Brottsofferjouren Söderslätt", "Kvinnojouren i Sigtuna"."""
    m = _RIGHT_PLACE.match(text, pos)
    if not m:
        return pos, None
    word = m.group(2)
    if m.group(1) and not allow_i:
        return pos, None
    last = word.rsplit(" ", 1)[-1]
    if word in stops.words or word in stops.heads or last.endswith(("'s", "’s")) or last.endswith("."):
        return pos, None
    if _LOWER_NEXT.match(text, m.end()):
        return pos, None  # "... og Vellinge kommun": the word belongs to the next name
    return m.end(), text[pos:m.end()].strip()


def strip_genitive(word: str) -> str:
    if word.endswith(("'s", "’s")):
        return word[:-2]
    if word.endswith("'") or word.endswith("’"):
        return word[:-1]
    return word
