"""Annotated fixtures, stack-graphs style.

An annotation is a comment line whose caret points at a column of the nearest source line
above it that is not itself an annotation::

    def greet(name):
    #   ^ defines: function greet
    greet("x")
    # ^ refers: call greet

``defines: KIND QUALIFIED_NAME`` asserts a definition whose name covers the caret;
``refers: KIND NAME`` asserts a reference there. The name is the rest of the line, so it
may hold spaces (C# ``Box.operator ==``). A fixture is checked exactly: every
extracted tag must be annotated and every annotation must match one tag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from symbiote.indexer.extract import Extraction

# Comment markers: `#`, `//`, `--`, `%` (Erlang), `;` (Clojure), `!` (Fortran), `"` (Vim),
# `(*` ... `*)` (OCaml) and `<!--` ... `-->` (XML).
_ANNOTATION = re.compile(
    r"^(\s*(?:<!--|#|//|--|%|;|!|\"|\(\*)\s*)\^\s*(defines|refers):\s*(\S+)\s+(\S.*?)\s*"
    r"(?:\*\)|-->)?\s*$"
)


@dataclass(frozen=True, order=True)
class Expected:
    line: int  # 1-based line the caret points into
    col: int  # 0-based byte column of the caret
    role: str  # "defines" or "refers"
    kind: str
    name: str  # qualified name for definitions, name for references


@dataclass(frozen=True, order=True)
class Actual:
    line: int
    start_col: int
    end_col: int
    role: str
    kind: str
    name: str


def parse_annotations(source: bytes) -> list[Expected]:
    """The annotations of an annotated fixture."""
    expected: list[Expected] = []
    target: int | None = None
    for number, raw in enumerate(source.split(b"\n"), start=1):
        line = raw.decode("utf-8", errors="replace")
        match = _ANNOTATION.match(line)
        if match is None:
            target = number
            continue
        if target is None:
            raise ValueError(f"line {number}: annotation with no source line above it")
        col = len(match.group(1).encode("utf-8"))
        expected.append(Expected(target, col, match.group(2), match.group(3), match.group(4)))
    return expected


def actual_tags(extraction: Extraction) -> list[Actual]:
    """Every tag of an extraction in the shape annotations describe."""
    tags = [
        Actual(
            d.name_line,
            d.name_col,
            d.name_col + len(d.name.encode()),
            "defines",
            d.kind,
            d.qualified_name,
        )
        for d in extraction.definitions
    ]
    tags += [
        Actual(r.start_line, r.start_col, r.end_col, "refers", r.kind, r.name)
        for r in extraction.references
    ]
    return sorted(tags)


def compare(expected: list[Expected], actual: list[Actual]) -> list[str]:
    """Differences between annotations and tags, as readable lines (empty when equal)."""
    problems: list[str] = []
    unmatched = list(actual)
    for exp in expected:
        hits = [
            a
            for a in unmatched
            if a.line == exp.line
            and a.start_col <= exp.col < max(a.end_col, a.start_col + 1)
            and a.role == exp.role
        ]
        exact = [a for a in hits if a.kind == exp.kind and a.name == exp.name]
        if exact:
            unmatched.remove(exact[0])
            continue
        if hits:
            got = ", ".join(f"{a.kind} {a.name}" for a in hits)
            problems.append(
                f"{exp.line}:{exp.col} expected {exp.role} {exp.kind} {exp.name}; got {got}"
            )
            unmatched.remove(hits[0])
        else:
            problems.append(
                f"{exp.line}:{exp.col} expected {exp.role} {exp.kind} {exp.name}; got nothing"
            )
    for a in unmatched:
        problems.append(f"{a.line}:{a.start_col} unexpected {a.role} {a.kind} {a.name}")
    return problems


def annotate(source: bytes, extraction: Extraction, prefix: str) -> str:
    """Draft annotations for a fixture (a writing aid: review every line it adds)."""
    text = source.decode("utf-8")
    lines = text.split("\n")
    by_line: dict[int, list[Actual]] = {}
    for a in actual_tags(extraction):
        by_line.setdefault(a.line, []).append(a)
    out: list[str] = []
    for number, line in enumerate(lines, start=1):
        out.append(line)
        for a in sorted(by_line.get(number, []), key=lambda t: t.start_col):
            caret = max(a.start_col, len(prefix))
            if caret >= max(a.end_col, a.start_col + 1):
                out.append(f"{prefix} FIXME: name at column {a.start_col} cannot be pointed at")
            pad = " " * (caret - len(prefix))
            out.append(f"{prefix}{pad}^ {a.role}: {a.kind} {a.name}")
    return "\n".join(out)
