"""``--at WORKTREE``: HEAD with the working tree's changes laid over it, parsed on
demand, cached, never written to the store; on every verb and surface."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from symbiote.cli.main import main
from symbiote.cli.route import socket_path
from symbiote.indexer import IndexOptions, index_repository
from symbiote.indexer.worktree import WorktreeReader, cache_folder, git_blob_sha
from symbiote.queries import open_index
from symbiote.queries.options import WORKTREE
from tests.conftest import HERMETIC_ENV, GitRepo

MakeRepo = Callable[..., GitRepo]
ROOT = Path(__file__).resolve().parent.parent

APP = 'def greet(name):\n    return "hi " + name\n\n\ndef other():\n    return greet("x")\n'
UTIL = "def helper():\n    return 1\n"
OLD = "import os\n\n\ndef old_thing():\n    return os.sep\n"
MOVED = "def mover():\n    return 2\n"


def _repo(make_repo: MakeRepo) -> GitRepo:
    repo = make_repo()
    repo.write("app.py", APP)
    repo.write("util.py", UTIL)
    repo.write("old.py", OLD)
    repo.write("moved.py", MOVED)
    repo.write(".gitignore", "ignored/\n*.log\n")
    repo.commit("one")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    return repo


def _edit(repo: GitRepo) -> None:
    """Every kind of change: an unstaged edit, a staged edit edited again, a deletion,
    a staged rename, an unstaged rename, untracked and ignored files, a binary file
    and a file with a syntax error."""
    repo.write(
        "app.py", APP.replace("def other():", "def shout(loud):") + "\n\ndef added():\n    pass\n"
    )
    repo.write("util.py", "def helper_staged():\n    return 1\n")
    repo.git("add", "util.py")
    repo.write("util.py", "def helper_unstaged():\n    return 1\n")  # the disk wins
    (repo.path / "old.py").unlink()
    repo.git("mv", "moved.py", "pkg_moved.py")
    (repo.path / "app.py").rename(repo.path / "main_app.py")
    repo.write("fresh.py", "from main_app import greet\n\n\ndef fresh():\n    return greet('y')\n")
    repo.git("add", "fresh.py")  # staged, as a new file
    repo.write("ignored/secret.py", "def hidden():\n    pass\n")
    repo.write("debug.log", "def not_code(): pass\n")
    repo.write("blob.py", b"\x00\x01binary\x00def nope(): pass\n")
    repo.write("broken.py", "def works():\n    return 1\n\n\ndef broken(:\n")


def _paths(symbols: list[Any]) -> set[tuple[str, str]]:
    return {(s.path, s.qualified_name) for s in symbols}


def test_the_working_tree_is_laid_over_head(make_repo: MakeRepo) -> None:
    repo = _repo(make_repo)
    _edit(repo)
    with open_index(repo.path) as index:
        reader = WorktreeReader(repo.path, cache_folder(index.store_path))
        index.use_worktree(reader)
        found = _paths(index.symbols(at=WORKTREE))
        head = _paths(index.symbols(at="HEAD"))
        snap = index.snapshot(WORKTREE)
    assert found == {
        ("main_app.py", "greet"),
        ("main_app.py", "shout"),
        ("main_app.py", "added"),
        ("util.py", "helper_unstaged"),
        ("pkg_moved.py", "mover"),
        ("fresh.py", "fresh"),
        ("broken.py", "works"),
        ("broken.py", "broken"),
    }
    assert ("app.py", "other") in head and ("old.py", "old_thing") in head
    assert snap.commit == repo.head()
    assert snap.overlay is not None
    assert snap.overlay.paths == [
        "blob.py",
        "broken.py",
        "fresh.py",
        "main_app.py",
        "pkg_moved.py",
        "util.py",
    ]
    assert snap.overlay.deleted == ["app.py", "moved.py", "old.py"]
    # Content-addressed as git addresses it; a rename with the same content reads the
    # store's rows (nothing parsed for it).
    assert snap.files["fresh.py"][0] == repo.git("hash-object", "fresh.py")
    assert snap.files["pkg_moved.py"][0] == git_blob_sha(MOVED.encode())
    assert snap.overlay.stored == []  # pkg_moved.py's blob is HEAD's: no extra read
    assert reader.parsed == 5  # blob, broken, fresh, main_app, util
    rows = snap.overlay.rows["blobs"].to_pylist()
    status = {r["sha"]: r["status"] for r in rows}
    assert status[snap.files["blob.py"][0]] == "binary"
    assert status[snap.files["broken.py"][0]] == "parse_error"
    assert "ignored/secret.py" not in snap.files and "debug.log" not in snap.files


def test_nothing_is_written_to_the_store(make_repo: MakeRepo) -> None:
    repo = _repo(make_repo)
    _edit(repo)
    with open_index(repo.path) as index:
        before = index.sql("SELECT count(*) FROM blobs").rows
        index.use_worktree(WorktreeReader(repo.path, cache_folder(index.store_path)))
        index.find("fresh", at=WORKTREE)
    with open_index(repo.path) as index:
        assert index.sql("SELECT count(*) FROM blobs").rows == before
        assert index.find("fresh") == []


def test_asking_twice_parses_nothing(make_repo: MakeRepo) -> None:
    repo = _repo(make_repo)
    repo.write("fresh.py", "def fresh():\n    pass\n")
    with open_index(repo.path) as index:
        cache = cache_folder(index.store_path)
        reader = WorktreeReader(repo.path, cache)
        index.use_worktree(reader)
        first = index.snapshot(WORKTREE)
        assert reader.parsed == 1
        assert index.snapshot(WORKTREE) is first  # same state: the same snapshot
        assert [s.name for s in index.find("fresh", at=WORKTREE)] == ["fresh"]
        assert reader.parsed == 1
        # Another process (a new reader) finds the extraction in the cache file.
        other = WorktreeReader(repo.path, cache)
        index.use_worktree(other)
        index._commits._snapshots.clear()
        assert [s.name for s in index.find("fresh", at=WORKTREE)] == ["fresh"]
        assert other.parsed == 0
        assert len(list(cache.glob("*.json"))) == 1
        # An edit is a new blob: parsed once, and only it.
        repo.write("fresh.py", "def fresher():\n    pass\n")
        assert [s.name for s in index.find("fresher", at=WORKTREE)] == ["fresher"]
        assert other.parsed == 1
        # Reverted to what HEAD's store holds: read from the store, nothing parsed.
        repo.write("fresh.py", "def fresh():\n    pass\n")
        repo.write("util.py", "def helper_changed():\n    return 1\n")
        index.find("helper", at=WORKTREE)
        repo.write("util.py", UTIL)
        assert [s.path for s in index.find("helper", at=WORKTREE)] == ["util.py"]
        assert other.parsed == 2


def test_worktree_without_a_reader_or_an_indexed_head_is_an_error(make_repo: MakeRepo) -> None:
    from symbiote.indexer.errors import NotIndexed, QueryError

    repo = _repo(make_repo)
    with open_index(repo.path) as index:
        with pytest.raises(QueryError, match="WORKTREE needs the working tree"):
            index.find("greet", at=WORKTREE)
        repo.write("new.py", "x = 1\n")
        repo.commit("two")  # HEAD moves past the index
        index.use_worktree(WorktreeReader(repo.path))
        with pytest.raises(NotIndexed, match="is not indexed.*symbiote index"):
            index.find("greet", at=WORKTREE)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code = main([*argv, "--json"])
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1, out
    payload: dict[str, Any] = json.loads(out[0])
    return code, payload


def test_every_verb_answers_at_worktree(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYMBIOTE_NO_SERVER", "1")
    repo = _repo(make_repo)
    _edit(repo)
    r = ("--repo", str(repo.path))
    at = ("--at", "WORKTREE")
    head = repo.head()

    def ok(*argv: str) -> dict[str, Any]:
        code, out = run(capsys, *argv)
        assert code == 0 and out["ok"], out
        assert out["commit"] == head  # the commit the working tree is laid over
        assert out["worktree"] == [
            "blob.py",
            "broken.py",
            "fresh.py",
            "main_app.py",
            "pkg_moved.py",
            "util.py",
        ]
        assert out["worktree_deleted"] == ["app.py", "moved.py", "old.py"]
        return out

    found = ok("find", "fresh", *r, *at)["results"]
    assert [(s["path"], s["name"], s["worktree"]) for s in found] == [("fresh.py", "fresh", True)]
    goto = ok("goto", "fresh.py:5:11", *r, *at)["results"]
    assert [(g["path"], g["qualified_name"], g["resolution"]) for g in goto] == [
        ("main_app.py", "greet", "import")
    ]
    outline = ok("outline", "main_app.py", *r, *at)["results"]
    assert [n["symbol"]["name"] for n in outline] == ["greet", "shout", "added"]
    symbols = ok("symbols", "--path", "util.py", *r, *at)["results"]
    assert [s["name"] for s in symbols] == ["helper_unstaged"]
    refs = ok("refs", "main_app.py::greet", *r, *at)["results"]
    assert sorted((x["path"], x["line"], x["resolution"]) for x in refs) == [
        ("fresh.py", 1, "import"),
        ("fresh.py", 5, "import"),
        ("main_app.py", 6, "scope"),
    ]
    callers = ok("callers", "main_app.py::greet", *r, *at)["results"]
    assert sorted(e["caller"]["qualified_name"] for e in callers) == ["fresh", "shout"]
    callees = ok("callees", "fresh.py::fresh", *r, *at)["results"]
    assert [e["callee"]["qualified_name"] for e in callees] == ["greet"]
    ok("history", "util.py::helper", *r, *at)  # HEAD's history: no commit has the edits
    ok("sidecar", "files", *r, *at)
    ok("sidecar", "stale", *r, *at)
    ok("sql", "SELECT 1", *r, *at)
    diff = ok("diff", "HEAD", "WORKTREE", *r)["results"]
    changes = sorted((d["change"], d["path"], d["qualified_name"]) for d in diff)
    assert changes == [
        ("added", "broken.py", "broken"),
        ("added", "broken.py", "works"),
        ("added", "fresh.py", "fresh"),
        ("added", "main_app.py", "added"),
        ("added", "main_app.py", "shout"),
        ("moved", "main_app.py", "greet"),
        ("moved", "pkg_moved.py", "mover"),
        ("removed", "app.py", "other"),
        ("removed", "old.py", "old_thing"),
        ("renamed", "util.py", "helper_unstaged"),
    ]
    moved = next(d for d in diff if d["qualified_name"] == "greet")
    assert moved["previous_path"] == "app.py"
    assert sorted(x["path"] for x in moved["references"]) == ["fresh.py", "fresh.py", "main_app.py"]
    # The text says where the answer came from.
    assert main(["find", "fresh", *r, *at]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1].startswith(f"-- WORKTREE: HEAD {head[:12]} with 6 changed files")
    # A critique points at a commit.
    code, err = run(
        capsys, "log", "critique", "fresh.py::fresh", *r, *at,
        "--agent", "a", "--category", "bug", "--severity", "low", "--text", "t",
    )  # fmt: skip
    assert code == 1 and err["error"]["type"] == "InvalidArgument"


def test_search_at_worktree_finds_new_definitions_by_words_and_meaning(
    make_repo: MakeRepo,
) -> None:
    from symbiote.indexer.embed_job import EmbedOptions, embed_repository
    from symbiote.indexer.embed_onnx import MiniLM
    from symbiote.queries import SearchOptions

    repo = _repo(make_repo)
    model = MiniLM()
    embed_repository(repo.path, options=EmbedOptions(revisions=("HEAD",)), embedder=model)
    repo.write(
        "net.py",
        "def fetch_with_retry(url, attempts):\n"
        '    """Retry a failed network request with exponential backoff."""\n'
        "    for attempt in range(attempts):\n        sleep(2 ** attempt)\n",
    )
    with open_index(repo.path, embedder=model) as index:
        index.use_worktree(WorktreeReader(repo.path))
        for mode in ("text", "vector", "hybrid"):
            options = SearchOptions(mode=mode, k=2)
            hits = index.search("retry a request with backoff", at=WORKTREE, options=options)
            assert hits[0].qualified_name == "fetch_with_retry", mode
            assert hits[0].snippet.startswith("def fetch_with_retry(url, attempts):")
            assert (hits[0].distance is None) is (mode == "text")
            at_head = index.search("retry a request with backoff", options=options)
            assert all(h.path != "net.py" for h in at_head), mode
        # Unchanged files keep their embedded definitions.
        hits = index.search("greet", at=WORKTREE, options=SearchOptions(mode="text", k=1))
        assert [(h.path, h.qualified_name) for h in hits] == [("app.py", "greet")]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "symbiote.cli.main", *args],
        cwd=ROOT,
        env={**os.environ, **HERMETIC_ENV, "PYTHONPATH": str(ROOT), "SYMBIOTE_WAIT_SECONDS": "20"},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def owner(make_repo: MakeRepo) -> Iterator[GitRepo]:
    """A repository whose store a running ``symbiote serve`` owns."""
    repo = _repo(make_repo)
    store = repo.path / ".git" / "symbiote" / "index.duckdb"
    serve = subprocess.Popen(
        [sys.executable, "-m", "symbiote.cli.main", "serve", str(repo.path)],
        cwd=ROOT,
        env={**os.environ, **HERMETIC_ENV, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 600  # a bound on a hang, not a measurement
        while not socket_path(store).exists():
            assert serve.poll() is None, "serve ended before it answered"
            assert time.monotonic() < deadline, "serve never started answering"
            time.sleep(0.05)
        yield repo
    finally:
        serve.terminate()
        serve.wait(timeout=600)


def test_worktree_through_a_running_owner(owner: GitRepo) -> None:
    repo = owner
    repo.write("fresh.py", "from app import greet\n\n\ndef fresh():\n    return greet('y')\n")
    asked = _cli("find", "fresh", "--repo", str(repo.path), "--at", "WORKTREE", "--json")
    out = json.loads(asked.stdout)
    assert out["ok"], asked.stderr
    assert [(s["path"], s["worktree"]) for s in out["results"]] == [("fresh.py", True)]
    assert out["commit"] == repo.head() and out["worktree"] == ["fresh.py"]
    # Another edit: only its content is extracted (one cache file per content).
    repo.write("util.py", "def helper2():\n    return 1\n")
    asked = _cli("refs", "app.py::greet", "--repo", str(repo.path), "--at", "WORKTREE", "--json")
    out = json.loads(asked.stdout)
    assert out["ok"], asked.stderr
    assert sorted((x["path"], x["line"]) for x in out["results"]) == [
        ("app.py", 6),
        ("fresh.py", 1),
        ("fresh.py", 5),
    ]
    assert out["worktree"] == ["fresh.py", "util.py"]
    cache = repo.path / ".git" / "symbiote" / "index.duckdb.worktree"
    assert len(list(cache.glob("*.json"))) == 2
    diff = json.loads(_cli("diff", "HEAD", "WORKTREE", "--repo", str(repo.path), "--json").stdout)
    assert sorted((d["change"], d["qualified_name"]) for d in diff["results"]) == [
        ("added", "fresh"),
        ("renamed", "helper2"),
    ]


def test_mcp_serves_worktree_by_default_when_asked(make_repo: MakeRepo) -> None:
    from symbiote.cli.mcp_server import IndexSession
    from symbiote.cli.table import BY_TOOL
    from symbiote.cli.worktree import default_at

    repo = _repo(make_repo)
    repo.write("fresh.py", "def fresh():\n    pass\n")
    tools = default_at(BY_TOOL, WORKTREE)
    assert tools["find"].param("at").default == WORKTREE
    assert tools["diff"].param("head").default == WORKTREE
    session = IndexSession(str(repo.path), None, tools, default_rev=WORKTREE)
    try:
        code, payload, _ = session.call(tools["find"], {"query": "fresh"})
        assert code == 0 and [s["path"] for s in payload["results"]] == ["fresh.py"]
        assert payload["worktree"] == ["fresh.py"]
        code, payload, _ = session.call(tools["find"], {"query": "fresh", "at": "HEAD"})
        assert code == 0 and payload["results"] == [] and "worktree" not in payload
        code, payload, _ = session.call(tools["diff"], {"base": "HEAD"})
        assert [(d["change"], d["qualified_name"]) for d in payload["results"]] == [
            ("added", "fresh")
        ]
    finally:
        session.close()


def test_sidecar_notes_of_the_working_tree(
    make_repo: MakeRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYMBIOTE_NO_SERVER", "1")
    repo = _repo(make_repo)
    r = ("--repo", str(repo.path))
    code, out = run(capsys, "sidecar", "set", "app.py::greet", "--warning", "keep it pure", *r)
    assert code == 0, out
    code, out = run(capsys, "sidecar", "show", "app.py", *r, "--at", "WORKTREE")
    assert code == 0, out
    assert out["worktree"] == ["app.py.symbiote.json"]
    assert [(n["qualified_name"], n["state"], n["warnings"]) for n in out["results"]] == [
        ("greet", "fresh", ["keep it pure"])
    ]
    code, out = run(capsys, "sidecar", "files", *r, "--at", "WORKTREE")
    assert [(f["sidecar_path"], f["status"], f["entries"]) for f in out["results"]] == [
        ("app.py.symbiote.json", "ok", 1)
    ]
    repo.write("app.py", APP.replace('"hi "', '"hello "'))
    code, out = run(capsys, "sidecar", "stale", *r, "--at", "WORKTREE")
    assert [(n["qualified_name"], n["state"]) for n in out["results"]] == [("greet", "stale")]
    code, out = run(capsys, "sidecar", "stale", *r)  # at HEAD there is no note yet
    assert out["results"] == []


def test_large_and_unextracted_files_are_hashed_not_kept(make_repo: MakeRepo) -> None:
    from symbiote.indexer.extract import Limits

    repo = _repo(make_repo)
    big = "def big():\n    return 1\n" + "# filler\n" * 40
    repo.write("big.py", big)
    repo.write("data.bin", bytes(range(256)) * 64)
    reader = WorktreeReader(repo.path, limits=Limits(max_bytes=100))
    _, changes = reader.changes()
    assert changes["big.py"] is not None and changes["data.bin"] is not None
    for path in ("big.py", "data.bin"):
        blob = changes[path]
        assert blob is not None and blob[0] == repo.git("hash-object", path)
        assert reader.text(blob[0]) == b""  # hashed as it streamed by, not kept
    tables = reader.tables([changes["big.py"]])
    blobs = tables["blobs"].to_pylist()
    assert [(b["status"], b["size"]) for b in blobs] == [("too_large", len(big))]
    assert tables["symbols"].num_rows == 0
