"""What the resolver's parts share: the labels of a resolution, the reference as the
resolver reads it, what an expression denotes, and small text helpers."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import NamedTuple

from symbiote.queries.models import Symbol
from symbiote.queries.resolve_modules import Located

SCOPE, IMPORT, NAME, UNRESOLVED = "scope", "import", "name", "unresolved"
TYPE, INHERITED = "type", "inherited"
# From the most certain to a guess: what a minimum resolution keeps.
PRECISION = (SCOPE, IMPORT, INHERITED, TYPE, NAME, UNRESOLVED)
Resolution = tuple[str, list[Symbol]]

SELF_WORDS = frozenset({"self", "this", "cls", "$this", "static", "Self"})
_SUPER_WORDS = frozenset({("php", "parent"), ("csharp", "base")})
_IDENTIFIER = re.compile(r"^[A-Za-z_$][\w$]*$")


class Use(NamedTuple):
    """A reference (or an expression standing where one would), as the resolver reads
    it; ``row`` is -1 for an expression that is no stored reference."""

    row: int
    name: str
    kind: str
    path: str
    language: str | None
    enclosing: str | None
    enclosing_idx: int | None
    context: str | None
    start: int  # byte offset in its file: which binding of a name is in force


@dataclass(frozen=True, slots=True)
class Defs:
    """The definitions an expression denotes (a class itself, a function, ...)."""

    symbols: tuple[Symbol, ...]


@dataclass(frozen=True, slots=True)
class Instance:
    """A value of one of these types (a class's instance), as its evidence says."""

    types: tuple[Symbol, ...]


# What a name or dotted context denotes: definitions, a value of known types, a module
# (possibly external), or None when it cannot be told.
Entity = Defs | Instance | Located | None


def receiver_word(context: str, language: str | None) -> str | None:
    """``self`` for self/this-like contexts, ``super`` for super calls, else None."""
    text = context.strip()
    if text in SELF_WORDS:
        return "self"
    if text == "super" or text.startswith("super(") or (language, text) in _SUPER_WORDS:
        return "super"
    return None


@functools.lru_cache(maxsize=65536)
def parts_of(context: str) -> tuple[str, ...] | None:
    """The words of a dotted context (``a.b``, ``a::b``, ``a->b``), or None when it is
    not a plain chain of names (``f(x).y``, ``new A()``)."""
    text = context.replace("::", ".").replace("->", ".").replace("?.", ".").replace("\\", ".")
    parts = tuple(text.strip(".").split("."))
    return parts if all(_IDENTIFIER.match(p) for p in parts) else None


def first_argument(arguments: str) -> str:
    """The first of a type's arguments as written (``A, B<C, D>`` -> ``A``)."""
    depth = 0
    for i, char in enumerate(arguments):
        if char in "<([":
            depth += 1
        elif char in ">)]":
            depth -= 1
        elif char == "," and depth == 0:
            return arguments[:i]
    return arguments


@functools.lru_cache(maxsize=65536)
def ancestors(qualified: str | None) -> frozenset[str]:
    """The qualified names a qualified name passes through (itself included)."""
    if not qualified:
        return frozenset()
    parts = qualified.split(".")
    return frozenset(".".join(parts[:i]) for i in range(1, len(parts) + 1))
