"""refs, callers and callees: who uses a definition, and the call graph around it."""

from __future__ import annotations

from queries.models import CallEdge, Reference, Symbol
from queries.resolve import IMPORT, NAME, SCOPE, Resolver
from queries.snapshot import Snapshot

_ORDER = {SCOPE: 0, IMPORT: 1, NAME: 2}


def _key(symbol: Symbol) -> tuple[str, int, str]:
    return (symbol.path, symbol.start_byte, symbol.qualified_name)


def refs(
    snap: Snapshot, resolver: Resolver, target: Symbol, *, kind: str | None = None
) -> list[Reference]:
    """Every reference at the snapshot's commit that resolves to ``target``: precise
    ones (``scope``, ``import``) first, then name matches."""
    wanted = _key(target)
    found: list[Reference] = []
    for row in snap.reference_rows(name=target.name):
        if kind is not None and snap.reference_field(row, "kind") != kind:
            continue
        resolution, targets = resolver.resolve(row)
        if any(_key(t) == wanted for t in targets):
            found.append(snap.reference(row, resolution, target))
    found.sort(key=lambda r: (_ORDER.get(r.resolution, 3), r.path, r.start_byte))
    return found


def refs_by_target(
    snap: Snapshot, resolver: Resolver, name: str, wanted: set[tuple[str, int, str]]
) -> dict[tuple[str, int, str], list[tuple[int, str, Symbol]]]:
    """The references named ``name`` to the ``wanted`` definitions, grouped by definition,
    as ``(row, resolution, target)`` (one pass, for callers that ask about many
    definitions of one name, like diff; :func:`materialise` makes them references)."""
    grouped: dict[tuple[str, int, str], list[tuple[int, str, Symbol]]] = {}
    # The resolver answers with the snapshot's own Symbol objects (built once each), so
    # the wanted definitions called `name` are recognised by identity, not by key.
    by_id: dict[int, tuple[str, int, str]] = {}
    for i in snap.by_name.get(name, ()):
        symbol = snap.symbols[i]
        if _key(symbol) in wanted:
            by_id[id(symbol)] = _key(symbol)
    if not by_id:
        return grouped
    for row in snap.reference_rows(name=name):
        resolution, targets = resolver.resolve(row)
        for target in targets:
            target_key = by_id.get(id(target))
            if target_key is not None:
                grouped.setdefault(target_key, []).append((row, resolution, target))
    return grouped


def materialise(snap: Snapshot, found: list[tuple[int, str, Symbol]]) -> list[Reference]:
    """References from :func:`refs_by_target` rows: precise ones first."""
    out = [snap.reference(row, resolution, target) for row, resolution, target in found]
    out.sort(key=lambda r: (_ORDER.get(r.resolution, 3), r.path, r.start_byte))
    return out


def key(symbol: Symbol) -> tuple[str, int, str]:
    """What identifies a definition within one commit."""
    return _key(symbol)


def callers(snap: Snapshot, resolver: Resolver, target: Symbol, depth: int = 1) -> list[CallEdge]:
    """Calls of ``target``, and (with depth > 1) calls of its callers, breadth first."""
    edges: list[CallEdge] = []
    seen = {_key(target)}
    frontier = [target]
    for level in range(1, depth + 1):
        following: list[Symbol] = []
        for callee in frontier:
            for site in refs(snap, resolver, callee, kind="call"):
                caller = _enclosing(snap, site)
                edges.append(CallEdge(caller, callee, site, level))
                if caller is not None and _key(caller) not in seen:
                    seen.add(_key(caller))
                    following.append(caller)
        frontier = following
    return edges


def callees(snap: Snapshot, resolver: Resolver, target: Symbol, depth: int = 1) -> list[CallEdge]:
    """Calls made directly in ``target``'s body, resolved, breadth first to ``depth``."""
    edges: list[CallEdge] = []
    seen = {_key(target)}
    frontier = [target]
    for level in range(1, depth + 1):
        following: list[Symbol] = []
        for caller in frontier:
            idx = _idx(snap, caller)
            for row in snap.reference_rows(path=caller.path):
                if snap.reference_field(row, "kind") != "call":
                    continue
                if snap.reference_field(row, "enclosing_idx") != idx:
                    continue
                resolution, targets = resolver.resolve(row)
                site_targets = targets if resolution != NAME else targets[:1]
                if not site_targets:
                    edges.append(
                        CallEdge(caller, None, snap.reference(row, resolution, None), level)
                    )
                for callee in site_targets:
                    edges.append(
                        CallEdge(caller, callee, snap.reference(row, resolution, callee), level)
                    )
                    if _key(callee) not in seen:
                        seen.add(_key(callee))
                        following.append(callee)
        frontier = following
    return edges


def _idx(snap: Snapshot, symbol: Symbol) -> int:
    return snap.extra[snap.index_of(symbol)][0]


def _enclosing(snap: Snapshot, site: Reference) -> Symbol | None:
    for i in snap.by_path.get(site.path, ()):
        s = snap.symbols[i]
        if s.qualified_name == site.enclosing and s.start_byte <= site.start_byte < s.end_byte:
            return s
    return None
