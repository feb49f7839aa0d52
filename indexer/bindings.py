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
``element``
    a loop variable, an element of what ``@value`` is (``for x in items``, ``[x for x in
    items]``, ``for (const x of items)``, ``items.forEach((x) => ...)``): the element
    type of its declared type (``list[Item]``, ``Item[]``)
``narrow``
    a name whose type a test narrows in the block that follows (``isinstance(x, T)``);
    it binds nothing new
``typeparam``
    a type parameter (``<T extends Base>``, ``@type``: its constraint)
``return``
    not a local: ``@name`` is a function's name, ``@value`` the expression its first
    top-level ``return`` gives (the evidence of its result when none is declared); or
    ``@name`` a call signature of an interface, in the interface's scope, and ``@type``
    its declared result (TypeScript ``interface F { (x: A): R }``)
``module``
    a local holding a module (``const m = require("./m")``, ``await import("./m")``):
    ``@value`` the module's specifier (the resolver reads ``m.f()`` as ``f`` of that
    module)
``import`` / ``export``
    a name an import binds, or a module exports, under another name (JavaScript
    ``import { a as b } from "m"``, ``export { a as b }``): ``@value`` the original
    name, ``@context`` the module it comes from (none: the file itself); for the
    resolver's import table, no type evidence
``default`` / ``namespace``
    a name a default import binds to a module's default export (``import m from
    "m"``), or a namespace import or export to the module itself (``import * as m``);
    ``@value`` the name again, ``@context`` the module (for the import table too)
``scope``
    not a name: ``@name`` is a function without a name of its own (a JavaScript
    callback, ``() => ...``), a scope whose parameters and locals are its own, like a
    function definition's

