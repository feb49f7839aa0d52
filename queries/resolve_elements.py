"""The elements of a container: what a loop variable is (``for x in items``, ``for
(const x of items)``), read from the container's declared type.

The container is a name or a dotted attribute (``items``, ``self.items``), optionally
with a mapping's view (``.values()``, ``.keys()``); its declared type is what the code
states for it (a parameter's or local's annotation, a field's type, what a method
annotates ``self.items`` as), and its element type comes from that text
(:func:`.resolve_typetext.element_type`): ``list[Item]``, ``Sequence[Item]``,
``Item[]``, ``Array<Item>`` give ``Item``; ``dict[str, Item]`` gives ``str``, and its
``.values()`` give ``Item``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from symbiote.queries.models import Symbol
from symbiote.queries.resolve_base import Defs, Instance, Use, parts_of
from symbiote.queries.resolve_typetext import element_type

if TYPE_CHECKING:
    from symbiote.queries.resolve import Resolver

_VIEW = re.compile(r"(.+?)\s*\.\s*(values|keys)\s*\(\s*\)")


class Elements:
    """Element types of containers, for one resolver."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver

    def of(self, container: str, at: Use) -> tuple[Symbol, ...]:
        """The types of the elements of ``container`` written at ``at``."""
        text, view = container.strip(), None
        match = _VIEW.fullmatch(text)
        if match is not None:
            text, view = match.group(1), match.group(2)
        declared = self._declared(text, at)
        element = element_type(declared, view) if declared else None
        return self.resolver.typing.of_type(element, at) if element else ()

    def _declared(self, text: str, at: Use) -> str | None:
        """The declared type, as written, of a name or a dotted attribute."""
        parts = parts_of(text)
        if parts is None:
            return None
        if len(parts) == 1:
            found = self.resolver.typing.declared(at, parts[0])
            return found[0] if found else None
        _, entity = self.resolver.entity_of(parts[:-1], at)
        if not isinstance(entity, Defs | Instance):
            return None
        types = entity.types if isinstance(entity, Instance) else entity.symbols
        return self.resolver.typing.declared_attribute(tuple(types), parts[-1])
