"""Organisations recognised by their own words: head words, legal forms, known names, context.

A mixin of OrgFinder: each `_head_triggers` registration ties trigger words to
a handler that grows the name around the trigger ("Sønderborg Kvinde- &
Krisecenter", "Stiftelsen Kirkens Bymisjon i Bergen", "Linde Gas A/S",
"föreningen Konstkollektivet").
"""

from __future__ import annotations

import re

from pipeline.nlp.org_cand import (
    P_ALIAS,
    P_BARE,
    P_BETWEEN,
    P_DESC,
    P_FIXED,
    P_HEAD,
    P_KNOWN,
    P_LEGAL,
    P_SIGN,
    Cand,
)
from pipeline.nlp.org_scan import WORD, Scan, occurrences
from pipeline.nlp.org_text import (
    CAPW,
    LOW,
    UP,
    collapse,
    is_capitalised,
    sentence_initial,
    strip_genitive,
    walk_left,
    walk_right_place,
)

_NAME = rf"{CAPW}(?: {CAPW}){{0,3}}"
_LNAME = rf"{CAPW}(?:[ \n]{CAPW}){{0,3}}"
_LIST_SEP = r"(?:,\s+|\s+(?:og|och|and|samt|eller)\s+)"
_NAME_RX = re.compile(_NAME)
_PLURAL_LIST = re.compile(rf":? ({_LNAME}(?:{_LIST_SEP}{_LNAME})*)")
_BETWEEN_LIST = re.compile(rf"\s+({_LNAME}(?:{_LIST_SEP}{_LNAME})*)")
_BETWEEN_ITEM = re.compile(rf"{CAPW}(?:[ \n]{CAPW}){{0,3}}")
_SIGN_NAME = re.compile(rf"[ \t]+({_NAME})(?=[ \t]+(?:For|För) |[ \t]*(?:\n|$))")
_ABBREV_DEF = re.compile(rf"\s*\(([{UP}][{UP}0-9/&-]{{1,9}})(?: [{UP}][\w.]*)?\)")
_ALLCAPS = re.compile(rf"[{UP}]{{2,9}}")
_DOTTED = {"Ltd", "Inc", "e.V", "r.f", "r.y", "Co"}


def _first_word(name: str) -> str:
    m = WORD.match(name)
    return m.group() if m else name



def _opens_cell(text: str, start: int) -> bool:
    """At the start of a table row or a short line (a cell or a list item)."""
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip(" -•*\t"):
        return False
    line_end = text.find("\n", start)
    line = text[line_start: len(text) if line_end < 0 else line_end]
    return "|" in line or len(line) < 60

