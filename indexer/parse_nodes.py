"""What a definition's syntax node says beyond its name: its body, its signature (the
text up to the body), its doc (a docstring or the comments above it), and where a tree's
first syntax error is. Reads nodes through their methods only; tree-sitter itself is
imported by :mod:`symbiote.indexer.parse` alone."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Node = Any  # a tree-sitter node

# Node types that hold the body of a definition, when the grammar has no `body` field.
_BODY_TYPES = frozenset(
    {
        "block",
        "body_statement",
        "class_body",
        "compound_statement",
        "declaration_list",
        "enum_body",
        "enum_variant_list",
        "field_declaration_list",
        "interface_body",
        "statement_block",
        "object_type",
        "constructor_body",
        "enum_member_declaration_list",
    }
)

# Leading children of a definition that are not its signature.
_PREAMBLE_TYPES = frozenset(
    {
        "attribute_list",
        "attribute_item",
        "annotation",
        "marker_annotation",
        "decorator",
        "comment",
        "line_comment",
        "block_comment",
    }
)

_COMMENT_TYPES = frozenset(
    {
        "comment",
        "line_comment",
        "block_comment",
        "doc_comment",
        "multiline_comment",  # Kotlin, Swift
        "documentation_comment",  # Dart
    }
)


def body_of(node: Node) -> Node | None:
    body = node.child_by_field_name("body")
    if body is not None:
        return body
    for child in node.named_children:
        if child.type in _BODY_TYPES:
            return child
    return None


def signature(node: Node, body: Node | None, source: bytes) -> bytes:
    """The definition's text up to its body or to a comment before the body."""
    if body is None or body.start_byte <= node.start_byte:
        start = node.start_byte
        for child in node.children:  # skip attributes and annotations on their own lines
            if child.type not in _PREAMBLE_TYPES:
                start = child.start_byte
                break
        return source[start : node.end_byte].split(b"\n", 1)[0]
    end = body.start_byte
    for child in node.children:
        if child.start_byte >= end:
            break
        if child.type in _COMMENT_TYPES:
            end = child.start_byte
            break
    return source[node.start_byte : end]


def doc(node: Node, body: Node | None, source: bytes) -> bytes | None:
    # Python style: a string as the first statement of the body.
    if body is not None and body.named_child_count > 0:
        first = body.named_child(0)
        if first.type == "expression_statement" and first.named_child_count == 1:
            first = first.named_child(0)
        if first.type == "string":
            return source[first.start_byte : first.end_byte]
    # Everyone else: the comments directly above the definition (or its decorators,
    # export statement or attribute list), without a blank line in between.
    anchor, parent = node, node.parent  # a node's parent is a walk from the root: once
    while parent is not None and parent.type in (
        "decorated_definition",
        "export_statement",
        "template_declaration",
    ):
        anchor, parent = parent, parent.parent
    comments: list[Node] = []
    expected_row = anchor.start_point.row
    sibling = anchor.prev_sibling
    # Attributes and annotations that are siblings (Rust, Dart) lie between doc and node.
    while sibling is not None and sibling.type in (*_COMMENT_TYPES, "attribute_item", "annotation"):
        if sibling.end_point.row < expected_row - 1:
            break
        if sibling.type in _COMMENT_TYPES:
            comments.append(sibling)
        expected_row = sibling.start_point.row
        sibling = sibling.prev_sibling
    if not comments:
        return None
    comments.reverse()
    return b"\n".join(source[c.start_byte : c.end_byte] for c in comments)


def first_error_line(root: Node) -> int:
    """1-based line of the first syntax error under ``root`` (which has one)."""
    node = root
    while not (node.is_error or node.is_missing):
        for child in node.children:
            if child.has_error or child.is_missing:
                node = child
                break
        else:
            # No child shows it: the error is a token the tree does not list (a missing
            # newline or dedent, as lone CR line endings give), inside this node.
            break
    return int(node.start_point.row) + 1


def error_extent(root: Node) -> int:
    """How much of a tree is syntax errors: the bytes under its error nodes, plus one per
    missing token (0 for a tree without errors)."""
    extent = 0
    stack = [root] if root.has_error else []
    while stack:
        node = stack.pop()
        if node.is_error:
            extent += node.end_byte - node.start_byte
        elif node.is_missing:
            extent += 1
        else:
            stack.extend(c for c in node.children if c.has_error or c.is_missing)
    return extent


@dataclass(frozen=True, slots=True)
class JoinedName:
    """A name captured on several nodes: the span of all of them, read like a node's."""

    start_byte: int
    end_byte: int
    start_point: Any  # a tree-sitter point: row, column


def joined_name(nodes: list[Node]) -> JoinedName:
    """From the first node's start to the last node's end, with what lies between."""
    first = min(nodes, key=lambda node: node.start_byte)
    last = max(nodes, key=lambda node: node.end_byte)
    return JoinedName(first.start_byte, last.end_byte, first.start_point)


def text_of(nodes: list[Node] | None, source: bytes) -> bytes | None:
    """The text from the first node's start to the last one's end (None: no nodes)."""
    if not nodes:
        return None
    return source[nodes[0].start_byte : nodes[-1].end_byte]


def name_span(node: Any, source: bytes) -> tuple[int, int, tuple[int, int]]:
    """Start byte, end byte and start point of a definition's name: a Ruby symbol
    (`attr_reader :x`) and an Elixir atom (`defstruct [:x]`) name without their colon, an
    OCaml polymorphic variant (`` [`Auto] ``) without its backquote, an Elixir keyword
    (`defstruct x: 0`) without its colon and space."""
    start, end, point = node.start_byte, node.end_byte, node.start_point
    if not isinstance(node, JoinedName):  # a tree-sitter node
        if node.type in ("simple_symbol", "atom", "tag") and source[start : start + 1] in (
            b":",
            b"`",
        ):
            return start + 1, end, (point.row, point.column + 1)
        if node.type == "keyword":
            end = start + len(source[start:end].rstrip().rstrip(b":"))
    return start, end, (point.row, point.column)
