"""``symbiote mcp``: the verb table's tools over the Model Context Protocol.

The only module that imports ``mcp``. Tools, their input schemas and descriptions are
generated from the verb table (:mod:`symbiote.cli.table`); every call is checked against
its parameters and answered with the envelope of :mod:`symbiote.cli.contract` (invalid
arguments too: the one error shape, never raw validation text), within a size budget
(``max_chars``). One :class:`~symbiote.queries.Index` is opened per server process (on
first use) and reused by every call, so its per-commit snapshots stay cached; while
another process owns the store (``symbiote serve``), calls are answered there.
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import anyio
import mcp_types as types
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server

from symbiote.cli import contract
from symbiote.cli.route import ask, reach
from symbiote.cli.runner import Reply, execute
from symbiote.cli.verbs import MCP, MISSING, Param, Verb
from symbiote.indexer.errors import QueryError, StoreError, SymbioteError

if TYPE_CHECKING:
    from symbiote.cli.owner import Owner
    from symbiote.queries import Index

NAME = "symbiote"
CALL_TIMEOUT = 30.0  # seconds a tool call may run before it is answered with an error
# Seconds the server gives the store's opening before it answers its client: the usual
# opening (~1 s) ends first, so the first call does not wait for it or share the cores
# with it; a long upgrade of a large store does not keep the client waiting.
OPEN_WAIT = 5.0
TRANSPORTS = ("stdio", "http")
INSTRUCTIONS = (
    "Symbiote answers where code symbols are defined, what a file contains, what uses "
    "what, and how code changed, at any indexed git commit. Name a definition by the "
    "`symbol` field of any result (PATH::QUALNAME, #2 for a file's second definition of "
    "one name; find it with `find` or `search`); pass "
    "`at` as a ref, sha or REV~N, or WORKTREE for the uncommitted edits. Lists come in "
    "pages: when `truncated` is true, call again with `cursor` set to the answer's `next`."
)


class IndexSession:
    """The store as this server's calls reach it. The server owns the store from its
    first call (:class:`~symbiote.cli.owner.Owner`) unless another process does (then
    calls go there), so an index run started elsewhere happens in this process while
    the agent keeps asking. One :class:`Index` serves the calls answered here, opened on
    first use; calls take turns on it (tools run on worker threads); a call still running
    after :attr:`call_timeout` seconds is answered with an error and its store query
    interrupted."""

    def __init__(
        self,
        repo: str,
        store: str | None,
        tools: Mapping[str, Verb],
        call_timeout: float = CALL_TIMEOUT,
        verbs: Mapping[str, Verb] | None = None,
        default_rev: str = "HEAD",
        memory_limit: str | None = None,
    ) -> None:
        self.repo = repo
        self.memory_limit = memory_limit  # DuckDB's cache once this server owns the store
        self.default_rev = default_rev  # `at` of a call that names none (mcp --at)
        self.store = store
        self.tools = tools  # the verbs offered, by tool name
        # Every verb by name: what this process answers for others while it owns the store.
        self.verbs = verbs if verbs is not None else {v.name: v for v in tools.values()}
        self.call_timeout = call_timeout
        self._index: Index | None = None
        self._owner: Owner | None = None
        self._lock = threading.Lock()
        self._opened = threading.Event()  # set while no opening is on its way (see start)
        self._opened.set()
        self._opening: threading.Thread | None = None

    def _open(self) -> Index:
        from symbiote.queries import open_index

        if self._index is None:
            self._index = open_index(self.repo, store=self.store)
        else:
            self._index.refresh()  # refs may have moved since the last call
        return self._index

    def _own(self) -> None:
        """Own the store, when it exists and nobody does (:class:`StoreLocked` when
        another process holds it)."""
        from symbiote.cli.owner import Owner
        from symbiote.cli.route import store_of

        if self._owner is not None:
            return
        path = store_of(self.repo, self.store)
        if path is None or not path.is_file():
            return  # nothing to own yet: the calls say so, and the index run that makes it
        with self._lock:
            if self._owner is None:
                if self._index is not None:  # opened read-only: the owner's replaces it
                    self._index.close()
                    self._index = None
                self._owner = Owner.take(self.repo, self.store, self.verbs, self.memory_limit)

    def check(self) -> str | None:
        """Own the store now, or find its owner; what is wrong, when something is (the
        calls try again)."""
        if ask("status", {}, self.repo, self.store, MCP) is not None:
            return None  # another process owns the store and answers for it
        try:
            self._own()
            with self._lock:
                self._open()
        except SymbioteError as exc:
            return f"{type(exc).__name__}: {exc}"
        return None

    def start(self, report: Callable[[str], None]) -> None:
        """:meth:`check` on a thread of its own, telling ``report`` what is wrong when
        something is: the server answers its client meanwhile, and its calls wait for the
        opening (up to their time limit; see :meth:`_here`). Owning the store may mean
        upgrading it first (sqlalchemy's 41 M references: 31 s), longer than an agent's
        client waits for a server to start, and a client that gives up kills the server,
        undoing the upgrade: the next start would begin it again."""

        def run() -> None:
            try:
                problem = self.check()
            finally:
                self._opened.set()
            if problem:
                report(problem)

        self._opened.clear()
        self._opening = threading.Thread(target=run, name="symbiote-mcp-open", daemon=True)
        self._opening.start()

    def opened(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for the opening :meth:`start` began; whether it
        ended."""
        return self._opened.wait(timeout)

    def call(self, verb: Verb, arguments: dict[str, Any]) -> Reply:
        """One tool call: in the store's owner when another process owns it (and the verb
        may be sent there), else here, as the owner; while the store is held by a
        process that answers nothing, wait for it (up to the call's time limit)."""
        if self.default_rev != "HEAD":
            from symbiote.cli.worktree import with_default_at

            arguments = with_default_at(verb, arguments, self.default_rev)
        return reach(
            verb,
            arguments,
            self.repo,
            self.store,
            MCP,
            lambda: self._here(verb, arguments),
            wait=self.call_timeout,
        )

    def _here(self, verb: Verb, arguments: dict[str, Any]) -> Reply:
        if not self._opened.wait(self.call_timeout):
            opening = StoreError(
                "this server is still opening the store (a store written by an older "
                "version is upgraded first, which takes a minute or more for a large one); "
                "ask again shortly"
            )
            return 1, contract.error_payload(opening), ""
        try:
            self._own()
        except SymbioteError as exc:
            return 1, contract.error_payload(exc), ""
        return self.answer(
            lambda index: execute(
                verb,
                arguments,
                verbs=self.verbs,
                repo=self.repo,
                store=self.store,
                surface=MCP,
                opener=lambda: index,
                keep_open=True,
            )
        )

    def answer(self, work: Callable[[Index], Reply]) -> Reply:
        """Run ``work`` on the index, within the time limit."""
        done = threading.Event()
        box: dict[str, Any] = {}

        def run() -> None:
            with self._lock:  # calls take turns on the connection
                if done.is_set():
                    return  # answered already: the caller stopped waiting
                try:
                    box["reply"] = work(self._open())
                except SymbioteError as exc:
                    box["reply"] = (1, contract.error_payload(exc), "")
                except BaseException as exc:  # re-raised on the caller's thread
                    box["crash"] = exc
                finally:
                    done.set()

        threading.Thread(target=run, name="symbiote-mcp-call", daemon=True).start()
        if not done.wait(self.call_timeout):
            done.set()
            if self._index is not None:
                self._index.interrupt()
            late = QueryError(
                f"the call took longer than {self.call_timeout:g} s (the time limit); ask "
                "for less: a smaller limit or depth, a path, a closer pair of refs"
            )
            return 1, contract.error_payload(late), ""
        if "crash" in box:
            raise box["crash"]
        reply: Reply = box["reply"]
        return reply

    def close(self) -> None:
        if self._opening is not None:  # an upgrade under way ends, not half done
            self._opening.join()
        with self._lock:
            if self._index is not None:
                self._index.close()
                self._index = None
            if self._owner is not None:
                self._owner.close()
                self._owner = None


# ---- tool schemas


def _schema(p: Param) -> dict[str, Any]:
    kinds: dict[str, dict[str, Any]] = {
        "string": {"type": "string"},
        "integer": {"type": "integer"},
        "number": {"type": "number"},
        "boolean": {"type": "boolean"},
        "strings": {"type": "array", "items": {"type": "string"}},
        "values": {
            "type": "array",
            "items": {"type": ["string", "integer", "number", "boolean", "null"]},
        },
        "object": {"type": "object"},
    }
    schema: dict[str, Any] = {**kinds[p.type]}
    if p.type == "string" and p.required:
        schema["minLength"] = 1
    if p.choices:
        schema["enum"] = list(p.choices)
    if p.minimum is not None:
        schema["minimum"] = p.minimum
    if p.maximum is not None:
        schema["maximum"] = p.maximum
    default = p.default_on(MCP)
    if default is not MISSING:
        schema["default"] = default
        if default is None:
            schema = {"anyOf": [schema, {"type": "null"}], "default": None}
    schema["description"] = p.help
    return schema


def input_schema(verb: Verb) -> dict[str, Any]:
    """The JSON Schema of a tool's arguments."""
    offered = [p for p in verb.params if MCP in p.surfaces]
    return {
        "type": "object",
        "properties": {p.name: _schema(p) for p in offered},
        "required": [p.name for p in offered if p.required],
        "additionalProperties": False,
    }


OUTPUT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "ok": {"type": "boolean"},
        "commit": {"type": ["string", "null"]},
        "results": {"type": "array"},
        "truncated": {"type": "boolean"},
        "total": {"type": "integer"},
        "total_exact": {"type": "boolean"},
        "next": {"type": ["string", "null"]},
        "error": {
            "type": "object",
            "properties": {"type": {"type": "string"}, "message": {"type": "string"}},
        },
    },
    "required": ["ok"],
}

