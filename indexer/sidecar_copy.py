"""Arrow copies of the search sidecar's tables, read without importing lancedb.

lancedb takes 1.5–2 s to import, more than a whole cold ``search --mode text`` may cost,
and a search reads whole tables anyway. So each table version is copied once to
``<sidecar>.cache/<table>.<stamp>.arrow`` (Arrow IPC, one record batch): by the embedding
job when it has written (:meth:`~symbiote.indexer.sidecar.Sidecar.copy_tables`), or by
the first reader of a version nobody copied while no job writes; readers
(:mod:`symbiote.queries.vectors`) memory-map the copy. The module imports nothing of the
writer, so the read side may use it.

``stamp`` names the table's newest LanceDB version and when its manifest was written,
read from the table's ``_versions`` folder on the file system: every LanceDB commit (an
add, a delete, a compaction) writes a new manifest, so a reader knows without lancedb
whether a copy is current, and a table made again at the same path (a rebuilt store)
never matches an old copy. The stamp is read before the table, so a copy is never
labelled newer than its rows; a writer racing the copy at worst makes the next reader
copy again. Writing is atomic (temp file, then rename) and the older copies of the table
are deleted; a copy that cannot be written (read-only disk) is skipped, never an error.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

log = logging.getLogger(__name__)

# LanceDB's V2 manifest names count down from the largest u64 so that the newest sorts
# first; V1 names count up.
_U64_MAX = 2**64 - 1
_V2_FLOOR = 2**63
# A temp file older than this was left by a killed writer.
_ORPHAN_AGE_S = 600


def tables(sidecar: Path) -> list[str]:
    """Names of the tables in the sidecar folder that have a committed version."""
    try:
        entries = sorted(sidecar.iterdir())
    except OSError:
        return []
    return [p.name[: -len(".lance")] for p in entries if p.suffix == ".lance" and stamp(p)]


def stamp(table_dir: Path) -> str | None:
    """``<version>-<mtime ns>`` of the table's newest manifest, or None if it has none."""
    newest: tuple[int, Path] | None = None
    try:
        names = os.listdir(table_dir / "_versions")
    except OSError:
        return None
    for name in names:
        number, dot, suffix = name.partition(".")
        if suffix != "manifest" or not dot or not number.isdigit():
            continue
        value = int(number)
        version = _U64_MAX - value if value >= _V2_FLOOR else value
        if newest is None or version > newest[0]:
            newest = (version, table_dir / "_versions" / name)
    if newest is None:
        return None
    try:
        return f"{newest[0]}-{newest[1].stat().st_mtime_ns}"
    except OSError:
        return None


def load(
    sidecar: Path, table: str, read: Callable[[], pa.Table], *, persist: bool = True
) -> pa.Table | None:
    """The whole table: the copy of its newest version, or ``read()`` (which reads it
    from LanceDB, schema metadata included) saved as that copy unless not ``persist``
    (an embedding job is writing: its versions come and go, and it copies its last one
    itself). None when the table has no version."""
    found = load_stamped(sidecar, table, read, persist=persist)
    return None if found is None else found[1]


def load_stamped(
    sidecar: Path, table: str, read: Callable[[], pa.Table], *, persist: bool = True
) -> tuple[str, pa.Table] | None:
    """:func:`load`, with the stamp the rows are labelled with (see :func:`postings`)."""
    found = load_located(sidecar, table, read, persist=persist)
    return None if found is None else (found[0], found[1])


@dataclass(frozen=True, slots=True)
class Located:
    """Where a table read from its copy lies: the copy file, and the address that file
    is mapped at. A buffer of the table lies at ``address - mapped_at`` in the file, so
    a reader may read it from the file a block at a time instead of through the
    mapping, whose pages stay resident in the process once read."""

    path: Path
    mapped_at: int

    def offset(self, address: int) -> int:
        """The file offset of the buffer at ``address``."""
        return address - self.mapped_at


