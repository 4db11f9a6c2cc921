"""One organisation candidate and the priorities that settle overlaps."""

from __future__ import annotations

from dataclasses import dataclass

# Priorities: the higher wins where candidates overlap.
P_GAZ, P_FIXED, P_STATE, P_LEGAL, P_KNOWN, P_LIST, P_HEAD = 100, 95, 90, 85, 80, 75, 70
P_DESC, P_COMMITTEE, P_SIGN, P_BETWEEN, P_BARE, P_ALIAS = 60, 58, 55, 40, 30, 20


@dataclass
class Cand:
    start: int
    end: int
    name: str | None
    kind: str
    country: str | None
    source: str
    prio: int
    committee: str | None = None
    scope: str | None = None  # committees: "municipality" or "region"
    place: str | None = None  # committees: the municipality the text names ("Socialnämnden i Vallentuna")
    head: str | None = None  # bare head words: the word to look up among the document's names
