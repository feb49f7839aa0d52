"""The background embedding job's files beside a store, shared by the job (write side)
and ``status`` (read side). Nothing here opens the store.

- ``<store>.embed.lock``: held (``flock``) by the one job embedding into the store's
  search sidecar, so two jobs never compute the same missing keys and both add them.
  A job is running exactly while the lock is held; a killed job's lock goes with it.
- ``<store>.embed.queue``: held by the one job waiting for the running one. A job that
  finds both held has nothing to do: the waiting job reads its work list only after it
  starts, so it covers what the newcomer would have embedded.
- ``<store>.embed.json``: the last job's progress, rewritten atomically after each write
  (``pid``, ``state`` running / done / failed / stopped, ``done`` and ``total``
  definitions to write, ``started_at``, ``updated_at``, ``error``, ``log``).
- ``<store>.embed.log``: what a detached job prints (its log lines, a traceback).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

log = logging.getLogger(__name__)

RUNNING, DONE, FAILED, STOPPED = "running", "done", "failed", "stopped"
_MINE = threading.local()  # lock files this thread holds (see owned, writing)


def lock_path(store: Path) -> Path:
    """The file the running job holds."""
    return store.with_name(store.name + ".embed.lock")


def queue_path(store: Path) -> Path:
    """The file the one waiting job holds."""
    return store.with_name(store.name + ".embed.queue")


def state_path(store: Path) -> Path:
    """The job's progress file."""
    return store.with_name(store.name + ".embed.json")


def log_path(store: Path) -> Path:
    """Where a detached job writes its output."""
    return store.with_name(store.name + ".embed.log")


def _open(path: Path) -> IO[bytes]:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.open("ab")


@contextlib.contextmanager
def held(path: Path, *, wait: bool) -> Iterator[bool]:
    """Hold the lock file ``path`` while the block runs; yields whether it is held
    (False only when ``wait`` is False and another holder has it)."""
    with _open(path) as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _mine() -> set[str]:
    found: set[str] | None = getattr(_MINE, "paths", None)
    if found is None:
        found = _MINE.paths = set()
    return found


@contextlib.contextmanager
def owned(store: Path) -> Iterator[None]:
    """Mark the store's job lock as held by this thread while the block runs (the
    caller holds it): :func:`writing` inside the block does not take it again."""
    key = str(lock_path(store).resolve())
    _mine().add(key)
    try:
        yield
    finally:
        _mine().discard(key)


@contextlib.contextmanager
def writing(store: Path) -> Iterator[None]:
    """Hold the store's job lock while the block writes the sidecar, waiting for a
    running job first (one writer of a sidecar at a time, across processes);
    re-entrant within a thread."""
    if str(lock_path(store).resolve()) in _mine():
        yield
        return
    with held(lock_path(store), wait=False) as free:
        if free:
            with owned(store):
                yield
            return
    log.warning("an embedding job runs for %s: waiting for it (`symbiote status`)", store)
    with held(lock_path(store), wait=True), owned(store):
        yield


def is_held(path: Path) -> bool:
    """Whether some process (this one included) holds the lock file ``path``."""
    if not path.exists():
        return False
    with path.open("rb") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
    return False


def now() -> str:
    """The time as the state file records it (ISO 8601, UTC)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def write_state(store: Path, **values: Any) -> None:
    """Replace the state file atomically with ``values``."""
    target = state_path(store)
    temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(values, sort_keys=True), "utf-8")
    os.replace(temporary, target)


def read_state(store: Path) -> dict[str, Any] | None:
    """The last job's state, with ``running`` (a job holds the lock now) and ``queued``
    (another waits for it); None when no job ever ran. A state left ``running`` by a job
    that was killed reads as ``stopped``."""
    try:
        values: dict[str, Any] = json.loads(state_path(store).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    running = is_held(lock_path(store))
    if values.get("state") == RUNNING and not running:
        values["state"] = STOPPED
    values["running"] = running
    values["queued"] = is_held(queue_path(store))
    return values
