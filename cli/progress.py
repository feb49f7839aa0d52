"""Progress of long commands (index, embedding), readable by people and by logs.

On a terminal: a transient bar with the total known up front, the rate and an ETA. When
stderr is no terminal (a hook, CI, a log file): one line every few seconds with the
counts, the rate and the ETA. When the command runs in the store's owner, the owner
sends each update to the waiting command (:mod:`symbiote.cli.route`), which shows it
the same way.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO, TypeVar

T = TypeVar("T")
Update = Callable[..., None]  # update(completed=..., total=..., **fields)
# Where a verb's updates go: shown here (True), nowhere (False), or sent on (a function
# taking label=, unit= and the update's values).
Sink = bool | Callable[..., None]

EVERY_SECONDS = 5.0  # between two log lines
EVERY_VARIABLE = "SYMBIOTE_PROGRESS_SECONDS"  # another interval (0: every update)


def with_bar(
    run: Callable[[Update | None], T],
    label: str,
    unit: str,
    *,
    enabled: Sink,
    fields: dict[str, Any] | None = None,
) -> T:
    """Call ``run(update)`` with progress shown as ``enabled`` says: ``label done/total
    unit``, where ``unit`` may name fields (``"commits · {blobs} blobs"``)."""
    if enabled is False:
        return run(None)
    if callable(enabled):
        send = enabled
        return run(lambda **values: send(label=label, unit=unit, **values))
    meter = Meter(label, unit, fields)
    try:
        return run(meter.update)
    finally:
        meter.close()


class Meter:
    """Progress of one task, on ``stream``: a bar on a terminal, else log lines."""

    def __init__(
        self,
        label: str,
        unit: str,
        fields: dict[str, Any] | None = None,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.label = label
        self.unit = unit
        self.fields = dict(fields or {})
        self.stream = stream or sys.stderr
        self.clock = clock
        self.started = clock()
        self.completed = 0
        self.total: int | None = None
        self._first: tuple[float, int] | None = None  # when counting began, and from what
        self._logged = self.started
        self._every = _interval()
        self._bar: Any = None
        self._task: Any = None
        if self.stream.isatty():
            self._start_bar()

    def update(self, completed: int | None = None, total: int | None = None, **fields: Any) -> None:
        """A new count (and total, and fields)."""
        now = self.clock()
        if completed is not None:
            if self._first is None:
                self._first = (now, completed)  # work already done before this run is no rate
            self.completed = completed
        if total is not None:
            self.total = total
        self.fields.update(fields)
        if self._bar is not None:
            self._bar.update(
                self._task, completed=self.completed, total=self.total, detail=self._detail()
            )
        elif now - self._logged >= self._every:
            self._logged = now
            print(self.line(now), file=self.stream, flush=True)

    def line(self, now: float | None = None) -> str:
        """The log line: counts, rate and ETA."""
        now = self.clock() if now is None else now
        done = f"{self.completed}/{self.total}" if self.total is not None else str(self.completed)
        parts = [f"{self.label}: {done} {self._detail()}".rstrip()]
        if self.total:
            parts.append(f"{100 * self.completed / self.total:.1f} %")
        rate = self.rate(now)
        if rate is not None:
            parts.append(f"{rate:.1f}/s")
            if self.total is not None and rate > 0:
                parts.append(f"ETA {_duration((self.total - self.completed) / rate)}")
        parts.append(f"{_duration(now - self.started)} elapsed")
        return " · ".join(parts)

    def rate(self, now: float) -> float | None:
        """Units per second since counting began; None before there is a measure."""
        if self._first is None:
            return None
        began, base = self._first
        if now - began <= 0 or self.completed <= base:
            return None
        return (self.completed - base) / (now - began)

    def close(self) -> None:
        """Take the bar down (it is transient: the command prints its summary)."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def _detail(self) -> str:
        try:
            return self.unit.format(**self.fields)
        except (KeyError, IndexError, ValueError):
            return self.unit

    def _start_bar(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as Bar

        self._bar = Bar(
            TextColumn(self.label),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[detail]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            transient=True,
            console=Console(file=self.stream),
        )
        self._bar.start()
        self._task = self._bar.add_task(self.label, total=None, detail=self._detail())


class Meters:
    """The meters of updates sent from another process, by label."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream
        self._meters: dict[str, Meter] = {}

    def __call__(self, label: str = "", unit: str = "", **values: Any) -> None:
        meter = self._meters.get(label)
        if meter is None:
            meter = self._meters[label] = Meter(label, unit, stream=self.stream)
        meter.update(**values)

    def close(self) -> None:
        for meter in self._meters.values():
            meter.close()
        self._meters.clear()


def _interval() -> float:
    raw = os.environ.get(EVERY_VARIABLE)
    try:
        return max(float(raw), 0.0) if raw is not None else EVERY_SECONDS
    except ValueError:
        return EVERY_SECONDS


def _duration(seconds: float) -> str:
    seconds = max(int(seconds), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    if minutes:
        return f"{minutes}m{secs:02d}s"
    return f"{secs}s"
