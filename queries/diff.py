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
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from symbiote.queries.columns import Lazy, placed
from symbiote.queries.definitions import Definitions
from symbiote.queries.history import SIMILAR, similarity
from symbiote.queries.loads import SYMBOL_SQL
from symbiote.queries.models import DiffEntry, Reference, Symbol
from symbiote.queries.reader import Reader, of_blobs
from symbiote.queries.snapshot import Snapshot
from symbiote.queries.trees import changed_files

_ORDER = {"removed": 0, "changed": 1, "moved": 2, "renamed": 3, "added": 4}


# The uses of a definition at the newer commit: at most ``limit`` of them, and how many.
References = Callable[[Symbol, int], tuple[list[Reference], int]]


# Columns a diff reads for most of the definitions it compares: made a plain list at
# once (Arrow converts a column in one call; read a row at a time, decoding each text,
# they cost ~0.3 s for the 35,000 definitions of a sqlalchemy release's files).
_LISTED = frozenset({"path", "qualified_name", "kind", "name", "body_hash", "start_byte"})
# The columns that tell what became of a definition.
_COMPARED = ("kind", "path", "name", "qualified_name", "body_hash", "sketch")


class Side:
    """The definitions of the differing files on one side of a diff: positions into
    their rows, in (path, start) order. Most definitions are the same on both sides, so
    a :class:`Symbol` is built only for one that is reported."""

    def __init__(self, definitions: Definitions, positions: list[int]) -> None:
        self.definitions = definitions
        self.positions = positions

    def column(self, name: str) -> Sequence[Any]:
        """One column of the rows; those of :data:`_LISTED` as a new plain list each
        time (a diff kept for its next page does not keep them)."""
        if name in _LISTED:
            return self.definitions.values(name)
        return self.definitions.column(name)

    def symbol(self, i: int) -> Symbol:
        """The definition at position ``i``."""
        return self.definitions[i]

    def kept(self, positions: list[int]) -> Side:
        """The definitions at ``positions`` only (see :meth:`Definitions.kept`), at
        positions 0, 1, ... in that order."""
        return Side(self.definitions.kept(positions), list(range(len(positions))))

    @classmethod
    def of_definitions(cls, definitions: Definitions) -> Side:
        """All of ``definitions`` (rows read for the differing files)."""
        paths, starts = definitions.paths, definitions.values("start_byte")
        order = sorted(range(len(paths)), key=lambda i: (paths[i], starts[i]))
        return cls(definitions, order)

    @classmethod
    def of_snapshot(cls, snap: Snapshot, paths: list[str]) -> Side:
        """The definitions of ``paths`` in a loaded snapshot (a diff keeps copies of the
        ones it reports, not the snapshot: see :func:`changes`)."""
        positions = [i for path in sorted(paths) for i in snap.by_path.get(path, ())]
        return cls(snap.symbols, positions)

    def identities(self) -> set[tuple[str, int, str]]:
        """(path, start byte, qualified name) of every definition (see ``graph.key``)."""
        paths, starts, names = (
            self.column("path"),
            self.column("start_byte"),
            self.column("qualified_name"),
        )
        return {(paths[i], starts[i], names[i]) for i in self.positions}

    def keyed(self, columns: dict[str, Sequence[Any]]) -> dict[tuple[str, str, str, int], int]:
        """Position of each definition by (path, qualified name, kind, ordinal), from
        this side's ``columns``: the ordinal tells apart same-named definitions of one
        file, in source order."""
        paths, names, kinds = columns["path"], columns["qualified_name"], columns["kind"]
        out: dict[tuple[str, str, str, int], int] = {}
        seen: dict[tuple[str, str, str], int] = defaultdict(int)
        for i in self.positions:
            base = (paths[i], names[i], kinds[i])
            out[(*base, seen[base])] = i
            seen[base] += 1
        return out


