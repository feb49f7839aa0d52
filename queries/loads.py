"""What a snapshot reads from the store: the queries of a commit's tables (its
files, definitions, references and bindings), and how their rows are read."""

from __future__ import annotations

import pyarrow as pa

from symbiote.indexer.schema import REFERENCE_ENDS
from symbiote.queries.reader import Reader, of_blobs

# Rows of the blobs a commit holds: definitions by a constant list on their indexed blob
# column (see reader.sha_list); references and bindings by a hashed `IN` list (sha_in),
# read from the row groups that hold them (blob_rows).
SYMBOL_SQL = """
    SELECT s.blob, s.language, s.name, s.qualified_name, s.kind, s.parent,
           s.start_line, s.end_line, s.start_col, s.end_col, s.start_byte, s.end_byte,
           s.signature, s.docstring, s.body_hash, s.type, s.idx, s.parent_idx,
           s.name_line, s.name_col, s.sketch, s.rowid AS store_row
      FROM code_symbols s WHERE list_contains({blob_list}, s.blob)
"""
BINDING_SQL = """
    SELECT g.blob, g.language, g.name, g.kind, g.type, g.value, g.context, g.scope_idx,
           g.start_byte, g.end_byte, g.line, g.col, g.rowid AS store_row
      FROM code_bindings g WHERE g.blob IN {blob_set}{rows}
"""
REFERENCE_SQL = (
    """
    SELECT r.blob, r.language, r.name, r.kind, r.start_line, r.start_col,
           {end_line} AS end_line, {end_col} AS end_col, r.start_byte,
           {end_byte} AS end_byte, r.enclosing_idx, r.context, r.arguments,
           r.rowid AS store_row
      FROM code_references r WHERE r.blob IN {{blob_set}}{{rows}}
"""
).format(**{column: sql.format(a="r") for column, sql in REFERENCE_ENDS.items()})
# The tables of the queries whose rows are read by row group (see blob_rows), with
# their alias there.
_RANGED = {BINDING_SQL: ("code_bindings", "g"), REFERENCE_SQL: ("code_references", "r")}
FILES_SQL = "SELECT path, blob, language FROM files_at(?, repo := ?)"
# Text columns kept dictionary-encoded (few distinct values, hundreds of thousands of rows).
REFERENCE_TEXTS = ("blob", "language", "name", "kind", "enclosing", "context")
BINDING_TEXTS = ("blob", "language", "name", "kind", "type", "value", "context")


def blob_rows(reader: Reader, template: str, blobs: list[str], apart: bool) -> pa.Table:
    """``template``'s rows of ``blobs`` from the store (references and bindings read by
    row group, see :meth:`Reader.blob_table`); ``apart``: on a cursor of its own."""
    if template in _RANGED:
        table, alias = _RANGED[template]
        return reader.blob_table(template, blobs, table=table, alias=alias, apart=apart)
    return reader.table(of_blobs(template, blobs), [], apart=apart)
