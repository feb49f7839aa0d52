"""The embedding job: fill the search sidecar for the definitions at chosen commits.

For each chosen commit (default: HEAD and every branch tip), the definitions are read
from the DuckDB store and reduced to their content keys; keys the sidecar already holds
are skipped, so history and re-runs cost only what changed. For the rest, the body is
read from git, a docs row (snippet and BM25 postings) is written, then the vector if the
vector rule (:class:`~symbiote.indexer.searchtext.VectorRule`) gives the definition one;
the others are deliberately text-only. Work goes in batches with progress; a killed run
resumes where the sidecar stopped.

The store is only read, at the start (the work list); outside the store's owner it is
opened read-only, so readers in other processes keep answering while a job runs. The
model is loaded only when some definition needs a vector.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from symbiote.indexer import store_rows
from symbiote.indexer.embed_state import writing
from symbiote.indexer.embedders import embedder_identity, shared_embedder
from symbiote.indexer.embedding import Embedder
from symbiote.indexer.errors import EmptyRepository, Interrupted, NotIndexed, UnknownRevision
from symbiote.indexer.gitrepo import GitRepository, check_revision
from symbiote.indexer.journal import critique_text, read_journal
from symbiote.indexer.location import default_store_path
from symbiote.indexer.searchtext import (
    DEFAULT_VECTOR_RULE,
    VectorRule,
    content_key,
    critiques_table,
    embedding_text,
    sidecar_path,
    snippet,
    term_counts,
)
from symbiote.indexer.sidecar import SIDECAR_WRITER, Sidecar
from symbiote.indexer.store import Store, is_served

log = logging.getLogger(__name__)

DEFAULT_REF_KINDS = ("head", "branch")


@dataclass(frozen=True, slots=True)
class EmbedOptions:
    """What to embed and how."""

    # Revisions whose definitions to embed; empty means the refs of `ref_kinds`.
    revisions: tuple[str, ...] = ()
    # Ref kinds embedded when `revisions` is empty (head, branch, tag, remote, other).
    ref_kinds: tuple[str, ...] = DEFAULT_REF_KINDS
    # Embedder spec (see indexer.embedding); None: $SYMBIOTE_EMBEDDER or the default.
    embedder: str | None = None
    # Texts per model call; sorted by length so padding stays small.
    batch_size: int = 32
    # Definitions per sidecar write (one LanceDB commit each): the work a kill can lose.
    write_every: int = 512
    # Compute BM25 docs only, no vectors (fast; text search works, vector search not).
    text_only: bool = False
    # Which definitions get a vector; the others are served by text search alone.
    vector_rule: VectorRule = DEFAULT_VECTOR_RULE


@dataclass(frozen=True, slots=True)
class EmbedProgress:
    """A progress report, sent after each write."""

    done: int
    total: int


@dataclass(slots=True)
class EmbedSummary:
    """What an embedding run did."""

    store: str
    sidecar: str
    model_id: str | None
    commits: list[str] = field(default_factory=list)
    definitions: int = 0  # definitions at the chosen commits
    keys: int = 0  # distinct content keys among them
    vector_rule: str = DEFAULT_VECTOR_RULE.name
    text_only_keys: int = 0  # keys the vector rule leaves to text search alone
    docs_written: int = 0
    vectors_written: int = 0
    model_seconds: float = 0.0  # of `seconds`, spent inside the model
    critiques_written: int = 0  # agent-log critiques embedded (for recall)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form."""
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class _Item:
    key: str
    path: str
    blob: str
    qualified_name: str
    docstring: str | None
    start_byte: int
    end_byte: int
    vector: bool  # the vector rule gives it one


