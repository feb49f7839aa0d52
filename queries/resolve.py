"""Resolution of references to definitions at one commit, with its precision stated.

Each reference gets one of four resolutions, tried in this order:

``scope``
    The definition is visible from where the name is used without an import: the same
    file, in an enclosing scope (enclosing functions and the module; the enclosing class
    only in languages with an implicit ``this``: Java, C#, C++, Ruby); a member of the
    enclosing class for ``self.x`` / ``this.x`` / ``cls.x``, or of a base class it
    inherits from when that base resolves (``super().x`` / ``super.x`` look in the bases
    only); a method of a Go method's receiver (``c.x()`` in ``func (c *Cart) ...``); a
    member of a class that is itself in scope (``Cart.create()``); or the same package
    for languages whose packages share a namespace (Go: same folder; Java: same package).
``import``
    The file imports the name (``from m import x``, ``import {x} from "./m"``, a default
    import, Java ``import a.b.X`` / ``import static a.b.X.m``) or the object it is
    accessed on (``m.x()`` after ``import m``, ``from pkg import m`` or
    ``import * as m``; Go ``pkg.F()``; Java ``X.m()`` after ``import a.b.X``), and the
    imported module is the file that defines it. Re-exports are followed
    (``from .impl import x`` in ``__init__.py``, ``export {x} from "./impl"``,
    ``import x from "./impl"; export {x}``).
``name``
    Only the name matches: every definition of that name is a candidate. A guess.
``unresolved``
    Nothing in the repository: no definition of that name exists at this commit; or the
    name comes from a module outside the repository (``from json import dumps``, Go
    ``fmt.Println``, Java ``import java.util.List`` and the implicit ``java.lang``:
    ``String.join``); or the reference names a module rather than a definition (Python
    ``import a.b`` and ``from . import mod``, a JS/TS module specifier, a Go import path).

Which names each file's imports bind is :mod:`queries.resolve_imports`; where a module
is, from the import text and the file layout only, :mod:`queries.resolve_modules`; the
lookups over definitions (by name, file, parent), :mod:`queries.resolve_defs`.
Import aliases (``import a as b``, ``{a as b}``) are not captured by the patterns, so
names used through an alias fall back to ``name``.
"""

from __future__ import annotations

import functools
import posixpath
import re
from dataclasses import dataclass
from typing import Any, NamedTuple

from symbiote.queries.models import Symbol
from symbiote.queries.resolve_defs import TYPES, DefinitionIndex, innermost, near, rank, unique
from symbiote.queries.resolve_imports import Binding, ImportTable, leaf, names_module
from symbiote.queries.resolve_modules import EXTERNAL, JS_LANGS, Located
from symbiote.queries.snapshot import Snapshot

SCOPE, IMPORT, NAME, UNRESOLVED = "scope", "import", "name", "unresolved"
Resolution = tuple[str, list[Symbol]]

_SELF = frozenset({"self", "this", "cls", "$this", "static", "Self"})
# Languages where a class's members are in scope, unqualified, inside its methods.
_IMPLICIT_THIS = frozenset({"java", "csharp", "cpp", "ruby"})
_MAX_DEPTH = 6  # re-export and base-class chains followed
_IDENTIFIER = re.compile(r"^[A-Za-z_$][\w$]*$")
_GO_RECEIVER = re.compile(r"^func\s*\(\s*([A-Za-z_]\w*)\s")


# A reference's name, kind, file, (enclosing idx, name) when that matters, and context.
_Shape = tuple[str, str, str, tuple[int | None, str | None] | None, str | None]
_REF_COLUMNS = ("name", "kind", "path", "enclosing", "enclosing_idx", "context")


class _Ref(NamedTuple):
    row: int
    name: str
    kind: str
    path: str
    language: str | None
    enclosing: str | None
    enclosing_idx: int | None
    context: str | None


