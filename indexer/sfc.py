"""Single-file components (Vue ``.vue``, Svelte ``.svelte``): the definitions and
references of their ``<script>`` blocks.

The component is parsed with its own grammar (``vue``, ``svelte``) to find its top-level
``<script>`` elements; each block's language comes from its ``lang`` attribute (``ts`` or
``typescript``: TypeScript, ``tsx``: TSX, none, ``js`` or ``jsx``: JavaScript; any other,
such as ``coffee``, is left out). The blocks of one language are parsed together with that
language's patterns, from a copy of the file in which every byte outside them is blanked
(a space, newlines kept), so every byte offset, line and column is the file's own, as
:mod:`indexer.cmacros` does for C macros. The template and the styles are not read: a
function the template calls is a reference this extractor does not see, and a syntax
error there does not count (the blob's status is ``parse_error`` only for an error in a
script block, with its line in the file).
"""

from __future__ import annotations

import re

from symbiote.indexer import parse

# The script languages a block may be written in, by its `lang` attribute ("" when absent).
_LANGUAGES = {
    "": "javascript",
    "js": "javascript",
    "javascript": "javascript",
    "jsx": "javascript",
    "ts": "typescript",
    "typescript": "typescript",
    "tsx": "tsx",
}
SCRIPT_LANGUAGES = ("javascript", "typescript", "tsx")
_LANG_ATTRIBUTE = re.compile(rb"""\slang\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_NOT_BLANK = re.compile(rb"[^\n]")

# Part of the patterns digest of the components: changing these re-extracts their blobs.
RULES = repr((sorted(_LANGUAGES.items()), _LANG_ATTRIBUTE.pattern, _NOT_BLANK.pattern)).encode()


def script_language(start_tag: bytes) -> str | None:
    """The language of a ``<script ...>`` start tag, or None when it is none we read."""
    match = _LANG_ATTRIBUTE.search(start_tag)
    lang = b"" if match is None else next(g for g in match.groups() if g is not None)
    return _LANGUAGES.get(lang.decode("ascii", "replace").strip().lower())


def script_blocks(component: str, source: bytes) -> dict[str, list[tuple[int, int]]]:
    """The byte ranges of the component's script blocks, by script language."""
    blocks: dict[str, list[tuple[int, int]]] = {}
    for element in parse.syntax_tree(component, source).children:
        if element.type != "script_element":
            continue
        tag = next((c for c in element.children if c.type == "start_tag"), None)
        text = next((c for c in element.children if c.type == "raw_text"), None)
        if tag is None or text is None:
            continue
        language = script_language(source[tag.start_byte : tag.end_byte])
        if language is not None:
            blocks.setdefault(language, []).append((text.start_byte, text.end_byte))
    return blocks


def mask(source: bytes, keep: list[tuple[int, int]]) -> bytes:
    """``source`` with every byte outside the ``keep`` ranges blanked (newlines kept)."""
    out = bytearray(_NOT_BLANK.sub(b" ", source))
    for start, end in keep:
        out[start:end] = source[start:end]
    return bytes(out)


def parse_component(component: str, source: bytes, max_depth: int | None) -> parse.ParseResult:
    """The tags of every script block of ``source``, at the file's own offsets."""
    tags: list[parse.RawTag] = []
    references: list[parse.RawReference] = []
    bindings: list[parse.RawBinding] = []
    errors: list[int] = []
    has_error = False
    for language, ranges in sorted(script_blocks(component, source).items()):
        result = parse.parse(language, mask(source, ranges), max_depth)
        tags += result.tags
        references += result.references
        bindings += result.bindings
        has_error = has_error or result.has_error
        errors += [result.error_line] if result.error_line is not None else []
    return parse.ParseResult(tags, references, has_error, min(errors, default=None), bindings)
