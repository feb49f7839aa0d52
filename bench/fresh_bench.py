"""Freshness (issue 18's targets), in two parts measured apart:

    python -m bench.fresh_bench worktree [REPO] [--calls 15] [--name Snapshot] [--edits 5]
    python -m bench.fresh_bench commits [--modules 40] [--files 1 20] [--rebase 30] [--no-embed]

``worktree`` (:mod:`bench.fresh_worktree`): the first ``find`` at WORKTREE after editing
1 and 20 files, against ``find`` at HEAD through the same owner. ``commits``
(:mod:`bench.fresh_commits`): from ``git commit`` returning to the new commit answering
with the git hooks installed and an owner running, against a direct index in the same
run; and the index runs a rebase of 30 commits causes.
"""

from __future__ import annotations

import sys


def main() -> None:
    part = sys.argv[1] if len(sys.argv) > 1 else ""
    if part not in ("worktree", "commits"):
        raise SystemExit(__doc__)
    sys.argv = [f"{sys.argv[0]} {part}", *sys.argv[2:]]
    if part == "worktree":
        from bench import fresh_worktree

        fresh_worktree.main()
    else:
        from bench import fresh_commits

        fresh_commits.main()


if __name__ == "__main__":
    main()
