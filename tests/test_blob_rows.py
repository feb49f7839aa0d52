"""A commit's references and bindings are read from the row groups that hold them
(queries.reader.Reader.blob_table): the same rows as a scan of the whole table."""

from __future__ import annotations

from symbiote.indexer import IndexOptions, index_repository
from symbiote.queries.loads import BINDING_SQL, REFERENCE_SQL
from symbiote.queries.reader import Reader, of_blobs, row_ranges
from tests.conftest import GitRepo

MakeRepo = type[GitRepo]
FILES = "SELECT DISTINCT blob FROM files_at(?, repo := 1) WHERE language IS NOT NULL"


def test_rows_read_by_row_group_are_the_rows_of_a_scan(make_repo: MakeRepo) -> None:
    repo = make_repo()
    body = "def f{}(a: Box):\n    b = Box(a)\n    return b.open(h, k)\n\n"
    repo.write("big.py", "class Box:\n    pass\n\n" + "".join(body.format(i) for i in range(300)))
    first = repo.commit("big")
    repo.remove("big.py")
    repo.write(
        "small.py", "import os\n\n\ndef s(a: os.PathLike):\n    b = os.fspath(a)\n    return b\n"
    )
    second = repo.commit("small")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    reader = Reader(repo.path / ".git" / "symbiote" / "index.duckdb")
    # The first commit holds most rows (one scan); the second a few, read by their range.
    for commit, ranged in ((first, False), (second, True)):
        blobs = [blob for (blob,) in reader.rows(FILES, [commit])]
        for template, table, alias in (
            (REFERENCE_SQL, "code_references", "r"),
            (BINDING_SQL, "code_bindings", "g"),
        ):
            assert (reader.ranges(table, blobs) is not None) is ranged
            got = reader.blob_table(template, blobs, table=table, alias=alias)
            scanned = reader.table(of_blobs(template, blobs))
            assert got.num_rows > 0
            assert got.sort_by("store_row").equals(scanned.sort_by("store_row"))
    reader.close()


def test_row_ranges_join_adjacent_groups_and_give_up_on_most_of_a_table() -> None:
    # (group, first rowid, last rowid) of the groups holding wanted rows.
    assert row_ranges([(0, 5, 10), (1, 11, 20), (3, 40, 50)], 1000) == [(5, 20), (40, 50)]
    assert row_ranges([(0, 0, 300), (2, 900, 1000)], 1000) == [(0, 300), (900, 1000)]
    assert row_ranges([(0, 0, 400), (2, 800, 1000)], 1000) is None  # over half: one scan
    assert row_ranges([], 1000) is None
    # At most 16 ranges: the nearest are merged first.
    groups = [(2 * k, 10 * k, 10 * k + 1) for k in range(17)]
    groups[-1] = (100, 1000, 1001)
    merged = row_ranges(groups, 100_000)
    assert merged is not None and len(merged) == 16
    assert merged[0] == (0, 11) and merged[-1] == (1000, 1001)
