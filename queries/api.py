"""The read API: ``open_index(...)`` and the :class:`Index` it returns.

An :class:`Index` is a facade over the read side's roles, each in its own module and
sharing one :class:`~symbiote.queries.commits.Commits` (the connection and the loaded
commits): :class:`~symbiote.queries.lookups.Lookups` (definitions and references),
:class:`~symbiote.queries.changes.Changes` (history, diff),
:class:`~symbiote.queries.searcher.Searcher` (search), :class:`~symbiote.queries.notes.Notes`
(sidecar files), :class:`~symbiote.queries.memory.Memory` (the agent log) and
:class:`~symbiote.queries.overview.Overview` (status, SQL).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from symbiote.indexer.errors import StoreError
from symbiote.indexer.location import default_store_path, find_git_dir
from symbiote.queries.changes import Changes
from symbiote.queries.commits import Commits
from symbiote.queries.lookups import Lookups
from symbiote.queries.memory import Memory
from symbiote.queries.models import (
    CallGraph,
    CommitRef,
    DiffEntry,
    Goto,
    HistoryEntry,
    Lesson,
    OutlineNode,
    RecalledCritique,
    Reference,
    RepositoryStatus,
    SearchCoverage,
    SearchHit,
    SidecarFile,
    SidecarNote,
    SqlResult,
    SuccessRate,
    Symbol,
)
from symbiote.queries.notes import Notes
from symbiote.queries.options import (
    DiffOptions,
    FindOptions,
    GraphOptions,
    HistoryOptions,
    RefsOptions,
    SearchOptions,
    SqlOptions,
)
from symbiote.queries.overview import Overview
from symbiote.queries.reader import Reader, is_shared
from symbiote.queries.searcher import Searcher
from symbiote.queries.snapshot import Snapshot

if TYPE_CHECKING:
    from symbiote.indexer.embedding import Embedder
    from symbiote.queries.worktree import WorktreeSource


def open_index(
    repo: str | os.PathLike[str] | None = None,
    *,
    store: str | os.PathLike[str] | None = None,
    embedder: str | Embedder | None = None,
) -> Index:
    """Open the index of ``repo`` (default: the current directory) for reading.

    ``store`` names the DuckDB file explicitly; otherwise it is found the way the indexer
    places it (``$SYMBIOTE_STORE`` or ``.git/symbiote/index.duckdb``). ``embedder`` (a
    spec, see :mod:`symbiote.indexer.embedders`, or a loaded model) embeds search
    queries; it must be the model that embedded the symbols.
    """
    repo_path = Path(repo if repo is not None else ".").resolve()
    if store is not None:
        store_path = Path(store).resolve()
    else:
        git_dir = find_git_dir(repo_path)
        if git_dir is None:
            raise StoreError(f"{repo_path} is not a git repository; pass store= explicitly")
        store_path = default_store_path(git_dir)
    chosen = repo_path if repo is not None or store is None else None
    pooled_here = is_shared(store_path)  # this process owns the store: keep indexes open
    if pooled_here:
        pooled = _POOL.take((store_path, chosen))
        if pooled is not None:
            pooled.embedder = embedder
            return pooled
    reader = Reader(store_path)
    try:
        index = Index(reader, chosen)
    except BaseException:
        reader.close()
        raise
    index.embedder = embedder
    if pooled_here:
        index._pool_key = (store_path, chosen)
        index._commits.refresh()
    return index


class _Pool:
    """Open indexes kept between calls when this process owns a store: closing one
    returns it here, opening takes one back, refreshed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: dict[tuple[Path, Path | None], list[Index]] = {}

    def take(self, key: tuple[Path, Path | None]) -> Index | None:
        with self._lock:
            idle = self._idle.get(key)
            index = idle.pop() if idle else None
        if index is not None:
            index.refresh()
        return index

    def give(self, index: Index) -> None:
        assert index._pool_key is not None
        with self._lock:
            self._idle.setdefault(index._pool_key, []).append(index)

    def close(self, store: Path) -> None:
        with self._lock:
            keys = [key for key in self._idle if key[0].resolve() == store.resolve()]
            idle = [index for key in keys for index in self._idle.pop(key)]
        for index in idle:
            index._reader.close()


# Indexes of the stores this process owns, kept between calls: each keeps its snapshots
# and resolutions for the next call.
_POOL = _Pool()


def close_kept_indexes(store: Path) -> None:
    """Close the indexes kept for ``store`` (its owner lets it go: no connection may
    keep the database instance, and with it the file, open)."""
    _POOL.close(store)


