"""Start-up costs a user waits for: whole ``symbiote`` processes, timed from the outside.

Usage::

    python -m bench.startup_bench                    # a generated repository (200 definitions)
    python -m bench.startup_bench --repo PATH        # a clone of PATH (left untouched)

Measures, as medians of ``--rounds`` runs, each printed also as a ratio to two
baselines measured in the same run (``python -c 'import symbiote'`` and a cold
``symbiote find``):

- cold ``find`` and cold ``search --mode text`` (no owner running);
- a no-op ``symbiote index`` (nothing new);
- a 1-file commit: ``symbiote index`` until it returns (queryable), and until the
  background job has embedded it, without an owner (a detached job) and with a running
  ``symbiote serve`` (its model already loaded).

Targets (issue 19): one new commit queryable <= 1 s after the index starts and embedded
<= 2 s with a running owner; cold ``search --mode text`` <= 0.6 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from symbiote.indexer.embed_state import read_state

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}
ALONE = {**ENV, "SYMBIOTE_NO_SERVER": "1"}
IDENTITY = ["-c", "user.name=bench", "-c", "user.email=bench@example.com"]


def symbiote(*args: str, env: dict[str, str] | None = None) -> float:
    """Seconds one whole ``symbiote`` process takes (it must succeed)."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "symbiote.cli.main", *args],
        env=env or ALONE,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *IDENTITY, *args], cwd=repo, env=ENV, check=True, capture_output=True)


def generated(target: Path) -> None:
    target.mkdir(parents=True)
    git(target, "init", "-q", "-b", "main")
    for f in range(10):
        body = "".join(
            f"def op_{f}_{k}(value):\n    total = value * {k} + {f}\n    return total\n\n\n"
            for k in range(20)
        )
        (target / f"mod_{f}.py").write_text(body)
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "generated")


def one_file_commit(repo: Path, round_: int) -> None:
    path = repo / "bench_change.py"
    path.write_text(
        f"def changed_{round_}(value):\n    result = value + {round_}\n    return result\n"
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"round {round_}")


def head(repo: Path) -> str:
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=repo, env=ENV, check=True, capture_output=True, text=True
    ).stdout.strip()


def embedded(store: Path, commit: str, deadline: float = 600.0) -> float:
    """Wait until the background job has embedded ``commit``; when (perf_counter)."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        state = read_state(store) or {}
        if state.get("state") == "done" and commit in (state.get("commits") or []):
            return time.perf_counter()
        time.sleep(0.01)
    raise SystemExit(f"{commit} not embedded within {deadline:g} s")


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--repo", help="clone this repository (default: a generated one)")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="symbiote-startup-"))
    repo = work / "repo"
    try:
        if args.repo:
            subprocess.run(["git", "clone", "-q", args.repo, str(repo)], env=ENV, check=True)
        else:
            generated(repo)
        store = repo / ".git" / "symbiote" / "index.duckdb"
        print(f"repository {repo}; setting up (index --wait-embed) ...", flush=True)
        symbiote("index", str(repo), "--tips-only", "--wait-embed", "--no-sample")
        rows: dict[str, list[float]] = {}

        def sample(name: str, measure: Callable[[], float]) -> None:
            rows.setdefault(name, []).append(measure())

        query = ["--repo", str(repo)]
        for r in range(args.rounds):
            sample("python -c 'import symbiote'", lambda: _import_symbiote())
            sample("cold find", lambda: symbiote("find", "op_1_1", *query))
            sample(
                "cold search --mode text",
                lambda: symbiote("search", "total", *query, "--mode", "text"),
            )
            sample(
                "no-op index", lambda: symbiote("index", str(repo), "--tips-only", "--no-sample")
            )
            one_file_commit(repo, r)
            sha = head(repo)
            t0 = time.perf_counter()
            symbiote("index", str(repo), "--tips-only", "--no-sample")
            t1 = time.perf_counter()
            rows.setdefault("1-file commit queryable (no owner)", []).append(t1 - t0)
            rows.setdefault("1-file commit embedded (detached job)", []).append(
                embedded(store, sha) - t0
            )
        owned = _with_owner(repo, store, args.rounds)
        rows.update(owned)
        base = median(rows["python -c 'import symbiote'"])
        find = median(rows["cold find"])
        print(f"\n{'':44}{'median s':>10}{'/ import':>10}{'/ find':>9}   rounds")
        for name, samples in rows.items():
            m = median(samples)
            print(f"{name:44}{m:10.3f}{m / base:10.2f}{m / find:9.2f}   {len(samples)}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _import_symbiote() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import symbiote"], check=True)
    return time.perf_counter() - started


def _with_owner(repo: Path, store: Path, rounds: int) -> dict[str, list[float]]:
    server = subprocess.Popen(
        [sys.executable, "-m", "symbiote.cli.main", "serve", str(repo)],
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    out: dict[str, list[float]] = {}
    try:
        assert server.stderr is not None
        server.stderr.readline()  # answering on ...
        symbiote("search", "total", "--repo", str(repo), "--mode", "vector", env=ENV)  # warm
        for r in range(rounds):
            one_file_commit(repo, 100 + r)
            sha = head(repo)
            t0 = time.perf_counter()
            symbiote("index", str(repo), "--tips-only", "--no-sample", env=ENV)
            t1 = time.perf_counter()
            out.setdefault("1-file commit queryable (owner)", []).append(t1 - t0)
            out.setdefault("1-file commit embedded (owner)", []).append(embedded(store, sha) - t0)
            for mode in ("text", "vector", "hybrid"):
                out.setdefault(f"search --mode {mode} (owner)", []).append(
                    symbiote("search", "total", "--repo", str(repo), "--mode", mode, env=ENV)
                )
    finally:
        server.send_signal(signal.SIGINT)
        server.communicate(timeout=120)
    return out


if __name__ == "__main__":
    main()
