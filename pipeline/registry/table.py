"""Plain-text tables for the terminal."""

from __future__ import annotations

from pipeline.registry.export import amount_text
from pipeline.registry.views import AgreementView, OrganisationView


def _table(header: list[str], rows: list[list[str]], widths: dict[int, int] | None = None) -> str:
    widths = widths or {}
    cut = [[c if len(c) <= widths.get(i, 10**6) else c[: widths[i] - 1] + "…" for i, c in enumerate(r)] for r in rows]
    size = [max([len(header[i])] + [len(r[i]) for r in cut]) for i in range(len(header))]
    lines = ["  ".join(h.ljust(size[i]) for i, h in enumerate(header)).rstrip()]
    lines += ["  ".join(c.ljust(size[i]) for i, c in enumerate(r)).rstrip() for r in cut]
    return "\n".join(lines)


def agreements_table(items: list[AgreementView]) -> str:
    rows = [
        [a.id, a.type, a.status or "", str(a.start or ""), str(a.end or ""),
         " + ".join(p.name for p in a.parties), "; ".join(amount_text(m) for m in a.amounts), str(len(a.sources))]
        for a in items
    ]
    return _table(["ID", "TYPE", "STATUS", "START", "END", "PARTIES", "AMOUNTS", "SOURCES"], rows, {5: 60, 6: 40})


def organisations_table(items: list[OrganisationView]) -> str:
    rows = [
        [o.id, o.name, o.kind or "", o.country or "", str(len(o.agreements)), str(len(o.persons)),
         "; ".join(o.aliases)]
        for o in items
    ]
    return _table(["ID", "NAME", "KIND", "COUNTRY", "AGREEMENTS", "PERSONS", "ALSO WRITTEN"], rows, {1: 50, 6: 40})
