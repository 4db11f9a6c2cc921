"""The gazetteers and word lists behind organisation recognition.

`OrgData` reads the source files in pipeline/nlp/data (or the copies a built
model keeps) and exposes them as look-up tables. It keeps the raw file texts so
a model directory can be written byte for byte and read back without the
source tree.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from pipeline import WORD_CACHE_ENTRIES
from pipeline.nlp.person_lexicon import first_names

DATA_DIR = Path(__file__).parent / "data"
FILES = (
    "municipalities_dk.tsv",
    "municipalities_se.tsv",
    "municipalities_no.tsv",
    "regions.tsv",
    "counties_se.tsv",
    "state_bodies.tsv",
    "orgs_known.tsv",
    "org_patterns.json",
    "persons_first_names.txt",  # a name that ends in a person's name: "Foreningen Fristedet Vejle Ole Frandsen"
)
COUNTRY_OF_LANG = {"da": "DK", "sv": "SE", "nb": "NO", "nn": "NO", "no": "NO", "en": "GB", "de": "DE"}


def _rows(text: str) -> list[list[str]]:
    """TSV rows without comments and the header line."""
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return [ln.split("\t") for ln in lines[1:]]


def fold(name: str) -> str:
    """Key for gazetteer look-ups: case-folded, single spaces, no spaces around hyphens."""
    return " ".join(name.replace(" -", "-").replace("- ", "-").split()).casefold()


class OrgData:
    def __init__(self, texts: dict[str, str]):
        self.texts = dict(texts)
        # Municipalities: folded bare name -> {country: canonical}
        self.municipalities: dict[str, dict[str, str]] = {}
        self.canonical_kind: dict[str, tuple[str, str]] = {}  # folded canonical -> (kind, country)
        self.canonical_names: dict[str, str] = {}  # folded canonical -> canonical
        for row in _rows(texts["municipalities_dk.tsv"]):
            self._add_municipality(row[0], row[1], "DK")
        for row in _rows(texts["municipalities_se.tsv"]):
            self._add_municipality(row[0], row[1], "SE")
        for row in _rows(texts["municipalities_no.tsv"]):
            self._add_municipality(row[0], f"{row[0]} kommune", "NO")
        # Regions: folded key -> {country: canonical}
        self.regions: dict[str, dict[str, str]] = {}
        for country, key, canonical, _status in _rows(texts["regions.tsv"]):
            self.regions.setdefault(fold(key), {})[country] = canonical
            self.canonical_kind[fold(canonical)] = ("region", country)
            self.canonical_names[fold(canonical)] = canonical
        self.fylker = {k for k, v in self.regions.items() if "NO" in v}
        # Swedish counties: folded name, genitive or "<genitive> län" -> county name
        self.se_counties: dict[str, str] = {}
        for name, genitive in _rows(texts["counties_se.tsv"]):
            for form in (name, genitive, f"{genitive} län", f"{name} län"):
                self.se_counties[fold(form)] = name
            self.canonical_kind[fold(f"Länsstyrelsen i {name}")] = ("state", "SE")
            self.canonical_names[fold(f"Länsstyrelsen i {name}")] = f"Länsstyrelsen i {name}"
        # Fixed names: exact text -> (kind, country or None)
        self.fixed: dict[str, tuple[str, str | None]] = {}
        for name, kind, *country in _rows(texts["state_bodies.tsv"]):
            self.fixed[name] = (kind, (country[0] if country and country[0] else None))
        self.known: dict[str, tuple[str, str | None, bool]] = {}
        for name, kind, country, place in _rows(texts["orgs_known.tsv"]):
            self.known[name] = (kind, country or None, place == "y")
        for name, (kind, country) in self.fixed.items():
            self.canonical_kind.setdefault(fold(name), (kind, country or ""))
        for name, (kind, country, _p) in self.known.items():
            self.canonical_kind.setdefault(fold(name), (kind, country or ""))
        self.patterns: dict = json.loads(texts["org_patterns.json"])
        strong, weak = first_names(texts["persons_first_names.txt"])
        self.first_names = strong - weak
        for name in list(self.fixed) + list(self.known):
            self.canonical_names.setdefault(fold(name), name)

    def _add_municipality(self, name: str, canonical: str, country: str) -> None:
        self.municipalities.setdefault(fold(name), {}).setdefault(country, canonical)
        self.canonical_kind[fold(canonical)] = ("municipality", country)
        self.canonical_names[fold(canonical)] = canonical

    def municipality(self, name: str, prefer: str | None = None, countries=("DK", "SE", "NO")) -> tuple[str, str] | None:
        """(canonical, country) for a bare municipality name, genitive -s tolerated."""
        # Asked for every capitalised word of a page, mostly the same words again: remembered.
        memo = self.__dict__.setdefault("_municipality_memo", {})
        key = (name, prefer, tuple(countries))
        if key not in memo:
            if len(memo) > WORD_CACHE_ENTRIES:
                memo.clear()
            memo[key] = self._municipality(name, prefer, countries)
        return memo[key]

    def _municipality(self, name: str, prefer: str | None, countries) -> tuple[str, str] | None:
        for key in (fold(name), fold(name[:-1]) if name.endswith("s") else None):
            if not key or key not in self.municipalities:
                continue
            found = self.municipalities[key]
            order = ([prefer] if prefer else []) + [c for c in countries if c != prefer]
            for country in order:
                if country in found and country in countries:
                    return found[country], country
        return None

    def region(self, key: str, countries=("DK", "SE", "NO", "DE")) -> tuple[str, str] | None:
        for k in (fold(key), fold(key[:-1]) if key.endswith("s") else None):
            if k and k in self.regions:
                for country in countries:
                    if country in self.regions[k]:
                        return self.regions[k][country], country
        return None

    @classmethod
    def from_dir(cls, path: str | Path) -> OrgData:
        path = Path(path)
        return cls({name: (path / name).read_text(encoding="utf-8") for name in FILES})

    def to_dir(self, path: str | Path) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for name, text in self.texts.items():
            (path / name).write_text(text, encoding="utf-8")


@lru_cache(maxsize=1)
def default_data() -> OrgData:
    return OrgData.from_dir(DATA_DIR)
