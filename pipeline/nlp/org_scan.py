"""Where the trigger words of organisation names stand in a text.

Scanning the whole text once per pattern is what makes regex recognisers slow;
instead the distinct words of a document are collected once, the few that can
start or end an organisation name are picked out by look-up, and only their
occurrences are examined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.nlp.org_cand import Cand

# A word as the recogniser sees it: "A/S", "Huddinge-Botkyrka", "Council's"; no edge punctuation.
WORD = re.compile(r"\w[\w'’/-]*\w|\w")
_JOIN = "'’/-"


@dataclass
class Scan:
    text: str
    lang: str | None
    ctx: str | None  # the document's country (or the language's)
    out: list[Cand] = field(default_factory=list)
    vocab: set[str] = field(default_factory=set)


def vocabulary(text: str) -> set[str]:
    """The distinct WORD tokens of `text`."""
    # No token spans whitespace, so the few distinct whitespace-separated chunks are cut instead of
    # the whole text; a chunk of word characters only (isalnum, or "_") is a token as it stands.
    out = set()
    cut = WORD.findall
    for chunk in set(text.split()):
        if chunk.isalnum():
            out.add(chunk)
        else:
            out.update(cut(chunk))
    return out


def _whole(text: str, i: int, j: int) -> bool:
    """Whether text[i:j] is a whole token as WORD cuts tokens."""
    before = text[i - 1] if i else " "
    after = text[j] if j < len(text) else " "
    if before.isalnum() or before == "_" or after.isalnum() or after == "_":
        return False
    if before in _JOIN and i >= 2 and (text[i - 2].isalnum() or text[i - 2] == "_"):
        return False
    return not (after in _JOIN and j + 1 < len(text) and (text[j + 1].isalnum() or text[j + 1] == "_"))


def occurrences(text: str, word: str):
    """Start offsets where `word` stands as a whole token."""
    n = len(word)
    i = text.find(word)
    while i >= 0:
        if _whole(text, i, i + n):
            yield i
        i = text.find(word, i + 1)
