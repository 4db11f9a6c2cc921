"""From the command line's inputs to tasks: one task per document, in input order.

Inputs are files, folders (walked recursively in name order; hidden and data
files skipped), glob patterns (expanded here, so a quoted `'data/**/*.html'`
works), mbox files (one task per message) and WARC files (one task per HTTP 200
response with an HTML or PDF body). Each task knows its identity for resuming
(`key`: the absolute path, `#n` for the n-th message or response record), the
content hash, and the name of its result file, decided here in input order so
that a parallel run names its results exactly as a serial one does.
"""

from __future__ import annotations

import glob
import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.batch.limits import Limits, describe_size

# Data files that sit beside documents in a folder (indexes, gold files, our
# own results and registry) are not documents; given by name they are still read.
NOT_DOCUMENTS = (".json", ".jsonl", ".tsv", ".csv",
                 ".sqlite", ".sqlite-wal", ".sqlite-shm", ".sqlite-journal")
_GLOB_CHARS = frozenset("*?[")
_HEAD = 65536


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and not name.lower().endswith(NOT_DOCUMENTS):
                yield Path(root) / name


def expand_inputs(inputs: Iterable[str | Path]) -> Iterator[Path]:
    """Files as given, folders walked recursively in name order, glob patterns expanded
    (`**` recursive) when no file has that very name; hidden and data files skipped in
    folders and glob matches (unless the pattern names the data suffix, as `*.csv`)."""
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            yield from _walk(path)
        elif not path.exists() and _GLOB_CHARS & set(str(item)):
            pattern = str(item)
            explicit = pattern.lower().endswith(NOT_DOCUMENTS)
            for match in sorted(glob.glob(pattern, recursive=True)):
                p = Path(match)
                if p.is_dir():
                    yield from _walk(p)
                elif explicit or not p.name.lower().endswith(NOT_DOCUMENTS):
                    yield p
        else:
            yield path  # a missing file too: its result says so


