"""Attribute-like macros in C and C++ sources, masked before parsing.

Tree-sitter has no preprocessor, so a declaration behind an export, inline or
calling-convention macro (``class SPDLOG_API logger {``, ``SPDLOG_INLINE void f()
SPDLOG_NOEXCEPT {``, ``int CJSON_CDECL main(void)``, ``CJSON_PUBLIC(cJSON *) parse(...)``)
is a syntax error, and the definition behind it is lost or misread. Such macros are
recognised by name alone (one blob, one answer: nothing outside the blob is consulted):
an upper-case name with a prefix and one of the suffixes below (``FOO_API``,
``BAR_EXPORT``, ``X_NOEXCEPT``), a Windows calling convention (``WINAPI``) or a bare
attribute (``UNUSED``, ``NORETURN``), and only where a declaration's attribute stands
(see :func:`_attribute_position`): an enumerator or a value of the same name stays.

Masking replaces each with spaces of the same length, so every byte offset, line and
column of the parsed text is the source's own; names and signatures are still read from
the source. A wrapping macro keeps its argument (``CJSON_PUBLIC(cJSON *)`` parses as
``cJSON *``). Preprocessor lines are left alone, so ``#define FOO_API ...`` still defines
``FOO_API``.
"""

from __future__ import annotations

import bisect
import re

LANGUAGES = frozenset({"c", "cpp"})

_SUFFIX = (
    rb"(?:API|EXPORTS?|IMPORT|PUBLIC|EXTERN|(?:FORCE|NO|ALWAYS_)?INLINE|CDECL|STDCALL"
    rb"|FASTCALL|CALLBACK|DECLSPEC|NOEXCEPT|CONSTEXPR(?:_FUNC)?|NODISCARD|DEPRECATED"
    rb"|(?:MAYBE_)?UNUSED|HIDDEN|VISIBLE|NORETURN|WARN_UNUSED_RESULT)"
)
_MACRO = re.compile(
    rb"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_" + _SUFFIX + rb"\b(?:\(([^()\n]*)\))?"
    rb"|\b(?:WINAPI|APIENTRY|CALLBACK|PASCAL|WSAAPI|NTAPI|UNUSED|MAYBE_UNUSED|NORETURN"
    rb"|NODISCARD|FORCEINLINE|NOINLINE|DEPRECATED)\b"
)
_DIRECTIVE = re.compile(rb"^[ \t]*#(?:[^\n]*\\\r?\n)*[^\n]*", re.MULTILINE)

# Part of the patterns digest of C and C++: changing these rules re-extracts their blobs.
RULES = _MACRO.pattern + b"\n" + _DIRECTIVE.pattern


def mask(language: str, source: bytes) -> bytes:
    """``source`` with its attribute-like macros blanked (C and C++ only)."""
    if language not in LANGUAGES or _MACRO.search(source) is None:
        return source
    directives = [(m.start(), m.end()) for m in _DIRECTIVE.finditer(source)]
    starts = [start for start, _ in directives]

    def blank(match: re.Match[bytes]) -> bytes:
        i = bisect.bisect_right(starts, match.start()) - 1
        inside_directive = i >= 0 and match.start() < directives[i][1]
        if inside_directive or not _attribute_position(source, match):
            return match.group(0)
        if match.group(1) is not None:  # FOO_API(type): keep the type
            return b" " * (match.start(1) - match.start()) + match.group(1) + b" "
        return b" " * (match.end() - match.start())

    return _MACRO.sub(blank, source)


_WORD_AFTER = re.compile(rb"\s*[A-Za-z_~]")
_POINTER_AFTER = re.compile(rb"\s*\*")
_AFTER_PARAMETERS = re.compile(rb"\s*(?:[{;:=]|->|[A-Za-z_])")
_LAST_WORD = re.compile(rb"(\w+)$")
_PARAMETER_END = re.compile(rb"\s*[,)]")
# Qualifiers that follow a function's parameters.
_QUALIFIERS = frozenset({b"const", b"volatile", b"override", b"final", b"noexcept"})
# Words after which a name is an operand, not an attribute of a declaration.
_EXPRESSION_WORDS = frozenset(
    {b"return", b"case", b"else", b"new", b"delete", b"sizeof", b"goto", b"throw", b"co_return"}
)


def _attribute_position(source: bytes, match: re.Match[bytes]) -> bool:
    """Whether the macro stands where an attribute of a declaration stands, not where a
    value does (an enumerator named ``OPTION_CALLBACK`` in ``case OPTION_CALLBACK:``,
    ``x = FLAG_HIDDEN;`` or ``enum { FLAG_HIDDEN, ... }`` stays)."""
    start, end = match.start(), match.end()
    before = source[max(0, start - 80) : start]
    previous = before.rstrip()
    last = previous[-1:]
    if not previous or b"\n" in before[len(previous) :] or last in (b";", b"{", b"}", b">"):
        # The start of a declaration: `FOO_API void f();`, `FOO_INLINE Foo::Foo()`.
        return _WORD_AFTER.match(source, end) is not None
    if last == b")":  # after the parameters: `void f() FOO_NOEXCEPT {`
        return _AFTER_PARAMETERS.match(source, end) is not None
    if last == b"(":  # a calling convention: `void (FOO_CDECL *hook)(void)`
        return _POINTER_AFTER.match(source, end) is not None
    word = _LAST_WORD.search(previous)
    if word is not None and word.group(1) in _QUALIFIERS:  # `int size() const FOO_NOEXCEPT`
        return _AFTER_PARAMETERS.match(source, end) is not None
    if (word is not None and word.group(1) not in _EXPRESSION_WORDS) or last == b"*":
        # Between a type and a name: `int FOO_CDECL main(void)`, `class FOO_API Bar {`;
        # after a parameter's name: `f(void *data UNUSED, int n)`.
        return (
            _WORD_AFTER.match(source, end) is not None
            or _PARAMETER_END.match(source, end) is not None
        )
    return False
