"""The DuckDB store, write side: a read-write connection, its transactions and metadata.

Every write that makes something visible is one transaction, ordered so that a kill at
any point leaves a usable store:

1. a blob's symbols, references and its ``blobs`` row are inserted together;
2. a tree and its entries are inserted only after every blob they reach is stored, and
   after their subtrees (so a stored tree is always complete);
3. a commit row is inserted only after its whole tree is stored, so ``commits`` lists
   exactly the commits that can be answered.

A re-run skips what is present and completes the rest, without duplicates. What the
indexing job writes and reads is :mod:`symbiote.indexer.store_rows`; the tables and
migrations, :mod:`symbiote.indexer.store_schema`; DuckDB itself is reached through
:mod:`symbiote.indexer.duck`.
"""

from __future__ import annotations

import fcntl
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from symbiote.indexer import duck, store_schema
from symbiote.indexer.errors import StoreError

log = logging.getLogger(__name__)

# One writing job (an index run, an agent-log apply, a `verify --repair`) at a time within
# a process; in `symbiote serve` several run side by side on one database instance.
WRITER = threading.Lock()
# What a shared instance allows its readers (see queries.reader): no files, URLs or
# extensions, and index scans for point lookups.
READ_SETTINGS = (
    "SET enable_external_access = false",
    "SET autoinstall_known_extensions = false",
    "SET autoload_known_extensions = false",
    "SET index_scan_max_count = 200000",
)


DEFAULT_MEMORY_LIMIT = "1GB"  # a writer's DuckDB cache, unless told otherwise
# An owner's instance between write jobs, where only reads run: scans stream through the
# cache (reading them through 128 MB was as quick as through 1 GB on a 2.3 GB store), so
# a larger cache only grows the answering process (to ~1 GB after a few `sql` calls).
# DuckDB's cached blocks cost the process ~1.7x what it counts. The agent session of
# bench/agent_session.py (a 10,000-commit store) peaked at ~550 MB with 96 MB, 450-495 MB
# with 48 MB and 460-499 MB with 64 MB; a `history` reads a name's rows a few columns at
# a time to fit (queries.history._rows_named). Its first `sql` (the most-referenced
# name: two aggregates over `symbols_at` and `references_at`) ran out of memory at 32
# MB, and at 48 MB on two threads once `references_at` hashed the commit's definitions
# (answered on one thread, 2.3-3.3 s); at 64 MB it takes 0.9-1.0 s.
SERVED_MEMORY_LIMIT = "64MB"

# Store files served as this process's shared instance, with the connection that holds it.
_SHARED: dict[str, duck.Connection] = {}
# The memory limit of each served instance, and those of the write jobs running in it:
# the instance holds the largest while they run (see Store).
_LIMITS: dict[str, tuple[str, list[str]]] = {}
_LIMITS_LOCK = threading.Lock()
_UNITS = {
    "b": 1,
    "kb": 1000,
    "mb": 1000**2,
    "gb": 1000**3,
    "tb": 1000**4,
    "kib": 1024,
    "mib": 1024**2,
    "gib": 1024**3,
    "tib": 1024**4,
}


def _size(limit: str) -> float | None:
    """Bytes of a memory limit as DuckDB writes it (``512MB``, ``1 GiB``); None when
    it is written some other way."""
    text = limit.strip().lower()
    digits = text.rstrip("abcdefghijklmnopqrstuvwxyz ")
    unit = text[len(digits) :].strip() or "b"
    try:
        return float(digits) * _UNITS[unit]
    except (ValueError, KeyError):
        return None


def _largest(limits: list[str]) -> str:
    return max(limits, key=lambda v: _size(v) or 0.0)


def _hold_limit(path: Path, con: duck.Connection, limit: str | None, *, add: bool) -> None:
    """Add (or remove) a write job's memory limit on the served instance of ``path`` and
    set the instance's limit to the largest of the owner's and the running jobs'."""
    key = str(path.resolve())
    with _LIMITS_LOCK:
        base, jobs = _LIMITS.get(key, (SERVED_MEMORY_LIMIT, []))
        previous = _largest([base, *jobs])
        if limit is not None:
            if add:
                jobs.append(limit)
            elif limit in jobs:
                jobs.remove(limit)
        _LIMITS[key] = (base, jobs)
        wanted = _largest([base, *jobs])
        if not duck.set_memory_limit(con, wanted, previous):
            # A write job's end, with more held than the owner's limit (a large store's
            # indexes): the larger limit stays until a later job's end lowers it.
            log.info("memory limit of %s stays above %s for now: DuckDB holds more", key, wanted)


