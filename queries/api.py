"""The read API: ``open_index(...)`` and the :class:`Index` it returns."""

from __future__ import annotations

import functools
import gc
import os
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from symbiote.indexer.errors import NotIndexed, QueryError, StoreError, UnknownPath
from symbiote.indexer.journal import critique_text, read_journal
from symbiote.indexer.location import default_store_path, find_git_dir
from symbiote.queries import agent_log, graph, lookup, revisions
from symbiote.queries import sidecar_files as sidecars
from symbiote.queries.diff import changed_definitions
from symbiote.queries.diff import diff as diff_of
from symbiote.queries.history import CommitGraph
from symbiote.queries.history import history as history_of
from symbiote.queries.lookup import FindOptions
from symbiote.queries.models import (
    CallEdge,
    CommitRef,
    DiffEntry,
    HistoryEntry,
    Lesson,
    OutlineNode,
    RecalledCritique,
    Reference,
    RefState,
    RepositoryStatus,
    SearchCoverage,
    SearchHit,
    SearchOptions,
    SidecarFile,
    SidecarNote,
    SuccessRate,
    Symbol,
)
from symbiote.queries.reader import SQL_TIMEOUT, Reader
from symbiote.queries.resolve import Resolver
from symbiote.queries.snapcache import SnapshotCache
from symbiote.queries.snapshot import Snapshot

if TYPE_CHECKING:  # search needs numpy and the sidecar: imported on first search
    from symbiote.indexer.embedding import Embedder
    from symbiote.queries.search import Scope
    from symbiote.queries.vectors import SidecarReader, Vectors

MAX_DEPTH = 10

_P = ParamSpec("_P")
_T = TypeVar("_T")


