"""From cue words, organisations, money and periods in sentences to agreements.

One agreement per party pair or group: a sentence that names an instrument
(cue_type) and organisations yields one agreement per counterpart of the
document's home body, or one group agreement when the parties are named as
one list ("mellem A, B og C"). Sentences about the same parties and type are
merged, and their money, periods and terms attach to the agreement.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from pipeline.extract.mentions import Mention, Unit
from pipeline.models import Agreement, Amount, Evidence, Terms

# Specific instruments outrank generic words ("aftalen") and money words.
_TYPE_RANK = ["iop", "operating_agreement", "contract", "grant_application", "cooperation_agreement", "grant"]
_GENERIC = re.compile(r"^(aftale\w*|avtal\w*|avtale\w*|avtala\w*|agreement\w*|overenskommelse\w*|överenskommelse\w*|partnerskab\w*|partnerskap\w*|partnership\w*)$", re.I)
# "avtalet", "aftalen", "partnerskapet": the agreement already introduced.
_DEFINITE = re.compile(r"^\w+(et|en|a)$", re.I)
_STATUS_RANK = ["ended", "applied", "proposed", "in_force", "signed", "approved"]
_LIST_GLUE = re.compile(r"^\s*(,|og|och|and|samt|&|,\s*og|,\s*och|,\s*and|\s)*\s*$", re.I)
_BETWEEN = re.compile(r"\b(mellem|mellan|mellom|between|med både|sammen med)\s*$", re.I)
_PUBLIC = {"municipality", "region", "state"}


@dataclass
class Draft:
    type: str
    parties: list[str]
    units: list[Unit] = field(default_factory=list)
    amounts: list[Mention] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    fixed_status: str | None = None  # known from how it was found (a replaced agreement has ended)

    @property
    def key(self) -> tuple:
        return frozenset(p.casefold() for p in self.parties), self.type


def _unit_type(unit: Unit, default_specific: str | None) -> str | None:
    cues = unit.of("cue_type")
    if not cues:
        return None
    specific = [c.value for c in cues if not _GENERIC.match(c.text)]
    if specific:
        return min(specific, key=_TYPE_RANK.index)
    return default_specific or "cooperation_agreement"


_LOCATIVE = re.compile(r"\b(i|in|på)\s+$", re.I)


def _orgs(unit: Unit, alias) -> list[tuple[str, Mention]]:
    """Organisations named in the unit, once each; a municipality or region after
    "i"/"in" is a place ("14 projekter i Region Midtjylland"), not an actor."""
    seen, out = set(), []
    for m in sorted(unit.of("org"), key=lambda m: m.start):
        v = m.value or {}
        if v.get("kind") in ("municipality", "region") and not v.get("committee"):
            if _LOCATIVE.search(unit.text[max(0, m.start - unit.start - 4): m.start - unit.start]):
                continue
        name = alias(m)
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            out.append((name, m))
    return out


def _grouped(unit: Unit, orgs: list[tuple[str, Mention]], home: str | None) -> bool:
    """True when the orgs (with home among them) stand as one coordinated list."""
    if len(orgs) < 3 and not (len(orgs) >= 2 and _BETWEEN.search(unit.text[: orgs[0][1].start - unit.start])):
        return False
    names = [n for n, _ in orgs]
    if home is None or home not in names:
        return False
    for (_, a), (_, b) in zip(orgs, orgs[1:]):
        if not _LIST_GLUE.match(unit.text[a.end - unit.start: b.start - unit.start]):
            return False
    return True


# "Parterne er ...", "Partane er ...", "The parties are ...": one agreement between all named.
_PARTIES_ARE = re.compile(r"\b(parterne|parterna|partene|partane|the parties)\s+(er|är|are)\b", re.I)
# "en felles avtale med A og B, en avtale med C": each segment is one agreement.
_SEGMENT = re.compile(
    r"\b(?:en|ett|et|ein|eit|an|a|one)\s+(?:\w+\s+)?(?:aftale|avtale|avtal|agreement|overenskomst|överenskommelse)\s+(?:med|with)\b",
    re.I,
)
_PROJECT = re.compile(r"\bproje[ck]t", re.I)
_UNITS_TERMS = ("period", "duration", "term_review", "term_notice", "term_renewal")


def _groups(unit: Unit, orgs, counterparts, home, grantor, kinds: dict[str, str]) -> list[list[str]]:
    names = [n for n, _ in orgs]
    if _PARTIES_ARE.search(unit.text) and len(orgs) >= 2:
        return [names if home in names or home is None else [home] + names]
    if _grouped(unit, orgs, home):
        return [names]
    segments = list(_SEGMENT.finditer(unit.text))
    if len(segments) >= 2:
        bounds = [m.start() + unit.start for m in segments] + [unit.end]
        groups = []
        for a, b in zip(bounds, bounds[1:]):
            inside = [n for n, m in counterparts if m is not None and a <= m.start < b]
            if inside:
                groups.append(([grantor] if grantor else []) + inside)
        if groups:
            return groups
    public = [n for n, _ in counterparts if kinds.get(n) == "municipality"]
    if len(public) >= 3 and len(public) == len(counterparts) and not unit.of("money"):
        return [([grantor] if grantor else []) + public]  # "samarbeidsavtale med A, B, ... og K kommuner"
    return [[grantor, n] if grantor and n != grantor else [n] for n, _ in counterparts]


_WITH = re.compile(r"^\s*(med|mellan|mellem|mellom|with|between)\s*$", re.I)


def _definite_without_party(unit: Unit, cues: list[Mention], counterparts) -> bool:
    """ "Avtalet avser ..." names the agreement already introduced; "avtalet med X" names X as its party."""
    if not all(_DEFINITE.match(c.text) for c in cues):
        return False
    text = unit.text
    return not any(m is not None and _WITH.match(text[c.end - unit.start: m.start - unit.start])
                   for c in cues for _, m in counterparts if m is not None and m.start >= c.end)


# "höjs från 900 000 kronor till 1,1 miljoner kronor": the first sum is the old one.
_FROM = re.compile(r"\b(?:från|fra|frå|from)\s*$", re.I)
_TO = re.compile(r"^\s*(?:till|til|to)\s*$", re.I)


def _current_money(unit: Unit) -> list[Mention]:
    money = unit.of("money")
    old = set()
    for a, b in zip(money, money[1:]):
        if _FROM.search(unit.text[max(0, a.start - unit.start - 8): a.start - unit.start]) and \
                _TO.match(unit.text[a.end - unit.start: b.start - unit.start]):
            old.add(id(a))
    return [m for m in money if id(m) not in old]


def _asked_only(unit: Unit) -> bool:
    statuses = {c.value for c in unit.of("cue_status")}
    return "applied" in statuses and not statuses & {"approved", "signed", "in_force"}


_SEVERAL = re.compile(
    r"(?<!\w)(?:\d+|två|tre|fyra|fem|sex|sju|åtta|to|fire|seks|syv|otte|åtte|two|three|four|five|six|"
    r"flera|flere|fleire|several|nya|nye|nyt)\s+(?:[\w-]+\s+){0,3}\Z", re.I)


def _announced(unit: Unit, kind: str | None) -> str | None:
    """The kind of several instruments a sentence announces without naming their parties."""
    if kind not in ("iop", "cooperation_agreement", "operating_agreement"):
        return None
    for c in unit.of("cue_type"):
        if c.value == kind and not _GENERIC.match(c.text) and _SEVERAL.search(unit.text[: c.start - unit.start]):
            return kind
    return None


def build_drafts(units: list[Unit], home: str | None, kinds: dict[str, str], alias) -> list[Draft]:
    votes = [c.value for u in units for c in u.of("cue_type") if not _GENERIC.match(c.text) and c.value != "grant"]
    # The most named instrument; a tie goes to the one named first (not to a set's order, which varies by run).
    dominant = max(votes, key=lambda v: (votes.count(v), -votes.index(v))) if votes else None
    drafts: dict[tuple, Draft] = {}
    last: list[Draft] = []  # the agreements the previous sentences talked about

    def attach(targets: list[Draft], unit: Unit) -> None:
        for d in targets:
            if unit not in d.units:
                d.units.append(unit)
                d.statuses += [c.value for c in unit.of("cue_status")]
        # A sum in a sentence that names no party is the agreement's own only when
        # it has none yet; later sums are mostly totals, pots or earlier years.
        if len(targets) == 1:
            target = targets[0]
            yearly = any((m.value or {}).get("per") == "year" for m in target.amounts)
            for m in _current_money(unit):
                # ... except the total of a yearly sum ("totalt 3 000 000 kr").
                if not target.amounts or (yearly and (m.value or {}).get("per") == "total"):
                    target.amounts.append(m)

    def main_drafts() -> list[Draft]:
        if not drafts:
            return []
        most = max(len(d.units) for d in drafts.values())
        return [d for d in drafts.values() if len(d.units) == most]

    previous: Unit | None = None
    announced: str | None = None  # "tre idéburna offentliga partnerskap": the kind of the ones to come
    for unit in units:
        orgs = _orgs(unit, alias)
        counterparts = [(n, m) for n, m in orgs if n != home]
        kind = _unit_type(unit, dominant)
        if kind is not None and not counterparts and previous is not None and previous.block_index == unit.block_index:
            # "... v/Fredensborg Bevaringsforening. Projektet får et tilskud på 350.000 kr."
            carried = [(n, m) for n, m in _orgs(previous, alias) if n != home]
            if len(carried) == 1 and not any(unit in d.units for d in drafts.values() if previous in d.units):
                counterparts = [(n, None) for n, _ in carried]
        previous = unit
        if kind is None and len(orgs) >= 2 and _PARTIES_ARE.search(unit.text):
            kind = dominant or "cooperation_agreement"  # "Parterne er ..." lists an agreement's parties
        if kind is None and unit.block_kind == "table" and counterparts and (unit.of("period") or unit.of("money")):
            # a row of a table of agreements or grants (a page that also speaks of applications lists grants)
            kind = dominant if dominant not in (None, "grant_application") else "grant"
        if kind is None and unit.of("money") and counterparts:
            # "Örebro kommun har tecknat tre idéburna partnerskap. Kvinnoforum får 275 tkr per år.":
            # one of the instruments announced; else a grant.
            kind = announced or "grant"
        if unit.of("cue_type"):
            announced = _announced(unit, kind) if not counterparts else None
        if kind == "grant" and unit.of("money") and _asked_only(unit):
            kind = "grant_application"  # "har søgt Socialstyrelsen om et tilskud på 3,2 mio. kr."
        if kind is None:
            # No instrument named: terms and periods belong to the agreement in focus,
            # a project's time to the funding applied for or granted.
            if any(unit.of(k) for k in _UNITS_TERMS + ("money",)):
                funding = [d for d in drafts.values() if d.type in ("grant", "grant_application")]
                attach(funding if funding and _PROJECT.search(unit.text) else (last or main_drafts()), unit)
            continue
        cues = unit.of("cue_type")
        generic = bool(cues) and all(_GENERIC.match(c.text) for c in cues)
        if not counterparts:
            same_type = [d for d in last if d.type == kind]
            if not same_type and generic and kind != "grant":
                # "Avtalen skal reviderast årleg" after a sentence about an application: the one
                # agreement of the kind "avtalen" stands for, not the application.
                of_kind = [d for d in drafts.values() if d.type == kind]
                of_kind = [d for d in of_kind if len(d.parties) > 1] or of_kind
                same_type = of_kind if len(of_kind) == 1 else []
            if same_type:
                attach(same_type, unit)
            elif home is not None and all(len(d.parties) == 1 for d in drafts.values()):
                draft = drafts.setdefault((frozenset([home.casefold()]), kind), Draft(kind, [home]))
                attach([draft], unit)
                last = [draft]
            else:
                attach(last or main_drafts(), unit)
            continue
        if generic and drafts:
            # "partnerskapet", "avtalet": a definite reference to agreements already
            # introduced; new names in the sentence are collaborators, not parties.
            named = {n for n, _ in counterparts}
            targets = [d for d in drafts.values() if named & set(d.parties)]
            if not targets and len(drafts) == 1 and _definite_without_party(unit, cues, counterparts):
                targets = list(drafts.values())  # the one agreement so far: "Avtalet avser ... med Polisen"
            if targets:
                attach(targets, unit)
                last = targets
                continue
        public_others = [n for n, _ in counterparts if kinds.get(n) in _PUBLIC]
        grantor = home
        if kind in ("grant", "grant_application") and public_others and home is None:
            grantor = public_others[0]
        groups = _groups(unit, orgs, counterparts, home, grantor, kinds)
        payers = counterparts
        funders = [(n, m) for n, m in orgs if kinds.get(n) in _PUBLIC]
        recipients = [(n, m) for n, m in orgs if kinds.get(n) not in _PUBLIC]
        if kind == "grant" and len(funders) >= 2 and _co_funded(unit, funders, recipients):
            # "Trondheim kommune bevilger 300 000 kroner og Trøndelag fylkeskommune 200 000 kroner til
            # Foreningen X": a grant from each public body, each with its own sum.
            groups = [[n, recipients[0][0]] for n, _ in funders]
            payers = funders
        statuses = [c.value for c in unit.of("cue_status")]
        touched = []
        for group in groups:
            draft = Draft(kind, [p for p in group if p])
            draft = drafts.setdefault(draft.key, draft)
            if unit not in draft.units:
                draft.units.append(unit)
                draft.statuses += statuses
            touched.append(draft)
        _assign_money(unit, _current_money(unit), groups, drafts, kind, payers)
        last = touched
    if drafts and all(len(d.parties) == 1 for d in drafts.values()) and home is not None:
        # An agreement document names its counterpart in a "Parter" section, apart
        # from the sentences about the agreement: the most named other organisation.
        counts = Counter(n for u in units for n, _ in _orgs(u, alias) if n != home)
        named = [n for n, c in counts.most_common(1) if c >= 2]
        if named:
            for d in drafts.values():
                d.parties = [home, named[0]]
    return _consolidate(list(drafts.values()), kinds.get(home) if home else None)


# When one party set has several drafts, they are mostly one instrument named
# several ways ("driftsaftalen", "samarbejdet", "driftstilskud"); an application
# is a separate instrument.
_MERGE_RANK = ["iop", "operating_agreement", "cooperation_agreement", "contract", "grant"]


# Words that mark an earlier instrument the new one replaces.
_PREDECESSOR = re.compile(
    r"\b(tidigare|tidligere|förra|førre|forrige|previous|earlier|predecessor|afløst|afløser|ersätter|erstatter|"
    r"i staden for|i stedet for|replaces|replaced)\b",
    re.I,
)
_NEW = re.compile(r"\b(ny|nye|nya|nytt|nyt|new)\b", re.I)
_CURRENT = re.compile(r"\b(gamle|gamla|gammel|gamal|old|nuværende|nåværende|nuvarande|noverande|gjeldende|"
                      r"gjeldande|gällande|current|existing)\b", re.I)


def _split_predecessor(draft: Draft, others: set[str]) -> Draft | None:
    """Two instruments between the same parties: the sentences about the one that
    ended (with their dates) become an agreement of their own."""
    marked = [u for u in draft.units if _PREDECESSOR.search(u.text)]
    if any(_NEW.search(u.text) for u in draft.units):  # beside a new one, "the current one" is the old one
        marked += [u for u in draft.units if u not in marked and _CURRENT.search(u.text) and not _NEW.search(u.text)]
        marked.sort(key=lambda u: u.start)
    if not marked or len(marked) == len(draft.units):
        return None
    old: list[Unit] = []
    for u in marked:
        same_block = [v for v in draft.units if v.block_index == u.block_index and v.start < u.start]
        earlier = [v for v in same_block if (v.of("date") or v.of("period")) and not _NEW.search(v.text)]
        old += [v for v in earlier + [u] if v not in old]
    rest = [u for u in draft.units if u not in old]
    text = " ".join(u.text for u in old).casefold()

    def named(parties: set[str]) -> bool:  # by the last two words: "Fredensborg Gl. Bio", "Yalla Trappan"
        return any(" ".join(p.rstrip(".").split()[-2:]) in text for p in parties)

    own = {p.casefold() for p in draft.parties[1:]}  # the counterparts, not the home body
    if not rest or (named(others) and not named(own)):
        return None  # the sentences are about another party's agreement
    draft.units = rest
    draft.statuses = [c.value for u in rest for c in u.of("cue_status")]
    money = {id(m) for u in old for m in u.of("money")}
    draft.amounts = [m for m in draft.amounts if id(m) not in money]
    return Draft(draft.type, list(draft.parties), units=sorted(old, key=lambda u: u.start), fixed_status="ended")


def _absorb(head: Draft, other: Draft) -> None:
    head.units += [u for u in other.units if u not in head.units]
    head.amounts += other.amounts
    head.statuses += other.statuses
    head.units.sort(key=lambda u: (u.doc_id, u.start))


def _consolidate(drafts: list[Draft], home_kind: str | None = None) -> list[Draft]:
    # A grant to some of a group agreement's parties is that agreement's money.
    for g in [d for d in drafts if d.type == "grant"]:
        wider = [d for d in drafts if d is not g and d.type not in ("grant", "grant_application") and g.key[0] < d.key[0]]
        if wider:
            _absorb(wider[0], g)
            drafts.remove(g)
    by_parties: dict[frozenset, list[Draft]] = {}
    for d in drafts:
        by_parties.setdefault(d.key[0], []).append(d)
    merged: list[Draft] = []
    for group in by_parties.values():
        keep = [d for d in group if d.type == "grant_application"]
        rest = sorted((d for d in group if d.type != "grant_application"), key=lambda d: _MERGE_RANK.index(d.type))
        if rest:
            head = rest[0]
            for other in rest[1:]:
                _absorb(head, other)
            keep.append(head)
        merged += keep
    multi = [d for d in merged if len(d.parties) > 1]
    if multi:
        split = []
        for d in multi:
            others = {p.casefold() for o in multi if o is not d for p in o.parties} - {p.casefold() for p in d.parties}
            if d.type != "grant_application" and (old := _split_predecessor(d, others)):
                split.append(old)
        return multi + split
    # Only the home body named: a municipality's or region's grant, contract or
    # agreement for a recipient not yet chosen, when the text gives it a firm sum
    # or period. An application needs an applicant; hedged sums ("up to") are no grant.
    if home_kind not in ("municipality", "region"):
        return []
    single = [
        d for d in merged
        if d.type != "grant_application"
        and (any(not (m.value or {}).get("approx") and not _BUDGETED.search(_unit_of(d, m).text) for m in d.amounts)
             or any(u.of("period") or u.of("duration") for u in d.units))
        and not any(_NONE_YET.search(u.text) for u in d.units)
    ]
    return sorted(single, key=lambda d: (d.type != "grant", -len(d.units)))[:1]


# A sum set aside in a budget ("har avsatt 2 miljoner kronor för nya partnerskap i budgeten") is no
# agreement's; nor is anything where the text says there is none yet ("har ännu inga IOP-avtal").
_BUDGETED = re.compile(
    r"\b(avsatt|afsat|avsett|set aside|budget\w*|budsjett\w*|pulje\w*|pott\w*|\w*ordning\w*|schemes?)\b", re.I)
_NONE_YET = re.compile(r"\b(ännu inga|endnu ingen|ennå ingen|enno ingen|ingen ennå|no .{0,20} yet)\b", re.I)


def _unit_of(draft: Draft, money: Mention) -> Unit:
    return next((u for u in draft.units if u.start <= money.start < u.end), draft.units[0])


_CLAUSE_BREAK = re.compile(r"[,;:–]|\s(og|och|and|samt)\s")
# "X, som får 180.000 kr.": a relative clause goes on about the name before it.
_RELATIVE = re.compile(r"^\s*,\s*(?:som|der|which|who|that)\b")


def _owner(unit: Unit, money: Mention, named: list[tuple[str, Mention]]) -> str:
    """The counterpart a sum belongs to: the one named just before it in the same
    clause ("X får 30 000 kronor"), else just after it ("£116,000 for X"), else the nearest."""
    text, base = unit.text, unit.start
    before = [(n, m) for n, m in named if m.end <= money.start
              and not _CLAUSE_BREAK.search(_RELATIVE.sub("", text[m.end - base: money.start - base], count=1))]
    if before:
        return max(before, key=lambda nm: nm[1].end)[0]
    after = [(n, m) for n, m in named if m.start >= money.end and not _CLAUSE_BREAK.search(text[money.end - base: m.start - base])]
    if after:
        return min(after, key=lambda nm: nm[1].start)[0]
    # Else the nearest by the words between ("X, som får 180.000 kr., og Y, der får ..."): a
    # long name after a sum must not look nearer than a short one just before it.
    return min(named, key=lambda nm: money.start - nm[1].end if nm[1].end <= money.start else nm[1].start - money.end)[0]


def _co_funded(unit: Unit, funders, recipients) -> bool:
    """Each sum written right after a public body, and one recipient after them all."""
    money = unit.of("money")
    if len(money) < 2 or len(recipients) != 1 or recipients[0][1].start < max(m.end for m in money):
        return False
    base = unit.start
    for m in money:
        before = [f for _, f in funders if f.end <= m.start]
        if not before or _CLAUSE_BREAK.search(unit.text[before[-1].end - base: m.start - base]):
            return False
    return True


def _assign_money(unit, money, groups, drafts, kind, counterparts) -> None:
    """Each sum goes to the agreement whose counterpart it is written with."""
    if not money or not groups:
        return
    named = [(n, mm) for n, mm in counterparts if mm is not None]
    for m in money:
        if len(groups) == 1:
            target = groups[0]
        elif not named:
            continue
        else:
            owner = _owner(unit, m, named)
            target = next((g for g in groups if owner in g), groups[0])
        key = (frozenset(p.casefold() for p in target if p), kind)
        if key in drafts:
            drafts[key].amounts.append(m)


def _month_end(d: date) -> date:
    return d.replace(day=monthrange(d.year, d.month)[1])


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, monthrange(year, month)[1]))


def _iso(value) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _about_agreement(unit: Unit) -> bool:
    """Does the sentence name an instrument or a party (rather than follow on from one)?"""
    return bool(unit.of("cue_type") or unit.of("org"))


def _status(draft: Draft) -> str | None:
    """The status word nearest the instrument in the first sentence that has one;
    "ended" wins where the text says the agreement was ended or replaced."""
    if "ended" in draft.statuses and not any(s in draft.statuses for s in ("proposed", "applied")):
        ended_units = [u for u in draft.units if any(c.value == "ended" for c in u.of("cue_status"))]
        first = next((u for u in draft.units if u.of("cue_status")), None)
        if len(ended_units) * 2 >= len(draft.units) or first in ended_units:
            return "ended"
    for unit in draft.units:
        cues = [c for c in unit.of("cue_status") if c.value != "ended"]
        if not cues or not _about_agreement(unit):
            continue
        first = min(cues, key=lambda c: c.start)
        if first.value == "proposed" and any(c.value in ("signed", "approved") for c in cues):
            return "proposed"  # "Kommunedirektøren tilrår at det vert inngått ein ny driftsavtale"
        if {"approved", "signed"} <= {c.value for c in cues}:
            return "signed"  # "beslutade ... att ingå partnerskapet, och avtalet undertecknades": signed last
        anchors = unit.of("cue_type") or unit.of("org")
        if not anchors:
            return cues[0].value
        return min(cues, key=lambda c: min(abs(c.start - a.start) for a in anchors)).value
    return None


_PAID_IN_YEAR = re.compile(r"\s*(?:i|in)\s+(?:år\s+)?(?:19|20)\d\d\b(?![-–/]\d)", re.I)
# Years that name a plan or policy ("Socialpolitikken 2021 - 2024", "handlingsplanen for 2021–2024").
_PLAN_BEFORE = re.compile(
    r"(plan|planen|planens|politik|politikken|politikk|strategi|strategien|budget|budgettet|budsjett|budsjettet|"
    r"program|programmet|programmes?)\s+(?:for\s+|för\s+)?(?:perioden\s+)?$",
    re.I,
)
_YEAR = re.compile(r"(?:19|20)\d\d")
_FUNDING_YEAR = re.compile(
    r"\w*(bidrag|tilsku|tilskot|stöd|støtte|grant|funding|midler|medel)\w*.{0,40}?\s(för|for|til|i|in)\s+(?:år\s+)?((?:19|20)\d\d)\b(?![-–/]\d)",
    re.I,
)


def funding_year(units: list[Unit]) -> int | None:
    """The one year a document's grants are for ("bidrag för 2016"), if it names one."""
    # The pattern is slow to fail; most sentences name no year at all.
    years = {int(m.group(3)) for u in units if _YEAR.search(u.text) for m in _FUNDING_YEAR.finditer(u.text)}
    return years.pop() if len(years) == 1 else None


