"""Candidate organisation mentions in plain text.

`OrgFinder.find(text, lang, country)` returns overlapping candidates with a
priority; `org_resolve` picks among them and settles what a committee or a bare
"Kvinnojouren" refers to. Every recogniser is tied to trigger words (a head
word, a legal form, "kommune", "Region", "får"...) and runs only where those
words occur (see org_scan). Everything works on the string, so the spaCy
component, `canonical_org` and tests share one implementation.
"""

from __future__ import annotations

import re

from pipeline import WORD_CACHE_ENTRIES
from pipeline.nlp.org_cand import P_GAZ, P_LIST, P_STATE, Cand
from pipeline.nlp.org_data import COUNTRY_OF_LANG, OrgData, fold
from pipeline.nlp.org_committees import CommitteesMixin, coord_before
from pipeline.nlp.org_heads import HeadsMixin
from pipeline.nlp.org_recipients import RecipientsMixin
from pipeline.nlp.org_scan import WORD, Scan, vocabulary
from pipeline.nlp.org_text import CAPW, LOW, UP, Stops, collapse, strip_genitive, walk_left

_HEAD_BASE = {"kommune": "kommune", "kommunes": "kommune", "kommun": "kommun", "kommuns": "kommun", "stad": "stad",
              "stads": "stad", "regionskommune": "kommune", "regionskommunes": "kommune", "herad": "herad",
              "herads": "herad"}
# "Ystads kommuninvånare", "Huddinge kommunalråd": the place before a municipal compound is the municipality
_MUN_COMPOUNDS = ("kommuninvånare", "kommuninvånarna", "kommuninvånares", "kommunalråd", "kommunalrådet",
                  "kommunalråden", "kommuninnbyggere", "kommuneinnbyggere", "kommunalbestyrelse", "kommunalbestyrelsen")
_FYLKE_HEADS = ("fylkeskommune", "fylkeskommunes", "Fylkeskommune", "FYLKESKOMMUNE", "fylkeskommun")
_REGION = re.compile(rf"(?:Region|REGION) ({CAPW}(?:[ -]{CAPW})?(?: län)?)")
_LANSSTYRELSE = re.compile(rf"Länsstyrelsen(?:s)?(?: i)? ({CAPW}(?: {CAPW})?(?: läns?)?)")
_KREIS = re.compile(rf"(Kreis|Landkreis|Stadt) ({CAPW})")
_MINISTERIET_FOR = re.compile(rf"Ministeriet for ([{UP}][\w-]*(?:(?:, | og )[{UP}][\w-]*)*)")
_MINISTERIUM = re.compile(
    rf"(?:Bundes)?[Mm]inisterium für [{UP}][\w-]*(?:(?:, | und )[{UP}][\w-]*)*(?: des Landes [{UP}][\w-]+)?"
)
_EN_WORDS = rf"[{UP}][\w'-]*(?: [{UP}][\w'-]*)*"
_EN_MINISTRY = re.compile(rf"(?:Ministry|Department) (?:of|for) {_EN_WORDS}(?:(?:,? and |, | of the | of | for ){_EN_WORDS})*")
_EN_GOV_ADJ = {"Welsh", "Scottish", "UK", "British", "Swedish", "Danish", "Norwegian", "Finnish", "German", "Irish",
               "Icelandic"}
_PCC = re.compile(
    rf"Police,? (?:and|&) Crime Commissioner (?:for|of) "
    rf"((?:(?:North|South|East|West|Thames|Greater|Central) )?{CAPW}(?:(?: and\s+| &\s+)(?:(?:North|South|East|West) )?{CAPW})?)"
)
_HOGSKOLE = re.compile(rf"(?:Høgskolen|Høgskulen|Högskolan|Universitetet) (?:i |på )?{CAPW}")
_COUNCIL_KINDS = ("County Borough", "Metropolitan Borough", "Borough", "City", "County", "District", "Town", "Parish",
                  "Community")
_COUNCIL_NOT_MUN = {"Refugee": "organisation", "Youth": "organisation", "Student": "organisation",
                    "Students": "organisation", "Sports": "organisation", "Advisory": "organisation",
                    "Voluntary": "organisation", "Arts": "state", "Research": "state", "National": "state",
                    "British": "state", "European": "state", "Security": "state", "Privy": "state",
                    "Medical": "state", "Executive": "state", "Legislative": "state"}
