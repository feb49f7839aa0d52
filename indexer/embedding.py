"""What every embedding model offers: texts in, L2-normalised float32 vectors out.

Which model a spec string names, and loading it, is :mod:`symbiote.indexer.embedders`.
Every model has an id and a dimension; the search sidecar keeps one vector table per
model id, so a change of model embeds anew instead of mixing vectors.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors of a fixed dimension."""

    model_id: str  # recorded with every vector table
    dimension: int

    def embed(self, texts: list[str]) -> Vectors:
        """One row per text, each of norm 1."""
        ...


def normalise(vectors: Vectors) -> Vectors:
    """Rows scaled to norm 1 (zero rows stay zero)."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    out: Vectors = (vectors / norms).astype(np.float32)
    return out
