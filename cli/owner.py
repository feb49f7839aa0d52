"""Owning a store: the answering side of the owner's protocol (the asking side, and the
protocol itself, are in :mod:`symbiote.cli.route`).

The owner holds the store's one read-write DuckDB instance
(:class:`symbiote.indexer.owner.Holding`) and answers the verbs other processes send to
``<store>.sock``, each connection on its own thread. Within the process DuckDB's MVCC
lets readers, each on its own connection to the instance, read while a writer writes;
writers take turns. Three kinds of process own a store:

- ``symbiote serve``, until interrupted (:func:`serve`);
- ``symbiote mcp``, from its first call for as long as the agent's session lasts, so an
  index run from a terminal or a git hook happens in it while the agent keeps asking
  (a long-lived owner is the git hooks' job: :func:`symbiote.cli.hookmarks.serve_marks`);
- an index run that finds no owner, for the length of the run, so other commands are
  answered meanwhile instead of locked out.

An index run sent to an owner streams its progress back to the command that waits
for it; when that command goes away (Ctrl-C), the run stops at its next batch. A
long-lived owner (``serve``, ``mcp``) then embeds what the run added on a thread of its
own (:meth:`Owner.embed_later`), with the model it keeps loaded for searches; an index
run that owns the store only for its length leaves that to a detached job
(:mod:`symbiote.cli.background`).
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

from symbiote.cli import contract, worktree
from symbiote.cli.allocator import keep_heap_small
from symbiote.cli.route import socket_path, store_of
from symbiote.cli.runner import EXIT_ERROR, Reply, execute
from symbiote.cli.verbs import CLI
from symbiote.indexer.errors import Interrupted, StoreError, StoreLocked

if TYPE_CHECKING:
    from symbiote.cli.verbs import Verb
    from symbiote.indexer.owner import Holding

log = logging.getLogger(__name__)


# Long-lived owners in this process, by store (see lasting_owner).
_LASTING: dict[Path, Owner] = {}


def lasting_owner(store: Path) -> Owner | None:
    """The long-lived owner of ``store`` in this process (``serve``, ``mcp``), if any."""
    return _LASTING.get(store.resolve())


class Owner:
    """This process owns a store and answers other processes' calls, until
    :meth:`close`. A ``lasting`` owner lives on after the call that made it (``serve``,
    ``mcp``), so it can embed in the background."""

    def __init__(self, holding: Holding, server: _Server, path: Path, lasting: bool) -> None:
        self.holding = holding
        self.store = holding.store
        self._server = server
        self._path = path
        self._thread = threading.Thread(
            target=server.serve_forever, args=(0.05,), name="symbiote-owner", daemon=True
        )
        self._thread.start()
        self._embedding: threading.Thread | None = None
        self._embed_wanted: tuple[str, str | None] | None = None
        self._embed_lock = threading.Lock()
        self._stopping = threading.Event()
        self._hooks: threading.Thread | None = None
        if lasting:
            _LASTING[self.store.resolve()] = self
            worktree.lasting(self.store)
            self._hooks = threading.Thread(
                target=self._serve_marks, name="symbiote-hooks", daemon=True
            )
            self._hooks.start()

    def _serve_marks(self) -> None:
        """Be the git hooks' job: their runs happen here (:mod:`symbiote.cli.hookmarks`)."""
        from symbiote.cli.hookmarks import serve_marks

        def progress(**_values: Any) -> None:
            if self._stopping.is_set():
                raise Interrupted("the store's owner is closing")

        def ask(repo: str, arguments: dict[str, Any]) -> Reply:
            request = {"verb": "index", "repo": repo, "store": str(self.store)}
            return self._server.answer({**request, "arguments": arguments}, progress)

        try:
            serve_marks(self.store, ask, self._stopping)
        except Exception:  # noqa: BLE001 - hooks then start jobs of their own
            log.exception("serving the git hooks' marks failed")

    def embed_later(self, repo: str, embedder: str | None) -> None:
        """Embed what is missing for ``repo`` on this owner's embedding thread: started
        now, or, when it runs, once more after its current pass."""
        with self._embed_lock:
            self._embed_wanted = (repo, embedder)
            if self._embedding is None:
                self._embedding = threading.Thread(
                    target=self._embed_loop, name="symbiote-embed", daemon=True
                )
                self._embedding.start()

    def _embed_loop(self) -> None:
        from symbiote.indexer.embed_background import JOB_WRITE_EVERY, run_job
        from symbiote.indexer.embed_job import EmbedOptions
        from symbiote.indexer.embedders import renew_shared

        while True:
            with self._embed_lock:
                wanted, self._embed_wanted = self._embed_wanted, None
                if wanted is None or self._stopping.is_set():
                    self._embedding = None
                    return
            repo, spec = wanted
            options = EmbedOptions(embedder=spec, write_every=JOB_WRITE_EVERY)
            try:
                # The model is loaded once per process (shared_embedder): the searches of
                # this owner and each pass use the same one.
                run_job(repo, self.store, options, stop=self._stopping.is_set)
            except Exception:  # noqa: BLE001 - recorded in the state file; the owner goes on
                log.exception("background embedding of %s failed", repo)
            with self._embed_lock:
                more = self._embed_wanted is not None
            if not more and not self._stopping.is_set():
                # The passes' batches stay in the model's arena: a new model gives them back.
                try:
                    renew_shared(spec)
                except Exception:  # noqa: BLE001 - the old model goes on serving
                    log.exception("renewing the embedding model failed")

    @classmethod
    def take(
        cls,
        repo: str,
        store: str | Path | None,
        verbs: Mapping[str, Verb],
        memory_limit: str | None = None,
        *,
        lasting: bool = True,
    ) -> Owner:
        """Own the store of ``repo`` (``store``, or the repository's default one);
        :class:`StoreLocked` when another process holds it or owns it already.
        ``lasting``: the owner lives on after the call that made it (see the class)."""
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
        if lasting:
            keep_heap_small()
        return cls(holding, server, path, lasting)

    def close(self) -> None:
        """Stop answering (after the calls being answered), and let the store go."""
        from symbiote.queries.api import close_kept_indexes
        from symbiote.queries.reader import unshare

        self._path.unlink(missing_ok=True)  # newcomers wait for the file, then open it
        _LASTING.pop(self.store.resolve(), None)
        self._stopping.set()  # embedding stops at its next model batch
        if self._hooks is not None:  # an index run for the hooks, at its next batch
            self._hooks.join()
        with self._embed_lock:
            embedding = self._embedding
        if embedding is not None:
            embedding.join()
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
    memory_limit: str | None = None,
) -> None:
    """Own the store of ``repo`` and answer calls of ``verbs`` (by name) until SIGINT or
    SIGTERM; ``memory_limit``: DuckDB's cache (by default the owner's, see
    :data:`symbiote.indexer.store.SERVED_MEMORY_LIMIT`)."""
    owner = Owner.take(repo, store, verbs, memory_limit)
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
