"""What a call's arguments say of their types: the evidence that picks one of several
overloads of a method (Java, C#), and the call's arity in any language.

A pattern captures ``@arguments`` on a call's argument list; each argument becomes one
hint, and the list is stored with the reference (``code_references.arguments``; NULL
for a use that is no call with an argument list):

``:T``
    the syntax states the type: a literal (``:String``, ``:int``, ``:long``,
    ``:double``, ``:float``, ``:char``, ``:boolean``; ``Long.MAX_VALUE`` is a
    ``:long``), ``Foo.class`` (``:Class``),
    ``new Foo(...)`` and ``(Foo) x`` (``:Foo``), a comparison (``:boolean``), a
    concatenation with a string literal (``:String``);
``null``
    the null literal (any reference type);
``x``
    a name or another short expression, whose type the resolver finds (a parameter,
    local or field; ``this``; a call chain such as ``gson.getAdapter(T.class)``);
``...``
    a spread (``f(...xs)``): any number of arguments, so the call's arity is not known;
``?``
    anything else (a lambda, a method reference, an arithmetic expression, a long one),
    and every argument of a language without a table here (its arity is still told).

A reference's context longer than the extractor keeps is outlined (:func:`outline`): the
insides of its brackets left out, one ``_`` per argument, so a chain such as
``new GsonBuilder().registerTypeAdapterFactory(<a long anonymous class>).create`` can
still be walked.

Pure Python over nodes that look like tree-sitter's (only :mod:`indexer.parse` imports
tree-sitter).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Protocol, TypeVar

_LIMIT = 80  # longer argument texts are not kept (`?`)
_SPACE = re.compile(rb"\s+")
_GENERIC = re.compile(r"<.*>", re.DOTALL)
_COMPARISONS = frozenset({"==", "!=", "<", ">", "<=", ">=", "&&", "||", "instanceof"})
K = TypeVar("K")  # what each_hints() keys argument lists by


class Node(Protocol):
    """What the hints read of a syntax node (a tree-sitter ``Node`` is one)."""

    @property
    def type(self) -> str: ...
    @property
    def start_byte(self) -> int: ...
    @property
    def end_byte(self) -> int: ...
    @property
    def named_children(self) -> Sequence[Node]: ...
    @property
    def has_error(self) -> bool: ...
    def child_by_field_name(self, name: str, /) -> Node | None: ...


# Node types whose text names their type, per language.
_LITERALS: dict[str, dict[str, str]] = {
    "java": {
        "string_literal": ":String",
        "character_literal": ":char",
        "true": ":boolean",
        "false": ":boolean",
        "null_literal": "null",
        "class_literal": ":Class",
        "lambda_expression": "?",
        "method_reference": "?",
        "instanceof_expression": ":boolean",
    },
    "csharp": {
        "string_literal": ":string",
        "verbatim_string_literal": ":string",
        "raw_string_literal": ":string",
        "interpolated_string_expression": ":string",
        "character_literal": ":char",
        "boolean_literal": ":bool",
        "null_literal": "null",
        "typeof_expression": ":Type",
        "lambda_expression": "?",
        "anonymous_method_expression": "?",
        "is_expression": ":bool",
        "is_pattern_expression": ":bool",
    },
}
# Expressions whose text the resolver can type (names, member chains, calls, `this`).
_TEXTUAL = frozenset(
    {
        "identifier",
        "field_access",
        "method_invocation",
        "this",
        "this_expression",
        "member_access_expression",
        "invocation_expression",
        "element_access_expression",
        "array_access",
    }
)
_INTEGERS = frozenset(
    {
        "decimal_integer_literal",
        "hex_integer_literal",
        "octal_integer_literal",
        "binary_integer_literal",
        "integer_literal",
    }
)
_REALS = frozenset({"decimal_floating_point_literal", "hex_floating_point_literal", "real_literal"})
_COMMENTS = frozenset({"comment", "line_comment", "block_comment"})
# The constants of java.lang's boxes are primitives: `Float.NaN` is a float.
_PRIMITIVE_OF = {
    "Byte": "byte",
    "Short": "short",
    "Character": "char",
    "Integer": "int",
    "Long": "long",
    "Float": "float",
    "Double": "double",
}
_BOXED_CONSTANT = re.compile(
    r"(?:java\.lang\.)?(?:Byte|Short|Character|Integer|Long|Float|Double)\.[A-Z][A-Za-z_]*"
)


def each_hints(
    language: str, lists: Mapping[K, Node], source: bytes, *, same_text: bool
) -> dict[K, tuple[str, ...]]:
    """:func:`hints` of each argument list. Its hints follow from its subtree, the same
    for the same text unless the parse recovered from an error in it: with
    ``same_text`` (the tree was parsed from ``source`` itself) they are read once per
    distinct text (``()``, ``(key)`` recur in a file)."""
    out: dict[K, tuple[str, ...]] = {}
    read: dict[bytes, tuple[str, ...]] = {}
    for key, node in lists.items():
        text = source[node.start_byte : node.end_byte]
        found = read.get(text) if same_text else None
        if found is None:
            found = hints(language, node, source)
            if same_text and not node.has_error:
                read[text] = found
        out[key] = found
    return out


def hints(language: str, arguments: Node, source: bytes) -> tuple[str, ...]:
    """One hint per argument of an argument list node (comments left out)."""
    table = _LITERALS.get(language)
    out = []
    for node in arguments.named_children:
        if node.type in _COMMENTS:
            continue
        if node.type == "spread_element":  # JavaScript, TypeScript
            out.append("...")
            continue
        out.append(_hint(node, source, table) if table is not None else "?")
    return tuple(out)


def _hint(node: Node, source: bytes, table: dict[str, str]) -> str:
    kind = node.type
    if kind == "argument":  # C#: `name: value`, `ref x`, `out var y`: the expression
        children = [c for c in node.named_children if c.type not in _COMMENTS]
        if not children:
            return "?"
        node, kind = children[-1], children[-1].type
    if kind == "parenthesized_expression" and node.named_children:
        return _hint(node.named_children[0], source, table)
    found = table.get(kind)
    if found is not None:
        return found
    if kind in _INTEGERS:
        return ":long" if source[node.end_byte - 1 : node.end_byte] in b"lL" else ":int"
    if kind in _REALS:
        last = source[node.end_byte - 1 : node.end_byte].lower()
        return ":float" if last == b"f" else ":decimal" if last == b"m" else ":double"
    if kind in ("unary_expression", "prefix_unary_expression") and node.named_children:
        inner = _hint(node.named_children[-1], source, table)
        return inner if inner[:1] == ":" and inner != ":boolean" else "?"
    if kind in ("cast_expression", "object_creation_expression", "array_creation_expression"):
        typed = node.child_by_field_name("type")
        if typed is None:
            return "?"
        name = _GENERIC.sub("", _text(typed, source))
        suffix = "[]" if kind == "array_creation_expression" else ""
        return f":{name}{suffix}" if name and len(name) <= _LIMIT else "?"
    if kind == "binary_expression":
        return _binary(node, source, table)
    if kind not in _TEXTUAL or node.end_byte - node.start_byte > 4 * _LIMIT:
        return "?"
    text = _text(node, source)
    if kind == "field_access" and _BOXED_CONSTANT.fullmatch(text):  # `Long.MAX_VALUE`
        return ":" + _PRIMITIVE_OF[text.split(".")[-2]]
    return text if text and len(text) <= _LIMIT else "?"


def _binary(node: Node, source: bytes, table: dict[str, str]) -> str:
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    if left is None or right is None:
        return "?"
    operator = source[left.end_byte : right.start_byte].strip().decode("utf-8", "replace")
    if operator in _COMPARISONS:
        return ":boolean" if table is _LITERALS["java"] else ":bool"
    if operator == "+":
        sides = (_hint(left, source, table), _hint(right, source, table))
        if ":String" in sides or ":string" in sides:
            return sides[0] if sides[0] in (":String", ":string") else sides[1]
    return "?"


def _text(node: Node, source: bytes) -> str:
    raw = source[node.start_byte : node.end_byte]
    if b"\n" in raw or b"  " in raw or b"\t" in raw:
        raw = _SPACE.sub(b" ", raw)
    return raw.decode("utf-8", "replace").strip()


def outline(text: str) -> str:
    """A long context with the insides of its brackets left out, its shape kept: each
    argument of a call becomes ``_`` (``a.b(x, new T() {...}).c`` -> ``a.b(_, _).c``), so
    a resolver can still walk the chain and count arguments."""
    out: list[str] = []
    depth, quote, commas, empty, i = 0, "", 0, True, 0
    while i < len(text):
        char = text[i]
        if quote:
            if char == "\\":
                i += 1
            elif char == quote:
                quote = ""
        elif char in "\"'`":
            quote = char
        elif char in "([{":
            depth += 1
            if depth == 1:
                out.append(char)
                commas, empty = 0, True
        elif char in ")]}":
            depth -= 1
            if depth == 0:
                out.append(("" if empty else ", ".join(["_"] * (commas + 1))) + char)
        elif depth == 1 and char == ",":
            commas += 1
        elif depth == 0:
            out.append(char)
        if depth >= 1 and not char.isspace() and char not in "([{":
            empty = False
        i += 1
    return "".join(out)
