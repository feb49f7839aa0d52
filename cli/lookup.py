"""The lookup verbs of the CLI: find, goto, refs, outline, callers, callees, history,
diff and sql. Each handler is one library call plus formatting."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from symbiote.cli.verbs import AT, add_verb
from symbiote.indexer.errors import QueryError
from symbiote.queries import CallEdge, Index, OutlineNode, Reference, Symbol, open_index

Result = tuple[str | None, list[Any], str]


def _open(args: argparse.Namespace) -> Index:
    return open_index(args.repo, store=args.store)


def _loc(s: Symbol) -> str:
    return f"{s.path}:{s.start_line}"


def _symbol_line(s: Symbol) -> str:
    return f"{_loc(s)}\t{s.kind:<9} {s.qualified_name}\t{s.signature}"


def _ref_line(r: Reference) -> str:
    target = f" -> {r.target.path}::{r.target.qualified_name}" if r.target else ""
    inside = f" in {r.enclosing}" if r.enclosing else ""
    return f"{r.path}:{r.line}:{r.col}\t{r.kind:<11} {r.name}{inside}\t[{r.resolution}]{target}"


def find(args: argparse.Namespace) -> Result:
    with _open(args) as index:
        sha = index.resolve(args.at).sha
        hits = index.find(
            args.name,
            at=sha,
            mode=args.mode,
            kind=args.kind,
            path=args.path,
            language=args.lang,
            limit=args.limit,
        )
    return sha, [h.to_dict() for h in hits], "\n".join(map(_symbol_line, hits)) or "(no match)"


def goto(args: argparse.Namespace) -> Result:
    try:
        path, line, col = args.position.rsplit(":", 2)
        line_no, col_no = int(line), int(col)
    except ValueError as exc:
        raise QueryError(f"goto takes PATH:LINE:COL, not {args.position!r}") from exc
    with _open(args) as index:
        sha = index.resolve(args.at).sha
        resolution, hits = index.goto(path, line_no, col_no, at=sha)
    results = [{**h.to_dict(), "resolution": resolution} for h in hits]
    text = "\n".join(f"{_symbol_line(h)}\t[{resolution}]" for h in hits)
    return sha, results, text or "(nothing defined or referenced there)"


def refs(args: argparse.Namespace) -> Result:
    with _open(args) as index:
        sha = index.resolve(args.at).sha
        found = index.refs(args.target, at=sha)
    return sha, [r.to_dict() for r in found], "\n".join(map(_ref_line, found)) or "(no references)"


def outline(args: argparse.Namespace) -> Result:
    with _open(args) as index:
        sha = index.resolve(args.at).sha
        tree = index.outline(args.path, at=sha)
    lines: list[str] = []

    def walk(nodes: list[OutlineNode], depth: int) -> None:
        for node in nodes:
            s = node.symbol
            lines.append(f"{'  ' * depth}{s.kind} {s.name}  {s.signature}  (line {s.start_line})")
            walk(node.children, depth + 1)

    walk(tree, 0)
    return sha, [n.to_dict() for n in tree], "\n".join(lines) or "(no definitions)"


def _edges(args: argparse.Namespace, call: Callable[[Index, str], list[CallEdge]]) -> Result:
    with _open(args) as index:
        sha = index.resolve(args.at).sha
        edges = call(index, sha)
    lines = []
    for e in edges:
        caller = e.caller.qualified_name if e.caller else "<module>"
        callee = e.callee.qualified_name if e.callee else f"{e.site.name}?"
        lines.append(
            f"{'  ' * (e.depth - 1)}{caller} -> {callee}\t"
            f"{e.site.path}:{e.site.line} [{e.site.resolution}]"
        )
    return sha, [e.to_dict() for e in edges], "\n".join(lines) or "(no calls)"


def callers(args: argparse.Namespace) -> Result:
    return _edges(args, lambda index, sha: index.callers(args.target, at=sha, depth=args.depth))


def callees(args: argparse.Namespace) -> Result:
    return _edges(args, lambda index, sha: index.callees(args.target, at=sha, depth=args.depth))


def history(args: argparse.Namespace) -> Result:
    with _open(args) as index:
        sha = index.resolve(args.at).sha
        entries = index.history(args.target, at=sha, limit=args.limit)
    lines = [
        f"{e.commit[:12]} {e.date:%Y-%m-%d} {e.change:<17} {e.path}::{e.qualified_name}"
        f"  {e.author}: {e.message}"
        for e in entries
    ]
    return sha, [e.to_dict() for e in entries], "\n".join(lines) or "(no history)"


def diff(args: argparse.Namespace) -> Result:
    with _open(args) as index:
        head = index.resolve(args.head).sha
        entries = index.diff(
            args.base, head, references=not args.no_refs, max_references=args.max_refs
        )
    lines = []
    for e in entries:
        moved = f" (from {e.previous_path})" if e.previous_path else ""
        renamed = f" (was {e.previous_qualified_name})" if e.previous_qualified_name else ""
        flag = " SIGNATURE" if e.signature_changed else ""
        uses = f" [{e.reference_count} refs]" if e.reference_count else ""
        lines.append(
            f"{e.change:<8} {e.kind:<9} {e.path}::{e.qualified_name}{moved}{renamed}{flag}{uses}"
        )
    return head, [e.to_dict() for e in entries], "\n".join(lines) or "(no changes)"


def sql(args: argparse.Namespace) -> Result:
    with _open(args) as index:
        sha = index.resolve(args.at).sha
        names, rows = index.sql(args.query, limit=args.limit, timeout=args.timeout)
    results = [dict(zip(names, row, strict=True)) for row in rows]
    text = "\t".join(names) + "\n" + "\n".join("\t".join(map(str, row)) for row in rows)
    return sha, results, text


def add_parsers(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    """Register the lookup verbs on the ``symbiote`` parser."""

    def verb(
        name: str, handler: Callable[[argparse.Namespace], Result], text: str, example: str
    ) -> argparse.ArgumentParser:
        return add_verb(sub, name, handler, text, example, common, at=AT)

    p = verb(
        "find",
        find,
        "find definitions by name, qualified name, prefix or fuzzy match",
        "symbiote find Session.execute --kind method --json",
    )
    p.add_argument("name")
    p.add_argument(
        "--mode", default="auto", choices=["auto", "exact", "qualified", "prefix", "fuzzy"]
    )
    p.add_argument("--kind", default=None, help="only this kind (function, class, method, ...)")
    p.add_argument("--path", default=None, help="only paths matching this glob or folder")
    p.add_argument("--lang", default=None, help="only this language")
    p.add_argument("--limit", type=int, default=50)

    p = verb(
        "goto",
        goto,
        "the definition of the identifier at PATH:LINE:COL",
        "symbiote goto src/app.py:42:8",
    )
    p.add_argument(
        "position", metavar="PATH:LINE:COL", help="line 1-based, column 0-based in bytes"
    )

    p = verb(
        "refs",
        refs,
        "all references to a definition",
        "symbiote refs src/app/client.py::Client.send",
    )
    p.add_argument("target", metavar="PATH::QUALNAME")

    p = verb(
        "outline",
        outline,
        "the definitions of a file as a tree",
        "symbiote outline src/app/client.py --at v1.2",
    )
    p.add_argument("path")

    for name, handler, text in (
        ("callers", callers, "who calls a definition"),
        ("callees", callees, "what a definition calls"),
    ):
        p = verb(name, handler, text, f"symbiote {name} src/app.py::main --depth 2")
        p.add_argument("target", metavar="PATH::QUALNAME")
        p.add_argument("--depth", type=int, default=1)

    p = verb(
        "history",
        history,
        "commits that added, changed, moved, renamed or removed a definition",
        "symbiote history src/app/client.py::Client.send",
    )
    p.add_argument("target", metavar="PATH::QUALNAME")
    p.add_argument("--limit", type=int, default=200)

    p = sub.add_parser(
        "diff",
        help="definitions changed between two refs",
        description="Definitions added, removed, changed, moved and renamed "
        "between BASE and HEAD, with signature changes flagged.",
        epilog="example: symbiote diff v1.1 v1.2 --json",
    )
    p.add_argument("base")
    p.add_argument("head", nargs="?", default="HEAD")
    p.add_argument("--repo", default=".", help="repository path (default: .)")
    p.add_argument(
        "--no-refs", action="store_true", help="skip the references to changed definitions"
    )
    p.add_argument(
        "--max-refs",
        type=int,
        default=20,
        metavar="N",
        help="list at most N references per changed definition (all are counted; default 20)",
    )
    common(p)
    p.set_defaults(handler=diff)

    p = verb(
        "sql",
        sql,
        "read-only SQL over the index tables",
        "symbiote sql \"SELECT kind, count(*) FROM symbols_at('HEAD') GROUP BY kind\"",
    )
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=1000)
    p.add_argument(
        "--timeout", type=float, default=30.0, help="stop the query after this many seconds"
    )
