"""Result types of the read side: frozen dataclasses with a ``to_dict`` for JSON."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import datetime
from typing import Any


class _Result:
    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with the field names of the CLI's contract."""
        names = _names(type(self))  # type: ignore[arg-type]  # classes are hashable
        return {name: _plain(getattr(self, name)) for name in names}


@functools.cache
def _names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _plain(value: Any) -> Any:
    """``value`` as dicts, lists and scalars (like ``dataclasses.asdict``, without its
    deep copies: a diff's JSON holds thousands of references)."""
    if isinstance(value, _Result):
        return value.to_dict()
    if is_dataclass(value) and not isinstance(value, type):
        names = _names(type(value))
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, datetime):
        return value.isoformat()
    return value


@dataclass(frozen=True, slots=True)
class CommitRef(_Result):
    """An indexed commit that a revision resolved to."""

    repo_id: int
    sha: str
    rev: str  # the revision as asked


@dataclass(frozen=True, slots=True)
class Symbol(_Result):
    """A definition at a commit, with its provenance.

    Spans: bytes 0-based half-open, lines 1-based, columns 0-based in bytes.
    """

    commit: str
    path: str
    blob: str
    language: str
    name: str
    qualified_name: str
    kind: str
    parent: str | None
    start_line: int
    end_line: int
    start_col: int
    end_col: int
    start_byte: int
    end_byte: int
    signature: str
    docstring: str | None
    body_hash: str
    type: str | None = None  # declared type (fields, variables) or result (functions)
    inherited_by: str | None = None  # found as a member of this class, from a base
    # Which of the file's definitions with this qualified name it is, in source order
    # (overloads, a property's getter and setter): 1 for the first. Not in the JSON
    # form: the canonical name says it (``#2`` ...).
    ordinal: int = 1

    @property
    def symbol(self) -> str:
        """The canonical name of the definition, ``PATH::QUALNAME``, and ``#N`` for the
        N-th (N >= 2) definition of that qualified name in the file: what every verb
        takes back."""
        suffix = f"#{self.ordinal}" if self.ordinal > 1 else ""
        return f"{self.path}::{self.qualified_name}{suffix}"

    def to_dict(self) -> dict[str, Any]:
        """The JSON form, its canonical name (``symbol``) first."""
        out = super(Symbol, self).to_dict()
        del out["ordinal"]
        return {"symbol": self.symbol, **out}


@dataclass(frozen=True, slots=True)
class RefState(_Result):
    """A ref as last indexed."""

    name: str
    kind: str
    commit: str


@dataclass(frozen=True, slots=True)
class EmbeddingStatus(_Result):
    """How far the search sidecar covers HEAD, and the background embedding job.

    Counts are definitions at ``commit`` (see :class:`SearchCoverage`): ``embedded``
    have a vector, ``text_only`` are served by text search alone by rule, ``to_embed``
    are not covered yet. ``job`` is the last job's state (running, done, failed,
    stopped: killed or ended early; None when no job ran), ``running`` whether one runs
    now (``pid``, ``done`` of ``total`` definitions written), ``queued`` whether another
    waits to run after it; ``log`` is where a detached job writes.
    """

    commit: str | None
    model_id: str | None
    definitions: int
    embedded: int
    text_only: int
    to_embed: int
    complete: bool
    job: str | None
    running: bool
    queued: bool
    pid: int | None
    done: int | None
    total: int | None
    updated_at: str | None
    error: str | None
    log: str | None


@dataclass(frozen=True, slots=True)
class RepositoryStatus(_Result):
    """What the store holds for one repository; ``embedding`` how far search covers
    HEAD (None when HEAD is not indexed)."""

    repo_id: int
    path: str
    indexed_at: datetime | None
    commits: int
    refs: list[RefState]
    blobs_by_status: dict[str, int]
    symbols: int
    references: int
    skipped_commits: int  # not indexed: a tree they reach is missing (table skipped_commits)
    archived_commits: int  # moved out by `symbiote archive` (table archived_commits)
    archives: dict[str, int]  # archive folder -> its commits still archived
    embedding: EmbeddingStatus | None = None


