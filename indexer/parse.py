"""The tree-sitter boundary: parse a source text and run a language's tag patterns.

This is the only module that imports ``tree_sitter`` and the language pack. It turns the
nodes matched by ``patterns/<language>.scm`` into plain :class:`RawTag` records, so the
rest of the indexer never touches tree-sitter objects.

Pattern conventions (those of tree-sitter's ``tags.scm``):

* ``@definition.<kind>`` on a definition node, ``@name`` on its identifier;
* ``@reference.<kind>`` on a use, ``@name`` on the identifier used;
* ``@name`` on several nodes of one match names the text from the first one's start to
  the last one's end, for a name the grammar splits into tokens (C# ``operator ==``,
  ``~Foo``);
* ``@scope`` on a node that names an enclosing scope without defining anything
  (a Rust ``impl`` block), ``@name`` on that name;
* ``@receiver`` (optional, on definitions) names the type a method belongs to when the
  method is not nested inside it (Go receivers);
* ``@owner`` (optional, on definitions) is the node of an enclosing definition that the
  definition belongs to when others lie in between (a PHP property promoted by a
  constructor parameter belongs to the class, not to the constructor);
* ``@context`` (optional, on references) is what qualifies the name: the module an
  import comes from (``from a.b import c`` -> ``a.b``), or the object of a member
  access (``self.run()`` -> ``self``);
* ``@definition.<kind>`` on several nodes of one match spans from the first one's start
  to the last one's end, the last being the body (Dart keeps a method's signature and
  its body side by side, with no node around both);
* ``@definition.package`` marks a file-level package or namespace clause whose name
  prefixes every later definition of the file (Go ``package``, Java ``package``);
* ``@context`` and ``@receiver`` on several nodes of one match name the text from the
  first one's start to the last one's end, as ``@name`` does (Elm's ``Json.Decode.field``
  -> context ``Json.Decode``);
* ``@receiver`` (on a definition) or ``@context`` (on a reference) on the ``@name`` node
  itself splits a dotted name the grammar reads as one token (Elixir's ``MyApp.Repo``) at
  its last dot: ``MyApp`` qualifies, ``Repo`` names.

* ``@reference.<role>``: the role is what the use does with the name: ``call``, ``read``,
  ``write``, ``type``, ``decorator``, ``inherit`` or ``import``
  (:data:`symbiote.indexer.schema.REFERENCE_KINDS`); ``@reference.skip`` marks a name
  node that uses nothing (a keyword argument's name, an import alias) so that a later,
  broader pattern (a catch-all ``(identifier) @name @reference.read``) leaves it alone;
* ``@type`` (optional, on definitions) is the declared type of a field or variable, or
  the declared result of a function (``def f() -> Client``);
* ``@arguments`` (optional, on call references) is the call's argument list: its
  arguments' count and what they say of their types (:mod:`symbiote.indexer.arguments`),
  to pick an overload;
* ``@binding.<kind>`` on a binding, ``@name`` on the bound name, optional ``@type``,
  ``@value`` and ``@context``: a parameter, local or attribute and the evidence of its
  type (see :mod:`symbiote.indexer.bindings` for the kinds and what they are for).

Earlier patterns in a file take precedence when two patterns capture the same node.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import NamedTuple, cast

import tree_sitter
import tree_sitter_language_pack

from symbiote.indexer import arguments, cmacros, generic, parse_nodes, pattern_plan, tsmask
from symbiote.indexer.errors import SymbioteError
from symbiote.indexer.languages import GENERIC, grammar
from symbiote.indexer.pattern_plan import Plan, Role

# Grammars whose scanner never returns on some texts that end without a newline
# (tree-sitter-perl: a comment after a bareword at the very end, `foo #x`); they parse
# the text with a newline appended.
_NEWLINE_AT_END = frozenset({"perl"})


class RawTag(NamedTuple):
    """One tag as matched, with byte spans and 0-based (row, column) points. A named
    tuple: a frozen dataclass's 16 fields cost 16 calls to build (~4 us a tag)."""

    role: Role
    kind: str  # e.g. "function", "call"; "scope" for scopes
    pattern: int  # index of the pattern that matched (lower wins)
    start_byte: int
    end_byte: int
    start_point: tuple[int, int]
    end_point: tuple[int, int]
    name: bytes
    name_start_byte: int
    name_end_byte: int
    name_point: tuple[int, int]
    receiver: bytes | None  # explicit owner type (Go method receivers)
    owner: tuple[int, int] | None  # byte span of the enclosing definition it belongs to
    signature: bytes | None  # definition text up to its body, definitions only
    doc: bytes | None  # raw docstring or preceding comments, definitions only
    type: bytes | None = None  # the @type capture: declared type, or a function's result


