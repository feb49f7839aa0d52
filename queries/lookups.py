"""The lookups of one index: definitions by name, position and file, and who uses what
(see :mod:`symbiote.queries.locate` and :mod:`symbiote.queries.graph`)."""

from __future__ import annotations

from dataclasses import replace

from symbiote.indexer.errors import QueryError, UnknownPath
from symbiote.queries import graph, locate
from symbiote.queries.commits import Commits
from symbiote.queries.models import CallGraph, Goto, OutlineNode, Reference, Symbol
from symbiote.queries.options import (
    MAX_DEPTH,
    RESOLUTIONS,
    FindOptions,
    GraphOptions,
    RefsOptions,
)
from symbiote.queries.resolve_defs import TYPES, path_rank
from symbiote.queries.snapshot import Snapshot


class Lookups:
    """Definitions and references at any indexed commit."""

    def __init__(self, commits: Commits) -> None:
        self.commits = commits

    def definition(self, target: str, *, at: str = "HEAD") -> Symbol:
        """The definition ``target`` names: ``PATH::QUALNAME`` or a qualified name that
        is unambiguous at the commit."""
        return locate.definition(self.commits.snapshot(at), target)

    def symbols(self, *, at: str = "HEAD", path: str | None = None) -> list[Symbol]:
        """Definitions at a commit, optionally in one file (or under one folder), in
        source order."""
        snap = self.commits.snapshot(at)
        if path is None:
            return sorted(snap.symbols, key=_source_order)
        clean = path.strip().strip("/")
        chosen = [s for s in snap.symbols if s.path == clean or s.path.startswith(clean + "/")]
        if not chosen and not any(p == clean or p.startswith(clean + "/") for p in snap.files):
            raise UnknownPath(f"{path!r} is not in commit {snap.commit[:12]} ({at})")
        return sorted(chosen, key=_source_order)

    def find(self, query: str, *, at: str, options: FindOptions) -> list[Symbol]:
        """Definitions by exact name, qualified name, prefix or fuzzy match, best first;
        ``Class.member`` also finds a member ``Class`` inherits (marked ``inherited_by``)."""
        snap = self.commits.snapshot(at)
        found = locate.find(snap, query, options)
        dotted = query.replace("::", ".")
        if options.mode in ("auto", "qualified") and "." in dotted:
            if not any(
                s.qualified_name.endswith("." + dotted) or s.qualified_name == dotted for s in found
            ):
                inherited = self._inherited(snap, dotted, options)
                found = (inherited + found)[: options.limit] if options.limit else inherited + found
        return found

    def _inherited(self, snap: Snapshot, dotted: str, options: FindOptions) -> list[Symbol]:
        """Members named like ``Owner.member`` that ``Owner`` inherits from a base."""
        owner_name, _, member = dotted.rpartition(".")
        leaf = owner_name.rpartition(".")[2]
        hierarchy = self.commits.resolver(snap).hierarchy
        out: list[Symbol] = []
        seen: set[tuple[str, int]] = set()
        owners = sorted(snap.by_name.get(leaf, ()), key=lambda i: path_rank(snap.symbols[i].path))
        for i in owners:
            owner = snap.symbols[i]
            qualified = owner.qualified_name
            if owner.kind not in TYPES or not (
                qualified == owner_name or qualified.endswith("." + owner_name)
            ):
                continue
            for found in hierarchy.inherited(owner, member, 0):
                candidate = replace(found, inherited_by=owner.symbol)
                if (found.path, found.start_byte) not in seen and locate.keep(
                    candidate.kind, candidate.language, candidate.path, options
                ):
                    seen.add((found.path, found.start_byte))
                    out.append(candidate)
        return out

    def goto(self, path: str, line: int, col: int, *, at: str) -> Goto:
        """What the identifier at ``path:line:col`` refers to."""
        snap = self.commits.snapshot(at)
        return locate.goto(snap, self.commits.resolver(snap), path, line, col)

    def outline(self, path: str, *, at: str) -> list[OutlineNode]:
        """The definitions of a file as a tree."""
        return locate.outline(self.commits.snapshot(at), path)

    def refs(self, target: str, *, at: str, options: RefsOptions) -> list[Reference]:
        """Every reference to a definition, precise ones first, source before tests (of a
        Python ``@overload`` signature: those of the implementation it declares)."""
        snap = self.commits.snapshot(at)
        if options.min_resolution not in RESOLUTIONS:
            raise QueryError(
                f"min_resolution is one of {', '.join(RESOLUTIONS)}, not {options.min_resolution!r}"
            )
        resolver = self.commits.resolver(snap)
        return graph.refs(
            snap,
            resolver,
            resolver.hierarchy.meant(locate.definition(snap, target)),
            kind=options.kind,
            minimum=options.min_resolution,
        )

    def callers(self, target: str, *, at: str, options: GraphOptions) -> CallGraph:
        """Who calls a definition, breadth first."""
        snap = self.commits.snapshot(at)
        resolver = self.commits.resolver(snap)
        symbol = resolver.hierarchy.meant(locate.definition(snap, target))
        return graph.callers(snap, resolver, symbol, _checked(options))

    def callees(self, target: str, *, at: str, options: GraphOptions) -> CallGraph:
        """What a definition calls, breadth first."""
        snap = self.commits.snapshot(at)
        resolver = self.commits.resolver(snap)
        symbol = resolver.hierarchy.meant(locate.definition(snap, target))
        return graph.callees(snap, resolver, symbol, _checked(options))


def _named(qualified: str, dotted: str) -> bool:
    """Whether a qualified name is ``dotted`` or ends with it."""
    return qualified == dotted or qualified.endswith("." + dotted)


def _source_order(symbol: Symbol) -> tuple[str, int]:
    return (symbol.path, symbol.start_byte)


def _checked(options: GraphOptions) -> GraphOptions:
    if not 1 <= options.depth <= MAX_DEPTH:
        raise QueryError(f"depth must be between 1 and {MAX_DEPTH}, not {options.depth}")
    if options.max_nodes < 1:
        raise QueryError(f"max_nodes must be at least 1, not {options.max_nodes}")
    if options.max_edges is not None and options.max_edges < 1:
        raise QueryError(f"max_edges must be at least 1, not {options.max_edges}")
    if options.min_resolution not in RESOLUTIONS:
        raise QueryError(f"min_resolution is one of {', '.join(RESOLUTIONS)}")
    return options
