"""The marks git hooks leave and the lock of the job that takes them (the job itself is
:mod:`symbiote.cli.hookjob`; the hooks, :mod:`symbiote.cli.githooks`).

A hook appends ``<hook> <working tree>`` to ``<store>.hooks.dirty`` and starts a job
unless the process named in ``<store>.hooks.lock`` is alive. Whoever holds that lock (a
job, or a long-lived owner: :func:`serve_marks`) waits until the marks are
:data:`QUIET_SECONDS` old and no rebase, ``am`` or cherry-pick sequence is under way,
takes them (renaming the file to ``.taken``, deleted when their runs are over) and runs
one index per working tree marked. A long-lived owner holds the lock for as long as it
lives, so a hook leaves its mark and starts no process, and the owner runs the index
within :data:`POLL_SECONDS` plus :data:`QUIET_SECONDS` of the commit, without a process
start.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from symbiote.cli.activity import quiet_for
from symbiote.cli.githooks import DIRTY, LOCK, LOG
from symbiote.indexer.location import find_git_dir

QUIET_SECONDS = 0.1  # marks this old mean the burst of git commands is over
BUSY_SECONDS = 120.0  # the longest wait for a rebase (or am, or a cherry-pick sequence)
POLL_SECONDS = 0.05
# An owner that is the hooks' job loads what an index run and its embedding need (the
# indexer and the default model: ~0.5 + 0.3–1 s) this long after it starts: not while it
# answers its first calls, and not on the first commit's clock. The model (~45 MB
# resident) only when the store's search sidecar holds vectors: a store kept for lookups
# and text search alone never pays for it. lancedb (~75 MB, 1.5–3 s), which only writing
# the sidecar needs, is imported when an index run starts whose embedding this owner
# runs (:func:`symbiote.cli.background.expect_embedding`).
WARM_AFTER_SECONDS = 5.0
# ... and once it has answered no call for this long (:mod:`symbiote.cli.activity`): the
# imports hold the interpreter for a second or more, and an agent's calls come one after
# another (a release diff took 1.3 s alone, 2.1-2.5 s beside the loading).
WARM_WHEN_QUIET_SECONDS = 1.0
# What a git command in the middle of a series of commits keeps in the git directory.
IN_PROGRESS = ("rebase-merge", "rebase-apply", "sequencer")
# The log's words (tests and the bench count runs by them).
STARTED, DONE, FAILED = "index started", "index done", "index failed"

Say = Callable[[str], None]


def _log_line(message: str) -> str:
    """A line of the job's log: time, pid, message."""
    stamp = datetime.now(UTC).isoformat(timespec="milliseconds")
    return f"{stamp} [{os.getpid()}] {message}"


def say_to_log(message: str) -> None:
    """A line of the job's log, on its standard output."""
    print(_log_line(message), flush=True)


@dataclass(frozen=True, slots=True)
class Run:
    """One index run: where, why, and how it ended."""

    repo: str
    reasons: tuple[str, ...]  # the hooks (or watch) that asked for it
    ok: bool
    seconds: float
    commit: str | None  # HEAD after the run
    new_commits: int | None
    error: str | None

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form."""
        return {name: getattr(self, name) for name in self.__slots__}


# How an index run is asked for: (repo, arguments) -> (exit code, JSON payload, text).
Ask = Callable[[str, dict[str, Any]], tuple[int, dict[str, Any], str]]


def index_once(
    repo: str,
    embed: bool,
    ask: Ask,
    reasons: tuple[str, ...],
    say: Say,
    extra: dict[str, Any] | None = None,
) -> Run:
    """One incremental index run of ``repo`` through ``ask`` (as ``symbiote index REPO``
    does it, without the sample lookup; ``extra``: more of its arguments), told to
    ``say``; raises nothing but an interruption."""
    why = f" ({_counted(reasons)})" if reasons else ""
    say(f"{STARTED}: {repo}{why}")
    started = time.monotonic()
    commit: str | None = None
    new: int | None = None
    error: str | None = None
    try:
        _code, payload, _text = ask(repo, {"embed": embed, "sample": False, **(extra or {})})
        if payload.get("ok"):
            commit = payload.get("commit")
            results: list[dict[str, Any]] = payload.get("results") or [{}]
            new = results[0].get("commits_indexed")
        else:
            e = payload.get("error") or {}
            error = f"{e.get('type')}: {e.get('message')}"
    except Exception as exc:  # noqa: BLE001 - a background run reports, never crashes
        error = f"{type(exc).__name__}: {exc}"
    seconds = time.monotonic() - started
    if error is None:
        say(f"{DONE}: {repo} in {seconds:.2f} s; {new} new commits; HEAD {commit}")
    else:
        say(f"{FAILED}: {repo} after {seconds:.2f} s: {error}")
    return Run(repo, reasons, error is None, seconds, commit, new, error)


def _counted(reasons: tuple[str, ...]) -> str:
    return ", ".join(f"{r} x{n}" if n > 1 else r for r, n in Counter(reasons).items())


def files(store: Path) -> tuple[Path, Path, Path]:
    """The job's files beside ``store``: lock (with the pid), marks, log."""
    return (
        store.with_name(store.name + LOCK),
        store.with_name(store.name + DIRTY),
        store.with_name(store.name + LOG),
    )


def running(store: Path) -> int | None:
    """The pid of the job working for ``store``, or None when none is."""
    lock, _dirty, _log = files(store)
    try:
        fd = os.open(lock, os.O_RDONLY)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            text = os.pread(fd, 32, 0).decode(errors="replace").strip()
            return int(text) if text.isdigit() else 0
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def pending(store: Path) -> bool:
    """Whether marks wait for a run."""
    return files(store)[1].exists()


