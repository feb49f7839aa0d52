"""Searches read the search sidecar through Arrow copies, never a stale or foreign one.

Real repositories, real LanceDB, real child processes (whether lancedb was imported is a
property of a whole process).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from symbiote.indexer import IndexOptions, index_repository
from symbiote.indexer.embed_job import EmbedOptions, embed_repository
from tests.conftest import GitRepo

MakeRepo = Callable[..., GitRepo]

SLUGS = '''class Slugger:
    """Turn titles into URL slugs."""

    def slugify(self, title):
        """Lower-case a title and join its words with dashes."""
        return "-".join(title.lower().split())
'''
MATHS = '''def clamp(value, low, high):
    """Limit a number to the closed interval from low to high."""
    return max(low, min(high, value))
'''
# One text search in a fresh process: the best hit, and whether lancedb was imported.
SEARCH = """
import sys
from symbiote.queries import SearchOptions, open_index
with open_index(sys.argv[1]) as index:
    hits = index.search(sys.argv[2], options=SearchOptions(mode="text", k=1))
print(hits[0].qualified_name if hits else None, "lancedb" in sys.modules)
"""


def _search(repo: GitRepo, query: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", SEARCH, str(repo.path), query],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def _index(repo: GitRepo) -> None:
    index_repository(repo.path, options=IndexOptions(jobs=1))
    embed_repository(repo.path, options=EmbedOptions(text_only=True))


def _copies(repo: GitRepo) -> list[str]:
    folder = repo.path / ".git" / "symbiote" / "index.lance.cache"
    return sorted(p.name.rsplit(".", 2)[0] for p in folder.iterdir())


def test_searches_read_the_copy_the_embedding_job_made(make_repo: MakeRepo) -> None:
    repo = make_repo()
    repo.write("text/slugs.py", SLUGS)
    repo.commit("one")
    _index(repo)
    assert _copies(repo) == ["symbol_docs", "symbol_docs.postings"]
    assert _search(repo, "slugify a title") == "Slugger.slugify False"
    # New docs rows are a new table version, copied by the job that wrote them.
    repo.write("util/maths.py", MATHS)
    repo.commit("two")
    _index(repo)
    assert _search(repo, "closed interval") == "clamp False"
    assert _copies(repo) == ["symbol_docs", "symbol_docs.postings"]  # the older copy is gone


def test_a_missing_damaged_or_foreign_copy_is_never_used(make_repo: MakeRepo) -> None:
    repo = make_repo()
    repo.write("text/slugs.py", SLUGS)
    repo.commit("one")
    _index(repo)
    store = repo.path / ".git" / "symbiote"
    cache = store / "index.lance.cache"
    (copy,) = cache.glob("symbol_docs.[0-9]*.arrow")
    old = copy.read_bytes()
    copy.write_bytes(b"not arrow")
    assert _search(repo, "slugify a title") == "Slugger.slugify True"  # read from LanceDB
    assert _search(repo, "slugify a title") == "Slugger.slugify False"  # and copied again
    copy.unlink()
    assert _search(repo, "slugify a title") == "Slugger.slugify True"
    # A store made again at the same path reaches the same table version; a copy of the
    # old store's table at that version must not answer for the new one.
    shutil.rmtree(store)
    repo.remove("text/slugs.py")
    repo.write("util/maths.py", MATHS)
    repo.commit("two")
    _index(repo)
    (new,) = cache.glob("symbol_docs.[0-9]*.arrow")
    new.unlink()
    (cache / copy.name).write_bytes(old)
    assert copy.name.split("-")[0] == new.name.split("-")[0]  # the same version number
    assert _search(repo, "slugify a title closed interval") == "clamp True"


def test_a_store_without_a_sidecar_has_no_copies(make_repo: MakeRepo) -> None:
    repo = make_repo()
    repo.write("text/slugs.py", SLUGS)
    repo.commit("one")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    done = subprocess.run(
        [sys.executable, "-c", SEARCH, str(repo.path), "slug"], capture_output=True, text=True
    )
    assert done.returncode != 0 and "NotIndexed" in done.stderr
    assert not Path(repo.path / ".git" / "symbiote" / "index.lance.cache").exists()


def test_no_copy_is_made_while_an_embedding_job_writes(make_repo: MakeRepo) -> None:
    from symbiote.indexer.embed_state import writing
    from symbiote.queries import SearchOptions, open_index

    repo = make_repo()
    repo.write("text/slugs.py", SLUGS)
    repo.commit("one")
    _index(repo)
    store = repo.path / ".git" / "symbiote" / "index.duckdb"
    (copy,) = (store.parent / "index.lance.cache").glob("symbol_docs.[0-9]*.arrow")
    copy.unlink()
    text = SearchOptions(mode="text", k=1)
    with writing(store):  # what an embedding job holds while it writes the sidecar
        with open_index(repo.path) as index:
            assert [h.qualified_name for h in index.search("slugify", options=text)] == [
                "Slugger.slugify"
            ]
        assert _copies(repo) == ["symbol_docs.postings"]  # the job's, of the same version
    with open_index(repo.path) as index:
        assert [h.qualified_name for h in index.search("slugify", options=text)] == [
            "Slugger.slugify"
        ]
    assert _copies(repo) == ["symbol_docs", "symbol_docs.postings"]


def test_the_postings_are_the_docs_copys_own(make_repo: MakeRepo) -> None:
    repo = make_repo()
    repo.write("text/slugs.py", SLUGS)
    repo.write("util/maths.py", MATHS)
    repo.commit("one")
    _index(repo)
    cache = repo.path / ".git" / "symbiote" / "index.lance.cache"
    (postings,) = cache.glob("symbol_docs.postings.*.arrow")
    # A damaged file is made again from the docs rows.
    postings.write_bytes(b"not arrow")
    assert _search(repo, "closed interval") == "clamp False"
    assert postings.read_bytes()[:6] == b"ARROW1"
    # One that does not fit the docs rows (another store's, at the same name) is too.
    import pyarrow as pa

    foreign = pa.table({"term": pa.array([1], pa.uint32()), "doc": [0], "tf": [1.0]})
    with pa.OSFile(str(postings), "wb") as sink, pa.ipc.new_file(sink, foreign.schema) as w:
        w.write_table(foreign)
    assert _search(repo, "slugify a title") == "Slugger.slugify False"
    with pa.memory_map(str(postings)) as source:
        assert pa.ipc.open_file(source).read_all().num_rows > 1
