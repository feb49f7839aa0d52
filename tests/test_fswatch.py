"""The working tree's watch: asking again without a change runs no ``git status``, and
every kind of change is seen. Real repositories, the real kernel's inotify."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from symbiote.indexer import fswatch
from symbiote.indexer.worktree import WorktreeReader, git_blob_sha
from tests.conftest import GitRepo

MakeRepo = Callable[..., GitRepo]

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify")


def _repo(make_repo: MakeRepo) -> GitRepo:
    repo = make_repo()
    repo.write("pkg/app.py", "def run():\n    return 1\n")
    repo.write(".gitignore", "build/\n")
    repo.commit("one")
    (repo.path / "build" / "deep").mkdir(parents=True)
    return repo


def _blob(text: str) -> str:
    return git_blob_sha(text.encode())


def test_asking_again_runs_no_scan_and_every_change_is_seen(make_repo: MakeRepo) -> None:
    repo = _repo(make_repo)
    reader = WorktreeReader(repo.path)
    try:
        assert reader.changes()[1] == {} and reader.scans == 1
        assert reader.changes()[1] == {} and reader.scans == 1  # nothing moved: no scan
        (repo.path / "build" / "deep" / "out.py").write_text("x = 1\n")  # ignored folder
        assert reader.changes()[1] == {} and reader.scans == 1
        with (repo.path / "pkg" / "app.py").open("a") as f:  # an append: no rename
            f.write("# more\n")
        edited = "def run():\n    return 1\n# more\n"
        assert reader.changes()[1] == {"pkg/app.py": (_blob(edited), "python")}
        assert reader.scans == 2
        (repo.path / "pkg" / "new" / "sub").mkdir(parents=True)  # folders made after the start
        repo.write("pkg/new/sub/mod.py", "def fresh():\n    pass\n")
        assert reader.changes()[1]["pkg/new/sub/mod.py"] == (
            _blob("def fresh():\n    pass\n"),
            "python",
        )
        os.chmod(repo.path / "pkg" / "app.py", 0o755)
        scans = reader.scans
        reader.changes()
        assert reader.scans == scans + 1  # a mode is a change too
        head = repo.commit("two")  # HEAD moves: the base changes, the edits are in it
        assert reader.changes() == (head, {}) and reader.scans == scans + 2
        repo.remove("pkg/app.py")
        assert reader.changes()[1] == {"pkg/app.py": None}
        assert reader.changes()[1] == {"pkg/app.py": None} and reader.scans == scans + 3
    finally:
        reader.close()


def test_without_a_watch_every_call_scans(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repo(make_repo)
    monkeypatch.setattr(fswatch, "MAX_WATCHES", 2)  # a tree past the watch limit
    limited = WorktreeReader(repo.path)
    unwatched = WorktreeReader(repo.path, watch=False)
    try:
        for reader in (limited, unwatched):
            reader.changes()
            repo.write("pkg/app.py", "def run():\n    return 2\n")
            assert reader.changes()[1] == {
                "pkg/app.py": (_blob("def run():\n    return 2\n"), "python")
            }
            reader.changes()
            assert reader.scans == 3
            repo.write("pkg/app.py", "def run():\n    return 1\n")
    finally:
        limited.close()
        unwatched.close()


def test_the_watch_ignores_reads_and_follows_new_folders(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "a").mkdir()
    watch = fswatch.TreeWatch(tmp_path, [tmp_path / ".git"])
    try:
        assert watch.watching and not watch.changed()
        (tmp_path / "a" / "f.txt").write_text("x")
        assert watch.changed() and not watch.changed()
        (tmp_path / "a" / "f.txt").read_text()
        (tmp_path / ".git" / "store").mkdir()  # a folder in the git directory: git's own
        assert watch.changed()
        (tmp_path / ".git" / "store" / "db.wal").write_text("x")
        assert not watch.changed()
        (tmp_path / "b" / "c").mkdir(parents=True)
        assert watch.changed()
        (tmp_path / "b" / "c" / "g.txt").write_text("x")
        assert watch.changed()
    finally:
        watch.close()
    assert not watch.watching and watch.changed()
