"""``symbiote mcp``: the lookup verbs as Model Context Protocol tools.

The only module that imports ``mcp``. One :class:`~queries.Index` is opened per server
process (on first use) and reused by every call, so its per-commit snapshots stay
cached. Each tool answers with the CLI's JSON contract:
``{"ok": true, "commit": "<sha>", "results": [...]}`` or, when the index cannot answer,
``{"ok": false, "error": {"type": "<ErrorClass>", "message": "..."}}``.
"""

from __future__ import annotations

import functools
import json
import sys
import threading
from collections.abc import Callable
from typing import Annotated, Any, Literal, Required

from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field
from typing_extensions import TypedDict  # pydantic needs this one on Python < 3.12

from symbiote.cli.mcp_params import (
    Agent,
    At,
    Depth,
    FilePath,
    Limit10,
    Limit50,
    Limit200,
    Mode,
    Retracted,
    SqlParam,
    Supersedes,
    Target,
)
from symbiote.cli.mcp_text import DESCRIPTIONS
from symbiote.indexer.agent_log import AgentLog
from symbiote.indexer.errors import QueryError, SymbioteError
from symbiote.queries import Index, SearchOptions, open_index

NAME = "symbiote"
CALL_TIMEOUT = 30.0  # seconds a tool call may run before it is answered with an error
TRANSPORTS = ("stdio", "http")

Answer = tuple[str | None, list[Any]] | tuple[str | None, list[Any], dict[str, Any]]


class ErrorInfo(TypedDict):
    """Why the index could not answer: the error class of ``indexer.errors`` and its text."""

    type: str
    message: str


class Payload(TypedDict, total=False):
    """The CLI's JSON contract: ``ok`` with ``commit`` and ``results``, or ``error``."""

    ok: Required[bool]
    commit: str | None
    results: list[Any]
    coverage: dict[str, Any]  # search only: how much of the commit is searchable
    error: ErrorInfo


# What every tool returns: a CallToolResult (so a failure can set is_error) whose
# structured content, and whose text as JSON, is a Payload; the SDK publishes
# Payload's schema as the tools' output schema.
Reply = Annotated[CallToolResult, Payload]


# ---- descriptions


class IndexSession:
    """One :class:`Index` for the life of the server, opened on first use.

    Sync tools run on worker threads, so a lock serialises access to the DuckDB
    connection and the snapshot cache.
    """

    def __init__(self, repo: str, store: str | None, call_timeout: float = CALL_TIMEOUT) -> None:
        self.repo = repo
        self.store = store
        self.call_timeout = call_timeout
        self._index: Index | None = None
        self._lock = threading.Lock()

    def _open(self) -> Index:
        if self._index is None:
            self._index = open_index(self.repo, store=self.store)
        else:
            self._index.refresh()  # refs may have moved since the last call
        return self._index

    def check(self) -> str | None:
        """Open the index now; the error message when that fails (calls retry later)."""
        if self.forward("status", {}) is not None:
            return None  # `symbiote serve` owns the store and answers for it
        with self._lock:
            try:
                self._open()
            except SymbioteError as exc:
                return f"{type(exc).__name__}: {exc}"
        return None

    def answer(self, call: Callable[[Index], Answer]) -> CallToolResult:
        """Run one query and wrap it in the CLI's JSON contract. A call still running
        after :attr:`call_timeout` seconds is answered with an error, and its store
        query is interrupted."""
        done = threading.Event()
        box: dict[str, Any] = {}

        def work() -> None:
            with self._lock:  # calls take turns on the connection
                if done.is_set():
                    return  # answered already: the caller stopped waiting
                try:
                    box["answer"] = call(self._open())
                except SymbioteError as exc:
                    box["error"] = exc
                except BaseException as exc:  # re-raised on the caller's thread
                    box["crash"] = exc
                finally:
                    done.set()

        threading.Thread(target=work, name="symbiote-mcp-call", daemon=True).start()
        if not done.wait(self.call_timeout):
            done.set()
            if self._index is not None:
                self._index.interrupt()
            box["error"] = QueryError(
                f"the call took longer than {self.call_timeout:g} s (the time limit); ask "
                "for less: a smaller limit or depth, a path, a closer pair of refs"
            )
        payload: Payload
        if "crash" in box:
            raise box["crash"]
        if "error" in box:
            exc = box["error"]
            payload = {"ok": False, "error": {"type": type(exc).__name__, "message": str(exc)}}
        else:
            commit, results, *extra = box["answer"]
            payload = {"ok": True, "commit": commit, "results": results}
            if extra:
                payload.update(extra[0])
        return _result(dict(payload))

    def forward(self, tool: str, arguments: dict[str, Any]) -> CallToolResult | None:
        """The tool's answer from the `symbiote serve` process of the store, when one
        runs (it owns the store then, so this process could not open it); else None."""
        from symbiote.cli.serve import call_tool

        payload = call_tool(self.repo, self.store, tool, arguments)
        return None if payload is None else _result(payload)

    def write_note(
        self, path: str, qualified_name: str | None, fields: dict[str, Any]
    ) -> dict[str, Any]:
        """Write a sidecar note in the repository's working tree (see
        :func:`indexer.sidecar_files.write_note`); the entry as written."""
        from symbiote.indexer.gitrepo import GitRepository
        from symbiote.indexer.sidecar_files import write_note

        written = write_note(GitRepository(self.repo).root, path, qualified_name, fields)
        return written._asdict()

    def close(self) -> None:
        with self._lock:
            if self._index is not None:
                self._index.close()
                self._index = None


