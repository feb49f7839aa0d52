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


def test_the_same_module_path_in_two_files_is_found_from_each_in_any_order(
    make_repo: MakeRepo,
) -> None:
    # `self::inner` is `src/a/inner.rs` from `src/a.rs` and `src/b/inner.rs` from
    # `src/b.rs`: where a Rust path leads depends on the file it is written in, so one
    # index answering both (in either order) gives each file its own module.
    repo = make_repo()
    repo.write("src/lib.rs", "mod a;\nmod b;\n")
    for name in ("a", "b"):
        repo.write(
            f"src/{name}.rs",
            "mod inner;\nuse self::inner::*;\n\npub fn run() -> bool {\n    helper()\n}\n",
        )
        repo.write(f"src/{name}/inner.rs", "pub fn helper() -> bool {\n    true\n}\n")
    repo.commit("two modules with an inner module each")
    index_repository(repo.path, options=IndexOptions(jobs=1))

    for order in (("a", "b"), ("b", "a")):
        with open_index(repo.path) as index:
            for name in order:
                found = index.goto(f"src/{name}.rs", 5, 4)
                assert (found.resolution, [s.path for s in found.targets]) == (
                    "import",
                    [f"src/{name}/inner.rs"],
                ), order