class Index:
    """Read access to one store, scoped to one repository of it."""

    def __init__(
        self, reader: Reader, repo_path: Path | None, cache_size: int = 4, use_cache: bool = True
    ) -> None:
        self._reader = reader
        self._commits = Commits(reader, repo_path, cache_size, use_cache)
        self._lookups = Lookups(self._commits)
        self._changes = Changes(self._commits)
        self._searcher = Searcher(self._commits)
        self._notes = Notes(self._commits)
        self._memory = Memory(self._commits, self._changes, self._searcher)
        self._overview = Overview(self._commits)
        self._pool_key: tuple[Path, Path | None] | None = None  # kept open (see _Pool)

    # ---- the connection

    @property
    def repo_id(self) -> int:
        """The id of the repository this index answers for, in its store."""
        return self._commits.repo_id

    @property
    def store_path(self) -> Path:
        """The DuckDB store this index reads."""
        return self._commits.store_path

    @property
    def embedder(self) -> str | Embedder | None:
        """The spec or model that embeds search queries."""
        return self._searcher.embedder

    @embedder.setter
    def embedder(self, value: str | Embedder | None) -> None:
        self._searcher.embedder = value

    def close(self) -> None:
        """Close the store connection (or, in a server, keep it for the next call)."""
        if self._pool_key is not None and is_shared(self._pool_key[0]):
            _POOL.give(self)
            return
        self._commits.settle()
        self._reader.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def interrupt(self) -> None:
        """Stop the store query a call on another thread is running; that call raises.
        (A server's time limit uses this.)"""
        self._reader.interrupt()

    def refresh(self) -> None:
        """Catch up with writes since the last call (moved refs, new commits,
        re-extracted blobs)."""
        self._commits.refresh()

    # ---- revisions and snapshots

    def use_worktree(self, source: WorktreeSource | None) -> None:
        """Answer at ``WORKTREE`` (HEAD with the working tree's changes laid over it:
        see :mod:`symbiote.queries.worktree`) through ``source``, e.g.
        ``symbiote.indexer.worktree.WorktreeReader(repo)``; None: WORKTREE is an error."""
        self._commits.worktree_source = source

    @property
    def worktree_source(self) -> WorktreeSource | None:
        """What answers at ``WORKTREE``, if anything."""
        return self._commits.worktree_source

    def resolve(self, rev: str = "HEAD") -> CommitRef:
        """The indexed commit ``rev`` names: a ref (``main``, ``refs/tags/v1``, ``HEAD``),
        a sha or unique sha prefix, optionally followed by ``~N`` / ``^N``."""
        return self._commits.resolve(rev)

    def snapshot(self, at: str = "HEAD") -> Snapshot:
        """The files and definitions of a commit, cached for the next questions."""
        return self._commits.snapshot(at)

    def prepare(self, at: str = "HEAD") -> bool:
        """Read a commit's definitions, references and bindings ahead of the first
        question at it, into the snapshot cache beside the store (``symbiote index``
        does it for HEAD): on a long history that first question otherwise waits for
        them (sqlalchemy's HEAD: ~3 s). Whether anything had to be loaded (False: they
        were cached already)."""
        return self._commits.prepare(at)

    # ---- lookups

    def definition(self, target: str, *, at: str = "HEAD") -> Symbol:
        """The definition ``target`` names: ``PATH::QUALNAME`` or a qualified name that
        is unambiguous at the commit."""
        return self._lookups.definition(target, at=at)

    def symbols(self, *, at: str = "HEAD", path: str | None = None) -> list[Symbol]:
        """Definitions at a commit, optionally in one file (or under one folder)."""
        return self._lookups.symbols(at=at, path=path)

    def find(
        self, query: str, *, at: str = "HEAD", options: FindOptions | None = None
    ) -> list[Symbol]:
        """Definitions by exact name, qualified name, prefix or fuzzy match, ranked:
        exact before fuzzy, source before tests."""
        return self._lookups.find(query, at=at, options=options or FindOptions())

    def goto(self, path: str, line: int, col: int, *, at: str = "HEAD") -> Goto:
        """The definition(s) of the identifier at ``path:line:col`` (line 1-based,
        column 0-based bytes), with how it was resolved."""
        return self._lookups.goto(path, line, col, at=at)

    def outline(self, path: str, *, at: str = "HEAD") -> list[OutlineNode]:
        """The definitions of a file as a tree."""
        return self._lookups.outline(path, at=at)

    def refs(
        self, target: str, *, at: str = "HEAD", options: RefsOptions | None = None
    ) -> list[Reference]:
        """Every reference to a definition (``PATH::QUALNAME``) across files, precise ones
        first, then uses in source code before uses in tests (see :class:`RefsOptions`)."""
        return self._lookups.refs(target, at=at, options=options or RefsOptions())

    def callers(
        self, target: str, *, at: str = "HEAD", options: GraphOptions | None = None
    ) -> CallGraph:
        """Who calls a definition, to ``options.depth`` hops."""
        return self._lookups.callers(target, at=at, options=options or GraphOptions())

    def callees(
        self, target: str, *, at: str = "HEAD", options: GraphOptions | None = None
    ) -> CallGraph:
        """What a definition calls, to ``options.depth`` hops."""
        return self._lookups.callees(target, at=at, options=options or GraphOptions())

    # ---- changes

    def history(
        self, target: str, *, at: str = "HEAD", options: HistoryOptions | None = None
    ) -> list[HistoryEntry]:
        """Commits in which a definition was added, changed, moved, renamed or removed,
        newest first, along the first-parent history of ``at``."""
        return self._changes.history(target, at=at, options=options or HistoryOptions())

    def diff(
        self, base: str, head: str = "HEAD", *, options: DiffOptions | None = None
    ) -> list[DiffEntry]:
        """Definitions added, removed, changed, moved and renamed from ``base`` to
        ``head``, with the references of the changed ones (see :class:`DiffOptions`)."""
        return list(self.diff_entries(base, head, options=options))

    def diff_entries(
        self, base: str, head: str = "HEAD", *, options: DiffOptions | None = None
    ) -> Sequence[DiffEntry]:
        """:meth:`diff`'s answer, each entry given its references when it is first read:
        a page of a long diff resolves the uses of its own entries only."""
        return self._changes.diff(base, head, options=options or DiffOptions())

    # ---- search

    def search(
        self, query: str, *, at: str = "HEAD", options: SearchOptions | None = None
    ) -> list[SearchHit]:
        """Definitions at ``at`` that match ``query`` by meaning and by words (see
        :mod:`symbiote.queries.search`); :meth:`search_coverage` tells how much of the
        commit is searchable."""
        return self._searcher.search(query, at=at, options=options or SearchOptions())

    def search_coverage(self, at: str = "HEAD") -> SearchCoverage:
        """How much of the definitions at ``at`` the search sidecar covers."""
        return self._searcher.coverage(at=at)

    # ---- sidecar files (notes kept beside the code)

    def sidecar_notes(
        self, path: str | None = None, qualified_name: str | None = None, *, at: str = "HEAD"
    ) -> list[SidecarNote]:
        """The notes of the sidecar files at ``at`` (of ``path``'s sidecar file only, and
        of its entry about ``qualified_name`` only, when given), each with its state."""
        return self._notes.notes(path, qualified_name, at=at)

    def stale_notes(self, *, at: str = "HEAD") -> list[SidecarNote]:
        """Notes about definitions that changed or vanished since they were written."""
        return self._notes.stale(at=at)

    def sidecar_files(self, *, at: str = "HEAD") -> list[SidecarFile]:
        """The sidecar files at ``at``, with the status the indexer gave each (an
        invalid file is listed with its validation errors)."""
        return self._notes.files(at=at)

    # ---- the agent log

    def lessons(self, target: str, *, at: str = "HEAD") -> list[Lesson]:
        """Past critiques of a definition (``PATH::QUALNAME``, followed back through its
        renames and moves) or of a file (``PATH``), newest first, each with what was
        done and how it turned out."""
        return self._memory.lessons(target, at=at)

    def recall(self, text: str, *, k: int = 5) -> list[RecalledCritique]:
        """The ``k`` past critiques closest in meaning to ``text``, with their lessons."""
        return self._memory.recall(text, k=k)

    def success_rates(self) -> list[SuccessRate]:
        """How agents' actions turned out, by critique category and agent."""
        return self._memory.success_rates()

    def check_target(self, commit: str, path: str, qualified_name: str | None) -> None:
        """Raise unless ``path`` (and ``path::qualified_name``) exists at ``commit``: what
        a critique must point at."""
        self._memory.check_target(commit, path, qualified_name)

    # ---- the store

    def status(self) -> RepositoryStatus:
        """What is indexed for this repository, and how far search covers HEAD."""
        state = self._overview.status()
        head = next((r.commit for r in state.refs if r.name == "HEAD"), None)
        return replace(state, embedding=self._searcher.embedding_status(head))

    def sql(self, query: str, *, options: SqlOptions | None = None) -> SqlResult:
        """Run one read-only statement over the store (see :class:`SqlOptions`)."""
        return self._overview.sql(query, options=options or SqlOptions())
