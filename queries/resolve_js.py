"""JavaScript and TypeScript expressions the resolver types beyond a dotted name: call
chains (``z.object({...}).strict().parse``), ``new Cls()``, ``(x as T)``, ``x!``,
``a?.b``, and namespaces re-exported by a module (``export * as core from``).

A chain is read from the text of a reference's context (what the pattern files capture
as the object of a member access), one step at a time: a name, a member, a call, an
index. What a step denotes is what the resolver's own rules say (scopes, imports, type
evidence); a call of a function or method gives its declared result (``this`` as a
result is the value it was called on: a builder's ``min(): this``), a call or ``new``
of a class an instance of it. An index, an unreadable step or a guess ends the chain
with nothing known.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from symbiote.queries.models import Symbol
from symbiote.queries.resolve_base import (
    IMPORT,
    NAME,
    SCOPE,
    TYPE,
    Defs,
    Entity,
    Instance,
    Use,
    parts_of,
)
from symbiote.queries.resolve_defs import FUNCTIONS, TYPES, rank, unique
from symbiote.queries.resolve_generics import constructed_argument
from symbiote.queries.resolve_imports import RENAMING, leaf, unquote
from symbiote.queries.resolve_modules import JS_LANGS, Located
from symbiote.queries.resolve_typetext import ts_members, type_names

if TYPE_CHECKING:
    from symbiote.queries.resolve import Resolver

_WORD = re.compile(r"[A-Za-z_$#][\w$]*")
_OPEN = {"(": ")", "[": "]", "{": "}", "<": ">"}
_CAST = re.compile(r"\s(?:as|satisfies)\s")
_MAX_DEPTH = 6  # namespace re-export chains followed
_TYPE_ONLY = frozenset({"interface", "type"})  # kinds that name no value
_VALUES = frozenset({"constant", "variable"})

# A step of a chain: ("name", word) starts it, then (".", member), ("call", arguments'
# text), ("index", ""); ("new", callee text) and ("cast", type text) stand for a whole head.
Step = tuple[str, str]


def _skip(text: str, i: int) -> int:
    """The index after the bracketed group opening at ``i`` (strings and templates
    skipped); the end of the text when it is cut short (a context is at most 200
    characters)."""
    stack = [_OPEN[text[i]]]
    i += 1
    while i < len(text) and stack:
        char = text[i]
        if char in "\"'`":
            end = text.find(char, i + 1)
            while end > 0 and text[end - 1] == "\\":
                end = text.find(char, end + 1)
            i = len(text) if end < 0 else end + 1
            continue
        if char in _OPEN and (char != "<" or stack[-1] == ">"):
            stack.append(_OPEN[char])
        elif char == stack[-1]:
            stack.pop()
        elif char in ")]}" and stack[-1] != ">":
            return len(text)  # unbalanced: not a chain we can read
        i += 1
    return i


def parse_chain(text: str) -> list[Step] | None:
    """The steps of a chain expression, or None when it is not one."""
    text = text.strip()
    steps: list[Step] = []
    if text.startswith("await "):
        text = text[6:].lstrip()
    if text.startswith("new "):
        end = _skip(text, text.index("(")) if "(" in text else len(text)
        callee = text[4 : text.find("(")] if "(" in text else text[4:]
        callee = callee.split("<", 1)[0].strip()
        steps.append(("new", callee))
        i = end
    elif text.startswith("("):
        end = _skip(text, 0)
        inner = text[1 : end - 1].strip()
        cast = list(_CAST.finditer(inner))
        if cast:
            steps.append(("cast", inner[cast[-1].end() :]))
        else:
            inside = parse_chain(inner)
            if inside is None:
                return None
            steps += inside
        i = end
    else:
        match = _WORD.match(text)
        if match is None:
            return None
        steps.append(("name", match.group(0)))
        i = match.end()
    while i < len(text):
        char = text[i]
        if char.isspace():
            i += 1
        elif text.startswith("?.", i) or char == ".":
            i += 2 if char == "?" else 1
            while i < len(text) and text[i].isspace():
                i += 1
            if i < len(text) and text[i] in "([":
                continue  # `f?.()`, `a?.[0]`
            match = _WORD.match(text, i)
            if match is None:
                return None
            steps.append((".", match.group(0)))
            i = match.end()
        elif char == "(":
            end = _skip(text, i)
            steps.append(("call", text[i + 1 : end - 1]))  # its arguments
            i = end
        elif char == "`":
            i = text.find("`", i + 1) + 1 or len(text)
            steps.append(("call", ""))
        elif char == "<":
            i = _skip(text, i)  # type arguments of a call: `f<T>()`
        elif char == "[":
            i = _skip(text, i)
            steps.append(("index", ""))
        elif char == "!":
            i += 1
        else:
            return None
    return steps


def chain_head(text: str) -> str | None:
    """The first name of a chain (``z`` in ``z.string().min(1)``), if it starts with one."""
    steps = parse_chain(text)
    return steps[0][1] if steps and steps[0][0] == "name" else None


def context_head(use: Use) -> str | None:
    """The first word of a use's context (``a`` of ``a.b``; in JavaScript and TypeScript
    of a chain ``a().b`` too), if it starts with one."""
    parts = parts_of(use.context or "")
    if parts is None and use.language in JS_LANGS:
        return chain_head(use.context or "")
    return parts[0] if parts is not None else None


def first_word(use: Use) -> str:
    """The first word of a use's context in any language, also of a chain with calls
    (``searcher`` of ``searcher.printer()``); empty when it starts with none."""
    return context_head(use) or chain_head(use.context or "") or ""


class Scripts:
    """Chains, namespace re-exports and ranked guesses of JavaScript and TypeScript at
    one snapshot, for its resolver."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self._reachable: dict[str, dict[str, int]] = {}
        self._ranked: dict[tuple[str, str, bool], list[Symbol]] = {}
        self._aliases: frozenset[str] | None = None  # names bound or exported as aliases
        self._spans: dict[str, list[tuple[int, int]]] = {}  # path -> callbacks' spans
        self._inside: dict[tuple[str, int], bool] = {}  # a definition: in a callback?

    def entity(self, context: str, use: Use) -> tuple[str, Entity]:
        """What the chain ``context`` written where ``use`` is denotes, and how that was
        found (``type`` once a value's type was taken from evidence)."""
        steps = parse_chain(context)
        if not steps:
            return NAME, None
        label, entity = self._head(steps[0], use)
        made = self._made(steps, use)  # `getFromContainer(Validator)`: a Validator
        if made is not None:
            label, entity, steps = TYPE, made, steps[1:]
        receiver: tuple[Symbol, ...] = ()
        for kind, text in steps[1:]:
            if entity is None:
                break
            if kind == ".":
                receiver = entity.types if isinstance(entity, Instance) else ()
                entity, typed = self._member(entity, text, use)
                if typed and label in (SCOPE, IMPORT):
                    label = TYPE
            elif kind == "call":
                entity = self._call(entity, receiver, use)
                if isinstance(entity, Instance) and label in (SCOPE, IMPORT):
                    label = TYPE
            else:
                entity = None
        return label, entity

    def _made(self, steps: list[Step], use: Use) -> Instance | None:
        """What a chain's first call gives when it infers its type argument from the
        class passed to it (:mod:`.resolve_generics`)."""
        if len(steps) < 2 or steps[0][0] != "name" or steps[1][0] != "call" or not steps[1][1]:
            return None
        named = self.resolver.defs.named(steps[0][1])
        if not any(constructed_argument(s, steps[1][1]) for s in named):
            return None  # no namesake infers it: the call is not resolved again
        label, functions = self.resolver.resolve_expression(
            use._replace(name=steps[0][1], kind="call", context=None)
        )
        if label not in (SCOPE, IMPORT) or not functions:
            return None
        classes: list[Symbol] = []
        for function in functions:
            argument = constructed_argument(function, steps[1][1])
            parts = parts_of(argument) if argument else None
            entity = self.resolver.entity_of(parts, use)[1] if parts else None
            if isinstance(entity, Defs):
                classes += [s for s in entity.symbols if s.kind in TYPES]
        return Instance(tuple(unique(classes))) if classes else None

    def bound_module(self, use: Use, word: str) -> Located | None:
        """The module a local or parameter ``word`` holds where ``use`` is: bound to
        ``require("./m")`` or ``await import("./m")``, declared ``typeof ns`` or
        assigned a namespace (``const m = ns``)."""
        typing = self.resolver.typing
        row = typing.row_in_force(use, word)
        if row is None:  # a constant of the file: `const m = require("./m")` at its top
            defined = self.resolver.defs.in_file(word, use.path)
            rows = [typing.row_of_definition(s) for s in defined if s.kind in _VALUES]
            row = next((r for r in rows if r is not None), None)
        if row is None:
            return None
        kind, declared, value = typing.binding(row)
        if kind == "module" and value:
            located = self.resolver.imports.locate(use.path, unquote(value) or "")
            return located if located.found or located.external else None
        name = declared[7:] if declared and declared.startswith("typeof ") else None
        if name is None and kind == "alias":
            name = value
        parts = parts_of(name) if name else None
        if parts is None or parts[0] == word:
            return None
        entity = self.resolver.entity_of(parts, use)[1]
        return entity if isinstance(entity, Located) else None

    def types_of(self, text: str, at: Use) -> tuple[Symbol, ...]:
        """The types of the value of the expression ``text`` written at ``at``."""
        label, entity = self.entity(text, at)
        return entity.types if isinstance(entity, Instance) and label != NAME else ()

    def _head(self, step: Step, use: Use) -> tuple[str, Entity]:
        kind, text = step
        resolver = self.resolver
        if kind == "name":
            return resolver._head(use, text)
        if kind == "cast":
            types = resolver.typing.of_type(text, use)
            return (TYPE, Instance(types)) if types else (NAME, None)
        head, _, last = text.rpartition(".")  # new
        label, targets = resolver.resolve_expression(
            use._replace(name=last, kind="call", context=head or None)
        )
        classes = tuple(t for t in targets if t.kind in TYPES)
        if not classes or (label == NAME and len(targets) > 1):
            return NAME, None
        return label, Instance(classes)

    def _member(self, entity: Entity, name: str, use: Use) -> tuple[Entity, bool]:
        """``entity.name``: a module's export, a class's static member, a value's member
        (a method stands for what calling it gives)."""
        resolver = self.resolver
        if isinstance(entity, Located):
            if entity.external:
                return None, False
            found = resolver.exports.exported(entity.files, name, 0)
            if not found:
                return self.namespace(entity.files, name, 0), False
            return self._value(found, ()), False
        if isinstance(entity, Defs):
            classes = [s for s in entity.symbols if s.kind in TYPES]
            if not classes:
                return None, False
            members = resolver.members(classes, name)
            nested = [s for s in members if s.kind in TYPES]
            if nested:
                return Defs(tuple(nested)), False
            return self._value(members, tuple(classes)), True
        if isinstance(entity, Instance):
            members = resolver.members(list(entity.types), name)
            nested = [s for s in members if s.kind in TYPES]
            if nested:
                return Defs(tuple(nested)), False
            value = self._value(members, entity.types) if members else None
            if value is not None:
                return value, True
            typed = resolver.typing.attribute(entity.types, name)
            return (Instance(typed), True) if typed else (None, False)
        return None, False

    def _value(self, symbols: list[Symbol], receiver: tuple[Symbol, ...]) -> Entity:
        """What a name bound to these definitions gives in a chain: a class itself; a
        function or method its result; a variable or field a value of its type. Where a
        name is both a type and a value (`type input<T>` and `function input()`), the
        value."""
        values = [s for s in symbols if s.kind not in _TYPE_ONLY]
        symbols = values or symbols
        classes = [s for s in symbols if s.kind in TYPES]
        if classes:
            return Defs(tuple(classes))
        found: list[Symbol] = []
        for s in _first_overload(symbols):
            if s.type and any("this" in type_names(m) for m in ts_members(s.type)):
                found += receiver  # `min(): this`: the builder it was called on
            found += self.resolver.typing.of_definition(s)
        return Instance(tuple(unique(found))) if found else None

    def _call(self, entity: Entity, receiver: tuple[Symbol, ...], use: Use) -> Entity:
        """What calling ``entity`` gives: a function's value already stands for its
        result (see :meth:`_value`); a class called gives an instance."""
        if isinstance(entity, Defs):
            classes = tuple(s for s in entity.symbols if s.kind in TYPES)
            return Instance(classes) if classes else None
        if isinstance(entity, Instance):
            return entity
        return None

    def namespace(self, files: tuple[str, ...], name: str, depth: int) -> Located | None:
        """The module the files re-export as namespace ``name`` (``export * as name
        from``, or ``import * as name`` then ``export { name }``), also through
        ``export * from``."""
        imports = self.resolver.imports
        for file in files:
            for binding in imports.local(file, name):
                if binding.whole:
                    located = imports.locate(file, binding.module)
                    if located.found:
                        return located
            if depth >= _MAX_DEPTH:
                continue
            for binding in imports.local(file, "*"):
                located = imports.locate(file, binding.module)
                if located.found:
                    found = self.namespace(located.files, name, depth + 1)
                    if found is not None:
                        return found
        return None

    def may_alias(self, use: Use, name: str) -> bool:
        """Whether a JS/TS (or Python, Rust, PHP) name no definition has may still be
        one under another name: a module's export alias (``export { _enum as enum }``),
        an import alias (``from m import A as B``, ``use m::A as B``) or a default import
        (some binding of the snapshot names it so)."""
        if use.language not in JS_LANGS and use.language not in RENAMING:
            return False
        if self._aliases is None:
            columns = self.resolver.snap.binding_columns()
            self._aliases = frozenset(
                n
                for n, kind in zip(columns["name"], columns["kind"], strict=True)
                if kind in ("import", "export", "default")
            )
        return name in self._aliases

    # ---- guesses

    def ranked(self, use: Use, candidates: list[Symbol]) -> list[Symbol]:
        """A guess's candidates ranked by evidence: for a member (``x.m``), members of a
        class or interface first, then other members, then the rest; then those in
        files the file imports, nearest import first (what a module it imports
        re-exports counts); then nearest folder, source before tests (:func:`rank`)."""
        member = use.context is not None
        key = (use.path, leaf(use.name), member)
        found = self._ranked.get(key)
        if found is None or candidates is not self.resolver.defs.named(key[1]):
            reachable = self.reachable(use.path)
            near = rank(use.path)
            far = len(reachable) + 1

            def order(s: Symbol) -> tuple[int, int, tuple[float, str, int]]:
                return (self._membership(s) if member else 0, reachable.get(s.path, far), near(s))

            found = sorted(candidates, key=order)
            if candidates is self.resolver.defs.named(key[1]):
                self._ranked[key] = found
        return found

    def in_reach(self, symbols: list[Symbol], use: Use) -> list[Symbol]:
        """Of definitions of the use's file, those it can see: not those inside a
        function without a name of its own (a callback: `describe(..., () => { type
        Env = ... })`) that the use is outside of."""
        spans = self._scopes(use.path)
        return [
            s
            for s in symbols
            if all(start <= use.start < end for start, end in spans if start <= s.start_byte < end)
        ]

    def by_place(self, use: Use, here: list[Symbol]) -> bool:
        """Whether which of ``here`` (a file's definitions of the name ``use`` names) the
        use sees depends on where it is (:func:`nearest_first`)."""
        if use.language not in JS_LANGS and use.language != "python":
            return False
        return len(here) > 1 or self.scoped(here)

    def scoped(self, symbols: list[Symbol]) -> bool:
        """Whether any of the definitions is inside a function without a name of its own
        (so whether a use sees it depends on where the use is)."""
        for s in symbols:
            key = (s.path, s.start_byte)
            inside = self._inside.get(key)
            if inside is None:
                spans = self._scopes(s.path)
                inside = self._inside[key] = any(a <= s.start_byte < b for a, b in spans)
            if inside:
                return True
        return False

    def _scopes(self, path: str) -> list[tuple[int, int]]:
        found = self._spans.get(path)
        if found is None:
            columns = self.resolver.snap.binding_columns()
            kinds, starts, ends = columns["kind"], columns["start_byte"], columns["end_byte"]
            rows = self.resolver.snap.binding_rows(path)
            found = self._spans[path] = [(starts[r], ends[r]) for r in rows if kinds[r] == "scope"]
        return found

    def _membership(self, symbol: Symbol) -> int:
        """0: a member of a class (interface, ...); 1: another member; 2: not a member."""
        defs = self.resolver.defs
        if symbol.parent is not None and defs.kind(symbol.path, symbol.parent) in TYPES:
            return 0
        return 1 if defs.is_member(symbol) else 2

    def reachable(self, path: str) -> dict[str, int]:
        """The files ``path`` imports, and those they re-export wholesale from (to a few
        steps), with how many steps away each is (the file itself: 0)."""
        found = self._reachable.get(path)
        if found is None:
            imports = self.resolver.imports
            found = {path: 0}
            frontier = [path]
            for depth in range(_MAX_DEPTH):
                following: list[str] = []
                for file in frontier:
                    for binding in imports.bindings(file):
                        if depth and binding.local != "*" and not binding.whole:
                            continue  # past the file itself, only wholesale re-exports
                        for f in imports.locate(file, binding.module).files:
                            if f not in found:
                                found[f] = depth + 1
                                following.append(f)
                frontier = following
            self._reachable[path] = found
        return found


