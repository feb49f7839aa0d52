"""The verbs that run processes or write the store: ``index``, ``serve``, ``mcp``,
``archive`` and ``restore``."""

from __future__ import annotations

import logging
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from symbiote.cli.search import EMBEDDER, run_embedding, summary_text
from symbiote.cli.verbs import Call, Outcome, Param, Verb
from symbiote.indexer.errors import ArchiveError, SymbioteError

if TYPE_CHECKING:
    from symbiote.indexer.job import IndexSummary, Progress
    from symbiote.queries import Index

log = logging.getLogger(__name__)

MAX_BYTES = 1_048_576  # the default of --max-bytes (indexer.extract.Limits.max_bytes)
MEMORY_LIMIT = "512MB"  # the default of --memory-limit (indexer.job.IndexOptions.memory_limit)
SERVED_LIMIT = Param(
    name="memory_limit",
    type="string",
    help="DuckDB's cache while serving, e.g. 256MB (default 64MB: "
    "indexer.store.SERVED_MEMORY_LIMIT); raise it when a question is an OutOfMemory error.",
    default=None,
    metavar="SIZE",
)


def _index(call: Call) -> Outcome:
    from symbiote.cli.lookup import symbol_line
    from symbiote.cli.progress import Update, with_bar
    from symbiote.indexer.extract import Limits
    from symbiote.indexer.job import IndexOptions, index_repository

    a = call.args
    if a["embed"] and not a["wait_embed"]:
        from symbiote.cli.background import expect_embedding

        expect_embedding(call)
    options = IndexOptions(
        refs=tuple(a["ref"]) if a["ref"] else None,
        all_refs=a["all_refs"],
        history=0 if a["tips_only"] else a["history"],
        history_ref=a["history_ref"],
        include_archived=a["include_archived"],
        jobs=a["jobs"],
        limits=Limits(max_bytes=a["max_bytes"]),
        memory_limit=a["memory_limit"],
    )

    def run(update: Update | None) -> IndexSummary:
        def report(p: Progress) -> None:
            assert update is not None
            update(completed=p.commits_estimated, total=p.commits_total, blobs=p.blobs_parsed)

        return index_repository(call.repo, call.store, options, report if update else None)

    unit = "commits · {blobs} blobs parsed"
    summary = with_bar(run, "indexing", unit, enabled=call.progress, fields={"blobs": 0})
    result: dict[str, Any] = summary.to_dict()
    text = _summary_text(summary)
    if a["embed"] and a["wait_embed"]:  # before the index is opened: the job reads the store
        embedded = run_embedding(call, (), False)
        result["embedding"] = embedded.to_dict()
        text += "\n" + summary_text(embedded)
    index = call.index()
    index.refresh()
    try:
        head: str | None = index.resolve("HEAD").sha
    except SymbioteError:
        head = None
    if a["embed"] and not a["wait_embed"]:
        from symbiote.cli.background import background_text, embed_after_index, embedded_already

        if summary.commits_indexed or not embedded_already(call, head):
            result["embedding"] = embed_after_index(call)
            text += "\n" + background_text(result["embedding"])
    if head:
        _prepare(index, head)
    if head and a["sample"]:
        sample = index.symbols(at=head)[:10]
        lines = "\n".join(map(symbol_line, sample)) or "(no definitions)"
        text += "\n\nsample lookup (`symbiote symbols --at HEAD`):\n" + lines
    return Outcome(head, [result], {"_text": text})


def _prepare(index: Index, head: str) -> None:
    """Have HEAD's rows ready for the first question (see Index.prepare); a failure
    leaves that question to load them, as it would have."""
    started = time.monotonic()
    try:
        loaded = index.prepare(head)
    except SymbioteError as exc:
        log.warning("HEAD not prepared for lookups: %s", exc)
        return
    if loaded:
        log.info("HEAD prepared for lookups in %.2f s", time.monotonic() - started)


def _summary_text(s: IndexSummary) -> str:
    statuses = ", ".join(f"{k} {v}" for k, v in s.statuses.items()) or "none new"
    return (
        f"indexed {s.repository}\n"
        f"  store      {s.store}\n"
        f"  commits    {s.commits_indexed} new of {s.commits_planned} planned; {s.refs} refs\n"
        f"             {s.commits_skipped} skipped (a tree is missing), "
        f"{s.commits_archived} left archived (--include-archived)\n"
        f"  blobs      {s.blobs_parsed} parsed, {s.blobs_reused} reused, "
        f"{s.blobs_reextracted} re-extracted, {s.blobs_recovered} recovered (missing before)\n"
        f"  statuses   {statuses}\n"
        f"  rows       {s.symbols} symbols, {s.references} references\n"
        f"  time       {s.seconds:.2f} s"
    )


