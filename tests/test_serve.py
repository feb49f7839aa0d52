"""`symbiote serve`: while an index run writes, another process's queries and agent-log
writes keep being answered, and every acknowledged write is there afterwards."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from symbiote.indexer import IndexOptions, index_repository
from symbiote.indexer.journal import read_journal
from tests.conftest import HERMETIC_ENV, GitRepo

MakeRepo = Callable[..., GitRepo]
ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, **HERMETIC_ENV, "PYTHONPATH": str(ROOT)}

# Another process: N queries and N log writes through the server, one JSON line per
# answer appended to a file (read while the client runs).
CLIENT = """
import json, sys
from symbiote.cli.arguments import parse
from symbiote.cli.route import route
repo, n, answers = sys.argv[1], int(sys.argv[2]), open(sys.argv[3], "a")
calls = [
    ["find", "helper_7", "--repo", repo, "--json"],
    ["outline", "pkg/mod_3.py", "--repo", repo, "--json"],
    ["refs", "pkg/mod_1.py::helper_1", "--repo", repo, "--json"],
    ["status", "--repo", repo, "--json"],
]
for i in range(n):
    for argv in (calls[i % len(calls)], ["log", "critique", "pkg/mod_2.py::helper_2",
                 "--agent", "a", "--category", "style", "--severity", "low",
                 "--text", f"note {i}", "--repo", repo, "--json"]):
        request = parse(argv)
        reply = route(request.verb.name, request.arguments, request.repo, request.store)
        assert reply is not None, "no server"
        code, payload, _ = reply
        print(json.dumps({"verb": argv[0], "ok": payload["ok"],
                          "id": (payload.get("results") or [{}])[0].get("id")
                          if argv[0] == "log" else None,
                          "error": payload.get("error")}), file=answers, flush=True)
"""


def _history(make_repo: MakeRepo, commits: int) -> GitRepo:
    repo = make_repo()
    for c in range(commits):
        for m in range(c % 3, 10, 3):
            body = "".join(
                f"def helper_{k}(x):\n    return x + {k} + {c}\n\n\n" for k in range(m, m + 12)
            )
            repo.write(f"pkg/mod_{m}.py", f"from pkg.mod_0 import helper_0\n\n\n{body}")
        repo.commit(f"commit {c}")
    return repo


def _symbiote(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "symbiote.cli.main", *args],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        check=False,
    )


@contextmanager
def _serving(repo: GitRepo, *options: str) -> Iterator[None]:
    """`symbiote serve` for ``repo``, from the moment it answers until the block ends."""
    server = subprocess.Popen(
        [sys.executable, "-m", "symbiote.cli.main", "serve", str(repo.path), *options],
        cwd=ROOT,
        env=ENV,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stderr is not None
        assert "answering on" in server.stderr.readline()
        yield
    finally:
        server.terminate()
        server.wait()


def _answered(path: Path) -> list[dict[str, Any]]:
    """The client's complete answer lines so far."""
    text = path.read_text() if path.exists() else ""
    return [json.loads(line) for line in text[: text.rfind("\n") + 1].splitlines()]


