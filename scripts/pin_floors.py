"""Print (or with --write, raise) the quality floors from fresh runs over the dev corpus and over
the invented documents in tests/fixtures/invented.

Floors only ever go up: a field keeps its old floor where the new figure is lower.
Usage: .venv/bin/python scripts/pin_floors.py [--write]
"""

from __future__ import annotations

import json
import math
import sys
import tempfile
from pathlib import Path

from pipeline.evaluate import evaluate
from pipeline.run import run

REPO = Path(__file__).resolve().parents[1]
DEV = REPO.parent / "shared" / "corpus" / "dev"
INVENTED = REPO / "tests" / "fixtures" / "invented"
FLOORS = REPO / "eval_floors.json"


def _down(x: float) -> float:
    return math.floor(x * 100) / 100  # two decimals, never above the measure


def pinned(corpus: Path, old: dict) -> dict:
    """{"fact_f1", "fields"} of a fresh run over `corpus`, each no lower than in `old`."""
    with tempfile.TemporaryDirectory() as out:
        run([corpus], out)
        report = evaluate(corpus, out)
    fields = {}
    for name, score in report.fields.items():
        figure = score.f1 if score.kind == "set" else score.accuracy
        if figure is not None:
            fields[name] = max(_down(figure), old.get("fields", {}).get(name, 0.0))
    return {"fact_f1": max(_down(report.fact_f1), old.get("fact_f1", 0.0)), "fields": fields}


def main() -> None:
    old = json.loads(FLOORS.read_text()) if FLOORS.exists() else {}
    new = pinned(DEV, old)
    new["invented"] = pinned(INVENTED, old.get("invented", {}))
    print(json.dumps(new, indent=2))
    if "--write" in sys.argv:
        FLOORS.write_text(json.dumps(new, indent=2) + "\n")


if __name__ == "__main__":
    main()
