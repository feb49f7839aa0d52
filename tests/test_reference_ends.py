"""How ``code_references`` keeps a reference (schema 8): its enclosing definition by
number only, and its end only where its name does not give it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb

from symbiote.indexer import IndexOptions, index_repository, verify_store
from symbiote.indexer.batches import BlobRows
from symbiote.indexer.extract import Extraction, ReferenceRow
from symbiote.indexer.schema import REFERENCE_ENDS, SCHEMA_VERSION
from symbiote.indexer.store import Store
from symbiote.indexer.store_rows import stored_references
from symbiote.queries import open_index
from tests.conftest import GitRepo
from tests.support.old_stores import references_as_schema_7

MakeRepo = Callable[..., GitRepo]

ENDS = ", ".join(f"{sql.format(a='r')} AS {column}" for column, sql in REFERENCE_ENDS.items())


def _row(idx: int, name: str, span: tuple[int, int, int, int, int, int]) -> ReferenceRow:
    start_byte, end_byte, start_line, end_line, start_col, end_col = span
    return ReferenceRow(
        idx, name, "read", start_byte, end_byte, start_line, end_line, start_col, end_col,
        "f", 0, None, None,
    )  # fmt: skip


def test_an_end_is_stored_only_where_the_name_does_not_give_it(tmp_path: Path) -> None:
    rows = [
        _row(0, "plain", (10, 15, 2, 2, 4, 9)),
        _row(1, "über", (20, 25, 3, 3, 0, 5)),  # 4 characters, 5 bytes
        _row(2, "caf\ufffd", (30, 34, 4, 4, 0, 4)),  # decoded lossily: 6 bytes from 4
        _row(3, "a\\\n  b", (40, 46, 5, 6, 8, 3)),  # over two lines: its bytes give the end
    ]
    batch = BlobRows()
    batch.add("ab" * 20, "python", 100, Extraction("ok", references=rows), None)
    stored = stored_references(batch.tables()[2])
    assert "enclosing" not in stored.column_names
    with Store(tmp_path / "s.duckdb") as store:
        store.insert("code_references", stored)
        kept = store.rows("SELECT end_byte, end_line, end_col FROM code_references ORDER BY idx")
        read = store.rows(f"SELECT {ENDS} FROM code_references r ORDER BY idx")
    assert kept == [(None, None, None), (None, None, None), (34, None, 4), (None, 6, 3)]
    assert read == [(r.end_byte, r.end_line, r.end_col) for r in rows]


def test_a_reference_reads_back_its_span_and_enclosing_definition(make_repo: MakeRepo) -> None:
    repo = make_repo()
    repo.write(
        "app.py", "def über():\n    return über\n\n\nclass A:\n    def m(self):\n        über()\n"
    )
    repo.commit("a")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    with open_index(repo.path) as index:
        refs = index.refs("app.py::über")
    spans = [(r.line, r.col, r.end_line, r.end_col, r.start_byte, r.end_byte) for r in refs]
    # "über" is 5 bytes: line 2 starts at byte 13, line 7 at byte 58.
    assert spans == [(2, 11, 2, 16, 24, 29), (7, 8, 7, 13, 66, 71)]
    assert [r.enclosing for r in refs] == ["über", "A.m"]
    store = Path(repo.path) / ".git" / "symbiote" / "index.duckdb"
    with duckdb.connect(str(store), read_only=True) as con:
        macro = con.execute(
            "SELECT line, end_byte, enclosing FROM (SELECT start_line AS line, * "
            "FROM references_at('HEAD')) WHERE name = 'über' ORDER BY line"
        ).fetchall()
    assert macro == [(2, 29, "über"), (7, 71, "A.m")]


def test_a_schema_7_store_keeps_its_references_in_the_new_form(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    repo = make_repo()
    repo.write("app.py", "def f():\n    return g()\n\n\ndef g():\n    return f\n")
    repo.commit("a")
    fresh, old = tmp_path / "fresh.duckdb", tmp_path / "old.duckdb"
    index_repository(repo.path, fresh, IndexOptions(jobs=1))
    index_repository(repo.path, old, IndexOptions(jobs=1))
    con = duckdb.connect(str(old))
    references_as_schema_7(con)
    con.execute("UPDATE index_meta SET value = '7' WHERE key = 'schema_version'")
    assert con.execute(
        "SELECT count(*), count(enclosing), count(end_col) FROM code_references"
    ).fetchall() == [(2, 2, 2)]
    con.close()
    with Store(old) as store:  # opening migrates
        assert store.get_meta("schema_version") == str(SCHEMA_VERSION)
    query = "SELECT * EXCLUDE (blob) FROM code_references ORDER BY start_byte"
    with (
        duckdb.connect(str(old), read_only=True) as a,
        duckdb.connect(str(fresh), read_only=True) as b,
    ):
        assert a.execute(query).fetchall() == b.execute(query).fetchall()
        assert "enclosing" not in [r[0] for r in a.execute("DESCRIBE code_references").fetchall()]
    assert verify_store(repo.path, old).ok
    with open_index(repo.path, store=old) as migrated, open_index(repo.path, store=fresh) as new:
        assert migrated.refs("app.py::f") == new.refs("app.py::f")