_ANNOTATIONS = {
    "read": types.ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=False),
    "append": types.ToolAnnotations(
        read_only_hint=False, destructive_hint=False, idempotent_hint=False, open_world_hint=False
    ),
    "file": types.ToolAnnotations(
        read_only_hint=False, destructive_hint=False, idempotent_hint=True, open_world_hint=False
    ),
}

_ENVELOPE = (
    ' Returns {"ok": true, "commit": "<sha>", "results": [...], "truncated": bool, '
    '"total": N, "next": cursor or null}, or {"ok": false, "error": {"type": '
    '"UnknownRevision" | "NotIndexed" | "UnknownPath" | "UnknownDefinition" | '
    '"InvalidArgument" | ..., "message": "..."}}.'
)


def tools(offered: Mapping[str, Verb]) -> list[types.Tool]:
    """One tool per verb offered over MCP (by tool name)."""
    return [
        types.Tool(
            name=name,
            description=f"{verb.summary} {verb.details}".strip() + _ENVELOPE,
            input_schema=input_schema(verb),
            output_schema=OUTPUT_SCHEMA,
            annotations=_ANNOTATIONS[verb.effect],
        )
        for name, verb in offered.items()
    ]


def result(payload: dict[str, Any]) -> types.CallToolResult:
    """A payload as a tool result: its JSON text, the same structured, is_error on failure."""
    text = contract.dumps(payload)
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=text)],
        structured_content=json.loads(text),
        is_error=not payload["ok"],
    )


