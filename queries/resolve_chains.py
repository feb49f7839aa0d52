"""What a Java, C#, C++, PHP, Rust or Go expression denotes, read from its text as a
reference's context: call chains typed step by step (``new GsonBuilder().create()``,
``gson.getAdapter(Foo.class).read(in)``), casts (``((JsonObject) e).get(k)``), ``new T()``
(also with an anonymous body), ``Outer.this``, array elements (``items[0].m()``).

Each step uses the resolver's own evidence: the first name is what it means where the
expression is written (a local, a parameter, a field, a class, ``this``, a module or
package); a field step is the field's declared type; a call step is the declared result
of the method or function it calls (the overload with as many parameters as the call has
arguments, when there is one); a step from a library's module or package is the
library's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from symbiote.queries.models import Symbol
from symbiote.queries.resolve_base import (
    IMPORT,
    NAME,
    SCOPE,
    TYPE,
    UNRESOLVED,
    Defs,
    Entity,
    Instance,
    Use,
)
from symbiote.queries.resolve_cpp import chain_text
from symbiote.queries.resolve_defs import HOLDERS, TYPES, unique
from symbiote.queries.resolve_modules import EXTERNAL, Located
from symbiote.queries.resolve_typetext import container_element, split_top

if TYPE_CHECKING:
    from symbiote.queries.resolve import Resolver

# Languages whose references' contexts are typed as expressions.
CHAINED = frozenset({"java", "csharp", "cpp"})
FUNCTIONS = frozenset({"method", "function", "constructor"})
_NAME = re.compile(r"[A-Za-z_$][\w$]*")
_PRIMITIVES = frozenset(
    {"boolean", "byte", "short", "char", "int", "long", "float", "double", "void", "bool"}
)
_AS = re.compile(r".+\s+as\s+([A-Za-z_$][\w$.]*\s*(?:<.*>)?)")
_KEYWORD_TYPES = _PRIMITIVES | {"string", "object", "decimal", "dynamic"}  # C#'s
_JAVA_KEYWORDS = _PRIMITIVES - {"bool"}  # `object`, `string`, `bool` name values in Java
_NEW = re.compile(r"new\s+([A-Za-z_$][\w$.]*)\s*")
_TYPE = re.compile(r"[A-Za-z_$][\w$.]*\s*(<.*>)?\s*(\[\s*\])*\??")
_OPEN, _CLOSE = "([{<", ")]}>"
_CASTS = frozenset(  # C++ calls whose value is of their template argument: `make_unique<T>()`
    {"static_cast", "dynamic_cast", "const_cast", "reinterpret_cast", "make_unique", "make_shared"}
)
_MAX_STEPS = 12


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a chain: ``name`` (``this`` too), ``call`` (with its arity), ``new`` /
    ``type`` (a value of a named type: ``new T()``, a cast, Go's ``new(T)``), ``index``."""

    kind: str
    text: str
    arity: int | None = None


def _closing(text: str, i: int) -> int | None:
    """The index of the bracket closing the one at ``i`` (strings and characters
    skipped), or None when it is not closed."""
    depth = 0
    quote = ""
    j = i
    while j < len(text):
        char = text[j]
        if quote:
            if char == "\\":
                j += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in _OPEN:
            if char != "<" or text[i] == "<":
                depth += 1
        elif char in _CLOSE:
            if char != ">" or text[i] == "<":
                depth -= 1
                if depth == 0:
                    return j
        j += 1
    return None


def arity(inside: str) -> int:
    """The number of arguments of an argument list's text (without its parentheses)."""
    if not inside.strip():
        return 0
    count, depth, quote, j = 1, 0, "", 0
    while j < len(inside):
        char = inside[j]
        if quote:
            if char == "\\":
                j += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            count += 1
        j += 1
    return count


