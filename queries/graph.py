"""refs, callers and callees: who uses a definition, and the call graph around it."""

from __future__ import annotations

import functools
import heapq
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from symbiote.queries.models import CallEdge, CallGraph, Reference, Symbol
from symbiote.queries.options import GraphOptions
from symbiote.queries.resolve import Resolver
from symbiote.queries.resolve_base import NAME, PRECISION
from symbiote.queries.resolve_defs import path_rank
from symbiote.queries.snapshot import Snapshot

_ORDER = {label: i for i, label in enumerate(PRECISION)}  # precise ones first
# Then uses in source code, then in examples, docs and benchmarks, then in tests
# (`callers` of a function: its callers in the code first), then by path and position.
_rank = functools.cache(path_rank)


def _passes(resolution: str, minimum: str) -> bool:
    """Whether a site resolved as ``resolution`` is kept under ``minimum``; the loosest
    minimum (``name``) keeps everything, calls nothing resolves included."""
    if minimum == NAME:
        return True
    return _ORDER.get(resolution, len(_ORDER)) <= _ORDER[minimum]


def _key(symbol: Symbol) -> tuple[str, int, str]:
    return (symbol.path, symbol.start_byte, symbol.qualified_name)


class _Holders:
    """Whether a resolver's candidate list holds a definition. A name match answers
    every row of a name with one shared list (thousands long for ``__init__``), so a
    long list's keys are gathered once, by its identity; holding the list keeps its id
    from being reused while this lives."""

    _SHORT = 8  # lists this short are searched directly

    def __init__(self) -> None:
        self._keys: dict[int, tuple[list[Symbol], frozenset[tuple[str, int, str]]]] = {}

    def holds(self, targets: list[Symbol], wanted: tuple[str, int, str]) -> bool:
        if len(targets) <= self._SHORT:
            return any(_key(t) == wanted for t in targets)
        entry = self._keys.get(id(targets))
        if entry is None or entry[0] is not targets:
            entry = self._keys[id(targets)] = (targets, frozenset(map(_key, targets)))
        return wanted in entry[1]


def refs(
    snap: Snapshot,
    resolver: Resolver,
    target: Symbol,
    *,
    kind: str | None = None,
    minimum: str = NAME,
) -> list[Reference]:
    """Every reference at the snapshot's commit that resolves to ``target``: precise
    ones (``scope``, ``import``) first, then name matches."""
    return _refs(snap, resolver, target, kind, minimum, _Holders())


def _refs(
    snap: Snapshot,
    resolver: Resolver,
    target: Symbol,
    kind: str | None,
    minimum: str,
    holders: _Holders,
) -> list[Reference]:
    wanted = _key(target)
    kinds = snap.reference_columns()["kind"]
    found: list[tuple[int, str, Symbol | None]] = []
    for row in _named(snap, resolver, target.name):
        if kind is not None and kinds[row] != kind:
            continue
        resolution, targets = resolver.resolve_shared(row)
        if not _passes(resolution, minimum):
            continue
        if holders.holds(targets, wanted):
            found.append((row, resolution, target))
    references = snap.references(found)
    references.sort(
        key=lambda r: (_ORDER.get(r.resolution, len(_ORDER)), _rank(r.path), r.path, r.start_byte)
    )
    return references


@dataclass(slots=True)
class Uses:
    """References that resolve alike (same resolution, same candidate list): their rows,
    put in (path, position) order on first use."""

    rows: list[int]
    resolution: str
    ordered: bool = False


def refs_by_target(
    snap: Snapshot, resolver: Resolver, name: str, wanted: set[tuple[str, int, str]]
) -> dict[tuple[str, int, str], list[tuple[Uses, Symbol]]]:
    """The references named ``name`` to the ``wanted`` definitions, grouped by definition
    (one pass, for callers that ask about many definitions of one name, like diff;
    :func:`materialise` makes them references)."""
    grouped: dict[tuple[str, int, str], list[tuple[Uses, Symbol]]] = {}
    # The resolver answers with the snapshot's own Symbol objects (built once each), so
    # the wanted definitions called `name` are recognised by identity, not by key.
    by_id: dict[int, tuple[str, int, str]] = {}
    for i in snap.by_name.get(name, ()):
        symbol = snap.symbols[i]
        if _key(symbol) in wanted:
            by_id[id(symbol)] = _key(symbol)
    if not by_id:
        return grouped
    # Rows matched by name share one ranked candidate list (thousands long for names like
    # `__init__`, and each of those a target): rows are grouped by the list they resolve
    # to, and each distinct list is searched once. Holding the lists keeps their ids
    # from being reused while this runs.
    groups: dict[tuple[int, str], tuple[Uses, list[Symbol]]] = {}
    for row in _named(snap, resolver, name):
        resolution, targets = resolver.resolve_shared(row)
        group = groups.get((id(targets), resolution))
        if group is None:
            group = groups[(id(targets), resolution)] = (Uses([], resolution), targets)
        group[0].rows.append(row)
    named = len(snap.by_name.get(name, ()))
    every = [snap.symbols[i] for i in snap.by_name.get(name, ()) if id(snap.symbols[i]) in by_id]
    for uses, targets in groups.values():
        # A name match answers with all definitions of the name, ranked: no need to look.
        everyone = uses.resolution == NAME and len(targets) == named
        for target in every if everyone else targets:
            target_key = by_id.get(id(target))
            if target_key is not None:
                grouped.setdefault(target_key, []).append((uses, target))
    return grouped


