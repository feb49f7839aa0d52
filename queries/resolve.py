"""Resolution of references to definitions at one commit, with its precision stated.

Each reference gets one label, the most certain that holds (docs/design.md,
"Resolution", gives the rules per language):

``scope``      visible where it is used without an import: the file, enclosing scopes,
               the enclosing class (implicit ``this``), ``self.x``/``this.x``, a Go
               receiver, the same package where packages share a namespace;
``import``     the file imports the name or the object it is accessed on, or names its
               package (Java, C#), and the module is the file that defines it (re-exports followed);
``inherited``  a member the class or receiver gets from a base, trait or embedded type;
``type``       a member of a value whose type the code states (an annotation, a
               declared type, ``x = T(...)``, a result type);
``name``       only the name matches: every definition of that name, ranked; a guess;
``unresolved`` nothing in the repository (a library's name, a module, no definition).

Imports: :mod:`.resolve_imports`, :mod:`.resolve_modules`; definitions: :mod:`.resolve_defs`;
types: :mod:`.resolve_types`, :mod:`.resolve_chains`, :mod:`.resolve_overloads`; bases:
:mod:`.resolve_members`; namespaces and package-qualified names: :mod:`.resolve_namespaces`;
C++: :mod:`.resolve_cpp`; JavaScript and TypeScript: :mod:`.resolve_js`, :mod:`.resolve_arity`;
a guess's receiver named as a typed member: :mod:`.resolve_receivers`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from symbiote.queries import resolve_fields, resolve_rust
from symbiote.queries.models import Symbol
from symbiote.queries.resolve_base import (
    IMPORT,
    INHERITED,
    NAME,
    SCOPE,
    SELF_WORDS,
    TYPE,
    UNRESOLVED,
    Defs,
    Entity,
    Instance,
    Resolution,
    Use,
    ancestors,
    parts_of,
    receiver_word,
)
from symbiote.queries.resolve_chains import CHAINED, Chains, is_constructor
from symbiote.queries.resolve_cpp import Cpp
from symbiote.queries.resolve_defs import (
    FUNCTIONS,
    HOLDERS,
    HOLDING_VALUES,
    TYPES,
    DefinitionIndex,
    confidences,
    holds_members,
    innermost,
    rank,
    unique,
)
from symbiote.queries.resolve_elements import Elements
from symbiote.queries.resolve_exports import Exports
from symbiote.queries.resolve_imports import ImportTable, leaf, names_module
from symbiote.queries.resolve_js import Scripts, first_word, nearest_first
from symbiote.queries.resolve_members import Hierarchy
from symbiote.queries.resolve_modules import EXTERNAL, JS_LANGS, Located
from symbiote.queries.resolve_namespaces import Namespaces
from symbiote.queries.resolve_overloads import Overloads
from symbiote.queries.resolve_php import chain_of, in_namespace, same_namespace
from symbiote.queries.resolve_receivers import Receivers
from symbiote.queries.resolve_ruby import constructed, instance_variable, is_instance_variable
from symbiote.queries.resolve_types import Typing
from symbiote.queries.snapshot import Snapshot

_IMPLICIT_THIS = frozenset({"java", "csharp", "cpp", "ruby"})  # a class's members in scope
# Languages where a bare name never means a type's member (no implicit `self`/`this`).
_NO_IMPLICIT_SELF = frozenset({"python", "go", "rust", "c"}) | JS_LANGS
_TYPED_HEADS = CHAINED | {"go"}  # a context's first word may be a typed local
_LIBRARY_CAPITALS = CHAINED | {"rust"}  # a capitalised unknown head is a library's type
_INCLUDING = frozenset({"cpp", "c", "ruby"})  # a name may come from a file it includes
_MODULES = frozenset({"cpp", "ruby"})  # modules hold members (`geo::f`, `M::X`)


# A reference's name, kind, file, (enclosing idx, name) when that matters, and context.
_Shape = tuple[str, str, str, tuple[int | None, str | None] | None, str | None]
_USE_COLUMNS = ("name", "kind", "path", "enclosing", "enclosing_idx", "context", "start_byte")


class Resolver:
    """Resolves the references of one snapshot; caches per-file import tables, module
    lookups, base classes and answers."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snap = snapshot
        self.imports = ImportTable(snapshot)
        self.defs = DefinitionIndex(snapshot)
        self._answers: dict[int, Resolution] = {}
        self.active: set[int] = set()  # rows being resolved (a cycle guard)
        self._guesses: dict[tuple[str, str], list[Symbol]] = {}  # (folder, name) -> ranked
        # Answers by what a reference's resolution depends on (see _shape).
        self._shapes: dict[_Shape, Resolution] = {}
        self._columns: tuple[Sequence[Any], ...] | None = None  # the reference columns _ref reads
        self.typing = Typing(self)
        self.hierarchy = Hierarchy(self)
        self.chains = Chains(self)  # Java, C#: contexts typed as expressions
        self.namespaces = Namespaces(self)  # C#
        self.overloads = Overloads(self)
        self.scripts = Scripts(self)  # JavaScript, TypeScript
        self.exports = Exports(self)
        self.cpp = Cpp(self)
        self.receivers = Receivers(self)  # guesses: the types of fields of a receiver's name
        self.elements = Elements(self)  # what a loop variable is: an element of a container

    def resolve(self, row: int) -> Resolution:
        """How reference ``row`` resolves, and to which definitions."""
        resolution, targets = self.resolve_shared(row)
        return resolution, list(targets)

    def resolve_shared(self, row: int) -> Resolution:
        """:meth:`resolve` without copying: the list may be shared by many rows (a name
        match answers with the same ranked candidates), so callers must not change it."""
        answer = self._answers.get(row)
        if answer is None:
            if row in self.active:  # a cycle (class A(B), class B(A))
                return UNRESOLVED, []
            use = self._use(row)
            shape = self._shape(use)
            if shape is not None:
                answer = self._shapes.get(shape)
            if answer is None:
                self.active.add(row)
                try:
                    answer = self._resolve(use)
                finally:
                    self.active.discard(row)
                if shape is not None:
                    self._shapes[shape] = answer
            answer = self.overloads.refine(use, answer)
            self._answers[row] = answer
        return answer

    def _shape(self, use: Use) -> _Shape | None:
        """What the resolution of a (non-import) reference depends on: where it is used
        matters only when the name, or the first word of its context, is defined in the
        same file or the language looks in the enclosing class or Go receiver."""
        if use.kind == "import":
            return None
        if use.language in _TYPED_HEADS and self.chains.bound_head(use):
            return None  # a value's type: it depends on where the use is
        word = leaf(use.name) if use.context is None else first_word(use)  # `Store.prototype`
        if use.language in _IMPLICIT_THIS or use.language == "go":
            local = True
        elif use.context is not None and (
            receiver_word(use.context, use.language) is not None
            or receiver_word(word, use.language) is not None
        ):
            local = True  # `self.x`, `self.dent.x`: `self` is the enclosing type
        else:
            if use.context is not None and word in self.typing.bound_names(use.path):
                return None  # a value's type: it depends on where the use is
            here = self.defs.in_file(word, use.path)
            if self.scripts.by_place(use, here):
                return None  # the nearest one before the use first: it depends on where
            local = bool(here)
        where = (use.enclosing_idx, use.enclosing) if local else None
        return (use.kind, use.name, use.path, where, use.context)

    def _resolve(self, use: Use) -> Resolution:
        if use.kind == "import" and use.language == "cpp":
            return self.cpp.imported(use)
        if use.kind == "import" and names_module(use.language, use.context):
            return UNRESOLVED, []
        made = constructed(use)  # Ruby: `Foo.new` runs `Foo#initialize`
        if made is not use:  # a class that defines none (or no class known): Object's
            label, targets = self._resolve(made)
            return (UNRESOLVED, []) if label == NAME else (label, targets)
        if use.language == "rust" and resolve_rust.builtin(use):  # `#[test]`, `"1".parse()`
            return UNRESOLVED, []
        name = leaf(use.name)
        candidates = self.defs.named(name)
        if not candidates:
            if use.language == "go" and use.context is None:  # an import's alias
                return self.imports.go_package_named(use.path, name) or (UNRESOLVED, [])
            if not self.scripts.may_alias(use, name):  # `export { _enum as enum }`
                return UNRESOLVED, []
            label, targets = self._resolve_named(use, name, candidates)
            return (label, targets) if targets else (UNRESOLVED, [])
        return self._resolve_named(use, name, candidates)

    def _resolve_named(self, use: Use, name: str, candidates: list[Symbol]) -> Resolution:
        if use.kind == "import":
            return self._import(use, candidates)
        if use.context is None:
            return self._bare(use, name, candidates)
        return self._qualified(use, name, use.context, candidates)

    # ---- the three shapes of reference

    def _import(self, use: Use, candidates: list[Symbol]) -> Resolution:
        """An imported name: what the module it comes from defines (or re-exports)."""
        binding = self.imports.of_row(use.path, use.row)
        entity = self.exports.bound(use.path, binding, 0, False) if binding else None
        if isinstance(entity, Defs):
            return IMPORT, list(entity.symbols)
        if isinstance(entity, Located):  # external, or a Python submodule
            return UNRESOLVED, []
        return self._guess(use, candidates)

    def _bare(self, use: Use, name: str, candidates: list[Symbol]) -> Resolution:
        """An unqualified name: scopes, then imports, then the package."""
        visible = self.lexical(use, name)
        if visible:
            return SCOPE, self.cpp.paired(visible) if use.language == "cpp" else visible
        if use.language == "go":
            package = self.imports.go_package_named(use.path, name)
            if package is not None:
                return package
        if use.language in _IMPLICIT_THIS and use.kind != "inherit":
            inherited = self.hierarchy.implicit(use, name)
            if inherited:
                return INHERITED, inherited
        seen = self.cpp.lookup(use, name) if use.language in _INCLUDING else None
        if seen is not None:  # its other files: out-of-line methods, namespaces, includes
            return seen
        for binding in self.imports.local(use.path, name):
            if not binding.whole:
                entity = self.exports.bound(use.path, binding, 0, False)
                if isinstance(entity, Defs):
                    return IMPORT, list(entity.symbols)
                if isinstance(entity, Located) and entity.external:
                    return UNRESOLVED, []
        for binding in self.imports.local(use.path, "*"):
            located = self.imports.locate(use.path, binding.module)
            found = [] if located.external else self.exports.exported(located.files, name, 1)
            if found:
                return IMPORT, found
        same = self._same_package(use, candidates)
        if same:
            return SCOPE, same
        demanded = self.imports.on_demand(use.path, name)  # Java `import a.b.*;` after
        if demanded:
            return IMPORT, demanded
        if use.language in _NO_IMPLICIT_SELF and all(self.defs.is_member(c) for c in candidates):
            return UNRESOLVED, []  # a member is never a bare name here (Rust's `None`, `len()`)
        return self._guess(use, candidates)

    def _qualified(self, use: Use, name: str, context: str, candidates: list[Symbol]) -> Resolution:
        """``object.name``: a member of the enclosing class, of a class, of a value whose
        type the code tells, or of a module."""
        word = receiver_word(context, use.language)
        if word == "super" and use.language != "rust":  # a Rust path: the parent module
            members = self.hierarchy.self_members(use, name, True)
            return (SCOPE, members) if members else self._guess(use, candidates)
        declared = in_namespace(self, use, context) if use.language == "php" else []
        if declared:  # `\App\Support\ledger()`
            return SCOPE, declared
        parts = parts_of(context)
        spelled = self.namespaces.spelled(use, parts, name, candidates) if parts else None
        if spelled is not None:  # `com.acme.shop.Cart`
            return spelled
        if use.language == "ruby" and is_instance_variable(context):  # `@ledger.record`
            label, entity = instance_variable(self, use, context)
            return self.member(use, name, label, entity, candidates)
        if use.language in CHAINED:
            label, entity = self.chains.entity(context, use)
            return self.member(use, name, label, entity, candidates)
        text = chain_of(context, use.language) if parts is None else None
        if text is not None:  # `$a->b()->c()`, `f().g()`, Python's `Cls(x).m()`
            label, entity = self.chains.entity(text, use)
            return self.member(use, name, label, entity, candidates)
        if parts is None:
            if use.language not in JS_LANGS:
                return self._guess(use, candidates)
            label, entity = self.scripts.entity(context, use)  # `f().g`, `(x as T)`, `new C()`
            return self.member(use, name, label, entity, candidates)
        if use.language == "go" and len(parts) == 1:
            receiver = self.hierarchy.go_receiver(use, parts[0])
            if receiver:  # promoted from an embedded struct: inherited
                own, inherited = self.hierarchy.own_or_inherited(receiver, name)
                if own or inherited:
                    return (SCOPE, own) if own else (INHERITED, inherited)
                return self._guess(use, candidates)
        if word == "self" and self.defs.enclosing_type(use.path, use.enclosing_idx) is None:
            members = self.hierarchy.self_members(use, name, False)  # a Rust impl, a JS object
            _, inherited = self.hierarchy.own_or_inherited(self.hierarchy.impl_type(use), name)
            if members or inherited:  # a trait's provided method
                return (SCOPE, members) if members else (INHERITED, inherited)
            return self._guess(use, candidates)
        label, entity = self.entity_of(parts, use)
        return self.member(use, name, label, entity, candidates)

    def member(
        self, use: Use, name: str, label: str, entity: Entity, candidates: list[Symbol]
    ) -> Resolution:
        """Member ``name`` of what the context denotes (found as ``label`` says)."""
        if isinstance(entity, Located):
            if entity.external:
                return UNRESOLVED, []
            found = self.exports.exported(entity.files, name, 0)
            return (label, found) if found else self._guess(use, candidates)
        if isinstance(entity, Defs | Instance):
            if isinstance(entity, Instance):  # a factory's product too (holds_members)
                held = [s for s in entity.types if holds_members(s)]
            else:
                held = [s for s in entity.symbols if s.kind in HOLDERS]
            own, inherited = self.hierarchy.own_or_inherited(held, name)
            if own:
                return label, self.hierarchy.chosen(own, use)
            if inherited:
                inherited = self.hierarchy.chosen(inherited, use)
                return (INHERITED if label in (SCOPE, IMPORT) else label), inherited
        return self._guess(use, candidates)

    def entity_of(self, parts: tuple[str, ...], use: Use) -> tuple[str, Entity]:
        """What a dotted expression written where ``use`` is denotes, and how that was
        found (``type`` once a value's type was taken from evidence)."""
        path = resolve_rust.module_path(self, use, parts) if use.language == "rust" else None
        label, entity = (IMPORT, path[0]) if path else self._head(use, parts[0])
        if use.language == "c" and isinstance(entity, Instance) and label in (SCOPE, IMPORT):
            label = TYPE  # a variable's declared type is evidence (as C++'s chains say)
        for part in parts[path[1] if path else 1 :]:
            entity, typed = self._attribute(entity, part)
            if typed and label in (SCOPE, IMPORT):
                label = TYPE
        return label, entity

    def resolve_expression(self, use: Use) -> Resolution:
        """How a name written where ``use`` says resolves (no stored reference)."""
        return self._resolve(use)

    def members(self, types: list[Symbol], name: str) -> list[Symbol]:
        """Members ``name`` of the types (of values: a factory's product too), or else of
        their bases."""
        return self.hierarchy.members([t for t in types if holds_members(t)], name, 0)

    def bases_of(self, owner: Symbol) -> list[Symbol]:
        """The classes ``owner`` extends or implements, where they resolve precisely."""
        return self.hierarchy.bases_of(owner)

    # ---- scopes

    def lexical(self, use: Use, name: str) -> list[Symbol]:
        """Definitions ``name`` of the same file in a scope enclosing the reference."""
        owners = ancestors(use.enclosing)
        implicit = use.language in _IMPLICIT_THIS
        visible = []
        for c in self.defs.in_file(name, use.path):
            if c.parent is not None:
                if c.parent not in owners:
                    continue
                if use.language in CHAINED and is_constructor(c):
                    continue  # `Foo` names the class (`new Foo()` too), not its constructor
                if not implicit and self.defs.is_member(c):
                    # A class body is no scope for its methods (only Python's class body
                    # itself sees the names defined in it).
                    if not (use.language == "python" and self._class_body(use, c.parent)):
                        continue
            visible.append(c)
        if use.language in JS_LANGS:  # not a callback's own definitions from outside it
            visible = self.scripts.in_reach(visible, use)
        return nearest_first(innermost(visible), use)

    def _class_body(self, use: Use, owner: str) -> bool:
        """Whether a Python reference is in the body of class ``owner`` itself: directly,
        or in the value of one of its attributes (`tag = to_json`, `code = 900`)."""
        where = use.enclosing
        if where is not None and where != owner and where.rpartition(".")[0] == owner:
            kind = self.defs.kind(use.path, where)
            where = owner if kind is not None and kind not in FUNCTIONS | TYPES else where
        return where == owner

    def _same_package(self, use: Use, candidates: list[Symbol]) -> list[Symbol]:
        if use.language == "csharp":
            return self.namespaces.visible(use, candidates)
        if use.language == "php":
            return same_namespace(self, use, candidates)
        return self.defs.same_package(use.path, use.language, candidates)

    def _head(self, use: Use, head: str) -> tuple[str, Entity]:
        """What the first word of a context denotes, and how that was found."""
        if head in SELF_WORDS:
            owner = self.defs.enclosing_type(use.path, use.enclosing_idx)
            owners = [owner] if owner else self.hierarchy.impl_type(use)  # a Rust impl
            return (SCOPE, Instance(tuple(owners))) if owners else (NAME, None)
        if use.language in JS_LANGS:
            module = self.scripts.bound_module(use, head)  # `const m = require("./m")`
            if module is not None:
                return IMPORT, module
        typed = self.typing.binds(use, head)
        if typed is not None:  # a parameter or local the code gives a type
            return (TYPE, Instance(typed)) if typed else resolve_fields.untyped(self, use, head)
        named = self.defs.named(head)
        visible = self.lexical(use, head) if named else []
        if visible:
            return SCOPE, self._denoted(visible)
        if named and use.language in _IMPLICIT_THIS:  # a field of a base class
            inherited = self.hierarchy.implicit(use, head)
            if inherited:
                return SCOPE, self._denoted(inherited)
        seen = self.cpp.lookup(use, head) if named and use.language in _INCLUDING else None
        if seen is not None:
            return seen[0], self._denoted(seen[1])
        for binding in self.imports.local(use.path, head):
            entity = self.exports.bound(use.path, binding, 0, True)
            return IMPORT, self._denoted(entity.symbols) if isinstance(entity, Defs) else entity
        same = self._same_package(use, named)
        if same:
            return SCOPE, self._denoted(same)
        demanded = self.imports.on_demand(use.path, head)  # Java `import static a.X.*;`
        if demanded:
            return IMPORT, self._denoted(demanded)
        if use.language in _LIBRARY_CAPITALS and head[:1].isupper() and not named:
            return UNRESOLVED, EXTERNAL  # java.lang, Rust's prelude or another library
        return NAME, None

    def _denoted(self, symbols: Sequence[Symbol]) -> Entity:
        """Classes (and C++ namespaces) stand for themselves; a variable or field for a
        value of its type; a function for its result, or what its decorators made of it."""
        types = [
            s for s in symbols if s.kind in TYPES or (s.kind == "module" and s.language in _MODULES)
        ]
        if types:
            return Defs(tuple(types))
        found: list[Symbol] = []
        for s in symbols:
            found += self.hierarchy.decorated(s) or self.typing.of_definition(s)
            if s.kind in HOLDING_VALUES and holds_members(s) and self.defs.has_members(s):
                found.append(s)  # JS: the object it holds (`const api = { get() {} }`)
        return Instance(tuple(unique(found))) if found else None

    def _attribute(self, entity: Entity, part: str) -> tuple[Entity, bool]:
        """What ``entity.part`` denotes, and whether a value's type was taken from
        evidence to tell."""
        if isinstance(entity, Located):
            if entity.external:
                return entity, False
            found = self.exports.exported(entity.files, part, 0)
            if found:
                return self._denoted(found) or Defs(tuple(found)), False
            if entity.package is not None:
                sub = self.imports.modules.python_submodule(entity.package, part)
                return (sub if sub.found else None), False
            if entity.files and self.imports.language(entity.files[0]) in JS_LANGS:
                return self.scripts.namespace(entity.files, part, 0), False  # `export * as`
            return None, False
        if isinstance(entity, Defs | Instance):
            types = list(entity.types if isinstance(entity, Instance) else entity.symbols)
            nested = [s for s in self.members(types, part) if s.kind in HOLDERS]
            if nested:
                return Defs(tuple(nested)), False
            typed = self.typing.attribute(tuple(types), part)
            if not typed and resolve_fields.external_field(self, types, part):
                return EXTERNAL, True  # `l.mu` of an `mu sync.Mutex`
            return (Instance(typed), True) if typed else (None, False)
        return None, False

    # ---- small lookups

    def _use(self, row: int) -> Use:
        if self._columns is None:
            c = self.snap.reference_columns()
            self._columns = tuple(c[name] for name in _USE_COLUMNS)
        names, kinds, paths, enclosing, enclosing_idx, contexts, starts = self._columns
        path = paths[row]
        return Use(
            row,
            names[row],
            kinds[row],
            path,
            self.imports.language(path),
            enclosing[row],
            enclosing_idx[row],
            contexts[row],
            starts[row],
        )

    def _guess(self, use: Use, candidates: list[Symbol]) -> Resolution:
        """A name match: every candidate, those with the most evidence first (the same
        file, a module the file imports, the same package; source before tests)."""
        if use.language in JS_LANGS:
            return NAME, self.receivers.prefer(use, self.scripts.ranked(use, candidates))
        key = (use.path, leaf(use.name))
        shared = candidates is self.defs.named(key[1])
        ranked = self._guesses.get(key) if shared else None
        if ranked is None:
            ranked = sorted(candidates, key=rank(use.path, self.imports.imported_files(use.path)))
            ranked = self.hierarchy.implementations_first(ranked)
            if shared:
                self._guesses[key] = ranked
        return NAME, self.receivers.prefer(use, ranked)

    def confidence(self, path: str, resolution: str, targets: list[Symbol]) -> list[float]:
        """How sure each answer is: a precise resolution shares certainty among its
        targets (a union type's members); a guess gives each its share of the evidence."""
        if not targets:
            return []
        if resolution == NAME:
            return confidences(path, self.imports.imported_files(path), targets)
        return [round(1.0 / len(targets), 4)] * len(targets)
