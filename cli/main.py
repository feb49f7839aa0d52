"""The ``symbiote`` command: argument parsing, one library call, error translation.

With ``--json`` every command prints exactly one JSON object on stdout:
``{"ok": true, "commit": "<sha>", "results": [...]}`` or, on error,
``{"ok": false, "error": {"type": "<ErrorClass>", "message": "..."}}`` with exit code 1.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from symbiote.cli import agent, archive, lookup, search, serve, sidecars
from symbiote.indexer.errors import SymbioteError
from symbiote.queries import open_index

if TYPE_CHECKING:
    from symbiote.indexer.job import IndexSummary, Progress

# The write side (git, tree-sitter, the embedder, rich) is imported by the commands that
# use it, so lookups start fast.
MAX_BYTES = 1_048_576  # the default of --max-bytes (indexer.extract.Limits.max_bytes)
MEMORY_LIMIT = "512MB"  # the default of --memory-limit (indexer.job.IndexOptions.memory_limit)

EXIT_ERROR = 1
EXIT_USAGE = 2


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``symbiote`` console script."""
    words = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    args = parser.parse_args(words)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        routed = serve.route(args, words)  # through `symbiote serve`, when it runs
    except KeyboardInterrupt:
        routed = (130, _error("Interrupted", "interrupted"), "")
    code, payload, text = routed if routed is not None else execute(args)
    if args.json:
        print(json.dumps(payload, default=str))
    elif not payload["ok"]:
        error = payload["error"]
        print(f"symbiote: {error['type']}: {error['message']}", file=sys.stderr)
    elif text:
        print(text)
    return code


def execute(args: argparse.Namespace) -> tuple[int, dict[str, Any], str]:
    """Run the command of parsed ``args`` here: exit code, the ``--json`` object and the
    human text."""
    handler: Callable[[argparse.Namespace], tuple[Any, ...]] = args.handler
    try:
        commit, results, human, *more = handler(args)
    except SymbioteError as exc:
        return EXIT_ERROR, _error(type(exc).__name__, str(exc)), ""
    except KeyboardInterrupt:
        return 130, _error("Interrupted", "interrupted"), ""
    extra = more[0] if more else {}
    return 0, {"ok": True, "commit": commit, "results": results, **extra}, human


def _error(kind: str, message: str) -> dict[str, Any]:
    return {"ok": False, "error": {"type": kind, "message": message}}


# ---- commands


def _cmd_index(args: argparse.Namespace) -> tuple[str | None, list[Any], str]:
    from symbiote.indexer.extract import Limits
    from symbiote.indexer.job import IndexOptions, index_repository

    options = IndexOptions(
        refs=tuple(args.ref) if args.ref else None,
        all_refs=args.all_refs,
        history=0 if args.tips_only else args.history,
        history_ref=args.history_ref,
        jobs=args.jobs,
        limits=Limits(max_bytes=args.max_bytes),
        memory_limit=args.memory_limit,
    )
    summary = _with_progress(
        lambda cb: index_repository(args.repo, args.store, options, cb), enabled=not args.json
    )
    head: str | None = None
    with open_index(args.repo, store=args.store) as index:
        try:
            head = index.resolve("HEAD").sha
        except SymbioteError:
            head = None
        sample = index.symbols(at=head) if head and args.sample else []
    text = _summary_text(summary)
    result = summary.to_dict()
    if args.embed:
        embedded = search.run_embedding(args, embedder=args.embedder)
        result["embedding"] = embedded.to_dict()
        text += "\n" + search.summary_text(embedded)
    if sample:
        text += "\n\nsample lookup (`symbiote symbols --at HEAD`):\n" + _symbols_text(sample[:10])
    return head, [result], text


def _with_progress(
    run: Callable[[Callable[[Progress], None] | None], IndexSummary], enabled: bool
) -> IndexSummary:
    from symbiote.cli.progress import Update, with_bar

    def call(update: Update | None) -> IndexSummary:
        def report(p: Progress) -> None:
            assert update is not None
            update(completed=p.commits_done, total=p.commits_total, blobs=p.blobs_parsed)

        return run(report if update else None)

    unit = "commits · {task.fields[blobs]} blobs parsed"
    return with_bar(call, "indexing", unit, enabled=enabled, fields={"blobs": 0})


def _summary_text(s: IndexSummary) -> str:
    statuses = ", ".join(f"{k} {v}" for k, v in s.statuses.items()) or "none new"
    return (
        f"indexed {s.repository}\n"
        f"  store      {s.store}\n"
        f"  commits    {s.commits_indexed} new of {s.commits_planned} planned; {s.refs} refs\n"
        f"  blobs      {s.blobs_parsed} parsed, {s.blobs_reused} reused, "
        f"{s.blobs_reextracted} re-extracted\n"
        f"  statuses   {statuses}\n"
        f"  rows       {s.symbols} symbols, {s.references} references\n"
        f"  time       {s.seconds:.2f} s"
    )


def _cmd_symbols(args: argparse.Namespace) -> tuple[str | None, list[Any], str]:
    with open_index(args.repo, store=args.store) as index:
        commit = index.resolve(args.at)
        symbols = index.symbols(at=commit.sha, path=args.path)
    return commit.sha, [s.to_dict() for s in symbols], _symbols_text(symbols)


def _symbols_text(symbols: Sequence[Any]) -> str:
    lines = [
        f"{s.path}:{s.start_line}\t{s.kind:<9} {s.qualified_name}\t{s.signature}" for s in symbols
    ]
    return "\n".join(lines) if lines else "(no definitions)"


