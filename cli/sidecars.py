"""``sidecar show|stale|files|set|schema``: the notes kept in sidecar files
(``<file>.symbiote.json`` beside the code; see :mod:`symbiote.indexer.sidecar_files`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from symbiote.cli.revs import at_commit
from symbiote.cli.verbs import MCP, PAGE, Call, Outcome, Param, Verb, at, split_target
from symbiote.indexer.errors import InvalidArgument
from symbiote.queries import SidecarNote

NOTE_FIELDS = (
    " Each note has path, sidecar_path, qualified_name (null: about the file), summary, "
    "invariants, owners, warnings, links, notes, and a `state`: fresh (the definition is "
    "unchanged since the note was written), stale (it changed), missing (it is gone; "
    "renamed_to names a definition of the file with a similar body), unpinned (a note "
    "about the file)."
)
PATH = Param(
    name="path",
    type="string",
    help="The file (relative to the repository root), or PATH::QUALNAME for one of its "
    "definitions; or give `symbol` instead.",
    default=None,
    positional=True,
    metavar="PATH[::QUALNAME]",
    aliases=("target",),
)
QUALIFIED_NAME = Param(
    name="qualified_name",
    type="string",
    help="The definition the note is about (Class.method); none: the file.",
    default=None,
    surfaces=frozenset({MCP}),
)
SYMBOL = Param(
    name="symbol",
    type="string",
    help="The definition, as PATH::QUALNAME (the `symbol` field of any result) or a "
    "qualified name unambiguous at the commit; instead of `path`.",
    default=None,
    metavar="SYMBOL",
)

# The definition an unqualified `symbol` names: (path, qualified name).
Definition = Callable[[str], tuple[str, str]]


def target_of(args: dict[str, Any], definition: Definition | None = None) -> tuple[str, str | None]:
    """The file and definition named by ``symbol`` (through ``definition`` when it is a
    bare qualified name), or by ``path`` (PATH or PATH::QUALNAME) and ``qualified_name``."""
    symbol, path = args.get("symbol"), args.get("path")
    if symbol and (path or args.get("qualified_name")):
        raise InvalidArgument("give `symbol` (a definition) or `path` (a file), not both")
    if symbol:
        if "::" in symbol or definition is None:
            file, qualified_name = split_target(symbol)
            if not qualified_name:
                raise InvalidArgument(
                    f"`symbol` names a definition as PATH::QUALNAME, not {symbol!r}; "
                    "for a file, pass `path`"
                )
            return file, qualified_name
        return definition(symbol)
    if not path:
        raise InvalidArgument("name what the note is about: `symbol` (a definition) or `path`")
    file, qualified_name = split_target(path)
    return file, args.get("qualified_name") or qualified_name


def definition_at(call: Call, sha: str) -> Definition:
    """How a bare qualified name is resolved at commit ``sha``."""

    def definition(symbol: str) -> tuple[str, str]:
        found = call.index().definition(symbol, at=sha)
        return found.path, found.qualified_name

    return definition


def note_text(n: SidecarNote) -> str:
    """A note as text."""
    where = f"{n.path}::{n.qualified_name}" if n.qualified_name else f"{n.path} (file)"
    state = n.state + (f", renamed to {n.renamed_to}" if n.renamed_to else "")
    lines = [f"{where}\t[{state}]"]
    if n.summary:
        lines.append(f"  summary    {n.summary}")
    for label, values in (
        ("invariant", n.invariants),
        ("owner", n.owners),
        ("warning", n.warnings),
        ("link", n.links),
    ):
        lines += [f"  {label:<10} {v}" for v in values]
    if n.notes:
        lines.append(f"  notes      {n.notes}")
    return "\n".join(lines)


def _show(call: Call) -> Outcome:
    sha = at_commit(call)
    path, qualified_name = target_of(call.args, definition_at(call, sha))
    return Outcome(sha, call.index().sidecar_notes(path, qualified_name, at=sha))


SHOW = Verb(
    name="sidecar show",
    tool="sidecar_show",
    summary="The notes kept beside the code about a file, or about one of its definitions, "
    "as indexed at `at`.",
    details=NOTE_FIELDS,
    example="symbiote sidecar show src/app/client.py::Client.send --at v1.2 --json",
    params=(PATH, QUALIFIED_NAME, SYMBOL, at(), *PAGE),
    run=_show,
    text=lambda o: "\n".join(map(note_text, o.results)) or "(no notes)",
    paged=True,
)


def _stale(call: Call) -> Outcome:
    sha = at_commit(call)
    index = call.index()
    invalid = [f for f in index.sidecar_files(at=sha) if f.status != "ok"]
    return Outcome(sha, index.stale_notes(at=sha), {"invalid": [f.to_dict() for f in invalid]})


def _stale_text(o: Outcome) -> str:
    lines = [note_text(n) for n in o.results] or ["(no stale notes)"]
    lines += [
        f"invalid: {f['sidecar_path']}: {f['status']}: {f['detail']}" for f in o.extra["invalid"]
    ]
    return "\n".join(lines)


STALE = Verb(
    name="sidecar stale",
    tool="sidecar_stale",
    summary="Every note at `at` whose definition changed or vanished since the note was written.",
    details="Same fields as sidecar_show; `invalid` lists sidecar files that break the "
    "schema, with their errors." + NOTE_FIELDS,
    example="symbiote sidecar stale --at HEAD --json",
    params=(at(), *PAGE),
    run=_stale,
    text=_stale_text,
    paged=True,
)


def _files(call: Call) -> Outcome:
    sha = at_commit(call)
    return Outcome(sha, call.index().sidecar_files(at=sha))


FILES = Verb(
    name="sidecar files",
    tool=None,
    summary="The sidecar files at a commit, with their validation status.",
    example="symbiote sidecar files --at v1.2",
    params=(at(), *PAGE),
    run=_files,
    text=lambda o: (
        "\n".join(
            f"{f.sidecar_path}\t{f.status}\t{f.entries} entries\t{f.detail or ''}"
            for f in o.results
        )
        or "(no sidecar files)"
    ),
    paged=True,
)

_LISTS = (
    ("invariants", "--invariant", "What must stay true."),
    ("owners", "--owner", "People or teams to ask."),
    ("warnings", "--warning", "E.g. do not change without updating X."),
    ("links", "--link", "URLs or repository paths."),
)


def _set(call: Call) -> Outcome:
    from symbiote.indexer.gitrepo import GitRepository
    from symbiote.indexer.sidecar_files import write_note

    path, qualified_name = target_of(call.args)
    fields: dict[str, Any] = {}
    for name in ("summary", "notes"):
        if call.args[name] is not None:
            fields[name] = call.args[name] or None  # '' clears
    for name, _, _ in _LISTS:
        if call.args[name] is not None:
            fields[name] = [v for v in call.args[name] if v] or None  # [] or [''] clears
    with GitRepository(call.repo) as repo:
        written = write_note(repo.root, path, qualified_name, fields)
    return Outcome(None, [written._asdict()])


SET = Verb(
    name="sidecar set",
    tool="sidecar_set",
    summary="Write a note about a file, or one of its definitions, into its sidecar file in "
    "the working tree (<file>.symbiote.json beside it; commit and index it to see it in "
    "sidecar_show).",
    details="Given fields replace the stored ones (lists whole; an empty list or string "
    "clears); a note about a definition records the definition's current body, so it goes "
    "stale when the body changes. Paths outside the repository are refused. The result is "
    "the sidecar path and the entry written.",
    example="symbiote sidecar set src/app/client.py::Client.send "
    '--warning "keep retries idempotent"',
    params=(
        PATH,
        QUALIFIED_NAME,
        SYMBOL,
        Param(name="summary", type="string", help="What it is for.", default=None),
        *(
            Param(
                name=name,
                type="strings",
                help=f"{text} (CLI: repeatable; replaces the list; '' clears it)",
                default=None,
                flags=(flag,),
                metavar="TEXT",
            )
            for name, flag, text in _LISTS
        ),
        Param(name="notes", type="string", help="Anything else.", default=None),
    ),
    run=_set,
    text=lambda o: f"wrote {o.results[0]['sidecar_path']}",
    effect="file",
)


def _schema(_call: Call) -> Outcome:
    from symbiote.indexer.sidecar_files import schema_text

    return Outcome(None, [json.loads(schema_text())], {"_text": schema_text().rstrip()})


SCHEMA = Verb(
    name="sidecar schema",
    tool=None,
    summary="Print the JSON Schema sidecar files follow.",
    example="symbiote sidecar schema",
    run=_schema,
    text=lambda o: str(o.extra["_text"]),
    routed=False,
)

GROUP = (
    "sidecar",
    "notes kept beside the code (<file>.symbiote.json)",
    "Structured notes about a file or a definition, kept in the repository beside it "
    "(src/app.py -> src/app.py.symbiote.json), indexed at every commit; a note about a "
    "definition goes stale when the definition changes.",
)
VERBS = (SHOW, STALE, FILES, SET, SCHEMA)
