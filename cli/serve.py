"""``symbiote serve``: one process owns the store, and every ``symbiote`` command that
finds it running is answered there.

Why: while one process holds a DuckDB file read-write, no other process can open it,
not even read-only (measured; see docs/agent-memory.md). An indexing job, agents'
queries and their log writes must still run at the same time. Within one process
DuckDB's MVCC lets readers, each on its own connection to the database instance, read
while a writer writes. So ``symbiote serve`` opens the store as that instance
(:func:`indexer.store.open_shared`) and listens on a Unix socket beside it
(``<store>.sock``); a command that finds the socket sends its parsed arguments there
(:func:`route`) instead of opening the store, and prints the reply as if it had run
locally. Each connection is served on its own thread; writers (index runs, agent-log
applies, repairs) take turns (:data:`indexer.store.WRITER`), and so do writers of the
search sidecar (:data:`indexer.sidecar.SIDECAR_WRITER`); readers never wait for them.

Protocol: one JSON object per line. Request ``{"argv": [...], "repo": ..., "store": ...}``
(repository and store as absolute paths); reply ``{"code": N, "payload": {...},
"text": "..."}`` where ``payload`` is the ``--json`` object.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import socket
import socketserver
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from symbiote.indexer.errors import StoreError
from symbiote.indexer.location import default_store_path, find_git_dir

log = logging.getLogger(__name__)

# Never routed: archive and restore need the store to themselves.
LOCAL_ONLY = frozenset({"serve", "mcp", "archive", "restore"})
NO_SERVER = "SYMBIOTE_NO_SERVER"  # set to run every command in its own process
Reply = tuple[int, dict[str, Any], str]
# Agent-log writes are in the journal (durable, readable) when acknowledged; the server
# applies them to the SQL tables at most this often (and after each batch of commits of
# an index run, which holds the store meanwhile).
APPLY_SECONDS = 0.5


def socket_path(store: Path) -> Path:
    """Where the server of ``store`` listens."""
    return store.with_name(store.name + ".sock")


def store_of(repo: str, store: str | os.PathLike[str] | None) -> Path | None:
    """The store a command on ``repo`` uses: ``store``, or the default one of the
    repository; None when ``repo`` is no git repository."""
    if store is not None:
        return Path(store).resolve()
    git_dir = find_git_dir(Path(repo).resolve())
    return default_store_path(git_dir) if git_dir is not None else None


def route(args: argparse.Namespace, argv: list[str]) -> Reply | None:
    """Run the command in the server of its store, if one is listening; None when not
    (the caller runs it itself)."""
    if args.command in LOCAL_ONLY or os.environ.get(NO_SERVER):
        return None
    store = store_of(getattr(args, "repo", "."), args.store)
    if store is None or not socket_path(store).exists():
        return None
    request = {
        "argv": argv,
        "repo": str(Path(getattr(args, "repo", ".")).resolve()),
        "store": str(store),
    }
    reply = _ask(store, request)
    if reply is None:
        return None
    return int(reply["code"]), reply["payload"], str(reply["text"])


def _ask(store: Path, request: dict[str, Any]) -> dict[str, Any] | None:
    """Send one request to the server of ``store``; its reply, or None when no server
    is listening."""
    path = socket_path(store)
    if not path.exists():
        return None
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.connect(str(path))
            connection.sendall(json.dumps(request, default=str).encode() + b"\n")
            with connection.makefile("rb") as replies:
                line = replies.readline()
    except (ConnectionRefusedError, FileNotFoundError):
        return None  # a socket left by a server that is gone
    if not line:
        raise StoreError("the server closed the connection without answering")
    reply: dict[str, Any] = json.loads(line)
    return reply


def call_tool(
    repo: str, store: str | None, tool: str, arguments: dict[str, Any]
) -> dict[str, Any] | None:
    """Run an MCP tool in the server of the store, when one runs: its JSON payload."""
    if os.environ.get(NO_SERVER):
        return None
    path = store_of(repo, store)
    if path is None:
        return None
    request = {"tool": tool, "arguments": arguments, "repo": str(Path(repo).resolve())}
    reply = _ask(path, {**request, "store": str(path)})
    return None if reply is None else dict(reply["payload"])


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        line = self.rfile.readline()
        if not line:
            return
        server = self.server
        assert isinstance(server, _Server)
        code, payload, text = server.answer(json.loads(line))
        reply = {"code": code, "payload": payload, "text": text}
        self.wfile.write(json.dumps(reply, default=str).encode() + b"\n")


class _Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True

    def __init__(
        self,
        path: Path,
        parse: Callable[[list[str]], argparse.Namespace],
        execute: Callable[[argparse.Namespace], Reply],
    ) -> None:
        self.parse, self.execute = parse, execute
        self._lock = threading.Lock()
        self._tools: dict[tuple[str, str], Any] = {}  # MCP tools by (repo, store)
        super().__init__(str(path), _Handler)

    def answer(self, request: dict[str, Any]) -> Reply:
        if "tool" in request:
            return self._tool(request)
        try:
            args = self.parse(request["argv"])
        except SystemExit:  # argparse already refused it in the client
            return 2, _error("UsageError", "invalid arguments"), ""
        if hasattr(args, "repo"):
            args.repo = request["repo"]
        args.store = Path(request["store"])
        try:
            return self.execute(args)
        except Exception as exc:  # noqa: BLE001 - a bug must not take the server down
            log.exception("serving %s failed", request["argv"][:1])
            return 1, _error(type(exc).__name__, str(exc)), ""

    def _tool(self, request: dict[str, Any]) -> Reply:
        """Run an MCP tool for a `symbiote mcp` process (it could not open the store)."""
        from symbiote.cli.mcp_server import IndexSession, tools

        key = (request["repo"], request["store"])
        with self._lock:
            found = self._tools.get(key)
            if found is None:
                found = self._tools[key] = tools(IndexSession(*key))
        fn, _hints = found[request["tool"]]
        try:
            result = fn(**request["arguments"])
        except Exception as exc:  # noqa: BLE001 - a bug must not take the server down
            log.exception("MCP tool %s failed", request["tool"])
            return 1, _error(type(exc).__name__, str(exc)), ""
        payload = dict(result.structured_content or {})
        return (0 if payload.get("ok") else 1), payload, ""


def _error(kind: str, message: str) -> dict[str, Any]:
    return {"ok": False, "error": {"type": kind, "message": message}}


def serve(
    repo: str,
    store: Path | None,
    parse: Callable[[list[str]], argparse.Namespace],
    execute: Callable[[argparse.Namespace], Reply],
    ready: Callable[[Path], None] | None = None,
) -> None:
    """Own the store of ``repo`` and answer routed commands until SIGINT or SIGTERM."""
    from symbiote.indexer.agent_log import apply_every, apply_now
    from symbiote.indexer.store import open_shared
    from symbiote.queries.api import keep_indexes_open
    from symbiote.queries.reader import share

    found = store_of(repo, store)
    if found is None:
        raise StoreError(f"{repo} is not a git repository; pass --store")
    store = found
    path = socket_path(store)
    if len(str(path)) > 100:
        raise StoreError(f"socket path too long for a Unix socket: {path}")
    if path.exists():
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
                probe.connect(str(path))
        except ConnectionRefusedError:
            path.unlink()  # left by a server that was killed
        else:
            raise StoreError(f"a server already owns {store} (socket {path})")
    connection = open_shared(store)
    share(store)
    keep_indexes_open()
    stop_applying = apply_every(store, APPLY_SECONDS)
    server = _Server(path, parse, execute)

    def stop(_signal: int, _frame: Any) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        if ready is not None:
            ready(path)
        server.serve_forever()
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        server.server_close()
        path.unlink(missing_ok=True)
        stop_applying.set()
        try:
            apply_now(store)  # what the last batch has not applied
        except StoreError as exc:  # the entries stay in the journal for the next apply
            log.warning("agent log not applied: %s", exc)
        connection.close()


def add_parser(
    sub: Any, command: Callable[[argparse.Namespace], tuple[Any, ...]]
) -> argparse.ArgumentParser:
    """Register ``serve``."""
    p: argparse.ArgumentParser = sub.add_parser(
        "serve",
        help="own the store and answer every symbiote command through it",
        description="Open the store once and answer the symbiote commands other processes "
        "send it (over the Unix socket <store>.sock): queries keep answering while an index "
        "run or agent-log writes go on. Runs until interrupted.",
        epilog="example: symbiote serve . &  symbiote index .  # the run happens in the server",
    )
    p.add_argument("repo", nargs="?", default=".", help="repository path (default: .)")
    p.add_argument(
        "--store",
        type=Path,
        default=None,
        help="the DuckDB store file (default: $SYMBIOTE_STORE or .git/symbiote/index.duckdb)",
    )
    p.set_defaults(handler=command, json=False)
    return p
