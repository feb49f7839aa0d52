"""What a definition's and a reference's text becomes in rows: signatures and declared
types as one line, docstrings without their quotes or comment marks, contexts cut to a
length, and the body hash and line sketch that recognise a definition across commits."""

from __future__ import annotations

import functools
import hashlib
import heapq
import inspect
import re
import zlib

from symbiote.indexer import arguments

SIGNATURE_LIMIT = 1000
DOC_LIMIT = 4000


def declared(raw: bytes | None) -> str | None:
    """A declared type as one line (quotes of a string annotation kept: the resolver
    reads them)."""
    if raw is None:
        return None
    return _SPACE.sub(" ", decoded(raw)).strip()[:SIGNATURE_LIMIT] or None


def decoded(raw: bytes) -> str:
    """Bytes of the source as text (invalid UTF-8 replaced)."""
    return raw.decode("utf-8", errors="replace")


@functools.cache
def _dedent_pattern(indent: int) -> re.Pattern[bytes]:
    return re.compile(rb"\n[ \t]{0,%d}" % indent)


def body_hash(body: bytes, indent: int) -> str:
    """Hash of a definition's text with its own indentation removed, so a definition
    that only moved (same text, other place or nesting depth) keeps its hash."""
    if indent:
        body = _dedent_pattern(indent).sub(b"\n", body)
    return hashlib.blake2b(body, digest_size=16).hexdigest()


SKETCH_SIZE = 8
SKETCH_LINES = 256  # lines of a body that count: bounds the cost for large classes


def line_sketch(body: bytes) -> list[int]:
    """The smallest 32-bit hashes of the body's distinct stripped lines, first line
    excluded (it holds the name and signature, which renames change). Two definitions'
    sketches estimate how much of their bodies they share."""
    lines = body.split(b"\n", SKETCH_LINES + 1)[1 : SKETCH_LINES + 1]
    hashes = {zlib.crc32(stripped) for line in lines if (stripped := line.strip())}
    return heapq.nsmallest(SKETCH_SIZE, hashes)


def context(raw: bytes | None) -> str | None:
    if raw is None:
        return None
    text = _SPACE.sub(" ", decoded(raw)).strip()
    if len(text) > _CONTEXT_LIMIT:
        text = arguments.outline(text)
    return text[:_CONTEXT_LIMIT] or None


_CONTEXT_LIMIT = 200


_SPACE = re.compile(r"\s+")


def clean_signature(raw: bytes) -> str:
    text = _SPACE.sub(" ", decoded(raw)).strip()
    text = text.rstrip("{:= ").rstrip()
    return text[:SIGNATURE_LIMIT]


_STRING_PREFIX = re.compile(r"^[rRbBuUfF]*('''|\"\"\"|'|\")")
_COMMENT_LINE = re.compile(r"^\s*(?:///?|//!|#|/\*\*?|\*/|\*(?!/))?\s?")


def clean_doc(raw: bytes | None) -> str | None:
    if raw is None:
        return None
    text = decoded(raw)
    match = _STRING_PREFIX.match(text)
    if match:
        quote = match.group(1)
        body = text[match.end() :]
        if body.endswith(quote):
            body = body[: -len(quote)]
        cleaned = inspect.cleandoc(body)
    else:
        lines = []
        for line in text.splitlines():
            line = line.rstrip()
            if line.endswith("*/"):
                line = line[:-2].rstrip()
            lines.append(_COMMENT_LINE.sub("", line, count=1))
        cleaned = "\n".join(lines).strip()
    return cleaned[:DOC_LIMIT] or None
