"""Read access to the search sidecar (LanceDB), loaded into memory once per process.

The docs table becomes an inverted index (postings sorted by term id) and each model's
vectors a float32 matrix; :mod:`queries.search` ranks over the rows of one commit with
numpy, so the scope of a commit is applied before ranking and k-NN is exact.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
from symbiote.queries.columns import Rowwise

FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class Docs:
    """The docs table as arrays: row i is content key ``keys[i]``."""

    keys: list[str]
    row_of: dict[str, int]
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


@dataclass(frozen=True, slots=True)
class Vectors:
    """One model's vectors: row i is content key ``keys[i]``."""

    model_id: str
    row_of: dict[str, int]
    matrix: FloatArray


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
            data = self._read(vectors_table(model_id), ["key", "vector"])
            if data is None:
                found = ", ".join(self.models()) or "none"
                raise NotIndexed(
                    f"no vectors of model {model_id} in {self.path} (models present: {found}); "
                    "run `symbiote embed`"
                )
            keys = data.column("key").to_pylist()
            matrix = _matrix(data, data.schema.field("vector").type.list_size)
            self._vectors[model_id] = Vectors(model_id, _first_rows(keys), matrix)
        return self._vectors[model_id]

    def critique_vectors(self, model_id: str) -> dict[str, npt.NDArray[np.float32]]:
        """Vectors of agent-log critiques by entry id (read fresh: the log grows)."""
        data = self._read(critiques_table(model_id), ["key", "vector"])
        if data is None:
            return {}
        matrix = _matrix(data, data.schema.field("vector").type.list_size)
        return dict(zip(data.column("key").to_pylist(), matrix, strict=True))


def _matrix(data: pa.Table, dim: int) -> npt.NDArray[np.float32]:
    flat = data.column("vector").combine_chunks().flatten().to_numpy(zero_copy_only=False)
    return np.asarray(flat, dtype=np.float32).reshape(data.num_rows, dim)


def _first_rows(keys: list[str]) -> dict[str, int]:
    row_of: dict[str, int] = {}
    for i, key in enumerate(keys):
        row_of.setdefault(key, i)  # a duplicate (which verify reports) is never used
    return row_of


def _docs(data: pa.Table | None, postings: pa.Table | None) -> Docs:
    if data is None or data.num_rows == 0 or postings is None:
        return Docs(
            [],
            {},
            (),
            np.zeros(0, np.float32),
            np.zeros(0, np.uint32),
            np.zeros(0, np.int32),
            np.zeros(0, np.float32),
        )
    keys = data.column("key").to_pylist()
    lengths = data.column("length").to_numpy().astype(np.float32)
    snippets = Rowwise(data.column("snippet").combine_chunks())
    terms, docs, tf = (_view(postings.column(name)) for name in ("term", "doc", "tf"))
    return Docs(keys, _first_rows(keys), snippets, lengths, terms, docs, tf)


def _view(column: pa.ChunkedArray) -> Any:
    """A numeric column as numpy, without a copy when it is one chunk (a mapped file's)."""
    chunk = column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()
    return chunk.to_numpy(zero_copy_only=False)
