"""Never locked out: whichever process owns a store (``symbiote mcp``, an index run,
``symbiote serve``), every other command is answered through it, or waits for a store
held by a process that answers nothing, with a message; no raw DuckDB lock error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
from mcp import ClientSession, StdioServerParameters, stdio_client

from symbiote.cli.progress import Meter
from symbiote.cli.route import socket_path
from symbiote.indexer import IndexOptions, index_repository
from tests.conftest import HERMETIC_ENV, GitRepo
from tests.test_mcp import _payload

MakeRepo = Callable[..., GitRepo]
ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, **HERMETIC_ENV, "PYTHONPATH": str(ROOT)}


def _history(repo: GitRepo, commits: int, start: int = 0) -> None:
    """``commits`` commits, each changing a third of ten modules; every module always
    defines the same twelve helpers (so answers by name do not change)."""
    for c in range(start, start + commits):
        for m in range(c % 3, 10, 3):
            body = "".join(
                f"def helper_{k}(x):\n    return x + {k} + {c}\n\n\n" for k in range(m, m + 12)
            )
            repo.write(f"pkg/mod_{m}.py", f"from pkg.mod_0 import helper_0\n\n\n{body}")
        repo.commit(f"commit {c}")


def _symbiote(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "symbiote.cli.main", *args],
        cwd=ROOT,
        env={**ENV, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )


def _popen(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "symbiote.cli.main", *args],
        cwd=ROOT,
        env={**ENV, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


# helper_7 is defined in mod_0 .. mod_7 (each mod_m defines helper_m .. helper_m+11).
HELPER_7 = [f"pkg/mod_{m}.py" for m in range(8)]


def test_an_agent_keeps_asking_while_index_runs_twice_and_the_cli_asks_too(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    repo = make_repo()
    _history(repo, 60)
    first = _symbiote("index", str(repo.path), "--tips-only", "--no-embed", "--jobs", "1")
    assert first.returncode == 0, first.stderr
    answers: list[tuple[str, dict[str, Any]]] = []
    runs: list[subprocess.CompletedProcess[str]] = []
    cli: list[subprocess.CompletedProcess[str]] = []
    phases: list[tuple[str, int]] = []  # (event, answers so far): overlap by order
    owned: list[bool] = []
    store = repo.path / ".git" / "symbiote" / "index.duckdb"

    def terminal() -> None:
        """A person at a terminal: two index runs (the second after new commits) and
        CLI queries, while the agent's session goes on."""
        owned.append(socket_path(store).exists())  # the agent's server owns the store
        phases.append(("first run starts", len(answers)))
        runs.append(_symbiote("index", str(repo.path), "--no-embed", "--jobs", "1", "--json"))
        phases.append(("first run ended", len(answers)))
        cli.append(_symbiote("find", "helper_7", "--repo", str(repo.path), "--json"))
        _history(repo, 20, start=60)
        phases.append(("second run starts", len(answers)))
        runs.append(_symbiote("index", str(repo.path), "--no-embed", "--jobs", "1", "--json"))
        phases.append(("second run ended", len(answers)))
        cli.append(_symbiote("refs", "pkg/mod_0.py::helper_0", "--repo", str(repo.path), "--json"))

    async def agent() -> None:
        params = StdioServerParameters(
            command=sys.executable,
            args=["-m", "symbiote.cli.main", "mcp", "--repo", str(repo.path)],
            env={**HERMETIC_ENV, "PYTHONPATH": str(ROOT)},
            cwd=str(ROOT),
        )
        calls = [
            ("find", {"query": "helper_7", "mode": "exact"}),
            ("outline", {"path": "pkg/mod_3.py"}),
            ("refs", {"symbol": "pkg/mod_0.py::helper_0", "limit": 5}),
            ("status", {}),
        ]
        with (tmp_path / "mcp.stderr").open("w") as errlog:
            async with stdio_client(params, errlog=errlog) as (read, write):
                async with ClientSession(read, write) as session:
                    await session.initialize()
                    # The server opens the store on a thread; the first call waits for it.
                    first = await session.call_tool(*calls[0])
                    answers.append((calls[0][0], _payload(first)))
                    done = anyio.Event()

                    async def person() -> None:
                        await anyio.to_thread.run_sync(terminal)
                        done.set()

                    async with anyio.create_task_group() as tasks:
                        tasks.start_soon(person)
                        i = 1
                        while not done.is_set() or i < 8:
                            name, arguments = calls[i % len(calls)]
                            result = await session.call_tool(name, arguments)
                            answers.append((name, _payload(result)))
                            i += 1

    anyio.run(agent)

    assert [r.returncode for r in runs] == [0, 0], [r.stderr for r in runs]
    summaries = [json.loads(r.stdout)["results"][0] for r in runs]
    assert [s["commits_indexed"] for s in summaries] == [59, 20]  # the tip was indexed first
    assert all(c.returncode == 0 for c in cli), [c.stdout for c in cli]
    found = json.loads(cli[0].stdout)
    assert [r["path"] for r in found["results"]] == HELPER_7
    assert json.loads(cli[1].stdout)["total"] == 10  # every module imports helper_0

    errors = [(name, p) for name, p in answers if not p["ok"]]
    assert errors == []  # zero errors
    for name, payload in answers:  # every answer right
        rows = payload["results"]
        if name == "find":
            assert [r["path"] for r in rows] == HELPER_7
        elif name == "outline":
            names = [r["symbol"]["qualified_name"] for r in rows]
            assert names == [f"helper_{k}" for k in range(3, 15)]
        elif name == "refs":
            assert payload["total"] == 10 and len(rows) == 5
        else:
            assert 1 <= rows[0]["commits"] <= 80
    events = dict(phases)
    assert events["first run ended"] > events["first run starts"]  # asked during the runs
    assert events["second run ended"] > events["second run starts"]
    assert "Traceback" not in (tmp_path / "mcp.stderr").read_text()
    # The agent's server owned the store (the runs happened in it) and let go at exit.
    assert owned == [True]
    assert not socket_path(store).exists()
    status = _symbiote("status", "--repo", str(repo.path), "--json")
    assert json.loads(status.stdout)["results"][0]["commits"] == 80


