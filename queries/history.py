"""The history of one definition along the first-parent chain of a commit.

Identity across commits is the qualified name and path, with the body hash telling
whether the body changed. When a definition vanishes from its file, a definition of the
same kind with a similar body (same body hash, or a line-sketch similarity of at least
:data:`SIMILAR`) is looked for: in the same file under another name (``renamed``), or in
another file under the same qualified name (``moved``); history then continues under the
old identity.

Cost: the blob at the path in every commit comes from the path's stored changes
(``file_changes``, one index lookup), replayed along the chain; commits without stored
changes fall back to the trees (per path component, one index lookup loads every tree
entry of that name, kept for the session). Definitions are then read with one index
lookup by qualified name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from symbiote.indexer.errors import OutOfMemory
from symbiote.queries.models import HistoryEntry
from symbiote.queries.reader import Reader, equals, sha_list
from symbiote.queries.trees import (
    POINT_LOOKUPS,
    ChangeCache,
    TreeCache,
    blob_at,
    changed_files,
    commit_changes,
    path_changes,
)

SIMILAR = 0.5


@dataclass(frozen=True, slots=True)
class CommitInfo:
    """What history needs of a commit."""

    sha: str
    tree: str
    first_parent: str | None
    author: str
    date: datetime
    message: str


@dataclass(frozen=True, slots=True)
class _Version:
    qualified_name: str
    kind: str
    name: str
    body_hash: str
    signature: str
    sketch: tuple[int, ...]


class CommitGraph:
    """The indexed commits of one repository, loaded once."""

    def __init__(self, reader: Reader, repo_id: int) -> None:
        cols = reader.columns(
            "SELECT sha, tree, parents, author_name, author_time, message FROM commits "
            "WHERE repo_id = ?",
            [repo_id],
        )
        # Commits whose changed files are stored (all, but in a store migrated from
        # schema 4 before its next index run).
        self.diffed: set[str] = set(
            reader.columns(
                "SELECT d.commit FROM commit_diffs d SEMI JOIN commits c "
                "ON c.sha = d.commit AND c.repo_id = ?",
                [repo_id],
            )["commit"]
        )
        self.changes: ChangeCache = {}
        self.entries: EntryCache = {}
        self.trees: TreeCache = {}
        self._chains: dict[str, list[CommitInfo]] = {}  # start -> first-parent chain
        self.paths: PathCache = {}
        self.named: NamedCache = {}
        self.commits = {
            sha: CommitInfo(sha, tree, parents[0] if parents else None, author, date, message)
            for sha, tree, parents, author, date, message in zip(
                *(cols[c] for c in cols), strict=True
            )
        }

    def chain(self, start: str) -> list[CommitInfo]:
        """``start`` and its first parents, newest first, while they are indexed."""
        cached = self._chains.get(start)
        if cached is not None:
            return cached
        out: list[CommitInfo] = []
        sha: str | None = start
        while sha is not None and sha in self.commits:
            info = self.commits[sha]
            out.append(info)
            sha = info.first_parent
        if len(self._chains) >= 16:
            self._chains.clear()
        self._chains[start] = out
        return out


def similarity(a: tuple[int, ...] | list[int], b: tuple[int, ...] | list[int]) -> float:
    """Estimated share of lines two bodies have in common, from their bottom-k sketches."""
    if not a or not b:
        return 0.0
    union = sorted(set(a) | set(b))[: max(len(a), len(b))]
    both = set(a) & set(b)
    return sum(1 for h in union if h in both) / len(union)


# (tree, name) -> (object, kind, language) or None; trees never change, so lookups are
# kept for the life of the CommitGraph that owns the dict. The key ("", name) marks a
# name whose entries were all loaded.
EntryCache = dict[tuple[str, str], tuple[str, str, str | None] | None]


def _entries_named(reader: Reader, name: str, cache: EntryCache) -> None:
    """Load every tree entry called ``name`` into ``cache`` (one index lookup)."""
    if ("", name) in cache:
        return
    where, params = equals("name", name)
    for owner, obj, kind, language in reader.rows(
        f"SELECT tree, object, kind, language FROM tree_entries WHERE {where}", params
    ):
        cache[(owner, name)] = (obj, kind, language)
    cache[("", name)] = None


# prefix path -> {commit sha -> tree sha or (blob, language) at that path, or None}
PathCache = dict[str, dict[str, Any]]
PATH_CACHE_LIMIT = 256  # prefixes kept; cleared past this


def blobs_at_path(
    reader: Reader,
    commits: list[CommitInfo],
    path: str,
    cache: EntryCache | None = None,
    paths: PathCache | None = None,
) -> dict[str, tuple[str, str] | None]:
    """The ``(blob, language)`` at ``path`` in each commit (None where absent).

    Each level is solved once per distinct tree (deep folders change rarely, so their
    trees repeat across thousands of commits), and a folder's answer for each commit is
    kept, so the next definition in the same folder starts from there."""
    cache = cache if cache is not None else {}
    paths = paths if paths is not None else {}
    parts = path.split("/")
    shas = {c.sha for c in commits}
    current: dict[str, Any] = {c.sha: c.tree for c in commits}
    start = 0
    for depth in range(len(parts) - 1, 0, -1):  # the deepest folder already solved
        known = paths.get("/".join(parts[:depth]))
        if known is not None and known.keys() >= shas:
            current = {sha: known[sha] for sha in current}
            start = depth
            break
    for depth in range(start, len(parts)):
        part = parts[depth]
        last = depth == len(parts) - 1
        _entries_named(reader, part, cache)
        step: dict[Any, Any] = {None: None}
        for tree in set(current.values()):
            if tree is None:
                continue
            entry = cache.get((tree, part))
            if entry is None:
                step[tree] = None
            elif last:
                step[tree] = (entry[0], entry[2] or "") if entry[1] in ("blob", "link") else None
            else:
                step[tree] = entry[0] if entry[1] == "tree" else None
        current = {sha: step[tree] for sha, tree in current.items()}
        if not last:
            if len(paths) >= PATH_CACHE_LIMIT:
                paths.clear()
            paths.setdefault("/".join(parts[: depth + 1]), {}).update(current)
    return current


def _blobs_along(
    reader: Reader, graph: CommitGraph, chain: list[CommitInfo], path: str
) -> dict[str, tuple[str, str] | None]:
    """The ``(blob, language)`` at ``path`` in each commit of a first-parent ``chain``
    (newest first): replayed from the path's stored changes, starting from the oldest
    commit's tree. Commits without stored changes fall back to the trees."""
    if not chain or not all(c.sha in graph.diffed for c in chain[:-1]):
        return blobs_at_path(reader, chain, path, graph.entries, graph.paths)
    changes = path_changes(reader, path, graph.changes)
    oldest = chain[-1]
    state: tuple[str, str] | None
    if oldest.sha in changes:
        state = changes[oldest.sha]
    elif oldest.first_parent is None and oldest.sha in graph.diffed:
        state = None  # a root commit's changes list every file it has
    else:
        state = blob_at(reader, oldest.tree, path, graph.trees)
    out: dict[str, tuple[str, str] | None] = {}
    for info in reversed(chain):
        if info.sha in changes:
            state = changes[info.sha]
        out[info.sha] = state
    return out


