"""The store's embedding job: embedding that goes on after ``symbiote index`` returned.

An index run stores definitions and references and returns; the search sidecar is then
filled by this job, either on a thread of the store's long-lived owner (``symbiote
mcp``, ``symbiote serve``), which reuses the model it keeps loaded, or in a detached
process (``symbiote embed --job``) when no owner lives on. Both run :func:`run_job`:

- **One job per store.** The running job holds ``<store>.embed.lock``; one more may
  wait for it, holding ``<store>.embed.queue``, and reads its work list only once it
  runs, so it covers every index run that ended before. A job that finds both files
  held ends at once: the waiting one will do its work. No two jobs compute the same
  missing keys, so none is written twice.
- **Never locked out.** The job reads the store once, for its work list, on a read-only
  connection (the owner's instance inside the owner), and then writes only the LanceDB
  sidecar, which other processes read while it is written. While an index run holds the
  store, the job waits for it.
- **Kill-safe.** Each write is one LanceDB commit; a killed job loses at most the batch
  in progress, and the next job (or ``symbiote embed``) computes what is missing.
- **Visible.** Progress goes to ``<store>.embed.json`` after each write (see
  :mod:`symbiote.indexer.embed_state`), which ``symbiote status`` reads.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

from symbiote.indexer import embed_state
from symbiote.indexer.embed_job import EmbedOptions, EmbedProgress, EmbedSummary, embed_repository
from symbiote.indexer.embedding import Embedder
from symbiote.indexer.errors import Interrupted, StoreLocked, SymbioteError

log = logging.getLogger(__name__)

# Definitions per sidecar write in a background job: progress shows more often, and a
# kill loses less, than with the foreground's 512.
JOB_WRITE_EVERY = 128
STORE_WAIT_SECONDS = 120.0  # how long a job waits for an index run to let the store go
_POLL = 0.1


def run_job(
    repo: str | Path,
    store: Path,
    options: EmbedOptions | None = None,
    *,
    stop: Callable[[], bool] | None = None,
    embedder: Embedder | None = None,
    store_wait: float = STORE_WAIT_SECONDS,
) -> EmbedSummary | None:
    """Run the store's embedding job (see the module docstring): its summary, or None
    when another job already waits to run (it covers this one) or ``stop`` said so
    while this one waited. Failures are recorded in the state file and raised."""
    options = options or EmbedOptions(write_every=JOB_WRITE_EVERY)
    with embed_state.held(embed_state.queue_path(store), wait=False) as queued:
        if not queued:
            log.info("an embedding job already waits to run for %s", store)
            return None
        running = _lock(embed_state.lock_path(store), stop)
    if running is None:
        return None
    try:
        with embed_state.owned(store):
            return _run(repo, store, options, stop, embedder, store_wait)
    finally:
        fcntl.flock(running, fcntl.LOCK_UN)
        running.close()


def _lock(path: Path, stop: Callable[[], bool] | None) -> IO[bytes] | None:
    """Hold ``path`` exclusively, waiting for the running job; None when ``stop``
    answers True first."""
    handle = path.open("ab")
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return handle
        except BlockingIOError:
            if stop is not None and stop():
                handle.close()
                return None
            time.sleep(_POLL)


def _run(
    repo: str | Path,
    store: Path,
    options: EmbedOptions,
    stop: Callable[[], bool] | None,
    embedder: Embedder | None,
    store_wait: float,
) -> EmbedSummary:
    started = embed_state.now()
    state = {
        "pid": os.getpid(),
        "started_at": started,
        "log": str(embed_state.log_path(store)),
        "error": None,
    }

    def record(name: str, done: int | None, total: int | None, **more: object) -> None:
        state.update(more)
        embed_state.write_state(
            store, **state, state=name, done=done, total=total, updated_at=embed_state.now()
        )

    last = EmbedProgress(0, 0)

    def progress(p: EmbedProgress) -> None:
        nonlocal last
        last = p
        record(embed_state.RUNNING, p.done, p.total)

    record(embed_state.RUNNING, 0, None)
    deadline = time.monotonic() + store_wait
    delay = 0.05
    while True:
        try:
            summary = embed_repository(repo, store, options, progress, embedder, stop)
            break
        except StoreLocked:  # an index run holds the store: wait for it to end
            if time.monotonic() >= deadline or (stop is not None and stop()):
                record(embed_state.FAILED, 0, None, error="the store stayed held")
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
        except Interrupted as exc:
            record(embed_state.STOPPED, None, None, error=str(exc))
            raise
        except SymbioteError as exc:
            record(embed_state.FAILED, None, None, error=f"{type(exc).__name__}: {exc}")
            raise
    record(
        embed_state.DONE, last.done, last.total, commits=summary.commits, seconds=summary.seconds
    )
    return summary
