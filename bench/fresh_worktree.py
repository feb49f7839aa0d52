"""Freshness: how soon uncommitted edits are answered (issue 18's targets).

    python -m bench.fresh_bench worktree [REPO] [--calls 15] [--name Snapshot]

``worktree_*``: clones REPO (default: this repository) into a temporary folder, indexes
its HEAD (no embedding), starts ``symbiote serve`` on it, and through that owner times
``find NAME`` at HEAD (the baseline, median of ``--calls``), then the first ``find NAME
--at WORKTREE`` after editing 1 Python file (``--edits`` times, another file each time:
the first of them also loads the grammar's patterns, once per process; the median is
what an owner in use pays), and after editing 20 more at once, and the same call asked
again (median). Targets: the first call at WORKTREE after 1 edited file at most 300 ms
more than the baseline, after 20 files at most 2 s more; asked again, no extra cost.
Prints the times, the deltas and the ratios against the baseline of the same run. Not
part of the tests.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from symbiote.cli.arguments import parse
from symbiote.cli.route import route, socket_path

ROOT = Path(__file__).resolve().parent.parent

# Issue 18's targets, in milliseconds over the HEAD baseline.
WORKTREE_ONE_FILE_MS = 300.0
WORKTREE_TWENTY_FILES_MS = 2000.0


def symbiote(*words: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "symbiote.cli.main", *words],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def _routed(argv: list[str]) -> tuple[float, dict[str, Any]]:
    """One call through the store's owner: (milliseconds, payload)."""
    request = parse(argv)
    started = time.perf_counter()
    reply = route(request.verb.name, request.arguments, request.repo, request.store)
    elapsed = (time.perf_counter() - started) * 1000
    assert reply is not None, "no owner answered"
    assert reply[1]["ok"], reply[1]
    return elapsed, reply[1]


def worktree_clone(repo: Path, into: Path) -> tuple[Path, Path]:
    """A clone of ``repo`` with its HEAD indexed: (clone, store)."""
    clone = into / "clone"
    subprocess.run(["git", "clone", "-q", "--local", str(repo), str(clone)], check=True)
    store = into / "index.duckdb"
    started = time.perf_counter()
    done = symbiote(
        "index", str(clone), "--store", str(store), "--ref", "HEAD", "--tips-only", "--no-embed"
    )
    assert done.returncode == 0, done.stderr
    print(f"indexed HEAD of {repo} in {time.perf_counter() - started:.1f} s", flush=True)
    return clone, store


def worktree_edit(clone: Path, files: list[str], round_: int) -> None:
    """Append a new function to each of ``files``."""
    for i, rel in enumerate(files):
        path = clone / rel
        path.write_text(
            path.read_text("utf-8") + f"\n\ndef fresh_bench_{round_}_{i}(value):\n"
            "    return value\n",
            "utf-8",
        )


def worktree_measure(repo: Path, name: str, calls: int, edits: int) -> dict[str, float]:
    """The worktree targets, measured against the HEAD baseline of the same run."""
    with tempfile.TemporaryDirectory(prefix="fresh-bench-") as folder:
        clone, store = worktree_clone(repo, Path(folder))
        listed = subprocess.run(
            ["git", "ls-files", "*.py"], cwd=clone, capture_output=True, text=True, check=True
        ).stdout.split()
        assert len(listed) >= 20 + edits, f"the benchmark edits {20 + edits} Python files"
        server = subprocess.Popen(
            [sys.executable, "-m", "symbiote.cli.main", "serve", str(clone), "--store", str(store)],
            cwd=ROOT,
            stderr=subprocess.DEVNULL,
        )
        try:
            while not socket_path(store).exists():
                assert server.poll() is None, "serve stopped"
                time.sleep(0.05)
            base = ["find", name, "--repo", str(clone), "--store", str(store), "--json"]
            at = [*base, "--at", "WORKTREE"]
            _routed(base)  # warm: HEAD's snapshot loaded in the owner
            head = statistics.median(_routed(base)[0] for _ in range(calls))
            _routed(at)  # a clean working tree: the overlay is HEAD's own files
            out = {"head_ms": head}
            singles: list[float] = []
            for i in range(edits):  # one more edited file each time
                worktree_edit(clone, listed[i : i + 1], i)
                singles.append(_routed(at)[0])
            print("single-file edits:", " ".join(f"{ms:.0f}" for ms in singles), "ms")
            out["one_cold_ms"], out["one_first_ms"] = singles[0], statistics.median(singles)
            out["one_again_ms"] = statistics.median(_routed(at)[0] for _ in range(calls))
            worktree_edit(clone, listed[edits : edits + 20], edits)
            first, payload = _routed(at)
            assert len(payload["worktree"]) == edits + 20, payload.get("worktree")
            out["twenty_first_ms"] = first
            out["twenty_again_ms"] = statistics.median(_routed(at)[0] for _ in range(calls))
            return out
        finally:
            server.terminate()
            server.wait()


def worktree_report(figures: dict[str, float]) -> None:
    """Print the figures, deltas and ratios against the HEAD baseline, and the verdicts."""
    head = figures["head_ms"]

    def line(label: str, ms: float, note: str) -> None:
        print(f"{label:<50} {ms:8.1f} ms  {note}")

    line("find at HEAD (baseline, median)", head, "")
    cold = figures["one_cold_ms"]
    line(
        "first find at WORKTREE ever (1 file)",
        cold,
        f"(+{cold - head:.1f} ms; loads the grammar's patterns, once per process)",
    )
    for label, files, target in (
        ("one", 1, WORKTREE_ONE_FILE_MS),
        ("twenty", 20, WORKTREE_TWENTY_FILES_MS),
    ):
        first, again = figures[f"{label}_first_ms"], figures[f"{label}_again_ms"]
        delta = first - head
        verdict = "ok" if delta <= target else "MISSED"
        what = "1 edited file (median)" if files == 1 else f"{files} edited files"
        line(
            f"first find at WORKTREE, {what}",
            first,
            f"(+{delta:.1f} ms, {first / head:.2f}x; target +{target:.0f} ms: {verdict})",
        )
        line("  asked again (median)", again, f"(+{again - head:.1f} ms, {again / head:.2f}x)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("repo", nargs="?", default=str(ROOT))
    ap.add_argument("--calls", type=int, default=15, help="calls per median")
    ap.add_argument("--name", default="Snapshot", help="the name to find")
    ap.add_argument("--edits", type=int, default=5, help="single-file edits timed")
    args = ap.parse_args()
    figures = worktree_measure(Path(args.repo).resolve(), args.name, args.calls, args.edits)
    worktree_report(figures)


if __name__ == "__main__":
    main()
