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
        [sys.executable, "-m", "cli.main", *args],
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
    code, out = symbiote("index", str(repo.path), "--jobs", "1", "--json")
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
