"""Extraction details: statuses, names, signatures, docstrings and body hashes."""

from __future__ import annotations

from typing import Any

import pytest

from symbiote.indexer import cmacros, parse
from symbiote.indexer.extract import Limits, _definitions, extract


def only(language: str, source: str) -> list[tuple[str, str, str | None]]:
    result = extract(language, source.encode())
    return [(d.qualified_name, d.kind, d.parent) for d in result.definitions]


def test_nesting_gives_qualified_names_and_parents() -> None:
    source = "class A:\n    def m(self):\n        def helper():\n            pass\n"
    assert only("python", source) == [
        ("A", "class", None),
        ("A.m", "method", "A"),
        ("A.m.helper", "function", "A.m"),
    ]


def test_go_methods_are_qualified_by_package_and_receiver() -> None:
    source = "package shop\n\ntype Cart struct{}\n\nfunc (c *Cart) Add() {}\n"
    assert only("go", source) == [
        ("shop", "module", None),
        ("shop.Cart", "struct", "shop"),
        ("shop.Cart.Add", "method", "shop.Cart"),
    ]
    add = extract("go", source.encode()).definitions[-1]
    assert add.parent_idx == 1


def test_rust_impl_blocks_scope_their_functions() -> None:
    source = "struct S;\nimpl S {\n    fn new() -> S { S }\n}\n"
    assert only("rust", source)[-1] == ("S.new", "method", "S")


def test_php_promoted_properties_belong_to_the_class() -> None:
    source = "<?php\nclass P {\n    public function __construct(private int $x) {}\n}\n"
    assert only("php", source) == [
        ("P", "class", None),
        ("P.__construct", "method", "P"),
        ("P.x", "field", "P"),
    ]
    assert extract("php", source.encode()).definitions[-1].parent_idx == 0
    # An anonymous class defines nothing: its properties stay in the enclosing definition.
    anonymous = "<?php\nfunction f() {\n    new class { function __construct(public $y) {} };\n}\n"
    assert only("php", anonymous)[-1] == ("f.__construct.y", "field", "f.__construct")


def test_spans_follow_the_schema_convention() -> None:
    source = "x = 1\nclass Café:\n    pass\n"
    variable, cls = extract("python", source.encode()).definitions
    assert (variable.qualified_name, variable.kind, variable.start_line) == ("x", "variable", 1)
    assert (cls.start_line, cls.end_line, cls.start_col) == (2, 3, 0)
    assert (cls.start_byte, cls.end_byte) == (6, len(source.encode()) - 1)
    assert (cls.name_line, cls.name_col) == (2, 6)
    assert cls.end_col == len("    pass")


def test_signature_and_docstring() -> None:
    source = (
        'def send(self, request: "Request", *, retries: int = 3) -> bool:  # why\n'
        '    """Send a request.\n\n    Retries on failure.\n    """\n'
        "    return True\n"
    )
    (fn,) = extract("python", source.encode()).definitions
    assert fn.signature == 'def send(self, request: "Request", *, retries: int = 3) -> bool'
    assert fn.docstring == "Send a request.\n\nRetries on failure."


def test_doc_comments_above_a_definition() -> None:
    source = (
        "// Add returns the sum.\n// It never fails.\nfunc Add(a, b int) int {\n\treturn a + b\n}\n"
    )
    (fn,) = extract("go", ("package m\n\n" + source).encode()).definitions[1:]
    assert fn.docstring == "Add returns the sum.\nIt never fails."
    assert fn.signature == "func Add(a, b int) int"


