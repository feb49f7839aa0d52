"""Multi-file resolution fixtures, stack-graphs style, checked exactly.

Each folder ``fixtures/resolution/<language>/`` is a small project of a few files. A
comment line whose caret points into a reference name on the nearest line above it that
is not itself an annotation states how that reference resolves::

    total = pricing.total(prices)
    #               ^ defined: shop/pricing.py:12 import
    cart.add(10)
    #    ^ defined: app.py:20 shop/cart.py:28 name
    print(total)
    # ^ unresolved

``defined:`` lists every target as the path of its file (relative to the fixture folder)
and the line of the definition's *name*, then the resolution (``scope``, ``import`` or
``name``); ``unresolved`` means the reference resolves to nothing. Python uses ``#``,
MSBuild files ``<!-- ... -->``, the other languages ``//``. The caret column is a 0-based
byte column.

The fixture is committed to a fresh git repository and indexed, and every annotation is
checked with ``Index.goto`` at the caret: the resolution and the sorted list of
``(path, name line)`` of the targets must equal the annotation exactly. An annotation
that points at a definition's name or at no reference fails (goto answers
``definition`` or ``none`` there).

What must be annotated: every reference of kind ``call``, ``import`` and
``inherit`` in a fixture (the test fails on an unannotated one, so a resolution
appearing or changing anywhere is noticed). ``type``, ``read`` and ``write``
references are checked where annotated (the interesting ones are); annotating every
``int`` and ``self.x`` would bury the fixtures. Annotation lines must not create
references, every file must parse without errors, and each fixture must exercise all
four resolutions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from symbiote.indexer import IndexOptions, index_repository
from symbiote.indexer.errors import UnknownDefinition
from symbiote.indexer.extract import extract
from symbiote.indexer.languages import SUPPORTED, language_for_path
from symbiote.indexer.schema import STATUS_OK
from symbiote.queries import Symbol, open_index
from symbiote.queries.resolve import Resolver
from symbiote.queries.resolve_typetext import callable_result
from symbiote.queries.snapshot import Snapshot
from tests.conftest import GitRepo

MakeRepo = Callable[..., GitRepo]

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "resolution"
LANGUAGES = (
    *("python", "javascript", "typescript", "go", "java", "csharp", "rust", "cpp"),
    *("ruby", "php", "c"),
)
RESOLUTIONS = ("scope", "import", "type", "inherited", "name")
# Languages whose patterns bind names with type evidence: all of them.
TYPED = frozenset(LANGUAGES)
UNINHERITED = {"c": {"inherited"}}  # typed languages without inheritance
MUST_ANNOTATE = frozenset({"call", "import", "inherit"})

_ANNOTATION = re.compile(r"^(\s*(?:#|//|<!--)\s*)\^(.*?)(?:\s*-->)?$")
_DEFINED = re.compile(r"^defined:((?:\s+[^\s:]+:[0-9]+)+)\s+(scope|import|type|inherited|name)$")

Target = tuple[str, int]  # (path, line of the definition's name)


@dataclass(frozen=True, order=True)
class Expected:
    path: str
    line: int  # 1-based line of the reference
    col: int  # 0-based byte column of the caret
    resolution: str  # scope, import, name or unresolved
    targets: tuple[Target, ...]  # sorted; empty for unresolved


def parse_annotations(path: str, source: bytes) -> tuple[list[Expected], set[int]]:
    """The annotations of one fixture file, and the numbers of the annotation lines."""
    expected: list[Expected] = []
    lines: set[int] = set()
    target: int | None = None
    for number, raw in enumerate(source.split(b"\n"), start=1):
        text = raw.decode("utf-8")
        match = _ANNOTATION.match(text)
        if match is None:
            target = number
            continue
        where = f"{path}:{number}"
        if target is None:
            raise ValueError(f"{where}: annotation with no source line above it")
        body = match.group(2).strip()
        col = len(match.group(1).encode("utf-8"))
        lines.add(number)
        if body == "unresolved":
            expected.append(Expected(path, target, col, "unresolved", ()))
            continue
        defined = _DEFINED.match(body)
        if defined is None:
            raise ValueError(f"{where}: not `defined: PATH:LINE... RESOLUTION`: {body!r}")
        targets = []
        for item in defined.group(1).split():
            file, _, line = item.rpartition(":")
            targets.append((file, int(line)))
        expected.append(Expected(path, target, col, defined.group(2), tuple(sorted(targets))))
    return expected, lines


def _name_line(snap: Snapshot, symbol: Symbol) -> Target:
    return symbol.path, snap.extra[snap.index_of(symbol)][2]


def _show(resolution: str, targets: tuple[Target, ...]) -> str:
    if resolution == "unresolved" and not targets:
        return "unresolved"
    listed = " ".join(f"{p}:{n}" for p, n in targets)
    return f"{resolution}: {listed}" if listed else resolution


def _unannotated(
    snap: Snapshot, expected: list[Expected], annotation_lines: dict[str, set[int]]
) -> list[str]:
    """References that must be annotated but are not, and references on annotation lines."""
    problems = []
    carets = {(e.path, e.line, e.col) for e in expected}
    for path in sorted(snap.files):
        for row in snap.reference_rows(path=path):
            field = snap.reference_field
            line, start, end = (
                field(row, "start_line"),
                field(row, "start_col"),
                field(row, "end_col"),
            )
            kind, name = field(row, "kind"), field(row, "name")
            if line in annotation_lines.get(path, set()):
                problems.append(f"{path}:{line}:{start} an annotation line holds {kind} {name!r}")
            if kind not in MUST_ANNOTATE:
                continue
            if not any((path, line, c) in carets for c in range(start, max(end, start + 1))):
                problems.append(f"{path}:{line}:{start} {kind} {name!r} is not annotated")
    return problems


# Package manifests (a workspace package's package.json) are part of a fixture's
# project, not among its source files.
MANIFESTS = frozenset({"gomod", "npm", "msbuild"})


def _fixture_files(language: str) -> list[Path]:
    folder = FIXTURES / language
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    assert files, f"no fixture in {folder}"
    return files


@pytest.mark.parametrize("language", LANGUAGES)
def test_resolution_fixture(language: str, make_repo: MakeRepo) -> None:
    folder = FIXTURES / language
    repo = make_repo(language)
    expected: list[Expected] = []
    annotation_lines: dict[str, set[int]] = {}
    sources = 0
    for file in _fixture_files(language):
        rel = file.relative_to(folder).as_posix()
        source = file.read_bytes()
        repo.write(rel, source)
        file_language = language_for_path(rel)
        if file_language not in SUPPORTED:
            continue
        sources += file_language not in MANIFESTS
        extraction = extract(file_language, source)
        assert extraction.status == STATUS_OK, f"{rel}: {extraction.detail}"
        found, lines = parse_annotations(rel, source)
        expected += found
        annotation_lines[rel] = lines
    assert 3 <= sources <= 5, "a fixture is a small project of 3 to 5 source files"
    # Every fixture shows each way of resolving; a language with type evidence also
    # shows answers found through it (`type`) and through a base class (`inherited`).
    shown = {e.resolution for e in expected}
    assert shown >= {"scope", "import", "name", "unresolved"}, shown
    if language in TYPED:  # C has no base classes, so nothing is inherited
        assert shown == {*RESOLUTIONS, "unresolved"} - UNINHERITED.get(language, set()), shown
    repo.commit("fixture")
    index_repository(repo.path, options=IndexOptions(jobs=1))

    problems: list[str] = []
    with open_index(repo.path) as index:
        snap = index.snapshot()
        for e in sorted(expected):
            found = index.goto(e.path, e.line, e.col)
            resolution, symbols = found.resolution, found.targets
            targets = tuple(sorted(_name_line(snap, s) for s in symbols))
            if (resolution, targets) != (e.resolution, e.targets):
                problems.append(
                    f"{e.path}:{e.line}:{e.col} expected {_show(e.resolution, e.targets)}; "
                    f"got {_show(resolution, targets)}"
                )
        problems += _unannotated(snap, expected, annotation_lines)
        problems += _order_dependent(snap)
    assert not problems, "\n".join(problems)


def _order_dependent(snap: Snapshot) -> list[str]:
    """References whose answer (resolution and ranked targets) depends on the order in
    which a resolver is asked: two fresh resolvers, one asked first to last, the other
    last to first."""
    rows = range(len(snap.reference_columns()["name"]))

    def answer(resolved: tuple[str, list[Symbol]]) -> tuple[str, list[tuple[str, int]]]:
        return resolved[0], [(s.path, s.start_byte) for s in resolved[1]]

    forward, backward = Resolver(snap), Resolver(snap)
    ahead = {row: answer(forward.resolve(row)) for row in rows}
    behind = {row: answer(backward.resolve(row)) for row in reversed(rows)}
    paths = snap.reference_columns()["path"]
    return [
        f"{paths[row]} reference {row}: {ahead[row]} asked first, {behind[row]} asked last"
        for row in rows
        if ahead[row] != behind[row]
    ]


def test_annotation_format_is_strict() -> None:
    source = b"f()\n# ^ defined: a.py:3 b.py:1 name\n# ^ unresolved\n"
    found, lines = parse_annotations("x.py", source)
    assert found == [
        Expected("x.py", 1, 2, "name", (("a.py", 3), ("b.py", 1))),
        Expected("x.py", 1, 2, "unresolved", ()),
    ]
    assert lines == {2, 3}
    for bad in (b"f()\n# ^ defined: a.py:3\n", b"f()\n# ^ defined a.py:3 scope\n", b"# ^ x\n"):
        with pytest.raises(ValueError):
            parse_annotations("x.py", bad)


def test_a_guessed_call_ranks_first_the_candidates_its_arity_fits(make_repo: MakeRepo) -> None:
    # `c` has no type the code states, so `c.json(...)` is a guess among every `json`;
    # those that can take the call's arguments come first, the order is kept otherwise
    # (src/body.ts before src/context.ts), and a spread tells no arity.
    repo = make_repo("arity")
    repo.write("src/body.ts", "export interface Reply {\n  json(): unknown\n  text(): string\n}\n")
    repo.write(
        "src/context.ts",
        "export class Context {\n"
        "  json(data: object, status?: number): string {\n    return String(data)\n  }\n"
        "  text = (body: string, ...rest: string[]): string => body\n"
        "}\n",
    )
    repo.write(
        "app.ts",
        "export const run = (cb: (c: any) => unknown) => cb(null)\n"
        "run((c) => c.json({ ok: true }))\n"
        "run((c) => c.json())\n"
        'run((c) => c.text("x", "y"))\n'
        "run((c) => c.json(...parts))\n",
    )
    repo.commit("arity")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    with open_index(repo.path) as index:

        def ranked(line: int, col: int) -> tuple[str, list[str]]:
            found = index.goto("app.ts", line, col)
            return found.resolution, [f"{s.path}:{s.qualified_name}" for s in found.targets]

        reply, context = "src/body.ts:Reply", "src/context.ts:Context"
        assert ranked(2, 13) == ("name", [f"{context}.json", f"{reply}.json"])
        assert ranked(3, 13) == ("name", [f"{reply}.json", f"{context}.json"])
        assert ranked(4, 13) == ("name", [f"{context}.text", f"{reply}.text"])
        assert ranked(5, 13) == ("name", [f"{reply}.json", f"{context}.json"])


def test_a_package_is_imported_by_the_name_its_package_json_declares(make_repo: MakeRepo) -> None:
    # The repository's root is the package `@acme/widgets` (its tests import it by that
    # name, as tsconfig `paths` or a bundler map it to src/); a workspace package in
    # packages/core is `@acme/kernel`, a name no folder has. A dependency stays outside.
    repo = make_repo("manifests")
    repo.write("package.json", '{"name": "@acme/widgets", "dependencies": {"react": "18"}}\n')
    repo.write("src/index.ts", 'export { press } from "./button"\n')
    repo.write("src/button.ts", "export function press(): number {\n  return 1\n}\n")
    repo.write("src/react.ts", "export function useState(): number {\n  return 3\n}\n")
    repo.write("packages/core/package.json", '{"name": "@acme/kernel"}\n')
    repo.write("packages/core/src/clock.ts", "export function tick(): number {\n  return 2\n}\n")
    repo.write(
        "tests/button.test.ts",
        'import { press } from "@acme/widgets/button"\n'
        'import { press as again } from "@acme/widgets"\n'
        'import { tick } from "@acme/kernel/clock"\n'
        'import { useState } from "react"\n'
        "press()\nagain()\ntick()\nuseState()\n",
    )
    repo.commit("manifests")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    with open_index(repo.path) as index:
        assert [(s.path, s.kind) for s in index.find("@acme/kernel")] == [
            ("packages/core/package.json", "module")
        ]

        def goto(line: int) -> tuple[str, list[str]]:
            found = index.goto("tests/button.test.ts", line, 0)
            return found.resolution, [f"{s.path}:{s.qualified_name}" for s in found.targets]

        assert goto(5) == ("import", ["src/button.ts:press"])
        assert goto(6) == ("import", ["src/button.ts:press"])
        assert goto(7) == ("import", ["packages/core/src/clock.ts:tick"])
        assert goto(8) == ("unresolved", [])
        # A dependency is the package of that name, not a file named like it.
        found = index.goto("package.json", 1, 44)
        assert (found.resolution, found.targets) == ("unresolved", [])
        kernel = index.goto("packages/core/package.json", 1, 10)
        assert [s.kind for s in kernel.targets] == ["module"]


def test_a_guess_ranks_first_the_members_of_the_type_its_receiver_field_declares(
    make_repo: MakeRepo,
) -> None:
    # `c` has no type the code states, so `c.req.method` is a guess among every `method`;
    # but the members named `req` declare HonoRequest (a getter here), so its `method`
    # (inherited from a base too) comes first.
    repo = make_repo("receivers")
    repo.write("src/a_route.ts", "export interface Route {\n  method: string\n  path: string\n}\n")
    repo.write(
        "src/request.ts",
        "class Base {\n  get path(): string {\n    return ''\n  }\n}\n"
        "export class HonoRequest extends Base {\n"
        "  get method(): string {\n    return ''\n  }\n}\n",
    )
    repo.write(
        "src/context.ts",
        "import { HonoRequest } from './request'\n"
        "export class Context {\n"
        "  get req(): HonoRequest {\n    return new HonoRequest()\n  }\n}\n",
    )
    repo.write(
        "app.ts",
        "export const run = (cb: (c: any) => unknown) => cb(null)\n"
        "run((c) => c.req.method)\n"
        "run((c) => c.req.path)\n"
        "run((c) => c.res.method)\n",
    )
    repo.commit("receivers")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    with open_index(repo.path) as index:

        def ranked(line: int, col: int) -> tuple[str, list[str]]:
            found = index.goto("app.ts", line, col)
            return found.resolution, [f"{s.path}:{s.qualified_name}" for s in found.targets]

        route, request = "src/a_route.ts:Route", "src/request.ts:HonoRequest"
        assert ranked(2, 17) == ("name", [f"{request}.method", f"{route}.method"])
        assert ranked(3, 17) == ("name", ["src/request.ts:Base.path", f"{route}.path"])
        # No member is named `res`: the order is the guess's own.
        assert ranked(4, 17) == ("name", [f"{route}.method", f"{request}.method"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_definition_has_a_canonical_name_that_names_it_back(
    language: str, make_repo: MakeRepo
) -> None:
    """One canonical name per definition: the `symbol` of every definition of a
    fixture is unique at the commit and names that very definition back (overloads and a
    property's getter and setter share a qualified name in one file: the second and later
    are `PATH::QUALNAME#N`, in source order); `#N` past the last is an error."""
    with open_index(_indexed_fixture(language, make_repo).path) as index:
        symbols = index.symbols()
        names = [s.symbol for s in symbols]
        assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
        for s in symbols:
            named = index.definition(s.symbol)
            assert (named.path, named.start_byte, named.qualified_name) == (
                s.path,
                s.start_byte,
                s.qualified_name,
            ), s.symbol
            assert named.symbol == s.symbol
        shared = [s for s in symbols if s.ordinal > 1]
        if language in ("python", "java", "csharp", "cpp", "typescript"):
            assert shared, f"the {language} fixture has no overloads or property pairs"
        for s in shared:
            assert s.symbol.endswith(f"#{s.ordinal}")
        for s in shared:  # one past the last of that name in the file
            last = max(
                o.ordinal for o in shared if o.symbol.split("#")[0] == s.symbol.split("#")[0]
            )
            with pytest.raises(UnknownDefinition, match="definition"):
                index.definition(f"{s.path}::{s.qualified_name}#{last + 1}")


def test_a_property_setter_is_named_apart_from_its_getter(make_repo: MakeRepo) -> None:
    """`refs` of the setter (`#2`) answers the writes of the property, `refs` of the
    getter its reads; each answer's target is the definition asked for."""
    with open_index(_indexed_fixture("python", make_repo).path) as index:
        getter = index.definition("shop/cart.py::Checkout.amount")
        setter = index.definition("shop/cart.py::Checkout.amount#2")
        assert (getter.start_line, setter.start_line) == (67, 72)
        assert setter.symbol == "shop/cart.py::Checkout.amount#2"
        reads = [(r.path, r.line, r.kind) for r in index.refs(getter.symbol)]
        writes = [(r.path, r.line, r.kind) for r in index.refs(setter.symbol)]
        assert ("app.py", 99, "read") in reads and ("app.py", 97, "write") not in reads
        assert ("app.py", 97, "write") in writes and ("app.py", 99, "read") not in writes


