"""The CLI's JSON contract, exercised through the real console entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import GitRepo

MakeRepo = Callable[..., GitRepo]


def symbiote(*args: str, cwd: object = None) -> tuple[int, dict[str, Any]]:
    result = subprocess.run(
        [sys.executable, "-m", "symbiote.cli.main", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, result.stdout + result.stderr  # exactly one JSON object
    return result.returncode, json.loads(lines[0])


@pytest.fixture
def indexed(make_repo: MakeRepo) -> GitRepo:
    repo = make_repo()
    repo.write("app/client.py", 'class Client:\n    def send(self, r):\n        """Send."""\n')
    repo.write("app/util.py", "def helper():\n    pass\n")
    repo.commit("one")
    repo.git("tag", "v1")
    repo.write("app/util.py", "def helper2():\n    pass\n")
    repo.commit("two")
    code, out = symbiote("index", str(repo.path), "--jobs", "1", "--wait-embed", "--json")
    assert code == 0 and out["ok"] is True
    assert out["commit"] == repo.head()
    assert out["results"][0]["commits_indexed"] == 2
    return repo


def test_symbols_json_has_the_contract_fields(indexed: GitRepo) -> None:
    code, out = symbiote("symbols", "--repo", str(indexed.path), "--at", "v1", "--json")
    assert code == 0
    assert out["commit"] == indexed.git("rev-parse", "v1")
    first = out["results"][0]
    for field in (
        "path",
        "name",
        "qualified_name",
        "kind",
        "start_line",
        "end_line",
        "start_byte",
        "end_byte",
        "parent",
        "signature",
        "docstring",
        "blob",
    ):
        assert field in first
    rows = [(r["path"], r["qualified_name"], r["parent"]) for r in out["results"]]
    assert rows == [
        ("app/client.py", "Client", None),
        ("app/client.py", "Client.send", "Client"),
        ("app/util.py", "helper", None),
    ]
    assert out["results"][1]["docstring"] == "Send."


def test_symbols_of_one_path(indexed: GitRepo) -> None:
    code, out = symbiote("symbols", "--repo", str(indexed.path), "--path", "app/util.py", "--json")
    assert code == 0
    assert [r["qualified_name"] for r in out["results"]] == ["helper2"]


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--at", "no-such-ref"], "UnknownRevision"),
        (["--at=--upload-pack=x"], "UnknownRevision"),
        (["--at", "0123456789abcdef0123456789abcdef01234567"], "NotIndexed"),
        (["--path", "missing.py"], "UnknownPath"),
    ],
)
def test_errors_have_one_shape(indexed: GitRepo, args: list[str], error: str) -> None:
    code, out = symbiote("symbols", "--repo", str(indexed.path), *args, "--json")
    assert code == 1
    assert out["ok"] is False
    assert out["error"]["type"] == error and out["error"]["message"]


def test_status_reports_refs_and_counts(indexed: GitRepo) -> None:
    code, out = symbiote("status", "--repo", str(indexed.path), "--json")
    assert code == 0
    status = out["results"][0]
    assert status["commits"] == 2
    assert {r["name"] for r in status["refs"]} == {"HEAD", "refs/heads/main", "refs/tags/v1"}
    assert status["blobs_by_status"] == {"ok": 3}  # util.py twice, client.py once


def test_index_of_an_empty_repository_fails_cleanly(make_repo: MakeRepo) -> None:
    repo = make_repo()
    code, out = symbiote("index", str(repo.path), "--json")
    assert code == 1 and out["error"]["type"] == "EmptyRepository"


def test_lookup_verbs_print_the_json_contract(indexed: GitRepo) -> None:
    repo = ["--repo", str(indexed.path)]
    code, out = symbiote("find", "Client", *repo, "--json")
    assert code == 0 and [r["qualified_name"] for r in out["results"]] == ["Client"]
    code, out = symbiote("outline", "app/client.py", *repo, "--at", "v1", "--json")
    assert code == 0 and out["results"][0]["symbol"]["qualified_name"] == "Client"
    assert out["results"][0]["children"][0]["symbol"]["name"] == "send"
    code, out = symbiote("goto", "app/client.py:2:8", *repo, "--json")
    assert code == 0 and out["results"][0]["qualified_name"] == "Client.send"
    code, out = symbiote("history", "app/util.py::helper2", *repo, "--json")
    assert code == 0
    for entry in out["results"]:
        for field in ("commit", "date", "change", "path", "qualified_name"):
            assert field in entry
    assert [(e["change"], e["qualified_name"], e["commit"]) for e in out["results"]] == [
        ("renamed", "helper2", indexed.head()),
        ("added", "helper", indexed.git("rev-parse", "v1")),
    ]
    code, out = symbiote("diff", "v1", "HEAD", *repo, "--json")
    assert code == 0
    assert [(r["change"], r["qualified_name"]) for r in out["results"]] == [("renamed", "helper2")]
    code, out = symbiote("sql", "SELECT count(*) AS n FROM symbols_at('v1')", *repo, "--json")
    assert code == 0 and out["results"] == [{"n": 3}]
    code, out = symbiote("callers", "app/client.py::Client.send", *repo, "--json")
    assert code == 0 and out["results"] == []


def test_reference_json_fields(make_repo: MakeRepo) -> None:
    repo = make_repo()
    repo.write("a.py", "def f():\n    pass\n\n\ndef g():\n    f()\n")
    repo.commit("calls")
    symbiote("index", str(repo.path), "--jobs", "1", "--wait-embed", "--json")
    code, out = symbiote("refs", "a.py::f", "--repo", str(repo.path), "--json")
    assert code == 0
    (ref,) = out["results"]
    assert {k: ref[k] for k in ("path", "line", "col", "name", "kind", "resolution")} == {
        "path": "a.py",
        "line": 6,
        "col": 4,
        "name": "f",
        "kind": "call",
        "resolution": "scope",
    }
    assert out["target"]["qualified_name"] == "f" and "target" not in ref
    code, out = symbiote("callees", "g", "--repo", str(repo.path), "--json")
    assert code == 0 and out["results"][0]["callee"]["qualified_name"] == "f"
    assert out["target"]["qualified_name"] == "g"
    code, out = symbiote("refs", "a.py::nope", "--repo", str(repo.path), "--json")
    assert code == 1 and out["error"]["type"] == "UnknownDefinition"


def test_index_option_defaults_are_the_library_defaults() -> None:
    from symbiote.cli import admin
    from symbiote.indexer import IndexOptions
    from symbiote.indexer.extract import Limits

    assert admin.MAX_BYTES == Limits().max_bytes
    assert admin.MEMORY_LIMIT == IndexOptions().memory_limit
    assert admin.INDEX.param("max_bytes").default == Limits().max_bytes
    assert admin.INDEX.param("memory_limit").default == IndexOptions().memory_limit
    assert admin.INDEX.param("include_archived").default == IndexOptions().include_archived


def test_index_memory_limit_is_passed_to_the_store(make_repo: MakeRepo) -> None:
    repo = make_repo()
    repo.write("a.py", "def a():\n    pass\n")
    repo.commit("one")
    code, out = symbiote("index", str(repo.path), "--jobs", "1", "--memory-limit", "lots", "--json")
    assert code != 0 and out["ok"] is False
    assert out["error"]["type"] == "StoreError"
    assert out["error"]["message"].startswith("invalid memory limit 'lots'")
    code, out = symbiote(
        "index", str(repo.path), "--jobs", "1", "--memory-limit", "64MB", "--no-embed", "--json"
    )
    assert code == 0 and out["results"][0]["commits_indexed"] == 1
