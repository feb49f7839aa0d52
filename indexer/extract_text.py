"""What a definition's and a reference's text becomes in rows: signatures and declared
types as one line, docstrings without their quotes or comment marks, contexts cut to a
length, and the body hash and line sketch that recognise a definition across commits."""

from __future__ import annotations

import functools
import hashlib
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
    # heapq.nsmallest's answer, but sorted in C: nsmallest walks its input in Python.
    return sorted(hashes)[:SKETCH_SIZE]


def context(raw: bytes | None, language: str) -> str | None:
    """A reference's context as one line: its comments left out (a comment inside a
    chain written over several lines would otherwise run into the code after it), cut
    to a length (a long one keeps its shape, see :func:`arguments.outline`)."""
    if raw is None:
        return None
    text = decoded(raw)
    markers = _COMMENTS.get(language, ())
    if any(marker in text for marker in markers):
        text = uncomment(text, markers)
    text = _SPACE.sub(" ", text).strip()
    if len(text) > _CONTEXT_LIMIT:
        text = arguments.outline(text)
    return text[:_CONTEXT_LIMIT] or None


_CONTEXT_LIMIT = 200

# How a comment starts in each language's code (only where a context can hold one).
_C_COMMENTS = ("//", "/*")
_C_LIKE = "c cpp csharp dart go groovy java javascript kotlin objc php rust scala solidity swift"
_COMMENTS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys((*_C_LIKE.split(), "tsx", "typescript"), _C_COMMENTS),
    "zig": ("//",),
    "python": ("#",),
    "ruby": ("#",),
}


def uncomment(text: str, markers: tuple[str, ...]) -> str:
    """``text`` with each comment that starts with one of ``markers`` replaced by a
    space: a line comment to the end of its line, ``/* */`` to its end. Markers inside
    strings do not count, nor one after a backslash (``/\\//`` is a JS regex)."""
    out: list[str] = []
    quote, start, i = "", 0, 0
    while i < len(text):
        char = text[i]
        if quote:
            if char == "\\":
                i += 1
            elif char == quote:
                quote = ""
        elif char in "\"'`":
            quote = char
        elif char == "\\":
            i += 1
        else:
            marker = next((m for m in markers if text.startswith(m, i)), None)
            if marker is not None:
                out.append(text[start:i])
                if marker == "/*":
                    end = text.find("*/", i + 2)
                    end = len(text) if end < 0 else end + 2
                else:
                    end = text.find("\n", i)
                    end = len(text) if end < 0 else end
                out.append(" ")
                start = i = end
                continue
        i += 1
    out.append(text[start:])
    return "".join(out)


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