def test_queries_and_log_writes_go_on_while_the_index_runs(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    repo = _history(make_repo, 150)
    index_repository(repo.path, options=IndexOptions(jobs=1, history=0))  # HEAD only
    store = repo.path / ".git" / "symbiote" / "index.duckdb"
    answers_file = tmp_path / "answers.jsonl"
    with _serving(repo):
        client = subprocess.Popen(
            [sys.executable, "-c", CLIENT, str(repo.path), "1000", str(answers_file)],
            cwd=ROOT,
            env=ENV,
        )
        deadline = time.monotonic() + 600  # a bound on a hang; nothing is measured
        while len(_answered(answers_file)) < 100 and client.poll() is None:
            assert time.monotonic() < deadline, "the client answered nothing"
            time.sleep(0.05)  # polling the file
        # Overlap is shown by order of events, not by clocks: answers before the run
        # started, and more of them by the time it ended.
        before = len(_answered(answers_file))
        run = _symbiote("index", str(repo.path), "--no-embed", "--jobs", "1", "--json")
        by_the_end = len(_answered(answers_file))
        assert client.wait() == 0
    answers = _answered(answers_file)
    assert run.returncode == 0, run.stdout + run.stderr
    summary = json.loads(run.stdout)["results"][0]
    assert summary["commits_indexed"] == 149  # the whole history, in the server

    assert len(answers) == 2000
    assert [a for a in answers if not a["ok"]] == []  # 0 errors
    assert before < len(answers) and by_the_end > before  # answered while the run went on
    acknowledged = [a["id"] for a in answers if a["verb"] == "log"]
    assert len(set(acknowledged)) == 1000
    in_journal = [e["id"] for e in read_journal(store) if e["kind"] == "critique"]
    assert in_journal == acknowledged  # 0 lost, in order

    # After the server: the tables hold every acknowledged write exactly once.
    assert not (store.parent / "index.duckdb.sock").exists()
    applied = _symbiote("log", "apply", "--repo", str(repo.path), "--json")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    counted = _symbiote(
        "sql", "SELECT count(*) AS n, count(DISTINCT id) AS d FROM agent_critiques",
        "--repo", str(repo.path), "--json",
    )  # fmt: skip
    assert json.loads(counted.stdout)["results"] == [{"n": 1000, "d": 1000}]


def test_mcp_tools_and_a_sandboxed_sql_are_answered_by_the_server(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    import anyio

    from tests.test_mcp import _calls

    repo = _history(make_repo, 2)
    index_repository(repo.path, options=IndexOptions(jobs=1))
    with _serving(repo):
        critique = {"path": "pkg/mod_1.py", "qualified_name": "helper_1", "agent": "m",
                    "category": "test", "severity": "info", "text": "untested"}  # fmt: skip
        # The shared instance keeps the read sandbox: no files, no settings, no writes.
        for attempt in (
            "SELECT * FROM read_csv('/etc/passwd')",
            "SELECT * FROM read_text('/etc/hostname')",
            "SELECT * FROM glob('/etc/*')",
            "SET enable_external_access = true",
            "DELETE FROM code_symbols",
        ):
            refused = _symbiote("sql", attempt, "--repo", str(repo.path), "--json")
            assert refused.returncode == 1, attempt
            assert json.loads(refused.stdout)["error"]["type"] == "QueryError", attempt
        with (tmp_path / "mcp.stderr").open("w") as errlog:
            found, recorded, lessons = anyio.run(
                _calls,
                repo,
                [
                    ("find", {"query": "helper_1", "mode": "exact"}),
                    ("record_critique", critique),
                    ("lessons", {"target": "pkg/mod_1.py::helper_1"}),
                ],
                errlog,
            )
    # This MCP process could not open the store (the server holds it): the server answered.
    assert "Traceback" not in (tmp_path / "mcp.stderr").read_text()
    assert [r["path"] for r in found["results"]] == ["pkg/mod_0.py", "pkg/mod_1.py"]
    assert recorded["ok"] is True
    assert [x["text"] for x in lessons["results"]] == ["untested"]


def test_a_writer_closes_while_another_connection_has_a_write_open(tmp_path: Path) -> None:
    """Under `symbiote serve` the store is one DuckDB instance shared by connections; a
    writer that finishes while another connection's write transaction is open cannot
    checkpoint. Its writes are committed, so closing leaves the checkpoint for later."""
    import duckdb

    from symbiote.indexer.store import Store, open_shared

    path = tmp_path / "index.duckdb"
    shared = open_shared(path)
    other = duckdb.connect(str(path))  # the same instance, as a reader or writer in serve
    other.execute("BEGIN TRANSACTION")
    other.execute("INSERT INTO index_meta VALUES ('other', '1')")
    store = Store(path)
    store.set_meta({"writer": "1"})
    store.close()  # CHECKPOINT is refused while `other` writes: not an error
    other.execute("COMMIT")
    rows = shared.execute(
        "SELECT key, value FROM index_meta WHERE key IN ('other', 'writer') ORDER BY key"
    ).fetchall()
    assert rows == [("other", "1"), ("writer", "1")]
    other.close()
    shared.close()


def test_repairs_and_embed_runs_take_turns_with_other_writers(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    """Under `symbiote serve` each command runs on a thread of one process: a repair
    waits for the index run (or agent-log apply) writing the store, and an embed run
    waits for another writer of the search sidecar, instead of writing alongside it."""
    import threading

    from symbiote.indexer import EmbedOptions, embed_repository, verify_store
    from symbiote.indexer.sidecar import SIDECAR_WRITER
    from symbiote.indexer.store import WRITER

    repo = _history(make_repo, 2)
    store = tmp_path / "index.duckdb"
    index_repository(repo.path, store, IndexOptions(jobs=1))
    runs: list[tuple[Any, Callable[[], object]]] = [
        (WRITER, lambda: verify_store(repo.path, store, repair=True)),
        (SIDECAR_WRITER, lambda: embed_repository(repo.path, store, EmbedOptions(text_only=True))),
    ]
    for lock, run in runs:
        results: list[object] = []
        thread = threading.Thread(target=lambda run=run, out=results: out.append(run()))
        with lock:  # another writer holds it
            thread.start()
            thread.join(2.0)
            assert thread.is_alive() and not results  # waiting for its turn
        thread.join(60.0)
        assert len(results) == 1  # and done once the other writer finished


def test_writers_keep_the_settings_of_the_served_instance(tmp_path: Path) -> None:
    """DuckDB settings belong to the instance that `symbiote serve` shares with every
    reader: a writer leaves them as they are, except that an index run's own memory
    limit, when larger than the owner's, holds while it runs; and it configures its own
    instance once the store is no longer served."""
    from symbiote.indexer.store import Store, open_shared

    path = tmp_path / "index.duckdb"
    settings = "SELECT current_setting('memory_limit'), current_setting('preserve_insertion_order')"
    shared = open_shared(path)
    served = shared.execute(settings).fetchone()
    assert served is not None
    with Store(path) as store:  # a writer with no limit of its own: the owner's
        assert store.rows(settings) == [served]
    with Store(path, memory_limit="300MB") as store:
        assert store.rows(settings) == [("286.1 MiB", served[1])]
    with Store(path, memory_limit="40MB") as store:  # smaller: the owner's holds
        assert store.rows(settings) == [served]
    assert shared.execute(settings).fetchone() == served
    shared.close()
    with Store(path, memory_limit="300MB") as store:
        assert store.rows("SELECT current_setting('memory_limit')") != [served[:1]]


def test_a_job_ending_while_the_instance_holds_more_than_the_owners_limit(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A write job's end lowers the served instance's memory limit to the owner's; when
    DuckDB holds more than that and cannot let it go (here a temporary table with no
    temporary directory to spill to; on a large store, its indexes), the larger limit
    stays, with a line in the log and no error, until a later job's end lowers it."""
    from symbiote.indexer import duck, store

    path = tmp_path / "index.duckdb"
    limit = "SELECT current_setting('memory_limit')"
    con = duck.connect(path)
    con.execute("SET temp_directory = ''")
    store._hold_limit(path, con, "600MB", add=True)  # a write job with a larger limit
    con.execute("CREATE TEMP TABLE held AS SELECT md5(range::VARCHAR) AS h FROM range(3000000)")
    assert duck.set_memory_limit(con, "4MB", "600MB") is False
    assert con.execute(limit).fetchone() == ("572.2 MiB",)
    with caplog.at_level(logging.INFO, logger="symbiote.indexer.store"):
        store._hold_limit(path, con, "600MB", add=False)  # its end
    assert con.execute(limit).fetchone() == ("572.2 MiB",)
    assert [r.levelno for r in caplog.records if "stays above" in r.message] == [logging.INFO]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    con.execute("DROP TABLE held")
    store._hold_limit(path, con, None, add=False)  # a later job's end
    assert con.execute(limit).fetchone() == ("61.0 MiB",)  # the owner's, 64 MB
    con.close()


def test_a_query_past_the_memory_limit_is_out_of_memory(tmp_path: Path) -> None:
    """A query that needs more than the instance's memory limit leaves DuckDB as
    OutOfMemory (a StoreError) with the limit's message, whatever error its caller
    named: callers can tell it apart (history reads by a scan then) and users see why."""
    from symbiote.indexer import duck
    from symbiote.indexer.errors import OutOfMemory, QueryError, StoreError

    con = duck.connect(tmp_path / "index.duckdb")
    try:
        con.execute("SET temp_directory = ''")  # nowhere to spill to
        con.execute("SET memory_limit = '16MB'")
        with pytest.raises(OutOfMemory) as caught:
            with duck.translated(QueryError, "SQL failed"):
                con.execute(
                    "CREATE TEMP TABLE held AS SELECT md5(range::VARCHAR) FROM range(3000000)"
                )
        assert isinstance(caught.value, StoreError)
        message = str(caught.value)
        assert re.fullmatch(
            r"SQL failed: out of memory \(.* of size .* used\)\); ask for less, or give "
            r"the store's owner more \(`symbiote serve --memory-limit`, `symbiote mcp "
            r"--memory-limit`\)",
            message,
        ), message
        assert con.execute("SELECT 42").fetchone() == (42,)  # the connection goes on
    finally:
        con.close()


def test_serve_keeps_the_memory_limit_it_is_given(make_repo: MakeRepo) -> None:
    """An owner's DuckDB cache is 64 MB unless `--memory-limit` says otherwise; the
    questions it answers read with that cache."""
    from symbiote.cli.admin import SERVED_LIMIT
    from symbiote.indexer.store import SERVED_MEMORY_LIMIT

    assert f"default {SERVED_MEMORY_LIMIT}" in SERVED_LIMIT.help
    repo = _history(make_repo, 1)
    index_repository(repo.path, options=IndexOptions(jobs=1))
    asked = "SELECT current_setting('memory_limit') AS limit"
    for options, limit in (((), "61.0 MiB"), (("--memory-limit", "200MB"), "190.7 MiB")):
        with _serving(repo, *options):
            answer = _symbiote("sql", asked, "--repo", str(repo.path), "--json")
        assert json.loads(answer.stdout)["results"] == [{"limit": limit}], options


def test_mcp_keeps_the_memory_limit_it_is_given(make_repo: MakeRepo, tmp_path: Path) -> None:
    """`symbiote mcp --memory-limit` sizes DuckDB's cache of the store it comes to own."""
    import anyio

    from tests.test_mcp import _calls

    repo = _history(make_repo, 1)
    index_repository(repo.path, options=IndexOptions(jobs=1))
    asked = {"query": "SELECT current_setting('memory_limit') AS limit"}
    with (tmp_path / "mcp.stderr").open("w") as errlog:
        (answer,) = anyio.run(_calls, repo, [("sql", asked)], errlog, "--memory-limit", "200MB")
    assert answer["results"] == [{"limit": "190.7 MiB"}]
