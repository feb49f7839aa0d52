"""The lookup verbs on built repositories: find, outline, refs, call graph, history,
diff and sql, with their errors."""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path

import pytest

from symbiote.indexer import (
    IndexOptions,
    QueryError,
    UnknownDefinition,
    UnknownPath,
    index_repository,
)
from symbiote.queries import FindOptions, GraphOptions, Index, RefsOptions, SqlOptions, open_index
from tests.conftest import GitRepo
from tests.support.old_stores import references_as_schema_7

MakeRepo = Callable[..., GitRepo]

CLIENT = '''\
import time

from app.util import backoff


class Client:
    """Talks to the server."""

    def send(self, request):
        for attempt in range(3):
            if self.try_once(request):
                return True
            time.sleep(backoff(attempt))
        return False

    def try_once(self, request):
        return request is not None
'''
UTIL = """\
def backoff(attempt):
    return 2 ** attempt


def unused():
    pass
"""
MAIN = """\
from app.client import Client


def main():
    client = Client()
    client.send("ping")
"""
TEST = """\
from app.util import backoff


def test_backoff():
    assert backoff(1) == 2
"""


def project(make_repo: MakeRepo) -> GitRepo:
    repo = make_repo()
    repo.write("app/__init__.py", "")
    repo.write("app/client.py", CLIENT)
    repo.write("app/util.py", UTIL)
    repo.write("app/main.py", MAIN)
    repo.write("tests/test_util.py", TEST)
    repo.commit("project")
    return repo


@pytest.fixture
def index(make_repo: MakeRepo) -> Index:
    repo = project(make_repo)
    index_repository(repo.path, options=IndexOptions(jobs=1))
    return open_index(repo.path)


def names(symbols: list) -> list[str]:  # type: ignore[type-arg]
    return [f"{s.path}::{s.qualified_name}" for s in symbols]


def test_find_ranks_exact_before_prefix_and_fuzzy_and_source_before_tests(index: Index) -> None:
    assert names(index.find("backoff")) == ["app/util.py::backoff"]
    assert names(index.find("Client.send")) == ["app/client.py::Client.send"]
    assert names(index.find("test_", options=FindOptions(mode="prefix"))) == [
        "tests/test_util.py::test_backoff"
    ]
    assert names(index.find("try", options=FindOptions(mode="auto"))) == [
        "app/client.py::Client.try_once"
    ]
    assert names(index.find("bkof")) == ["app/util.py::backoff", "tests/test_util.py::test_backoff"]
    assert names(index.find("send", options=FindOptions(kind="function"))) == []
    assert names(index.find("s", options=FindOptions(mode="prefix", path="app/*"))) == [
        "app/client.py::Client.send"
    ]
    assert index.find("no_such_thing") == []


def test_find_answers_one_name_without_the_name_index_and_the_same_with_it(
    make_repo: MakeRepo,
) -> None:
    # A command line asks one question: exact and prefix matches are read off the name
    # column without grouping every name; a snapshot whose index is built (a fuzzy
    # question builds it) gives the same answers in the same order.
    repo = project(make_repo)
    repo.write("app/more.py", "def send_all():\n    pass\n\n\ndef sendé():\n    pass\n")
    repo.write("app/zz.py", "def send():\n    pass\n\n\nclass Send:\n    pass\n")
    repo.commit("more senders")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    questions = [("send", "auto"), ("send", "prefix"), ("se", "prefix"), ("Client.send", "auto")]
    fresh = open_index(repo.path)
    first = [names(fresh.find(q, options=FindOptions(mode=m))) for q, m in questions]
    assert "by_name" not in fresh.snapshot().__dict__
    assert first[1] == [
        "app/client.py::Client.send",
        "app/more.py::send_all",
        "app/more.py::sendé",
        "app/zz.py::send",
    ]
    assert names(fresh.find("sndall")) == ["app/more.py::send_all"]  # fuzzy: builds it
    assert "by_name" in fresh.snapshot().__dict__
    assert [names(fresh.find(q, options=FindOptions(mode=m))) for q, m in questions] == first