@dataclass(frozen=True, slots=True)
class Reference(_Result):
    """A use of a name at a commit, and the definition it resolves to.

    ``resolution`` says how ``target`` was found: ``scope`` (same file, enclosing scope),
    ``import`` (through the file's imports), ``name`` (name match only: a guess) or
    ``unresolved`` (no definition of that name at this commit).
    """

    commit: str
    path: str
    blob: str
    name: str
    kind: str  # its role: call, read, write, type, decorator, inherit or import
    line: int  # 1-based
    col: int  # 0-based, bytes
    end_line: int
    end_col: int
    start_byte: int
    end_byte: int
    enclosing: str | None  # qualified name of the definition the use is in
    context: str | None  # module of an import, object of a member access
    resolution: str
    target: Symbol | None


@dataclass(frozen=True, slots=True)
class OutlineNode(_Result):
    """A definition of a file with the definitions nested in it."""

    symbol: Symbol
    children: list[OutlineNode]


@dataclass(frozen=True, slots=True)
class Goto(_Result):
    """What the identifier at a position names.

    ``resolution`` is ``definition`` (the position is on a definition's own name),
    ``none`` (nothing is named there), or how the use was resolved (see
    :class:`Reference`); ``targets`` are the definitions, best first, and
    ``confidence`` how sure each is (a guess's share of the evidence; they sum to 1).
    """

    commit: str
    path: str
    line: int  # 1-based
    col: int  # 0-based, bytes
    resolution: str
    targets: list[Symbol]
    confidence: list[float] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SqlResult(_Result):
    """The rows of a read-only SQL statement: at most the asked number of rows and
    bytes; ``truncated`` says there were more."""

    columns: list[str]
    rows: list[tuple[Any, ...]]
    truncated: bool


@dataclass(frozen=True, slots=True)
class CallEdge(_Result):
    """One call: ``caller`` calls ``callee`` at ``site``; ``depth`` counts hops from the
    definition asked about (1 = direct)."""

    caller: Symbol | None  # None for a call at module level
    callee: Symbol | None  # None when the call is unresolved
    site: Reference
    depth: int


@dataclass(frozen=True, slots=True)
class CallGraph(_Result):
    """Calls around a definition, breadth first. ``complete`` is false when the walk
    stopped at its bound of definitions visited; ``unexpanded`` are the definitions it
    reached but did not follow (ask about them to go on). ``cut`` is true when it stopped
    at ``GraphOptions.max_edges`` edges: more may follow them."""

    edges: list[CallEdge]
    complete: bool
    unexpanded: list[Symbol]
    cut: bool = False


@dataclass(frozen=True, slots=True)
class SidecarNote(_Result):
    """One entry of a sidecar file (``<file>.symbiote.json``) at a commit.

    ``qualified_name`` None: a note about the whole file. ``state`` compares the body
    hash the entry was written against with the definition at this commit: ``fresh``
    (same body), ``stale`` (the body changed since), ``missing`` (no definition of that
    name in the file any more; ``renamed_to`` names a definition of the file with the
    recorded body, if one has it), ``unpinned`` (no body hash recorded: file notes).
    """

    commit: str
    path: str  # the source file the note is about
    sidecar_path: str
    blob: str  # of the sidecar file
    qualified_name: str | None
    state: str
    stale: bool  # state is stale or missing: the note may be out of date
    body_hash: str | None  # recorded when the note was written
    current_body_hash: str | None  # of the definition at this commit
    renamed_to: str | None
    target: Symbol | None  # the definition at this commit
    summary: str | None
    invariants: list[str]
    owners: list[str]
    warnings: list[str]
    links: list[str]
    notes: str | None


@dataclass(frozen=True, slots=True)
class SidecarFile(_Result):
    """A sidecar file at a commit, as the indexer read it: ``status`` ``ok``, or
    ``parse_error`` / ``encoding_error`` with what is wrong in ``detail``."""

    commit: str
    path: str  # the source file it describes
    sidecar_path: str
    blob: str
    status: str
    detail: str | None
    entries: int


@dataclass(frozen=True, slots=True)
class AgentOutcome(_Result):
    """How an action turned out (the latest version of the entry; ``revisions`` are
    the ids of the versions it replaced, oldest first)."""

    id: str
    recorded_at: str
    agent: str
    verdict: str  # success, failure, partial, reverted or superseded
    evidence: dict[str, Any]
    revisions: list[str]


