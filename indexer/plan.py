"""What an indexing run covers: the refs its options select and the commits it plans
(first-parent history of one ref, then the tips of the refs not in it), counted before
the walk so progress has its total up front."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from symbiote.indexer.gitinfo import CommitInfo, RefInfo
from symbiote.indexer.gitrepo import GitRepository

if TYPE_CHECKING:
    from symbiote.indexer.job import IndexOptions


def selected_refs(repo: GitRepository, options: IndexOptions) -> list[RefInfo]:
    """The refs whose tips the run indexes (and whose rows it stores)."""
    every = repo.refs()
    if options.refs is not None:
        chosen: list[RefInfo] = []
        by_name = {r.name: r for r in every} | {r.short_name: r for r in every}
        for name in options.refs:
            if name in by_name:
                chosen.append(by_name[name])
            else:  # a sha or an expression such as HEAD~3: resolved, stored under its name
                chosen.append(RefInfo(name, name, "other", repo.resolve(name)))
        return chosen
    if options.all_refs:
        return every
    return [r for r in every if r.kind in ("head", "branch", "tag")]


def count_planned(repo: GitRepository, options: IndexOptions, refs: list[RefInfo]) -> int:
    """How many commits :func:`planned_commits` yields."""
    rev = _history_rev(repo, options)
    history = repo.first_parent_ids(rev, options.history) if rev else set()
    return len(history) + len({r.commit for r in refs} - history)


def planned_commits(
    repo: GitRepository, options: IndexOptions, refs: list[RefInfo]
) -> Iterator[CommitInfo]:
    """Each planned commit once: the history first (newest first), then the other tips."""
    seen: set[str] = set()
    rev = _history_rev(repo, options)
    if rev is not None:
        for commit in repo.iter_commits([rev], first_parent=True, max_count=options.history):
            seen.add(commit.sha)
            yield commit
    tips = sorted({r.commit for r in refs} - seen)
    for start in range(0, len(tips), 500):
        yield from repo.iter_commits(tips[start : start + 500], no_walk=True)


def _history_rev(repo: GitRepository, options: IndexOptions) -> str | None:
    if options.history == 0:
        return None
    if options.history_ref is not None:
        return repo.resolve(options.history_ref)
    if options.refs is not None:
        return None  # only the chosen refs, unless a history ref is named
    return "HEAD"
