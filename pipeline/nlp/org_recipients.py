"""Organisations named as the recipients of money, whatever their names look like.

Grant lists name associations without any head word ("Teatergalleriet 160 000
kronor", "Womankind will receive £22,955", "- Naturfond Gl. Rye: ..., 40.000
kroner"); the sum beside a capitalised name is the evidence here. A mixin of
OrgFinder.
"""

from __future__ import annotations

import re

from pipeline.nlp.org_cand import P_DESC, Cand
from pipeline.nlp.org_scan import Scan
from pipeline.nlp.org_text import CAPW, UP, collapse, is_capitalised, sentence_initial, walk_left

_AMOUNT = r"\d{1,3}(?:[ .,]\d{3})+(?:,\d+)?|\d+(?:,\d+)?\s*(?:mio|mill|miljoner|millioner|millionar)"
_CUR_WORDS = ("kronor", "kroner", "kronar", "kr", "SEK", "DKK", "NOK", "EUR", "euro")
_CUR = r"(?:kronor|kroner|kronar|kr\.?|SEK|DKK|NOK|EUR|euro)"
_CAP_RUN = rf"{CAPW}(?: (?:{CAPW}|og|och|and|&|of|for|i)){{0,6}}"

# "Womankind will receive £22,955"; the name is looked up before "will"
_EN_WILL = re.compile(r"will\s+(receive|share|get|be\s+awarded|be\s+given)\b")
_EN_NAME = re.compile(rf"(?:^|(?<=[–•*\-] )|(?<=\. )|(?<=\n))((?:The )?{_CAP_RUN})\s+$")
# "£56,244 for Hafan Cymru in Swansea", "£95,000 per annum to Leith Family Support Network"
_EN_FOR = re.compile(rf"[£$€][\d,.]+(?:\s*(?:million|m|k|bn))?(?:\s+(?:per|a|each)\s+(?:annum|year|month))?\s+(?:for|to)\s+((?:the |The )?{CAPW}(?: {CAPW}){{0,5}})")
# "får Konstvännerna Lindsdal med 3 000 kronor", "får Antidiskrimineringsbyrån Sydost 100 000 kronor"
# ... also with the grant named between: "modtager Havnehuset et årligt driftstilskud på 1,45 mio. kr."
_GRANT_BETWEEN = (r"(?:(?:et|ett|en|ei|eit)\s+)?(?:[\wæøåäö]+\s+)?"
                  r"[\wæøåäö]*(?:tilskud|tilskudd|tilskot|bidrag|støtte|stöd|beløb|belopp|beløp)[\wæøåäö]*\s+(?:på|om)\s+")
_NORDIC_GETS = re.compile(
    rf"\s+([{UP}][\w'’-]*(?: [\w'’&-]+){{0,7}}?)\s+(?:med\s+|hver\s+|hvert\s+|var\s+|vardera\s+|kvar\s+|{_GRANT_BETWEEN})?"
    rf"(?:kr\.?\s*)?(?:{_AMOUNT})"
)
_COORDINATED = re.compile(r" (?:og|och|and) (?=[A-ZÆØÅÄÖ])")
# "Masquerade Lajvförening föreslås få 13 000 kronor", "Mødrehjælpen har fået 36.450 kroner"
_NORDIC_GOT = re.compile(
    rf"(?:\s+få)?\s+(?:(?:et|ett|en|ei|eit)\s+)?(?:(?:tilskud|tilskudd|bidrag|tilskot)\s+)?(?:(?:på|om)\s+)?"
    rf"(?:kr\.?\s*)?(?:{_AMOUNT})"
)
_GETS_WORDS = ("får", "fick", "fikk", "fik", "modtager", "mottar", "mottok", "erhåller", "tilldelas", "tildeles")
_GOT_WORDS = ("föreslås", "fått", "fået", "fick", "fikk", "fik", "får", "mottar", "modtager")
# "Musikkåren Lyran 65 000 kronor": amount and name before the currency word
_SUM_BEFORE = re.compile(rf"(?<=[\w.]) (\(?(?:{_AMOUNT}))\s*$")  # also "Bodø Turlag (150 000 kroner)"
# a list line: "Scenkonst Kalmar 145 000"
_LINE_END = re.compile(rf"\d{{3}}(?:[ \t]*(?:{_CUR}|:-))?[ \t]*$", re.M)
# The same read backwards from a line break in the reversed text ("\n" + text[::-1]): `re` jumps from
# one "\n" to the next instead of trying a digit at every character.
_CUR_FORMS = ("kronor", "kroner", "kronar", "kr.", "kr", "SEK", "DKK", "NOK", "EUR", "euro", ":-")
_LINE_END_REVERSED = re.compile(
    r"\n[ \t]*(?:(?:" + "|".join(re.escape(c[::-1]) for c in _CUR_FORMS) + r")[ \t]*)?\d{3}"
)


def line_ends_after_sum(text: str) -> list[int]:
    """The ends of the lines where _LINE_END matches (it matches up to the line end, once per line)."""
    return [len(text) - m.start() for m in _LINE_END_REVERSED.finditer("\n" + text[::-1])][::-1]
