"""find, goto and outline: definitions by name, by position and by file."""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence

from symbiote.indexer.errors import InvalidArgument, QueryError, UnknownDefinition, UnknownPath
from symbiote.queries.models import Goto, OutlineNode, Symbol
from symbiote.queries.options import FIND_MODES, FindOptions
from symbiote.queries.resolve import Resolver
from symbiote.queries.resolve_defs import path_rank
from symbiote.queries.snapshot import Snapshot


def find(snap: Snapshot, query: str, options: FindOptions) -> list[Symbol]:
    """Definitions matching ``query``, best first: exact name, exact qualified name (or
    qualified suffix ``Class.method``), prefix, then fuzzy; source before tests."""
    if options.mode not in FIND_MODES:
        raise QueryError(f"unknown find mode {options.mode!r}; one of {', '.join(FIND_MODES)}")
    if not query:
        raise QueryError("find needs a non-empty name")
    scored: dict[int, int] = {}

    def add(indices: Sequence[int], score: int) -> None:
        for i in indices:
            scored.setdefault(i, score)

    mode = options.mode
    if mode in ("auto", "exact"):
        add(snap.name_rows(query), 0)
    if mode in ("auto", "qualified", "exact"):
        add(snap.qualified_rows(query), 1)
        if "." in query or "::" in query:
            add(_tail_rows(snap, query.replace("::", ".")), 2)
    if mode in ("auto", "prefix"):
        add(snap.prefix_rows(query), 3)
    if mode == "fuzzy" or (mode == "auto" and not scored):
        lowered = query.lower()
        for name in snap.sorted_names:
            score = _fuzzy(lowered, name.lower())
            if score is not None:
                add(snap.by_name[name], 4 + score)
    # Filtered and ordered on the columns: a Symbol is built for those returned only.
    column = snap.symbols.column
    kinds, languages, paths, starts = (
        column("kind"),
        column("language"),
        snap.symbols.paths,
        column("start_byte"),
    )
    hits = [i for i in scored if keep(kinds[i], languages[i], paths[i], options)]
    hits.sort(key=lambda i: (scored[i], path_rank(paths[i]), paths[i], starts[i]))
    return [snap.symbols[i] for i in hits[: options.limit]]


def _fuzzy(query: str, name: str) -> int | None:
    """0 for a substring, 1 for a subsequence; None when it does not match."""
    if query in name:
        return 0
    position = 0
    for char in query:
        position = name.find(char, position)
        if position < 0:
            return None
        position += 1
    return 1


def keep(kind: str, language: str | None, path: str, options: FindOptions) -> bool:
    """Whether a definition of ``kind`` and ``language`` at ``path`` passes the kind,
    language and path filters of ``options``."""
    if options.kind is not None and kind != options.kind:
        return False
    if options.language is not None and language != options.language:
        return False
    return options.path is None or path_matches(path, options.path)


def path_matches(path: str, pattern: str) -> bool:
    """Whether ``path`` matches the glob ``pattern``, is it, or lies under that folder."""
    return (
        fnmatch.fnmatch(path, pattern)
        or path == pattern
        or path.startswith(pattern.rstrip("/") + "/")
    )


def require_path(snap: Snapshot, path: str) -> str:
    """``path`` normalised, or :class:`UnknownPath` when the commit has no such file."""
    clean = path.strip()
    if clean.startswith("./"):
        clean = clean[2:]
    clean = clean.strip("/")
    if clean not in snap.files:
        raise UnknownPath(f"{path!r} is not a file in commit {snap.commit[:12]}")
    return clean


def outline(snap: Snapshot, path: str) -> list[OutlineNode]:
    """The definitions of one file as a tree, in source order."""
    clean = require_path(snap, path)
    indices = snap.by_path.get(clean, ())
    children: dict[int | None, list[int]] = {}
    by_idx = {snap.extra[i][0]: i for i in indices}
    for i in indices:
        parent_idx = snap.extra[i][1]
        key = by_idx.get(parent_idx) if parent_idx is not None else None
        children.setdefault(key, []).append(i)

    def build(i: int) -> OutlineNode:
        return OutlineNode(snap.symbols[i], [build(c) for c in children.get(i, [])])

    return [build(i) for i in children.get(None, [])]


