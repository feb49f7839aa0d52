"""Symbiote's read side: answers about the symbols of any indexed commit.

Typical use::

    from queries import open_index
    with open_index("path/to/repo") as index:
        for symbol in index.symbols(at="v1.2", path="src/app.py"):
            print(symbol.qualified_name, symbol.start_line)
"""

from queries.api import Index, open_index
from queries.models import (
    CallEdge,
    CommitRef,
    DiffEntry,
    HistoryEntry,
    OutlineNode,
    Reference,
    RefState,
    RepositoryStatus,
    SearchCoverage,
    SearchHit,
    SearchOptions,
    SidecarFile,
    SidecarNote,
    Symbol,
)

__all__ = [
    "CallEdge",
    "CommitRef",
    "DiffEntry",
    "HistoryEntry",
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
    "Symbol",
    "open_index",
]