def changed_definitions(
    reader: Reader,
    old: tuple[str, str],
    new: tuple[str, str],
    loaded: Callable[[str], Snapshot | None] = lambda _commit: None,
) -> tuple[Side, Side]:
    """Definitions of the files that differ between two ``(commit, tree)``: old and new.
    A side whose commit is ``loaded`` as a snapshot is read from it, not from the store."""
    changed = changed_files(reader, old[1], new[1])
    sides: list[dict[tuple[str, str | None], list[str]]] = [{}, {}]
    for path, entries in changed.items():
        for side, entry in zip(sides, entries, strict=True):
            if entry is not None and entry[0] == "blob" and entry[2] is not None:
                side.setdefault((entry[1], entry[2]), []).append(path)
    out: list[Side] = []
    for (commit, _tree), side in zip((old, new), sides, strict=True):
        snap = loaded(commit)
        if snap is not None:
            out.append(Side.of_snapshot(snap, [p for paths in side.values() for p in paths]))
            continue
        blobs = sorted({blob for blob, _ in side})
        sql = of_blobs(SYMBOL_SQL, blobs) + ("" if side else " LIMIT 0")
        table = placed(reader.table(sql, []), side)
        out.append(Side.of_definitions(Definitions(commit, table)))
    return out[0], out[1]


def snapshot_sides(old: Snapshot, new: Snapshot) -> tuple[Side, Side]:
    """Definitions of the files that differ between two loaded snapshots (one of them
    the working tree: it has no stored tree to compare)."""
    paths = set(old.files) | set(new.files)
    changed = sorted(p for p in paths if old.files.get(p) != new.files.get(p))
    return Side.of_snapshot(old, changed), Side.of_snapshot(new, changed)


class Found(Lazy[DiffEntry]):
    """Diff entries in their final order, each made (its definitions built) when first
    read: ``(change, old position, new position)`` of each."""

    def __init__(self, old: Side, new: Side, found: list[tuple[str, int | None, int | None]]):
        self._old, self._new, self._found = old, new, found
        self._made: dict[int, DiffEntry] = {}

    def __len__(self) -> int:
        return len(self._found)

    def identities(self) -> set[tuple[str, int, str]]:
        """:meth:`Side.identities` of the newer definitions the entries report."""
        return self._new.identities()

    def _at(self, i: int) -> DiffEntry:
        entry = self._made.get(i)
        if entry is None:
            change, a, b = self._found[i]
            before = self._old.symbol(a) if a is not None else None
            after = self._new.symbol(b) if b is not None else None
            entry = self._made[i] = _entry(change, before, after)
        return entry


class Entries(Lazy[DiffEntry]):
    """Diff entries in their final order, each given its references (``references_of``)
    when it is first read: a page of a long diff resolves the uses of its own entries
    only, and reading them all gives what an eager diff gives."""

    def __init__(self, entries: Sequence[DiffEntry], references_of: References, limit: int) -> None:
        self._entries = entries
        self._done: dict[int, DiffEntry] = {}
        self._references_of = references_of
        self._limit = limit

    def __len__(self) -> int:
        return len(self._entries)

    def _at(self, i: int) -> DiffEntry:
        entry = self._done.get(i)
        if entry is None:
            entry = _with_references(self._entries[i], self._references_of, self._limit)
            self._done[i] = entry
        return entry


def diff(
    old: Side, new: Side, references_of: References | None, *, reference_limit: int = 20
) -> list[DiffEntry]:
    """What changed from the ``old`` definitions to the ``new`` ones (both restricted to
    files that differ); ``references_of`` finds uses at the newer commit."""
    entries = changes(old, new)
    if references_of is None:
        return list(entries)
    return list(Entries(entries, references_of, reference_limit))


