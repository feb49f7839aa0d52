"""Resolution of references to definitions at one commit, with its precision stated.

Each reference gets one of four resolutions, tried in this order:

``scope``
    The definition is visible from where the name is used without an import: the same
    file, in an enclosing scope (or the enclosing class for ``self.x`` / ``this.x``), or
    the same package for languages whose packages share a namespace (Go: same
    directory; Java: same package).
``import``
    The file imports the name (``from m import x``, ``import {x} from "./m"``, Java
    ``import a.b.X``) or the object it is accessed on (``m.x()`` after ``import m``,
    Go ``pkg.F()``), and the imported module is the file that defines it; re-exports
    (``from .impl import x`` in ``__init__.py``, ``export {x} from "./impl"``) are
    followed.
``name``
    Only the name matches: every definition of that name is a candidate. A guess.
``unresolved``
    No definition of that name exists at this commit (library or builtin code).
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Mapping
from functools import cached_property

from queries.models import Symbol
from queries.snapshot import Snapshot

SCOPE, IMPORT, NAME, UNRESOLVED = "scope", "import", "name", "unresolved"
_SELF = frozenset({"self", "this", "cls", "$this", "static", "Self", "super"})
_TYPES = frozenset({"class", "struct", "interface", "trait", "enum", "union", "module"})
_JS_LANGS = frozenset({"javascript", "typescript", "tsx"})
_JS_SUFFIXES = (".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts", ".d.ts")
_REEXPORT_DEPTH = 4


class Resolver:
    """Resolves the references of one snapshot; caches per-file import tables."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snap = snapshot
        self._imports: dict[str, list[tuple[str, str | None]]] = {}

    def resolve(self, row: int) -> tuple[str, list[Symbol]]:
        """How reference ``row`` resolves, and to which definitions."""
        snap = self.snap
        name = snap.reference_field(row, "name")
        path = snap.reference_field(row, "path")
        enclosing = snap.reference_field(row, "enclosing")
        context = snap.reference_field(row, "context")
        kind = snap.reference_field(row, "kind")
        candidates = [snap.symbols[i] for i in snap.by_name.get(_leaf(name), ())]
        if not candidates:
            return UNRESOLVED, []
        if kind != "import":
            scoped = self._scope(path, enclosing, context, candidates)
            if scoped:
                return SCOPE, scoped
        imported = self._through_imports(path, _leaf(name), context, kind, candidates, 0)
        if imported:
            return IMPORT, imported
        return NAME, sorted(candidates, key=_rank(path))

    # ---- scope

    def _scope(
        self, path: str, enclosing: str | None, context: str | None, candidates: list[Symbol]
    ) -> list[Symbol]:
        language = self._language(path)
        local = [c for c in candidates if c.path == path]
        if context is not None and context not in _SELF:
            return []
        if context in _SELF:
            owners = _ancestors(enclosing)
            hits = [c for c in local if c.parent is not None and c.parent in owners]
            return _innermost(hits)
        visible = []
        for c in local:
            if c.parent is None or (enclosing is not None and c.parent in _ancestors(enclosing)):
                if language == "python" and c.kind in ("method", "field") and c.parent:
                    continue  # Python class bodies are not an enclosing scope of methods
                visible.append(c)
        if visible:
            return _innermost(visible)
        return self._same_package(path, language, candidates)

    def _same_package(
        self, path: str, language: str | None, candidates: list[Symbol]
    ) -> list[Symbol]:
        folder = posixpath.dirname(path)
        if language == "go":
            return [
                c
                for c in candidates
                if posixpath.dirname(c.path) == folder
                and c.language == "go"
                and c.kind != "method"
                and c.parent is not None
                and "." not in c.parent
            ]
        if language == "java":
            package = self._package_of(path)
            return [
                c
                for c in candidates
                if c.language == "java"
                and package is not None
                and c.qualified_name == f"{package}.{c.name}"
            ]
        return []

    def _package_of(self, path: str) -> str | None:
        for i in self.snap.by_path.get(path, ()):
            s = self.snap.symbols[i]
            if s.kind == "module" and s.parent is None:
                return s.qualified_name
        return None

    # ---- imports

    def imports_of(self, path: str) -> list[tuple[str, str | None]]:
        """``(name, module)`` of every import reference in ``path``."""
        found = self._imports.get(path)
        if found is None:
            found = []
            for row in self.snap.reference_rows(path=path):
                if self.snap.reference_field(row, "kind") == "import":
                    name = _unquote(self.snap.reference_field(row, "name")) or ""
                    found.append((name, _unquote(self.snap.reference_field(row, "context"))))
            self._imports[path] = found
        return found

    def _through_imports(
        self,
        path: str,
        name: str,
        context: str | None,
        kind: str,
        candidates: list[Symbol],
        depth: int,
    ) -> list[Symbol]:
        if depth > _REEXPORT_DEPTH:
            return []
        language = self._language(path)
        head = context.split(".")[0].split("::")[0] if context else None
        for imported, module in self.imports_of(path):
            leaf = _leaf(imported)
            files: list[str] = []
            owner: str | None = None
            if context is None or kind == "import":
                if leaf != name:
                    continue
                files = self._module_files(path, language, module, None)
                owner = module
            elif head is not None and (leaf == head or imported == context):
                # m.x() after `import m` / `from pkg import m` / Go `import ".../m"`
                files = self._module_files(path, language, module, imported)
                owner = context
            elif language == "go" and head is not None and imported.rsplit("/", 1)[-1] == head:
                files = self._module_files(path, language, imported, None)
            if not files and owner and language in ("java", "csharp"):
                hits = [c for c in candidates if c.parent is not None and c.parent.endswith(owner)]
                hits += [c for c in candidates if c.qualified_name == f"{owner}.{name}"]
                if hits:
                    return _unique(hits)
            if not files:
                continue
            hits = [c for c in candidates if c.path in files]
            if hits:
                return hits
            for file in files:  # a re-export: the module imports the name itself
                again = self._through_imports(file, name, None, "import", candidates, depth + 1)
                if again:
                    return again
        return []

    def _module_files(
        self, path: str, language: str | None, module: str | None, submodule: str | None
    ) -> list[str]:
        """Paths of the files a module name refers to, from the importing file at ``path``."""
        if module is None and submodule is None:
            return []
        paths = self.snap.files
        if language == "python":
            if module is None:
                dotted = submodule or ""
            elif submodule and module.rstrip(".") and not module.endswith("."):
                dotted = f"{module}.{submodule}"
            elif submodule:
                dotted = module + submodule
            else:
                dotted = module
            return _python_module_files(path, dotted, paths)
        if language in _JS_LANGS and module is not None:
            if not module.startswith("."):
                return []
            base = posixpath.normpath(posixpath.join(posixpath.dirname(path), module))
            options = [base, *(base + s for s in _JS_SUFFIXES)]
            options += [f"{base}/index{s}" for s in _JS_SUFFIXES]
            return [p for p in options if p in paths]
        if language == "go" and module is not None:
            folder = _go_dir(module.strip("/"), self._dir_index)
            return list(self._dir_index.get(folder, []))
        if module is not None:
            stem = module.replace("::", "/").replace("\\", "/").replace(".", "/").rsplit("/", 1)[-1]
            return [p for p in paths if posixpath.splitext(posixpath.basename(p))[0] == stem]
        return []

    @cached_property
    def _dir_index(self) -> dict[str, list[str]]:
        by_dir: dict[str, list[str]] = defaultdict(list)
        for p in self.snap.files:
            by_dir[posixpath.dirname(p)].append(p)
        return by_dir

    def _language(self, path: str) -> str | None:
        entry = self.snap.files.get(path)
        return entry[1] if entry else None