def test_outline_is_a_tree_with_signatures(index: Index) -> None:
    tree = index.outline("app/client.py")
    assert [n.symbol.qualified_name for n in tree] == ["Client"]
    assert [(c.symbol.name, c.symbol.signature) for c in tree[0].children] == [
        ("send", "def send(self, request)"),
        ("try_once", "def try_once(self, request)"),
    ]
    assert tree[0].symbol.docstring == "Talks to the server."


def test_refs_across_files_with_resolution(index: Index) -> None:
    found = index.refs("app/util.py::backoff")
    assert [(r.path, r.line, r.kind, r.resolution, r.enclosing) for r in found] == [
        ("app/client.py", 3, "import", "import", None),
        ("app/client.py", 13, "call", "import", "Client.send"),
        ("tests/test_util.py", 1, "import", "import", None),
        ("tests/test_util.py", 5, "call", "import", "test_backoff"),
    ]
    assert all(r.target and r.target.qualified_name == "backoff" for r in found)
    assert index.refs("app/util.py::unused") == []


def test_goto_from_a_use_and_from_a_definition(index: Index) -> None:
    found = index.goto("app/client.py", 13, 24)  # backoff(attempt)
    assert (found.resolution, names(found.targets)) == ("import", ["app/util.py::backoff"])
    found = index.goto("app/client.py", 11, 20)  # self.try_once
    assert (found.resolution, names(found.targets)) == ("scope", ["app/client.py::Client.try_once"])
    assert index.goto("app/client.py", 9, 9).resolution == "definition"
    nothing = index.goto("app/client.py", 2, 0)
    assert (nothing.resolution, nothing.targets, nothing.line, nothing.col) == ("none", [], 2, 0)


def test_callers_and_callees(index: Index) -> None:
    callers = index.callers("app/util.py::backoff", options=GraphOptions(depth=2))
    assert callers.complete and callers.unexpanded == []
    assert [(e.depth, e.caller.qualified_name if e.caller else None) for e in callers.edges] == [
        (1, "Client.send"),
        (1, "test_backoff"),
        (2, "main"),
    ]
    callees = index.callees("app/client.py::Client.send")
    assert [
        (e.site.name, e.site.resolution, e.callee.qualified_name if e.callee else None)
        for e in callees.edges
    ] == [
        ("range", "unresolved", None),
        ("try_once", "scope", "Client.try_once"),
        ("sleep", "unresolved", None),
        ("backoff", "import", "backoff"),
    ]


def test_a_call_graph_walk_stops_at_max_edges_with_the_same_first_edges(index: Index) -> None:
    whole = index.callers("app/util.py::backoff", options=GraphOptions(depth=2))
    assert whole.cut is False
    for n in (1, 2):
        first = index.callers("app/util.py::backoff", options=GraphOptions(depth=2, max_edges=n))
        assert first.cut is True and first.edges == whole.edges[:n]
    more = index.callers("app/util.py::backoff", options=GraphOptions(depth=2, max_edges=10))
    assert more.cut is False and more.edges == whole.edges
    callees = index.callees("app/client.py::Client.send", options=GraphOptions(max_edges=2))
    assert callees.cut is True
    assert [e.site.name for e in callees.edges] == ["range", "try_once"]
    with pytest.raises(QueryError):
        index.callers("app/util.py::backoff", options=GraphOptions(max_edges=0))


def test_targets_and_paths_are_checked(index: Index) -> None:
    with pytest.raises(UnknownPath):
        index.outline("app/missing.py")
    with pytest.raises(UnknownDefinition):
        index.refs("app/util.py::nothing")
    with pytest.raises(UnknownDefinition):
        index.refs("nothing_at_all")
    assert index.definition("Client.send").path == "app/client.py"
    with pytest.raises(QueryError):
        index.callers("app/util.py::backoff", options=GraphOptions(depth=0))


