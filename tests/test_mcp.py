"""The MCP server end to end: ``symbiote mcp`` as a subprocess, driven by the SDK's own
stdio client, answering with the CLI's JSON contract."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
from mcp import ClientSession, StdioServerParameters, stdio_client
from mcp.types import CallToolResult, TextContent

from symbiote.indexer import IndexOptions, index_repository
from symbiote.indexer.embed_job import EmbedOptions, embed_repository
from tests.conftest import HERMETIC_ENV, GitRepo

MakeRepo = Callable[..., GitRepo]
ROOT = Path(__file__).resolve().parent.parent  # what `python -m cli.main` needs on the path

TOOLS = {
    "find",
    "goto",
    "refs",
    "outline",
    "callers",
    "callees",
    "history",
    "diff",
    "sql",
    "symbols",
    "search",
    "sidecar_show",
    "sidecar_stale",
    "sidecar_set",
    "record_critique",
    "record_action",
    "record_outcome",
    "lessons",
    "recall_critiques",
    "success_rates",
    "status",
    "languages",
}
WRITERS = {"sidecar_set", "record_critique", "record_action", "record_outcome"}

UTIL = 'def helper(x):\n    """Add one."""\n    return x + 1\n'
MAIN = (
    "from app.util import helper\n\n\nclass Runner:\n    def run(self):\n        return helper(2)\n"
)


def _payload(result: CallToolResult) -> dict[str, Any]:
    """The tool's JSON object; its text block and its structured content must agree."""
    assert len(result.content) == 1
    block = result.content[0]
    assert isinstance(block, TextContent)
    payload: dict[str, Any] = json.loads(block.text)
    assert result.structured_content == payload
    assert result.is_error is (not payload["ok"])
    return payload


def _server(repo: GitRepo, *options: str) -> StdioServerParameters:
    """`symbiote mcp` for ``repo``, as the SDK's stdio client starts it."""
    return StdioServerParameters(
        command=sys.executable,
        args=["-m", "symbiote.cli.main", "mcp", "--repo", str(repo.path), *options],
        env={**HERMETIC_ENV, "PYTHONPATH": str(ROOT)},
        cwd=str(ROOT),
    )


def _sym(s: dict[str, Any]) -> tuple[Any, ...]:
    return (s["path"], s["qualified_name"], s["kind"], s["start_line"], s["end_line"])


async def _session(repo: GitRepo, errlog: Any) -> dict[str, Any]:
    """Talk to the server over stdio; return every answer keyed by a label."""
    params = _server(repo)
    out: dict[str, Any] = {}
    async with stdio_client(params, errlog=errlog) as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            out["server"] = init.server_info.name
            out["tools"] = (await session.list_tools()).tools
            calls: dict[str, tuple[str, dict[str, Any]]] = {
                "find": ("find", {"query": "helper"}),
                "outline": ("outline", {"path": "app/main.py"}),
                "refs": ("refs", {"target": "app/util.py::helper"}),
                "callees": ("callees", {"target": "app/main.py::Runner.run", "depth": 1}),
                "callers": ("callers", {"target": "app/util.py::helper", "at": "main"}),
                "goto": ("goto", {"path": "app/main.py", "line": 6, "col": 15}),
                "unknown_ref": ("refs", {"target": "app/util.py::helper", "at": "nope"}),
                "unknown_def": ("callees", {"target": "app/main.py::missing"}),
                "search": ("search", {"text": "add one to a number", "k": 1}),
            }
            for label, (name, arguments) in calls.items():
                out[label] = _payload(await session.call_tool(name, arguments))
            # Out of the published bounds: the SDK rejects the arguments itself.
            out["too_many"] = await session.call_tool("find", {"query": "x", "limit": 501})
    return out