def _period(draft: Draft) -> tuple[date | None, date | None, int | None]:
    """The agreement's period: the latest complete one stated (news is about the
    newest instrument), else the first partial one. Years that name a plan
    ("Socialpolitikken 2021 - 2024") are not the agreement's."""
    full, partial = [], []
    for unit in draft.units:
        for p in unit.of("period"):
            if not (p.value or {}).get("end") and not _about_agreement(unit) and not draft.fixed_status:
                continue  # "Sedan 2015 finns ..." in a sentence about something else
            v = p.value or {}
            s, e = _iso(v.get("start")), _iso(v.get("end"))
            paid = next((m for m in unit.of("money") if 0 <= p.start - m.end <= 4), None)
            if paid and _PAID_IN_YEAR.match(unit.text, paid.end - unit.start):
                # "350.000 kr. i 2014": the year of a payment ("850 000 kronor för 2025", "£185,000 for the
                # period 1 April ...", "kr 1,2 millioner for perioden 2025-2026" are the grant's own)
                continue
            if p.text[:1].isdigit() and _PLAN_BEFORE.search(unit.text[: p.start - unit.start]):
                continue
            (full if s and e else partial).append((s, e, v.get("duration_months")))
    if full:
        return max(full, key=lambda p: p[0])
    start = next((s for s, _, _ in partial if s), None)
    # An end before the start is another instrument's ("ny avtale fra 1. januar 2025 ... den gamle avsluttes 31.12.2024").
    end = next((e for _, e, _ in partial if e and not (start and e < start)), None)
    return start, end, next((d for _, _, d in partial if d), None)