class HeadsMixin:
    def _head_triggers(self, pat: dict) -> None:
        suf = pat["suffix_heads"]
        self.suffix_kind = {w: kind for kind in ("organisation", "company") for w in suf[kind]}
        self._suffix_words = tuple(sorted(self.suffix_kind, key=len, reverse=True))
        self.on_suffix(list(self.suffix_kind) + [w + "s" for w in self.suffix_kind], self._suffix_head)
        self.prefix_kind = {w: kind for kind, words in pat["prefix_heads"].items() for w in words}
        self.on(list(self.prefix_kind) + [w + "s" for w in self.prefix_kind], self._prefix_head)
        self.word_head_kind = {w: kind for kind, words in pat["word_heads_after"].items() for w in words}
        self.on({_first_word(w) for w in self.word_head_kind}, self._word_head)
        self.abbr_heads = pat["abbreviated_heads"]
        self.on(pat["club_suffixes"], self._club_suffix)
        self.on(pat["club_prefixes"], self._club_prefix)
        self.legal_kind = {w: kind for kind, words in pat["legal_forms"].items() for w in words}
        forms = {_first_word(w) for w in self.legal_kind}
        self.on(forms | {f + g for f in forms for g in ("'s", "’s")}, self._legal)
        self.fixed = {**{k: (v[0], v[1], False) for k, v in self.data.fixed.items()}, **self.data.known}
        self.fixed_by_first: dict[str, list[str]] = {}
        for name in sorted(self.fixed, key=len, reverse=True):
            self.fixed_by_first.setdefault(_first_word(name), []).append(name)
        self.on(self.fixed_by_first, self._fixed_name)
        self.desc_kind = {w: kind for kind, words in pat["descriptors"].items() for w in words}
        self.on_suffix(self.desc_kind, self._descriptor)
        self.plural_kind = {w: kind for kind, words in pat["plural_descriptors"].items() for w in words}
        self.on_suffix(self.plural_kind, self._plural)
        self.appo_kind = {w: kind for kind, words in pat["appositive_nouns"].items() for w in words}
        self.on({w.rsplit(" ", 1)[-1] for w in self.appo_kind}, self._appositive)
        self.on(("For", "För"), self._signature)
        self.on(("mellan", "mellem", "mellom", "between"), self._between)

    # ------------------------------------------------------------------ head words
    def _suffix_head(self, s: Scan, pos: int, word: str):
        text = s.text
        low = word.lower()
        gen = not low.endswith(self._suffix_words)
        core = word[:-1] if gen else word
        kind = self._suffix_kind_of(core.lower())
        if kind is None:
            return
        core_end, end = pos + len(core), pos + len(word)
        start = walk_left(text, pos, self.stops)
        place = None
        if not gen:
            r_end, place = walk_right_place(text, end, self.stops, allow_i=start == pos)
            if place:
                end = r_end
                # "Krisecenter Lysglimt Holbæk", "tjejjouren Rosen i Västerås": a town after the name
                t_end, town = walk_right_place(text, end, self.stops)
                if town and self.data.municipality(town.rsplit(" ", 1)[-1], None, ("DK", "SE", "NO")) and \
                        not text.startswith((" og ", " och "), end):
                    end, place = t_end, f"{place} {town}"
        if start == pos and place is None:
            if not is_capitalised(word) or word.isupper():
                return
            # "Forum", "Stiftelsen": the head word alone names nothing unless it stands for a full name
            bare = sentence_initial(text, pos) or core.lower() in self.suffix_kind
            s.out.append(Cand(pos, end, None if bare else core, kind, s.ctx, "bare" if bare else "pattern",
                              P_BARE if bare else P_HEAD, head=core))
            return
        if start == pos and not is_capitalised(word):
            return  # "kvinnojouren i Söderslätt": a description, not a name
        before = text[start:pos].split()
        if start < pos and not any(is_capitalised(w) for w in before):
            return
        if (len(before) == 1 and not is_capitalised(word) and place is None and _opens_cell(text, start)
                and not self.data.municipality(before[0], None, ("DK", "SE", "NO")) and not self.data.region(before[0])):
            return  # "Åbent værested | 85.000 kr.": a description opening a cell ("Sønderborg krisecenter" is a name)
        name = collapse(text[start:core_end] + (" " + place if place else ""))
        s.out.append(Cand(start, end, name, kind, s.ctx, "pattern", P_HEAD))

    def _suffix_kind_of(self, low: str) -> str | None:
        cache = self.__dict__.setdefault("_suffix_kind_cache", {})
        if low not in cache:
            cache[low] = next((self.suffix_kind[x] for x in self._suffix_words if low.endswith(x)), None)
        return cache[low]

    def _prefix_head(self, s: Scan, pos: int, word: str):
        kind = self.prefix_kind.get(word) or self.prefix_kind.get(word[:-1])
        after = pos + len(word)
        if kind is None or s.text[after:after + 1] != " ":
            return
        end, rest = self._name_after(s.text, after + 1)
        if rest:
            head = word if word in self.prefix_kind else word[:-1]
            s.out.append(Cand(pos, end, collapse(f"{head} {rest}"), kind, s.ctx, "pattern", P_HEAD))

    def _name_after(self, text, pos):
        """Name words after a prefix head: "Kirkens Bymisjon i Bergen", "for natur og friluftsliv Innlandet"."""
        m = self._after_rx.match(text, pos)
        if not m:
            return pos, ""
        words = m.group(0).split(" ")
        while words and (words[-1] in self.stops.words or not is_capitalised(words[-1])):
            words.pop()
            if words and words[-1] in ("i", "på"):
                words.pop()
        # "Formand for Foreningen Fristedet Vejle Ole Frandsen": the chair's name is not the association's.
        for i in range(1, len(words) - 1):
            if words[i].lower() in self.data.first_names and all(is_capitalised(w) for w in words[i + 1:]):
                words = words[:i]  # "Frivilligcenter Viborg Sanne Bøgh Laursen"
                break
        if not words:
            return pos, ""
        rest = " ".join(words)
        return pos + len(rest), rest

    _after_rx = re.compile(
        rf"(?:(?:for|för|til|mot|mod) (?:[\w-]+ ){{0,5}}?)?{CAPW}(?: (?:{CAPW}|i {CAPW}|på {CAPW})){{0,3}}"
    )

    def _word_head(self, s: Scan, pos: int, word: str):
        text = s.text
        head = next((h for h in sorted(self.word_head_kind, key=len, reverse=True)
                     if h.startswith(word) and text.startswith(h, pos)), None)
        if head is None:
            return
        end = pos + len(head)
        m = re.match(r"(?:'s|’s|s)?(?![\w-])", text[end:end + 3])
        if not m:
            return
        start = walk_left(text, pos, self.stops)
        if start < pos:
            s.out.append(Cand(start, end + m.end(), collapse(text[start:end]), self.word_head_kind[head], s.ctx,
                              "pattern", P_HEAD))

    def _club_suffix(self, s: Scan, pos: int, word: str):
        start = walk_left(s.text, pos, self.stops, max_words=3)
        if start == pos:
            return
        if word in self.abbr_heads:
            if s.lang not in ("nb", "nn", "no", None):
                return
            name = collapse(f"{s.text[start:pos]} {self.abbr_heads[word]}")  # "Austevoll IR"
        else:
            name = collapse(s.text[start:pos + len(word)])
        s.out.append(Cand(start, pos + len(word), name, "organisation", s.ctx, "pattern", P_HEAD))

    def _club_prefix(self, s: Scan, pos: int, word: str):
        m = re.compile(rf" ({CAPW}(?: {CAPW})?)").match(s.text, pos + len(word))
        if not m:
            return
        words = m.group(1).split(" ")
        while words and words[-1] in self.stops.words:
            words.pop()
        if words and words[0] not in self.stops.words:
            name = f"{word} {' '.join(words)}"
            s.out.append(Cand(pos, pos + len(name), name, "organisation", s.ctx, "pattern", P_HEAD))

    def _legal(self, s: Scan, pos: int, word: str):
        text = s.text
        gen = 2 if word.endswith(("'s", "’s")) else 0
        word = word[:-2] if gen else word
        end = pos + len(word)
        if word in _DOTTED and text[end:end + 1] == ".":
            end += 1
        form = text[pos:end]
        if form not in self.legal_kind or pos < 2 or text[pos - 1] != " " or not (text[pos - 2].isalnum() or
                                                                                    text[pos - 2] == "."):
            return
        start = walk_left(text, pos, self.stops, max_words=5, ampersand=True)
        if start == pos or not any(is_capitalised(w) for w in text[start:pos].split()):
            return
        if form == "AS" and text[start:end].isupper() and len(text[start:pos].split()) > 2:
            return  # an all-capitals line, not a Norwegian company
        s.out.append(Cand(start, end + gen, collapse(text[start:end]), self.legal_kind[form], s.ctx, "legal", P_LEGAL))

    # ------------------------------------------------------------------ known names
    def _fixed_name(self, s: Scan, pos: int, word: str):
        text = s.text
        for name in self.fixed_by_first[word]:
            if not text.startswith(name, pos):
                continue
            m = re.match(r"(s|'s|’s)?(?![\w-])", text[pos + len(name):pos + len(name) + 3])
            if m:
                break
        else:
            return
        gen = m.group(1)
        kind, country, place = self.fixed[name]
        if gen == "s" and (country == "GB" or not re.match(r" [a-zæøåäö]", text[pos + len(name) + 1:][:2])):
            return  # a plural or another word, not a genitive
        start, end, full = pos, pos + len(name) + len(gen or ""), name
        if " " not in name and self._inside_longer_name(text, pos, pos + len(name), place):
            return  # "Guro Sandvik Aune" is a person, not Sandvik
        if place:
            pre = self._place_before(text, pos)
            if pre is not None and kind != "company":
                start, full = pre, f"{text[pre:pos].strip()} {name}"
            if not gen:
                r_end, r_text = walk_right_place(text, end, self.stops, allow_i=kind != "company")
                nxt = r_text.split(" ")[-1] if r_text else ""
                if r_text and nxt not in self.fixed_by_first:
                    end = r_end
                    if kind != "company":
                        full = f"{full} {r_text}"
        prio = P_FIXED if name in self.data.fixed else P_KNOWN
        s.out.append(Cand(start, end, full, kind, country or s.ctx, "known", prio))

    def _inside_longer_name(self, text, start, end, place_ok):
        before = re.search(r"(\S+) $", text[max(0, start - 40):start])
        if before and is_capitalised(before.group(1)) and before.group(1) not in self.stops.words \
                and not sentence_initial(text, start - len(before.group(0))) \
                and not (place_ok and self._place_before(text, start) is not None):
            return True
        after = re.match(r" (\S+)", text[end:end + 40])
        return bool(after and is_capitalised(after.group(1)) and not place_ok
                    and after.group(1) not in self.stops.words and after.group(1) not in self.legal_kind)

    def _place_before(self, text, pos):
        """Start of a municipality or region name just before `pos` ("Namsos Røde Kors")."""
        hit = self._name_before(text, pos, lambda n: self.data.municipality(n) or self.data.region(n))
        return hit[0] if hit else None

    # ------------------------------------------------------------------ context words
    def _descriptor(self, s: Scan, pos: int, word: str):
        """ "föreningen Konstkollektivet", "gaskoncern Linde Gas" """
        if not word[0].islower():
            return
        kind = next((k for d, k in self.desc_kind.items() if word.endswith(d)), None)
        end = pos + len(word)
        m = _NAME_RX.match(s.text, end + 1) if s.text[end:end + 1] == " " else None
        name = self._trim_name(m.group()) if m and kind else ""
        if name:
            s.out.append(Cand(end + 1, end + 1 + len(name), name, kind, s.ctx, "context", P_DESC))

    def _plural(self, s: Scan, pos: int, word: str):
        """ "de to erhvervsforeninger Furesø Erhvervsforening og Furesø Industri" """
        if not word[0].islower():
            return
        kind = next((k for d, k in self.plural_kind.items() if word.endswith(d)), None)
        m = _PLURAL_LIST.match(s.text, pos + len(word))
        if not (kind and m):
            return
        for item in re.split(_LIST_SEP, m.group(1)):
            name = self._trim_name(collapse(item))
            if name:
                start = s.text.find(item, m.start(1))
                s.out.append(Cand(start, start + len(item), name, kind, s.ctx, "context", P_DESC))

    _appo_rx = re.compile(
        rf"({_NAME})(?:(, )(?:(?:en|ett|et|ei|eit|a|an|the) )?| (?:er|är|is|var|was|blir) (?:en|ett|et|ei|eit|a|an) )"
        rf"((?:[{LOW}-]+ ){{0,3}}?)$"
    )
    # only describing words between the name and the noun: "Jens Hansen, formand for en forening" is a person
    _NOT_DESCRIBING = {"for", "i", "af", "av", "of", "til", "till", "in", "på", "ved", "vid", "hos", "med", "with",
                       "at", "from", "fra", "från", "frå", "den", "det", "the", "dets", "sin", "sitt", "sine", "its",
                       "og", "och", "and", "som", "der", "that", "which"}

    def _appositive(self, s: Scan, pos: int, word: str):
        """ "Yalla Trappan, arbetsintegrerande socialt företag", "Survive is a registered charity" """
        text = s.text
        line_start = max(text.rfind("\n", 0, pos) + 1, pos - 150)
        m = self._appo_rx.search(text, line_start, pos)
        if not m or any(w in self._NOT_DESCRIBING for w in m.group(3).split()):
            return
        kind = next((k for n, k in self.appo_kind.items() if " " in n and text.endswith(n, 0, pos + len(word))), None)
        kind = kind or self.appo_kind.get(word)
        name = self._trim_name(m.group(1), strip_left=True)
        if not (kind and name):
            return
        start = m.start(1) + m.group(1).rfind(name)
        s.out.append(Cand(start, start + len(name), name, kind, s.ctx, "context", P_DESC))

    def _trim_name(self, name: str, strip_left: bool = False) -> str:
        words = name.split(" ")
        if strip_left:
            while words and (words[0] in self.stops.words or not is_capitalised(words[0])):
                words.pop(0)
        while words and words[-1] in self.stops.words:
            words.pop()
        if not words or words[0] in self.stops.words:
            return ""
        return " ".join(strip_genitive(w) if i == len(words) - 1 else w for i, w in enumerate(words))

    def _signature(self, s: Scan, pos: int, word: str):
        """ "For Billund Kommune      For Dansk Byggeri" above a signature line """
        text = s.text
        line_start = text.rfind("\n", 0, pos) + 1
        before = text[line_start:pos]
        if before.strip() and not (before.endswith(("  ", "\t")) or re.search(r"[\w.] $", before)):
            return
        m = _SIGN_NAME.match(text, pos + len(word))
        name = self._trim_name(m.group(1)) if m else ""
        if name:
            s.out.append(Cand(m.start(1), m.start(1) + len(name), name, "organisation", s.ctx, "context", P_SIGN))

    def _between(self, s: Scan, pos: int, word: str):
        """ "mellem Furesø Kommune, Furesø Erhvervsforening og Furesø Industri" """
        m = _BETWEEN_LIST.match(s.text, pos + len(word))
        if not m:
            return
        for item in _BETWEEN_ITEM.finditer(m.group(1)):
            name = self._trim_name(collapse(item.group()))
            if name and " " in name:
                start = m.start(1) + item.start()
                s.out.append(Cand(start, m.start(1) + item.end(), name, "organisation", s.ctx, "context", P_BETWEEN))

    # ------------------------------------------------------------------ abbreviations
    def _abbreviations(self, s: Scan) -> None:
        text, out = s.text, s.out
        named = {c.name: c for c in out if c.name and c.prio >= P_DESC and c.source not in ("legal", "gazetteer")}
        aliases: dict[str, Cand] = {}
        for c in out:
            if c.name and c.prio >= P_DESC and c.source != "legal":
                m = _ABBREV_DEF.match(text, c.end)
                if m:
                    aliases.setdefault(m.group(1), c)
        initials: dict[str, list[Cand]] = {}
        for name, c in named.items():
            core = re.split(r" (?:for|i|in|of|på) (?=[A-ZÆØÅÄÖ])", name, maxsplit=1)[0]
            words = [w for w in core.split() if w[0].isupper()]
            if len(words) >= 3 and not any(w.isupper() for w in words):
                initials.setdefault("".join(w[0] for w in words), []).append(c)

        def target_of(abbr):
            target = aliases.get(abbr)
            if target is None and len({c.name for c in initials.get(abbr, [])}) == 1:
                target = initials[abbr][0]
            return target

        for c in out:  # "CDA Inc.": the association's abbreviation with a legal form, not a company
            if c.source == "legal":
                base = c.name.rsplit(" ", 1)[0]
                target = target_of(base) if base.isupper() else None
                if target:
                    c.name, c.kind, c.source = target.name, target.kind, "alias"
        for abbr in {w for w in s.vocab if w.isupper() and _ALLCAPS.fullmatch(w)}:  # isupper: cheap, implied
            target = target_of(abbr)
            if target is None:
                continue
            for pos in occurrences(text, abbr):
                if not target.start <= pos < target.end:
                    out.append(Cand(pos, pos + len(abbr), target.name, target.kind, target.country, "alias", P_ALIAS))
