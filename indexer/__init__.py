"""Symbiote's write side: read a git repository and store its symbols in DuckDB.

Typical use::

    from symbiote.indexer import index_repository, IndexOptions
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
    "EmptyRepository": "symbiote.indexer.errors",
    "NotIndexed": "symbiote.indexer.errors",
    "QueryError": "symbiote.indexer.errors",
    "RepositoryError": "symbiote.indexer.errors",
    "SchemaMismatch": "symbiote.indexer.errors",
    "StoreError": "symbiote.indexer.errors",
    "SymbioteError": "symbiote.indexer.errors",
    "UnknownDefinition": "symbiote.indexer.errors",
    "UnknownPath": "symbiote.indexer.errors",
    "UnknownRevision": "symbiote.indexer.errors",
    "SidecarError": "symbiote.indexer.errors",
    "InvalidEntry": "symbiote.indexer.errors",
    "EmbeddingError": "symbiote.indexer.errors",
    "StoreLocked": "symbiote.indexer.errors",
    "Interrupted": "symbiote.indexer.errors",
    "Limits": "symbiote.indexer.extract",
    "IndexOptions": "symbiote.indexer.job",
    "IndexSummary": "symbiote.indexer.job",
    "Progress": "symbiote.indexer.job",
    "index_repository": "symbiote.indexer.job",
    "STORE_ENV": "symbiote.indexer.location",
    "default_store_path": "symbiote.indexer.location",
    "EmbedOptions": "symbiote.indexer.embed_job",
    "EmbedSummary": "symbiote.indexer.embed_job",
    "embed_repository": "symbiote.indexer.embed_job",
    "verify_store": "symbiote.indexer.verify",
    "ArchiveError": "symbiote.indexer.errors",
    "OutOfMemory": "symbiote.indexer.errors",
    "ArchiveOptions": "symbiote.indexer.archive",
    "ArchiveSummary": "symbiote.indexer.archive",
    "archive_history": "symbiote.indexer.archive",
    "restore_archive": "symbiote.indexer.archive",
    "LanguageInfo": "symbiote.indexer.catalog",
    "supported_languages": "symbiote.indexer.catalog",
}

if TYPE_CHECKING:
    from symbiote.indexer.archive import (
        ArchiveOptions,
        ArchiveSummary,
        archive_history,
        restore_archive,
    )
    from symbiote.indexer.catalog import LanguageInfo, supported_languages
    from symbiote.indexer.embed_job import EmbedOptions, EmbedSummary, embed_repository
    from symbiote.indexer.errors import (
        ArchiveError,
        EmbeddingError,
        EmptyRepository,
        Interrupted,
        InvalidEntry,
        NotIndexed,
        OutOfMemory,
        QueryError,
        RepositoryError,
        SchemaMismatch,
        SidecarError,
        StoreError,
        StoreLocked,
        SymbioteError,
        UnknownDefinition,
        UnknownPath,
        UnknownRevision,
    )
    from symbiote.indexer.extract import Limits
    from symbiote.indexer.job import IndexOptions, IndexSummary, Progress, index_repository
    from symbiote.indexer.location import STORE_ENV, default_store_path
    from symbiote.indexer.verify import verify_store


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'symbiote.indexer' has no attribute {name!r}")
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
    "EmbeddingError",
    "Interrupted",
    "StoreLocked",
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
    "OutOfMemory",
    "ArchiveOptions",
    "ArchiveSummary",
    "archive_history",
    "restore_archive",
    "LanguageInfo",
    "supported_languages",
]
