"""Reaching a store that another process may own: the asking side of the owner's
protocol (the answering side is :mod:`symbiote.cli.owner`).

DuckDB lets one process hold a store file read-write, and then no other process may open
it, not even to read. So one process at a time owns a store (``symbiote serve``, a
``symbiote mcp``, an index run) and listens on a Unix socket beside it
(``<store>.sock``). Every other command sends its verb there (:func:`ask`) and prints the
reply as if it had run here. When nobody listens, the command runs here; when the file
is held still (an owner starting or stopping, a short read by another command), it waits
with a message and tries again (:func:`reach`), so nobody sees a lock error unless the
store stays held for :data:`WAIT_SECONDS`.

Protocol: one JSON object per line. Request ``{"verb": "find", "arguments": {...},
"repo": ..., "store": ..., "surface": "cli" | "mcp"}`` (repository and store as absolute
paths; the arguments as the verb table names them). The owner may first send progress
lines ``{"progress": {"label": ..., "unit": ..., "completed": N, "total": N, ...}}``,
then the reply ``{"code": N, "payload": {...}, "text": "..."}`` where ``payload`` is the
``--json`` object.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from symbiote.cli import contract
from symbiote.indexer.errors import StoreError
from symbiote.indexer.location import default_store_path, find_git_dir

if TYPE_CHECKING:
    from symbiote.cli.runner import Reply
    from symbiote.cli.verbs import Verb

_SOCKET_NAME_BYTES = 100  # sun_path holds 104 bytes on macOS, 108 on Linux
NO_SERVER = "SYMBIOTE_NO_SERVER"  # set to run every command in its own process
WAIT_SECONDS = 120.0  # how long a command waits for a store another process holds
WAIT_VARIABLE = "SYMBIOTE_WAIT_SECONDS"  # another wait, for the command line
Progress = Callable[..., None]  # progress(label=, unit=, completed=, total=, ...)


def socket_path(store: Path) -> Path:
    """Where the owner of ``store`` listens: ``<store>.sock`` beside it, or, when that
    path is longer than a Unix socket's name may be, a short one named by the store's
    path in a folder of this user's under the temporary directory."""
    beside = store.with_name(store.name + ".sock")
    if len(os.fsencode(beside)) <= _SOCKET_NAME_BYTES:
        return beside
    digest = hashlib.sha256(os.fsencode(store.resolve())).hexdigest()[:24]
    folder = Path(tempfile.gettempdir()) / f"symbiote-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder / f"{digest}.sock"


def store_of(repo: str, store: str | os.PathLike[str] | None) -> Path | None:
    """The store a command on ``repo`` uses: ``store``, or the default one of the
    repository; None when ``repo`` is no git repository."""
    if store is not None:
        return Path(store).resolve()
    git_dir = find_git_dir(Path(repo).resolve())
    return default_store_path(git_dir) if git_dir is not None else None


def route(verb: str, arguments: dict[str, Any], repo: str, store: str | None) -> Reply | None:
    """Run a command line's verb in the owner of its store, if one is listening; None
    when not (the caller runs it itself)."""
    from symbiote.cli.verbs import CLI

    return ask(verb, arguments, repo, store, CLI)


def ask(
    verb: str,
    arguments: dict[str, Any],
    repo: str,
    store: str | None,
    surface: str,
    progress: Progress | None = None,
    *,
    retry_safe: bool = True,
) -> Reply | None:
    """Send one verb's call to the owner of the store; its reply, or None when no owner
    is listening (or serving is switched off), or when the owner went away before
    answering and ``retry_safe`` says running the call again cannot do it twice."""
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
                for line in replies:
                    message: dict[str, Any] = json.loads(line)
                    if "progress" in message:
                        if progress is not None:
                            progress(**message["progress"])
                        continue
                    return int(message["code"]), message["payload"], str(message["text"])
    except (ConnectionRefusedError, FileNotFoundError):
        return None  # a socket left by an owner that is gone
    except (ConnectionResetError, BrokenPipeError):
        pass  # the owner stopped while answering
    if retry_safe:
        return None  # asked again, the call finds the next owner or runs here
    raise StoreError(
        f"the owner of {path} stopped before answering; the {verb} call may or may not "
        "have been done"
    )


def reach(
    verb: Verb,
    arguments: dict[str, Any],
    repo: str,
    store: str | None,
    surface: str,
    here: Callable[[], Reply],
    *,
    progress: Progress | None = None,
    wait: float | None = None,
    notice: Callable[[str], None] | None = None,
) -> Reply:
    """Answer one call: by the store's owner when one listens (and the verb may be
    sent), else ``here()``. While the store is held by a process that does not answer
    (an owner starting or stopping, another command's short read), wait, telling
    ``notice`` once, and try again, for ``wait`` seconds after the first refusal (default
    :data:`WAIT_SECONDS`, or :data:`WAIT_VARIABLE` when set)."""
    wait = _wait() if wait is None else wait
    deadline: float | None = None  # counted from the first refusal: the time spent waiting
    delay = 0.02
    told = False
    retry_safe = verb.effect == "read" or verb.owns
    while True:
        if verb.routed:
            reply = ask(verb.name, arguments, repo, store, surface, progress, retry_safe=retry_safe)
            if reply is not None:
                return reply
        reply = here()
        holder = _held_by(reply)
        if holder is None:
            return reply
        if deadline is None:
            deadline = time.monotonic() + wait
        elif time.monotonic() >= deadline:
            return _still_held(reply, holder, wait)
        if notice is not None and not told:
            notice(f"the store is held by {holder}; waiting for it (up to {wait:g} s)")
            told = True
        time.sleep(delay)
        delay = min(delay * 2, 0.5)


def _wait() -> float:
    raw = os.environ.get(WAIT_VARIABLE)
    try:
        return max(float(raw), 0.0) if raw is not None else WAIT_SECONDS
    except ValueError:
        return WAIT_SECONDS


def _held_by(reply: Reply) -> str | None:
    """Who holds the store, when ``reply`` is the error of a held store."""
    payload = reply[1]
    error = payload.get("error") if not payload.get("ok") else None
    if not isinstance(error, dict) or error.get("type") != "StoreLocked":
        return None
    pid = error.get("pid")
    return f"process {pid}" if pid else "another process"


def _still_held(reply: Reply, holder: str, wait: float) -> Reply:
    code, payload, text = reply
    error = dict(payload["error"])
    error["message"] = (
        f"the store is still held by {holder} after {wait:g} s of waiting, and that "
        "process answers no requests (an older symbiote, or another program); try again "
        "when it ends"
    )
    return code, {**payload, "error": error}, text
