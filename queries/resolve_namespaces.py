"""C# names visible through namespaces: what a name used in a file can mean without
being qualified, besides its own file's scopes; and Java's and C#'s names spelled out
with their package or namespace (:meth:`Namespaces.spelled`).

A type (or another member of a namespace) is visible when its namespace is the one the
use is in or one around it (``Acme`` around ``Acme.Shop``), or a namespace the file
names in a ``using`` directive or its project names in a global using (an MSBuild
file's ``<Using Include="..."/>`` in the file's folder or one above it); a member of a
class is visible unqualified when the file has ``using static`` for that class. The
resolver labels these ``scope``, as it does Java's same-package classes.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

from symbiote.queries.models import Symbol
from symbiote.queries.resolve_base import IMPORT, Defs, Resolution, Use, ancestors
from symbiote.queries.resolve_defs import TYPES

if TYPE_CHECKING:
    from symbiote.queries.resolve import Resolver


PACKAGED = frozenset({"java", "csharp"})  # a type's qualified name starts with its package


class Namespaces:
    """C# namespace visibility for one resolver."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.snap = resolver.snap
        self._files: dict[str, tuple[frozenset[str], frozenset[str], tuple[str, ...]]] = {}
        self._projects: list[str] | None = None  # the MSBuild files (global usings)

    def visible(self, use: Use, candidates: list[Symbol]) -> list[Symbol]:
        """The candidates visible where ``use`` is through namespaces and usings."""
        usings, statics, spaces = self._file(use.path)
        around: set[str] = set()
        for space in spaces:
            if (
                use.enclosing is None
                or use.enclosing == space
                or use.enclosing.startswith(space + ".")
            ):
                around |= ancestors(space)
        defs = self.resolver.defs
        return [
            c
            for c in candidates
            if c.language == "csharp"
            and (
                (c.parent is None or c.parent in around or c.parent in usings)
                and defs.module_level(c)
                or c.parent in statics
            )
        ]

    def spelled(
        self, use: Use, parts: tuple[str, ...], name: str, candidates: list[Symbol]
    ) -> Resolution | None:
        """A name written with its package or namespace (Java, C#): the type
        ``com.acme.shop.Cart`` (``extends com.acme.shop.Cart``), or a member of the type
        the whole context spells (``com.acme.util.Strings.pad(3)``); None otherwise, or
        when the context's first word is a definition in scope (a field, a class)."""
        if use.language not in PACKAGED or len(parts) < 2:
            return None
        context = ".".join(parts)
        for full in (f"{context}.{name}", context):
            rows = self.snap.by_qualified.get(full, ())
            types = [s for i in rows if (s := self.snap.symbols[i]).kind in TYPES]
            if types and not self.resolver.lexical(use, parts[0]):
                if full == context:
                    return self.resolver.member(use, name, IMPORT, Defs(tuple(types)), candidates)
                return IMPORT, types
        return None

    def _file(self, path: str) -> tuple[frozenset[str], frozenset[str], tuple[str, ...]]:
        """The namespaces a file uses, the classes it uses statically, and the
        namespaces it declares."""
        found = self._files.get(path)
        if found is None:
            columns = self.snap.reference_columns()
            kinds, names, contexts = columns["kind"], columns["name"], columns["context"]
            usings, statics = set(), set()
            imported = [
                f"{contexts[row]}.{names[row]}" if contexts[row] else names[row]
                for row in self.snap.reference_rows(path=path)
                if kinds[row] == "import"
            ]
            for full in imported + self._global_usings(path):
                rows = self.snap.by_qualified.get(full, ())
                if any(self.snap.symbols[i].kind in TYPES for i in rows):
                    statics.add(full)
                else:
                    usings.add(full)
            spaces = tuple(
                self.snap.symbols[i].qualified_name
                for i in self.snap.by_path.get(path, ())
                if self.snap.symbols[i].kind == "module"
            )
            found = self._files[path] = (frozenset(usings), frozenset(statics), spaces)
        return found

    def _global_usings(self, path: str) -> list[str]:
        """What the MSBuild files in the folder of ``path`` and the folders above it name
        in ``<Using Include="..."/>``: the project's global usings."""
        if self._projects is None:
            self._projects = [p for p, (_, lang) in self.snap.files.items() if lang == "msbuild"]
        folder = posixpath.dirname(path)
        columns = self.snap.reference_columns()
        kinds, names = columns["kind"], columns["name"]
        found: list[str] = []
        for project in self._projects:
            base = posixpath.dirname(project)
            if not base or folder == base or folder.startswith(base + "/"):
                rows = self.snap.reference_rows(path=project)
                found += [names[r].strip("\"'") for r in rows if kinds[r] == "import"]
        return found