def changes(old: Side, new: Side) -> Found:
    """:func:`diff`'s entries in its order, without references; each made when first
    read (a page of a long diff builds the definitions of its own entries only)."""
    o = {f: old.column(f) for f in _COMPARED}
    n = {f: new.column(f) for f in _COMPARED}
    old_by_key, new_by_key = old.keyed(o), new.keyed(n)
    old_hashes, new_hashes = o["body_hash"], n["body_hash"]
    found: list[tuple[str, int | None, int | None]] = []
    unmatched_new: list[int] = []
    for key, j in new_by_key.items():
        i = old_by_key.get(key)
        if i is None:
            unmatched_new.append(j)
        elif old_hashes[i] != new_hashes[j]:
            found.append(("changed", i, j))
    unmatched_old = [i for k, i in old_by_key.items() if k not in new_by_key]

    # A move keeps the kind and name; a rename keeps the kind and file: only those are
    # compared (in the order of unmatched_old, so ties go to the first, as before).
    kinds, paths, names = o["kind"], o["path"], o["name"]
    alike: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for rank, i in enumerate(unmatched_old):
        alike[("path", kinds[i], paths[i])].append(rank)
        alike[("name", kinds[i], names[i])].append(rank)
    new_kinds, new_paths, new_names = n["kind"], n["path"], n["name"]
    taken: set[int] = set()
    for j in unmatched_new:
        ranks = set(alike.get(("path", new_kinds[j], new_paths[j]), ()))
        ranks.update(alike.get(("name", new_kinds[j], new_names[j]), ()))
        i = _best(o, [unmatched_old[r] for r in sorted(ranks)], taken, n, j)
        if i is None:
            found.append(("added", None, j))
            continue
        taken.add(i)
        found.append(("moved" if paths[i] != new_paths[j] else "renamed", i, j))
    found.extend(("removed", i, None) for i in unmatched_old if i not in taken)

    # The order of the entries: by change, then the current path and qualified name.
    old_names, new_qualified = o["qualified_name"], n["qualified_name"]

    def order(f: tuple[str, int | None, int | None]) -> tuple[int, str, str]:
        change, i, j = f
        if j is not None:
            return _ORDER[change], new_paths[j], new_qualified[j]
        assert i is not None
        return _ORDER[change], paths[i], old_names[i]

    found.sort(key=order)
    # Kept for the diff's next pages: copies of the rows of the definitions reported,
    # not the sides (a loaded snapshot's tables, which stayed in memory after the index
    # let the commit go, ~45 MB; then every definition of the changed files, ~20 MB,
    # for sqlalchemy's release diff of bench/agent_session.py: 1,134 of ~70,000 kept).
    olds = sorted({i for _, i, _ in found if i is not None})
    news = sorted({j for _, _, j in found if j is not None})
    old_at = {i: k for k, i in enumerate(olds)}
    new_at = {j: k for k, j in enumerate(news)}
    return Found(
        old.kept(olds),
        new.kept(news),
        [
            (change, None if i is None else old_at[i], None if j is None else new_at[j])
            for change, i, j in found
        ],
    )


def _best(
    o: dict[str, Sequence[Any]],
    candidates: list[int],
    taken: set[int],
    n: dict[str, Sequence[Any]],
    j: int,
) -> int | None:
    """The old definition (columns ``o``) that the new definition ``j`` (columns ``n``)
    most likely was: the same body, or a similar one, moved to a file of the same name
    or renamed within its file."""
    kind, path, name = n["kind"][j], n["path"][j], n["name"][j]
    best: int | None = None
    best_score = 0.0
    for i in candidates:
        if i in taken or o["kind"][i] != kind:
            continue
        same_path = o["path"][i] == path
        if not same_path and o["name"][i] != name:
            continue  # a move keeps the name; a rename keeps the file
        if same_path and o["name"][i] == name:
            continue
        if o["body_hash"][i] == n["body_hash"][j]:
            score = 1.0
        else:
            score = similarity(o["sketch"][i] or [], n["sketch"][j] or [])
        if score >= SIMILAR and score > best_score:
            best, best_score = i, score
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


def _with_references(entry: DiffEntry, references_of: References, limit: int) -> DiffEntry:
    if entry.new is None or entry.change == "added":
        return entry
    references, count = references_of(entry.new, limit)
    return replace(entry, references=references, reference_count=count)
