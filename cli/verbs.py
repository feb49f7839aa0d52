"""One declaration per verb (datasette, click and httpx's ``map_exceptions`` are the
models).

A :class:`Verb` says what a command or tool takes (its :class:`Param` list: typed,
bounded, described), the library call it makes (``run``) and how its answer reads as
text (``text``). The argparse commands (:mod:`symbiote.cli.arguments`), the MCP tools
(:mod:`symbiote.cli.mcp_server`) and the owner's protocol (:mod:`symbiote.cli.route`,
:mod:`symbiote.cli.owner`) are generated from the table (:mod:`symbiote.cli.table`);
the answer's envelope, paging and the one error shape are :mod:`symbiote.cli.contract`.
Adding a verb is one entry in a verb module plus its library method.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from symbiote.queries import Index


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()  # the default of a required parameter
CLI, MCP = "cli", "mcp"
EVERYWHERE = frozenset({CLI, MCP})

# Parameter types, as JSON Schema names them (``strings``: a list of strings;
# ``values``: a list of scalars; ``object``: a JSON object).
TYPES = ("string", "integer", "number", "boolean", "strings", "values", "object")


@dataclass(frozen=True, slots=True, kw_only=True)
class Param:
    """One argument of a verb, on every surface."""

    name: str  # the keyword its run reads, and its MCP name
    type: str  # one of TYPES
    help: str  # CLI help and MCP description
    default: Any = MISSING  # MISSING: required
    cli_default: Any = MISSING  # a CLI default that differs from the MCP one
    nullable: bool = False  # None is allowed (the default of an optional filter)
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    positional: bool = False  # CLI: positional (else a --flag)
    flags: tuple[str, ...] = ()  # CLI spellings (default: --name, dashes for _)
    metavar: str | None = None  # CLI placeholder
    aliases: tuple[str, ...] = ()  # earlier names still accepted (MCP, serve)
    surfaces: frozenset[str] = EVERYWHERE  # where it is offered

    @property
    def required(self) -> bool:
        """Whether the caller must give it."""
        return self.default is MISSING

    def default_on(self, surface: str) -> Any:
        """The default on ``surface`` (MISSING when required)."""
        if surface == CLI and self.cli_default is not MISSING:
            return self.cli_default
        return self.default


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a verb answered: the commit it answered at, its results (objects with
    ``to_dict`` or plain JSON values) and further envelope fields (those whose name
    starts with ``_`` are for the text only)."""

    commit: str | None
    results: Sequence[Any]
    extra: dict[str, Any] = field(default_factory=dict)
    # The verb stopped at a bound of its own (rows, bytes, history read): there may be
    # more results than these, so their count is a lower bound.
    bounded: bool = False


# How a tree's page is put together: (page's results, their JSON, the JSON of the nodes
# the page starts inside) -> the page's JSON results.
Nester = Callable[[Sequence[Any], list[Any], list[Any]], list[Any]]