def _bulk(method: Callable[_P, _T]) -> Callable[_P, _T]:
    """Run ``method`` with the cyclic garbage collector paused. Loading a commit and
    resolving its references build millions of small objects, none in a cycle; left on,
    the collector rescans them all again and again (measured: a diff took 4.2 s with it,
    2.7 s without). It is switched back on at the end, unless it was off already."""

    @functools.wraps(method)
    def paused(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        if not gc.isenabled():
            return method(*args, **kwargs)
        gc.disable()
        try:
            return method(*args, **kwargs)
        finally:
            gc.enable()

    return paused


def open_index(
    repo: str | os.PathLike[str] | None = None,
    *,
    store: str | os.PathLike[str] | None = None,
    embedder: str | Embedder | None = None,
) -> Index:
    """Open the index of ``repo`` (default: the current directory) for reading.

    ``store`` names the DuckDB file explicitly; otherwise it is found the way the indexer
    places it (``$SYMBIOTE_STORE`` or ``.git/symbiote/index.duckdb``). ``embedder`` (a
    spec, see :mod:`indexer.embedding`, or a loaded model) embeds search queries; it must
    be the model that embedded the symbols.
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
    if _POOL is not None:
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
    if _POOL is not None:
        index._pool_key = (store_path, chosen)
        index._commits = index._commit_count()
    return index


class _Pool:
    """Open indexes kept between calls when this process serves a store
    (`symbiote serve`): closing one returns it here, opening takes one back, refreshed."""

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


_POOL: _Pool | None = None


def keep_indexes_open() -> None:
    """Keep closed indexes for the next :func:`open_index` of the same store (for a
    long-running server: each keeps its snapshots and resolutions between calls)."""
    global _POOL
    _POOL = _POOL or _Pool()


class Index:
    """Read access to one store, scoped to one repository of it."""

    def __init__(
        self, reader: Reader, repo_path: Path | None, cache_size: int = 4, use_cache: bool = True
    ) -> None:
        self._reader = reader
        self.repo_id = self._choose_repository(repo_path)
        self.cache_size = cache_size  # snapshots kept in memory
        self._snapshots: dict[str, Snapshot] = {}
        self._resolvers: dict[str, Resolver] = {}
        self._graph: CommitGraph | None = None
        self._cache = SnapshotCache(reader.path, reader.generation) if use_cache else None
        self._resolved: dict[str, str] = {}
        self.embedder: str | Embedder | None = None  # spec or model for search queries
        self._sidecar: SidecarReader | None = None
        self._scopes: dict[str, Scope] = {}
        self._pool_key: tuple[Path, Path | None] | None = None  # kept open (see _Pool)
        self._commits: int | None = None  # counted when kept open between calls

    def close(self) -> None:
        """Close the store connection (or, in a server, keep it for the next call)."""
        if self._pool_key is not None and _POOL is not None:
            _POOL.give(self)
            return
        self._reader.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _commit_count(self) -> int:
        return int(self._reader.scalar("SELECT count(*) FROM commits") or 0)

    def interrupt(self) -> None:
        """Stop the store query a call on another thread is running; that call raises.
        (A server's time limit uses this.)"""
        self._reader.interrupt()

    def refresh(self) -> None:
        """Catch up with writes since the last call: refs may have moved, commits been
        added, blobs re-extracted (which retires the snapshots)."""
        self._resolved.clear()
        generation = str(
            self._reader.scalar("SELECT value FROM index_meta WHERE key = 'generation'") or "0"
        )
        if generation != self._reader.generation:
            self._reader.generation = generation
            self._snapshots.clear()
            self._resolvers.clear()
            self._scopes.clear()
            if self._cache is not None:
                self._cache = SnapshotCache(self._reader.path, generation)
        commits = self._commit_count()
        if self._commits is None or commits != self._commits:
            self._commits, self._graph = commits, None

    def _choose_repository(self, repo_path: Path | None) -> int:
        repos = self._reader.rows("SELECT id, path FROM repositories ORDER BY id")
        if not repos:
            raise StoreError(f"the index {self._reader.path} holds no repository yet")
        if repo_path is not None:
            for repo_id, path in repos:
                if Path(path) == repo_path:
                    return int(repo_id)
            if len(repos) > 1:
                raise StoreError(f"{repo_path} is not indexed in {self._reader.path}")
        if len(repos) > 1:
            listed = ", ".join(str(p) for _, p in repos)
            raise StoreError(f"the index holds several repositories ({listed}); name one")
        return int(repos[0][0])

    # ---- revisions and snapshots

    def resolve(self, rev: str = "HEAD") -> CommitRef:
        """The indexed commit ``rev`` names: a ref (``main``, ``refs/tags/v1``, ``HEAD``),
        a sha or unique sha prefix, optionally followed by ``~N`` / ``^N``."""
        sha = self._resolved.get(rev)
        if sha is None:  # the read connection sees a fixed state of the store: memoise
            sha = self._resolved[rev] = revisions.resolve(self._reader, self.repo_id, rev)
        return CommitRef(self.repo_id, sha, rev)

    @_bulk
    def snapshot(self, at: str = "HEAD") -> Snapshot:
        """The files and definitions of a commit, cached for the next questions."""
        sha = self.resolve(at).sha
        snap = self._snapshots.pop(sha, None)
        if snap is None:
            snap = Snapshot(self._reader, self.repo_id, sha, self._cache)
        self._snapshots[sha] = snap  # most recently used last
        while len(self._snapshots) > self.cache_size:
            self._snapshots.pop(next(iter(self._snapshots)))
            self._resolvers = {k: v for k, v in self._resolvers.items() if k in self._snapshots}
        return snap

    def _resolver(self, snap: Snapshot) -> Resolver:
        resolver = self._resolvers.get(snap.commit)
        if resolver is None:
            resolver = self._resolvers[snap.commit] = Resolver(snap)
        return resolver

    def definition(self, target: str, *, at: str = "HEAD") -> Symbol:
        """The definition ``target`` names: ``PATH::QUALNAME`` or a qualified name that
        is unambiguous at the commit."""
        snap = self.snapshot(at)
        return lookup.definition(snap, target)

    # ---- lookups

    @_bulk
    def symbols(self, at: str = "HEAD", *, path: str | None = None) -> list[Symbol]:
        """Definitions at a commit, optionally in one file (or under one folder)."""
        snap = self.snapshot(at)
        if path is None:
            return sorted(snap.symbols, key=_source_order)
        clean = path.strip().strip("/")
        chosen = [s for s in snap.symbols if s.path == clean or s.path.startswith(clean + "/")]
        if not chosen and not any(p == clean or p.startswith(clean + "/") for p in snap.files):
            raise UnknownPath(f"{path!r} is not in commit {snap.commit[:12]} ({at})")
        return sorted(chosen, key=_source_order)

    @_bulk
    def find(
        self,
        query: str,
        *,
        at: str = "HEAD",
        mode: str = "auto",
        kind: str | None = None,
        path: str | None = None,
        language: str | None = None,
        limit: int = 50,
    ) -> list[Symbol]:
        """Definitions by exact name, qualified name, prefix or fuzzy match, ranked:
        exact before fuzzy, source before tests."""
        options = FindOptions(mode=mode, kind=kind, path=path, language=language, limit=limit)
        return lookup.find(self.snapshot(at), query, options)

    @_bulk
    def goto(self, path: str, line: int, col: int, *, at: str = "HEAD") -> tuple[str, list[Symbol]]:
        """The definition(s) of the identifier at ``path:line:col`` (line 1-based, column
        0-based bytes), with how it was resolved."""
        snap = self.snapshot(at)
        return lookup.goto(snap, self._resolver(snap), path, line, col)

    @_bulk
    def outline(self, path: str, *, at: str = "HEAD") -> list[OutlineNode]:
        """The definitions of a file as a tree."""
        return lookup.outline(self.snapshot(at), path)

    @_bulk
    def refs(self, target: str, *, at: str = "HEAD") -> list[Reference]:
        """Every reference to a definition (``PATH::QUALNAME``) across files."""
        snap = self.snapshot(at)
        return graph.refs(snap, self._resolver(snap), lookup.definition(snap, target))

    @_bulk
    def callers(self, target: str, *, at: str = "HEAD", depth: int = 1) -> list[CallEdge]:
        """Who calls a definition, to ``depth`` hops."""
        snap = self.snapshot(at)
        target_symbol = lookup.definition(snap, target)
        return graph.callers(snap, self._resolver(snap), target_symbol, _depth(depth))

    @_bulk
    def callees(self, target: str, *, at: str = "HEAD", depth: int = 1) -> list[CallEdge]:
        """What a definition calls, to ``depth`` hops."""
        snap = self.snapshot(at)
        target_symbol = lookup.definition(snap, target)
        return graph.callees(snap, self._resolver(snap), target_symbol, _depth(depth))

    @_bulk
    def history(self, target: str, *, at: str = "HEAD", limit: int = 200) -> list[HistoryEntry]:
        """Commits in which a definition was added, changed, moved, renamed or removed,
        newest first, along the first-parent history of ``at``."""
        sha = self.resolve(at).sha
        path, qualified_name = self._history_target(target, sha)
        if self._graph is None:
            self._graph = CommitGraph(self._reader, self.repo_id)
        return history_of(self._reader, self._graph, self.repo_id, sha, path, qualified_name, limit)

    def _history_target(self, target: str, sha: str) -> tuple[str, str]:
        if "::" in target:
            path, _, qualified_name = target.partition("::")
            return path.strip("/"), qualified_name
        symbol = lookup.definition(self.snapshot(sha), target)
        return symbol.path, symbol.qualified_name

    @_bulk
    def diff(
        self, base: str, head: str = "HEAD", *, references: bool = True, max_references: int = 20
    ) -> list[DiffEntry]:
        """Definitions added, removed, changed, moved and renamed from ``base`` to ``head``;
        each changed one with (at most ``max_references`` of) its references at ``head``,
        precise ones first, and their total in ``reference_count``."""
        old, new = self.resolve(base).sha, self.resolve(head).sha
        trees = dict(
            self._reader.rows(
                "SELECT sha, tree FROM commits WHERE repo_id = ? AND sha IN (?, ?)",
                [self.repo_id, old, new],
            )
        )
        if references:
            self.snapshot(new)  # its references are needed anyway; it has the definitions
        before, after = changed_definitions(
            self._reader, (old, trees[old]), (new, trees[new]), self._snapshots.get
        )
        if not references:
            return diff_of(before, after, None)

        by_name: dict[str, dict[tuple[str, int, str], list[tuple[graph.Uses, Symbol]]]] = {}
        wanted = after.identities()

        def uses(symbol: Symbol, limit: int) -> tuple[list[Reference], int]:
            snap = self.snapshot(new)
            table = by_name.get(symbol.name)
            if table is None:
                table = by_name[symbol.name] = graph.refs_by_target(
                    snap, self._resolver(snap), symbol.name, wanted
                )
            return graph.materialise(snap, table.get(graph.key(symbol), []), limit)

        return diff_of(before, after, uses, reference_limit=max_references)

    def sql(
        self,
        query: str,
        params: list[Any] | None = None,
        limit: int = 10_000,
        timeout: float = SQL_TIMEOUT,
    ) -> tuple[list[str], list[tuple[Any, ...]]]:
        """Run read-only SQL over the store, for at most ``timeout`` seconds; returns
        column names and rows (at most ``limit``)."""
        return self._reader.sandboxed(query, params or [], limit, timeout)

    # ---- search

    def _search_scope(self, at: str) -> tuple[Snapshot, Scope, SidecarReader]:
        from symbiote.indexer.searchtext import sidecar_path
        from symbiote.queries.search import build_scope
        from symbiote.queries.vectors import SidecarReader

        snap = self.snapshot(at)
        if self._sidecar is None:
            self._sidecar = SidecarReader(sidecar_path(self._reader.path))
        scope = self._scopes.get(snap.commit)
        if scope is None:
            scope = self._scopes[snap.commit] = build_scope(snap, self._sidecar)
            self._scopes = {k: v for k, v in self._scopes.items() if k in self._snapshots}
        return snap, scope, self._sidecar

    def _model(self) -> Embedder:
        from symbiote.indexer.embedders import load_embedder

        if not isinstance(self.embedder, str | None):
            return self.embedder
        self.embedder = load_embedder(self.embedder)
        return self.embedder

    def _vectors(self, sidecar: SidecarReader) -> Vectors | None:
        """The vectors of the query model, None when that model embedded nothing."""
        model = self._model()
        if not sidecar.has_vectors(model.model_id):
            return None
        return sidecar.vectors(model.model_id)

    @_bulk
    def search(
        self, query: str, *, at: str = "HEAD", options: SearchOptions | None = None
    ) -> list[SearchHit]:
        """Definitions at ``at`` that match ``query`` by meaning and by words (see
        :mod:`queries.search`). In hybrid mode, a commit with no vectors of the query
        model is ranked by words alone; :meth:`search_coverage` tells."""
        from symbiote.queries.search import search as search_in

        options = options or SearchOptions()
        snap, scope, sidecar = self._search_scope(at)
        if not sidecar.docs().keys:
            raise NotIndexed(f"the search sidecar {sidecar.path} is empty; run `symbiote embed`")
        if options.mode == "hybrid" and self._vectors(sidecar) is None:
            options = replace(options, mode="text", max_distance=None)

        def vectors() -> tuple[Vectors, Any]:
            model = self._model()  # NotIndexed when this model embedded nothing
            return sidecar.vectors(model.model_id), model.embed([query])[0]

        return search_in(snap, scope, sidecar, query, options, vectors)

    def search_coverage(self, at: str = "HEAD") -> SearchCoverage:
        """How much of the definitions at ``at`` the search sidecar covers."""
        from symbiote.queries.search import coverage

        _, scope, sidecar = self._search_scope(at)
        vectors = self._vectors(sidecar)
        return coverage(scope, self._model().model_id, vectors)

    # ---- sidecar files (notes kept beside the code; see queries.sidecar_files)

    @_bulk
    def sidecar_notes(
        self, path: str | None = None, qualified_name: str | None = None, *, at: str = "HEAD"
    ) -> list[SidecarNote]:
        """The notes of the sidecar files at ``at`` (of ``path``'s sidecar only, and of
        its entry about ``qualified_name`` only, when given), each with its state."""
        snap = self.snapshot(at)
        return sidecars.notes(self._reader, snap, path, qualified_name)

    @_bulk
    def stale_notes(self, *, at: str = "HEAD") -> list[SidecarNote]:
        """Notes about definitions that changed or vanished since they were written."""
        return [n for n in self.sidecar_notes(at=at) if n.stale]

    @_bulk
    def sidecar_files(self, *, at: str = "HEAD") -> list[SidecarFile]:
        """The sidecar files at ``at``, with the status the indexer gave each (an
        invalid file is listed with its validation errors)."""
        return sidecars.sidecar_files(self._reader, self.snapshot(at))

    # ---- the self-correction log (written by indexer.agent_log; read from its journal)

    @property
    def store_path(self) -> Path:
        """The DuckDB store this index reads."""
        return self._reader.path

    def _log(self) -> agent_log.Log:
        return agent_log.Log(read_journal(self._reader.path))

    @_bulk
    def lessons(self, target: str, *, at: str = "HEAD") -> list[Lesson]:
        """Past critiques of a definition (``PATH::QUALNAME``, followed back through its
        renames and moves) or of a file (``PATH``: the file and its definitions), newest
        first, each with what was done and how it turned out."""
        if "::" not in target:
            snap = self.snapshot(at)
            path = target.strip().strip("/")
            if path not in snap.files:
                raise UnknownPath(f"{path!r} is not a file in commit {snap.commit[:12]}")
            log = self._log()
            names = {(c["path"], c["qualified_name"]) for c in log.of_kind("critique")}
            return agent_log.lessons(log, self.repo_id, {n for n in names if n[0] == path})
        symbol = self.definition(target, at=at)
        identities: set[tuple[str, str | None]] = {(symbol.path, symbol.qualified_name)}
        for entry in self.history(target, at=at):
            identities.add((entry.path, entry.qualified_name))
            if entry.previous_path and entry.previous_qualified_name:
                identities.add((entry.previous_path, entry.previous_qualified_name))
        return agent_log.lessons(self._log(), self.repo_id, identities)

    @_bulk
    def recall(self, text: str, *, k: int = 5) -> list[RecalledCritique]:
        """The ``k`` past critiques (current versions, this repository) closest in
        meaning to ``text``, each as a lesson with its actions and outcomes. Critiques
        the sidecar has no vector for yet (`symbiote embed` adds them) are embedded for
        this call."""
        import numpy as np

        from symbiote.indexer.searchtext import sidecar_path
        from symbiote.queries.vectors import SidecarReader

        if not text.strip():
            raise QueryError("recall needs a non-empty text")
        log = self._log()
        critiques = [c for c in log.of_kind("critique") if c["repo_id"] == self.repo_id]
        if not critiques:
            return []
        model = self._model()
        if self._sidecar is None:
            self._sidecar = SidecarReader(sidecar_path(self._reader.path))
        stored = self._sidecar.critique_vectors(model.model_id)
        missing = [c for c in critiques if c["id"] not in stored]
        computed: dict[str, Any] = {}
        if missing:
            fresh = model.embed([critique_text(c) for c in missing])
            computed = dict(zip((c["id"] for c in missing), fresh, strict=True))
        matrix = np.stack(
            [stored[c["id"]] if c["id"] in stored else computed[c["id"]] for c in critiques]
        )
        query = model.embed([text])[0]
        distances = 1.0 - matrix @ query
        order = np.argsort(distances, kind="stable")[: max(k, 0)]
        return [
            RecalledCritique(
                lesson=agent_log.lesson(log, critiques[i]),
                distance=round(float(distances[i]), 6),
                embedded=critiques[i]["id"] in stored,
            )
            for i in order
        ]

    def success_rates(self) -> list[SuccessRate]:
        """How agents' actions turned out, by critique category and agent."""
        return agent_log.rates(self._log())

    def check_target(self, commit: str, path: str, qualified_name: str | None) -> None:
        """Raise unless ``path`` (and ``path::qualified_name``) exists at ``commit``: what
        a critique must point at."""
        if qualified_name is None:
            if path not in self.snapshot(commit).files:
                raise UnknownPath(f"{path!r} is not a file in commit {commit[:12]}")
            return
        self.definition(f"{path}::{qualified_name}", at=commit)

    # ---- status

    def status(self) -> RepositoryStatus:
        """What is indexed for this repository."""
        repo = self._reader.rows(
            "SELECT path, indexed_at FROM repositories WHERE id = ?", [self.repo_id]
        )
        if not repo:
            raise QueryError(f"repository {self.repo_id} is not in the index")
        refs = [
            RefState(str(n), str(k), str(c))
            for n, k, c in self._reader.rows(
                "SELECT name, kind, commit FROM refs WHERE repo_id = ? "
                "ORDER BY kind <> 'head', name",
                [self.repo_id],
            )
        ]
        commits = int(
            self._reader.scalar("SELECT count(*) FROM commits WHERE repo_id = ?", [self.repo_id])
        )
        statuses = {
            str(s): int(n)
            for s, n in self._reader.rows(
                "SELECT status, count(*) FROM blobs GROUP BY status ORDER BY status"
            )
        }
        symbols = int(self._reader.scalar("SELECT count(*) FROM code_symbols"))
        references = int(self._reader.scalar("SELECT count(*) FROM code_references"))
        return RepositoryStatus(
            self.repo_id, str(repo[0][0]), repo[0][1], commits, refs, statuses, symbols, references
        )


def _source_order(symbol: Symbol) -> tuple[str, int]:
    return (symbol.path, symbol.start_byte)


def _depth(depth: int) -> int:
    if not 1 <= depth <= MAX_DEPTH:
        raise QueryError(f"depth must be between 1 and {MAX_DEPTH}, not {depth}")
    return depth
