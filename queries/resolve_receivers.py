"""What the receiver of a guessed member probably is, when its own type is not told.

``c.req.method()`` where ``c`` has no type the code states is a guess among every
``method`` of the repository. But ``req`` is a member's name, and the members named
``req`` declare their types (a field ``req: HonoRequest``, a getter ``get req():
HonoRequest``): a reader takes ``c.req`` to be one of those, so the candidates that are
members of those types (or of their bases) come first, the order kept otherwise. The
answer stays a guess (``name``): this only ranks its candidates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from symbiote.queries.models import Symbol
from symbiote.queries.resolve_base import Use, parts_of
from symbiote.queries.resolve_defs import HOLDERS, TYPES

if TYPE_CHECKING:
    from symbiote.queries.resolve import Resolver

_MAX_BASES = 3  # levels of base classes whose members count as the type's


class Receivers:
    """Ranks guesses by the declared types of the fields their receiver is named as."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self._owners: dict[str, frozenset[tuple[str, str]]] = {}  # field name -> types

    def prefer(self, use: Use, ranked: list[Symbol]) -> list[Symbol]:
        """``ranked`` with the members of the types the receiver's last field declares
        first (``c.req.m``: of the type of the fields named ``req``)."""
        if use.context is None or len(ranked) < 2:
            return ranked
        parts = parts_of(use.context)
        if parts is None or len(parts) < 2:
            return ranked
        owners = self._field_types(parts[-1])
        if not owners:
            return ranked
        first = [s for s in ranked if (s.path, s.parent) in owners]
        if not first or len(first) == len(ranked):
            return ranked
        return first + [s for s in ranked if (s.path, s.parent) not in owners]

    def _field_types(self, name: str) -> frozenset[tuple[str, str]]:
        """(path, qualified name) of the types the fields named ``name`` declare, and of
        their bases."""
        found = self._owners.get(name)
        if found is None:
            types: list[Symbol] = []
            for s in self.resolver.defs.named(name):
                if s.type and s.parent is not None and s.kind not in TYPES and s.kind != "module":
                    types += [t for t in self.resolver.typing.of_definition(s) if t.kind in HOLDERS]
            seen = {(t.path, t.qualified_name): t for t in types}
            level = list(seen.values())
            for _ in range(_MAX_BASES):
                level = [b for t in level for b in self.resolver.bases_of(t)]
                level = [b for b in level if (b.path, b.qualified_name) not in seen]
                seen.update({(b.path, b.qualified_name): b for b in level})
            found = self._owners[name] = frozenset(seen)
        return found
