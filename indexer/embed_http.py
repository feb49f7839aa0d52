"""An embedder behind an OpenAI-compatible HTTP endpoint (``POST {url}/embeddings``).

Opt-in only (``--embedder openai:MODEL@URL``): the default never leaves the machine. The
API key, if the endpoint needs one, comes from ``$SYMBIOTE_EMBED_API_KEY``.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request

import numpy as np

from symbiote.indexer.embedding import Vectors, normalise
from symbiote.indexer.errors import EmbeddingError

API_KEY_ENV = "SYMBIOTE_EMBED_API_KEY"
TIMEOUT_SECONDS = 60


class HttpEmbedder:
    """Vectors from an OpenAI-compatible ``/embeddings`` endpoint."""

    def __init__(self, model: str, url: str) -> None:
        if not url.startswith(("http://", "https://")):
            raise EmbeddingError(f"embedding endpoint must be an http(s) URL, not {url!r}")
        self._model = model
        self._url = url.rstrip("/") + "/embeddings"
        self.model_id = f"openai:{model}"
        self.dimension = len(self._request(["dimension probe"])[0])

    def _request(self, texts: list[str]) -> list[list[float]]:
        body = json.dumps({"model": self._model, "input": texts}).encode()
        headers = {"Content-Type": "application/json"}
        if key := os.environ.get(API_KEY_ENV):
            headers["Authorization"] = f"Bearer {key}"
        request = urllib.request.Request(self._url, data=body, headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                payload = json.load(response)
            rows = sorted(payload["data"], key=lambda row: row["index"])
            return [row["embedding"] for row in rows]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise EmbeddingError(f"embedding endpoint {self._url} failed: {exc}") from exc

    def embed(self, texts: list[str]) -> Vectors:
        """Vectors of ``texts``, normalised."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return normalise(np.array(self._request(texts), dtype=np.float32))
