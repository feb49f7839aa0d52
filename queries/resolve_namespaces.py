"""C# names visible through namespaces: what a name used in a file can mean without
being qualified, besides its own file's scopes.

A type (or another member of a namespace) is visible when its namespace is the one the
use is in or one around it (``Acme`` around ``Acme.Shop``), or a namespace the file
names in a ``using`` directive; a member of a class is visible unqualified when the
file has ``using static`` for that class. The resolver labels these ``scope``, as it
does Java's same-package classes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from symbiote.queries.models import Symbol
from symbiote.queries.resolve_base import Use, ancestors
from symbiote.queries.resolve_defs import TYPES

if TYPE_CHECKING:
    from symbiote.queries.resolve import Resolver


class Namespaces:
    """C# namespace visibility for one resolver."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.snap = resolver.snap
        self._files: dict[str, tuple[frozenset[str], frozenset[str], tuple[str, ...]]] = {}

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

    def _file(self, path: str) -> tuple[frozenset[str], frozenset[str], tuple[str, ...]]:
        """The namespaces a file uses, the classes it uses statically, and the
        namespaces it declares."""
        found = self._files.get(path)
        if found is None:
            columns = self.snap.reference_columns()
            kinds, names, contexts = columns["kind"], columns["name"], columns["context"]
            usings, statics = set(), set()
            for row in self.snap.reference_rows(path=path):
                if kinds[row] != "import":
                    continue
                full = f"{contexts[row]}.{names[row]}" if contexts[row] else names[row]
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
