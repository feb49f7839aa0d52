"""What the imports of each file bind: the import table the resolver reads.

An import reference (see ``indexer/parse.py``: its name, and as @context the module it
comes from) becomes a :class:`Binding`: the name it makes usable in the file, the name
it imports and the module, per language:

* Python ``from m import x`` binds ``x`` from ``m``; ``import a.b`` binds ``a``, the
  module itself; the module name of a ``from`` statement binds nothing.
* JS/TS ``import {x}``, ``import x`` and ``export {x} from`` bind ``x`` from the
  module; ``import * as x`` and ``export * as x from`` bind ``x`` to the module itself;
  ``export * from`` binds ``*`` (every name of the module); the specifier string itself
  binds nothing.
* Go ``import "example.com/shop/store"`` binds the package name (from the package
  clause of the imported folder's files, else the path's last element) to the package;
  ``s "example.com/shop/store"`` binds ``s``; a dot import binds every exported name
  (``*``); a blank import nothing. A ``go.mod`` requirement binds nothing.
* Rust ``use a::b::C`` binds ``C`` from ``a::b``, or the module ``a::b::C`` when that is
  a module file; ``use a::b::*`` binds every item of ``a::b`` (``*``).
* Java ``import a.b.X`` binds ``X`` and ``import static a.b.X.m`` binds ``m``;
  ``import a.b.*`` and ``import static a.b.X.*`` bind ``*`` from ``a.b`` and ``a.b.X``.
* Other languages: the imported name's last part, from the module (a guess).

Aliases: Python's (``import a.b as c``, ``from m import a as b``), Rust's and PHP's
(``use m::A as B``) are told by the file's ``import`` bindings
(:meth:`ImportTable._renamed`); Go's are the import's
@context; JS/TS aliases, default and namespace imports are told by the file's bindings
(:meth:`ImportTable._js_aliases`).
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass

from symbiote.queries.models import Symbol
from symbiote.queries.resolve_base import IMPORT, UNRESOLVED, Resolution, ancestors
from symbiote.queries.resolve_modules import JS_LANGS, Located, ModuleIndex
from symbiote.queries.snapshot import Snapshot

# Languages whose ``import`` bindings rename an import (`_renamed`; JS/TS have their own).
RENAMING = frozenset({"python", "rust", "php", "csharp"})
# Binding kinds that rename what a file imports or exports (indexer/bindings.py).
_IMPORT_KINDS = frozenset({"import", "export", "default", "namespace"})

# Languages whose import references without @context name a module (a path or
# specifier), not a definition.
MODULE_SPECIFIERS = frozenset(
    {"python", "javascript", "typescript", "tsx", "c", "cpp", "ruby", "gomod", "npm"}
)


@dataclass(frozen=True, slots=True)
class Binding:
    """A name that an import statement binds in a file."""

    local: str  # the name as used in the file
    name: str  # the name imported (the import reference's own name)
    module: str  # the module it comes from, as written (unquoted)
    whole: bool  # binds the module itself (Python `import a.b` binds `a`; Go imports)
    row: int  # the import reference


def _imports_before(
    bindings: list[Binding], name: str, start: int, starts: Sequence[int]
) -> list[int]:
    """The indexes in ``bindings`` of the imports of ``name`` that start at or before
    ``start`` (a binding that renames one comes right after it), the last first."""
    found = [
        i
        for i, b in enumerate(bindings)
        if b.name == name and b.row >= 0 and starts[b.row] <= start
    ]
    return sorted(found, key=lambda i: starts[bindings[i].row], reverse=True)


class ImportTable:
    """The bindings of each file of a snapshot, and where their modules are."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snap = snapshot
        self.modules = ModuleIndex(
            snapshot.files,
            go_modules(snapshot),
            manifest_modules(snapshot, "package.json"),
            lambda: rust_modules(snapshot),
        )
        self._bindings: dict[str, list[Binding]] = {}
        self._by_local: dict[str, dict[str, list[Binding]]] = {}
        self._by_row: dict[str, dict[int, Binding]] = {}
        self._located: dict[tuple[str, str], Located] = {}
        self._imported: dict[str, frozenset[str]] = {}
        self._aliases: dict[str, list[int]] | None = None  # path -> import/export binding rows
        self._renames: dict[str, set[str]] | None = None  # name -> names imports give it
        self._java_packages: frozenset[str] | None = None

    def bindings(self, path: str) -> list[Binding]:
        """The names the imports of ``path`` bind, in source order."""
        found = self._bindings.get(path)
        if found is None:
            found = self._bindings[path] = self._read(path)
        return found

    def local(self, path: str, name: str) -> list[Binding]:
        """The bindings of ``path`` that bind ``name`` (as used in the file), in order."""
        by_local = self._by_local.get(path)
        if by_local is None:
            by_local = self._by_local[path] = {}
            for binding in self.bindings(path):
                by_local.setdefault(binding.local, []).append(binding)
        return by_local.get(name, [])

    def imported_files(self, path: str) -> frozenset[str]:
        """The files of the repository the imports of ``path`` name (their modules)."""
        found = self._imported.get(path)
        if found is None:
            files: set[str] = set()
            for binding in self.bindings(path):
                located = self.locate(path, binding.module)
                if located.found and not located.external:
                    files.update(located.files)
            found = self._imported[path] = frozenset(files)
        return found

    def on_demand(self, path: str, name: str) -> list[Symbol]:
        """Java: the definitions ``name`` that the file's on-demand imports bring in,
        ``import a.b.*;`` a type of package a.b, ``import static a.b.X.*;`` a static
        member of class X (each a definition qualified as what precedes the ``*``)."""
        return [
            s
            for binding in self.local(path, "*")
            for i in self.snap.by_qualified.get(f"{binding.module}.{name}", ())
            if (s := self.snap.symbols[i]).language == "java"
        ]

    def of_row(self, path: str, row: int) -> Binding | None:
        """The binding made by import reference ``row`` of ``path``, if it makes one."""
        by_row = self._by_row.get(path)
        if by_row is None:
            by_row = self._by_row[path] = {b.row: b for b in self.bindings(path)}
        return by_row.get(row)

    def _read(self, path: str) -> list[Binding]:
        columns = self.snap.reference_columns()
        kinds, names, contexts = columns["kind"], columns["name"], columns["context"]
        rows = [r for r in self.snap.reference_rows(path=path) if kinds[r] == "import"]
        language = self.language(path)
        found = []
        for i, row in enumerate(rows):
            name = unquote(names[row]) or ""
            module = unquote(contexts[row])
            if language == "python":
                if module is not None:
                    found.append(Binding(name, name, module, False, row))
                    continue
                following = rows[i + 1] if i + 1 < len(rows) else None
                if following is not None and unquote(contexts[following]) == name:
                    continue  # the module of `from name import ...`
                head = name.split(".")[0]  # `import a.b` binds a
                found.append(Binding(head, name, head, True, row))
            elif language in JS_LANGS:
                if module is not None:  # without: a module specifier
                    found.append(_js_binding(name, module, row))
            elif language == "java":
                if module is not None:  # without: a module specifier
                    found.append(Binding(name, name, module, False, row))
            elif language == "go":
                found += self._go(path, name, module, row)
            elif language == "rust":
                found.append(self._rust(path, name, module, row))
            elif module is not None:
                found.append(Binding(leaf(name), leaf(name), module, False, row))
            elif language not in MODULE_SPECIFIERS:
                found.append(Binding(leaf(name), leaf(name), name, False, row))
        if language in JS_LANGS:
            found = self._js_aliases(path, found)
        elif language in RENAMING:
            found = self._renamed(path, found, language)
        return found

    def _go(self, path: str, name: str, alias: str | None, row: int) -> list[Binding]:
        """A Go import binds its alias (the @context), else the package's name; a dot
        import brings every exported name of the package into the file (``*``)."""
        if alias == "_":
            return []
        if alias == ".":
            return [Binding("*", "*", name, False, row)]
        local = alias or self.go_package(self.locate(path, name))
        local = local or ModuleIndex.go_package_name(name)
        return [Binding(local, name, name, True, row)]

    def _rust(self, path: str, name: str, module: str | None, row: int) -> Binding:
        """A Rust ``use`` binds an item of a module, a module itself (``use a::b;``,
        ``use a::{self}``, a crate: ``use serde;``) or, with ``*``, every item of one.
        ``super`` inside an inline ``mod m { }`` is first the file's own module."""
        if module is None:
            return Binding(name, name, name, True, row)
        if module.split("::")[0] == "super":
            module = self._rust_inline(path, module, row)
        if name == "*":
            return Binding("*", "*", module, False, row)
        full = f"{module}::{name}"
        if self.locate(path, full).files not in ((), self.locate(path, module).files):
            return Binding(name, name, full, True, row)
        return Binding(name, name, module, False, row)

    def _rust_inline(self, path: str, module: str, row: int) -> str:
        enclosing = self.snap.reference_columns()["enclosing"][row]
        inline = {
            self.snap.symbols[i].qualified_name
            for i in self.snap.by_path.get(path, ())
            if self.snap.symbols[i].kind == "module"
        }
        depth = len(ancestors(enclosing) & inline)
        parts = module.split("::")
        while depth and parts[:1] == ["super"]:
            parts, depth = parts[1:], depth - 1
        return "::".join(["self", *parts]) if parts[:1] != ["super"] else "::".join(parts)

    def names_of(self, name: str) -> list[str]:
        """``name`` and the other names imports and exports of the snapshot give it
        (``from m import a as b``, ``import { a as b }``, and a renamed name renamed
        again): a use of ``name`` may be written under any of them."""
        if self._renames is None:
            self._renames = {}
            c = self.snap.binding_columns()
            names, values = c["name"], c["value"]
            for rows in self._alias_index().values():
                for row in rows:
                    alias, value = names[row], values[row]
                    if value and alias != value:
                        self._renames.setdefault(value, set()).add(alias)
        found, todo = [name], [name]
        while todo:
            for alias in sorted(self._renames.get(todo.pop(), ())):
                if alias not in found:
                    found.append(alias)
                    todo.append(alias)
        return found

    def _alias_rows(self, path: str) -> list[int]:
        """The rows of a file's bindings that rename what it imports or exports."""
        return self._alias_index().get(path, [])

    def _alias_index(self) -> dict[str, list[int]]:
        """:meth:`_alias_rows` of every file (found once: a pass over every binding)."""
        if self._aliases is None:
            self._aliases = {}
            c = self.snap.binding_columns()
            for row, (p, kind) in enumerate(zip(c["path"], c["kind"], strict=True)):
                if kind in _IMPORT_KINDS:
                    self._aliases.setdefault(p, []).append(row)
        return self._aliases

    def _renamed(self, path: str, found: list[Binding], language: str) -> list[Binding]:
        """The bindings of a Python, Rust, PHP or C# file as its ``import`` bindings rename
        them (each comes right after the import of the name it renames): Python's ``from
        m import a as b`` binds b to a of m and ``import a.b as c`` c to the module a.b;
        Rust's ``use m::A as B``, PHP's ``use M\\A as B`` and C#'s ``using B = M.A;`` bind
        B to A."""
        rows = self._alias_rows(path)
        if not rows:
            return found
        c = self.snap.binding_columns()
        starts = self.snap.reference_columns()["start_byte"]
        out = list(found)
        for row in rows:
            alias, original, start = c["name"][row], c["value"][row], c["start_byte"][row]
            before = _imports_before(out, original, start, starts)
            if before:
                i = before[0]
                b = out[i]
                module = b.name if b.whole and language == "python" else b.module
                out[i] = Binding(alias, b.name, module, b.whole, b.row)
        return out

    def _js_aliases(self, path: str, found: list[Binding]) -> list[Binding]:
        """The bindings of a JS/TS file as its ``import``, ``export``, ``default`` and
        ``namespace`` bindings tell: ``import { a as b }`` and ``export { a as b } from``
        bind b to a; ``export { a as b }`` exports the file's own a as b; ``import m``
        binds m to the module's ``default``; ``import * as m`` and ``export * as m``
        bind m to the module itself; ``const { a } = require("m")`` binds a of m."""
        rows = self._alias_rows(path)
        if not rows:
            return found
        c = self.snap.binding_columns()
        starts = self.snap.reference_columns()["start_byte"]
        out = list(found)
        for row in rows:
            kind, alias, start = c["kind"][row], c["name"][row], c["start_byte"][row]
            original = c["value"][row] or alias
            module = unquote(c["context"][row])
            before = [
                i for i in _imports_before(out, original, start, starts) if out[i].module == module
            ]
            if before:
                i = before[0]
                out[i] = Binding(
                    alias,
                    "default" if kind == "default" else original,
                    module or "",
                    kind == "namespace",
                    out[i].row,
                )
            elif module is None:  # the file's own name, exported under another
                own = "./" + path.rsplit("/", 1)[-1]
                out.append(Binding(alias, original, own, False, -1))
            else:  # `const { a } = require("./m")`
                out.append(Binding(alias, original, module, False, -1))
        return out

    def locate(self, importer: str, module: str) -> Located:
        """Where ``module``, imported from the file at ``importer``, is."""
        language = self.language(importer)
        # Where the importer is matters for relative modules, for every Rust path (the
        # crate root, `self`, `super`, child modules) and for a JavaScript package (the
        # one holding the importer first; `.js` or `.ts` sources first by its extension).
        # Keyed by language alone, the first importer's answer was everyone's: answers
        # then depended on which reference was resolved first.
        keyed_by_file = module.startswith(".") or language == "rust" or language in JS_LANGS
        key = (importer if keyed_by_file else f"\0{language}", module)
        found = self._located.get(key)
        if found is None:
            found = self._located[key] = self.modules.locate(language, importer, module)
        return found

    def go_package(self, located: Located) -> str | None:
        """The name in the package clause of a located Go package (of a file that is not
        a test: ``package x_test`` is another package in the same folder)."""
        clauses = self.go_clauses(located)
        return clauses[0].name if clauses else None

    def go_package_named(self, path: str, name: str) -> Resolution | None:
        """What a Go file's name for an imported package (``store`` in ``store.Open()``)
        resolves to: the package clauses of its files; nothing for an outside package."""
        for binding in self.local(path, name):
            if binding.whole:
                located = self.locate(path, binding.module)
                if located.external:
                    return UNRESOLVED, []
                clauses = self.go_clauses(located)
                return (IMPORT, clauses) if clauses else None
        return None

    def go_clauses(self, located: Located) -> list[Symbol]:
        """The package clauses of a located Go package's files (tests' last)."""
        found = []
        for path in sorted(located.files, key=lambda p: (p.endswith("_test.go"), p)):
            for i in self.snap.by_path.get(path, ()):
                s = self.snap.symbols[i]
                if s.kind == "module" and s.parent is None:
                    found.append(s)
        nontest = [s for s in found if not s.name.endswith("_test")]
        return nontest + [s for s in found if s.name.endswith("_test")]

    def java_package_known(self, dotted: str) -> bool:
        """Whether ``dotted`` is a Java package of the repository or inside one."""
        if self._java_packages is None:
            column = self.snap.symbols.column
            self._java_packages = frozenset(
                qualified
                for qualified, language, kind in zip(
                    column("qualified_name"), column("language"), column("kind"), strict=True
                )
                if language == "java" and kind == "module"
            )
        return any(dotted == p or dotted.startswith(p + ".") for p in self._java_packages)

    def language(self, path: str) -> str | None:
        entry = self.snap.files.get(path)
        return entry[1] if entry else None