def idle(store: Path) -> bool:
    """Whether no marks wait and no run they asked for is under way (an owner that is
    the hooks' job is idle between runs)."""
    dirty = files(store)[1]
    return not dirty.exists() and not (taken_path(dirty).exists() and running(store) is not None)


def serve_marks(store_path: Path, ask: Ask, stop: threading.Event) -> None:
    """Be the hooks' job for ``store_path`` until ``stop`` is set: a long-lived owner's
    thread (see the module's docstring). A job already working keeps the lock until it
    ends; then this takes it. A run that ``stop`` interrupts gives its marks back."""
    lock_path, dirty, log_path = files(store_path)
    say = say_to_file(log_path)
    fd: int | None = None
    warm_at = time.monotonic() + WARM_AFTER_SECONDS
    try:
        while not stop.wait(POLL_SECONDS):
            if fd is None and (fd := try_lock(lock_path)) is None:
                continue
            if warm_at and time.monotonic() > warm_at and quiet_for() >= WARM_WHEN_QUIET_SECONDS:
                # Until the model is loaded (or fails to), look again now and then: the
                # vectors of the index run that came before may still be on their way.
                done = _warm(store_path)
                warm_at = 0.0 if done else time.monotonic() + WARM_AFTER_SECONDS
            if dirty.exists():
                run_marks(dirty, True, ask, say, stop)
    finally:
        if fd is not None:
            unlock(fd)


def run_marks(
    dirty: Path, embed: bool, ask: Ask, say: Say, stop: threading.Event | None = None
) -> list[Run]:
    """Once the marks in ``dirty`` settle, take them and run one index per working tree
    marked: the runs (none when no marks waited). A run not started because ``stop`` is
    set gives its marks back."""
    settle(dirty, stop)
    taken = take(dirty)
    runs: list[Run] = []
    try:
        for where, reasons in taken.items():
            if stop is not None and stop.is_set():
                _give_back(dirty, where, reasons)
                continue
            runs.append(index_once(where, embed, ask, reasons, say))
    finally:
        taken_path(dirty).unlink(missing_ok=True)
    return runs


def _warm(store_path: Path) -> bool:
    """Load what an index run and its embedding need, before a commit needs it; whether
    that is all done (False: the store has no vectors yet, so the model waits)."""
    import symbiote.indexer.job  # noqa: F401
    from symbiote.indexer import sidecar_copy
    from symbiote.indexer.embedders import shared_embedder
    from symbiote.indexer.searchtext import VECTORS_PREFIX, sidecar_path

    try:
        tables = sidecar_copy.tables(sidecar_path(store_path))
        if not any(t.startswith(VECTORS_PREFIX) for t in tables):
            return False
        shared_embedder(None)
    except Exception as exc:  # noqa: BLE001 - the run that needs them reports it
        logging.getLogger(__name__).info("could not load ahead: %s", exc)
    return True


def say_to_file(path: Path) -> Say:
    """:func:`say_to_log`, appended to the file ``path`` (unwritable: logged instead)."""

    def say(message: str) -> None:
        try:
            with path.open("a", encoding="utf-8") as out:
                out.write(_log_line(message) + "\n")
        except OSError:
            logging.getLogger(__name__).info("%s", message)

    return say


def _give_back(dirty: Path, where: str, reasons: tuple[str, ...]) -> None:
    with contextlib.suppress(OSError), dirty.open("a") as marks:
        marks.writelines(f"{hook} {where}\n" for hook in reasons)


def try_lock(path: Path) -> int | None:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    return fd


def unlock(fd: int) -> None:
    os.ftruncate(fd, 0)  # no pid: a hook that reads it now starts a job
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)


def _marks(text: str) -> dict[str, tuple[str, ...]]:
    """The working trees marked, each with the hooks that marked it, in order."""
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        hook, _, where = line.strip().partition(" ")
        if where:
            key = str(Path(where).resolve())
            found.setdefault(key, []).append(hook)
    return {k: tuple(v) for k, v in found.items()}


def settle(dirty: Path, stop: threading.Event | None = None) -> None:
    """Wait until the marks are quiet and no series of commits is under way (or
    ``stop`` is set)."""
    started = time.monotonic()
    while stop is None or not stop.is_set():
        try:
            age = time.time() - dirty.stat().st_mtime
            text = dirty.read_text("utf-8", errors="replace")
        except OSError:
            return
        busy = time.monotonic() - started < BUSY_SECONDS and any(map(in_progress, _marks(text)))
        if age >= QUIET_SECONDS and not busy:
            return
        time.sleep(POLL_SECONDS)


def in_progress(repo: str) -> bool:
    """Whether a rebase, am or cherry-pick sequence is under way in ``repo``."""
    git_dir = find_git_dir(repo)
    return git_dir is not None and any((git_dir / name).exists() for name in IN_PROGRESS)


def taken_path(dirty: Path) -> Path:
    return dirty.with_name(dirty.name + ".taken")


def take(dirty: Path) -> dict[str, tuple[str, ...]]:
    """The marks, moved aside to the ``.taken`` file, which the caller deletes when their
    runs are over (marks made from now on go to a new file)."""
    taken = taken_path(dirty)
    try:
        os.replace(dirty, taken)
    except FileNotFoundError:
        return {}
    return _marks(taken.read_text("utf-8", errors="replace"))


def log_tail(store: Path, lines: int = 3) -> list[str]:
    """The last lines of the job's log."""
    try:
        with files(store)[2].open("rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(f.tell() - 4096, 0))
            return f.read().decode(errors="replace").splitlines()[-lines:]
    except OSError:
        return []
