"""Symbiote's read side: answers about the symbols of any indexed commit.

Typical use::

    from symbiote.queries import open_index
    with open_index("path/to/repo") as index:
        for symbol in index.symbols(at="v1.2", path="src/app.py"):
            print(symbol.qualified_name, symbol.start_line)

Names are imported on first use (PEP 562): the command line, which needs only the
options and result types to declare its verbs, does not load DuckDB, Arrow and the
resolver until a verb runs here rather than in the store's owner.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {
    "Index": "symbiote.queries.api",
    "open_index": "symbiote.queries.api",
    "AgentAction": "symbiote.queries.models",
    "AgentOutcome": "symbiote.queries.models",
    "CallEdge": "symbiote.queries.models",
    "CallGraph": "symbiote.queries.models",
    "CommitRef": "symbiote.queries.models",
    "DiffEntry": "symbiote.queries.models",
    "Goto": "symbiote.queries.models",
    "HistoryEntry": "symbiote.queries.models",
    "Lesson": "symbiote.queries.models",
    "OutlineNode": "symbiote.queries.models",
    "RecalledCritique": "symbiote.queries.models",
    "Reference": "symbiote.queries.models",
    "RefState": "symbiote.queries.models",
    "RepositoryStatus": "symbiote.queries.models",
    "SearchCoverage": "symbiote.queries.models",
    "SearchHit": "symbiote.queries.models",
    "SidecarFile": "symbiote.queries.models",
    "SidecarNote": "symbiote.queries.models",
    "SqlResult": "symbiote.queries.models",
    "SuccessRate": "symbiote.queries.models",
    "Symbol": "symbiote.queries.models",
    "DiffOptions": "symbiote.queries.options",
    "FindOptions": "symbiote.queries.options",
    "GraphOptions": "symbiote.queries.options",
    "HistoryOptions": "symbiote.queries.options",
    "RefsOptions": "symbiote.queries.options",
    "SearchOptions": "symbiote.queries.options",
    "SqlOptions": "symbiote.queries.options",
}

if TYPE_CHECKING:
    from symbiote.queries.api import Index, open_index
    from symbiote.queries.models import (
        AgentAction,
        AgentOutcome,
        CallEdge,
        CallGraph,
        CommitRef,
        DiffEntry,
        Goto,
        HistoryEntry,
        Lesson,
        OutlineNode,
        RecalledCritique,
        Reference,
        RefState,
        RepositoryStatus,
        SearchCoverage,
        SearchHit,
        SidecarFile,
        SidecarNote,
        SqlResult,
        SuccessRate,
        Symbol,
    )
    from symbiote.queries.options import (
        DiffOptions,
        FindOptions,
        GraphOptions,
        HistoryOptions,
        RefsOptions,
        SearchOptions,
        SqlOptions,
    )


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'symbiote.queries' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "AgentAction",
    "AgentOutcome",
    "CallEdge",
    "CallGraph",
    "CommitRef",
    "DiffEntry",
    "DiffOptions",
    "FindOptions",
    "Goto",
    "GraphOptions",
    "HistoryEntry",
    "HistoryOptions",
    "Index",
    "Lesson",
    "OutlineNode",
    "RecalledCritique",
    "RefState",
    "Reference",
    "RefsOptions",
    "RepositoryStatus",
    "SearchCoverage",
    "SearchHit",
    "SearchOptions",
    "SidecarFile",
    "SidecarNote",
    "SqlOptions",
    "SqlResult",
    "SuccessRate",
    "Symbol",
    "open_index",
]
