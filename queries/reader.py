"""The DuckDB store, read side: a read-only, sandboxed connection.

DuckDB is reached through :mod:`symbiote.indexer.duck`, which translates its errors.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pyarrow as pa

from symbiote.indexer import duck
from symbiote.indexer.errors import Interrupted, QueryError, SchemaMismatch, StoreError
from symbiote.indexer.schema import SCHEMA_VERSION
from symbiote.queries.gate import retried
from symbiote.queries.models import SqlResult
from symbiote.queries.options import SqlOptions

T = TypeVar("T")  # what a query through the gate gives
_HEX = re.compile(r"[0-9a-f]{4,64}")
_SANDBOX = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
    # DuckDB's default is 80 % of the machine's memory: a reader caps its buffers as an
    # owner's instance does (indexer.store.SERVED_MEMORY_LIMIT; a larger answer spills
    # or is an error, not gigabytes).
    "memory_limit": "256MB",
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
    _SHARED.add(path.resolve())


def is_shared(path: Path) -> bool:
    """Whether this process owns ``path`` (its readers use the owner's instance)."""
    return path.resolve() in _SHARED


def unshare(path: Path) -> None:
    """Readers of ``path`` open it read-only again (this process lets it go)."""
    _SHARED.discard(path.resolve())


def sha_list(values: list[str]) -> str:
    """A SQL literal ``['..', ..]::VARCHAR[]`` of git object ids, for
    ``list_contains(..., column)``: DuckDB pushes the constant filter into the table scan
    (so wide columns are read only for matching rows). Use it on a column with an ART
    index, where ``IN`` would look each id up and fetch its rows one by one
    (``code_symbols.blob``: 904 blobs 0.07 -> 4 s); elsewhere :func:`sha_in` is faster.
    Only hex ids are accepted."""
    return "[" + ",".join(f"'{v}'" for v in _hex_ids(values)) + "]::VARCHAR[]"


def sha_in(values: list[str]) -> str:
    """A SQL literal ``('..', ..)`` of git object ids, for ``column IN ...``.

    Inlined rather than bound (binding a Python list of thousands of strings costs more
    than the query). On a column without an ART index, DuckDB pushes a constant ``IN``
    filter into the table scan and tests it with a hash, where ``list_contains`` on a
    constant list compares each row with every element
    (sqlalchemy's references, 42 M rows: 904 blobs 0.43 -> 0.09 s, 5,000 blobs 2.3 ->
    0.15 s). Only hex ids are accepted; no ids give ``('')``, which matches no object.
    """
    return "(" + (",".join(f"'{v}'" for v in _hex_ids(values)) or "''") + ")"


def of_blobs(template: str, blobs: list[str], rows: str = "") -> str:
    """``template`` with its ``{blob_list}`` (:func:`sha_list`) or ``{blob_set}``
    (:func:`sha_in`) made the literal of ``blobs``, and its ``{rows}`` (if any) the
    condition ``rows`` (see :meth:`Reader.blob_table`)."""
    return template.format(blob_list=sha_list(blobs), blob_set=sha_in(blobs), rows=rows)


# DuckDB 1.5 filters `blob IN (hundreds of ids)` above its table scan (a mark join), so
# the scan decompresses every selected column of the whole table; a condition on rowid
# ranges is applied in the scan, which then reads only the row groups in range. A
# commit's rows sit in few row groups when its blobs were indexed together (a history is
# indexed newest first): sqlalchemy's references, 42 M rows, a recent tag's 462,000 in
# 30 of 335 row groups, read in 0.25 s (where they are) + 0.43 s against 1.54 s.
_ROW_GROUP = 122_880  # rows per row group (DuckDB's)
_MOST_RANGES = 16  # more ranges than this are merged (a UNION ALL branch each)
_MOST_SHARE = 0.5  # ranges holding more of the table than this: one scan is as cheap


def _ranges(con: duck.Connection, table: str, blobs: list[str]) -> list[tuple[int, int]] | None:
    """:func:`row_ranges` of the row groups of ``table`` that hold rows of ``blobs``."""
    groups = con.execute(
        f"SELECT rowid // {_ROW_GROUP} AS g, min(rowid), max(rowid) FROM {table} "
        f"WHERE blob IN {sha_in(blobs)} GROUP BY g ORDER BY g"
    ).fetchall()
    found = con.execute(
        "SELECT estimated_size FROM duckdb_tables() WHERE table_name = ?", [table]
    ).fetchone()
    return row_ranges(groups, int(found[0]) if found else 0)


def row_ranges(groups: list[tuple[int, int, int]], rows: int) -> list[tuple[int, int]] | None:
    """The rowid ranges, ``(first, last)``, to read of a table of ``rows`` rows whose
    row groups ``(group, first rowid, last rowid)`` (in group order) hold the rows
    wanted: adjacent groups make one range, the nearest ranges are merged down to
    :data:`_MOST_RANGES`; None when a scan of the whole table is as cheap."""
    ranges: list[tuple[int, int]] = []
    last = None
    for group, first, final in groups:
        if ranges and last is not None and group == last + 1:
            ranges[-1] = (ranges[-1][0], final)
        else:
            ranges.append((first, final))
        last = group
    while len(ranges) > _MOST_RANGES:
        k = min(range(len(ranges) - 1), key=lambda i: ranges[i + 1][0] - ranges[i][1])
        ranges[k : k + 2] = [(ranges[k][0], ranges[k + 1][1])]
    covered = sum(final - first + 1 for first, final in ranges)
    return ranges if ranges and covered <= _MOST_SHARE * rows else None


def _hex_ids(values: list[str]) -> list[str]:
    for value in values:
        if not _HEX.fullmatch(value):
            raise QueryError(f"not an object id: {value!r}")
    return values


def equals(column: str, value: str) -> tuple[str, list[Any]]:
    """The condition ``column = value`` and its parameters, for hot point lookups.

    The value is inlined as a quoted literal: a bound parameter costs DuckDB's Python
    client ~0.3 ms more per query (it probes for pandas and other types on every bind).
    A value with a NUL byte, which a literal cannot hold, is bound instead."""
    if "\0" in value:
        return f"{column} = ?", [value]
    return f"{column} = '" + value.replace("'", "''") + "'", []


@contextlib.contextmanager
def _together(con: duck.Connection) -> Iterator[None]:
    """Run a block's queries on ``con`` in one transaction: they read one state of the
    store (nothing is written; a failure rolls back)."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        with contextlib.suppress(Exception):
            con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


class Reader:
    """A read-only connection to a store."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise StoreError(f"no index at {path}; run `symbiote index` first")
        if path.resolve() in _SHARED:  # `symbiote serve`: the instance the writers use
            self.con = duck.connect(path)
        else:
            # Reads never touch files, URLs or settings: this makes `sql` safe. Passed at
            # connect time, so a second reader of the same file in this process (which
            # shares DuckDB's database instance) gets the same configuration.
            self.con = duck.connect(path, read_only=True, config=_SANDBOX)
        self.path = path
        self._cursor: duck.Connection | None = None  # the running `sql` query
        try:
            found = self.scalar("SELECT value FROM index_meta WHERE key = 'schema_version'")
            self.generation = self.current_generation()
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

    def current_generation(self) -> str:
        """What the snapshot caches of this store are keyed by: the store's generation
        (it changes whenever the indexer re-extracts blobs), with the time the store was
        made (so a store made anew at the same path does not read the old one's)."""
        rows = dict(
            self.rows("SELECT key, value FROM index_meta WHERE key IN ('generation', 'created_at')")
        )
        made = hashlib.sha256(str(rows.get("created_at", "")).encode()).hexdigest()[:8]
        return f"{made}.{rows.get('generation', '0')}"

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

    def _retried(self, work: Callable[[], T]) -> T:
        """``work()`` through the gate, with this reader's last try on one thread."""
        return retried(work, one_thread=self._one_thread)

    @contextlib.contextmanager
    def _one_thread(self) -> Iterator[bool]:
        """The instance's queries run on one thread while the block runs (see
        :func:`~symbiote.queries.gate.retried`); False where this connection may not
        change settings (a sandboxed reader) or the instance runs one thread already."""
        threads = duck.set_threads(self.con, 1)
        if threads is None or threads <= 1:
            yield False
            return
        try:
            yield True
        finally:
            duck.set_threads(self.con, threads)

    def rows(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        """All rows of a query."""

        def read() -> list[tuple[Any, ...]]:
            with duck.translated(StoreError, "index query failed"):
                return self.con.execute(sql, params or []).fetchall()

        return self._retried(read)

    def dicts(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        """All rows of a query as dicts keyed by column name."""

        def read() -> list[dict[str, Any]]:
            with duck.translated(StoreError, "index query failed"):
                cursor = self.con.execute(sql, params or [])
                names = [d[0] for d in cursor.description or []]
                return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

        return self._retried(read)

    def table(self, sql: str, params: list[Any] | None = None, *, apart: bool = False) -> pa.Table:
        """A query's result as an Arrow table; ``apart``: on a cursor of its own (from a
        thread beside the connection's other users)."""

        def read() -> pa.Table:
            with duck.translated(StoreError, "index query failed"):
                if not apart:
                    return self.con.execute(sql, params or []).to_arrow_table()
                with self.con.cursor() as cursor:
                    return cursor.execute(sql, params or []).to_arrow_table()

        return self._retried(read)

    def rows_together(self, queries: list[tuple[str, list[Any]]]) -> list[list[tuple[Any, ...]]]:
        """The rows of each query, all read from one state of the store (a transaction):
        for a question asked in parts (see ``history._rows_named``)."""

        def read() -> list[list[tuple[Any, ...]]]:
            with duck.translated(StoreError, "index query failed"), _together(self.con):
                return [self.con.execute(sql, params).fetchall() for sql, params in queries]

        return self._retried(read)

    def blob_table(
        self, template: str, blobs: list[str], *, table: str, alias: str, apart: bool = False
    ) -> pa.Table:
        """``template``'s rows of ``blobs`` (filled in by :func:`of_blobs`) from ``table``
        (``alias`` in the template), read from the row groups that hold them (its
        ``{rows}`` a condition on their rowids, a UNION ALL branch per range) where that
        is cheaper than a scan of the whole table (see :func:`row_ranges`); ``apart``: on
        a cursor of its own. Both steps read one snapshot of the store (a transaction)."""

        def read() -> pa.Table:
            with duck.translated(StoreError, "index query failed"):
                con = self.con.cursor() if apart else self.con
                try:
                    with _together(con):
                        ranges = _ranges(con, table, blobs)
                        sql = (
                            " UNION ALL ".join(
                                of_blobs(template, blobs, f" AND {alias}.rowid BETWEEN {a} AND {b}")
                                for a, b in ranges
                            )
                            if ranges is not None
                            else of_blobs(template, blobs)
                        )
                        return con.execute(sql).to_arrow_table()
                finally:
                    if apart:
                        con.close()

        return self._retried(read)

    def ranges(self, table: str, blobs: list[str]) -> list[tuple[int, int]] | None:
        """The rowid ranges :meth:`blob_table` reads of ``table`` for ``blobs`` (None: the
        whole table)."""

        def read() -> list[tuple[int, int]] | None:
            with duck.translated(StoreError, "index query failed"):
                return _ranges(self.con, table, blobs)

        return self._retried(read)

    def columns(self, sql: str, params: list[Any] | None = None) -> dict[str, list[Any]]:
        """A query's result as Python lists, one per column (fast for many rows)."""
        table = self.table(sql, params)
        return {name: table.column(name).to_pylist() for name in table.column_names}

    def sandboxed(self, query: str, params: list[Any], options: SqlOptions) -> SqlResult:
        """Run one user-supplied read-only statement (SELECT or EXPLAIN only), stopped
        after ``options.timeout`` seconds; rows are fetched in batches until
        ``options.limit`` rows or ``options.max_bytes`` bytes of values (as text), so
        memory stays bounded however large the result would be."""
        kinds = duck.statement_kinds(self.con, query)
        if len(kinds) != 1:
            raise QueryError(f"give exactly one SQL statement, not {len(kinds)}")
        if kinds[0] not in duck.READ_STATEMENTS:
            raise QueryError(f"only SELECT queries are allowed, not {kinds[0]}")
        return self._retried(lambda: self._sandboxed(query, params, options))

    def _sandboxed(self, query: str, params: list[Any], options: SqlOptions) -> SqlResult:
        cursor = self._cursor = self.con.cursor()
        timer = threading.Timer(options.timeout, cursor.interrupt)
        timer.start()
        rows: list[tuple[Any, ...]] = []
        size, truncated = 0, False
        try:
            with duck.translated(QueryError, "SQL failed"):
                cursor.execute(query, params)
                names = [d[0] for d in cursor.description or []]
                while not truncated:
                    batch = cursor.fetchmany(min(1000, options.limit - len(rows) + 1))
                    if not batch:
                        break
                    for row in batch:
                        size += sum(len(str(v)) for v in row) + len(row)
                        if len(rows) >= options.limit or (rows and size > options.max_bytes):
                            truncated = True
                            break
                        rows.append(row)
        except Interrupted as exc:
            raise Interrupted(f"SQL stopped after {options.timeout:g} s (the time limit)") from exc
        finally:
            timer.cancel()
            self._cursor = None
            cursor.close()
        return SqlResult(names, rows, truncated)

    def has_table(self, name: str) -> bool:
        """Whether the store has the table ``name`` (a store written by an earlier build
        of the current schema may lack one added since; its next index run adds it)."""
        found = self.scalar(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
        )
        return bool(found)

    def scalar(self, sql: str, params: list[Any] | None = None) -> Any:
        """The first column of the first row, or None."""
        rows = self.rows(sql, params)
        return rows[0][0] if rows else None
