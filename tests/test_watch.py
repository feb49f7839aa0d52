"""``symbiote watch``: a real watcher process keeps the store current (a new commit, a
new branch) and stops cleanly on SIGTERM. Waits poll with deadlines; nothing is timed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from symbiote.indexer.worktree import git_blob_sha
from tests.conftest import HERMETIC_ENV, GitRepo
from tests.test_hooks import DEADLINE, answers_at_head, symbiote, wait_for

MakeRepo = Callable[..., GitRepo]
ROOT = Path(__file__).resolve().parent.parent


def test_watch_indexes_new_commits_and_branches_and_stops_on_sigterm(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    repo = make_repo()
    repo.write("app.py", "def first():\n    return 1\n")
    repo.commit("first")
    errors = tmp_path / "watch.stderr"
    with errors.open("w") as sink:
        watcher = subprocess.Popen(
            [sys.executable, "-m", "symbiote.cli.main", "watch", str(repo.path)]
            + ["--no-embed", "--interval", "0.1"],
            cwd=ROOT,
            env={**os.environ, **HERMETIC_ENV},
            stdout=subprocess.PIPE,
            stderr=sink,
            text=True,
        )
    try:
        first = repo.head()
        wait_for("the first run", lambda: f"HEAD {first}" in errors.read_text())
        # An uncommitted edit is extracted into the working tree's cache by the watch.
        edit = "def first():\n    return 'edited'\n"
        repo.write("app.py", edit)
        cache = repo.path / ".git" / "symbiote" / "index.duckdb.worktree"
        blob = git_blob_sha(edit.encode())
        wait_for("the edit's extraction", lambda: any(cache.glob(f"{blob}-python-*.json")))
        repo.write("app.py", "def first():\n    return 1\n")
        repo.write("more.py", "def second():\n    return 2\n")
        second = repo.commit("second")
        wait_for("the new commit", lambda: f"HEAD {second}" in errors.read_text())
        assert answers_at_head(repo, "second")
        # A branch whose tip is a commit no ref had before; HEAD does not move.
        runs = errors.read_text().count("index done")
        tree = repo.git("write-tree")
        side = repo.git("commit-tree", tree, "-p", second, "-m", "side")
        repo.git("branch", "side", side)
        wait_for("the new branch", lambda: errors.read_text().count("index done") > runs)
        out = symbiote("find", "second", "--repo", str(repo.path), "--at", "side")
        assert out["ok"] and out["commit"] == side, out
        watcher.send_signal(signal.SIGTERM)
        out_text, _ = watcher.communicate(timeout=DEADLINE)
        assert watcher.returncode == 0
        assert "watch: 3 index runs" in out_text
        assert "stopped after 3 index runs" in errors.read_text()
    finally:
        if watcher.poll() is None:
            watcher.kill()
            watcher.wait()
