"""Archival: old history moves out of the live store into checksummed Parquet files and
comes back with the same answers; nothing is deleted before the archive is re-read, and a
run killed at any step loses nothing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from symbiote.indexer import (
    ArchiveError,
    ArchiveOptions,
    EmbedOptions,
    IndexOptions,
    NotIndexed,
    UnknownRevision,
    archive_history,
    embed_repository,
    index_repository,
    restore_archive,
    verify_store,
)
from symbiote.indexer.archive import archives_folder
from symbiote.indexer.searchtext import DOCS_TABLE
from symbiote.indexer.sidecar import Sidecar
from symbiote.queries import open_index
from tests.conftest import GitRepo

KILL_RUNNER = """
import os, signal, sys
from pathlib import Path
from symbiote.indexer import ArchiveOptions, archive_history
def step(name):
    if name == sys.argv[3]:
        os.kill(os.getpid(), signal.SIGKILL)
archive_history(sys.argv[1], Path(sys.argv[2]), ArchiveOptions(keep=("main",)), step)
"""


Built = tuple[GitRepo, dict[str, str], Path]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """main: three commits; a feature branch with two commits of its own (only its tip
    is indexed), indexed and embedded once for the module."""
    root = tmp_path_factory.mktemp("archive")
    repo, shas = branching(GitRepo(root / "repo"))
    store = root / "store" / "index.duckdb"
    index_repository(repo.path, store, IndexOptions(jobs=1))
    embed_repository(repo.path, store, EmbedOptions(text_only=True))
    return repo, shas, store


@pytest.fixture
def setup(built: Built, tmp_path: Path) -> tuple[GitRepo, dict[str, str], Path]:
    """The module's repository with a fresh copy of its store."""
    repo, shas, store = built
    shutil.copytree(store.parent, tmp_path / "store")
    return repo, shas, tmp_path / "store" / store.name


def branching(repo: GitRepo) -> tuple[GitRepo, dict[str, str]]:
    repo.write("app/core.py", "def load(path):\n    return open(path).read()\n")
    repo.write("app/cli.py", "from app.core import load\n\n\ndef main():\n    load('x')\n")
    shas = {"c1": repo.commit("core")}
    repo.write("app/core.py", "def load(path, mode='r'):\n    return open(path, mode).read()\n")
    shas["c2"] = repo.commit("load takes a mode")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("app/retry.py", "def retry(call, times=3):\n    return call()\n")
    shas["f1"] = repo.commit("retry")
    repo.write(
        "app/retry.py",
        "def retry(call, times=3):\n    for _ in range(times):\n        return call()\n",
    )
    shas["f2"] = repo.commit("retry loops")
    repo.git("checkout", "-q", "main")
    repo.write("app/cli.py", "from app.core import load\n\n\ndef main():\n    load('y')\n")
    shas["c3"] = repo.commit("cli reads y")
    return repo, shas


def contents(store: Path) -> dict[str, list[Any]]:
    """Every row of every table (but run metadata), and every sidecar key."""
    con = duckdb.connect(str(store), read_only=True)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_type = 'BASE TABLE' AND table_name <> 'index_meta' ORDER BY 1"
            ).fetchall()
        ]
        out = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}
    finally:
        con.close()
    sidecar = Sidecar(store.with_suffix(".lance"))
    for name in sidecar.tables():
        out[f"sidecar:{name}"] = sorted(sidecar.keys_with_repeats(name))
    return out


def answers(repo: GitRepo, store: Path, at: str) -> list[Any]:
    with open_index(repo.path, store=store) as index:
        return [
            index.symbols(at=at),
            index.outline("app/retry.py", at=at),
            index.find("retry", at=at),
            index.refs("app/core.py::load", at=at),
            index.history("app/retry.py::retry", at=at),
        ]


