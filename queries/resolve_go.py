"""Go's own rule for the resolver: a field declared with a type of a package outside the
repository (``mu sync.Mutex``, ``client *http.Client``) holds a value whose members are
that library's, so ``l.mu.Lock()`` is ``unresolved`` rather than a guess among the
repository's methods named ``Lock``. The package is the one the struct's file imports
under that name; one of the repository's (or a name no import binds) is left to the
other rules.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from symbiote.queries.models import Symbol
from symbiote.queries.resolve_base import UNRESOLVED

if TYPE_CHECKING:
    from symbiote.queries.resolve import Resolver

# A declared type naming another package's type: `sync.Mutex`, `*http.Client`, `x.T[K]`.
_QUALIFIED = re.compile(r"\**(\w+)\.\w+(?:\[.*\])?")


def external_field(resolver: Resolver, types: list[Symbol], name: str) -> bool:
    """Whether field ``name`` of a Go value of ``types`` is declared with a type of a
    package outside the repository."""
    go = tuple(t for t in types if t.language == "go")
    declared = resolver.typing.declared_attribute(go, name) if go else None
    match = _QUALIFIED.fullmatch(declared or "")
    if match is None:
        return False
    found = resolver.imports.go_package_named(go[0].path, match.group(1))
    return found is not None and found[0] == UNRESOLVED
