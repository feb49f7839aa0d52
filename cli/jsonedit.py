"""Editing one entry of a JSON settings file as text, leaving every other byte alone.

Agent clients keep MCP servers in JSON files the user also edits by hand (VS Code's are
JSONC: comments and trailing commas allowed). Loading and dumping such a file would
reorder nothing but would still rewrite its spacing, its comments and every number's
spelling, so the entry is spliced into the text instead: the parser here records where
each value starts and ends, an insertion goes right after the last member of its object
(indented like its siblings), and a removal takes out exactly the bytes an insertion
adds. Each edit is checked by parsing the result again and comparing values.

Errors are :class:`EditError` (a :class:`ValueError`) with a line and column; the
caller names the file.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from typing import Any


class EditError(ValueError):
    """The text does not parse, or does not have the shape the edit needs."""


@dataclass(slots=True)
class Value:
    """A parsed value and its span in the text (``end`` exclusive)."""

    start: int
    end: int
    data: Any
    members: list[Member] = field(default_factory=list)  # an object's, in text order
    is_object: bool = False


@dataclass(slots=True)
class Member:
    """One ``"key": value`` of an object."""

    key: str
    key_start: int
    value: Value


_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\.)*"', re.S)
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_LITERALS = {"true": True, "false": False, "null": None}
_SPACE = " \t\r\n\ufeff"


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fail(self, message: str, pos: int | None = None) -> EditError:
        at = self.pos if pos is None else pos
        line = self.text.count("\n", 0, at) + 1
        col = at - (self.text.rfind("\n", 0, at) + 1) + 1
        return EditError(f"line {line}, column {col}: {message}")

    def skip(self) -> None:
        text, n = self.text, len(self.text)
        while self.pos < n:
            c = text[self.pos]
            if c in _SPACE:
                self.pos += 1
            elif text.startswith("//", self.pos):
                end = text.find("\n", self.pos)
                self.pos = n if end < 0 else end + 1
            elif text.startswith("/*", self.pos):
                end = text.find("*/", self.pos + 2)
                if end < 0:
                    raise self.fail("a /* comment is not closed")
                self.pos = end + 2
            else:
                return

    def value(self) -> Value:
        self.skip()
        if self.pos >= len(self.text):
            raise self.fail("a value was expected, the text ended")
        c = self.text[self.pos]
        if c == "{":
            return self.obj()
        if c == "[":
            return self.array()
        start = self.pos
        if c == '"':
            return Value(start, self.pos, self.string())
        for word, data in _LITERALS.items():
            if self.text.startswith(word, start):
                self.pos += len(word)
                return Value(start, self.pos, data)
        match = _NUMBER.match(self.text, start)
        if not match:
            raise self.fail(f"unexpected character {c!r}")
        self.pos = match.end()
        return Value(start, self.pos, json.loads(match.group()))

    def string(self) -> str:
        match = _STRING.match(self.text, self.pos)
        if not match:
            raise self.fail("a string is not closed, or holds a control character")
        try:
            decoded: str = json.loads(match.group())
        except json.JSONDecodeError as exc:
            raise self.fail(f"bad escape in a string ({exc.msg})") from exc
        self.pos = match.end()
        return decoded

    def obj(self) -> Value:
        start = self.pos
        self.pos += 1
        node = Value(start, start, {}, is_object=True)
        expect_member = True
        while True:
            self.skip()
            if self.text.startswith("}", self.pos):
                self.pos += 1
                node.end = self.pos
                return node
            if not expect_member:
                raise self.fail("',' or '}' was expected")
            if not self.text.startswith('"', self.pos):
                raise self.fail("a member name (a string in double quotes) was expected")
            key_start = self.pos
            key = self.string()
            self.skip()
            if not self.text.startswith(":", self.pos):
                raise self.fail("':' was expected")
            self.pos += 1
            value = self.value()
            node.members.append(Member(key, key_start, value))
            node.data[key] = value.data
            self.skip()
            expect_member = self.text.startswith(",", self.pos)
            if expect_member:
                self.pos += 1

    def array(self) -> Value:
        start = self.pos
        self.pos += 1
        items: list[Any] = []
        expect_item = True
        while True:
            self.skip()
            if self.text.startswith("]", self.pos):
                self.pos += 1
                return Value(start, self.pos, items)
            if not expect_item:
                raise self.fail("',' or ']' was expected")
            items.append(self.value().data)
            self.skip()
            expect_item = self.text.startswith(",", self.pos)
            if expect_item:
                self.pos += 1


def parse(text: str) -> Value:
    """The document (JSON, with comments and trailing commas allowed); an empty or
    blank text is an empty object."""
    if not text.strip(_SPACE):
        return Value(0, 0, {}, is_object=True)
    parser = _Parser(text)
    try:
        root = parser.value()
    except RecursionError as exc:
        raise EditError("the document is nested too deeply") from exc
    parser.skip()
    if parser.pos < len(text):
        raise parser.fail("the document goes on after its value")
    if not root.is_object:
        raise EditError("the document is not a JSON object")
    return root


def lookup(text: str, container: str, name: str) -> Any | None:
    """The value of ``{container: {name: ...}}`` in the document, or None."""
    servers = parse(text).data.get(container)
    return servers.get(name) if isinstance(servers, dict) else None


def _only(node: Value, key: str) -> Member | None:
    found = [m for m in node.members if m.key == key]
    if len(found) > 1:
        raise EditError(f"the name {key!r} appears {len(found)} times in one object")
    return found[0] if found else None


def _line_indent(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    line = text[start:pos]
    return line[: len(line) - len(line.lstrip(" \t"))]


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _unit(text: str, root: Value) -> str:
    """One level of indentation as the document spells it (two spaces by default)."""
    for m in root.members:
        if "\n" in text[root.start : m.key_start]:
            return _line_indent(text, m.key_start) or "  "
    return "  "


def _render(value: Any, indent: str | None, unit: str, newline: str) -> str:
    """``value`` as JSON: objects one member a line (at ``indent``, one ``unit`` deeper
    per level), lists and scalars on one line; all on one line when ``indent`` is None."""
    if indent is None or not isinstance(value, dict) or not value:
        return json.dumps(value, ensure_ascii=False)
    inner = indent + unit
    members = [
        f"{json.dumps(k, ensure_ascii=False)}: {_render(v, inner, unit, newline)}"
        for k, v in value.items()
    ]
    return "{" + newline + inner + ("," + newline + inner).join(members) + newline + indent + "}"


def _insert(text: str, node: Value, key: str, value: Any, unit: str) -> str:
    """``text`` with ``"key": value`` added as the last member of the object ``node``."""
    newline = _newline(text)
    if node.members:
        first, last = node.members[0], node.members[-1]
        multiline = "\n" in text[node.start : first.key_start]
        indent = _line_indent(text, first.key_start) if multiline else None
        sep = newline + indent if indent is not None else " "
        member = f"{json.dumps(key, ensure_ascii=False)}: {_render(value, indent, unit, newline)}"
        return text[: last.value.end] + "," + sep + member + text[last.value.end :]
    outer = _line_indent(text, node.start)
    if "\n" in text or not text:
        indent = outer + unit
        member = f"{json.dumps(key, ensure_ascii=False)}: {_render(value, indent, unit, newline)}"
        inner = newline + indent + member + newline + outer
    else:
        inner = f"{json.dumps(key, ensure_ascii=False)}: {_render(value, None, unit, newline)}"
    return text[: node.start + 1] + inner + text[node.end - 1 :]


def _remove(text: str, node: Value, index: int) -> str:
    """``text`` without the member ``index`` of the object ``node``: the exact inverse
    of :func:`_insert` for the last member."""
    members = node.members
    if len(members) == 1:
        return text[: node.start + 1] + text[node.end - 1 :]
    if index > 0:
        return text[: members[index - 1].value.end] + text[members[index].value.end :]
    return text[: members[0].key_start] + text[members[1].key_start :]


def _checked(new_text: str, expected: Any) -> str:
    try:
        got = parse(new_text).data
    except EditError as exc:  # pragma: no cover - an edit that breaks the text is a bug
        raise EditError(f"the edit would not parse ({exc})") from exc
    if got != expected:  # pragma: no cover - likewise
        raise EditError("the edit would change more than the entry")
    return new_text


def set_entry(text: str, container: str, name: str, entry: dict[str, Any]) -> str:
    """``text`` with ``{container: {name: entry}}`` in its top-level object: added after
    the container's last member, or replacing an entry of that name. A blank text
    becomes a new document."""
    root = parse(text)
    expected = copy.deepcopy(root.data)
    holder = _only(root, container)
    if holder is not None and not holder.value.is_object:
        raise EditError(f"{container!r} is not an object")
    expected.setdefault(container, {})[name] = entry
    if not text.strip(_SPACE):
        return _render(expected, "", "  ", "\n") + "\n"
    unit = _unit(text, root)
    if holder is None:
        return _checked(_insert(text, root, container, {name: entry}, unit), expected)
    current = _only(holder.value, name)
    if current is None:
        return _checked(_insert(text, holder.value, name, entry, unit), expected)
    if current.value.data == entry:
        return text
    indent = _line_indent(text, current.key_start)
    multiline = "\n" in text[holder.value.start : current.key_start]
    rendered = _render(entry, indent if multiline else None, unit, _newline(text))
    new_text = text[: current.value.start] + rendered + text[current.value.end :]
    return _checked(new_text, expected)


def remove_entry(text: str, container: str, name: str) -> str | None:
    """``text`` without ``{container: {name: ...}}``; the container goes too when that
    was its only entry. None: nothing is left (an empty object)."""
    root = parse(text)
    holder = _only(root, container)
    if holder is None or not holder.value.is_object:
        return text
    current = _only(holder.value, name)
    if current is None:
        return text
    expected = copy.deepcopy(root.data)
    del expected[container][name]
    if len(holder.value.members) == 1:
        del expected[container]
        new_text = _remove(text, root, root.members.index(holder))
    else:
        new_text = _remove(text, holder.value, holder.value.members.index(current))
    if not expected and new_text.strip(_SPACE) == "{}":
        return None
    return _checked(new_text, expected)