def test_sql_is_read_only_and_cannot_reach_files(index: Index) -> None:
    found = index.sql("SELECT qualified_name FROM symbols_at('HEAD') ORDER BY 1 LIMIT 2")
    assert found.columns == ["qualified_name"] and found.rows == [("Client",), ("Client.send",)]
    assert found.truncated is False
    for attempt in (
        "DELETE FROM code_symbols",
        "SELECT * FROM read_csv('/etc/passwd')",
        "ATTACH '/tmp/other.duckdb'",
        "COPY code_symbols TO '/tmp/out.csv'",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET enable_external_access = true",
        "SELECT 1; SELECT 2",
    ):
        with pytest.raises(QueryError):
            index.sql(attempt)
    with pytest.raises(QueryError, match="time limit"):  # a query that would run for hours
        index.sql("SELECT count(*) FROM range(1000000000000) a", options=SqlOptions(timeout=0.05))
    # the connection still answers
    assert index.sql("SELECT 42", options=SqlOptions(timeout=5)).rows == [(42,)]


# ---- history and diff, on a history with a change, a signature change, a rename and a move


def evolving(make_repo: MakeRepo) -> tuple[GitRepo, list[str]]:
    repo = make_repo()
    body = "    total = 0\n    for item in items:\n        total += item.price\n    return total\n"
    repo.write("shop/cart.py", f"def total(items):\n{body}\n\ndef helper():\n    return 1\n")
    repo.write("shop/main.py", "from shop.cart import total\n\nprint(total([]))\n")
    c1 = repo.commit("add total")
    body2 = body.replace("return total", "return round(total, 2)")
    repo.write("shop/cart.py", f"def total(items):\n{body2}\n\ndef helper():\n    return 1\n")
    c2 = repo.commit("round the total")
    repo.write(
        "shop/cart.py", f"def total(items, tax=0):\n{body2}\n\ndef helper():\n    return 1\n"
    )
    c3 = repo.commit("total takes tax")
    repo.write(
        "shop/cart.py", f"def cart_total(items, tax=0):\n{body2}\n\ndef helper():\n    return 1\n"
    )
    repo.write("shop/main.py", "from shop.cart import cart_total\n\nprint(cart_total([]))\n")
    c4 = repo.commit("rename total to cart_total")
    repo.write("shop/cart.py", "def helper():\n    return 1\n")
    repo.write("shop/pricing.py", f"def cart_total(items, tax=0):\n{body2}")
    repo.write("shop/main.py", "from shop.pricing import cart_total\n\nprint(cart_total([]))\n")
    c5 = repo.commit("move cart_total to pricing")
    repo.write("shop/pricing.py", "")
    c6 = repo.commit("drop cart_total")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    return repo, [c1, c2, c3, c4, c5, c6]


def test_history_follows_changes_renames_and_moves(make_repo: MakeRepo) -> None:
    repo, (c1, c2, c3, c4, c5, c6) = evolving(make_repo)
    with open_index(repo.path) as index:
        entries = index.history("shop/pricing.py::cart_total", at=c5)
        assert [
            (
                e.commit,
                e.change,
                e.path,
                e.qualified_name,
                e.previous_path,
                e.previous_qualified_name,
            )
            for e in entries
        ] == [
            (c5, "moved", "shop/pricing.py", "cart_total", "shop/cart.py", "cart_total"),
            (c4, "renamed", "shop/cart.py", "cart_total", "shop/cart.py", "total"),
            (c3, "signature_changed", "shop/cart.py", "total", None, None),
            (c2, "changed", "shop/cart.py", "total", None, None),
            (c1, "added", "shop/cart.py", "total", None, None),
        ]
        assert entries[-1].message == "add total" and entries[-1].author == "Ada Author"
        removed = index.history("shop/pricing.py::cart_total", at=c6)
        assert [(e.commit, e.change) for e in removed][:2] == [(c6, "removed"), (c5, "moved")]
        # A file that was there, asked before it was: no history, not an error; a path
        # that never was a file (a typo): an error, as refs and outline give.
        assert index.history("shop/pricing.py::cart_total", at=c1) == []
        assert index.history("shop/cart.py::nothing_like_it") == []
        with pytest.raises(UnknownPath):
            index.history("shop/pricing_typo.py::cart_total")