def steps(text: str) -> list[Step] | None:
    """The steps of a chain expression, or None when it is no chain this module reads
    (an operator expression, a lambda, a literal, ...)."""
    text = text.strip()
    out: list[Step] = []
    i = 0
    if text.startswith("("):
        end = _closing(text, 0)
        if end is None:
            return None
        inner, rest = text[1:end].strip(), text[end + 1 :].strip()
        if rest and rest[0] not in ".[?!" and _TYPE.fullmatch(inner):
            return [Step("type", inner)]  # `(T) x`: a T, whatever x is
        cast = _AS.fullmatch(inner)
        if cast is not None:  # C#: `(x as T)`
            inner = f"(({cast.group(1)}) x)"
        found = steps(inner)
        if found is None:
            return None
        out, i = found, end + 1
    elif text.startswith(("new ", "new\t", "new\n")):
        match = _NEW.match(text)
        if match is None:
            return None
        name, i = match.group(1), match.end()
        if text.startswith("<", i):
            end = _closing(text, i)
            if end is None:
                return None
            i = _skip(text, end + 1)
        if not text.startswith("(", i):
            return None  # an array: `new T[n]`
        end = _closing(text, i)
        if end is None:
            return None
        out.append(Step("new", name, arity(text[i + 1 : end])))
        i = _skip(text, end + 1)
        if text.startswith("{", i):  # an anonymous subclass: still a T
            end = _closing(text, i)
            if end is None:
                return None
            i = end + 1
    else:
        first = _step(text, 0, out)
        if first is None:
            return None
        i = first
    while True:
        i = _skip(text, i)
        if text.startswith("!", i) or text.startswith("?.", i):  # C#: `x!.y`, `x?.y`
            i += 1
        if i >= len(text):
            return out if len(out) <= _MAX_STEPS else None
        if text[i] == ".":
            i = _skip(text, i + 1)
            if text.startswith("<", i):  # `x.<T>m()`
                end = _closing(text, i)
                if end is None:
                    return None
                i = _skip(text, end + 1)
            after = _step(text, i, out)
            if after is None:
                return None
            i = after
        elif text[i] == "[":
            end = _closing(text, i)
            if end is None:
                return None
            out.append(Step("index", ""))
            i = end + 1
        else:
            return None


def _skip(text: str, i: int) -> int:
    while i < len(text) and text[i].isspace():
        i += 1
    return i


def _step(text: str, i: int, out: list[Step]) -> int | None:
    """Reads a name or a call at ``i`` into ``out``; the index after it."""
    match = _NAME.match(text, i)
    if match is None:
        return None
    name, i = match.group(0), _skip(text, match.end())
    if text.startswith("<", i):  # `Box<T>.Make()`, `Make<T>()`
        end = _closing(text, i)
        if end is None:
            return None
        if name in _CASTS:  # C++ `static_cast<T *>(x)`, `make_unique<T>()`: a T
            after = _skip(text, end + 1)
            close = _closing(text, after) if text.startswith("(", after) else None
            if close is None:
                return None
            out.append(Step("type", text[i + 1 : end].strip()))
            return close + 1
        i = _skip(text, end + 1)
    if text.startswith("(", i):
        end = _closing(text, i)
        if end is None:
            return None
        inner = text[i + 1 : end].strip()
        go_new = name == "new" and not out and _TYPE.fullmatch(inner)  # Go's `new(T)`: a T
        out.append(Step("type", inner) if go_new else Step("call", name, arity(inner)))
        return end + 1
    out.append(Step("name", name))
    return i


