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
earlier Parquet format are swept like those of another generation. The folder is bounded
(:data:`MAX_BYTES`): a save lets go of the commits used least recently.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from pathlib import Path

import pyarrow as pa

log = logging.getLogger(__name__)


# What the folder may hold: past it, a save deletes the files of the commits used least
# recently (never the one being saved). sqlalchemy's commits take ~53 MB each: ~40 of
# them; an agent stepping through history would otherwise fill the disk.
MAX_BYTES = 2 << 30


class SnapshotCache:
    """Arrow files keyed by commit, store generation and kind of rows."""

    def __init__(self, store: Path, generation: str, max_bytes: int = MAX_BYTES) -> None:
        self.folder = store.with_name(store.name + ".snapshots")
        self.generation = generation
        self.max_bytes = max_bytes
        self._swept = False  # the other generations' files are deleted at the first save

    def _path(self, commit: str, kind: str) -> Path:
        return self.folder / f"{commit}-{self.generation}-{kind}.arrow"

    def load(self, commit: str, kind: str, *, touch: bool = True) -> pa.Table | None:
        """The cached rows, as they were saved (memory-mapped), or None; ``touch``: mark
        the commit used (a look at a file that may not be used leaves it as it was)."""
        path = self._path(commit, kind)
        if not path.is_file():
            return None
        try:
            with pa.memory_map(str(path)) as source:
                table = pa.ipc.open_file(source).read_all()
            if touch:  # used now: the last commit to be let go
                with contextlib.suppress(OSError):
                    os.utime(path)
            return table
        except FileNotFoundError:  # let go by another process meanwhile
            return None
        except (OSError, pa.ArrowException) as exc:
            log.warning("ignoring unreadable snapshot cache %s: %s", path, exc)
            return None

    def holds(self, commit: str, kind: str) -> bool:
        """Whether the rows of ``kind`` of ``commit`` are cached (nothing is read)."""
        return self._path(commit, kind).is_file()

    def commits_with(self, kind: str) -> list[str]:
        """The commits whose rows of ``kind`` are cached, most recently used first."""
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
            self._bound(commit)
        except OSError as exc:
            log.info("snapshot cache not written (%s)", exc)

    def _bound(self, kept: str) -> None:
        """Delete the files of the least recently used commits (never ``kept``'s) until
        the folder holds at most :attr:`max_bytes`."""
        used: dict[str, int] = {}
        sizes: dict[str, int] = {}
        files: dict[str, list[Path]] = {}
        for path in self.folder.glob("*.arrow"):
            try:
                stat = path.stat()
            except OSError:  # let go by another process meanwhile
                continue
            commit = path.name.split("-", 1)[0]
            used[commit] = max(used.get(commit, 0), stat.st_mtime_ns)
            sizes[commit] = sizes.get(commit, 0) + stat.st_size
            files.setdefault(commit, []).append(path)
        total = sum(sizes.values())
        for commit in sorted(used, key=lambda c: (used[c], c)):
            if total <= self.max_bytes:
                break
            if commit == kept:
                continue
            for path in files[commit]:
                path.unlink(missing_ok=True)
            total -= sizes[commit]

    def _sweep(self) -> None:
        """Delete the files of other generations (dead: their readers reload)."""
        self._swept = True
        live = f"-{self.generation}-"
        for path in self.folder.iterdir():
            if path.suffix == ".tmp":  # another process's file being written
                continue
            if live not in path.name or path.suffix == ".parquet":
                path.unlink(missing_ok=True)
