"""Stores as an older schema made them, for the migration tests: a current store's
tables put back into their older shape."""

from __future__ import annotations

import duckdb


def references_as_schema_7(con: duckdb.DuckDBPyConnection) -> None:
    """``code_references`` as schemas 1-7 held it: the enclosing definition's name in a
    column, and every end stored (schema 8 keeps them only where the name does not
    give them)."""
    con.execute("ALTER TABLE code_references RENAME TO refs8")
    con.execute(
        "CREATE TABLE code_references AS SELECT r.blob, r.language, r.idx, r.name, r.kind, "
        "r.start_byte, coalesce(r.end_byte, r.start_byte + strlen(r.name)::INTEGER) "
        "AS end_byte, r.start_line, coalesce(r.end_line, r.start_line) AS end_line, "
        "r.start_col, coalesce(r.end_col, r.start_col + strlen(r.name)::INTEGER) AS end_col, "
        "s.qualified_name AS enclosing, r.enclosing_idx, r.context, r.arguments FROM refs8 r "
        "LEFT JOIN code_symbols s ON s.blob = r.blob AND s.language = r.language "
        "AND s.idx = r.enclosing_idx ORDER BY r.rowid"
    )
    con.execute("DROP TABLE refs8")