INDEX = Verb(
    name="index",
    tool=None,
    summary="Index a repository's history into the store.",
    details="Index HEAD, local branches, tags and the first-parent history of HEAD. "
    "Re-running indexes only what is new; archived commits stay archived. Returns once "
    "definitions and references are stored and queryable; the search sidecar is filled in "
    "the background (in the store's owner, or a detached `symbiote embed --job`), "
    "`symbiote status` shows how far.",
    example="symbiote index . --history 500",
    params=(
        Param(
            name="ref",
            type="strings",
            help="Index this ref's tip (repeatable); replaces the default ref set.",
            default=None,
            metavar="REF",
        ),
        Param(
            name="all_refs",
            type="boolean",
            help="Also remote-tracking and other refs.",
            default=False,
        ),
        Param(
            name="history",
            type="integer",
            help="First-parent commits of history to index (default: all).",
            default=None,
            minimum=0,
            metavar="N",
        ),
        Param(
            name="history_ref",
            type="string",
            help="Whose first-parent history to index (default: HEAD).",
            default=None,
            metavar="REF",
        ),
        Param(name="tips_only", type="boolean", help="No history, only ref tips.", default=False),
        Param(
            name="include_archived",
            type="boolean",
            help="Also index the planned commits `symbiote archive` moved out (default: "
            "they stay archived until `symbiote restore`).",
            default=False,
        ),
        Param(
            name="jobs",
            type="integer",
            help="Parser processes (default: cores).",
            default=None,
            minimum=1,
            maximum=256,
        ),
        Param(
            name="memory_limit",
            type="string",
            help=f"DuckDB's cache during the run, e.g. 1GB (default {MEMORY_LIMIT}); a run "
            "inside the store's owner uses the owner's.",
            default=MEMORY_LIMIT,
            metavar="SIZE",
        ),
        Param(
            name="max_bytes",
            type="integer",
            help="Blobs larger than this are recorded as too_large.",
            default=MAX_BYTES,
            minimum=1,
        ),
        Param(
            name="embed",
            type="boolean",
            help="Fill the search sidecar (text index and vectors of HEAD and branch tips): "
            "in the background, after the run returns (--no-embed: not at all).",
            default=True,
        ),
        Param(
            name="wait_embed",
            type="boolean",
            help="Fill the search sidecar before returning, in this run (for scripts).",
            default=False,
        ),
        EMBEDDER,
        Param(
            name="sample",
            type="boolean",
            help="Print a sample lookup after indexing.",
            default=True,
        ),
    ),
    run=_index,
    text=lambda o: str(o.extra["_text"]),
    effect="admin",
    repo_positional=True,
    owns=True,
)


def _serve(call: Call) -> Outcome:
    from symbiote.cli.owner import serve

    def ready(path: Path) -> None:
        print(f"symbiote serve: answering on {path}", file=sys.stderr, flush=True)

    store = Path(call.store) if call.store else None
    serve(call.repo, store, call.verbs, ready, call.args["memory_limit"])
    return Outcome(None, [])


SERVE = Verb(
    name="serve",
    tool=None,
    summary="Own the store and answer every symbiote command through it.",
    details="Open the store once and answer the symbiote commands other processes send it "
    "(over the Unix socket <store>.sock): queries keep answering while an index run or "
    "agent-log writes go on. Runs until interrupted.",
    example="symbiote serve . &  symbiote index .  # the run happens in the server",
    params=(SERVED_LIMIT,),
    run=_serve,
    text=lambda _o: "",
    effect="admin",
    routed=False,
    repo_positional=True,
    json_flag=False,
)


def _mcp(call: Call) -> Outcome:
    from symbiote.cli.mcp_server import serve

    a = call.args
    transport = "http" if a["http"] else "stdio"
    tools = {verb.tool: verb for verb in call.verbs.values() if verb.tool is not None}
    if a["at"] != "HEAD":
        from symbiote.cli.worktree import default_at

        tools = default_at(tools, a["at"])
    serve(
        call.repo,
        call.store,
        tools,
        transport,
        a["host"],
        a["port"],
        a["call_timeout"],
        verbs=call.verbs,
        default_rev=a["at"],
        memory_limit=a["memory_limit"],
    )
    return Outcome(None, [])  # nothing more on stdout: under stdio it carried the protocol


