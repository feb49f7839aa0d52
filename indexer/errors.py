"""The one error tree of Symbiote.

Every exception a public call raises derives from :class:`SymbioteError`; exceptions of
git, DuckDB and tree-sitter are translated where those libraries are called
(``raise StoreError(...) from exc``)::

    SymbioteError
    ├── RepositoryError        the git repository cannot be read
    │   ├── EmptyRepository    it has no commits yet
    │   └── UnknownRevision    a ref or commit name that git does not know
    ├── StoreError             the DuckDB store cannot be opened, read or written
    │   ├── StoreLocked        another process holds the store file
    │   ├── SchemaMismatch     the store was written by another schema version
    │   ├── ArchiveError       an archive is damaged or does not fit the store
    │   └── OutOfMemory        a query needs more than the store's memory limit
    ├── QueryError             a well-formed question the index cannot answer
    │   ├── NotIndexed         the commit exists but has not been indexed
    │   ├── UnknownPath        the path is not in that commit
    │   ├── UnknownDefinition  no definition of that name or PATH::QUALNAME there
    │   ├── InvalidArgument    an argument of the wrong type, out of range, unknown
    │   └── Interrupted        the query was stopped (its time limit, or a caller)
    ├── EmbeddingError         an embedding model cannot be loaded or run
    ├── SidecarError           a sidecar file cannot be written (a path outside the
    │                          repository, content its schema rejects)
    ├── InvalidEntry           an agent-log entry breaks the log's rules (unknown
    │                          category, a critique that does not exist, ...)
    ├── AgentConfigError       an agent client's configuration or instructions file
    │                          cannot be changed safely (it does not parse, ...)
    └── HookError              a git hook cannot be installed or removed safely (a
                               hook moved aside is in the way, ...)
"""

from __future__ import annotations


class SymbioteError(Exception):
    """Base class of every error Symbiote raises."""


class RepositoryError(SymbioteError):
    """The git repository is missing, unreadable or malformed."""


class EmptyRepository(RepositoryError):
    """The repository has no commits, so there is nothing to index."""


class UnknownRevision(RepositoryError):
    """A ref or commit name that the repository (or the index) does not know."""


class StoreError(SymbioteError):
    """The DuckDB store cannot be opened, read or written."""


class StoreLocked(StoreError):
    """Another process holds the store file (DuckDB allows one writer process, and no
    reader beside it); ``pid`` is that process's, when DuckDB says."""

    def __init__(self, message: str, pid: int | None = None) -> None:
        super().__init__(message)
        self.pid = pid


class SchemaMismatch(StoreError):
    """The store was written by a schema version this code cannot read."""


class ArchiveError(StoreError):
    """An archive cannot be made or restored: its files differ from their manifest, or
    it was written for another schema."""


class OutOfMemory(StoreError):
    """A query needs more memory than the store's limit allows (DuckDB's buffers: see
    ``--memory-limit``); ask for less, or raise the limit."""


class QueryError(SymbioteError):
    """A question the index cannot answer as asked."""


class NotIndexed(QueryError):
    """The commit exists but has not been indexed yet."""


class UnknownPath(QueryError):
    """The path does not exist in the requested commit."""


class UnknownDefinition(QueryError):
    """No definition matches the ``PATH::QUALNAME`` (or qualified name) asked about."""


class InvalidArgument(QueryError):
    """An argument a verb does not take, of the wrong type, or out of its range."""


class Interrupted(QueryError):
    """A store query was stopped before it finished: its time limit passed, or the
    caller interrupted it."""


class EmbeddingError(SymbioteError):
    """An embedding model cannot be loaded (unknown spec, missing package, changed
    model file) or fails to embed (an endpoint that does not answer)."""


class SidecarError(SymbioteError):
    """A sidecar file cannot be written: its path leaves the repository, or the notes
    do not follow the sidecar schema."""


class InvalidEntry(SymbioteError):
    """An agent-log entry breaks the log's rules: a missing or unknown value, a target
    that is not a definition at that commit, a reference to an entry that does not
    exist. Nothing is written."""


class AgentConfigError(SymbioteError):
    """An agent client's configuration file (or its instructions file) cannot be changed
    safely: it does not parse, or Symbiote's entry in it has a shape ``symbiote agent``
    does not edit. The file is left as it was."""


class HookError(SymbioteError):
    """A git hook cannot be installed or removed safely: the place where the hook that
    was there would be kept is taken, or the hooks folder cannot be written. Nothing is
    changed."""
