"""Tying persons to organisations, phones and e-mails, and merging mentions.

A person's organisation is the org span (from the orgs component) standing in
one of the mention's zones (its role, an apposition, a signature column header,
a sentence-initial "For X"); failing that, a role that belongs to a kind of
body (borgmester -> municipality, minister -> state) takes the nearest org of
that kind. Phones and e-mails are taken from the lines right after a contact
mention, stopping at the next person or the end of the contact block.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from pipeline.nlp.person_context import Mention
from pipeline.nlp.person_lexicon import Lexicon

_BLANK = re.compile(r"\n[ \t\u00a0]*\n")
_CONTACT_LINE = re.compile(
    r"^\s*(?:\S*@|\+?\d[\d \-]{5,}|tlf|tel|telefon|phone|mobil|mob|tfn|e-?post|e-?mail|mail)", re.IGNORECASE
)
_TITLE = re.compile(r"^(?:dr|prof|professor)\.?\s+", re.IGNORECASE)


@dataclass
class Org:
    start: int
    end: int
    name: str
    kind: str | None


def person_key(name: str) -> str:
    return _TITLE.sub("", name).casefold()


def fold(text: str) -> str:
    text = text.lower().replace("ø", "o").replace("æ", "ae").replace("ß", "ss").replace("ı", "i")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def org_in_zones(mention: Mention, orgs: list[Org], zones=None) -> str | None:
    for zs, ze in mention.org_zones if zones is None else zones:
        for o in orgs:
            if o.start < ze and zs < o.end:
                return o.name
    return None


_CAP_RUN = re.compile(
    r"[A-ZÆØÅÄÖÜ][\w&.'’-]*(?:(?:(?<=-)[ \t]+(?:og|och|and)[ \t]+|[ \t]+(?:(?:of|for|&)[ \t]+)?)[A-ZÆØÅÄÖÜ][\w&.'’-]*)*"
)
_PORTFOLIO = re.compile(r"\b(?:[Mm]ember|[Hh]older|[Cc]onvene[ro]|[Ll]ead|[Ss]pokesperson|[Cc]hampion)\s+for\s")
_ROLE_ORG = re.compile(r"(?:,|\s(?:for|för|i|hos|ved|vid|på|of|at|in))\s+(?=[A-ZÆØÅÄÖÜ])")


def raw_org(lex: Lexicon, text: str, mention: Mention, in_role: bool) -> str | None:
    """The organisation as written where no org span stands in the zones: in the role
    ('Formand, Furesø Industri') or, with in_role False, elsewhere ('För Yalla Trappan: X',
    "Kyiv's mayor")."""
    for zs, ze in mention.org_zones:
        zone = text[zs:ze]
        if ((zs, ze) == mention.role_span) != in_role:
            continue
        if _PORTFOLIO.search(zone):
            continue  # "Executive Member for Housing": a council portfolio, not an organisation
        if in_role:
            m = _ROLE_ORG.search(zone)
            if not m:
                continue
            zone = zone[m.end():]
        run = _CAP_RUN.match(zone.strip())
        if not run:
            continue
        name = run.group(0).rstrip(".,:;")
        if name.endswith("-"):
            continue  # "Individ- och familjeomsorgsavdelningen": a department
        if name.endswith(("'s", "’s")):
            name = name[:-2]
        elif name.endswith("s") and " " not in name and not zone.strip().startswith(name + " "):
            continue  # a Nordic genitive ("Udvalgets formand") is no name
        words = name.split()
        if not words or len(words) > 6 or all(lex.blocks_name(w) and not lex.org_like(w) for w in words):
            continue
        if all(lex.org_like(w) for w in words):
            continue  # "Senior Manager, Family Support": a department of the body, not an organisation
        if lex.is_role_word(words[0]) or person_key(name) == person_key(mention.name):
            continue
        return name
    return None


def role_kind(lex: Lexicon, role: str | None) -> str | None:
    if not role:
        return None
    low = role.lower()
    for kind in ("state", "region", "municipality"):
        if any(w in low for w in lex.kind_roles.get(kind, [])):  # also inside compounds: "kulturminister"
            return kind
    return None


def most_named(orgs: list[Org], kind: str | None = None) -> str | None:
    """The org (of `kind`) the document names most often; the first named wins a tie."""
    names = [o.name for o in orgs if kind is None or o.kind == kind]
    if not names:
        return None
    counts = Counter(names)
    return max(names, key=lambda n: (counts[n], -names.index(n)))


def _window_end(text: str, start: int, limit: int) -> int:
    """End of a contact block: a blank line followed by a line that is no phone/e-mail line."""
    for m in _BLANK.finditer(text, start, limit):
        nxt = text[m.end():text.find("\n", m.end()) if "\n" in text[m.end():limit] else limit]
        if not _CONTACT_LINE.match(nxt):
            return m.start()
    return limit


def email_matches_name(email: str, name: str) -> bool:
    local = fold(email.split("@")[0])
    parts = [p for p in re.split(r"[\s-]+", fold(_TITLE.sub("", name))) if len(p) > 1]
    if len(parts) < 2:
        return False
    pieces = set(re.split(r"[._-]+", local))
    return parts[0] in pieces and parts[-1] in pieces


def attach(lex: Lexicon, text: str, mention: Mention, next_start: int, phones, emails) -> tuple[str | None, str | None]:
    """(phone, email) written in the contact block right after a mention."""
    limit = min(next_start, mention.end + 300, len(text))
    limit = _window_end(text, mention.end, limit)
    phone = email = None
    for s, e, value in phones:
        if mention.end <= s < limit:
            line_start = text.rfind("\n", 0, s) + 1
            if lex.switchboard.search(text[max(line_start, s - 40):s]):
                continue
            phone = value
            break
    for s, e, value in emails:
        if mention.end <= s < limit:
            if value.split("@")[0] in lex.generic_mailboxes and not email_matches_name(value, mention.name):
                continue
            email = value
            break
    return phone, email


def choose_role(mentions: list[Mention]) -> str | None:
    roles = [m.role for m in mentions if m.role and not m.excluded]
    if not roles:
        labels = [m.label_role for m in mentions if m.label_role]
        return labels[0] if labels else None
    counts = Counter(r.casefold() for r in roles)
    best = max(roles, key=lambda r: (counts[r.casefold()], len(r), -roles.index(r)))
    return best


_GENITIVE_BEFORE = re.compile(r"((?:[A-Z][\w&-]* ){0,4}[A-Z][\w&-]*)['’]s\s+(?:[a-z][\w-]*\s+){0,3}$")
_OWN_ORG = re.compile(
    r"(?<!\w)(?:[Ff]oreningens|[Ff]öreningens|[Ff]oreininga(?:s|sin)|[Ss]tiftelsens|[Ss]tiftinga(?:s|sin)|[Kk]lubbens|"
    r"[Jj]ourens|[Oo]rganisationens|[Oo]rganisasjonens|[Tt]he (?:charity|association|organisation|organization|club)['’]s)\s"
    # "Dagleg leiar ved sentralen", "formand i foreningen"
    r"|\b(?:ved|i|hos|för|på) (?:foreningen|föreningen|foreininga|sentralen|centret|centeret|senteret|jouren|klubben|"
    r"laget|stiftelsen|stiftinga)(?!\w)"
)


def _full_name(written: str, orgs: list[Org]) -> str:
    """A short form written in a role ("daglig leder i Fyrlyset") stands for the one organisation
    the text names in full with those words ("Stiftelsen Fyrlyset Kristiansand")."""
    words = f" {written.casefold()} "
    full = {o.name for o in orgs if o.name and words in f" {o.name.casefold()} "}
    return full.pop() if len(full) == 1 else written


def resolve_org(
    lex: Lexicon, text: str, ms: list[Mention], role: str | None, orgs: list[Org], page: list[Org] | None = None
) -> tuple[str | None, str | None]:
    """(organisation, how it was found) for one person's mentions, best evidence first:
    an org span next to a mention ("named"), an org written there without a span ("written"),
    the org of the role's kind ("role"), an org later in the sentence ("sentence"). `page`: all orgs the
    whole page names (chrome included), counted for the role's kind; default `orgs`."""
    live = [m for m in ms if not m.excluded]
    org = next((o for o in (org_in_zones(m, orgs) for m in live) if o), None)
    if org:
        return org, "named"
    org = next((o for o in (raw_org(lex, text, m, False) for m in live) if o), None)
    if org:
        return _full_name(org, orgs), "written"
    for m in live:  # "Northway Care's managing director, X": an organisation the text names in full
        lo = m.role_span[0] if m.role_span and m.role_span[1] <= m.start else m.start
        g = _GENITIVE_BEFORE.search(text, max(0, lo - 80), lo)
        if g and (full := _full_name(g.group(1), orgs)) != g.group(1):
            return full, "written"
    for m in live:  # "Foreningens daglige leder, X": the association the text is about
        lo = min(m.start, m.role_span[0] if m.role_span else m.start)
        if _OWN_ORG.search(text, max(0, lo - 25), m.start):
            org = most_named(orgs if page is None else page, "organisation")
            if org:
                return org, "role"
    kind = role_kind(lex, role)
    if kind:
        org = most_named(orgs if page is None else page, kind)
        if org:
            return org, "role"
    else:  # a committee in the role ("formand for Socialudvalget") is no org of its own
        org = next((o for o in (raw_org(lex, text, m, True) for m in live) if o), None)
        if org:
            return _full_name(org, orgs), "written"
    org = next((o for o in (org_in_zones(m, orgs, [m.sentence_zone]) for m in live if m.sentence_zone) if o), None)
    return (org, "sentence") if org else (None, None)