def test_mcp_server_over_stdio(make_repo: MakeRepo, tmp_path: Path) -> None:
    repo = make_repo()
    repo.write("app/util.py", UTIL)
    repo.write("app/main.py", MAIN)
    head = repo.commit("one")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    embed_repository(repo.path, options=EmbedOptions())

    errlog_path = tmp_path / "server.stderr"
    with errlog_path.open("w") as errlog:
        out = anyio.run(_session, repo, errlog)
    stderr = errlog_path.read_text()
    assert "Traceback" not in stderr, stderr

    # The tool list: exactly one tool per verb, each with a described, typed input schema.
    assert out["server"] == "symbiote"
    tools = {t.name: t for t in out["tools"]}
    assert set(tools) == TOOLS
    for name, tool in tools.items():
        schema = tool.input_schema
        assert schema["type"] == "object" and "properties" in schema, name
        assert (name in ("status", "success_rates")) == (not schema["properties"]), name
        assert tool.description and "ok" in tool.description, name
        writes = name in WRITERS  # a sidecar file or the agent log
        assert tool.annotations is not None and tool.annotations.read_only_hint is not writes
        assert tool.output_schema is not None and "ok" in tool.output_schema["properties"]
    assert tools["find"].input_schema["required"] == ["query"]
    assert tools["find"].input_schema["properties"]["limit"]["maximum"] == 500
    assert tools["goto"].input_schema["properties"]["line"]["minimum"] == 1
    assert tools["goto"].input_schema["properties"]["col"]["minimum"] == 0
    assert tools["callers"].input_schema["properties"]["depth"]["maximum"] == 10

    helper = ("app/util.py", "helper", "function", 1, 3)

    find = out["find"]
    assert find["ok"] is True and find["commit"] == head
    assert [_sym(s) for s in find["results"]] == [helper]
    assert find["results"][0]["signature"] == "def helper(x)"
    assert find["results"][0]["docstring"] == "Add one."
    assert find["results"][0]["commit"] == head

    outline = out["outline"]
    assert outline["ok"] is True and outline["commit"] == head
    [runner] = outline["results"]
    assert _sym(runner["symbol"]) == ("app/main.py", "Runner", "class", 4, 6)
    assert [(_sym(c["symbol"]), c["children"]) for c in runner["children"]] == [
        (("app/main.py", "Runner.run", "method", 5, 6), [])
    ]

    refs = out["refs"]
    assert refs["ok"] is True and refs["commit"] == head
    assert [
        (r["path"], r["line"], r["col"], r["kind"], r["enclosing"], r["resolution"])
        for r in refs["results"]
    ] == [
        ("app/main.py", 1, 21, "import", None, "import"),
        ("app/main.py", 6, 15, "call", "Runner.run", "import"),
    ]
    assert _sym(refs["target"]) == helper and len(refs["results"]) == 2
    assert all("target" not in r for r in refs["results"])

    callees = out["callees"]
    assert callees["ok"] is True and callees["commit"] == head
    [edge] = callees["results"]
    assert _sym(edge["caller"]) == ("app/main.py", "Runner.run", "method", 5, 6)
    assert _sym(edge["callee"]) == helper
    assert (edge["site"]["path"], edge["site"]["line"], edge["site"]["col"]) == (
        "app/main.py",
        6,
        15,
    )
    assert (edge["site"]["resolution"], edge["depth"]) == ("import", 1)

    callers = out["callers"]
    assert callers["ok"] is True and callers["commit"] == head
    assert [e["caller"]["qualified_name"] for e in callers["results"]] == ["Runner.run"]

    goto = out["goto"]
    assert [(_sym(s), s["resolution"]) for s in goto["results"]] == [(helper, "import")]

    # Errors keep the CLI's shape, never a traceback.
    assert out["unknown_ref"]["ok"] is False
    assert set(out["unknown_ref"]) == {"ok", "error"}
    assert out["unknown_ref"]["error"]["type"] == "UnknownRevision"
    assert "nope" in out["unknown_ref"]["error"]["message"]
    assert out["unknown_def"]["error"]["type"] == "UnknownDefinition"

    search = out["search"]  # hybrid: words and meaning, with the commit's coverage
    assert search["ok"] is True and search["commit"] == head
    assert [_sym(s) for s in search["results"]] == [helper]
    assert search["results"][0]["distance"] is not None
    cover = search["coverage"]  # one-line bodies are text-only by rule
    assert (cover["embedded"], cover["text_only"], cover["keys"], cover["complete"]) == (
        2,
        1,
        3,
        True,
    )

    too_many = out["too_many"]
    assert too_many.is_error is True
    assert "limit" in json.dumps([c.model_dump() for c in too_many.content])


