"""The contract every verb keeps on every surface: pages that join up to the whole answer,
``truncated``/``total``/``next`` in the envelope and a closing line in the text, bounded
graphs and SQL, one error shape for bad arguments, revisions as git writes them."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from symbiote.cli.main import main
from symbiote.indexer import IndexOptions, index_repository
from tests.conftest import GitRepo

MakeRepo = Callable[..., GitRepo]

CALLS = 30  # uses of `target`, definitions named f*, more than one page of 7


def _source() -> str:
    funcs = "".join(f"def f{i:02}(x):\n    return target(x)\n\n\n" for i in range(CALLS))
    return "def target(x):\n    return x\n\n\n" + funcs


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> GitRepo:
    repo = GitRepo(tmp_path_factory.mktemp("contract") / "repo")
    repo.write("app/mod.py", _source())
    repo.commit("one")
    repo.git("tag", "v1")
    repo.write("app/other.py", "from app.mod import target\n\n\ndef g():\n    return target(1)\n")
    repo.commit("two")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    return repo


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    """``symbiote ARGV --json`` in this process: its exit code and its one JSON object."""
    code = main([*argv, "--json"])
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1, out
    return code, json.loads(out[0])


def text(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def pages(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[list[Any], list[dict[str, Any]]]:
    """Every page of an answer, following ``next``: all results and the envelopes."""
    results: list[Any] = []
    envelopes: list[dict[str, Any]] = []
    cursor: list[str] = []
    for _ in range(50):
        code, out = run(capsys, *argv, *cursor)
        assert code == 0, out
        envelopes.append(out)
        results.extend(out["results"])
        if out["next"] is None:
            assert out["truncated"] is False
            return results, envelopes
        assert out["truncated"] is True
        cursor = ["--cursor", out["next"]]
    raise AssertionError("pages never ended")


PAGED = [
    ["find", "f", "--mode", "prefix"],
    ["refs", "app/mod.py::target"],
    ["callers", "app/mod.py::target"],
    ["symbols", "--path", "app/mod.py"],
    ["sql", "SELECT qualified_name FROM symbols_at(?) ORDER BY 1"],
]


@pytest.mark.parametrize("argv", PAGED, ids=lambda a: a[0])
def test_pages_join_up_to_the_whole_answer(
    repo: GitRepo, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    where = ["--repo", str(repo.path)]
    if argv[0] == "sql":  # the SQL's own parameter is the commit
        argv = ["sql", argv[1].replace("?", f"'{repo.head()}'")]
    code, whole = run(capsys, *argv, *where, "--limit", "500")
    assert code == 0 and whole["truncated"] is False and whole["next"] is None
    assert len(whole["results"]) > 7, whole
    assert whole["total"] == len(whole["results"]) and whole["total_exact"] is True

    joined, envelopes = pages(capsys, *argv, *where, "--limit", "7")
    assert joined == whole["results"]
    assert len(envelopes) == -(-len(joined) // 7)
    assert all(len(e["results"]) == 7 for e in envelopes[:-1])
    for i, e in enumerate(envelopes):  # exact, or a lower bound past this page
        seen = 7 * i + len(e["results"])
        assert e["total"] == len(joined) if e["total_exact"] else e["total"] > seen


def test_text_says_how_many_more_and_how_to_get_them(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    where = ["--repo", str(repo.path)]
    code, out = run(capsys, "refs", "app/mod.py::target", *where, "--limit", "500")
    total = out["total"]  # the calls and other.py's import and call
    assert total == CALLS + 2 == len(out["results"])
    code, out, _ = text(capsys, "refs", "app/mod.py::target", *where, "--limit", "5")
    assert code == 0
    last = out.strip().splitlines()[-1]
    assert last.startswith(f"-- {total - 5} more (showing 5); next page: add --cursor ")
    cursor = last.rsplit(" ", 1)[1]
    code, out, _ = text(
        capsys, "refs", "app/mod.py::target", *where, "--limit", "5", "--cursor", cursor
    )
    last = out.strip().splitlines()[-1]
    assert last.startswith(f"-- {total - 10} more (showing 5)"), out
    code, out, _ = text(capsys, "refs", "app/mod.py::target", *where, "--limit", "500")
    assert "more (showing" not in out


def test_refs_carry_the_target_once(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "refs", "app/mod.py::target", "--repo", str(repo.path))
    assert code == 0
    assert out["target"]["qualified_name"] == "target"
    for row in out["results"]:
        assert "target" not in row and "definition" not in row
        assert set(row) >= {"path", "line", "blob"}


def test_a_cursor_pins_its_commit_and_its_question(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    where = ["--repo", str(repo.path)]
    code, first = run(capsys, "find", "f", "--mode", "prefix", *where, "--limit", "3")
    assert first["next"]
    code, other = run(capsys, "find", "g", "--mode", "prefix", *where, "--cursor", first["next"])
    assert code == 1 and other["error"]["type"] == "InvalidArgument"
    assert "another question" in other["error"]["message"]
    code, bad = run(capsys, "find", "f", *where, "--cursor", "not-a-cursor!")
    assert code == 1 and bad["error"]["type"] == "InvalidArgument"
    code, second = run(
        capsys, "find", "f", "--mode", "prefix", *where, "--limit", "3", "--cursor", first["next"]
    )
    assert code == 0 and second["commit"] == first["commit"]
    names = [r["qualified_name"] for r in first["results"] + second["results"]]
    assert len(set(names)) == 6


def test_callers_stop_at_their_node_budget_and_say_so(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    where = ["--repo", str(repo.path)]
    deep = ["callers", "app/mod.py::target", *where, "--depth", "3", "--limit", "500"]
    code, full = run(capsys, *deep)
    assert code == 0 and full["complete"] is True and full["unexpanded"] == []
    assert len(full["results"]) == CALLS + 1
    code, cut = run(capsys, *deep, "--max-nodes", "5")
    assert code == 0 and cut["complete"] is False
    assert len(cut["unexpanded"]) == CALLS + 1 - 4  # the target and 4 callers were seen
    code, out, _ = text(capsys, *deep, "--max-nodes", "5")
    assert "-- stopped at the bound of definitions visited; not followed: " in out


def test_sql_is_bounded_however_large_the_answer(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    where = ["--repo", str(repo.path)]
    huge = "SELECT i, repeat('x', 1000) AS pad FROM range(100000000) t(i)"
    code, out = run(capsys, "sql", huge, *where, "--limit", "500")
    assert code == 0, out
    assert len(out["results"]) <= 500
    assert out["truncated"] is True and out["total_exact"] is False
    assert out["next"] is not None


@pytest.mark.parametrize(
    "argv",
    [
        ["index", ".", "--history", "-1"],
        ["index", ".", "--jobs", "-2"],
        ["index", ".", "--max-bytes", "-5"],
        ["find", "x", "--limit", "501"],
        ["find", "x", "--limit", "0"],
        ["callers", "app/mod.py::target", "--depth", "-1"],
        ["goto", "app/mod.py:0:0"],
        ["goto", "app/mod.py:999:0"],
        ["goto", "app/mod.py:2:-3"],
    ],
    ids=lambda a: " ".join(a),
)
def test_bad_arguments_are_invalid_argument_errors(
    repo: GitRepo, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    where = [] if argv[0] == "index" else ["--repo", str(repo.path)]
    argv = [str(repo.path) if a == "." else a for a in argv]
    code, out = run(capsys, *argv, *where)
    assert code == 1
    assert out["ok"] is False and out["error"]["type"] == "InvalidArgument", out
    assert out["error"]["message"]


def test_goto_past_the_end_names_the_files_length(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, "goto", "app/other.py:99:0", "--repo", str(repo.path))
    assert code == 1
    assert out["error"]["message"] == (
        f"app/other.py has 5 lines at {repo.head()[:12]}; line 99 is past its end"
    )
    code, ok = run(capsys, "goto", "app/other.py:5:12", "--repo", str(repo.path))
    assert code == 0 and ok["results"][0]["qualified_name"] == "target"


def test_goto_text_tells_an_unresolved_name_from_no_name(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    where = ["--repo", str(repo.path)]
    # `from app.mod import target`: the module's name resolves to no definition.
    code, out = run(capsys, "goto", "app/other.py:1:5", *where)
    assert code == 0 and (out["results"], out["resolution"]) == ([], "unresolved")
    code, said, _ = text(capsys, "goto", "app/other.py:1:5", *where)
    assert (code, said) == (
        0,
        "(a name is used there, but no definition in the repository answers it)\n",
    )
    code, said, _ = text(capsys, "goto", "app/other.py:5:20", *where)  # the line's end
    assert (code, said) == (0, "(nothing defined or referenced there)\n")


def test_goto_past_a_lines_end_names_the_lines_length(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    where = ["--repo", str(repo.path)]
    # Line 5 is `    return target(1)`: 20 bytes; its end is a position, past it is not.
    code, end = run(capsys, "goto", "app/other.py:5:20", *where)
    assert code == 0 and end["results"] == [] and end["resolution"] == "none"
    code, out = run(capsys, "goto", "app/other.py:5:21", *where)
    assert code == 1 and out["error"]["type"] == "InvalidArgument"
    assert out["error"]["message"] == (
        f"app/other.py line 5 has 20 bytes at {repo.head()[:12]}; column 21 is past its "
        "end (columns count bytes from 0)"
    )
    code, out = run(capsys, "goto", "app/other.py:2:1", *where)  # an empty line
    assert code == 1 and out["error"]["message"] == (
        f"app/other.py line 2 has 0 bytes at {repo.head()[:12]}; column 1 is past its end "
        "(columns count bytes from 0)"
    )


def test_revisions_as_git_writes_them(repo: GitRepo, capsys: pytest.CaptureFixture[str]) -> None:
    where = ["--repo", str(repo.path)]
    first = repo.git("rev-parse", "v1")
    for rev in ("HEAD~1", "v1", first[:9], "main^", "HEAD@{1}"):
        code, out = run(capsys, "symbols", "--at", rev, *where, "--limit", "1")
        assert code == 0 and out["commit"] == first, (rev, out)
    code, out = run(capsys, "symbols", "--at", "master", *where)
    assert code == 1 and out["error"]["type"] == "UnknownRevision"
    assert "main" in out["error"]["message"]


def test_a_closed_pipe_ends_quietly(repo: GitRepo) -> None:
    command = (
        f"{sys.executable} -m symbiote.cli.main symbols --repo {repo.path} --limit 500 | head -1"
    )
    done = subprocess.run(command, shell=True, capture_output=True, text=True, check=False)
    assert done.stdout.count("\n") == 1
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr


def test_sql_answers_on_a_store_with_no_head(make_repo: MakeRepo, tmp_path: Path) -> None:
    repo = make_repo()
    repo.write("a.py", "def a():\n    pass\n")
    repo.commit("one")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    repo.git("checkout", "-q", "--orphan", "fresh")  # HEAD names a branch with no commit
    done = subprocess.run(
        [sys.executable, "-m", "symbiote.cli.main", "sql", "SELECT count(*) AS n FROM blobs"]
        + ["--repo", str(repo.path), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    out = json.loads(done.stdout)
    assert out["ok"] is True and out["results"] == [{"n": 1}], out


def test_go_names_are_the_same_in_every_verb(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo()
    repo.write("go.mod", "module example.com/demo\n\ngo 1.21\n")
    repo.write(
        "cmd/command.go",
        "package cmd\n\ntype Command struct{}\n\nfunc (c *Command) Execute() error {\n"
        "\treturn c.Run()\n}\n\nfunc (c *Command) Run() error { return nil }\n",
    )
    repo.commit("go")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    where = ["--repo", str(repo.path)]
    code, found = run(capsys, "find", "Command.Run", *where)
    name = found["results"][0]["qualified_name"]
    assert name.endswith("Command.Run"), name
    code, callers = run(capsys, "callers", f"cmd/command.go::{name}", *where)
    assert code == 0 and callers["target"]["qualified_name"] == name
    assert [c["caller"]["qualified_name"] for c in callers["results"]] == [
        name.replace("Run", "Execute")
    ]
    code, refs = run(capsys, "refs", name, *where)
    assert code == 0 and refs["target"]["qualified_name"] == name
    code, history = run(capsys, "history", f"cmd/command.go::{name}", *where)
    assert code == 0 and {h["qualified_name"] for h in history["results"]} == {name}
    # The tail of the qualified name, as `find` matched it, names it in every verb too.
    for verb, target in (
        ("refs", "Command.Run"),
        ("callers", "cmd/command.go::Command.Run"),
        ("history", "cmd/command.go::Command.Run"),
    ):
        code, tail = run(capsys, verb, target, *where)
        if verb == "history":
            assert code == 0 and {h["qualified_name"] for h in tail["results"]} == {name}
        else:
            assert code == 0 and tail["target"]["qualified_name"] == name, (verb, tail)


async def _mcp_calls(repo: GitRepo) -> dict[str, Any]:
    from mcp import ClientSession, StdioServerParameters, stdio_client
    from mcp.types import TextContent

    from tests.conftest import HERMETIC_ENV

    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "symbiote.cli.main", "mcp", "--repo", str(repo.path)],
        env=HERMETIC_ENV,
    )
    out: dict[str, Any] = {"pages": []}

    async def call(session: ClientSession, name: str, arguments: dict[str, Any]) -> Any:
        result = await session.call_tool(name, arguments)
        block = result.content[0]
        assert isinstance(block, TextContent)
        return json.loads(block.text)

    symbol = {"symbol": "app/mod.py::target"}
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            out["unknown"] = await call(session, "find", {"query": "f", "bogus": 1})
            out["wrong_type"] = await call(session, "goto", {"path": "app/mod.py", "line": "2"})
            out["default"] = await call(session, "refs", symbol)
            out["small"] = await call(session, "refs", {**symbol, "max_chars": 1500})
            page = await call(session, "refs", {**symbol, "limit": 500, "max_chars": 2500})
            out["pages"].append(page)
            while page["next"]:
                cursor = {"cursor": page["next"], "limit": 500, "max_chars": 2500}
                page = await call(session, "refs", {**symbol, **cursor})
                out["pages"].append(page)
            out["whole"] = await call(session, "refs", {**symbol, "limit": 500, "max_chars": 10**6})
    return out


def test_mcp_answers_keep_a_size_budget_and_page_on(repo: GitRepo) -> None:
    import anyio

    out = anyio.run(_mcp_calls, repo)
    for label in ("unknown", "wrong_type"):
        assert out[label]["ok"] is False, out[label]
        assert out[label]["error"]["type"] == "InvalidArgument"
    assert "bogus" in out["unknown"]["error"]["message"]
    assert len(out["default"]["results"]) == 20 and out["default"]["truncated"] is True
    small = out["small"]
    assert len(json.dumps(small)) <= 1500 and small["truncated"] is True
    assert 0 < len(small["results"]) < 20
    whole = out["whole"]["results"]
    assert len(whole) == CALLS + 2 and out["whole"]["truncated"] is False
    assert [r for p in out["pages"] for r in p["results"]] == whole
    assert len(out["pages"]) > 2


def test_a_lone_result_too_large_for_the_budget_is_shortened_to_fit() -> None:
    from symbiote.cli import contract
    from symbiote.cli.table import BY_NAME
    from symbiote.cli.verbs import Outcome

    # One class whose members' docstrings together are far over the budget: more long
    # strings than cutting one at a time (64 times) could shorten.
    member = {"symbol": "app.py::Big.m", "docstring": "word " * 60, "children": []}
    big = {"symbol": "app.py::Big", "children": [member] * 120}
    verb = BY_NAME["find"]  # any paged verb whose results are not a tree's nodes
    args = {"query": "Big", "at": "HEAD", "limit": 1, "cursor": None, "max_chars": 16_000}
    page = contract.page(verb, Outcome("c" * 40, [big, big]), args, 0)
    payload = contract.envelope(verb, page, args, 0, max_chars=16_000)
    assert len(contract.dumps(payload)) <= 16_000
    assert payload["cut"] and payload["truncated"] is True
    (shown,) = payload["results"]
    assert len(shown["children"]) == 120
    assert shown["children"][0]["symbol"] == "app.py::Big.m"
    assert shown["children"][0]["docstring"].endswith("...")


def test_a_lone_result_with_too_many_parts_keeps_its_first_ones() -> None:
    from symbiote.cli import contract
    from symbiote.cli.table import BY_NAME
    from symbiote.cli.verbs import Outcome

    # Even with every text cut short, 400 members do not fit: the list keeps its first.
    members = [{"symbol": f"app.py::Big.m{i:03}", "children": []} for i in range(400)]
    big = {"symbol": "app.py::Big", "docstring": "word " * 500, "children": members}
    verb = BY_NAME["find"]  # any paged verb whose results are not a tree's nodes
    args = {"query": "Big", "at": "HEAD", "limit": 5, "cursor": None, "max_chars": 4000}
    page = contract.page(verb, Outcome("c" * 40, [big]), args, 0)
    payload = contract.envelope(verb, page, args, 0, max_chars=4000)
    assert len(contract.dumps(payload)) <= 4000
    assert payload["cut"] and payload["truncated"] is True
    (shown,) = payload["results"]
    kept = shown["children"]
    assert 10 < len(kept) < 400 and kept == members[: len(kept)]
    assert shown["docstring"] == "word " * 8 + "..."


def test_fields_besides_the_results_keep_to_the_budget_too() -> None:
    from symbiote.cli import contract
    from symbiote.cli.table import BY_NAME
    from symbiote.cli.verbs import Outcome

    # A graph walk that stopped at its node budget lists the nodes it did not expand.
    left = [{"symbol": f"app.py::f{i:04}", "path": "app.py"} for i in range(3000)]
    edge = {"caller": {"symbol": "app.py::g"}, "callee": {"symbol": "app.py::f"}, "depth": 1}
    verb = BY_NAME["callers"]
    args = {"symbol": "app.py::f", "at": "HEAD", "depth": 5, "max_nodes": 2000}
    args |= {"min_resolution": "name", "limit": 20, "cursor": None, "max_chars": 16_000}
    outcome = Outcome("c" * 40, [edge] * 30, {"unexpanded": left}, bounded=True)
    payload = contract.envelope(verb, contract.page(verb, outcome, args, 0), args, 0, 16_000)
    assert len(contract.dumps(payload)) <= 16_000
    assert payload["cut"] and payload["truncated"] is True and payload["results"]
    kept = payload["unexpanded"]
    assert 0 < len(kept) < 3000 and kept == left[: len(kept)]


def _nested_source() -> str:
    methods = "".join(f"    def m{i:02}(self):\n        return {i}\n\n" for i in range(12))
    inner = "".join(f"        def i{i}(self):\n            return {i}\n\n" for i in range(4))
    return (
        f"class Big:\n{methods}    class Inner:\n{inner}"
        "    def last(self):\n        return 0\n\n\ndef after():\n    return Big()\n"
    )


def _merge(tree: list[dict[str, Any]], nodes: list[dict[str, Any]]) -> None:
    """A page of an outline joined to the tree so far: a first node marked
    ``continued`` is the tree's last node, and its children follow on."""
    for i, node in enumerate(nodes):
        if i == 0 and node.get("continued"):
            assert tree[-1]["symbol"] == node["symbol"]
            _merge(tree[-1]["children"], node["children"])
        else:
            tree.append(node)


