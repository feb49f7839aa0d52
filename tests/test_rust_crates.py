"""Rust paths through a crate's modules, with Cargo's layout of crate roots.

``tests/cli.rs`` is an integration test: a crate of its own whose root is that file, so
its ``mod common;`` is ``tests/common/mod.rs`` and its ``crate::`` is itself. When a
manifest names one test crate instead (ripgrep's ``tests/tests.rs``) and that file
declares the others (``mod feature;``), they are its modules: ``crate::util`` in
``tests/feature.rs`` is ``tests/util.rs``.
"""

from __future__ import annotations

from collections.abc import Callable

from symbiote.indexer import IndexOptions, index_repository
from symbiote.queries import open_index
from tests.conftest import GitRepo

MakeRepo = Callable[..., GitRepo]


def _goto(repo: GitRepo, path: str, line: int, word: str) -> tuple[str, list[str]]:
    text = (repo.path / path).read_text().splitlines()[line - 1]
    with open_index(repo.path) as index:
        found = index.goto(path, line, text.index(word))
    return found.resolution, [f"{s.path}:{s.qualified_name}" for s in found.targets]


def test_an_integration_test_is_a_crate_root_unless_a_sibling_declares_it(
    make_repo: MakeRepo,
) -> None:
    repo = make_repo()
    repo.write("Cargo.toml", '[package]\nname = "shop"\nversion = "0.1.0"\n')
    repo.write("src/lib.rs", "pub mod util;\n")
    repo.write("src/util.rs", "pub fn opened() -> bool {\n    true\n}\n")
    repo.write(
        "tests/cli.rs",
        "mod common;\n\n#[test]\nfn opens() {\n"
        "    common::opened();\n    crate::common::opened();\n}\n",
    )
    repo.write("tests/common/mod.rs", "pub fn opened() -> bool {\n    false\n}\n")
    repo.write("tests/tests.rs", "mod feature;\nmod util;\n")
    repo.write("tests/feature.rs", "use crate::util::opened;\n\nfn f() {\n    opened();\n}\n")
    repo.write("tests/util.rs", "pub fn opened() -> bool {\n    true\n}\n")
    repo.commit("crates")
    index_repository(repo.path, options=IndexOptions(jobs=1))

    assert _goto(repo, "tests/cli.rs", 5, "opened") == ("import", ["tests/common/mod.rs:opened"])
    assert _goto(repo, "tests/cli.rs", 6, "opened") == ("import", ["tests/common/mod.rs:opened"])
    assert _goto(repo, "tests/cli.rs", 6, "common") == ("import", ["tests/cli.rs:common"])
    assert _goto(repo, "tests/feature.rs", 1, "opened") == ("import", ["tests/util.rs:opened"])
    assert _goto(repo, "tests/feature.rs", 4, "opened") == ("import", ["tests/util.rs:opened"])


def test_two_test_files_declaring_each_other_do_not_loop(make_repo: MakeRepo) -> None:
    repo = make_repo()
    repo.write("tests/a.rs", "mod b;\n\nfn f() {\n    crate::b::g();\n}\n")
    repo.write("tests/b.rs", "mod a;\n\npub fn g() {\n    crate::a::f();\n}\n")
    repo.commit("a cycle")
    index_repository(repo.path, options=IndexOptions(jobs=1))

    # No Cargo layout makes sense of it; the point is an answer, not endless recursion.
    assert _goto(repo, "tests/a.rs", 4, "g")[1] == ["tests/b.rs:g"]
    assert _goto(repo, "tests/b.rs", 4, "f")[1] == ["tests/a.rs:f"]