def _cmd_status(args: argparse.Namespace) -> tuple[str | None, list[Any], str]:
    with open_index(args.repo, store=args.store) as index:
        status = index.status()
    head = next((r.commit for r in status.refs if r.name == "HEAD"), None)
    refs = "\n".join(f"  {r.kind:<6} {r.name} {r.commit[:12]}" for r in status.refs)
    blobs = ", ".join(f"{k} {v}" for k, v in status.blobs_by_status.items())
    text = (
        f"{status.path}\n  indexed at {status.indexed_at}\n  {status.commits} commits; "
        f"{status.symbols} symbols; {status.references} references\n  blobs: {blobs}\n{refs}"
    )
    return head, [status.to_dict()], text


def _cmd_serve(args: argparse.Namespace) -> tuple[str | None, list[Any], str]:
    def ready(path: Path) -> None:
        print(f"symbiote serve: answering on {path}", file=sys.stderr, flush=True)

    serve.serve(args.repo, args.store, _parser().parse_args, execute, ready)
    return None, [], ""


def _cmd_mcp(args: argparse.Namespace) -> tuple[str | None, list[Any], str]:
    from symbiote.cli.mcp_server import serve  # imports mcp: only this command pays for it

    store = str(args.store) if args.store is not None else None
    transport = "http" if args.http else "stdio"
    serve(args.repo, store, transport, args.host, args.port, args.call_timeout)
    return None, [], ""  # nothing more on stdout: under stdio it carried the protocol


# ---- parser


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="symbiote", description="A git-aware code-symbol index for AI coding agents."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--store",
            type=Path,
            default=None,
            help="the DuckDB store file (default: $SYMBIOTE_STORE or .git/symbiote/index.duckdb)",
        )
        p.add_argument("--json", action="store_true", help="print one JSON object")

    p = sub.add_parser(
        "index",
        help="index a repository's history into the store",
        description="Index HEAD, local branches, tags and the first-parent history of HEAD. "
        "Re-running indexes only what is new.",
        epilog="example: symbiote index . --history 500",
    )
    p.add_argument("repo", nargs="?", default=".", help="repository path (default: .)")
    p.add_argument(
        "--ref",
        action="append",
        metavar="REF",
        help="index this ref's tip (repeatable); replaces the default ref set",
    )
    p.add_argument("--all-refs", action="store_true", help="also remote-tracking and other refs")
    p.add_argument(
        "--history",
        type=int,
        default=None,
        metavar="N",
        help="first-parent commits of history to index (default: all)",
    )
    p.add_argument(
        "--history-ref",
        default=None,
        metavar="REF",
        help="whose first-parent history to index (default: HEAD)",
    )
    p.add_argument("--tips-only", action="store_true", help="no history, only ref tips")
    p.add_argument("--jobs", type=int, default=None, help="parser processes (default: cores)")
    p.add_argument(
        "--memory-limit",
        default=MEMORY_LIMIT,
        metavar="SIZE",
        help=f"DuckDB's cache during the run, e.g. 1GB (default {MEMORY_LIMIT}); a run "
        "inside `symbiote serve` uses the server's",
    )
    p.add_argument(
        "--max-bytes",
        type=int,
        default=MAX_BYTES,
        help="blobs larger than this are recorded as too_large",
    )
    p.add_argument(
        "--no-embed",
        dest="embed",
        action="store_false",
        help="skip the search sidecar (text index and vectors of HEAD and branch tips)",
    )
    p.add_argument(
        "--embedder",
        default=None,
        metavar="SPEC",
        help="minilm (default), sentence-transformers:NAME or openai:MODEL@URL",
    )
    p.add_argument(
        "--no-sample",
        dest="sample",
        action="store_false",
        help="do not print a sample lookup after indexing",
    )
    common(p)
    p.set_defaults(handler=_cmd_index)

    p = sub.add_parser(
        "symbols",
        help="list the definitions at a commit",
        epilog="example: symbiote symbols --at v1.2 --path src/app.py --json",
    )
    p.add_argument("--repo", default=".", help="repository path (default: .)")
    p.add_argument("--at", default="HEAD", metavar="REV", help="ref, sha or REV~N (default HEAD)")
    p.add_argument("--path", default=None, help="only this file or folder")
    common(p)
    p.set_defaults(handler=_cmd_symbols)

    lookup.add_parsers(sub, common)
    search.add_parsers(sub, common)
    sidecars.add_parsers(sub, common)
    agent.add_parsers(sub, common)
    archive.add_parsers(sub, common)

    p = sub.add_parser(
        "status", help="show what is indexed", epilog="example: symbiote status --json"
    )
    p.add_argument("--repo", default=".", help="repository path (default: .)")
    common(p)
    p.set_defaults(handler=_cmd_status)

    serve.add_parser(sub, _cmd_serve)

    p = sub.add_parser(
        "mcp",
        help="serve the index to AI agents over MCP (stdio, or streamable HTTP with --http)",
        description="Serve the lookup verbs as Model Context Protocol tools: over stdio by "
        "default, or over streamable HTTP at http://HOST:PORT/mcp with --http.",
        epilog="example: symbiote mcp --repo . (or: symbiote mcp --http --port 8765)",
    )
    p.add_argument("--repo", default=".", help="repository path (default: .)")
    p.add_argument(
        "--store",
        type=Path,
        default=None,
        help="the DuckDB store file (default: $SYMBIOTE_STORE or .git/symbiote/index.duckdb)",
    )
    p.add_argument("--http", action="store_true", help="serve streamable HTTP instead of stdio")
    p.add_argument("--host", default="127.0.0.1", help="HTTP address (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="HTTP port (default: 8765)")
    p.add_argument(
        "--call-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="answer a tool call still running after this long with an error (default: 30)",
    )
    p.set_defaults(handler=_cmd_mcp, json=False)
    return parser


if __name__ == "__main__":
    raise SystemExit(main())
