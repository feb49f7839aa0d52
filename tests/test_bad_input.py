"""Every public call of the library, driven with bad input: what comes out is an answer
or one of Symbiote's errors (:class:`SymbioteError`), never an exception of DuckDB,
LanceDB, GitPython, tree-sitter or onnxruntime, nor a crash of our own (KeyError,
IndexError, ValueError, ...)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

from symbiote.indexer import (
    ArchiveOptions,
    EmbedOptions,
    IndexOptions,
    SymbioteError,
    archive_history,
    embed_repository,
    index_repository,
    restore_archive,
    verify_store,
)
from symbiote.queries import Index, open_index
from tests.conftest import GitRepo

MakeRepo = Callable[..., GitRepo]

# Values no caller should send, by the type a parameter declares.
HOSTILE: dict[str, list[Any]] = {
    "str": [
        "",
        "nope",
        "../../../etc/passwd",
        "HEAD~999",
        "main^^^^^^^^",
        "a'b\"c;DROP TABLE blobs",
        "\x00",
        "x" * 5000,
        "::",
        "a.py::",
        "*",
        "--upload-pack=touch /tmp/x",
        "@{u}",
        "WORKTREE",
    ],
    "int": [-1, 0, 10**12],
}
# Calls that are no question about the store, or end the index.
SKIP = {"close", "interrupt", "refresh", "use_worktree", "snapshot"}


def _values(annotation: str) -> list[Any]:
    kind = annotation.split("|")[0].strip()
    return HOSTILE.get(kind, [None])


def _calls(index: Index) -> list[tuple[str, Callable[[], Any]]]:
    """Each public method of ``index`` with each hostile value in each parameter it
    requires (the others left at their defaults)."""
    calls: list[tuple[str, Callable[[], Any]]] = []
    for name, function in inspect.getmembers(Index, inspect.isfunction):
        if name.startswith("_") or name in SKIP:
            continue
        method = getattr(index, name)
        params = [
            p
            for p in inspect.signature(function).parameters.values()
            if p.name != "self" and (p.default is inspect.Parameter.empty or p.name == "at")
        ]
        good: dict[str, Any] = {
            p.name: ("HEAD" if p.name == "at" else 1 if "int" in str(p.annotation) else "a.py")
            for p in params
        }
        for param in params:
            for value in _values(str(param.annotation)):
                arguments = {**good, param.name: value}
                positional = [
                    arguments[p.name]
                    for p in params
                    if p.kind is not inspect.Parameter.KEYWORD_ONLY
                ]
                keywords = {
                    p.name: arguments[p.name]
                    for p in params
                    if p.kind is inspect.Parameter.KEYWORD_ONLY
                }
                label = f"{name}({param.name}={value!r:.30})"
                calls.append((label, lambda m=method, a=positional, k=keywords: m(*a, **k)))
    return calls


def _settle(label: str, call: Callable[[], Any], escaped: list[str]) -> None:
    try:
        call()
    except SymbioteError:
        pass
    except Exception as exc:  # noqa: BLE001 - what the test looks for
        escaped.append(f"{label}: {type(exc).__module__}.{type(exc).__name__}: {exc}"[:300])


def test_every_read_call_answers_or_raises_a_symbiote_error(make_repo: MakeRepo) -> None:
    repo = make_repo()
    repo.write(
        "a.py", "class A:\n    def m(self):\n        return helper()\n\n\ndef helper():\n    pass\n"
    )
    repo.write("b.go", "package b\n\nfunc F() int { return 1 }\n")
    repo.commit("one")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    escaped: list[str] = []
    with open_index(repo.path) as index:
        calls = _calls(index)
        assert len(calls) > 150  # every method, every hostile value
        for label, call in calls:
            _settle(label, call, escaped)
        # SQL: hostile statements too.
        for query in ("SELECT * FROM read_csv('/etc/passwd')", "DROP TABLE blobs", "SELEC", ""):
            _settle(f"sql({query!r})", lambda q=query: index.sql(q), escaped)
    assert not escaped, "\n".join(escaped)


def test_the_write_calls_raise_only_symbiote_errors(make_repo: MakeRepo, tmp_path: Path) -> None:
    repo = make_repo()
    repo.write("a.py", "def a():\n    pass\n")
    repo.commit("one")
    not_a_repo = tmp_path / "plain"
    not_a_repo.mkdir()
    bad_store = tmp_path / "store-is-a-folder"
    bad_store.mkdir()
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"not a duckdb file" * 100)
    calls: list[tuple[str, Callable[[], Any]]] = [
        ("index a folder that is no repository", lambda: index_repository(not_a_repo)),
        ("index a missing path", lambda: index_repository(tmp_path / "missing")),
        ("index into a folder", lambda: index_repository(repo.path, bad_store)),
        ("index into junk", lambda: index_repository(repo.path, junk)),
        (
            "index an unknown ref",
            lambda: index_repository(repo.path, options=IndexOptions(refs=("nope",))),
        ),
        ("embed a missing path", lambda: embed_repository(tmp_path / "missing")),
        ("embed into junk", lambda: embed_repository(repo.path, junk, options=EmbedOptions())),
        ("verify junk", lambda: verify_store(repo.path, junk)),
        ("archive junk", lambda: archive_history(repo.path, junk, ArchiveOptions(keep=("main",)))),
        ("restore a folder with no manifest", lambda: restore_archive(repo.path, junk, not_a_repo)),
        ("open junk", lambda: open_index(repo.path, store=junk)),
    ]
    escaped: list[str] = []
    for label, call in calls:
        _settle(label, call, escaped)
    assert not escaped, "\n".join(escaped)


def test_the_hostile_values_reach_every_kind_of_parameter() -> None:
    kinds = {
        str(p.annotation).split("|")[0].strip()
        for name, f in inspect.getmembers(Index, inspect.isfunction)
        if not name.startswith("_") and name not in SKIP
        for p in inspect.signature(f).parameters.values()
        if p.name != "self" and p.default is inspect.Parameter.empty
    }
    assert kinds <= set(HOSTILE), kinds
