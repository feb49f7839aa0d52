"""Comparing two commits' trees without expanding them: only differing subtrees are read.

This is how git diffs trees, done over the stored ``tree_entries``: per level of
difference, the pairs of subtrees whose shas differ are read by index lookups. Between a
commit and its first parent the stored ``file_changes`` give the same answer in one
lookup (:func:`commit_changes`, :func:`path_changes`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from symbiote.indexer.languages import LINK_LANGUAGE
from symbiote.queries.reader import Reader, equals, sha_list

Entry = tuple[str, str, str | None]  # (kind, object, language)
# Objects read one by one (an index point lookup each) up to this many; above, one scan.
POINT_LOOKUPS = 64
_COLUMNS = "SELECT tree, name, kind, object, language FROM tree_entries "


# tree -> its entries as rows; trees never change, so a session can keep them.
TreeCache = dict[str, list[tuple[Any, ...]]]
CACHE_LIMIT = 20_000  # trees kept; the cache is cleared when it grows past this


def _entries(reader: Reader, trees: list[str], cache: TreeCache) -> list[tuple[Any, ...]]:
    missing = [t for t in trees if t not in cache]
    if len(cache) + len(missing) > CACHE_LIMIT:
        cache.clear()
    if len(missing) > POINT_LOOKUPS:
        for t in missing:
            cache[t] = []
        for row in reader.rows(_COLUMNS + f"WHERE list_contains({sha_list(missing)}, tree)"):
            cache[row[0]].append(row)
    else:
        for tree in missing:
            where, params = equals("tree", tree)
            cache[tree] = reader.rows(_COLUMNS + f"WHERE {where}", params)
    return [row for tree in trees for row in cache[tree]]


def changed_files(
    reader: Reader, old_tree: str, new_tree: str, cache: TreeCache | None = None
) -> dict[str, tuple[Entry | None, Entry | None]]:
    """Every non-tree path whose entry differs: ``path -> (old entry, new entry)``."""
    cache = cache if cache is not None else {}
    changed: dict[str, tuple[Entry | None, Entry | None]] = {}
    pairs: list[tuple[str, str | None, str | None]] = [("", old_tree, new_tree)]
    while pairs:
        trees = sorted({t for _, a, b in pairs for t in (a, b) if t is not None})
        entries: dict[str, dict[str, Entry]] = defaultdict(dict)
        for tree, name, kind, obj, language in _entries(reader, trees, cache):
            entries[tree][name] = (kind, obj, language)
        following: list[tuple[str, str | None, str | None]] = []
        for prefix, a, b in pairs:
            old = entries.get(a, {}) if a else {}
            new = entries.get(b, {}) if b else {}
            for name in sorted(set(old) | set(new)):
                x, y = old.get(name), new.get(name)
                if x == y:
                    continue
                path = prefix + name
                x_tree = x[1] if x and x[0] == "tree" else None
                y_tree = y[1] if y and y[0] == "tree" else None
                if x_tree or y_tree:
                    following.append((path + "/", x_tree, y_tree))
                x_file = x if x and x[0] != "tree" else None
                y_file = y if y and y[0] != "tree" else None
                if x_file or y_file:
                    changed[path] = (x_file, y_file)
        pairs = following
    return changed


def blob_at(
    reader: Reader, tree: str, path: str, cache: TreeCache | None = None
) -> tuple[str, str] | None:
    """The ``(blob, language)`` at ``path`` in one tree (None if absent or not a file):
    one index lookup per folder level."""
    cache = cache if cache is not None else {}
    parts = path.split("/")
    for depth, part in enumerate(parts):
        match = next((r for r in _entries(reader, [tree], cache) if r[1] == part), None)
        if match is None:
            return None
        _tree, _name, kind, obj, language = match
        if depth == len(parts) - 1:
            return (obj, language or "") if kind in ("blob", "link") else None
        if kind != "tree":
            return None
        tree = obj
    return None


# path -> {commit -> the (blob, language) the commit left at the path, or None: deleted}
ChangeCache = dict[str, dict[str, tuple[str, str] | None]]
CHANGE_CACHE_LIMIT = 1024  # paths kept; cleared past this


def path_changes(
    reader: Reader, path: str, cache: ChangeCache
) -> dict[str, tuple[str, str] | None]:
    """Every stored change of ``path`` (one index lookup on ``file_changes``)."""
    found = cache.get(path)
    if found is None:
        if len(cache) >= CHANGE_CACHE_LIMIT:
            cache.clear()
        where, params = equals("path", path)
        found = cache[path] = {
            commit: (blob, language or "") if blob is not None else None
            for commit, blob, language in reader.rows(
                f"SELECT commit, after_blob, after_language FROM file_changes WHERE {where}",
                params,
            )
        }
    return found


def commit_changes(reader: Reader, commit: str) -> dict[str, tuple[Entry | None, Entry | None]]:
    """The stored changes of one commit against its first parent, shaped like
    :func:`changed_files`: ``path -> (old entry, new entry)``."""
    where, params = equals("commit", commit)
    out: dict[str, tuple[Entry | None, Entry | None]] = {}
    for path, before, before_language, after, after_language in reader.rows(
        "SELECT path, before_blob, before_language, after_blob, after_language "
        f"FROM file_changes WHERE {where}",
        params,
    ):
        out[path] = (_file(before, before_language), _file(after, after_language))
    return out


def _file(blob: str | None, language: str | None) -> Entry | None:
    if blob is None:
        return None
    return ("link" if language == LINK_LANGUAGE else "blob", blob, language)