Two uses. At extraction, a reference by a bare name that a function (or one enclosing
it) binds is a local, not a use of a definition: it is dropped (:class:`Locals`). And every
binding with evidence is stored (``code_bindings``), so the resolver can type the
object of ``x.m()``.
"""

from __future__ import annotations

import bisect
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
# kinds that bind no local
_NOT_LOCAL = frozenset({"narrow", "return", "import", "export", "default", "namespace"})
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
    """Every bound name, in source order, with the definition around it (``typeparam``
        a type parameter (``<T extends Base>``, ``@type``: its constraint)
    ``return``
        not a local: ``@name`` is a function's name, ``@value`` the expression its first
        top-level ``return`` gives (the evidence of its result when none is declared); or
        ``@name`` a call signature of an interface, in the interface's scope, and
        ``@type`` its declared result (TypeScript ``interface F { (x: A): R }``)
    ``module``
        a local holding a module (``const m = require("./m")``, ``await import("./m")``):
        ``@value`` the module's specifier (the resolver reads ``m.f()`` as ``f`` of that
        module)
    ``import`` / ``export``
        a name an import binds, or a module exports, under another name (JavaScript
        ``import { a as b } from "m"``, ``export { a as b }``): ``@value`` the original
        name, ``@context`` the module it comes from (none: the file itself); for the
        resolver's import table, no type evidence
    ``scope``
        rows, which bind no name, are left out here: see :func:`anonymous_scopes`, and
        :func:`evident`, which stores those that hold a stored binding)."""
    ordered = sorted(b for b in raw if b[5] != "scope")
    scopes = innermost(definitions, (b[0] for b in ordered))
    out: list[Binding] = []
    new = tuple.__new__  # builds a row without NamedTuple's Python-level __new__
    for (start, end, row, col, _pattern, kind, type_, value, context), scope in zip(
        ordered, scopes, strict=True
    ):
        name = data[start:end].decode("utf-8", errors="replace")
        row_values = (
            len(out),
            name,
            kind,
            None if type_ is None else _text(type_),
            None if value is None else _text(value),
            None if context is None else _text(context),
            scope,
            start,
            end,
            row + 1,
            col,
        )
        out.append(new(Binding, row_values))
    return out


def anonymous_scopes(raw: list[RawBinding]) -> list[tuple[int, int]]:
    """The byte spans of the functions without a name of their own (``scope`` rows)."""
    return [(b[0], b[1]) for b in raw if b[5] == "scope"]


class Locals:
    """The names each function-like scope binds itself (its parameters and locals;
    attributes and narrowed names bind nothing new): function definitions and the
    functions without a name of their own. Asked in source order (:meth:`bound`)."""

    def __init__(
        self,
        found: Sequence[Binding],
        definitions: Sequence[Definition],
        anonymous: Sequence[tuple[int, int]] = (),
    ) -> None:
        spans = [(d.start_byte, d.end_byte, d.kind in FUNCTION_KINDS) for d in definitions]
        spans += [(start, end, True) for start, end in anonymous]
        spans.sort(key=lambda s: (s[0], -s[1]))
        self._spans = spans
        self._parents: list[int | None] = []
        stack: list[int] = []
        for i, (start, _, _) in enumerate(spans):
            while stack and spans[stack[-1]][1] <= start:
                stack.pop()
            self._parents.append(stack[-1] if stack else None)
            stack.append(i)
        names: dict[int, set[str]] = defaultdict(set)
        # A name that is also a definition (`const f = () => ...` in a function) is
        # found as that definition, not dropped as a local.
        defined = {(d.name_line, d.name_col) for d in definitions}
        named = [
            b
            for b in found
            if b.context is None and b.kind not in _NOT_LOCAL and (b.line, b.col) not in defined
        ]
        for b, inner in zip(named, self._innermost(b.start_byte for b in named), strict=True):
            if inner is not None and spans[inner][2]:
                names[inner].add(b.name)
        # A function's own nested definition stays that definition where the function
        # also assigns its name (`def handler(): ...` then `handler = wrap(handler)`).
        at = {(start, end): i for i, (start, end, _) in enumerate(spans)}
        for d in definitions:
            parent = self._parents[at[d.start_byte, d.end_byte]]
            if parent is not None and d.name in names.get(parent, ()):
                names[parent].discard(d.name)
        self._names = {i: frozenset(n) for i, n in names.items() if n}
        # Every name bound somewhere in the file: a name outside it is never bound, which
        # a caller can ask without a call (bound() asks it first too).
        self.anywhere: frozenset[str] = frozenset().union(*self._names.values())
        self._visible: dict[int | None, frozenset[str]] = {None: frozenset()}
        self._stack: list[int] = []  # the sweep of bound(): spans open at the position
        self._next = 0

    def __bool__(self) -> bool:
        return bool(self._names)

    def _innermost(self, positions: Iterable[int]) -> list[int | None]:
        """The innermost span around each position (positions sorted ascending)."""
        out: list[int | None] = []
        stack: list[int] = []
        i = 0
        for position in positions:
            while i < len(self._spans) and self._spans[i][0] <= position:
                while stack and self._spans[stack[-1]][1] <= self._spans[i][0]:
                    stack.pop()
                stack.append(i)
                i += 1
            while stack and self._spans[stack[-1]][1] <= position:
                stack.pop()
            out.append(stack[-1] if stack else None)
        return out

    def _names_visible(self, i: int | None) -> frozenset[str]:
        found = self._visible.get(i)
        if found is None:
            assert i is not None
            own = self._names.get(i, frozenset())
            found = self._visible[i] = own | self._names_visible(self._parents[i])
        return found

    def bound(self, name: str, position: int) -> bool:
        """Whether ``name``, used at ``position``, is bound by the scope it is in or by
        one around it. Positions must not decrease from one call to the next."""
        if name not in self.anywhere:
            return False  # the sweep catches up at the next call
        spans, stack = self._spans, self._stack
        while self._next < len(spans) and spans[self._next][0] <= position:
            while stack and spans[stack[-1]][1] <= spans[self._next][0]:
                stack.pop()
            stack.append(self._next)
            self._next += 1
        while stack and spans[stack[-1]][1] <= position:
            stack.pop()
        return name in self._names_visible(stack[-1] if stack else None)


def evident(
    found: Sequence[Binding], raw: Sequence[RawBinding] = (), definitions: Sequence[Definition] = ()
) -> list[Binding]:
    """The bindings worth storing, numbered: those with a type or a value to go by, and
    the functions without a name of their own (``scope`` rows, named "") that hold one
    of them or a definition, so that a reader knows where a callback's parameter stops
    being in force, and which definitions are a callback's own."""
    kept = [b for b in found if b.type is not None or b.value is not None]
    spans = sorted((b for b in raw if b[5] == "scope"), key=lambda b: (b[0], -b[1]))
    starts = sorted([*(b.start_byte for b in kept), *(d.start_byte for d in definitions)])
    holding = [
        s for s in spans if bisect.bisect_left(starts, s[0]) < bisect.bisect_left(starts, s[1])
    ]
    around = innermost(definitions, (s[0] for s in holding))
    scopes = [
        Binding(0, "", "scope", None, None, None, idx, s[0], s[1], s[2] + 1, s[3])
        for s, idx in zip(holding, around, strict=True)
    ]
    ordered = sorted([*kept, *scopes], key=lambda b: (b.start_byte, b.kind != "scope"))
    new = tuple.__new__
    return [new(Binding, (i, *b[1:])) for i, b in enumerate(ordered)]