def test_archive_and_restore_round_trip_with_identical_answers(
    setup: tuple[GitRepo, dict[str, str], Path],
) -> None:
    repo, shas, store = setup
    before = contents(store)
    at_feature = answers(repo, store, shas["f2"])
    with open_index(repo.path, store=store) as index:
        at_main = [index.symbols(at="main"), index.refs("app/core.py::load", at="main")]

    summary = archive_history(repo.path, store, ArchiveOptions(keep=("main",)))
    assert summary.commits == 1 and summary.archive is not None  # f2 (f1 was never indexed)
    assert summary.rows["commits"] == 1 and summary.rows["refs"] == 1  # and its branch
    assert summary.rows["blobs"] == 1 and summary.rows["code_symbols"] == 1  # app/retry.py
    assert summary.rows[f"sidecar:{DOCS_TABLE}"] == 1  # retry is embedded nowhere else
    assert verify_store(repo.path, store).ok
    with open_index(repo.path, store=store) as index:
        with pytest.raises(NotIndexed):
            index.symbols(at=shas["f2"])
        assert [index.symbols(at="main"), index.refs("app/core.py::load", at="main")] == at_main
    after = contents(store)
    assert len(after["commits"]) == len(before["commits"]) - 1

    restored = restore_archive(repo.path, store, Path(summary.archive))
    assert restored.rows["commits"] == 1 and restored.rows[f"sidecar:{DOCS_TABLE}"] == 1
    assert contents(store) == before
    assert answers(repo, store, shas["f2"]) == at_feature
    assert verify_store(repo.path, store).ok


def test_archive_by_date_keeps_every_ref_tip(setup: tuple[GitRepo, dict[str, str], Path]) -> None:
    repo, shas, store = setup
    cutoff = datetime(2024, 1, 1, 0, 0, 4, tzinfo=UTC)  # after c1, c2 and f1 (not indexed)
    summary = archive_history(repo.path, store, ArchiveOptions(before=cutoff))
    assert summary.commits == 2
    with open_index(repo.path, store=store) as index:
        for name in ("c1", "c2"):
            with pytest.raises(NotIndexed):
                index.symbols(at=shas[name])
        assert {s.qualified_name for s in index.symbols(at="feature")} >= {"retry", "load"}
    assert verify_store(repo.path, store).ok
    assert archive_history(repo.path, store, ArchiveOptions(before=cutoff)).archive is None


def test_nothing_is_deleted_until_the_archive_reads_back_intact(
    setup: tuple[GitRepo, dict[str, str], Path],
) -> None:
    repo, _shas, store = setup
    before = contents(store)
    assert run_archive_killed_at(repo, store, "written") == -9
    (folder,) = [p for p in archives_folder(store).iterdir() if not p.name.endswith("partial")]
    damaged = folder / "code_symbols.parquet"
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    with pytest.raises(ArchiveError, match="checksum"):
        archive_history(repo.path, store, ArchiveOptions(keep=("main",)))
    with pytest.raises(ArchiveError, match="checksum"):
        restore_archive(repo.path, store, folder)
    assert contents(store) == before


@pytest.mark.parametrize("step", ["selected", "written", "checked", "sidecar", "deleted"])
def test_an_archive_killed_at_any_step_loses_nothing(
    setup: tuple[GitRepo, dict[str, str], Path], step: str
) -> None:
    repo, shas, store = setup
    before = contents(store)
    at_feature = answers(repo, store, shas["f2"])
    assert run_archive_killed_at(repo, store, step) == -9
    # Each commit is live or archived, never both nor neither.
    killed = contents(store)
    live = {row[1] for row in killed["commits"]}
    archived = {row[1] for row in killed["archived_commits"]}
    assert live.isdisjoint(archived) and live | archived == {row[1] for row in before["commits"]}
    assert archived == ({shas["f2"]} if step == "deleted" else set())
    summary = archive_history(repo.path, store, ArchiveOptions(keep=("main",)))
    assert {row[1] for row in contents(store)["archived_commits"]} == {shas["f2"]}
    folders = [p for p in archives_folder(store).iterdir() if not p.name.endswith("partial")]
    assert len(folders) == 1
    if summary.archive is None:  # the killed run had deleted already: restore its archive
        assert step == "deleted"
    assert verify_store(repo.path, store).ok
    restore_archive(repo.path, store, folders[0])
    assert contents(store) == before
    assert answers(repo, store, shas["f2"]) == at_feature


