"""DuckDB: the one module that imports it.

Both sides reach DuckDB through here: the store (write side,
:mod:`symbiote.indexer.store`) and the reader (read side, :mod:`symbiote.queries.reader`)
connect with :func:`connect`, and every DuckDB exception becomes an error of the tree in
one place, :func:`translated` (httpx's ``map_exceptions`` is the model). A connection is
used directly for ``execute``/``fetch*``; calls on it belong inside ``translated``.

The module imports nothing of the writer, so the read side may use it.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from symbiote.indexer.errors import (
    Interrupted,
    OutOfMemory,
    QueryError,
    StoreError,
    StoreLocked,
    SymbioteError,
)

Connection = duckdb.DuckDBPyConnection
# Statement types a read-only caller may run (see statement_kinds).
READ_STATEMENTS = frozenset({"SELECT", "EXPLAIN"})


@contextmanager
def translated(error: type[SymbioteError], what: str) -> Iterator[None]:
    """Run a block of DuckDB calls; a DuckDB exception leaves it as ``error`` (or as
    :class:`StoreLocked` when another process holds the file, :class:`Interrupted` when
    the query was interrupted, :class:`OutOfMemory` when it needed more than the memory
    limit), its message prefixed with ``what``."""
    try:
        yield
    except duckdb.InterruptException as exc:
        raise Interrupted(f"{what}: the query was interrupted") from exc
    except duckdb.OutOfMemoryException as exc:
        # DuckDB's first line says how much it held; its advice (SET statements) is not
        # what a caller of ours can do.
        detail = str(exc).split("\n", 1)[0].removeprefix("Out of Memory Error: ")
        raise OutOfMemory(
            f"{what}: out of memory ({detail}); ask for less, or give the store's owner "
            "more (`symbiote serve --memory-limit`, `symbiote mcp --memory-limit`)"
        ) from exc
    except duckdb.IOException as exc:
        if _locked(exc):
            found = _PID.search(str(exc))
            pid = int(found.group(1)) if found else None
            holder = f"another process (pid {pid})" if pid else "another process"
            raise StoreLocked(f"{what}: {holder} holds the store", pid) from exc
        raise error(f"{what}: {exc}") from exc
    except duckdb.Error as exc:
        raise error(f"{what}: {exc}") from exc


def set_threads(con: Connection, threads: int) -> int | None:
    """Set the instance's worker threads to ``threads``; the number it had, or None when
    this connection may not change settings (a sandboxed reader's locked configuration)."""
    try:
        found = con.execute("SELECT current_setting('threads')").fetchone()
        con.execute(f"SET threads = {int(threads)}")
    except duckdb.Error:
        return None
    return int(found[0]) if found else None


def set_memory_limit(con: Connection, limit: str, previous: str) -> bool:
    """Lower or raise the instance's memory limit from ``previous`` to ``limit``
    (:class:`StoreError` for one DuckDB cannot read); False when it is lower than what
    DuckDB holds and cannot let go of now: the limit is ``previous`` again (DuckDB keeps
    the value it could not reach as the setting)."""
    with translated(StoreError, f"invalid memory limit {limit!r}"):
        try:
            con.execute("SET memory_limit = ?", [limit])
        except duckdb.OutOfMemoryException:
            con.execute("SET memory_limit = ?", [previous])
            return False
    return True


_PID = re.compile(r"\(PID (\d+)\)")


def _locked(exc: BaseException) -> bool:
    return "lock" in str(exc).lower() and "conflicting" in str(exc).lower()


def connect(
    path: Path | None, *, read_only: bool = False, config: Mapping[str, Any] | None = None
) -> Connection:
    """A connection to the database file at ``path`` (an in-memory database for None),
    or :class:`StoreError` / :class:`StoreLocked`."""
    target = ":memory:" if path is None else str(path)
    settings = dict(config or {})
    lock = settings.pop("lock_configuration", False)  # locked once the bar is off
    with translated(StoreError, f"cannot open {target}"):
        con = duckdb.connect(target, read_only=read_only, config=settings)
        # DuckDB draws a progress bar on stdout for a query past 2 s, into `--json`
        # output and the MCP server's stdio stream; a connection's cursors inherit this.
        # A second connection to an instance that another one locked can change neither.
        statements = ["SET enable_progress_bar = false"] + lock * ["SET lock_configuration = true"]
        for statement in statements:
            with contextlib.suppress(duckdb.InvalidInputException):
                con.execute(statement)
        return con


def checkpoint(con: Connection) -> bool:
    """Write the connection's log into the file; False when another connection's open
    transaction prevents it now (DuckDB checkpoints later by itself)."""
    try:
        con.execute("CHECKPOINT")
    except duckdb.TransactionException:
        return False
    except duckdb.Error as exc:
        raise StoreError(f"checkpoint failed: {exc}") from exc
    return True


def statement_kinds(con: Connection, sql: str) -> list[str]:
    """The types of the statements in ``sql`` (``SELECT``, ``INSERT``, ``EXPLAIN``, ...),
    without running them; :class:`QueryError` when it does not parse."""
    with translated(QueryError, "cannot parse SQL"):
        return [statement.type.name for statement in con.extract_statements(sql)]


def is_open(con: Connection) -> bool:
    """Whether the connection still answers."""
    try:
        con.execute("SELECT 1")
    except duckdb.Error:
        return False
    return True
