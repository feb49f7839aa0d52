"""Latency of the lookup verbs on a real index, in process.

Usage::

    python -m bench.index_bench REPO --keep /tmp/full.duckdb      # build an index once
    python -m bench.query_bench REPO --store /tmp/full.duckdb [--queries 2000]

Prints p50/p99 per operation over random targets drawn from the index (seeded), the
one-off cost of loading a commit's snapshot, and the CLI's start-up to first answer.
Targets (issue 3): find p50 <= 5 ms, p99 <= 50 ms; goto and outline p50 <= 10 ms; refs
p50 <= 25 ms; history p50 <= 100 ms; diff between two releases <= 2 s; CLI < 1 s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from symbiote.queries import FindOptions, HistoryOptions, open_index

ROOT = Path(__file__).resolve().parent.parent
EXACT = FindOptions(mode="exact")


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
    return f"p50 {p50:8.2f} ms   p99 {p99:8.2f} ms   (n={len(ordered)})"


def timed(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("repo")
    ap.add_argument("--store", required=True)
    ap.add_argument("--queries", type=int, default=2000)
    ap.add_argument("--base", default=None, help="older rev for diff (default: HEAD~N)")
    ap.add_argument("--head", default="HEAD")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)

    with open_index(args.repo, store=args.store) as index:
        status = index.status()
        print(
            f"index: {status.commits} commits, {status.symbols} symbols, "
            f"{status.references} references"
        )
        head = index.resolve(args.head).sha
        load = timed(lambda: index.snapshot(head))
        snap = index.snapshot(head)
        print(
            f"snapshot load at {head[:12]}: {load * 1000:.0f} ms "
            f"({len(snap.files)} files, {len(snap.symbols)} definitions)"
        )
        refs_load = timed(lambda: snap.reference_rows(name="x"))
        print(f"references load (first refs/goto/callers at a commit): {refs_load * 1000:.0f} ms")
        with open_index(args.repo, store=args.store) as again:  # another process, later
            warm = timed(lambda: again.snapshot(head))
            warm_refs = timed(lambda: again.snapshot(head).reference_rows(name="x"))
        print(
            f"same loads from the snapshot cache: {warm * 1000:.0f} ms + {warm_refs * 1000:.0f} ms"
        )

        symbols = snap.symbols
        n = args.queries
        names = [rng.choice(symbols).name for _ in range(n)]
        print(
            "find (exact name)   "
            + percentiles(
                [
                    timed(lambda q=q: index.find(q, at=head, options=FindOptions(mode="exact")))
                    for q in names
                ]
            )
        )
        print(
            "find (auto)         "
            + percentiles([timed(lambda q=q: index.find(q[:4], at=head)) for q in names[: n // 4]])
        )
        paths = sorted({s.path for s in symbols})
        print(
            "outline             "
            + percentiles(
                [
                    timed(lambda p=p: index.outline(p, at=head))
                    for p in (rng.choice(paths) for _ in range(n))
                ]
            )
        )
        positions = []
        for _ in range(n):
            path = rng.choice(paths)
            rows = snap.reference_rows(path=path)
            if rows:
                row = rng.choice(rows)
                positions.append(
                    (
                        path,
                        snap.reference_field(row, "start_line"),
                        snap.reference_field(row, "start_col"),
                    )
                )
        print(
            "goto                "
            + percentiles([timed(lambda p=p: index.goto(*p, at=head)) for p in positions])
        )
        callables = [s for s in symbols if s.kind in ("function", "method", "class")]
        targets = [
            f"{s.path}::{s.qualified_name}" for s in (rng.choice(callables) for _ in range(n // 4))
        ]
        print(
            "refs                "
            + percentiles([timed(lambda t=t: index.refs(t, at=head)) for t in targets])
        )
        refs_target = targets[0]
        print(
            "callers (depth 1)   "
            + percentiles([timed(lambda t=t: index.callers(t, at=head)) for t in targets[: n // 8]])
        )
        print(
            "callees (depth 1)   "
            + percentiles([timed(lambda t=t: index.callees(t, at=head)) for t in targets[: n // 8]])
        )
        graph_load = timed(
            lambda: index.history(targets[0], at=head, options=HistoryOptions(limit=1))
        )
        print(f"history first call (loads the commit graph): {graph_load * 1000:.0f} ms")
        print(
            "history             "
            + percentiles([timed(lambda t=t: index.history(t, at=head)) for t in targets[:100]])
        )
        base = args.base or f"{args.head}~2000"
        try:
            base_sha = index.resolve(base).sha
        except Exception as exc:  # noqa: BLE001 - a bench reports and goes on
            print(f"diff: cannot resolve {base}: {exc}")
        else:
            index.cache_size = 8
            seconds = timed(lambda: index.diff(base_sha, head))
            entries = index.diff(base_sha, head)
            uses = sum(e.reference_count for e in entries)
            print(
                f"diff {base} .. {args.head}: {seconds:.2f} s in a session that has "
                f"queried {args.head} ({len(entries)} changed definitions, {uses} references)"
            )
            fresh = [timed(lambda: run_cli(args, "diff", base_sha, head)) for _ in range(3)]
            print(f"diff from a fresh CLI process: {min(fresh):.2f} s (best of 3)")

    for words in (("find", "Session"), ("refs", refs_target, "--at", head)):
        runs = [timed(lambda w=words: run_cli(args, *w)) for _ in range(3)]
        verb = words[0]
        print(f"CLI start-up to first answer ({verb}): {min(runs):.2f} s (best of 3)")


def run_cli(args: argparse.Namespace, *words: str) -> None:
    """One `symbiote ... --json` call in a new process."""
    command = [sys.executable, "-m", "symbiote.cli.main", *words, "--repo", args.repo]
    command += ["--store", args.store, "--json"]
    subprocess.run(command, cwd=ROOT, capture_output=True, check=True)


if __name__ == "__main__":
    main()
