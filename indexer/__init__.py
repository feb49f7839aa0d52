"""Symbiote's write side: read a git repository and store its symbols in DuckDB.

Typical use::

    from indexer import index_repository, IndexOptions
    summary = index_repository("path/to/repo", options=IndexOptions(history=100))
    embed_repository("path/to/repo")  # the search sidecar for HEAD and branch tips
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Public names and the modules that define them. They are imported on first use, so a
# program that needs only the errors (the read side, the CLI's lookups) does not pay for
# git, tree-sitter and the embedding job at start-up.
_WHERE = {
    "EmptyRepository": "indexer.errors",
    "NotIndexed": "indexer.errors",
    "QueryError": "indexer.errors",
    "RepositoryError": "indexer.errors",
    "SchemaMismatch": "indexer.errors",
    "StoreError": "indexer.errors",
    "SymbioteError": "indexer.errors",
    "UnknownDefinition": "indexer.errors",
    "UnknownPath": "indexer.errors",
    "UnknownRevision": "indexer.errors",
    "SidecarError": "indexer.errors",
    "InvalidEntry": "indexer.errors",
    "Limits": "indexer.extract",
    "IndexOptions": "indexer.job",
    "IndexSummary": "indexer.job",
    "Progress": "indexer.job",
    "index_repository": "indexer.job",
    "STORE_ENV": "indexer.location",
    "default_store_path": "indexer.location",
    "EmbedOptions": "indexer.embed_job",
    "EmbedSummary": "indexer.embed_job",
    "embed_repository": "indexer.embed_job",
    "verify_store": "indexer.verify",
    "ArchiveError": "indexer.errors",
    "ArchiveOptions": "indexer.archive",
    "ArchiveSummary": "indexer.archive",
    "archive_history": "indexer.archive",
    "restore_archive": "indexer.archive",
}

if TYPE_CHECKING:
    from indexer.archive import ArchiveOptions, ArchiveSummary, archive_history, restore_archive
    from indexer.embed_job import EmbedOptions, EmbedSummary, embed_repository
    from indexer.errors import (
        ArchiveError,
        EmptyRepository,
        InvalidEntry,
        NotIndexed,
        QueryError,
        RepositoryError,
        SchemaMismatch,
        SidecarError,
        StoreError,
        SymbioteError,
        UnknownDefinition,
        UnknownPath,
        UnknownRevision,
    )
    from indexer.extract import Limits
    from indexer.job import IndexOptions, IndexSummary, Progress, index_repository
    from indexer.location import STORE_ENV, default_store_path
    from indexer.verify import verify_store


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'indexer' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "STORE_ENV",
    "EmptyRepository",
    "IndexOptions",
    "IndexSummary",
    "Limits",
    "NotIndexed",
    "Progress",
    "QueryError",
    "RepositoryError",
    "SchemaMismatch",
    "SidecarError",
    "InvalidEntry",
    "StoreError",
    "SymbioteError",
    "UnknownDefinition",
    "UnknownPath",
    "UnknownRevision",
    "EmbedOptions",
    "EmbedSummary",
    "default_store_path",
    "embed_repository",
    "index_repository",
    "verify_store",
    "ArchiveError",
    "ArchiveOptions",
    "ArchiveSummary",
    "archive_history",
    "restore_archive",
]