def go_modules(snapshot: Snapshot) -> dict[str, str]:
    """The module paths the ``go.mod`` files of a snapshot declare, with their folders."""
    return {name: folders[0] for name, folders in manifest_modules(snapshot, "go.mod").items()}


def manifest_modules(snapshot: Snapshot, manifest: str) -> dict[str, list[str]]:
    """The modules the files named ``manifest`` (``go.mod``, ``package.json``) of a
    snapshot declare, with the folders that declare each, in path order."""
    found: dict[str, list[str]] = {}
    for path in sorted(snapshot.files):
        if path == manifest or path.endswith("/" + manifest):
            for i in snapshot.by_path.get(path, ()):
                s = snapshot.symbols[i]
                if s.kind == "module":
                    found.setdefault(s.name, []).append(posixpath.dirname(path))
    return found


def rust_modules(snapshot: Snapshot) -> list[tuple[str, str]]:
    """``(file, name)`` of each file-level ``mod name;`` of a snapshot's Rust files (only
    their definitions are read: the others' are not made objects for it)."""
    return [
        (s.path, s.name)
        for path, (_, language) in sorted(snapshot.files.items())
        if language == "rust"
        for i in snapshot.by_path.get(path, ())
        if (s := snapshot.symbols[i]).kind == "module" and s.parent is None
    ]


def _js_binding(name: str, context: str, row: int) -> Binding:
    """A JS/TS import: ``export * from "./m"`` (named ``*``) binds every name of the
    module; any other the name from the module (default and namespace imports and
    aliases are told by the file's bindings: :meth:`ImportTable._js_aliases`)."""
    return Binding(name, name, context, False, row)


def names_module(language: str | None, context: str | None) -> bool:
    """Whether an import reference names a module (a path, a specifier) rather than a
    definition."""
    return language == "go" or (language in MODULE_SPECIFIERS and context is None)


def leaf(name: str) -> str:
    """The last part of a qualified name (``a.b.c``, ``a::b``, ``A\\B``)."""
    for sep in ("::", "\\", "."):
        if sep in name and not name.startswith("."):
            name = name.rsplit(sep, 1)[-1]
    return name


def unquote(text: str | None) -> str | None:
    """A module as written without its quotes (``"./m"``) or angle brackets."""
    if text is None:
        return None
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'`":
        return text[1:-1]
    if len(text) >= 2 and text[0] == "<" and text[-1] == ">":
        return text[1:-1]
    return text
