"""Stores as an older schema made them, for the migration tests: a current store's
tables put back into their older shape."""

from __future__ import annotations

import duckdb

from symbiote.indexer.schema import REFERENCE_ENDS


def references_as_schema_7(con: duckdb.DuckDBPyConnection) -> None:
    """``code_references`` as schemas 1-7 held it: the enclosing definition's name in a
    column, and every end stored (schema 8 keeps them only where the name does not
    give them)."""
    con.execute("ALTER TABLE code_references RENAME TO refs8")
    end = {column: f"{sql.format(a='r')} AS {column}" for column, sql in REFERENCE_ENDS.items()}
    con.execute(
        "CREATE TABLE code_references AS SELECT r.blob, r.language, r.idx, r.name, r.kind, "
        f"r.start_byte, {end['end_byte']}, r.start_line, {end['end_line']}, r.start_col, "
        f"{end['end_col']}, s.qualified_name AS enclosing, r.enclosing_idx, r.context, "
        "r.arguments FROM refs8 r LEFT JOIN code_symbols s ON s.blob = r.blob "
        "AND s.language = r.language AND s.idx = r.enclosing_idx ORDER BY r.rowid"
    )
    con.execute("DROP TABLE refs8")
