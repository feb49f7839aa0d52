"""Lookups first, embeddings after: ``symbiote index`` returns once definitions and
references are queryable, and the search sidecar is filled in the background (a
detached job, or the store's long-lived owner), visibly in ``status``, one job at a
time, resumable after a kill, never writing a key twice. Real git, DuckDB, LanceDB and
the default model."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from symbiote.cli.route import socket_path
from symbiote.indexer.embed_state import read_state
from symbiote.indexer.searchtext import sidecar_path
from symbiote.indexer.sidecar import Sidecar
from tests.conftest import GitRepo
from tests.test_owner import ENV, ROOT, _popen, _symbiote

MakeRepo = Callable[..., GitRepo]
DEADLINE = 240.0  # seconds a background job may take on a busy 2-core machine


def _functions(repo: GitRepo, files: int, per_file: int, start: int = 0) -> None:
    """``files`` modules of ``per_file`` three-line functions each (all get a vector)."""
    for f in range(start, start + files):
        body = "".join(
            f"def op_{f}_{k}(value):\n    total = value * {k} + {f}\n    return total\n\n\n"
            for k in range(per_file)
        )
        repo.write(f"pkg/mod_{f}.py", body)


def _json(*args: str) -> dict[str, Any]:
    done = _symbiote(*args, "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    out: dict[str, Any] = json.loads(done.stdout)
    return out


_LAST: dict[str, Any] = {}  # the last embedding status read (for a failure's message)


def _embedding(repo: GitRepo) -> dict[str, Any]:
    status = _json("status", "--repo", str(repo.path))
    embedding: dict[str, Any] = status["results"][0]["embedding"]
    _LAST["embedding"] = embedding
    return embedding


def _until(check: Callable[[], Any], what: str, deadline: float = DEADLINE) -> Any:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"not within {deadline:g} s: {what} (last status: {_LAST})")


def _running(pid: int) -> bool:
    """Whether process ``pid`` exists and has not exited (a zombie has)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def _store(repo: GitRepo) -> Path:
    return repo.path / ".git" / "symbiote" / "index.duckdb"


def _no_repeats(store: Path) -> dict[str, int]:
    """Rows per sidecar table, after checking no key is written twice."""
    sidecar = Sidecar(sidecar_path(store))
    rows = {}
    for table in sidecar.tables():
        keys = sidecar.keys_with_repeats(table)
        assert len(keys) == len(set(keys)), f"{table} holds a key twice"
        rows[table] = len(keys)
    return rows


@pytest.fixture
def jobs() -> Iterator[list[int]]:
    """Process ids of background jobs a test starts: killed at its end if still alive."""
    pids: list[int] = []
    yield pids
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _job_pid(repo: GitRepo, jobs: list[int]) -> None:
    state = read_state(_store(repo))
    if state and state.get("pid"):
        jobs.append(int(state["pid"]))


def test_index_returns_before_embedding_and_status_follows_the_job(
    make_repo: MakeRepo, jobs: list[int]
) -> None:
    repo = make_repo()
    _functions(repo, 8, 40)  # 320 definitions: several writes of 128
    repo.commit("functions")
    out = _json("index", str(repo.path), "--jobs", "1", "--no-sample")
    started = out["results"][0]["embedding"]
    jobs.append(started["pid"])
    assert started["background"] is True and started["where"] == "detached"
    # The run returned with the job still embedding (it loads a model before its first
    # vector), and HEAD is queryable at once.
    assert _running(started["pid"])
    found = _json("find", "op_3_7", "--repo", str(repo.path))
    assert [r["path"] for r in found["results"]] == ["pkg/mod_3.py"]
    assert _embedding(repo)["definitions"] == 320
    # The job shows up running with its pid (unless a loaded machine's status calls
    # were slower than the whole job), then done with HEAD covered.
    seen = _until(
        lambda: (e := _embedding(repo))["job"] in ("running", "done") and e,
        "the job running or done",
    )
    if seen["job"] == "running":
        assert seen["running"] is True and seen["pid"] == started["pid"]
    text = _symbiote("status", "--repo", str(repo.path)).stdout
    assert "search at HEAD:" in text and "embedding job:" in text
    done = _until(lambda: (e := _embedding(repo))["job"] == "done" and e, "the job done")
    assert (done["embedded"], done["to_embed"], done["complete"]) == (320, 0, True)
    assert done["running"] is False and done["done"] == done["total"] == 320
    assert _no_repeats(_store(repo))["symbol_docs"] == 320


