"""Committees and departments that stand for their municipality or region.

"Socialnämnden i Vallentuna", "Kulturudvalget", "Kommunestyret", "kommunen",
"Socialtjänst Gävle", "the Council": a mixin of OrgFinder that records them as
committee candidates; org_resolve later gives each the municipality (or region)
the text names or the document is about.
"""

from __future__ import annotations

import re

from pipeline.nlp.org_cand import P_COMMITTEE, Cand
from pipeline.nlp.org_scan import Scan
from pipeline.nlp.org_text import CAPW, strip_genitive

_PLACE_AFTER = re.compile(rf"\s+(?:i|in|för|for)\s+({CAPW}(?:[ -]{CAPW})?)")
_NAME_AFTER = re.compile(rf"\s+({CAPW})")
_EN_COMMITTEE = ("Council", "Council's", "Council’s", "Committee")
_DETERMINERS = ("the ", "The ", "this ", "This ", "City ", "County ", "Borough ")
COORD_BEFORE = re.compile(r"(?:[\w]+-,? (?:(?:og|och|and) )?)+$")


def coord_before(text: str, pos: int):
    """COORD_BEFORE searched in the 100 characters before `pos`."""
    # A match ends at `pos` (or before a newline there) with "-", ",", " ", "och ": a "-" stands in the
    # last 8 characters. Checked first, as searching tries every start position.
    if "-" not in text[max(0, pos - 10):pos]:
        return None
    return COORD_BEFORE.search(text, max(0, pos - 100), pos)


class CommitteesMixin:
    # ------------------------------------------------------------------ committees
    def _committee_triggers(self, com: dict):
        for scope, spec in com.items():
            handler = self._committee(scope)
            self.on_suffix(spec["suffixes"], handler)
            self.on([w for base in spec["words"] for w in (base, base.capitalize())], handler)
            for phrase in spec["phrases"]:
                rx = re.compile(phrase)
                # trigger words: the phrase's first word, both cases where it says [Kk]
                first = re.match(r"\[(\w)(\w)\](\w+)|(\w+)", phrase)
                if phrase.startswith("(?:City "):
                    words = ["City", "County", "Borough", "Council", "Council's", "Council’s"]
                elif first.group(1):
                    words = [first.group(1) + first.group(3), first.group(2) + first.group(3)]
                else:
                    words = [first.group(4)]
                self.on(words, self._committee(scope, rx))

    def _committee(self, scope: str, rx=None):
        def handler(s: Scan, pos: int, word: str):
            text = s.text
            if rx is not None:
                m = rx.match(text, pos)
                if not m:
                    return
                raw, end = m.group(0), m.end()
                if word in _EN_COMMITTEE and not any(text.endswith(d, 0, pos) for d in _DETERMINERS):
                    return
            else:
                raw, end = word, pos + len(word)
            start = pos
            coord = coord_before(text, pos)
            if coord:  # "Social-, Senior- og Handicapudvalget", "kultur- och fritidsnämnden"
                start = coord.start()
                raw = text[start:pos] + raw
            committee = strip_genitive(" ".join(raw.split()))
            if committee.endswith("s") and committee[-2] in "tneldr" and not committee.endswith("Council"):
                committee = committee[:-1]
            place, where = None, scope
            after = _PLACE_AFTER.match(text, end)
            if committee == "Socialtjänst":
                after = _NAME_AFTER.match(text, end)
            if after and not re.match(r" (?:län|fylke|amt)\b", text[after.end():after.end() + 6]):
                found = self.data.municipality(after.group(1).split(" ")[0], s.ctx)
                region = None if found else self.data.region(re.sub(r"^Region ", "", after.group(1)))
                if found:
                    place = found[0]
                    if committee == "Socialtjänst":
                        committee, end = f"{committee} {after.group(1).split(' ')[0]}", after.end()
                elif region:  # "Regionala utvecklingsnämnden i Region Skåne"
                    place, where = region[0], "region"
            if committee == "Socialtjänst":
                return
            kind = "region" if where == "region" else "municipality"
            s.out.append(Cand(start, end, None, kind, s.ctx, "committee", P_COMMITTEE, committee=committee,
                              scope=where, place=place))
        return handler