def _result(payload: dict[str, Any]) -> CallToolResult:
    # The CLI's json.dumps(default=str): dates, decimals and bytes become strings.
    text = json.dumps(payload, default=str)
    return CallToolResult(
        content=[TextContent(type="text", text=text)],
        structured_content=json.loads(text),
        is_error=not payload["ok"],
    )


READ_ONLY = ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=False)
APPENDS = ToolAnnotations(
    read_only_hint=False, destructive_hint=False, idempotent_hint=False, open_world_hint=False
)
WRITES_FILE = ToolAnnotations(
    read_only_hint=False, destructive_hint=False, idempotent_hint=True, open_world_hint=False
)


def build_server(session: IndexSession) -> MCPServer[Any]:
    """The MCP server with one tool per verb, answering from ``session``, or from the
    `symbiote serve` process of the store while one runs (it owns the store then)."""
    server: MCPServer[Any] = MCPServer(
        NAME,
        instructions="Symbiote answers where code symbols are defined, what a file contains "
        "and what uses what, at any indexed git commit. Name definitions as PATH::QUALNAME "
        "(find them with `find`); pass `at` as a ref, sha or REV~N.",
    )
    for name, (fn, hints) in tools(session).items():

        def routed(
            *args: Any, _fn: Callable[..., Reply] = fn, _name: str = name, **kwargs: Any
        ) -> Reply:
            forwarded = session.forward(_name, kwargs)
            return forwarded if forwarded is not None else _fn(*args, **kwargs)

        functools.update_wrapper(routed, fn)
        server.add_tool(routed, description=DESCRIPTIONS[name], annotations=hints)
    return server


