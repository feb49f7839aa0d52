"""The self-correction log: agents' critiques of code, the actions that answer them, and
the outcomes of those actions.

Durability: every entry is appended to a journal beside the store
(``<store>.journal/agent-log.jsonl``) under an exclusive file lock and fsynced before the
call returns, so an acknowledged entry survives a crash. Appending needs no lock on the
DuckDB store, so agents can write while ``symbiote index`` runs.

Tables: the journal is applied in batches (:func:`apply`) to ``agent_critiques``,
``agent_actions`` and ``agent_outcomes`` (keys, foreign keys, CHECKs on enumerations) by
whoever holds the store for writing: the indexing job at the start and end of a run,
and every write command when the store is free. The journal keeps every entry, so it is
what the read API reads: an entry is visible to readers as soon as it is acknowledged;
in SQL, after the next apply.

Entries are never changed or deleted. A correction is a new entry that ``supersedes``
the old one; a retraction is a new entry with ``retracted`` set. Rules are checked
before anything is written (:class:`~indexer.errors.InvalidEntry`); whether the target
of a critique is a definition at its commit is the caller's ``check`` (the read side
knows; see ``cli/agent.py``).
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from symbiote.indexer.errors import InvalidEntry, StoreError
from symbiote.indexer.journal import (
    CATEGORIES,
    PARENTS,
    SEVERITIES,
    VERDICTS,
    journal_path,
    read_journal,
)
from symbiote.indexer.store import WRITER, Store

log = logging.getLogger(__name__)


# Checks that the target of a critique exists: (repo_id, commit, path, qualified name)
# -> None, or raises InvalidEntry / a QueryError saying why not.
TargetCheck = Callable[[int, str, str, str | None], None]


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _text(name: str, value: Any, *, required: bool = True) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InvalidEntry(f"{name} must be a non-empty string, not {value!r}")
    return value


def _choice(name: str, value: Any, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise InvalidEntry(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return str(value)


def _texts(name: str, values: Any) -> list[str]:
    if not isinstance(values, list | tuple) or not all(
        isinstance(v, str) and v.strip() for v in values
    ):
        raise InvalidEntry(f"{name} must be a list of non-empty strings, not {values!r}")
    return list(values)


class AgentLog:
    """The log of the store at ``store``: validated, durable appends."""

    def __init__(self, store: Path) -> None:
        self.store = store
        self.path = journal_path(store)

    def critique(
        self,
        *,
        agent: str,
        repo_id: int,
        commit: str,
        path: str,
        qualified_name: str | None,
        category: str,
        severity: str,
        text: str,
        check: TargetCheck,
        supersedes: str | None = None,
        retracted: bool = False,
    ) -> dict[str, Any]:
        """Record a critique of ``path::qualified_name`` (or of the file) at ``commit``."""
        target = _text("qualified_name", qualified_name, required=False)
        row: dict[str, Any] = {
            "agent": _text("agent", agent),
            "repo_id": int(repo_id),
            "commit": _text("commit", commit),
            "path": _text("path", path),
            "qualified_name": target,
            "category": _choice("category", category, CATEGORIES),
            "severity": _choice("severity", severity, SEVERITIES),
            "text": _text("text", text),
        }
        check(int(repo_id), commit, path, target)
        return self._append("critique", row, supersedes, retracted)

    def action(
        self,
        *,
        agent: str,
        critique: str,
        description: str,
        commit: str | None = None,
        paths: list[str] | tuple[str, ...] = (),
        definitions: list[str] | tuple[str, ...] = (),
        supersedes: str | None = None,
        retracted: bool = False,
    ) -> dict[str, Any]:
        """Record what was done about ``critique`` (and the commit it produced, if any)."""
        row = {
            "agent": _text("agent", agent),
            "critique": _text("critique", critique),
            "description": _text("description", description),
            "commit": _text("commit", commit, required=False),
            "paths": _texts("paths", paths),
            "definitions": _texts("definitions", definitions),
        }
        return self._append("action", row, supersedes, retracted)

    def outcome(
        self,
        *,
        agent: str,
        action: str,
        verdict: str,
        evidence: dict[str, Any] | None = None,
        supersedes: str | None = None,
        retracted: bool = False,
    ) -> dict[str, Any]:
        """Record how ``action`` turned out, with its evidence (test results, metrics)."""
        if evidence is not None and not isinstance(evidence, dict):
            raise InvalidEntry(f"evidence must be a JSON object, not {evidence!r}")
        row = {
            "agent": _text("agent", agent),
            "action": _text("action", action),
            "verdict": _choice("verdict", verdict, VERDICTS),
            "evidence": evidence or {},
        }
        return self._append("outcome", row, supersedes, retracted)

    def _append(
        self, kind: str, row: dict[str, Any], supersedes: str | None, retracted: bool
    ) -> dict[str, Any]:
        with self._locked() as handle:
            known = _known(self.path, handle)
            parent = PARENTS.get(kind)
            if parent is not None and known.get(row[parent]) != parent:
                raise InvalidEntry(f"there is no {parent} {row[parent]!r} in the log")
            if supersedes is not None and known.get(supersedes) != kind:
                raise InvalidEntry(f"there is no {kind} {supersedes!r} to supersede")
            if retracted and supersedes is None:
                raise InvalidEntry("a retraction names the entry it retracts (supersedes)")
            entry = {
                "kind": kind,
                "id": uuid.uuid4().hex,
                "recorded_at": _now(),
                **row,
                "supersedes": supersedes,
                "retracted": bool(retracted),
            }
            handle.seek(0, os.SEEK_END)
            handle.write(json.dumps(entry, sort_keys=True).encode() + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
            known[entry["id"]] = kind
            _KNOWN[self.path] = (handle.tell(), known)
        return entry

    @contextmanager
    def _locked(self) -> Iterator[Any]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a+b") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                handle.seek(0)
                data = handle.read()
                end = data.rfind(b"\n") + 1
                if end != len(data):  # a torn line from a crash: never acknowledged
                    handle.truncate(end)
                yield handle
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


# Journal path -> (bytes read, id -> kind of every entry in them): appends by this
# process read only what other processes added since.
_KNOWN: dict[Path, tuple[int, dict[str, str]]] = {}


def _known(path: Path, handle: Any) -> dict[str, str]:
    """The id -> kind of every entry of the locked journal ``handle``."""
    offset, known = _KNOWN.get(path, (0, {}))
    size = handle.seek(0, os.SEEK_END)
    if size < offset:  # the file was replaced or cut: read it again
        offset, known = 0, {}
    handle.seek(offset)
    for line in handle.read().splitlines():
        if line.strip():
            entry = json.loads(line)
            known[entry["id"]] = entry["kind"]
    _KNOWN[path] = (size, known)
    return known


def pending(store: Path, applied: int) -> list[dict[str, Any]]:
    """The entries after the first ``applied`` (what the tables do not have yet)."""
    return read_journal(store)[applied:]


def apply(store: Store) -> int:
    """Apply the entries the store's tables do not have yet; how many were applied."""
    applied = int(store.get_meta("agent_log_applied") or 0)
    entries = pending(store.path, applied)
    if entries:
        _insert(store, entries, applied)
    return len(entries)


