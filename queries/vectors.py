"""Read access to the search sidecar (LanceDB), through its tables' Arrow copies.

The docs table becomes an inverted index (postings sorted by term id) and each model's
vectors a float32 matrix; :mod:`queries.search` ranks over the rows of one commit with
numpy, so the scope of a commit is applied before ranking and k-NN is exact. A table's
keys stay Arrow (looked up with Arrow's hash join, :func:`rows_of`), and a search reads
the vectors from the copy's file a block at a time (:class:`StoredMatrix`), so that
neither the keys as Python strings nor the mapped vectors stay in the process.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from symbiote.indexer import lance, sidecar_copy
from symbiote.indexer.errors import NotIndexed
from symbiote.indexer.searchtext import (
    DOCS_TABLE,
    VECTORS_PREFIX,
    critiques_table,
    vectors_table,
)
from symbiote.queries import arrowfn
from symbiote.queries.columns import Rowwise

FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class Docs:
    """The docs table as arrays: row i is content key ``keys[i]``."""

    # Arrow, not a Python list and dict (~7 MB for sqlalchemy's 54,000 rows).
    keys: pa.Array
    snippets: Sequence[str]  # made a str when read (a hit's): ~25 MB as a list on sqlalchemy
    lengths: npt.NDArray[np.float32]
    # The postings, sorted by term id: views of a memory-mapped file, of which a search
    # touches only its terms' pages (~25 MB held in memory on sqlalchemy before).
    terms: npt.NDArray[np.uint32]
    docs: npt.NDArray[np.int32]  # the doc row of each posting
    tf: npt.NDArray[np.float32]

    def postings(self, term: int) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]:
        """Doc rows containing ``term`` and its frequency in each."""
        lo = int(np.searchsorted(self.terms, term, side="left"))
        hi = int(np.searchsorted(self.terms, term, side="right"))
        return self.docs[lo:hi], self.tf[lo:hi]


# Rows of a vector matrix read from its file at a time (1.5 MB at 384 dimensions).
BLOCK_ROWS = 1024


class StoredMatrix:
    """A float32 matrix stored row after row in a file (a sidecar copy's vector column),
    read a block of rows at a time into memory of its own: a search over every row
    holds one block, not the file's pages (~50 MB mapped and resident for sqlalchemy's
    HEAD), for ~2 ms more a query. The file is opened once: a copy replaced meanwhile
    is still read whole."""

    def __init__(self, path: Path, offset: int, rows: int, dimension: int) -> None:
        self._fd = os.open(path, os.O_RDONLY)
        weakref.finalize(self, os.close, self._fd)
        self.offset, self.rows, self.dimension = offset, rows, dimension

    def blocks(self) -> Iterator[tuple[int, FloatArray]]:
        """``(first row, block)`` in order; each block is overwritten by the next."""
        buffer = np.empty((min(BLOCK_ROWS, self.rows), self.dimension), dtype=np.float32)
        row_bytes = self.dimension * 4
        for start in range(0, self.rows, BLOCK_ROWS):
            block = buffer[: min(BLOCK_ROWS, self.rows - start)]
            into = block.data.cast("B")
            done, at = 0, self.offset + start * row_bytes
            while done < len(into):
                got = os.preadv(self._fd, [into[done:]], at + done)
                if got <= 0:
                    raise NotIndexed(f"a search sidecar copy ends early ({at + done} bytes)")
                done += got
            yield start, block


@dataclass(frozen=True, slots=True)
class Vectors:
    """One model's vectors: row i is content key ``keys[i]``."""

    model_id: str
    keys: pa.Array  # Arrow, not a Python list and dict (~4 MB for 32,000 rows)
    # A view of the mapped copy when read from one (reading it makes its pages resident).
    matrix: FloatArray
    stored: StoredMatrix | None = None  # the same rows, read from the copy's file

    def dot(self, vector: FloatArray) -> FloatArray:
        """``matrix @ vector``, reading the matrix from its file when it has one."""
        if self.stored is None:
            out: FloatArray = self.matrix @ vector
            return out
        scores = np.empty(self.stored.rows, dtype=np.float32)
        for start, block in self.stored.blocks():
            np.dot(block, vector, out=scores[start : start + len(block)])
        return scores

    def take(self, rows: npt.NDArray[np.int64]) -> FloatArray:
        """A contiguous copy of ``matrix[rows]``, reading the matrix from its file when
        it has one."""
        if self.stored is None:
            return np.ascontiguousarray(self.matrix[rows])
        out = np.empty((len(rows), self.matrix.shape[1]), dtype=np.float32)
        order = np.argsort(rows, kind="stable")
        ordered = rows[order]
        for start, block in self.stored.blocks():
            lo, hi = np.searchsorted(ordered, [start, start + len(block)])
            out[order[lo:hi]] = block[ordered[lo:hi] - start]
        return out


