"""The agreement registry: a normalised database that merges, remembers and takes corrections.

    engine = open_registry("sqlite:///output/registry.sqlite")   # created / migrated
    load_result(engine, result)                                    # one document, one transaction
    list_agreements(engine, party="Lund")                          # merged, corrected view

Modules: schema (tables), db (engines, transactions, migrations), names (keys),
load (documents in), merge (the merged registry), query (lists and records),
export (JSON, JSONL, CSV, OCDS), review (export for review, apply corrections).
"""

from pipeline.registry.db import open_registry
from pipeline.registry.errors import NotFound, RegistryError
from pipeline.registry.load import LoadOutcome, load_result, load_results

DEFAULT_DB_NAME = "registry.sqlite"

__all__ = ["DEFAULT_DB_NAME", "LoadOutcome", "NotFound", "RegistryError", "load_result", "load_results", "open_registry"]
