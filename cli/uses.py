"""The verbs about uses: refs (every reference to a definition), callers and callees
(the call graph around it)."""

from __future__ import annotations

from typing import Any

from symbiote.cli.lookup import REFERENCE, SHAPES, Rows, lines, reference_line, site_row
from symbiote.cli.revs import at_commit
from symbiote.cli.verbs import BRIEF, PAGE, SYMBOL, Call, Outcome, Param, Verb, at
from symbiote.indexer.schema import REFERENCE_KINDS
from symbiote.queries import CallGraph, GraphOptions, RefsOptions
from symbiote.queries.options import MAX_DEPTH, RESOLUTIONS

MIN_RESOLUTION = Param(
    name="min_resolution",
    type="string",
    help="The least certain resolution kept, from the most certain: scope, import, "
    "inherited, type, name (a guess by name). `type` keeps all but guesses.",
    default="name",
    choices=RESOLUTIONS,
)


def _refs(call: Call) -> Outcome:
    sha = at_commit(call)
    index = call.index()
    target = index.definition(call.args["symbol"], at=sha)
    options = RefsOptions(kind=call.args["kind"], min_resolution=call.args["min_resolution"])
    found = index.refs(target.symbol, at=sha, options=options)
    return Outcome(sha, Rows(found, site_row), {"target": target.to_dict()})


REFS = Verb(
    name="refs",
    tool="refs",
    summary="Every reference to a definition across the files of the commit, precise ones "
    "(scope, import) first, uses in source code before uses in tests.",
    details="The envelope's `target` is the definition (a symbol); each result is a "
    "reference to it." + REFERENCE + SHAPES,
    example="symbiote refs src/app/client.py::Client.send",
    params=(
        SYMBOL,
        at(),
        Param(
            name="kind",
            type="string",
            help="Only references of this role.",
            default=None,
            choices=REFERENCE_KINDS,
        ),
        MIN_RESOLUTION,
        *PAGE,
        BRIEF,
    ),
    run=_refs,
    text=lambda o: lines([r.item for r in o.results], reference_line, "(no references)"),
    paged=True,
)


def _edge_row(edge: Any) -> dict[str, Any]:
    return {
        "caller": edge.caller.to_dict() if edge.caller else None,
        "callee": edge.callee.to_dict() if edge.callee else None,
        "site": site_row(edge.site),
        "depth": edge.depth,
    }


def _graph(call: Call, down: bool) -> Outcome:
    sha = at_commit(call)
    options = GraphOptions(
        depth=call.args["depth"],
        max_nodes=call.args["max_nodes"],
        min_resolution=call.args["min_resolution"],
        # The walk's first edges do not depend on how far it goes: a page needs no more.
        max_edges=call.offset + call.args["limit"] + 1,
    )
    index = call.index()
    target = index.definition(call.args["symbol"], at=sha)
    method = index.callees if down else index.callers
    graph: CallGraph = method(target.symbol, at=sha, options=options)
    extra = {
        "target": target.to_dict(),
        "complete": graph.complete,
        "unexpanded": [s.symbol for s in graph.unexpanded],
    }
    return Outcome(sha, Rows(graph.edges, _edge_row), extra, bounded=graph.cut)


def _graph_text(o: Outcome) -> str:
    lines = []
    for row in o.results:
        e = row.item
        # Qualified names, with the `#N` of a second overload (the canonical name's tail).
        caller = e.caller.symbol.partition("::")[2] if e.caller else "<module>"
        callee = e.callee.symbol.partition("::")[2] if e.callee else f"{e.site.name}?"
        lines.append(
            f"{'  ' * (e.depth - 1)}{caller} -> {callee}\t"
            f"{e.site.path}:{e.site.line} [{e.site.resolution}]"
        )
    if not o.extra.get("complete", True):
        lines.append(
            f"-- stopped at the bound of definitions visited; not followed: "
            f"{', '.join(o.extra['unexpanded'][:5])}"
        )
    return "\n".join(lines) or "(no calls)"


def _graph_verb(name: str, down: bool) -> Verb:
    return Verb(
        name=name,
        tool=name,
        summary=("What a definition calls" if down else "Who calls a definition")
        + ", up to `depth` hops, breadth first.",
        details="The envelope's `target` is the definition asked about; each result is a call edge "
        '{"caller": <symbol or null at module level>, "callee": <symbol or null when '
        'unresolved>, "site": <reference>, "depth": N}. `complete` is false when the walk '
        "stopped at `max_nodes` definitions; `unexpanded` lists those it did not follow."
        + REFERENCE
        + SHAPES,
        example=f"symbiote {name} src/app.py::main --depth 2",
        params=(
            SYMBOL,
            at(),
            Param(
                name="depth",
                type="integer",
                help=f"Hops to follow (1 = direct only; at most {MAX_DEPTH}).",
                default=1,
                minimum=1,
                maximum=MAX_DEPTH,
            ),
            Param(
                name="max_nodes",
                type="integer",
                help="Definitions to visit at most (the walk says where it stopped).",
                default=2000,
                minimum=1,
                maximum=100_000,
            ),
            MIN_RESOLUTION,
            *PAGE,
            BRIEF,
        ),
        run=lambda call: _graph(call, down),
        text=_graph_text,
        paged=True,
    )


CALLERS = _graph_verb("callers", False)
CALLEES = _graph_verb("callees", True)


VERBS = (REFS, CALLERS, CALLEES)
