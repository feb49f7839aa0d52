"""Embedding after an index run returns (see :mod:`symbiote.indexer.embed_background`):
on a thread of the store's long-lived owner when this process is one (``symbiote
mcp``, ``symbiote serve``), else in a detached ``symbiote embed --job`` process that
outlives the terminal, its output in ``<store>.embed.log``."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from symbiote.cli.route import NO_SERVER
from symbiote.indexer.embed_state import DONE, log_path, read_state, state_path

if TYPE_CHECKING:
    from symbiote.cli.verbs import Call

_STARTED: list[subprocess.Popen[bytes]] = []  # jobs this process started (reaped when done)
_PRELOAD = threading.Lock()
_PRELOADED: list[bool] = []  # lancedb's import started (expect_embedding)


def embed_after_index(call: Call) -> dict[str, Any]:
    """Start embedding what the index run of ``call`` added, without waiting for it;
    where it runs (``owner`` or ``detached``), its process id and where to look."""
    from symbiote.cli.owner import lasting_owner

    store = call.store_path()
    spec = call.args.get("embedder")
    owner = lasting_owner(store) if call.owner else None
    if owner is not None:
        owner.embed_later(call.repo, spec)
        where, pid = "owner", os.getpid()
    else:
        where, pid = "detached", start_detached(call.repo, store, spec)
    return {
        "background": True,
        "where": where,
        "pid": pid,
        "state": str(state_path(store)),
        "log": str(log_path(store)),
    }


def expect_embedding(call: Call) -> None:
    """An index run of ``call`` starts whose embedding this process's long-lived owner
    will run: import lancedb on a thread meanwhile (once), so that the first pass waits
    less for it. A long-lived owner imports it no sooner: searches read the sidecar's
    Arrow copies, and a session that indexes nothing never needs it (~75 MB)."""
    from symbiote.cli.owner import lasting_owner

    if not call.owner or lasting_owner(call.store_path()) is None:
        return
    with _PRELOAD:
        if _PRELOADED:
            return
        _PRELOADED.append(True)
    threading.Thread(target=_import_lancedb, name="symbiote-lancedb", daemon=True).start()


def _import_lancedb() -> None:
    from symbiote.indexer import lance

    try:
        lance.preload()
    except Exception as exc:  # noqa: BLE001 - the embedding pass that needs it reports it
        logging.getLogger(__name__).info("could not import lancedb ahead: %s", exc)


def embedded_already(call: Call, head: str | None) -> bool:
    """Whether the last embedding job ended done with ``head`` among its commits (an
    index run that added nothing then starts no job)."""
    state = read_state(call.store_path()) or {}
    return state.get("state") == DONE and head in (state.get("commits") or [])


def start_detached(repo: str, store: Path, embedder: str | None) -> int:
    """Start ``symbiote embed --job`` in a session of its own (a closed terminal does
    not end it); its process id. It runs here, not in an owner: the index run that
    starts it may still own the store, and would then wait for it to end."""
    command = [
        sys.executable,
        "-m",
        "symbiote.cli.main",
        "embed",
        str(Path(repo).resolve()),
        "--store",
        str(store),
        "--job",
    ]
    if embedder:
        command += ["--embedder", embedder]
    store.parent.mkdir(parents=True, exist_ok=True)
    with log_path(store).open("ab") as out:
        process = subprocess.Popen(  # noqa: S603 - our own program, no shell
            command,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, NO_SERVER: "1"},
        )
    _STARTED[:] = [p for p in _STARTED if p.poll() is None] + [process]
    return process.pid


def background_text(started: dict[str, Any]) -> str:
    """A line saying where embedding goes on."""
    where = "in this owner" if started["where"] == "owner" else f"pid {started['pid']}"
    return (
        f"  embedding  in the background ({where}); `symbiote status` shows progress, "
        "`--wait-embed` waits for it"
    )