def test_history_says_where_its_indexed_history_begins(make_repo: MakeRepo) -> None:
    repo = make_repo()
    repo.write("a.py", "def kept():\n    return 1\n\n\ndef edited():\n    return 1\n")
    repo.commit("one")
    repo.write("a.py", "def kept():\n    return 1\n\n\ndef edited():\n    return 2\n")
    second = repo.commit("two")
    repo.write("b.py", "x = 1\n")
    third = repo.commit("three")
    index_repository(repo.path, options=IndexOptions(jobs=1, history=2))
    with open_index(repo.path) as index:
        kept = [(e.commit, e.change) for e in index.history("a.py::kept")]
        edited = [(e.commit, e.change) for e in index.history("a.py::edited")]
    # The oldest indexed commit is `second`: both were there; only `edited` changed in it,
    # which takes a commit not indexed to see, so it too is `present` there.
    assert kept == [(second, "present")]
    assert edited == [(second, "present")]
    assert third != second


def test_history_reads_stored_changes_and_walks_trees_without_them(
    make_repo: MakeRepo,
) -> None:
    """Each commit's changed files against its first parent are stored at index time;
    history replays them. A store without them (migrated from schema 4) walks the trees
    and answers the same, and its next index run records them."""
    import duckdb

    repo, (c1, _c2, c3, c4, c5, c6) = evolving(make_repo)
    store = repo.path / ".git" / "symbiote" / "index.duckdb"
    con = duckdb.connect(str(store))
    blob = {
        (c, p): repo.git("rev-parse", f"{c}:{p}")
        for c in (c3, c4)
        for p in ("shop/cart.py", "shop/main.py")
    }
    assert con.execute(
        "SELECT path, before_blob, before_language, after_blob, after_language "
        "FROM file_changes WHERE commit = ? ORDER BY path",
        [c4],
    ).fetchall() == [
        ("shop/cart.py", blob[c3, "shop/cart.py"], "python", blob[c4, "shop/cart.py"], "python"),
        ("shop/main.py", blob[c3, "shop/main.py"], "python", blob[c4, "shop/main.py"], "python"),
    ]
    assert con.execute(
        "SELECT commit, files FROM commit_diffs WHERE commit IN (?, ?, ?) ORDER BY files",
        [c1, c5, c6],
    ).fetchall() == [(c6, 1), (c1, 2), (c5, 3)]
    con.close()

    def answers() -> list[list[tuple[str, str, str, str]]]:
        with open_index(repo.path) as index:
            return [
                [(e.commit, e.change, e.path, e.qualified_name) for e in index.history(t, at=at)]
                for t, at in (
                    ("shop/pricing.py::cart_total", c5),
                    ("shop/pricing.py::cart_total", c6),
                    ("shop/cart.py::helper", c6),
                )
            ]

    stored = answers()
    assert [len(a) for a in stored] == [5, 6, 1]
    con = duckdb.connect(str(store))
    references_as_schema_7(con)
    con.execute("DROP TABLE file_changes")
    con.execute("DROP TABLE commit_diffs")
    con.execute("UPDATE index_meta SET value = '4' WHERE key = 'schema_version'")
    con.close()
    index_repository(repo.path, options=IndexOptions(jobs=1, history=0, refs=["main"]))
    con = duckdb.connect(str(store))
    assert con.execute("SELECT count(*) FROM commit_diffs").fetchall() == [(6,)]
    con.execute("DELETE FROM file_changes")  # as after the migration, before the run
    con.execute("DELETE FROM commit_diffs")
    con.close()
    assert answers() == stored


def test_diff_between_refs(make_repo: MakeRepo) -> None:
    repo, (c1, _c2, c3, c4, c5, _c6) = evolving(make_repo)
    with open_index(repo.path) as index:
        changed = index.diff(c1, c3)
        assert [(e.change, e.qualified_name, e.signature_changed) for e in changed] == [
            ("changed", "total", True)
        ]
        assert changed[0].previous_signature == "def total(items)"
        assert changed[0].signature == "def total(items, tax=0)"
        assert [(r.path, r.line, r.resolution) for r in changed[0].references] == [
            ("shop/main.py", 1, "import"),
            ("shop/main.py", 3, "import"),
        ]
        renamed = index.diff(c3, c4)
        assert [(e.change, e.qualified_name, e.previous_qualified_name) for e in renamed] == [
            ("renamed", "cart_total", "total")
        ]
        moved = index.diff(c4, c5)
        assert [(e.change, e.path, e.previous_path) for e in moved] == [
            ("moved", "shop/pricing.py", "shop/cart.py")
        ]
        assert index.diff(c5, c5) == []