_VERSION_FIELDS = (
    "blob",
    "language",
    "qualified_name",
    "kind",
    "name",
    "body_hash",
    "signature",
    "sketch",
    "idx",
)
_VERSION_COLUMNS = (
    "SELECT " + ", ".join(f"s.{f}" for f in _VERSION_FIELDS) + " FROM code_symbols s "
)


# qualified name -> its rows in code_symbols (every blob of history); kept per session
NamedCache = dict[str, list[tuple[Any, ...]]]
NAMED_CACHE_LIMIT = 512


def _named_versions(
    reader: Reader, qualified_name: str, named: NamedCache
) -> list[tuple[Any, ...]]:
    rows = named.get(qualified_name)
    if rows is None:
        if len(named) >= NAMED_CACHE_LIMIT:
            named.clear()
        rows = named[qualified_name] = _rows_named(reader, qualified_name)
    return rows


# Columns one index lookup of _rows_named returns.
_PER_LOOKUP = 2


def _rows_named(reader: Reader, qualified_name: str) -> list[tuple[Any, ...]]:
    """The rows (:data:`_VERSION_COLUMNS`) of every stored definition named
    ``qualified_name``, in store order.

    They are read through the name's index :data:`_PER_LOOKUP` columns at a time. An
    index lookup holds a block of each column it returns, in each row group its rows
    are in, until it ends; a name's versions are spread over the row groups of a whole
    history (sqlalchemy's `Column`: 547 rows in 43 row groups), so all the columns at
    once needed more than 64 MB of DuckDB's cache (an owner allows it 64 MB), where two
    need ~22 MB. When even those do not fit, a scan (its filter an expression, so that
    the index is not used) holds a few blocks at a time: 0.3 s on 5 M rows."""
    where, params = equals("s.qualified_name", qualified_name)
    fields = [f for f in _VERSION_FIELDS if f != "qualified_name"]  # that is the name asked
    groups = [fields[i : i + _PER_LOOKUP] for i in range(0, len(fields), _PER_LOOKUP)]
    try:
        parts = reader.rows_together(
            [
                (
                    f"SELECT {', '.join('s.' + f for f in group)} FROM code_symbols s "
                    f"WHERE {where} ORDER BY s.rowid",
                    params,
                )
                for group in groups
            ]
        )
    except OutOfMemory:
        where, params = equals("s.qualified_name || ''", qualified_name)
        return reader.rows(_VERSION_COLUMNS + f"WHERE {where} ORDER BY s.rowid", params)
    columns: dict[str, list[Any]] = {"qualified_name": [qualified_name] * len(parts[0])}
    for group, rows in zip(groups, parts, strict=True):
        for k, field in enumerate(group):
            columns[field] = [row[k] for row in rows]
    return list(zip(*(columns[f] for f in _VERSION_FIELDS), strict=True))