def _final_status(draft: Draft, start: date | None, published: date | None) -> str:
    if draft.fixed_status:
        return draft.fixed_status
    if draft.type == "grant_application":
        return "proposed" if "proposed" in draft.statuses else "applied"
    status = _status(draft)
    if status == "applied":
        # Someone applies for it: a grant being handed out, any other instrument still open.
        status = "approved" if draft.type == "grant" else "proposed"
    if status in ("signed", "approved") and draft.type != "grant" and start and published and (published - start).days > 45:
        status = "in_force"  # reported well after it began: the news is that it runs
    return status or ("approved" if draft.type == "grant" else "signed")


# A decision still to be taken ("Beslutet fattas ... på torsdag", "föreslås få", an
# officer's recommendation) makes the document's approvals proposals.
_PENDING = re.compile(
    r"\b(beslutet fattas|ska besluta|skal beslutte|skal behandle|skal vedta|skal avgjøre|föreslås|foreslås|"
    r"innstilling|indstilling|indstiller|tilrår|tilrås|will decide|is asked to|are asked to|decision due|recommends? that)\b",
    re.I,
)
# ... unless the minutes record the decision: "Indstillingen blev godkendt", "Vedtak: Som innstillinga".
_DECIDED = re.compile(
    r"\b(?:indstillingen|innstillingen|innstillinga|forslaget|förslaget|the recommendation)\s+"
    r"(?:blev|ble|blei|vart|was|were)\s+(?:godkendt|godkjent|godkjend|vedtaget|vedtatt|vedteke|tiltrådt|approved|agreed)\b"
    r"|\b(?:vedtak|vedtaket)\s*:?\s+som\s+innstilling|\bförslaget\s+bifölls\b|\bbifaller\s+förslaget\b",
    re.I,
)
# The document is the signed agreement itself: signature lines for each party.
_FOR_PARTY = r"(?m)^(?:För|For|Für|På vegne av|På vegner av|On behalf of)\s+[A-ZÆØÅÄÖ]"  # a signature's "For X"
_SIGNATURE = re.compile(_FOR_PARTY + r".{2,80}$")
_SIGN_LINE = re.compile(r"[._]{10,}")
# ... or says so: "Signed on 17 March 2025", "For Esbjerg Kommune: Helle Bjerregaard" for each party.
_SIGNED_ON = re.compile(
    r"(?mi)^(?:signed|underskrevet|undertegnet|undertecknat|underskrivet|signert|underteikna)\b[^\n]{0,25}?\d")
