"""The generic extractor (languages without patterns) and the single-file components
(Vue, Svelte): annotated fixtures checked exactly, the rule on node type names, statuses,
digests and exact offsets."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from symbiote.indexer import IndexOptions, catalog, generic, index_repository, parse
from symbiote.indexer.extract import Extraction, extract
from symbiote.indexer.languages import COMPONENTS, GENERIC, language_for_path, level
from symbiote.indexer.schema import STATUS_GENERIC, STATUS_OK, STATUS_PARSE_ERROR
from tests.conftest import GitRepo
from tests.support.annotations import actual_tags, compare, parse_annotations

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "languages"
# Generic languages with an annotated fixture: a handful of different grammar styles.
GENERIC_FIXTURES = ("ada", "d", "fortran", "fsharp", "nim", "pascal", "powershell", "vhdl", "vim")


def _fixture(language: str) -> Path:
    matches = sorted((FIXTURES / language).glob("sample.*"))
    assert matches, f"no fixture for {language} in {FIXTURES / language}"
    return matches[0]


@pytest.mark.parametrize("language", GENERIC_FIXTURES)
def test_generic_annotated_fixture(language: str) -> None:
    path = _fixture(language)
    assert language in GENERIC and language_for_path(path.name) == language
    source = path.read_bytes()
    expected = parse_annotations(source)
    extraction = extract(language, source)
    assert (extraction.status, extraction.detail) == (STATUS_GENERIC, None)
    assert len(expected) >= 10, "a fixture should exercise the rule"
    assert {e.role for e in expected} == {"defines"}, "the generic rule finds no references"
    problems = compare(expected, actual_tags(extraction))
    assert not problems, "\n".join(problems)
    _assert_spans_are_the_files(source, extraction)


@pytest.mark.parametrize("language", COMPONENTS)
def test_component_annotated_fixture(language: str) -> None:
    path = _fixture(language)
    assert language_for_path(path.name) == language and level(language) == "patterns"
    source = path.read_bytes()
    expected = parse_annotations(source)
    extraction = extract(language, source)
    assert (extraction.status, extraction.detail) == (STATUS_OK, None)
    assert {e.role for e in expected} == {"defines", "refers"}
    problems = compare(expected, actual_tags(extraction))
    assert not problems, "\n".join(problems)
    _assert_spans_are_the_files(source, extraction)


def _assert_spans_are_the_files(source: bytes, extraction: Extraction) -> None:
    """Every span's bytes, lines and columns are the whole file's, not a block's."""
    starts = [0] + [i + 1 for i, byte in enumerate(source) if byte == ord("\n")]
    for d in extraction.definitions:
        assert starts[d.start_line - 1] + d.start_col == d.start_byte, d
        assert starts[d.end_line - 1] + d.end_col == d.end_byte, d
        name_at = starts[d.name_line - 1] + d.name_col
        assert source[name_at : name_at + len(d.name.encode())] == d.name.encode(), d
        assert d.start_byte <= name_at < d.end_byte, d
    for r in extraction.references:
        assert source[starts[r.start_line - 1] + r.start_col :].startswith(r.name.encode()), r


def test_component_script_languages_come_from_the_lang_attribute() -> None:
    vue = b'<template><p/></template>\n<script lang="ts">\ninterface A { x: number }\n</script>\n'
    assert [(d.kind, d.name) for d in extract("vue", vue).definitions] == [
        ("interface", "A"),
        ("field", "x"),
    ]
    # As JavaScript, `interface` is a syntax error; a block in another language is left out.
    plain = vue.replace(b' lang="ts"', b"")
    assert extract("vue", plain).status == STATUS_PARSE_ERROR
    coffee = vue.replace(b"ts", b"coffee")
    assert (extract("vue", coffee).status, extract("vue", coffee).definitions) == (STATUS_OK, [])


def test_component_syntax_error_names_the_files_line() -> None:
    svelte = b"<h1>hi</h1>\n\n<script>\nfunction f( {\n</script>\n"
    result = extract("svelte", svelte)
    assert (result.status, result.detail) == (
        STATUS_PARSE_ERROR,
        "syntax error at line 4; kept what parsed",
    )


def test_a_generic_syntax_error_keeps_the_status_and_says_where() -> None:
    source = b"proc good() =\n  discard\n\nproc bad(: =\n"
    result = extract("nim", source)
    assert result.status == STATUS_GENERIC
    assert result.detail is not None and result.detail.startswith("syntax error at line 4")
    assert [d.name for d in result.definitions] == ["good", "bad"]
    latin1 = extract("nim", b"proc caf\xe9() = discard\n")
    assert latin1.status == STATUS_GENERIC
    assert latin1.detail is not None and latin1.detail.startswith("invalid UTF-8 at byte 8")


