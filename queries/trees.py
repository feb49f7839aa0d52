"""Comparing two commits' trees without expanding them: only differing subtrees are read.

This is how git diffs trees, done over the stored ``tree_entries``: per level of
difference, the pairs of subtrees whose shas differ are read by index lookups.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from queries.reader import Reader, equals, sha_list

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