def test_body_hash_ignores_position_but_not_content() -> None:
    top = extract("python", b"def f(x):\n    return x\n").definitions[0]
    moved = extract("python", b"\n\n# moved\ndef f(x):\n    return x\n").definitions[0]
    nested = extract("python", b"class A:\n    def f(x):\n        return x\n").definitions[1]
    changed = extract("python", b"def f(x):\n    return x + 1\n").definitions[0]
    assert top.body_hash == moved.body_hash == nested.body_hash
    assert top.body_hash != changed.body_hash


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (b"\x00\x01\x02", "binary"),
        (b"x = 1\n" * 100, "too_large"),
        (b"def caf\xe9(): pass\n", "encoding_error"),
        (b"def f(:\n", "parse_error"),
        (b"", "ok"),
    ],
)
def test_statuses(data: bytes, status: str) -> None:
    result = extract("python", data, Limits(max_bytes=500))
    assert result.status == status
    assert (result.detail is None) == (status == "ok")


def test_unsupported_language() -> None:
    result = extract("markdown", b"# title\n")
    assert (result.status, result.definitions) == ("unsupported_language", [])


def test_syntax_errors_keep_what_parsed() -> None:
    result = extract("python", b"def good():\n    pass\n\nclass Bad(:\n    pass\n")
    assert result.status == "parse_error"
    assert [d.name for d in result.definitions] == ["good", "Bad"]


def test_deep_nesting_and_long_lines_do_not_crash() -> None:
    deep = b"x = " + b"[" * 5000 + b"]" * 5000 + b"\n"
    assert extract("python", deep).status == "ok"  # nesting past max_depth is not walked
    long_line = b"y = '" + b"a" * 1_000_000 + b"'\n"
    assert extract("python", long_line, Limits(max_bytes=2_000_000)).status == "ok"


def test_c_attribute_macros_are_masked_without_moving_anything() -> None:
    source = (
        b"#define FOO_API __declspec(dllexport)\n"
        b"FOO_API int FOO_CDECL f(void *p UNUSED) FOO_NOEXCEPT;\n"
        b"enum e { OPT_HIDDEN, OPT_CALLBACK = 2 };\n"
        b"int g(int x) { return x == OPT_HIDDEN ? OPT_CALLBACK : 0; }\n"
    )
    masked = cmacros.mask("c", source).split(b"\n")
    assert masked[0] == source.split(b"\n")[0]  # a #define keeps what it defines
    blanked = source.split(b"\n")[1]
    for macro in (b"FOO_API", b"FOO_CDECL", b"UNUSED", b"FOO_NOEXCEPT"):
        blanked = blanked.replace(macro, b" " * len(macro))
    assert masked[1] == blanked == b"        int           f(void *p       )             ;"
    assert masked[2:] == source.split(b"\n")[2:]  # enumerators and values stay
    assert cmacros.mask("python", b"FOO_API = 1\n") == b"FOO_API = 1\n"
    # Names and signatures come from the source, at the source's offsets.
    wrapped = "CJSON_PUBLIC(cJSON *) cJSON_Parse(const char *value) { return 0; }\n"
    (parsed,) = extract("c", wrapped.encode()).definitions
    start = wrapped.index("cJSON *")  # the declaration starts after the wrapper's name
    assert (parsed.name, parsed.kind, parsed.start_byte) == ("cJSON_Parse", "function", start)
    assert parsed.signature == "cJSON * cJSON_Parse(const char *value)"  # macros left out


def _tag(name: bytes, start: int, end: int, at: int, receiver: bytes | None) -> parse.RawTag:
    return parse.RawTag(
        role="definition",
        kind="function",
        pattern=0,
        start_byte=start,
        end_byte=end,
        start_point=(0, start),
        end_point=(0, end),
        name=name,
        name_start_byte=at,
        name_end_byte=at + len(name),
        name_point=(0, at),
        receiver=receiver,
        owner=None,
        signature=None,
        doc=None,
    )


def test_definitions_with_one_span_are_siblings() -> None:
    # A chain `res.set = res.header = function header() {}` defines both names on the
    # whole statement: neither is the other's parent.
    data = b"res.set = res.header = function header() {};"
    tags = [_tag(b"header", 0, len(data), 14, b"res"), _tag(b"set", 0, len(data), 4, b"res")]
    definitions, _ = _definitions(tags, data, max_depth=100)
    assert [(d.qualified_name, d.parent, d.parent_idx) for d in definitions] == [
        ("res.set", "res", None),
        ("res.header", "res", None),
    ]


