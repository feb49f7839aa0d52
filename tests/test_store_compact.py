"""Rows a re-extraction replaced leave the tables they were deleted from.

DuckDB keeps deleted rows in tables with an index (``code_symbols``, ``blobs``), where
every scan still reads them; an index run that replaced many rows rewrites those
tables without them (:mod:`symbiote.indexer.store_compact`).
"""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from symbiote.indexer import IndexOptions, index_repository
from tests.conftest import GitRepo

MakeRepo = Callable[..., GitRepo]
ONE_JOB = IndexOptions(jobs=1)


def _store(repo: GitRepo) -> Path:
    return repo.path / ".git" / "symbiote" / "index.duckdb"


def _held_and_live(store: Path, table: str) -> tuple[int, int]:
    con = duckdb.connect(str(store), read_only=True)
    try:
        held = con.execute(
            "SELECT estimated_size FROM duckdb_tables() WHERE table_name = ?", [table]
        ).fetchone()
        live = con.execute(f"SELECT count(*) FROM {table}").fetchone()
        assert held is not None and live is not None
        return int(held[0]), int(live[0])
    finally:
        con.close()


def _rows(store: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(store), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_a_reextraction_leaves_no_deleted_rows_behind(make_repo: MakeRepo) -> None:
    repo = make_repo()
    for n in range(4):  # 4 x 400 definitions: more than compact's minimum of deleted rows
        body = "".join(f"def f{n}_{i}(x):\n    return x + {i}\n\n\n" for i in range(400))
        repo.write(f"pkg/m{n}.py", body)
    repo.commit("many definitions")
    index_repository(repo.path, options=ONE_JOB)
    store = _store(repo)
    symbols = "SELECT * FROM code_symbols ORDER BY blob, idx"
    before = _rows(store, symbols)
    assert len(before) == 1600

    con = duckdb.connect(str(store))  # as an older extractor would have left them
    con.execute("UPDATE blobs SET patterns_digest = 'older-patterns' WHERE language = 'python'")
    con.close()
    summary = index_repository(repo.path, options=ONE_JOB)

    assert summary.blobs_reextracted == 4
    assert _rows(store, symbols) == before
    assert _held_and_live(store, "code_symbols") == (1600, 1600)
    indexes = _rows(
        store, "SELECT index_name FROM duckdb_indexes() WHERE table_name = 'code_symbols'"
    )
    assert sorted(name for (name,) in indexes) == [
        "code_symbols_blob",
        "code_symbols_qualified_name",
    ]
    keys = _rows(
        store,
        "SELECT constraint_type FROM duckdb_constraints() "
        "WHERE table_name = 'blobs' AND constraint_type = 'PRIMARY KEY'",
    )
    assert keys == [("PRIMARY KEY",)]
    again = index_repository(repo.path, options=ONE_JOB)  # and the store works on
    assert again.blobs_reextracted == 0


def test_connections_draw_no_progress_bar(tmp_path: Path) -> None:
    # DuckDB draws a progress bar on the process's stdout (the file, not sys.stdout) for
    # a query past 2 s: into `--json` output and `symbiote mcp`'s protocol stream. Every
    # connection is made by `duck.connect`, which turns it off, also where the reader's
    # sandbox locks the configuration afterwards. Asked in a process of its own: under
    # pytest's captured output DuckDB starts with the bar off anyway.
    script = (
        "import sys, duckdb\n"
        "from pathlib import Path\n"
        "from symbiote.indexer import duck\n"
        "for config in ({}, {'lock_configuration': True}):\n"
        "    con = duck.connect(Path(sys.argv[1]), config=config)\n"
        "    print(con.execute(\"SELECT current_setting('enable_progress_bar')\").fetchone()[0])\n"
        "    try:\n"
        "        con.execute('SET enable_progress_bar = true')\n"
        "        print('settable')\n"
        "    except duckdb.Error:\n"
        "        print('locked')\n"
        "    con.close()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "store.duckdb")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split() == ["False", "settable", "False", "locked"]


def test_tables_a_foreign_key_names_are_left_as_they_are(
    make_repo: MakeRepo, caplog: pytest.LogCaptureFixture
) -> None:
    # `commits` is named by the agent log's foreign key: DuckDB will not drop it, so it
    # keeps its deleted rows rather than fail (and warn) at every run.
    repo = make_repo()
    repo.write("app.py", "def main():\n    pass\n")
    repo.commit("one")
    index_repository(repo.path, options=ONE_JOB)
    store = _store(repo)
    con = duckdb.connect(str(store))
    con.execute(
        "INSERT INTO commits SELECT c.* REPLACE (printf('%040d', i) AS sha) "
        "FROM commits c, range(2000) t(i)"
    )
    con.execute("DELETE FROM commits WHERE sha LIKE '0000%'")
    con.close()
    held, live = _held_and_live(store, "commits")
    assert (held, live) == (2001, 1)

    with caplog.at_level(logging.INFO, logger="symbiote.indexer.store_compact"):
        index_repository(repo.path, options=ONE_JOB)
    assert [r.getMessage() for r in caplog.records if r.name.endswith("store_compact")] == []
    assert _held_and_live(store, "commits") == (2001, 1)


def test_a_rewrite_retires_the_cached_snapshots(make_repo: MakeRepo) -> None:
    # A rewritten table's rows get new row ids, which cached snapshots order rows by
    # (`store_row`): the files written before belong to the past generation.
    from symbiote.indexer.store import Store
    from symbiote.indexer.store_compact import compact

    repo = make_repo()
    body = "".join(f"def f{i}(x):\n    return x + {i}\n\n\n" for i in range(1500))
    repo.write("pkg/many.py", body)
    repo.write("pkg/few.py", "def g(x):\n    return f1(x)\n")
    repo.commit("many definitions")
    index_repository(repo.path, options=ONE_JOB)
    with Store(_store(repo)) as store:
        generation = store.get_meta("generation")
        store.execute("DELETE FROM code_symbols WHERE name <> 'g'")  # 1,500 rows
        assert compact(store) == ["code_symbols"]
        assert int(store.get_meta("generation") or 0) == int(generation or 0) + 1
        assert compact(store) == []  # nothing left to rewrite: the generation stays
        assert int(store.get_meta("generation") or 0) == int(generation or 0) + 1
