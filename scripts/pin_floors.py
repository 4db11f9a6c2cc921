"""Print (or with --write, raise) the quality floors from a fresh dev-corpus run.

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
FLOORS = REPO / "eval_floors.json"


def main() -> None:
    with tempfile.TemporaryDirectory() as out:
        run([DEV], out)
        report = evaluate(DEV, out)
    old = json.loads(FLOORS.read_text()) if FLOORS.exists() else {"fact_f1": 0.0, "fields": {}}
    down = lambda x: math.floor(x * 100) / 100  # noqa: E731 - two decimals, never above the measure
    fields = {}
    for name, score in report.fields.items():
        figure = score.f1 if score.kind == "set" else score.accuracy
        if figure is not None:
            fields[name] = max(down(figure), old["fields"].get(name, 0.0))
    new = {"fact_f1": max(down(report.fact_f1), old["fact_f1"]), "fields": fields}
    print(json.dumps(new, indent=2))
    if "--write" in sys.argv:
        FLOORS.write_text(json.dumps(new, indent=2) + "\n")


if __name__ == "__main__":
    main()
