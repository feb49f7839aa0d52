"""Symbiote: a git-aware code-symbol index for AI coding agents.

The package is three parts, each importable on its own:

* :mod:`symbiote.indexer`, the write side: index a repository's history into the store;
* :mod:`symbiote.queries`, the read side: answers about any indexed commit;
* :mod:`symbiote.cli`, the surfaces: the ``symbiote`` command, the MCP server, ``serve``.

The names most programs need are here too, imported on first use (so ``import
symbiote`` costs nothing)::

    import symbiote
    symbiote.index_repository("path/to/repo")
    with symbiote.open_index("path/to/repo") as index:
        print(index.find("Client.send"))
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Public names and the package that defines them.
_WHERE = {
    "open_index": "symbiote.queries",
    "Index": "symbiote.queries",
    "Symbol": "symbiote.queries",
    "Reference": "symbiote.queries",
    "SearchOptions": "symbiote.queries",
    "index_repository": "symbiote.indexer",
    "IndexOptions": "symbiote.indexer",
    "IndexSummary": "symbiote.indexer",
    "embed_repository": "symbiote.indexer",
    "EmbedOptions": "symbiote.indexer",
    "SymbioteError": "symbiote.indexer",
}

if TYPE_CHECKING:
    from symbiote.indexer import (
        EmbedOptions,
        IndexOptions,
        IndexSummary,
        SymbioteError,
        embed_repository,
        index_repository,
    )
    from symbiote.queries import Index, Reference, SearchOptions, Symbol, open_index


def __getattr__(name: str) -> Any:
    package = _WHERE.get(name)
    if package is None:
        raise AttributeError(f"module 'symbiote' has no attribute {name!r}")
    value = getattr(importlib.import_module(package), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "EmbedOptions",
    "Index",
    "IndexOptions",
    "IndexSummary",
    "Reference",
    "SearchOptions",
    "Symbol",
    "SymbioteError",
    "embed_repository",
    "index_repository",
    "open_index",
]
