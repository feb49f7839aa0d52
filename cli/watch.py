"""``symbiote watch [REPO]``: keep the store current while it runs.

Every ``--interval`` seconds it looks at what moves when refs move: the worktree's
``HEAD``, the common git directory's ``packed-refs``, every file under ``refs/`` (and
``reftable/``), by name, size, inode and modification time: a few ``stat`` calls, no
process started, so an idle watch costs next to no CPU. When something moved (a commit,
a checkout, a reset, a fetch, a new branch or tag) and no rebase or cherry-pick
sequence is under way, it runs one incremental index (:func:`symbiote.cli.hookmarks.index_once`:
through the store's owner when one runs). It indexes once at the start, and stops on
SIGINT or SIGTERM (a run under way is stopped; the next run completes it). Unless
``--no-worktree``, each look also extracts the working tree's changed files into the
cache beside the store (a watch of the tree, :mod:`symbiote.indexer.fswatch`, makes that
a ``read`` when nothing moved), so questions at WORKTREE parse nothing.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from symbiote.cli.hookjob import command_line_ask
from symbiote.cli.hookmarks import QUIET_SECONDS, Ask, Run, in_progress, index_once
from symbiote.cli.verbs import Call, Outcome, Param, Verb
from symbiote.indexer.errors import RepositoryError, SymbioteError
from symbiote.indexer.location import find_git_dir

if TYPE_CHECKING:
    from symbiote.indexer.worktree import WorktreeReader

Signature = tuple[tuple[str, int, int, int], ...]


def common_dir(git_dir: Path) -> Path:
    """The git directory holding the refs a worktree shares with the others."""
    pointer = git_dir / "commondir"
    if pointer.is_file():
        return (git_dir / pointer.read_text("utf-8").strip()).resolve()
    return git_dir


def signature(git_dir: Path) -> Signature:
    """What changes when a ref of the repository moves."""
    common = common_dir(git_dir)
    found = [_stat(git_dir / "HEAD"), _stat(common / "packed-refs")]
    for folder in ("refs", "reftable"):
        found.extend(_stat(p) for p in _files(common / folder))
    return tuple(s for s in found if s is not None)


def _stat(path: Path) -> tuple[str, int, int, int] | None:
    try:
        s = os.stat(path)
    except OSError:
        return None
    return str(path), s.st_mtime_ns, s.st_size, s.st_ino


def _files(folder: Path) -> Iterator[Path]:
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from _files(Path(entry.path))
        else:
            yield Path(entry.path)


def _say(message: str) -> None:
    stamp = datetime.now(UTC).isoformat(timespec="milliseconds")
    print(f"{stamp} symbiote watch: {message}", file=sys.stderr, flush=True)


def watch(call: Call, stop: threading.Event, busy: threading.Event) -> list[Run]:
    """Index ``call.repo`` whenever its refs move, until ``stop`` is set (``busy`` is set
    while a run is under way)."""
    git_dir = find_git_dir(call.repo)
    if git_dir is None:
        raise RepositoryError(f"{call.repo} is not a git repository")
    a = call.args
    interval = float(a["interval"])
    runs: list[Run] = []
    ask = command_line_ask(call.verbs, call.store, _say)
    reader = _reader(call) if a["worktree"] else None
    _say(f"watching {call.repo} every {interval:g} s (Ctrl-C stops)")
    try:
        _loop(call, git_dir, interval, stop, busy, ask, reader, runs)
    finally:
        if reader is not None:
            reader.close()
    _say(f"stopped after {len(runs)} index runs")
    return runs


def _loop(
    call: Call,
    git_dir: Path,
    interval: float,
    stop: threading.Event,
    busy: threading.Event,
    ask: Ask,
    reader: WorktreeReader | None,
    runs: list[Run],
) -> None:
    a = call.args
    last: Signature | None = None
    while not stop.is_set():
        if reader is not None:
            _warm(reader)
        now = signature(git_dir)
        if now != last:
            if in_progress(call.repo):  # a rebase: index once it is over
                stop.wait(interval)
                continue
            if last is not None and (stop.wait(QUIET_SECONDS) or signature(git_dir) != now):
                continue  # still moving
            try:
                busy.set()
                runs.append(index_once(call.repo, a["embed"], ask, ("watch",), _say, _extra(a)))
            except KeyboardInterrupt:
                _say("stopped during a run; the next run completes it")
                break
            finally:
                busy.clear()
            last = now
        stop.wait(interval)


def _reader(call: Call) -> WorktreeReader:
    from symbiote.indexer.worktree import WorktreeReader, cache_folder

    return WorktreeReader(call.repo, cache_folder(call.store_path()), watch=True)


def _warm(reader: WorktreeReader) -> None:
    """Extract the working tree's changed files into the cache beside the store, so the
    first question at WORKTREE after an edit parses nothing (in any process). A watched
    tree that did not move costs a ``read`` of its events."""
    try:
        _base, changes = reader.changes()
        reader.tables([c for c in changes.values() if c is not None])
    except SymbioteError as exc:
        _say(f"the working tree was not read: {exc}")


def _extra(a: dict[str, Any]) -> dict[str, Any]:
    return {"all_refs": True} if a["all_refs"] else {}


def _watch(call: Call) -> Outcome:
    stop = threading.Event()
    busy = threading.Event()

    def on_signal(_signal: int, _frame: Any) -> None:
        stop.set()
        if busy.is_set():
            raise KeyboardInterrupt

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        runs = watch(call, stop, busy)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    return Outcome(None, runs, {"_text": f"watch: {len(runs)} index runs"})


WATCH = Verb(
    name="watch",
    tool=None,
    summary="Keep the store current: index whenever a ref moves (commits, checkouts, "
    "fetches, new branches), until interrupted.",
    details="Looks at HEAD, packed-refs and the files under refs/ every --interval seconds "
    "(a few stat calls: no CPU to speak of when idle) and runs an incremental index when "
    "something moved, through the store's owner when one runs. Stops on SIGINT or SIGTERM.",
    example="symbiote watch . --interval 2",
    params=(
        Param(
            name="interval",
            type="number",
            help="Seconds between two looks at the refs.",
            default=2.0,
            minimum=0.05,
            maximum=3600,
            metavar="SECONDS",
        ),
        Param(
            name="embed",
            type="boolean",
            help="The runs also fill the search sidecar, as `symbiote index` does.",
            default=True,
        ),
        Param(
            name="worktree",
            type="boolean",
            help="Also keep the working tree's changed files extracted (cached beside the "
            "store), so questions at WORKTREE parse nothing.",
            default=True,
        ),
        Param(
            name="all_refs",
            type="boolean",
            help="Also index remote-tracking and other refs (fetched branches).",
            default=False,
        ),
    ),
    run=_watch,
    text=lambda o: str(o.extra["_text"]),
    effect="admin",
    routed=False,
    repo_positional=True,
)
VERBS = (WATCH,)