# A use of a name, as matched: ``(start_byte, end_byte, row, column, pattern, kind,
# context, arguments)`` of the name node, with a 0-based point; ``context`` is the
# @context capture's text (module of an import, object of a member), ``arguments`` one
# hint per argument of a call (None: no @arguments). A plain tuple, not a NamedTuple: a
# large file has 10,000s of them, and tuples sort by span without a key function.
RawReference = tuple[int, int, int, int, int, str, bytes | None, tuple[str, ...] | None]
# A name bound in a scope, as matched: ``(start_byte, end_byte, row, column, pattern,
# kind, type, value, context)`` of the bound name; ``type`` is the @type capture's text (a
# declared type), ``value`` the @value capture's (what is assigned: a call's callee, a
# name), ``context`` the object of an attribute bound (``self`` in ``self.x = ...``).
RawBinding = tuple[int, int, int, int, int, str, bytes | None, bytes | None, bytes | None]


@dataclass(frozen=True, slots=True)
class ParseResult:
    """All tags of one source text, plus whether the tree had syntax errors.

    ``references`` holds one entry per name node (the earliest pattern wins), in no
    particular order; definitions and scopes are in ``tags``.
    """

    tags: list[RawTag]
    references: list[RawReference]
    has_error: bool
    error_line: int | None  # 1-based line of the first syntax error
    bindings: list[RawBinding] = field(default_factory=list)  # one per bound name node


class PatternError(SymbioteError):
    """A pattern file does not compile against its grammar (a bug in our package)."""


_INHERITS = "; inherits: "


def patterns_source(language: str) -> str:
    """The text of the pattern file for ``language``. A line ``; inherits: OTHER``
    appends OTHER's patterns after the file's own (which therefore take precedence),
    as tree-sitter's own query files do for dialects such as TSX. A language without
    patterns of its own (:data:`GENERIC`) has the generic rule's, made from its grammar."""
    if language in GENERIC:
        return generic.patterns(_generic_rules(language))
    text = (
        resources.files("symbiote.indexer.patterns").joinpath(f"{language}.scm").read_text("utf-8")
    )
    parents = [
        line[len(_INHERITS) :].strip() for line in text.splitlines() if line.startswith(_INHERITS)
    ]
    return "\n".join([text, *(patterns_source(parent) for parent in parents)])


def patterns_digest(languages: tuple[str, ...]) -> str:
    """A hash of every pattern file, recorded in the store so changes trigger re-extraction."""
    digest = hashlib.sha256()
    for language in languages:
        digest.update(language.encode())
        if language in GENERIC:
            # The generic rule's patterns follow from its tables (generic.RULES) and the
            # grammar, which the bundle's version names (catalog.blob_digest records it
            # with this digest): hashing them needs no grammar loaded (an index run
            # hashes every language: 51 grammar loads, ~0.08 s).
            digest.update(generic.RULES)
        else:
            digest.update(patterns_source(language).encode())
        if language in cmacros.LANGUAGES:
            digest.update(cmacros.RULES)
        if language in tsmask.LANGUAGES:
            digest.update(tsmask.RULES)
    return digest.hexdigest()[:16]


@functools.cache
def grammar_version() -> str:
    """Versions of the parser runtime and grammar bundle, for the index metadata (read
    once per process: each read parses the packages' metadata files, ~5 ms)."""
    from importlib.metadata import version

    return (
        f"tree-sitter {version('tree-sitter')}; "
        f"tree-sitter-language-pack {version('tree-sitter-language-pack')}"
    )


@functools.cache
def _generic_rules(language: str) -> dict[str, generic.Rule]:
    lang = tree_sitter_language_pack.get_language(grammar(language))  # type: ignore[arg-type]
    kinds = [i for i in range(lang.node_kind_count) if lang.node_kind_is_named(i)]
    return generic.table(
        lang.node_kind_for_id(i) or "" for i in kinds if lang.node_kind_is_visible(i)
    )


_joined_name = parse_nodes.joined_name
_text_of = parse_nodes.text_of
NameNode = tree_sitter.Node | parse_nodes.JoinedName
Captures = dict[str, list[tree_sitter.Node]]
# A definition or scope as matched: role, kind, pattern, its first and last node, name.
_Found = tuple[Role, str, int, tree_sitter.Node, tree_sitter.Node, NameNode, Captures]

