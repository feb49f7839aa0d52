"""A run killed with SIGKILL at any point leaves a usable store; the next run completes
it, and the result equals an uninterrupted run, without duplicate rows."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.conftest import GitRepo

MakeRepo = Callable[..., GitRepo]
TABLES = (
    *("commits", "refs", "trees", "tree_entries", "blobs", "code_symbols", "code_references"),
    *("file_changes", "commit_diffs"),
)
RUNNER = """
import sys
from pathlib import Path
from symbiote.indexer import IndexOptions, index_repository
marks = Path(sys.argv[4])
done = [0]
def mark(progress):  # one line per batch of commits written (not per group parsed)
    if progress.commits_done == done[0]:
        return
    done[0] = progress.commits_done
    with marks.open("a") as out:
        out.write("batch\\n")
index_repository(sys.argv[1], sys.argv[2],
                 IndexOptions(jobs=int(sys.argv[3]), commit_batch=3, write_rows=50,
                              parse_group=2), mark)
"""


def build_history(repo: GitRepo, commits: int = 40) -> None:
    rng = random.Random(7)
    for n in range(commits):
        for _ in range(6):
            i = rng.randrange(60)
            body = "\n".join(f"    v{k} = helper_{i}({k})" for k in range(rng.randrange(5, 40)))
            repo.write(
                f"pkg{i % 5}/mod{i}.py",
                f"class C{i}_{n}:\n    def run(self):\n{body}\n        return v0\n",
            )
        repo.commit(f"commit {n}")


def contents(store: Path) -> dict[str, list[Any]]:
    con = duckdb.connect(str(store), read_only=True)
    try:
        out = {}
        for table in TABLES:
            columns = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
            keep = ", ".join(c for c in columns if c not in ("indexed_at", "added_at"))
            out[table] = con.execute(f"SELECT {keep} FROM {table} ORDER BY ALL").fetchall()
        return out
    finally:
        con.close()


def run_killable(argv: list[str], kill_when: Callable[[], bool] | None) -> int | None:
    """Run ``python -c argv...``; SIGKILL it and its workers as soon as ``kill_when()``
    holds. Returns the exit code, or None when it was killed."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    proc = subprocess.Popen([sys.executable, "-c", *argv], env=env, start_new_session=True)
    if kill_when is None:
        return proc.wait()
    deadline = time.monotonic() + 600  # a bound on a hang, not a measurement
    while proc.poll() is None and not kill_when():
        if time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            raise AssertionError("the run neither ended nor reached its kill point")
        time.sleep(0.01)
    if proc.poll() is not None:
        return proc.returncode
    os.killpg(proc.pid, signal.SIGKILL)  # the run and its parser workers
    proc.wait()
    return None


def run_index(repo: GitRepo, store: Path, jobs: int, kill_after: int | None) -> int | None:
    """Index ``repo`` into ``store``; with ``kill_after``, SIGKILL the run once it has
    written that many batches of commits (it is then somewhere in the next one)."""
    marks = store.with_name(store.name + ".batches")
    marks.unlink(missing_ok=True)
    argv = [RUNNER, str(repo.path), str(store), str(jobs), str(marks)]
    if kill_after is None:
        return run_killable(argv, None)

    def written() -> int:
        return len(marks.read_text().splitlines()) if marks.exists() else 0

    return run_killable(argv, lambda: written() >= kill_after)


