"""What a pattern of a pattern file says by its text alone, before it runs: its role,
kind and main capture (``@reference.call`` -> ``reference``, ``call``), and the node
type it is rooted at. Pure text; :mod:`symbiote.indexer.parse` compiles and runs them."""

from __future__ import annotations

import re
from typing import Literal

Role = Literal["definition", "reference", "scope", "binding"]
Plan = tuple[Role | None, str, str]  # role, kind and main capture of one pattern

_MAIN_CAPTURE = re.compile(r"@(definition\.[\w.]+|reference\.[\w.]+|binding\.[\w.]+|scope)\b")
_ROOT_NODE = re.compile(r"\((?:\s*\()?\s*([A-Za-z_]\w*)")
_ROLES: dict[str, Role] = {
    "definition": "definition",
    "reference": "reference",
    "binding": "binding",
}


def plan(pattern_text: str) -> Plan:
    """Role, kind and main capture of a pattern, read from its text."""
    match = _MAIN_CAPTURE.search(pattern_text)
    if match is None:
        return None, "", ""
    capture = match.group(1)
    if capture == "scope":
        return "scope", "scope", capture
    role, kind = capture.split(".", 1)
    return _ROLES[role], kind, capture


def root_of(pattern_text: str) -> str | None:
    """The node type a pattern (its text from its first character) is rooted at:
    ``(program ...)`` and ``((program ...) (#eq? ...))`` -> ``program``; None for an
    alternation at the top."""
    found = _ROOT_NODE.match(pattern_text)
    return found.group(1) if found else None