@dataclass(frozen=True, slots=True)
class AgentAction(_Result):
    """What was done about a critique, with the outcomes recorded for it."""

    id: str
    recorded_at: str
    agent: str
    description: str
    commit: str | None  # the commit the action produced, if any
    paths: list[str]
    definitions: list[str]
    outcomes: list[AgentOutcome]
    revisions: list[str]


@dataclass(frozen=True, slots=True)
class Lesson(_Result):
    """A critique of a definition or file, what was done about it, and how that went.
    ``path`` and ``qualified_name`` are where the critique was made (the definition may
    have been renamed or moved since: lessons follow it)."""

    id: str
    recorded_at: str
    agent: str
    commit: str
    path: str
    qualified_name: str | None
    category: str
    severity: str
    text: str
    actions: list[AgentAction]
    revisions: list[str]


@dataclass(frozen=True, slots=True)
class RecalledCritique(_Result):
    """A past critique similar to a text: ``distance`` is the cosine distance of their
    embeddings (0: same meaning); ``embedded`` says whether the critique's vector was in
    the search sidecar or computed for this call."""

    lesson: Lesson
    distance: float
    embedded: bool


@dataclass(frozen=True, slots=True)
class SuccessRate(_Result):
    """How the actions of one agent on one category of critique turned out (by the
    latest outcome of each action); ``rate`` is successes / judged actions."""

    category: str
    agent: str
    actions: int
    judged: int
    verdicts: dict[str, int]
    rate: float | None


@dataclass(frozen=True, slots=True)
class HistoryEntry(_Result):
    """A commit in which a definition changed.

    ``change`` is one of ``added``, ``changed`` (body), ``signature_changed``, ``moved``
    (to another file), ``renamed``, ``removed``; or ``present``: the oldest indexed
    commit of the chain, where the definition already was (history before it is not
    indexed: ``symbiote index --history N`` indexes more).
    """

    commit: str
    date: datetime
    author: str
    message: str
    change: str
    path: str
    qualified_name: str
    previous_path: str | None
    previous_qualified_name: str | None
    signature: str | None
    body_hash: str | None


@dataclass(frozen=True, slots=True)
class DiffEntry(_Result):
    """A definition that differs between two commits.

    ``change`` is ``added``, ``removed``, ``changed``, ``moved`` or ``renamed``;
    ``signature_changed`` flags a changed signature (what breaks callers);
    ``references`` are the uses of a changed definition at the newer commit (precise
    ones first, at most the diff's reference limit); ``reference_count`` counts them all.
    """

    change: str
    qualified_name: str
    kind: str
    path: str
    previous_path: str | None
    previous_qualified_name: str | None
    signature: str | None
    previous_signature: str | None
    signature_changed: bool
    old: Symbol | None
    new: Symbol | None
    references: list[Reference]
    reference_count: int = 0


@dataclass(frozen=True, slots=True)
class SearchHit(_Result):
    """A definition found by meaning or by words, with its provenance.

    ``score`` orders the results (higher is better; its scale depends on the mode);
    ``distance`` is the cosine distance to the query vector (None in text mode or when the
    definition has no vector yet); ``text_score`` is its BM25 score (None if no word
    matched).
    """

    commit: str
    path: str
    blob: str
    language: str
    name: str
    qualified_name: str
    kind: str
    start_line: int
    end_line: int
    start_byte: int
    end_byte: int
    signature: str
    score: float
    distance: float | None
    text_score: float | None
    snippet: str


@dataclass(frozen=True, slots=True)
class SearchCoverage(_Result):
    """How much of a commit's definitions the search sidecar covers.

    ``definitions`` at the commit; ``keys`` distinct contents among them; ``documents``
    of those with BM25 postings; ``embedded`` of those with a vector of ``model_id``;
    ``text_only`` of those without a vector because the vector rule gives them none
    (fields, constants, one-line bodies: served by text search alone). The same counts
    in definitions: ``definitions_embedded``, ``definitions_text_only``, and
    ``definitions_covered`` (postings, and a vector or none by rule). ``complete``: every
    definition is covered, so the commit is fully searchable.
    """

    commit: str
    model_id: str | None
    definitions: int
    keys: int
    documents: int
    embedded: int
    text_only: int
    definitions_embedded: int
    definitions_text_only: int
    definitions_covered: int
    complete: bool
