"""The indexing job on real repositories built per test."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest

from symbiote.indexer import (
    EmptyRepository,
    IndexOptions,
    RepositoryError,
    UnknownRevision,
    index_repository,
    verify_store,
)
from symbiote.indexer.errors import NotIndexed, SchemaMismatch
from symbiote.indexer.gitrepo import DELTA_BASE_CACHE, GitRepository
from symbiote.indexer.schema import SCHEMA_VERSION
from symbiote.indexer.store import Store
from symbiote.queries import open_index
from tests.conftest import GitRepo
from tests.support.old_stores import references_as_schema_7

MakeRepo = Callable[..., GitRepo]
ONE_JOB = IndexOptions(jobs=1)


def store_of(repo: GitRepo) -> Path:
    return repo.path / ".git" / "symbiote" / "index.duckdb"


def query(repo: GitRepo, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(store_of(repo)), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def names_at(repo: GitRepo, rev: str) -> list[tuple[str, str]]:
    with open_index(repo.path) as index:
        return [(s.path, s.qualified_name) for s in index.symbols(at=rev)]


def small_history(make_repo: MakeRepo) -> tuple[GitRepo, list[str]]:
    repo = make_repo()
    repo.write("pkg/a.py", "def alpha():\n    return 1\n")
    repo.write("pkg/b.py", "class Beta:\n    def run(self):\n        return alpha()\n")
    repo.write("README.md", "# readme\n")
    first = repo.commit("first")
    repo.write("pkg/a.py", "def alpha():\n    return 2\n\ndef gamma():\n    pass\n")
    second = repo.commit("second: add gamma")
    repo.remove("pkg/b.py")
    third = repo.commit("third: drop Beta")
    return repo, [first, second, third]


def test_symbols_of_every_commit_are_answerable(make_repo: MakeRepo) -> None:
    repo, (first, second, third) = small_history(make_repo)
    summary = index_repository(repo.path, options=ONE_JOB)
    assert summary.commits_indexed == 3
    assert names_at(repo, first) == [
        ("pkg/a.py", "alpha"),
        ("pkg/b.py", "Beta"),
        ("pkg/b.py", "Beta.run"),
    ]
    assert names_at(repo, second) == [
        ("pkg/a.py", "alpha"),
        ("pkg/a.py", "gamma"),
        ("pkg/b.py", "Beta"),
        ("pkg/b.py", "Beta.run"),
    ]
    assert names_at(repo, "HEAD") == [("pkg/a.py", "alpha"), ("pkg/a.py", "gamma")]
    assert names_at(repo, "main~2") == names_at(repo, first)


def test_sql_macros_give_rows_of_a_ref(make_repo: MakeRepo) -> None:
    repo, (first, _second, _third) = small_history(make_repo)
    repo.git("tag", "v1", first)
    index_repository(repo.path, options=ONE_JOB)
    rows = query(repo, "SELECT path, qualified_name, kind FROM symbols_at('v1') ORDER BY 1, 2")
    assert rows == [
        ("pkg/a.py", "alpha", "function"),
        ("pkg/b.py", "Beta", "class"),
        ("pkg/b.py", "Beta.run", "method"),
    ]
    refs = query(repo, "SELECT path, name, kind, enclosing FROM references_at('v1')")
    assert refs == [("pkg/b.py", "alpha", "call", "Beta.run")]
    files = query(repo, "SELECT path FROM files_at('v1') ORDER BY path")
    assert files == [("README.md",), ("pkg/a.py",), ("pkg/b.py",)]


def test_references_at_names_each_enclosing_definition_once_per_path(make_repo: MakeRepo) -> None:
    # The same blob at two paths, and in an older commit a version of it whose
    # definitions are numbered differently: each reference comes once per path, named
    # by the definition of its own blob.
    repo = make_repo()
    repo.write("a/m.py", "def helper():\n    return 1\n\n\ndef main():\n    helper()\n")
    first = repo.commit("one")
    text = "X = 1\n\n\ndef helper():\n    return X\n\n\ndef main():\n    helper()\n"
    repo.write("a/m.py", text)
    repo.write("b/m.py", text)
    repo.commit("two")
    index_repository(repo.path, options=ONE_JOB)
    rows = query(
        repo,
        "SELECT path, name, start_line, enclosing FROM references_at('HEAD') "
        "ORDER BY path, start_line",
    )
    assert rows == [
        ("a/m.py", "X", 5, "helper"),
        ("a/m.py", "helper", 9, "main"),
        ("b/m.py", "X", 5, "helper"),
        ("b/m.py", "helper", 9, "main"),
    ]
    old = query(repo, "SELECT path, name, enclosing FROM references_at(?)", [first])
    assert old == [("a/m.py", "helper", "main")]


def test_each_blob_is_parsed_once_and_changes_cost_only_what_changed(make_repo: MakeRepo) -> None:
    repo = make_repo()
    for i in range(10):
        repo.write(f"src/m{i}.py", f"def f{i}():\n    pass\n")
    repo.write("copy/m0.py", "def f0():\n    pass\n")  # same blob at a second path
    repo.commit("ten modules")
    first = index_repository(repo.path, options=ONE_JOB)
    assert first.blobs_parsed == 10
    for i in range(3):
        repo.write(f"src/m{i}.py", f"def f{i}(x):\n    return x\n")
    repo.commit("change three")
    second = index_repository(repo.path, options=ONE_JOB)
    assert (second.commits_indexed, second.blobs_parsed) == (1, 3)
    assert query(repo, "SELECT count(*) FROM blobs")[0][0] == 13


def test_unchanged_subtrees_are_stored_once(make_repo: MakeRepo) -> None:
    repo = make_repo()
    for d in range(5):
        for i in range(5):
            repo.write(f"d{d}/f{i}.py", f"X{d}_{i} = {i}\n")
    repo.commit("base")
    for n in range(5):
        repo.write("d0/f0.py", f"X = {n}\n")
        repo.commit(f"touch {n}")
    index_repository(repo.path, options=ONE_JOB)
    entries = query(repo, "SELECT count(*) FROM tree_entries")[0][0]
    # 6 commits x 25 files would be 150 rows per-file-per-commit; sharing keeps it small.
    assert entries == (5 + 25) + 5 * (5 + 5)
    for rev in ("HEAD", repo.git("rev-parse", "HEAD~5")):
        assert query(repo, "SELECT count(*) FROM files_at(?)", [rev]) == [(25,)]


def test_rerun_indexes_only_what_is_new(make_repo: MakeRepo) -> None:
    repo, _ = small_history(make_repo)
    index_repository(repo.path, options=ONE_JOB)
    before = query(repo, "SELECT count(*) FROM code_symbols")
    again = index_repository(repo.path, options=ONE_JOB)
    assert (again.commits_indexed, again.blobs_parsed, again.trees_stored) == (0, 0, 0)
    assert query(repo, "SELECT count(*) FROM code_symbols") == before
    repo.write("pkg/c.py", "def delta():\n    pass\n")
    repo.commit("fourth")
    third = index_repository(repo.path, options=ONE_JOB)
    assert (third.commits_indexed, third.blobs_parsed) == (1, 1)


def test_default_plan_is_history_of_head_plus_branch_and_tag_tips(make_repo: MakeRepo) -> None:
    repo, (first, _second, _third) = small_history(make_repo)
    repo.git("checkout", "-q", "-b", "feature", first)
    repo.write("feature.py", "def feature():\n    pass\n")
    feature = repo.commit("feature work")
    repo.write("feature.py", "def feature2():\n    pass\n")
    feature_tip = repo.commit("more feature work")
    repo.git("tag", "-a", "v2", "-m", "annotated", feature)
    repo.git("checkout", "-q", "main")
    summary = index_repository(repo.path, options=ONE_JOB)
    assert summary.commits_indexed == 5  # 3 on main + feature tip + tagged commit
    refs = dict(query(repo, "SELECT name, commit FROM refs"))
    assert refs["refs/heads/feature"] == feature_tip
    assert refs["refs/tags/v2"] == feature  # annotated tags are peeled to their commit
    assert ("feature.py", "feature") in names_at(repo, "v2")


def test_options_choose_refs_and_history_depth(make_repo: MakeRepo) -> None:
    repo, (first, second, third) = small_history(make_repo)
    summary = index_repository(repo.path, options=IndexOptions(jobs=1, history=2))
    assert summary.commits_indexed == 2
    assert {r[0] for r in query(repo, "SELECT sha FROM commits")} == {second, third}
    with open_index(repo.path) as index:
        with pytest.raises(NotIndexed):
            index.symbols(at=first)
    other = make_repo("other")
    other.write("a.py", "def a():\n    pass\n")
    only = other.commit("one")
    other.write("a.py", "def b():\n    pass\n")
    other.commit("two")
    tips = index_repository(other.path, options=IndexOptions(jobs=1, refs=(only,)))
    assert tips.commits_indexed == 1


def test_unknown_ref_is_a_clear_error(make_repo: MakeRepo) -> None:
    repo, _ = small_history(make_repo)
    with pytest.raises(UnknownRevision, match="no-such-branch"):
        index_repository(repo.path, options=IndexOptions(jobs=1, refs=("no-such-branch",)))
    with pytest.raises(UnknownRevision):
        index_repository(repo.path, options=IndexOptions(jobs=1, refs=("--upload-pack=evil",)))
    index_repository(repo.path, options=ONE_JOB)
    with open_index(repo.path) as index, pytest.raises(UnknownRevision, match="nope"):
        index.symbols(at="nope")


def test_empty_repository_and_non_repository(make_repo: MakeRepo, tmp_path: Path) -> None:
    repo = make_repo()
    with pytest.raises(EmptyRepository):
        index_repository(repo.path, options=ONE_JOB)
    with pytest.raises(RepositoryError):
        index_repository(tmp_path / "not-a-repo", options=ONE_JOB)


def test_detached_head(make_repo: MakeRepo) -> None:
    repo, (first, _second, third) = small_history(make_repo)
    repo.git("checkout", "-q", "--detach", first)
    index_repository(repo.path, options=ONE_JOB)
    refs = dict(query(repo, "SELECT name, commit FROM refs"))
    assert refs["HEAD"] == first and refs["refs/heads/main"] == third
    assert ("pkg/b.py", "Beta") in names_at(repo, "HEAD")


def test_bad_input_is_recorded_with_a_status(make_repo: MakeRepo) -> None:
    repo = make_repo()
    repo.write("bin/data.py", b"\x00\x01binary\x00")
    repo.write("big.py", "x = 1\n" * 50_000)
    repo.write("latin1.py", "def caf\xe9():\n    pass\n".encode("latin-1"))
    repo.write("broken.py", "def ok():\n    pass\n\ndef broken(:\n")
    repo.write("notes.txt", "plain text\n")
    repo.write("empty.py", "")
    (repo.path / "link.py").symlink_to("broken.py")
    (repo.path / "outside.py").symlink_to("/etc/passwd")
    repo.commit("bad input")
    summary = index_repository(
        repo.path,
        options=IndexOptions(jobs=1, limits=IndexOptions().limits.__class__(max_bytes=100_000)),
    )
    statuses = dict(
        query(
            repo,
            "SELECT e.name, b.status FROM tree_entries e JOIN blobs b "
            "ON b.sha = e.object AND b.language = e.language",
        )
    )
    assert statuses == {
        "data.py": "binary",
        "big.py": "too_large",
        "latin1.py": "encoding_error",
        "broken.py": "parse_error",
        "notes.txt": "unsupported_language",
        "empty.py": "ok",
        "link.py": "symlink",
        "outside.py": "symlink",
    }
    assert summary.statuses["parse_error"] == 1
    names = names_at(repo, "HEAD")
    assert ("broken.py", "ok") in names  # what parsed is kept
    assert ("latin1.py", "caf") in names  # tree-sitter ends the name at the bad byte
    detail = query(repo, "SELECT detail FROM blobs WHERE status = 'parse_error'")[0][0]
    assert "line 4" in detail


def test_submodule_entries_are_kept(make_repo: MakeRepo) -> None:
    inner = make_repo("inner")
    inner.write("lib.py", "def lib():\n    pass\n")
    inner.commit("lib")
    outer = make_repo("outer")
    outer.write("main.py", "def main():\n    pass\n")
    outer.git(
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        str(inner.path),
        "vendor/inner",
    )
    outer.commit("with submodule")
    index_repository(outer.path, options=ONE_JOB)
    rows = query(outer, "SELECT name, kind FROM tree_entries WHERE kind = 'submodule'")
    assert rows == [("inner", "submodule")]
    assert names_at(outer, "HEAD") == [("main.py", "main")]


def test_pattern_change_reextracts_affected_blobs(make_repo: MakeRepo) -> None:
    repo, _ = small_history(make_repo)
    index_repository(repo.path, options=ONE_JOB)
    before = query(repo, "SELECT * FROM code_symbols ORDER BY blob, idx")
    con = duckdb.connect(str(store_of(repo)))
    con.execute("UPDATE blobs SET patterns_digest = 'older-patterns' WHERE language = 'python'")
    con.execute("DELETE FROM code_symbols WHERE name = 'gamma'")  # what old patterns missed
    con.close()
    summary = index_repository(repo.path, options=ONE_JOB)
    assert summary.blobs_reextracted == 3 and summary.blobs_parsed == 0
    assert query(repo, "SELECT * FROM code_symbols ORDER BY blob, idx") == before
    again = index_repository(repo.path, options=ONE_JOB)
    assert again.blobs_reextracted == 0


def test_one_store_holds_several_repositories(make_repo: MakeRepo, tmp_path: Path) -> None:
    store = tmp_path / "shared.duckdb"
    a, _ = small_history(make_repo)
    b = make_repo("b")
    b.write("main.go", "package main\n\nfunc Main() {}\n")
    b.commit("go")
    index_repository(a.path, store, ONE_JOB)
    index_repository(b.path, store, ONE_JOB)
    with open_index(b.path, store=store) as index:
        assert [s.qualified_name for s in index.symbols()] == ["main", "main.Main"]
    with open_index(a.path, store=store) as index:
        assert [s.qualified_name for s in index.symbols()] == ["alpha", "gamma"]


def test_same_repository_gives_the_same_rows(make_repo: MakeRepo, tmp_path: Path) -> None:
    repo, _ = small_history(make_repo)
    tables = ("commits", "tree_entries", "blobs", "code_symbols", "code_references")
    contents = []
    for n, jobs in enumerate((1, 2)):
        store = tmp_path / f"s{n}.duckdb"
        index_repository(repo.path, store, IndexOptions(jobs=jobs, parse_group=1))
        con = duckdb.connect(str(store), read_only=True)
        contents.append(
            {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}
        )
        con.close()
    assert contents[0] == contents[1]


def test_store_stays_out_of_the_working_tree(make_repo: MakeRepo) -> None:
    repo, _ = small_history(make_repo)
    index_repository(repo.path, options=ONE_JOB)
    assert store_of(repo).is_file()
    assert repo.git("status", "--porcelain") == ""


# The tables of schema version 1, as the code of that version created them.
SCHEMA_1 = (
    "CREATE TABLE index_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)",
    "CREATE TABLE repositories (id INTEGER PRIMARY KEY, path VARCHAR NOT NULL UNIQUE, "
    "head_branch VARCHAR, added_at TIMESTAMPTZ NOT NULL, indexed_at TIMESTAMPTZ)",
    "CREATE TABLE commits (repo_id INTEGER NOT NULL, sha VARCHAR NOT NULL, tree VARCHAR NOT NULL,"
    " parents VARCHAR[] NOT NULL, author_name VARCHAR NOT NULL, author_email VARCHAR NOT NULL,"
    " author_time TIMESTAMPTZ NOT NULL, committer_name VARCHAR NOT NULL, committer_email VARCHAR"
    " NOT NULL, committer_time TIMESTAMPTZ NOT NULL, message VARCHAR NOT NULL, "
    "PRIMARY KEY (repo_id, sha))",
    "CREATE TABLE refs (repo_id INTEGER NOT NULL, name VARCHAR NOT NULL, short_name VARCHAR NOT"
    " NULL, kind VARCHAR NOT NULL, commit VARCHAR NOT NULL, PRIMARY KEY (repo_id, name))",
    "CREATE TABLE trees (sha VARCHAR PRIMARY KEY)",
    "CREATE TABLE tree_entries (tree VARCHAR NOT NULL, name VARCHAR NOT NULL, raw_name BLOB, "
    "mode INTEGER NOT NULL, kind VARCHAR NOT NULL, object VARCHAR NOT NULL, language VARCHAR)",
    "CREATE TABLE blobs (sha VARCHAR NOT NULL, language VARCHAR NOT NULL, size BIGINT NOT NULL, "
    "status VARCHAR NOT NULL, detail VARCHAR, extractor_version INTEGER NOT NULL, "
    "patterns_digest VARCHAR, n_symbols INTEGER NOT NULL, n_references INTEGER NOT NULL, "
    "PRIMARY KEY (sha, language))",
    "CREATE TABLE code_symbols (blob VARCHAR NOT NULL, language VARCHAR NOT NULL, idx INTEGER "
    "NOT NULL, name VARCHAR NOT NULL, qualified_name VARCHAR NOT NULL, kind VARCHAR NOT NULL, "
    "parent VARCHAR, parent_idx INTEGER, start_byte INTEGER NOT NULL, end_byte INTEGER NOT NULL,"
    " start_line INTEGER NOT NULL, end_line INTEGER NOT NULL, start_col INTEGER NOT NULL, "
    "end_col INTEGER NOT NULL, name_line INTEGER NOT NULL, name_col INTEGER NOT NULL, "
    "signature VARCHAR NOT NULL, docstring VARCHAR, body_hash VARCHAR NOT NULL)",
    "CREATE TABLE code_references (blob VARCHAR NOT NULL, language VARCHAR NOT NULL, idx INTEGER"
    " NOT NULL, name VARCHAR NOT NULL, kind VARCHAR NOT NULL, start_byte INTEGER NOT NULL, "
    "end_byte INTEGER NOT NULL, start_line INTEGER NOT NULL, end_line INTEGER NOT NULL, "
    "start_col INTEGER NOT NULL, end_col INTEGER NOT NULL, enclosing VARCHAR, "
    "enclosing_idx INTEGER)",
    "INSERT INTO index_meta VALUES ('schema_version', '1')",
)


def test_a_store_of_schema_1_is_migrated_and_reextracted(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    repo, _ = small_history(make_repo)
    fresh = tmp_path / "fresh.duckdb"
    index_repository(repo.path, fresh, ONE_JOB)
    old = tmp_path / "old.duckdb"
    con = duckdb.connect(str(old))
    for statement in SCHEMA_1:
        con.execute(statement)
    con.close()
    with pytest.raises(SchemaMismatch, match="migrate"):
        open_index(repo.path, store=old)
    index_repository(repo.path, old, ONE_JOB)
    with open_index(repo.path, store=old) as migrated, open_index(repo.path, store=fresh) as new:
        assert migrated.symbols() == new.symbols()


def test_a_schema_5_store_reads_its_h_files_again_as_cpp(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    repo = make_repo()
    repo.write("geo.h", "namespace geo {\nclass Point {\n  int x;\n};\n}\n")
    repo.write("main.c", '#include "geo.h"\nint main(void) { return 0; }\n')
    repo.commit("a")
    repo.write("main.c", '#include "geo.h"\nint main(void) { return 1; }\n')
    repo.commit("b")
    fresh = tmp_path / "fresh.duckdb"
    index_repository(repo.path, fresh, ONE_JOB)
    old = tmp_path / "old.duckdb"
    index_repository(repo.path, old, ONE_JOB)
    # What schema 5 had: `.h` files as C.
    con = duckdb.connect(str(old))
    references_as_schema_7(con)
    for table, column in (("tree_entries", "language"), ("blobs", "language")):
        con.execute(f"UPDATE {table} SET {column} = 'c' WHERE {column} = 'cpp'")
    for table in ("code_symbols", "code_references"):
        con.execute(f"UPDATE {table} SET language = 'c' WHERE language = 'cpp'")
    for column in ("before_language", "after_language"):
        con.execute(f"UPDATE file_changes SET {column} = 'c' WHERE {column} = 'cpp'")
    con.execute("UPDATE index_meta SET value = '5' WHERE key = 'schema_version'")
    con.close()

    index_repository(repo.path, old, ONE_JOB)
    with open_index(repo.path, store=old) as migrated, open_index(repo.path, store=fresh) as new:
        assert migrated.symbols() == new.symbols()
        assert [(s.path, s.qualified_name) for s in migrated.symbols(path="geo.h")] == [
            ("geo.h", "geo"),
            ("geo.h", "geo.Point"),
            ("geo.h", "geo.Point.x"),
        ]
    with duckdb.connect(str(old), read_only=True) as con:
        languages = con.execute(
            "SELECT DISTINCT name, language FROM tree_entries WHERE kind = 'blob' ORDER BY name"
        ).fetchall()
    assert languages == [("geo.h", "cpp"), ("main.c", "c")]
    assert verify_store(repo.path, old).ok


def test_a_schema_6_store_gets_reference_roles(make_repo: MakeRepo, tmp_path: Path) -> None:
    repo = make_repo()
    repo.write(
        "app.py",
        "class Base:\n    pass\n\n\nclass App(Base):\n"
        "    def run(self):\n        return self.name\n",
    )
    repo.commit("a")
    fresh = tmp_path / "fresh.duckdb"
    index_repository(repo.path, fresh, ONE_JOB)
    old = tmp_path / "old.duckdb"
    index_repository(repo.path, old, ONE_JOB)
    # What schema 6 had: the kinds `inheritance` and `attribute`, and their CHECK.
    con = duckdb.connect(str(old))
    references_as_schema_7(con)
    con.execute("CREATE TABLE refs6 AS SELECT * FROM code_references")
    con.execute("DROP TABLE code_references")
    con.execute(
        "CREATE TABLE code_references (blob VARCHAR NOT NULL, language VARCHAR NOT NULL, "
        "idx INTEGER NOT NULL, name VARCHAR NOT NULL, kind VARCHAR NOT NULL CHECK (kind IN "
        "('call', 'import', 'type', 'inheritance', 'attribute', 'other')), start_byte INTEGER "
        "NOT NULL, end_byte INTEGER NOT NULL, start_line INTEGER NOT NULL, end_line INTEGER "
        "NOT NULL, start_col INTEGER NOT NULL, end_col INTEGER NOT NULL, enclosing VARCHAR, "
        "enclosing_idx INTEGER, context VARCHAR)"
    )
    con.execute(
        "INSERT INTO code_references SELECT blob, language, idx, name, CASE kind "
        "WHEN 'inherit' THEN 'inheritance' WHEN 'read' THEN 'attribute' ELSE kind END, "
        "start_byte, end_byte, start_line, end_line, start_col, end_col, enclosing, "
        "enclosing_idx, context FROM refs6"
    )
    con.execute("DROP TABLE refs6")
    con.execute("UPDATE index_meta SET value = '6' WHERE key = 'schema_version'")
    assert con.execute("SELECT DISTINCT kind FROM code_references ORDER BY 1").fetchall() == [
        ("attribute",),
        ("inheritance",),
    ]
    con.close()

    with Store(old) as store:  # opening migrates
        assert store.get_meta("schema_version") == str(SCHEMA_VERSION)
        kinds = store.rows("SELECT name, kind FROM code_references ORDER BY start_byte")
        checks = store.rows(
            "SELECT constraint_text FROM duckdb_constraints() "
            "WHERE table_name = 'blobs' AND constraint_type = 'CHECK'"
        )
    assert kinds == [("Base", "inherit"), ("name", "read")]
    assert len(checks) == 1 and "'generic', 'missing'" in checks[0][0]
    index_repository(repo.path, old, ONE_JOB)
    with (
        duckdb.connect(str(old), read_only=True) as a,
        duckdb.connect(str(fresh), read_only=True) as b,
    ):
        query = "SELECT * EXCLUDE (blob) FROM code_references ORDER BY start_byte"
        assert a.execute(query).fetchall() == b.execute(query).fetchall()
    assert verify_store(repo.path, old).ok


def test_a_store_of_an_unknown_version_is_refused(make_repo: MakeRepo, tmp_path: Path) -> None:
    repo, _ = small_history(make_repo)
    store = tmp_path / "future.duckdb"
    index_repository(repo.path, store, ONE_JOB)
    con = duckdb.connect(str(store))
    con.execute("UPDATE index_meta SET value = '99' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(Exception) as info:
        index_repository(repo.path, store, ONE_JOB)
    assert type(info.value).__name__ == "SchemaMismatch"
    # The refused store was closed: while a read-write connection stays open in this
    # process, DuckDB refuses a read-only one ("a different configuration").
    duckdb.connect(str(store), read_only=True).close()


def test_verify_reports_and_repairs_damage_to_the_store(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    from symbiote.indexer import verify_store

    repo, (first, _second, third) = small_history(make_repo)
    index_repository(repo.path, options=ONE_JOB)
    reference = tmp_path / "reference.duckdb"
    index_repository(repo.path, reference, ONE_JOB)
    assert verify_store(repo.path).ok
    con = duckdb.connect(str(store_of(repo)))
    con.execute("DELETE FROM code_symbols WHERE name = 'gamma'")  # a blob loses a row
    con.execute("DELETE FROM trees WHERE sha = (SELECT tree FROM commits WHERE sha = ?)", [first])
    con.execute("DELETE FROM file_changes WHERE commit = ? AND path = 'pkg/b.py'", [third])
    con.close()
    report = verify_store(repo.path)
    assert not report.ok
    assert sorted(c.name for c in report.checks if not c.ok) == [
        "changed files that disagree with their commit",
        "commits whose tree is missing",
        "row counts that disagree with their blob",
    ]
    repaired = verify_store(repo.path, repair=True)
    assert repaired.ok and repaired.repaired == [
        "1 blobs marked for re-extraction",
        "1 commits to index again",
        "changed files of 1 commits to record again",
    ]
    for table in ("commits", "trees", "code_symbols", "file_changes", "commit_diffs"):
        sql = f"SELECT * FROM {table} ORDER BY ALL"
        con = duckdb.connect(str(reference), read_only=True)
        expected = con.execute(sql).fetchall()
        con.close()
        assert query(repo, sql) == expected, table


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="reads /proc")
def test_git_object_readers_keep_a_small_delta_cache(make_repo: MakeRepo) -> None:
    # git's default 96 MiB delta-base cache in every worker's cat-file was ~300 MiB of
    # a large history run's peak memory.
    repo, _ = small_history(make_repo)
    with GitRepository(repo.path) as git_repo:
        kind, _ = git_repo.read_object(git_repo.resolve("HEAD"))
        assert kind == "commit"
        readers = []
        for entry in Path("/proc").iterdir():
            try:
                status = (entry / "status").read_text()
                cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            parent = next(line for line in status.splitlines() if line.startswith("PPid:"))
            if int(parent.split()[1]) == os.getpid() and b"cat-file" in cmdline:
                readers.append(cmdline)
    assert readers
    assert all(f"core.deltaBaseCacheLimit={DELTA_BASE_CACHE}".encode() in r for r in readers)


def test_a_store_labelled_under_an_older_language_map_is_relabelled(make_repo: MakeRepo) -> None:
    repo = make_repo()
    repo.write("app.py", "def main():\n    pass\n")
    repo.write("build.lua", "local function step()\n  return 1\nend\n")
    repo.commit("one")
    repo.write("build.lua", "local function step()\n  return 2\nend\n")
    repo.commit("two")
    index_repository(repo.path, options=ONE_JOB)
    lua = query(repo, "SELECT DISTINCT object FROM tree_entries WHERE name = 'build.lua'")
    assert len(lua) == 2 and ("build.lua", "step") in names_at(repo, "HEAD")
    # The store as a release that did not know Lua left it: unknown names, no rows.
    with Store(store_of(repo)) as store, store.transaction():
        store.execute("UPDATE tree_entries SET language = 'unknown' WHERE name = 'build.lua'")
        store.execute("UPDATE file_changes SET after_language = 'unknown' WHERE path = 'build.lua'")
        for table in ("code_symbols", "code_references", "code_bindings", "blobs"):
            store.execute(f"DELETE FROM {table} WHERE language = 'lua'")
        store.execute("UPDATE index_meta SET value = 'older' WHERE key = 'language_map'")
        store.retire_snapshots()
    assert ("build.lua", "step") not in names_at(repo, "HEAD")

    summary = index_repository(repo.path, options=ONE_JOB)
    assert summary.commits_indexed == 0 and summary.blobs_reextracted == 2
    assert ("build.lua", "step") in names_at(repo, "HEAD")
    assert ("build.lua", "step") in names_at(repo, "HEAD~1")
    assert query(repo, "SELECT DISTINCT language FROM tree_entries WHERE name = 'build.lua'") == [
        ("lua",)
    ]
    assert query(
        repo, "SELECT DISTINCT after_language FROM file_changes WHERE path = 'build.lua'"
    ) == [("lua",)]
    again = index_repository(repo.path, options=ONE_JOB)  # the map is recorded: nothing to do
    assert again.blobs_reextracted == 0


def test_progress_is_reported_while_a_batch_is_parsed(make_repo: MakeRepo) -> None:
    repo = make_repo()
    for i in range(24):
        repo.write(f"m{i}.py", f"def f{i}():\n    return {i}\n")
    repo.commit("one batch of 24 files")
    reports: list[tuple[int, int, int]] = []
    options = IndexOptions(jobs=1, parse_group=4)
    index_repository(
        repo.path,
        options=options,
        progress=lambda p: reports.append((p.commits_done, p.commits_total, p.blobs_parsed)),
    )
    during = [r for r in reports if r[:2] == (0, 1)]
    # Before the batch ends, one report per group of 4 parsed blobs, counting up.
    assert [r[2] for r in during] == [0, 4, 8, 12, 16, 20, 24]
    assert reports[-1] == (1, 1, 24)


def test_progress_estimates_the_commits_of_a_batch_by_its_blobs_parsed(
    make_repo: MakeRepo,
) -> None:
    """A batch's commits are done when all its blobs are stored, so a count of commits
    alone stays at 0 through most of a first run; `commits_estimated` (what the CLI's bar
    and ETA use) counts the batch's commits by the share of its blobs parsed."""
    repo = make_repo()
    for c in range(4):
        for i in range(6):
            repo.write(f"c{c}/m{i}.py", f"def f{c}_{i}():\n    return {i}\n")
        repo.commit(f"commit {c}")
    reports: list[tuple[int, int, int]] = []
    index_repository(
        repo.path,
        options=IndexOptions(jobs=1, parse_group=4, commit_batch=10),
        progress=lambda p: reports.append((p.commits_done, p.commits_estimated, p.blobs_parsed)),
    )
    during = [r for r in reports if r[0] == 0]
    # 24 blobs in one batch of 4 commits: 4 commits x the share of blobs parsed.
    assert [(r[2], r[1]) for r in during] == [
        (0, 0),
        (4, 0),
        (8, 1),
        (12, 2),
        (16, 2),
        (20, 3),
        (24, 4),
    ]
    assert reports[-1] == (4, 4, 24)