_NON_ASCII = re.compile(rb"[\x80-\xff]")


@dataclass(frozen=True, slots=True)
class _Compiled:
    parser: tree_sitter.Parser
    query: tree_sitter.Query  # every pattern but those of `top`
    plans: list[Plan]  # by pattern index
    # The patterns rooted at the grammar's root node (`(program [...])`: top-level
    # definitions), as a query of their own, and their indexes in `query`. Run in one
    # query with the others, each of them stays in progress over the whole tree and is
    # tried at every node (TypeScript: 5 patterns, over half of the matching time); run
    # alone from the root only, the cursor leaves the subtrees they cannot reach.
    top: tree_sitter.Query | None = None
    top_patterns: tuple[int, ...] = ()
    # By pattern index: the kind of a reference pattern that captures @name in every
    # match, else None (its matches take the general path in parse()).
    reference_kinds: tuple[str | None, ...] = ()


@functools.cache
def _compiled(language: str, generic_rule: bool = False) -> _Compiled:
    lang = tree_sitter_language_pack.get_language(grammar(language))  # type: ignore[arg-type]
    source = generic.patterns(_generic_rules(language)) if generic_rule else None
    source = patterns_source(language) if source is None else source
    try:
        query = tree_sitter.Query(lang, source)
    except (tree_sitter.QueryError, ValueError) as exc:
        raise PatternError(f"patterns for {language} do not compile: {exc}") from exc
    text = source.encode()
    texts = [
        text[query.start_byte_for_pattern(i) : query.end_byte_for_pattern(i)].decode()
        for i in range(query.pattern_count)
    ]
    plans = [pattern_plan.plan(pattern) for pattern in texts]
    parser = tree_sitter.Parser(lang)
    root_type = parser.parse(b"\n").root_node.type
    top_patterns = tuple(
        i for i, pattern in enumerate(texts) if pattern_plan.root_of(pattern) == root_type
    )
    top = None
    if top_patterns and not generic_rule:
        top = tree_sitter.Query(lang, "\n".join(texts[i] for i in top_patterns))
        for i in top_patterns:
            query.disable_pattern(i)
    # A reference's own node is never read (only its @name and @context), so it is not
    # captured: that saves a node object per match.
    for capture in {plan[2] for plan in plans if plan[0] in ("reference", "binding")}:
        for compiled in (query, top):
            if compiled is not None:
                compiled.disable_capture(capture)
    kinds = tuple(
        kind if role == "reference" and _always_named(query, i) else None
        for i, (role, kind, _) in enumerate(plans)
    )
    return _Compiled(parser, query, plans, top, top_patterns if top else (), kinds)


def _always_named(query: tree_sitter.Query, pattern: int) -> bool:
    """Whether every match of ``pattern`` captures @name (py-tree-sitter 0.26 raises
    SystemError for the quantifier of a capture that the pattern lacks)."""
    names = [i for i in range(query.capture_count) if query.capture_name(i) == "name"]
    try:
        return bool(names) and query.capture_quantifier(pattern, names[0]) in ("", "+")
    except SystemError:
        return False


def _matches(compiled: _Compiled, root: tree_sitter.Node) -> list[tuple[int, Captures]]:
    """Every match of the language's patterns under ``root``, with the pattern indexes
    of the pattern file. The patterns rooted at the root node's type start at the root
    only: no grammar here has that type below its root."""
    matches = tree_sitter.QueryCursor(compiled.query).matches(root)
    if compiled.top is not None:
        cursor = tree_sitter.QueryCursor(compiled.top)
        cursor.set_max_start_depth(0)
        indexes = compiled.top_patterns
        matches += [(indexes[i], captures) for i, captures in cursor.matches(root)]
    return matches


