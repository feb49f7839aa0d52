"""What the search sidecar is keyed by and what it holds, shared by both sides.

- :func:`content_key`: a definition's identity for search. Two definitions with the same
  qualified name, kind, body (indentation removed) and docstring share one key, whatever
  the commit, branch, path or repository: each key is embedded once.
- :func:`embedding_text`: the text given to the embedding model — a ``# path ::
  qualname`` header line, the doc comment when it lies outside the body, then the body.
- :class:`VectorRule`: which definitions get a vector; the others are served by text
  search alone (deliberately text-only). The rule reads only a definition's kind and line
  span, which both sides have, and which its content key fixes, so the embedding job and
  the coverage report agree on every key.
- :func:`code_tokens`: code-aware words for BM25: identifiers are split on ``_`` and
  camelCase (``getHTTPResponse`` -> ``get``, ``http``, ``response``, plus the whole
  ``gethttpresponse``), lower-cased, lightly stemmed, stop words dropped. Queries and
  documents go through the same function.
- :func:`term_id`: a stable 32-bit id of a token (crc32), so the sidecar stores integer
  postings without a shared vocabulary.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The sidecar's table names (see indexer.sidecar).
DOCS_TABLE = "symbol_docs"
VECTORS_PREFIX = "vectors__"
CRITIQUES_PREFIX = "critiques__"  # vectors of agent-log critiques, keyed by entry id

# Characters of a body kept in the embedded text (and its BM25 postings); the default
# model reads its first 64 tokens, other models may read more.
MAX_BODY_CHARS = 4000
# Lines of a body shown as a result's snippet.
SNIPPET_LINES = 6

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[0-9]+")
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_STOP = frozenset(
    """a an and are as at be been but by can do does for from has have if in into is it its
    of on or that the their then there these this to was were will with which when while
    self cls def return none true false null nil var let const function func fn new pass
    elif else import from class public private protected static void int str bool
    """.split()
)


def content_key(qualified_name: str, kind: str, body_hash: str, docstring: str | None) -> str:
    """The search identity of a definition (32 hex characters)."""
    text = "\0".join((qualified_name, kind, body_hash, docstring or ""))
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def embedding_text(path: str, qualified_name: str, docstring: str | None, body: str) -> str:
    """The text embedded for a definition."""
    body = body[:MAX_BODY_CHARS]
    parts = [f"# {path} :: {qualified_name}"]
    if docstring and docstring not in body:
        parts.append(docstring)
    parts.append(body)
    return "\n".join(parts)


# Kinds that hold data, not behaviour: their name and value are words, which text search
# finds; a vector of `x = 3` adds little (measured: docs/design.md, "Less to embed").
DATA_KINDS = frozenset({"variable", "field", "constant"})


@dataclass(frozen=True, slots=True)
class VectorRule:
    """Which definitions get a vector. The rest have BM25 postings only: they are
    *deliberately text-only* and count as covered (see ``SearchCoverage``).

    A definition spanning ``start_line``..``end_line`` (1-based, inclusive) of kind
    ``kind`` gets a vector when its kind is allowed and it spans at least ``min_lines``
    lines. Both inputs are fixed by the content key (its kind, and its body with the
    indentation removed), so one key is embedded or text-only everywhere.
    """

    name: str  # its key in VECTOR_RULES, recorded in the embedding summary
    # Kinds that never get a vector.
    text_only_kinds: frozenset[str] = frozenset()
    # When set, only these kinds get a vector.
    only_kinds: frozenset[str] | None = None
    # Definitions spanning fewer lines than this get no vector (1: no minimum).
    min_lines: int = 1

    def wants_vector(self, kind: str, start_line: int, end_line: int) -> bool:
        """Whether a definition of ``kind`` over these lines gets a vector."""
        if kind in self.text_only_kinds:
            return False
        if self.only_kinds is not None and kind not in self.only_kinds:
            return False
        return end_line - start_line + 1 >= self.min_lines


# The rules the search evaluation compares (bench/search_eval.py), by name.
VECTOR_RULES = {
    rule.name: rule
    for rule in (
        VectorRule("all"),
        VectorRule("no-data", text_only_kinds=DATA_KINDS),
        VectorRule("code", only_kinds=frozenset({"function", "method", "class"})),
        VectorRule("no-data-2", text_only_kinds=DATA_KINDS, min_lines=2),
        VectorRule("no-data-3", text_only_kinds=DATA_KINDS, min_lines=3),
        VectorRule("no-data-4", text_only_kinds=DATA_KINDS, min_lines=4),
    )
}
# Chosen by the search evaluation (docs/design.md, "Less to embed"): the same quality as
# embedding everything, with about a third fewer texts.
DEFAULT_VECTOR_RULE = VECTOR_RULES["no-data-3"]


def snippet(body: str, lines: int = SNIPPET_LINES) -> str:
    """The first lines of a body, for display."""
    return "\n".join(body.splitlines()[:lines])


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ed"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def code_tokens(text: str) -> list[str]:
    """The BM25 words of ``text``, in order, with repetition."""
    out: list[str] = []
    for word in _WORD.findall(text):
        parts = [p for chunk in word.split("_") for p in _CAMEL.findall(chunk)]
        for part in parts:
            low = part.lower()
            if low not in _STOP and (len(low) > 1 or low.isdigit()):
                out.append(_stem(low))
        if len(parts) > 1:
            out.append(word.lower().replace("_", ""))
    return out


def term_id(token: str) -> int:
    """A stable unsigned 32-bit id of a token."""
    return zlib.crc32(token.encode("utf-8"))


def term_counts(text: str) -> tuple[list[int], list[int], int]:
    """``(term ids, counts, length)`` of a document: the postings it contributes."""
    counts = Counter(term_id(t) for t in code_tokens(text))
    ids = sorted(counts)
    return ids, [counts[i] for i in ids], sum(counts.values())


def sidecar_path(store: Path) -> Path:
    """Where the sidecar of a store lives: ``index.duckdb`` -> ``index.lance/``."""
    return store.with_suffix(".lance")


def vectors_table(model_id: str) -> str:
    """The table name of a model's vectors."""
    return VECTORS_PREFIX + re.sub(r"[^A-Za-z0-9]+", "_", model_id).strip("_").lower()


def critiques_table(model_id: str) -> str:
    """The table name of a model's vectors of agent-log critiques."""
    return CRITIQUES_PREFIX + vectors_table(model_id)[len(VECTORS_PREFIX) :]


def table_names(db: Any) -> list[str]:
    """Every table name of a LanceDB connection (``list_tables`` pages its answer)."""
    names: list[str] = []
    token = None
    while True:
        page = db.list_tables(page_token=token) if token else db.list_tables()
        names.extend(page.tables)
        token = page.page_token
        if not token:
            return names
