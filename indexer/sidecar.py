"""The search sidecar: a LanceDB folder beside the DuckDB store (write side).

Layout (documented for users in ``docs/search-sidecar.md``):

- ``symbol_docs``: one row per content key (:func:`indexer.searchtext.content_key`):
  ``key``, ``path`` and ``qualified_name`` where it was first seen, ``snippet``, and its
  BM25 postings ``term_ids``/``term_tf`` with ``length``.
- ``vectors__<model>``: one row per content key embedded by that model: ``key``,
  ``vector``; the model id and dimension are kept in the schema metadata.

Write order: a batch's docs rows are committed before its vectors, so every vector has
its doc; a run killed between the two leaves docs without vectors, which the next run
embeds (it computes what is missing from what is committed). LanceDB commits each ``add``
atomically, so a kill never leaves half a batch.
"""

from __future__ import annotations

import functools
import logging
import threading
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from symbiote.indexer import lance, sidecar_copy
from symbiote.indexer.errors import StoreError
from symbiote.indexer.searchtext import DOCS_TABLE, table_names, vectors_table

log = logging.getLogger(__name__)

# One writer of a sidecar at a time within a process (embed runs, `verify --repair`): in
# `symbiote serve` they could run side by side, and two runs that each computed what is
# missing would both add it.
SIDECAR_WRITER = threading.Lock()

DOCS_SCHEMA = pa.schema(
    [
        pa.field("key", pa.string(), nullable=False),
        pa.field("path", pa.string(), nullable=False),
        pa.field("qualified_name", pa.string(), nullable=False),
        pa.field("snippet", pa.string(), nullable=False),
        pa.field("term_ids", pa.list_(pa.uint32()), nullable=False),
        pa.field("term_tf", pa.list_(pa.uint16()), nullable=False),
        pa.field("length", pa.int32(), nullable=False),
    ]
)


def vectors_schema(model_id: str, dimension: int) -> pa.Schema:
    """Schema of a model's vector table, recording the model in its metadata."""
    return pa.schema(
        [
            pa.field("key", pa.string(), nullable=False),
            pa.field("vector", pa.list_(pa.float32(), dimension), nullable=False),
        ],
        metadata={"model_id": model_id, "dimension": str(dimension)},
    )


class Sidecar:
    """Read-write access to a sidecar folder, created on first use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = lance.connect(path)
        with lance.translated(f"cannot open the search sidecar {path}"):
            self._docs = self._db.create_table(DOCS_TABLE, schema=DOCS_SCHEMA, exist_ok=True)

    def _vectors(self, model_id: str, dimension: int, name: str | None = None) -> Any:
        name = name or vectors_table(model_id)
        with lance.translated(f"cannot open vector table {name}"):
            table = self._db.create_table(
                name, schema=vectors_schema(model_id, dimension), exist_ok=True
            )
        found = table.schema.field("vector").type.list_size
        if found != dimension:
            raise StoreError(f"{name} holds {found}-d vectors; the model gives {dimension}-d")
        return table

    def doc_keys(self) -> set[str]:
        """Content keys that have a docs row."""
        return _keys(self._docs)

    def vector_keys(self, model_id: str, dimension: int, name: str | None = None) -> set[str]:
        """Content keys that have a vector of ``model_id`` (in table ``name``: by
        default, the definitions' table of the model)."""
        return _keys(self._vectors(model_id, dimension, name))

    def add_docs(self, rows: pa.Table) -> None:
        """Append docs rows (one LanceDB commit)."""
        if rows.num_rows:
            lance.guarded(
                lambda: self._docs.add(rows.cast(DOCS_SCHEMA)), "search sidecar: add docs failed"
            )

    def add_vectors(
        self, model_id: str, dimension: int, rows: pa.Table, name: str | None = None
    ) -> None:
        """Append vectors (one LanceDB commit)."""
        if rows.num_rows:
            table = self._vectors(model_id, dimension, name)
            lance.guarded(
                lambda: table.add(rows.cast(vectors_schema(model_id, dimension))),
                "search sidecar: add failed",
            )

    def tables(self) -> dict[str, Any]:
        """Every table of the sidecar by name."""
        names = lance.guarded(lambda: table_names(self._db), "search sidecar: list tables failed")
        return {name: self._db.open_table(name) for name in names}

    def keys_with_repeats(self, table: str) -> list[str]:
        """Every key of ``table``, one per row (duplicates show as repeats)."""
        handle = lance.guarded(
            lambda: self._db.open_table(table), "search sidecar: open table failed"
        )
        rows = lance.guarded(
            lambda: handle.search().select(["key"]).limit(None).to_arrow(),
            "search sidecar: read failed",
        )
        return [str(k) for k in rows.column("key").to_pylist()]

    def delete_keys(self, table: str, keys: list[str]) -> None:
        """Delete the rows of ``keys`` from ``table`` (repair)."""
        with lance.translated("search sidecar: delete failed"):
            handle = self._db.open_table(table)
            for start in range(0, len(keys), 500):
                chunk = ",".join(f"'{k}'" for k in keys[start : start + 500] if k.isalnum())
                if chunk:
                    handle.delete(f"key IN ({chunk})")

    def rows(self, table: str, keys: list[str]) -> pa.Table:
        """The rows of ``keys`` in ``table`` (archive)."""
        handle = lance.guarded(
            lambda: self._db.open_table(table), "search sidecar: open table failed"
        )
        rows = lance.guarded(lambda: handle.to_arrow(), "search sidecar: read failed")
        return rows.filter(pc.is_in(rows.column("key"), pa.array(keys, pa.string())))

    def add_rows(self, table: str, rows: pa.Table) -> None:
        """Append rows read back from an archive; the table is made with their schema."""
        if rows.num_rows == 0:
            return
        if table in self.tables():
            handle = lance.guarded(
                lambda: self._db.open_table(table), "search sidecar: open table failed"
            )
            lance.guarded(
                lambda: handle.add(rows.cast(handle.schema)), "search sidecar: add failed"
            )
        else:
            lance.guarded(
                lambda: self._db.create_table(table, data=rows),
                "search sidecar: create table failed",
            )

    def copy_tables(self) -> None:
        """Refresh the Arrow copies of the tables that searches read
        (:mod:`~symbiote.indexer.sidecar_copy`), and the docs table's postings."""
        for name in sidecar_copy.tables(self.path):
            read = functools.partial(lance.whole_table, self._db, name)
            found = sidecar_copy.load_stamped(self.path, name, read)
            if name == DOCS_TABLE and found is not None:
                sidecar_copy.postings(self.path, name, found)

    def compact(self) -> None:
        """Merge the small fragments each ``add`` leaves (readers keep working)."""
        for name, table in self.tables().items():
            try:
                table.optimize()
            except Exception as exc:  # compaction is an optimisation; report, go on
                log.warning("could not compact %s: %s", name, exc)


def _keys(table: Any) -> set[str]:
    rows = lance.guarded(
        lambda: table.search().select(["key"]).limit(None).to_arrow(),
        "search sidecar: read keys failed",
    )
    return set(rows.column("key").to_pylist())