def parse(language: str, source: bytes, max_depth: int | None = None) -> ParseResult:
    """Parse ``source`` and return every tag the language's patterns capture.

    Definitions inside ``max_depth`` or more others get no signature and no doc (the
    extractor skips them): tree-sitter finds a node's parent and siblings by walking down
    from the root, so looking for the doc of each of N nested definitions costs N**2.
    """
    compiled = _compiled(language)
    # What is parsed: the source with C/C++ attribute macros blanked, at the same offsets.
    parsed = cmacros.mask(language, source)
    if language in _NEWLINE_AT_END and not parsed.endswith(b"\n"):
        parsed += b"\n"  # after every offset of the source; spans are cut back to it below
    root = compiled.parser.parse(parsed).root_node
    if language in tsmask.LANGUAGES and root.has_error:  # generic signatures line by line
        masked = tsmask.mask(parsed)
        if masked != parsed:
            other = compiled.parser.parse(masked).root_node
            if parse_nodes.error_extent(other) < parse_nodes.error_extent(root):
                parsed, root = masked, other
    try:
        matches = _matches(compiled, root)
    # py-tree-sitter 0.26 fails a `#match?` on text that is not UTF-8 (a SystemError, or
    # from a cursor that starts at the root, the UnicodeDecodeError): match again on a
    # copy with non-ASCII bytes blanked, at the same offsets.
    except (SystemError, UnicodeDecodeError):
        parsed = _NON_ASCII.sub(b" ", parsed)
        root = compiled.parser.parse(parsed).root_node
        matches = _matches(compiled, root)
    plans = compiled.plans
    found: list[_Found] = []
    references: dict[tuple[int, int], RawReference] = {}
    bindings: dict[tuple[int, int], RawBinding] = {}
    argument_lists: dict[tuple[int, int], tree_sitter.Node] = {}  # of calls' names
    others: list[tuple[int, Role, str, str, list[tree_sitter.Node], Captures]] = []
    reference_kinds = compiled.reference_kinds
    name: NameNode
    # This loop runs once per match (10,000s per file, most of them references): keep
    # it to plain operations; definitions and bindings are read after it.
    for pattern, captures in matches:
        kind = reference_kinds[pattern]
        if kind is None:
            role, kind, main = plans[pattern]
            names = captures.get("name")
            if names is None or role is None:
                continue
            if role != "reference":
                others.append((pattern, role, kind, main, names, captures))
                continue
        else:
            names = captures["name"]
        if len(names) == 1:
            name = names[0]
            key = name.byte_range
        else:
            name = _joined_name(names)
            key = (name.start_byte, name.end_byte)
        seen = references.get(key)
        if seen is not None and pattern >= seen[4]:
            continue
        point = name.start_point
        start, column = key[0], point.column
        contexts = captures.get("context")
        context = None
        if contexts:
            first = contexts[0]
            context = source[first.start_byte : contexts[-1].end_byte]
            if (first.start_byte, first.end_byte) == key:  # a dotted token: split it
                dot = context.rfind(b".")
                context = context[:dot] if dot > 0 else None
                start, column = start + dot + 1, column + dot + 1
        references[key] = (start, key[1], point.row, column, pattern, kind, context, None)
        calls = captures.get("arguments")
        if calls:
            argument_lists[key] = calls[0]
        elif seen is not None:  # an earlier match's arguments are not this one's
            argument_lists.pop(key, None)
    for pattern, role, kind, main, names, captures in others:
        name = names[0] if len(names) == 1 else _joined_name(names)
        if role == "binding":
            key = (name.start_byte, name.end_byte)
            held = bindings.get(key)
            if held is None or pattern < held[4]:
                point = name.start_point
                bindings[key] = (
                    *key,
                    point.row,
                    point.column,
                    pattern,
                    kind,
                    _text_of(captures.get("type"), source),
                    _text_of(captures.get("value"), source),
                    _text_of(captures.get("context"), source),
                )
            continue
        nodes = captures[main]
        found.append((role, kind, pattern, nodes[0], nodes[-1], name, captures))
    # Hints of the references kept only (a text parsed as given: see each_hints).
    each = arguments.each_hints(language, argument_lists, source, same_text=parsed is source)
    for key, hints in each.items():
        references[key] = (*references[key][:7], hints)
    found.sort(key=lambda f: (f[3].start_byte, -f[4].end_byte, f[2]))
    tags: list[RawTag] = []
    open_ends: list[int] = []  # ends of the definitions enclosing the current one
    named: set[tuple[int, int]] = set()  # one count per name, as the extractor dedupes
    for role, kind, pattern, node, last, name, captures in found:
        while open_ends and open_ends[-1] <= node.start_byte:
            open_ends.pop()
        described = max_depth is None or len(open_ends) < max_depth
        tags.append(
            _tag(role, kind, pattern, node, last, name, captures, source, parsed, described)
        )
        if (name.start_byte, name.end_byte) not in named:
            named.add((name.start_byte, name.end_byte))
            open_ends.append(last.end_byte)
    error_line = parse_nodes.first_error_line(root) if root.has_error else None
    if len(parsed) > len(source):
        tags = [_clip(tag, source) if tag.end_byte > len(source) else tag for tag in tags]
        if error_line is not None:
            error_line = min(error_line, source.count(b"\n") + 1)
    return ParseResult(
        tags, list(references.values()), root.has_error, error_line, list(bindings.values())
    )


