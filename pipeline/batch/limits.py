"""Per-document limits of a batch run."""

from __future__ import annotations

import re
from dataclasses import dataclass

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 1000, "m": 1000**2, "g": 1000**3, "t": 1000**4}


@dataclass(frozen=True)
class Limits:
    """What one document may take; None (or 0 on the command line) means no limit.

    max_bytes: bytes of a file, an mbox message or a WARC record's body;
    max_pages: pages of a PDF (attachments included: an attachment over it is skipped);
    max_parts: MIME parts of one email message;
    timeout: seconds of wall time to read and extract one document. A worker
    process past it is killed and replaced (a second or so of grace after the
    in-process alarm); with one worker (in-process) only the alarm applies.
    max_memory: bytes of address space of each worker process of a local pool
    (RLIMIT_AS): past it an allocation fails, the document fails (OutOfMemory,
    or WorkerDied when a C library aborts instead) and the worker is replaced.
    Not applied in-process (one worker) nor on Dask workers.
    """

    max_bytes: int | None = 50_000_000
    max_pages: int | None = 500
    max_parts: int | None = 1000
    timeout: float | None = 60.0
    max_memory: int | None = 4_000_000_000

    @classmethod
    def none(cls) -> Limits:
        return cls(max_bytes=None, max_pages=None, max_parts=None, timeout=None, max_memory=None)


MIN_MEMORY = 500_000_000  # a worker with the language pipelines loaded takes about 300 MB of address space


_capped: int | None = None  # the cap this process runs under (set in pool workers)


def cap_memory(limit: int | None) -> None:
    """Limit this process's address space to `limit` bytes (RLIMIT_AS; where the platform has it)."""
    global _capped
    if not limit:
        return
    try:
        import resource
    except ImportError:  # not on this platform: no cap
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    _capped = limit


def memory_note() -> str:
    """Why an allocation failed here, as an error message says it."""
    if _capped:
        return f"ran out of memory (the limit is {describe_size(_capped)} per worker, --max-memory)"
    return "ran out of memory"


def parse_size(text: str) -> int:
    """'50MB', '50M', '2G', '1.5mb', '1000': bytes (k/M/G/T are powers of 1000; KiB/MiB... of 1024)."""
    m = _SIZE.match(str(text))
    if not m:
        raise ValueError(f"not a size: {text!r} (examples: 50MB, 200k, 1G, 1048576)")
    number, unit, suffix = float(m.group(1)), m.group(2).lower(), (m.group(3) or "").lower()
    factor = 1024 ** " kmgt".index(unit) if (suffix == "ib" and unit) else _UNITS[unit]
    return int(number * factor)


def describe_size(n: int) -> str:
    for unit, factor in (("GB", 1000**3), ("MB", 1000**2), ("kB", 1000)):
        if n >= factor:
            return f"{n / factor:.3g} {unit}"
    return f"{n} bytes"
