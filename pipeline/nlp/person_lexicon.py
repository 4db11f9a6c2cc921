"""Word lists for finding persons, compiled once into regexes and sets.

The sources are data/persons_first_names.txt and data/persons_lexicon.json;
`load_sources()` reads them into one plain dict, which is also what the
component stores inside a built model.
"""

from __future__ import annotations

import json
import re
from functools import cached_property
from pathlib import Path

from pipeline import WORD_CACHE_ENTRIES

DATA = Path(__file__).parent / "data"
FIRST_NAMES = DATA / "persons_first_names.txt"
LEXICON = DATA / "persons_lexicon.json"

UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĖĘĚĞĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŘŚŞŠŢŤŪŮŰŲŸŹŻŽ"
LOWER = "a-zß-öø-ÿāăąćčďđēėęěğīįıķĺļľłńņňōőœŕřśşšţťūůűųźżž"
# One capitalised name word: "Anne", "Krafft", "Merker-Siesjö", "O'Brien", "McDonald".
NAME_WORD = (
    rf"(?:Mc|Mac|O['’]|D['’])?[{UPPER}][{LOWER}'’]*[{LOWER}](?:[{UPPER}][{LOWER}]+)?"
    rf"(?:-[{UPPER}][{LOWER}'’]*[{LOWER}])*"
)
INITIAL = rf"[{UPPER}]\.(?:-?[{UPPER}]\.)?"
PARTICLES = (
    "von", "van", "af", "de", "der", "den", "da", "di", "du", "la", "le", "zu", "ten", "ter", "bin", "ibn", "al", "el",
    "dos", "das", "del", "della",
)


def first_names(text: str) -> tuple[set[str], set[str]]:
    """(strong, weak) lower-cased first names from the text of persons_first_names.txt."""
    strong: list[str] = []
    weak: list[str] = []
    section = None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("#"):
            section = line[1:].strip()
            continue
        (weak if section == "weak" else strong).extend(line.split())
    return {n.lower() for n in strong}, {n.lower() for n in weak}


def load_sources() -> dict:
    strong, weak = first_names(FIRST_NAMES.read_text(encoding="utf-8"))
    data = json.loads(LEXICON.read_text(encoding="utf-8"))
    data.pop("_about", None)
    data["first_names"] = sorted(strong)
    data["weak_first_names"] = sorted(weak)
    return data


def _alternation(words) -> str:
    parts = sorted({w for w in words if w}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in parts)


