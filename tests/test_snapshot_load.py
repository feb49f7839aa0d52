"""A commit's rows as a snapshot loads them: the same as the store's, however read
(from the store, from the snapshot cache, or made from a cached neighbour's).

The snapshot does not read every column back from the store: a reference's
``enclosing`` (the qualified name of the definition it is in) is found among the
commit's definitions by ``enclosing_idx``. These tests compare it, row by row, with the
column the indexer stored, in every language that nests definitions differently, with a
blob at two paths, a file without definitions, and from the snapshot cache; compare a
commit made from a cached neighbour's rows with one read from the store; and bound the
cache's folder.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from symbiote.indexer import IndexOptions, index_repository
from symbiote.indexer.errors import StoreError
from symbiote.queries import Index, open_index
from symbiote.queries.reader import Reader, of_blobs
from tests.conftest import GitRepo

MakeRepo = Callable[[], GitRepo]

SOURCES = {
    "app/models.py": """
class Outer:
    class Inner:
        def method(self):
            return helper(self)

    def run(self):
        def local():
            return self.Inner().method()
        return local()


def helper(x):
    return str(x)

print(helper(1))
""",
    # The same bytes at a second path: one blob, its rows placed twice.
    "app/copy_of_models.py": None,
    "app/empty.py": "import os\nprint(os.sep)\n",
    "pkg/server.go": """package pkg

type Server struct{ name string }

func (s *Server) Start() string { return s.Name() }

func (s *Server) Name() string { return s.name }

func New() *Server { return &Server{} }
""",
    "src/lib.rs": """pub struct Store { n: u32 }

impl Store {
    pub fn new() -> Self { Store { n: 0 } }
    pub fn bump(&mut self) -> u32 { self.n += 1; self.n }
}

pub fn make() -> u32 { let mut s = Store::new(); s.bump() }
""",
    "web/api.ts": """export class Api {
  get(path: string): string { return this.url(path); }
  private url(p: string): string { return encode(p); }
}
function encode(p: string): string { return p.trim(); }
export const api = { call() { return new Api().get("x"); } };
""",
    "native/shape.cpp": """namespace geo {
struct Shape { int area() const; };
int Shape::area() const { return side() * 2; }
int side() { return 3; }
}
""",
}


def indexed(make_repo: MakeRepo) -> tuple[GitRepo, Path]:
    repo = make_repo()
    for path, text in SOURCES.items():
        repo.write(path, text if text is not None else SOURCES["app/models.py"])
    repo.commit("sources")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    return repo, repo.path / ".git" / "symbiote" / "index.duckdb"


def stored(store: Path) -> dict[tuple[str, int, str], str | None]:
    """Each stored reference's enclosing name, by (blob, start byte, name), as the
    ``references_at`` macro joins it (the snapshot joins it on its own, in Arrow)."""
    con = duckdb.connect(str(store), read_only=True)
    try:
        rows = con.execute(
            "SELECT blob, start_byte, name, enclosing FROM references_at('HEAD')"
        ).fetchall()
    finally:
        con.close()
    return {(blob, start, name): enclosing for blob, start, name, enclosing in rows}


def loaded(repo: GitRepo) -> list[tuple[str, str, int, str, str | None]]:
    """Each reference of HEAD's snapshot: (path, blob, start byte, name, enclosing)."""
    with open_index(repo.path) as index:
        snap = index.snapshot()
        r = snap.reference_columns()
        return [
            (r["path"][i], r["blob"][i], r["start_byte"][i], r["name"][i], r["enclosing"][i])
            for i in range(len(r))
        ]