def test_diff_lists_each_reference_with_its_own_resolution(make_repo: MakeRepo) -> None:
    repo = make_repo()
    repo.write(
        "lib.py", "def area(w, h):\n    return w * h\n\n\ndef square(s):\n    return area(s, s)\n"
    )
    repo.write("app.py", "from lib import area\n\nprint(area(1, 2))\n")
    repo.write("misc.py", "def run(shape):\n    return shape.area(3, 4)\n")
    c1 = repo.commit("area")
    repo.write(
        "lib.py", "def area(w, h=1):\n    return w * h\n\n\ndef square(s):\n    return area(s, s)\n"
    )
    c2 = repo.commit("area: h defaults to 1")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    with open_index(repo.path) as index:
        (entry,) = index.diff(c1, c2)
        assert (entry.change, entry.qualified_name, entry.signature_changed) == (
            "changed",
            "area",
            True,
        )
        assert [(r.path, r.line, r.resolution, r.target) for r in entry.references] == [
            ("lib.py", 6, "scope", entry.new),
            ("app.py", 1, "import", entry.new),
            ("app.py", 3, "import", entry.new),
            ("misc.py", 2, "name", entry.new),
        ]
        assert entry.reference_count == 4


def test_snapshot_cache_is_reused_and_retired_by_reextraction(make_repo: MakeRepo) -> None:
    import duckdb

    repo = project(make_repo)
    index_repository(repo.path, options=IndexOptions(jobs=1))
    store = repo.path / ".git" / "symbiote" / "index.duckdb"
    with open_index(repo.path) as index:
        before = index.symbols()
        index.refs("app/util.py::backoff")
    # <commit>-<generation>-<kind>-<digest of the query>.arrow
    cached = sorted(
        p.name.split("-")[2] for p in store.with_name("index.duckdb.snapshots").iterdir()
    )
    # The bindings are read beside the references (the resolver's next need).
    assert cached == ["bindings", "files", "references", "symbols"]
    con = duckdb.connect(str(store))  # what an extractor change does: stale rows
    con.execute("UPDATE blobs SET patterns_digest = 'old' WHERE language = 'python'")
    con.execute("DELETE FROM code_symbols WHERE name = 'backoff'")
    con.close()
    index_repository(repo.path, options=IndexOptions(jobs=1))  # re-extracts, new generation
    folder = store.with_name("index.duckdb.snapshots")
    old = {p.name.split("-")[1] for p in folder.iterdir()}
    with open_index(repo.path) as index:
        assert index.symbols() == before
        assert len(index.refs("app/util.py::backoff")) == 4
    # Only the live generation's files are left: the first save of the new one swept.
    generations = {p.name.split("-")[1] for p in folder.iterdir()}
    assert len(old) == 1 and len(generations) == 1 and generations != old
    assert len(list(folder.iterdir())) == 4


def test_a_damaged_snapshot_file_is_read_again_from_the_store(make_repo: MakeRepo) -> None:
    repo = project(make_repo)
    index_repository(repo.path, options=IndexOptions(jobs=1))
    folder = repo.path / ".git" / "symbiote" / "index.duckdb.snapshots"
    with open_index(repo.path) as index:
        symbols, refs = index.symbols(), index.refs("app/util.py::backoff")
    for path in folder.iterdir():  # every cached file cut short
        path.write_bytes(path.read_bytes()[:100])
    stale = folder / "0000-old-references.parquet"  # a file of the earlier format
    stale.write_bytes(b"PAR1")
    writing = folder / "tmpabc.tmp"  # another process's file being written
    writing.write_bytes(b"")
    with open_index(repo.path) as index:
        assert index.symbols() == symbols
        assert index.refs("app/util.py::backoff") == refs
    assert writing.exists() and not stale.exists()  # swept: another format
    with open_index(repo.path) as index:  # the files were written again, whole
        assert index.symbols() == symbols
    assert all(p.stat().st_size > 100 for p in folder.glob("*.arrow"))