def _clip(tag: RawTag, source: bytes) -> RawTag:
    """``tag`` ending at the end of ``source`` rather than in the newline appended to it."""
    row = source.count(b"\n")
    column = len(source) - (source.rfind(b"\n") + 1)
    return tag._replace(end_byte=len(source), end_point=(row, column))


def parse_generic(language: str, source: bytes, max_depth: int | None = None) -> ParseResult:
    """The definitions the generic rule (:mod:`indexer.generic`) finds in ``source``, for
    any grammar; no references. ``max_depth`` is :func:`parse`'s."""
    compiled = _compiled(language, generic_rule=True)
    root = compiled.parser.parse(source).root_node
    captured = tree_sitter.QueryCursor(compiled.query).captures(root).items()
    candidates = [(n, c.split(".")[1]) for c, nodes in captured for n in nodes if n != root]
    candidates.sort(key=lambda found: (found[0].start_byte, -found[0].end_byte))
    tags: list[RawTag] = []
    for found in generic.definitions(candidates, _generic_rules(language), source):
        node, name = found.node, cast(tree_sitter.Node, found.name)  # of the tree parsed here
        described = max_depth is None or found.depth < max_depth
        tag = _tag("definition", found.kind, 0, node, node, name, {}, source, source, described)
        tags.append(_scoped_name(tag._replace(receiver=found.receiver)))
    error_line = parse_nodes.first_error_line(root) if root.has_error else None
    return ParseResult(tags, [], root.has_error, error_line)


def _scoped_name(tag: RawTag) -> RawTag:
    """A name that is one token with its namespaces (Tcl's ``proc ::ftp::Append``) is
    its last part, qualified by the others (``ftp.Append``), so ``find Append`` finds it."""
    cut = tag.name.rfind(b"::")
    if cut < 0 or cut + 2 >= len(tag.name):
        return tag
    scope = tag.name[:cut].strip(b":").replace(b"::", b".")
    row, column = tag.name_point
    return tag._replace(
        name=tag.name[cut + 2 :],
        name_start_byte=tag.name_start_byte + cut + 2,
        name_point=(row, column + cut + 2),
        receiver=tag.receiver or scope or None,
    )


def syntax_tree(language: str, source: bytes) -> generic.SyntaxNode:
    """The root of ``source`` parsed as ``language``, to read through the protocol."""
    return tree_sitter_language_pack.get_parser(grammar(language)).parse(source).root_node  # type: ignore[arg-type]


def _tag(
    role: Role,
    kind: str,
    pattern: int,
    node: tree_sitter.Node,
    last: tree_sitter.Node,
    name_node: NameNode,
    captures: dict[str, list[tree_sitter.Node]],
    source: bytes,
    parsed: bytes,
    described: bool = True,
) -> RawTag:
    """One tag. Names, docs and receivers are read from ``source``; the signature from
    ``parsed`` (the text the tree was parsed from), which leaves out masked C macros.
    ``last`` is the last node of a definition captured on several (else ``node``)."""
    receivers = captures.get("receiver")
    owners = captures.get("owner")
    signature = doc = None
    if role == "definition" and described:
        body = parse_nodes.body_of(node) if last is node else last
        signature = parse_nodes.signature(node, body, parsed)
        doc = parse_nodes.doc(node, body, source)
    start, end = node.start_point, last.end_point
    name_start, name_end, name_point = parse_nodes.name_span(name_node, source)
    receiver = None
    if receivers:
        receiver = source[receivers[0].start_byte : receivers[-1].end_byte]
        if (receivers[0].start_byte, receivers[-1].end_byte) == (name_start, name_end):
            dot = receiver.rfind(b".")  # a dotted token: split it at its last dot
            receiver = receiver[:dot] if dot > 0 else None
            name_start, name_point = name_start + dot + 1, (name_point[0], name_point[1] + dot + 1)
    return RawTag(
        role=role,
        kind=kind,
        pattern=pattern,
        start_byte=node.start_byte,
        end_byte=last.end_byte,
        start_point=(start.row, start.column),
        end_point=(end.row, end.column),
        name=source[name_start:name_end],
        name_start_byte=name_start,
        name_end_byte=name_end,
        name_point=name_point,
        receiver=receiver,
        owner=(owners[0].start_byte, owners[0].end_byte) if owners else None,
        signature=signature,
        doc=doc,
        type=_text_of(captures.get("type"), source) if role == "definition" else None,
    )