def goto(snap: Snapshot, resolver: Resolver, path: str, line: int, col: int) -> Goto:
    """The definitions the identifier at ``path:line:col`` refers to, with how it was
    resolved; ``definition`` when the position is on a definition's own name, ``none``
    when nothing is named there."""
    if line < 1 or col < 0:
        raise InvalidArgument(f"lines count from 1 and columns from 0, not {line}:{col}")
    clean = require_path(snap, path)
    lines = snap.line_count(clean)
    if lines is not None and line > max(lines, 1):
        raise InvalidArgument(
            f"{clean} has {lines} line{'s' if lines != 1 else ''} at {snap.commit[:12]}; "
            f"line {line} is past its end"
        )
    for i in snap.by_path.get(clean, []):
        s = snap.symbols[i]
        _, _, name_line, name_col = snap.extra[i]
        if name_line == line and name_col <= col < name_col + len(s.name.encode()):
            return Goto(snap.commit, clean, line, col, "definition", [s], [1.0])
    for row in snap.reference_rows(path=clean):
        if snap.reference_field(row, "start_line") != line:
            continue
        start = snap.reference_field(row, "start_col")
        end = snap.reference_field(row, "end_col")
        if start <= col < max(end, start + 1):
            resolution, targets = resolver.resolve(row)
            sure = resolver.confidence(clean, resolution, targets)
            return Goto(snap.commit, clean, line, col, resolution, targets, sure)
    return Goto(snap.commit, clean, line, col, "none", [])


def definition(snap: Snapshot, target: str) -> Symbol:
    """Parse ``PATH::QUALNAME`` (or an unambiguous qualified name) into a definition. A
    qualified name's unambiguous tail names it too (``FlagSet.VarP`` for Go's
    ``pflag.FlagSet.VarP``, as ``find`` answers it)."""
    named, ordinal = ordinal_of(target)
    if "::" in named and not named.startswith("::"):
        path, _, qualified_name = named.partition("::")
        path = path.strip().strip("/")
        if path not in snap.files:
            raise UnknownPath(f"{path!r} is not a file in commit {snap.commit[:12]}")
        here = [snap.symbols[i] for i in snap.by_path.get(path, ())]
        hits = [s for s in here if s.qualified_name == qualified_name]
        hits = hits or [s for s in here if s.qualified_name.endswith("." + qualified_name)]
        if not hits:
            raise UnknownDefinition(
                f"no definition {qualified_name!r} in {path} at {snap.commit[:12]}"
            )
        return _one(snap, target, hits, ordinal)
    hits = [snap.symbols[i] for i in snap.by_qualified.get(named, ())]
    hits = hits or [snap.symbols[i] for i in _tail_rows(snap, named)]
    if not hits:
        raise UnknownDefinition(
            f"no definition named {named!r} at {snap.commit[:12]}; "
            "use `find` to search, or PATH::QUALNAME"
        )
    return _one(snap, target, hits, ordinal)


def ordinal_of(target: str) -> tuple[str, int]:
    """``target`` without a ``#N`` at its end (the N-th definition of its qualified name
    in its file, see Symbol.symbol), and N (1 without one)."""
    named, hash_sign, number = target.rpartition("#")
    if hash_sign and number.isdigit() and int(number) >= 1 and named:
        return named, int(number)
    return target, 1


def _tail_rows(snap: Snapshot, dotted: str) -> list[int]:
    """Rows of the definitions whose qualified name ends with ``.dotted``."""
    tail = "." + dotted
    return [
        i
        for i in snap.name_rows(dotted.rsplit(".", 1)[-1])
        if snap.symbols[i].qualified_name.endswith(tail)
    ]


def _one(snap: Snapshot, target: str, hits: list[Symbol], ordinal: int = 1) -> Symbol:
    """The ``ordinal``-th of the definitions ``hits`` name (one qualified name in one
    file), or an error listing them when they are of several."""
    if len({(h.path, h.qualified_name) for h in hits}) > 1:
        where = ", ".join(sorted(f"{h.path}::{h.qualified_name}" for h in hits)[:10])
        raise UnknownDefinition(f"{target!r} is ambiguous at {snap.commit[:12]}: {where}")
    for hit in hits:
        if hit.ordinal == ordinal:
            return hit
    raise UnknownDefinition(
        f"no definition {target!r} at {snap.commit[:12]}: {hits[0].symbol} has "
        f"{len(hits)} definition(s) of that name in its file"
    )
