"""Progress bars for long commands: rich on a terminal, nothing when piped or --json."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
Update = Callable[..., None]  # update(completed=..., total=..., **fields)


def with_bar(
    run: Callable[[Update | None], T],
    label: str,
    unit: str,
    *,
    enabled: bool,
    fields: dict[str, Any] | None = None,
) -> T:
    """Call ``run(update)`` under a transient bar ``label [bar] done/total unit``; with
    ``enabled`` false or stderr not a terminal, ``run(None)``."""
    if not (enabled and sys.stderr.isatty()):
        return run(None)
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    with Bar(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(unit),
        TimeElapsedColumn(),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None, **(fields or {}))
        return run(lambda **values: bar.update(task, **values))
