"""``symbiote serve``: one process owns the store, and every ``symbiote`` command (and
every MCP tool of a ``symbiote mcp`` that could not open the store) that finds it
running is answered there.

Why: while one process holds a DuckDB file read-write, no other process can open it,
not even read-only. An indexing job, agents' queries and their log writes must still
run at the same time. Within one process DuckDB's MVCC lets readers, each on its own
connection to the database instance, read while a writer writes. So ``symbiote serve``
holds the store (:class:`symbiote.indexer.owner.Holding`) and listens on a Unix socket
beside it (``<store>.sock``); a command that finds the socket sends its request there
(:func:`route`) instead of opening the store, and prints the reply as if it had run
locally. Each connection is served on its own thread; writers take turns, readers
never wait for them.

Protocol: one JSON object per line. Request ``{"verb": "find", "arguments": {...},
"repo": ..., "store": ..., "surface": "cli" | "mcp"}`` (repository and store as absolute
paths; the arguments as the verb table names them); reply ``{"code": N, "payload":
{...}, "text": "..."}`` where ``payload`` is the ``--json`` object.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import socketserver
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from symbiote.cli import contract
from symbiote.cli.runner import EXIT_ERROR, Reply, execute
from symbiote.cli.verbs import CLI
from symbiote.indexer.errors import StoreError
from symbiote.indexer.location import default_store_path, find_git_dir

if TYPE_CHECKING:
    from symbiote.cli.verbs import Verb

log = logging.getLogger(__name__)

NO_SERVER = "SYMBIOTE_NO_SERVER"  # set to run every command in its own process


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


def route(verb: str, arguments: dict[str, Any], repo: str, store: str | None) -> Reply | None:
    """Run a command line's verb in the server of its store, if one is listening; None
    when not (the caller runs it itself)."""
    return ask(verb, arguments, repo, store, CLI)


def ask(
    verb: str, arguments: dict[str, Any], repo: str, store: str | None, surface: str
) -> Reply | None:
    """Send one verb's call to the server of the store; its reply, or None when no server
    is listening (or serving is switched off)."""
    if os.environ.get(NO_SERVER):
        return None
    path = store_of(repo, store)
    if path is None or not socket_path(path).exists():
        return None
    request = {
        "verb": verb,
        "arguments": arguments,
        "repo": str(Path(repo).resolve()),
        "store": str(path),
        "surface": surface,
    }
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.connect(str(socket_path(path)))
            connection.sendall(contract.dumps(request).encode() + b"\n")
            with connection.makefile("rb") as replies:
                line = replies.readline()
    except (ConnectionRefusedError, FileNotFoundError):
        return None  # a socket left by a server that is gone
    if not line:
        raise StoreError("the server closed the connection without answering")
    reply: dict[str, Any] = json.loads(line)
    return int(reply["code"]), reply["payload"], str(reply["text"])


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        line = self.rfile.readline()
        if not line:
            return
        server = self.server
        assert isinstance(server, _Server)
        code, payload, text = server.answer(json.loads(line))
        reply = {"code": code, "payload": payload, "text": text}
        self.wfile.write(contract.dumps(reply).encode() + b"\n")


class _Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True
    verbs: Mapping[str, Verb] = {}

    def answer(self, request: dict[str, Any]) -> Reply:
        from symbiote.queries import open_index

        verb = self.verbs.get(str(request.get("verb")))
        if verb is None or not verb.routed:
            return EXIT_ERROR, contract.failure("InvalidArgument", "no such verb here"), ""
        repo, store = str(request["repo"]), str(request["store"])
        try:
            return execute(
                verb,
                dict(request.get("arguments") or {}),
                verbs=self.verbs,
                repo=repo,
                store=store,
                surface=str(request.get("surface") or CLI),
                opener=lambda: open_index(repo, store=store),  # kept open: see keep_indexes_open
                owner=True,
            )
        except Exception as exc:  # noqa: BLE001 - a bug must not take the server down
            log.exception("serving %s failed", verb.name)
            return EXIT_ERROR, contract.error_payload(exc), ""


def serve(
    repo: str,
    store: Path | None,
    verbs: Mapping[str, Verb],
    ready: Callable[[Path], None] | None = None,
) -> None:
    """Own the store of ``repo`` and answer calls of ``verbs`` (by name) until SIGINT or
    SIGTERM."""
    from symbiote.indexer.owner import Holding
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
    holding = Holding(store)
    share(store)
    keep_indexes_open()
    server = _Server(str(path), _Handler)
    server.verbs = verbs

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
        holding.release()
