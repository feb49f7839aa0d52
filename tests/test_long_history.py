"""What keeps answers quick on a long history, asserted on query plans and on answers
(never on time): the macros' joins hash one commit's files rather than a whole table,
a diff read a page at a time equals the whole diff, and call graphs over names that many
definitions share find the same callers."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from symbiote.indexer import IndexOptions, index_repository
from symbiote.queries import GraphOptions, open_index
from symbiote.queries.reader import equals
from tests.conftest import GitRepo

MakeRepo = Callable[..., GitRepo]


def _scans(node: dict[str, Any]) -> set[str]:
    """Tables a plan node reads, itself and below."""
    table = node.get("extra_info", {}).get("Table")
    found = {str(table).rsplit(".", 1)[-1]} if table else set()
    for child in node.get("children", []):
        found |= _scans(child)
    return found


def _joins(node: dict[str, Any]) -> list[dict[str, Any]]:
    found = [node] if node.get("name") == "HASH_JOIN" else []
    for child in node.get("children", []):
        found += _joins(child)
    return found


def test_a_commits_rows_hash_its_files_not_the_table(make_repo: MakeRepo) -> None:
    import duckdb

    repo = make_repo()
    for i in range(6):  # enough trees that a walk of them is estimated at many rows
        repo.write(f"pkg{i}/sub/mod.py", f"def f{i}():\n    return g()\n\n\ndef g():\n    f{i}()\n")
        repo.commit(f"c{i}")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    store = Path(repo.path) / ".git" / "symbiote" / "index.duckdb"
    con = duckdb.connect(str(store), read_only=True)
    try:
        macros = (
            ("references_at", ("code_references", "code_symbols")),  # its enclosing definition
            ("symbols_at", ("code_symbols",)),
        )
        for macro, tables in macros:
            (plan,) = json.loads(
                con.execute(f"EXPLAIN (FORMAT json) SELECT * FROM {macro}('HEAD')").fetchall()[0][1]
            )
            # DuckDB hashes a join's right (build) side: each table is probed with the
            # commit's rows, never hashed whole.
            sides = [j["children"] for j in _joins(plan)]
            for table in tables:
                assert any(_scans(probe) == {table} for probe, _ in sides), (macro, table)
                assert all(_scans(build) != {table} for _, build in sides), (macro, table)
        rows = con.execute("SELECT count(*) FROM references_at('HEAD')").fetchall()
        assert rows == [(12,)]
    finally:
        con.close()


def _eight_changed(make_repo: MakeRepo) -> tuple[GitRepo, str, str]:
    """Two indexed commits: eight functions used once each, then all eight changed."""
    repo = make_repo()
    repo.write("lib.py", "".join(f"def f{i}(a):\n    return a\n\n\n" for i in range(8)))
    repo.write("app.py", "from lib import *\n\n" + "".join(f"f{i}(1)\n" for i in range(8)))
    c1 = repo.commit("one")
    repo.write("lib.py", "".join(f"def f{i}(a, b=0):\n    return a\n\n\n" for i in range(8)))
    c2 = repo.commit("two")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    return repo, c1, c2


def test_a_diff_read_a_page_at_a_time_is_the_whole_diff(make_repo: MakeRepo) -> None:
    repo, c1, c2 = _eight_changed(make_repo)
    with open_index(repo.path) as index:
        whole = index.diff(c1, c2)
        assert [(e.change, e.qualified_name, e.reference_count) for e in whole] == [
            ("changed", f"f{i}", 1) for i in range(8)
        ]
        pages = index.diff_entries(c1, c2)
        assert len(pages) == len(whole)
        assert pages[5:] == whole[5:]  # read first: its entries get their references
        assert pages[2] == whole[2]
        assert list(pages) == whole


def test_callers_through_a_name_many_definitions_share(make_repo: MakeRepo) -> None:
    repo = make_repo()
    for i in range(12):  # more candidates than a short list: searched by their keys
        repo.write(f"m{i}.py", f"class K{i}:\n    def run(self):\n        return {i}\n")
    repo.write("use.py", "def go(x):\n    return x.run()\n\n\ndef top():\n    return go(1)\n")
    repo.commit("many runs")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    with open_index(repo.path) as index:
        found = index.refs("m3.py::K3.run")
        assert [(r.path, r.line, r.resolution) for r in found] == [("use.py", 2, "name")]
        graph = index.callers("m3.py::K3.run", options=GraphOptions(depth=2))
        assert [(e.depth, e.caller.qualified_name if e.caller else None) for e in graph.edges] == [
            (1, "go"),
            (2, "top"),
        ]
        other = index.callers("m7.py::K7.run", options=GraphOptions(depth=1))
        assert [e.caller.qualified_name if e.caller else None for e in other.edges] == ["go"]


def test_a_snapshots_columns_share_equal_texts_and_pack_numbers(make_repo: MakeRepo) -> None:
    repo = make_repo()
    repo.write("a.py", "def f(x):\n    return g(x) + g(x) + h(x)\n\n\ndef g(x):\n    return x\n")
    repo.commit("one")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    with open_index(repo.path) as index:
        snap = index.snapshot("HEAD")
        columns = snap.reference_columns()
        names, paths = columns["name"], columns["path"]
        assert sorted(names) == ["g", "g", "h"]
        first = {name: i for i, name in reversed(list(enumerate(names)))}
        assert all(names[i] is names[first[names[i]]] for i in range(len(names)))
        assert all(p is paths[0] for p in paths)
        lines, starts = columns["start_line"], columns["start_byte"]
        assert list(lines) == [2] * 3
        assert sorted(starts) == [21, 28, 35]
        assert [columns["enclosing"][i] for i in range(len(names))] == ["f"] * 3


def test_snapshots_kept_between_calls_fit_their_byte_budget(make_repo: MakeRepo) -> None:
    from symbiote.queries.commits import Commits
    from symbiote.queries.reader import Reader

    repo = make_repo()
    repo.write("a.py", "def f(x):\n    return g(x)\n\n\ndef g(x):\n    return x\n")
    first = repo.commit("one")
    repo.write("b.py", "def h():\n    return 1\n")
    second = repo.commit("two")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    store = Path(repo.path) / ".git" / "symbiote" / "index.duckdb"
    reader = Reader(store)
    try:
        roomy = Commits(reader, Path(repo.path))
        one = roomy.snapshot(first)
        one.reference_columns()
        roomy.snapshot(second)
        assert roomy.is_loaded(first) and roomy.is_loaded(second)

        tight = Commits(reader, Path(repo.path), cache_bytes=one.nbytes() + 1)
        again = tight.snapshot(first)
        again.reference_columns()
        assert tight.snapshot(first) is again  # asked again: kept
        two = tight.snapshot(second)  # no room for both: the older one went first
        assert not tight.is_loaded(first) and tight.is_loaded(second)
        assert tight.snapshot(first) is not again  # loaded anew
        assert [s.qualified_name for s in two.symbols] == ["f", "g", "h"]
    finally:
        reader.close()


def test_rows_grouped_by_text_in_arrows_order_stably() -> None:
    import pyarrow as pa

    from symbiote.queries.columns import encoded, group_rows, group_rows_arrow, pylist

    table = pa.table(
        {
            "name": ["é", "b", None, "a", "b", "Z", "ä", "a", None, "b"],
            "start": [5, 3, 1, 9, 3, 0, 2, 1, 0, 2],
        }
    )
    by_name = group_rows(table, [("name", "ascending")])
    assert [(name, list(rows)) for name, rows in by_name.items()] == [
        ("Z", [5]),
        ("a", [3, 7]),
        ("b", [1, 4, 9]),
        ("ä", [6]),
        ("é", [0]),
        (None, [2, 8]),
    ]
    by_start = group_rows(table, [("name", "ascending"), ("start", "ascending")])
    assert list(by_start["b"]) == [9, 1, 4] and list(by_start["a"]) == [7, 3]
    coded = encoded(table, ["name"])  # the same, over a dictionary-encoded column
    assert pa.types.is_dictionary(coded.schema.field("name").type)
    assert list(pylist(coded.column("name"))) == table.column("name").to_pylist()
    for keys in ([("name", "ascending")], [("name", "ascending"), ("start", "ascending")]):
        expected = list(group_rows_arrow(table, keys).items())
        assert list(group_rows(table, keys).items()) == expected
        assert list(group_rows(coded, keys).items()) == expected


def test_a_column_of_many_distinct_texts_reads_alike_from_a_mapped_file(tmp_path: Path) -> None:
    import pyarrow as pa

    from symbiote.queries.columns import Coded, Words, encoded, pylist

    # Past a few thousand distinct values a column keeps them as Arrow holds them (the
    # mapped file's bytes) and makes each a str when read: the same values, NULLs and
    # non-ASCII text included, plain or dictionary-encoded, whole or a slice.
    names = [None if i % 997 == 0 else f"q{i % 6000}.é{i}" for i in range(9000)]
    table = encoded(pa.table({"name": names}), ["name"])
    path = tmp_path / "t.arrow"
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    with pa.memory_map(str(path)) as source:
        mapped = pa.ipc.open_file(source).read_all()
    for column, expected in (
        (mapped.column("name"), names),
        (pa.chunked_array([pa.array(names)]), names),
        (mapped.column("name").slice(4321, 3000), names[4321:7321]),
    ):
        values = pylist(column)
        assert isinstance(values, Coded) and isinstance(values._words, Words)
        assert list(values) == expected
        assert [values[i] for i in range(len(expected))] == expected
        assert values[10:20] == expected[10:20]
    few = pylist(pa.chunked_array([pa.array(["a", "b", None, "a"])]))
    assert isinstance(few, Coded) and isinstance(few._words, list)
    assert list(few) == ["a", "b", None, "a"]


def test_a_qualified_name_is_found_alike_before_and_after_its_index(make_repo: MakeRepo) -> None:
    repo = make_repo()
    repo.write("a.py", "class A:\n    def f(self):\n        pass\n\n\ndef f():\n    pass\n")
    repo.write("b.py", "class A:\n    def f(self):\n        pass\n")
    repo.commit("one")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    with open_index(repo.path) as index:
        snap = index.snapshot("HEAD")
        before = {q: snap.qualified_rows(q) for q in ("A", "A.f", "f", "nothing")}
        assert [len(rows) for rows in before.values()] == [2, 2, 1, 0]
        assert before == {q: list(snap.by_qualified.get(q, [])) for q in before}
        assert {q: snap.qualified_rows(q) for q in before} == before
        assert [s.symbol for s in index.find("A.f")] == ["a.py::A.f", "b.py::A.f"]


def test_rows_are_placed_at_their_blobs_paths_from_plain_or_coded_columns() -> None:
    import pyarrow as pa

    from symbiote.queries.columns import encoded, placed

    table = pa.table(
        {
            "blob": ["b1", "b2", "b1", "b3", "b2", "b4", "b1"],
            "language": ["python", None, "python", "python", None, "python", "go"],
            "line": [1, 2, 3, 4, 5, 6, 7],
        }
    )
    one_each = {("b1", "python"): ["a.py"], ("b2", None): ["b.txt"], ("b3", "python"): ["c.py"]}
    # b4 is at no path (its row is dropped), b1 as Go neither
    for source in (table, encoded(table, ["blob", "language"])):
        out = placed(source, one_each)
        assert out.column("line").to_pylist() == [1, 2, 3, 4, 5]
        assert out.column("path").cast(pa.string()).to_pylist() == [
            "a.py",
            "b.txt",
            "a.py",
            "c.py",
            "b.txt",
        ]
    shared = {**one_each, ("b1", "python"): ["a.py", "copy/a.py"]}  # a blob at two paths
    for source in (table, encoded(table, ["blob", "language"])):
        out = placed(source, shared)
        lines, paths = out.column("line").to_pylist(), out.column("path").to_pylist()
        rows = list(zip(lines, paths, strict=True))
        assert rows == [
            (1, "a.py"),
            (1, "copy/a.py"),
            (2, "b.txt"),
            (3, "a.py"),
            (3, "copy/a.py"),
            (4, "c.py"),
            (5, "b.txt"),
        ]
    assert placed(table.slice(0, 0), one_each).num_rows == 0


def test_a_diff_kept_for_its_next_page_lets_go_of_the_commits_it_read(
    make_repo: MakeRepo,
) -> None:
    """A diff is kept for its next page, with copies of the definitions it compares: once
    the index lets the newer commit go, its snapshot is freed, not held by the diff."""
    import gc
    import weakref

    repo, c1, c2 = _eight_changed(make_repo)
    with open_index(repo.path) as index:
        index._commits.cache_size = 1  # the index keeps one commit
        entries = index.diff_entries(c1, c2)
        first = [e.to_dict() for e in entries[:3]]
        newer = weakref.ref(index.snapshot(c2).symbols)
        index.snapshot(c1)  # c2's goes
        gc.collect()
        assert newer() is None
        again = index.diff_entries(c1, c2)
        assert again is entries  # the kept diff
        assert [e.to_dict() for e in again] == [e.to_dict() for e in index.diff(c1, c2)]
        assert [e.to_dict() for e in again[:3]] == first
        assert [e.change for e in again] == ["changed"] * 8


def test_a_names_versions_read_a_few_columns_at_a_time_equal_one_query(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`history` reads the stored versions of a name a few columns at a time (an index
    lookup of every column at once needs more memory than an owner allows DuckDB when
    they spread over many row groups), and by a scan when even that runs out of memory:
    both give the rows of one query, in store order."""
    from symbiote.indexer.errors import OutOfMemory
    from symbiote.queries import history
    from symbiote.queries.reader import Reader

    repo = make_repo()
    for i in range(5):
        repo.write("a.py", f"class Run:\n    def go(self, n={i}):\n        return n + {i}\n")
        repo.write(f"b{i}.py", f"def go():\n    return {i}\n")
        repo.commit(f"c{i}")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    with open_index(repo.path) as index:
        reader = index._commits.reader
        for name in ("Run.go", "go", "missing"):
            where, params = equals("s.qualified_name", name)
            whole = reader.rows(
                history._VERSION_COLUMNS + f"WHERE {where} ORDER BY s.rowid", params
            )
            assert history._rows_named(reader, name) == whole
            assert len(whole) == {"Run.go": 5, "go": 5, "missing": 0}[name]

            def out_of_memory(self: Reader, queries: object) -> object:
                raise OutOfMemory("index query failed: Out of Memory Error")

            # DuckDB runs out of memory there on a store whose rows spread over many row
            # groups (see the function); a test repository's rows fit in one.
            with monkeypatch.context() as patch:
                patch.setattr(Reader, "rows_together", out_of_memory)
                assert history._rows_named(reader, name) == whole
        assert len(index.history("a.py::Run.go")) == 5


def test_a_diff_keeps_the_ordinals_of_the_definitions_it_reports(make_repo: MakeRepo) -> None:
    """A diff keeps the rows of the definitions it reports only: one defined twice in a
    file is still its second (`#2`), counted among every definition of the file."""
    repo = make_repo()
    twice = "def f():\n    return 1\n\n\ndef g():\n    return 0\n\n\ndef f():\n    return {}\n"
    repo.write("a.py", twice.format(2))
    repo.write("b.py", "def h():\n    return 3\n")
    c1 = repo.commit("one")
    repo.write("a.py", twice.format(4))
    c2 = repo.commit("two")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    with open_index(repo.path) as index:
        (entry,) = index.diff(c1, c2)
        assert entry.change == "changed"
        assert entry.old is not None and entry.new is not None
        assert (entry.old.to_dict()["symbol"], entry.new.to_dict()["symbol"]) == (
            "a.py::f#2",
            "a.py::f#2",
        )
        assert index.definition("a.py::f#2", at=c2) == entry.new
