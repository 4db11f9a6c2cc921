"""Deriving the merged registry from what the documents said, and the reviewers' corrections.

Everything here is a function of the stored claims and corrections alone,
never of the order documents were loaded in: the same documents give the same
registry whether loaded serially, concurrently, or again after a change.

Agreements. Claims with the same type and the same set of parties (by
organisation key) form a group. Within a group, claims whose periods overlap
(an open end overlaps everything on that side) are one agreement; a claim with
no period at all joins the agreement whose period is nearest its document's
publication date (the latest one when undated), or forms the one agreement
when nobody gave a period. Each agreement takes:
- status: the furthest along of proposed < applied < approved < signed < in_force < ended;
- start, end, terms: the first stated value, reading sources in order of
  authority: PDF, email, web page, text, then newest publication first;
- amounts: every distinct (currency, value, per) any source gave, with all
  their evidence; `year` when the agreement's period lies within one calendar year.
Agreement ids are `ag-<hash of group>`, `-2`, `-3`... for further periods of the
same group, in period order, so they stay put when more sources arrive.

Organisations take their most common spelling, kind and country; persons their
newest role and contact details. A row nobody refers to any more is removed.
Corrections (review.py) then override field by field.

Cost. An organisation keeps in `merge_state` how often each spelling (with
language, kind, party) occurs, updated by each load, so it is derived without
reading its aliases. Agreements and persons keep what is needed to add a source
without reading the others (the period hull, and which source gave each value:
its authority key); a load that only adds sources to them uses that, and
anything else (a source removed or replaced, a correction, a new or merged
period, a change of `year`) derives them again from all their rows, which also
writes the state afresh. Either way the result is the same.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection, func, select

from pipeline.registry.names import agreement_key, canonical_name, country_of, org_key, org_norm
from pipeline.registry.schema import AgreementParty, Person, PersonContact
from pipeline.registry.sql import Raw, ensure_org

LIFECYCLE = ["proposed", "applied", "approved", "signed", "in_force", "ended"]
FORMAT_AUTHORITY = {"pdf": 3, "email": 2, "html": 1, "text": 0}
TERMS = ("duration_months", "review_every_months", "notice_months", "auto_renew")
AGREEMENT_FIELDS = ("type", "status", "start", "end", *TERMS)
KIND_ORDER = ["municipality", "region", "state", "organisation", "company", "other"]
PERSON_FIELDS = ("organisation_id", "role", "phone", "email")


@dataclass
class ContactRow:
    person_id: int
    name: str
    organisation_id: int | None
    role: str | None
    phone: str | None
    email: str | None
    format: str | None
    published: date | None
    doc_key: str
    index: int

    @property
    def newest(self) -> tuple:
        """Sort key, newest first."""
        return (-(self.published or date.min).toordinal(), -FORMAT_AUTHORITY.get(self.format or "", -1),
                self.doc_key, self.index)


@dataclass
class Change:
    """What one load changed, so that merging need not read every source again."""

    doc_id: int
    removed_groups: set[str] = field(default_factory=set)  # groups, persons that lost rows: derived from all rows
    removed_persons: set[str] = field(default_factory=set)
    aliases: Counter = field(default_factory=Counter)  # (organisation_id, alias, language, kind, party) -> +n/-n rows
    claims: list = field(default_factory=list)  # ClaimRow of the document's new sources
    contacts: dict[str, list[ContactRow]] = field(default_factory=dict)  # person key -> the document's new contacts
    org_ids: dict[str, int] = field(default_factory=dict)  # organisation norm -> id, as far as known
    agreement_keys: set[str] = field(default_factory=set)  # out: the agreements the document's claims are in


def refresh(conn: Connection, groups: Iterable[str] = (), org_norms: Iterable[str] = (),
            person_keys: Iterable[str] = (), change: Change | None = None) -> None:
    """Derive again what these keys name: agreements first, then persons, then organisations.

    `change` (from the loader) says what one document added and removed; without it
    every group and person named is derived from all its rows.
    """
    m = _Merge(conn, change)
    groups, person_keys, org_norms = sorted(set(groups)), sorted(set(person_keys)), sorted(set(org_norms))
    existing = m.agreements_of(groups)
    m.load_fixes([("agreement", k) for g in groups for k in existing[g]]
                 + [("contact", k) for k in person_keys] + [("organisation", org_key(n)) for n in org_norms])
    m.groups(groups, existing)
    m.persons(person_keys)
    m.orgs(org_norms)


def agreement_keys_of(conn: Connection, doc_id: int) -> list[str]:
    rows = Raw(conn).all("SELECT DISTINCT a.key FROM agreements a JOIN agreement_sources s ON s.agreement_id = a.id "
                         "WHERE s.document_id = ?", (doc_id,))
    return sorted(r[0] for r in rows)


# --- Agreements ---------------------------------------------------------------


@dataclass
class ClaimRow:
    id: int
    document_id: int
    doc_key: str
    format: str | None
    published: date | None
    index: int
    type: str
    status: str | None
    start: date | None
    end: date | None
    data: dict
    agreement_id: int | None = None
    group: str = ""

    @property
    def authority(self) -> tuple:
        """Sort key, most authoritative first."""
        return (-FORMAT_AUTHORITY.get(self.format or "", -1), -(self.published or date.min).toordinal(),
                self.doc_key, self.index)

    @property
    def interval(self) -> tuple[date, date] | None:
        if self.start is None and self.end is None:
            return None
        lo, hi = self.start or date.min, self.end or date.max
        return (lo, hi) if lo <= hi else (hi, lo)

    def term(self, name: str):
        return (self.data.get("terms") or {}).get(name)


@dataclass
class Cluster:
    lo: date
    hi: date
    claims: list[ClaimRow] = field(default_factory=list)


def cluster(claims: list[ClaimRow]) -> list[list[ClaimRow]]:
    """Claims of one group split into agreements by period (see the module docstring)."""
    dated = sorted((c for c in claims if c.interval), key=lambda c: (c.interval, c.authority))
    undated = sorted((c for c in claims if not c.interval), key=lambda c: c.authority)
    clusters: list[Cluster] = []
    for c in dated:
        lo, hi = c.interval
        if clusters and lo <= clusters[-1].hi:
            clusters[-1].hi = max(hi, clusters[-1].hi)
            clusters[-1].claims.append(c)
        else:
            clusters.append(Cluster(lo, hi, [c]))
    if not clusters:
        return [undated] if undated else []
    for c in undated:
        if c.published is None:
            target = clusters[-1]
        else:
            target = clusters[_nearest([(k.lo, k.hi) for k in clusters], c.published)]
        target.claims.append(c)
    return [k.claims for k in clusters]


def _nearest(hulls: list[tuple[date, date]], day: date) -> int:
    """Index of the period nearest `day` (the later one on a tie)."""
    def distance(i: int) -> tuple[int, int]:
        lo, hi = hulls[i]
        gap = 0 if lo <= day <= hi else min(abs((lo - day).days), abs((day - hi).days))
        return gap, -i
    return min(range(len(hulls)), key=distance)


def _first(values: Iterable):
    return next((v for v in values if v is not None), None)


def _slot(currency: str, value: float, per: str | None, year: int | None) -> str:
    return f"{currency}|{float(value):.4f}|{per or ''}|{year or ''}"


def _merged(claims: list[ClaimRow]) -> dict:
    ranked = sorted(claims, key=lambda c: c.authority)
    statuses = [c.status for c in claims if c.status in LIFECYCLE]
    out = {
        "type": ranked[0].type,
        "status": max(statuses, key=LIFECYCLE.index) if statuses else None,
        "start": _first(c.start for c in ranked),
        "end": _first(c.end for c in ranked),
        "party_norms": list(ranked[0].data.get("party_norms") or []),
    }
    for t in TERMS:
        out[t] = _first(c.term(t) for c in ranked)
    out["amounts"] = _amounts_of(ranked)
    return out


def _amounts_of(ranked: list[ClaimRow]) -> list[dict]:
    amounts: dict[tuple, dict] = {}
    for c in ranked:
        for a in c.data.get("amounts") or []:
            k = (a["currency"], float(a["value"]), a.get("per"))
            entry = amounts.setdefault(k, {"value": a["value"], "currency": a["currency"], "per": a.get("per"),
                                           "approx": True, "evidence": []})
            entry["approx"] = entry["approx"] and bool(a.get("approx"))
            for e in a.get("evidence") or []:
                ev = (c.document_id, e["doc"], e["start"], e["end"], e["quote"])
                if ev not in entry["evidence"]:
                    entry["evidence"].append(ev)
    return list(amounts.values())


def _state(claims: list[ClaimRow]) -> dict:
    """What adding a claim needs to know without reading the others: the period hull, how many
    claims have no period, and the authority of the claim that gave each value (None: nobody)."""
    ranked = sorted(claims, key=lambda c: c.authority)

    def giver(value) -> list | None:
        return next((list(c.authority) for c in ranked if value(c) is not None), None)

    keys = {"top": list(ranked[0].authority), "start": giver(lambda c: c.start), "end": giver(lambda c: c.end)}
    for t in TERMS:
        keys[t] = giver(lambda c, t=t: c.term(t))
    spans = [c.interval for c in claims if c.interval]
    return {"lo": min(s[0] for s in spans).isoformat() if spans else None,
            "hi": max(s[1] for s in spans).isoformat() if spans else None,
            "undated": len(claims) - len(spans), "keys": keys}


def _one_year(start: date | None, end: date | None) -> int | None:
    if start and end and start.year == end.year:
        return start.year
    return None


def _apply_agreement_corrections(conn: Connection, desired: dict, fixes: dict) -> None:
    for name in AGREEMENT_FIELDS:
        if name in fixes:
            value = fixes[name]
            desired[name] = date.fromisoformat(value) if name in ("start", "end") and value else value
    if "parties" in fixes:
        norms = []
        for name in fixes["parties"]:
            norm = org_norm(name)
            ensure_org(conn, norm, name, canonical_name(name)[1])
            if norm not in norms:
                norms.append(norm)
        desired["party_norms"] = norms
    if "amounts" in fixes:
        machine = {(a["currency"], float(a["value"]), a["per"]): a["evidence"] for a in desired["amounts"]}
        desired["amounts"] = [
            {"value": a["value"], "currency": a["currency"], "per": a.get("per"), "year": a.get("year"),
             "approx": bool(a.get("approx")),
             "evidence": machine.get((a["currency"], float(a["value"]), a.get("per")), [])}
            for a in fixes["amounts"]
        ]
    desired["deleted"] = bool(fixes.get("delete"))
    desired["corrected"] = sorted(k for k in fixes if k != "delete")


AGREEMENT_COLUMNS = ("id", "key", "group_key", "type", "status", "start_date", "end_date", *TERMS, "deleted",
                     "corrected", "merge_state")
CLAIM_SELECT = ("SELECT s.id, s.document_id, d.doc_key, d.format, d.published, s.claim_index, s.type, s.status, "
                "s.start_date, s.end_date, s.claim, s.agreement_id, s.group_key "
                "FROM agreement_sources s JOIN documents d ON d.id = s.document_id WHERE ")


def _ordinal(key: str) -> int:
    return int(key.rsplit("-", 1)[1]) if key.count("-") == 2 else 1


class _Merge:
    def __init__(self, conn: Connection, change: Change | None):
        self.conn = conn
        self.db = Raw(conn)
        self.change = change
        self.fixes: dict[tuple[str, str], dict] = {}

    def load_fixes(self, targets: list[tuple[str, str]]) -> None:
        """The corrections of these (target, key)s, in one query."""
        todo = [t for t in dict.fromkeys(targets) if t not in self.fixes]
        if not todo:
            return
        for t in todo:
            self.fixes[t] = {}
        kinds, kind_params = self.db.in_("target", sorted({t for t, _ in todo}))
        keys, key_params = self.db.in_("target_key", sorted({k for _, k in todo}))
        for target, key, name, value in self.db.all(
                f"SELECT target, target_key, field, value FROM corrections WHERE {kinds} AND {keys}",
                kind_params + key_params):
            if (target, key) in self.fixes:
                self.fixes[(target, key)][name] = self.db.read_json(value)

    def agreements_of(self, groups: list[str]) -> dict[str, dict[str, dict]]:
        out: dict[str, dict[str, dict]] = {g: {} for g in groups}
        if not groups:
            return out
        where, params = self.db.in_("group_key", groups)
        for row in self.db.all(f"SELECT {', '.join(AGREEMENT_COLUMNS)} FROM agreements WHERE {where}", params):
            a = dict(zip(AGREEMENT_COLUMNS, row))
            a["start_date"], a["end_date"] = self.db.read_date(a["start_date"]), self.db.read_date(a["end_date"])
            a["corrected"], a["merge_state"] = self.db.read_json(a["corrected"]), self.db.read_json(a["merge_state"])
            out[a["group_key"]][a["key"]] = a
        return out

    def _claims(self, where: str, params: list) -> list[ClaimRow]:
        db = self.db
        return [
            ClaimRow(r[0], r[1], r[2], r[3], db.read_date(r[4]), r[5], r[6], r[7], db.read_date(r[8]),
                     db.read_date(r[9]), db.read_json(r[10]), r[11], r[12])
            for r in db.all(CLAIM_SELECT + where, params)
        ]

    def _note(self, members: list[ClaimRow], key: str) -> None:
        if self.change is not None and any(c.document_id == self.change.doc_id for c in members):
            self.change.agreement_keys.add(key)

    # --- groups

    def groups(self, groups: list[str], existing: dict[str, dict[str, dict]]) -> None:
        new: dict[str, list[ClaimRow]] = defaultdict(list)
        if self.change is not None:
            for c in self.change.claims:
                new[c.group].append(c)
        plans = {g: self._plan_group(g, new[g], existing[g]) for g in groups if self._can_add(g, existing[g])}
        full = [g for g in groups if plans.get(g) is None]
        claims: dict[str, list[ClaimRow]] = defaultdict(list)
        if full:
            where, params = self.db.in_("s.group_key", full)
            for c in self._claims(where, params):
                claims[c.group].append(c)
        for g in groups:
            if plans.get(g) is None:
                self._derive_group(g, claims[g], existing[g])
            else:
                for plan in plans[g]:
                    self._write_add(*plan)

    def _can_add(self, group: str, existing: dict[str, dict]) -> bool:
        return (self.change is not None and group not in self.change.removed_groups and bool(existing)
                and all(a["merge_state"] is not None and not self.fixes.get(("agreement", k)) for k, a in existing.items()))

    def _derive_group(self, group: str, claims: list[ClaimRow], existing: dict[str, dict]) -> None:
        """The group's agreements from all its claims."""
        db = self.db
        wanted: dict[str, list[ClaimRow]] = {agreement_key(group, i): cl for i, cl in enumerate(cluster(claims), 1)}
        self.load_fixes([("agreement", k) for k in wanted])
        gone = [existing[k]["id"] for k in existing if k not in wanted]
        if gone:
            where, params = db.in_("id", gone)
            db.run(f"DELETE FROM agreements WHERE {where}", params)
            for c in claims:  # their link was set to NULL; an id may be used again
                if c.agreement_id in gone:
                    c.agreement_id = None
        for key, members in wanted.items():
            desired = _merged(members)
            state = _state(members)
            desired["deleted"], desired["corrected"] = False, []
            _apply_agreement_corrections(self.conn, desired, self.fixes[("agreement", key)])
            row = {
                "type": desired["type"], "status": desired["status"], "start_date": desired["start"],
                "end_date": desired["end"], **{t: desired[t] for t in TERMS},
                "deleted": desired["deleted"], "corrected": desired["corrected"], "merge_state": state,
            }
            current = existing.get(key)
            if current is None:
                agreement_id = self._insert_agreement(key, group, row)
            else:
                agreement_id = current["id"]
                self._update("agreements", agreement_id, current, row)
            db.many("UPDATE agreement_sources SET agreement_id = ? WHERE id = ?",
                    [(agreement_id, c.id) for c in members if c.agreement_id != agreement_id])
            self._sync_parties(agreement_id, desired["party_norms"], current is None)
            year = _one_year(desired["start"], desired["end"])
            for a in desired["amounts"]:
                a.setdefault("year", year)  # a reviewer's amount keeps the year it was given
            self._sync_amounts(agreement_id, desired["amounts"], current is None)
            self._note(members, key)

    def _insert_agreement(self, key: str, group: str, row: dict) -> int:
        db = self.db
        values = {"key": key, "group_key": group, **row}
        values["start_date"], values["end_date"] = db.date(values["start_date"]), db.date(values["end_date"])
        values["corrected"], values["merge_state"] = db.json(values["corrected"]), db.json(values["merge_state"])
        return db.insert("agreements", tuple(values), [tuple(values.values())], returning="id")[0][0]

    def _update(self, table: str, row_id: int, current: dict, desired: dict) -> None:
        """UPDATE only the columns whose value differs; nothing at all when none does."""
        changed = {k: v for k, v in desired.items() if current.get(k) != v}
        if not changed:
            return
        db = self.db
        values = []
        for k, v in changed.items():
            if isinstance(v, date):
                v = db.date(v)
            elif k in ("corrected", "merge_state"):
                v = db.json(v)
            values.append(v)
        db.run(f"UPDATE {table} SET {', '.join(f'{k} = ?' for k in changed)} WHERE id = ?", [*values, row_id])

    def _org_ids(self, norms: list[str]) -> dict[str, int]:
        known = self.change.org_ids if self.change is not None else {}
        ids = {n: known[n] for n in norms if n in known}
        missing = [n for n in norms if n not in ids]
        if missing:
            where, params = self.db.in_("norm", missing)
            ids.update(self.db.all(f"SELECT norm, id FROM organisations WHERE {where}", params))
        return ids

    def _sync_parties(self, agreement_id: int, norms: list[str], new: bool) -> None:
        db = self.db
        ids = self._org_ids(norms)
        desired = {ids[n]: pos for pos, n in enumerate(norms) if n in ids}
        current = {} if new else dict(db.all(
            "SELECT organisation_id, position FROM agreement_parties WHERE agreement_id = ?", (agreement_id,)))
        for org_id in set(current) - set(desired):
            db.run("DELETE FROM agreement_parties WHERE agreement_id = ? AND organisation_id = ?", (agreement_id, org_id))
        for org_id, pos in desired.items():
            if org_id not in current:
                db.run("INSERT INTO agreement_parties (agreement_id, organisation_id, position) VALUES (?, ?, ?)",
                       (agreement_id, org_id, pos))
            elif current[org_id] != pos:
                db.run("UPDATE agreement_parties SET position = ? WHERE agreement_id = ? AND organisation_id = ?",
                       (pos, agreement_id, org_id))

    def _current_amounts(self, agreement_ids: list[int]) -> dict[int, dict[str, dict]]:
        out: dict[int, dict[str, dict]] = {i: {} for i in agreement_ids}
        where, params = self.db.in_("agreement_id", agreement_ids)
        for r in self.db.all(f"SELECT id, agreement_id, slot, value, currency, per, year, approx FROM amounts WHERE {where}",
                             params):
            out[r[1]][r[2]] = {"id": r[0], "value": r[3], "currency": r[4], "per": r[5], "year": r[6], "approx": r[7]}
        return out

    def _sync_amounts(self, agreement_id: int, amounts: list[dict], new: bool) -> None:
        db = self.db
        desired: dict[str, dict] = {}
        for a in amounts:
            desired.setdefault(_slot(a["currency"], a["value"], a["per"], a["year"]), a)
        current = {} if new else self._current_amounts([agreement_id])[agreement_id]
        gone = [current[s]["id"] for s in current if s not in desired]
        if gone:
            where, params = db.in_("id", gone)
            db.run(f"DELETE FROM amounts WHERE {where}", params)
        kept = [current[s]["id"] for s in current if s in desired]
        evidence: dict[int, dict[tuple, int]] = defaultdict(dict)
        if kept:
            where, params = db.in_("amount_id", kept)
            for r in db.all(f"SELECT id, amount_id, document_id, doc, span_start, span_end, quote FROM evidence "
                            f"WHERE {where}", params):
                evidence[r[1]][tuple(r[2:])] = r[0]
        unwanted, new_evidence = [], []
        for slot, a in desired.items():
            row = {"value": float(a["value"]), "currency": a["currency"], "per": a["per"], "year": a["year"],
                   "approx": bool(a["approx"])}
            if slot in current:
                amount_id = current[slot]["id"]
                self._update("amounts", amount_id, current[slot], row)
            else:
                amount_id = db.insert("amounts", ("agreement_id", "slot", *row), [(agreement_id, slot, *row.values())],
                                      returning="id")[0][0]
            have = evidence[amount_id]
            wanted = set(a["evidence"])
            unwanted += [ev_id for ev, ev_id in have.items() if ev not in wanted]
            new_evidence += [(d, "amount", amount_id, doc, s, e, q) for d, doc, s, e, q in a["evidence"]
                             if (d, doc, s, e, q) not in have]
        if unwanted:
            where, params = db.in_("id", unwanted)
            db.run(f"DELETE FROM evidence WHERE {where}", params)
        if new_evidence:
            db.insert("evidence", ("document_id", "fact", "amount_id", "doc", "span_start", "span_end", "quote"),
                      new_evidence)

    def _plan_group(self, group: str, claims: list[ClaimRow], existing: dict[str, dict]) -> list | None:
        """How the document's claims change the group's agreements, from their `merge_state` alone.

        None when that would not give what deriving the group from all its claims gives (a new
        or merged period, an undated claim that could move, a changed `year`, an amount slot
        taken by another value): then the caller does that.
        """
        if not claims:
            return None
        aggs = sorted(existing.values(), key=lambda a: _ordinal(a["key"]))
        states = [a["merge_state"] for a in aggs]
        hulls = [[date.fromisoformat(s["lo"]), date.fromisoformat(s["hi"])] for s in states if s["lo"] is not None]
        if hulls and len(hulls) != len(aggs) or not hulls and len(aggs) != 1:
            return None
        members: dict[int, list[ClaimRow]] = defaultdict(list)
        grown = False
        undated = [c for c in claims if not c.interval]
        for c in sorted((c for c in claims if c.interval), key=lambda c: (c.interval, c.authority)):
            lo, hi = c.interval
            hits = [i for i, (a, b) in enumerate(hulls) if lo <= b and a <= hi]
            if len(hits) != 1:
                return None
            i = hits[0]
            if lo < hulls[i][0] or hi > hulls[i][1]:
                hulls[i] = [min(lo, hulls[i][0]), max(hi, hulls[i][1])]
                grown = True
            members[i].append(c)
        if grown and (undated or any(s["undated"] for s in states)):
            return None
        for c in undated:
            i = 0 if not hulls else len(hulls) - 1 if c.published is None else _nearest(hulls, c.published)
            members[i].append(c)

        ids = [aggs[i]["id"] for i in members]
        amounts_now = self._current_amounts(ids)
        plans = []
        for i, added in members.items():
            plan = self._plan_add(aggs[i], states[i], hulls[i] if hulls else None, added, amounts_now[aggs[i]["id"]])
            if plan is None:
                return None
            plans.append((aggs[i], added, *plan))
        return plans

    def _plan_add(self, agreement: dict, state: dict, hull: list[date] | None, added: list[ClaimRow],
                  amounts_now: dict[str, dict]):
        """(row, new party order or None, amount changes) for one agreement, or None if it cannot be done."""
        keys = {k: tuple(v) if v is not None else None for k, v in state["keys"].items()}
        row = {"status": agreement["status"], "start_date": agreement["start_date"], "end_date": agreement["end_date"],
               **{t: agreement[t] for t in TERMS}, "deleted": False, "corrected": []}
        top_norms = None
        for c in sorted(added, key=lambda c: c.authority):
            if c.status in LIFECYCLE and (row["status"] is None or LIFECYCLE.index(c.status) > LIFECYCLE.index(row["status"])):
                row["status"] = c.status
            for name, column, value in [("start", "start_date", c.start), ("end", "end_date", c.end),
                                        *[(t, t, c.term(t)) for t in TERMS]]:
                if value is not None and (keys[name] is None or c.authority < keys[name]):
                    row[column], keys[name] = value, c.authority
            if c.authority < keys["top"]:
                keys["top"] = c.authority
                top_norms = list(c.data.get("party_norms") or [])
        year = _one_year(row["start_date"], row["end_date"])
        if year != _one_year(agreement["start_date"], agreement["end_date"]):
            return None
        new_amounts: dict[str, dict] = {}
        for a in _amounts_of(sorted(added, key=lambda c: c.authority)):
            slot = _slot(a["currency"], a["value"], a["per"], year)
            now = amounts_now.get(slot) or new_amounts.get(slot)
            if now is not None and now["value"] != float(a["value"]):
                return None  # another value in the same slot: which one wins depends on all claims
            if now is None:
                new_amounts[slot] = {**a, "value": float(a["value"]), "year": year, "approx": bool(a["approx"])}
            else:
                now.setdefault("add", []).extend(a["evidence"])
                now["new_approx"] = bool(now.get("new_approx", now["approx"])) and bool(a["approx"])
        spans = [c.interval for c in added if c.interval]
        state = {"lo": hull[0].isoformat() if hull else None, "hi": hull[1].isoformat() if hull else None,
                 "undated": state["undated"] + len(added) - len(spans),
                 "keys": {k: list(v) if v is not None else None for k, v in keys.items()}}
        row["merge_state"] = state
        return row, top_norms, (amounts_now, new_amounts)

    def _write_add(self, agreement: dict, added: list[ClaimRow], row: dict, top_norms: list[str] | None,
                   amounts: tuple[dict, dict]) -> None:
        db = self.db
        agreement_id = agreement["id"]
        self._update("agreements", agreement_id, agreement, row)
        db.many("UPDATE agreement_sources SET agreement_id = ? WHERE id = ?", [(agreement_id, c.id) for c in added])
        if top_norms is not None:
            self._sync_parties(agreement_id, top_norms, False)
        amounts_now, new_amounts = amounts
        new_evidence = []
        for slot, now in amounts_now.items():
            if "add" not in now:
                continue
            if bool(now["approx"]) != now["new_approx"]:
                db.run("UPDATE amounts SET approx = ? WHERE id = ?", (now["new_approx"], now["id"]))
            new_evidence += [(d, "amount", now["id"], doc, s, e, q) for d, doc, s, e, q in now["add"]]
        for slot, a in new_amounts.items():
            values = (agreement_id, slot, a["value"], a["currency"], a["per"], a["year"], a["approx"])
            amount_id = db.insert("amounts", ("agreement_id", "slot", "value", "currency", "per", "year", "approx"),
                                  [values], returning="id")[0][0]
            new_evidence += [(d, "amount", amount_id, doc, s, e, q) for d, doc, s, e, q in a["evidence"]]
        if new_evidence:
            db.insert("evidence", ("document_id", "fact", "amount_id", "doc", "span_start", "span_end", "quote"),
                      new_evidence)
        self._note(added, agreement["key"])

    def _rows(self, table: str, columns: tuple[str, ...], by: str, values: list[str]) -> dict[str, dict]:
        """Rows of `table` whose `by` column is one of `values`, by that value, JSON columns read."""
        db = self.db
        where, params = db.in_(by, values)
        rows = {}
        for r in db.all(f"SELECT {', '.join(columns)} FROM {table} WHERE {where}", params):
            row = dict(zip(columns, r))
            row["corrected"], row["merge_state"] = db.read_json(row["corrected"]), db.read_json(row["merge_state"])
            rows[row[by]] = row
        return rows

    # --- persons

    PERSON_COLUMNS = ("id", "key", "name", "organisation_id", "role", "phone", "email", "deleted", "corrected",
                      "merge_state")

    def persons(self, keys: list[str]) -> None:
        if not keys:
            return
        db = self.db
        persons = self._rows("persons", self.PERSON_COLUMNS, "key", keys)
        change = self.change
        full = [k for k in keys if k in persons and not (
            change is not None and k not in change.removed_persons and persons[k]["merge_state"] is not None
            and not self.fixes.get(("contact", k)) and change.contacts.get(k))]
        rows: dict[int, list[ContactRow]] = defaultdict(list)
        if full:
            where, params = db.in_("c.person_id", [persons[k]["id"] for k in full])
            for r in db.all("SELECT c.person_id, c.name, c.organisation_id, c.role, c.phone, c.email, d.format, "
                            "d.published, d.doc_key, c.claim_index FROM person_contacts c "
                            f"JOIN documents d ON d.id = c.document_id WHERE {where}", params):
                rows[r[0]].append(ContactRow(*r[:7], db.read_date(r[7]), *r[8:]))
        for k in keys:
            if k not in persons:
                continue
            if k in full:
                self._derive_person(persons[k], rows[persons[k]["id"]])
            else:
                self._add_contacts(persons[k], change.contacts[k])

    def _derive_person(self, person: dict, rows: list[ContactRow]) -> None:
        fixes = self.fixes.get(("contact", person["key"])) or {}
        added = fixes.get("add") or {}
        if not rows and not added:
            self.db.run("DELETE FROM persons WHERE id = ?", (person["id"],))
            return
        newest = sorted(rows, key=lambda c: c.newest)
        names = Counter(c.name for c in newest)
        desired = {
            "name": _most_common(names) if names else person["name"],
            "organisation_id": _first(c.organisation_id for c in newest) if newest else person["organisation_id"],
            "role": _first(c.role for c in newest),
            "phone": _first(c.phone for c in newest),
            "email": _first(c.email for c in newest),
        }
        state = {"names": dict(sorted(names.items())),
                 "keys": {f: next((list(c.newest) for c in newest if getattr(c, f) is not None), None)
                          for f in PERSON_FIELDS}}
        for name in ("name", "role", "phone", "email", "organisation"):
            value = fixes[name] if name in fixes else added.get(name)
            if name not in fixes and value is None:
                continue
            if name == "organisation":
                desired["organisation_id"] = ensure_org(self.conn, org_norm(value), value, canonical_name(value)[1]) if value else None
            else:
                desired[name] = value
        desired["deleted"] = bool(fixes.get("delete"))
        desired["corrected"] = sorted(k for k in fixes if k != "delete")
        desired["merge_state"] = state
        self._update("persons", person["id"], person, desired)

    def _add_contacts(self, person: dict, contacts: list[ContactRow]) -> None:
        """A person with no corrections gains contacts: its `merge_state` says whether they win."""
        state = person["merge_state"]
        names = Counter(state["names"])
        keys = {f: tuple(v) if v is not None else None for f, v in state["keys"].items()}
        desired = {f: person[f] for f in PERSON_FIELDS}
        for c in contacts:
            names[c.name] += 1
            for f in PERSON_FIELDS:
                value = getattr(c, f)
                if value is not None and (keys[f] is None or c.newest < keys[f]):
                    desired[f], keys[f] = value, c.newest
        desired["name"] = _most_common(names)
        desired["deleted"], desired["corrected"] = False, []
        desired["merge_state"] = {"names": dict(sorted(names.items())),
                                  "keys": {f: list(keys[f]) if keys[f] is not None else None for f in PERSON_FIELDS}}
        self._update("persons", person["id"], person, desired)

    # --- organisations

    ORG_COLUMNS = ("id", "key", "norm", "name", "kind", "country", "corrected", "merge_state")

    def orgs(self, norms: list[str]) -> None:
        if not norms:
            return
        db = self.db
        orgs = self._rows("organisations", self.ORG_COLUMNS, "norm", norms)
        counts: dict[int, Counter] = defaultdict(Counter)
        recount = [o["id"] for o in orgs.values() if o["merge_state"] is None]
        if recount:
            where, params = db.in_("a.organisation_id", recount)
            for org_id, alias, language, kind, party, n in db.all(
                    "SELECT a.organisation_id, a.alias, d.language, a.kind, a.party, COUNT(*) FROM organisation_aliases a "
                    f"JOIN documents d ON d.id = a.document_id WHERE {where} "
                    "GROUP BY a.organisation_id, a.alias, d.language, a.kind, a.party", params):
                counts[org_id][(alias, language, kind, bool(party))] += n
        delta: dict[int, Counter] = defaultdict(Counter)
        if self.change is not None:
            for (org_id, *rest), n in self.change.aliases.items():
                delta[org_id][tuple(rest)] += n
        for norm in norms:
            o = orgs.get(norm)
            if o is None:
                continue
            if o["merge_state"] is not None:
                c = Counter({(a, lang, kind, party): n for a, lang, kind, party, n in o["merge_state"]})
                c.update(delta[o["id"]])
                counts[o["id"]] = c
            self._derive_org(o, +counts[o["id"]])

    def _derive_org(self, org: dict, counts: Counter) -> None:
        """From how often each (alias, language, kind, party) occurs among the organisation's aliases."""
        if not counts and not _referenced(self.conn, org["id"]):
            self.db.run("DELETE FROM organisations WHERE id = ?", (org["id"],))
            return
        desired: dict = {}
        if counts:
            party = {k: n for k, n in counts.items() if k[3]} or counts
            names: Counter = Counter()
            kinds: Counter = Counter()
            for (alias, language, kind, _), n in party.items():
                names[canonical_name(alias, language)[0]] += n
                if kind:
                    kinds[kind] += n
            desired["name"] = _most_common(names)
            if kinds:
                desired["kind"] = min(kinds, key=lambda k: (-kinds[k], KIND_ORDER.index(k) if k in KIND_ORDER else 99))
            else:
                desired["kind"] = canonical_name(desired["name"])[1]
            countries: Counter = Counter()
            for (_, language, _, _), n in counts.items():
                c = country_of(desired["name"], language)
                if c:
                    countries[c] += n
            desired["country"] = min(countries, key=lambda c: (-countries[c], c)) if countries else None
        fixes = self.fixes.get(("organisation", org["key"])) or {}
        for name in ("name", "kind", "country"):
            if name in fixes:
                desired[name] = fixes[name]
        desired["corrected"] = sorted(fixes)
        desired["merge_state"] = sorted(([a, lang, kind, party, n] for (a, lang, kind, party), n in counts.items()),
                                        key=lambda r: [(v is None, v or "") for v in r[:3]] + [r[3]])
        self._update("organisations", org["id"], org, desired)


def _most_common(names: Counter) -> str:
    return max(names, key=lambda n: (names[n], n != n.upper(), n))


def _referenced(conn: Connection, org_id: int) -> bool:
    for model in (AgreementParty, Person, PersonContact):
        if conn.scalar(select(func.count()).select_from(model).where(model.organisation_id == org_id)):
            return True
    return False