def embed_repository(
    repo_path: str | Path,
    store_path: str | Path | None = None,
    options: EmbedOptions | None = None,
    progress: Callable[[EmbedProgress], None] | None = None,
    embedder: Embedder | None = None,
    stop: Callable[[], bool] | None = None,
) -> EmbedSummary:
    """Embed the definitions at the chosen commits of an indexed repository. ``stop``
    is asked between model batches; when it answers True the run ends with
    :class:`Interrupted` (what was written stays; the next run does the rest)."""
    options = options or EmbedOptions()
    started = time.monotonic()
    with contextlib.ExitStack() as stack:
        repo = stack.enter_context(GitRepository(repo_path))
        if repo.is_empty():
            raise EmptyRepository(f"{repo.root} has no commits to embed")
        path = Path(store_path) if store_path else default_store_path(repo.git_dir)
        if not path.exists():
            raise NotIndexed(f"{repo.root} is not indexed in {path}; run `symbiote index`")
        stack.enter_context(writing(path))  # one writer per sidecar, across processes
        stack.enter_context(SIDECAR_WRITER)  # and across this process's threads
        with Store(path, read_only=not is_served(path)) as store:
            repo_id = store_rows.find_repository(store, str(repo.root))
            if repo_id is None:
                raise NotIndexed(f"{repo.root} is not indexed in {path}; run `symbiote index`")
            commits = _commits(store, repo_id, options)
            items = _distinct(store, repo_id, commits, options.vector_rule)
            definitions = sum(n for n in items.values())
        sidecar = Sidecar(sidecar_path(path))
        identity = None
        if not options.text_only:
            identity = (
                (embedder.model_id, embedder.dimension)
                if embedder is not None
                else embedder_identity(options.embedder)
            )
            if identity is None:  # only the loaded model tells its id
                embedder = shared_embedder(options.embedder)
                identity = (embedder.model_id, embedder.dimension)
        summary = EmbedSummary(str(path), str(sidecar.path), identity[0] if identity else None)
        summary.commits, summary.definitions, summary.keys = commits, definitions, len(items)
        summary.vector_rule = options.vector_rule.name
        summary.text_only_keys = sum(1 for i in items if not i.vector)
        have_docs = sidecar.doc_keys()
        need_docs = [i for i in items if i.key not in have_docs]
        need_vectors: list[_Item] = []
        if identity is not None:
            have = sidecar.vector_keys(*identity)
            need_vectors = [i for i in items if i.vector and i.key not in have]
        if need_vectors and embedder is None:
            embedder = shared_embedder(options.embedder)
        todo = {i.key: i for i in need_docs + need_vectors}
        vector_keys = {i.key for i in need_vectors}
        doc_keys = {i.key for i in need_docs}
        ordered = sorted(todo.values(), key=lambda i: (i.blob, i.start_byte))
        done = 0
        for chunk in _chunks(ordered, options.write_every):
            texts = _texts(repo, chunk)
            docs = [(i, t) for i, t in zip(chunk, texts, strict=True) if i.key in doc_keys]
            sidecar.add_docs(_docs_table(docs))
            summary.docs_written += len(docs)
            vec = [(i, t) for i, t in zip(chunk, texts, strict=True) if i.key in vector_keys]
            if vec and embedder is not None:
                t0 = time.perf_counter()
                vectors = _embed(embedder, [t for _, t in vec], options.batch_size, stop)
                summary.model_seconds += time.perf_counter() - t0
                sidecar.add_vectors(
                    embedder.model_id,
                    embedder.dimension,
                    pa.table(
                        {
                            "key": [i.key for i, _ in vec],
                            "vector": pa.FixedSizeListArray.from_arrays(
                                pa.array(vectors.ravel()), embedder.dimension
                            ),
                        }
                    ),
                )
                summary.vectors_written += len(vec)
            done += len(chunk)
            if progress:
                progress(EmbedProgress(done, len(ordered)))
        if identity is not None:
            loaded, spec = embedder, options.embedder
            summary.critiques_written = embed_critiques(
                path, sidecar, lambda: loaded or shared_embedder(spec)
            )
        if ordered or summary.critiques_written:
            sidecar.compact()
            sidecar.copy_tables()
    summary.seconds = round(time.monotonic() - started, 3)
    summary.model_seconds = round(summary.model_seconds, 3)
    return summary


