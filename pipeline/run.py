"""The main job: input files and folders to one JSON result per document."""

from __future__ import annotations

import json
import os
import tempfile
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from pipeline import __version__, ingest
from pipeline.batch import crash
from pipeline.errors import ExtractionError, PipelineError
from pipeline.models import Document, ErrorInfo, Result


def iter_inputs(inputs: Iterable[str | Path]) -> Iterator[Path]:
    """Files as given, folders walked recursively in name order, glob patterns expanded;
    hidden and data files skipped in folders (see pipeline.batch.tasks.expand_inputs)."""
    from pipeline.batch.tasks import expand_inputs

    return expand_inputs(inputs)


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
    """One input file to its results: one, or one per message of an mbox or record of a WARC file
    (without limits; a batch run reads through pipeline.batch.stage instead)."""
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


def write_json_atomic(path: Path, data: BaseModel | dict) -> None:
    """Write to a temporary file in the same folder, then rename over the target: a reader (or a run
    killed mid-write) sees the old file or the new one, never part of one. A model is serialised by
    pydantic's own encoder (several times faster than json.dump of its dict)."""
    if isinstance(data, BaseModel):
        body = data.model_dump_json(indent=2).encode("utf-8") + b"\n"
    else:
        body = (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            half = len(body) // 2
            fh.write(body[:half])
            crash.point("json", fh)  # a test hook (pipeline.batch.crash): no-op unless armed
            fh.write(body[half:])
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
    documents: int = 0  # documents this run accounts for: processed now, or skipped as done before
    failed: int = 0  # documents that failed in this run (a registry refusal included)
    written: list[Path] = field(default_factory=list)  # result files written in this run
    errors: list[Result] = field(default_factory=list)  # this run's failures
    loaded: dict[str, int] = field(default_factory=dict)  # registry load outcomes: inserted/replaced/unchanged
    registry: str | None = None  # the registry's URL, when one was filled
    processed: int = 0
    skipped: int = 0  # done by an earlier run with the same content and pipeline version
    skipped_failed: int = 0  # of the skipped, those whose earlier run failed
    pages: int = 0  # PDF pages read
    seconds: float = 0.0
    replaced_workers: int = 0  # worker processes killed (timeout) or dead and replaced
    errors_file: Path | None = None  # <out>/errors.jsonl
    interrupted: bool = False  # stopped by Ctrl-C: start it again to finish

    @property
    def any_failed(self) -> bool:
        return bool(self.failed or self.skipped_failed)


def default_db_url(out_dir: str | Path) -> str:
    """The registry beside the results: sqlite:///<out>/registry.sqlite."""
    return f"sqlite:///{Path(out_dir) / 'registry.sqlite'}"


def run(
    inputs: Iterable[str | Path],
    out_dir: str | Path,
    db: str | None = None,
    *,
    workers: int = 1,
    executor: str = "local",
    scheduler: str | None = None,
    force: bool = False,
    retry_failed: bool = False,
    limits=None,  # noqa: ANN001 - pipeline.batch.limits.Limits; None: the defaults
    progress=None,  # noqa: ANN001 - pipeline.batch.progress.Reporter; None: silent
    stage=None,  # noqa: ANN001 - the per-task stage function; None: pipeline.batch.stage.process_task
    redact_contacts: bool = False,
) -> RunSummary:
    """Process every input and write `<out>/<stem>.json` for each result.

    With `db` (a database URL), every ok result is also loaded into that
    registry, one transaction per document; a document the registry cannot
    take is recorded as that document's error (stage "registry") and the run
    goes on.

    Resumable: a document done before (same input, content hash and pipeline
    version, its result file present) is skipped unless `force`; a failed one
    too unless `retry_failed`. `workers` > 1 runs a local process pool;
    `executor="dask"` runs on a Dask cluster (`scheduler` address, or a local
    cluster of `workers` processes). `limits` bound each document (bytes,
    pages, MIME parts, wall time). `redact_contacts` keeps roles and
    organisations but no contact names, phones or emails in JSON or registry;
    persons forgotten in the registry stay out of new results. See pipeline.batch.
    """
    from pipeline.batch.runner import run_batch

    return run_batch(inputs, out_dir, db=db, workers=workers, executor=executor, scheduler=scheduler, force=force,
                     retry_failed=retry_failed, limits=limits, reporter=progress, stage=stage,
                     redact_contacts=redact_contacts)
