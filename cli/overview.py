"""The verbs about the store itself: sql (read-only SQL over its tables) and status."""

from __future__ import annotations

import shlex
from typing import Any

from symbiote.cli.revs import at_commit
from symbiote.cli.verbs import PAGE, Call, Outcome, Param, Verb, at
from symbiote.queries import SqlOptions


def _sql(call: Call) -> Outcome:
    a = call.args
    index = call.index()
    sha = at_commit(call) if a["at"] != "HEAD" else None
    wanted = call.offset + a["limit"] + 1
    options = SqlOptions(params=tuple(a.get("params") or ()), limit=wanted, timeout=a["timeout"])
    result = index.sql(a["query"], options=options)
    rows = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
    extra = {"columns": result.columns}
    return Outcome(sha, rows, extra, bounded=result.truncated or len(rows) >= wanted)


def _sql_text(o: Outcome) -> str:
    columns: list[str] = o.extra.get("columns", [])
    body = "\n".join("\t".join(str(row[c]) for c in columns) for row in o.results)
    return "\t".join(columns) + "\n" + body


SQL = Verb(
    name="sql",
    tool="sql",
    summary="Run one read-only SELECT (or EXPLAIN) over the index (DuckDB).",
    details="Macros give one commit's rows: symbols_at('REV'), references_at('REV'), "
    "files_at('REV'), commit_of('REV'); tables: repositories, commits, refs, trees, "
    "tree_entries, blobs, code_symbols, code_references. Use ? placeholders with `params`. "
    "Each result is a row as {column: value}; rows are fetched in bounded batches (rows "
    "and bytes), so any query is safe to ask. A query is stopped after `timeout` seconds.",
    example="symbiote sql \"SELECT kind, count(*) FROM symbols_at('HEAD') GROUP BY kind\"",
    params=(
        Param(name="query", type="string", help="One SELECT (or EXPLAIN).", positional=True),
        Param(
            name="params",
            type="values",
            help="Values for the ? placeholders.",
            default=None,
            surfaces=frozenset({"mcp"}),
        ),
        at("Only names the reported commit (the macros take their own revision)."),
        Param(
            name="timeout",
            type="number",
            help="Stop the query after this many seconds (at most 30).",
            default=30.0,
            minimum=0.01,
            maximum=30.0,
        ),
        *PAGE,
    ),
    run=_sql,
    text=_sql_text,
    paged=True,
)


def _status(call: Call) -> Outcome:
    state = call.index().status()
    head = next((r.commit for r in state.refs if r.name == "HEAD"), None)
    return Outcome(head, [state])


def _status_text(o: Outcome) -> str:
    status = o.results[0]
    refs = "\n".join(f"  {r.kind:<6} {r.name} {r.commit[:12]}" for r in status.refs)
    blobs = ", ".join(f"{k} {v}" for k, v in status.blobs_by_status.items())
    archives = "".join(f"\n    {shlex.quote(f)}: {n}" for f, n in status.archives.items())
    restore = " (`symbiote restore FOLDER` brings them back)" if archives else ""
    return (
        f"{status.path}\n  indexed at {status.indexed_at}\n  {status.commits} commits; "
        f"{status.symbols} symbols; {status.references} references\n"
        f"  {status.skipped_commits} commits skipped (a tree they reach is missing); "
        f"{status.archived_commits} archived{restore}{archives}\n  blobs: {blobs}\n"
        f"{_embedding_text(status.embedding)}{refs}"
    )


def _embedding_text(e: Any) -> str:
    if e is None:
        return ""
    line = (
        f"  search at HEAD: {e.embedded} embedded, {e.text_only} text-only, "
        f"{e.to_embed} to embed of {e.definitions} definitions\n"
    )
    if e.running:
        progress = f"{e.done}/{e.total} written" if e.total is not None else "starting"
        queued = "; another waits" if e.queued else ""
        line += f"  embedding job: running, pid {e.pid}, {progress}{queued}\n"
    elif e.job is not None:
        error = f" ({e.error})" if e.error else ""
        line += f"  embedding job: {e.job} at {e.updated_at}{error}\n"
    return line


STATUS = Verb(
    name="status",
    tool="status",
    summary="What is indexed for this repository.",
    details="One result with repo_id, path, indexed_at, commits, refs (name, kind, commit), "
    "blobs_by_status, symbols, references, skipped_commits (not indexed: a tree they reach "
    "is missing), archived_commits and archives (folder: commits), and embedding "
    "(definitions at HEAD embedded, text_only, to_embed; the background embedding job: "
    "job state, running, pid, done, total). `commit` is the indexed HEAD.",
    example="symbiote status --json",
    run=_status,
    text=_status_text,
)


VERBS = (SQL, STATUS)
