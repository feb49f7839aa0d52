"""From raw tags to definitions and references of one blob.

Pure Python: it decides the blob's status, nests definitions into qualified names
(``Class.method``, ``outer.inner``, ``pkg.Type.Method``), attaches each reference to the
definition that encloses it, and hashes definition bodies so an unchanged definition is
recognised across commits.

Spans follow the schema's convention: bytes 0-based half-open, lines 1-based, columns
0-based in bytes.
"""

from __future__ import annotations

import bisect
import gc
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from symbiote.indexer import bindings, extract_text, parse, sfc
from symbiote.indexer.bindings import Binding

if TYPE_CHECKING:
    from symbiote.indexer.sidecar_files import Note
from symbiote.indexer.languages import COMPONENTS, GENERIC, is_supported
from symbiote.indexer.schema import (
    STATUS_BINARY,
    STATUS_ENCODING_ERROR,
    STATUS_GENERIC,
    STATUS_OK,
    STATUS_PARSE_ERROR,
    STATUS_TOO_LARGE,
    STATUS_UNSUPPORTED,
)

# Version of the extraction logic in this module; bump when its output changes for the
# same patterns. Recorded per blob so changed logic re-extracts old blobs.
# 3: every syntax error names a line (a missing token the tree does not list had none).
# 4: a definition with its neighbour's very span is its sibling, not its child; methods
#    defined outside their owner link to an owner that is a function (JS constructors).
# 5: a file-level package ends where the next one starts (Perl `package X;`, PHP
#    `namespace X;` twice in one file), instead of nesting the second in the first.
# 6: bindings (code_bindings) and declared types (code_symbols.type); references by a
#    bare name that a function binds (its locals) are dropped; `skip` references too;
#    a call's argument hints (code_references.arguments).
# 7: Java calls, types and annotations by a bare name are never locals (other namespaces);
#    functions without a name of their own (`scope` bindings: JS callbacks) are scopes
#    of their own locals too.
# 8: blobs.lines (the line count of a parsed blob).
# 9: `scope` binding rows (functions without a name of their own that hold a stored
#    binding: a Go func literal's or a JS callback's parameters are in force only there).
# 10: comments are left out of references' contexts (a chain over several lines with a
#    comment between its steps was cut at the comment).
# 11: `scope` rows also for the functions without a name of their own that hold a
#    definition (a test callback's own `type Env`), not only a stored binding.
# 12: a function's nested definition is not dropped as a local where the function also
#    assigns its name (`handler = wrap(handler)` after `def handler`).
EXTRACTOR_VERSION = 12

# Languages whose file-level package clauses are absolute, so the next one ends the one
# before (Perl `package B;`, PHP `namespace B;`). Elsewhere a later clause nests in the
# earlier one: Scala's `package a.b` then `package c` is the package a.b.c.
_SEQUENTIAL_PACKAGES = frozenset({"perl", "php"})

# Definition kinds that make a nested function a method.
_TYPE_KINDS = frozenset(
    {"class", "struct", "interface", "trait", "enum", "scope", "union", "record", "object"}
)


class Definition(NamedTuple):
    """A definition found in a blob (one row of ``code_symbols``, in column order)."""

    idx: int  # ordinal within the blob, in source order
    name: str
    qualified_name: str
    kind: str
    parent: str | None  # qualified name of the enclosing definition or type
    parent_idx: int | None  # idx of the enclosing definition when it is in this blob
    start_byte: int
    end_byte: int
    start_line: int
    end_line: int
    start_col: int
    end_col: int
    name_line: int
    name_col: int
    signature: str
    docstring: str | None
    body_hash: str
    sketch: list[int]  # bottom-k hashes of the body's lines after the first: similarity
    type: str | None = None  # declared type (fields, variables) or result (functions)


