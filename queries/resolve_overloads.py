"""Which of several overloads a Java or C# call calls, from its arguments.

A call reference keeps one hint per argument (:mod:`symbiote.indexer.arguments`). The
overloads that take that many arguments stay; among them, each argument whose type is
known (a literal, ``new T()``, a cast, ``T.class``, a parameter or local with its
declared type, a field, a call chain) scores each overload's parameter the way javac
ranks them, simplified: the same type, then a primitive widening or a subclass, then
boxing, then ``Object`` or a type parameter; a type that cannot be passed rules the
overload out. The best total wins; ties keep their source order. A name guess is only
reordered: the candidates that take that many arguments first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from symbiote.queries.models import Symbol
from symbiote.queries.resolve_arity import by_arity
from symbiote.queries.resolve_base import IMPORT, INHERITED, NAME, SCOPE, Instance, Resolution, Use
from symbiote.queries.resolve_chains import CHAINED, FUNCTIONS, fits, is_variadic, parameters
from symbiote.queries.resolve_defs import TYPES, unique
from symbiote.queries.resolve_modules import JS_LANGS

if TYPE_CHECKING:
    from symbiote.queries.resolve import Resolver

_WIDENING = {
    "byte": ("short", "int", "long", "float", "double"),
    "short": ("int", "long", "float", "double"),
    "char": ("int", "long", "float", "double"),
    "int": ("long", "float", "double"),
    "long": ("float", "double"),
    "float": ("double",),
}
_BOXES = {
    "boolean": "Boolean",
    "byte": "Byte",
    "short": "Short",
    "char": "Character",
    "int": "Integer",
    "long": "Long",
    "float": "Float",
    "double": "Double",
}
_UNBOXED = {box: primitive for primitive, box in _BOXES.items()}
# C# keywords for the same types.
_ALIASES = {"bool": "boolean", "string": "String", "object": "Object", "sbyte": "byte"}
_PRIMITIVES = frozenset(_BOXES) | {"decimal", "uint", "ulong", "ushort"}
# Library classes no repository class extends, and what a few library types are.
_FINAL = frozenset({"String", "Class", *_BOXES.values()})
_SUPERTYPES = {
    "String": {"CharSequence", "Comparable", "Serializable"},
    "Class": {"Type", "GenericDeclaration", "AnnotatedElement"},
    "StringBuilder": {"CharSequence", "Appendable"},
    "StringWriter": {"Writer", "Appendable"},
    "Writer": {"Appendable"},
    "StringReader": {"Reader"},
    **{box: {"Number", "Comparable"} for box in ("Integer", "Long", "Short", "Byte")},
    **{box: {"Number", "Comparable"} for box in ("Float", "Double", "BigInteger", "BigDecimal")},
    # java.io: a stream, writer or reader is passed where its family's base is taken.
    **{
        writer: {"Writer", "Appendable", "Closeable"}
        for writer in ("OutputStreamWriter", "BufferedWriter", "PrintWriter", "FileWriter")
    },
    **{
        stream: {"OutputStream", "Closeable"}
        for stream in ("ByteArrayOutputStream", "FileOutputStream", "BufferedOutputStream")
    },
    **{
        stream: {"InputStream", "Closeable"}
        for stream in ("ByteArrayInputStream", "FileInputStream", "BufferedInputStream")
    },
    **{
        reader: {"Reader", "Readable", "Closeable"}
        for reader in ("InputStreamReader", "BufferedReader", "FileReader")
    },
}
# What a few methods of the language's own classes give (`id.getBytes("UTF-8")` is a
# `byte[]`), and `T.valueOf(...)` of a library class `T` (`BigInteger.valueOf(3)`).
_RESULTS = {
    ("String", "getBytes"): "byte[]",
    ("String", "toCharArray"): "char[]",
    ("String", "split"): "String[]",
    ("String", "charAt"): "char",
    **{("String", m): "int" for m in ("length", "indexOf", "lastIndexOf", "compareTo")},
    **{
        ("String", m): "String"
        for m in ("substring", "trim", "strip", "toLowerCase", "toUpperCase", "replace")
    },
    **{(t, "toString"): "String" for t in ("String", "StringBuilder", "Object")},
}
_CALLED = re.compile(r"(.+)\.(\w+)\(.*\)")
_LOOSE = frozenset({"Object", "Serializable"})
_TYPE_PARAMETER = re.compile(r"^[A-Z][A-Z0-9]?$")
_DECLARED = re.compile(r"(?:[\w@]+\s+)*<(.*?)>\s")  # a generic method's `<T, U>`
_MAX_DEPTH = 6

EXACT, WIDER, BOXED, LOOSE, UNKNOWN = 4, 3, 2, 1, 0


@dataclass(frozen=True, slots=True)
class Known:
    """What is known of an argument's or parameter's type: its simple name (as
    written, without type arguments; ``[]`` kept) and the repository's classes it is."""

    name: str | None
    types: tuple[Symbol, ...] = ()
    null: bool = False


