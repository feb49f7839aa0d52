"""How code changed: a definition's history, and the definitions that differ between
two commits (see :mod:`symbiote.queries.history` and :mod:`symbiote.queries.diff`)."""

from __future__ import annotations

import weakref
from collections.abc import Sequence

from symbiote.indexer.errors import UnknownDefinition, UnknownPath
from symbiote.queries import graph, locate
from symbiote.queries.commits import Commits
from symbiote.queries.diff import Entries, changed_definitions, snapshot_sides
from symbiote.queries.diff import changes as changes_of
from symbiote.queries.history import history as history_of
from symbiote.queries.models import DiffEntry, HistoryEntry, Reference, Symbol
from symbiote.queries.options import DiffOptions, HistoryOptions, is_worktree
from symbiote.queries.reader import equals
from symbiote.queries.snapshot import Snapshot
from symbiote.queries.trees import blob_at

Key = tuple[str, int, str]  # a definition's identity at a commit (graph.key)


class Changes:
    """History and diff at any indexed commits."""

    def __init__(self, commits: Commits) -> None:
        self.commits = commits
        # The last diff between two commits and its options (and the store's
        # generation), kept for its next pages: a cursor asks the same diff again, and
        # its entries and the references found for them so far are reused.
        self._last: tuple[tuple[str, str, DiffOptions, str], Sequence[DiffEntry]] | None = None

    def history(self, target: str, *, at: str, options: HistoryOptions) -> list[HistoryEntry]:
        """Commits in which a definition was added, changed, moved, renamed or removed,
        newest first, along the first-parent history of ``at``."""
        sha = self.commits.resolve(at).sha
        path, qualified_name, ordinal = self._identity(target, sha)
        c = self.commits
        found = history_of(
            c.reader, c.graph(), c.repo_id, sha, path, qualified_name, options.limit, ordinal
        )
        if not found and "::" in target and (named := self._tail_named(target, sha)) is not None:
            path, qualified_name, ordinal = named  # `FlagSet.VarP`: `pflag.FlagSet.VarP`
            found = history_of(
                c.reader, c.graph(), c.repo_id, sha, path, qualified_name, options.limit, ordinal
            )
        if not found and not self._ever_a_file(sha, path):
            raise UnknownPath(
                f"{path!r} is not a file in commit {sha[:12]} nor in any indexed change; "
                "use `find` to search, or `outline` for a file's definitions"
            )
        return found

    def _ever_a_file(self, sha: str, path: str) -> bool:
        """Whether ``path`` is a file at ``sha`` or in a change of any indexed commit (a
        typo answers an error, not an empty history)."""
        reader = self.commits.reader
        where, params = equals("path", path)
        if reader.rows(f"SELECT 1 FROM file_changes WHERE {where} LIMIT 1", params):
            return True
        tree = reader.rows("SELECT tree FROM commits WHERE sha = ?", [sha])
        return bool(tree) and blob_at(reader, tree[0][0], path) is not None

    def _tail_named(self, target: str, sha: str) -> tuple[str, str, int] | None:
        """The definition at ``sha`` whose qualified name ``target``'s is the tail of."""
        try:
            symbol = locate.definition(self.commits.snapshot(sha), target)
        except (UnknownDefinition, UnknownPath):
            return None
        return symbol.path, symbol.qualified_name, symbol.ordinal

    def _identity(self, target: str, sha: str) -> tuple[str, str, int]:
        """(path, qualified name, ordinal) of ``target``; a ``PATH::QUALNAME`` names it
        without a look at the commit (its history may hold it when the commit does not)."""
        named, ordinal = locate.ordinal_of(target)
        if "::" in named:
            path, _, qualified_name = named.partition("::")
            return path.strip("/"), qualified_name, ordinal
        symbol = locate.definition(self.commits.snapshot(sha), target)
        return symbol.path, symbol.qualified_name, symbol.ordinal

    def diff(self, base: str, head: str, *, options: DiffOptions) -> Sequence[DiffEntry]:
        """Definitions added, removed, changed, moved and renamed from ``base`` to
        ``head``; each changed one with (at most ``max_references`` of) its references
        at ``head``, precise ones first, and their total in ``reference_count``, found
        when the entry is first read."""
        new_snap: Snapshot | None
        key: tuple[str, str, DiffOptions, str] | None = None
        if is_worktree(base) or is_worktree(head):
            new_snap = self.commits.snapshot(head)
            before, after = snapshot_sides(self.commits.snapshot(base), new_snap)
        else:
            old, new = self.commits.resolve(base).sha, self.commits.resolve(head).sha
            key = (old, new, options, self.commits.generation)
            if self._last is not None and self._last[0] == key:
                return self._last[1]
            reader = self.commits.reader
            trees = dict(
                reader.rows(
                    "SELECT sha, tree FROM commits WHERE repo_id = ? AND sha IN (?, ?)",
                    [self.commits.repo_id, old, new],
                )
            )
            # Its references are needed (their loads start at once, beside the work on
            # the definitions); it has the definitions.
            new_snap = self.commits.snapshot(new, prefetch=True) if options.references else None
            before, after = changed_definitions(
                reader, (old, trees[old]), (new, trees[new]), self.commits.loaded
            )
        found: Sequence[DiffEntry]
        if not options.references or new_snap is None:
            found = changes_of(before, after)
        else:
            at = key[1] if key is not None else head  # the newer commit (or WORKTREE)
            reported = changes_of(before, after)
            uses = _Uses(self.commits, at, new_snap, reported.identities())
            found = Entries(reported, uses, options.max_references)
        if key is not None:
            self._last = (key, found)
        return found


class _Uses:
    """The uses of a diff's definitions at its newer commit, found a name at a time
    (one pass over the uses of each name) and kept. The snapshot is held weakly: a diff
    kept for its next page does not keep a commit's references in memory once the
    index lets that commit go (it is loaded again if a later page needs it)."""

    def __init__(self, commits: Commits, at: str, snap: Snapshot, wanted: set[Key]) -> None:
        self._commits = commits
        self._at = at
        self._snap = weakref.ref(snap)
        self._wanted = wanted
        self._by_name: dict[str, dict[Key, list[tuple[graph.Uses, Symbol]]]] = {}

    def __call__(self, symbol: Symbol, limit: int) -> tuple[list[Reference], int]:
        snap = self._snap()
        if snap is None:  # let go meanwhile: its row numbers start anew
            snap = self._commits.snapshot(self._at)
            self._snap = weakref.ref(snap)
            self._by_name.clear()
        table = self._by_name.get(symbol.name)
        if table is None:
            table = self._by_name[symbol.name] = graph.refs_by_target(
                snap, self._commits.resolver(snap), symbol.name, self._wanted
            )
        return graph.materialise(snap, table.get(graph.key(symbol), []), limit)
