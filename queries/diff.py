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
from dataclasses import replace

from queries.graph import refs
from queries.history import SIMILAR, similarity
from queries.models import DiffEntry, Reference, Symbol
from queries.resolve import Resolver
from queries.snapshot import Snapshot

_ORDER = {"removed": 0, "changed": 1, "moved": 2, "renamed": 3, "added": 4}


def diff(
    old: Snapshot,
    new: Snapshot,
    resolver: Resolver,
    *,
    references: bool = True,
    reference_limit: int = 100,
) -> list[DiffEntry]:
    """What changed from ``old`` to ``new`` (``resolver`` belongs to ``new``)."""
    paths = {p for p in set(old.files) | set(new.files) if old.files.get(p) != new.files.get(p)}
    old_by_key = _keyed(old, paths)
    new_by_key = _keyed(new, paths)
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

    if references:
        entries = [_with_references(e, new, resolver, reference_limit) for e in entries]
    entries.sort(key=lambda e: (_ORDER[e.change], e.path, e.qualified_name))
    return entries


def _keyed(
    snap: Snapshot, paths: set[str]
) -> dict[tuple[str, str, str, int], tuple[Symbol, list[int]]]:
    out: dict[tuple[str, str, str, int], tuple[Symbol, list[int]]] = {}
    seen: dict[tuple[str, str, str], int] = defaultdict(int)
    for path in sorted(paths):
        for i in snap.by_path.get(path, ()):
            s = snap.symbols[i]
            base = (s.path, s.qualified_name, s.kind)
            out[(*base, seen[base])] = (s, snap.extra[i][4])
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


def _with_references(entry: DiffEntry, new: Snapshot, resolver: Resolver, limit: int) -> DiffEntry:
    if entry.new is None or entry.change == "added":
        return entry
    found: list[Reference] = refs(new, resolver, entry.new)[:limit]
    return replace(entry, references=found)
