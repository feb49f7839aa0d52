"""Classes and their members as the resolver walks them: a class's own members, those
it inherits (bases in source order, depth first), the members a method's ``self`` (or
Go receiver) reaches."""

from __future__ import annotations

import bisect
import posixpath
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from symbiote.queries.models import Symbol
from symbiote.queries.resolve_base import IMPORT, NAME, SCOPE, UNRESOLVED, Use, ancestors
from symbiote.queries.resolve_chains import CHAINED, FUNCTIONS, is_constructor
from symbiote.queries.resolve_defs import (
    HOLDING_VALUES,
    TYPES,
    holds_members,
    innermost,
    near,
    unique,
)
from symbiote.queries.resolve_php import traits_first
from symbiote.queries.resolve_typetext import callable_result

# What a generator function declares it yields (`typing.Iterator[Response]`,
# `Generator[Session, None, None]`), and the decorators that make it a context manager.
_YIELDED = re.compile(
    r"(?:[\w.]+\.)?(?:Async)?(?:Iterator|Generator)\[\s*([^,\[\]]+(?:\[[^\]]*\])?)\s*(?:,.*)?\]"
)
_MANAGERS = frozenset({"contextmanager", "asynccontextmanager"})

if TYPE_CHECKING:
    from symbiote.queries.resolve import Resolver

MAX_DEPTH = 6  # base-class chains followed
_GO_RECEIVER = re.compile(r"^func\s*\(\s*([A-Za-z_]\w*)\s")


