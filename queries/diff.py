"""Definitions added, removed, changed, moved and renamed between two commits.

Only files whose blob differs are compared. Definitions are matched by path and
qualified name; what is left is matched by body (same hash, or a line-sketch similarity
of at least :data:`queries.history.SIMILAR`): across files with the same name
(``moved``) or within a file under another name (``renamed``). A changed signature is
flagged, since that is what breaks callers; each changed definition comes with its
references at the newer commit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace

from queries.history import SIMILAR, similarity
from queries.models import DiffEntry, Reference, Symbol
from queries.reader import Reader, sha_list
from queries.snapshot import SYMBOL_SQL
from queries.trees import changed_files

_ORDER = {"removed": 0, "changed": 1, "moved": 2, "renamed": 3, "added": 4}


Versioned = tuple[Symbol, list[int]]  # a definition and its line sketch


def changed_definitions(
    reader: Reader, old: tuple[str, str], new: tuple[str, str]
) -> tuple[list[Versioned], list[Versioned]]:
    """Definitions of the files that differ between two ``(commit, tree)``: old and new."""
    changed = changed_files(reader, old[1], new[1])
    sides: list[dict[tuple[str, str], list[str]]] = [{}, {}]
    for path, entries in changed.items():
        for side, entry in zip(sides, entries, strict=True):
            if entry is not None and entry[0] == "blob" and entry[2] is not None:
                side.setdefault((entry[1], entry[2]), []).append(path)
    out: list[list[Versioned]] = [[], []]
    for (commit, _tree), side, found in zip((old, new), sides, out, strict=True):
        if not side:
            continue
        blobs = sha_list(sorted({blob for blob, _ in side}))
        table = reader.table(SYMBOL_SQL.format(blobs=blobs), [])
        cols = {name: table.column(name).to_pylist() for name in table.column_names}
        for row in zip(*cols.values(), strict=True):
            for path in side.get((row[0], row[1]), ()):
                found.append((Symbol(commit, path, *row[:15]), row[19]))
    return out[0], out[1]


def diff(
    old: list[Versioned],
    new: list[Versioned],
    references_of: Callable[[Symbol], list[Reference]] | None,
    *,
    reference_limit: int = 100,
) -> list[DiffEntry]:
    """What changed from the ``old`` definitions to the ``new`` ones (both restricted to
    files that differ); ``references_of`` finds uses at the newer commit."""
    old_by_key = _keyed(old)
    new_by_key = _keyed(new)
    entries: list[DiffEntry] = []
    unmatched_old: list[tuple[Symbol, list[int]]] = []
    unmatched_new: list[tuple[Symbol, list[int]]] = []
    for key, (symbol, sketch) in new_by_key.items():
        previous = old_by_key.get(key)
        if previous is None:
            unmatched_new.append((symbol, sketch))
        elif previous[0].body_hash != symbol.body_hash:
            entries.append(_entry("changed", previous[0], symbol))
    unmatched_old = [v for k, v in old_by_key.items() if k not in new_by_key]

    taken: set[int] = set()
    for symbol, sketch in unmatched_new:
        match = _best(symbol, sketch, unmatched_old, taken)
        if match is None:
            entries.append(_entry("added", None, symbol))
            continue
        index, before = match
        taken.add(index)
        change = "moved" if before.path != symbol.path else "renamed"
        entries.append(_entry(change, before, symbol))
    for index, (symbol, _sketch) in enumerate(unmatched_old):
        if index not in taken:
            entries.append(_entry("removed", symbol, None))

    if references_of is not None:
        entries = [_with_references(e, references_of, reference_limit) for e in entries]
    entries.sort(key=lambda e: (_ORDER[e.change], e.path, e.qualified_name))
    return entries


def _keyed(symbols: list[Versioned]) -> dict[tuple[str, str, str, int], Versioned]:
    out: dict[tuple[str, str, str, int], Versioned] = {}
    seen: dict[tuple[str, str, str], int] = defaultdict(int)
    for s, sketch in sorted(symbols, key=lambda v: (v[0].path, v[0].start_byte)):
        base = (s.path, s.qualified_name, s.kind)
        out[(*base, seen[base])] = (s, sketch)
        seen[base] += 1
    return out


def _best(
    symbol: Symbol, sketch: list[int], olds: list[tuple[Symbol, list[int]]], taken: set[int]
) -> tuple[int, Symbol] | None:
    best: tuple[int, Symbol] | None = None
    best_score = 0.0
    for index, (old, old_sketch) in enumerate(olds):
        if index in taken or old.kind != symbol.kind:
            continue
        same_path = old.path == symbol.path
        if not same_path and old.name != symbol.name:
            continue  # a move keeps the name; a rename keeps the file
        if same_path and old.name == symbol.name:
            continue
        score = 1.0 if old.body_hash == symbol.body_hash else similarity(old_sketch, sketch)
        if score >= SIMILAR and score > best_score:
            best, best_score = (index, old), score
    return best


def _entry(change: str, old: Symbol | None, new: Symbol | None) -> DiffEntry:
    current = new or old
    assert current is not None
    old_signature = old.signature if old else None
    new_signature = new.signature if new else None
    return DiffEntry(
        change=change,
        qualified_name=current.qualified_name,
        kind=current.kind,
        path=current.path,
        previous_path=old.path if old and new and old.path != new.path else None,
        previous_qualified_name=(
            old.qualified_name if old and new and old.qualified_name != new.qualified_name else None
        ),
        signature=new_signature,
        previous_signature=old_signature,
        signature_changed=bool(old and new and _normal(old.signature) != _normal(new.signature)),
        old=old,
        new=new,
        references=[],
    )


def _normal(signature: str) -> str:
    return " ".join(signature.split())


def _with_references(
    entry: DiffEntry, references_of: Callable[[Symbol], list[Reference]], limit: int
) -> DiffEntry:
    if entry.new is None or entry.change == "added":
        return entry
    return replace(entry, references=references_of(entry.new)[:limit])
