"""The lookups of one index: definitions by name, position and file, and who uses what
(see :mod:`symbiote.queries.locate` and :mod:`symbiote.queries.graph`)."""

from __future__ import annotations

from symbiote.indexer.errors import QueryError, UnknownPath
from symbiote.queries import graph, locate
from symbiote.queries.commits import Commits
from symbiote.queries.models import CallGraph, Goto, OutlineNode, Reference, Symbol
from symbiote.queries.options import MAX_DEPTH, FindOptions, GraphOptions


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
        """Definitions by exact name, qualified name, prefix or fuzzy match, best first."""
        return locate.find(self.commits.snapshot(at), query, options)

    def goto(self, path: str, line: int, col: int, *, at: str) -> Goto:
        """What the identifier at ``path:line:col`` refers to."""
        snap = self.commits.snapshot(at)
        return locate.goto(snap, self.commits.resolver(snap), path, line, col)

    def outline(self, path: str, *, at: str) -> list[OutlineNode]:
        """The definitions of a file as a tree."""
        return locate.outline(self.commits.snapshot(at), path)

    def refs(self, target: str, *, at: str) -> list[Reference]:
        """Every reference to a definition, precise ones first."""
        snap = self.commits.snapshot(at)
        return graph.refs(snap, self.commits.resolver(snap), locate.definition(snap, target))

    def callers(self, target: str, *, at: str, options: GraphOptions) -> CallGraph:
        """Who calls a definition, breadth first."""
        snap = self.commits.snapshot(at)
        symbol = locate.definition(snap, target)
        return graph.callers(snap, self.commits.resolver(snap), symbol, _checked(options))

    def callees(self, target: str, *, at: str, options: GraphOptions) -> CallGraph:
        """What a definition calls, breadth first."""
        snap = self.commits.snapshot(at)
        symbol = locate.definition(snap, target)
        return graph.callees(snap, self.commits.resolver(snap), symbol, _checked(options))


def _source_order(symbol: Symbol) -> tuple[str, int]:
    return (symbol.path, symbol.start_byte)


def _checked(options: GraphOptions) -> GraphOptions:
    if not 1 <= options.depth <= MAX_DEPTH:
        raise QueryError(f"depth must be between 1 and {MAX_DEPTH}, not {options.depth}")
    if options.max_nodes < 1:
        raise QueryError(f"max_nodes must be at least 1, not {options.max_nodes}")
    return options
