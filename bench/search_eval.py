"""Search quality on a real codebase: docstring first sentence -> its function.

The codebase is `rich` (MIT), the version pinned in pyproject (it is one of our
dependencies, so every checkout has the same source). Its modules are copied into a
fresh git repository with every docstring removed from the code; the first sentence of
each removed function docstring becomes a query whose answer is that function. The
index is built with the real indexer and the default model, and every query runs in
text, vector and hybrid mode.

Usage::

    python -m bench.search_eval                # evaluate; prints the summary
    python -m bench.search_eval --write        # also rewrite bench/data/search_eval_summary.json
    python -m bench.search_eval --rebuild-queries  # regenerate bench/data/search_eval_rich.jsonl

The query set and the summary are committed, so a ranking change shows as a diff.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from symbiote.indexer import IndexOptions, embed_repository, index_repository
from symbiote.queries import SearchOptions, open_index

ROOT = Path(__file__).resolve().parent.parent

DATA = ROOT / "bench" / "data"
QUERIES = DATA / "search_eval_rich.jsonl"
SUMMARY = DATA / "search_eval_summary.json"
PACKAGE = "rich"
MAX_QUERIES = 300
MODES = ("text", "vector", "hybrid")
GIT_ENV = {
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
    "GIT_AUTHOR_DATE": "2024-01-01T00:00:00+00:00",
    "GIT_COMMITTER_DATE": "2024-01-01T00:00:00+00:00",
}


def source_root() -> Path:
    import rich

    return Path(rich.__file__).parent


def strip_docstrings(source: str) -> tuple[str, list[tuple[str, int, str]]]:
    """The source with every docstring replaced by ``pass``, and the function docstrings
    removed: ``(qualified name, line of the def, docstring)``."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    spans: list[tuple[int, int, int]] = []
    found: list[tuple[str, int, str]] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = prefix + child.name
                first = child.body[0] if child.body else None
                if (
                    isinstance(first, ast.Expr)
                    and isinstance(first.value, ast.Constant)
                    and isinstance(first.value.value, str)
                    and first.end_lineno is not None
                ):
                    spans.append((first.lineno, first.end_lineno, first.col_offset))
                    if not isinstance(child, ast.ClassDef):
                        found.append((name, child.lineno, first.value.value))
                visit(child, name + ".")

    visit(tree, "")
    for start, end, col in sorted(spans, reverse=True):
        lines[start - 1 : end] = [" " * col + "pass\n"]
    return "".join(lines), found


def first_sentence(doc: str) -> str:
    text = " ".join(doc.strip().split("\n\n")[0].split())
    for stop in (". ", ".\n"):
        if stop in text:
            text = text.split(stop)[0]
    return text.rstrip(".")


def build_repo(target: Path) -> list[dict[str, Any]]:
    """Copy the package without docstrings into a git repository; the candidate queries."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(target)], check=True, env=GIT_ENV)
    candidates = []
    for path in sorted(source_root().rglob("*.py")):
        rel = Path(PACKAGE) / path.relative_to(source_root())
        stripped, docs = strip_docstrings(path.read_text("utf-8"))
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        (target / rel).write_text(stripped, "utf-8")
        for qualname, _line, doc in docs:
            query = first_sentence(doc)
            if len(query.split()) >= 4 and not qualname.split(".")[-1].startswith("__"):
                candidates.append({"query": query, "path": str(rel), "qualified_name": qualname})
    subprocess.run(["git", "-C", str(target), "add", "-A"], check=True, env=GIT_ENV)
    subprocess.run(
        ["git", "-C", str(target), "commit", "-q", "-m", "rich without docstrings"],
        check=True,
        env=GIT_ENV,
    )
    return candidates


def choose_queries(candidates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Unambiguous queries (a sentence used once), a deterministic sample."""
    counts: dict[str, int] = {}
    for c in candidates:
        counts[c["query"].lower()] = counts.get(c["query"].lower(), 0) + 1
    unique = [c for c in candidates if counts[c["query"].lower()] == 1]
    unique.sort(key=lambda c: hashlib.sha1(c["query"].encode()).hexdigest())
    return sorted(unique[:MAX_QUERIES], key=lambda c: (c["path"], c["qualified_name"]))


def evaluate(repo: Path, store: Path, queries: list[dict[str, Any]]) -> dict[str, Any]:
    started = time.monotonic()
    index_repository(repo, store, IndexOptions(history=0))
    indexed = time.monotonic() - started
    summary = embed_repository(repo, store)
    print(
        f"indexed in {indexed:.1f} s; embedded {summary.vectors_written} definitions in "
        f"{summary.seconds:.1f} s ({summary.vectors_written / summary.seconds:.1f}/s)",
        file=sys.stderr,
    )
    results: dict[str, Any] = {}
    with open_index(repo, store=store) as index:
        known = {(s.path, s.qualified_name) for s in index.symbols()}
        missing = [q for q in queries if (q["path"], q["qualified_name"]) not in known]
        if missing:
            raise SystemExit(f"{len(missing)} targets are not definitions, e.g. {missing[0]}")
        for mode in MODES:
            ranks = []
            latencies = []
            for q in queries:
                t0 = time.perf_counter()
                hits = index.search(q["query"], options=SearchOptions(mode=mode, k=10))
                latencies.append(time.perf_counter() - t0)
                found = [(h.path, h.qualified_name) for h in hits]
                target = (q["path"], q["qualified_name"])
                ranks.append(found.index(target) + 1 if target in found else None)
            n = len(ranks)
            latencies.sort()
            results[mode] = {
                "recall@1": round(sum(r == 1 for r in ranks) / n, 3),
                "recall@10": round(sum(r is not None for r in ranks) / n, 3),
                "mrr@10": round(sum(1 / r for r in ranks if r) / n, 3),
            }
            # Latency varies by machine: printed, not kept in the committed summary.
            print(f"{mode}: p50 {latencies[n // 2] * 1000:.1f} ms", file=sys.stderr)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="rewrite the committed summary")
    parser.add_argument("--rebuild-queries", action="store_true", help="regenerate the queries")
    args = parser.parse_args()
    version = metadata.version(PACKAGE)
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "rich"
        candidates = build_repo(repo)
        if args.rebuild_queries or not QUERIES.exists():
            chosen = choose_queries(candidates)
            with QUERIES.open("w") as out:
                for q in chosen:
                    out.write(json.dumps({**q, "source": f"{PACKAGE}=={version}"}) + "\n")
        queries = [json.loads(line) for line in QUERIES.read_text().splitlines()]
        results = evaluate(repo, Path(tmp) / "index.duckdb", queries)
    summary = {
        "codebase": f"{PACKAGE}=={version}",
        "queries": len(queries),
        "task": "docstring first sentence -> its function (docstrings removed from the code)",
        "modes": results,
    }
    text = json.dumps(summary, indent=2) + "\n"
    print(text, end="")
    if args.write:
        SUMMARY.write_text(text)


if __name__ == "__main__":
    main()