MCP_VERB = Verb(
    name="mcp",
    tool=None,
    summary="Serve the index to AI agents over MCP (stdio, or streamable HTTP with --http).",
    details="Serve the lookup verbs as Model Context Protocol tools: over stdio by default, "
    "or over streamable HTTP at http://HOST:PORT/mcp with --http.",
    example="symbiote mcp --repo . (or: symbiote mcp --http --port 8765)",
    params=(
        Param(
            name="http",
            type="boolean",
            help="Serve streamable HTTP instead of stdio.",
            default=False,
        ),
        Param(
            name="host",
            type="string",
            help="HTTP address (default: 127.0.0.1).",
            default="127.0.0.1",
        ),
        Param(
            name="port",
            type="integer",
            help="HTTP port (default: 8765).",
            default=8765,
            minimum=1,
            maximum=65535,
        ),
        Param(
            name="call_timeout",
            type="number",
            help="Answer a tool call still running after this long with an error (default: 30).",
            default=None,
            minimum=0.1,
            metavar="SECONDS",
        ),
        Param(
            name="at",
            type="string",
            help="The revision tools answer at when a call names none (default HEAD); "
            "WORKTREE: the working tree's uncommitted changes laid over HEAD.",
            default="HEAD",
            metavar="REV",
        ),
        SERVED_LIMIT,
    ),
    run=_mcp,
    text=lambda _o: "",
    effect="admin",
    routed=False,
    json_flag=False,
)


def _archive_text(summary: Any, verb: str) -> str:
    if summary.archive is None:
        return "nothing to archive"
    rows = ", ".join(f"{name} {n}" for name, n in summary.rows.items() if n)
    return f"{verb} {summary.commits} commits: {summary.archive}\nrows: {rows or 'none'}"


def _archive(call: Call) -> Outcome:
    from symbiote.indexer.archive import ArchiveOptions, archive_history

    a = call.args
    before = None
    if a["before"] is not None:
        try:
            before = datetime.fromisoformat(a["before"])
        except ValueError as exc:
            raise ArchiveError(f"--before takes an ISO date (2024-01-31): {exc}") from exc
        before = before if before.tzinfo else before.replace(tzinfo=UTC)
    options = ArchiveOptions(
        keep=tuple(a["keep"]) if a["keep"] else None, before=before, dry_run=a["dry_run"]
    )
    summary = archive_history(call.repo, call.store, options)
    verb = "would archive" if a["dry_run"] else "archived"
    return Outcome(None, [summary], {"_text": _archive_text(summary, verb)})


ARCHIVE = Verb(
    name="archive",
    tool=None,
    summary="Move old history out of the live store into checksummed Parquet files.",
    details="Archive the indexed commits not reachable from the kept refs (HEAD is always "
    "kept) and/or committed before a date, with the trees, blobs, definitions and "
    "references only they reach. Rows leave the store only after the archive has been "
    "read back and checked.",
    example="symbiote archive --keep main --before 2023-01-01",
    params=(
        Param(
            name="keep",
            type="strings",
            help="A ref to keep (repeatable).",
            default=None,
            metavar="REF",
        ),
        Param(
            name="before",
            type="string",
            help="Archive commits before this date.",
            default=None,
            metavar="DATE",
        ),
        Param(
            name="dry_run",
            type="boolean",
            help="Count what would go; change nothing.",
            default=False,
        ),
    ),
    run=_archive,
    text=lambda o: str(o.extra["_text"]),
    effect="admin",
    routed=False,
)


def _restore(call: Call) -> Outcome:
    from symbiote.indexer.archive import restore_archive

    summary = restore_archive(call.repo, call.store, Path(call.args["archive"]))
    return Outcome(None, [summary], {"_text": _archive_text(summary, "restored")})


RESTORE = Verb(
    name="restore",
    tool=None,
    summary="Bring an archive back into the live store.",
    example="symbiote restore .git/symbiote/index.duckdb.archives/0123abcd",
    params=(Param(name="archive", type="string", help="The archive folder.", positional=True),),
    run=_restore,
    text=lambda o: str(o.extra["_text"]),
    effect="admin",
    routed=False,
)

VERBS = (INDEX, SERVE, MCP_VERB, ARCHIVE, RESTORE)
