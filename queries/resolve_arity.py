"""How many arguments a JavaScript or TypeScript function takes, read from its signature,
and a guess's candidates for a call ranked by it.

A call ``c.json(data)`` whose receiver has no type the code states is a guess among
every ``json`` of the repository; those that can take one argument come first
(``Context.json(object, init?, headers?)``), then those that cannot or are no function
at all (``ClientResponse.json()``, a field ``json: string``). The order is otherwise
kept (the ranking of :meth:`Scripts.ranked`). A parameter with ``?`` or a default is
optional, a rest parameter takes any number, ``this:`` is no parameter; a signature that
shows no parameter list (``json: JSONRespond = ...``, ``x => x``) may take any number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from symbiote.queries.models import Symbol
from symbiote.queries.resolve_defs import FUNCTIONS, TYPES

_AFTER_NAME = re.compile(r"\s*[?!]?\s*")
_ASSIGNED = re.compile(r"=\s*(?:async\b\s*)?")
_CLOSE = {"(": ")", "[": "]", "{": "}", "<": ">"}

Arity = tuple[int, int | None]  # the fewest and the most arguments (None: any number)


def _group_end(text: str, i: int) -> int | None:
    """The index after the bracketed group opening at ``i`` (strings skipped; ``=>`` is
    no closing bracket), or None when the text ends first."""
    stack = [_CLOSE[text[i]]]
    i += 1
    quote = ""
    while i < len(text):
        char = text[i]
        if quote:
            if char == "\\":
                i += 1
            elif char == quote:
                quote = ""
        elif char in "\"'`":
            quote = char
        elif char in _CLOSE:
            stack.append(_CLOSE[char])
        elif char == stack[-1] and not (char == ">" and text[i - 1] == "="):
            stack.pop()
            if not stack:
                return i + 1
        i += 1
    return None


def split(inside: str) -> list[str]:
    """The top-level comma-separated parts of a parameter list's text."""
    parts, start, i = [], 0, 0
    while i < len(inside):
        char = inside[i]
        if char in _CLOSE:
            end = _group_end(inside, i)
            if end is None:
                break
            i = end
            continue
        if char in "\"'`":
            end = inside.find(char, i + 1)
            i = len(inside) if end < 0 else end + 1
            continue
        if char == ",":
            parts.append(inside[start:i])
            start = i + 1
        i += 1
    parts.append(inside[start:])
    return [p.strip() for p in parts if p.strip()]


def _outside_groups(text: str) -> Iterator[int]:
    """The positions of ``text`` outside its bracketed groups, in order; a group that
    does not close ends them."""
    i = 0
    while i < len(text):
        if text[i] in _CLOSE:
            end = _group_end(text, i)
            if end is None:
                return
            i = end
            continue
        yield i
        i += 1


def _name_part(parameter: str) -> tuple[str, bool]:
    """A parameter's text before its type or default, and whether it has a default."""
    for i in _outside_groups(parameter):
        if parameter[i] == ":":
            return parameter[:i].strip(), "=" in _top_level(parameter[i:])
        if parameter[i] == "=":
            return parameter[:i].strip(), True
    return parameter.strip(), False


def _top_level(text: str) -> str:
    """``text`` without its bracketed groups (``=>`` of a function type kept out too)."""
    out: list[str] = []
    arrow: int | None = None  # where the `>` of the last `=>` is
    for i in _outside_groups(text):
        if i == arrow:
            continue
        if text.startswith("=>", i):
            arrow = i + 1
            continue
        out.append(text[i])
    return "".join(out)


def signature_parts(symbol: Symbol) -> tuple[str, list[str]] | None:
    """The type parameters (the text inside ``<...>``, empty when there are none) and the
    parameters of a JS/TS function definition, from its signature; None when the
    signature shows no parameter list."""
    signature = symbol.signature or ""
    match = re.search(rf"(?<![\w$#]){re.escape(symbol.name)}(?![\w$])", signature)
    if match is None:
        return None
    type_parameters = ""
    i = _AFTER_NAME.match(signature, match.end()).end()  # type: ignore[union-attr]
    if signature.startswith("<", i):  # `f<T>(...)`
        end = _group_end(signature, i)
        if end is None:
            return None
        type_parameters = signature[i + 1 : end - 1]
        i = _AFTER_NAME.match(signature, end).end()  # type: ignore[union-attr]
    assigned = _ASSIGNED.match(signature, i)
    if assigned is not None:  # `f = (...) =>`, `f = async <T>(...) =>`
        i = assigned.end()
        if signature.startswith("<", i):
            end = _group_end(signature, i)
            if end is None:
                return None
            type_parameters = signature[i + 1 : end - 1]
            i = end
        while i < len(signature) and signature[i].isspace():
            i += 1
    if not signature.startswith("(", i):
        return None
    end = _group_end(signature, i)
    if end is None:
        return None
    return type_parameters, split(signature[i + 1 : end - 1])


def parameter_type(parameter: str) -> str:
    """The declared type of a parameter's text (``kind: T | U = x`` -> ``T | U``), or
    empty when it declares none."""
    name, _ = _name_part(parameter)
    rest = parameter.strip()[len(name) :].lstrip()
    if not rest.startswith(":"):
        return ""
    rest = rest[1:]
    for i in _outside_groups(rest):
        if rest[i] == "=" and not rest.startswith("=>", i):
            return rest[:i].strip()
    return rest.strip()


def arity(symbol: Symbol) -> Arity | None:
    """How many arguments a JS/TS function definition takes, from its signature; None
    when the signature shows no parameter list."""
    parts = signature_parts(symbol)
    if parts is None:
        return None
    fewest, most = 0, 0
    for parameter in parts[1]:
        if parameter.startswith("..."):
            return fewest, None
        name, defaulted = _name_part(parameter)
        if name == "this":
            continue
        most += 1
        if not (defaulted or name.endswith("?")):
            fewest = most
    return fewest, most


def _takes(symbol: Symbol, count: int) -> bool:
    """Whether a call with ``count`` arguments may call ``symbol``."""
    if symbol.kind in TYPES:
        return True  # a class (`new C(...)`): its constructor is another definition
    if symbol.kind not in FUNCTIONS:
        return False
    found = arity(symbol)
    if found is None:
        return True
    fewest, most = found
    return fewest <= count and (most is None or count <= most)


def by_arity(candidates: list[Symbol], hints: list[str] | None) -> list[Symbol]:
    """A call's guessed candidates, those that may take its arguments first (the order
    kept otherwise); as they are when the call's arity is not known (a spread)."""
    if hints is None or "..." in hints or len(candidates) < 2:
        return candidates
    count = len(hints)
    return sorted(candidates, key=lambda s: not _takes(s, count))
