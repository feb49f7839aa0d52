"""Editing one table of a TOML file as text (Codex's ``[mcp_servers.NAME]``), leaving
every other line, comment included, as it was.

Why not a TOML library: the standard library reads TOML (``tomllib``) but does not write
it, and a round-tripping writer (tomlkit) would be a new dependency for one table of two
keys. So the table is handled as lines: its header is found by a scanner that knows
strings, multi-line strings and brackets (so a ``[x]`` inside an array or a string is
not taken for a header), an install appends the table at the end of the file (or puts
it in place of the old one), an uninstall takes out the table's lines and the blank line
an install put before it. Every edit is checked by reading the result with ``tomllib``
and comparing it with what it should be: an edit that would change anything else is
refused. The trade-off: an entry written as an inline table or as dotted keys
(``mcp_servers.symbiote.command = ...``) is not edited, but reported.

Errors are :class:`~symbiote.cli.jsonedit.EditError`; the caller names the file.
"""

from __future__ import annotations

import copy
import json
import re
import tomllib
from typing import Any

from symbiote.cli.jsonedit import EditError

_HEADER = re.compile(r"[ \t]*\[\[(.*?)\]\][ \t]*(?:#.*)?|[ \t]*\[(.*?)\][ \t]*(?:#.*)?")
_BARE = re.compile(r"[A-Za-z0-9_-]+")