class Hierarchy:
    """The class hierarchy of one snapshot, for its resolver (which resolves the
    inheritance references that name the bases)."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.snap = resolver.snap
        self.defs = resolver.defs
        self._bases: dict[tuple[str, int], list[Symbol]] = {}
        self._inheritance: dict[str, dict[int | None, list[int]]] = {}  # path -> idx -> rows
        self._impls: dict[str, dict[str, list[int]]] = {}  # path -> implementing type -> rows
        self._decorated: dict[str, dict[int, list[int]]] = {}  # path -> start -> rows

    def chosen(self, members: list[Symbol], use: Use) -> list[Symbol]:
        """The members a use of their name means: where overloads share a qualified name
        (Java, C#), all of them, for the arguments to choose; else :func:`accessor`'s,
        telling a Python ``@overload`` signature from its implementation."""
        if use.language in CHAINED:
            return unique(members)
        return accessor(members, use.kind, self.overload_stub)

    def called(self, callee: str, at: Use) -> tuple[Symbol, ...]:
        """What calling ``callee``, a Python value in scope at ``at`` (a parameter, a
        variable), gives: the declared results of its class's ``__call__``, own or
        inherited (a ``Protocol`` with a typed ``__call__`` types the callables it
        annotates). Empty when ``callee`` is no such value."""
        typing = self.resolver.typing
        if at.language != "python" or "." in callee or typing.row_in_force(at, callee) is None:
            return ()
        classes = [t for t in typing.of_expression(callee, at) if t.kind == "class"]
        own, inherited = self.own_or_inherited(classes, "__call__")
        methods = self.implementations(own or inherited)
        return tuple(unique([t for method in methods for t in typing.of_definition(method)]))

    def implementations_first(self, ranked: list[Symbol]) -> list[Symbol]:
        """``ranked`` with each Python ``@overload`` signature moved after the
        implementation it declares, when that is among them."""
        implemented = self._implemented(ranked)
        if not implemented:
            return ranked
        out: list[Symbol] = []
        waiting: dict[tuple[str, str], list[Symbol]] = {}
        for s in ranked:
            key = (s.path, s.qualified_name)
            if key in implemented and self.overload_stub(s):
                waiting.setdefault(key, []).append(s)
                continue
            out.append(s)
            if key in implemented:
                out += waiting.pop(key, [])
        return out + [s for held in waiting.values() for s in held]

    def implementations(self, targets: list[Symbol]) -> list[Symbol]:
        """``targets`` without the Python ``@overload`` signatures of an implementation
        among them (a name bound by several ``def``s is the last one's: the one that runs)."""
        implemented = self._implemented(targets)
        if not implemented:
            return targets
        return [
            s
            for s in targets
            if (s.path, s.qualified_name) not in implemented or not self.overload_stub(s)
        ]

    def _implemented(self, symbols: list[Symbol]) -> set[tuple[str, str]]:
        """The (path, qualified name) under which ``symbols`` hold both a Python
        function's ``@overload`` signatures and its implementation."""
        seen: dict[tuple[str, str], int] = {}
        for s in symbols:
            if s.language == "python":
                key = (s.path, s.qualified_name)
                seen[key] = seen.get(key, 0) + 1
        stubbed: set[tuple[str, str]] = set()
        plain: set[tuple[str, str]] = set()
        for s in symbols:
            key = (s.path, s.qualified_name)
            if seen.get(key, 0) > 1:
                (stubbed if self.overload_stub(s) else plain).add(key)
        return stubbed & plain

    def meant(self, symbol: Symbol) -> Symbol:
        """The definition uses of ``symbol`` resolve to: for a Python ``@overload``
        signature, the implementation it declares (when its file has one), else itself."""
        if not self.overload_stub(symbol):
            return symbol
        same = [
            self.snap.symbols[i] for i in self.snap.named_in(symbol.path, symbol.qualified_name)
        ]
        kept = [s for s in same if not self.overload_stub(s)]
        return kept[-1] if kept else symbol

    def overload_stub(self, symbol: Symbol) -> bool:
        """Whether a Python definition is an ``@overload`` signature: decorated with a
        name ``overload`` (``typing.overload``, ``t.overload``)."""
        if symbol.language != "python":
            return False
        names = self.snap.reference_columns()["name"]
        return any(names[r] == "overload" for r in self.decorators(symbol))

    def entered(self, function: Symbol) -> str:
        """The declared result of ``function`` as a ``with`` statement sees it: ``T`` of
        the ``Iterator[T]`` or ``Generator[T, ...]`` (async ones too) a Python function
        decorated with ``@contextmanager`` declares (``with client.stream() as r``);
        else its declared type as written."""
        declared = function.type or ""
        yielded = _YIELDED.fullmatch(declared.strip()) if function.language == "python" else None
        if yielded is None:
            return declared
        names = self.snap.reference_columns()["name"]
        managed = any(names[r] in _MANAGERS for r in self.decorators(function))
        return yielded.group(1).strip() if managed else declared

    def decorated(self, function: Symbol) -> list[Symbol]:
        """The classes of the value Python decorators made of ``function``: a function
        decorated with ``@group()``, where ``group`` declares that it returns a ``Group``
        (or a callable that makes one), is a ``Group``, with its members."""
        if function.language != "python" or function.kind not in FUNCTIONS:
            return []
        found: list[Symbol] = []
        for row in self.decorators(function):
            label, targets = self.resolver.resolve_shared(row)
            if label in (NAME, UNRESOLVED):
                continue  # a guess is no evidence
            for made_by in targets:
                if made_by.kind in FUNCTIONS:
                    found += self._made(made_by)
        return unique(found)

    def _made(self, decorator: Symbol) -> list[Symbol]:
        """The classes a decorator's declared result names: ``-> Group``, or what the
        callable it returns gives (``@group()``, ``-> Callable[[F], Group]``)."""
        typing = self.resolver.typing
        made = list(typing.of_definition(decorator))
        result = callable_result(decorator.type or "")
        if result:
            parent_idx = self.snap.extra[self.snap.index_of(decorator)][1]
            made += typing.of_type(
                result, typing.ref_at(decorator.path, parent_idx, decorator.start_byte)
            )
        return [t for t in made if t.kind == "class"]

    def decorators(self, symbol: Symbol) -> list[int]:
        """The reference rows of the decorators written on a definition: a decorator
        belongs to the first definition of its file that starts on a later line."""
        by_start = self._decorated.get(symbol.path)
        if by_start is None:
            by_start = self._decorated[symbol.path] = self._decorators_of(symbol.path)
        return by_start.get(symbol.start_byte, [])

    def _decorators_of(self, path: str) -> dict[int, list[int]]:
        columns = self.snap.reference_columns()
        kinds, lines = columns["kind"], columns["start_line"]
        marks = [r for r in self.snap.reference_rows(path=path) if kinds[r] == "decorator"]
        if not marks:
            return {}
        starts = sorted(
            (self.snap.symbols[i].start_line, self.snap.symbols[i].start_byte)
            for i in self.snap.by_path.get(path, ())
        )
        out: dict[int, list[int]] = {}
        for row in marks:
            k = bisect.bisect_right(starts, (lines[row], 1 << 62))
            if k < len(starts):
                out.setdefault(starts[k][1], []).append(row)
        return out

    def own_or_inherited(self, types: list[Symbol], name: str) -> tuple[list[Symbol], list[Symbol]]:
        own: list[Symbol] = []
        for t in types:
            own += [c for c in self.defs.in_parent(name, t.qualified_name) if self._near(c, t)]
        if own:
            return unique(own), []
        inherited: list[Symbol] = []
        for t in types:
            inherited += self.inherited(t, name, 0)
        return [], unique(inherited)

    def _near(self, member: Symbol, owner: Symbol) -> bool:
        """:func:`near`, and in C++ any file's member of a namespace, or a method
        defined out of line (``void Cart::add() {}`` where no ``Cart`` is defined); never
        a member of another class of the same name in the file."""
        if near(member, owner):
            return not self._namesake_member(member, owner)
        if member.language != "cpp" or owner.language != "cpp":
            return False
        return owner.kind == "module" or self.defs.kind(member.path, owner.qualified_name) is None

    def _namesake_member(self, member: Symbol, owner: Symbol) -> bool:
        """Whether ``member`` lies in another class of ``owner``'s qualified name in the
        same file: classes declared in two callbacks (`test("a", () => { class Store
        {...} })`, then again in the next test) are two classes, and so are their
        members; so are two objects of one name (`const proto = { action() {} }`)."""
        held = owner.kind in HOLDING_VALUES and holds_members(owner)  # JS: an object
        if not (owner.kind == "class" or held) or owner.language == "csharp":
            return False
        if member.path != owner.path or owner.start_byte <= member.start_byte < owner.end_byte:
            return False
        return any(
            other.kind == owner.kind
            and other.qualified_name == owner.qualified_name
            and other.start_byte <= member.start_byte < other.end_byte
            for other in self.defs.in_file(owner.name, owner.path)
        )

    def self_members(self, use: Use, name: str, bases_only: bool) -> list[Symbol]:
        owner = self.defs.enclosing_type(use.path, use.enclosing_idx)
        if owner is None:
            if bases_only:
                return []
            # No class definition encloses it (a Rust `impl` block is a scope, not a
            # definition): members of any scope its qualified name passes through.
            owners = ancestors(use.enclosing)
            local = [c for c in self.defs.in_file(name, use.path) if c.parent in owners]
            return innermost(local)
        if bases_only:
            return self.inherited(owner, name, 0)
        return self.members([owner], name, 0)

    def implicit(self, use: Use, name: str) -> list[Symbol]:
        """Members ``name`` the class around ``use`` inherits (or else a class around
        that one), seen unqualified in languages with an implicit ``this``
        (constructors are never inherited)."""
        owner = self.defs.enclosing_type(use.path, use.enclosing_idx)
        for _ in range(MAX_DEPTH):
            if owner is None:
                return []
            found = [s for s in self.inherited(owner, name, 0) if not is_constructor(s)]
            if found:
                return found
            parent = self.snap.extra[self.snap.index_of(owner)][1]
            owner = self.defs.enclosing_type(use.path, parent) if parent is not None else None
        return []

    def members(self, types: list[Symbol], name: str, depth: int) -> list[Symbol]:
        """Members ``name`` of each type, or else of its bases."""
        found: list[Symbol] = []
        for t in types:
            own = [c for c in self.defs.in_parent(name, t.qualified_name) if self._near(c, t)]
            found += own or self.inherited(t, name, depth)
        return unique(found)

    def inherited(self, owner: Symbol, name: str, depth: int) -> list[Symbol]:
        """Members ``name`` of the first base (in source order: a superclass before the
        interfaces, Python's bases left to right, depth first) that has one."""
        if depth >= MAX_DEPTH:
            return []
        for base in self.bases_of(owner):
            found = self.members([base], name, depth + 1)
            if found:
                return found
        return []

    def bases_of(self, owner: Symbol) -> list[Symbol]:
        """The classes ``owner`` extends or implements, where they resolve precisely."""
        key = (owner.path, owner.start_byte)
        found = self._bases.get(key)
        if found is None:
            self._bases[key] = []  # guards cycles while resolving
            idx = self.snap.extra[self.snap.index_of(owner)][0]
            rows = list(self._inheritance_rows(owner.path).get(idx, ()))
            if owner.language == "rust":
                rows += self._rust_impls(owner)
            found = []
            cut = False  # a row already being resolved: a cycle, so the answer is partial
            for row in rows:
                cut = cut or row in self.resolver.active
                resolution, targets = self.resolver.resolve(row)
                if resolution in (SCOPE, IMPORT):  # a Ruby module mixed in is a base too
                    found += [t for t in targets if t.kind in TYPES or _mixin(t)]
            if owner.language == "php":
                found = traits_first(found)
            if cut:
                del self._bases[key]
            else:
                self._bases[key] = found
        return found

    def _inheritance_rows(self, path: str) -> dict[int | None, list[int]]:
        """The inheritance references of a file, by the definition they are in."""
        rows = self._inheritance.get(path)
        if rows is None:
            columns = self.snap.reference_columns()
            kinds, enclosing = columns["kind"], columns["enclosing_idx"]
            rows = {}
            for row in self.snap.reference_rows(path=path):
                if kinds[row] == "inherit":
                    rows.setdefault(enclosing[row], []).append(row)
            self._inheritance[path] = rows
        return rows

    def _rust_impls(self, owner: Symbol) -> list[int]:
        """Rust: the traits of the ``impl Trait for Owner`` blocks in the owner's folder
        (an inheritance reference followed, on its line, by the owner's name as a type)."""
        folder = posixpath.dirname(owner.path)
        rows: list[int] = []
        for path in self.resolver.imports.modules.by_dir.get(folder, ()):
            if path.endswith(".rs"):
                rows += self._impl_rows(path).get(owner.name, ())
        return rows

    def _impl_rows(self, path: str) -> dict[str, list[int]]:
        found = self._impls.get(path)
        if found is None:
            columns = self.snap.reference_columns()
            kinds, names = columns["kind"], columns["name"]
            lines, starts = columns["start_line"], columns["start_byte"]
            ordered = sorted(self.snap.reference_rows(path=path), key=lambda r: starts[r])
            found = self._impls[path] = {}
            for row, after in zip(ordered, ordered[1:], strict=False):
                if kinds[row] == "inherit" and kinds[after] == "type":
                    if lines[row] == lines[after]:
                        found.setdefault(names[after], []).append(row)
        return found

    def impl_type(self, use: Use) -> list[Symbol]:
        """Rust: the type ``self`` and ``Self`` are in an ``impl`` or trait method: the
        nearest type its qualified name passes through (``Cart`` for ``Cart.add``), of
        its file, else of any file of the folder."""
        for qualified in sorted(ancestors(use.enclosing), key=len, reverse=True):
            named = [
                self.snap.symbols[i]
                for i in self.snap.by_qualified.get(qualified, ())
                if self.snap.symbols[i].kind in TYPES
            ]
            here = [s for s in named if s.path == use.path]
            near_by = [s for s in named if posixpath.dirname(s.path) == posixpath.dirname(use.path)]
            if here or near_by:
                return here or near_by
            if named and use.language == "cpp":  # a method defined out of line
                return named
        return []

    def go_receiver(self, use: Use, variable: str) -> list[Symbol]:
        """The receiver type when ``variable`` is the receiver of the enclosing method."""
        method = self.snap.symbol_at(use.path, use.enclosing_idx)
        if method is None or method.kind != "method" or method.parent is None:
            return []
        match = _GO_RECEIVER.match(method.signature)
        if match is None or match.group(1) != variable:
            return []
        folder = posixpath.dirname(use.path)
        return [
            self.snap.symbols[i]
            for i in self.snap.by_qualified.get(method.parent, ())
            if self.snap.symbols[i].kind in TYPES
            and posixpath.dirname(self.snap.symbols[i].path) == folder
        ]


def _mixin(symbol: Symbol) -> bool:
    """A Ruby module, which a class includes (``include Priced``) as a base."""
    return symbol.kind == "module" and symbol.language == "ruby"


def accessor(
    members: list[Symbol], kind: str, stub: Callable[[Symbol], bool] = lambda _member: False
) -> list[Symbol]:
    """One definition per qualified name, in order: of a property's getter and setter
    (one name, two definitions), the setter for a write and the getter otherwise; of a
    function's ``stub`` signatures (Python's ``@overload``) and its implementation, the
    implementation (what runs, and what jedi goes to)."""
    chosen: dict[tuple[str, str], Symbol] = {}
    for member in members:
        key = (member.path, member.qualified_name)
        if kind == "write" or key not in chosen or (stub(chosen[key]) and not stub(member)):
            chosen[key] = member
    return list(chosen.values())