def test_a_query_during_an_index_run_is_answered_by_the_run(make_repo: MakeRepo) -> None:
    repo = make_repo()
    _history(repo, 150)
    index_repository(repo.path, options=IndexOptions(jobs=1, history=0))  # HEAD only
    run = _popen(
        "index", str(repo.path), "--no-embed", "--jobs", "1", "--json",
        env={"SYMBIOTE_PROGRESS_SECONDS": "0"},
    )  # fmt: skip
    assert run.stderr is not None
    first = run.stderr.readline()  # the run owns the store and has begun
    assert first.startswith("indexing: 0/150 commits"), first  # the total before any batch
    asked = _symbiote("find", "helper_7", "--repo", str(repo.path), "--json")
    out, err = run.communicate()
    assert run.returncode == 0, err
    assert asked.returncode == 0, asked.stdout + asked.stderr
    assert [r["path"] for r in json.loads(asked.stdout)["results"]] == HELPER_7
    assert json.loads(out)["results"][0]["commits_indexed"] == 149
    lines = (first + err).splitlines()
    assert lines[-1].startswith("indexing: 150/150 commits")
    counted = [line for line in lines if not line.startswith("indexing: 0/150 commits")]
    assert counted and all(" · ETA " in line for line in counted), lines  # a rate, once due
    assert any(" 32 blobs parsed" in line for line in lines[:-1]), lines  # during a batch


HOLD = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)  # another program reading the store
print("holding", flush=True)
sys.stdin.readline()
"""


def test_a_command_waits_for_a_store_held_by_a_process_that_answers_nothing(
    make_repo: MakeRepo,
) -> None:
    repo = make_repo()
    _history(repo, 3)
    index_repository(repo.path, options=IndexOptions(jobs=1, history=0))
    store = repo.path / ".git" / "symbiote" / "index.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(store)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdin is not None
        assert holder.stdout.readline() == "holding\n"
        # Held past the wait: the one error shape, naming the holder, no DuckDB text. The
        # wait counts from the first refusal, so the notice comes however slow that was.
        refused = _symbiote(
            "index", str(repo.path), "--no-embed", "--json", env={"SYMBIOTE_WAIT_SECONDS": "0.3"}
        )
        assert refused.returncode == 1
        error = json.loads(refused.stdout)["error"]
        assert error["type"] == "StoreLocked" and error["pid"] == holder.pid
        assert f"held by process {holder.pid} after 0.3 s of waiting" in error["message"]
        assert "Conflicting lock" not in refused.stdout + refused.stderr
        assert f"held by process {holder.pid}; waiting for it" in refused.stderr
        # Let go while a run waits: the run goes on.
        run = _popen("index", str(repo.path), "--no-embed", "--jobs", "1", "--json")
        assert run.stderr is not None
        assert "waiting for it" in run.stderr.readline()
        holder.stdin.write("\n")
        holder.stdin.flush()
        out, err = run.communicate()
        assert run.returncode == 0, err
        assert json.loads(out)["results"][0]["commits_indexed"] == 2
    finally:
        holder.kill()
        holder.wait()


def test_an_index_run_sent_to_the_owner_shows_its_progress_here(make_repo: MakeRepo) -> None:
    repo = make_repo()
    _history(repo, 30)
    index_repository(repo.path, options=IndexOptions(jobs=1, history=0))
    server = _popen("serve", str(repo.path))
    try:
        assert server.stderr is not None
        assert "answering on" in server.stderr.readline()
        run = _symbiote(
            "index", str(repo.path), "--no-embed", "--jobs", "1", "--json",
            env={"SYMBIOTE_PROGRESS_SECONDS": "0"},
        )  # fmt: skip
    finally:
        server.terminate()
        server.wait()
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["results"][0]["commits_indexed"] == 29
    lines = run.stderr.splitlines()
    assert lines[0].startswith("indexing: 0/30 commits"), lines
    assert lines[-1].startswith("indexing: 30/30 commits"), lines


def test_a_progress_line_counts_the_rate_from_where_this_run_began() -> None:
    lines: list[str] = []

    class Log:
        def write(self, text: str) -> None:
            lines.append(text)

        def flush(self) -> None:
            pass

        def isatty(self) -> bool:
            return False

    now = [1000.0]
    meter = Meter("indexing", "commits · {blobs} blobs", stream=Log(), clock=lambda: now[0])  # type: ignore[arg-type]
    meter.update(completed=100, total=1100, blobs=0)  # under the interval: no line
    now[0] += 6.0
    meter.update(completed=100, blobs=0)  # done before this run: no rate yet
    now[0] += 10.0
    meter.update(completed=300, blobs=4000)
    first, second = [line.strip() for line in lines if line.strip()]
    assert first == "indexing: 100/1100 commits · 0 blobs · 9.1 % · 6s elapsed"
    assert second == (
        "indexing: 300/1100 commits · 4000 blobs · 27.3 % · 12.5/s · ETA 1m04s · 16s elapsed"
    )
