"""Symbiote's read side: answers about the symbols of any indexed commit.

Typical use::

    from symbiote.queries import open_index
    with open_index("path/to/repo") as index:
        for symbol in index.symbols(at="v1.2", path="src/app.py"):
            print(symbol.qualified_name, symbol.start_line)
"""

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

__all__ = [
    "AgentAction",
    "AgentOutcome",
    "CallEdge",
    "CallGraph",
    "DiffOptions",
    "FindOptions",
    "Goto",
    "GraphOptions",
    "HistoryOptions",
    "RefsOptions",
    "SqlOptions",
    "SqlResult",
    "CommitRef",
    "DiffEntry",
    "HistoryEntry",
    "Lesson",
    "RecalledCritique",
    "Index",
    "OutlineNode",
    "RefState",
    "Reference",
    "RepositoryStatus",
    "SearchCoverage",
    "SearchHit",
    "SearchOptions",
    "SidecarFile",
    "SidecarNote",
    "SuccessRate",
    "Symbol",
    "open_index",
]
