"""Owning a store: the answering side of the owner's protocol (the asking side, and the
protocol itself, are in :mod:`symbiote.cli.route`).

The owner holds the store's one read-write DuckDB instance
(:class:`symbiote.indexer.owner.Holding`) and answers the verbs other processes send to
``<store>.sock``, each connection on its own thread. Within the process DuckDB's MVCC
lets readers, each on its own connection to the instance, read while a writer writes;
writers take turns. Three kinds of process own a store:

- ``symbiote serve``, until interrupted (:func:`serve`);
- ``symbiote mcp``, from its first call for as long as the agent's session lasts, so an
  index run from a terminal or a git hook happens in it while the agent keeps asking;
- an index run that finds no owner, for the length of the run, so other commands are
  answered meanwhile instead of locked out.

An index run sent to an owner streams its progress back to the command that waits
for it; when that command goes away (Ctrl-C), the run stops at its next batch.
"""

from __future__ import annotations

import contextlib
import json
import logging
import signal
import socket
import socketserver
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from symbiote.cli import contract
from symbiote.cli.route import socket_path, store_of
from symbiote.cli.runner import EXIT_ERROR, Reply, execute
from symbiote.cli.verbs import CLI
from symbiote.indexer.errors import Interrupted, StoreError, StoreLocked

if TYPE_CHECKING:
    from symbiote.cli.verbs import Verb
    from symbiote.indexer.owner import Holding

log = logging.getLogger(__name__)


class Owner:
    """This process owns a store and answers other processes' calls, until
    :meth:`close`."""

    def __init__(self, holding: Holding, server: _Server, path: Path) -> None:
        self.holding = holding
        self.store = holding.store
        self._server = server
        self._path = path
        self._thread = threading.Thread(
            target=server.serve_forever, name="symbiote-owner", daemon=True
        )
        self._thread.start()

    @classmethod
    def take(
        cls,
        repo: str,
        store: str | Path | None,
        verbs: Mapping[str, Verb],
        memory_limit: str | None = None,
    ) -> Owner:
        """Own the store of ``repo`` (``store``, or the repository's default one);
        :class:`StoreLocked` when another process holds it or owns it already."""
        from symbiote.indexer.owner import Holding
        from symbiote.queries.reader import share

        found = store_of(repo, store)
        if found is None:
            raise StoreError(f"{repo} is not a git repository; pass --store")
        path = socket_path(found)
        if _answers(path):
            raise StoreLocked(f"another process owns {found} (it answers on {path})")
        holding = Holding(found, memory_limit)  # the file lock: one owner at a time
        try:
            path.unlink(missing_ok=True)  # left by an owner that was killed
            server = _Server(str(path), _Handler)
        except OSError as exc:
            holding.release()
            raise StoreError(f"cannot listen on {path}: {exc}") from exc
        server.verbs = verbs
        share(found)
        return cls(holding, server, path)

    def close(self) -> None:
        """Stop answering (after the calls being answered), and let the store go."""
        from symbiote.queries.api import close_kept_indexes
        from symbiote.queries.reader import unshare

        self._path.unlink(missing_ok=True)  # newcomers wait for the file, then open it
        self._server.shutdown()
        self._server.server_close()  # waits for the calls being answered
        self._thread.join()
        unshare(self.store)
        close_kept_indexes(self.store)
        self.holding.release()


def serve(
    repo: str,
    store: Path | None,
    verbs: Mapping[str, Verb],
    ready: Callable[[Path], None] | None = None,
) -> None:
    """Own the store of ``repo`` and answer calls of ``verbs`` (by name) until SIGINT or
    SIGTERM."""
    owner = Owner.take(repo, store, verbs)
    stopped = threading.Event()

    def stop(_signal: int, _frame: Any) -> None:
        stopped.set()

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        if ready is not None:
            ready(socket_path(owner.store))
        while not stopped.wait(3600):
            pass
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        owner.close()


def _answers(path: Path) -> bool:
    """Whether an owner listens on ``path``."""
    if not path.exists():
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(str(path))
        except OSError:
            return False
    return True


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        line = self.rfile.readline()
        if not line:
            return
        server = self.server
        assert isinstance(server, _Server)

        def progress(**values: Any) -> None:
            try:
                self.wfile.write(contract.dumps({"progress": values}).encode() + b"\n")
            except OSError as exc:  # the command waiting for the answer went away
                raise Interrupted("the command waiting for this run went away") from exc

        code, payload, text = server.answer(json.loads(line), progress)
        reply = {"code": code, "payload": payload, "text": text}
        with contextlib.suppress(OSError):  # the asker went away: nobody to tell
            self.wfile.write(contract.dumps(reply).encode() + b"\n")


class _Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = False  # server_close waits for the calls being answered
    block_on_close = True
    verbs: Mapping[str, Verb] = {}

    def answer(self, request: dict[str, Any], progress: Callable[..., None]) -> Reply:
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
                opener=lambda: open_index(repo, store=store),  # kept open between calls
                owner=True,
                progress=progress,
            )
        except Exception as exc:  # noqa: BLE001 - a bug must not take the owner down
            log.exception("answering %s failed", verb.name)
            return EXIT_ERROR, contract.error_payload(exc), ""