_LINE = re.compile(
    rf"[ \t]*([{UP}][\w'’.-]*(?: (?:[\w'’.&-]+)){{0,4}}?)[ \t]+(?:{_AMOUNT})(?:[ \t]*(?:{_CUR}|:-))?[ \t]*$"
)
# "- Naturfond Gl. Rye: "Starthjælp ..." (Skanderborg), 40.000 kroner"
_BULLET = re.compile(rf"[-–•*][ \t]*({_CAP_RUN}):")
_DEFINITE = re.compile(r"(?:et|en|na|ne|erne|arna|rna)$")
_NOT_NAME = {"kr", "kr.", "kronor", "kroner", "sek", "dkk", "nok", "i alt", "summa", "sum", "total", "totalt"}


_RELATIVE_BEFORE = re.compile(r"(?<=\w), (?:der|som|which|who) $")
_RUN_BEFORE = re.compile(rf"(?:^|(?<=[\s–•*-]))({_CAP_RUN})$")


class RecipientsMixin:
    def _recipient_triggers(self) -> None:
        self.on(("will",), self._en_will)
        self.on(_GETS_WORDS, self._nordic_gets)
        self.on(_GOT_WORDS, self._nordic_got)
        self.on(_CUR_WORDS, self._name_sum)

    def _add_recipient(self, s: Scan, start: int, raw: str, keep_the: bool = False) -> None:
        """Add `raw` (starting at `start`) with stop words trimmed, if anything name-like is left."""
        name = collapse(raw)
        words = name.split(" ")
        offset = 0
        while words and words[0] in self.stops.words and not (keep_the and words[0] == "The" and len(words) > 2):
            offset += len(words[0]) + 1
            words.pop(0)
        while words and words[-1] in ("og", "och", "and", "&", "of", "for", "i"):
            words.pop()
        if not words or words[-1] in self.stops.words or not is_capitalised(words[0]) \
                or any(w.lower() in _NOT_NAME for w in words):
            return
        name = " ".join(words)
        if len(words) == 1 and sentence_initial(s.text, start + offset) and (
                _DEFINITE.search(name.lower()) or name.endswith("s") and not name.isupper()):
            return  # "Projektet får ...", "Partners will share ...": a common noun opening the sentence
        s.out.append(Cand(start + offset, start + offset + len(name), name, "organisation", s.ctx, "context", P_DESC))

    def _en_will(self, s: Scan, pos: int, word: str):
        m = _EN_WILL.match(s.text, pos)
        if not m:
            return
        lo = max(0, pos - 120)
        n = _EN_NAME.search(s.text, lo, pos)
        if not n:
            return
        raw = n.group(1)
        parts = raw.split(" and ") if m.group(1) == "share" else [raw]
        at = n.start(1)
        for part in parts:
            at = s.text.find(part, at)
            self._add_recipient(s, at, part, keep_the=True)
            at += len(part)

    def _nordic_gets(self, s: Scan, pos: int, word: str):
        m = _NORDIC_GETS.match(s.text, pos + len(word))
        if m:  # "får Holbæk Krisecenter og Dansk Flygtningehjælp hver 50.000 kroner": two recipients
            at = m.start(1)
            for part in _COORDINATED.split(m.group(1)):
                at = s.text.find(part, at)
                self._add_recipient(s, at, part)
                at += len(part)

    def _nordic_got(self, s: Scan, pos: int, word: str):
        if not _NORDIC_GOT.match(s.text, pos + len(word)):
            return
        text = s.text
        for aux in ("har ", "have "):
            if text.endswith(aux, 0, pos):
                pos -= len(aux)
        rel = _RELATIVE_BEFORE.search(text, max(0, pos - 12), pos)
        if rel:  # "- Café Tusindfryd Horsens, der får 240.000 kr.": the name before the relative clause
            line_start = text.rfind("\n", 0, rel.start()) + 1
            run = _RUN_BEFORE.search(text, max(line_start, rel.start() - 80), rel.start())
            if run:
                self._add_recipient(s, run.start(1), run.group(1))
            return
        start = walk_left(text, pos, self.stops, max_words=4)
        if start < pos:
            self._add_recipient(s, start, text[start:pos])

    def _name_sum(self, s: Scan, pos: int, word: str):
        text = s.text
        m = _SUM_BEFORE.search(text, max(0, pos - 30), pos)
        if not m or (pos - m.end() > 1):
            return
        start = walk_left(text, m.start(1), self.stops, max_words=4)
        if start < m.start(1):
            self._add_recipient(s, start, text[start:m.start(1)])

    def find_whole_text(self, s: Scan) -> None:
        """Recipient patterns anchored on characters rather than words."""
        text = s.text
        if "£" in text or "$" in text or "€" in text:  # what _EN_FOR starts with
            for m in _EN_FOR.finditer(text):
                self._add_recipient(s, m.start(1), m.group(1), keep_the=True)
        lines = []
        for end in line_ends_after_sum(text):
            line_start = text.rfind("\n", 0, end) + 1
            if lines and lines[-1].start(1) >= line_start:
                continue
            line = _LINE.match(text, line_start, end)
            if line:
                lines.append(line)
        for i, m in enumerate(lines):
            near = [x for x in (lines[i - 1] if i else None, lines[i + 1] if i + 1 < len(lines) else None) if x]
            if any(text.count("\n", min(x.start(), m.start()), max(x.start(), m.start())) == 1 for x in near):
                self._add_recipient(s, m.start(1), m.group(1))
        for m in _BULLET.finditer(text):
            line_start = text.rfind("\n", 0, m.start()) + 1
            line_end = text.find("\n", m.end())
            line_end = len(text) if line_end < 0 else line_end
            if not text[line_start:m.start()].strip() and re.search(r"\d{2,}", text[m.end():line_end]):
                self._add_recipient(s, m.start(1), m.group(1))