@dataclass
class Task:
    """One document to process (or a failure found before processing: `error`)."""

    seq: int  # position in input order
    key: str  # identity for resuming: absolute path, "#n" for a message or record inside it
    path: str  # the input file as given (the result's source path)
    doc_id: str  # the result's id: file stem; "<stem>-0001" mbox message; "<stem>-00001" WARC record
    name: str  # result file stem under the output folder, unique within the run
    sha256: str  # of the document's bytes (a stand-in for inputs too large to hash)
    size: int
    data: bytes | None = None  # the document's bytes (None: read `path`)
    kind: str | None = None  # reader to use regardless of sniffing ("email" for an mbox message)
    part: str | None = None  # message or record number inside the input
    label: str | None = None  # what the container calls it: a WARC record's target URI
    metadata: dict[str, str] = field(default_factory=dict)  # added to the document's metadata
    error: tuple[str, str, str] | None = None  # (stage, type, message) found before processing
    load_only: list[str] | None = None  # done before: only load these result files into the registry

    @property
    def where(self) -> str:
        """The input as a person finds it: the file, and the record inside it."""
        if self.part is None:
            return self.path
        return f"{self.path} #{self.part}" + (f" ({self.label})" if self.label else "")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Planner:
    """Iterate the tasks of a run; `estimate` is the number of documents known so far."""

    def __init__(self, inputs: Iterable[str | Path], limits: Limits):
        self.limits = limits
        self.files = list(expand_inputs(inputs))
        self.estimate = len(self.files)
        self.complete = False  # every container opened: `estimate` is the real total
        self._used: set[str] = set()
        self._seen: set[str] = set()
        self._seq = 0

    def __iter__(self) -> Iterator[Task]:
        for path in self.files:
            key = os.path.realpath(path)
            if key in self._seen:  # the same file given twice (a folder and a glob)
                self.estimate -= 1
                continue
            self._seen.add(key)
            yield from self._tasks(path, key)
        self.complete = True

    # --- naming ---------------------------------------------------------------

    def _name(self, doc_id: str, sha: str) -> str:
        """The document's id, made unique within the run (two folders may hold the same stem)."""
        name = doc_id
        if name in self._used:
            suffix = sha[:8] if sha else str(len(self._used))
            name = f"{doc_id}-{suffix}"
            n = 2
            while name in self._used:
                name = f"{doc_id}-{suffix}-{n}"
                n += 1
        self._used.add(name)
        return name

    def _task(self, **kw) -> Task:  # noqa: ANN003
        self._seq += 1
        return Task(seq=self._seq, name=self._name(kw["doc_id"], kw["sha256"]), **kw)

    # --- one input file ---------------------------------------------------------

    def _tasks(self, path: Path, key: str) -> Iterator[Task]:
        try:
            size = path.stat().st_size
            with path.open("rb") as fh:
                head = fh.read(_HEAD)
        except OSError as exc:
            message = f"{path}: cannot read the file: {exc.strerror or exc}"
            yield self._task(key=key, path=str(path), doc_id=path.stem, sha256="", size=0,
                             error=("ingest", "IngestError", message))
            return
        from pipeline.ingest.sniff import is_warc

        if is_warc(head):
            yield from self._warc(path, key)
            return
        kind = _sniff(head)
        max_bytes = self.limits.max_bytes
        if max_bytes is not None and size > max_bytes and kind != "mbox":
            st = path.stat()
            yield self._task(key=key, path=str(path), doc_id=path.stem, sha256=f"size:{size}:mtime:{st.st_mtime_ns}",
                             size=size, error=_too_large(str(path), size, max_bytes))
            return
        try:
            data = path.read_bytes()
        except OSError as exc:
            message = f"{path}: cannot read the file: {exc.strerror or exc}"
            yield self._task(key=key, path=str(path), doc_id=path.stem, sha256="", size=size,
                             error=("ingest", "IngestError", message))
            return
        if kind == "mbox":
            from pipeline.ingest.mail import split_mbox

            messages = split_mbox(data)
            if len(messages) > 1:
                yield from self._mbox(path, key, messages)
                return
        if max_bytes is not None and len(data) > max_bytes:
            yield self._task(key=key, path=str(path), doc_id=path.stem, sha256=sha256(data), size=len(data),
                             error=_too_large(str(path), len(data), max_bytes))
            return
        yield self._task(key=key, path=str(path), doc_id=path.stem, sha256=sha256(data), size=len(data), data=data)

    def _mbox(self, path: Path, key: str, messages: list[bytes]) -> Iterator[Task]:
        self.estimate += len(messages) - 1
        max_bytes = self.limits.max_bytes
        for n, raw in enumerate(messages, start=1):
            common = dict(key=f"{key}#{n}", path=str(path), doc_id=f"{path.stem}-{n:04d}", sha256=sha256(raw),
                          size=len(raw), part=str(n))
            if max_bytes is not None and len(raw) > max_bytes:
                yield self._task(**common, error=_too_large(f"{path} #{n}", len(raw), max_bytes))
            else:
                yield self._task(**common, data=raw, kind="email")

    def _warc(self, path: Path, key: str) -> Iterator[Task]:
        from pipeline.errors import IngestError
        from pipeline.ingest.warc import iter_warc, warc_stem

        stem = warc_stem(path.name)
        found = 0
        try:
            with path.open("rb") as fh:
                for rec in iter_warc(fh, max_bytes=self.limits.max_bytes):
                    found += 1
                    if found > 1:
                        self.estimate += 1
                    common = dict(key=f"{key}#{rec.n}", path=str(path), doc_id=f"{stem}-{rec.n:05d}",
                                  part=str(rec.n), label=rec.uri, metadata=rec.metadata)
                    where = f"{path} #{rec.n} ({rec.uri})"
                    if rec.problem:
                        yield self._task(**common, sha256=f"broken:{rec.record_id}", size=0,
                                         error=("ingest", "IngestError", f"{where}: {rec.problem}"))
                    elif rec.body is None:
                        yield self._task(**common, sha256=f"too-large:{rec.record_id}", size=rec.size,
                                         error=_too_large(where, rec.size, self.limits.max_bytes or 0, at_least=True))
                    else:
                        yield self._task(**common, sha256=sha256(rec.body), size=len(rec.body), data=rec.body)
        except (OSError, IngestError) as exc:
            if found:
                self.estimate += 1
            reason = exc.reason if isinstance(exc, IngestError) else f"cannot read the file: {exc.strerror or exc}"
            yield self._task(key=f"{key}#archive", path=str(path), doc_id=stem, sha256="", size=0,
                             error=("ingest", "IngestError", f"{path}: {reason}"))
            return
        if not found:
            yield self._task(key=f"{key}#archive", path=str(path), doc_id=stem, sha256="", size=0,
                             error=("ingest", "EmptyDocument",
                                    f"{path}: the WARC archive holds no HTTP 200 response with an HTML or PDF body"))


def _sniff(head: bytes) -> str | None:
    from pipeline.errors import IngestError
    from pipeline.ingest.sniff import sniff

    try:
        return sniff(head)
    except IngestError:
        return None


def _too_large(where: str, size: int, limit: int, at_least: bool = False) -> tuple[str, str, str]:
    what = "larger than" if at_least else f"{describe_size(size)}, larger than"
    return ("limits", "FileTooLarge", f"{where}: {what} the limit of {describe_size(limit)} (--max-bytes)")