def test_mcp_search_at_an_older_commit(make_repo: MakeRepo, tmp_path: Path) -> None:
    repo = make_repo()
    repo.write("net.py", "def retry_request(url):\n    return fetch(url)\n")
    repo.write("util.py", UTIL)
    old = repo.commit("one")
    repo.remove("net.py")
    head = repo.commit("two")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    embed_repository(repo.path, options=EmbedOptions(revisions=(old, head)))
    with (tmp_path / "server.stderr").open("w") as errlog:
        search = {"text": "retry a failed request", "k": 2}
        calls = [("search", {**search, "at": rev}) for rev in (old, "HEAD")]
        at_old, at_head = anyio.run(_calls, repo, calls, errlog)
    assert at_old["commit"] == old and at_head["commit"] == head
    assert [r["qualified_name"] for r in at_old["results"]][0] == "retry_request"
    assert "retry_request" not in [r["qualified_name"] for r in at_head["results"]]
    cover = at_old["coverage"]  # retry_request is a one-line body: text-only by rule
    assert (cover["embedded"], cover["text_only"], cover["keys"], cover["complete"]) == (
        1,
        1,
        2,
        True,
    )


async def _calls(
    repo: GitRepo, calls: list[tuple[str, dict[str, Any]]], errlog: Any, *options: str
) -> list[dict[str, Any]]:
    """One server session (``symbiote mcp`` with ``options``) making ``calls`` in order;
    their payloads."""
    params = _server(repo, *options)
    async with stdio_client(params, errlog=errlog) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            return [_payload(await session.call_tool(name, args)) for name, args in calls]