_COUNCIL_UP = re.compile(r"((?:[A-Z]+ ){1,4}(?:COUNTY BOROUGH |BOROUGH |CITY |COUNTY |DISTRICT )?)$")
_CITY_OF = re.compile(rf"City of ({CAPW})('s|’s)?(?![\w-])")
_LIST_SEP = r"(?:,\s+|\s+(?:og|och|and|samt|eller)\s+)"
_ITEM = rf"{CAPW}(?:[ -]{CAPW})?"
_LIST_AFTER = re.compile(rf"\w+(?:\s+(?:[{LOW}\d]+\s+){{0,3}}?kommuner)?:?\s+({_ITEM}(?:{_LIST_SEP}{_ITEM})+)")
_LIST_BEFORE = re.compile(rf"({_ITEM}(?:{_LIST_SEP}{_ITEM})+)\s+$")
_LIST_ITEM = re.compile(_ITEM)
_LIST_AFTER_WORDS = ("kommunerne", "kommunene", "kommunerna", "kommunane", "kommuner", "kommunar", "Kommunerne",
                     "Kommunene", "Kommunerna", "kredsene", "Kreise")
_LIST_BEFORE_WORDS = ("kommuner", "kommunar", "kommunerne", "kommunene", "kommunerna", "kommune", "kommun",
                      "fylkeskommuner", "fylkeskommunar", "fylkeskommune", "fylkeskommunene")


_WORD_CHAR = re.compile(r"\w")
_JOINERS = "'’/-"  # inside a WORD token, between word characters


def _token_starts(text: str, word: str):
    """Where `word` stands as a whole token of WORD.finditer(text)."""
    n, size = len(word), len(text)
    pos = text.find(word)
    while pos >= 0:
        before = text[pos - 1] if pos else " "
        after = text[pos + n] if pos + n < size else " "
        # Decided by the characters beside the hit, with the token rules only where a joiner stands there:
        # a word character beside it makes it part of a longer token.
        if before.isalnum() or before == "_" or after.isalnum() or after == "_":
            pass
        elif (before not in _JOINERS and after not in _JOINERS) or (
                _starts_token(text, pos) and WORD.match(text, pos).group() == word):
            yield pos
        pos = text.find(word, pos + 1)


def _starts_token(text: str, pos: int) -> bool:
    """Whether a WORD token starts at `pos` (it stands at a word character): not when a word character,
    or a run of joiners ("-", "/", "'") after one, comes just before."""
    i = pos - 1
    while i >= 0 and text[i] in _JOINERS:
        i -= 1
    return i < 0 or not _WORD_CHAR.match(text, i)