class Call(Protocol):
    """What a verb's run is given by the surface running it."""

    args: dict[str, Any]  # validated arguments, defaults filled in
    repo: str  # the repository path as given
    store: str | None  # the store file, when named
    surface: str  # cli or mcp: whose defaults and parameters apply
    owner: bool  # this process owns the store (`symbiote serve`)
    # Progress of a long run: shown on stderr (True), not at all (False), or sent to the
    # command waiting for this owner's answer (see symbiote.cli.progress.Sink).
    progress: bool | Callable[..., None]
    offset: int  # the first result the page asks for (verbs that bound their work)
    verbs: Mapping[str, Verb]  # every verb by name (for the verbs that serve the others)

    def index(self) -> Index:
        """The index of the repository (opened once per call, or kept by the server)."""
        ...

    def store_path(self) -> Path:
        """The store file the call uses, without opening it."""
        ...

    def release(self) -> None:
        """Close the index this call opened (before writing the store in this process)."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Verb:
    """A command of the CLI, a tool of the MCP server, a request of the owner."""

    name: str  # CLI command; "group verb" for a group's verb (`sidecar show`)
    tool: str | None  # MCP tool name; None: not an MCP tool
    summary: str  # one line: CLI help, the start of the tool description
    details: str = ""  # what the tool returns (MCP description, after the summary)
    example: str  # a CLI example
    params: tuple[Param, ...] = ()
    run: Callable[[Call], Outcome]
    text: Callable[[Outcome], str]
    effect: str = "read"  # read; append (the agent log); file (a sidecar file); admin
    paged: bool = False  # a list answer: limit and cursor, truncated/total/next
    # A paged answer whose results are a tree's nodes in source order, shown as a tree:
    # (the nodes a page starts inside, as JSON; the page's results nested under them).
    nest: tuple[Callable[[Sequence[Any]], list[Any]], Nester] | None = None
    routed: bool = True  # the CLI sends it to the store's owner when one runs
    # Run long and write: when no process owns the store, the command becomes its owner
    # for the run, so other commands are answered meanwhile instead of locked out.
    owns: bool = False
    repo_positional: bool = False  # CLI: `symbiote index [REPO]` instead of --repo
    json_flag: bool = True  # CLI: --json (serve and mcp print no answer)

    @property
    def words(self) -> tuple[str, ...]:
        """The CLI words that name it."""
        return tuple(self.name.split())

    def param(self, name: str) -> Param:
        """The parameter called ``name``."""
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)


# ---- parameters several verbs share

AT_HELP = (
    "Revision to answer at: a ref (main, v1.2, refs/tags/v1, HEAD), a full or short sha, "
    "optionally with ~N or ^N (HEAD~3), anything `git rev-parse` names as a commit, or "
    "WORKTREE: HEAD with the working tree's uncommitted changes (staged or not, untracked "
    "files too) laid over it. Default HEAD."
)


def at(help_text: str = AT_HELP) -> Param:
    """The revision to answer at."""
    return Param(name="at", type="string", help=help_text, default="HEAD", metavar="REV")


SYMBOL = Param(
    name="symbol",
    type="string",
    help="The definition, as PATH::QUALNAME (e.g. src/app/client.py::Client.send; PATH "
    "relative to the repository root; #2, #3 for a file's later definitions of one name, "
    "overloads), the `symbol` field of any result, or a qualified name that is "
    "unambiguous at the commit.",
    positional=True,
    metavar="SYMBOL",
    aliases=("target",),
)
FILE = Param(
    name="path",
    type="string",
    help="File path relative to the repository root, e.g. src/app.py.",
    positional=True,
)


MAX_RESULTS = 500  # the most results one page holds
LIMIT = Param(
    name="limit",
    type="integer",
    help=f"At most this many results in this answer (1-{MAX_RESULTS}); the answer says "
    "when there are more and gives the cursor of the next page.",
    default=20,
    cli_default=50,
    minimum=1,
    maximum=MAX_RESULTS,
)
CURSOR = Param(
    name="cursor",
    type="string",
    help="The `next` of an earlier answer, to get its next page (give the same other "
    "arguments; the page is answered at the same commit).",
    default=None,
)
DEFAULT_MAX_CHARS = 16_000
MAX_CHARS = Param(
    name="max_chars",
    type="integer",
    help=f"Size budget of the answer in characters (default {DEFAULT_MAX_CHARS:,}): "
    "results that do not fit are left for the next page.",
    default=DEFAULT_MAX_CHARS,
    minimum=1_000,
    maximum=1_000_000,
    surfaces=frozenset({MCP}),
)
PAGE = (LIMIT, CURSOR, MAX_CHARS)
BRIEF = Param(
    name="brief",
    type="boolean",
    help="Definitions as their canonical name (`symbol`), kind, path, lines and signature "
    "only, and references without their spans, blobs and contexts: several times more "
    "results fit a page and a budget. Text output is the same either way.",
    default=False,
)
# What a definition and a reference keep in a brief answer (see BRIEF).
BRIEF_SYMBOL = ("symbol", "kind", "path", "start_line", "end_line", "signature")
BRIEF_REFERENCE = ("path", "line", "col", "name", "kind", "enclosing", "resolution", "target")
_SAID = ("inherited_by", "resolution", "confidence")


def briefed(value: Any) -> Any:
    """``value`` (JSON values) with every definition and reference in it cut to its
    brief fields (a definition keeps what the answer says of it: ``inherited_by``, and
    goto's ``resolution`` and ``confidence``)."""
    if isinstance(value, list):
        return [briefed(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "body_hash" in value and "symbol" in value:  # a definition
        kept = {k: value[k] for k in BRIEF_SYMBOL if k in value}
        # What the answer says about it (goto's resolution and confidence), when it does.
        kept.update({k: value[k] for k in _SAID if value.get(k) is not None})
        return kept
    if "resolution" in value and "col" in value and "blob" in value:  # a reference
        return {k: briefed(value[k]) for k in BRIEF_REFERENCE if k in value}
    return {k: briefed(v) for k, v in value.items()}


def split_target(target: str) -> tuple[str, str | None]:
    """``PATH::QUALNAME`` as (path, qualified name); a bare ``PATH`` has no name. A
    ``#N`` (the N-th definition of the name in the file) is dropped: notes are kept by
    name, so a file's overloads share theirs."""
    from symbiote.queries.locate import ordinal_of

    path, _, qualified_name = target.partition("::")
    return path.strip().strip("/"), ordinal_of(qualified_name)[0] or None


def plain(value: Any) -> Any:
    """A result as JSON values (``to_dict`` when it has one)."""
    to_dict = getattr(value, "to_dict", None)
    return to_dict() if callable(to_dict) else value
