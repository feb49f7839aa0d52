"""``--at WORKTREE`` on every surface: the working tree's reader given to the index, the
call pinned to one state of the working tree, and the envelope that says which files
came from it.

A verb's ``at`` (and diff's ``base``/``head``) of ``WORKTREE`` resolves to a key of the
working tree's current state (:func:`symbiote.queries.worktree.overlay_key`), so the
library calls of one verb answer over the same state. The answer's ``commit`` is HEAD's
sha, the commit the working tree is laid over; ``worktree`` lists the paths whose
content came from the working tree (``worktree_deleted`` the paths it deleted), and a
result with a ``path`` among them carries ``"worktree": true``.

One :class:`~symbiote.indexer.worktree.WorktreeReader` is kept per repository and store
in this process, so a long-lived process (``symbiote mcp``, ``symbiote serve``) keeps
its extractions in memory; others find them in the cache files beside the store.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from symbiote.cli.verbs import Outcome, Verb
from symbiote.queries.options import WORKTREE, is_worktree

if TYPE_CHECKING:
    from symbiote.indexer.worktree import WorktreeReader
    from symbiote.queries import Index

# What a listing of the working tree's paths in an answer holds at most.
MAX_LISTED = 200
# Arguments that name a revision (a verb's `at`, diff's two sides).
REVISION_ARGUMENTS = ("at", "head", "base")

_readers: dict[tuple[Path, Path], WorktreeReader] = {}
_lock = threading.Lock()
_lasting: set[Path] = set()  # stores a long-lived owner in this process owns


def lasting(store: Path) -> None:
    """Say that a long-lived owner in this process owns ``store``: its working-tree
    readers watch the working tree."""
    with _lock:
        _lasting.add(store.resolve())


def reader_for(repo: str, store: Path) -> WorktreeReader:
    """The working tree's reader of ``repo`` whose extractions are cached beside
    ``store`` (one per process). A long-lived owner's reader watches the working tree
    (asking again without a change runs no ``git status``); a process that answers one
    call does not pay for setting up the watch."""
    from symbiote.indexer.worktree import WorktreeReader, cache_folder

    key = (Path(repo).resolve(), store.resolve())
    with _lock:
        found = _readers.get(key)
        if found is None:
            watch = key[1] in _lasting
            found = WorktreeReader(key[0], cache_folder(key[1]), watch=watch)
            _readers[key] = found
    return found


def pin(index: Index, repo: str, rev: str) -> str:
    """The key of the working tree's current state (``rev`` a pinned one still kept:
    itself), with the index given the working tree's reader when it has none."""
    if index.worktree_source is None:
        index.use_worktree(reader_for(repo, index.store_path))
    return index.snapshot(rev).key


def mark(index: Index, args: Mapping[str, Any], outcome: Outcome, payload: dict[str, Any]) -> None:
    """Say in ``payload`` which files came from the working tree, when the call asked
    about it (its commit becomes HEAD's sha)."""
    asked = [outcome.commit, *(args.get(name) for name in REVISION_ARGUMENTS)]
    rev = next((r for r in asked if isinstance(r, str) and is_worktree(r)), None)
    if rev is None:
        return
    snap = index.snapshot(rev)
    overlay = snap.overlay
    assert overlay is not None
    if isinstance(payload.get("commit"), str) and is_worktree(payload["commit"]):
        payload["commit"] = snap.commit
    payload["worktree"] = overlay.paths[:MAX_LISTED]
    payload["worktree_deleted"] = overlay.deleted[:MAX_LISTED]
    payload["worktree_files"] = len(overlay.paths) + len(overlay.deleted)
    changed = set(overlay.paths)
    for row in payload.get("results") or ():
        if isinstance(row, dict) and row.get("path") in changed:
            row["worktree"] = True


def text_line(payload: Mapping[str, Any]) -> str:
    """The text line that says an answer came from the working tree."""
    if "worktree" not in payload:
        return ""
    count = len(payload["worktree"])
    deleted = len(payload["worktree_deleted"])
    return (
        f"-- {WORKTREE}: HEAD {str(payload.get('commit'))[:12]} with {count} changed "
        f"file{'s' if count != 1 else ''} and {deleted} deleted from the working tree"
    )


def default_at(verbs: Mapping[str, Verb], rev: str) -> dict[str, Verb]:
    """``verbs`` with ``rev`` as the default of ``at`` (and of diff's ``head``): what
    ``symbiote mcp --at WORKTREE`` serves."""
    out: dict[str, Verb] = {}
    for name, verb in verbs.items():
        params = tuple(
            dataclasses.replace(p, default=rev, cli_default=rev)
            if p.name == "at" or (verb.name == "diff" and p.name == "head")
            else p
            for p in verb.params
        )
        out[name] = dataclasses.replace(verb, params=params)
    return out


def with_default_at(verb: Verb, arguments: dict[str, Any], rev: str) -> dict[str, Any]:
    """``arguments`` with the server's default revision filled in where the verb takes
    one and the call gives none (before the call may be sent to another process, whose
    own default is HEAD)."""
    names = {p.name for p in verb.params}
    out = dict(arguments)
    if "at" in names and "at" not in out and "cursor" not in out:
        out["at"] = rev
    if verb.name == "diff" and "head" not in out:
        out["head"] = rev
    return out
