"""Symbiote's write side: read a git repository and store its symbols in DuckDB.

Typical use::

    from indexer import index_repository, IndexOptions
    summary = index_repository("path/to/repo", options=IndexOptions(history=100))
    embed_repository("path/to/repo")  # the search sidecar for HEAD and branch tips
"""

from indexer.embed_job import EmbedOptions, EmbedSummary, embed_repository
from indexer.errors import (
    EmptyRepository,
    NotIndexed,
    QueryError,
    RepositoryError,
    SchemaMismatch,
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
]
