"""Persons: names with their role, organisation and contact details.

doc.spans["person"]: one span per mention of a person, the name as written
(an academic title such as "Dr." included). Every mention of one person carries
the same value:

    {"name": "Anne-Marie Krafft Karlsson", "role": "ideell jourkvinna ..." | None,
     "organisation": canonical org name | None, "contact": bool,
     "phone": "+46..." | None, "email": "..." | None}

`contact` is true for people quoted, named as contacts, signatories or
representatives (a role next to the name); false for photographers, bylines
and names merely mentioned. doc.spans["role"] holds the role phrases found.

Without a statistical NER a person is a run of capitalised words that starts
with a known first name, or any short run that a role word, speech verb,
contact label or signature line vouches for. Organisations come from
doc.spans["org"] when the orgs component ran before this one.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from itertools import accumulate
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import ensure_path

from pipeline.nlp.extensions import doc_text
from pipeline.nlp.person_context import Mention, analyse
from pipeline.nlp.person_lexicon import Lexicon, load_sources
from pipeline.nlp.person_links import Org, attach, choose_role, email_matches_name, most_named, person_key, resolve_org
from pipeline.nlp.person_names import Candidate, find_candidates

_STREET_AFTER = 40
_PUBLIC = ("municipality", "region", "state")


@lru_cache(maxsize=1)
def _source_data() -> str:
    return json.dumps(load_sources(), ensure_ascii=False)


def _group_mentions(lex: Lexicon, text: str, mentions: list[Mention]) -> dict[str, list[Mention]]:
    groups: dict[str, list[Mention]] = {}
    for m in mentions:
        groups.setdefault(person_key(m.name), []).append(m)
    accepted = {
        k: ms for k, ms in groups.items()
        if any(m.cand.strength == "strong" or (m.supported and m.cand.tokens <= 4 and not lex.org_like(m.name)) for m in ms)
    }
    # "Karin Abels" is Karin Abel when she is named plainly elsewhere.
    for k in list(accepted):
        if k.endswith("s") and k[:-1] in accepted:
            accepted[k[:-1]].extend(accepted.pop(k))
    # A lone surname after or before a speech verb: "seier Karlsen".
    last: dict[str, str | None] = {}
    for k, ms in accepted.items():
        surname = ms[0].cand.name.split()[-1]
        last[surname] = None if surname in last else k
    taken = [(m.start, m.end) for ms in accepted.values() for m in ms]
    for surname, k in last.items():
        if k is None:
            continue
        for hit in re.finditer(rf"(?<![\w-]){re.escape(surname)}(?![\w-])", text):
            s, e = hit.span()
            if any(a <= s < b for a, b in taken):
                continue
            before = text[max(0, s - 30):s]
            m = lex.speech_verb.search(before)
            if lex.speech_after.match(text, e) or (m and not before[m.end():].strip()):
                accepted[k].append(Mention(Candidate(s, e, surname, "alias", 1), s, e, surname, speech=True))
    return accepted


class PersonFinder:
    def __init__(self, lang: str, data: dict):
        self.lang = lang
        self.data = data
        self.lex = Lexicon(data)

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        lex = self.lex
        cands = find_candidates(lex, text)
        # Within an organisation's name ("Clyde Victim Support", "Stiftelsen Anna Lindh") no one is named.
        org_spans = sorted((s.start_char, s.end_char) for s in doc.spans.get("org", []))
        org_starts = [a for a, _ in org_spans]
        reach = list(accumulate((b for _, b in org_spans), max))  # furthest end of the spans starting up to i

        def inside_org(c: Candidate) -> bool:
            i = bisect_right(org_starts, c.start) - 1
            return i >= 0 and reach[i] >= c.end

        cands = [c for c in cands if not self._street(text, c) and not inside_org(c)]
        lines: dict[int, list[Candidate]] = {}
        for c in cands:
            lines.setdefault(text.rfind("\n", 0, c.start) + 1, []).append(c)
        mentions, floor = [], 0
        for c in cands:
            mentions.append(analyse(lex, text, c, floor, lines[text.rfind("\n", 0, c.start) + 1]))
            if c.strength != "unknown":
                floor = c.end  # a role before this name cannot reach back past another person
        groups = _group_mentions(lex, text, mentions)

        orgs = sorted(
            (Org(s.start_char, s.end_char, s._.value.get("name"), s._.value.get("kind"))
             for s in doc.spans.get("org", []) if isinstance(s._.value, dict) and s._.value.get("name")),
            key=lambda o: o.start,
        )
        phones = [(s.start_char, s.end_char, s._.value) for s in doc.spans.get("phone", []) if s._.value]
        emails = [(s.start_char, s.end_char, s._.value) for s in doc.spans.get("email", []) if s._.value]
        starts = sorted(m.start for ms in groups.values() for m in ms)
        # Whom a contact with no org nearby speaks for: counted over the whole page where extraction
        # gives its orgs (its chrome names the owner), else over this text.
        ctx = doc._.context if isinstance(doc._.context, dict) else {}
        page = [Org(0, 0, n, k) for n, k in ctx["page_orgs"] if n] if ctx.get("page_orgs") is not None else orgs

        person_spans, role_spans = [], []
        for ms in groups.values():
            ms.sort(key=lambda m: m.start)
            value = self._value(text, ms, orgs, phones, emails, starts, page)
            for m in ms:
                span = doc.char_span(m.start, m.end, label="PERSON", alignment_mode="expand")
                if span is None:
                    continue
                span._.value = value
                person_spans.append(span)
                if m.role_span and not m.excluded:
                    rspan = doc.char_span(*m.role_span, label="ROLE", alignment_mode="expand")
                    if rspan is not None:
                        rspan._.value = m.role
                        role_spans.append(rspan)
        doc.spans["person"] = sorted(person_spans, key=lambda s: s.start_char)
        doc.spans["role"] = sorted(role_spans, key=lambda s: s.start_char)
        return doc

    def _street(self, text: str, c: Candidate) -> bool:
        """'Martin Bachs Vej 3', 'Hans Schacksvej': a street, not a person."""
        after = text[c.end:c.end + _STREET_AFTER].split()
        return bool(after) and after[0].lower().strip(".,") in self.lex.street

    def _value(self, text, ms: list[Mention], orgs, phones, emails, starts, page) -> dict:
        lex = self.lex
        names = [m.name for m in ms if m.cand.strength != "alias"] or [ms[0].name]
        name = next(n for n in names if not (n.endswith("s") and n[:-1] in names))  # not the genitive
        role = choose_role(ms)
        org, source = resolve_org(lex, text, ms, role, orgs, page)
        for m in ms:
            if m.caption and not self._caption_org(text, m, orgs):
                m.caption = False  # "fra Aarhus": a place, not an organisation
        contact = any(m.contact for m in ms)
        phone = email = None
        for m in ms:
            if m.excluded or not (m.contact or m.names_line):
                continue
            i = bisect_right(starts, m.start)
            p, e = attach(lex, text, m, starts[i] if i < len(starts) else len(text), phones, emails)
            phone, email = phone or p, email or e
        if email is None:
            email = next((v for _, _, v in emails if email_matches_name(v, name)), None)
        if (phone or email) and not any(m.excluded for m in ms):
            contact = True
        if org is None and contact:
            # A contact with no org named nearby speaks for the page's owner: the public body
            # named most, else any org named most.
            org = next((o for o in (most_named(page, k) for k in _PUBLIC) if o), None) or most_named(page)
            source = "document" if org else None
        return {
            "name": name, "role": role, "organisation": org, "organisation_source": source,
            "contact": contact, "phone": phone, "email": email,
        }

    def _caption_org(self, text: str, m: Mention, orgs: list[Org]) -> bool:
        zs, ze = m.caption_zone
        if any(o.start < ze and zs < o.end for o in orgs):
            return True
        words = text[zs:ze].split()
        return any(self.lex.org_like(w) for w in words[:6])

    def to_disk(self, path, exclude=tuple()):
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "persons.json").write_text(json.dumps(self.data, ensure_ascii=False), encoding="utf-8")

    def from_disk(self, path, exclude=tuple()):
        data = json.loads((ensure_path(path) / "persons.json").read_text(encoding="utf-8"))
        self.__init__(self.lang, data)
        return self


@Language.factory("agreements_persons", default_config={"lang": "da"})
def make_persons(nlp: Language, name: str, lang: str) -> PersonFinder:
    return PersonFinder(lang, json.loads(_source_data()))