def _load(text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise EditError(str(exc)) from exc


def _key_path(raw: str) -> tuple[str, ...] | None:
    """The parts of a dotted key as TOML reads them (quoted parts unquoted)."""
    try:
        node: Any = tomllib.loads(f"{raw} = 0")
    except tomllib.TOMLDecodeError:
        return None
    parts: list[str] = []
    while isinstance(node, dict) and len(node) == 1:
        key, node = next(iter(node.items()))
        parts.append(key)
    return tuple(parts)


def _close(line: str, j: int, quote: str) -> int | None:
    """Where the multi-line string whose body starts at ``j`` ends (after its closing
    quotes), or None when it goes on past this line."""
    while True:
        end = line.find(quote, j)
        if end < 0:
            return None
        backslashes = len(line[:end]) - len(line[:end].rstrip("\\"))
        if quote == '"""' and backslashes % 2:
            j = end + 1
            continue
        end += 3
        extra = 0  # up to two quotes may close the body: """a""""" is 'a""'
        while end < len(line) and line[end] == quote[0] and extra < 2:
            end, extra = end + 1, extra + 1
        return end


def _scan(line: str, state: str | None, depth: int) -> tuple[str | None, int]:
    """The state after ``line``: inside which multi-line string, how many brackets open."""
    j, n = 0, len(line)
    while j < n:
        if state is not None:
            end = _close(line, j, state)
            if end is None:
                return state, depth
            state, j = None, end
            continue
        c = line[j]
        if c == "#":
            break
        if line.startswith('"""', j) or line.startswith("'''", j):
            state, j = line[j : j + 3], j + 3
            continue
        if c == '"':
            k = j + 1
            while k < n and line[k] != '"':
                k += 2 if line[k] == "\\" else 1
            j = k + 1
            continue
        if c == "'":
            k = line.find("'", j + 1)
            j = n if k < 0 else k + 1
            continue
        if c in "[{":
            depth += 1
        elif c in "]}":
            depth = max(0, depth - 1)
        j += 1
    return state, depth


def _headers(lines: list[str]) -> list[tuple[int, tuple[str, ...]]]:
    """Each table header (``[a.b]`` or ``[[a.b]]``): its line index and key."""
    found: list[tuple[int, tuple[str, ...]]] = []
    state: str | None = None
    depth = 0
    for i, line in enumerate(lines):
        if state is None and depth == 0:
            match = _HEADER.fullmatch(line.rstrip("\r\n"))
            key = _key_path(match.group(1) or match.group(2)) if match else None
            if key:
                found.append((i, key))
                continue
        state, depth = _scan(line, state, depth)
    return found


def _trivia(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def _blocks(lines: list[str], prefix: tuple[str, ...]) -> list[tuple[int, int]]:
    """The line ranges of the table ``prefix`` and its sub-tables. The blank and comment
    lines at the end of a range are left to what follows them."""
    headers = _headers(lines)
    ranges = []
    for k, (start, key) in enumerate(headers):
        if key[: len(prefix)] != prefix:
            continue
        end = headers[k + 1][0] if k + 1 < len(headers) else len(lines)
        while end > start + 1 and _trivia(lines[end - 1]):
            end -= 1
        ranges.append((start, end))
    return ranges


def _key(name: str) -> str:
    return name if _BARE.fullmatch(name) else _string(name)


def _string(value: str) -> str:
    # JSON's escapes are TOML's (\" \\ \b \f \n \r \t \uXXXX); TOML also wants DEL escaped.
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def _value(value: Any) -> str:
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(f"no TOML spelling here for {value!r}")


def render_table(container: str, name: str, entry: dict[str, Any], newline: str = "\n") -> str:
    """``[container.name]`` and its keys, as install writes them."""
    lines = [f"[{_key(container)}.{_key(name)}]"]
    lines += [f"{_key(k)} = {_value(v)}" for k, v in entry.items()]
    return newline.join(lines) + newline


def lookup(text: str, container: str, name: str) -> Any | None:
    """The value of ``container.name`` in the document, or None."""
    servers = _load(text).get(container)
    return servers.get(name) if isinstance(servers, dict) else None


def _without_empty(data: dict[str, Any], container: str) -> dict[str, Any]:
    return {k: v for k, v in data.items() if not (k == container and v == {})}


def _checked(new_text: str, expected: dict[str, Any], container: str) -> str:
    try:
        got = tomllib.loads(new_text)
    except tomllib.TOMLDecodeError as exc:
        raise EditError(f"the file would not parse after the edit ({exc})") from exc
    if _without_empty(got, container) != _without_empty(expected, container):
        raise EditError(
            f"[{container}] is written in a form this edit cannot follow (inline tables "
            "or dotted keys)"
        )
    return new_text


def _cut(lines: list[str], start: int, end: int) -> None:
    """Delete ``lines[start:end]`` and the blank line before them when a blank line (or
    the end) follows: the blank line an append put before a table."""
    del lines[start:end]
    before_blank = start > 0 and not lines[start - 1].strip()
    if before_blank and (start == len(lines) or not lines[start].strip()):
        del lines[start - 1]


def set_table(text: str, container: str, name: str, entry: dict[str, Any]) -> str:
    """``text`` with the table ``[container.name]`` holding ``entry``: appended at the
    end, or in place of the table of that name (and its sub-tables)."""
    data = _load(text)
    servers = data.get(container)
    if servers is not None and not isinstance(servers, dict):
        raise EditError(f"{container!r} is not a table")
    current = servers.get(name) if servers else None
    if current == entry:
        return text
    expected = copy.deepcopy(data)
    expected.setdefault(container, {})[name] = entry
    newline = "\r\n" if "\r\n" in text else "\n"
    table = render_table(container, name, entry, newline)
    lines = text.splitlines(keepends=True)
    ranges = _blocks(lines, (container, name))
    if current is None:
        if servers is not None and not any(key[:1] == (container,) for _, key in _headers(lines)):
            raise EditError(
                f"{container} is written as an inline table or dotted keys, which this edit "
                f"does not extend; add [{container}.{name}] by hand"
            )
        sep = newline if text and not text.endswith("\n") else ""
        sep += newline if text.strip() else ""
        return _checked(text + sep + table, expected, container)
    if not ranges:
        raise EditError(
            f"[{container}.{name}] is written as an inline table or dotted keys, which "
            "this edit does not rewrite; change or remove it by hand"
        )
    for start, end in reversed(ranges[1:]):
        _cut(lines, start, end)
    start, end = ranges[0]
    if end == len(lines) and not lines[end - 1].endswith("\n"):
        table = table.removesuffix(newline)
    lines[start:end] = [table]
    return _checked("".join(lines), expected, container)


def remove_table(text: str, container: str, name: str) -> str | None:
    """``text`` without the table ``[container.name]`` (its sub-tables too) and the blank
    line before it; None when nothing but blank lines would be left."""
    data = _load(text)
    servers = data.get(container)
    if not isinstance(servers, dict) or name not in servers:
        return text
    lines = text.splitlines(keepends=True)
    ranges = _blocks(lines, (container, name))
    if not ranges:
        raise EditError(
            f"[{container}.{name}] is written as an inline table or dotted keys, which "
            "this edit does not remove; remove it by hand"
        )
    for start, end in reversed(ranges):
        _cut(lines, start, end)
    new_text = "".join(lines)
    if not new_text.strip():
        return None
    expected = copy.deepcopy(data)
    del expected[container][name]
    return _checked(new_text, expected, container)