class Chains:
    """Types chain expressions for one resolver."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.typing = resolver.typing
        # The locals whose values are being typed: a value that names its own local (Rust's
        # shadowing `let path = path.join(x);`) would find the same binding again.
        self._declaring: set[tuple[str, int, str]] = set()

    def bound_head(self, use: Use) -> bool:
        """Whether the first word of a reference's context is a parameter or local of
        its file (so what the context denotes depends on where the use is)."""
        head = _NAME.match(use.context or "")
        return head is not None and head.group(0) in self.typing.bound_names(use.path)

    def entity(self, text: str, at: Use) -> tuple[str, Entity]:
        """What the expression ``text`` written at ``at`` denotes, and how that was found
        (``type`` once a step took a value's type from evidence); ``(name, None)`` when
        it cannot be told."""
        label, entity, _ = self.walk(text, at)
        return label, entity

    def types(self, text: str, at: Use) -> tuple[Symbol, ...]:
        """The types of the value ``text`` denotes at ``at`` (empty when not told)."""
        entity = self.walk(text, at)[1]
        return entity.types if isinstance(entity, Instance) else ()

    def walk(self, text: str, at: Use) -> tuple[str, Entity, str | None]:
        """:meth:`entity`, and the type its last step declares as written (a method's
        result, a field's or local's type, ``T`` of ``new T()`` or a cast), even when it
        is no class of the repository (``String``). A value whose declared type is a
        library's (``List<Item> items``, a ``String`` result) denotes ``EXTERNAL``: its
        members are the library's."""
        chain = steps(chain_text(text) if at.language == "cpp" else text)
        if not chain:
            return NAME, None, None
        first = chain[0]
        declared: str | None = None
        keywords = _JAVA_KEYWORDS if at.language == "java" else _KEYWORD_TYPES
        if first.kind == "name" and first.text in keywords:  # C#: `string.Join`
            return UNRESOLVED, EXTERNAL, first.text
        if first.kind == "name":
            names: list[str] = []
            for step in chain:
                if step.kind != "name" or (step.text == "this" and names):
                    break
                names.append(step.text)
            label, entity = self.resolver.entity_of(tuple(names), at)
            if not isinstance(entity, Defs):
                declared = self._declared(names, at)
                if isinstance(entity, Instance) and label in (SCOPE, IMPORT) and names != ["this"]:
                    label = TYPE  # a field's value: its type is evidence
            rest = chain[len(names) :]
        elif first.kind == "call":
            use = at._replace(name=first.text, kind="call", context=None)
            label, targets = self.resolver.resolve_expression(use)
            methods = [m for m in targets if m.kind in FUNCTIONS and label != NAME]
            label, (entity, declared) = TYPE, self._result(methods, first.arity)
            made = [t for t in targets if t.kind in TYPES and label != NAME]
            if made and not methods:  # C++ `T(...)`: a T
                entity, declared = Instance(tuple(made)), first.text
            rest = chain[1:]
        else:  # new, type
            label, declared = TYPE, first.text
            entity = Instance(self.typing.of_type(first.text, at))
            rest = chain[1:]
        for step in rest:
            element = (
                None
                if isinstance(entity, Defs | Instance)
                else container_element(declared, step.text)
                if step.kind == "call"
                else None
            )
            if element is not None:  # `items.get(0)` of a `List<Item> items`: an Item
                entity, declared, label = Instance(self.typing.of_type(element, at)), element, TYPE
                continue
            inherited = (
                self.resolver.elements.inherited(entity.types, step.text, declared, at)
                if isinstance(entity, Instance) and step.kind == "call"
                else None
            )
            if inherited is not None:  # `items.get(0)` of a `class Items extends List<Item>`
                (entity, declared), label = inherited, TYPE
                continue
            if entity is None:
                return NAME, None, None
            entity, declared = self._step(entity, step)
            if step.text != "this":  # `Outer.this` is no evidence
                label = TYPE if label in (SCOPE, IMPORT) else label
        if entity is None or (isinstance(entity, Instance) and not entity.types):
            if declared is not None and self._external(declared, at):
                return UNRESOLVED, EXTERNAL, declared
            return NAME, None, declared
        return label, entity, declared

    def bound(self, name: str, at: Use) -> str | None:
        """The bound of type parameter ``name`` where ``at`` is (``Named`` for ``T`` in
        ``<T extends Named> void f(T x)`` or ``class Box<T extends Named>``), if any."""
        parents = self.typing.parents_of(at.path)
        idx = at.enclosing_idx
        pattern = re.compile(rf"(?:^|[<,\s]){re.escape(name)}\s+extends\s+([\w.$]+(?:<[^>]*>)?)")
        while idx is not None:
            around = self.resolver.snap.symbol_at(at.path, idx)
            if around is None:
                return None
            head = (around.signature or "").split("(", 1)[0]
            declared = head[head.find("<") :] if "<" in head else ""
            match = pattern.search(declared)
            if match is not None:
                return match.group(1)
            where = re.search(rf"\bwhere\s+{re.escape(name)}\s*:([^{{]*)", around.signature or "")
            for constraint in _split(where.group(1).split(" where ")[0]) if where else ():
                if constraint not in ("class", "struct", "new()", "notnull", "unmanaged"):
                    return constraint  # C#: `where T : Named`
            idx = parents.get(idx)
        return None

    def _declared(self, names: list[str], at: Use) -> str | None:
        """The declared type of a local, parameter or field named by a dotted name."""
        if len(names) == 1:
            local = self.typing.declared(at, names[0])
            if local is not None:
                type_, value = local
                if type_ not in (None, "var", "auto"):
                    return type_
                key = (at.path, at.start, names[0])
                if not value or value == names[0] or key in self._declaring:
                    return None
                self._declaring.add(key)
                try:
                    return self.walk(value, at)[2]
                finally:
                    self._declaring.discard(key)
        context = ".".join(names[:-1]) or None
        label, found = self.resolver.resolve_expression(
            at._replace(name=names[-1], kind="read", context=context)
        )
        fields = [f for f in found if f.type and f.kind not in FUNCTIONS and f.kind not in TYPES]
        return fields[0].type if fields and label != NAME else None

    def _external(self, declared: str, at: Use) -> bool:
        """Whether a declared type is a library's (an array's, a primitive's), not the
        repository's nor a type parameter (``T``)."""
        text = re.sub(r"<.*>", "", declared).replace("::", ".").strip()
        if text.endswith("]") or text in _PRIMITIVES:
            return True
        name = text.rsplit(".", 1)[-1]
        if not _NAME.fullmatch(name) or re.fullmatch(r"[A-Z][A-Z0-9]?", name):
            return False
        if not self.resolver.defs.named(name):
            return True
        head = text.rpartition(".")[0] or None
        use = at._replace(name=name, kind="type", context=head)
        return self.resolver.resolve_expression(use)[0] == UNRESOLVED

    def _step(self, entity: Entity, step: Step) -> tuple[Entity, str | None]:
        if isinstance(entity, Located):
            return self._module_step(entity, step)
        if not isinstance(entity, Defs | Instance):
            return None, None
        types = list(entity.types if isinstance(entity, Instance) else entity.symbols)
        types = [t for t in types if t.kind in HOLDERS]
        if step.kind == "index":
            return (entity if isinstance(entity, Instance) else None), None
        if step.text == "this":
            return (Instance(tuple(types)) if isinstance(entity, Defs) else None), None
        members = self.resolver.members(types, step.text)
        if step.kind == "call":
            functions = [m for m in members if m.kind in FUNCTIONS]
            made = [m for m in members if m.kind in TYPES]
            if made and not functions:  # C++ `Outer::Inner()`: an Inner
                return Instance(tuple(made)), step.text
            return self._result(functions, step.arity)
        nested = [m for m in members if m.kind in HOLDERS]
        if nested:
            return Defs(tuple(nested)), None
        typed = self.typing.attribute(tuple(types), step.text)
        fields = [m for m in members if m.kind not in FUNCTIONS and m.type]
        return (Instance(typed) if typed else None), (fields[0].type if fields else None)

    def _module_step(self, module: Located, step: Step) -> tuple[Entity, str | None]:
        """A step from a module or package (Go's ``store.Open("x")``): what it exports
        under that name; a library's (``fmt``, ``http``) is the library's, so is all that
        follows."""
        if module.external:
            return EXTERNAL, None
        found = self.resolver.exports.exported(module.files, step.text, 0)
        if step.kind == "call":
            functions = [m for m in found if m.kind in FUNCTIONS]
            made = [m for m in found if m.kind in TYPES]
            if made and not functions:  # a conversion, `T(x)`: a T
                return Instance(tuple(made)), step.text
            return self._result(functions, step.arity)
        if step.kind == "name":
            held = [m for m in found if m.kind in HOLDERS]
            if held:
                return Defs(tuple(held)), None
            typed = [m for m in found if m.kind not in FUNCTIONS and m.type]
            if typed:  # a package-level variable: its declared type
                return self._typed(typed[0])
        return None, None

    def _typed(self, value: Symbol) -> tuple[Entity, str | None]:
        """A variable's value: an instance of its declared type."""
        found = self.typing.of_definition(value)
        return (Instance(tuple(unique(list(found)))) if found else None), value.type

    def _result(self, methods: list[Symbol], count: int | None) -> tuple[Entity, str | None]:
        """The declared result of the overload called with ``count`` arguments."""
        fitting = [m for m in methods if fits(m, count)] or methods
        for method in fitting:
            found = self.typing.of_definition(method)
            if found:
                return Instance(tuple(unique(list(found)))), method.type
        return None, (fitting[0].type if fitting else None)


def parameters(symbol: Symbol) -> list[str] | None:
    """The declared parameters of a Java or C# method, each as written without its
    name (``Class<T>``, ``String...``), read from its signature; None when the
    signature shows none."""
    signature = symbol.signature or ""
    match = re.search(rf"\b{re.escape(symbol.name)}\s*(<[^()]*>)?\s*\(", signature)
    if match is None:
        return None
    start = match.end() - 1
    end = _closing(signature, start)
    if end is None:
        return None
    inside = signature[start + 1 : end]
    out: list[str] = []
    for part in _split(inside):
        part = re.sub(r"@[\w.]+(\s*\([^)]*\))?", "", part)  # annotations
        part = part.split("=", 1)[0]  # a C# default value
        words = re.sub(r"\s*\.\.\.\s*", "... ", part).split()
        words = [w for w in words if w not in ("final", "this", "ref", "out", "in", "scoped")]
        if len(words) >= 2:
            out.append(" ".join(words[:-1]))
        elif words:
            out.append(words[0])
    return out


def _split(inside: str) -> list[str]:
    """The top-level comma-separated parts of an argument or parameter list, stripped."""
    return [p.strip() for p in split_top(inside, ",")] if inside.strip() else []


def is_variadic(parameter: str) -> bool:
    """Whether a parameter takes any number of arguments (``T...``, C# ``params T[]``)."""
    return parameter.endswith("...") or parameter.startswith("params ")


def is_constructor(symbol: Symbol) -> bool:
    """A Java or C# constructor: a method named as the class it is in."""
    return symbol.kind == "method" and (symbol.parent or "").rsplit(".", 1)[-1] == symbol.name


def fits(method: Symbol, count: int | None) -> bool:
    """Whether ``method`` takes ``count`` arguments (True when either is not known)."""
    if count is None:
        return True
    params = parameters(method)
    if params is None:
        return True
    if params and is_variadic(params[-1]):
        return count >= len(params) - 1
    return count == len(params)