@dataclass(frozen=True, slots=True)
class _Defs:
    """The definitions an expression denotes."""

    symbols: tuple[Symbol, ...]


# What a name or dotted context denotes: definitions, a module (possibly external), or
# None when it cannot be told.
_Entity = _Defs | Located | None


class Resolver:
    """Resolves the references of one snapshot; caches per-file import tables, module
    lookups, base classes and answers."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snap = snapshot
        self.imports = ImportTable(snapshot)
        self.defs = DefinitionIndex(snapshot)
        self._answers: dict[int, Resolution] = {}
        self._active: set[int] = set()
        self._bases: dict[tuple[str, int], list[Symbol]] = {}
        self._guesses: dict[tuple[str, str], list[Symbol]] = {}  # (folder, name) -> ranked
        self._inheritance: dict[str, dict[int | None, list[int]]] = {}  # path -> idx -> rows
        # Answers by what a non-import reference's resolution depends on (many uses of
        # one name in one definition resolve alike), and of import bindings.
        self._shapes: dict[_Shape, Resolution] = {}
        self._columns: tuple[list[Any], ...] | None = None  # the reference columns _ref reads
        self._bindings: dict[tuple[str, Binding, bool], _Entity] = {}

    def resolve(self, row: int) -> Resolution:
        """How reference ``row`` resolves, and to which definitions."""
        resolution, targets = self.resolve_shared(row)
        return resolution, list(targets)

    def resolve_shared(self, row: int) -> Resolution:
        """:meth:`resolve` without copying: the list may be shared by many rows (a name
        match answers with the same ranked candidates), so callers must not change it."""
        answer = self._answers.get(row)
        if answer is None:
            if row in self._active:  # a cycle (class A(B), class B(A))
                return UNRESOLVED, []
            ref = self._ref(row)
            shape = self._shape(ref)
            if shape is not None:
                answer = self._shapes.get(shape)
            if answer is None:
                self._active.add(row)
                try:
                    answer = self._resolve(ref)
                finally:
                    self._active.discard(row)
                if shape is not None:
                    self._shapes[shape] = answer
            self._answers[row] = answer
        return answer

    def _shape(self, ref: _Ref) -> _Shape | None:
        """What the resolution of a (non-import) reference depends on: where it is used
        matters only when the name, or the first word of its context, is defined in the
        same file or the language looks in the enclosing class or Go receiver."""
        if ref.kind == "import":
            return None
        if ref.language in _IMPLICIT_THIS or ref.language == "go":
            local = True
        elif ref.context is None:
            local = bool(self.defs.in_file(leaf(ref.name), ref.path))
        elif _receiver_word(ref.context, ref.language) is not None:
            local = True
        else:
            parts = _parts(ref.context)
            local = parts is not None and bool(self.defs.in_file(parts[0], ref.path))
        where = (ref.enclosing_idx, ref.enclosing) if local else None
        return (ref.kind, ref.name, ref.path, where, ref.context)

    def _resolve(self, ref: _Ref) -> Resolution:
        if ref.kind == "import" and names_module(ref.language, ref.context):
            return UNRESOLVED, []
        name = leaf(ref.name)
        candidates = self.defs.named(name)
        if not candidates:
            return UNRESOLVED, []
        if ref.kind == "import":
            return self._import(ref, candidates)
        if ref.context is None:
            return self._bare(ref, name, candidates)
        return self._qualified(ref, name, ref.context, candidates)

    # ---- the three shapes of reference

    def _import(self, ref: _Ref, candidates: list[Symbol]) -> Resolution:
        """An imported name: what the module it comes from defines (or re-exports)."""
        binding = self.imports.of_row(ref.path, ref.row)
        entity = self._bound(ref.path, binding, 0, False) if binding else None
        if isinstance(entity, _Defs):
            return IMPORT, list(entity.symbols)
        if isinstance(entity, Located):  # external, or a Python submodule
            return UNRESOLVED, []
        return self._guess(ref, candidates)

    def _bare(self, ref: _Ref, name: str, candidates: list[Symbol]) -> Resolution:
        """An unqualified name: scopes, then imports, then the package."""
        visible = self._lexical(ref, name)
        if visible:
            return SCOPE, visible
        if ref.language in _IMPLICIT_THIS and ref.kind != "inherit":
            owner = self.defs.enclosing_type(ref.path, ref.enclosing_idx)
            inherited = self._inherited(owner, name, 0) if owner else []
            if inherited:
                return SCOPE, inherited
        for binding in self.imports.local(ref.path, name):
            if not binding.whole:
                entity = self._bound(ref.path, binding, 0, False)
                if isinstance(entity, _Defs):
                    return IMPORT, list(entity.symbols)
                if isinstance(entity, Located) and entity.external:
                    return UNRESOLVED, []
        same = self._same_package(ref, candidates)
        if same:
            return SCOPE, same
        return self._guess(ref, candidates)

    def _qualified(
        self, ref: _Ref, name: str, context: str, candidates: list[Symbol]
    ) -> Resolution:
        """``object.name``: a member of the enclosing class, of a class, or of a module."""
        word = _receiver_word(context, ref.language)
        if word is not None:
            members = self._self_members(ref, name, word == "super")
            return (SCOPE, members) if members else self._guess(ref, candidates)
        parts = _parts(context)
        if parts is None:
            return self._guess(ref, candidates)
        if ref.language == "go" and len(parts) == 1:
            receiver = self._go_receiver(ref, parts[0])
            if receiver:
                members = self._members(receiver, name, 0)
                return (SCOPE, members) if members else self._guess(ref, candidates)
        label, entity = self._head(ref, parts[0])
        for part in parts[1:]:
            entity = self._attribute(entity, part)
        if isinstance(entity, Located):
            if entity.external:
                return UNRESOLVED, []
            found = self._exported(entity.files, name, 0)
        elif isinstance(entity, _Defs):
            found = self._members([s for s in entity.symbols if s.kind in TYPES], name, 0)
        else:
            found = []
        return (label, found) if found else self._guess(ref, candidates)

    # ---- scopes

    def _lexical(self, ref: _Ref, name: str) -> list[Symbol]:
        """Definitions ``name`` of the same file in a scope enclosing the reference."""
        owners = _ancestors(ref.enclosing)
        implicit = ref.language in _IMPLICIT_THIS
        visible = []
        for c in self.defs.in_file(name, ref.path):
            if c.parent is not None:
                if c.parent not in owners:
                    continue
                if not implicit and self.defs.is_member(c):
                    # A class body is no scope for its methods (only Python's class body
                    # itself sees the names defined in it).
                    if not (ref.language == "python" and c.parent == ref.enclosing):
                        continue
            visible.append(c)
        return innermost(visible)

    def _same_package(self, ref: _Ref, candidates: list[Symbol]) -> list[Symbol]:
        folder = posixpath.dirname(ref.path)
        if ref.language == "go":
            return [
                c
                for c in candidates
                if c.language == "go"
                and posixpath.dirname(c.path) == folder
                and c.kind != "method"
                and c.parent is not None
                and "." not in c.parent
            ]
        if ref.language == "java":
            package = self.defs.package_of(ref.path)
            return [
                c
                for c in candidates
                if c.language == "java"
                and package is not None
                and c.qualified_name == f"{package}.{c.name}"
            ]
        return []

    def _head(self, ref: _Ref, head: str) -> tuple[str, _Entity]:
        """What the first word of a context denotes, and how that was found."""
        named = self.defs.named(head)
        visible = self._lexical(ref, head) if named else []
        if visible:
            types = [s for s in visible if s.kind in TYPES]
            return (SCOPE, _Defs(tuple(types))) if types else (NAME, None)
        for binding in self.imports.local(ref.path, head):
            return IMPORT, self._bound(ref.path, binding, 0, True)
        same = [s for s in self._same_package(ref, named) if s.kind in TYPES]
        if same:
            return SCOPE, _Defs(tuple(same))
        if ref.language == "java" and head[:1].isupper() and not named:
            return UNRESOLVED, EXTERNAL  # java.lang or another library class
        return NAME, None

    def _attribute(self, entity: _Entity, part: str) -> _Entity:
        """What ``entity.part`` denotes."""
        if isinstance(entity, Located):
            if entity.external:
                return entity
            found = self._exported(entity.files, part, 0)
            if found:
                return _Defs(tuple(found))
            if entity.package is not None:
                sub = self.imports.modules.python_submodule(entity.package, part)
                return sub if sub.found else None
            return None
        if isinstance(entity, _Defs):
            types = [s for s in entity.symbols if s.kind in TYPES]
            nested = [s for s in self._members(types, part, 0) if s.kind in TYPES]
            return _Defs(tuple(nested)) if nested else None
        return None

    # ---- classes and their members

    def _self_members(self, ref: _Ref, name: str, bases_only: bool) -> list[Symbol]:
        owner = self.defs.enclosing_type(ref.path, ref.enclosing_idx)
        if owner is None:
            if bases_only:
                return []
            # No class definition encloses it (a Rust `impl` block is a scope, not a
            # definition): members of any scope its qualified name passes through.
            owners = _ancestors(ref.enclosing)
            local = [c for c in self.defs.in_file(name, ref.path) if c.parent in owners]
            return innermost(local)
        if bases_only:
            return self._inherited(owner, name, 0)
        return self._members([owner], name, 0)

    def _members(self, types: list[Symbol], name: str, depth: int) -> list[Symbol]:
        """Members ``name`` of each type, or else of its bases."""
        found: list[Symbol] = []
        for t in types:
            own = [c for c in self.defs.in_parent(name, t.qualified_name) if near(c, t)]
            found += own or self._inherited(t, name, depth)
        return unique(found)

    def _inherited(self, owner: Symbol, name: str, depth: int) -> list[Symbol]:
        """Members ``name`` of the first base (in source order: a superclass before the
        interfaces, Python's bases left to right, depth first) that has one."""
        if depth >= _MAX_DEPTH:
            return []
        for base in self._bases_of(owner):
            found = self._members([base], name, depth + 1)
            if found:
                return found
        return []

    def _bases_of(self, owner: Symbol) -> list[Symbol]:
        """The classes ``owner`` extends or implements, where they resolve precisely."""
        key = (owner.path, owner.start_byte)
        found = self._bases.get(key)
        if found is None:
            self._bases[key] = []  # guards cycles while resolving
            idx = self.snap.extra[self.snap.index_of(owner)][0]
            found = []
            cut = False  # a row already being resolved: a cycle, so the answer is partial
            for row in self._inheritance_rows(owner.path).get(idx, ()):
                cut = cut or row in self._active
                resolution, targets = self.resolve(row)
                if resolution in (SCOPE, IMPORT):
                    found += [t for t in targets if t.kind in TYPES]
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

    def _go_receiver(self, ref: _Ref, variable: str) -> list[Symbol]:
        """The receiver type when ``variable`` is the receiver of the enclosing method."""
        method = self.snap.symbol_at(ref.path, ref.enclosing_idx)
        if method is None or method.kind != "method" or method.parent is None:
            return []
        match = _GO_RECEIVER.match(method.signature)
        if match is None or match.group(1) != variable:
            return []
        folder = posixpath.dirname(ref.path)
        return [
            self.snap.symbols[i]
            for i in self.snap.by_qualified.get(method.parent, ())
            if self.snap.symbols[i].kind in TYPES
            and posixpath.dirname(self.snap.symbols[i].path) == folder
        ]

    # ---- imports

    def _bound(self, path: str, binding: Binding, depth: int, namespace: bool) -> _Entity:
        """What an import binding denotes. ``namespace``: a JS binding that names nothing
        in its module is taken as the module itself (``import * as m``)."""
        if depth:
            return self._bind(path, binding, depth, namespace)
        key = (path, binding, namespace)
        if key not in self._bindings:  # answers found at depth 0 follow whole chains
            self._bindings[key] = self._bind(path, binding, 0, namespace)
        return self._bindings[key]

    def _bind(self, path: str, binding: Binding, depth: int, namespace: bool) -> _Entity:
        language = self.imports.language(path)
        if language == "java":
            qualified = f"{binding.module}.{binding.name}"
            found = [
                self.snap.symbols[i]
                for i in self.snap.by_qualified.get(qualified, ())
                if self.snap.symbols[i].language == "java"
            ]
            if found:
                return _Defs(tuple(found))
            return None if self.imports.java_package_known(binding.module) else EXTERNAL
        located = self.imports.locate(path, binding.module)
        if located.external:
            return located
        if not located.found:
            return None
        if binding.whole:
            return located
        found = self._exported(located.files, binding.name, depth)
        if found:
            return _Defs(tuple(found))
        if located.package is not None:
            sub = self.imports.modules.python_submodule(located.package, binding.name)
            if sub.found:
                return sub
        return located if namespace and language in JS_LANGS else None

    def _exported(self, files: tuple[str, ...], name: str, depth: int) -> list[Symbol]:
        """Module-level definitions ``name`` of the files of a module, or the definitions
        the module re-exports under that name."""
        found = self.defs.top_level(name, files)
        if found or depth >= _MAX_DEPTH:
            return found
        for file in files:
            for binding in self.imports.local(file, name):
                if not binding.whole:
                    entity = self._bound(file, binding, depth + 1, False)
                    if isinstance(entity, _Defs):
                        return list(entity.symbols)
        return []

    # ---- small lookups

    def _ref(self, row: int) -> _Ref:
        if self._columns is None:
            c = self.snap.reference_columns()
            self._columns = tuple(c[name] for name in _REF_COLUMNS)
        names, kinds, paths, enclosing, enclosing_idx, contexts = self._columns
        path = paths[row]
        return _Ref(
            row,
            names[row],
            kinds[row],
            path,
            self.imports.language(path),
            enclosing[row],
            enclosing_idx[row],
            contexts[row],
        )

    def _guess(self, ref: _Ref, candidates: list[Symbol]) -> Resolution:
        """A name match: every candidate, nearest folder first, source before tests."""
        key = (posixpath.dirname(ref.path), leaf(ref.name))
        ranked = self._guesses.get(key) if candidates is self.defs.named(key[1]) else None
        if ranked is None:
            ranked = sorted(candidates, key=rank(ref.path))
            if candidates is self.defs.named(key[1]):
                self._guesses[key] = ranked
        return NAME, ranked


def _receiver_word(context: str, language: str | None) -> str | None:
    """``self`` for self/this-like contexts, ``super`` for super calls, else None."""
    text = context.strip()
    if text in _SELF:
        return "self"
    if text == "super" or text.startswith("super(") or (language == "php" and text == "parent"):
        return "super"
    return None


@functools.lru_cache(maxsize=65536)
def _parts(context: str) -> tuple[str, ...] | None:
    """The words of a dotted context (``a.b``, ``a::b``, ``a->b``), or None when it is
    not a plain chain of names (``f(x).y``, ``new A()``)."""
    text = context.replace("::", ".").replace("->", ".").replace("?.", ".").replace("\\", ".")
    parts = tuple(text.strip(".").split("."))
    return parts if all(_IDENTIFIER.match(p) for p in parts) else None


@functools.lru_cache(maxsize=65536)
def _ancestors(qualified: str | None) -> frozenset[str]:
    if not qualified:
        return frozenset()
    parts = qualified.split(".")
    return frozenset(".".join(parts[:i]) for i in range(1, len(parts) + 1))