def open_shared(path: Path, memory_limit: str | None = None) -> duck.Connection:
    """Open (create or migrate) the store at ``path`` as this process's database
    instance, for the process that owns the store: writers (:class:`Store`) and readers
    then connect to the same instance, so readers keep answering while a writer writes
    (DuckDB's MVCC). The instance's settings (threads, memory limit: ``memory_limit``,
    by default :data:`SERVED_MEMORY_LIMIT`) are those of this first opening; a later
    writer does not change them for everyone, except that a write job given a larger
    memory limit has it while it runs. Keep the returned connection open for as long as
    the instance is served."""
    limit = memory_limit or SERVED_MEMORY_LIMIT
    with Store(path, memory_limit=limit):
        pass  # schema, migrations and the instance's settings
    con = duck.connect(path)  # a new instance: the Store's settings went with it
    with duck.translated(StoreError, f"cannot open store {path}"):
        for statement in READ_SETTINGS:
            con.execute(statement)
        con.execute("SET memory_limit = ?", [limit])
    with _LIMITS_LOCK:
        _LIMITS[str(path.resolve())] = (limit, [])
    _SHARED[str(path.resolve())] = con
    return con


# A DuckDB file begins with its main header and two database headers, 4 KiB each; one
# shorter than that was cut off while DuckDB created it, and holds no table and no row.
_HEADERS_BYTES = 3 * 4096