def _versions(
    reader: Reader,
    blobs: set[tuple[str, str]],
    qualified_name: str | None,
    kind: str | None,
    named: NamedCache,
) -> dict[tuple[str, str], list[_Version]]:
    """Definitions in ``blobs``: with ``qualified_name``, or all of ``kind``."""
    if not blobs:
        return {}
    shas = sorted({b for b, _ in blobs})
    if qualified_name is not None:  # index lookup by name; few rows per name
        rows = _named_versions(reader, qualified_name, named)
    elif len(shas) <= POINT_LOOKUPS:  # index lookups by blob
        rows = []
        kind_is, kind_params = equals("s.kind", kind or "")
        for sha in shas:
            blob_is, blob_params = equals("s.blob", sha)
            rows.extend(
                reader.rows(
                    _VERSION_COLUMNS + f"WHERE {blob_is} AND {kind_is}", blob_params + kind_params
                )
            )
    else:  # constant filters are pushed into the scan (see snapshot.py)
        rows = reader.rows(
            _VERSION_COLUMNS + f"WHERE s.kind = ? AND s.blob IN (SELECT unnest({sha_list(shas)}))",
            [kind],
        )
    found: dict[tuple[str, str], list[tuple[int, _Version]]] = {}
    for blob, language, qn, k, name, body, sig, sketch, idx in rows:
        if (blob, language) not in blobs:
            continue
        found.setdefault((blob, language), []).append(
            (idx, _Version(qn, k, name, body, sig, tuple(sketch or ())))
        )
    # In source order: a name defined twice in a file (overloads) is told apart by it.
    return {
        key: [v for _, v in sorted(versions, key=lambda p: p[0])] for key, versions in found.items()
    }


def _entry(
    info: CommitInfo,
    change: str,
    path: str,
    version: _Version | None,
    qualified_name: str,
    previous_path: str | None = None,
    previous_name: str | None = None,
) -> HistoryEntry:
    return HistoryEntry(
        commit=info.sha,
        date=info.date,
        author=info.author,
        message=info.message.split("\n", 1)[0],
        change=change,
        path=path,
        qualified_name=qualified_name,
        previous_path=previous_path,
        previous_qualified_name=previous_name,
        signature=version.signature if version else None,
        body_hash=version.body_hash if version else None,
    )