class OrgFinder(HeadsMixin, RecipientsMixin, CommitteesMixin):
    def __init__(self, data: OrgData):
        self.data = data
        pat = data.patterns
        self.stops = Stops(frozenset(pat["stopwords"]), frozenset(["Kommune", "Kommun", "Region", "Kreis", "Council"]))
        self.exact: dict[str, list] = {}
        self.suffix_rules: list[tuple[tuple[str, ...], object]] = []
        self._cache: dict[str, tuple] = {}
        self._gazetteer_triggers()
        self._public_triggers()
        self._committee_triggers(pat["committees"])
        self._head_triggers(pat)
        self._recipient_triggers()
        self._all_suffixes = tuple(s for tup, _h in self.suffix_rules for s in tup)

    def on(self, words, handler) -> None:
        for w in words:
            self.exact.setdefault(w, []).append(handler)

    def on_suffix(self, suffixes, handler) -> None:
        self.suffix_rules.append((tuple(s.lower() for s in suffixes), handler))

    def _handlers(self, word: str) -> tuple:
        found = self._cache.get(word)
        if found is None:
            hs = list(self.exact.get(word, ()))
            low = word.lower()
            if len(low) > 3 and low.endswith(self._all_suffixes):
                hs += [h for tup, h in self.suffix_rules if low.endswith(tup)]
            found = tuple(hs)
            if len(self._cache) > WORD_CACHE_ENTRIES:
                self._cache.clear()
            self._cache[word] = found
        return found

    # ------------------------------------------------------------------ entry point
    def find(self, text: str, lang: str | None = None, country: str | None = None) -> list[Cand]:
        s = Scan(text, lang, country or COUNTRY_OF_LANG.get(lang or ""), vocab=vocabulary(text))
        triggered = {w: hs for w in s.vocab if (hs := self._handlers(w))}
        # Only the few words with handlers are looked for (str.find), not every word of the page;
        # they are handled in text order, as a walk over all words would.
        for pos, w in sorted((pos, w) for w in triggered for pos in _token_starts(text, w)):
            for h in triggered[w]:
                h(s, pos, w)
        self.find_whole_text(s)
        self._abbreviations(s)
        return s.out

    # ------------------------------------------------------------------ municipalities and regions
    def _gazetteer_triggers(self):
        heads = [h for base in _HEAD_BASE for h in (base, base.capitalize(), base.upper())]
        self.on(heads, self._municipality_head)
        self.on(_MUN_COMPOUNDS, self._municipality_compound)
        self.on(_FYLKE_HEADS, self._fylke_head)
        self.on(("Region", "REGION"), self._region)
        self.on(("Länsstyrelsen", "Länsstyrelsens"), self._lansstyrelse)
        fylker = sorted({v["NO"].rsplit(" ", 1)[0] for v in self.data.regions.values() if "NO" in v} | {"Oslo"},
                        key=len, reverse=True)
        f_alt = "|".join(re.escape(f) for f in fylker)
        self._fylkesmann_rx = re.compile(rf"(Fylkesmannen|Statsforvalteren|Statsforvaltaren)(?:s)? i "
                                         rf"((?:{f_alt})(?:(?:, | og )(?:{f_alt}))*)")
        self.on(("Fylkesmannen", "Statsforvalteren", "Fylkesmannens", "Statsforvalterens", "Statsforvaltaren",
                 "Statsforvaltarens"),
                self._fylkesmann)
        self.on(("Kreis", "Landkreis", "Stadt"), self._kreis)
        self.on(_LIST_AFTER_WORDS, self._list_after)
        self.on(_LIST_BEFORE_WORDS, self._list_before)

    def _municipality_head(self, s: Scan, pos: int, head: str):
        base = _HEAD_BASE[head.lower()]
        if base in ("kommun", "stad"):
            countries = ("SE",)
        elif base == "herad":
            countries = ("NO",)
        elif s.lang in ("nb", "nn", "no") or (head == "kommune" and s.lang != "da" and s.ctx != "DK"):
            countries = ("NO", "DK")
        else:
            countries = ("DK", "NO")
        hit = self._name_before(s.text, pos, lambda n: self.data.municipality(n, countries[0], countries))
        if hit:
            start, (canonical, country) = hit
            if base == "herad":
                canonical = canonical.rsplit(" ", 1)[0] + " herad"  # "Voss herad" is what Voss calls itself
            if base != "stad" or canonical.lower().endswith("stad"):
                s.out.append(Cand(start, pos + len(head), canonical, "municipality", country, "gazetteer", P_GAZ))

    def _municipality_compound(self, s: Scan, pos: int, word: str):
        countries = ("SE",) if word.startswith(("kommuninv", "kommunalråd")) else ("DK", "NO")
        hit = self._name_before(s.text, pos, lambda n: self.data.municipality(n, countries[0], countries))
        if hit:
            start, (canonical, country) = hit
            s.out.append(Cand(start, pos - 1, canonical, "municipality", country, "gazetteer", P_GAZ))

    def _fylke_head(self, s: Scan, pos: int, head: str):
        hit = self._name_before(s.text, pos, lambda n: self.data.region(n, ("NO",)))
        if hit:
            start, (canonical, country) = hit
            s.out.append(Cand(start, pos + len(head), canonical, "region", country, "gazetteer", P_GAZ))

    def _name_before(self, text, pos, lookup):
        """Longest run of up to four words before `pos` (same line) that `lookup` knows."""
        line_start = max(text.rfind("\n", 0, pos) + 1, pos - 80)
        seg = text[line_start:pos]
        if not seg.endswith(" "):
            return None
        words = list(re.finditer(r"[^\s,.;:()«»\"/]+", seg))
        for n in range(min(4, len(words)), 0, -1):
            first = words[-n]
            phrase = seg[first.start():words[-1].end()]
            if seg[words[-1].end():].strip() or not phrase[0].isupper() or "  " in phrase:
                continue
            found = lookup(phrase)
            if found:
                return line_start + first.start(), found
        return None

    def _region(self, s: Scan, pos: int, word: str):
        m = _REGION.match(s.text, pos)
        if not m:
            return
        words = m.group(1).split(" ")
        for n in range(len(words), 0, -1):
            key = " ".join(words[:n])
            found = self.data.region(key, ("DK", "SE"))
            if found:
                s.out.append(Cand(pos, m.start(1) + len(key), found[0], "region", found[1], "gazetteer", P_GAZ))
                return

    def _lansstyrelse(self, s: Scan, pos: int, word: str):
        m = _LANSSTYRELSE.match(s.text, pos)
        if not m:
            return
        words = m.group(1).split(" ")
        for n in range(len(words), 0, -1):
            key = " ".join(words[:n])
            county = self.data.se_counties.get(fold(key))
            if county:
                s.out.append(Cand(pos, m.start(1) + len(key), f"Länsstyrelsen i {county}", "state", "SE",
                                  "gazetteer", P_GAZ))
                return

    def _fylkesmann(self, s: Scan, pos: int, word: str):
        m = self._fylkesmann_rx.match(s.text, pos)
        if m:
            head, area, end = m.group(1), m.group(2), m.end()
            tail = re.match(r" og ([^,]+)$", area[area.rfind(" og "):]) if " og " in area else None
            if tail and re.match(r" fylkeskommun", s.text[end:end + 14]) and area.rfind(" og ") > 0:
                cut = area.rfind(" og ")  # "Statsforvaltaren i Vestland og Vestland fylkeskommune"
                area, end = area[:cut], m.start(2) + cut
            s.out.append(Cand(pos, end, f"{head} i {area}", "state", "NO", "gazetteer", P_GAZ))

    def _kreis(self, s: Scan, pos: int, word: str):
        m = _KREIS.match(s.text, pos)
        if m:
            place = strip_genitive(m.group(2))
            if m.group(1) == "Stadt":
                s.out.append(Cand(pos, m.end(), f"Stadt {place}", "municipality", "DE", "gazetteer", P_GAZ))
            else:
                s.out.append(Cand(pos, m.end(), f"Kreis {place}", "region", "DE", "gazetteer", P_GAZ))

    def _list_after(self, s: Scan, pos: int, word: str):
        """ "kommunerne Haderslev, Sønderborg, Aabenraa og Tønder", "kredsene Nordfriesland og ..." """
        m = _LIST_AFTER.match(s.text, pos)
        if not m:
            return
        german = word in ("kredsene", "Kreise")
        for item in _LIST_ITEM.finditer(m.group(1)):
            start, name = m.start(1) + item.start(), item.group()
            if german:
                s.out.append(Cand(start, start + len(name), f"Kreis {name}", "region", "DE", "list", P_LIST))
                continue
            found = self.data.municipality(name, s.ctx)
            if found:
                s.out.append(Cand(start, start + len(name), found[0], "municipality", found[1], "list", P_LIST))

    def _list_before(self, s: Scan, pos: int, word: str):
        """ "Beiarn, Fauske, ... og Værøy kommuner", "Hedmark og Oppland fylkeskommune" """
        seg_start = max(s.text.rfind("\n", 0, pos) + 1, pos - 300)
        m = _LIST_BEFORE.search(s.text, seg_start, pos)
        if not m:
            return
        for item in _LIST_ITEM.finditer(m.group(1)):
            start, name = m.start(1) + item.start(), item.group()
            if word.startswith("fylkeskommun"):
                found, kind = self.data.region(name, ("NO",)), "region"
            else:
                pref = "SE" if word in ("kommun", "kommuner") and s.lang == "sv" else s.ctx
                found, kind = self.data.municipality(name, pref), "municipality"
            if found:
                s.out.append(Cand(start, start + len(name), found[0], kind, found[1], "list", P_LIST))

    # ------------------------------------------------------------------ public bodies
    def _public_triggers(self):
        state_suf = self.data.patterns["suffix_heads"]["state"] + ["verket"]
        self.state_exclude = set(self.data.patterns["state_suffix_exclude"])
        self.on_suffix(state_suf + [w + "s" for w in state_suf], self._state_suffix)
        self.on(("Ministeriet",), self._rx_state(_MINISTERIET_FOR))
        self.on(("Ministerium", "ministerium", "Bundesministerium"), self._rx_state(_MINISTERIUM, "DE"))
        self.on(("Ministry", "Department"), self._rx_state(_EN_MINISTRY))
        self.on(("Høgskolen", "Høgskulen", "Högskolan", "Universitetet"), self._rx_state(_HOGSKOLE))
        self.on(("Universitet", "universitet"), self._university_after)
        self.on(("Government",), self._government)
        self.on(("Police",), self._pcc)
        self.on(("Council", "Council's", "Council’s"), self._council)
        self.on(("COUNCIL",), self._council_upper)
        self.on(("City",), self._city_of)

    def _state_suffix(self, s: Scan, pos: int, word: str):
        low = word.lower()
        core = low[:-1] if low.endswith("s") else low
        if low in self.state_exclude or low.endswith(("bestyrelsen", "kommunstyrelsen", "regionstyrelsen",
                                                       "länsstyrelsen")):
            return
        if core.endswith(("bestyrelsen", "kommunstyrelsen", "regionstyrelsen")):
            return  # "Kommunstyrelsens arbetsutskott": the municipality's board, no state body
        if low.endswith(("verket", "verkets")) and s.lang not in ("sv", None):
            return
        end = pos + len(word)
        if low.endswith("s") and not low.endswith(tuple(self.state_exclude)):
            word = word[:-1]  # genitive "Kulturministeriets"
        start = pos
        m = coord_before(s.text, pos)
        if m and m.group()[0].isupper():
            start = m.start()  # "Social- og Boligministeriet", "Barne-, ungdoms- og familiedirektoratet"
        elif not word[0].isupper():
            return
        name = collapse(s.text[start:pos] + word)
        s.out.append(Cand(start, end, name, "state", s.ctx, "state", P_STATE))

    def _rx_state(self, rx, country=None):
        def handler(s: Scan, pos: int, word: str):
            m = rx.match(s.text, pos)
            if m:
                name = strip_genitive(collapse(m.group(0)))
                s.out.append(Cand(pos, m.end(), name, "state", country or s.ctx, "state", P_STATE))
        return handler

    def _university_after(self, s: Scan, pos: int, word: str):
        m = re.search(rf"({CAPW}) $", s.text[max(0, pos - 40):pos])
        if m and m.group(1) not in self.stops.words:
            start = pos - len(m.group(0))
            s.out.append(Cand(start, pos + len(word), collapse(s.text[start:pos + len(word)]), "state", s.ctx, "state",
                              P_STATE))

    def _government(self, s: Scan, pos: int, word: str):
        m = re.search(r"(\w+) $", s.text[max(0, pos - 20):pos])
        if m and m.group(1) in _EN_GOV_ADJ:
            start = pos - len(m.group(0))
            s.out.append(Cand(start, pos + len(word), f"{m.group(1)} Government", "state", s.ctx, "state", P_STATE))

    def _pcc(self, s: Scan, pos: int, word: str):
        m = _PCC.match(s.text, pos)
        if not m:
            return
        start = pos
        office = re.search(r"(?:the )?Office of the $", s.text[max(0, pos - 20):pos])
        if office:
            start = pos - len(office.group(0))
        area = strip_genitive(collapse(m.group(1)))
        s.out.append(Cand(start, m.end(), f"Office of the Police and Crime Commissioner for {area}", "state", "GB",
                          "state", P_STATE))

    def _council(self, s: Scan, pos: int, word: str):
        text = s.text
        head_start = pos
        for kind in _COUNCIL_KINDS:
            if text.endswith(kind + " ", 0, pos):
                head_start = pos - len(kind) - 1
                break
        start = walk_left(text, head_start, self.stops, max_words=5, english=True)
        if start == head_start:
            return
        first = text[start:head_start].split(" ", 1)[0]
        kind = _COUNCIL_NOT_MUN.get(first, "municipality")
        name = collapse(text[start:pos] + strip_genitive(word))
        source = "gazetteer" if kind == "municipality" else "pattern"
        s.out.append(Cand(start, pos + len(word), name, kind, "GB" if kind == "municipality" else s.ctx, source,
                          P_STATE))

    def _council_upper(self, s: Scan, pos: int, word: str):
        m = _COUNCIL_UP.search(s.text, max(s.text.rfind("\n", 0, pos) + 1, pos - 80), pos)
        if not m:
            return
        words = m.group(1).split()
        while words and words[0] in ("THE", "OF", "FOR", "AND", "TO"):
            words.pop(0)
        city_of = len(words) >= 3 and words[:2] == ["CITY", "OF"]  # "THE CITY OF EDINBURGH COUNCIL"
        if words and (words[0] not in ("COUNTY", "BOROUGH", "CITY", "DISTRICT") or city_of):
            name = " ".join(w.lower() if i and w in ("OF", "AND") else w.capitalize()
                            for i, w in enumerate(words + ["COUNCIL"]))
            s.out.append(Cand(pos - len(" ".join(words)) - 1, pos + len(word), name, "municipality", "GB",
                              "gazetteer", P_STATE))

    def _city_of(self, s: Scan, pos: int, word: str):
        m = _CITY_OF.match(s.text, pos)
        if m:
            # CAPW keeps "Women's" whole, so the genitive of "City of Copenhagen's" comes off here.
            town = re.sub(r"(?:'s|’s)$", "", m.group(1))
            s.out.append(Cand(pos, m.end(), f"City of {town}", "municipality", s.ctx, "gazetteer", P_STATE))