def _clear_unfinished_creation(path: Path) -> None:
    """Remove a store file that a killed run left before DuckDB finished creating it
    (empty, or cut off inside its headers: DuckDB refuses to open it, "Could not read
    enough bytes"), with the log beside it: it holds nothing a run does not redo."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    if size >= _HEADERS_BYTES:
        return
    try:
        handle = path.open("rb+")
    except OSError:
        return  # DuckDB's own error says what is wrong with it
    with handle:
        try:  # DuckDB holds a POSIX lock on a file it is creating: not interrupted, then
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return
        log.warning(
            "store %s has %d bytes (its creation was interrupted): creating it again",
            path,
            size,
        )
        path.unlink()
        path.with_name(path.name + ".wal").unlink(missing_ok=True)


def _served(path: Path) -> bool:
    """Whether ``path`` is the shared instance of this process (and still open)."""
    key = str(path.resolve())
    con = _SHARED.get(key)
    if con is None:
        return False
    if not duck.is_open(con):  # closed: the instance is no longer served
        del _SHARED[key]
        return False
    return True


def is_served(path: Path) -> bool:
    """Whether this process owns ``path`` (its writers share the owner's instance)."""
    return _served(path)


class Store:
    """A read-write connection to a store file, created (or migrated) on first use; or,
    with ``read_only``, a read-only one to a store that exists (a job that only reads
    the store, such as a detached embedding job: readers in other processes keep
    answering meanwhile)."""

    def __init__(
        self,
        path: Path,
        *,
        threads: int | None = None,
        memory_limit: str | None = None,
        read_only: bool = False,
    ) -> None:
        """``memory_limit``: DuckDB's cache (default :data:`DEFAULT_MEMORY_LIMIT`); on a
        served store, the instance's limit while this connection is open, when larger
        (a write job's; None keeps the owner's)."""
        self.path = path
        self.read_only = read_only
        self.served = False  # a connection to the owner's shared instance
        self._held_limit: str | None = None
        if read_only:
            self.con = duck.connect(path, read_only=True)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        _clear_unfinished_creation(path)
        self.con = duck.connect(path)
        try:
            if _served(path):
                self.served = True
                # Settings are the instance's, shared with the readers: keep the owner's.
                # The owner prepared the schema when it opened the store; preparing it
                # again here would race other writers' transactions with its DDL.
                log.info("store %s is served: its settings stay the owner's", path)
                if memory_limit is not None:
                    _hold_limit(path, self.con, memory_limit, add=True)
                    self._held_limit = memory_limit
            else:
                self._configure(threads, memory_limit or DEFAULT_MEMORY_LIMIT)
                store_schema.prepare(self)
        except BaseException:
            self.con.close()  # a store that failed to open holds no lock on the file
            raise

    def _configure(self, threads: int | None, memory_limit: str) -> None:
        with duck.translated(StoreError, f"cannot open store {self.path}"):
            if threads:
                self.con.execute(f"SET threads = {int(threads)}")
        # DuckDB caches up to 80 % of RAM by default; an indexing job stays bounded.
        with duck.translated(StoreError, f"invalid memory limit {memory_limit!r}"):
            self.con.execute("SET memory_limit = ?", [memory_limit])
        with duck.translated(StoreError, f"cannot open store {self.path}"):
            self.con.execute("SET preserve_insertion_order = false")

    def close(self) -> None:
        """Checkpoint and close. On the owner's shared instance the checkpoint is left
        to DuckDB (it checkpoints as its log grows, and when the owner lets the store
        go): on a large store a checkpoint rewrites its indexes, ~1 s that would delay
        every index run the owner makes; every write is committed either way."""
        if self._held_limit is not None:
            limit, self._held_limit = self._held_limit, None
            try:
                _hold_limit(self.path, self.con, limit, add=False)
            except StoreError:
                log.exception("memory limit of %s not restored", self.path)
        with duck.translated(StoreError, f"cannot close store {self.path}"):
            if not self.read_only and not self.served and not duck.checkpoint(self.con):
                log.info("checkpoint of %s left for later", self.path)
            self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- metadata

    def get_meta(self, key: str) -> str | None:
        """A value of the ``index_meta`` table."""
        rows = self.rows("SELECT value FROM index_meta WHERE key = ?", [key])
        return None if not rows else str(rows[0][0])

    def set_meta(self, values: dict[str, str]) -> None:
        """Record several metadata values at once (only those that change: a write costs
        milliseconds, and every index run records ~90 that rarely change)."""
        current = {str(k): v for k, v in self.rows("SELECT key, value FROM index_meta")}
        changed = {k: v for k, v in values.items() if current.get(k) != v}
        if not changed:
            return
        with self.transaction():
            for key, value in changed.items():
                self.execute("INSERT OR REPLACE INTO index_meta VALUES (?, ?)", [key, value])

    def retire_snapshots(self) -> None:
        """Readers cache commit snapshots per generation (``queries.snapcache``): start a
        new one after rows of existing blobs or commits change. Works inside an open
        transaction."""
        generation = int(self.get_meta("generation") or 0) + 1
        self.execute(
            "INSERT OR REPLACE INTO index_meta VALUES ('generation', ?)", [str(generation)]
        )

    def stamp_created(self) -> None:
        """Record when the store was created (once)."""
        self.execute(
            "INSERT OR IGNORE INTO index_meta VALUES ('created_at', ?)",
            [datetime.now(UTC).isoformat()],
        )

    # ---- statements

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic unit of writes."""
        with duck.translated(StoreError, "cannot begin a transaction"):
            self.con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            try:
                with duck.translated(StoreError, "rollback failed"):
                    self.con.execute("ROLLBACK")
            except StoreError:
                log.exception("rollback failed")
            raise
        with duck.translated(StoreError, "cannot commit a transaction"):
            self.con.execute("COMMIT")

    def rows(self, sql: str, params: list[object] | None = None) -> list[tuple[Any, ...]]:
        """All rows of a query (inside or outside a transaction)."""
        with duck.translated(StoreError, "store query failed"):
            return self.con.execute(sql, params or []).fetchall()

    def execute(self, sql: str, params: list[object] | None = None) -> None:
        """Run one statement (inside or outside a transaction)."""
        with duck.translated(StoreError, "store statement failed"):
            self.con.execute(sql, params or [])

    def arrow(self, sql: str, params: list[object] | None = None) -> pa.Table:
        """A query's result as an Arrow table."""
        with duck.translated(StoreError, "store query failed"):
            return self.con.execute(sql, params or []).to_arrow_table()

    @contextmanager
    def registered(self, name: str, rows: pa.Table) -> Iterator[None]:
        """``rows`` visible to statements as the table ``name`` while the block runs."""
        with duck.translated(StoreError, f"cannot register {name}"):
            self.con.register(name, rows)
        try:
            yield
        finally:
            with duck.translated(StoreError, f"cannot unregister {name}"):
                self.con.unregister(name)

    def insert(self, table: str, rows: pa.Table, *, or_ignore: bool = False) -> None:
        """Insert Arrow ``rows`` into ``table`` (by column name)."""
        if rows.num_rows == 0:
            return
        columns = ", ".join(rows.column_names)
        verb = "INSERT OR IGNORE INTO" if or_ignore else "INSERT INTO"
        with self.registered("_incoming", rows):
            self.execute(f"{verb} {table} ({columns}) SELECT {columns} FROM _incoming")

    def counts(
        self,
        tables: tuple[str, ...] = (
            "commits",
            "trees",
            "tree_entries",
            "blobs",
            "code_symbols",
            "code_references",
        ),
    ) -> dict[str, int]:
        """Row counts of the main tables."""
        return {table: int(self.rows(f"SELECT count(*) FROM {table}")[0][0]) for table in tables}
