"""Tables that still hold the rows a DELETE left, rewritten without them.

DuckDB reclaims deleted rows at a checkpoint only in tables without an index (an ART
index's row ids must stay put), so after a run replaced many blobs' rows (a
re-extraction after a pattern or extractor change, objects found again) or
``symbiote archive`` deleted commits, ``code_symbols`` (two indexes) and ``blobs`` (its
primary key) kept every deleted row, and every scan of them read those too. Measured on
sqlalchemy's 10,000-commit store after one extractor change had replaced its 22,000
Python blobs: ``code_symbols`` held 10.5 M rows of which 5.3 M were live, and loading
HEAD's definitions took 1.5 s; rewritten (18 s, ~840 MB at a 512 MB DuckDB limit), 0.5 s.

Every index run and ``symbiote archive`` look. A table is rewritten when its deleted
rows are at least :data:`SHARE` of its live ones
(and :data:`MIN_DELETED`): into a new table made from its own DDL (constraints
included), then swapped for it and its indexes made again, all in one transaction, so a
run killed meanwhile leaves the table as it was.
"""

from __future__ import annotations

import logging
import re

from symbiote.indexer.errors import StoreError
from symbiote.indexer.store import Store
from symbiote.indexer.store_schema import INDEXES, TABLES

log = logging.getLogger(__name__)

SHARE = 0.25  # deleted rows per live row that make a rewrite worth its cost
MIN_DELETED = 1_000


# Tables another one's foreign key names cannot be dropped and made again (`commits`,
# the agent log's): they keep their deleted rows.
_REFERENCED = frozenset(m.group(1) for ddl in TABLES for m in re.finditer(r"REFERENCES (\w+)", ddl))


def _ddl(table: str) -> str | None:
    """The CREATE statement of ``table`` among the schema's tables, if it can be made
    again."""
    if table in _REFERENCED:
        return None
    pattern = re.compile(rf"CREATE TABLE IF NOT EXISTS {re.escape(table)}\s*\(")
    return next((ddl for ddl in TABLES if pattern.search(ddl)), None)


def deleted_rows(store: Store, table: str) -> tuple[int, int]:
    """The deleted rows ``table`` still holds, and its live rows."""
    held = store.rows(
        "SELECT estimated_size FROM duckdb_tables() WHERE table_name = ? AND schema_name = 'main'",
        [table],
    )
    live = int(store.rows(f"SELECT count(*) FROM {table}")[0][0])
    return max(0, int(held[0][0] or 0) - live) if held else 0, live


def compact(store: Store) -> list[str]:
    """Rewrite the schema's tables holding many deleted rows; the names rewritten. Cheap
    when there is nothing to do (~30 ms on a 4 GB store: counts only). A rewrite that
    fails (a full disk) is rolled back and reported; the next run tries again."""
    rewritten = []
    for (table,) in store.rows(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' ORDER BY table_name"
    ):
        ddl = _ddl(str(table))
        if ddl is None:
            continue
        deleted, live = deleted_rows(store, str(table))
        if deleted >= max(MIN_DELETED, SHARE * live):
            log.info("rewriting %s without its %d deleted rows (%d live)", table, deleted, live)
            try:
                _rewrite(store, str(table), ddl)
            except StoreError as exc:
                log.warning("%s keeps its deleted rows for now: %s", table, exc)
                continue
            rewritten.append(str(table))
    return rewritten


def _rewrite(store: Store, table: str, ddl: str) -> None:
    fresh = f"{table}__compacted"
    made = ddl.replace(f"IF NOT EXISTS {table}", fresh, 1)
    with store.transaction():
        store.execute(f"DROP TABLE IF EXISTS {fresh}")
        store.execute(made)
        columns = ", ".join(
            str(name)
            for (name,) in store.rows(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = ? "
                "AND schema_name = 'main' ORDER BY column_index",
                [fresh],
            )
        )
        store.execute(f"INSERT INTO {fresh} ({columns}) SELECT {columns} FROM {table}")
        store.execute(f"DROP TABLE {table}")
        store.execute(f"ALTER TABLE {fresh} RENAME TO {table}")
        for index in INDEXES:
            if f" ON {table}(" in index:
                store.execute(index)
        # Row ids changed: snapshots cached with the old ones (their `store_row` orders a
        # commit's rows made from another's) belong to the past generation.
        store.retire_snapshots()
