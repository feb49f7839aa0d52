"""The working tree as a revision, the write side's half: which files differ from HEAD,
their content addressed as git would address it, and their extraction on demand (the
read side lays them over HEAD's snapshot: :mod:`symbiote.queries.worktree`).

``git status --porcelain=v2 -z --untracked-files=all --no-renames`` lists the paths that
may differ from HEAD: modified, added and deleted files, staged or not, and untracked
files git does not ignore. It runs without optional locks (it never writes the index)
and without the fsmonitor hook; submodules are left out. Each path is then read from
disk: a file present is addressed by the sha ``git hash-object`` gives it (sha1 of
``blob <size>\\0`` + its bytes, no filters), a symlink by its target; a path that is gone
is deleted. A rename is a deletion and an addition.

A watch of the working tree (:mod:`symbiote.indexer.fswatch`, inotify) tells when
nothing changed since the last scan: the scan's answer is then given again, without
running git (asking again costs microseconds, not a ``git status``).

Extractions (the indexer's :func:`~symbiote.indexer.extract.extract`, the same as an
index run's) are cached by blob, language, extractor version and patterns digest: in
memory for the life of the :class:`WorktreeReader` (an owner keeps one per repository),
and as one JSON file per blob in ``<store>.worktree/`` so that another process parses
nothing either. That folder keeps at most :data:`MAX_CACHED` files (the least recently
used go first); a cache file that cannot be written or read is skipped, never an error.
Nothing here writes the store.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import stat
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from symbiote.indexer import catalog, sidecar_files
from symbiote.indexer.batches import BlobRows
from symbiote.indexer.bindings import Binding
from symbiote.indexer.errors import RepositoryError
from symbiote.indexer.extract import (
    EXTRACTOR_VERSION,
    Definition,
    Extraction,
    Limits,
    ReferenceRow,
    extract,
)
from symbiote.indexer.fswatch import TreeWatch
from symbiote.indexer.gitrepo import GitRepository
from symbiote.indexer.languages import LINK_LANGUAGE, SIDECAR, is_supported, language_for_path
from symbiote.indexer.schema import STATUS_FAILED, STATUS_SYMLINK, STATUS_TOO_LARGE
from symbiote.indexer.sidecar_files import Note

log = logging.getLogger(__name__)

MAX_CACHED = 2000  # extraction files kept in <store>.worktree/
MAX_KEPT = 4000  # contents of scanned files kept in memory (for search texts)
CACHE_SUFFIX = ".worktree"  # the cache folder is the store's path plus this
TABLES = ("blobs", "symbols", "references", "notes", "bindings")


def git_blob_sha(data: bytes) -> str:
    """The sha git gives ``data`` as a blob (``git hash-object``, without filters)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def cache_folder(store: Path) -> Path:
    """Where the extractions of working-tree files are cached for ``store``."""
    return store.with_name(store.name + CACHE_SUFFIX)


@dataclass(frozen=True, slots=True)
class WorktreeFile:
    """A file of the working tree that differs from HEAD, as it is now."""

    blob: str  # the sha git would give it
    language: str  # by its name, as for tree entries (symlinks: LINK_LANGUAGE)
    data: bytes  # its content (a symlink's: the target); empty when not kept (below)
    size: int  # its length in bytes


