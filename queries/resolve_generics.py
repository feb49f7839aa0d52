"""A TypeScript call's type argument, inferred from the class passed to it.

A function whose declared result is one of its own type parameters, ``T``, and one of
whose parameters constructs a ``T`` (``someClass: { new (...args: any[]): T } |
Function``, ``kind: new () => T``), called with a class at that parameter's position,
gives an instance of that class, as the checker infers it: ``getFromContainer(Validator)
.validate`` is ``Validator.validate``. An IoC container's or a factory's way to name what
it makes. Only this inference is read: a ``T`` given by any other argument (a value of
type ``T``, ``T[]``) is not, and neither is a signature written over several lines
(definitions keep their first line).
"""

from __future__ import annotations

import re

from symbiote.queries.models import Symbol
from symbiote.queries.resolve_arity import parameter_type, signature_parts, split
from symbiote.queries.resolve_defs import FUNCTIONS

_WORD = re.compile(r"[A-Za-z_$][\w$]*")


def _constructs(parameter: str, name: str) -> bool:
    """Whether a parameter's declared type constructs a ``name``: ``new (...) => T`` or
    an object type with a construct signature ``{ new (...): T }`` (alone or in a
    union)."""
    pattern = rf"\bnew\s*(?:<[^>]*>)?\s*\([^)]*\)\s*(?::|=>)\s*{re.escape(name)}(?![\w$])"
    return re.search(pattern, parameter_type(parameter)) is not None


def constructed_argument(function: Symbol, arguments: str) -> str | None:
    """The text of the argument of a call of ``function`` (its argument list's text
    ``arguments``) whose class the call's result is an instance of, if the function's
    result is a type parameter one of its parameters constructs."""
    if function.kind not in FUNCTIONS or not function.type:
        return None
    result = function.type.strip()
    parts = signature_parts(function)
    if parts is None or _WORD.fullmatch(result) is None:
        return None
    type_parameters, parameters = parts
    names = {m.group(0) for p in split(type_parameters) if (m := _WORD.match(p))}
    if result not in names:
        return None
    given = split(arguments)
    for i, parameter in enumerate(parameters):
        if parameter.startswith("..."):
            return None
        if _constructs(parameter, result):
            return given[i] if i < len(given) else None
    return None
