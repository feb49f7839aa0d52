"""The background index run git hooks start (``symbiote hooks run``), and the one index
run ``symbiote watch`` and that job share.

Runs coalesce. A hook appends ``<hook> <working tree>`` to ``<store>.hooks.dirty`` and
starts a job unless the job named in ``<store>.hooks.lock`` is alive. A job holds an
exclusive lock on that file (its pid inside) for as long as it works; one that cannot
take it ends at once (the holder runs again for it). The holder waits until the marks
are ``QUIET_SECONDS`` old and no rebase, ``am`` or cherry-pick sequence is under way
(for at most :data:`BUSY_SECONDS`), takes the marks (renaming the file), and runs one
index per working tree marked; marks that arrive meanwhile give one more run. After
letting the lock go it looks for marks once more, so a mark made while it was ending
is never left behind. A rebase of 30 commits (one post-checkout, 30 post-commits, one
post-rewrite, all while ``rebase-merge/`` exists) thus gives one run, after it ends.

An index run is the ``index`` verb, answered as the command line answers it
(:func:`symbiote.cli.dispatch.answer`): inside the store's owner when one runs
(``symbiote mcp``, ``symbiote serve``), else here as the owner for the run.

The marks, the lock and the run itself are :mod:`symbiote.cli.hookmarks`, which a
long-lived owner uses to be the hooks' job in-process.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from symbiote.cli.hookmarks import (
    Ask,
    Run,
    Say,
    files,
    run_marks,
    try_lock,
    unlock,
)

if TYPE_CHECKING:
    from symbiote.cli.verbs import Verb


def command_line_ask(verbs: Mapping[str, Verb], store: str | None, say: Say) -> Ask:
    """Index runs asked for as the command line asks (:func:`symbiote.cli.dispatch.answer`):
    through the store's owner when one runs, else here as the owner for the run."""
    from symbiote.cli.dispatch import answer

    def ask(repo: str, arguments: dict[str, Any]) -> tuple[int, dict[str, Any], str]:
        return answer(verbs["index"], arguments, repo, store, verbs, notice=say)

    return ask


def run_job(
    repo: str,
    store: str | None,
    store_path: Path,
    hook: str | None,
    embed: bool,
    verbs: Mapping[str, Verb],
    say: Say,
) -> list[Run]:
    """Work as the hooks' job for ``store_path`` (see the module's docstring): the runs
    this process made (none when another job was working). ``hook``: the hook that
    marked the working tree and started this job; None: started by hand (it marks the
    working tree itself)."""
    _detach()
    ask = command_line_ask(verbs, store, say)
    lock_path, dirty, _log = files(store_path)
    store_path.parent.mkdir(parents=True, exist_ok=True)
    if hook is None:  # asked directly: no hook marked the working tree
        hook = "manual"
        with dirty.open("a") as marks:
            marks.write(f"{hook} {repo}\n")
    runs: list[Run] = []
    while True:
        fd = try_lock(lock_path)
        if fd is None:
            if not runs:
                say(f"{hook}: a run is under way; it runs again for this")
            return runs
        try:
            while batch := run_marks(dirty, embed, ask, say):
                runs.extend(batch)
        finally:
            unlock(fd)
        if not dirty.exists():  # a mark made while this job was letting go
            return runs


def _detach() -> None:
    """Leave the git command's session: its end or a Ctrl-C does not stop the run."""
    with contextlib.suppress(OSError):
        os.setsid()
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
