"""The types of values, as far as the code says: what the resolver needs to answer
``x.m()`` when ``x`` is a value, not a class or module.

The evidence is what a careful reader uses, stored by the indexer (see
:mod:`symbiote.indexer.bindings`): a parameter's or variable's declared type
(``request: Request``, ``Optional[X]``, ``X | None``, ``"X"``); the class a value was
made from or the declared result of the function that made it (``c = Client()``,
``c = make()`` where ``make() -> Client``); a name it was assigned from (``self.t =
transport``); an ``isinstance`` test or a TypeScript type guard (``if (isCls(x))`` with
``isCls(v): v is Cls``); a field's or property's declared type. Each step
resolves the names it meets from where they are written, with the resolver's own rules
(scopes, imports, packages), so ``Client`` in an annotation means what ``Client``
means there.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from symbiote.queries.models import Symbol
from symbiote.queries.resolve_base import (
    SELF_WORDS,
    Defs,
    Instance,
    Use,
    parts_of,
)
from symbiote.queries.resolve_chains import CHAINED
from symbiote.queries.resolve_cpp import cpp_type
from symbiote.queries.resolve_defs import FUNCTIONS, TYPES, unique
from symbiote.queries.resolve_modules import JS_LANGS
from symbiote.queries.resolve_typetext import (
    rust_type,
    ts_function_result,
    ts_members,
    type_names,
)

if TYPE_CHECKING:
    from symbiote.queries.resolve import Resolver

_MAX_STEPS = 8  # evidence followed through other evidence (alias of an alias ...)
# A type guard's result in its signature: `): v is Cls` (`asserts v is Cls` alike)
_PREDICATE = re.compile(r"\)\s*:\s*(?:asserts\s+)?[\w$]+\s+is\s+(.+?)\s*$", re.DOTALL)
_AWAITED = re.compile(r"^(?:Promise|PromiseLike|Awaited)\s*<(.*)>$", re.DOTALL)
_BINDING_COLUMNS = (
    *("path", "name", "kind", "type", "value", "context", "scope_idx", "start_byte"),
    *("line", "col", "end_byte"),
)
_TOP = JS_LANGS | {"ruby", "php"}  # languages whose files bind locals outside any function
_END = 1 << 62  # past every byte offset
# binding kinds for the import table, not type evidence
_NOT_EVIDENCE = frozenset({"import", "export", "default", "namespace", "scope"})


class Typing:
    """Types of values at one snapshot, answering for its resolver (which it asks to
    resolve the names the evidence holds)."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.snap = resolver.snap
        self._columns: tuple[Sequence[Any], ...] | None = None
        self._scoped: dict[str, dict[tuple[int | None, str], list[int]]] = {}  # path -> rows
        self._attributes: dict[str, dict[str, list[int]]] = {}  # path -> name -> rows
        self._at_name: dict[tuple[str, int, int], int] = {}  # (path, line, col) -> row
        self._anonymous: dict[str, list[tuple[int, int]]] = {}  # path -> nameless functions
        self._parents: dict[str, dict[int, int | None]] = {}  # path -> idx -> parent idx
        self._memo: dict[Any, tuple[Symbol, ...]] = {}
        self._active: set[Any] = set()

    # ---- the bindings of a file

    def _rows(self) -> tuple[Sequence[Any], ...]:
        if self._columns is None:
            c = self.snap.binding_columns()
            self._columns = tuple(c[name] for name in _BINDING_COLUMNS)
        return self._columns

    def _file(self, path: str) -> dict[tuple[int | None, str], list[int]]:
        found = self._scoped.get(path)
        if found is None:
            _, names, kinds, _, _, contexts, scopes, starts, lines, cols, ends = self._rows()
            found = defaultdict(list)
            attributes: dict[str, list[int]] = defaultdict(list)
            anonymous: list[tuple[int, int]] = []
            for row in self.snap.binding_rows(path):
                if kinds[row] == "scope":
                    anonymous.append((starts[row], ends[row]))
                if kinds[row] in _NOT_EVIDENCE:
                    continue
                if contexts[row] is None:
                    found[(scopes[row], names[row])].append(row)
                    self._at_name[(path, lines[row], cols[row])] = row
                else:
                    attributes[names[row]].append(row)
            self._scoped[path] = found
            self._attributes[path] = attributes
            self._anonymous[path] = sorted(anonymous)
        return found

    def bound_names(self, path: str) -> frozenset[str]:
        """The names bound with evidence in the file at ``path``."""
        return frozenset(name for _, name in self._file(path))

    def binds(self, use: Use, word: str) -> tuple[Symbol, ...] | None:
        """The types of ``word`` where ``use`` is, as the binding in force there says
        (the last one before it in the innermost function that binds the name, or in a
        function around it); None when no binding with evidence names it there."""
        row = self.row_in_force(use, word)
        return None if row is None else self._of_binding(row)

    def declared(self, use: Use, word: str) -> tuple[str | None, str | None] | None:
        """The declared type and the value assigned, as written, of the binding of
        ``word`` in force where ``use`` is (None: no binding with evidence)."""
        row = self.row_in_force(use, word)
        return None if row is None else (self._rows()[3][row], self._rows()[4][row])

    def row_in_force(self, use: Use, word: str, narrowed: bool = True) -> int | None:
        """The row of the binding of ``word`` in force where ``use`` is (see
        :meth:`binds`), if one with evidence names it there; without ``narrowed``, not
        a narrowing test's (what the name was before the tests)."""
        scoped = self._file(use.path)
        parents = self.parents_of(use.path)
        starts, kinds = self._rows()[7], self._rows()[2]
        idx = use.enclosing_idx
        while idx is not None:
            rows = self._visible(use, scoped.get((idx, word), ()))
            if not narrowed:
                rows = [r for r in rows if kinds[r] != "narrow"]
            if rows:
                before = [r for r in rows if starts[r] <= use.start]
                if not before and use.language in CHAINED:
                    return None  # Java, C#: a name is declared before its uses
                return (before or rows)[-1]
            idx = parents.get(idx)
        return self._file_level(use, word, scoped, starts)

    def _visible(self, use: Use, rows: Sequence[int]) -> list[int]:
        """The binding rows in force at ``use``: not those of a function without a name
        (a callback, a Go func literal) that ``use`` is outside of."""
        spans = self._anonymous.get(use.path)
        if not spans or not rows:
            return list(rows)
        starts = self._rows()[7]
        kept = []
        for row in rows:
            at = starts[row]
            holder = bisect.bisect_right(spans, (at, _END)) - 1
            # The innermost span around the binding is the last one starting before it
            # that still contains it.
            while holder >= 0 and spans[holder][1] <= at:
                holder -= 1
            if holder < 0 or spans[holder][0] <= use.start < spans[holder][1]:
                kept.append(row)
        return kept

    def row_of_definition(self, symbol: Symbol) -> int | None:
        """The row of the binding at a definition's name (`const m = require(...)` at
        the top of a file is a definition and a binding), if one has evidence."""
        self._file(symbol.path)
        _, _, line, col = self.snap.extra[self.snap.index_of(symbol)]
        return self._at_name.get((symbol.path, line, col))

    def binding(self, row: int) -> tuple[str, str | None, str | None]:
        """The kind, declared type and value of binding ``row``."""
        columns = self._rows()
        return columns[2][row], columns[3][row], columns[4][row]

    def _file_level(
        self,
        use: Use,
        word: str,
        scoped: dict[tuple[int | None, str], list[int]],
        starts: Sequence[Any],
    ) -> int | None:
        """JavaScript and TypeScript: a name bound outside every definition (a local of
        a callback at the top of a file, `test("...", () => { const s = make(); })`,
        or a top-level `const`); the last such binding before the use."""
        rows = self._visible(use, scoped.get((None, word), ())) if use.language in _TOP else []
        if not rows:
            return None
        before = [r for r in rows if starts[r] <= use.start]
        return (before or rows)[-1]

    def parents_of(self, path: str) -> dict[int, int | None]:
        """The idx of each definition's parent, for the file at ``path``."""
        parents = self._parents.get(path)
        if parents is None:
            extra = self.snap.extra
            parents = self._parents[path] = {
                extra[i][0]: extra[i][1] for i in self.snap.by_path.get(path, ())
            }
        return parents

    # ---- evidence

    def _of_binding(self, row: int) -> tuple[Symbol, ...]:
        key = ("binding", row)
        if key in self._memo:
            return self._memo[key]
        if key in self._active or len(self._active) > _MAX_STEPS:
            return ()
        self._active.add(key)
        try:
            path, _, kind, type_, value, _, scope, start, *_ = (c[row] for c in self._rows())
            at = self.ref_at(path, scope, start - 1)  # `x = x.f()`: the x bound before
            found: tuple[Symbol, ...] = ()
            if type_:
                found = self.of_type(type_, at)
            elif kind == "narrow" and value:  # `if (isCls(x))`: the guard's predicate
                found = self._guarded(value, at)
                value = None
            if not found and kind == "narrow":  # a test that tells nothing we know
                before = self.row_in_force(at, self._rows()[1][row], narrowed=False)
                found = () if before is None else self._of_binding(before)
            if not found and value and kind == "element":  # `for x in items`
                found = self.resolver.elements.of(value, at)
            elif not found and value and at.language in JS_LANGS:  # `f().g()`, `new C()`
                found = self.resolver.scripts.types_of(
                    f"{value}()" if kind == "call" else value, at
                )
            elif not found and value:
                found = self.of_call(value, at) if kind == "call" else self.of_expression(value, at)
            self._memo[key] = found
            return found
        finally:
            self._active.discard(key)

    def _guarded(self, guard: str, at: Use) -> tuple[Symbol, ...]:
        """The type a TypeScript type guard called at ``at`` asserts of its argument:
        ``Cls`` of ``isCls(v: unknown): v is Cls`` (read where the guard is written)."""
        head, _, last = guard.rpartition(".")
        label, targets = self.resolver.resolve_expression(
            at._replace(name=last, kind="call", context=head or None)
        )
        found: list[Symbol] = []
        for t in targets if label != "name" else ():
            match = _PREDICATE.search(t.signature or "") if t.kind in FUNCTIONS else None
            if match is not None:
                idx = self.snap.extra[self.snap.index_of(t)][0]
                found += self.of_type(match.group(1), self.ref_at(t.path, idx, t.start_byte))
        return tuple(unique(found))

    def ref_at(self, path: str, scope: int | None, start: int) -> Use:
        """An expression's place: the file, the definition around it, the offset."""
        around = self.snap.symbol_at(path, scope)
        return Use(
            -1,
            "",
            "type",
            path,
            self.resolver.imports.language(path),
            around.qualified_name if around else None,
            scope,
            None,
            start,
        )

    def of_type(self, text: str, at: Use) -> tuple[Symbol, ...]:
        """The classes a type expression written at ``at`` names."""
        if at.language in JS_LANGS:
            return self._of_ts_type(text, at)
        found: list[Symbol] = []
        if at.language in ("cpp", "c"):
            text = cpp_type(text)
        if at.language == "rust":
            text = rust_type(text)
            if text == "Self":  # in an impl or trait: the type the method is of
                return tuple(self.resolver.hierarchy.impl_type(at))
        for name in type_names(text):
            head, _, last = name.rpartition(".")
            use = at._replace(name=last, kind="type", context=head or None)
            _, targets = self.resolver.resolve_expression(use)
            types = [t for t in targets if t.kind in TYPES]
            if not types and not head and at.language in CHAINED:  # `T extends Bound`
                bound = self.resolver.chains.bound(last, at)
                types = list(self.of_type(bound, at)) if bound and bound != last else []
            found += types
        if at.language in ("cpp", "c"):  # `using Ptr = Cart *;`, `typedef`: a Cart
            found = self.resolver.cpp.unaliased(found)
        return tuple(unique(found))

    def _of_ts_type(self, text: str, at: Use) -> tuple[Symbol, ...]:
        """A TypeScript type's classes: each member of a union, both branches of a
        conditional type (``A extends B ? X : Y``), a type parameter's constraint
        (``T extends Base``), T for ``Promise<T>`` (what awaiting it gives); for a
        function type (``(x: T) => R``) R's, as a function stands for its result in a
        chain; an array (``T[]``) is no T, and a guess is no evidence."""
        result = ts_function_result(text)
        if result is not None:
            return self._of_ts_type(result, at)
        found: list[Symbol] = []
        for member in ts_members(text):
            awaited = _AWAITED.match(member)  # `Promise<T>`: what `await` gives, a T
            if awaited:
                found += self._of_ts_type(awaited.group(1), at)
            for name in type_names(member):
                head, _, last = name.rpartition(".")
                if not head:
                    constraint = self._type_parameter(at, name)
                    if constraint is not None:
                        found += constraint
                        continue
                use = at._replace(name=last, kind="type", context=head or None)
                label, targets = self.resolver.resolve_expression(use)
                if label != "name":
                    found += [c for t in targets if t.kind in TYPES for c in self._called(t)]
        return tuple(unique(found))

    def _called(self, interface: Symbol) -> tuple[Symbol, ...]:
        """A type; for an interface of call signatures only (no own member, no base) that
        agree, what calling its values gives (as a function type gives its result)."""
        key = ("called", interface.path, interface.start_byte)
        if interface.kind != "interface" or key in self._memo:
            return self._memo.get(key, (interface,))
        idx = self.snap.extra[self.snap.index_of(interface)][0]
        names, kinds, declared, scopes = (self._rows()[i] for i in (1, 2, 3, 6))
        results = {  # rows named by the signature, `(x: A): R`, `<T>(x: T): R`
            self._of_binding(r)
            for r in self.snap.binding_rows(interface.path)
            if scopes[r] == idx
            and kinds[r] == "return"
            and declared[r]
            and names[r][:1] in ("(", "<")
        }
        held = idx in self.parents_of(interface.path).values() or self.resolver.bases_of(interface)
        found = (interface,) if held or not results else results.pop() if len(results) == 1 else ()
        self._memo[key] = found
        return found

    def _type_parameter(self, at: Use, name: str) -> tuple[Symbol, ...] | None:
        """The constraint of type parameter ``name`` of a definition around ``at``
        (empty when it has none); None when no such type parameter is in scope."""
        scoped = self._file(at.path)
        parents = self.parents_of(at.path)
        kinds = self._rows()[2]
        idx = at.enclosing_idx
        while idx is not None:
            rows = [r for r in scoped.get((idx, name), ()) if kinds[r] == "typeparam"]
            if rows:
                return self._of_binding(rows[0])
            idx = parents.get(idx)
        return None

    def of_call(self, callee: str, at: Use) -> tuple[Symbol, ...]:
        """The types of what calling ``callee`` at ``at`` gives: the class it makes, the
        declared result of the function it calls, or of a Python value's ``__call__``."""
        head, _, last = callee.replace("::", ".").replace("\\", ".").rpartition(".")  # PHP `\`
        made = self.resolver.hierarchy.called(callee, at)  # a Python value's `__call__`
        if made:
            return made
        use = at._replace(name=last, kind="call", context=head or None)
        label, targets = self.resolver.resolve_expression(use)
        if label == "name" and len(targets) > 1:
            return ()  # a guess is no evidence
        found: list[Symbol] = []
        for target in targets:
            if target.kind in TYPES:
                found.append(target)
            elif target.kind in FUNCTIONS:
                found += self.of_definition(target)
        return tuple(unique(found))

    def of_expression(self, text: str, at: Use) -> tuple[Symbol, ...]:
        """The types of a name or dotted name's value at ``at``."""
        parts = parts_of(text)
        if parts is None:
            if at.language in CHAINED:  # Java, C#: `new T()`, a cast, a call chain
                return self.resolver.chains.types(text, at)
            return ()
        entity = self.resolver.entity_of(parts, at)[1]
        return entity.types if isinstance(entity, Instance) else ()

    def of_definition(self, symbol: Symbol) -> tuple[Symbol, ...]:
        """The types of a definition's value: a field's or variable's declared type, or
        what it was assigned; a function's declared result."""
        key = ("definition", symbol.path, symbol.start_byte, symbol.qualified_name)
        if key in self._memo:
            return self._memo[key]
        if key in self._active or len(self._active) > _MAX_STEPS:
            return ()
        self._active.add(key)
        try:
            i = self.snap.index_of(symbol)
            idx, parent_idx, _, _ = self.snap.extra[i]
            script = symbol.language in JS_LANGS
            if symbol.language == "rust" and symbol.kind in FUNCTIONS:
                parent_idx = idx  # read in the method, whose impl tells what `Self` is
            # A TypeScript function's result names its own type parameters
            scope = idx if script and symbol.kind in FUNCTIONS else parent_idx
            at = self.ref_at(symbol.path, scope, symbol.start_byte)
            found: tuple[Symbol, ...] = ()
            if symbol.type:
                found = self.of_type(self.resolver.hierarchy.entered(symbol), at)
            elif symbol.language in CHAINED and symbol.kind == "constant":
                found = self._enum_of(symbol)
            elif symbol.kind not in FUNCTIONS or script:  # JS: what a function returns
                self._file(symbol.path)
                _, _, line, col = self.snap.extra[i]
                row = self._at_name.get((symbol.path, line, col))
                if row is not None:
                    found = self._of_binding(row)
                    if not found and script and symbol.kind in FUNCTIONS:
                        found = self._factory(symbol, row)
            self._memo[key] = found
            return found
        finally:
            self._active.discard(key)

    def _factory(self, function: Symbol, row: int) -> tuple[Symbol, ...]:
        """A JavaScript function that returns an object literal gives a value whose
        members are the literal's methods, which the pattern files define as the
        function's own (``expectJSON(x).toDeepEqual``): the function stands for the type
        of its product."""
        value = self._rows()[4][row] or ""
        literal = value.lstrip("(").lstrip()
        return (function,) if literal.startswith("{") else ()

    def _enum_of(self, constant: Symbol) -> tuple[Symbol, ...]:
        """The enum a Java or C# enum constant is a value of."""
        return tuple(
            s
            for i in self.snap.by_qualified.get(constant.parent or "", ())
            if (s := self.snap.symbols[i]).kind == "enum" and s.path == constant.path
        )

    def attribute(self, types: tuple[Symbol, ...], name: str) -> tuple[Symbol, ...]:
        """The types of attribute ``name`` of a value of ``types``: a field or property
        with a declared type, or what the class's methods assign to ``self.name``; in
        JavaScript/TypeScript a class's ``prototype`` holds the methods of its instances
        (``Cls.prototype.m`` is ``Cls.m``)."""
        if name == "prototype":
            classes = tuple(t for t in types if t.kind == "class" and t.language in JS_LANGS)
            if classes:
                return classes
        found: list[Symbol] = []
        members = self.resolver.members(list(types), name)
        for member in members:
            if member.kind in TYPES:
                continue
            found += self.of_definition(member)
        if not found:
            for t in types:
                found += self._assigned(t, name)
        if not found:
            found = self._embedded(types, name)
        return tuple(unique(found))

    def declared_attribute(self, types: tuple[Symbol, ...], name: str) -> str | None:
        """The declared type, as written, of attribute ``name`` of a value of ``types``:
        of a field or property, or of what a method annotates ``self.name`` as."""
        for member in self.resolver.members(list(types), name):
            if member.kind not in TYPES and member.type:
                return member.type
        declared, scopes = self._rows()[3], self._rows()[6]
        for t in types:
            self._file(t.path)
            for row in self._attributes.get(t.path, {}).get(name, []):
                method = self.snap.symbol_at(t.path, scopes[row])
                if declared[row] and method is not None and method.parent == t.qualified_name:
                    return str(declared[row])
        return None

    def _embedded(self, types: tuple[Symbol, ...], name: str) -> list[Symbol]:
        """Go: a struct's embedded field, named by its type (``g.Cart`` for an embedded
        ``Cart`` or ``*store.Cart``), is a value of that type."""
        return [
            base
            for t in types
            if t.language == "go"
            for base in self.resolver.bases_of(t)
            if base.name == name
        ]

    def _assigned(self, owner: Symbol, name: str) -> list[Symbol]:
        """What the methods of ``owner`` (or of its bases) assign to ``self.name``."""
        self._file(owner.path)
        found: list[Symbol] = []
        rows = self._attributes.get(owner.path, {}).get(name, [])
        contexts, scopes = self._rows()[5], self._rows()[6]
        for row in rows:
            if contexts[row] not in SELF_WORDS and contexts[row] != name:  # Ruby `@x = ...`
                continue
            method = self.snap.symbol_at(owner.path, scopes[row])
            if method is not None and method.parent == owner.qualified_name:
                found += self._of_binding(row)
        if not found:
            for base in self.resolver.bases_of(owner):
                found += self._assigned(base, name)
                if found:
                    break
        return found


__all__ = ["Defs", "Instance", "Typing", "rust_type", "ts_members", "type_names"]
