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
from symbiote.queries.resolve_typetext import (
    ELEMENT_CALLS,
    container_element,
    element_type,
    generic_arguments,
    java_heading,
)

if TYPE_CHECKING:
    from symbiote.queries.resolve import Resolver

_VIEW = re.compile(r"(.+?)\s*\.\s*(values|keys)\s*\(\s*\)")
_MAX_DEPTH = 4  # repository classes between a value's class and the library container


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

    def inherited(
        self, types: tuple[Symbol, ...], method: str, declared: str | None, at: Use
    ) -> tuple[Instance, str] | None:
        """Java: the element a call of ``method`` gives on a value of a repository class
        that gets it from a library container it extends, directly or through other
        repository classes, and does not override (``get(0)`` of a ``class Items
        extends ArrayList<Item>``, of ``Elements extends Nodes<Element>`` with ``Nodes<T
        extends Node> extends ArrayList<T>``): the type argument, through the classes'
        type parameters (also those of ``declared``, the value's type as written, such
        as ``Nodes<Node>``, written at ``at``), read where it is written."""
        if method not in ELEMENT_CALLS or self.resolver.members(list(types), method):
            return None
        arguments = generic_arguments(declared)[1] if declared else []
        for t in types:
            params = java_heading(t.signature)[0]
            bound = {p: (a, at) for p, a in zip(params, arguments, strict=False)}
            found = self._through(t, method, bound, 0)
            if found is not None:
                return found
        return None

    def _through(
        self, cls: Symbol, method: str, bound: dict[str, tuple[str, Use]], depth: int
    ) -> tuple[Instance, str] | None:
        """The element ``method`` gives through the bases of ``cls``, whose type
        parameters are ``bound`` (as written, and where)."""
        at = self._at(cls)
        bases = self.resolver.bases_of(cls)
        for base in java_heading(cls.signature)[1]:
            element = container_element(base, method)
            if element:
                text, where = bound.get(element, (element, at))
                return Instance(self.resolver.typing.of_type(text, where)), text
            name, arguments = generic_arguments(base)
            following = [b for b in bases if b.name == name and b.language == "java"]
            if not following or depth >= _MAX_DEPTH:
                continue
            params = java_heading(following[0].signature)[0]
            passed = {p: bound.get(a, (a, at)) for p, a in zip(params, arguments, strict=False)}
            found = self._through(following[0], method, passed, depth + 1)
            if found is not None:
                return found
        return None

    def _at(self, cls: Symbol) -> Use:
        """A place inside class ``cls`` (where the text of its heading resolves)."""
        idx = self.resolver.snap.extra[self.resolver.snap.index_of(cls)][0]
        return Use(-1, "", "type", cls.path, cls.language, cls.qualified_name, idx, None,
                   cls.start_byte)  # fmt: skip