class Lexicon:
    """The word lists with the regexes built from them."""

    def __init__(self, data: dict):
        self.data = data
        self.weak = set(data["weak_first_names"])
        self.strong = set(data["first_names"]) - self.weak
        self.role_words = set(data["role_words"])
        self.role_suffixes = tuple(sorted(set(data["role_suffixes"]), key=len, reverse=True))
        self.blockers = set(data["name_blockers"])
        self.street = tuple(data["street_suffixes"])
        self.generic_mailboxes = set(data["generic_mailboxes"])
        self.kind_roles = data["kind_roles"]
        self.org_suffixes = tuple(data["org_suffixes"])
        # Word tests repeat for the same words; memoised per lexicon (bounded by the vocabulary seen).
        self._first_memo: dict[str, str | None] = {}
        self._block_memo: dict[str, bool] = {}
        self._role_memo: dict[str, bool] = {}

    def first_name(self, token: str) -> str | None:
        """'strong', 'weak' or None for a capitalised token ("Anne-Marie" by "Anne")."""
        try:
            return self._first_memo[token]
        except KeyError:
            if len(self._first_memo) > WORD_CACHE_ENTRIES:
                self._first_memo.clear()
            value = self._first_memo[token] = self._first_name(token)
            return value

    def _first_name(self, token: str) -> str | None:
        low = token.lower()
        head = low.split("-")[0]
        for key in (low, head):
            if key in self.strong:
                return "strong"
        if low in self.weak or head in self.weak:
            return "weak"
        return None

    def is_role_word(self, token: str) -> bool:
        try:
            return self._role_memo[token]
        except KeyError:
            if len(self._role_memo) > WORD_CACHE_ENTRIES:
                self._role_memo.clear()
            value = self._role_memo[token] = self._is_role_word(token)
            return value

    def _is_role_word(self, token: str) -> bool:
        low = token.lower().strip(".,:;")
        if low in self.role_words:
            return True
        return len(low) > 3 and low.endswith(self.role_suffixes)

    def org_like(self, name: str) -> bool:
        """A name with an organisation word in it ('Furesø Erhvervsforening')."""
        return any(w.lower().endswith(self.org_suffixes) for w in name.split())

    def blocks_name(self, token: str) -> bool:
        try:
            return self._block_memo[token]
        except KeyError:
            if len(self._block_memo) > WORD_CACHE_ENTRIES:
                self._block_memo.clear()
            value = self._block_memo[token] = self._blocks_name(token)
            return value

    def _blocks_name(self, token: str) -> bool:
        low = token.lower()
        if low in self.blockers or self.is_role_word(token):
            return True
        return len(low) > 5 and low.endswith(self.street)

    @cached_property
    def name_sequence(self) -> re.Pattern:
        token = rf"(?:{INITIAL}|{NAME_WORD})"
        particle = "|".join(PARTICLES)
        sep = r"(?:[ \t\u00a0]+|[ \t\u00a0]*\n[ \t\u00a0]*)"
        return re.compile(rf"(?<![\w@.-]){token}(?:{sep}(?:(?:{particle}){sep}){{0,2}}{token})+(?![\w@])")

    @cached_property
    def token_re(self) -> re.Pattern:
        return re.compile(rf"{INITIAL}|{NAME_WORD}|\b(?:{'|'.join(PARTICLES)})\b")

    @cached_property
    def speech_after(self) -> re.Pattern:
        """Speech verb right after a name: "Karin Abel siger", "Lesley Griffiths said:"."""
        return re.compile(
            rf"\s*(?:{self.data['party_letters']}\s*)?,?\s*(?:{_alternation(self.data['speech_verbs'])})\b", re.IGNORECASE
        )

    @cached_property
    def speech_verb(self) -> re.Pattern:
        return re.compile(rf"(?<!\w)(?:{_alternation(self.data['speech_verbs'])})(?!\w)", re.IGNORECASE)

    @cached_property
    def party_letters(self) -> re.Pattern:
        return re.compile(rf"\s*{self.data['party_letters']}")

    @cached_property
    def exclude_before(self) -> re.Pattern:
        labels = _alternation(w for w in self.data["exclude_labels"] if w not in self.data["byline_words"])
        bylines = _alternation(self.data["byline_words"])
        return re.compile(
            rf"(?:(?<!\w)(?:{labels})\s*[:.]?[ \t]*(?:\n[ \t]*)?"
            rf"|(?:^|\n|[.!?|/·][ \t]+)[ \t]*(?:{bylines})[ \t]*:?[ \t]*(?:\n[ \t]*)*"
            rf"|(?<!\w)(?:{bylines})\s*:[ \t]*)$",
            re.IGNORECASE,
        )

    @cached_property
    def contact_label_line(self) -> re.Pattern:
        """A line that opens a contact block: "Kontakt:", "För mer information, kontakta"."""
        return re.compile(
            rf"^[ \t]*(?:[\w ,]{{0,30}}\s)?(?:{_alternation(self.data['contact_labels'])})(?:\s+(?:er|är|is|oss|os))?"
            r"[ \t]*[:.]?[ \t]*$",
            re.IGNORECASE,
        )

    @cached_property
    def contact_label_before(self) -> re.Pattern:
        """A label or contact verb right before a name: "Kontaktperson er ", "Saksbehandler: "."""
        words = _alternation(list(self.data["contact_labels"]) + list(self.data["contact_verbs"]))
        return re.compile(rf"(?<!\w)({words})(?:\s+(?:er|är|is))?\s*:?[\s|]*$", re.IGNORECASE)

    @cached_property
    def label_roles(self) -> set[str]:
        return set(self.data["label_roles"])

    @cached_property
    def switchboard(self) -> re.Pattern:
        return re.compile(rf"(?<!\w)(?:{_alternation(self.data['switchboard_labels'])})\b[^\n\d+]{{0,25}}$", re.IGNORECASE)

    @cached_property
    def academic_title_before(self) -> re.Pattern:
        titles = _alternation(t for t in self.data["academic_titles"])
        return re.compile(rf"(?<![\w.])(?:{titles})\.?[ \t]+$", re.IGNORECASE)

    @cached_property
    def honorific_before(self) -> re.Pattern:
        return re.compile(rf"(?<![\w.])(?:{_alternation(self.data['honorifics'])})\.?[ \t]+$", re.IGNORECASE)

    @cached_property
    def modifiers(self) -> set[str]:
        return set(self.data["role_modifiers"])

    @cached_property
    def signature_for(self) -> re.Pattern:
        words = _alternation(self.data["signature_for"])
        return re.compile(rf"(?:^|(?<=\s))(?:{words})\s+(?=[{UPPER}a-zæøåäö])", re.IGNORECASE)

    def party_signatures(self, text: str, start: int = 0, end: int | None = None) -> list[re.Match]:
        """Where a party's signature begins between start and end: "For Esbjerg Kommune", "På vegne av X"
        (capitalised, a name after it), as in lines and columns of signatures."""
        end = len(text) if end is None else end
        return [m for m in self.signature_for.finditer(text, start, end)
                if text[m.start()].isupper() and m.end() < len(text) and text[m.end()].isupper()]

    def starts_signature(self, text: str, pos: int) -> bool:
        """Does the line from `pos` open with a signature's "For", "För", "På vegne av" ...?"""
        while pos < len(text) and text[pos] in " \t":
            pos += 1
        return pos < len(text) and text[pos].isupper() and bool(self.signature_for.match(text, pos))

    @cached_property
    def org_preps(self) -> set[str]:
        return set(self.data["org_preps"])
