"""Indexer throughput as a ratio to raw tree-sitter parsing, measured in the same run.

Usage::

    python -m bench.index_bench REPO [--jobs N] [--history N] [--skip-history] [--repeat N]
                                     [--ctags]

For HEAD only, and then for the first-parent history of HEAD (all of it unless
``--history N``), it prints:

* parse-only throughput: ``parser.parse(data)`` on the same blobs, same processes;
* indexer throughput on those blobs, and the ratio indexer / parse-only: for HEAD, the
  median of ``--repeat`` rounds, each measuring both back to back;
* for history: the indexer's time against parsing each distinct blob once;
* peak memory, sampled: RSS and PSS summed over the indexer, its workers and git;
* with ``--ctags``: universal-ctags on the HEAD files, as another baseline.

Targets (issue 2): HEAD ratio >= 0.6; history cost <= 1.3x the parse-only time of its
distinct blobs; peak memory < 2 GiB.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from symbiote.indexer import IndexOptions, index_repository
from symbiote.indexer.gitrepo import GitRepository
from symbiote.indexer.languages import is_supported, language_for_path


def _parse_chunk(args: tuple[str, list[tuple[str, str]]]) -> tuple[int, float]:
    import tree_sitter_language_pack as pack

    repo_path, units = args
    repo = GitRepository(repo_path)
    blobs = [(lang, repo.read_blob(sha)) for sha, lang in units]
    repo.close()
    parsers = {}
    started = time.perf_counter()
    total = 0
    for lang, data in blobs:
        parser = parsers.get(lang) or parsers.setdefault(lang, pack.get_parser(lang))
        parser.parse(data)
        total += len(data)
    return total, time.perf_counter() - started


def parse_only(repo_path: str, units: list[tuple[str, str]], jobs: int) -> tuple[int, float]:
    """Bytes and wall seconds to parse ``units`` (blob reads excluded) on ``jobs`` processes."""
    chunks = [(repo_path, units[i::jobs]) for i in range(jobs)]
    with multiprocessing.get_context("spawn").Pool(jobs) as pool:
        results = pool.map(_parse_chunk, chunks)
    # Wall time of parallel work = the slowest process.
    return sum(r[0] for r in results), max(r[1] for r in results)


def head_units(repo: GitRepository, rev: str) -> list[tuple[str, str]]:
    out = subprocess.run(
        ["git", "ls-tree", "-r", "-z", rev], cwd=repo.git_dir, capture_output=True, check=True
    ).stdout
    units = set()
    for record in out.split(b"\0"):
        if not record:
            continue
        meta, path = record.split(b"\t", 1)
        mode, kind, sha = meta.split()
        lang = language_for_path(path.decode("utf-8", "replace"))
        if kind == b"blob" and mode != b"120000" and is_supported(lang):
            units.add((sha.decode(), lang))
    return sorted(units)


class PeakRss:
    """Samples the memory of this process and all its descendants (workers, git).

    ``peak`` sums their RSS, so pages they share (the grammar library mapped by every
    worker, git's pack files) count once per process; ``peak_pss`` sums their PSS, which
    splits each shared page among its sharers: the physical memory the run holds."""

    def __init__(self) -> None:
        self.peak = 0
        self.peak_pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            rss = pss = 0
            for pid in _tree(me):
                rss += _field(f"/proc/{pid}/status", "VmRSS:")
                pss += _field(f"/proc/{pid}/smaps_rollup", "Pss:")
            self.peak = max(self.peak, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self._stop.wait(0.2)


def _field(path: str, name: str) -> int:
    """A ``name: N kB`` line of a /proc file, in bytes (0 when the process is gone)."""
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(name):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def run_index(repo: str, store: Path, options: IndexOptions) -> tuple[float, PeakRss, object]:
    with PeakRss() as rss:
        started = time.perf_counter()
        summary = index_repository(repo, store, options)
        seconds = time.perf_counter() - started
    return seconds, rss, summary


def _memory(rss: PeakRss) -> str:
    return f"peak RSS {rss.peak / 2**20:.0f} MiB (PSS {rss.peak_pss / 2**20:.0f} MiB)"


def stored_units(store: Path) -> list[tuple[str, str]]:
    import duckdb

    con = duckdb.connect(str(store), read_only=True)
    rows = con.execute(
        "SELECT sha, language FROM blobs WHERE status IN ('ok', 'parse_error', 'encoding_error')"
    ).fetchall()
    con.close()
    return [(str(s), str(lang)) for s, lang in rows]


def ctags_baseline(repo: GitRepository, rev: str, jobs: int) -> None:
    if shutil.which("ctags") is None:
        print("ctags: not installed")
        return
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(
            ["git", "archive", rev], cwd=repo.git_dir, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        started = time.perf_counter()
        subprocess.run(
            ["ctags", "-R", "--fields=+n", "-f", os.path.join(tmp, "tags"), tmp],
            check=True,
            capture_output=True,
        )
        seconds = time.perf_counter() - started
        tags = sum(1 for line in open(os.path.join(tmp, "tags"), "rb") if not line.startswith(b"!"))
    print(f"ctags (1 process, all its languages): {seconds:.2f} s, {tags} tags")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("repo")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--history", type=int, default=None, help="history depth (default: all)")
    ap.add_argument("--skip-history", action="store_true")
    ap.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="HEAD rounds, each parse-only then indexer; the median ratio is reported "
        "(this machine's speed drifts between runs)",
    )
    ap.add_argument("--ctags", action="store_true")
    ap.add_argument(
        "--keep",
        type=Path,
        default=None,
        help="keep the history store at this path (for bench/query_bench.py)",
    )
    args = ap.parse_args()
    repo = GitRepository(args.repo)
    print(f"repository {repo.root}; {args.jobs} processes")

    with tempfile.TemporaryDirectory() as tmp:
        units = head_units(repo, "HEAD")
        print(f"HEAD: {len(units)} source blobs", end="")
        ratios = []
        for attempt in range(args.repeat):
            size, parse_seconds = parse_only(str(repo.git_dir), units, args.jobs)
            store = Path(tmp) / f"head{attempt}.duckdb"
            seconds, peak, summary = run_index(
                args.repo, store, IndexOptions(refs=("HEAD",), history=0, jobs=args.jobs)
            )
            ratios.append(parse_seconds / seconds)
            store.unlink()
            mb = size / 1e6
            if attempt == 0:
                print(f", {mb:.1f} MB")
            print(f"  round {attempt + 1}:")
            print(f"    parse-only {parse_seconds:7.2f} s  {mb / parse_seconds:6.2f} MB/s")
            print(f"    indexer    {seconds:7.2f} s  {mb / seconds:6.2f} MB/s  {_memory(peak)}")
        ratios.sort()
        print(
            f"  ratio indexer/parse-only throughput: median {statistics.median(ratios):.2f} "
            f"of {len(ratios)} rounds (range {ratios[0]:.2f}-{ratios[-1]:.2f}; target >= 0.6)"
        )
        if args.ctags:
            ctags_baseline(repo, "HEAD", args.jobs)

        if not args.skip_history:
            store = Path(tmp) / "history.duckdb"
            seconds, peak, summary = run_index(
                args.repo,
                store,
                IndexOptions(
                    refs=("HEAD",), history=args.history, history_ref="HEAD", jobs=args.jobs
                ),
            )
            if args.keep is not None:
                args.keep.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(store, args.keep)
            distinct = stored_units(store)
            size, parse_seconds = parse_only(str(repo.git_dir), distinct, args.jobs)
            print(
                f"history: {summary.commits_indexed} commits, {len(distinct)} distinct source "  # type: ignore[attr-defined]
                f"blobs, {size / 1e6:.1f} MB"
            )
            print(f"  parse distinct blobs once {parse_seconds:7.2f} s")
            print(f"  indexer                   {seconds:7.2f} s  {_memory(peak)}")
            print(f"  cost ratio indexer/parse-once: {seconds / parse_seconds:.2f} (target <= 1.3)")
            print(f"  store size {store.stat().st_size / 2**20:.0f} MiB")
    repo.close()


if __name__ == "__main__":
    main()