def test_mcp_sidecar_notes_are_written_then_read_at_commits(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    repo = make_repo()
    repo.write("app/util.py", UTIL)
    repo.commit("one")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    with (tmp_path / "server.stderr").open("w") as errlog:
        written, escape = anyio.run(
            _calls,
            repo,
            [
                ("sidecar_set", {"path": "app/util.py", "qualified_name": "helper",
                                 "warnings": ["callers expect x + 1"]}),
                ("sidecar_set", {"path": "../escape.py", "summary": "no"}),
            ],
            errlog,
        )  # fmt: skip
    assert written["ok"] is True and written["results"] == [
        {
            "sidecar_path": "app/util.py.symbiote.json",
            "entry": {
                "body_hash": written["results"][0]["entry"]["body_hash"],
                "warnings": ["callers expect x + 1"],
            },
        }
    ]
    assert escape["ok"] is False and escape["error"]["type"] == "SidecarError"
    noted = repo.commit("note on helper")
    repo.write("app/util.py", UTIL.replace("x + 1", "x + 2"))
    changed = repo.commit("helper adds two")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    with (tmp_path / "server2.stderr").open("w") as errlog:
        shown, stale_then, stale_now = anyio.run(
            _calls,
            repo,
            [
                ("sidecar_show", {"path": "app/util.py", "at": noted}),
                ("sidecar_stale", {"at": noted}),
                ("sidecar_stale", {}),
            ],
            errlog,
        )
    assert [(n["qualified_name"], n["state"], n["warnings"]) for n in shown["results"]] == [
        ("helper", "fresh", ["callers expect x + 1"])
    ]
    assert stale_then["results"] == [] and stale_then["invalid"] == []
    assert stale_now["commit"] == changed
    assert [(n["qualified_name"], n["state"]) for n in stale_now["results"]] == [
        ("helper", "stale")
    ]


async def _log_session(repo: GitRepo, errlog: Any) -> list[dict[str, Any]]:
    params = _server(repo)
    async with stdio_client(params, errlog=errlog) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()

            async def call(name: str, **arguments: Any) -> dict[str, Any]:
                return _payload(await session.call_tool(name, arguments))

            critique = await call(
                "record_critique", path="app/util.py", qualified_name="helper", agent="r",
                category="bug", severity="low", text="no bounds check",
            )  # fmt: skip
            action = await call(
                "record_action", critique=critique["results"][0]["id"], agent="f",
                description="added the check", paths=["app/util.py"],
            )  # fmt: skip
            outcome = await call(
                "record_outcome", action=action["results"][0]["id"], agent="ci",
                verdict="success", evidence={"tests": 4},
            )  # fmt: skip
            bad = await call("record_outcome", action="nope", agent="ci", verdict="success")
            lessons = await call("lessons", target="app/util.py::helper")
            rates = await call("success_rates")
            return [critique, action, outcome, bad, lessons, rates]


def test_mcp_agent_log_round_trip(make_repo: MakeRepo, tmp_path: Path) -> None:
    repo = make_repo()
    repo.write("app/util.py", UTIL)
    head = repo.commit("one")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    with (tmp_path / "server.stderr").open("w") as errlog:
        critique, action, outcome, bad, lessons, rates = anyio.run(_log_session, repo, errlog)
    assert critique["ok"] and critique["commit"] == head
    assert critique["results"][0]["kind"] == "critique"
    assert action["ok"] and outcome["ok"]
    assert bad["ok"] is False and bad["error"]["type"] == "InvalidEntry"
    [lesson] = lessons["results"]
    assert (lesson["text"], lesson["actions"][0]["description"]) == (
        "no bounds check",
        "added the check",
    )
    assert lesson["actions"][0]["outcomes"][0]["evidence"] == {"tests": 4}
    assert [(r["category"], r["agent"], r["rate"]) for r in rates["results"]] == [("bug", "f", 1.0)]


def test_a_tool_call_past_the_time_limit_is_answered_with_an_error(make_repo: MakeRepo) -> None:
    from symbiote.cli.mcp_server import IndexSession, result
    from symbiote.cli.runner import Reply
    from symbiote.cli.table import BY_TOOL
    from symbiote.queries import SqlOptions

    repo = make_repo()
    repo.write("app/util.py", UTIL)
    head = repo.commit("one")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    session = IndexSession(str(repo.path), None, BY_TOOL, call_timeout=0.5)
    release = threading.Event()

    def stuck(_index: Any) -> Reply:  # a call that never ends on its own
        release.wait()
        return 0, {"ok": True}, ""

    def hours(index: Any) -> Reply:  # store work that would take hours
        index.sql("SELECT count(*) FROM range(1000000000000) a", options=SqlOptions(timeout=3600))
        return 0, {"ok": True}, ""

    try:
        for call in (stuck, hours):
            payload = _payload(result(session.answer(call)[1]))
            assert payload["ok"] is False and payload["error"]["type"] == "QueryError"
            assert "longer than 0.5 s (the time limit)" in payload["error"]["message"]
            release.set()  # the abandoned call ends; the store query was interrupted
        session.call_timeout = 60.0
        code, after, _ = session.call(BY_TOOL["status"], {})
        assert code == 0 and after["ok"] is True and after["commit"] == head
        assert after["results"][0]["commits"] == 1
    finally:
        release.set()
        session.close()


def test_calls_made_while_the_server_opens_the_store_wait_for_it_or_say_so(
    make_repo: MakeRepo,
) -> None:
    """The server opens the store on a thread and answers its client within
    ``OPEN_WAIT``: a store written by an older schema is upgraded there (a large one
    takes longer than clients wait for a server to start). A call waits for the opening
    up to its time limit, and past it is told what is going on."""
    import duckdb

    from symbiote.cli.mcp_server import IndexSession
    from symbiote.cli.table import BY_TOOL
    from symbiote.indexer.schema import SCHEMA_VERSION
    from tests.support.old_stores import references_as_schema_7

    repo = make_repo()
    repo.write("app/util.py", UTIL)
    repo.write("app/main.py", MAIN)
    head = repo.commit("one")
    store = index_repository(repo.path, options=IndexOptions(jobs=1)).store
    with duckdb.connect(str(store)) as con:  # the store as schema 7 wrote it
        references_as_schema_7(con)
        con.execute("UPDATE index_meta SET value = '7' WHERE key = 'schema_version'")
    session = IndexSession(str(repo.path), None, BY_TOOL, call_timeout=0.5)
    problems: list[str] = []
    session._lock.acquire()  # the opening is held up, as by a long upgrade
    try:
        session.start(problems.append)
        code, busy, _ = session.call(BY_TOOL["refs"], {"symbol": "app/util.py::helper"})
        assert code == 1 and busy["ok"] is False and busy["error"]["type"] == "StoreError"
        assert busy["error"]["message"].startswith("this server is still opening the store")
    finally:
        session._lock.release()
    try:
        session.call_timeout = 60.0
        code, refs, _ = session.call(BY_TOOL["refs"], {"symbol": "app/util.py::helper"})
        assert code == 0 and refs["ok"] is True and refs["commit"] == head
        assert [(r["path"], r["line"], r["enclosing"]) for r in refs["results"]] == [
            ("app/main.py", 1, None),
            ("app/main.py", 6, "Runner.run"),
        ]
        assert problems == []
    finally:
        session.close()
    with duckdb.connect(str(store), read_only=True) as con:
        assert con.execute(
            "SELECT value FROM index_meta WHERE key = 'schema_version'"
        ).fetchall() == [(str(SCHEMA_VERSION),)]