def history(
    reader: Reader,
    graph: CommitGraph,
    repo_id: int,
    start: str,
    path: str,
    qualified_name: str,
    limit: int = 200,
    ordinal: int = 1,
) -> list[HistoryEntry]:
    """Changes of ``path::qualified_name`` (the ``ordinal``-th definition of that name in
    the file, see Symbol.symbol) in the first-parent history of ``start``, newest
    first."""
    chain = graph.chain(start)
    events: list[HistoryEntry] = []
    position = 0
    newer: tuple[CommitInfo, _Version] | None = None
    while position < len(chain) and len(events) < limit:
        segment = chain[position:]
        at_path = _blobs_along(reader, graph, segment, path)
        versions = _versions(
            reader, {b for b in at_path.values() if b}, qualified_name, None, graph.named
        )
        moved = False
        for offset, info in enumerate(segment):
            blob = at_path.get(info.sha)
            found = versions.get(blob, []) if blob else []
            version = found[ordinal - 1] if len(found) >= ordinal else None
            if version is None:
                if newer is None:  # not there yet at `start`: find where it was removed
                    continue
                n_info, n_version = newer
                successor = _successor(reader, graph, info, n_info, path, n_version)
                if successor is None:
                    events.append(_entry(n_info, "added", path, n_version, qualified_name))
                    return events
                change, old_path, old_name = successor
                events.append(
                    _entry(n_info, change, path, n_version, qualified_name, old_path, old_name)
                )
                path, qualified_name = old_path, old_name
                position += offset
                newer = None
                moved = True
                break
            if newer is None and position + offset > 0 and not events:
                removed_at = chain[position + offset - 1]
                events.append(_entry(removed_at, "removed", path, None, qualified_name))
            elif newer is not None:
                n_info, n_version = newer
                if n_version.signature != version.signature:
                    events.append(
                        _entry(n_info, "signature_changed", path, n_version, qualified_name)
                    )
                elif n_version.body_hash != version.body_hash:
                    events.append(_entry(n_info, "changed", path, n_version, qualified_name))
            newer = (info, version)
        if moved:
            continue
        break
    if newer is not None and len(events) < limit:
        # The chain's oldest commit: the root (added there), or the oldest indexed one
        # (the definition was already there; its older history is not indexed).
        change = "added" if newer[0].first_parent is None else "present"
        events.append(_entry(newer[0], change, path, newer[1], qualified_name))
    return events[:limit]


def _successor(
    reader: Reader,
    graph: CommitGraph,
    older: CommitInfo,
    newer_commit: CommitInfo,
    path: str,
    newer: _Version,
) -> tuple[str, str, str] | None:
    """Where the definition was in ``older``: renamed in the same file, or moved (with
    its qualified name) from another file. Only files that differ between the two
    commits can hold it."""
    named = graph.named
    if newer_commit.sha in graph.diffed and newer_commit.first_parent == older.sha:
        changed = commit_changes(reader, newer_commit.sha)
    else:
        changed = changed_files(reader, older.tree, newer_commit.tree, graph.trees)
    old_blobs: dict[tuple[str, str], list[str]] = {}
    for changed_path, (before, _after) in changed.items():
        if before is not None and before[2] is not None:
            old_blobs.setdefault((before[1], before[2]), []).append(changed_path)
    # A rename keeps the file: every definition of that kind in the file's old blob. A
    # move keeps the qualified name: one index lookup by name, in the changed files.
    same_file = {key for key, paths in old_blobs.items() if path in paths}
    versions = _versions(reader, same_file, None, newer.kind, named)
    moved = _versions(reader, set(old_blobs), newer.qualified_name, None, named)
    for key, found in moved.items():
        known = versions.setdefault(key, [])
        known.extend(v for v in found if v not in known)
    best: tuple[str, _Version] | None = None
    best_score = 0.0
    for key, found in versions.items():
        for candidate_path in old_blobs[key]:
            for version in found:
                same_path = candidate_path == path
                if same_path and version.qualified_name == newer.qualified_name:
                    continue
                if not same_path and version.name != newer.name:
                    continue  # a move keeps the name; a rename keeps the file
                score = (
                    1.0
                    if version.body_hash == newer.body_hash
                    else similarity(version.sketch, newer.sketch)
                )
                if same_path:
                    score += 0.01  # prefer a rename in place to a move
                if score >= SIMILAR and score > best_score:
                    best, best_score = (candidate_path, version), score
    if best is None:
        return None
    candidate_path, version = best
    change = "renamed" if candidate_path == path else "moved"
    return change, candidate_path, version.qualified_name
