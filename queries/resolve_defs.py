"""The definitions of one snapshot as the resolver looks them up: by name, by name within
a file or a parent, module-level ones, the kind of a qualified name, the class around a
position; plus the small rules on definitions that resolution shares (nearness,
innermost scope, ranking of name guesses). Each lookup is built on first use and kept.
"""

from __future__ import annotations

import functools
import posixpath
from collections import defaultdict
from collections.abc import Callable, Sequence

from symbiote.queries.models import Symbol
from symbiote.queries.resolve_modules import JS_LANGS
from symbiote.queries.snapshot import Snapshot

# Kinds that have members.
TYPES = frozenset(
    {"class", "struct", "interface", "trait", "enum", "union", "record", "object", "type"}
)
# Kinds whose members a qualified name reaches: types, and C++ namespaces (`geo::f`).
HOLDERS = TYPES | {"module"}
# Kinds that are called: what they return is the value of a call.
FUNCTIONS = frozenset({"function", "method", "constructor"})


# JavaScript/TypeScript kinds that stand for the object they hold (`const api = {...}`).
HOLDING_VALUES = frozenset({"variable", "constant"})


def holds_members(symbol: Symbol) -> bool:
    """Whether a value of ``symbol`` has members: a type's or a module's instance, and in
    JavaScript and TypeScript a factory's product (what a function returning an object
    literal gives: the literal's methods are the function's members) and the object a
    variable holds (`const api = { get() {} }`: `api.get`)."""
    if symbol.kind in HOLDERS:
        return True
    if symbol.language not in JS_LANGS:
        return False
    return symbol.kind in FUNCTIONS or symbol.kind in HOLDING_VALUES