def test_index_leaves_archived_commits_out_unless_asked(
    setup: tuple[GitRepo, dict[str, str], Path],
) -> None:
    repo, shas, store = setup
    before = contents(store)
    at_feature = answers(repo, store, shas["f2"])
    summary = archive_history(repo.path, store, ArchiveOptions(keep=("main",)))
    folder = str(Path(str(summary.archive)).resolve())
    archived = contents(store)
    assert archived["archived_commits"] == [
        (1, shas["f2"], folder, ["feature", "refs/heads/feature"])
    ]

    again = index_repository(repo.path, store, IndexOptions(jobs=1))

    # f2 is planned (the tip of feature) but stays archived: no commit, tree or blob comes
    # back, and the summary says so.
    assert (again.commits_planned, again.commits_indexed, again.commits_archived) == (4, 0, 1)
    assert again.blobs_parsed == 0
    for table in ("commits", "refs", "trees", "blobs", "code_symbols", "archived_commits"):
        assert contents(store)[table] == archived[table]
    with open_index(repo.path, store=store) as index:
        status = index.status()
        assert (status.archived_commits, status.archives, status.skipped_commits) == (
            1,
            {folder: 1},
            0,
        )

    indexed = index_repository(repo.path, store, IndexOptions(jobs=1, include_archived=True))

    assert (indexed.commits_indexed, indexed.commits_archived) == (1, 0)
    after = contents(store)
    assert after["archived_commits"] == []
    for table in ("commits", "refs", "trees", "blobs", "code_symbols", "code_references"):
        assert after[table] == before[table]
    assert answers(repo, store, shas["f2"]) == at_feature
    with open_index(repo.path, store=store) as index:
        assert (index.status().archived_commits, index.status().archives) == (0, {})


def test_a_query_at_an_archived_commit_names_the_archive_and_restore(
    setup: tuple[GitRepo, dict[str, str], Path],
) -> None:
    repo, shas, store = setup
    cutoff = datetime(2024, 1, 1, 0, 0, 4, tzinfo=UTC)  # c1 and c2: HEAD~2 and HEAD~1
    summary = archive_history(repo.path, store, ArchiveOptions(before=cutoff))
    folder = str(Path(str(summary.archive)).resolve())
    restore = (
        f"`symbiote restore {folder}` brings it back "
        "(or `symbiote index --include-archived` indexes it again)"
    )
    expected = {
        shas["c1"]: f"{shas['c1'][:12]} was archived to {folder}; {restore}",
        shas["c2"][:8]: f"{shas['c2'][:12]} was archived to {folder}; {restore}",
        "feature": None,  # its tip is live
        "HEAD~1": f"'HEAD~1' goes through {shas['c2'][:12]}, which was archived to {folder}; "
        + restore,
        "main~2": f"'main~2' goes through {shas['c2'][:12]}, which was archived to {folder}; "
        + restore,
    }
    with open_index(repo.path, store=store) as index:
        for rev, message in expected.items():
            if message is None:
                assert index.symbols(at=rev)
                continue
            with pytest.raises(NotIndexed) as error:
                index.symbols(at=rev)
            assert str(error.value) == message
        assert index.status().archived_commits == 2

    restore_archive(repo.path, store, Path(folder))

    with open_index(repo.path, store=store) as index:
        assert [s.qualified_name for s in index.symbols(at="HEAD~2")] == ["main", "load"]
        assert index.resolve(shas["c2"][:8]).sha == shas["c2"]
        assert (index.status().archived_commits, index.status().archives) == (0, {})


def test_a_query_at_an_archived_branch_names_the_archive(
    setup: tuple[GitRepo, dict[str, str], Path],
) -> None:
    repo, shas, store = setup
    summary = archive_history(repo.path, store, ArchiveOptions(keep=("main",)))
    folder = str(Path(str(summary.archive)).resolve())
    index_repository(repo.path, store, IndexOptions(jobs=1))  # the branch stays archived
    with open_index(repo.path, store=store) as index:
        for rev in ("feature", "refs/heads/feature"):
            with pytest.raises(NotIndexed) as error:
                index.symbols(at=rev)
            assert str(error.value) == (
                f"{rev!r} ({shas['f2'][:12]}) was archived to {folder}; `symbiote restore "
                f"{folder}` brings it back (or `symbiote index --include-archived` indexes "
                "it again)"
            )
        with pytest.raises(UnknownRevision):
            index.symbols(at="no-such-branch")