def written(path: Path) -> tuple[tuple[str, int], ...]:
    """A stamp of the sidecar's writes, read from the file system alone: each table's
    version folder changes with every commit LanceDB makes (an add, a compaction)."""
    try:
        tables = sorted(p for p in path.iterdir() if p.suffix == ".lance")
    except OSError:
        return ()
    stamp = []
    for table in tables:
        try:
            stamp.append((table.name, (table / "_versions").stat().st_mtime_ns))
        except OSError:
            stamp.append((table.name, 0))
    return tuple(stamp)


class SidecarReader:
    """The sidecar beside a store; missing tables read as empty. Tables are read through
    their Arrow copies (:mod:`~symbiote.indexer.sidecar_copy`); LanceDB is opened only to make a
    copy of a table version no reader has copied yet."""

    def __init__(self, path: Path, persist: Callable[[], bool] | None = None) -> None:
        self.path = path
        # Whether a table read from LanceDB may be saved as its copy (default: always).
        self._persist = persist or (lambda: True)
        self._docs: Docs | None = None
        self._vectors: dict[str, Vectors] = {}
        self._db: Any = None

    def _read(self, name: str, columns: list[str]) -> pa.Table | None:
        """The columns of table ``name`` (with its schema metadata), or None if absent."""
        read = self._from_lance(name)
        data = sidecar_copy.load(self.path, name, read, persist=self._persist())
        return data.select(columns) if data is not None else None

    def _from_lance(self, name: str) -> Callable[[], pa.Table]:
        def read() -> pa.Table:
            if self._db is None:
                self._db = lance.connect(self.path)
            return lance.whole_table(self._db, name)

        return read

    def table_names(self) -> list[str]:
        """Tables present."""
        return sidecar_copy.tables(self.path)

    def models(self) -> list[str]:
        """Model ids that have vectors in the sidecar."""
        out = []
        for name in self.table_names():
            if name.startswith(VECTORS_PREFIX):
                model_id = self._model_of(name)
                if model_id is not None:
                    out.append(model_id)
        return sorted(out)

    def _model_of(self, name: str) -> str | None:
        data = self._read(name, ["key", "vector"])
        if data is None:
            return None
        meta = data.schema.metadata or {}
        return str(meta.get(b"model_id", name.encode()).decode())

    def has_vectors(self, model_id: str) -> bool:
        """Whether ``model_id`` has a vector table (loaded vectors answer from memory)."""
        return model_id in self._vectors or vectors_table(model_id) in self.table_names()

    def docs(self) -> Docs:
        """The docs table and its postings (loaded on first use)."""
        if self._docs is None:
            persist = self._persist()
            found = sidecar_copy.load_stamped(
                self.path, DOCS_TABLE, self._from_lance(DOCS_TABLE), persist=persist
            )
            if found is None or found[1].num_rows == 0:
                self._docs = _docs(None, None)
            else:
                postings = sidecar_copy.postings(self.path, DOCS_TABLE, found, persist=persist)
                self._docs = _docs(found[1], postings)
        return self._docs

    def vectors(self, model_id: str) -> Vectors:
        """The vectors of ``model_id``; NotIndexed when that model embedded nothing."""
        if model_id not in self._vectors:
            name = vectors_table(model_id)
            found = sidecar_copy.load_located(
                self.path, name, self._from_lance(name), persist=self._persist()
            )
            if found is None:
                present = ", ".join(self.models()) or "none"
                raise NotIndexed(
                    f"no vectors of model {model_id} in {self.path} (models present: {present}); "
                    "run `symbiote embed`"
                )
            _, data, located = found
            matrix = _matrix(data, data.schema.field("vector").type.list_size)
            stored = _stored(matrix, located)
            self._vectors[model_id] = Vectors(model_id, _keys(data), matrix, stored)
        return self._vectors[model_id]

    def critique_vectors(self, model_id: str) -> dict[str, npt.NDArray[np.float32]]:
        """Vectors of agent-log critiques by entry id (read fresh: the log grows)."""
        data = self._read(critiques_table(model_id), ["key", "vector"])
        if data is None:
            return {}
        matrix = _matrix(data, data.schema.field("vector").type.list_size)
        return dict(zip(data.column("key").to_pylist(), matrix, strict=True))


