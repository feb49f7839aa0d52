"""Whether this process is answering a call, and for how long it has not been.

An owner's background work that competes with its calls for the interpreter (loading the
indexer and the embedding model ahead of the next commit: imports hold the GIL for a
second or more) waits for a pause between calls (:func:`quiet_for`), so that it does not
slow the calls an agent makes one after another: a release diff over MCP took 1.3 s
alone and 2.1-2.5 s beside that loading.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_running = 0  # calls being answered
_last = time.monotonic()  # when the last call ended (or this module was loaded)


@contextmanager
def answering() -> Iterator[None]:
    """Count a call as being answered while the block runs."""
    global _running, _last
    with _lock:
        _running += 1
    try:
        yield
    finally:
        with _lock:
            _running -= 1
            _last = time.monotonic()


def quiet_for() -> float:
    """Seconds since the last call ended; 0.0 while one is being answered."""
    with _lock:
        return 0.0 if _running else time.monotonic() - _last
