"""Search by meaning and by words over the definitions of one commit.

Every mode first narrows to the commit's definitions (and the kind/path/language
filters), then ranks; nothing outside the scope can take a place in the results.

- ``vector``: exact cosine k-NN over the scope's vectors (numpy over the rows the scope
  selects), or range search: every definition within ``max_distance``.
- ``text``: BM25 (k1 = 1.2, b = 0.75) over code-aware words, with document frequencies
  counted within the scope.
- ``hybrid`` (default): reciprocal rank fusion (k = 60) of the two rankings' top
  :data:`FUSION_DEPTH`; with ``max_distance``, only definitions within it. A definition
  that the vector rule leaves text-only (a field, a one-line body: see
  :class:`~symbiote.indexer.searchtext.VectorRule`) has no vector rank by design: it is
  never dropped for lacking one, it gets its text rank's share, and it is given the
  vector rank just past the fused list (:data:`TEXT_ONLY_FUSION`), so it ranks below
  what both rankings place high and above what the vector ranking alone found at the
  same rank or a worse one.

Definitions that share a content key (the same code at several paths) share a rank and
score; ``k`` counts definitions returned.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from symbiote.indexer.errors import QueryError
from symbiote.indexer.searchtext import (
    DEFAULT_VECTOR_RULE,
    VectorRule,
    code_tokens,
    content_key,
    embedding_text,
    snippet,
    term_counts,
    term_id,
)
from symbiote.queries.locate import path_matches
from symbiote.queries.models import SearchCoverage, SearchHit
from symbiote.queries.options import MODES, SearchOptions
from symbiote.queries.snapcache import SnapshotCache
from symbiote.queries.snapshot import Snapshot
from symbiote.queries.vectors import SidecarReader, Vectors, rows_of

K1, B = 1.2, 0.75
RRF_K = 60
FUSION_DEPTH = 100
# In hybrid mode, the vector rank a deliberately text-only definition is given, having
# none: "plain" none (it gets its text rank's share only, as a definition that one
# ranking alone found); "floor" the rank just past the fused list (FUSION_DEPTH + 1), the
# best an embedded definition missing from it could have had; "standin" its text rank.
# The search evaluation measures the three (bench/search_eval.py, docs/design.md).
TEXT_ONLY_FUSION = "floor"
# The vector rule the embedding job applies, which says what is deliberately text-only
# (the evaluation swaps it to rank its variants).
VECTOR_RULE = DEFAULT_VECTOR_RULE


@dataclass(frozen=True, slots=True)
class Members:
    """The symbol indices of each content key, as two arrays (a list per key held ~7 MB
    more for sqlalchemy's HEAD): key k's are ``order[starts[k]:starts[k + 1]]``."""

    order: npt.NDArray[np.int64]
    starts: npt.NDArray[np.int64]

    @classmethod
    def of(cls, slots: npt.NDArray[np.int64], count: int) -> Members:
        """Members of ``count`` keys, symbol i being of key ``slots[i]``."""
        starts = np.zeros(count + 1, dtype=np.int64)
        np.cumsum(np.bincount(slots, minlength=count), out=starts[1:])
        return cls(np.argsort(slots, kind="stable"), starts)

    def __len__(self) -> int:
        return len(self.starts) - 1

    def __getitem__(self, slot: int) -> list[int]:
        """Key ``slot``'s symbol indices, ascending."""
        found: list[int] = self.order[self.starts[slot] : self.starts[slot + 1]].tolist()
        return found

    def __iter__(self) -> Iterator[list[int]]:
        return (self[k] for k in range(len(self)))

    def sizes(self) -> npt.NDArray[np.int64]:
        """How many symbols each key has."""
        return np.diff(self.starts)


@dataclass(slots=True)
class Scope:
    """A commit's definitions grouped by content key, with their sidecar rows."""

    commit: str
    keys: pa.Array  # the content key of each slot (Arrow: ~5 MB less than a list of str)
    members: Members  # symbol indices of each key
    doc_rows: npt.NDArray[np.int64]  # row in the docs table, -1 if none
    text_only: npt.NDArray[np.bool_]  # the vector rule gives the key no vector
    derived: dict[Any, Any] = field(default_factory=dict)  # memoised arrays (see below)
    # Documents of keys the search sidecar lacks, made from the working tree (at
    # WORKTREE): slot -> ({term id: count}, length, snippet, embedding text).
    extra: dict[int, tuple[dict[int, int], int, str, str]] = field(default_factory=dict)

    def key(self, slot: int) -> str:
        """The content key of ``slot``."""
        return str(self.keys[slot].as_py())


# The snapshot cache's kind for a commit's content keys, named by what the key function
# gives for a fixed input: a change to the keys retires the files made by the old one.
_SCOPE_KIND = "keys-" + content_key("q", "k", "b", "d")[:8]


def build_scope(
    snap: Snapshot,
    reader: SidecarReader,
    rule: VectorRule | None = None,
    cache: SnapshotCache | None = None,
) -> Scope:
    """Group a snapshot's definitions by content key; ``rule`` (default
    :data:`VECTOR_RULE`) says which keys are deliberately text-only (it reads the kind
    and line span, which the key fixes). The keys of a commit are kept in ``cache``
    (the snapshot cache): a later process maps them instead of hashing every
    definition again (sqlalchemy's HEAD: 0.22-0.40 s)."""
    rule = rule or VECTOR_RULE
    coded = _content_keys(snap, cache)
    keys = coded.dictionary
    slots = np.asarray(coded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    # The vector rule reads each key's first definition (they all have its kind and span).
    _, firsts = np.unique(slots, return_index=True)
    column = snap.symbols.column
    kinds, starts, ends = column("kind"), column("start_line"), column("end_line")
    text_only = [not rule.wants_vector(kinds[i], starts[i], ends[i]) for i in firsts.tolist()]
    doc_rows = rows_of(reader.docs().keys, keys)
    members = Members.of(slots, len(keys))
    scope = Scope(snap.commit, keys, members, doc_rows, np.array(text_only, bool))
    if snap.overlay is not None:
        scope.extra = _worktree_docs(snap, scope)
    return scope


def _content_keys(snap: Snapshot, cache: SnapshotCache | None) -> pa.DictionaryArray:
    """Each definition's content key: the distinct keys in the order of their first
    definition (the dictionary), and each definition's one (the indices)."""
    kept = cache if snap.overlay is None else None  # an overlay's keys are not a commit's
    if kept is not None:
        table = kept.load(snap.commit, _SCOPE_KIND)
        if table is not None and table.num_rows == len(snap.symbols):
            found = table.column("key").combine_chunks()
            if isinstance(found, pa.DictionaryArray):
                return found
    index: dict[str, int] = {}
    keys: list[str] = []
    slots: list[int] = []
    column = snap.symbols.column
    rows = zip(
        column("qualified_name"),
        column("kind"),
        column("body_hash"),
        column("docstring"),
        strict=True,
    )
    for qualified_name, kind, body_hash, docstring in rows:
        key = content_key(qualified_name, kind, body_hash, docstring)
        slot = index.get(key)
        if slot is None:
            slot = index[key] = len(keys)
            keys.append(key)
        slots.append(slot)
    coded = pa.DictionaryArray.from_arrays(pa.array(slots, pa.int32()), pa.array(keys, pa.string()))
    if kept is not None:
        kept.save(snap.commit, _SCOPE_KIND, pa.table({"key": coded}))
    return coded


def _worktree_docs(snap: Snapshot, scope: Scope) -> dict[int, tuple[dict[int, int], int, str, str]]:
    """The text documents of the scope's keys that the sidecar lacks and a file of the
    working tree defines: made as the embedding job makes them, from the file's bytes."""
    overlay = snap.overlay
    assert overlay is not None
    changed = set(overlay.paths)
    column = snap.symbols.column
    paths, blobs, names = column("path"), column("blob"), column("qualified_name")
    starts, ends, docstrings = column("start_byte"), column("end_byte"), column("docstring")
    out: dict[int, tuple[dict[int, int], int, str, str]] = {}
    for slot in np.nonzero(scope.doc_rows < 0)[0]:
        i = next((i for i in scope.members[int(slot)] if paths[i] in changed), None)
        data = overlay.source.text(blobs[i]) if i is not None else None
        if i is None or data is None:
            continue
        body = data[starts[i] : ends[i]].decode("utf-8", errors="replace")
        text = embedding_text(paths[i], names[i], docstrings[i], body)
        ids, counts, length = term_counts(text)
        out[int(slot)] = (dict(zip(ids, counts, strict=True)), length, snippet(body), text)
    return out


def vector_rows(scope: Scope, vectors: Vectors) -> npt.NDArray[np.int64]:
    """Row of each scope key in a model's matrix, -1 if not embedded (memoised)."""
    rows = scope.derived.get(("rows", vectors.model_id))
    if rows is None:
        rows = rows_of(vectors.keys, scope.keys)
        scope.derived[("rows", vectors.model_id)] = rows
    return rows


def coverage(scope: Scope, model_id: str | None, vectors: Vectors | None) -> SearchCoverage:
    """How much of the scope the sidecar covers. A key is covered when it has its docs
    row and either a vector or none by rule (deliberately text-only)."""
    sizes = scope.members.sizes()
    if vectors is not None:
        has_vector = vector_rows(scope, vectors) >= 0
    else:
        has_vector = np.zeros(len(scope.keys), dtype=bool)
    text_only = scope.text_only & ~has_vector  # a vector made under an older rule counts
    covered = (scope.doc_rows >= 0) & (has_vector | text_only)
    return SearchCoverage(
        scope.commit,
        model_id,
        int(sizes.sum()),
        len(scope.keys),
        int((scope.doc_rows >= 0).sum()),
        int(has_vector.sum()),
        int(text_only.sum()),
        int(sizes[has_vector].sum()),
        int(sizes[text_only].sum()),
        int(sizes[covered].sum()),
        bool(covered.all()),
    )


def search(
    snap: Snapshot,
    scope: Scope,
    reader: SidecarReader,
    query: str,
    options: SearchOptions,
    vectors: Callable[[], tuple[Vectors, npt.NDArray[np.float32]]] | None,
) -> list[SearchHit]:
    """The best definitions of the scope for ``query``. ``vectors`` gives the model's
    vectors and the query's vector; it is called only by modes that need them."""
    _check(query, options)
    allowed = _allowed(snap, scope, options)
    text: npt.NDArray[np.float64] | None = None
    distance: npt.NDArray[np.float32] | None = None
    if options.mode in ("text", "hybrid"):
        text = _bm25(reader, scope, allowed, query)
    if options.mode in ("vector", "hybrid"):
        if vectors is None:
            raise QueryError("vector search needs an embedder")
        table, qvec = vectors()
        distance = _distances(scope, table, allowed, qvec)
    text_only = scope.text_only
    if scope.extra:  # no vector yet: ranked in hybrid like a text-only key
        text_only = text_only.copy()
        text_only[list(scope.extra)] = True
    ranked = _rank(options, text, distance, text_only)
    return _hits(snap, scope, reader, ranked, text, distance, options)


def _check(query: str, options: SearchOptions) -> None:
    if options.mode not in MODES:
        raise QueryError(f"unknown search mode {options.mode!r}; one of {', '.join(MODES)}")
    if not query.strip():
        raise QueryError("search needs a non-empty query")
    if options.k is not None and options.k < 1:
        raise QueryError("k must be at least 1")
    if options.max_distance is not None:
        if options.mode == "text":
            raise QueryError("--max-distance needs vector or hybrid mode")
        if not 0.0 <= options.max_distance <= 2.0:
            raise QueryError("max_distance is a cosine distance, between 0 and 2")


def _filter(snap: Snapshot, options: SearchOptions) -> Callable[[int], bool] | None:
    """Whether definition ``i`` passes the kind/language/path filters; None: no filters."""
    if not (options.kinds or options.path or options.languages):
        return None
    kinds, languages = snap.symbols.column("kind"), snap.symbols.column("language")
    paths = snap.symbols.column("path")

    def keep(i: int) -> bool:
        return (
            (not options.kinds or kinds[i] in options.kinds)
            and (not options.languages or languages[i] in options.languages)
            and (options.path is None or path_matches(paths[i], options.path))
        )

    return keep


def _allowed(snap: Snapshot, scope: Scope, options: SearchOptions) -> npt.NDArray[np.bool_] | None:
    """Which scope keys pass the filters (a key passes if any of its definitions does);
    None when there are no filters."""
    keep = _filter(snap, options)
    if keep is None:
        return None
    return np.array([any(keep(i) for i in m) for m in scope.members], dtype=bool)


def _text_scope(
    scope: Scope, docs_count: int, allowed: npt.NDArray[np.bool_] | None
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """``(slot of each docs row or -1, slots with a doc)``, memoised when unfiltered."""
    cached = scope.derived.get("text") if allowed is None else None
    if cached is None:
        present = scope.doc_rows >= 0
        if allowed is not None:
            present &= allowed
        slots = np.nonzero(present)[0]
        slot_of_row = np.full(docs_count, -1, dtype=np.int64)
        slot_of_row[scope.doc_rows[slots]] = slots
        cached = (slot_of_row, slots)
        if allowed is None:
            scope.derived["text"] = cached
    return cached


def _bm25(
    reader: SidecarReader, scope: Scope, allowed: npt.NDArray[np.bool_] | None, query: str
) -> npt.NDArray[np.float64]:
    """BM25 score of every scope key (0 where no query word occurs)."""
    docs = reader.docs()
    scores = np.zeros(len(scope.keys), dtype=np.float64)
    slot_of_row, slots = _text_scope(scope, len(docs.keys), allowed)
    extra = {s: e for s, e in scope.extra.items() if allowed is None or allowed[s]}
    n = len(slots) + len(extra)
    if not n:
        return scores
    total = float(docs.lengths[scope.doc_rows[slots]].sum()) + sum(e[1] for e in extra.values())
    avg = total / n or 1.0
    for term in dict.fromkeys(term_id(t) for t in code_tokens(query)):
        doc_rows, tf = docs.postings(term)
        where = slot_of_row[doc_rows]
        hit = where >= 0
        fresh = [(s, e[0][term], e[1]) for s, e in extra.items() if term in e[0]]
        if not hit.any() and not fresh:
            continue
        where, tf = where[hit], tf[hit]
        df = len(where) + len(fresh)
        idf = math.log(1.0 + (n - df + 0.5) / (df + 0.5))
        length = docs.lengths[doc_rows[hit]]
        scores[where] += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / avg))
        for slot, count, size in fresh:
            scores[slot] += idf * count * (K1 + 1) / (count + K1 * (1 - B + B * size / avg))
    return scores


def _distances(
    scope: Scope,
    vectors: Vectors,
    allowed: npt.NDArray[np.bool_] | None,
    qvec: npt.NDArray[np.float32],
) -> npt.NDArray[np.float32]:
    """Cosine distance of every scope key to the query (inf where there is no vector).
    When the scope has vectors for at least half of the model's rows (a sidecar that
    holds HEAD and little else), every row is ranked as :meth:`Vectors.dot` reads it
    (block by block from the sidecar's copy) and the scope's are picked out: nothing
    held between searches. Otherwise the scope's vectors are gathered into one
    contiguous matrix once per model, which holds a copy of them but ranks fewer rows."""
    cached = scope.derived.get(("vectors", vectors.model_id))
    if cached is None:
        rows = vector_rows(scope, vectors)
        slots = np.nonzero(rows >= 0)[0]
        if 2 * len(slots) >= len(vectors.matrix):
            cached = (slots, rows[slots], None)
        else:
            cached = (slots, None, vectors.take(rows[slots]))
        scope.derived[("vectors", vectors.model_id)] = cached
    slots, picked, matrix = cached
    distance = np.full(len(scope.keys), np.inf, dtype=np.float32)
    if matrix is None:
        distance[slots] = 1.0 - vectors.dot(qvec)[picked]
    else:
        distance[slots] = 1.0 - matrix @ qvec
    fresh = scope.derived.get(("fresh", vectors.model_id))  # see Searcher: WORKTREE
    if fresh is not None and len(fresh[0]):
        distance[fresh[0]] = 1.0 - fresh[1] @ qvec
    if allowed is not None:
        distance[~allowed] = np.inf
    return distance


def _top(values: npt.NDArray[Any], count: int, *, largest: bool) -> list[int]:
    """Indices of the ``count`` best finite values, best first, ties by index."""
    valid = np.nonzero(values > 0 if largest else np.isfinite(values))[0]
    if len(valid) > count:
        keyed = -values[valid] if largest else values[valid]
        valid = valid[np.argpartition(keyed, count - 1)[:count]]
    sign = -1.0 if largest else 1.0
    return sorted((int(i) for i in valid), key=lambda i: (sign * float(values[i]), i))


def _rank(
    options: SearchOptions,
    text: npt.NDArray[np.float64] | None,
    distance: npt.NDArray[np.float32] | None,
    text_only: npt.NDArray[np.bool_] | None = None,
) -> list[tuple[int, float]]:
    """``(scope slot, score)``, best first; ties broken by slot for determinism.
    ``text_only`` marks the keys that have no vector rank by rule (see
    :data:`TEXT_ONLY_FUSION`)."""
    depth = max(options.k or 0, FUSION_DEPTH)
    if distance is not None and options.max_distance is not None:
        distance = np.where(distance <= options.max_distance, distance, np.inf)
        depth = len(distance)
    if options.mode == "text" and text is not None:
        return [(slot, float(text[slot])) for slot in _top(text, depth, largest=True)]
    if options.mode == "vector" and distance is not None:
        return [
            (slot, 1.0 - float(distance[slot])) for slot in _top(distance, depth, largest=False)
        ]
    scored: dict[int, float] = {}
    lists = []
    if text is not None:
        lists.append(_top(text, FUSION_DEPTH, largest=True))
    if distance is not None:
        lists.append(
            _top(
                distance, depth if options.max_distance is not None else FUSION_DEPTH, largest=False
            )
        )
    for ranking in lists:
        for rank, slot in enumerate(ranking):
            scored[slot] = scored.get(slot, 0.0) + 1.0 / (RRF_K + rank + 1)
    if TEXT_ONLY_FUSION != "plain" and text is not None and distance is not None:
        for rank, slot in enumerate(lists[0]):
            if text_only is not None and text_only[slot] and not np.isfinite(distance[slot]):
                stand_in = rank if TEXT_ONLY_FUSION == "standin" else FUSION_DEPTH
                scored[slot] += 1.0 / (RRF_K + stand_in + 1)
    if distance is not None and options.max_distance is not None:
        scored = {s: v for s, v in scored.items() if np.isfinite(distance[s])}
    return sorted(scored.items(), key=lambda item: (-item[1], item[0]))


def _hits(
    snap: Snapshot,
    scope: Scope,
    reader: SidecarReader,
    ranked: list[tuple[int, float]],
    text: npt.NDArray[np.float64] | None,
    distance: npt.NDArray[np.float32] | None,
    options: SearchOptions,
) -> list[SearchHit]:
    docs = reader.docs()
    keep = _filter(snap, options)
    out: list[SearchHit] = []
    for slot, score in ranked:
        if options.k is not None and len(out) >= options.k:
            break
        row = int(scope.doc_rows[slot])
        shown = docs.snippets[row] if row >= 0 else scope.extra.get(slot, ({}, 0, "", ""))[2]
        for i in scope.members[slot]:
            if keep is not None and not keep(i):
                continue
            if options.k is not None and len(out) >= options.k:
                break
            s = snap.symbols[i]
            out.append(
                SearchHit(
                    s.commit,
                    s.path,
                    s.blob,
                    s.language,
                    s.name,
                    s.qualified_name,
                    s.kind,
                    s.start_line,
                    s.end_line,
                    s.start_byte,
                    s.end_byte,
                    s.signature,
                    round(score, 6),
                    _finite(distance, slot),
                    _positive(text, slot),
                    shown,
                )
            )
    return out


def _finite(values: npt.NDArray[Any] | None, slot: int) -> float | None:
    if values is None or not np.isfinite(values[slot]):
        return None
    return round(float(values[slot]), 6)


def _positive(values: npt.NDArray[Any] | None, slot: int) -> float | None:
    if values is None or values[slot] <= 0:
        return None
    return round(float(values[slot]), 6)
