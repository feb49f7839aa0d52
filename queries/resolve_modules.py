"""Where an imported module is in one commit's files, per language's module rules.

:class:`ModuleIndex` answers "which files does this module name (as written in an
import, from this importing file) refer to?" with a :class:`Located`: the files found,
or that the module is outside the repository (standard library or a dependency), or
that it cannot be told. Only what the import text and the file layout say is used, the
module paths Go's ``go.mod`` files declare, and the names a JavaScript package's
``package.json`` declares (or else the name of the folder it is in); no other build
configuration (``tsconfig.json`` paths, ``sys.path``) is read.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

JS_LANGS = frozenset({"javascript", "typescript", "tsx"})

# Extensions tried for an extensionless relative JS/TS import, in resolution order.
_TS_ORDER = (".ts", ".tsx", ".d.ts", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs")
_JS_ORDER = (".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts", ".d.ts")
# TypeScript's ESM convention: `import "./a.js"` names the source file a.ts.
_JS_TO_TS = {
    ".js": (".ts", ".tsx", ".d.ts"),
    ".jsx": (".tsx",),
    ".mjs": (".mts",),
    ".cjs": (".cts",),
}

# First elements of Go standard library import paths (they have no dot, unlike module
# paths of dependencies); "C" is cgo.
GO_STDLIB = frozenset(
    """archive bufio builtin bytes cmp compress container context crypto database debug
    embed encoding errors expvar flag fmt go hash html image index internal io iter log
    maps math mime net os path plugin reflect regexp runtime slices sort strconv strings
    sync syscall testing text time unicode unique unsafe weak C""".split()
)
_GO_MAJOR = re.compile(r"^v[0-9]+$")
# Crates of Rust's standard library; and the files a folder's module may be.
RUST_STD = frozenset({"std", "core", "alloc", "proc_macro", "test"})
_RUST_ROOTS = ("mod.rs", "lib.rs", "main.rs")


# Folders whose files are each the root of a crate of their own (Cargo's targets).
_CRATE_FOLDERS = ("tests", "examples", "benches", "src/bin")


def is_crate_root(path: str) -> bool:
    """Whether a Rust file is a crate's root by Cargo's layout besides ``lib.rs`` and
    ``main.rs``: an integration test, example, bench or binary (``tests/cli.rs``,
    ``src/bin/tool.rs``), or a build script."""
    folder = posixpath.dirname(path)
    return posixpath.basename(path) == "build.rs" or any(
        folder == f or folder.endswith(f"/{f}") for f in _CRATE_FOLDERS
    )


@dataclass(frozen=True, slots=True)
class Located:
    """Where a module is: ``files`` when found in the repository; ``external`` when it is
    certainly not in it; neither when it cannot be told. ``package`` is the folder of a
    Python package (also a namespace package without ``__init__.py``), for submodules."""

    files: tuple[str, ...] = ()
    external: bool = False
    package: str | None = None

    @property
    def found(self) -> bool:
        return bool(self.files) or self.package is not None


UNKNOWN = Located()
EXTERNAL = Located(external=True)


class ModuleIndex:
    """The paths of one commit, arranged for module lookups."""

    def __init__(
        self,
        paths: Iterable[str],
        go_modules: dict[str, str] | None = None,
        npm_packages: dict[str, list[str]] | None = None,
        rust_modules: Callable[[], Iterable[tuple[str, str]]] | None = None,
    ) -> None:
        self.paths = frozenset(paths)
        # (file, name) of each `mod name;`, read when a Rust crate's root is first asked
        self._rust_modules = rust_modules
        self._rust_declared: dict[str, str] | None = None  # module file -> declaring file
        # npm package name -> the folders whose package.json declares it
        self.npm_packages = npm_packages or {}
        # Go module path -> the folder of its go.mod ("" for the root), longest first
        self.go_modules = sorted((go_modules or {}).items(), key=lambda m: -len(m[0]))
        self.by_dir: dict[str, list[str]] = defaultdict(list)
        self.dirs: set[str] = set()
        self.components: set[str] = set()  # every folder name and file stem, anywhere
        self._roots: dict[str, list[str]] | None = None  # folder name -> package folders
        self._folders: frozenset[str] | None = None  # every folder's name
        for p in sorted(self.paths):
            folder = posixpath.dirname(p)
            self.by_dir[folder].append(p)
            parts = p.split("/")
            self.components.update(parts[:-1])
            self.components.add(parts[-1].split(".", 1)[0])
            for i in range(1, len(parts)):
                self.dirs.add("/".join(parts[:i]))

    def locate(self, language: str | None, importer: str, module: str) -> Located:
        """The files ``module`` names when imported from the file at ``importer``."""
        if language == "python":
            return self.python(importer, module)
        if language in JS_LANGS:
            return self.javascript(importer, module)
        if language == "go":
            return self.go(module)
        if language == "rust":
            return self.rust(importer, module)
        return self.by_stem(module)

    # ---- Python

    def python(self, importer: str, dotted: str) -> Located:
        """A Python module: relative (``.``, ``..pkg.mod``) from the importer's package,
        or absolute from the repository root or, failing that, from any folder (``src/``
        layouts); external when its top-level name is nowhere in the repository."""
        if dotted.startswith("."):
            level = len(dotted) - len(dotted.lstrip("."))
            base = posixpath.dirname(importer)
            for _ in range(level - 1):
                base = posixpath.dirname(base)
            rest = dotted[level:].replace(".", "/")
            return self._python_at(posixpath.join(base, rest) if rest else base)
        rel = dotted.replace(".", "/")
        exact = self._python_at(rel)
        if exact.found:
            return exact
        files: list[str] = []
        packages: list[str] = []
        for suffix in (f"/{rel}.py", f"/{rel}/__init__.py", f"/{rel}.pyi"):
            files += [p for p in self.paths if p.endswith(suffix)]
        if not files:
            packages = [d for d in self.dirs if d.endswith("/" + rel)]
        if files or packages:
            package = None
            inits = [f for f in files if f.endswith("/__init__.py")]
            if inits or packages:
                package = posixpath.dirname(inits[0]) if inits else sorted(packages)[0]
            return Located(tuple(sorted(files)), package=package)
        if dotted.split(".", 1)[0] not in self.components:
            return EXTERNAL
        return UNKNOWN

    def _python_at(self, stem: str) -> Located:
        """The module at ``stem`` (a path without extension): a file, a package with an
        ``__init__.py``, or a namespace package (a folder)."""
        stem = posixpath.normpath(stem) if stem else "."
        stem = "" if stem == "." else stem
        init = f"{stem}/__init__.py" if stem else "__init__.py"
        if init in self.paths:
            return Located((init,), package=stem)
        files = tuple(f for f in (f"{stem}.py", f"{stem}.pyi") if f in self.paths)
        if files:
            return Located(files)
        if stem == "" or stem in self.dirs:
            return Located(package=stem)
        return UNKNOWN

    def python_submodule(self, package: str, name: str) -> Located:
        """Module ``name`` inside the package folder ``package``."""
        return self._python_at(posixpath.join(package, name) if package else name)

    # ---- JavaScript and TypeScript

    def javascript(self, importer: str, spec: str) -> Located:
        """A relative specifier resolved as bundlers and TypeScript do: the file itself,
        with an extension added, a TypeScript source for a ``.js`` specifier, or the
        folder's ``index``; the first that exists. ``node:`` modules are external; other
        bare specifiers (packages, path aliases) cannot be told."""
        if spec.startswith("node:"):
            return EXTERNAL
        if not spec.startswith("."):
            return self.javascript_package(importer, spec)
        base = posixpath.normpath(posixpath.join(posixpath.dirname(importer), spec))
        return self._javascript_file(importer, base)

    def _javascript_file(self, importer: str, base: str) -> Located:
        """The file a module path without extension (or with a JS one) names."""
        order = _JS_ORDER if importer.endswith((".js", ".jsx", ".mjs", ".cjs")) else _TS_ORDER
        options = [base]
        stem, ext = posixpath.splitext(base)
        if ext in _JS_TO_TS and order is _TS_ORDER:
            options = [stem + s for s in _JS_TO_TS[ext]] + options
        options += [base + s for s in order]
        options += [f"{base}/index{s}" for s in order]
        for option in options:
            if option in self.paths:
                return Located((option,))
        return UNKNOWN

    def javascript_package(self, importer: str, spec: str) -> Located:
        """A bare specifier (``zod``, ``zod/v4/core``, ``@scope/pkg/sub``): a package of
        the repository itself when a ``package.json`` declares its name, or else a folder
        with a ``package.json`` is named like it (a workspace package, or the package
        importing itself, the repository's root included), its subpath looked up
        in the folder, then in its ``src/`` and ``lib/`` (where a package's ``exports``
        conventionally point for sources); external when no folder of the repository
        is named like its first part; else it cannot be told (a path alias)."""
        parts = spec.split("/")
        size = 2 if spec.startswith("@") and len(parts) > 1 else 1
        package, sub = "/".join(parts[:size]), "/".join(parts[size:])
        roots = self.npm_packages.get(package) or self._package_roots().get(
            package.rsplit("/", 1)[-1], []
        )
        # the package that holds the importer first (a self-import), then the shallowest
        for root in sorted(
            roots, key=lambda r: (not importer.startswith(r + "/"), r.count("/"), r)
        ):
            for folder in (root, f"{root}/src", f"{root}/lib"):
                base = folder.lstrip("/") if not sub else posixpath.join(folder, sub).lstrip("/")
                found = self._javascript_file(importer, base if sub else f"{base}/index")
                if found.found:
                    return found
        folders = self._folder_names()
        if package.lstrip("@").split("/")[0] not in folders and not package.startswith(
            ("#", "~", "@/")
        ):
            return EXTERNAL
        return UNKNOWN

    def _folder_names(self) -> frozenset[str]:
        if self._folders is None:
            self._folders = frozenset(posixpath.basename(d) for d in self.dirs)
        return self._folders

    def _package_roots(self) -> dict[str, list[str]]:
        """Folders holding a ``package.json``, by their name."""
        if self._roots is None:
            self._roots = defaultdict(list)
            for p in self.paths:
                if p == "package.json" or p.endswith("/package.json"):
                    folder = posixpath.dirname(p)
                    self._roots[posixpath.basename(folder)].append(folder)
        return self._roots

    # ---- Go

    def go(self, import_path: str) -> Located:
        """A Go import path: the standard library is external; a package of a module the
        repository declares (a ``go.mod``'s module path, then the folder below it) is that
        folder, a vendored copy (``vendor/PATH``) that one, anything else a dependency.
        Without a ``go.mod``, the folder whose path is the longest suffix of the import
        path, or external when no folder matches."""
        import_path = import_path.strip("/")
        parts = import_path.split("/")
        if "." not in parts[0] and parts[0] in GO_STDLIB:
            return EXTERNAL
        if self.go_modules:
            return self._go_module_package(import_path)
        for start in range(len(parts)):
            folder = "/".join(parts[start:])
            files = [p for p in self.by_dir.get(folder, ()) if p.endswith(".go")]
            if files:
                return Located(tuple(files))
        return EXTERNAL

    def _go_module_package(self, import_path: str) -> Located:
        for module, root in self.go_modules:
            if import_path == module or import_path.startswith(module + "/"):
                folder = posixpath.join(root, import_path[len(module) :].strip("/"))
                return self._go_folder(folder.strip("/")) or UNKNOWN
        for _module, root in self.go_modules:
            vendored = self._go_folder(posixpath.join(root, "vendor", import_path))
            if vendored:
                return vendored
        return EXTERNAL

    def _go_folder(self, folder: str) -> Located | None:
        files = [p for p in self.by_dir.get(folder, ()) if p.endswith(".go")]
        return Located(tuple(files)) if files else None

    @staticmethod
    def go_package_name(import_path: str) -> str:
        """The package name an import path conventionally binds: its last element,
        without a major version (``.../v2``, ``yaml.v3``)."""
        parts = [p for p in import_path.strip("/").split("/") if p]
        if len(parts) > 1 and _GO_MAJOR.match(parts[-1]):
            parts.pop()
        last = parts[-1] if parts else import_path
        return re.sub(r"\.v[0-9]+$", "", last).replace("-", "_")

    # ---- Rust

    def rust(self, importer: str, path: str) -> Located:
        """A Rust module path from the file layout: ``crate::a::b`` from the crate root
        (the nearest ``lib.rs`` or ``main.rs`` above), ``self::`` and ``super::`` from the
        importer's module, a first segment that is a child module of the importer's, else
        of the crate root (the crate's own name, as a binary names its library: then it is
        read as the root); each segment is ``a.rs`` or ``a/mod.rs``. The standard
        library's crates are external; a path that is none of these cannot be told."""
        parts = [p for p in path.split("::") if p]
        if not parts or parts[0] in RUST_STD:
            return EXTERNAL if parts else UNKNOWN
        head, rest = parts[0], parts[1:]
        root = self._rust_root(importer)
        if head == "crate":
            start = root
        elif head in ("self", "super"):
            start = importer
            for part in parts:
                if part != "super":
                    break
                start = self._rust_parent(start) if start else None
            rest = parts[1:] if head == "self" else [p for p in parts if p != "super"]
        elif self._rust_child(importer, head):
            start, rest = importer, parts
        else:  # the crate's own name, or another crate: only a full walk tells
            start = root
            if not rest or not all(self._rust_walk(root, rest)):
                return UNKNOWN
        walked = [m for m in self._rust_walk(start, rest) if m] if start else []
        # A segment that is no module file: an inline module or an item of the last one.
        found = walked[-1] if walked else start
        return Located((found,)) if found else UNKNOWN

    def _rust_walk(self, start: str | None, parts: list[str]) -> list[str | None]:
        """The module files along ``parts`` from ``start``, up to the first missing one."""
        out: list[str | None] = []
        for part in parts:
            start = self._rust_child(start, part) if start else None
            out.append(start)
            if start is None:
                break
        return out

    def rust_prefix(self, importer: str, parts: Sequence[str]) -> tuple[Located, int] | None:
        """The longest leading run of a path's ``parts`` that names a module of the crate
        by the file layout, and its length: from ``crate`` or ``super``, or from a child
        module of the importer's (``walk::scan`` in ``main.rs`` beside ``walk.rs``). None
        when the first part is none of these: a type, a local, a name a ``use`` binds."""
        start: str | None = importer
        skipped = 0  # the leading `crate` or `super`s
        if parts[0] == "crate":
            start, skipped = self._rust_root(importer), 1
        while skipped < len(parts) and parts[skipped] == "super":
            start, skipped = self._rust_parent(start) if start else None, skipped + 1
        walked = [m for m in self._rust_walk(start, list(parts[skipped:])) if m]
        module = walked[-1] if walked else start if skipped else None
        return (Located((module,)), skipped + len(walked)) if module else None

    def _rust_root(self, importer: str) -> str | None:
        if is_crate_root(importer):
            # `mod feature;` in tests/tests.rs: that crate's root (one level, so two files
            # declaring each other cannot loop)
            return self._declaring(importer) or importer
        folder = posixpath.dirname(importer)
        while True:
            for name in ("lib.rs", "main.rs"):
                if posixpath.join(folder, name) in self.paths:
                    return posixpath.join(folder, name)
            if not folder:
                return None
            folder = posixpath.dirname(folder)

    def _rust_folder(self, module: str) -> str:
        """The folder a module file's child modules are in."""
        if posixpath.basename(module) in _RUST_ROOTS or (
            is_crate_root(module) and self._declaring(module) is None
        ):
            return posixpath.dirname(module)
        return module[: -len(".rs")]

    def _rust_child(self, module: str, name: str) -> str | None:
        folder = self._rust_folder(module)
        for option in (
            posixpath.join(folder, f"{name}.rs"),
            posixpath.join(folder, name, "mod.rs"),
        ):
            if option in self.paths:
                return option
        return None

    def _declaring(self, root: str) -> str | None:
        """The sibling that declares a file Cargo's layout makes a crate root (a test
        crate's `mod feature;` for ``tests/feature.rs``, when a manifest names the crate's
        root), if any: then the file is that crate's module, not a root."""
        if self._rust_declared is None:
            self._rust_declared = {}
            for path, name in self._rust_modules() if self._rust_modules else ():
                folder = posixpath.dirname(path)
                child = posixpath.join(folder, f"{name}.rs")
                if child != path and is_crate_root(path) and child in self.paths:
                    self._rust_declared.setdefault(child, path)
        return self._rust_declared.get(root)

    def _rust_parent(self, module: str) -> str | None:
        if posixpath.basename(module) in ("lib.rs", "main.rs") or (
            is_crate_root(module) and self._declaring(module) is None
        ):
            return None
        folder = posixpath.dirname(module)
        if posixpath.basename(module) == "mod.rs":
            folder = posixpath.dirname(folder)
        for option in (f"{folder}.rs", *(posixpath.join(folder, n) for n in _RUST_ROOTS)):
            if option in self.paths:
                return option
        return None

    # ---- other languages

    def by_stem(self, module: str) -> Located:
        """Files named like the module's last part (``a::b`` -> ``b.*``); a guess for the
        languages without module rules here."""
        stem = re.split(r"::|\\|\.|/", module)[-1]
        files = tuple(
            p for p in sorted(self.paths) if posixpath.splitext(posixpath.basename(p))[0] == stem
        )
        return Located(files) if files else UNKNOWN