class ReferenceRow(NamedTuple):
    """A use of a name in a blob (one row of ``code_references``, in column order)."""

    idx: int
    name: str
    kind: str
    start_byte: int
    end_byte: int
    start_line: int
    end_line: int
    start_col: int
    end_col: int
    enclosing: str | None  # qualified name of the innermost enclosing definition
    enclosing_idx: int | None
    context: str | None  # module of an import, object of a member access (see parse.py)
    arguments: list[str] | None  # a call's argument hints (see arguments.py), else None


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extracted from one blob as one language."""

    status: str
    detail: str | None = None
    definitions: list[Definition] = field(default_factory=list)
    references: list[ReferenceRow] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)  # entries of a sidecar file
    bindings: list[Binding] = field(default_factory=list)  # names bound with type evidence
    lines: int | None = None  # lines of text, when parsed


@dataclass(frozen=True, slots=True)
class Limits:
    """What the extractor accepts."""

    max_bytes: int = 1_048_576  # larger blobs get status too_large
    binary_probe: int = 8000  # a NUL byte in this many leading bytes means binary
    # Definitions nested deeper are not recorded (the detail counts them): qualified names
    # and body hashes cost depth x size, so 10,000 nested functions took minutes and GBs.
    max_depth: int = 100


def classify(data: bytes, limits: Limits) -> Extraction | None:
    """Status for a blob that is not parsed at all, or None when it should be parsed."""
    if b"\0" in data[: limits.binary_probe]:
        return Extraction(STATUS_BINARY, "NUL byte in the first bytes")
    if len(data) > limits.max_bytes:
        return Extraction(STATUS_TOO_LARGE, f"{len(data)} bytes > limit {limits.max_bytes}")
    return None


def extract(language: str, data: bytes, limits: Limits | None = None) -> Extraction:
    """Extract the definitions and references of ``data`` written in ``language``."""
    # The cyclic garbage collector is paused meanwhile: extraction allocates a container
    # per match and per row (100,000s for a large file), which set off collections that
    # walk them all again (~10 % of the CPU) though none of them is part of a cycle.
    # Whatever cycles there are, the next collection after this finds them.
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        return _extract(language, data, limits or Limits())
    finally:
        if paused:
            gc.enable()


def _extract(language: str, data: bytes, limits: Limits) -> Extraction:
    if not is_supported(language):
        return Extraction(STATUS_UNSUPPORTED, f"no patterns for {language}")
    early = classify(data, limits)
    if early is not None:
        return early
    generic = language in GENERIC
    if generic:
        result = parse.parse_generic(language, data, limits.max_depth)
    elif language in COMPONENTS:
        result = sfc.parse_component(language, data, limits.max_depth)
    else:
        result = parse.parse(language, data, limits.max_depth)
    definitions, too_deep = _definitions(
        result.tags, data, limits.max_depth, language in _SEQUENTIAL_PACKAGES
    )
    bound = bindings.bindings(result.bindings, definitions, data)
    scopes = bindings.Locals(bound, definitions, bindings.anonymous_scopes(result.bindings))
    references = _references(
        result.references, result.tags, definitions, data, bound, scopes, language
    )
    status, detail = STATUS_OK, None
    if result.has_error:
        where = f" at line {result.error_line}" if result.error_line else ""
        status, detail = STATUS_PARSE_ERROR, f"syntax error{where}; kept what parsed"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # The encoding is the root cause of any syntax error it brings, so it wins.
        status = STATUS_ENCODING_ERROR
        detail = f"invalid UTF-8 at byte {exc.start}; names decoded with replacement" + (
            f"; {detail}" if detail else ""
        )
    if generic:
        # The level is what a reader must know first: a generic blob is `generic` even
        # with syntax errors or bad UTF-8, which its detail then says.
        status = STATUS_GENERIC
    if too_deep:
        skipped = f"{too_deep} definitions nested deeper than {limits.max_depth} levels skipped"
        detail = f"{detail}; {skipped}" if detail else skipped
    lines = data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
    return Extraction(
        status,
        detail,
        definitions,
        references,
        [],
        bindings.evident(bound, result.bindings, definitions),
        lines,
    )


@dataclass(slots=True)
class _Node:
    tag: parse.RawTag
    end: int  # effective end (a file-level package extends to the end of the file, or the next)
    qualified_name: str = ""
    kind: str = ""
    parent: _Node | None = None
    idx: int | None = None


def _dedupe(tags: list[parse.RawTag]) -> list[parse.RawTag]:
    """One tag per name node; the earliest pattern wins."""
    best: dict[tuple[int, int], parse.RawTag] = {}
    for tag in tags:
        key = (tag.name_start_byte, tag.name_end_byte)
        current = best.get(key)
        if current is None or tag.pattern < current.pattern:
            best[key] = tag
    return list(best.values())


def _definitions(
    tags: list[parse.RawTag], data: bytes, max_depth: int, sequential_packages: bool = False
) -> tuple[list[Definition], int]:
    """The definitions, and how many were skipped for being nested deeper than max_depth.
    With ``sequential_packages`` a file-level package ends where the next one starts."""
    containers = _dedupe([t for t in tags if t.role in ("definition", "scope")])
    package_starts = (
        sorted(t.start_byte for t in containers if t.kind == "package")
        if sequential_packages
        else []
    )
    nodes = [
        _Node(
            t,
            _package_end(t.start_byte, package_starts, len(data))
            if t.kind == "package"
            else t.end_byte,
        )
        for t in containers
    ]
    # Definitions of one span (a chain's names) keep the order of their names.
    nodes.sort(key=lambda n: (n.tag.start_byte, -n.end, n.tag.pattern, n.tag.name_start_byte))
    stack: list[_Node] = []
    kept: list[_Node] = []
    too_deep = 0
    for node in nodes:
        # A definition nests in the innermost container around it, but two definitions of
        # the very same span are siblings (the names of a chain `a.x = a.y = function () {}`;
        # a scope keeps what shares its span, as C++ `namespace a::b` keeps b in a).
        while stack and (
            not (node.tag.start_byte < stack[-1].end and node.end <= stack[-1].end)
            or (
                node.tag.start_byte == stack[-1].tag.start_byte
                and node.end == stack[-1].end
                and node.tag.role == stack[-1].tag.role == "definition"
            )
        ):
            stack.pop()
        if len(stack) >= max_depth:  # never pushed: what it encloses is skipped too
            too_deep += node.tag.role == "definition"
            continue
        kept.append(node)
        node.parent = stack[-1] if stack else None
        if node.tag.owner is not None:  # it belongs to a definition further out
            node.parent = _owner(stack, node.tag.owner) or node.parent
        name = extract_text.decoded(node.tag.name)
        kind = node.tag.kind
        if kind == "package":
            kind = "module"
        if kind == "function" and node.parent is not None and node.parent.kind in _TYPE_KINDS:
            kind = "method"
        node.kind = kind
        prefix = node.parent.qualified_name if node.parent is not None else ""
        if node.tag.receiver is not None:
            receiver = extract_text.decoded(node.tag.receiver).replace("::", ".")  # ns::Foo::m
            prefix = f"{prefix}.{receiver}" if prefix else receiver
        node.qualified_name = f"{prefix}.{name}" if prefix else name
        stack.append(node)

    definitions: list[Definition] = []
    for node in kept:
        if node.tag.role != "definition":
            continue
        node.idx = len(definitions)
        tag = node.tag
        parent_name: str | None = None
        parent_idx: int | None = None
        if tag.receiver is not None:
            parent_name = node.qualified_name.rsplit(".", 1)[0]
        elif node.parent is not None:
            parent_name = node.parent.qualified_name
            parent_idx = node.parent.idx
        definitions.append(
            Definition(
                idx=node.idx,
                name=extract_text.decoded(tag.name),
                qualified_name=node.qualified_name,
                kind=node.kind,
                parent=parent_name,
                parent_idx=parent_idx,
                start_byte=tag.start_byte,
                end_byte=tag.end_byte,
                start_line=tag.start_point[0] + 1,
                end_line=tag.end_point[0] + 1,
                start_col=tag.start_point[1],
                end_col=tag.end_point[1],
                name_line=tag.name_point[0] + 1,
                name_col=tag.name_point[1],
                signature=extract_text.clean_signature(tag.signature or b""),
                docstring=extract_text.clean_doc(tag.doc),
                body_hash=extract_text.body_hash(
                    data[tag.start_byte : tag.end_byte], tag.start_point[1]
                ),
                sketch=extract_text.line_sketch(data[tag.start_byte : tag.end_byte]),
                type=extract_text.declared(tag.type),
            )
        )
    if any(d.parent_idx is None and d.parent is not None for d in definitions):
        definitions = _link_receivers(definitions)
    return definitions, too_deep


def _package_end(start: int, package_starts: list[int], size: int) -> int:
    """Where a file-level package clause starting at ``start`` ends: at the next one, or
    at the end of the file."""
    later = bisect.bisect_right(package_starts, start)
    return package_starts[later] if later < len(package_starts) else size


def _owner(stack: list[_Node], span: tuple[int, int]) -> _Node | None:
    """The enclosing definition whose node spans ``span`` (a tag's @owner), if any."""
    for node in reversed(stack):
        if (node.tag.start_byte, node.tag.end_byte) == span:
            return node
    return None


def _link_receivers(definitions: list[Definition]) -> list[Definition]:
    """Point methods defined outside their owner (Go receivers, C++ `Foo::bar`, JavaScript
    `Foo.prototype.bar`) at it when it is defined in the same blob: a type, or a function
    (a JavaScript constructor function)."""
    by_name = {d.qualified_name: d.idx for d in definitions if d.kind != "method"}
    out = []
    for d in definitions:
        if d.parent_idx is None and d.parent is not None and d.parent in by_name:
            d = d._replace(parent_idx=by_name[d.parent])
        out.append(d)
    return out


def _references(
    raw: list[parse.RawReference],
    tags: list[parse.RawTag],
    definitions: list[Definition],
    data: bytes,
    bound: list[Binding],
    scopes: bindings.Locals,
    language: str,
) -> list[ReferenceRow]:
    named = {(t.name_start_byte, t.name_end_byte) for t in tags if t.role == "definition"}
    # A bound name is no use (nor is a name an import binds: `const { a } = require(m)`);
    # an attribute assigned (`self.x = ...`) is a write.
    named.update(
        (b.start_byte, b.end_byte) for b in bound if b.context is None or b.kind == "import"
    )
    starts = {start for start, _ in named}  # most references start at none of them
    candidates = [
        r for r in raw if r[5] != "skip" and (r[0] not in starts or (r[0], r[1]) not in named)
    ]
    # Kinds whose bare names may be locals (an import never is; see bindings.NOT_LOCAL).
    not_local = bindings.NOT_LOCAL.get(language, frozenset()) | {"import"}
    candidates.sort()  # by span: a raw reference starts with its start and end byte
    # Innermost enclosing definition: walk definitions in source order with a stack of
    # the ones still open at the current position.
    spans = sorted(definitions, key=lambda d: (d.start_byte, -d.end_byte))
    references: list[ReferenceRow] = []
    append = references.append
    stack: list[Definition] = []
    position = 0
    # Names and contexts repeat within a file (``self``, imported names): decode once.
    names: dict[bytes, tuple[str, int, int]] = {}  # text, newlines, length after the last
    contexts: dict[bytes | None, str | None] = {None: None}
    new = tuple.__new__  # builds a row without NamedTuple's Python-level __new__
    # Names some function binds (asked once, not once per reference); only those may be
    # locals, which scopes.bound() then decides.
    bound_somewhere = scopes.anywhere if scopes else frozenset()
    # The innermost definition changes only where the next one starts or it ends.
    enclosing_name: str | None = None
    enclosing_idx: int | None = None
    change = 0
    for start, end, row, column, _pattern, kind, context, hints in candidates:
        if start >= change:
            while position < len(spans) and spans[position].start_byte <= start:
                while stack and stack[-1].end_byte <= spans[position].start_byte:
                    stack.pop()
                stack.append(spans[position])
                position += 1
            while stack and stack[-1].end_byte <= start:
                stack.pop()
            enclosing = stack[-1] if stack else None
            enclosing_name = enclosing.qualified_name if enclosing else None
            enclosing_idx = enclosing.idx if enclosing else None
            change = min(
                spans[position].start_byte if position < len(spans) else sys.maxsize,
                enclosing.end_byte if enclosing else sys.maxsize,
            )
        name = data[start:end]
        decoded = names.get(name)
        if decoded is None:
            lines = name.count(b"\n")
            tail = len(name) - name.rfind(b"\n") - 1 if lines else len(name)
            decoded = names[name] = (extract_text.decoded(name), lines, tail)
        text, lines, tail = decoded
        if (
            text in bound_somewhere
            and context is None
            and kind not in not_local
            and scopes.bound(text, start)
        ):
            continue  # a parameter or local of the function it is in, not a definition
        if context in contexts:
            where = contexts[context]
        else:
            where = contexts[context] = extract_text.context(context, language)
        append(
            new(
                ReferenceRow,
                (
                    len(references),
                    text,
                    kind,
                    start,
                    end,
                    row + 1,
                    row + 1 + lines,
                    column,
                    tail if lines else column + tail,
                    enclosing_name,
                    enclosing_idx,
                    where,
                    None if hints is None else list(hints),
                ),
            )
        )
    return references
