"""Search of one index by meaning and by words (see :mod:`symbiote.queries.search`):
the search sidecar, the query model and the commits' search scopes, each loaded on
first use. Text search and coverage name the model without loading it; the model is
loaded (once per process, see ``shared_embedder``) only to embed a query. A sidecar
written since it was loaded (a background embedding job) is read again."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from symbiote.indexer.errors import NotIndexed
from symbiote.queries.commits import Commits
from symbiote.queries.models import EmbeddingStatus, SearchCoverage, SearchHit
from symbiote.queries.options import SearchOptions
from symbiote.queries.snapshot import Snapshot

if TYPE_CHECKING:  # search needs numpy and the sidecar: imported on first search
    from symbiote.indexer.embedding import Embedder
    from symbiote.queries.search import Scope
    from symbiote.queries.vectors import SidecarReader, Vectors


# Working-tree definitions the sidecar lacks that one search embeds at most (the rest
# are found by words alone).
MAX_FRESH = 256


class Searcher:
    """Hybrid, vector and text search at any indexed commit."""

    def __init__(self, commits: Commits) -> None:
        self.commits = commits
        self.embedder: str | Embedder | None = None  # spec or model for the queries
        self._sidecar: SidecarReader | None = None
        self._sidecar_stamp: tuple[tuple[str, int], ...] = ()
        self._scopes: dict[str, Scope] = {}
        # Vectors of working-tree definitions the sidecar lacks, by (model, content key).
        self._embedded: dict[tuple[str, str], Any] = {}
        self._generation = commits.generation

    def sidecar(self) -> SidecarReader:
        """The search sidecar beside the store."""
        from symbiote.indexer.embed_state import is_held, lock_path
        from symbiote.indexer.searchtext import sidecar_path
        from symbiote.queries.vectors import SidecarReader, written

        store = self.commits.store_path
        path = sidecar_path(store)
        stamp = written(path)
        if self._sidecar is None or stamp != self._sidecar_stamp:
            # While an embedding job writes, tables read from LanceDB are not copied.
            self._sidecar = SidecarReader(path, lambda: not is_held(lock_path(store)))
            self._sidecar_stamp = stamp
            self._scopes.clear()
        return self._sidecar

    def model(self) -> Embedder:
        """The query model: the one that embedded the symbols (loaded on first use)."""
        from symbiote.indexer.embedders import shared_embedder

        if not isinstance(self.embedder, str | None):
            return self.embedder
        # Asked each time, not kept: a long-lived owner renews the process's model.
        return shared_embedder(self.embedder)

    def model_id(self) -> str:
        """The query model's id, without loading it where the spec tells."""
        from symbiote.indexer.embedders import embedder_id

        if not isinstance(self.embedder, str | None):
            return self.embedder.model_id
        return embedder_id(self.embedder)

    def _scope(self, at: str, reader: SidecarReader) -> tuple[Snapshot, Scope]:
        from symbiote.queries.search import build_scope

        if self._generation != self.commits.generation:
            self._scopes.clear()
            self._generation = self.commits.generation
        snap = self.commits.snapshot(at)
        scope = self._scopes.get(snap.key)
        if scope is None:
            cache = self.commits.snapshot_cache
            scope = self._scopes[snap.key] = build_scope(snap, reader, cache=cache)
            self._scopes = {k: v for k, v in self._scopes.items() if self.commits.is_loaded(k)}
        return snap, scope

    def _vectors(self) -> Vectors | None:
        """The vectors of the query model, None when that model embedded nothing."""
        model_id = self.model_id()
        if not self.sidecar().has_vectors(model_id):
            return None
        return self.sidecar().vectors(model_id)

    def search(self, query: str, *, at: str, options: SearchOptions) -> list[SearchHit]:
        """Definitions at ``at`` that match ``query`` by meaning and by words. In hybrid
        mode, a commit with no vectors of the query model is ranked by words alone
        (:meth:`coverage` tells)."""
        from symbiote.queries.search import search as search_in

        sidecar = self.sidecar()
        snap, scope = self._scope(at, sidecar)
        if not len(sidecar.docs().keys):
            raise NotIndexed(
                f"the search sidecar {sidecar.path} is empty; run `symbiote embed` "
                "(`symbiote embed --text-only` for search by words alone, without a model)"
            )
        if options.mode == "hybrid" and self._vectors() is None:
            options = replace(options, mode="text", max_distance=None)

        def vectors() -> tuple[Vectors, Any]:
            model = self.model()  # NotIndexed when this model embedded nothing
            table = sidecar.vectors(model.model_id)
            if scope.extra and ("fresh", model.model_id) not in scope.derived:
                scope.derived[("fresh", model.model_id)] = self._fresh(scope, model)
            return table, model.embed([query])[0]

        return search_in(snap, scope, sidecar, query, options, vectors)

    def _fresh(self, scope: Scope, model: Embedder) -> tuple[Any, Any]:
        """``(slots, vectors)`` of the working tree's new definitions (the first
        :data:`MAX_FRESH` of them), each embedded once per content key and model."""
        import numpy as np

        slots = sorted(scope.extra)[:MAX_FRESH]
        if len(self._embedded) + len(slots) > MAX_FRESH * 8:
            self._embedded.clear()
        missing = [s for s in slots if (model.model_id, scope.key(s)) not in self._embedded]
        if missing:
            made = model.embed([scope.extra[s][3] for s in missing])
            for s, vector in zip(missing, made, strict=True):
                self._embedded[(model.model_id, scope.key(s))] = vector
        matrix = [self._embedded[(model.model_id, scope.key(s))] for s in slots]
        shaped = np.array(matrix, dtype=np.float32).reshape(len(slots), -1)
        return np.array(slots, dtype=np.int64), shaped

    def coverage(self, *, at: str) -> SearchCoverage:
        """How much of the definitions at ``at`` the search sidecar covers."""
        from symbiote.queries.search import coverage

        _, scope = self._scope(at, self.sidecar())
        return coverage(scope, self.model_id(), self._vectors())

    def embedding_status(self, head: str | None) -> EmbeddingStatus:
        """How far the sidecar covers ``head`` (a commit, or None), and the background
        embedding job's state."""
        from symbiote.indexer.embed_state import read_state

        job = read_state(self.commits.store_path) or {}
        cover = self.coverage(at=head) if head is not None else None
        return EmbeddingStatus(
            commit=head,
            model_id=cover.model_id if cover else None,
            definitions=cover.definitions if cover else 0,
            embedded=cover.definitions_embedded if cover else 0,
            text_only=cover.definitions_text_only if cover else 0,
            to_embed=cover.definitions - cover.definitions_covered if cover else 0,
            complete=cover.complete if cover else False,
            job=job.get("state"),
            running=bool(job.get("running")),
            queued=bool(job.get("queued")),
            pid=job.get("pid"),
            done=job.get("done"),
            total=job.get("total"),
            updated_at=job.get("updated_at"),
            error=job.get("error"),
            log=job.get("log"),
        )