def test_each_reference_is_in_the_definition_the_store_says(make_repo: MakeRepo) -> None:
    repo, store = indexed(make_repo)
    expected = stored(store)
    rows = loaded(repo)
    # Every stored reference once per path holding its blob (the copy doubles models.py's).
    paths_of_blob: dict[str, set[str]] = {}
    for path, blob, *_ in rows:
        paths_of_blob.setdefault(blob, set()).add(path)
    assert len(rows) == sum(len(paths_of_blob[blob]) for blob, _, _ in expected)
    for path, blob, start, name, enclosing in rows:
        assert enclosing == expected[(blob, start, name)], (path, start, name)
    # The cases that matter are there: nested, top level, methods outside their type.
    found = {(path, name): enclosing for path, _, _, name, enclosing in rows}
    assert found[("app/models.py", "method")] == "Outer.run.local"
    assert found[("app/copy_of_models.py", "method")] == "Outer.run.local"
    assert found[("app/models.py", "print")] is None
    assert found[("app/empty.py", "sep")] is None
    assert found[("pkg/server.go", "Name")] == "pkg.Server.Start"
    assert found[("src/lib.rs", "bump")] == "make"
    assert found[("web/api.ts", "encode")] == "Api.url"
    assert found[("native/shape.cpp", "side")] == "geo.Shape.area"


def test_the_snapshot_cache_gives_the_same_rows(make_repo: MakeRepo) -> None:
    repo, store = indexed(make_repo)
    first = loaded(repo)  # read from the store, and written to the cache
    folder = store.with_name(store.name + ".snapshots")
    assert any(p.name.endswith(".arrow") and "-references-" in p.name for p in folder.iterdir())
    assert loaded(repo) == first  # mapped from the cache


def _history(make_repo: MakeRepo) -> GitRepo:
    """Three commits: one file changed, one added, one removed at each step."""
    repo = make_repo()
    for i in range(12):
        repo.write(f"pkg/mod_{i}.py", f"def f{i}(x):\n    return helper(x) + {i}\n")
    repo.write("pkg/helper.py", "def helper(x):\n    return x\n")
    repo.commit("one")
    repo.write("pkg/mod_3.py", "def f3(x):\n    return helper(helper(x))\n")
    repo.write("pkg/extra.py", "from pkg.helper import helper\n\nhelper(2)\n")
    repo.commit("two")
    repo.write("pkg/mod_5.py", "class Five:\n    def run(self):\n        return f5(self)\n")
    repo.git("rm", "-q", "pkg/mod_7.py")
    repo.commit("three")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    return repo


def _tables(index: Index, at: str) -> list[dict[str, list[object]]]:
    snap = index.snapshot(at)
    snap.reference_columns()
    snap.binding_columns()
    tables = [snap._table_placed, snap._refs_table, snap.binding_columns()._table]
    return [{n: t.column(n).to_pylist() for n in t.column_names} for t in tables]


