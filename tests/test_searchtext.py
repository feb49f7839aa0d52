"""What the search sidecar is keyed by and holds; the pluggable embedders."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

from symbiote.indexer import EmbeddingError
from symbiote.indexer.embedders import load_embedder
from symbiote.indexer.searchtext import (
    VECTOR_RULES,
    code_tokens,
    content_key,
    embedding_text,
    term_counts,
    term_id,
)


def test_code_tokens_split_identifiers_and_words() -> None:
    text = 'def getHTTPResponse(self, retry_count=3):\n    """Retries failed requests."""'
    assert code_tokens(text) == [
        "get",
        "http",
        "response",
        "gethttpresponse",
        "retry",
        "count",
        "retrycount",
        "3",
        "retry",
        "fail",
        "request",
    ]
    assert code_tokens("parse_tree XMLParser fetch2Data the of") == [
        "parse",
        "tree",
        "parsetree",
        "xml",
        "parser",
        "xmlparser",
        "fetch",
        "2",
        "data",
        "fetch2data",
    ]


def test_term_counts_are_sorted_postings() -> None:
    ids, counts, length = term_counts("retry retry request")
    assert length == 3
    assert dict(zip(ids, counts, strict=True)) == {term_id("retry"): 2, term_id("request"): 1}
    assert ids == sorted(ids)


def test_content_key_ignores_where_the_code_is() -> None:
    key = content_key("Client.send", "method", "abc", "Send it.")
    assert key == content_key("Client.send", "method", "abc", "Send it.")
    assert len({key, content_key("Client.recv", "method", "abc", "Send it.")}) == 2
    assert key != content_key("Client.send", "method", "abc", None)


def test_embedding_text_has_a_header_and_the_doc_comment_once() -> None:
    body = 'def f():\n    """Doc."""\n'
    assert embedding_text("a/b.py", "f", "Doc.", body) == "# a/b.py :: f\n" + body
    go = "func F() {}"
    assert embedding_text("f.go", "F", "F does it.", go) == "# f.go :: F\nF does it.\n" + go


# (kind, start_line, end_line) of definitions of every shape the rules tell apart.
SHAPES = [
    ("function", 10, 10),  # a one-line definition (`def f(): return 1`, a Go one-liner)
    ("method", 10, 11),  # a Python one-line body
    ("method", 10, 12),  # a brace language's one-line body
    ("class", 10, 13),
    ("interface", 10, 20),
    ("field", 10, 10),
    ("constant", 10, 14),  # a multi-line table is still data
    ("variable", 10, 10),
]


def test_each_vector_rule_says_exactly_which_definitions_get_a_vector() -> None:
    got = {
        name: [rule.wants_vector(*shape) for shape in SHAPES] for name, rule in VECTOR_RULES.items()
    }
    assert got == {
        "all": [True, True, True, True, True, True, True, True],
        "no-data": [True, True, True, True, True, False, False, False],
        "code": [True, True, True, True, False, False, False, False],
        "no-data-2": [False, True, True, True, True, False, False, False],
        "no-data-3": [False, False, True, True, True, False, False, False],
        "no-data-4": [False, False, False, True, True, False, False, False],
    }
    assert all(rule.name == name for name, rule in VECTOR_RULES.items())


class _Endpoint(BaseHTTPRequestHandler):
    """An OpenAI-compatible /embeddings endpoint: a 3-d vector from each text's length."""

    def do_POST(self) -> None:  # noqa: N802 - the http.server interface
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append((self.path, body, self.headers.get("Authorization")))  # type: ignore[attr-defined]
        data = [
            {"index": i, "embedding": [float(len(text)), 1.0, 0.0]}
            for i, text in enumerate(body["input"])
        ]
        payload = json.dumps({"data": list(reversed(data))}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def endpoint() -> Iterator[HTTPServer]:
    server = HTTPServer(("127.0.0.1", 0), _Endpoint)
    server.requests = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


def test_openai_compatible_endpoint(endpoint: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYMBIOTE_EMBED_API_KEY", "k-123")
    url = f"http://127.0.0.1:{endpoint.server_port}/v1"
    model = load_embedder(f"openai:tiny@{url}")
    assert (model.model_id, model.dimension) == ("openai:tiny", 3)
    vectors = model.embed(["ab", "abcd"])
    assert vectors.shape == (2, 3)
    assert vectors[0] @ [1.0, 0.0, 0.0] < vectors[1] @ [1.0, 0.0, 0.0]  # order kept
    path, body, auth = endpoint.requests[-1]  # type: ignore[attr-defined]
    assert (path, body, auth) == (
        "/v1/embeddings",
        {"model": "tiny", "input": ["ab", "abcd"]},
        "Bearer k-123",
    )


def test_unknown_or_unavailable_embedders_are_clear_errors() -> None:
    with pytest.raises(EmbeddingError, match="unknown embedder"):
        load_embedder("word2vec")
    with pytest.raises(EmbeddingError, match="http"):
        load_embedder("openai:m@file:///etc/passwd")
    with pytest.raises(EmbeddingError, match="failed"):
        load_embedder("openai:m@http://127.0.0.1:9/")  # nothing listens on port 9
    with pytest.raises(EmbeddingError, match="sentence-transformers"):
        load_embedder("sentence-transformers:all-MiniLM-L6-v2")  # not installed here
