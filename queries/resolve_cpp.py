"""C++ name lookup across files: what a name means where it is written when the file
itself does not define it.

A C++ definition is often split from its declaration (a class in a header, its methods
defined out of line in a source file as ``void Cart::add() {}``), and a namespace is
reopened in many files. So a name not found in the file is looked up, in order:

1. in the scopes around the use, innermost first: the class of an out-of-line method
   (its own members, then its bases': ``inherited``) and the namespaces the use is in,
   whichever files define them (``scope``);
2. through the file's ``using`` declarations (``using geo::Point;``) and directives
   (``using namespace geo;``) written before the use (``import``);
3. among the top-level definitions of the files it includes, directly or through the
   headers they include (``import``).

A namespace denotes every definition of it (``Defs`` of its ``module`` symbols), so
``geo::f`` and ``geo::Cart::make`` are members of it like a class's. Types read through
references, pointers and smart pointers (``const Cart &``, ``std::unique_ptr<Cart>``
are a ``Cart``).
"""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

from symbiote.queries.models import Symbol
from symbiote.queries.resolve_base import (
    IMPORT,
    INHERITED,
    SCOPE,
    UNRESOLVED,
    Resolution,
    Use,
    first_argument,
)
from symbiote.queries.resolve_defs import TYPES

if TYPE_CHECKING:
    from symbiote.queries.resolve import Resolver

_NAMESPACE = re.compile(r"^(?:::)?[A-Za-z_]\w*(?:\s*::\s*[A-Za-z_]\w*)*$")
_FUNCTIONS = frozenset({"function", "method"})
_INCLUDE_DEPTH = 4  # headers followed through the headers they include
# Wrappers a value is read through: `p->m()` on a `std::unique_ptr<T>` calls T's m.
_WRAPPERS = re.compile(
    r"^(?:(?:::)?std\s*::\s*)?(?:unique_ptr|shared_ptr|weak_ptr|optional|reference_wrapper)"
    r"\s*<(.*)>$",
    re.S,
)
_QUALIFIERS = re.compile(r"\b(?:const|volatile|struct|class|union|enum|typename|mutable)\b")


def cpp_type(text: str) -> str:
    """The type a C++ value of type ``text`` is read as: without qualifiers, pointers,
    references and smart pointers (``const std::shared_ptr<Cart> &`` -> ``Cart``)."""
    previous = None
    while text != previous:
        previous = text
        text = _QUALIFIERS.sub("", text).strip().rstrip("*&").strip()
        wrapped = _WRAPPERS.match(text)
        if wrapped:
            text = first_argument(wrapped.group(1))
    return text


def chain_text(text: str) -> str:
    """A C++ expression written as the chains module reads one: ``a->b``, ``a::b`` as
    ``a.b``, dereferences left out (``(*it).m``)."""
    text = text.replace("->", ".").replace("::", ".").lstrip(".")
    text = re.sub(r"^std\s*\.\s*(?=make_(?:unique|shared)\b)", "", text.strip())
    return re.sub(r"(^|\()\s*[*&]+", r"\1", text)