def _named(snap: Snapshot, resolver: Resolver, name: str) -> Iterator[int]:
    """The rows of the references named ``name``, or a name an import gives it."""
    for each in resolver.imports.names_of(name):
        yield from snap.reference_rows(name=each)


def materialise(
    snap: Snapshot, found: list[tuple[Uses, Symbol]], limit: int | None = None
) -> tuple[list[Reference], int]:
    """References from :func:`refs_by_target` groups, precise ones first, at most
    ``limit`` of them; and how many there are in all."""
    columns = snap.reference_columns()
    paths, starts = columns["path"], columns["start_byte"]
    streams = []
    for uses, target in found:
        if not uses.ordered:
            uses.rows.sort(key=lambda row: (_rank(paths[row]), paths[row], starts[row]))
            uses.ordered = True
        streams.append(_ranked(uses, target, paths, starts))
    # Each row is in one group only, so (order, rank, path, start, row) decides every
    # comparison.
    first = itertools.islice(heapq.merge(*streams), limit)
    references = snap.references(
        [(row, resolution, target) for *_, row, resolution, target in first]
    )
    return references, sum(len(uses.rows) for uses, _ in found)


def _ranked(
    uses: Uses, target: Symbol, paths: Sequence[str], starts: Sequence[int]
) -> Iterator[tuple[int, int, str, int, int, str, Symbol]]:
    order = _ORDER.get(uses.resolution, len(_ORDER))
    for row in uses.rows:
        yield order, _rank(paths[row]), paths[row], starts[row], row, uses.resolution, target


def key(symbol: Symbol) -> tuple[str, int, str]:
    """What identifies a definition within one commit."""
    return _key(symbol)


def callers(snap: Snapshot, resolver: Resolver, target: Symbol, options: GraphOptions) -> CallGraph:
    """Calls of ``target``, and (with depth > 1) calls of its callers, breadth first,
    visiting at most ``options.max_nodes`` definitions."""
    walk = _Walk(target, options)
    holders = _Holders()  # shared by the walk: the same name lists come back
    for level in range(1, options.depth + 1):
        for callee in walk.frontier():
            minimum = options.min_resolution
            for site in _refs(snap, resolver, callee, "call", minimum, holders):
                caller = _enclosing(snap, site)
                walk.edge(CallEdge(caller, callee, site, level), caller, level)
                if walk.full():
                    return walk.result()
    return walk.result()


def callees(snap: Snapshot, resolver: Resolver, target: Symbol, options: GraphOptions) -> CallGraph:
    """Calls made directly in ``target``'s body, resolved, breadth first to
    ``options.depth``, visiting at most ``options.max_nodes`` definitions."""
    walk = _Walk(target, options)
    for level in range(1, options.depth + 1):
        for caller in walk.frontier():
            idx = _idx(snap, caller)
            for row in snap.reference_rows(path=caller.path):
                if snap.reference_field(row, "kind") != "call":
                    continue
                if snap.reference_field(row, "enclosing_idx") != idx:
                    continue
                resolution, targets = resolver.resolve(row)
                if not _passes(resolution, options.min_resolution):
                    continue
                site_targets = targets if resolution != NAME else targets[:1]
                if not site_targets:
                    site = snap.reference(row, resolution, None)
                    walk.edge(CallEdge(caller, None, site, level), None, level)
                for callee in site_targets:
                    site = snap.reference(row, resolution, callee)
                    walk.edge(CallEdge(caller, callee, site, level), callee, level)
                if walk.full():
                    return walk.result()
    return walk.result()


class _Walk:
    """A breadth-first walk over definitions, bounded by the definitions it visits."""

    def __init__(self, start: Symbol, options: GraphOptions) -> None:
        self.depth = options.depth
        self.budget = max(options.max_nodes, 1)
        self.seen = {_key(start)}
        self.edges: list[CallEdge] = []
        self._next: list[Symbol] = [start]
        self.unexpanded: list[Symbol] = []
        self.complete = True
        self.max_edges = options.max_edges
        self.cut = False

    def frontier(self) -> list[Symbol]:
        """The definitions to follow at the next level (each once)."""
        current, self._next = self._next, []
        return current

    def edge(self, edge: CallEdge, reached: Symbol | None, level: int) -> None:
        """Record ``edge``; follow ``reached`` at the next level while the budget lasts."""
        self.edges.append(edge)
        if reached is None or _key(reached) in self.seen:
            return
        self.seen.add(_key(reached))
        if level >= self.depth:
            return
        if len(self.seen) > self.budget:
            self.complete = False
            self.unexpanded.append(reached)
            return
        self._next.append(reached)

    def full(self) -> bool:
        """Whether the edges reached ``max_edges`` (the walk stops there, cut)."""
        self.cut = self.max_edges is not None and len(self.edges) >= self.max_edges
        return self.cut

    def result(self) -> CallGraph:
        return CallGraph(self.edges, self.complete, self.unexpanded, self.cut)


def _idx(snap: Snapshot, symbol: Symbol) -> int:
    return snap.extra[snap.index_of(symbol)][0]


def _enclosing(snap: Snapshot, site: Reference) -> Symbol | None:
    if site.enclosing is None:
        return None
    for i in snap.named_in(site.path, site.enclosing):
        s = snap.symbols[i]
        if s.start_byte <= site.start_byte < s.end_byte:
            return s
    return None
