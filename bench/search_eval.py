"""Search quality on a real codebase: docstring first sentence -> its function.

The codebase is `rich` (MIT), the version pinned in pyproject (it is one of our
dependencies, so every checkout has the same source). Its modules are copied into a
fresh git repository with every docstring removed from the code (the docstrings of
classes and functions at any depth, also those defined under `if`/`try`/`with`); the
first sentence of each removed function docstring becomes a query whose answer is that
function. The index is built with the real indexer and the real embedding job with the
default model, and every query runs in text, vector and hybrid mode.

Variants: which definitions get a vector (a rule of
``symbiote.indexer.searchtext.VECTOR_RULES``: all; functions, methods and classes only;
not variables/fields/constants; not those nor bodies under N lines) and how many tokens
the model reads (256, its maximum, or fewer). Each variant is a real embedding run on a
copy of the same index; in hybrid mode, a variant that leaves definitions text-only is
ranked as the search does ("hybrid") and with the other ways to give those a vector
rank (``queries.search.TEXT_ONLY_FUSION``: "hybrid-plain", ...). Printed with each:
the texts embedded, the tokens the model reads (padded, in the job's length-sorted
batches: the model's work, whatever the machine's load) and the model's seconds.

Usage::

    python -m bench.search_eval                # the job's defaults; prints the summary
    python -m bench.search_eval --variants     # rules all/no-data/no-data-3/no-data-4 x 256/128/64
    python -m bench.search_eval --rule no-data --tokens 128   # one variant
    python -m bench.search_eval --write        # also rewrite the committed summary (+ the
                                               # former defaults, all at 256 tokens)
    python -m bench.search_eval --rebuild-queries  # regenerate bench/data/search_eval_rich.jsonl

The query set and the summary are committed, so a ranking change shows as a diff.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from symbiote.indexer import (
    EmbedOptions,
    IndexOptions,
    embed_repository,
    index_repository,
    store_rows,
)
from symbiote.indexer.embed_job import EmbedSummary, _distinct, _texts
from symbiote.indexer.embed_onnx import DOCUMENT_TOKENS, MiniLM
from symbiote.indexer.gitrepo import GitRepository
from symbiote.indexer.searchtext import VECTOR_RULES, VectorRule, embedding_text
from symbiote.indexer.store import Store
from symbiote.queries import SearchOptions, open_index
from symbiote.queries import search as search_module

ROOT = Path(__file__).resolve().parent.parent

DATA = ROOT / "bench" / "data"
QUERIES = DATA / "search_eval_rich.jsonl"
SUMMARY = DATA / "search_eval_summary.json"
PACKAGE = "rich"
MAX_QUERIES = 300
MODES = ("text", "vector", "hybrid")
FUSIONS = ("plain", "floor", "standin")  # queries.search.TEXT_ONLY_FUSION
# The grid of --variants. On rich (Python only) the rules `code` and `no-data-2` choose
# the same definitions as `no-data`, so the grid leaves them out; --rule runs them.
VARIANT_RULES = ("all", "no-data", "no-data-3", "no-data-4")
VARIANT_TOKENS = (256, 128, 64)
BEFORE = ("all", 256)  # the defaults before issue 19: every definition, 256 tokens
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
            if not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                if isinstance(child, ast.stmt | ast.excepthandler | ast.match_case):
                    visit(child, prefix)  # a def under if/try/with/for/match
                continue
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


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def check_no_leak(repo: Path, store: Path, queries: list[dict[str, Any]]) -> int:
    """Fail if a query's sentence is in its target's indexed text (the embedded text, which
    is also the text of its BM25 postings); how many queries occur verbatim in some other
    definition's text (code that quotes the docstring, e.g. in a string: it stays)."""
    texts: dict[tuple[str, str], str] = {}
    with open_index(repo, store=store) as index:
        for s in index.symbols():
            data = (repo / s.path).read_bytes()[s.start_byte : s.end_byte]
            body = data.decode("utf-8", errors="replace")
            texts[(s.path, s.qualified_name)] = _words(
                embedding_text(s.path, s.qualified_name, s.docstring, body)
            )
    elsewhere = 0
    for q in queries:
        sentence = _words(q["query"])
        if sentence in texts[(q["path"], q["qualified_name"])]:
            raise SystemExit(f"the answer's own text gives away the query {q['query']!r}")
        elsewhere += any(sentence in t for t in texts.values())
    return elsewhere


