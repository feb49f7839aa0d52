"""Options of the read API's calls: keyword-only, frozen, each field commented (zoekt's
``index.Options`` is the model). Every call works with the defaults."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FIND_MODES = ("auto", "exact", "qualified", "prefix", "fuzzy")
MODES = ("hybrid", "vector", "text")  # search modes
MAX_DEPTH = 10  # hops a call graph may follow
SQL_TIMEOUT = 30.0  # seconds a user-supplied SQL statement may run


@dataclass(frozen=True, slots=True, kw_only=True)
class FindOptions:
    """How :meth:`~symbiote.queries.Index.find` matches and filters."""

    mode: str = "auto"  # auto tries exact, qualified, prefix then fuzzy; or one of them
    kind: str | None = None  # only definitions of this kind
    path: str | None = None  # only paths matching this glob (or under this folder)
    language: str | None = None  # only this language
    limit: int | None = 50  # at most this many results (None: all)


# How a reference was resolved, from the most certain to a guess (see queries.resolve).
RESOLUTIONS = ("scope", "import", "inherited", "type", "name")


@dataclass(frozen=True, slots=True, kw_only=True)
class RefsOptions:
    """Which references :meth:`~symbiote.queries.Index.refs` lists."""

    kind: str | None = None  # only this role (call, read, write, type, ...)
    min_resolution: str = "name"  # the least certain resolution kept (see RESOLUTIONS)


@dataclass(frozen=True, slots=True, kw_only=True)
class GraphOptions:
    """How far :meth:`~symbiote.queries.Index.callers` / ``callees`` go."""

    depth: int = 1  # hops from the definition asked about (1 = direct calls only)
    max_nodes: int = 2_000  # definitions visited at most; the answer says where it stopped
    min_resolution: str = "name"  # the least certain resolution of a call followed
    # Stop once this many call edges are found (a page and one more: the walk's first
    # edges are the same however far it goes); None walks to ``depth`` or ``max_nodes``.
    max_edges: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class HistoryOptions:
    """How much of a definition's history :meth:`~symbiote.queries.Index.history` reads."""

    limit: int = 200  # at most this many changes, newest first


@dataclass(frozen=True, slots=True, kw_only=True)
class DiffOptions:
    """What :meth:`~symbiote.queries.Index.diff` adds to each changed definition."""

    references: bool = True  # the uses of each changed definition at the newer commit
    max_references: int = 20  # at most this many uses listed per definition (all counted)


@dataclass(frozen=True, slots=True, kw_only=True)
class SqlOptions:
    """Bounds of :meth:`~symbiote.queries.Index.sql`."""

    params: tuple[Any, ...] = ()  # values for the ? placeholders
    limit: int = 10_000  # rows returned at most (the answer says when there were more)
    max_bytes: int = 8_000_000  # bytes of row values returned at most (likewise)
    timeout: float = SQL_TIMEOUT  # seconds the statement may run


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchOptions:
    """Filters, mode and limits of :meth:`~symbiote.queries.Index.search` (see
    :mod:`symbiote.queries.search`)."""

    mode: str = "hybrid"  # hybrid, vector or text
    k: int | None = 10  # at most this many results (None: no limit, for range search)
    kinds: tuple[str, ...] = ()  # only these kinds (empty: all)
    path: str | None = None  # only paths matching this glob (or under this folder)
    languages: tuple[str, ...] = ()  # only these languages (empty: all)
    max_distance: float | None = None  # range search: cosine distance at most this


WORKTREE = "WORKTREE"  # the revision name of the working tree


def is_worktree(rev: str) -> bool:
    """Whether ``rev`` names the working tree: WORKTREE, or one state of it as an
    overlay key (``WORKTREE:<digest>``, which a call pins; a state no longer kept is the
    current one)."""
    return rev == WORKTREE or rev.startswith(WORKTREE + ":")