def test_wait_embed_embeds_before_returning_and_search_reports_partial_coverage(
    make_repo: MakeRepo,
) -> None:
    repo = make_repo()
    _functions(repo, 2, 5)
    repo.commit("first")
    out = _json("index", str(repo.path), "--jobs", "1", "--no-sample", "--wait-embed")
    assert out["results"][0]["embedding"]["vectors_written"] == 10
    embedding = _embedding(repo)
    assert (embedding["embedded"], embedding["to_embed"], embedding["complete"]) == (10, 0, True)
    assert embedding["job"] is None  # nothing ran in the background
    _functions(repo, 1, 5, start=2)
    repo.commit("second")
    _json("index", str(repo.path), "--jobs", "1", "--no-sample", "--no-embed")
    found = _json("search", "value total", "--repo", str(repo.path), "--mode", "text")
    cover = found["coverage"]
    assert (cover["definitions"], cover["definitions_embedded"]) == (15, 10)
    assert (cover["definitions_covered"], cover["complete"]) == (10, False)
    text = _symbiote("search", "value total", "--repo", str(repo.path), "--mode", "text").stdout
    assert "-- 10/15 definitions embedded, 10/15 text-indexed" in text


def test_a_killed_background_job_resumes_without_duplicates(
    make_repo: MakeRepo, jobs: list[int]
) -> None:
    repo = make_repo()
    _functions(repo, 10, 40)  # 400 definitions
    repo.commit("functions")
    _json("index", str(repo.path), "--jobs", "1", "--no-sample", "--no-embed")
    store = _store(repo)
    job = _popen("embed", str(repo.path), "--job", env={"SYMBIOTE_NO_SERVER": "1"})
    jobs.append(job.pid)
    _until(lambda: ((read_state(store) or {}).get("done") or 0) >= 128, "a first write")
    job.send_signal(signal.SIGKILL)
    job.communicate()
    stopped = _embedding(repo)
    assert stopped["job"] == "stopped" and stopped["running"] is False
    assert 0 < stopped["embedded"] < 400
    # Three jobs at once: one runs, one waits, the rest find the waiting one and end.
    racers = [
        _popen("embed", str(repo.path), "--job", "--json", env={"SYMBIOTE_NO_SERVER": "1"})
        for _ in range(3)
    ]
    jobs.extend(p.pid for p in racers)
    answers = [json.loads(p.communicate(timeout=DEADLINE)[0]) for p in racers]
    assert all(a["ok"] for a in answers)
    assert sum(a["results"][0]["vectors_written"] for a in answers if a["results"]) == (
        400 - stopped["embedded"]
    )
    assert _no_repeats(store)["symbol_docs"] == 400
    finished = _embedding(repo)
    assert (finished["embedded"], finished["complete"], finished["job"]) == (400, True, "done")
    assert _json("verify", "--repo", str(repo.path))["consistent"] is True


def test_an_index_run_in_a_running_owner_embeds_there(make_repo: MakeRepo, jobs: list[int]) -> None:
    repo = make_repo()
    _functions(repo, 2, 5)
    repo.commit("first")
    server = subprocess.Popen(
        [sys.executable, "-m", "symbiote.cli.main", "serve", str(repo.path)],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stderr is not None
        assert "answering on" in server.stderr.readline()
        assert socket_path(_store(repo)).exists()
        out = _json("index", str(repo.path), "--jobs", "1", "--no-sample")
        started = out["results"][0]["embedding"]
        assert (started["where"], started["pid"]) == ("owner", server.pid)
        done = _until(lambda: (e := _embedding(repo))["complete"] and e, "HEAD embedded")
        assert done["embedded"] == 10 and done["pid"] == server.pid
        _functions(repo, 1, 5, start=2)
        repo.commit("second")
        _json("index", str(repo.path), "--jobs", "1", "--no-sample")
        done = _until(
            lambda: (e := _embedding(repo))["complete"] and e["embedded"] == 15 and e,
            "the new commit embedded",
        )
        hits = _json("search", "value total", "--repo", str(repo.path), "--mode", "vector")
        assert hits["coverage"]["definitions_embedded"] == 15
        assert len(hits["results"]) == 10
    finally:
        server.send_signal(signal.SIGINT)
        server.communicate(timeout=600)  # a bound on a hang
    _job_pid(repo, jobs)
    assert _no_repeats(_store(repo))["symbol_docs"] == 15


TEXT_SEARCH = """
import sys
from symbiote.cli.main import main
code = main(["search", "value total", "--repo", sys.argv[1], "--mode", sys.argv[2], "--json"])
heavy = sorted(m for m in ("onnxruntime", "pyarrow.compute", "tokenizers") if m in sys.modules)
print("HEAVY", ",".join(heavy), code)
"""


def test_text_search_loads_no_model(make_repo: MakeRepo) -> None:
    repo = make_repo()
    _functions(repo, 1, 5)
    repo.commit("first")
    _json("index", str(repo.path), "--jobs", "1", "--no-sample", "--wait-embed")

    def heavy(mode: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", TEXT_SEARCH, str(repo.path), mode],
            cwd=ROOT,
            env={**ENV, "SYMBIOTE_NO_SERVER": "1"},
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.splitlines()[-1]

    assert heavy("text") == "HEAVY  0"
    assert heavy("hybrid") == "HEAVY onnxruntime,tokenizers 0"  # the check sees a model
