"""Names bound in a scope (parameters, locals, attributes), and what their code says of
their type: the evidence a careful reader sees, kept for the resolver.

Pattern files mark bindings with ``@binding.<kind>`` on the binding and ``@name`` on the
bound name, with optional ``@type`` (a declared type: ``request: Request``) and
``@value`` (what is assigned: the callee of a call, ``Client`` in ``c = Client()``; a
name, ``transport`` in ``self.t = transport``) and ``@context`` (the object an
attribute is bound on: ``self``). Kinds:

``param``
    a parameter (``@type``: its declared type)
``local``
    any other local name: an assignment, a loop, ``with ... as``, ``except ... as``
    target (``@type``, ``@value`` when the code shows them)
``call`` / ``alias``
    a local (or, with ``@context``, an attribute) assigned a call's result or a name
``narrow``
    a name whose type a test narrows in the block that follows (``isinstance(x, T)``);
    it binds nothing new

Two uses. At extraction, a reference by a bare name that a function (or one enclosing
it) binds is a local, not a use of a definition: it is dropped (``_locals``). And every
binding with evidence is stored (``code_bindings``), so the resolver can type the
object of ``x.m()``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from symbiote.indexer.extract import Definition
    from symbiote.indexer.parse import RawBinding

# Definition kinds whose body is a scope of local names.
FUNCTION_KINDS = frozenset({"function", "method", "constructor", "macro", "test"})
# Reference kinds that never name a local, by language: in Java, methods and types are
# not in the namespace of variables (`reader(json)` calls a method beside a local
# `reader`).
NOT_LOCAL: dict[str, frozenset[str]] = {"java": frozenset({"call", "type", "decorator"})}
_EVIDENCE_LIMIT = 300
_SPACE = re.compile(r"\s+")


class Binding(NamedTuple):
    """A name bound with evidence of its type (one row of ``code_bindings``)."""

    idx: int
    name: str
    kind: str  # param, local, call, alias, narrow
    type: str | None  # the declared type's text
    value: str | None  # the callee of the call assigned, or the name assigned
    context: str | None  # the object of an attribute binding (self, this)
    scope_idx: int | None  # the innermost definition around it (None: the file)
    start_byte: int  # of the bound name
    end_byte: int
    line: int  # 1-based
    col: int  # 0-based, bytes


def _text(raw: bytes | None) -> str | None:
    if raw is None:
        return None
    text = _SPACE.sub(" ", raw.decode("utf-8", errors="replace")).strip()
    return text[:_EVIDENCE_LIMIT] or None


def innermost(definitions: Sequence[Definition], positions: Iterable[int]) -> list[int | None]:
    """The idx of the innermost definition around each position (sorted ascending)."""
    spans = sorted(definitions, key=lambda d: (d.start_byte, -d.end_byte))
    out: list[int | None] = []
    stack: list[Definition] = []
    i = 0
    for position in positions:
        while i < len(spans) and spans[i].start_byte <= position:
            while stack and stack[-1].end_byte <= spans[i].start_byte:
                stack.pop()
            stack.append(spans[i])
            i += 1
        while stack and stack[-1].end_byte <= position:
            stack.pop()
        out.append(stack[-1].idx if stack else None)
    return out


def bindings(
    raw: list[RawBinding], definitions: Sequence[Definition], data: bytes
) -> list[Binding]:
    """Every bound name, in source order, with the definition around it."""
    ordered = sorted(raw)
    scopes = innermost(definitions, (b[0] for b in ordered))
    out: list[Binding] = []
    for (start, end, row, col, _pattern, kind, type_, value, context), scope in zip(
        ordered, scopes, strict=True
    ):
        name = data[start:end].decode("utf-8", errors="replace")
        out.append(
            Binding(
                len(out),
                name,
                kind,
                _text(type_),
                _text(value),
                _text(context),
                scope,
                start,
                end,
                row + 1,
                col,
            )
        )
    return out


def locals_by_scope(
    found: Sequence[Binding], definitions: Sequence[Definition]
) -> dict[int, frozenset[str]]:
    """The names each function-like definition binds itself (its parameters and locals;
    attributes and narrowed names bind nothing new)."""
    functions = {d.idx for d in definitions if d.kind in FUNCTION_KINDS}
    names: dict[int, set[str]] = defaultdict(set)
    for b in found:
        if b.context is None and b.kind != "narrow" and b.scope_idx in functions:
            names[b.scope_idx].add(b.name)
    return {idx: frozenset(n) for idx, n in names.items()}


def is_local(
    name: str,
    enclosing_idx: int | None,
    scopes: dict[int, frozenset[str]],
    parents: Sequence[int | None],
) -> bool:
    """Whether ``name``, used inside definition ``enclosing_idx``, is bound by it or by a
    definition around it (a parameter or local of a function, or of one it is in)."""
    idx = enclosing_idx
    while idx is not None:
        bound = scopes.get(idx)
        if bound is not None and name in bound:
            return True
        idx = parents[idx]
    return False


def evident(found: Sequence[Binding]) -> list[Binding]:
    """The bindings worth storing: those with a type or a value to go by, numbered."""
    kept = [b for b in found if b.type is not None or b.value is not None]
    return [b._replace(idx=i) for i, b in enumerate(kept)]
