"""The text editors behind ``symbiote agent``: one entry of a JSON(C) or TOML file is
added, replaced or removed, and nothing else changes.

Properties (hypothesis, derandomized): for any JSON object, written in any of the usual
styles, adding the entry leaves the old text whole around one insertion and parses to
the old value plus the entry; removing it again gives back the exact bytes; the parser
agrees with ``json`` on every document ``json.dumps`` writes.
"""

from __future__ import annotations

import json
import os
import tomllib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symbiote.cli import jsonedit, tomledit
from symbiote.cli.jsonedit import EditError

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True, database=None)
ENTRY = {"command": "/usr/bin/symbiote", "args": ["mcp", "--repo", "/src/ünï code"]}

scalars = st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.text(max_size=8)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
servers = st.dictionaries(
    st.text(min_size=1, max_size=8).filter(lambda k: k != "symbiote"),
    values,
    min_size=1,
    max_size=3,
)
styles = st.sampled_from([None, 2, 4, "\t"])


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """A settings file's text (in one style) and its value: other settings, and maybe a
    container that already holds other servers."""
    doc = draw(
        st.dictionaries(
            st.text(max_size=8).filter(lambda k: k != "mcpServers"), values, min_size=1, max_size=4
        )
    )
    if draw(st.booleans()):
        doc["mcpServers"] = draw(servers)
    style = draw(styles)
    text = json.dumps(doc, indent=style, ensure_ascii=draw(st.booleans()))
    return text + ("\n" if style is not None else ""), doc


def only_inserted(old: str, new: str) -> str:
    head = len(os.path.commonprefix([old, new]))
    tail = len(os.path.commonprefix([old[head:][::-1], new[head:][::-1]]))
    assert head + tail == len(old), "the old text is not kept whole"
    return new[head : len(new) - tail]


@SETTINGS
@given(documents())
def test_json_install_then_uninstall_is_exact(document: tuple[str, dict[str, Any]]) -> None:
    text, doc = document
    added = jsonedit.set_entry(text, "mcpServers", "symbiote", ENTRY)
    assert json.loads(added) == {
        **doc,
        "mcpServers": {**doc.get("mcpServers", {}), "symbiote": ENTRY},
    }
    assert '"symbiote"' in only_inserted(text, added)
    assert jsonedit.set_entry(added, "mcpServers", "symbiote", ENTRY) == added
    assert jsonedit.remove_entry(added, "mcpServers", "symbiote") == text


@SETTINGS
@given(values, styles)
def test_the_parser_reads_what_json_writes(value: Any, style: int | str | None) -> None:
    text = json.dumps({"k": value}, indent=style)
    assert jsonedit.parse(text).data == json.loads(text)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            "",
            '{\n  "mcpServers": {\n    "symbiote": {\n      "command": "s",\n'
            '      "args": ["a"]\n    }\n  }\n}\n',
        ),
        ("{}", '{"mcpServers": {"symbiote": {"command": "s", "args": ["a"]}}}'),
        (
            '{\r\n  "x": 1\r\n}\r\n',
            '{\r\n  "x": 1,\r\n  "mcpServers": {\r\n    "symbiote": {\r\n      "command": "s",\r\n'
            '      "args": ["a"]\r\n    }\r\n  }\r\n}\r\n',
        ),
        (
            '{"mcpServers": {}, "x": 1}',
            '{"mcpServers": {"symbiote": {"command": "s", "args": ["a"]}}, "x": 1}',
        ),
    ],
)
def test_json_edits_spelled_out(before: str, after: str) -> None:
    entry = {"command": "s", "args": ["a"]}
    assert jsonedit.set_entry(before, "mcpServers", "symbiote", entry) == after


def test_json_uninstall_takes_out_a_container_it_empties() -> None:
    text = '{"x": 1, "mcpServers": {"symbiote": {"command": "s"}}}'
    assert jsonedit.remove_entry(text, "mcpServers", "symbiote") == '{"x": 1}'
    assert (
        jsonedit.remove_entry('{"mcpServers": {"symbiote": 1}}\n', "mcpServers", "symbiote") is None
    )
    # A file holding comments besides the entry is kept, though its object is empty.
    kept = jsonedit.remove_entry(
        '// mine\n{"mcpServers": {"symbiote": 1}}\n', "mcpServers", "symbiote"
    )
    assert kept == "// mine\n{}\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[1, 2]", "not a JSON object"),
        ('{"mcpServers": []}', "'mcpServers' is not an object"),
        ('{"a": 1} {"b": 2}', "line 1, column 10: the document goes on"),
        ('{"a": 1, "a": 2, "mcpServers": {"symbiote": 1, "symbiote": 2}}', "appears 2 times"),
        ('{"a": "\\q"}', "bad escape"),
        ("{'a': 1}", "line 1, column 2: a member name"),
    ],
)
def test_json_shapes_it_does_not_edit(text: str, message: str) -> None:
    with pytest.raises(EditError, match=message):
        jsonedit.set_entry(text, "mcpServers", "symbiote", ENTRY)


def test_toml_install_appends_one_table_and_uninstall_takes_it_out() -> None:
    text = 'model = "o3"  # keep\n\n[mcp_servers.docs]\ncommand = "npx"\n'
    added = tomledit.set_table(text, "mcp_servers", "symbiote", ENTRY)
    assert added == text + (
        '\n[mcp_servers.symbiote]\ncommand = "/usr/bin/symbiote"\n'
        'args = ["mcp", "--repo", "/src/ünï code"]\n'
    )
    assert tomllib.loads(added)["mcp_servers"]["symbiote"] == ENTRY
    assert tomledit.set_table(added, "mcp_servers", "symbiote", ENTRY) == added
    assert tomledit.remove_table(added, "mcp_servers", "symbiote") == text
    assert (
        tomledit.remove_table(tomledit.set_table("", "mcp_servers", "s", ENTRY), "mcp_servers", "s")
        is None
    )


def test_toml_strings_that_need_escapes() -> None:
    entry = {"command": 'C:\\Program Files\\"sym"\x7f', "args": ["tab\there"]}
    added = tomledit.set_table("", "mcp_servers", "symbiote", entry)
    assert tomllib.loads(added)["mcp_servers"]["symbiote"] == entry


def test_toml_an_inline_container_is_refused() -> None:
    text = 'mcp_servers = { docs = { command = "npx" } }\n'
    with pytest.raises(EditError, match="inline table or dotted keys"):
        tomledit.set_table(text, "mcp_servers", "symbiote", ENTRY)
    with pytest.raises(EditError, match=r"Invalid value \(at line 1, column 5\)"):
        tomledit.set_table("a = \n", "mcp_servers", "symbiote", ENTRY)
