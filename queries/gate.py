"""Queries of one process run side by side, and one that ran out of memory runs again
alone.

A store's owner answers several questions at once on one DuckDB instance, whose cache
is small (``indexer.store.SERVED_MEMORY_LIMIT``): a diff's definitions are read while
its references and bindings load on two more threads. Each query fits alone; side by
side they can need more than the cache, and DuckDB fails the one that asked last. Such
a query is not the caller's fault, so it is asked again, once, when the other queries
of this process have ended and before new ones start (:func:`retried`). One that does
not fit alone either is asked a last time on one thread, where the caller can give it
that (each thread of a join or an aggregate holds its own part of the state: sqlalchemy's
``SELECT * FROM references_at('HEAD') ORDER BY path LIMIT 5`` ran out of an owner's
48 MB on two threads, and fits on one). A query that does not fit even so stays
:class:`~symbiote.indexer.errors.OutOfMemory`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TypeVar

from symbiote.indexer.errors import OutOfMemory

log = logging.getLogger(__name__)
T = TypeVar("T")


class Gate:
    """Many queries at once (:meth:`shared`), or one alone (:meth:`alone`)."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._running = 0  # queries in :meth:`shared`, each counted once per thread
        self._alone = False  # a query runs alone
        self._waiting = 0  # queries waiting to run alone
        self._depth = threading.local()  # this thread's nesting of blocks

    def until_waiting(self, count: int, timeout: float | None = None) -> bool:
        """Block until ``count`` queries wait to run alone (False if ``timeout`` seconds
        pass first): for a caller that must act once they wait, such as a test."""
        with self._changed:
            return self._changed.wait_for(lambda: self._waiting == count, timeout)

    def held_here(self) -> bool:
        """Whether this thread is inside a block (it cannot wait for the others to end:
        it is one of them)."""
        return getattr(self._depth, "n", 0) > 0

    @contextmanager
    def shared(self) -> Iterator[None]:
        """Run beside the other shared blocks; wait while a query runs alone, or waits
        to (so that it gets its turn)."""
        depth = getattr(self._depth, "n", 0)
        if depth == 0:
            with self._changed:
                while self._alone or self._waiting:
                    self._changed.wait()
                self._running += 1
        self._depth.n = depth + 1
        try:
            yield
        finally:
            self._depth.n = depth
            if depth == 0:
                with self._changed:
                    self._running -= 1
                    self._changed.notify_all()

    @contextmanager
    def alone(self) -> Iterator[None]:
        """Run once no shared block and no other lone query runs."""
        with self._changed:
            self._waiting += 1
            self._changed.notify_all()  # for until_waiting
            try:
                while self._alone or self._running:
                    self._changed.wait()
            finally:
                self._waiting -= 1
            self._alone = True
        self._depth.n = 1
        try:
            yield
        finally:
            self._depth.n = 0
            with self._changed:
                self._alone = False
                self._changed.notify_all()


GATE = Gate()  # the queries of this process's readers


def retried(
    work: Callable[[], T],
    gate: Gate = GATE,
    one_thread: Callable[[], AbstractContextManager[bool]] | None = None,
) -> T:
    """``work()`` (DuckDB calls, their errors translated) beside other queries; if it
    runs out of memory, once more alone, and if it does again, a last time alone inside
    ``one_thread()`` (a block that runs the queries on one thread, and gives False where
    it cannot). Inside another block of this thread (nested) it runs as it is: the outer
    call is the one retried."""
    if gate.held_here():
        return work()
    try:
        with gate.shared():
            return work()
    except OutOfMemory as exc:
        log.info("a query ran out of memory beside others; asking it again alone: %s", exc)
    with gate.alone():
        try:
            return work()
        except OutOfMemory as exc:
            if one_thread is None:
                raise
            failed = exc
        with one_thread() as narrowed:
            if not narrowed:
                raise failed
            log.info("a query ran out of memory alone; asking it again on one thread: %s", failed)
            return work()