class WorktreeReader:
    """The working tree of one repository: :meth:`changes` lists what differs from HEAD,
    :meth:`tables` extracts it (cached). ``parsed`` counts the extractions run (cache
    hits are not counted): asking twice about the same content leaves it unchanged."""

    def __init__(
        self,
        repo: str | os.PathLike[str],
        cache: Path | None = None,
        limits: Limits | None = None,
        *,
        watch: bool = True,
    ) -> None:
        self.repo = Path(repo)
        self.cache = cache
        self.limits = limits or Limits()
        self.parsed = 0
        self.scans = 0  # git status runs (a watched tree that did not change runs none)
        self._memory: dict[tuple[str, str], Extraction] = {}
        self._files: dict[str, WorktreeFile] = {}  # by blob, from the last scans
        self._pruned = False  # the cache folder is trimmed at the first save
        self._repository: GitRepository | None = None  # opened on first use, kept
        self._lock = threading.Lock()
        self._watch: TreeWatch | None = None  # started on first use, when ``watch``
        self._watching = watch
        self._moves = 0  # times the watch saw a change (or could not tell)
        # The last answer of changes(), and the count of moves when its status began.
        self._last: tuple[int, str | None, dict[str, tuple[str, str] | None]] | None = None

    def _git(self) -> GitRepository:
        with self._lock:
            if self._repository is None:
                self._repository = GitRepository(self.repo)
            return self._repository

    def close(self) -> None:
        """Stop the git processes the reader keeps, and its watch."""
        with self._lock:
            if self._watch is not None:
                self._watch.close()
                self._watch = None
            if self._repository is not None:
                self._repository.close()
                self._repository = None

    # ---- what differs

    def changes(self) -> tuple[str | None, dict[str, tuple[str, str] | None]]:
        """``(HEAD's commit or None when unborn, {path: (blob, language) or None when
        deleted})`` for every path git status lists: the last answer again when the
        watch saw nothing change since (:mod:`symbiote.indexer.fswatch`)."""
        git = self._git()
        with self._lock:
            if self._watch is None and self._watching:
                try:
                    self._watch = TreeWatch(git.root, *git.watched())
                except RepositoryError as exc:  # scan every time, as without a watch
                    log.info("no watch of %s: %s", git.root, exc)
                    self._watching = False
            if self._watch is None or self._watch.changed():
                self._moves += 1
            moves, last = self._moves, self._last
        if last is not None and last[0] == moves:  # nothing moved since its status began
            return last[1], dict(last[2])
        base, listed = parse_status(git.status())
        self.scans += 1
        root = git.root
        files: dict[str, WorktreeFile] = {}
        out: dict[str, tuple[str, str] | None] = {}
        for raw in listed:
            path = raw.decode("utf-8", errors="backslashreplace")
            found = _read(root, raw, path, self.limits.max_bytes)
            out[path] = (found.blob, found.language) if found is not None else None
            if found is not None:
                files[found.blob] = found
        # Kept with the previous scans' (another call on another thread may still ask
        # for them), until they grow past a bound.
        if len(self._files) + len(files) > MAX_KEPT:
            self._files = {}
        self._files.update(files)
        with self._lock:
            if self._last is None or self._last[0] < moves:
                self._last = (moves, base, dict(out))
        return base, out

    def text(self, blob: str) -> bytes | None:
        """The content of a blob a recent :meth:`changes` read, or None."""
        found = self._files.get(blob)
        return found.data if found is not None else None

    # ---- what it holds

    def tables(self, wanted: Sequence[tuple[str, str]]) -> dict[str, pa.Table]:
        """The rows of the ``(blob, language)`` pairs the last :meth:`changes` read, as
        the store's tables hold them (:data:`TABLES`), extracted or taken from the cache."""
        rows = BlobRows()
        for blob, language in wanted:
            found = self._files.get(blob)
            if found is None:
                raise RepositoryError(f"blob {blob} is not a working-tree file of {self.repo}")
            extraction = self._extraction(found, language)
            rows.add(blob, language, found.size, extraction, None)
        return dict(zip(TABLES, rows.tables(), strict=True))

    def _extraction(self, file: WorktreeFile, language: str) -> Extraction:
        key = (file.blob, language)
        found = self._memory.get(key)
        if found is None:
            found = self._load(file.blob, language)
        if found is None:
            self.parsed += 1
            found = self._extract(file, language)
            self._save(file.blob, language, found)
        self._memory[key] = found
        return found

    def _extract(self, file: WorktreeFile, language: str) -> Extraction:
        if file.size > self.limits.max_bytes and language != LINK_LANGUAGE:
            return Extraction(
                STATUS_TOO_LARGE, f"{file.size} bytes > limit {self.limits.max_bytes}"
            )
        if language == LINK_LANGUAGE:
            target = file.data.decode("utf-8", errors="backslashreplace")
            return Extraction(STATUS_SYMLINK, f"symlink to {target[:500]}")
        if language == SIDECAR:
            status, detail, notes = sidecar_files.read(file.data)
            return Extraction(status, detail, notes=notes)
        try:
            return extract(language, file.data if is_supported(language) else b"", self.limits)
        except RecursionError as exc:
            return Extraction(STATUS_FAILED, f"{type(exc).__name__}: {exc}")

    # ---- the cache files

    def _cache_file(self, blob: str, language: str) -> Path | None:
        if self.cache is None:
            return None
        digest = catalog.blob_digest(language) if is_supported(language) else ""
        tag = hashlib.sha256(f"{EXTRACTOR_VERSION}/{digest}".encode()).hexdigest()[:12]
        safe = language.replace("/", "_")
        return self.cache / f"{blob}-{safe}-{tag}.json"

    def _load(self, blob: str, language: str) -> Extraction | None:
        path = self._cache_file(blob, language)
        if path is None or not path.is_file():
            return None
        try:
            data = json.loads(path.read_text("utf-8"))
            os.utime(path)  # recently used: kept longest
            return Extraction(
                data["status"],
                data["detail"],
                [Definition(*row) for row in data["definitions"]],
                [ReferenceRow(*row) for row in data["references"]],
                [Note(*row) for row in data["notes"]],
                [Binding(*row) for row in data["bindings"]],
                data["lines"],
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("ignoring unreadable working-tree cache file %s: %s", path, exc)
            return None

    def _save(self, blob: str, language: str, extraction: Extraction) -> None:
        path = self._cache_file(blob, language)
        if path is None:
            return
        document = {
            "status": extraction.status,
            "detail": extraction.detail,
            "definitions": extraction.definitions,
            "references": extraction.references,
            "notes": extraction.notes,
            "bindings": extraction.bindings,
            "lines": extraction.lines,
        }
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(document, out, separators=(",", ":"))
            os.replace(temp, path)
            if not self._pruned:
                self._pruned = True
                _prune(path.parent)
        except OSError as exc:
            log.info("working-tree cache not written (%s)", exc)


# Fields before the path in each entry of ``git status --porcelain=v2 -z`` (ordinary,
# unmerged, untracked); renames are off, so there are no two-path entries.
_FIELDS = {b"1": 8, b"u": 10, b"?": 1}
_HEAD = b"# branch.oid "


def parse_status(out: bytes) -> tuple[str | None, list[bytes]]:
    """HEAD's commit (None when unborn) and the paths, raw, of ``git status
    --porcelain=v2 -z --branch --no-renames`` output."""
    entries = out.split(b"\0")
    head = next((e[len(_HEAD) :].decode() for e in entries if e.startswith(_HEAD)), None)
    paths = [e.split(b" ", _FIELDS[e[:1]])[-1] for e in entries if e[:1] in _FIELDS]
    return (head if head and head != "(initial)" else None), paths


def _read(root: Path, raw: bytes, path: str, max_bytes: int) -> WorktreeFile | None:
    """The file at ``raw`` (a path relative to ``root``) as it is now, or None when
    there is no file there (deleted, or a folder: a submodule). The content of a file
    nothing is extracted from (a language without extraction, or over ``max_bytes``: a
    data file git does not ignore) is hashed as it streams by, not kept."""
    where = os.path.join(os.fsencode(root), raw)
    language = language_for_path(path)
    try:
        info = os.lstat(where)
        if stat.S_ISLNK(info.st_mode):
            data = os.readlink(where)
            return WorktreeFile(git_blob_sha(data), LINK_LANGUAGE, data, len(data))
        if not stat.S_ISREG(info.st_mode):
            return None
        with open(where, "rb") as handle:
            if info.st_size <= max_bytes and (is_supported(language) or language == SIDECAR):
                data = handle.read()
                return WorktreeFile(git_blob_sha(data), language, data, len(data))
            digest = hashlib.sha1(b"blob %d\0" % info.st_size, usedforsecurity=False)
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise RepositoryError(f"cannot read {path} in the working tree: {exc}") from exc
    return WorktreeFile(digest.hexdigest(), language, b"", info.st_size)


def _prune(folder: Path) -> None:
    """Keep the :data:`MAX_CACHED` most recently used cache files."""
    files = list(folder.glob("*.json"))
    if len(files) <= MAX_CACHED:
        return
    files.sort(key=lambda p: p.stat().st_mtime if p.exists() else 0.0)
    for old in files[: len(files) - MAX_CACHED]:
        old.unlink(missing_ok=True)