def _go_dir(import_path: str, dirs: dict[str, list[str]]) -> str:
    """The folder of the repository an import path names: the longest suffix match."""
    parts = import_path.split("/")
    for start in range(len(parts)):
        candidate = "/".join(parts[start:])
        if candidate in dirs:
            return candidate
    return "\0"


def _python_module_files(path: str, dotted: str, paths: Mapping[str, object]) -> list[str]:
    if dotted.startswith("."):
        level = len(dotted) - len(dotted.lstrip("."))
        base = posixpath.dirname(path)
        for _ in range(level - 1):
            base = posixpath.dirname(base)
        rest = dotted.lstrip(".").replace(".", "/")
        stem = posixpath.join(base, rest) if rest else base
        options = [f"{stem}.py", f"{stem}/__init__.py"] if rest else [f"{stem}/__init__.py"]
        return [p for p in options if p in paths]
    rel = dotted.replace(".", "/")
    suffixes = (f"{rel}.py", f"{rel}/__init__.py", f"{rel}.pyi")
    return [p for p in paths if p in suffixes or p.endswith(tuple("/" + s for s in suffixes))]


def _ancestors(qualified: str | None) -> set[str]:
    if not qualified:
        return set()
    parts = qualified.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts) + 1)}


def _innermost(symbols: list[Symbol]) -> list[Symbol]:
    if not symbols:
        return []
    depth = max(len(s.parent or "") for s in symbols)
    return [s for s in symbols if len(s.parent or "") == depth]


def _unique(symbols: list[Symbol]) -> list[Symbol]:
    seen, out = set(), []
    for s in symbols:
        key = (s.path, s.start_byte)
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out


def _leaf(name: str) -> str:
    for sep in ("::", "\\", "."):
        if sep in name and not name.startswith("."):
            name = name.rsplit(sep, 1)[-1]
    return name


def _unquote(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'`":
        return text[1:-1]
    if len(text) >= 2 and text[0] == "<" and text[-1] == ">":
        return text[1:-1]
    return text


def _rank(path: str):  # type: ignore[no-untyped-def]
    folder = posixpath.dirname(path)

    def key(s: Symbol) -> tuple[int, int, str, int]:
        return (
            0 if posixpath.dirname(s.path) == folder else 1,
            int(is_test_path(s.path)),
            s.path,
            s.start_byte,
        )

    return key


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