def _ranks(index: Any, queries: list[dict[str, Any]], mode: str) -> list[int | None]:
    ranks = []
    latencies = []
    for q in queries:
        t0 = time.perf_counter()
        hits = index.search(q["query"], options=SearchOptions(mode=mode, k=10))
        latencies.append(time.perf_counter() - t0)
        found = [(h.path, h.qualified_name) for h in hits]
        target = (q["path"], q["qualified_name"])
        ranks.append(found.index(target) + 1 if target in found else None)
    latencies.sort()
    # Latency varies by machine: printed, not kept in the committed summary.
    print(f"  {mode}: p50 {latencies[len(latencies) // 2] * 1000:.1f} ms", file=sys.stderr)
    return ranks


def _figures(ranks: list[int | None]) -> dict[str, float]:
    n = len(ranks)
    return {
        "recall@1": round(sum(r == 1 for r in ranks) / n, 3),
        "recall@10": round(sum(r is not None for r in ranks) / n, 3),
        "mrr@10": round(sum(1 / r for r in ranks if r) / n, 3),
    }


def evaluate(
    repo: Path, store: Path, queries: list[dict[str, Any]], rule: VectorRule, model: MiniLM
) -> tuple[dict[str, Any], EmbedSummary]:
    """One variant: embed the indexed ``store`` with ``rule`` and ``model``, then rank."""
    summary = embed_repository(repo, store, EmbedOptions(vector_rule=rule), embedder=model)
    results: dict[str, Any] = {}
    search_module.VECTOR_RULE = rule  # what the reader takes as deliberately text-only
    with open_index(repo, store=store) as index:
        known = {(s.path, s.qualified_name) for s in index.symbols()}
        missing = [q for q in queries if (q["path"], q["qualified_name"]) not in known]
        if missing:
            raise SystemExit(f"{len(missing)} targets are not definitions, e.g. {missing[0]}")
        cover = index.search_coverage()
        if not cover.complete or cover.text_only != summary.text_only_keys:
            raise SystemExit(f"not every definition is covered: {cover}")
        for mode in MODES:
            results[mode] = _figures(_ranks(index, queries, mode))
        if summary.text_only_keys:
            # The other ways to give text-only keys a vector rank (queries.search).
            chosen = search_module.TEXT_ONLY_FUSION
            for fusion in FUSIONS:
                if fusion != chosen:
                    search_module.TEXT_ONLY_FUSION = fusion
                    try:
                        results[f"hybrid-{fusion}"] = _figures(_ranks(index, queries, "hybrid"))
                    finally:
                        search_module.TEXT_ONLY_FUSION = chosen
    return results, summary


def model_tokens(repo: Path, store: Path, rule: VectorRule, model: MiniLM) -> int:
    """The model's work for a variant, whatever the machine's load: the tokens it reads
    of the texts the rule embeds, padded as the job batches them (sorted by length)."""
    with GitRepository(repo) as git, Store(store) as db:
        repo_id = store_rows.find_repository(db, str(git.root))
        assert repo_id is not None
        items = [i for i in _distinct(db, repo_id, [git.resolve("HEAD")], rule) if i.vector]
        texts = _texts(git, items)
    return padded_tokens(model.token_counts(texts), EmbedOptions().batch_size)


def padded_tokens(counts: list[int], batch: int) -> int:
    """Tokens of length-sorted batches, each padded to its longest text."""
    ordered = sorted(counts)
    return sum(
        max(ordered[i : i + batch]) * len(ordered[i : i + batch])
        for i in range(0, len(ordered), batch)
    )


