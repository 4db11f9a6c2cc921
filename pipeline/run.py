"""The main job: input files and folders to one JSON result per document."""

from __future__ import annotations

import json
import os
import tempfile
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import __version__, ingest
from pipeline.errors import ExtractionError, PipelineError
from pipeline.models import Document, ErrorInfo, Result


# Data files that sit beside documents in a folder (indexes, gold files, our
# own results and registry) are not documents; given by name they are still read.
_NOT_DOCUMENTS = (".json", ".jsonl", ".tsv", ".csv",
                  ".sqlite", ".sqlite-wal", ".sqlite-shm", ".sqlite-journal")


def iter_inputs(inputs: Iterable[str | Path]) -> Iterator[Path]:
    """Files as given, folders walked recursively in name order; hidden and data files skipped."""
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith(".") and not name.lower().endswith(_NOT_DOCUMENTS):
                        yield Path(root) / name
        else:
            yield path


def result_for(doc: Document) -> Result:
    """Extract the facts of one document and wrap them with the document."""
    from pipeline.extract import extract

    facts = extract(doc)
    return Result(
        id=doc.id, status="ok", format=doc.format, language=doc.language, published=doc.published,
        title=doc.title, source=doc.source, pipeline_version=__version__,
        parties=facts.parties, agreements=facts.agreements, amounts=facts.amounts,
        dates=[d.value for d in facts.dates], date_evidence=facts.dates, contacts=facts.contacts,
        document=doc, warnings=[w for d in doc.walk() for w in d.warnings],
    )


def error_result(doc_id: str, path: Path, exc: BaseException) -> Result:
    if isinstance(exc, PipelineError):
        info = ErrorInfo(stage=exc.stage, type=type(exc).__name__, message=str(exc))
    else:  # a bug or an input we did not foresee: keep the trace for the report
        last = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
        where = f" (at {Path(last.filename).name}:{last.lineno})" if last else ""
        info = ErrorInfo(stage="pipeline", type=type(exc).__name__, message=f"{path}: {exc}{where}")
    return Result(id=doc_id, status="error", pipeline_version=__version__, error=info)


def process_file(path: Path) -> list[Result]:
    """One input file to its results: one, or one per message of an mbox."""
    try:
        doc = ingest.read(path)
    except Exception as exc:  # noqa: BLE001 - one bad document never stops a batch
        return [error_result(path.stem, path, exc)]
    results = []
    for d in doc.children if doc.container else [doc]:
        try:
            results.append(result_for(d))
        except Exception as exc:  # noqa: BLE001
            results.append(error_result(d.id, path, ExtractionError(str(path), f"extraction failed: {type(exc).__name__}: {exc}")))
    return results


def write_json_atomic(path: Path, data: dict) -> None:
    """Write to a temporary file in the same folder, then rename over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=2)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


@dataclass
class RunSummary:
    documents: int = 0
    failed: int = 0
    written: list[Path] = field(default_factory=list)
    errors: list[Result] = field(default_factory=list)
    loaded: dict[str, int] = field(default_factory=dict)  # registry load outcomes: inserted/replaced/unchanged
    registry: str | None = None  # the registry's URL, when one was filled


def default_db_url(out_dir: str | Path) -> str:
    """The registry beside the results: sqlite:///<out>/registry.sqlite."""
    return f"sqlite:///{Path(out_dir) / 'registry.sqlite'}"


def run(inputs: Iterable[str | Path], out_dir: str | Path, db: str | None = None) -> RunSummary:
    """Process every input and write `<out>/<stem>.json` for each result.

    With `db` (a database URL), every ok result is also loaded into that
    registry, one transaction per document; a document the registry cannot
    take is recorded as that document's error (stage "registry") and the run
    goes on.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    summary = RunSummary()
    engine = None
    if db is not None:
        from pipeline.registry import open_registry

        engine = open_registry(db)
        summary.registry = db
    used: set[str] = set()
    try:
        for path in iter_inputs(inputs):
            for result in process_file(path):
                name = _unique_name(result, used)
                write_json_atomic(out / f"{name}.json", result.model_dump(mode="json"))
                summary.documents += 1
                summary.written.append(out / f"{name}.json")
                if result.status == "error":
                    summary.failed += 1
                    summary.errors.append(result)
                elif engine is not None:
                    _load(engine, result, path, summary)
    finally:
        if engine is not None:
            engine.dispose()
    return summary


def _load(engine, result: Result, path: Path, summary: RunSummary) -> None:  # noqa: ANN001
    from pipeline.registry import load_result

    try:
        action = load_result(engine, result).action
        summary.loaded[action] = summary.loaded.get(action, 0) + 1
    except Exception as exc:  # noqa: BLE001 - one document the registry refuses never stops a run
        info = ErrorInfo(stage="registry", type=type(exc).__name__, message=f"{path}: registry: {(str(exc).splitlines() or [''])[0]}")
        summary.failed += 1
        summary.errors.append(Result(id=result.id, status="error", pipeline_version=__version__, error=info))


def _unique_name(result: Result, used: set[str]) -> str:
    """The result's id, made unique within one run (two folders may hold the same stem)."""
    name = result.id
    if name in used:
        suffix = (result.source.sha256[:8] if result.source else str(len(used)))
        name = f"{name}-{suffix}"
        n = 2
        while name in used:
            name = f"{result.id}-{suffix}-{n}"
            n += 1
    used.add(name)
    return name
