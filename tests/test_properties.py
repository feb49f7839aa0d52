"""Properties of extraction (``indexer.extract.extract``) on generated and mutated sources.

For every supported language and any bytes, extraction returns an outcome and never
raises; its rows follow the schema's span convention (bytes 0-based half-open inside the
source, lines 1-based counting ``\\n``, columns 0-based bytes since the last ``\\n``); a
reference's name is the text of its span, a definition's name the text at its name
position; ``idx`` numbers rows in order and ``parent_idx`` points back at the parent;
the same input gives the same rows. Sources generated from a small grammar of functions,
classes, methods and calls (Python and JavaScript) yield exactly the defined names and
calls, no more and no fewer.

Hypothesis runs derandomized with a fixed example budget and no database, so CI is
reproducible and costs a few seconds.
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from symbiote.indexer import cmacros
from symbiote.indexer.extract import Extraction, Limits, extract
from symbiote.indexer.languages import SUPPORTED
from symbiote.indexer.schema import STATUSES

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "languages"
SETTINGS = settings(max_examples=100, deadline=None, derandomize=True, database=None)
QUICK = settings(SETTINGS, max_examples=40)
GENERATED = settings(SETTINGS, max_examples=60)

SAMPLES: dict[str, bytes] = {
    language: next((FIXTURES / language).iterdir()).read_bytes() for language in SUPPORTED
}


@st.composite
def mutated_sources(draw: st.DrawFn) -> tuple[str, bytes]:
    """A language and bytes: random bytes, or a slice of its fixture with bytes spliced in."""
    language = draw(st.sampled_from(SUPPORTED))
    if draw(st.booleans()):
        return language, draw(st.binary(max_size=300))
    sample = SAMPLES[language]
    start = draw(st.integers(0, len(sample)))
    end = draw(st.integers(start, min(len(sample), start + 1500)))
    piece = sample[start:end]
    at = draw(st.integers(0, len(piece)))
    cut = draw(st.integers(0, 20))
    noise = draw(st.binary(max_size=20))
    return language, piece[:at] + noise + piece[at + cut :]


def line_and_col(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and 0-based byte column of ``offset``, by the schema's convention."""
    return data.count(b"\n", 0, offset) + 1, offset - (data.rfind(b"\n", 0, offset) + 1)


def offset_of(data: bytes, line: int, col: int) -> int:
    start = 0
    for _ in range(line - 1):
        start = data.index(b"\n", start) + 1
    return start + col


@SETTINGS
@given(mutated_sources())
def test_extraction_never_raises_and_rows_follow_the_span_convention(
    case: tuple[str, bytes],
) -> None:
    language, data = case
    result = extract(language, data)
    valid_utf8 = result.status != "encoding_error"
    assert result.status in STATUSES
    assert result.status not in ("unsupported_language", "symlink", "failed")
    if result.status in ("binary", "too_large"):
        assert (result.definitions, result.references) == ([], [])
    for d in result.definitions:
        assert 0 <= d.start_byte <= d.end_byte <= len(data)
        assert (d.start_line, d.start_col) == line_and_col(data, d.start_byte)
        assert (d.end_line, d.end_col) == line_and_col(data, d.end_byte)
        name_at = offset_of(data, d.name_line, d.name_col)
        assert d.start_byte <= name_at <= d.end_byte
        if valid_utf8:
            raw_name = d.name.encode()
            assert data[name_at : name_at + len(raw_name)] == raw_name
    for r in result.references:
        assert 0 <= r.start_byte <= r.end_byte <= len(data)
        assert (r.start_line, r.start_col) == line_and_col(data, r.start_byte)
        assert (r.end_line, r.end_col) == line_and_col(data, r.end_byte)
        assert r.name == data[r.start_byte : r.end_byte].decode("utf-8", errors="replace")


@SETTINGS
@given(mutated_sources())
def test_rows_are_numbered_and_linked_within_the_blob(case: tuple[str, bytes]) -> None:
    result = extract(*case)
    assert [d.idx for d in result.definitions] == list(range(len(result.definitions)))
    assert [r.idx for r in result.references] == list(range(len(result.references)))
    for d in result.definitions:
        assert d.qualified_name == d.name or d.qualified_name.endswith("." + d.name)
        if d.parent_idx is not None:
            parent = result.definitions[d.parent_idx]
            assert (parent.idx < d.idx, parent.qualified_name) == (True, d.parent)
    for r in result.references:
        if r.enclosing_idx is not None:
            assert result.definitions[r.enclosing_idx].qualified_name == r.enclosing


@QUICK
@given(mutated_sources())
def test_the_same_input_gives_the_same_rows(case: tuple[str, bytes]) -> None:
    assert extract(*case) == extract(*case)


@QUICK
@given(st.sampled_from(SUPPORTED), st.binary(max_size=200))
def test_bytes_with_a_nul_or_over_the_limit_are_never_parsed(language: str, data: bytes) -> None:
    assert extract(language, data + b"\0" + data) == Extraction(
        "binary", "NUL byte in the first bytes"
    )
    if data:
        over = extract(language, data.replace(b"\0", b" "), Limits(max_bytes=len(data) - 1))
        assert over == Extraction("too_large", f"{len(data)} bytes > limit {len(data) - 1}")


# ---- generated sources: exactly the defined names


JS_RESERVED = frozenset(
    "await break case catch class const continue debugger default delete do else enum "
    "export extends false finally for function get if implements import in instanceof "
    "interface let new null of package private protected public return set static super "
    "switch this throw true try typeof var void while with yield async constructor "
    "arguments eval undefined".split()
)
FIRST = "abcdefghijklmnopqrstuvwxyzABCXYZ_éλ"  # non-ASCII: columns count bytes
REST = FIRST + "0123456789ß"
identifiers = st.builds(
    str.__add__, st.sampled_from(FIRST), st.text(alphabet=REST, max_size=8)
).filter(lambda s: not keyword.iskeyword(s) and not keyword.issoftkeyword(s))
identifiers = identifiers.filter(lambda s: s not in JS_RESERVED)


