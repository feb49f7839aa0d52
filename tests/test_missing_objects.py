"""Objects the repository lacks are data: a run over a repository with a deleted object
or over a partial clone completes, stores what git can give, records the rest (blobs as
``missing``, commits that reach a missing tree in ``skipped_commits``), never makes git
fetch, and a later run fills in what has arrived since."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest

from harness.hermetic import HERMETIC_ENV
from symbiote.indexer import IndexOptions, index_repository
from symbiote.indexer.errors import NotIndexed, RepositoryError
from symbiote.indexer.gitrepo import GitRepository
from symbiote.indexer.workers import NOT_LOCAL
from symbiote.queries import open_index
from tests.conftest import GitRepo

MakeRepo = Callable[..., GitRepo]
ONE_JOB = IndexOptions(jobs=1)
TWO_JOBS = IndexOptions(jobs=2, parse_group=1)  # workers read through their own cat-file

SMALL = "def small():\n    return 1\n"
BIG = "def big():\n    return 2\n" + "# padding\n" * 300  # over the clone's 1k blob limit
BIG_2 = "def big():\n    return 3\n\n\ndef bigger():\n    pass\n" + "# padding\n" * 300
PICTURE = bytes(range(256)) * 12  # 3 KiB of a language we never extract
LOST = "def lost():\n    pass\n"
UTIL = "def util():\n    pass\n"


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, **HERMETIC_ENV}
    result = subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)
    return result.stdout.decode().strip()


def query(store: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(store), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def files(store: Path, commit: str) -> list[tuple[Any, ...]]:
    """``(path, status, size, detail)`` of every file of an indexed commit."""
    return query(
        store,
        "SELECT f.path, b.status, b.size, b.detail FROM files_at(?) f "
        "JOIN blobs b ON b.sha = f.blob AND b.language = f.language ORDER BY f.path",
        [commit],
    )


def assert_commits_complete(store: Path, repo: Path) -> None:
    """The invariant: a commit row means everything it reaches is stored; every file of
    every indexed commit is listed with the blob git lists, and has a blob row."""
    for (commit,) in query(store, "SELECT sha FROM commits"):
        stored = query(
            store,
            "SELECT f.path, f.blob, b.sha IS NOT NULL FROM files_at(?) f LEFT JOIN blobs b "
            "ON b.sha = f.blob AND b.language = f.language ORDER BY f.path",
            [commit],
        )
        listed = git(repo, "ls-tree", "-r", "--format=%(path) %(objectname)", commit)
        expected = sorted((p, b, True) for p, b in (line.split(" ") for line in listed.split("\n")))
        assert [tuple(row) for row in stored] == expected


def loose(repo: Path, sha: str) -> Path:
    return repo / ".git" / "objects" / sha[:2] / sha[2:]


# ---- a repository with deleted loose objects


def test_a_deleted_blob_is_missing_and_the_run_completes(make_repo: MakeRepo) -> None:
    repo = make_repo()
    repo.write("app.py", SMALL)
    repo.write("lost.py", LOST)
    repo.write("logo.png", PICTURE)
    head = repo.commit("one")
    lost = repo.git("rev-parse", "HEAD:lost.py")
    picture = repo.git("rev-parse", "HEAD:logo.png")
    kept = {sha: loose(repo.path, sha).read_bytes() for sha in (lost, picture)}
    for sha in kept:
        loose(repo.path, sha).unlink()
    store = repo.path / "index.duckdb"

    summary = index_repository(repo.path, store, TWO_JOBS)

    assert summary.commits_indexed == 1 and summary.commits_skipped == 0
    assert summary.statuses == {"missing": 1, "ok": 1, "unsupported_language": 1}
    # The picture is of no language we extract: git is never asked about it, so its
    # absence goes unnoticed and its size is unknown.
    assert files(store, head) == [
        ("app.py", "ok", len(SMALL), None),
        ("logo.png", "unsupported_language", None, "no patterns for unknown"),
        ("lost.py", "missing", None, f"cannot read object {lost}: git: {lost} missing"),
    ]
    with open_index(repo.path, store=store) as index:
        assert index.status().blobs_by_status["missing"] == 1
        assert [(s.path, s.name) for s in index.symbols(at=head)] == [("app.py", "small")]
    assert_commits_complete(store, repo.path)

    # The object comes back (a fetch, a restore): the next run extracts it.
    for sha, data in kept.items():
        loose(repo.path, sha).write_bytes(data)
    again = index_repository(repo.path, store, ONE_JOB)
    assert (again.blobs_recovered, again.blobs_parsed, again.commits_indexed) == (1, 0, 0)
    assert again.statuses == {"ok": 1}
    assert [row[:3] for row in files(store, head)] == [
        ("app.py", "ok", len(SMALL)),
        ("logo.png", "unsupported_language", None),
        ("lost.py", "ok", len(LOST)),
    ]
    with open_index(repo.path, store=store) as index:
        assert "missing" not in index.status().blobs_by_status
        names = [(s.path, s.name) for s in index.symbols(at=head)]
        assert names == [("app.py", "small"), ("lost.py", "lost")]
    # Nothing is missing any more: a third run has nothing to retry.
    assert index_repository(repo.path, store, ONE_JOB).blobs_recovered == 0


def test_a_missing_tree_skips_the_commits_that_reach_it(make_repo: MakeRepo) -> None:
    repo = make_repo()
    repo.write("pkg/mod.py", "def first():\n    pass\n")
    repo.write("top.py", SMALL)
    c1 = repo.commit("one")
    repo.write("top.py", SMALL + "\n\ndef more():\n    pass\n")
    c2 = repo.commit("two: pkg unchanged")
    repo.write("pkg/mod.py", "def second():\n    pass\n")
    c3 = repo.commit("three: a new pkg tree")
    pkg = repo.git("rev-parse", f"{c1}:pkg")
    data = loose(repo.path, pkg).read_bytes()
    loose(repo.path, pkg).unlink()
    store = repo.path / "index.duckdb"

    summary = index_repository(repo.path, store, ONE_JOB)

    # c1 and c2 reach the missing tree: not indexed, recorded with the tree and git's
    # message; c3 is complete and indexed.
    assert (summary.commits_planned, summary.commits_indexed, summary.commits_skipped) == (3, 1, 2)
    detail = f"cannot read object {pkg}: git: {pkg} missing"
    assert query(store, "SELECT sha, missing_tree, detail FROM skipped_commits ORDER BY sha") == (
        sorted([(c1, pkg, detail), (c2, pkg, detail)])
    )
    assert query(store, "SELECT sha FROM commits") == [(c3,)]
    assert_commits_complete(store, repo.path)
    # No stored tree reaches the missing one (a stored tree is complete).
    assert query(
        store,
        "SELECT count(*) FROM trees WHERE sha IN (?, ?, ?)",
        [pkg, repo.git("rev-parse", f"{c1}^{{tree}}"), repo.git("rev-parse", f"{c2}^{{tree}}")],
    ) == [(0,)]
    # c3's changed files need c2's pkg tree: not recorded yet, so history walks trees.
    assert query(store, "SELECT count(*) FROM commit_diffs") == [(0,)]
    with open_index(repo.path, store=store) as index:
        names = [(s.path, s.name) for s in index.symbols(at="HEAD")]
        assert names == [("pkg/mod.py", "second"), ("top.py", "small"), ("top.py", "more")]
        with pytest.raises(NotIndexed):
            index.symbols(at=c1)
        assert (index.status().commits, index.status().skipped_commits) == (1, 2)

    # The tree comes back: the next run indexes both commits and forgets the record.
    loose(repo.path, pkg).write_bytes(data)
    again = index_repository(repo.path, store, ONE_JOB)
    assert (again.commits_indexed, again.commits_skipped) == (2, 0)
    assert query(store, "SELECT count(*) FROM skipped_commits") == [(0,)]
    assert query(store, "SELECT count(*) FROM commits") == [(3,)]
    assert query(store, "SELECT count(*) FROM commit_diffs") == [(3,)]
    assert_commits_complete(store, repo.path)
    with open_index(repo.path, store=store) as index:
        names = [(s.path, s.name) for s in index.symbols(at=c1)]
        assert names == [("pkg/mod.py", "first"), ("top.py", "small")]
        assert (index.status().commits, index.status().skipped_commits) == (3, 0)


def test_the_cli_reports_skipped_commits_and_recovered_blobs(make_repo: MakeRepo) -> None:
    repo = make_repo()
    repo.write("pkg/mod.py", "def first():\n    pass\n")
    repo.write("lost.py", LOST)
    c1 = repo.commit("one")
    repo.write("pkg/mod.py", "def second():\n    pass\n")
    repo.commit("two: a new pkg tree, lost.py unchanged")
    pkg, lost = repo.git("rev-parse", f"{c1}:pkg"), repo.git("rev-parse", f"{c1}:lost.py")
    kept = {sha: loose(repo.path, sha).read_bytes() for sha in (pkg, lost)}
    for sha in kept:
        loose(repo.path, sha).unlink()
    index = ["index", str(repo.path), "--jobs", "1", "--no-embed", "--no-sample"]
    status = ["status", "--repo", str(repo.path)]

    code, text = cli(*index)
    assert code == 0
    assert text.splitlines()[2:5] == [
        "  commits    1 new of 2 planned; 2 refs",
        "             1 skipped (a tree is missing), 0 left archived (--include-archived)",
        "  blobs      2 parsed, 1 reused, 0 re-extracted, 0 recovered (missing before)",
    ]
    code, out = cli(*status, "--json")
    assert code == 0
    counts = {k: out["results"][0][k] for k in ("commits", "skipped_commits", "archived_commits")}
    assert counts == {"commits": 1, "skipped_commits": 1, "archived_commits": 0}
    assert out["results"][0]["blobs_by_status"] == {"missing": 1, "ok": 1}
    code, text = cli(*status)
    assert code == 0 and text.splitlines()[3] == (
        "  1 commits skipped (a tree they reach is missing); 0 archived"
    )

    for sha, data in kept.items():  # the objects come back: both are filled in
        loose(repo.path, sha).write_bytes(data)
    code, out = cli(*index, "--json")
    assert code == 0
    summary = out["results"][0]
    assert (summary["commits_indexed"], summary["commits_skipped"]) == (1, 0)
    assert (summary["blobs_recovered"], summary["blobs_parsed"]) == (1, 1)
    code, out = cli(*status, "--json")
    assert (out["results"][0]["commits"], out["results"][0]["skipped_commits"]) == (2, 0)
    code, text = cli(*index)
    assert text.splitlines()[3:5] == [
        "             0 skipped (a tree is missing), 0 left archived (--include-archived)",
        "  blobs      0 parsed, 0 reused, 0 re-extracted, 0 recovered (missing before)",
    ]


def cli(*args: str) -> tuple[int, Any]:
    """Exit code and output (parsed JSON with --json) of ``symbiote`` in a process."""
    argv = [sys.executable, "-m", "symbiote.cli.main", *args]
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    return result.returncode, json.loads(result.stdout) if "--json" in args else result.stdout


def test_a_skipped_commit_no_longer_planned_is_forgotten(make_repo: MakeRepo) -> None:
    repo = make_repo()
    repo.write("pkg/mod.py", "def first():\n    pass\n")
    c1 = repo.commit("one")
    repo.git("tag", "old")
    repo.write("pkg/mod.py", "def second():\n    pass\n")
    repo.commit("two")
    pkg = repo.git("rev-parse", f"{c1}:pkg")
    loose(repo.path, pkg).unlink()
    store = repo.path / "index.duckdb"
    assert index_repository(repo.path, store, ONE_JOB).commits_skipped == 1

    repo.git("tag", "-d", "old")
    summary = index_repository(repo.path, store, IndexOptions(jobs=1, history=0))

    assert summary.commits_skipped == 0
    assert query(store, "SELECT count(*) FROM skipped_commits") == [(0,)]


# ---- partial clones


def server(make_repo: MakeRepo, tmp_path: Path) -> tuple[GitRepo, Path]:
    """A repository with small and large blobs, served by a bare copy that allows
    filters (as a forge does)."""
    src = make_repo("src")
    src.write("app.py", SMALL)
    src.write("big.py", BIG)
    src.write("logo.png", PICTURE)
    src.write("docs/notes.txt", "notes\n")
    src.commit("one")
    src.write("big.py", BIG_2)
    src.write("lib/util.py", UTIL)
    src.commit("two")
    bare = tmp_path / "server.git"
    git(tmp_path, "clone", "-q", "--bare", str(src.path), str(bare))
    git(bare, "config", "uploadpack.allowFilter", "true")
    git(bare, "config", "uploadpack.allowAnySHA1InWant", "true")
    return src, bare


def partial_clone(tmp_path: Path, bare: Path, filter_spec: str) -> tuple[Path, Path]:
    """A ``--no-checkout`` partial clone whose remote records every time it is asked for
    objects (its upload-pack writes a line to the returned canary file)."""
    clone = tmp_path / "clone"
    git(
        tmp_path,
        "clone",
        "-q",
        "--no-checkout",
        f"--filter={filter_spec}",
        f"file://{bare}",
        str(clone),
    )
    canary = tmp_path / "asked"
    recorder = tmp_path / "recording-upload-pack"
    recorder.write_text(f'#!/bin/sh\necho "$@" >> {canary}\nexec git-upload-pack "$@"\n')
    recorder.chmod(0o755)
    git(clone, "config", "remote.origin.uploadpack", str(recorder))
    assert git(clone, "config", "remote.origin.promisor") == "true"
    return clone, canary


def packs(clone: Path) -> list[str]:
    return sorted(p.name for p in (clone / ".git" / "objects" / "pack").iterdir())


def blob_rows(store: Path) -> list[tuple[Any, ...]]:
    """``(path, status, size, detail)`` of the files of every indexed commit."""
    rows = set()
    for (commit,) in query(store, "SELECT sha FROM commits"):
        rows.update(files(store, commit))
    return sorted(rows, key=repr)


def test_a_blob_filtered_clone_is_indexed_without_fetching(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    src, bare = server(make_repo, tmp_path)
    clone, canary = partial_clone(tmp_path, bare, "blob:limit=1k")
    before = packs(clone)
    store = tmp_path / "index.duckdb"

    summary = index_repository(clone, store, TWO_JOBS)

    # Nothing was fetched: the remote was never asked, no pack was added.
    assert not canary.exists()
    assert packs(clone) == before
    assert (summary.commits_indexed, summary.commits_skipped) == (2, 0)
    # Every readable blob is indexed; the big Python ones are missing; the picture and
    # the notes are never read nor sized (the picture is not even in the clone).
    assert blob_rows(store) == [
        ("app.py", "ok", len(SMALL), None),
        ("big.py", "missing", None, NOT_LOCAL),
        ("docs/notes.txt", "unsupported_language", None, "no patterns for text"),
        ("lib/util.py", "ok", len(UTIL), None),
        ("logo.png", "unsupported_language", None, "no patterns for unknown"),
    ]
    assert summary.statuses == {"missing": 2, "ok": 2, "unsupported_language": 2}
    assert query(store, "SELECT count(*) FROM commit_diffs") == [(2,)]
    assert_commits_complete(store, clone)
    with open_index(clone, store=store) as index:
        assert index.status().blobs_by_status["missing"] == 2
        names = [(s.path, s.name) for s in index.symbols(at="HEAD")]
        assert names == [("app.py", "small"), ("lib/util.py", "util")]

    # The user fetches the big blobs (reading them with git as usual does): the next
    # run extracts them, still without fetching anything itself.
    for rev in ("HEAD~1:big.py", "HEAD:big.py"):
        git(clone, "cat-file", "blob", git(clone, "rev-parse", rev))
    assert canary.exists()  # the recorder does see a fetch
    asked = canary.read_text()
    fetched = packs(clone)
    again = index_repository(clone, store, TWO_JOBS)
    assert canary.read_text() == asked and packs(clone) == fetched
    assert (again.blobs_recovered, again.commits_indexed) == (2, 0)
    assert ("big.py", "ok", len(BIG_2), None) in blob_rows(store)
    with open_index(clone, store=store) as index:
        assert "missing" not in index.status().blobs_by_status
        names = [(s.path, s.name) for s in index.symbols(at="HEAD")]
        assert names == [
            ("app.py", "small"),
            ("big.py", "big"),
            ("big.py", "bigger"),
            ("lib/util.py", "util"),
        ]


def test_reextraction_in_a_partial_clone_does_not_ask_for_what_it_lacks(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    src, bare = server(make_repo, tmp_path)
    clone, canary = partial_clone(tmp_path, bare, "blob:limit=1k")
    store = tmp_path / "index.duckdb"
    index_repository(clone, store, ONE_JOB)
    before = query(store, "SELECT * FROM blobs ORDER BY ALL")
    con = duckdb.connect(str(store))  # what a pattern change does: stale rows
    con.execute("UPDATE blobs SET patterns_digest = 'older' WHERE language = 'python'")
    con.close()

    # Tiny write buffers: the replacing rows are written in several transactions.
    summary = index_repository(clone, store, IndexOptions(jobs=2, parse_group=1, write_rows=1))

    assert summary.blobs_reextracted == 4 and summary.blobs_parsed == 0
    assert summary.statuses == {"missing": 2, "ok": 2}
    assert query(store, "SELECT * FROM blobs ORDER BY ALL") == before
    assert not canary.exists()


def test_a_treeless_clone_skips_its_commits_without_fetching(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    src, bare = server(make_repo, tmp_path)
    clone, canary = partial_clone(tmp_path, bare, "tree:0")
    before = packs(clone)
    store = tmp_path / "index.duckdb"
    # (git log reads commits only: `rev-parse C^{tree}` would fetch the tree.)
    roots = dict(line.split() for line in git(clone, "log", "--format=%H %T").splitlines())

    summary = index_repository(clone, store, ONE_JOB)

    assert not canary.exists() and packs(clone) == before
    assert (summary.commits_indexed, summary.commits_skipped, summary.refs) == (0, 2, 2)
    assert query(store, "SELECT sha, missing_tree, detail FROM skipped_commits ORDER BY sha") == (
        sorted((c, tree, NOT_LOCAL) for c, tree in roots.items())
    )
    assert query(store, "SELECT count(*) FROM commits") == [(0,)]
    assert query(store, "SELECT count(*) FROM refs") == [(0,)]

    # The user fetches the trees (blobs stay out): the commits are indexed now, with
    # every blob of a language we extract missing.
    git(clone, "fetch", "-q", "--refetch", "--no-auto-maintenance", "--filter=blob:none", "origin")
    asked, fetched = canary.read_text(), packs(clone)
    again = index_repository(clone, store, ONE_JOB)
    assert canary.read_text() == asked and packs(clone) == fetched
    assert (again.commits_indexed, again.commits_skipped) == (2, 0)
    assert query(store, "SELECT count(*) FROM skipped_commits") == [(0,)]
    assert {(path, status) for path, status, _size, _detail in blob_rows(store)} == {
        ("app.py", "missing"),
        ("big.py", "missing"),
        ("docs/notes.txt", "unsupported_language"),
        ("lib/util.py", "missing"),
        ("logo.png", "unsupported_language"),
    }
    assert_commits_complete(store, clone)


def test_reading_what_a_partial_clone_lacks_fails_without_fetching(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    """The job never asks for an absent object, but if git is asked anyway (an object
    pruned during a run), the read fails at once without a fetch, and the next read
    works: the cat-file processes that stopped are started again."""
    src, bare = server(make_repo, tmp_path)
    clone, canary = partial_clone(tmp_path, bare, "blob:limit=1k")
    before = packs(clone)
    big, small = (git(clone, "rev-parse", f"HEAD:{name}") for name in ("big.py", "app.py"))
    with GitRepository(clone) as repo:
        assert repo.has_promisor_remote()
        assert repo.absent([big, small]) == {big}
        said = f"cannot read object {big}: git: fatal: could not fetch {big} from promisor remote"
        for read in (repo.object_size, repo.read_blob, repo.object_size, repo.read_blob):
            with pytest.raises(RepositoryError) as raised:
                read(big)
            assert str(raised.value) == said
            assert repo.read_blob(small) == SMALL.encode()
            assert repo.object_size(small) == len(SMALL)
    assert not canary.exists() and packs(clone) == before


def test_absent_lists_what_a_tree_reaches_and_is_not_there(make_repo: MakeRepo) -> None:
    repo = make_repo()
    repo.write("pkg/sub/a.py", SMALL)
    repo.write("pkg/b.py", LOST)
    repo.write("c.py", UTIL)
    repo.commit("one")
    root, sub, lost = (repo.git("rev-parse", f"HEAD:{p}") for p in ("", "pkg/sub", "pkg/b.py"))
    for sha in (sub, lost):
        loose(repo.path, sha).unlink()
    unknown = "0" * 40
    with GitRepository(repo.path) as git_repo:
        assert not git_repo.has_promisor_remote()
        # a missing tree is listed, not what it would reach; a missing tip too
        assert git_repo.absent([root, unknown]) == {sub, lost, unknown}
        assert git_repo.absent([lost, repo.git("rev-parse", "HEAD:c.py")]) == {lost}
        assert git_repo.absent([]) == set()