class DefinitionIndex:
    """Lookups over a snapshot's definitions. Returned lists are shared: callers build
    new lists and never change them."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snap = snapshot
        self._names: dict[str, list[Symbol]] = {}
        self._name_paths: dict[str, dict[str, list[Symbol]]] = {}  # name -> path -> defs
        self._name_parents: dict[str, dict[str, list[Symbol]]] = {}  # name -> parent -> defs
        self._top: dict[str, dict[str, list[Symbol]]] = {}  # name -> path -> module-level
        self._kinds: dict[str, dict[str, str]] = {}  # path -> qualified name -> kind
        self._by_idx: dict[str, dict[int, int]] = {}  # path -> definition idx -> position
        self._parents: dict[str, frozenset[str]] = {}  # path -> qualified names with members

    def named(self, name: str) -> list[Symbol]:
        """Definitions called ``name``."""
        found = self._names.get(name)
        if found is None:
            found = self._names[name] = [
                self.snap.symbols[i] for i in self.snap.by_name.get(name, ())
            ]
        return found

    def in_file(self, name: str, path: str) -> list[Symbol]:
        """Definitions ``name`` in the file at ``path``."""
        by_path = self._name_paths.get(name)
        if by_path is None:
            by_path = self._name_paths[name] = defaultdict(list)
            for s in self.named(name):
                by_path[s.path].append(s)
        return by_path.get(path, [])

    def same_package(
        self, path: str, language: str | None, candidates: list[Symbol]
    ) -> list[Symbol]:
        """The candidates a Go or Java file sees without an import: top-level definitions
        of its package (Go: its folder; Java: its ``package`` clause)."""
        if language == "go":
            folder = posixpath.dirname(path)
            return [
                c
                for c in candidates
                if c.language == "go"
                and posixpath.dirname(c.path) == folder
                and c.kind != "method"
                and c.parent is not None
                and "." not in c.parent
            ]
        if language == "java":
            package = self.package_of(path)
            return [
                c
                for c in candidates
                if c.language == "java"
                and package is not None
                and c.qualified_name == f"{package}.{c.name}"
            ]
        return []

    def declares_module(self, path: str, name: str) -> bool:
        """Whether the file at ``path`` declares a module ``name`` (Rust's ``mod name;``)."""
        return any(s.kind == "module" and s.parent is None for s in self.in_file(name, path))

    def in_parent(self, name: str, parent: str) -> list[Symbol]:
        """Definitions ``name`` whose parent has the qualified name ``parent``."""
        by_parent = self._name_parents.get(name)
        if by_parent is None:
            by_parent = self._name_parents[name] = defaultdict(list)
            for s in self.named(name):
                if s.parent is not None:
                    by_parent[s.parent].append(s)
        return by_parent.get(parent, [])

    def top_level(self, name: str, files: tuple[str, ...]) -> list[Symbol]:
        """Module-level definitions ``name`` of the given files."""
        top = self._top.get(name)
        if top is None:
            top = self._top[name] = defaultdict(list)
            for s in self.named(name):
                if self.module_level(s):
                    top[s.path].append(s)
        return [s for file in files for s in top.get(file, ())]

    def kind(self, path: str, qualified: str) -> str | None:
        """The kind of the definition ``qualified`` of the file at ``path``."""
        kinds = self._kinds.get(path)
        if kinds is None:
            kinds = {}
            qualified_names = self.snap.symbols.column("qualified_name")
            all_kinds = self.snap.symbols.column("kind")
            for i in self.snap.by_path.get(path, ()):
                kinds.setdefault(qualified_names[i], all_kinds[i])
            self._kinds[path] = kinds
        return kinds.get(qualified)

    def has_members(self, symbol: Symbol) -> bool:
        """Whether definitions of ``symbol``'s file have it as their parent."""
        parents = self._parents.get(symbol.path)
        if parents is None:
            column = self.snap.symbols.column("parent")
            found = {column[i] for i in self.snap.by_path.get(symbol.path, ())}
            parents = self._parents[symbol.path] = frozenset(p for p in found if p is not None)
        return symbol.qualified_name in parents

    def is_member(self, symbol: Symbol) -> bool:
        """A method or field of a class (struct, ...), as opposed to a nested function."""
        if symbol.kind in ("method", "field"):
            return True
        return symbol.parent is not None and self.kind(symbol.path, symbol.parent) in TYPES

    def module_level(self, symbol: Symbol) -> bool:
        """Defined at the top of its file (or of its file's package clause)."""
        return symbol.parent is None or self.kind(symbol.path, symbol.parent) == "module"

    def package_of(self, path: str) -> str | None:
        """The qualified name of the package clause of the file at ``path``."""
        for i in self.snap.by_path.get(path, ()):
            s = self.snap.symbols[i]
            if s.kind == "module" and s.parent is None:
                return s.qualified_name
        return None

    def enclosing_type(self, path: str, idx: int | None) -> Symbol | None:
        """The innermost class (struct, interface, ...) around definition ``idx`` of the
        file at ``path``, that definition included."""
        by_idx = self._by_idx.get(path)
        if by_idx is None:
            idxs = self.snap.symbols.column("idx")
            by_idx = self._by_idx[path] = {idxs[i]: i for i in self.snap.by_path.get(path, ())}
        i = by_idx.get(idx) if idx is not None else None
        kinds, parents = self.snap.symbols.column("kind"), self.snap.symbols.column("parent_idx")
        while i is not None:
            if kinds[i] in TYPES:
                return self.snap.symbols[i]
            parent = parents[i]
            i = by_idx.get(parent) if parent is not None else None
        return None


def near(member: Symbol, owner: Symbol) -> bool:
    """Whether ``member`` can belong to ``owner``: same file, or same folder (Go methods:
    the package; Rust methods of an ``impl`` in a sibling module)."""
    if member.path == owner.path:
        return True
    return (
        member.language == owner.language
        and member.language in ("go", "rust")
        and posixpath.dirname(member.path) == posixpath.dirname(owner.path)
    )


def innermost(symbols: list[Symbol]) -> list[Symbol]:
    """The definitions of the deepest scope among ``symbols``."""
    if not symbols:
        return []
    depth = max(len(s.parent or "") for s in symbols)
    return [s for s in symbols if len(s.parent or "") == depth]


def unique(symbols: list[Symbol]) -> list[Symbol]:
    """``symbols`` without repeats, in order."""
    seen, out = set(), []
    for s in symbols:
        key = (s.path, s.start_byte)
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out


def weight(path: str, imported: frozenset[str], candidate: Symbol) -> float:
    """How much a name guess for a use in ``path`` is worth: a definition of the same
    file most, then one of a module the file imports, then one of the same folder
    (package), then any other; a test's definition half as much."""
    where, test = _path_facts(candidate.path)
    if candidate.path == path:
        base = 8.0
    elif candidate.path in imported:
        base = 4.0
    elif where == _path_facts(path)[0]:
        base = 2.0
    else:
        base = 1.0
    return base / 2 if test and not _path_facts(path)[1] else base


def rank(
    path: str, imported: frozenset[str] = frozenset()
) -> Callable[[Symbol], tuple[float, str, int]]:
    """Sort key of name guesses for a use in ``path``: the most evidence first (see
    :func:`weight`), then by path and position."""

    def key(s: Symbol) -> tuple[float, str, int]:
        return (-weight(path, imported, s), s.path, s.start_byte)

    return key


def confidences(path: str, imported: frozenset[str], ranked: Sequence[Symbol]) -> list[float]:
    """Each ranked guess's share of the evidence (they sum to 1)."""
    weights = [weight(path, imported, s) for s in ranked]
    total = sum(weights) or 1.0
    return [round(w / total, 4) for w in weights]


@functools.lru_cache(maxsize=65536)
def _path_facts(path: str) -> tuple[str, int]:
    return posixpath.dirname(path), int(is_test_path(path))


# Folders of code that uses a project rather than being it: listed after its source.
_SHOWCASE = frozenset(
    ("example", "examples", "demo", "demos", "sample", "samples", "doc", "docs")
    + ("bench", "benches", "benchmark", "benchmarks")
)


def path_rank(path: str) -> int:
    """Where a file's uses and definitions come in a listing: 0 source code, 1 examples,
    documentation and benchmarks, 2 tests (:func:`is_test_path`)."""
    if is_test_path(path):
        return 2
    return int(any(p in _SHOWCASE for p in path.lower().split("/")[:-1]))


def is_test_path(path: str) -> bool:
    """Whether a path looks like test code (ranked after source code)."""
    parts = path.lower().split("/")
    base = parts[-1]
    return (
        any(p in ("test", "tests", "testing", "spec", "__tests__", "e2e") for p in parts[:-1])
        or base.startswith("test_")
        or base.endswith(
            (
                "_test.py",
                "_test.go",
                ".test.ts",
                ".test.js",
                ".spec.ts",
                ".spec.js",
                "test.java",
                "tests.cs",
                "_spec.rb",
            )
        )
    )
