"""The stage every worker runs: one task in, its result files written and loaded.

`process_task(task, config)` is a top-level function (picklable by reference),
the same for the in-process run, the local process pool and Dask workers:
read the document (with the run's limits), extract its facts, write
`<out>/<name>.json` atomically, and load an ok result into the registry (one
engine per process, kept between tasks). It returns a small `Outcome`; it
raises only for a bug in itself, never for a bad document.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.batch import crash
from pipeline.batch.limits import Limits, memory_note
from pipeline.batch.tasks import Task


@dataclass(frozen=True)
class StageConfig:
    out_dir: str  # absolute: Dask workers may run elsewhere
    db: str | None  # registry URL (a SQLite path made absolute), or None
    limits: Limits = field(default_factory=Limits)
    load: bool = True  # load ok results into `db` here; False: the parent loads them (one SQLite writer)
    redact_contacts: bool = False  # no contact names, phones or emails in the outputs
    forgotten: frozenset[str] = frozenset()  # hashes of persons the registry was told to forget


@dataclass
class DocOutcome:
    name: str  # result file stem
    id: str
    status: str  # ok | error
    error: dict[str, str] | None = None  # stage, type, message
    pages: int = 0
    loaded: str | None = None  # registry action: inserted, replaced, unchanged, skipped
    registry_error: dict[str, str] | None = None


@dataclass
class Outcome:
    seq: int
    docs: list[DocOutcome]
    seconds: float = 0.0
    recycle: bool = False  # the worker process should be replaced (after a timeout or MemoryError)


class _Alarm(BaseException):
    """The in-process wall-time alarm; a BaseException so that no `except Exception` swallows it."""


# Set by a pool worker: told when a task's document is read and extracted and its
# results are about to be stored (the parent then gives the store its own time).
store_hook: Callable[[int], None] | None = None

_ENGINES: dict[str, object] = {}


def engine_for(url: str):  # noqa: ANN201
    """This process's engine for a registry (opened, created and migrated once)."""
    engine = _ENGINES.get(url)
    if engine is None:
        from pipeline.registry import open_registry

        engine = _ENGINES[url] = open_registry(url)
        crash.watch_engine(engine)  # a test hook: no-op unless armed
    return engine


def close_engines() -> None:
    while _ENGINES:
        _url, engine = _ENGINES.popitem()
        engine.dispose()


@contextmanager
def alarm(seconds: float | None) -> Iterator[None]:
    """Raise _Alarm in this thread after `seconds`: only in a main thread with SIGALRM (not in Dask's
    task threads, where the scheduler's client enforces the limit)."""
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def ring(signum, frame):  # noqa: ANN001, ARG001
        raise _Alarm

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# One short page a language, read and extracted once by warm_up: what the first document of a
# process would otherwise pay (lazy tables and caches, about a second here) is paid before any clock.
_WARM_UP_PAGES = (
    "<html lang='da'><head><title>Ny aftale</title></head><body><h1>Aarhus Kommune indgår aftale med "
    "Foreningen Nord</h1><p>Aftalen gælder fra 1. januar 2025, og kommunen giver 100.000 kr. om året.</p>"
    "<p>Kontakt: Mette Vang, telefon 70 10 20 30.</p></body></html>",
    "Lunds kommun tecknar IOP med Föreningen Syd\n\nPartnerskapet gäller från 1 mars 2025 och kommunen "
    "bidrar med 200 000 kronor per år.\n",
    "Bergen kommune og Foreningen Vest inngår avtale\n\nAvtalen gjelder fra 1. januar 2025 med et tilskudd på "
    "300 000 kroner.\n",
    "Leeds City Council signs an agreement with the North Trust\n\nThe council grants GBP 50,000 a year "
    "from 1 April 2025.\n",
)
_warmed = False


def warm_up() -> None:
    """Import the readers, load the language pipelines and read a page of each language before the
    first document's clock starts (a forked worker inherits all of it)."""
    global _warmed
    if _warmed:
        return
    try:
        import pipeline.extract  # noqa: F401
        import pipeline.ingest.html  # noqa: F401
        import pipeline.ingest.mail  # noqa: F401
        import pipeline.ingest.pdf  # noqa: F401
        from pipeline import ingest, nlp
        from pipeline.run import result_for

        for lang in nlp.LANGS:
            nlp.load(lang)
        for n, page in enumerate(_WARM_UP_PAGES):
            result_for(ingest.read_bytes(page.encode("utf-8"), path=f"warm-up-{n}", doc_id=f"warm-up-{n}"))
    except Exception:  # noqa: BLE001, S110 - only a head start: the first document loads what it needs
        pass
    _warmed = True


def timeout_error(task: Task, seconds: float | None) -> tuple[str, str, str]:
    return ("limits", "Timeout", f"{task.where}: reading and extracting took longer than {seconds:g} s (--timeout)")


def _error(task: Task, stage: str, type_: str, message: str):  # noqa: ANN202
    from pipeline import __version__
    from pipeline.models import ErrorInfo, Result

    return Result(id=task.doc_id, status="error", pipeline_version=__version__,
                  error=ErrorInfo(stage=stage, type=type_, message=message))