def test_killed_runs_resume_to_the_uninterrupted_result(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    repo = make_repo()
    build_history(repo)
    reference = tmp_path / "reference.duckdb"
    assert run_index(repo, reference, 1, None) == 0
    expected = contents(reference)
    assert len(expected["commits"]) == 40

    store = tmp_path / "killed.duckdb"
    rng = random.Random(2024)
    kills = 0
    for attempt in range(30):
        jobs = 1 + attempt % 2
        returncode = run_index(repo, store, jobs, kill_after=rng.randint(1, 4))
        if returncode is None:
            kills += 1
            if store.exists():  # every intermediate state is a readable store
                contents(store)
            continue
        assert returncode == 0
        break
    else:
        raise AssertionError("the indexing never completed")
    assert kills >= 1, "no run was killed: the history is too small to test resumption"
    assert contents(store) == expected
    con = duckdb.connect(str(store), read_only=True)
    dupes = con.execute(
        "SELECT count(*) FROM (SELECT blob, language, idx FROM code_symbols "
        "GROUP BY ALL HAVING count(*) > 1)"
    ).fetchone()
    con.close()
    assert dupes == (0,)


EMBED_RUNNER = """
import sys
from symbiote.indexer.embed_job import EmbedOptions, embed_repository
embed_repository(sys.argv[1], sys.argv[2], EmbedOptions(batch_size=4, write_every=6))
"""


def _sidecar_contents(store: Path) -> dict[str, dict[str, list[float]]]:
    from symbiote.indexer.searchtext import sidecar_path
    from symbiote.indexer.sidecar import Sidecar

    sidecar = Sidecar(sidecar_path(store))
    out: dict[str, dict[str, list[float]]] = {}
    for name, table in sidecar.tables().items():
        rows = table.to_arrow().to_pylist()
        keys = [r["key"] for r in rows]
        assert len(keys) == len(set(keys)), f"duplicate keys in {name}"
        out[name] = {r["key"]: r.get("vector") or r["term_ids"] for r in rows}
    return out


def test_killed_embedding_resumes_to_the_uninterrupted_result(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    from symbiote.indexer import IndexOptions, index_repository
    from symbiote.indexer.verify import verify_store

    repo = make_repo()
    for i in range(12):
        functions = "\n\n".join(
            f"def task_{i}_{k}(items):\n    return [x * {k} for x in items if x > {i}]"
            for k in range(8)
        )
        repo.write(f"jobs/mod{i}.py", functions + "\n")
    repo.commit("ninety-six functions")
    reference = tmp_path / "reference.duckdb"
    store = tmp_path / "killed.duckdb"
    for path in (reference, store):
        index_repository(repo.path, path, IndexOptions(jobs=1))
    argv = [EMBED_RUNNER, str(repo.path)]
    assert run_killable([*argv, str(reference)], None) == 0
    expected = _sidecar_contents(reference)
    versions = store.with_suffix(".lance")

    def commits_written() -> int:  # every LanceDB write adds a manifest to its table
        return len(list(versions.glob("*.lance/_versions/*.manifest")))

    rng = random.Random(11)
    kills = 0
    for _ in range(4):  # killed runs, each after a random number of sidecar writes
        target = commits_written() + rng.randint(1, 6)
        returncode = run_killable([*argv, str(store)], lambda t=target: commits_written() >= t)
        if returncode is None:
            kills += 1
        else:
            assert returncode == 0
    assert kills >= 1, "no run was killed"
    assert run_killable([*argv, str(store)], None) == 0  # completes what the kills left
    got = _sidecar_contents(store)
    assert got.keys() == expected.keys()
    for name, rows in expected.items():
        assert got[name].keys() == rows.keys(), name
        for key, value in rows.items():  # the same model on the same text: the same vector
            assert max(abs(a - b) for a, b in zip(got[name][key], value, strict=True)) < 1e-3
    assert verify_store(repo.path, store).ok


@pytest.mark.parametrize("size", [0, 4096, 8192, 12287])
def test_a_store_cut_off_while_duckdb_created_it_is_created_again(
    make_repo: Callable[..., GitRepo], tmp_path: Path, size: int
) -> None:
    """A kill while DuckDB writes a new file's headers leaves one it cannot open
    ("Could not read enough bytes"); it holds nothing, so the next run starts it anew."""
    from symbiote.indexer import IndexOptions, index_repository
    from symbiote.queries import open_index

    repo = make_repo()
    repo.write("a.py", "def f():\n    return 1\n")
    repo.commit("one")
    whole = tmp_path / "whole.duckdb"
    duckdb.connect(str(whole)).close()  # a real file's first bytes: its headers
    store = tmp_path / "cut.duckdb"
    store.write_bytes(whole.read_bytes()[:size])
    Path(str(store) + ".wal").write_bytes(b"\0" * 100)  # a log of that unfinished file
    index_repository(repo.path, store, options=IndexOptions(jobs=1))
    with open_index(repo.path, store=store) as index:
        assert [s.qualified_name for s in index.symbols()] == ["f"]


def test_a_store_another_process_is_creating_is_left_alone(tmp_path: Path) -> None:
    """A short file some live process holds locked (DuckDB writing its headers) is not
    an interrupted creation: opening the store refuses, and the file stays."""
    from symbiote.indexer.errors import StoreError
    from symbiote.indexer.store import Store

    store = tmp_path / "busy.duckdb"
    store.write_bytes(b"\0" * 4096)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys, time\n"
            f"f = open({str(store)!r}, 'rb+')\n"
            "fcntl.lockf(f, fcntl.LOCK_EX)\n"
            "print('locked', flush=True)\n"
            "time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(StoreError):
            Store(store).close()
        assert store.stat().st_size == 4096
    finally:
        holder.kill()
        holder.wait()
