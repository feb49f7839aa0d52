"""What every read-side role shares: the store connection, the repository it answers
for, and the commits it has loaded (revision names resolved, snapshots and their
resolvers kept for the next questions)."""

from __future__ import annotations

import gc
from pathlib import Path

import pyarrow as pa

from symbiote.indexer.errors import NotIndexed, QueryError, StoreError, UnknownRevision
from symbiote.queries import revisions
from symbiote.queries.history import CommitGraph
from symbiote.queries.models import CommitRef
from symbiote.queries.options import WORKTREE, is_worktree
from symbiote.queries.reader import Reader
from symbiote.queries.resolve import Resolver
from symbiote.queries.snapcache import SnapshotCache
from symbiote.queries.snapshot import Snapshot, cached
from symbiote.queries.worktree import (
    Overlay,
    WorktreeSource,
    overlay_key,
)

# What the snapshots kept between calls may hold (Snapshot.nbytes): one commit with its
# references fits (sqlalchemy's HEAD, 465,000 references: ~240 MB); asking another
# commit then lets the least recently used go before the new one is loaded, so an
# owner's memory holds about one large commit at a time.
CACHE_BYTES = 256 * 1024 * 1024


class Commits:
    """One store's connection, scoped to one of its repositories, with the commits
    loaded so far (the most recently used ``cache_size`` snapshots are kept, within
    ``cache_bytes``: see :data:`CACHE_BYTES`)."""

    def __init__(
        self,
        reader: Reader,
        repo_path: Path | None,
        cache_size: int = 4,
        use_cache: bool = True,
        cache_bytes: int = CACHE_BYTES,
    ) -> None:
        self.reader = reader
        self.repo_id = _choose_repository(reader, repo_path)
        self.cache_size = cache_size
        self.cache_bytes = cache_bytes
        self._snapshots: dict[str, Snapshot] = {}
        self._resolvers: dict[str, Resolver] = {}
        self._graph: CommitGraph | None = None
        self._cache = SnapshotCache(reader.path, reader.generation) if use_cache else None
        self._resolved: dict[str, str] = {}
        self._commits: int | None = None  # counted when kept open between calls
        self.generation = reader.generation  # roles drop what they derived when it moves
        # What answers at WORKTREE (None: that revision is an error); see use_worktree.
        self.worktree_source: WorktreeSource | None = None

    @property
    def store_path(self) -> Path:
        """The DuckDB store read."""
        return self.reader.path

    def count(self) -> int:
        """Commits in the store (all repositories)."""
        return int(self.reader.scalar("SELECT count(*) FROM commits") or 0)

    def refresh(self) -> None:
        """Catch up with writes since the last call: refs may have moved, commits been
        added, blobs re-extracted (which retires the snapshots)."""
        self._resolved.clear()
        generation = self.reader.current_generation()
        if generation != self.reader.generation:
            self.reader.generation = self.generation = generation
            self.settle()
            self._snapshots.clear()
            self._resolvers.clear()
            if self._cache is not None:
                self._cache = SnapshotCache(self.reader.path, generation)
        commits = self.count()
        if self._commits is None or commits != self._commits:
            self._commits, self._graph = commits, None

    def resolve(self, rev: str = "HEAD") -> CommitRef:
        """The indexed commit ``rev`` names (see :mod:`symbiote.queries.revisions`);
        for WORKTREE, the commit the working tree is laid over."""
        if is_worktree(rev):
            return CommitRef(self.repo_id, self.snapshot(rev).commit, rev)
        sha = self._resolved.get(rev)
        if sha is None:  # the read connection sees a fixed state of the store: memoise
            sha = self._resolved[rev] = revisions.resolve(self.reader, self.repo_id, rev)
        return CommitRef(self.repo_id, sha, rev)

    def snapshot(self, at: str = "HEAD", *, prefetch: bool = False) -> Snapshot:
        """The files and definitions of a commit (or of the working tree laid over
        HEAD: WORKTREE), cached for the next questions; ``prefetch``: its references
        and bindings start loading too (see Snapshot.prefetch)."""
        if is_worktree(at):
            kept = self._snapshots.pop(at, None)
            return self._keep(kept) if kept is not None else self._worktree()
        sha = self.resolve(at).sha
        snap = self._snapshots.pop(sha, None)
        if snap is None:
            self._make_room()
            snap = Snapshot(self.reader, self.repo_id, sha, self._cache, prefetch=prefetch)
        elif prefetch:
            snap.prefetch()
        return self._keep(snap)

    def prepare(self, at: str = "HEAD") -> bool:
        """Have every table of commit ``at`` ready for the first question: in this
        index's memory when it already holds the commit, else in the snapshot cache
        (loaded from the store and written there unless the cache holds it already).
        Whether anything had to be loaded."""
        sha = self.resolve(at).sha
        if sha in self._snapshots:
            return self.snapshot(sha).prepare()
        if self._cache is None or cached(self._cache, sha):
            return False
        self.snapshot(sha).prepare()
        return True

    def settle(self) -> None:
        """Let every snapshot's loads on their way end (before the connection closes)."""
        for snap in self._snapshots.values():
            snap.settle()

    def _keep(self, snap: Snapshot) -> Snapshot:
        self._snapshots[snap.key] = snap  # most recently used last
        while len(self._snapshots) > self.cache_size:
            self._drop_oldest()
        return snap

    def _make_room(self) -> None:
        """Before a snapshot is loaded: let the least recently used ones go until the
        rest and one more as large as the largest fit in :attr:`cache_bytes`."""
        dropped = False
        while self._snapshots:
            sizes = [s.nbytes() for s in self._snapshots.values()]
            if sum(sizes) + max(sizes) <= self.cache_bytes:
                break
            self._drop_oldest()
            dropped = True
        if dropped:
            gc.collect()  # a resolver and its parts refer to each other
            # Arrow's allocator keeps freed pages for itself; DuckDB's cannot use them.
            pa.default_memory_pool().release_unused()

    def _drop_oldest(self) -> None:
        self._snapshots.pop(next(iter(self._snapshots))).settle()
        self._resolvers = {k: v for k, v in self._resolvers.items() if k in self._snapshots}

    def _worktree(self) -> Snapshot:
        """The working tree laid over HEAD: asked again with nothing changed, the same
        snapshot (nothing parsed, nothing loaded)."""
        source = self.worktree_source
        if source is None:
            raise QueryError(
                f"{WORKTREE} needs the working tree's reader: this index was opened without "
                "one (the CLI and the MCP server give it; see Index.use_worktree)"
            )
        base, changes = source.changes()
        if base is None:
            raise NotIndexed(f"HEAD has no commit yet: there is nothing to lay {WORKTREE} over")
        try:
            sha = self.resolve(base).sha
        except (NotIndexed, UnknownRevision) as exc:
            raise NotIndexed(
                f"HEAD ({base[:12]}) is not indexed, so {WORKTREE} cannot be answered; "
                "run `symbiote index`"
            ) from exc
        snap = self._snapshots.pop(overlay_key(sha, changes), None)
        if snap is None:
            self._make_room()
            overlay = Overlay(source, sha, changes)
            snap = Snapshot(self.reader, self.repo_id, sha, self._cache, overlay)
        return self._keep(snap)

    def loaded(self, sha: str) -> Snapshot | None:
        """The snapshot of ``sha`` if it is loaded already."""
        return self._snapshots.get(sha)

    def is_loaded(self, sha: str) -> bool:
        """Whether the snapshot of ``sha`` is kept."""
        return sha in self._snapshots

    @property
    def snapshot_cache(self) -> SnapshotCache | None:
        """The snapshot cache beside the store (None when this index keeps none)."""
        return self._cache

    def resolver(self, snap: Snapshot) -> Resolver:
        """The resolver of a loaded snapshot (its answers are kept with it)."""
        resolver = self._resolvers.get(snap.key)
        if resolver is None:
            resolver = self._resolvers[snap.key] = Resolver(snap)
        return resolver

    def graph(self) -> CommitGraph:
        """The repository's commit graph (first parents), loaded on first use."""
        if self._graph is None:
            self._graph = CommitGraph(self.reader, self.repo_id)
        return self._graph


def _choose_repository(reader: Reader, repo_path: Path | None) -> int:
    repos = reader.rows("SELECT id, path FROM repositories ORDER BY id")
    if not repos:
        raise StoreError(f"the index {reader.path} holds no repository yet")
    if repo_path is not None:
        for repo_id, path in repos:
            if Path(path) == repo_path:
                return int(repo_id)
        if len(repos) > 1:
            raise StoreError(f"{repo_path} is not indexed in {reader.path}")
    if len(repos) > 1:
        listed = ", ".join(str(p) for _, p in repos)
        raise StoreError(f"the index holds several repositories ({listed}); name one")
    return int(repos[0][0])