def tools(
    session: IndexSession,
) -> dict[str, tuple[Callable[..., Reply], ToolAnnotations]]:
    """The tool functions, by name, with their annotations."""

    def find(
        query: Annotated[str, Field(min_length=1, description="Name or qualified name.")],
        at: At = "HEAD",
        mode: Mode = "auto",
        kind: Annotated[
            str | None, Field(description="Only this kind: function, class, method, ...")
        ] = None,
        path: Annotated[
            str | None, Field(description="Only paths matching this glob, or under this folder.")
        ] = None,
        language: Annotated[str | None, Field(description="Only this language.")] = None,
        limit: Limit50 = 50,
    ) -> Reply:
        def run(index: Index) -> Answer:
            sha = index.resolve(at).sha
            hits = index.find(
                query, at=sha, mode=mode, kind=kind, path=path, language=language, limit=limit
            )
            return sha, [h.to_dict() for h in hits]

        return session.answer(run)

    def goto(
        path: FilePath,
        line: Annotated[int, Field(ge=1, description="Line, 1-based.")],
        col: Annotated[int, Field(ge=0, description="Column, 0-based, in bytes.")],
        at: At = "HEAD",
    ) -> Reply:
        def run(index: Index) -> Answer:
            sha = index.resolve(at).sha
            resolution, hits = index.goto(path, line, col, at=sha)
            return sha, [{**h.to_dict(), "resolution": resolution} for h in hits]

        return session.answer(run)

    def refs(target: Target, at: At = "HEAD", limit: Limit200 = 200) -> Reply:
        def run(index: Index) -> Answer:
            sha = index.resolve(at).sha
            return sha, [r.to_dict() for r in index.refs(target, at=sha)[:limit]]

        return session.answer(run)

    def outline(path: FilePath, at: At = "HEAD") -> Reply:
        def run(index: Index) -> Answer:
            sha = index.resolve(at).sha
            return sha, [n.to_dict() for n in index.outline(path, at=sha)]

        return session.answer(run)

    def callers(target: Target, at: At = "HEAD", depth: Depth = 1, limit: Limit200 = 200) -> Reply:
        def run(index: Index) -> Answer:
            sha = index.resolve(at).sha
            return sha, [e.to_dict() for e in index.callers(target, at=sha, depth=depth)[:limit]]

        return session.answer(run)

    def callees(target: Target, at: At = "HEAD", depth: Depth = 1, limit: Limit200 = 200) -> Reply:
        def run(index: Index) -> Answer:
            sha = index.resolve(at).sha
            return sha, [e.to_dict() for e in index.callees(target, at=sha, depth=depth)[:limit]]

        return session.answer(run)

    def history(target: Target, at: At = "HEAD", limit: Limit200 = 200) -> Reply:
        def run(index: Index) -> Answer:
            sha = index.resolve(at).sha
            return sha, [e.to_dict() for e in index.history(target, at=sha, limit=limit)]

        return session.answer(run)

    def diff(
        base: Annotated[
            str, Field(min_length=1, description="The older revision: a ref, sha or REV~N.")
        ],
        head: Annotated[
            str, Field(min_length=1, description="The newer revision (default HEAD).")
        ] = "HEAD",
        references: Annotated[
            bool, Field(description="Include the references to changed definitions.")
        ] = True,
        max_references: Annotated[
            int,
            Field(
                ge=0,
                le=200,
                description="At most this many references listed per changed definition "
                "(precise ones first; reference_count counts them all).",
            ),
        ] = 20,
        limit: Limit200 = 200,
    ) -> Reply:
        def run(index: Index) -> Answer:
            sha = index.resolve(head).sha
            entries = index.diff(base, sha, references=references, max_references=max_references)[
                :limit
            ]
            return sha, [e.to_dict() for e in entries]

        return session.answer(run)

    def sql(
        query: Annotated[str, Field(min_length=1, description="One SELECT (or EXPLAIN).")],
        params: Annotated[
            list[SqlParam] | None, Field(description="Values for the ? placeholders.")
        ] = None,
        at: At = "HEAD",
        limit: Limit200 = 200,
    ) -> Reply:
        def run(index: Index) -> Answer:
            sha = index.resolve(at).sha
            names, rows = index.sql(query, list(params or []), limit=limit)
            return sha, [dict(zip(names, row, strict=True)) for row in rows]

        return session.answer(run)

    def symbols(
        at: At = "HEAD",
        path: Annotated[
            str | None, Field(description="Only this file, or the files under this folder.")
        ] = None,
        limit: Limit200 = 200,
    ) -> Reply:
        def run(index: Index) -> Answer:
            sha = index.resolve(at).sha
            return sha, [s.to_dict() for s in index.symbols(at=sha, path=path)[:limit]]

        return session.answer(run)

    def search(
        text: Annotated[str, Field(min_length=1, description="What the code does, in words.")],
        at: At = "HEAD",
        k: Limit10 = 10,
        mode: Annotated[
            Literal["hybrid", "vector", "text"],
            Field(description="hybrid (default), vector (embeddings) or text (BM25)."),
        ] = "hybrid",
        kind: Annotated[
            list[str] | None, Field(description="Only these kinds (function, method, ...).")
        ] = None,
        path: Annotated[
            str | None, Field(description="Only paths matching this glob, or under this folder.")
        ] = None,
        language: Annotated[list[str] | None, Field(description="Only these languages.")] = None,
        max_distance: Annotated[
            float | None,
            Field(ge=0, le=2, description="Range search: cosine distance at most this."),
        ] = None,
    ) -> Reply:
        def run(index: Index) -> Answer:
            sha = index.resolve(at).sha
            options = SearchOptions(
                mode=mode,
                k=k,
                kinds=tuple(kind or ()),
                path=path,
                languages=tuple(language or ()),
                max_distance=max_distance,
            )
            hits = index.search(text, at=sha, options=options)
            cover = index.search_coverage(at=sha)
            return sha, [h.to_dict() for h in hits], {"coverage": cover.to_dict()}

        return session.answer(run)

    def status() -> Reply:
        def run(index: Index) -> Answer:
            state = index.status()
            head = next((r.commit for r in state.refs if r.name == "HEAD"), None)
            return head, [state.to_dict()]

        return session.answer(run)

    def sidecar_show(
        path: FilePath,
        qualified_name: Annotated[
            str | None, Field(description="Only the note about this definition (Class.method).")
        ] = None,
        at: At = "HEAD",
    ) -> Reply:
        def run(index: Index) -> Answer:
            sha = index.resolve(at).sha
            notes = index.sidecar_notes(path, qualified_name, at=sha)
            return sha, [n.to_dict() for n in notes]

        return session.answer(run)

    def sidecar_stale(at: At = "HEAD", limit: Limit200 = 200) -> Reply:
        def run(index: Index) -> Answer:
            sha = index.resolve(at).sha
            invalid = [f.to_dict() for f in index.sidecar_files(at=sha) if f.status != "ok"]
            stale = [n.to_dict() for n in index.stale_notes(at=sha)[:limit]]
            return sha, stale, {"invalid": invalid}

        return session.answer(run)

    def sidecar_set(
        path: FilePath,
        qualified_name: Annotated[
            str | None, Field(description="The definition the note is about; none: the file.")
        ] = None,
        summary: Annotated[str | None, Field(description="What it is for.")] = None,
        invariants: Annotated[list[str] | None, Field(description="What must stay true.")] = None,
        owners: Annotated[list[str] | None, Field(description="People or teams to ask.")] = None,
        warnings: Annotated[
            list[str] | None, Field(description="E.g. do not change without updating X.")
        ] = None,
        links: Annotated[list[str] | None, Field(description="URLs or repository paths.")] = None,
        notes: Annotated[str | None, Field(description="Anything else.")] = None,
    ) -> Reply:
        given = {
            "summary": summary,
            "invariants": invariants,
            "owners": owners,
            "warnings": warnings,
            "links": links,
            "notes": notes,
        }
        fields = {k: (v or None) for k, v in given.items() if v is not None}

        def run(_index: Index) -> Answer:
            return None, [session.write_note(path, qualified_name, fields)]

        return session.answer(run)

    def record_critique(
        path: FilePath,
        agent: Agent,
        category: Annotated[str, Field(description="bug, design, performance, security, ...")],
        severity: Annotated[str, Field(description="info, low, medium, high or critical.")],
        text: Annotated[str, Field(min_length=1, description="The critique.")],
        qualified_name: Annotated[
            str | None, Field(description="The definition criticised; none: the file.")
        ] = None,
        at: At = "HEAD",
        supersedes: Supersedes = None,
        retracted: Retracted = False,
    ) -> Reply:
        def run(index: Index) -> Answer:
            sha = index.resolve(at).sha
            entry = AgentLog(index.store_path).critique(
                agent=agent,
                repo_id=index.repo_id,
                commit=sha,
                path=path,
                qualified_name=qualified_name,
                category=category,
                severity=severity,
                text=text,
                check=lambda _repo, commit, p, q: index.check_target(commit, p, q),
                supersedes=supersedes,
                retracted=retracted,
            )
            return sha, [entry]

        return session.answer(run)

    def record_action(
        critique: Annotated[str, Field(min_length=1, description="The critique's id.")],
        agent: Agent,
        description: Annotated[str, Field(min_length=1, description="What was done.")],
        commit: Annotated[str | None, Field(description="The commit it produced.")] = None,
        paths: Annotated[list[str] | None, Field(description="Files touched.")] = None,
        definitions: Annotated[list[str] | None, Field(description="Definitions touched.")] = None,
        supersedes: Supersedes = None,
        retracted: Retracted = False,
    ) -> Reply:
        def run(index: Index) -> Answer:
            sha = index.resolve(commit).sha if commit else None
            entry = AgentLog(index.store_path).action(
                agent=agent,
                critique=critique,
                description=description,
                commit=sha,
                paths=paths or [],
                definitions=definitions or [],
                supersedes=supersedes,
                retracted=retracted,
            )
            return sha, [entry]

        return session.answer(run)

    def record_outcome(
        action: Annotated[str, Field(min_length=1, description="The action's id.")],
        agent: Agent,
        verdict: Annotated[
            str, Field(description="success, failure, partial, reverted or superseded.")
        ],
        evidence: Annotated[
            dict[str, Any] | None, Field(description="Test results, metrics (JSON object).")
        ] = None,
        supersedes: Supersedes = None,
        retracted: Retracted = False,
    ) -> Reply:
        def run(index: Index) -> Answer:
            entry = AgentLog(index.store_path).outcome(
                agent=agent,
                action=action,
                verdict=verdict,
                evidence=evidence,
                supersedes=supersedes,
                retracted=retracted,
            )
            return None, [entry]

        return session.answer(run)

    def lessons(
        target: Annotated[str, Field(min_length=1, description="PATH::QUALNAME or PATH.")],
        at: At = "HEAD",
    ) -> Reply:
        def run(index: Index) -> Answer:
            sha = index.resolve(at).sha
            return sha, [x.to_dict() for x in index.lessons(target, at=sha)]

        return session.answer(run)

    def recall_critiques(
        text: Annotated[str, Field(min_length=1, description="What the problem is about.")],
        k: Annotated[int, Field(ge=1, le=50, description="How many critiques.")] = 5,
    ) -> Reply:
        def run(index: Index) -> Answer:
            return None, [h.to_dict() for h in index.recall(text, k=k)]

        return session.answer(run)

    def success_rates() -> Reply:
        def run(index: Index) -> Answer:
            return None, [r.to_dict() for r in index.success_rates()]

        return session.answer(run)

    readers: list[Callable[..., Reply]] = [find, goto, refs, outline, callers, callees]
    readers += [history, diff, sql, symbols, search, sidecar_show, sidecar_stale, lessons]
    readers += [recall_critiques, success_rates, status]
    found: dict[str, tuple[Callable[..., Reply], ToolAnnotations]] = {
        fn.__name__: (fn, READ_ONLY) for fn in readers
    }
    for writer in (record_critique, record_action, record_outcome):
        found[writer.__name__] = (writer, APPENDS)
    found["sidecar_set"] = (sidecar_set, WRITES_FILE)
    return found


def serve(
    repo: str,
    store: str | None = None,
    transport: str = "stdio",
    host: str = "127.0.0.1",
    port: int = 8765,
    call_timeout: float | None = None,
) -> None:
    """Serve the index of ``repo`` over MCP until the client disconnects (stdio) or the
    process is interrupted (``http``: streamable HTTP at ``http://HOST:PORT/mcp``)."""
    if transport not in TRANSPORTS:
        raise ValueError(f"transport must be one of {', '.join(TRANSPORTS)}, not {transport!r}")
    session = IndexSession(repo, store, call_timeout or CALL_TIMEOUT)
    problem = session.check()
    if problem:  # keep serving: the tools report it, and retry once the index exists
        print(f"symbiote mcp: {problem}", file=sys.stderr)
    server = build_server(session)
    try:
        if transport == "stdio":
            server.run("stdio")
        else:
            print(f"symbiote mcp: serving http://{host}:{port}/mcp", file=sys.stderr)
            server.run("streamable-http", host=host, port=port)
    finally:
        session.close()
