"""What an import binding denotes: the definitions a module exports under a name, its
re-exports followed (``from .impl import x``, ``export {x} from "./impl"``,
``export * from``), a whole module, or a library outside the repository."""

from __future__ import annotations

from typing import TYPE_CHECKING

from symbiote.queries.models import Symbol
from symbiote.queries.resolve_base import Defs, Entity
from symbiote.queries.resolve_imports import Binding
from symbiote.queries.resolve_modules import EXTERNAL, JS_LANGS
from symbiote.queries.resolve_php import imported

if TYPE_CHECKING:
    from symbiote.queries.resolve import Resolver

_MAX_DEPTH = 6  # re-export chains followed


class Exports:
    """Import bindings resolved for one resolver (answers at depth 0 are cached)."""

    def __init__(self, resolver: Resolver) -> None:
        self.r = resolver
        self._bindings: dict[tuple[str, Binding, bool], Entity] = {}

    def bound(self, path: str, binding: Binding, depth: int, namespace: bool) -> Entity:
        """What an import binding denotes. ``namespace``: a JS binding that names nothing
        in its module is taken as the module itself (``import * as m``)."""
        if depth:
            return self._bind(path, binding, depth, namespace)
        key = (path, binding, namespace)
        if key not in self._bindings:  # answers found at depth 0 follow whole chains
            self._bindings[key] = self._bind(path, binding, 0, namespace)
        return self._bindings[key]

    def _bind(self, path: str, binding: Binding, depth: int, namespace: bool) -> Entity:
        language = self.r.imports.language(path)
        if language in ("java", "csharp"):  # `import a.b.C;`, `using static A.B.C;`
            qualified = f"{binding.module}.{binding.name}"
            found = [
                self.r.snap.symbols[i]
                for i in self.r.snap.by_qualified.get(qualified, ())
                if self.r.snap.symbols[i].language == language
            ]
            if found or language == "csharp":
                return Defs(tuple(found)) if found else None
            return None if self.r.imports.java_package_known(binding.module) else EXTERNAL
        if language == "php":  # `use App\Models\Item;`: by its qualified name
            declared = imported(self.r, binding.module)
            if declared:
                return Defs(tuple(declared))
        located = self.r.imports.locate(path, binding.module)
        if located.external:
            return located
        if not located.found:
            return None
        if binding.whole:
            return located
        found = self.exported(located.files, binding.name, depth)
        if found:
            return Defs(tuple(found))
        if located.package is not None:
            sub = self.r.imports.modules.python_submodule(located.package, binding.name)
            if sub.found:
                return sub
        if language in JS_LANGS:  # a namespace re-exported by name (`export * as x`)
            reexported = self.r.scripts.namespace(located.files, binding.name, depth)
            if reexported is not None:
                return reexported
        return located if namespace and language in JS_LANGS else None

    def exported(self, files: tuple[str, ...], name: str, depth: int) -> list[Symbol]:
        """Module-level definitions ``name`` of the files of a module, or the definitions
        the module re-exports under that name (by name, or with ``from m import *``)."""
        found = self.r.defs.top_level(name, files)
        if found or depth >= _MAX_DEPTH:
            return found
        for file in files:
            for binding in (*self.r.imports.local(file, name), *self.r.imports.local(file, "*")):
                if binding.whole:
                    continue
                if binding.local == "*":
                    located = self.r.imports.locate(file, binding.module)
                    found = (
                        [] if located.external else self.exported(located.files, name, depth + 1)
                    )
                    if found:
                        return found
                    continue
                entity = self.bound(file, binding, depth + 1, False)
                if isinstance(entity, Defs):
                    return list(entity.symbols)
        return []