def nearest_first(symbols: list[Symbol], use: Use) -> list[Symbol]:
    """Definitions of one scope, the nearest one before the use first: in JavaScript
    (two test callbacks at the top of a file may each declare their own ``enum E``), and
    in Python where the use is in the body of that scope itself (a test that defines
    ``class Module`` again before each check uses each in turn; from a function nested
    in it, the one in effect is whichever ran last when it is called: the order stays)."""
    if len(symbols) < 2:
        return symbols
    if use.language == "python":
        if any(s.parent != use.enclosing for s in symbols):
            return symbols
    elif use.language not in JS_LANGS:
        return symbols
    return sorted(symbols, key=lambda s: (s.start_byte > use.start, abs(use.start - s.start_byte)))


def _first_overload(symbols: list[Symbol]) -> list[Symbol]:
    """Of the overloads of one function (several declarations of one qualified name in
    one file), the first with a declared result, as a call without its arguments' types
    is taken to match it; other definitions as they are."""
    seen: set[tuple[str, str]] = set()
    out: list[Symbol] = []
    for s in sorted(symbols, key=lambda s: (s.path, s.start_byte)):
        key = (s.path, s.qualified_name)
        if s.kind in FUNCTIONS and s.type:
            if key in seen:
                continue
            seen.add(key)
        out.append(s)
    return out