def run_archive_killed_at(repo: GitRepo, store: Path, step: str) -> int:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    argv = [sys.executable, "-c", KILL_RUNNER, str(repo.path), str(store), step]
    return subprocess.run(argv, env=env, check=False).returncode


def test_archive_refuses_vague_requests_and_unknown_refs(
    setup: tuple[GitRepo, dict[str, str], Path],
) -> None:
    repo, _shas, store = setup
    with pytest.raises(ArchiveError, match="say what to archive"):
        archive_history(repo.path, store, ArchiveOptions())
    with pytest.raises(UnknownRevision):
        archive_history(repo.path, store, ArchiveOptions(keep=("nope",)))
    dry = archive_history(repo.path, store, ArchiveOptions(keep=("main",), dry_run=True))
    assert dry.commits == 1 and not archives_folder(store).exists()


def test_archive_and_restore_from_the_cli(
    setup: tuple[GitRepo, dict[str, str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    from symbiote.cli.main import main

    repo, _shas, store = setup
    base = ["--repo", str(repo.path), "--store", str(store), "--json"]
    assert main(["archive", "--keep", "main", "--dry-run", *base]) == 0
    dry = json.loads(capsys.readouterr().out)
    assert dry["ok"] and dry["results"][0]["commits"] == 1 and dry["results"][0]["archive"]
    assert main(["archive", "--keep", "main", *base]) == 0
    done = json.loads(capsys.readouterr().out)["results"][0]
    assert done["rows"]["commits"] == 1
    assert main(["restore", done["archive"], *base]) == 0
    assert json.loads(capsys.readouterr().out)["results"][0]["rows"]["commits"] == 1
    assert main(["archive", "--before", "yesterday", *base]) == 1
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["type"] == "ArchiveError" and "ISO date" in error["message"]


def test_index_and_status_from_the_cli_say_what_is_archived(
    setup: tuple[GitRepo, dict[str, str], Path],
) -> None:
    repo, shas, store = setup
    base = ["--store", str(store), "--json"]
    summary = archive_history(repo.path, store, ArchiveOptions(keep=("main",)))
    folder = str(Path(str(summary.archive)).resolve())
    code, status = cli("status", "--repo", str(repo.path), *base)
    assert code == 0
    assert {k: status["results"][0][k] for k in STATUS_COUNTS} == {
        "commits": 3,
        "skipped_commits": 0,
        "archived_commits": 1,
        "archives": {folder: 1},
    }
    code, text = cli("status", "--repo", str(repo.path), "--store", str(store))
    assert code == 0
    assert text.splitlines()[3:5] == [
        "  0 commits skipped (a tree they reach is missing); 1 archived "
        "(`symbiote restore FOLDER` brings them back)",
        f"    {folder}: 1",
    ]
    options = ["--jobs", "1", "--no-embed", "--no-sample", "--store", str(store)]
    code, text = cli("index", str(repo.path), *options)
    assert code == 0
    assert text.splitlines()[2:5] == [
        "  commits    0 new of 4 planned; 3 refs",
        "             0 skipped (a tree is missing), 1 left archived (--include-archived)",
        "  blobs      0 parsed, 0 reused, 0 re-extracted, 0 recovered (missing before)",
    ]

    code, out = cli("index", str(repo.path), "--include-archived", *options, "--json")

    assert code == 0
    indexed = out["results"][0]
    assert (indexed["commits_indexed"], indexed["commits_archived"]) == (1, 0)
    code, status = cli("status", "--repo", str(repo.path), *base)
    assert {k: status["results"][0][k] for k in STATUS_COUNTS} == {
        "commits": 4,
        "skipped_commits": 0,
        "archived_commits": 0,
        "archives": {},
    }
    assert status["commit"] == shas["c3"]


STATUS_COUNTS = ("commits", "skipped_commits", "archived_commits", "archives")


def cli(*args: str) -> tuple[int, Any]:
    """Exit code and output (parsed JSON with --json) of ``symbiote`` in a process."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    argv = [sys.executable, "-m", "symbiote.cli.main", *args]
    result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    out = json.loads(result.stdout) if "--json" in args else result.stdout
    return result.returncode, out
