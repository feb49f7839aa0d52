"""The process that owns a store: it holds the store's one read-write DuckDB instance,
so its writers (index runs, agent-log applies, repairs) and readers share it (DuckDB
allows one process per file), and it applies the agent log in batches."""

from __future__ import annotations

import logging
from pathlib import Path

from symbiote.indexer.agent_log import apply_every, apply_now
from symbiote.indexer.errors import StoreError
from symbiote.indexer.store import open_shared

log = logging.getLogger(__name__)

# Agent-log writes are in the journal (durable, readable) when acknowledged; the owner
# applies them to the SQL tables at most this often (and after each batch of commits of
# an index run, which holds the store meanwhile).
APPLY_SECONDS = 0.5


class Holding:
    """The store held by this process until :meth:`release`."""

    def __init__(self, store: Path, memory_limit: str | None = None) -> None:
        self.store = store
        self._connection = open_shared(store, memory_limit)
        self._applying = apply_every(store, APPLY_SECONDS)

    def release(self) -> None:
        """Apply what the journal holds still, and let the store go."""
        self._applying.set()
        try:
            apply_now(self.store)  # what the last batch has not applied
        except StoreError as exc:  # the entries stay in the journal for the next apply
            log.warning("agent log not applied: %s", exc)
        self._connection.close()
