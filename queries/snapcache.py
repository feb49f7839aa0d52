"""An on-disk cache of commit snapshots, as Arrow files beside the store.

Loading a commit's definitions and references from a store with a long history means
scanning tables of millions of rows; the result for one commit never changes while the
store's extractions do not. So the first load of a commit writes its rows to
``<store>.snapshots/<commit>-<generation>-<kind>.arrow`` and later loads (another CLI
call, another agent) map that file instead: Arrow's IPC file format, uncompressed, so a
load reads nothing until a column is used and copies nothing (a Parquet file of
sqlalchemy's HEAD references took 0.45 s to decompress and decode; mapping it takes
milliseconds). ``generation`` changes whenever the
indexer re-extracts blobs (and differs between stores made at the same path: see
``Reader.current_generation``), which retires every older file: the first save of a
generation deletes the files of the others, so the folder holds only the live one. A
cache that cannot be written (read-only disk) is skipped, never an error. Files of the
earlier Parquet format are swept like those of another generation.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

import pyarrow as pa

log = logging.getLogger(__name__)


class SnapshotCache:
    """Parquet files keyed by commit, store generation and kind of rows."""

    def __init__(self, store: Path, generation: str) -> None:
        self.folder = store.with_name(store.name + ".snapshots")
        self.generation = generation
        self._swept = False  # the other generations' files are deleted at the first save

    def _path(self, commit: str, kind: str) -> Path:
        return self.folder / f"{commit}-{self.generation}-{kind}.arrow"

    def load(self, commit: str, kind: str) -> pa.Table | None:
        """The cached rows, as they were saved (memory-mapped), or None."""
        path = self._path(commit, kind)
        if not path.is_file():
            return None
        try:
            with pa.memory_map(str(path)) as source:
                return pa.ipc.open_file(source).read_all()
        except (OSError, pa.ArrowException) as exc:
            log.warning("ignoring unreadable snapshot cache %s: %s", path, exc)
            return None

    def commits_with(self, kind: str) -> list[str]:
        """The commits whose rows of ``kind`` are cached, most recently saved first."""
        try:
            found = [
                (path.stat().st_mtime_ns, path.name.split("-", 1)[0])
                for path in self.folder.glob(f"*-{self.generation}-{kind}.arrow")
            ]
        except OSError:
            return []
        return [commit for _, commit in sorted(found, reverse=True)]

    def save(self, commit: str, kind: str, table: pa.Table) -> None:
        """Store rows atomically (write a temp file, then rename)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            os.close(handle)
            with pa.OSFile(temp, "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
                writer.write_table(table)
            os.replace(temp, self._path(commit, kind))
            if not self._swept:
                self._sweep()
        except OSError as exc:
            log.info("snapshot cache not written (%s)", exc)

    def _sweep(self) -> None:
        """Delete the files of other generations (dead: their readers reload)."""
        self._swept = True
        live = f"-{self.generation}-"
        for path in self.folder.iterdir():
            if path.suffix == ".tmp":  # another process's file being written
                continue
            if live not in path.name or path.suffix == ".parquet":
                path.unlink(missing_ok=True)
