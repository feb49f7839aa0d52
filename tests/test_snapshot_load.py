"""A commit's rows as a snapshot loads them: the same as the store's, however read.

The snapshot does not read every column back from the store: a reference's
``enclosing`` (the qualified name of the definition it is in) is found among the
commit's definitions by ``enclosing_idx``. These tests compare it, row by row, with the
column the indexer stored, in every language that nests definitions differently, with a
blob at two paths, a file without definitions, and from the snapshot cache.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb

from symbiote.indexer import IndexOptions, index_repository
from symbiote.queries import open_index
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
    """Each stored reference's enclosing name, by (blob, start byte, name)."""
    con = duckdb.connect(str(store), read_only=True)
    try:
        rows = con.execute(
            "SELECT blob, start_byte, name, enclosing FROM code_references"
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