def build_server(session: IndexSession) -> Server[Any]:
    """The MCP server answering from ``session``."""

    async def list_tools(_ctx: Any, _params: Any) -> types.ListToolsResult:
        return types.ListToolsResult(tools=tools(session.tools))

    async def call_tool(_ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        verb = session.tools.get(params.name)
        if verb is None:
            known = ", ".join(sorted(session.tools))
            return result(contract.failure("InvalidArgument", f"no tool {params.name!r}; {known}"))
        arguments = dict(params.arguments or {})
        _code, payload, _text = await anyio.to_thread.run_sync(session.call, verb, arguments)
        return result(payload)

    return Server(NAME, instructions=INSTRUCTIONS, on_list_tools=list_tools, on_call_tool=call_tool)


def serve(
    repo: str,
    store: str | None,
    offered: Mapping[str, Verb],
    transport: str = "stdio",
    host: str = "127.0.0.1",
    port: int = 8765,
    call_timeout: float | None = None,
    verbs: Mapping[str, Verb] | None = None,
    default_rev: str = "HEAD",
    memory_limit: str | None = None,
) -> None:
    """Serve the index of ``repo`` over MCP until the client disconnects (stdio) or the
    process is interrupted (``http``: streamable HTTP at ``http://HOST:PORT/mcp``);
    meanwhile own the store (DuckDB's cache ``memory_limit``, by default the owner's)
    and answer other processes' calls of ``verbs`` (by name); a call that names no
    revision answers at ``default_rev``."""
    if transport not in TRANSPORTS:
        raise ValueError(f"transport must be one of {', '.join(TRANSPORTS)}, not {transport!r}")
    session = IndexSession(
        repo, store, offered, call_timeout or CALL_TIMEOUT, verbs, default_rev, memory_limit
    )
    # Keep serving whatever the opening finds: the tools report it, and retry once the
    # index exists.
    session.start(lambda problem: print(f"symbiote mcp: {problem}", file=sys.stderr))
    session.opened(OPEN_WAIT)
    server = build_server(session)
    try:
        if transport == "stdio":
            anyio.run(_stdio, server)
        else:
            print(f"symbiote mcp: serving http://{host}:{port}/mcp", file=sys.stderr)
            anyio.run(_http, server, host, port)
    finally:
        session.close()


async def _stdio(server: Server[Any]) -> None:
    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())


async def _http(server: Server[Any], host: str, port: int) -> None:
    import uvicorn

    app = server.streamable_http_app(host=host)
    await uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning")).serve()