_SHARED_COLUMNS = ("id", "recorded_at", "agent")
_COLUMNS = {
    "critique": (
        "agent_critiques",
        (
            *_SHARED_COLUMNS,
            *("repo_id", "commit", "path", "qualified_name", "category", "severity", "text"),
            *("supersedes", "retracted"),
        ),
    ),
    "action": (
        "agent_actions",
        (
            *_SHARED_COLUMNS,
            *("critique", "description", "commit", "paths", "definitions"),
            *("supersedes", "retracted"),
        ),
    ),
    "outcome": (
        "agent_outcomes",
        (*_SHARED_COLUMNS, "action", "verdict", "evidence", "supersedes", "retracted"),
    ),
}


def _insert(store: Store, entries: list[dict[str, Any]], applied: int) -> None:
    """Insert journal entries into the agent tables and move the applied mark from
    ``applied`` past them, in one transaction (so each entry lands exactly once)."""
    with store.transaction():
        for entry in entries:
            table, names = _COLUMNS[entry["kind"]]
            values = [json.dumps(entry[n]) if n == "evidence" else entry[n] for n in names]
            marks = ", ".join("?" for _ in names)
            store.execute(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})", values)
        store.execute(
            "INSERT OR REPLACE INTO index_meta VALUES ('agent_log_applied', ?)",
            [str(applied + len(entries))],
        )


def apply_if_free(store_path: Path) -> int | None:
    """:func:`apply` when the store can be opened for writing now; None when another
    process holds it (its indexing job applies the journal when it ends), when a run in
    this process holds it, or when applies are batched (:func:`apply_every`)."""
    return None if store_path in _BATCHED else _apply_unless_busy(store_path)


def _apply_unless_busy(store_path: Path) -> int | None:
    if not WRITER.acquire(blocking=False):
        return None
    try:
        with Store(store_path) as store:
            return apply(store)
    except StoreError as exc:  # the entries stay in the journal for the next apply
        log.info("agent log not applied now: %s", exc)
        return None
    finally:
        WRITER.release()


def apply_now(store_path: Path) -> int:
    """:func:`apply`, waiting for a writer of this process to finish; StoreError when
    another process holds the store."""
    with WRITER, Store(store_path) as store:
        return apply(store)


_BATCHED: set[Path] = set()


def apply_every(store_path: Path, seconds: float) -> threading.Event:
    """Apply the journal of ``store_path`` in batches, every ``seconds`` (between the
    batches of a running index job, which applies it itself), instead of after each
    write; set the returned event to stop. For a process that owns the store."""
    _BATCHED.add(store_path)
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(seconds):
            _apply_unless_busy(store_path)

    threading.Thread(target=loop, name="agent-log-apply", daemon=True).start()
    return stop