def test_a_use_of_an_overloaded_python_function_means_its_implementation(
    make_repo: MakeRepo,
) -> None:
    """Of a function's ``@overload`` signatures and its implementation (three
    definitions of one qualified name), uses resolve to the implementation, what runs
    and what jedi goes to; a guess among them puts it first; `find` lists all three, and
    `refs` or `callers` of a signature answer those of the implementation."""
    with open_index(_indexed_fixture("python", make_repo).path) as index:
        assert [s.symbol for s in index.find("convert")] == [
            "shop/pricing.py::convert",
            "shop/pricing.py::convert#2",
            "shop/pricing.py::convert#3",
        ]
        uses = [(r.path, r.line, r.resolution) for r in index.refs("shop/pricing.py::convert#3")]
        assert uses == [
            ("shop/pricing.py", 83, "scope"),
            ("app.py", 138, "import"),
            ("app.py", 149, "import"),
        ]
        # A signature stands for the function it declares: its uses are the same.
        assert index.refs("shop/pricing.py::convert") == index.refs("shop/pricing.py::convert#3")
        rate = {(r.path, r.line, r.resolution) for r in index.refs("shop/pricing.py::Table.rate#3")}
        assert {
            ("shop/pricing.py", 88, "scope"),  # `self.rate`
            ("shop/pricing.py", 97, "type"),  # `table.rate` where `table: Table`
            ("app.py", 172, "scope"),  # `super().rate` in a subclass of `Table[str]`
            ("app.py", 149, "name"),  # a guess
        } <= rate
        targets = {r.target.symbol for r in index.refs("shop/pricing.py::Table.rate") if r.target}
        assert targets == {"shop/pricing.py::Table.rate#3"}  # asked of the first signature
        callers = index.callers("shop/pricing.py::Table.rate")
        assert callers == index.callers("shop/pricing.py::Table.rate#3")
        guess = index.goto("app.py", 149, 46)
        assert guess.resolution == "name"
        assert [t.symbol for t in guess.targets] == [
            "shop/pricing.py::Table.rate#3",
            "shop/pricing.py::Table.rate",
            "shop/pricing.py::Table.rate#2",
        ]


def _indexed_fixture(language: str, make_repo: MakeRepo) -> GitRepo:
    """A language's resolution fixture committed to a fresh repository and indexed."""
    repo = make_repo(language)
    folder = FIXTURES / language
    for file in _fixture_files(language):
        repo.write(file.relative_to(folder).as_posix(), file.read_bytes())
    repo.commit("fixture")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    return repo


@pytest.mark.parametrize(
    ("text", "result"),
    [
        ("Callable[..., Table]", "Table"),
        ("t.Callable[[t.Callable[..., t.Any]], Group]", "Group"),
        ("typing.Callable[[A, B], list[C]]", "list[C]"),
        ("Callable", None),
        ("Table", None),
        ("Callable[[int]]", None),
        ("MyCallable[..., Table]", None),
    ],
)
def test_a_python_callable_type_gives_its_result_when_called(text: str, result: str | None) -> None:
    assert callable_result(text) == result