class Cpp:
    """C++ lookups for one resolver; caches each file's usings and includes."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.snap = resolver.snap
        self._usings: dict[str, list[tuple[int, str, str | None]]] = {}
        self._included: dict[str, frozenset[str]] = {}
        self._by_base: dict[str, list[str]] | None = None  # file name -> paths
        self._unaliasing: set[tuple[str, int]] = set()  # aliases being read (a cycle guard)

    def qualified(self, qualified: str) -> list[Symbol]:
        """Definitions with the qualified name ``qualified``, in any file."""
        return [self.snap.symbols[i] for i in self.snap.by_qualified.get(qualified, ())]

    def paired(self, symbols: list[Symbol]) -> list[Symbol]:
        """``symbols`` with the other files' declarations or definitions of their
        functions (a method declared in its class's header, defined in a source file)."""
        out = list(symbols)
        seen = {(s.path, s.start_byte) for s in symbols}
        for s in symbols:
            if s.kind in _FUNCTIONS:
                for other in self.qualified(s.qualified_name):
                    if other.kind in _FUNCTIONS and (other.path, other.start_byte) not in seen:
                        seen.add((other.path, other.start_byte))
                        out.append(other)
        return out

    def unaliased(self, types: list[Symbol]) -> list[Symbol]:
        """``types`` with each alias (``using Ptr = Cart *;``, ``typedef``) replaced by
        what it names, read where the alias is written."""
        out: list[Symbol] = []
        for t in types:
            key = (t.path, t.start_byte)
            if t.kind != "type" or not t.type or key in self._unaliasing:
                out.append(t)
                continue
            self._unaliasing.add(key)
            try:
                parent = self.snap.extra[self.snap.index_of(t)][1]
                at = Use(-1, "", "type", t.path, "cpp", t.parent, parent, None, t.start_byte)
                out += self.resolver.typing.of_type(t.type, at) or [t]
            finally:
                self._unaliasing.discard(key)
        return out

    def lookup(self, use: Use, name: str) -> Resolution | None:
        """What ``name``, unqualified where ``use`` is, denotes beyond its file's own
        scopes (see the module's docstring); None when nothing tells."""
        for scope in _scopes(use.enclosing):
            around = self.qualified(scope)
            types = [s for s in around if s.kind in TYPES]
            if types:  # a class: its members, seen from its (out-of-line) methods
                own, inherited = self.resolver.hierarchy.own_or_inherited(types, name)
                own = [s for s in own if not _constructs(s)]  # `Cart` names the class
                if own:
                    return SCOPE, own
                if inherited and use.kind != "inherit":
                    return INHERITED, inherited
            elif any(s.kind == "module" for s in around):
                found = self.qualified(f"{scope}.{name}")
                if found:
                    return SCOPE, found
        for start, used, context in self.usings(use.path):
            if start > use.start:
                break
            if context is not None:  # `using geo::Point;`
                if used == name:
                    found = self.in_namespace(context, use, name)
                    if found:
                        return IMPORT, found
            elif _NAMESPACE.match(used):  # `using namespace geo;`
                found = self.in_namespace(used, use, name)
                if found:
                    return IMPORT, found
        files = self.included(use.path)
        found = [s for s in self.resolver.defs.named(name) if s.path in files and s.parent is None]
        return (IMPORT, found) if found else None

    def in_namespace(self, written: str, use: Use, name: str) -> list[Symbol]:
        """Definitions ``name`` of the namespace (or class) ``written`` as seen from
        ``use``: relative to the namespaces around it, innermost first, then global."""
        return self._relative(use, f"{_dotted(written)}.{name}")

    def imported(self, use: Use) -> Resolution:
        """An import reference: ``#include`` names a file (unresolved: no definition);
        ``using namespace geo;`` the namespace; ``using geo::Point;`` what it names."""
        if use.context is not None:
            found = self.in_namespace(use.context, use, use.name)
            return (IMPORT, found) if found else (UNRESOLVED, [])
        if not _NAMESPACE.match(use.name):
            return UNRESOLVED, []
        modules = [s for s in self._relative(use, _dotted(use.name)) if s.kind == "module"]
        return (IMPORT, modules) if modules else (UNRESOLVED, [])

    def _relative(self, use: Use, dotted: str) -> list[Symbol]:
        for scope in [*_scopes(use.enclosing), ""]:
            found = self.qualified(f"{scope}.{dotted}" if scope else dotted)
            if found:
                return found
        return []

    def usings(self, path: str) -> list[tuple[int, str, str | None]]:
        """The ``using`` references of a file (start, name, context), in source order."""
        found = self._usings.get(path)
        if found is None:
            columns = self.snap.reference_columns()
            kinds, names = columns["kind"], columns["name"]
            contexts, starts = columns["context"], columns["start_byte"]
            found = sorted(
                (starts[r], names[r], contexts[r])
                for r in self.snap.reference_rows(path=path)
                if kinds[r] == "import" and (contexts[r] is not None or _NAMESPACE.match(names[r]))
            )
            self._usings[path] = found
        return found

    def included(self, path: str) -> frozenset[str]:
        """The files of the repository ``path`` includes, and those they include."""
        found = self._included.get(path)
        if found is None:
            seen: set[str] = set()
            frontier = [path]
            for _ in range(_INCLUDE_DEPTH):
                following = []
                for file in frontier:
                    for header in self._includes(file):
                        if header not in seen and header != path:
                            seen.add(header)
                            following.append(header)
                frontier = following
            found = self._included[path] = frozenset(seen)
        return found

    def _includes(self, path: str) -> list[str]:
        """The files an ``#include`` of the file at ``path`` names: relative to its
        folder first, else any file whose path ends with the name."""
        columns = self.snap.reference_columns()
        kinds, names, contexts = columns["kind"], columns["name"], columns["context"]
        files = self.snap.files
        if self._by_base is None:
            self._by_base = {}
            for file in sorted(files):
                self._by_base.setdefault(posixpath.basename(file), []).append(file)
        out: list[str] = []
        for row in self.snap.reference_rows(path=path):
            if kinds[row] != "import" or contexts[row] is not None:
                continue
            name = names[row].strip("<>\"' ")
            if _NAMESPACE.match(name) and not path.endswith(".rb"):
                continue  # `using namespace`
            if path.endswith(".rb") and not name.endswith(".rb"):
                name += ".rb"  # Ruby: `require_relative "item"` loads item.rb
            near = posixpath.normpath(posixpath.join(posixpath.dirname(path), name))
            if near in files:
                out.append(near)
            else:
                same = self._by_base.get(posixpath.basename(name), ())
                out += [f for f in same if f == name or f.endswith("/" + name)]
        return out


def _scopes(enclosing: str | None) -> list[str]:
    """The qualified names around a use, innermost first (``a.b.c``, ``a.b``, ``a``)."""
    if not enclosing:
        return []
    parts = enclosing.split(".")
    return [".".join(parts[:i]) for i in range(len(parts), 0, -1)]


def _dotted(written: str) -> str:
    """A C++ scope as written (``::a :: b``) as a dotted qualified name (``a.b``)."""
    return written.replace(" ", "").strip(":").replace("::", ".")


def _constructs(symbol: Symbol) -> bool:
    """A constructor: a method named as the class it is in."""
    return symbol.kind == "method" and (symbol.parent or "").rsplit(".", 1)[-1] == symbol.name