_SIGNED_FOR = re.compile(_FOR_PARTY + r"[^:\n]{2,60}:\s*[A-ZÆØÅÄÖ]")


def document_mood(units: list[Unit], signatures: str = "") -> str | None:
    """'pending' when the document awaits a decision, 'signed' when it is a signed agreement
    (`signatures`: text outside the units where signature lines may stand)."""
    text = "\n".join(u.text for u in units)
    signed = f"{text}\n{signatures}" if signatures else text
    if _SIGN_LINE.search(signed) and len(_SIGNATURE.findall(signed)) >= 1:
        return "signed"
    if _SIGNED_ON.search(signed) or len(_SIGNED_FOR.findall(signed)) >= 2:
        return "signed"
    if _PENDING.search(text) and not _DECIDED.search(text):
        return "pending"
    return None


def adjust_for_mood(agreements: list[Agreement], mood: str | None) -> None:
    for a in agreements:
        if mood == "pending" and a.status == "approved":
            a.status = "proposed"
        elif mood == "signed" and a.status in ("approved", "in_force"):
            a.status = "signed"


def finish(draft: Draft, published: date | None, year: int | None = None) -> Agreement:
    start, end, duration = _period(draft)
    if start is None and end is None and year and draft.type == "grant":
        start, end = date(year, 1, 1), date(year, 12, 31)
    review = notice = None
    renew = None
    evidence: list[Evidence] = []
    for unit in draft.units:
        evidence.append(unit.evidence())
        for d in unit.of("duration"):
            duration = duration or d.value
        for r in unit.of("term_review"):
            review = review or r.value
        for n in unit.of("term_notice"):
            notice = notice or n.value
        for r in unit.of("term_renewal"):
            renew = r.value if renew is None else renew
    if start and duration and not end:
        end = _add_months(start, duration) - timedelta(days=1)
    amounts: dict[tuple, Amount] = {}
    for m in draft.amounts:
        v = m.value or {}
        if not v.get("currency") or v.get("value") is None:
            continue
        key = (round(float(v["value"]), 2), v["currency"])
        if key not in amounts:
            amounts[key] = Amount(value=v["value"], currency=v["currency"], per=v.get("per"), approx=bool(v.get("approx")), evidence=[m.evidence()])
    status = _final_status(draft, start, published)
    return Agreement(
        type=draft.type, status=status, parties=draft.parties, start=start, end=end,
        amounts=list(amounts.values()),
        terms=Terms(duration_months=duration, review_every_months=review, notice_months=notice, auto_renew=renew),
        evidence=evidence,
    )