def test_an_outline_pages_by_definitions_inside_its_classes(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    # A file that is one class (as most Java, C# and PHP files are one namespace or
    # class): pages of top-level nodes could not split it.
    repo = make_repo()
    repo.write("app/big.py", _nested_source())
    repo.commit("big")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    where = ["app/big.py", "--repo", str(repo.path)]
    code, whole = run(capsys, "outline", *where, "--limit", "500")
    assert code == 0 and whole["truncated"] is False
    assert [n["symbol"]["name"] for n in whole["results"]] == ["Big", "after"]
    assert whole["total"] == 1 + 12 + 1 + 4 + 1 + 1 and whole["total_exact"] is True

    joined, envelopes = pages(capsys, "outline", *where, "--limit", "5")
    assert len(envelopes) == 4
    second = envelopes[1]["results"]  # m04..m08, inside Big
    assert [(n["symbol"]["name"], n.get("continued")) for n in second] == [("Big", True)]
    assert [c["symbol"]["name"] for c in second[0]["children"]] == [f"m{i:02}" for i in range(4, 9)]
    fourth = envelopes[3]["results"]  # i1..i3 inside Big.Inner, then Big.last, after
    assert [n["symbol"]["name"] for n in fourth] == ["Big", "after"]
    inner, last = fourth[0]["children"]
    assert inner["continued"] and [c["symbol"]["name"] for c in inner["children"]] == [
        "i1",
        "i2",
        "i3",
    ]
    assert last["symbol"]["name"] == "last" and "continued" not in last
    tree: list[dict[str, Any]] = []
    for envelope in envelopes:
        _merge(tree, envelope["results"])
    assert tree == whole["results"]

    code, out, _ = text(capsys, "outline", *where, "--limit", "5", "--cursor", envelopes[0]["next"])
    assert out.splitlines()[:2] == [
        "class Big  (line 1, continued)",
        "  method m04  def m04(self)  (line 14)",
    ]


def test_an_outline_page_keeps_to_its_budget_with_the_classes_it_starts_in() -> None:
    from symbiote.cli import contract
    from symbiote.cli.lookup import outline_entries
    from symbiote.cli.table import BY_NAME
    from symbiote.cli.verbs import Outcome
    from symbiote.queries import OutlineNode, Symbol

    def symbol(name: str, parent: str | None, line: int) -> Symbol:
        qualified = f"{parent}.{name}" if parent else name
        return Symbol(
            commit="c" * 40, path="Big.php", blob="b" * 40, language="php", name=name,
            qualified_name=qualified, kind="method" if parent else "class", parent=parent,
            start_line=line, end_line=line, start_col=0, end_col=1, start_byte=line,
            end_byte=line + 1, signature=f"function {name}()", docstring="word " * 40,
            body_hash="h", type=None,
        )  # fmt: skip

    members = [OutlineNode(symbol(f"m{i:03}", "Big", 2 + i), []) for i in range(200)]
    tree = [OutlineNode(symbol("Big", None, 1), members)]
    outcome = Outcome("c" * 40, outline_entries(tree))
    verb = BY_NAME["outline"]
    args = {"path": "Big.php", "at": "HEAD", "limit": 500, "cursor": None, "max_chars": 6000}
    seen: list[str] = []
    offset, pages = 0, 0
    while True:
        page = contract.page(verb, outcome, args, offset)
        payload = contract.envelope(verb, page, args, offset, max_chars=6000)
        assert len(contract.dumps(payload)) <= 6000 and "cut" not in payload
        (big,) = payload["results"]
        assert big["symbol"]["name"] == "Big" and big.get("continued", False) is (offset > 0)
        seen += [c["symbol"]["name"] for c in big["children"]]
        pages += 1
        if payload["next"] is None:
            break
        assert payload["truncated"] is True and payload["total"] == 201
        offset = contract.start(verb, {**args, "cursor": payload["next"]})[1]
    assert seen == [f"m{i:03}" for i in range(200)] and pages > 10


def test_brief_answers_keep_the_canonical_names_and_take_a_fraction_of_the_room(
    repo: GitRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    from symbiote.cli.verbs import BRIEF_REFERENCE, BRIEF_SYMBOL

    where = ["--repo", str(repo.path)]
    symbol_keys, reference_keys = set(BRIEF_SYMBOL), set(BRIEF_REFERENCE)
    _, found = run(capsys, "find", "f", "--mode", "prefix", *where, "--brief")
    assert found["results"] and all(set(r) == symbol_keys for r in found["results"])
    assert found["results"][0]["symbol"] == "app/mod.py::f00"

    _, refs = run(capsys, "refs", "app/mod.py::target", *where, "--brief", "--limit", "500")
    _, full = run(capsys, "refs", "app/mod.py::target", *where, "--limit", "500")
    assert set(refs["target"]) == symbol_keys and refs["target"]["symbol"] == "app/mod.py::target"
    assert all(set(r) <= reference_keys for r in refs["results"])
    assert [(r["path"], r["line"], r["col"]) for r in refs["results"]] == [
        (r["path"], r["line"], r["col"]) for r in full["results"]
    ]
    assert refs["total"] == full["total"] == CALLS + 2

    _, callers = run(capsys, "callers", "app/mod.py::target", *where, "--brief", "--limit", "500")
    _, wide = run(capsys, "callers", "app/mod.py::target", *where, "--limit", "500")
    edge = callers["results"][0]
    assert set(edge["caller"]) == set(edge["callee"]) == symbol_keys
    assert set(edge["site"]) <= reference_keys and edge["depth"] == 1
    assert len(callers["results"]) == len(wide["results"]) == CALLS + 1
    # The same edges in under a third of the room: three times as many fit a budget.
    assert 3 * len(json.dumps(callers["results"])) < len(json.dumps(wide["results"]))

    joined, _ = pages(capsys, "refs", "app/mod.py::target", *where, "--brief", "--limit", "7")
    assert joined == refs["results"]
    _, outline = run(capsys, "outline", "app/mod.py", *where, "--brief", "--limit", "3")
    assert [set(n["symbol"]) for n in outline["results"]] == [symbol_keys] * 3
    # goto's answers keep what they say of each definition.
    _, goto = run(capsys, "goto", "app/other.py:5:12", *where, "--brief")
    assert goto["results"] == [
        {
            "symbol": "app/mod.py::target",
            "kind": "function",
            "path": "app/mod.py",
            "start_line": 1,
            "end_line": 2,
            "signature": "def target(x)",
            "resolution": "import",
            "confidence": 1.0,
        }
    ]