def test_a_store_made_anew_does_not_read_the_old_stores_snapshots(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    from symbiote.indexer import Limits

    repo = project(make_repo)
    store = tmp_path / "s.duckdb"
    index_repository(repo.path, store, IndexOptions(jobs=1))
    with open_index(repo.path, store=store) as index:
        assert index.symbols(path="app/util.py") != []  # cached now
    store.unlink()  # the store goes; its snapshot folder stays
    # The same commit, other rows: every file is over the size limit now.
    index_repository(repo.path, store, IndexOptions(jobs=1, limits=Limits(max_bytes=1)))
    with open_index(repo.path, store=store) as index:
        assert index.symbols() == []


def test_two_readers_of_one_store_in_one_process(index: Index) -> None:
    repo_path = Path(index.status().path)
    with open_index(repo_path) as second:
        assert second.symbols() == index.symbols()
    assert index.find("backoff")  # the first reader is still usable


RESPONSE_JS = """\
var res = Object.create(http.ServerResponse.prototype);

res.send = function send(body) {
  return this.end(body);
};

res.set = res.header = function header(field, value) {
  this.setHeader(field, value);
};

function View(name) {
  this.render = function (options) {};
}

View.prototype.lookup = function lookup(name) {};

exports.parse = function parse(text) {};
"""


def test_find_answers_assignments_by_the_name_the_code_gives_them(make_repo: MakeRepo) -> None:
    repo = make_repo()
    repo.write("lib/response.js", RESPONSE_JS)
    repo.commit("response")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    with open_index(repo.path) as index:
        assert names(index.find("res.send")) == ["lib/response.js::res.send"]
        assert names(index.find("send")) == ["lib/response.js::res.send"]
        assert names(index.find("res.header")) == ["lib/response.js::res.header"]
        assert names(index.find("set")) == ["lib/response.js::res.set"]
        assert names(index.find("View.lookup")) == ["lib/response.js::View.lookup"]
        assert names(index.find("View.render")) == ["lib/response.js::View.render"]
        assert names(index.find("parse")) == ["lib/response.js::parse"]
        outline = index.outline("lib/response.js")
        view = next(n for n in outline if n.symbol.name == "View")
        assert [c.symbol.qualified_name for c in view.children] == ["View.render", "View.lookup"]


def test_goto_says_how_sure_each_answer_is(make_repo: MakeRepo) -> None:
    repo = make_repo()
    repo.write("app/a.py", "def run():\n    pass\n\n\ndef go(x):\n    x.run()\n")
    repo.write("app/b.py", "def run():\n    pass\n")
    repo.write("lib/c.py", "def run():\n    pass\n")
    repo.write("tests/test_d.py", "def run():\n    pass\n")
    repo.commit("four runs")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    with open_index(repo.path) as index:
        found = index.goto("app/a.py", 6, 6)  # x.run(): x has no type the code shows
        assert found.resolution == "name"
        # The same file (8), the same folder (2), elsewhere (1), a test (1/2).
        assert names(found.targets) == [
            "app/a.py::run",
            "app/b.py::run",
            "lib/c.py::run",
            "tests/test_d.py::run",
        ]
        assert found.confidence == [0.6957, 0.1739, 0.087, 0.0435]
        precise = index.goto("app/a.py", 5, 4)
        assert (precise.resolution, precise.confidence) == ("definition", [1.0])


def test_refs_and_callers_keep_a_minimum_resolution(index: Index) -> None:
    every = index.refs("app/client.py::Client.send")
    assert [(r.path, r.line, r.resolution) for r in every] == [("app/main.py", 6, "type")]
    guesses = index.refs("app/util.py::backoff", options=RefsOptions(min_resolution="scope"))
    assert guesses == []
    imported = index.refs("app/util.py::backoff", options=RefsOptions(min_resolution="import"))
    assert len(imported) == 4 and {r.resolution for r in imported} == {"import"}
    calls = index.refs("app/util.py::backoff", options=RefsOptions(kind="call"))
    assert [(r.path, r.line) for r in calls] == [("app/client.py", 13), ("tests/test_util.py", 5)]
    callers = index.callers(
        "app/client.py::Client.send", options=GraphOptions(min_resolution="import")
    )
    assert callers.edges == []
    with pytest.raises(QueryError):
        index.refs("app/util.py::backoff", options=RefsOptions(min_resolution="maybe"))


def test_find_answers_a_member_a_class_inherits(make_repo: MakeRepo) -> None:
    repo = make_repo()
    repo.write("app/base.py", "class Base:\n    def route(self):\n        pass\n")
    repo.write(
        "app/web.py",
        "from app.base import Base\n\n\nclass Web(Base):\n    def own(self):\n        pass\n",
    )
    repo.commit("inheritance")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    with open_index(repo.path) as index:
        [found] = index.find("Web.route")
        assert (found.symbol, found.inherited_by) == ("app/base.py::Base.route", "app/web.py::Web")
        assert [s.symbol for s in index.find("Web.own")] == ["app/web.py::Web.own"]
        assert index.find("Web.own")[0].inherited_by is None
        assert index.find("Web.nothing") == []


def test_readers_and_the_owner_cap_duckdbs_memory(index: Index, tmp_path: Path) -> None:
    from symbiote.indexer.store import Store, open_shared

    # DuckDB's own default is 80 % of the machine's memory (an MCP server once grew to
    # 7 GB answering SQL); a reader keeps to 256 MB and the owner's instance to 64 MB,
    # and a write job in the owner has its own (larger) limit while it runs.
    assert index.sql("SELECT current_setting('memory_limit') AS m").rows[0][0] == "244.1 MiB"
    limit = "61.0 MiB"
    path = tmp_path / "owned.duckdb"
    con = open_shared(path)

    def owned() -> str:
        found = con.execute("SELECT current_setting('memory_limit')").fetchone()
        assert found is not None
        return str(found[0])

    try:
        assert owned() == limit
        with Store(path, memory_limit="512MB"):
            assert owned() == "488.2 MiB"
            with Store(path, memory_limit="300MB"), Store(path):
                assert owned() == "488.2 MiB"
            assert owned() == "488.2 MiB"
        assert owned() == limit
    finally:
        con.close()


def test_refs_and_callers_list_uses_in_source_before_uses_in_tests(make_repo: MakeRepo) -> None:
    """Within one resolution, uses in source code come first, then uses in examples,
    docs and benchmarks, then uses in test files, though those sort first by path:
    `callers` answers who calls it in the code first. A diff's references of a changed
    definition follow the same order."""
    repo = make_repo()
    repo.write("core/__init__.py", "")
    repo.write("core/price.py", "def total(xs):\n    return sum(xs)\n")
    use = "from core.price import total\n\n\ndef {name}():\n    return total([1])\n"
    repo.write("a_tests/test_price.py", use.format(name="test_total"))
    repo.write("b/cart.py", use.format(name="checkout"))
    repo.write("c/spec/check.py", use.format(name="check"))
    repo.write("d/report.py", use.format(name="report"))
    repo.write("a/examples/shop.py", use.format(name="shop"))
    repo.commit("one")
    repo.write("core/price.py", "def total(xs, start=0):\n    return sum(xs, start)\n")
    repo.commit("two")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    with open_index(repo.path) as index:
        calls = [(r.path, r.kind) for r in index.refs("core/price.py::total") if r.kind == "call"]
        assert calls == [
            ("b/cart.py", "call"),
            ("d/report.py", "call"),
            ("a/examples/shop.py", "call"),
            ("a_tests/test_price.py", "call"),
            ("c/spec/check.py", "call"),
        ]
        graph = index.callers("core/price.py::total")
        assert [e.caller.qualified_name for e in graph.edges if e.caller] == [
            "checkout",
            "report",
            "shop",
            "test_total",
            "check",
        ]
        (entry,) = [e for e in index.diff("HEAD~1") if e.qualified_name == "total"]
        assert [r.path for r in entry.references if r.kind == "call"] == [p for p, _ in calls]


def test_refs_callers_and_diff_follow_a_name_imported_under_another(make_repo: MakeRepo) -> None:
    # `from core.price import total as _total`, renamed again by a re-export, and
    # TypeScript's `import { total as sum }`: uses under those names are references to
    # `total`; a use of another `_total` (a definition of its own) is not.
    repo = make_repo()
    repo.write("core/__init__.py", "")
    repo.write("core/price.py", "def total(xs):\n    return sum(xs)\n")
    repo.write(
        "core/api.py",
        "from core.price import total as _total\n\n\ndef checkout():\n    return _total([1])\n",
    )
    repo.write("core/reexport.py", "from core.api import _total as grand\n")
    repo.write(
        "report.py",
        "from core.reexport import grand\n\n\ndef report():\n    return grand([2])\n",
    )
    repo.write(
        "other.py", "def _total(xs):\n    return 0\n\n\ndef own():\n    return _total([3])\n"
    )
    repo.write("web/price.ts", "export function total(xs: number[]): number {\n  return 0\n}\n")
    repo.write(
        "web/cart.ts",
        'import { total as sum } from "./price"\n\nexport function cart(): number {\n'
        "  return sum([1])\n}\n",
    )
    repo.commit("one")
    repo.write("core/price.py", "def total(xs, start=0):\n    return sum(xs, start)\n")
    repo.commit("two")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    with open_index(repo.path) as index:
        uses = [(r.path, r.line, r.name) for r in index.refs("core/price.py::total")]
        assert sorted(uses) == [
            ("core/api.py", 1, "total"),
            ("core/api.py", 5, "_total"),
            ("core/reexport.py", 1, "_total"),
            ("report.py", 1, "grand"),
            ("report.py", 5, "grand"),
        ]
        graph = index.callers("core/price.py::total")
        assert sorted(e.caller.qualified_name for e in graph.edges if e.caller) == [
            "checkout",
            "report",
        ]
        (entry,) = [e for e in index.diff("HEAD~1") if e.qualified_name == "total"]
        assert sorted((r.path, r.line) for r in entry.references) == [
            (path, line) for path, line, _ in sorted(uses)
        ]
        ts = [(r.path, r.line, r.name) for r in index.refs("web/price.ts::total")]
        assert sorted(ts) == [("web/cart.ts", 1, "total"), ("web/cart.ts", 4, "sum")]


def test_a_diffs_next_page_reuses_its_entries_and_their_references(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long-lived index (the MCP server, `serve`) keeps the last diff: the next page
    of the same diff reads nothing from the store and answers what the first pass would
    have. The newer commit's snapshot is held weakly: let go by the index, it is loaded
    again for the references of a later entry, with the same answers."""
    from symbiote.queries import diff as diff_module
    from symbiote.queries.options import DiffOptions

    repo = make_repo()
    for i in range(6):
        repo.write(f"m{i}.py", f"def f{i}(x):\n    return x\n")
    repo.write("use.py", "".join(f"from m{i} import f{i}\n" for i in range(6)) + "f0(1)\nf5(2)\n")
    c1 = repo.commit("one")
    for i in range(6):
        repo.write(f"m{i}.py", f"def f{i}(x, y=0):\n    return x + y\n")
    c2 = repo.commit("two")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    with open_index(repo.path) as index:
        whole = [e.to_dict() for e in index.diff(c1, c2)]
    reads: list[str] = []
    changed = diff_module.changed_definitions

    def counted(*args: object, **kwargs: object) -> object:
        reads.append("sides")
        return changed(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("symbiote.queries.changes.changed_definitions", counted)
    with open_index(repo.path) as index:
        first = index.diff_entries(c1, c2)
        pages = [first[i].to_dict() for i in range(3)]
        again = index.diff_entries(c1, c2, options=DiffOptions())
        assert again is first and reads == ["sides"]  # the next page: nothing read again
        index._commits._snapshots.clear()  # the index lets the newer commit go
        index._commits._resolvers.clear()
        gc.collect()
        assert again._references_of._snap() is None  # type: ignore[attr-defined]
        pages += [again[i].to_dict() for i in range(3, len(again))]
        assert pages == whole
        assert [e["reference_count"] for e in pages] == [2, 1, 1, 1, 1, 2]
        index.diff_entries(c1, c2, options=DiffOptions(references=False))
        assert reads == ["sides", "sides"]  # other options: another diff
