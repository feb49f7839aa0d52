"""Revisions the way agents write them: what the index knows itself (refs, shas,
``~N``/``^N``), else whatever ``git rev-parse`` names as a commit (``@{u}``,
``main@{1}``, ``v1^{commit}``, a remote's branch), resolved safely in the repository and
then looked up in the index; an unknown name's error lists the closest refs."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from symbiote.indexer.errors import RepositoryError, UnknownRevision
from symbiote.queries.options import is_worktree

if TYPE_CHECKING:
    from symbiote.cli.verbs import Call
    from symbiote.queries import Index


def commit_of(index: Index, repo: str, rev: str) -> str:
    """The indexed commit ``rev`` names in ``repo``; for WORKTREE, the key of the
    working tree's current state (see :mod:`symbiote.cli.worktree`)."""
    if is_worktree(rev):
        from symbiote.cli.worktree import pin

        return pin(index, repo, rev)
    try:
        return index.resolve(rev).sha
    except UnknownRevision as unknown:
        sha = _git(repo, rev)
        if sha is not None:
            return index.resolve(sha).sha
        raise UnknownRevision(f"{unknown}{_closest(index, rev)}") from unknown


def _git(repo: str, rev: str) -> str | None:
    from symbiote.indexer.gitrepo import GitRepository

    try:
        with GitRepository(repo) as git:
            return git.resolve(rev)
    except RepositoryError:
        return None


def _closest(index: Index, rev: str) -> str:
    names = sorted(
        {r.name.removeprefix("refs/heads/").removeprefix("refs/tags/") for r in index.status().refs}
    )
    close = difflib.get_close_matches(rev, names, n=3, cutoff=0.3)
    if close:
        return f"; did you mean {', '.join(close)}?"
    return f"; indexed refs: {', '.join(names[:8])}" if names else ""


def at_commit(call: Call, rev: str | None = None) -> str:
    """The indexed commit of the call's ``at`` argument (or of ``rev``)."""
    return commit_of(call.index(), call.repo, rev if rev is not None else call.args["at"])
