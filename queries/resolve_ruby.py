"""Ruby's own rules for the resolver: ``Foo.new`` runs ``Foo#initialize``, and an
instance variable (``@ledger.record``) is a value of what the class's methods assign to
it (``@ledger = Ledger.new``, ``@owner = owner``).

A name the file does not define is looked up, like C's, among the top-level definitions
of the files it loads (``require_relative "item"``, ``require "shop/cart"``), directly
or through the files they load (:meth:`.Cpp.lookup`): ``import``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from symbiote.queries.resolve_base import NAME, TYPE, Entity, Instance, Use

if TYPE_CHECKING:
    from symbiote.queries.resolve import Resolver

_INSTANCE_VARIABLE = re.compile(r"^@[A-Za-z_]\w*$")


def constructed(use: Use) -> Use:
    """``Foo.new`` as the call it makes: ``initialize`` of ``Foo`` (other uses as they are)."""
    if use.language == "ruby" and use.name == "new" and use.context is not None:
        return use._replace(name="initialize")
    return use


def is_instance_variable(context: str) -> bool:
    """Whether a Ruby context is an instance variable (``@ledger``, not ``@@count``)."""
    return _INSTANCE_VARIABLE.match(context) is not None


def instance_variable(resolver: Resolver, use: Use, context: str) -> tuple[str, Entity]:
    """What instance variable ``context`` holds where ``use`` is: a value of the types
    the methods of the enclosing class (or of its bases) assign to it (``type``)."""
    owner = resolver.defs.enclosing_type(use.path, use.enclosing_idx)
    typed = resolver.typing.attribute((owner,), context) if owner is not None else ()
    return (TYPE, Instance(typed)) if typed else (NAME, None)


__all__ = ["constructed", "instance_variable", "is_instance_variable"]
