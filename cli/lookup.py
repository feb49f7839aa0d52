"""The lookup verbs: find, goto, outline and symbols; and what the verbs that answer with
definitions and references share (their JSON rows, their lines of text). Each run is one
library call; each text, how its answer reads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from symbiote.cli.revs import at_commit
from symbiote.cli.verbs import (
    BRIEF,
    FILE,
    PAGE,
    Call,
    Outcome,
    Param,
    Verb,
    at,
)
from symbiote.indexer.errors import InvalidArgument, RepositoryError
from symbiote.queries import (
    FindOptions,
    OutlineNode,
    Reference,
    Symbol,
)
from symbiote.queries.options import FIND_MODES, is_worktree

SHAPES = (
    " A symbol has symbol (its canonical name, PATH::QUALNAME: pass it back as `symbol`), "
    "path, name, qualified_name, kind, parent, start_line, end_line, start_col, end_col, "
    "start_byte, end_byte, signature, docstring, body_hash, blob, language and commit. "
    "Lines are 1-based; columns 0-based byte offsets."
)
REFERENCE = (
    " A reference has path, line, col, end_line, end_col, name, kind (its role: call, read, "
    "write, type, decorator, inherit, import), enclosing (the definition it is in), "
    "context, resolution (scope | import | inherited | type | name = a guess by name | "
    "unresolved) and, where the envelope or the edge does not already name it, target "
    "(the definition it resolves to: symbol, path, qualified_name, kind, start_line, "
    "end_line; or null)."
)


def symbol_line(s: Symbol) -> str:
    """One definition as a line of text."""
    return f"{s.path}:{s.start_line}\t{s.kind:<9} {s.qualified_name}\t{s.signature}"


def reference_line(r: Reference) -> str:
    """One reference as a line of text."""
    target = f" -> {r.target.symbol}" if r.target else ""
    inside = f" in {r.enclosing}" if r.enclosing else ""
    return f"{r.path}:{r.line}:{r.col}\t{r.kind:<9} {r.name}{inside}\t[{r.resolution}]{target}"


def lines(items: Sequence[Any], line: Any, empty: str) -> str:
    return "\n".join(line(i) for i in items) or empty


# ---- find, goto, outline, symbols


def _find(call: Call) -> Outcome:
    a = call.args
    sha = at_commit(call)
    options = FindOptions(
        mode=a["mode"], kind=a["kind"], path=a["path"], language=a["language"], limit=None
    )
    return Outcome(sha, call.index().find(a["query"], at=sha, options=options))


FIND = Verb(
    name="find",
    tool="find",
    summary="Find definitions by name, qualified name (Class.method), prefix or fuzzy match, "
    "best first (exact before fuzzy, source before tests).",
    details="Results are symbols." + SHAPES,
    example="symbiote find Session.execute --kind method --json",
    params=(
        Param(
            name="query",
            type="string",
            help="Name, qualified name (Class.method) or PATH::QUALNAME.",
            positional=True,
            metavar="NAME",
            aliases=("name",),
        ),
        at(),
        Param(
            name="mode",
            type="string",
            help="How to match: auto tries exact name, qualified name, prefix, then fuzzy "
            "(substring/subsequence).",
            default="auto",
            choices=FIND_MODES,
        ),
        Param(
            name="kind",
            type="string",
            help="Only this kind (function, class, method, ...).",
            default=None,
        ),
        Param(
            name="path",
            type="string",
            help="Only paths matching this glob, or under this folder.",
            default=None,
        ),
        Param(
            name="language",
            type="string",
            help="Only this language.",
            default=None,
            flags=("--lang", "--language"),
        ),
        *PAGE,
        BRIEF,
    ),
    run=_find,
    text=lambda o: lines(o.results, symbol_line, "(no match)"),
    paged=True,
)


def _goto(call: Call) -> Outcome:
    a = call.args
    path, line, col = (a["path"], a["line"], a["col"]) if "line" in a else _position(a["path"])
    sha = at_commit(call)
    found = call.index().goto(path, line, col, at=sha)
    if not found.targets:
        _within_line(call, sha, found.path, line, col)
    results = [
        {**t.to_dict(), "resolution": found.resolution, "confidence": c}
        for t, c in zip(found.targets, found.confidence, strict=True)
    ]
    return Outcome(sha, results, {"resolution": found.resolution})


def _within_line(call: Call, sha: str, path: str, line: int, col: int) -> None:
    """:class:`InvalidArgument` when ``col`` lies past the end of ``line`` (an empty
    answer there would read as "nothing is named here"). The read side stores no text,
    so the file is read from git, or from disk for the working tree; only for an empty
    answer."""
    from symbiote.indexer.gitrepo import GitRepository

    try:
        if is_worktree(call.args["at"]):
            data = (Path(call.repo) / path).read_bytes()
        else:
            blob, _ = call.index().snapshot(sha).files[path]
            with GitRepository(call.repo) as git:
                data = git.read_blob(blob)
    except (OSError, RepositoryError, KeyError):
        return  # nothing to measure against: the empty answer stands
    text = data.split(b"\n")[line - 1] if line <= data.count(b"\n") + 1 else b""
    width = len(text.removesuffix(b"\r"))
    if col > width:
        raise InvalidArgument(
            f"{path} line {line} has {width} byte{'s' if width != 1 else ''} at "
            f"{sha[:12]}; column {col} is past its end (columns count bytes from 0)"
        )


def _position(text: str) -> tuple[str, int, int]:
    try:
        path, line, col = text.rsplit(":", 2)
        position = path, int(line), int(col)
    except ValueError as exc:
        raise InvalidArgument(f"goto takes PATH:LINE:COL, not {text!r}") from exc
    if position[1] < 1 or position[2] < 0:
        raise InvalidArgument(f"goto: lines count from 1 and columns from 0, not {text!r}")
    return position


def _goto_text(o: Outcome) -> str:
    lines = [
        f"{r['path']}:{r['start_line']}\t{r['kind']:<9} {r['qualified_name']}\t"
        f"{r['signature']}\t[{r['resolution']}]"
        for r in o.results
    ]
    if lines:
        return "\n".join(lines)
    if o.extra.get("resolution") == "unresolved":
        return "(a name is used there, but no definition in the repository answers it)"
    return "(nothing defined or referenced there)"


GOTO = Verb(
    name="goto",
    tool="goto",
    summary="Go to the definition(s) of the identifier at PATH, LINE, COL (line 1-based, column "
    "0-based bytes).",
    details="Results are symbols, best first, each with `resolution`: definition (the "
    "position is on a definition's own name), scope, import, type (through the type the "
    "code gives a value), inherited (a member of a base class), name (a guess by name: "
    "the candidates ranked by evidence) or unresolved; and `confidence` (a guess's share "
    "of the evidence). The envelope repeats the resolution. Empty results mean no "
    "definition of the repository answers the name used there (`unresolved`: a library's, "
    "a builtin's) or that nothing is named there (`none`)." + SHAPES,
    example="symbiote goto src/app.py:42:8",
    params=(
        Param(
            name="path",
            type="string",
            help="File path relative to the repository root; on the command line "
            "PATH:LINE:COL in one word.",
            positional=True,
            metavar="PATH:LINE:COL",
        ),
        Param(
            name="line",
            type="integer",
            help="Line, 1-based.",
            minimum=1,
            surfaces=frozenset({"mcp"}),
        ),
        Param(
            name="col",
            type="integer",
            help="Column, 0-based, in bytes.",
            minimum=0,
            surfaces=frozenset({"mcp"}),
        ),
        at(),
        BRIEF,
    ),
    run=_goto,
    text=_goto_text,
)


@dataclass(frozen=True, slots=True)
class OutlineEntry:
    """What an outline pages by: one definition of the file, in source order at any
    depth, with the definitions it is nested in (outermost first). A file whose
    definitions all sit in one namespace or class (most Java, C# and PHP files) is one
    top-level node: paging top-level nodes could not split it."""

    symbol: Symbol
    ancestors: tuple[Symbol, ...]

    def to_dict(self) -> dict[str, Any]:
        """The definition as an outline node whose children the page adds."""
        return {"symbol": self.symbol.to_dict(), "children": []}


def outline_entries(nodes: Sequence[OutlineNode]) -> list[OutlineEntry]:
    """An outline's definitions in source order (pre-order), each with its ancestors."""
    entries: list[OutlineEntry] = []

    def walk(nodes: Sequence[OutlineNode], ancestors: tuple[Symbol, ...]) -> None:
        for node in nodes:
            entries.append(OutlineEntry(node.symbol, ancestors))
            walk(node.children, (*ancestors, node.symbol))

    walk(nodes, ())
    return entries


def outline_stubs(entries: Sequence[Any]) -> list[dict[str, Any]]:
    """The definitions a page of an outline starts inside (its first entry's ancestors),
    outermost first, each repeated as a node marked ``continued`` so the page is a tree."""
    if not entries:
        return []
    first: OutlineEntry = entries[0]
    return [{"symbol": s.to_dict(), "children": [], "continued": True} for s in first.ancestors]


def outline_tree(
    entries: Sequence[Any], shown: list[dict[str, Any]], stubs: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """A page of an outline as a tree: ``shown`` (the JSON of ``entries``) nested under
    ``stubs`` (see :func:`outline_stubs`) and one another by each entry's ancestors."""
    roots: list[dict[str, Any]] = []
    open_nodes: list[dict[str, Any]] = []  # the node open at each depth

    def attach(node: dict[str, Any], depth: int) -> None:
        del open_nodes[depth:]
        (open_nodes[-1]["children"] if open_nodes else roots).append(node)
        open_nodes.append(node)

    for depth, stub in enumerate(stubs):
        attach(stub, depth)
    for entry, node in zip(entries, shown, strict=False):
        attach(node, len(entry.ancestors))
    return roots


def _outline(call: Call) -> Outcome:
    sha = at_commit(call)
    return Outcome(sha, outline_entries(call.index().outline(call.args["path"], at=sha)))


def _outline_text(o: Outcome) -> str:
    entries: Sequence[OutlineEntry] = o.results
    lines: list[str] = []
    for depth, s in enumerate(entries[0].ancestors if entries else ()):
        lines.append(f"{'  ' * depth}{s.kind} {s.name}  (line {s.start_line}, continued)")
    for entry in entries:
        s = entry.symbol
        indent = "  " * len(entry.ancestors)
        lines.append(f"{indent}{s.kind} {s.name}  {s.signature}  (line {s.start_line})")
    return "\n".join(lines) or "(no definitions)"


OUTLINE = Verb(
    name="outline",
    tool="outline",
    summary="The definitions of one file as a tree.",
    details='Each result is {"symbol": <symbol>, "children": [...]}. Pages count definitions '
    "at any depth, in source order: a page that starts inside a definition repeats it (and "
    'the ones around it) with "continued": true and only this page\'s children, so pages '
    "join up to the whole tree." + SHAPES,
    example="symbiote outline src/app/client.py --at v1.2",
    params=(FILE, at(), *PAGE, BRIEF),
    run=_outline,
    text=_outline_text,
    paged=True,
    nest=(outline_stubs, outline_tree),
)


def _symbols(call: Call) -> Outcome:
    sha = at_commit(call)
    return Outcome(sha, call.index().symbols(at=sha, path=call.args["path"]))


SYMBOLS = Verb(
    name="symbols",
    tool="symbols",
    summary="List the definitions at a commit in source order, optionally only in one file "
    "or under one folder.",
    details="Results are symbols." + SHAPES,
    example="symbiote symbols --at v1.2 --path src/app.py --json",
    params=(
        at(),
        Param(
            name="path",
            type="string",
            help="Only this file, or the files under this folder.",
            default=None,
        ),
        *PAGE,
        BRIEF,
    ),
    run=_symbols,
    text=lambda o: lines(o.results, symbol_line, "(no definitions)"),
    paged=True,
)


def site_row(r: Reference) -> dict[str, Any]:
    """A reference whose target the envelope or its edge already names: no target."""
    row = r.to_dict()
    row.pop("target", None)
    return row


def reference_row(r: Reference) -> dict[str, Any]:
    """A reference as JSON, with its target as a short identity (the full symbol is in
    the envelope, once, or in the edge or entry the reference belongs to)."""
    row = r.to_dict()
    t = r.target
    row["target"] = (
        {
            "symbol": t.symbol,
            "path": t.path,
            "qualified_name": t.qualified_name,
            "kind": t.kind,
            "start_line": t.start_line,
            "end_line": t.end_line,
        }
        if t is not None
        else None
    )
    return row


class Rows(Sequence[Any]):
    """Results shown as JSON rows by ``row`` (text still reads the objects)."""

    def __init__(self, items: Sequence[Any], row: Any) -> None:
        self.items, self.row = items, row

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return Rows(self.items[i], self.row)
        return RowOf(self.items[i], self.row)

    def __iter__(self) -> Any:
        return (RowOf(item, self.row) for item in self.items)


class RowOf:
    __slots__ = ("item", "row")

    def __init__(self, item: Any, row: Any) -> None:
        self.item, self.row = item, row

    def to_dict(self) -> Any:
        return self.row(self.item)


VERBS = (FIND, GOTO, OUTLINE, SYMBOLS)