@dataclass(frozen=True)
class Func:
    name: str
    calls: str | None  # a name called in the body
    inner: tuple[Func, ...] = ()  # nested functions


@dataclass(frozen=True)
class Cls:
    name: str
    methods: tuple[Func, ...]


functions = st.builds(Func, identifiers, st.none() | identifiers)
items = st.one_of(
    st.builds(
        Func, identifiers, st.none() | identifiers, st.lists(functions, max_size=2).map(tuple)
    ),
    st.builds(Cls, identifiers, st.lists(functions, max_size=3).map(tuple)),
)
programs = st.lists(items, max_size=6)

Row = tuple[str, str, str | None, int]  # qualified name, kind, parent, line of the name


class Writer:
    """Renders a program line by line and records what extraction must find."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.definitions: list[Row] = []
        self.calls: list[tuple[str, str, str | None, int]] = []  # name, kind, enclosing, line

    def add(self, text: str) -> int:
        self.lines.append(text)
        return len(self.lines)

    def source(self) -> bytes:
        return "".join(line + "\n" for line in self.lines).encode()


def python(program: list[Func | Cls]) -> Writer:
    out = Writer()

    def function(f: Func, indent: str, parent: str | None, kind: str) -> None:
        qualified = f"{parent}.{f.name}" if parent else f.name
        params = "self" if kind == "method" else ""
        out.definitions.append(
            (qualified, kind, parent, out.add(f"{indent}def {f.name}({params}):"))
        )
        for inner in f.inner:
            function(inner, indent + "    ", qualified, "function")
        if f.calls is not None:
            out.calls.append((f.calls, "call", qualified, out.add(f"{indent}    {f.calls}()")))
        else:
            out.add(f"{indent}    pass")

    for item in program:
        if isinstance(item, Func):
            function(item, "", None, "function")
        else:
            out.definitions.append((item.name, "class", None, out.add(f"class {item.name}:")))
            for method in item.methods:
                function(method, "    ", item.name, "method")
            if not item.methods:
                out.add("    pass")
    return out


def javascript(program: list[Func | Cls]) -> Writer:
    out = Writer()

    def function(f: Func, indent: str, parent: str | None, kind: str) -> None:
        qualified = f"{parent}.{f.name}" if parent else f.name
        head = f"{indent}{f.name}() {{" if kind == "method" else f"{indent}function {f.name}() {{"
        out.definitions.append((qualified, kind, parent, out.add(head)))
        for inner in f.inner:
            function(inner, indent + "  ", qualified, "function")
        if f.calls is not None:
            out.calls.append((f.calls, "call", qualified, out.add(f"{indent}  {f.calls}();")))
        out.add(f"{indent}}}")

    for item in program:
        if isinstance(item, Func):
            function(item, "", None, "function")
        else:
            out.definitions.append((item.name, "class", None, out.add(f"class {item.name} {{")))
            for method in item.methods:
                function(method, "  ", item.name, "method")
            out.add("}")
    return out


def check_generated(language: str, written: Writer) -> None:
    result = extract(language, written.source())
    assert result.status == "ok", (result.detail, written.source())
    assert [(d.qualified_name, d.kind, d.parent, d.name_line) for d in result.definitions] == (
        written.definitions
    )
    assert [(r.name, r.kind, r.enclosing, r.start_line) for r in result.references] == (
        written.calls
    )


@GENERATED
@given(programs)
def test_generated_python_yields_exactly_its_definitions_and_calls(
    program: list[Func | Cls],
) -> None:
    check_generated("python", python(program))


@GENERATED
@given(programs)
def test_generated_javascript_yields_exactly_its_definitions_and_calls(
    program: list[Func | Cls],
) -> None:
    check_generated("javascript", javascript(program))


@QUICK
@given(st.integers(0, 30), st.integers(1, 10))
def test_definitions_nested_deeper_than_the_limit_are_skipped_and_counted(
    depth: int, limit: int
) -> None:
    source = "".join(f"function n{i}() {{\n" for i in range(depth)) + "}\n" * depth
    result = extract("javascript", source.encode(), Limits(max_depth=limit))
    kept = min(depth, limit)
    assert [d.qualified_name for d in result.definitions] == [
        ".".join(f"n{i}" for i in range(level + 1)) for level in range(kept)
    ]
    skipped = depth - kept
    assert (result.status, result.detail) == (
        "ok",
        f"{skipped} definitions nested deeper than {limit} levels skipped" if skipped else None,
    )


C_TOKENS = st.sampled_from(
    [
        b"FOO_API",
        b"X_NOEXCEPT",
        b"UNUSED",
        b"WINAPI",
        b"CJSON_PUBLIC(",
        b"int",
        b"f",
        b"(",
        b")",
        b"{",
        b"}",
        b";",
        b",",
        b"*",
        b"=",
        b" ",
        b"\n",
        b"#define ",
        b"\\\n",
        b"case ",
        b"enum E {",
        b"X_HIDDEN",
        b"return ",
    ]
)


@QUICK
@given(st.lists(C_TOKENS, max_size=40).map(b"".join))
def test_c_macro_masking_only_blanks(source: bytes) -> None:
    masked = cmacros.mask("cpp", source)
    assert len(masked) == len(source)
    assert all(a == b or a == ord(" ") for a, b in zip(masked, source, strict=True))
    assert [i for i, c in enumerate(masked) if c == ord("\n")] == [
        i for i, c in enumerate(source) if c == ord("\n")
    ]