def run_variants(
    repo: Path, tmp: Path, queries: list[dict[str, Any]], variants: list[tuple[str, int]]
) -> list[dict[str, Any]]:
    """Index once, then one real embedding run per ``(rule, tokens)`` on a copy."""
    base = tmp / "base" / "index.duckdb"
    base.parent.mkdir()
    started = time.monotonic()
    index_repository(repo, base, IndexOptions(history=0))
    print(f"indexed in {time.monotonic() - started:.1f} s", file=sys.stderr)
    elsewhere = check_no_leak(repo, base, queries)
    print(
        f"no query is in its answer's indexed text; {elsewhere} occur verbatim in other code",
        file=sys.stderr,
    )
    models: dict[int, MiniLM] = {}
    out = []
    for n, (name, tokens) in enumerate(variants):
        store = tmp / f"v{n}" / "index.duckdb"
        store.parent.mkdir()
        shutil.copy(base, store)
        model = models.get(tokens) or models.setdefault(tokens, MiniLM(max_tokens=tokens))
        print(f"{name} @ {tokens} tokens:", file=sys.stderr)
        results, summary = evaluate(repo, store, queries, VECTOR_RULES[name], model)
        tokens_read = model_tokens(repo, store, VECTOR_RULES[name], model)
        print(
            f"  embedded {summary.vectors_written} of {summary.keys} keys "
            f"({summary.text_only_keys} text-only) in {summary.seconds:.1f} s, "
            f"model {summary.model_seconds:.1f} s for {tokens_read} padded tokens",
            file=sys.stderr,
        )
        out.append(
            {
                "vector_rule": name,
                "max_tokens": tokens,
                "keys": summary.keys,
                "embedded": summary.vectors_written,
                "text_only": summary.text_only_keys,
                "model_tokens": tokens_read,
                "model_seconds": summary.model_seconds,
                "modes": results,
            }
        )
    return out


def _table(rows: list[dict[str, Any]]) -> str:
    modes = ("text", "vector", "hybrid") + tuple(
        f"hybrid-{f}" for f in FUSIONS if f != search_module.TEXT_ONLY_FUSION
    )
    head = "rule          tokens  embedded    padded tokens  " + "  ".join(
        f"{m + ' r@1/r@10/mrr':>24}" for m in modes
    )
    lines = [head]
    # Padded tokens as a ratio to embedding everything at 256 tokens (if measured).
    base = next(
        (r["model_tokens"] for r in rows if (r["vector_rule"], r["max_tokens"]) == ("all", 256)),
        rows[0]["model_tokens"],
    )
    for r in rows:
        cells = []
        for m in modes:
            f = r["modes"].get(m)
            cells.append(
                f"{f['recall@1']:.3f}/{f['recall@10']:.3f}/{f['mrr@10']:.3f}".rjust(24)
                if f
                else " " * 24
            )
        lines.append(
            f"{r['vector_rule']:<12} {r['max_tokens']:>7} {r['embedded']:>9} "
            f"{r['model_tokens']:>9} ({r['model_tokens'] / base:.2f})  " + "  ".join(cells)
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="rewrite the committed summary")
    parser.add_argument("--rebuild-queries", action="store_true", help="regenerate the queries")
    parser.add_argument(
        "--variants", action="store_true", help="the grid of vector rules and token counts"
    )
    parser.add_argument("--rule", choices=sorted(VECTOR_RULES), help="one vector rule")
    parser.add_argument("--tokens", type=int, help="tokens the model reads of each text")
    args = parser.parse_args()
    default = (EmbedOptions().vector_rule.name, DOCUMENT_TOKENS)
    if args.variants:
        variants = [(name, tokens) for tokens in VARIANT_TOKENS for name in VARIANT_RULES]
        variants.remove(default)
        variants.insert(0, default)
    else:
        variants = [(args.rule or default[0], args.tokens or default[1])]
    if args.write and BEFORE not in variants:
        variants.append(BEFORE)  # the summary keeps the former defaults, measured alike
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
        rows = run_variants(repo, Path(tmp), queries, variants)
    print(_table(rows), file=sys.stderr)
    first = rows[0]
    summary: dict[str, Any] = {
        "codebase": f"{PACKAGE}=={version}",
        "queries": len(queries),
        "task": "docstring first sentence -> its function (docstrings removed from the code)",
        "vector_rule": first["vector_rule"],
        "max_tokens": first["max_tokens"],
        "keys": first["keys"],
        "embedded": first["embedded"],
        "modes": first["modes"],
    }
    if len(rows) > 1:
        # Model seconds vary by machine and load: printed above, not committed.
        summary["variants"] = [
            {k: v for k, v in r.items() if k not in ("model_seconds", "keys")} for r in rows
        ]
    text = json.dumps(summary, indent=2) + "\n"
    print(text, end="")
    if args.write:
        if (first["vector_rule"], first["max_tokens"]) != default:
            raise SystemExit("--write records the job's defaults: drop --rule/--tokens")
        SUMMARY.write_text(text)


if __name__ == "__main__":
    main()
