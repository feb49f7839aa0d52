"""The fastest an index through tree-sitter's Python binding could be, against parse-only.

Usage::

    python -m bench.extract_floor REPO [--rev HEAD] [--rounds 5]

On the blobs of REV in supported languages (read once, before timing), one process runs
these stages, each a superset of the one before, interleaved over the rounds:

* ``parse``: parse every blob (the baseline of ``index_bench.py``'s HEAD ratio);
* ``patterns``: parse, then run the language's pattern file (a ``QueryCursor`` over the
  tree, as the indexer compiles it) and collect the captured nodes;
* ``spans``: also read each captured node's span and point, the least any row needs;
* ``raw tags``: ``indexer.parse.parse``, the workers' tree-sitter step;
* ``extraction``: ``indexer.extract.extract``, what a worker does per blob.

For each stage it prints the median seconds and ``parse / stage``: the throughput ratio an
indexer doing that stage and nothing else would reach (no rows, no storage, no git reads).
Issue 2's HEAD target is 0.6; the ``spans`` line bounds every design that keeps the
pattern files and reads nodes in Python (see docs/design.md, Performance).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from collections.abc import Callable

import tree_sitter

from bench.index_bench import head_units
from symbiote.indexer import extract, parse
from symbiote.indexer.gitrepo import GitRepository


def _query(language: str) -> tuple[tree_sitter.Parser, list[tuple[tree_sitter.Query, int | None]]]:
    """Parser and queries exactly as the indexer compiles them (reference nodes not
    captured; the file-level patterns in a query of their own, started at the root only),
    with each query's deepest start, so the floor follows any change to that step."""
    compiled = parse._compiled(language)
    queries: list[tuple[tree_sitter.Query, int | None]] = [(compiled.query, None)]
    if compiled.top is not None:
        queries.append((compiled.top, 0))
    return compiled.parser, queries


def _captures(
    queries: list[tuple[tree_sitter.Query, int | None]], root: tree_sitter.Node
) -> list[list[tree_sitter.Node]]:
    """The captured nodes of every query, one list per capture name and query."""
    found = []
    for query, depth in queries:
        cursor = tree_sitter.QueryCursor(query)
        if depth is not None:
            cursor.set_max_start_depth(depth)
        found += cursor.captures(root).values()
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("repo")
    ap.add_argument("--rev", default="HEAD")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()

    repo = GitRepository(args.repo)
    blobs = [(language, repo.read_blob(sha)) for sha, language in head_units(repo, args.rev)]
    compiled = {language: _query(language) for language in {lang for lang, _ in blobs}}
    size = sum(len(data) for _, data in blobs)

    def parse_all() -> int:
        for language, data in blobs:
            compiled[language][0].parse(data)
        return 0

    def patterns() -> int:
        count = 0
        for language, data in blobs:
            parser, queries = compiled[language]
            root = parser.parse(data).root_node
            count += sum(map(len, _captures(queries, root)))
        return count

    def spans() -> int:
        count = 0
        for language, data in blobs:
            parser, queries = compiled[language]
            root = parser.parse(data).root_node
            for nodes in _captures(queries, root):
                for node in nodes:
                    _ = (node.start_byte, node.end_byte, node.start_point)
                    count += 1
        return count

    def raw_tags() -> int:
        return sum(
            len(r.tags) + len(r.references) for r in (parse.parse(lang, d) for lang, d in blobs)
        )

    def extraction() -> int:
        results = (extract.extract(language, data) for language, data in blobs)
        return sum(len(r.definitions) + len(r.references) for r in results)

    stages: dict[str, Callable[[], int]] = {
        "parse": parse_all,
        "patterns": patterns,
        "spans": spans,
        "raw tags": raw_tags,
        "extraction": extraction,
    }
    times: dict[str, list[float]] = {name: [] for name in stages}
    counts: dict[str, int] = {}
    print(f"{len(blobs)} blobs, {size / 1e6:.1f} MB at {args.rev}; {args.rounds} rounds")
    for _ in range(args.rounds):
        for name, stage in stages.items():
            gc.collect()
            started = time.perf_counter()
            counts[name] = stage()
            times[name].append(time.perf_counter() - started)
    base = statistics.median(times["parse"])
    print(f"{'stage':<11} {'median s':>9} {'range s':>13} {'parse/stage':>12}  items")
    for name, measured in times.items():
        median = statistics.median(measured)
        spread = f"{min(measured):.2f}-{max(measured):.2f}"
        items = f"{counts[name]:,}" if counts[name] else ""
        print(f"{name:<11} {median:9.2f} {spread:>13} {base / median:12.2f}  {items}")


if __name__ == "__main__":
    main()