@pytest.mark.parametrize(
    ("node_type", "kind"),
    [
        ("function_definition", "function"),
        ("proc_declaration", "function"),
        ("abstract_class_declaration", "class"),
        ("function_or_value_defn", "function"),  # F#: the first alternative
        ("declProc", "function"),  # Pascal: the marker first, camelCase
        ("defProc", "function"),
        ("enum_item", "enum"),
        ("full_type_declaration", "type"),
        ("package_body", "module"),  # Ada, VHDL
        ("struct_specifier", "struct"),  # only with a body
        ("module", "module"),  # a kind alone: only named by a field or a header
        ("named_module", "module"),
        ("signal_interface_declaration", None),  # VHDL: a port, not an interface
        ("enumeration_type_definition", None),  # Ada, VHDL: a type's right-hand side
        ("end_function_statement", None),
        ("function_call", None),
        ("function_type", None),
        ("class_body", None),
        ("storage_class_specifier", None),
        ("package_or_generate_item_declaration", None),  # Verilog: a wrapper
        ("type", None),
        ("formal_subprogram_declaration", None),  # Ada: a generic's parameter
        ("expression_function_declaration", "function"),  # Ada: `function F return T is (...)`
        ("function_expression", None),  # an anonymous function
    ],
)
def test_the_rule_reads_node_type_names(node_type: str, kind: str | None) -> None:
    rule = generic.rule_for(node_type)
    assert (rule.kind if rule else None) == kind


@pytest.mark.parametrize("language", GENERIC)
def test_every_generic_language_has_definition_types(language: str) -> None:
    assert language not in ("json", "yaml", "toml", "markdown", "html", "css")
    source = parse.patterns_source(language)
    assert "@definition." in source
    assert extract(language, b"").status == STATUS_GENERIC


def test_the_digest_covers_the_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    before = parse.patterns_digest(("nim",))
    assert before != parse.patterns_digest(("fortran",))
    monkeypatch.setattr(generic, "RULES", generic.RULES + b"changed")
    assert parse.patterns_digest(("nim",)) != before
    assert catalog.patterns_digest("vue") != catalog.patterns_digest("svelte")


MakeRepo = Callable[..., GitRepo]


def test_indexing_records_generic_and_component_blobs(make_repo: MakeRepo) -> None:
    repo = make_repo()
    repo.write("src/shapes.nim", "proc area(r: float): float = r * r\n")
    repo.write("src/App.vue", "<script setup>\nfunction go() {}\n</script>\n")
    repo.write("README.md", "# demo\n")
    repo.commit("a")
    store = repo.path / ".git" / "symbiote" / "index.duckdb"
    summary = index_repository(repo.path, store, IndexOptions(jobs=1))
    assert summary.statuses == {"generic": 1, "ok": 1, "unsupported_language": 1}
    con = duckdb.connect(str(store), read_only=True)
    try:
        rows = con.execute(
            "SELECT b.language, b.status, b.patterns_digest, s.qualified_name, s.start_line"
            " FROM blobs b JOIN code_symbols s ON s.blob = b.sha AND s.language = b.language"
            " ORDER BY 1"
        ).fetchall()
    finally:
        con.close()
    assert rows == [
        ("nim", "generic", catalog.blob_digest("nim"), "area", 1),
        ("vue", "ok", catalog.blob_digest("vue"), "go", 2),
    ]


def test_a_declarator_in_no_field_continues_the_chain() -> None:
    # C++'s `reference_declarator` (CUDA, Arduino) holds the function's declarator in no field.
    source = b"std::string& cache_dir() {\n  return dir;\n}\nint* next(int* p) { return p + 1; }\n"
    found = [(d.kind, d.name, d.name_line) for d in extract("cuda", source).definitions]
    assert found == [("function", "cache_dir", 1), ("function", "next", 4)]


def test_a_name_written_with_its_namespaces_is_its_last_part() -> None:
    source = b"proc ::ftp::Append {a} {\n  return $a\n}\nproc Close {} {}\nproc ::top {} {}\n"
    result = extract("tcl", source)
    assert [(d.name, d.qualified_name, d.name_line, d.name_col) for d in result.definitions] == [
        ("Append", "ftp.Append", 1, 12),
        ("Close", "Close", 4, 5),
        ("top", "top", 5, 7),
    ]
