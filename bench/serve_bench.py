"""Query and agent-log write latency through `symbiote serve`, idle versus while an index
run writes the same store (issue: writes never lock readers out).

    python -m bench.serve_bench REPO --store /tmp/bench.duckdb --history 1500

Indexes HEAD of REPO into a fresh store if it has none, starts `symbiote serve`, then
measures routed calls (find, outline, refs at HEAD; agent-log critiques) while idle, and
again while `symbiote index --history N` runs inside the server. Prints p50/p99 per phase
and their ratio (the baseline is the idle phase of the same run). Not part of the tests.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from symbiote.cli.arguments import parse
from symbiote.cli.route import route

ROOT = Path(__file__).resolve().parent.parent


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def symbiote(*words: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "symbiote.cli.main", *words],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("repo")
    ap.add_argument("--store", required=True)
    ap.add_argument("--history", type=int, default=1500, help="commits the measured run adds")
    ap.add_argument("--calls", type=int, default=400, help="calls per phase")
    args = ap.parse_args()
    repo, store = str(Path(args.repo).resolve()), str(Path(args.store).resolve())
    if not Path(store).exists():
        print("indexing HEAD first ...", flush=True)
        done = symbiote(
            "index", repo, "--store", store, "--ref", "HEAD", "--tips-only", "--no-embed", "--json"
        )
        assert done.returncode == 0, done.stderr
    server = subprocess.Popen(
        [sys.executable, "-m", "symbiote.cli.main", "serve", repo, "--store", store],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert server.stderr is not None
    print(server.stderr.readline().strip(), flush=True)
    found = _route(["find", "Session", "--repo", repo, "--store", store, "--json"])
    assert found is not None and found[1]["ok"], found
    sample = found[1]["results"][0]
    target = f"{sample['path']}::{sample['qualified_name']}"
    queries = [
        ["find", "Session", "--repo", repo, "--store", store, "--json"],
        ["outline", sample["path"], "--repo", repo, "--store", store, "--json"],
        ["refs", target, "--repo", repo, "--store", store, "--json"],
    ]
    write = ["log", "critique", target, "--agent", "bench", "--category", "other",
             "--severity", "info", "--text", "bench", "--repo", repo, "--store", store,
             "--json"]  # fmt: skip

    def phase(label: str, until: threading.Event | None) -> None:
        read_ms: list[float] = []
        write_ms: list[float] = []
        errors = 0
        for i in range(args.calls):
            if until is not None and until.is_set():
                break
            for argv, into in ((queries[i % len(queries)], read_ms), (write, write_ms)):
                started = time.perf_counter()
                reply = _route(argv)
                into.append((time.perf_counter() - started) * 1000)
                errors += reply is None or not reply[1]["ok"]
        (r50, r99), (w50, w99) = percentiles(read_ms), percentiles(write_ms)
        print(
            f"{label:<16} queries p50 {r50:7.2f} ms  p99 {r99:8.2f} ms   "
            f"log writes p50 {w50:7.2f} ms  p99 {w99:8.2f} ms   "
            f"({len(read_ms)} + {len(write_ms)} calls, {errors} errors)",
            flush=True,
        )
        results[label] = (r50, r99)

    results: dict[str, tuple[float, float]] = {}
    try:
        phase("idle", None)
        finished = threading.Event()
        outcome: dict[str, str] = {}

        def run_index() -> None:
            started = time.perf_counter()
            done = symbiote(
                *("index", repo, "--store", store, "--ref", "HEAD", "--history-ref", "HEAD"),
                *("--history", str(args.history), "--no-embed", "--json"),
            )
            outcome["seconds"] = f"{time.perf_counter() - started:.1f}"
            outcome["result"] = done.stdout.strip()[:200] or done.stderr.strip()[:200]
            finished.set()

        runner = threading.Thread(target=run_index)
        runner.start()
        time.sleep(1.0)  # let the run get going
        phase("during indexing", finished)
        runner.join()
        print(f"index run inside the server: {outcome['seconds']} s: {outcome['result']}")
        idle, busy = results["idle"], results["during indexing"]
        print(f"ratio during/idle: p50 {busy[0] / idle[0]:.2f}x, p99 {busy[1] / idle[1]:.2f}x")
    finally:
        server.terminate()
        server.wait()


def _route(argv: list[str]) -> Any:
    request = parse(argv)
    return route(request.verb.name, request.arguments, request.repo, request.store)


if __name__ == "__main__":
    main()