def test_a_commit_made_from_a_cached_neighbour_equals_one_read_from_the_store(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _history(make_repo)
    store = repo.path / ".git" / "symbiote" / "index.duckdb"
    # What the store gives, with no snapshot cache to derive from.
    with open_index(repo.path) as index:
        index._commits._cache = None
        fresh = {at: _tables(index, at) for at in ("HEAD~2", "HEAD~1", "HEAD")}
    shutil.rmtree(store.with_name(store.name + ".snapshots"), ignore_errors=True)

    asked: list[str] = []
    table = Reader.table

    def spied(
        self: Reader, sql: str, params: list[object] | None = None, *, apart: bool = False
    ) -> pa.Table:
        asked.append(sql)
        return table(self, sql, params, apart=apart)

    blob_table = Reader.blob_table

    def spied_blobs(self: Reader, template: str, blobs: list[str], **how: Any) -> pa.Table:
        asked.append(of_blobs(template, blobs))  # references and bindings
        return blob_table(self, template, blobs, **how)

    monkeypatch.setattr(Reader, "table", spied)
    monkeypatch.setattr(Reader, "blob_table", spied_blobs)
    with open_index(repo.path) as index:
        assert _tables(index, "HEAD~1") == fresh["HEAD~1"]  # read, and cached
    for at in ("HEAD", "HEAD~2"):  # a newer and an older neighbour, each in a new process
        asked.clear()
        with open_index(repo.path) as index:
            assert _tables(index, at) == fresh[at]
        # Only the blob HEAD~1 does not hold (mod_5's last version, mod_3's first) was
        # read from the store, of 13.
        reads = [sql for sql in asked if "code_references" in sql]
        assert len(reads) == 1 and len(re.findall(r"'[0-9a-f]{40}'", reads[0])) == 1, reads


def test_rows_loaded_ahead_on_threads_equal_rows_loaded_when_asked(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A prefetch reads the references and bindings on threads with cursors of their
    own, from the start of the snapshot's load: the same tables, however they come
    (from the store or made from a cached neighbour), and on other threads."""
    repo = _history(make_repo)
    store = repo.path / ".git" / "symbiote" / "index.duckdb"
    with open_index(repo.path) as index:
        index._commits._cache = None
        fresh = {at: _tables(index, at) for at in ("HEAD~1", "HEAD")}

    threads: set[str] = set()
    table = Reader.table

    def spied(
        self: Reader, sql: str, params: list[object] | None = None, *, apart: bool = False
    ) -> pa.Table:
        threads.add(threading.current_thread().name if apart else "asked")
        return table(self, sql, params, apart=apart)

    blob_table = Reader.blob_table

    def spied_blobs(
        self: Reader, template: str, blobs: list[str], *, apart: bool = False, **how: Any
    ) -> pa.Table:
        threads.add(threading.current_thread().name if apart else "asked")
        return blob_table(self, template, blobs, apart=apart, **how)

    monkeypatch.setattr(Reader, "table", spied)
    monkeypatch.setattr(Reader, "blob_table", spied_blobs)
    for cached in (False, True):  # from the store; then HEAD made from HEAD~1's rows
        shutil.rmtree(store.with_name(store.name + ".snapshots"), ignore_errors=True)
        with open_index(repo.path) as index:
            if cached:
                assert _tables(index, "HEAD~1") == fresh["HEAD~1"]
            threads.clear()
            snap = index._commits.snapshot("HEAD", prefetch=True)
            assert snap is index.snapshot("HEAD")
            assert _tables(index, "HEAD") == fresh["HEAD"]
            assert {"load-references", "load-bindings"} <= threads, threads


def test_a_prefetch_that_fails_leaves_the_load_to_the_question(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A load on a thread that fails is made again where the rows are needed: its error
    (or its rows) reach the caller, never a hang or a half-loaded snapshot."""
    repo = _history(make_repo)
    with open_index(repo.path) as index:
        index._commits._cache = None
        fresh = _tables(index, "HEAD")
    table = Reader.table

    def failing(
        self: Reader, sql: str, params: list[object] | None = None, *, apart: bool = False
    ) -> pa.Table:
        if apart:
            raise StoreError("index query failed: the thread's cursor broke")
        return table(self, sql, params)

    blob_table = Reader.blob_table

    def failing_blobs(
        self: Reader, template: str, blobs: list[str], *, apart: bool = False, **how: Any
    ) -> pa.Table:
        if apart:
            raise StoreError("index query failed: the thread's cursor broke")
        return blob_table(self, template, blobs, **how)

    monkeypatch.setattr(Reader, "table", failing)
    monkeypatch.setattr(Reader, "blob_table", failing_blobs)
    with open_index(repo.path) as index:
        index._commits._cache = None
        index._commits.snapshot("HEAD", prefetch=True)
        assert _tables(index, "HEAD") == fresh


def test_index_prepares_head_for_the_first_question(make_repo: MakeRepo) -> None:
    """`symbiote index` leaves HEAD's tables in the snapshot cache (a first question
    then maps them instead of scanning the store); a run that finds them there reads
    nothing; a new HEAD is prepared by the run that indexes it."""
    from symbiote.queries.snapcache import SnapshotCache
    from symbiote.queries.snapshot import cached

    repo = _history(make_repo)
    store = repo.path / ".git" / "symbiote" / "index.duckdb"
    shutil.rmtree(store.with_name(store.name + ".snapshots"), ignore_errors=True)

    def head_is_cached() -> bool:
        with open_index(repo.path) as index:
            return cached(SnapshotCache(store, index._reader.generation), repo.head())

    assert not head_is_cached()
    run(["index", str(repo.path), "--no-embed", "--json"])
    assert head_is_cached()
    with open_index(repo.path) as index:
        assert index.prepare() is False  # all there: nothing read
        assert _tables(index, "HEAD") == _stored_tables(repo)
    repo.write("pkg/late.py", "from pkg.helper import helper\n\nhelper(9)\n")
    repo.commit("four")
    assert not head_is_cached()
    run(["index", str(repo.path), "--no-embed", "--json"])
    assert head_is_cached()
    assert _tables_of(repo) == _stored_tables(repo)


def run(argv: list[str]) -> None:
    """The real console entry point, as a user runs it."""
    done = subprocess.run(
        [sys.executable, "-m", "symbiote.cli.main", *argv], capture_output=True, text=True
    )
    assert done.returncode == 0 and json.loads(done.stdout)["ok"], done.stdout + done.stderr


def _stored_tables(repo: GitRepo) -> list[dict[str, list[object]]]:
    """HEAD's tables read from the store, no snapshot cache involved."""
    with open_index(repo.path) as index:
        index._commits._cache = None
        return _tables(index, "HEAD")


def _tables_of(repo: GitRepo) -> list[dict[str, list[object]]]:
    with open_index(repo.path) as index:
        return _tables(index, "HEAD")


def test_the_snapshot_cache_lets_go_of_the_commits_used_least_recently(tmp_path: Path) -> None:
    from symbiote.queries.snapcache import SnapshotCache

    rows = pa.table({"blob": ["a" * 40] * 1000, "n": list(range(1000))})
    cache = SnapshotCache(tmp_path / "index.duckdb", "g1")
    for commit in ("c1", "c2", "c3"):
        cache.max_bytes = 10**9  # room for three commits
        cache.save(commit, "symbols-x", rows)
        cache.save(commit, "references-x", rows)
        time.sleep(0.02)  # each later than the one before
    one_commit = sum(p.stat().st_size for p in cache.folder.glob("c1-*"))
    assert cache.load("c1", "symbols-x") == rows  # c1 used again: c2 is now the oldest
    time.sleep(0.02)
    cache.max_bytes = 3 * one_commit  # room for three commits, and a fourth comes
    cache.save("c4", "symbols-x", rows)
    cache.save("c4", "references-x", rows)
    held = sorted({p.name.split("-")[0] for p in cache.folder.glob("*.arrow")})
    assert held == ["c1", "c3", "c4"]
    assert cache.load("c2", "symbols-x") is None  # gone: a snapshot reads the store again
    assert cache.commits_with("symbols-x") == ["c4", "c1", "c3"]  # most recently used first
    cache.max_bytes = 1  # however small, the commit just saved stays
    cache.save("c5", "symbols-x", rows)
    assert sorted({p.name.split("-")[0] for p in cache.folder.glob("*.arrow")}) == ["c5"]


@pytest.mark.skipif(not Path("/proc/self/maps").is_file(), reason="reads /proc/self/maps")
def test_rows_read_from_the_store_are_kept_as_the_cache_maps_them(make_repo: MakeRepo) -> None:
    """A commit's rows read from the store are written to the snapshot cache and kept as
    the cache maps them (the file's pages, of which only those read count as the
    process's memory), not as the copy that was read: the same rows either way."""
    repo, store = indexed(make_repo)
    folder = store.with_name(store.name + ".snapshots")
    first = loaded(repo)
    shutil.rmtree(folder)  # made when the index prepared HEAD
    with open_index(repo.path) as index:
        snap = index.snapshot()
        r = snap.reference_columns()
        again = [(r["path"][i], r["blob"][i], r["start_byte"][i]) for i in range(len(r))]
        assert again == [row[:3] for row in first]
        snap.binding_columns()  # their load, begun beside the references', has ended
        maps = Path("/proc/self/maps").read_text()
        kinds = {"symbols", "references", "bindings"}
        saved = [p for p in folder.iterdir() if any(f"-{k}-" in p.name for k in kinds)]
        assert {k for p in saved for k in kinds if f"-{k}-" in p.name} == kinds
        assert [p.name for p in saved if str(p) not in maps] == []