def _matrix(data: pa.Table, dim: int) -> npt.NDArray[np.float32]:
    """The vector column as a (rows, dim) float32 matrix: a view of the table's own
    memory when it is one chunk (a mapped copy's pages, which a search reads through
    :class:`StoredMatrix` instead), else a copy (~50 MB for sqlalchemy's HEAD)."""
    column = data.column("vector")
    chunk = column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()
    # The list's values by its offset (no vector is NULL): `flatten` would import
    # pyarrow.compute (~50 ms) on a cold search's path.
    flat = chunk.values.slice(chunk.offset * dim, len(chunk) * dim).to_numpy(zero_copy_only=False)
    return np.asarray(flat, dtype=np.float32).reshape(data.num_rows, dim)


def _stored(matrix: FloatArray, located: sidecar_copy.Located | None) -> StoredMatrix | None:
    """The matrix as rows of its copy's file, when it is a view of that file's mapping."""
    if located is None or not matrix.size or not matrix.flags.c_contiguous:
        return None
    offset = located.offset(matrix.ctypes.data)
    try:
        if offset < 0 or offset + matrix.nbytes > located.path.stat().st_size:
            return None
        return StoredMatrix(located.path, offset, matrix.shape[0], matrix.shape[1])
    except OSError:  # the copy was replaced meanwhile: read through the mapping
        return None


def _keys(data: pa.Table) -> pa.Array:
    column = data.column("key")
    return column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()


def rows_of(table_keys: pa.Array, keys: Sequence[str] | pa.Array) -> npt.NDArray[np.int64]:
    """The row of each of ``keys`` in a table whose rows have ``table_keys``, -1 where
    it has none; a key on two rows (which verify reports) is on the first."""
    if not len(keys):
        return np.zeros(0, dtype=np.int64)
    wanted = keys if isinstance(keys, pa.Array) else pa.array(keys, pa.string())
    found = arrowfn.index_in(arrowfn.cast(wanted, table_keys.type), table_keys)
    found = arrowfn.fill_null(found, pa.scalar(-1, found.type))
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=np.int64)


def _docs(data: pa.Table | None, postings: pa.Table | None) -> Docs:
    if data is None or data.num_rows == 0 or postings is None:
        return Docs(
            pa.array([], pa.string()),
            (),
            np.zeros(0, np.float32),
            np.zeros(0, np.uint32),
            np.zeros(0, np.int32),
            np.zeros(0, np.float32),
        )
    lengths = data.column("length").to_numpy().astype(np.float32)
    snippets = Rowwise(data.column("snippet").combine_chunks())
    terms, docs, tf = (_view(postings.column(name)) for name in ("term", "doc", "tf"))
    return Docs(_keys(data), snippets, lengths, terms, docs, tf)


def _view(column: pa.ChunkedArray) -> Any:
    """A numeric column as numpy, without a copy when it is one chunk (a mapped file's)."""
    chunk = column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()
    return chunk.to_numpy(zero_copy_only=False)
