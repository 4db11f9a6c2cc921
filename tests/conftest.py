import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
DEV = REPO.parent / "shared" / "corpus" / "dev"


def dev_documents(*suffixes: str) -> list[Path]:
    """Dev-corpus documents (read in place, never copied), or [] where the corpus is absent."""
    if not DEV.is_dir():
        return []
    return sorted(p for p in DEV.iterdir() if p.suffix in suffixes and not p.name.endswith(".gold.json"))


def gold_for(path: Path) -> dict:
    return json.loads(path.with_name(path.stem + ".gold.json").read_text(encoding="utf-8"))


requires_dev = pytest.mark.skipif(not DEV.is_dir(), reason=f"dev corpus not found at {DEV}")
