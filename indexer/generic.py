"""The generic extractor's rule: the definitions of a language we have no patterns for,
read from its grammar's node types. It finds definitions only (no references), and is
less precise than patterns: its blobs get the status ``generic``.

A node type is a definition type when its name, split into words (at ``_`` and camelCase:
``function_definition``, ``declProc``), reads

* ``[modifier...] KIND MARKER``: ``function_definition``, ``class_declaration``,
  ``enum_item``, ``proc_declaration``, ``full_type_declaration``; or
  ``KIND_or_WORD_MARKER``: ``function_or_value_defn`` (F#: the first alternative);
* ``MARKER [modifier...] KIND``: ``declProc``, ``defProc`` (Pascal), ``define_function``;
* ``[modifier...] KIND`` alone: Fortran's ``module``, F#'s ``named_module``; such a node
  is named only by a name field, a first child that is an identifier, or a header;

where KIND is a word of :data:`KINDS` (function, proc, subroutine, method, class, struct,
interface, trait, enum, union, record, module, package, namespace, type, macro, ...) and
gives the definition's kind, MARKER a word of :data:`MARKERS` (definition, declaration,
decl, def, defn, define, item, statement, specifier, body) and a modifier a word of
:data:`MODIFIERS` (abstract, local, generic, full, private, ...): any other word there
makes the type something else (VHDL's ``signal_interface_declaration`` is a port, Ada's
``enumeration_type_definition`` the right-hand side of a type). ``specifier`` (C's
``struct_specifier``) counts only on a node with a body, ``body`` (Ada's and VHDL's
``package_body``, ``subprogram_body``) only for modules and functions, and a type with a
word of :data:`EXCLUDED` (``end``, ``call``, ``formal``, ``import``, ...) never. The
root node of a file never counts (a grammar's ``program`` or ``module``).

A definition node's name is, first found:

1. its ``name`` field, or the end of its ``declarator`` chain (the C family; a node
   with several declarators is a list, not one definition);
2. a child in a name-like field (``exception_name:``, ``designator:``, or a field named
   for the kind: VHDL's ``package_body`` names its package in ``package:``; not Ada's
   ``endname:``, the name repeated after ``end``), or its first
   child of an identifier-like type (``identifier``, ``type_identifier``, ``simple_name``,
   ...) without a field;
3. the name, found by 1 or 2, of one of its first two named children that is a header
   (``function_statement``, ``function_specification``, ``defun_header``,
   ``function_declaration_left``, or a definition type: Pascal's ``declProc`` in a
   ``defProc``, whose kind it then takes).

A node with no name, a name of several lines or over 200 bytes, or a name that is the
whole node (WGSL's ``type_declaration`` is a use) is no definition. A definition found
again as the header of one around it (Fortran's ``function`` and its
``function_statement``) is the outer one. A name with parts (``TShape.Create``,
``this.Increment``, ``MyApp.Geometry``) names by its last identifier (but Vim's
``s:helper`` is one name: its ``scope`` is no owner); what comes before
qualifies a definition that no type encloses (Pascal's ``procedure TShape.Create``,
C++'s ``void Runner::run()`` in a namespace, F#'s ``module MyApp.Geometry``) and is
dropped inside a type (F#'s ``member this.Increment`` in ``Counter`` ->
``Counter.Increment``). A function inside a type, or qualified by its owner, is a method.

Only node types and fields are read here: the tree is parsed and its candidate nodes
found (by a query of the definition types) in :mod:`indexer.parse`, which hands them
over through the :class:`SyntaxNode` protocol.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

# Words that say what a definition is, and the kind it gets.
KINDS: dict[str, str] = {
    **dict.fromkeys(
        ("function", "func", "fn", "fun", "proc", "procedure", "subroutine", "subprogram"),
        "function",
    ),
    **dict.fromkeys(("defun", "iterator", "converter", "sub", "task", "operation"), "function"),
    **dict.fromkeys(("method", "rpc"), "method"),
    **dict.fromkeys(("macro", "defmacro", "template"), "macro"),
    **dict.fromkeys(("class", "actor", "exception"), "class"),
    **dict.fromkeys(("struct", "structure", "message"), "struct"),
    **dict.fromkeys(("interface", "protocol", "service"), "interface"),
    "trait": "trait",
    **dict.fromkeys(("enum", "enumeration"), "enum"),
    "union": "union",
    "record": "record",
    **dict.fromkeys(
        ("module", "mod", "namespace", "package", "program", "entity", "architecture"), "module"
    ),
    **dict.fromkeys(("type", "typedef", "typealias", "newtype", "subtype"), "type"),
}
# Words that mark a node type as a definition (after the kind, or before it: declProc).
MARKERS = frozenset(
    {
        "definition",
        "declaration",
        "decl",
        "def",
        "defn",
        "define",
        "item",
        "statement",
        "specifier",
        "body",
    }
)
PREFIX_MARKERS = frozenset({"decl", "def", "define"})
# Words that may stand before the kind (`abstract_class_declaration`); any other word
# there makes the type something else (`signal_interface_declaration` in VHDL is a port).
MODIFIERS = frozenset(
    {
        "abstract",
        "class",
        "const",
        "enum",
        "explicit",
        "expression",  # Ada's `expression_function_declaration`: `function F return T is (...)`
        "extension",
        "extern",
        "external",
        "full",
        "generic",
        "incomplete",
        "interface",
        "local",
        "mixin",
        "named",
        "nested",
        "null",
        "only",
        "overloaded",
        "private",
        "protocol",
        "public",
        "python",
        "read",
        "singleton",
        "static",
        "user",
        "defined",
        "derived",
        "yul",
    }
)
# Words that make any type something else than a definition.
EXCLUDED = frozenset(
    {
        "anonymous",
        "argument",
        "call",
        "end",
        "export",
        "formal",  # Ada's generic formal parameters
        "forward",
        "import",
        "instantiation",
        "literal",
        "parameter",
        "pointer",
        "reference",
    }
)
# Kinds a `*_body` node may define (Ada, VHDL: `package_body`, `subprogram_body`); a
# class or enum body elsewhere is the inside of a definition, not one.
_BODY_KINDS = frozenset({"function", "module"})
# Kinds a `*_specifier` node may define, when it has a body (C's `struct_specifier`).
_SPECIFIER_KINDS = frozenset({"class", "struct", "union", "enum"})
# A KIND word alone names a definition only when these do not (a keyword token the
# grammar names `type`, `entity`, `template`, `sub`, `program` (often the root), ...).
_NOT_ALONE = frozenset({"type", "entity", "template", "sub", "record", "subtype"})

# Last words of the types of name nodes.
_NAME_WORDS = frozenset({"identifier", "ident", "name", "symbol", "word", "fqn", "constant"})
# Fields a name may sit in, besides none at all.
_NAME_FIELDS = frozenset({"designator", "identifier"})
# Last words of a header: the first child of a definition that holds its name
# (Fortran's `function_statement`, Ada's `function_specification`, F#'s
# `function_declaration_left`); a definition type there is one too (F#'s
# `record_type_defn` in a `type_definition`, Pascal's `declProc` in a `defProc`), but not
# for a KIND word alone (a root `program` is not named by its first function).
_HEADERS = frozenset({"statement", "specification", "spec", "header", "head", "signature", "left"})
_HEADER_MARKERS = frozenset({"declaration", "definition", "decl", "def", "defn"})
_NOT_HEADERS = EXCLUDED | {"value", "field", "member", "parameter", "variable", "expression"}
_TYPE_KINDS = frozenset(
    {"class", "struct", "interface", "trait", "enum", "union", "record", "object", "type"}
)
_MAX_NAME = 200  # bytes; a longer or multiline "name" is not one
_DECLARATOR_DEPTH = 6
_QUALIFIER = re.compile(rb"^[\w$]+(?:(?:\.|::|:|->|')[\w$]+)*$")
_NODE_TYPE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")

# What the digest of a generic language covers besides its grammar's table: bump when
# the name rules below change (the tables change by themselves).
# 1: first version.
# 2: `expression` a modifier (Ada's expression functions); an `end...name` field no name;
#    a declarator in no field continues the chain (C++'s `T& f()`); a `scope` child
#    is part of a name (Vim's `s:helper`).
# 3: a one-token name with namespaces is its last part, qualified by the others
#    (Tcl's `proc ::ftp::Append` is `ftp.Append`).
RULES_VERSION = 3
RULES = repr(
    (
        RULES_VERSION,
        sorted(KINDS.items()),
        sorted(MARKERS),
        sorted(PREFIX_MARKERS),
        sorted(MODIFIERS),
        sorted(EXCLUDED),
        sorted(_NAME_WORDS),
        sorted(_NAME_FIELDS),
        sorted(_HEADERS),
        sorted(_HEADER_MARKERS),
        sorted(_NOT_HEADERS),
    )
).encode()


def words(node_type: str) -> list[str]:
    """The words of a node type, lower-cased: ``declProc`` -> ``['decl', 'proc']``."""
    return [word.lower() for part in node_type.split("_") for word in _WORD.findall(part)]


@dataclass(frozen=True, slots=True)
class Rule:
    """What a node type defines, and what it needs to count."""

    kind: str
    needs_body: bool = False  # a `*_specifier`: only with a body
    needs_header: bool = False  # a KIND word alone: only named by a field or a header


def rule_for(node_type: str) -> Rule | None:
    """What nodes of ``node_type`` define, or None when they are no definitions."""
    if not _NODE_TYPE.match(node_type):
        return None
    found = words(node_type)
    if not found or EXCLUDED.intersection(found):
        return None
    first, last = found[0], found[-1]
    if len(found) > 1 and first in PREFIX_MARKERS and last in KINDS:  # declProc
        return Rule(KINDS[last]) if all(w in MODIFIERS for w in found[1:-1]) else None
    if last in MARKERS and len(found) > 1:
        head = found[:-1]
        if "or" in head:  # function_or_value_defn: the first of two one-word alternatives
            if len(head) != 3 or head[1] != "or":
                return None
            head = head[:1]
        if not head or head[-1] not in KINDS or not all(w in MODIFIERS for w in head[:-1]):
            return None
        kind = KINDS[head[-1]]
        if last == "body":
            return Rule(kind) if kind in _BODY_KINDS else None
        if last == "specifier":
            return Rule(kind, needs_body=True) if kind in _SPECIFIER_KINDS else None
        return Rule(kind)
    if last in KINDS and last not in _NOT_ALONE and all(w in MODIFIERS for w in found[:-1]):
        return Rule(KINDS[last], needs_header=True)
    return None


def table(node_types: Iterable[str]) -> dict[str, Rule]:
    """The definition node types of a grammar and their rules."""
    rules = {node_type: rule_for(node_type) for node_type in node_types}
    return {node_type: rule for node_type, rule in sorted(rules.items()) if rule is not None}


def patterns(rules: dict[str, Rule]) -> str:
    """The generic patterns of a grammar: one per definition node type, in the
    ``@definition.<kind>`` convention (the name is found by :func:`definitions`)."""
    return "".join(f"({node_type}) @definition.{rule.kind}\n" for node_type, rule in rules.items())


class SyntaxNode(Protocol):
    """What the rule reads of a syntax tree node (a tree-sitter ``Node`` is one)."""

    @property
    def type(self) -> str: ...
    @property
    def is_named(self) -> bool: ...
    @property
    def start_byte(self) -> int: ...
    @property
    def end_byte(self) -> int: ...
    @property
    def start_point(self) -> tuple[int, int]: ...
    @property
    def children(self) -> Sequence[SyntaxNode]: ...
    def child_by_field_name(self, name: str, /) -> SyntaxNode | None: ...
    def field_name_for_child(self, child_index: int, /) -> str | None: ...


N = TypeVar("N", bound=SyntaxNode)


@dataclass(frozen=True, slots=True)
class Found(Generic[N]):
    """A definition the rule found: its node, kind, name node and the qualifier that
    comes with the name (``TShape`` of ``TShape.Create``), if any."""

    node: N
    kind: str
    name: SyntaxNode  # a node of the same tree as ``node``
    receiver: bytes | None
    depth: int  # definitions around it


def definitions(
    candidates: Sequence[tuple[N, str]], rules: dict[str, Rule], source: bytes
) -> list[Found[N]]:
    """The definitions among ``candidates`` (nodes of a definition type and their kind,
    in source order), named."""
    found: list[Found[N]] = []
    around: list[tuple[int, str]] = []  # end and kind of the definitions around this one
    names: set[tuple[int, int]] = set()
    for node, kind in candidates:
        rule = rules[node.type]
        if rule.needs_body and node.child_by_field_name("body") is None:
            continue
        named = _name(node, rules, strict=rule.needs_header)
        if named is None:
            continue
        if named[1] is not None:  # named by a header that is a definition itself
            kind = named[1]
        name, qualifier = _parts(named[0], source)
        span = (name.start_byte, name.end_byte)
        if span in names:  # the header of a definition found already
            continue
        if span == (node.start_byte, node.end_byte):  # a use (WGSL's `type_declaration`)
            continue
        text = source[span[0] : span[1]]
        if not text.strip() or len(text) > _MAX_NAME or b"\n" in text:
            continue
        while around and around[-1][0] <= node.start_byte:
            around.pop()
        # A qualifier names the owner of a definition made outside it (C++'s
        # `void Runner::run()` in a namespace, Pascal's `procedure TShape.Draw`); inside
        # a type it is the member's own object (F#'s `member this.Increment`).
        inside_type = bool(around) and around[-1][1] in _TYPE_KINDS
        receiver = qualifier if qualifier and not inside_type else None
        if kind == "function" and (inside_type or receiver):
            kind = "method"  # a Pascal class's `procedure Draw;`, `procedure TShape.Draw;`
        names.add(span)
        found.append(Found(node, kind, name, receiver, len(around)))
        around.append((node.end_byte, kind))
    return found


def _name(
    node: SyntaxNode, rules: dict[str, Rule], strict: bool
) -> tuple[SyntaxNode, str | None] | None:
    """The node that names a definition node (see the module's rule), and the kind of
    the header it was found in when that header is a definition type."""
    named = _own_name(node, strict)
    if named is not None:
        return named, None
    leading = [c for c in node.children if c.is_named and not _aside(c.type)]
    for header in leading[: 1 if strict else 2]:
        if _is_header(header.type, strict):
            named = _own_name(header)
            if named is not None:
                rule = rules.get(header.type)
                return named, rule.kind if rule is not None else None
    return None


def _is_header(node_type: str, strict: bool) -> bool:
    found = words(node_type)
    if not found or _NOT_HEADERS.intersection(found):
        return False
    if found[-1] in _HEADERS:
        return True
    return not strict and (found[-1] in _HEADER_MARKERS or rule_for(node_type) is not None)


def _own_name(node: SyntaxNode, strict: bool = False) -> SyntaxNode | None:
    """A node's own name: its ``name`` field, the end of its ``declarator`` chain, a
    child in a name-like field, or (first of its named children only when ``strict``)
    an identifier without a field."""
    named = node.child_by_field_name("name")
    if named is not None:
        return named
    fields = [node.field_name_for_child(i) for i in range(len(node.children))]
    # One declarator (C's `declarator:` chain), not a list (Fortran's `module procedure
    # a, b` in an interface names procedures defined elsewhere).
    declarator = node.child_by_field_name("declarator") if fields.count("declarator") == 1 else None
    for _ in range(_DECLARATOR_DEPTH):
        if declarator is None:
            break
        if _is_name_type(declarator.type):
            return declarator
        inner = declarator.child_by_field_name("declarator")
        if inner is None:  # C++'s `reference_declarator` holds its declarator in no field
            inner = next((c for c in declarator.children if _is_declarator(c)), None)
        if inner is None:  # the end of the chain (Fortran's `binding`: `norm => point_norm`)
            return next((c for c in declarator.children if _is_name_child(c)), None)
        declarator = inner
    first = True
    for child, field in zip(node.children, fields, strict=True):
        if not child.is_named or _aside(child.type):
            continue
        # A name-like field (F#'s `exception_name:`, Common Lisp's `function_name:`), or
        # one named for what is defined (VHDL's `package_body` names it in `package:`).
        # Not the name repeated at the end (Ada's `end Is_Origin;` in `endname:`).
        if field is not None and (
            field in _NAME_FIELDS
            or (field.endswith("name") and not field.startswith("end"))
            or field in KINDS
        ):
            return child
        if field is None and _is_name_type(child.type) and (first or not strict):
            return child
        first = False
    return None


def _parts(named: SyntaxNode, source: bytes) -> tuple[SyntaxNode, bytes | None]:
    """The name itself (the last identifier of a name with parts) and its qualifier."""
    name = named
    for _ in range(_DECLARATOR_DEPTH):
        if any(c.type == "scope" for c in name.children):
            break  # a scope is part of the name, no owner (Vim's `s:helper`, `g:Setup`)
        parts = [c for c in name.children if _is_name_child(c)]
        if not parts:  # or its only part (Nim's `exported_symbol` of a `` `quoted` ``)
            parts = [c for c in name.children if c.is_named]
            if len(parts) != 1:
                break
        name = parts[-1]
    if name is named:
        return name, None
    qualifier = source[named.start_byte : name.start_byte].rstrip(b".:->' \t")
    return name, qualifier if _QUALIFIER.match(qualifier) else None


def _is_declarator(node: SyntaxNode) -> bool:
    return node.is_named and words(node.type)[-1:] == ["declarator"]


def _is_name_child(node: SyntaxNode) -> bool:
    return node.is_named and _is_name_type(node.type)


def _is_name_type(node_type: str) -> bool:
    found = words(node_type)
    return bool(found) and found[-1] in _NAME_WORDS


_ASIDE = frozenset({"comment", "attribute", "annotation", "decorator", "pragma", "modifier"})


def _aside(node_type: str) -> bool:
    """Children that precede a definition's name without being it (comments, ...)."""
    return bool(_ASIDE.intersection(words(node_type)))