def embed_critiques(store: Path, sidecar: Sidecar, load: Callable[[], Embedder]) -> int:
    """Embed the agent-log critiques that have no vector of the model ``load`` gives
    yet (every version: readers pick the current ones); how many were embedded. The
    model is loaded only when the log holds critiques."""
    critiques = [e for e in read_journal(store) if e["kind"] == "critique"]
    if not critiques:
        return 0  # no table for a log that is empty
    embedder = load()
    name = critiques_table(embedder.model_id)
    have = sidecar.vector_keys(embedder.model_id, embedder.dimension, name)
    todo = [e for e in critiques if e["id"] not in have]
    if not todo:
        return 0
    vectors = embedder.embed([critique_text(e) for e in todo])
    rows = pa.table(
        {
            "key": [e["id"] for e in todo],
            "vector": pa.FixedSizeListArray.from_arrays(
                pa.array(vectors.ravel()), embedder.dimension
            ),
        }
    )
    sidecar.add_vectors(embedder.model_id, embedder.dimension, rows, name)
    return len(todo)


def _commits(store: Store, repo_id: int, options: EmbedOptions) -> list[str]:
    if options.revisions:
        out = []
        for rev in options.revisions:
            sha = store_rows.commit_of(store, repo_id, check_revision(rev))
            if sha is None:
                raise UnknownRevision(f"{rev!r} is not an indexed ref or commit")
            out.append(sha)
    else:
        out = [sha for _, sha in store_rows.ref_commits(store, repo_id, options.ref_kinds)]
    return list(dict.fromkeys(out))


def _definitions_at(store: Store, repo_id: int, commit: str) -> list[dict[str, Any]]:
    """The definitions of one commit with what the embedded text and the vector rule
    need (``store_rows.definitions_at`` plus the line span)."""
    rows: list[dict[str, Any]] = store.arrow(
        "SELECT path, blob, qualified_name, kind, body_hash, docstring, start_byte, "
        "end_byte, start_line, end_line FROM symbols_at(?, repo := ?) ORDER BY path, idx",
        [commit, repo_id],
    ).to_pylist()
    return rows


def _distinct(store: Store, repo_id: int, commits: list[str], rule: VectorRule) -> dict[_Item, int]:
    """One item per content key (first seen wins), with the definitions it stands for."""
    seen: dict[str, _Item] = {}
    count: dict[str, int] = {}
    for commit in commits:
        table = _definitions_at(store, repo_id, commit)
        for row in table:
            key = content_key(
                row["qualified_name"], row["kind"], row["body_hash"], row["docstring"]
            )
            count[key] = count.get(key, 0) + 1
            if key not in seen:
                seen[key] = _Item(
                    key,
                    row["path"],
                    row["blob"],
                    row["qualified_name"],
                    row["docstring"],
                    row["start_byte"],
                    row["end_byte"],
                    rule.wants_vector(row["kind"], row["start_line"], row["end_line"]),
                )
    return {item: count[key] for key, item in seen.items()}


def _chunks(items: list[_Item], size: int) -> Iterator[list[_Item]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _texts(repo: GitRepository, items: list[_Item]) -> list[str]:
    blobs: dict[str, bytes] = {}
    out = []
    for item in items:
        data = blobs.get(item.blob)
        if data is None:
            data = blobs[item.blob] = repo.read_blob(item.blob)
        body = data[item.start_byte : item.end_byte].decode("utf-8", errors="replace")
        out.append(embedding_text(item.path, item.qualified_name, item.docstring, body))
    return out


def _docs_table(docs: list[tuple[_Item, str]]) -> pa.Table:
    postings = [term_counts(text) for _, text in docs]
    return pa.table(
        {
            "key": [i.key for i, _ in docs],
            "path": [i.path for i, _ in docs],
            "qualified_name": [i.qualified_name for i, _ in docs],
            "snippet": [snippet(text.split("\n", 1)[-1]) for _, text in docs],
            "term_ids": [p[0] for p in postings],
            "term_tf": [[min(n, 65535) for n in p[1]] for p in postings],
            "length": [p[2] for p in postings],
        }
    )


def _embed(
    embedder: Embedder, texts: list[str], batch_size: int, stop: Callable[[], bool] | None
) -> np.ndarray:
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    out = np.zeros((len(texts), embedder.dimension), dtype=np.float32)
    for start in range(0, len(order), batch_size):
        if stop is not None and stop():
            raise Interrupted("embedding stopped; the next run embeds the rest")
        rows = order[start : start + batch_size]
        out[rows] = embedder.embed([texts[i] for i in rows])
    return out