def load_located(
    sidecar: Path, table: str, read: Callable[[], pa.Table], *, persist: bool = True
) -> tuple[str, pa.Table, Located | None] | None:
    """:func:`load_stamped`, and where the rows lie when they are the copy's (None when
    they were read from LanceDB)."""
    current = stamp(sidecar / f"{table}.lance")
    if current is None:
        return None
    folder = sidecar.with_name(sidecar.name + ".cache")
    path = folder / f"{table}.{current}.arrow"
    mapped = _mapped_at(path)
    if mapped is not None:
        return current, mapped[0], Located(path, mapped[1])
    data = read()
    if persist:
        _save(folder, table, path, data)
    return current, data, None


def postings(
    sidecar: Path, table: str, source: tuple[str, pa.Table], *, persist: bool = True
) -> pa.Table:
    """The inverted index of docs table ``table``: one row per (term, doc row) with the
    term's frequency there, sorted by term (doc rows ascending within a term). It is
    made from the rows ``source`` holds (a stamp and the rows labelled with it, from
    :func:`load_stamped`), so it always agrees with them, and kept like a copy, as
    ``<table>.postings.<stamp>.arrow``, memory-mapped: a search touches only its terms'
    pages instead of holding every posting in memory. Not saved unless ``persist``."""
    current, rows = source
    folder = sidecar.with_name(sidecar.name + ".cache")
    path = folder / f"{table}.postings.{current}.arrow"
    ids = rows.column("term_ids")
    # Each chunk's values by its offsets: Arrow's compute functions would import
    # pyarrow.compute (~50 ms) on a cold search's path.
    expected = sum(int(c.offsets[-1].as_py()) - int(c.offsets[0].as_py()) for c in ids.chunks)
    mapped = _mapped(path)
    if mapped is not None and mapped.num_rows == expected:
        return mapped
    flat = ids.combine_chunks()
    terms = flat.flatten().to_numpy(zero_copy_only=False).astype(np.uint32)
    lengths = np.diff(flat.offsets.to_numpy())
    doc = np.repeat(np.arange(rows.num_rows, dtype=np.int32), lengths)
    tf = rows.column("term_tf").combine_chunks().flatten().to_numpy(zero_copy_only=False)
    order = np.argsort(terms, kind="stable")
    made = pa.table({"term": terms[order], "doc": doc[order], "tf": tf.astype(np.float32)[order]})
    if not persist:
        return made
    _save(folder, f"{table}.postings", path, made)
    return _mapped(path) or made


def _mapped(path: Path) -> pa.Table | None:
    found = _mapped_at(path)
    return None if found is None else found[0]


def _mapped_at(path: Path) -> tuple[pa.Table, int] | None:
    """The table in the file ``path``, memory-mapped, and the address of the mapping."""
    if not path.is_file():
        return None
    try:
        with pa.memory_map(str(path)) as source:
            at = source.read_buffer(1).address  # a view of the mapping's first byte
            source.seek(0)
            return pa.ipc.open_file(source).read_all(), at
    except (OSError, pa.ArrowException) as exc:
        log.warning("ignoring unreadable search sidecar copy %s: %s", path, exc)
        return None


def _save(folder: Path, table: str, path: Path, data: pa.Table) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        os.close(handle)
        batch = data.combine_chunks()
        with pa.OSFile(temp, "wb") as sink, pa.ipc.new_file(sink, batch.schema) as writer:
            writer.write_table(batch, max_chunksize=max(batch.num_rows, 1))
        os.replace(temp, path)
        for old in folder.glob(f"{table}.*.arrow"):
            if old != path and old.name[len(table) + 1 :].count(".") == 1:
                old.unlink(missing_ok=True)
        for orphan in folder.glob("*.tmp"):  # left by a killed writer
            if time.time() - orphan.stat().st_mtime > _ORPHAN_AGE_S:
                orphan.unlink(missing_ok=True)
    except OSError as exc:
        log.info("search sidecar copy not written (%s)", exc)
