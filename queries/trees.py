"""Comparing two commits' trees without expanding them: only differing subtrees are read.

This is how git diffs trees, done over the stored ``tree_entries``: one query per level
of difference, for the pairs of subtrees whose shas differ.
"""

from __future__ import annotations

from collections import defaultdict

from queries.reader import Reader, sha_list

Entry = tuple[str, str, str | None]  # (kind, object, language)


def changed_files(
    reader: Reader, old_tree: str, new_tree: str
) -> dict[str, tuple[Entry | None, Entry | None]]:
    """Every non-tree path whose entry differs: ``path -> (old entry, new entry)``."""
    changed: dict[str, tuple[Entry | None, Entry | None]] = {}
    pairs: list[tuple[str, str | None, str | None]] = [("", old_tree, new_tree)]
    while pairs:
        trees = sorted({t for _, a, b in pairs for t in (a, b) if t is not None})
        entries: dict[str, dict[str, Entry]] = defaultdict(dict)
        for tree, name, kind, obj, language in reader.rows(
            "SELECT tree, name, kind, object, language FROM tree_entries "
            f"WHERE list_contains({sha_list(trees)}, tree)",
        ):
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
