"""How a run shows its progress: a rich progress bar on a terminal, periodic log lines otherwise.

Both show documents done of those known (the total grows while mbox and WARC
files are opened), documents per second, PDF pages read, failures, and the
time left at the current rate. Skipped documents (done by an earlier run)
count as done but not in the rate.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import TextIO


@dataclass
class Stats:
    total: int = 0  # documents known so far
    complete: bool = False  # every input opened: `total` is final
    processed: int = 0
    skipped: int = 0
    failed: int = 0
    pages: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def done(self) -> int:
        return self.processed + self.skipped

    def rate(self) -> float:
        """Documents processed per second (skips excluded)."""
        if not self.processed:
            return 0.0
        return self.processed / max(time.monotonic() - self.started, 1e-6)

    def eta(self) -> float | None:
        rate = self.rate()
        left = max(self.total - self.done, 0)
        return left / rate if rate > 0 else None


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}h{m:02d}m" if h else (f"{m}m{s:02d}s" if m else f"{s}s")


def status_line(stats: Stats) -> str:
    total = f"{stats.total}" if stats.complete else f"{stats.total}+"
    skipped = f" ({stats.skipped} skipped)" if stats.skipped else ""
    eta = "" if stats.complete and stats.done >= stats.total else f", ETA {_duration(stats.eta())}"
    return (f"{stats.done}/{total} documents{skipped}, {stats.rate():.1f} docs/s, {stats.pages} pages, "
            f"{stats.failed} failed{eta}")


class Reporter:
    """Silent: the library default and --quiet."""

    def start(self, stats: Stats) -> None:  # noqa: B027
        pass

    def update(self, stats: Stats, force: bool = False) -> None:  # noqa: B027
        pass

    def log(self, message: str) -> None:  # noqa: B027
        pass

    def close(self, stats: Stats) -> None:  # noqa: B027
        pass


class LogReporter(Reporter):
    """A plain line every `every` seconds (for logs and pipes)."""

    def __init__(self, every: float = 30.0, stream: TextIO | None = None):
        self.every = every
        self.stream = stream or sys.stderr
        self._last = 0.0

    def _print(self, text: str) -> None:
        stamp = time.strftime("%H:%M:%S")
        print(f"[{stamp}] {text}", file=self.stream, flush=True)

    def start(self, stats: Stats) -> None:
        self._last = time.monotonic()

    def log(self, message: str) -> None:
        self._print(message)

    def update(self, stats: Stats, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._last >= self.every:
            self._last = now
            self._print(status_line(stats))

    def close(self, stats: Stats) -> None:
        self.update(stats, force=True)


class RichReporter(Reporter):
    """A live progress bar on a terminal (rich), on standard error."""

    def __init__(self, stream: TextIO | None = None):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.console = Console(file=stream or sys.stderr)
        self.progress = Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rate]} docs/s"), TextColumn("{task.fields[pages]} pages"),
            TextColumn("[red]{task.fields[failed]} failed"), TextColumn("{task.fields[skipped]}"),
            TimeElapsedColumn(), TextColumn("ETA {task.fields[eta]}"),
            console=self.console, refresh_per_second=4, transient=False)
        self.task = None
        self._last = 0.0

    def start(self, stats: Stats) -> None:
        self.progress.start()
        self.task = self.progress.add_task("documents", total=stats.total or None, rate="0.0", pages=0, failed=0,
                                           skipped="", eta="?")

    def log(self, message: str) -> None:
        self.progress.console.print(message, markup=False, highlight=False)

    def update(self, stats: Stats, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < 0.1:
            return
        self._last = now
        self.progress.update(self.task, completed=stats.done, total=max(stats.total, stats.done) or None,
                             rate=f"{stats.rate():.1f}", pages=stats.pages, failed=stats.failed,
                             skipped=f"{stats.skipped} skipped" if stats.skipped else "",
                             eta=_duration(stats.eta()))

    def close(self, stats: Stats) -> None:
        self.update(stats, force=True)
        self.progress.stop()


def reporter_for(quiet: bool, log_every: float = 30.0, stream: TextIO | None = None) -> Reporter:
    """Silent when quiet; a progress bar when the stream is a terminal; log lines otherwise."""
    stream = stream or sys.stderr
    if quiet:
        return Reporter()
    if stream.isatty():
        try:
            return RichReporter(stream)
        except ImportError:
            pass
    return LogReporter(log_every, stream)
