"""The DuckDB store, read side: the only ``queries`` module that imports ``duckdb``.

Opens the store read-only and translates every DuckDB error into the error tree.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from symbiote.indexer.errors import QueryError, SchemaMismatch, StoreError
from symbiote.indexer.schema import SCHEMA_VERSION

SQL_TIMEOUT = 30.0  # seconds a user-supplied SQL statement may run
_HEX = re.compile(r"[0-9a-f]{4,64}")
_SANDBOX = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
    # Use the ART indexes (schema 3) for point lookups matching up to this many rows
    # (the default, 2,048, is below the rows one name has across a long history).
    "index_scan_max_count": 200_000,
}


# Stores this process serves (`symbiote serve`): opened read-write by indexer.store's
# open_shared, with its READ_SETTINGS (the same sandbox, minus the locked configuration
# that the writers sharing the instance could not live with).
_SHARED: set[Path] = set()


def share(path: Path) -> None:
    """Readers of ``path`` connect to the instance this process opened for writing."""
    _SHARED.add(path)


def sha_list(values: list[str]) -> str:
    """A SQL literal ``['..', ..]::VARCHAR[]`` of git object ids.

    Inlined rather than bound: DuckDB pushes a constant list filter into the table scan
    (so wide columns are read only for matching rows), and binding a Python list of
    thousands of strings costs more than the query. Only hex ids are accepted.
    """
    for value in values:
        if not _HEX.fullmatch(value):
            raise QueryError(f"not an object id: {value!r}")
    return "[" + ",".join(f"'{v}'" for v in values) + "]::VARCHAR[]"


def equals(column: str, value: str) -> tuple[str, list[Any]]:
    """The condition ``column = value`` and its parameters, for hot point lookups.

    The value is inlined as a quoted literal: a bound parameter costs DuckDB's Python
    client ~0.3 ms more per query (it probes for pandas and other types on every bind).
    A value with a NUL byte, which a literal cannot hold, is bound instead."""
    if "\0" in value:
        return f"{column} = ?", [value]
    return f"{column} = '" + value.replace("'", "''") + "'", []


class Reader:
    """A read-only connection to a store."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise StoreError(f"no index at {path}; run `symbiote index` first")
        try:
            if path in _SHARED:  # `symbiote serve`: the instance the writers use
                self.con = duckdb.connect(str(path))
            else:
                # Reads never touch files, URLs or settings: this makes `sql` safe.
                # Passed at connect time, so a second reader of the same file in this
                # process (which shares DuckDB's database instance) gets the same
                # configuration.
                self.con = duckdb.connect(str(path), read_only=True, config=dict(_SANDBOX))
        except duckdb.Error as exc:
            raise StoreError(f"cannot open index {path}: {exc}") from exc
        self.path = path
        self._cursor: duckdb.DuckDBPyConnection | None = None  # the running `sql` query
        try:
            found = self.scalar("SELECT value FROM index_meta WHERE key = 'schema_version'")
            # Changes whenever the indexer re-extracts blobs (see queries.snapcache).
            self.generation = str(
                self.scalar("SELECT value FROM index_meta WHERE key = 'generation'") or "0"
            )
        except StoreError:
            self.con.close()
            raise
        if found != str(SCHEMA_VERSION):
            hint = (
                "run `symbiote index` once to migrate it"
                if str(found).isdigit() and int(found) < SCHEMA_VERSION
                else "it was written by a newer Symbiote"
            )
            self.con.close()
            raise SchemaMismatch(
                f"index {path} has schema version {found}; this code reads version "
                f"{SCHEMA_VERSION}: {hint}"
            )

    def close(self) -> None:
        """Close the connection."""
        self.con.close()

    def interrupt(self) -> None:
        """Stop the query running on this connection, or on the ``sql`` cursor, now
        (from another thread); it raises there."""
        self.con.interrupt()
        cursor = self._cursor
        if cursor is not None:
            cursor.interrupt()

    def rows(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        """All rows of a query."""
        try:
            return self.con.execute(sql, params or []).fetchall()
        except duckdb.Error as exc:
            raise StoreError(f"index query failed: {exc}") from exc

    def dicts(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        """All rows of a query as dicts keyed by column name."""
        try:
            cursor = self.con.execute(sql, params or [])
            names = [d[0] for d in cursor.description or []]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        except duckdb.Error as exc:
            raise StoreError(f"index query failed: {exc}") from exc

    def table(self, sql: str, params: list[Any] | None = None) -> pa.Table:
        """A query's result as an Arrow table."""
        try:
            return self.con.execute(sql, params or []).to_arrow_table()
        except duckdb.Error as exc:
            raise StoreError(f"index query failed: {exc}") from exc

    def columns(self, sql: str, params: list[Any] | None = None) -> dict[str, list[Any]]:
        """A query's result as Python lists, one per column (fast for many rows)."""
        try:
            table = self.con.execute(sql, params or []).to_arrow_table()
        except duckdb.Error as exc:
            raise StoreError(f"index query failed: {exc}") from exc
        return {name: table.column(name).to_pylist() for name in table.column_names}

    def sandboxed(
        self, query: str, params: list[Any], limit: int, timeout: float = SQL_TIMEOUT
    ) -> tuple[list[str], list[tuple[Any, ...]]]:
        """Run one user-supplied read-only statement (SELECT or EXPLAIN only), stopped
        after ``timeout`` seconds."""
        try:
            statements = self.con.extract_statements(query)
        except duckdb.Error as exc:
            raise QueryError(f"cannot parse SQL: {exc}") from exc
        if len(statements) != 1:
            raise QueryError(f"give exactly one SQL statement, not {len(statements)}")
        kind = statements[0].type
        if kind not in (duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN):
            raise QueryError(f"only SELECT queries are allowed, not {kind.name}")
        cursor = self._cursor = self.con.cursor()
        timer = threading.Timer(timeout, cursor.interrupt)
        timer.start()
        try:
            cursor.execute(query, params)
            names = [d[0] for d in cursor.description or []]
            rows = cursor.fetchmany(limit)
        except duckdb.InterruptException as exc:
            raise QueryError(f"SQL stopped after {timeout:g} s (the time limit)") from exc
        except duckdb.Error as exc:
            raise QueryError(f"SQL failed: {exc}") from exc
        finally:
            timer.cancel()
            self._cursor = None
            cursor.close()
        return names, rows

    def scalar(self, sql: str, params: list[Any] | None = None) -> Any:
        """The first column of the first row, or None."""
        rows = self.rows(sql, params)
        return rows[0][0] if rows else None
