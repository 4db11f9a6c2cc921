"""Which of our components make up each language's pipeline, in order."""

from __future__ import annotations

# Order matters: persons look at the organisations found before them.
COMPONENT_MODULES = {
    "agreements_money": "pipeline.nlp.money",
    "agreements_dates": "pipeline.nlp.temporal",
    "agreements_contacts": "pipeline.nlp.contacts",
    "agreements_orgs": "pipeline.nlp.orgs",
    "agreements_persons": "pipeline.nlp.persons",
    "agreements_cues": "pipeline.nlp.cues",
}


def components(lang: str) -> list[tuple[str, dict]]:
    """(factory name, config) pairs; call `import_components()` first."""
    return [(name, {"lang": lang}) for name in COMPONENT_MODULES]


def import_components() -> None:
    """Make every factory known to spaCy before `spacy.load` reads a config."""
    import importlib

    for module in COMPONENT_MODULES.values():
        importlib.import_module(module)  # registers the factory