def _results(task: Task, limits: Limits) -> tuple[list, bool]:
    """Read and extract: the task's results (errors as error results), and whether memory ran out."""
    from pipeline import ingest
    from pipeline.errors import ExtractionError, FileTooLarge, IngestError
    from pipeline.run import error_result, result_for

    where = Path(task.path)
    try:
        data = task.data
        if data is None:
            try:
                data = where.read_bytes()
            except OSError as exc:
                raise IngestError(task.path, f"cannot read the file: {exc.strerror or exc}") from exc
        if limits.max_bytes is not None and len(data) > limits.max_bytes:
            raise FileTooLarge(task.where, f"{len(data)} bytes, larger than the limit of {limits.max_bytes} (--max-bytes)")
        doc = ingest.read_bytes(data, path=task.path, doc_id=task.doc_id, name=task.label, part=task.part,
                                kind=task.kind, max_pages=limits.max_pages, max_parts=limits.max_parts)
    except MemoryError:  # over --max-memory (a worker's cap) or the machine's: the worker is replaced
        return [_error(task, "limits", "OutOfMemory", f"{task.where}: {memory_note()} reading it")], True
    except Exception as exc:  # noqa: BLE001 - one bad document never stops a batch
        return [error_result(task.doc_id, where, exc)], False
    doc.metadata.update(task.metadata)
    results, out_of_memory = [], False
    for d in doc.children if doc.container else [doc]:
        try:
            results.append(result_for(d))
        except Exception as exc:  # noqa: BLE001
            out_of_memory = out_of_memory or isinstance(exc, MemoryError)
            results.append(error_result(d.id, where, ExtractionError(task.where, f"extraction failed: {type(exc).__name__}: {exc}")))
    return results, out_of_memory


def _pages(result) -> int:  # noqa: ANN001
    """PDF pages read for a result (its attachments included)."""
    if result.document is None:
        return 0
    total = 0
    for d in result.document.walk():
        if d.format == "pdf":
            pages = [b.page for b in d.blocks if b.page]
            total += max(pages, default=0)
    return total


def _names(task: Task, results: list) -> list[str]:
    if len(results) == 1:
        return [task.name]
    # A container the run did not split: members keep the suffix of their ids.
    return [task.name + r.id[len(task.doc_id):] if r.id.startswith(task.doc_id) else f"{task.name}-{r.id}"
            for r in results]


def load_into(db: str, result, doc: DocOutcome) -> None:  # noqa: ANN001
    """Load one result; the action, or the registry's refusal, is noted on `doc`."""
    from pipeline.registry import load_result

    try:
        doc.loaded = load_result(engine_for(db), result).action
    except Exception as exc:  # noqa: BLE001 - one document the registry refuses never stops a run
        first = (str(exc).splitlines() or [""])[0]
        doc.registry_error = {"stage": "registry", "type": type(exc).__name__,
                              "message": f"{task_where(result)}: registry: {first}"}


def task_where(result) -> str:  # noqa: ANN001
    return result.source.path if result.source else result.id


def _private(result, config: StageConfig):  # noqa: ANN001, ANN201
    """The result as the run may keep it: redacted, or without forgotten persons."""
    if result.status != "ok" or not (config.redact_contacts or config.forgotten):
        return result
    from pipeline.privacy import name_hash, redact

    if config.redact_contacts:
        return redact(result, all_contacts=True)
    names = [c.name for c in result.contacts if name_hash(c.name) in config.forgotten]
    return redact(result, names=names) if names else result


def _store(name: str, result, config: StageConfig) -> DocOutcome:  # noqa: ANN001
    from pipeline.run import write_json_atomic

    result = _private(result, config)
    write_json_atomic(Path(config.out_dir) / f"{name}.json", result)
    doc = DocOutcome(name=name, id=result.id, status=result.status, pages=_pages(result),
                     error=result.error.model_dump() if result.error else None)
    if result.status == "ok" and config.db and config.load:
        load_into(config.db, result, doc)
    return doc


def load_files(task: Task, config: StageConfig) -> list[DocOutcome]:
    """Load result files written before (a task done earlier, or by a worker that does not load)."""
    from pipeline.models import Result

    docs = []
    for name in task.load_only or []:
        path = Path(config.out_dir) / f"{name}.json"
        try:
            result = Result.model_validate_json(path.read_bytes())
        except Exception as exc:  # noqa: BLE001
            docs.append(DocOutcome(name=name, id=name, status="ok", registry_error={
                "stage": "registry", "type": type(exc).__name__, "message": f"{path}: cannot read the result: {exc}"}))
            continue
        doc = DocOutcome(name=name, id=result.id, status=result.status)
        if result.status == "ok":
            load_into(config.db, result, doc)
        docs.append(doc)
    return docs


def process_task(task: Task, config: StageConfig) -> Outcome:
    """Read, extract, write and load one task's document(s)."""
    started = time.monotonic()
    if task.load_only is not None:
        return Outcome(task.seq, load_files(task, config), time.monotonic() - started)
    try:
        with alarm(config.limits.timeout):
            results, recycle = _results(task, config.limits)  # recycle the worker after a MemoryError
    except _Alarm:
        results, recycle = [_error(task, *timeout_error(task, config.limits.timeout))], True
    if store_hook is not None:
        store_hook(task.seq)
    docs = [_store(name, result, config) for name, result in zip(_names(task, results), results)]
    return Outcome(task.seq, docs, time.monotonic() - started, recycle)


def failure_outcome(task: Task, config: StageConfig, stage: str, type_: str, message: str) -> Outcome:
    """A failure decided outside the stage (limits found while planning, a timeout, a dead worker):
    its error result written as the task's result file."""
    return Outcome(task.seq, [_store(task.name, _error(task, stage, type_, message), config)])