def test_a_method_defined_outside_links_to_its_constructor_function() -> None:
    source = "function View(name) {}\nView.prototype.render = function (options) {};\n"
    view, render = extract("javascript", source.encode()).definitions
    assert (render.qualified_name, render.kind, render.parent) == ("View.render", "method", "View")
    assert (view.kind, render.parent_idx) == ("function", view.idx)


def test_a_half_failed_text_predicate_is_matched_again_without_non_ascii(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # py-tree-sitter 0.26 evaluates `#match?` on a node's text decoded as UTF-8; on bytes
    # that are not, it leaves the error set and `matches` fails with SystemError (found by
    # the fuzzer after another input). The parse then matches on a copy whose non-ASCII
    # bytes are blanked, at the same offsets.
    real = parse.tree_sitter.QueryCursor
    calls: list[int] = []

    class Failing:
        def __init__(self, query: Any) -> None:
            self.cursor = real(query)

        def matches(self, node: Any) -> Any:
            calls.append(node.end_byte)
            if len(calls) == 1:
                raise SystemError("<class 'UnicodeDecodeError'> returned a result")
            return self.cursor.matches(node)

        def set_max_start_depth(self, depth: int) -> None:
            self.cursor.set_max_start_depth(depth)

    monkeypatch.setattr(parse.tree_sitter, "QueryCursor", Failing)
    result = extract("javascript", b"class Caf\xe9 {}\nfunction go() {}\n")
    # The first cursor fails; every cursor of the second pass (the file-level patterns
    # run in one of their own) matches.
    assert (
        len(calls) == 1 + (1 + bool(parse._compiled("javascript").top))
        and result.status == "encoding_error"
    )
    assert [(d.name, d.start_line) for d in result.definitions] == [("Caf", 1), ("go", 2)]


def test_a_text_predicate_on_bytes_that_are_not_utf8_at_the_root_is_matched_again() -> None:
    # The patterns that start at the root run on a cursor of their own, where the same
    # failure is a UnicodeDecodeError (the fuzzer found it in a package.json: a key of
    # invalid UTF-8 beside the sections `#match?` reads).
    source = b'{"name": "shop", "dep\xe7": {"a": "1"}, "dependencies": {"left-pad": "1"}}\n'
    result = extract("npm", source)
    assert result.status == "encoding_error"
    assert [d.name for d in result.definitions] == ["shop"]
    assert [(r.name, r.kind) for r in result.references] == [("left-pad", "import")]


def _contexts(language: str, source: str) -> list[tuple[str, str | None]]:
    return [(r.name, r.context) for r in extract(language, source.encode()).references]


def test_comments_are_left_out_of_contexts() -> None:
    # A chain over several lines with comments between its steps keeps its steps.
    java = (
        "class A {\n  String f() {\n    return Cart.empty() // it's empty\n"
        "      /* then */ .add(x)\n      .describe();\n  }\n}\n"
    )
    assert [c for c in _contexts("java", java) if c[0] == "describe"] == [
        ("describe", "Cart.empty() .add(x)")
    ]
    # Comment markers inside strings and a JS regex (`/\//`) are no comments.
    js = 'function f(s) {\n  return s.replace(/\\//g, "//x").trim();\n}\n'
    assert [c for c in _contexts("javascript", js) if c[0] == "trim"] == [
        ("trim", 's.replace(/\\//g, "//x")')
    ]
    python = "def f():\n    return (cart  # it's a cart\n        .add(1)).total()\n"
    assert [c for c in _contexts("python", python) if c[0] == "total"] == [
        ("total", "(cart .add(1))")
    ]