def simple(text: str) -> str:
    """``java.util.Map.Entry<K, V>[]`` -> ``Entry[]``; C# keywords as Java names."""
    text = re.sub(r"<.*>", "", text.replace("...", "[]").replace("params ", "")).strip()
    suffix = "[]" if text.endswith("]") else ""
    base = text.split("[", 1)[0].strip().rstrip("?").split(".")[-1]
    return _ALIASES.get(base, base) + suffix


class Overloads:
    """Picks overloads for one resolver."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.snap = resolver.snap
        self._parameters: dict[tuple[str, int, int, str], Known] = {}
        self._signatures: dict[tuple[str, int], list[str]] = {}  # _declared's answers

    def refine(self, use: Use, answer: Resolution) -> Resolution:
        """``answer`` to a Java or C# call narrowed by its arguments; of a field and a
        method of one name, the method for a call and the field otherwise; a JavaScript
        or TypeScript call's guess ranked by its arity (:mod:`.resolve_arity`); of a
        Python function's ``@overload`` signatures and its implementation, the latter."""
        if use.language == "python" and answer[0] != NAME and len(answer[1]) > 1:
            return answer[0], self.resolver.hierarchy.implementations(answer[1])
        if use.language in JS_LANGS and answer[0] == NAME and use.kind == "call":
            return NAME, by_arity(answer[1], self._hints(use))
        if use.language not in CHAINED or not answer[1]:
            return answer
        answer = self._inherited_fit(use, answer)
        if len(answer[1]) < 2:
            return answer
        label, targets = answer
        if label != NAME:
            methods = [t for t in targets if t.kind in FUNCTIONS]
            if methods and len(methods) < len(targets):
                others = [t for t in targets if t.kind not in FUNCTIONS]
                answer = label, methods if use.kind == "call" else others
        if use.kind != "call" or len(answer[1]) < 2:
            return answer
        try:
            hints = self.snap.reference_field(use.row, "arguments")
        except KeyError:  # a snapshot cached before the column existed
            return answer
        return answer if hints is None else self.pick(use, hints, answer)

    def _hints(self, use: Use) -> list[str] | None:
        """The call's argument hints (None: no argument list, or a snapshot cached before
        the column existed)."""
        try:
            hints: list[str] | None = self.snap.reference_field(use.row, "arguments")
        except KeyError:
            return None
        return hints

    def _inherited_fit(self, use: Use, answer: Resolution) -> Resolution:
        """A call no method of the answer takes calls the nearest inherited overload
        that takes it: by the number of its arguments (``el.attr("k")`` where
        ``Element`` declares only ``attr(k, v)`` and inherits ``attr(k)`` from ``Node``),
        or by the types of those known (``in.readInt(true)`` where ``ByteBufferInput``
        declares ``readInt(int)`` and inherits ``readInt(boolean)`` from ``Input``)."""
        label, targets = answer
        methods = [t for t in targets if t.kind in FUNCTIONS]
        hints = self._hints(use) if use.kind == "call" and label != NAME and methods else None
        if hints is None:
            return answer
        count = len(hints)
        own = [m for m in methods if fits(m, count)]
        levels = [m for m in self._levels(methods) if any(fits(x, count) for x in m)]
        if not levels or (own and not count):
            return answer
        arguments = [self._argument(use, hint) for hint in hints]
        if any(self._score(m, arguments) is not None for m in own):
            return answer
        for level in levels:
            taking = [m for m in level if fits(m, count) and self._score(m, arguments) is not None]
            if taking:
                return (INHERITED if label in (SCOPE, IMPORT) else label), taking
        if own:
            return answer
        return (INHERITED if label in (SCOPE, IMPORT) else label), [
            m for m in levels[0] if fits(m, count)
        ]

    def _levels(self, methods: list[Symbol]) -> list[list[Symbol]]:
        """The overloads of the methods' name their classes inherit, nearest base
        first, then what those inherit (a few levels)."""
        levels: list[list[Symbol]] = []
        level = methods
        for _ in range(_MAX_DEPTH):
            found: list[Symbol] = []
            for method in level:
                for i in self.snap.by_qualified.get(method.parent or "", ()):
                    owner = self.snap.symbols[i]
                    if owner.path == method.path and owner.kind in TYPES:
                        found += self.resolver.hierarchy.inherited(owner, method.name, 0)
            level = unique(found)
            if not level:
                break
            levels.append(level)
        return levels

    def pick(self, use: Use, hints: list[str], answer: Resolution) -> Resolution:
        """``answer`` narrowed to the overloads the call's arguments fit best (a name
        guess reordered instead)."""
        label, targets = answer
        count = len(hints)
        methods = [t for t in targets if t.kind in FUNCTIONS]
        if len(methods) < 2:
            return answer
        if label == NAME:
            return label, sorted(targets, key=lambda t: not fits(t, count))
        fitting = [t for t in methods if fits(t, count)]
        if len(fitting) < 2:
            return (label, fitting) if fitting else answer
        arguments = [self._argument(use, hint) for hint in hints]
        scored = [(self._score(method, arguments), method) for method in fitting]
        valid = [(score, m) for score, m in scored if score is not None]
        if not valid:
            return label, fitting
        best = max(score for score, _ in valid)
        return label, [m for score, m in valid if score == best]

    # ---- arguments

    def _argument(self, use: Use, hint: str) -> Known:
        if hint == "?":
            return Known(None)
        if hint == "null":
            return Known(None, (), True)
        if hint.startswith(":"):
            name = simple(hint[1:])
            if name in _PRIMITIVES or name in _FINAL or name.endswith("[]"):
                return Known(name)
            return Known(name, self.resolver.typing.of_type(hint[1:], use))
        _, entity, declared = self.resolver.chains.walk(hint, use)
        types = entity.types if isinstance(entity, Instance) else ()
        if declared is not None:
            return Known(simple(declared), types)
        return Known(types[0].name, types) if types else self._library(use, hint)

    def _library(self, use: Use, hint: str) -> Known:
        """The type a call on one of the language's own classes gives (:data:`_RESULTS`),
        or ``T`` of ``T.valueOf(...)`` where the repository defines no ``T``."""
        called = _CALLED.fullmatch(hint)
        if called is None:
            return Known(None)
        receiver, method = called.groups()
        if method == "valueOf" and receiver[:1].isupper() and receiver.isidentifier():
            return Known(None) if self.resolver.defs.named(receiver) else Known(receiver)
        declared = self.resolver.chains.walk(receiver, use)[2]
        result = _RESULTS.get((simple(declared), method)) if declared else None
        return Known(result) if result else Known(None)

    # ---- parameters

    def _parameter(self, method: Symbol, i: int, text: str) -> Known:
        # The text is part of the key: a variadic parameter is read as its element type
        # for some calls and as the array for others (one array argument).
        key = (method.path, method.start_byte, i, text)
        found = self._parameters.get(key)
        if found is None:
            name = simple(text)
            types: tuple[Symbol, ...] = ()
            if name not in _PRIMITIVES and name not in _FINAL and name not in _LOOSE:
                at = self._place(method)
                types = tuple(self.resolver.typing.of_type(text.replace("...", ""), at))
            found = self._parameters[key] = Known(name, types)
        return found

    def _place(self, method: Symbol) -> Use:
        idx = self.snap.extra[self.snap.index_of(method)][0]
        return Use(
            -1,
            "",
            "type",
            method.path,
            method.language,
            method.qualified_name,
            idx,
            None,
            method.start_byte,
        )

    def _declared(self, method: Symbol) -> list[str]:
        """The parameter types ``method`` declares: read from its signature, or, where the
        signature stops at the end of its first line (a parameter list over several
        lines), from its parameters' bindings in order (a parameter without a declared
        type, such as Java's `T... rest`, is then left out)."""
        key = (method.path, method.start_byte)
        found = self._signatures.get(key)
        if found is None:
            found = parameters(method)
            if found is None:
                idx = self.snap.extra[self.snap.index_of(method)][0]
                c = self.snap.binding_columns()
                kinds, types, scopes, starts = c["kind"], c["type"], c["scope_idx"], c["start_byte"]
                rows = [
                    r
                    for r in self.snap.binding_rows(method.path)
                    if kinds[r] == "param" and scopes[r] == idx and types[r]
                ]
                found = [types[r] for r in sorted(rows, key=lambda r: starts[r])]
            self._signatures[key] = found
        return found

    def _score(self, method: Symbol, arguments: list[Known]) -> int | None:
        params = self._declared(method)
        total = 0
        for i, argument in enumerate(arguments):
            if not params:
                return None
            j = min(i, len(params) - 1)
            text = params[j]
            if is_variadic(text) and not (
                len(arguments) == len(params) and (argument.name or "").endswith("[]")
            ):
                text = text.replace("...", "").replace("params ", "").replace("[]", "")
            score = self._fit(argument, self._parameter(method, j, text), method)
            if score is None:
                return None
            total += score
        return total

    def _fit(self, argument: Known, param: Known, method: Symbol) -> int | None:
        a, p = argument.name, param.name or ""
        if argument.null:
            return None if p in _PRIMITIVES else UNKNOWN
        if a is None and not argument.types:
            return UNKNOWN
        if a == p and not (argument.types and param.types):
            return EXACT
        if a == p:  # one simple name, two types (`JsonParser.Feature`, `JsonGenerator.Feature`)
            same = {(t.path, t.qualified_name) for t in argument.types}
            return EXACT if any((t.path, t.qualified_name) in same for t in param.types) else None
        generic = self._type_parameter(p, param, method)
        if a in _PRIMITIVES:
            if p in _PRIMITIVES:
                return WIDER if p in _WIDENING.get(a, ()) else None
            if p == _BOXES.get(a):
                return BOXED
            if generic or p in _LOOSE or (p == "Number" and a not in ("boolean", "char")):
                return LOOSE
            return None if p in _FINAL or param.types else UNKNOWN
        if p in _PRIMITIVES:
            unboxed = _UNBOXED.get(a or "")
            if unboxed == p:  # `Byte` to `byte`: unboxed, before `Byte` to `int`
                return BOXED
            if unboxed is not None and p in _WIDENING.get(unboxed, ()):
                return LOOSE
            return None if a is not None else UNKNOWN
        if generic or p in _LOOSE:
            return LOOSE
        if p in _SUPERTYPES.get(a or "", ()):
            return WIDER
        if argument.types and param.types:
            return WIDER if self._subclass(argument.types, param.types) else None
        if argument.types:
            return None if p in _FINAL else UNKNOWN
        if param.types and a is not None:
            return None  # a library class is no repository class
        return UNKNOWN

    def _type_parameter(self, name: str, param: Known, method: Symbol) -> bool:
        """Whether ``name`` is a type parameter (of the method, or a one-letter one)."""
        if param.types or not name or name.endswith("[]"):
            return False
        declared = _DECLARED.match(method.signature or "")
        if declared and re.search(rf"\b{re.escape(name)}\b", declared.group(1)):
            return True
        return bool(_TYPE_PARAMETER.match(name))

    def _subclass(self, types: tuple[Symbol, ...], supers: tuple[Symbol, ...]) -> bool:
        wanted = {(s.path, s.qualified_name) for s in supers}
        seen: set[tuple[str, str]] = set()
        frontier = [t for t in types if t.kind in TYPES]
        for _ in range(_MAX_DEPTH):
            following: list[Symbol] = []
            for t in frontier:
                key = (t.path, t.qualified_name)
                if key in wanted:
                    return True
                if key not in seen:
                    seen.add(key)
                    following += self.resolver.bases_of(t)
            if not following:
                return False
            frontier = following
        return False
