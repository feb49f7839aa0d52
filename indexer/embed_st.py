"""An embedder from any sentence-transformers model (optional; not a dependency).

``--embedder sentence-transformers:NAME_OR_PATH``. The package (and torch) must be
installed by the user; a local path keeps it offline.
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np

from symbiote.indexer.embedding import Vectors, normalise
from symbiote.indexer.errors import EmbeddingError


class SentenceTransformersEmbedder:
    """Vectors from a sentence-transformers model."""

    def __init__(self, name: str) -> None:
        try:
            module: Any = importlib.import_module("sentence_transformers")
        except ImportError as exc:
            raise EmbeddingError(
                "the sentence-transformers embedder needs `pip install sentence-transformers`"
            ) from exc
        try:
            self._model = module.SentenceTransformer(name)
        except Exception as exc:  # whatever the model loader raises
            raise EmbeddingError(
                f"cannot load sentence-transformers model {name!r}: {exc}"
            ) from exc
        self.model_id = f"sentence-transformers:{name}"
        self.dimension = int(self._model.get_sentence_embedding_dimension())

    def embed(self, texts: list[str]) -> Vectors:
        """Vectors of ``texts``, normalised."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return normalise(np.asarray(self._model.encode(texts), dtype=np.float32))
