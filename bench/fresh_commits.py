"""How fresh the store stays: from ``git commit`` returning to the new commit answering
``find`` at HEAD (and to its definitions being embedded), with the git hooks installed
and an owner running (``symbiote serve``), against a baseline measured in the same run
(the same kind of commit, then a direct ``symbiote index`` through the same owner); and
how many index runs a rebase of 30 commits causes (target: 1).

    python -m bench.fresh_bench commits [--modules 40] [--files 1 20] [--rebase 30] [--no-embed]

The repository is synthetic (``--modules`` Python modules of eight functions), hermetic,
in a temporary folder. Functions here are named ``commit_*`` and ``rebase_*``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from harness.hermetic import HERMETIC_ENV
from symbiote.cli.hookmarks import DONE, STARTED, files, idle
from symbiote.cli.route import ask, socket_path

DEADLINE = 600.0
ENV = {**os.environ, **HERMETIC_ENV}


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, env=ENV, check=True, capture_output=True)
    return done.stdout.decode().strip()


def _symbiote(*args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "symbiote.cli.main", *args], env=ENV, check=True, capture_output=True
    )


def _poll(what: str, check: Callable[[], bool]) -> float:
    """Seconds until ``check()`` holds (polled every 5 ms)."""
    start = time.monotonic()
    while not check():
        if time.monotonic() - start > DEADLINE:
            raise SystemExit(f"gave up waiting for {what}")
        time.sleep(0.005)
    return time.monotonic() - start


def commit_repository(root: Path, modules: int) -> Path:
    repo = root / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    for m in range(modules):
        body = "".join(
            f"def helper_{m}_{k}(value):\n    '''Add {k} to a value of module {m}.'''\n"
            f"    return value + {k}\n\n\n"
            for k in range(8)
        )
        (repo / f"mod_{m}.py").write_text(body)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "start")
    return repo


def commit_edit(repo: Path, files_changed: int, tag: str) -> tuple[str, str]:
    """Commit a change to ``files_changed`` modules, each gaining a new function; the
    new commit and the name of one new function."""
    for m in range(files_changed):
        with (repo / f"mod_{m}.py").open("a") as f:
            f.write(f"def fresh_{tag}_{m}(value):\n    '''Fresh {tag}.'''\n    return -value\n")
    _git(repo, "commit", "-q", "-am", f"edit {tag}")
    return _git(repo, "rev-parse", "HEAD"), f"fresh_{tag}_0"


def commit_answers(repo: Path, name: str, sha: str) -> bool:
    reply = ask("find", {"query": name, "mode": "exact"}, str(repo), None, "cli")
    return reply is not None and reply[1].get("commit") == sha and bool(reply[1].get("results"))


def commit_log(store: Path) -> str:
    log = files(store)[2]
    return log.read_text() if log.exists() else ""


def commit_idle(store: Path) -> bool:
    return idle(store)


def commit_hooked(repo: Path, store: Path, n: int, tag: str) -> tuple[float, float]:
    """With the hooks installed: seconds from the commit to ``find`` answering, and to
    the run's end (its definitions embedded, when the hooks embed)."""
    sha, name = commit_edit(repo, n, tag)
    start = time.monotonic()
    found = _poll("find at the new commit", lambda: commit_answers(repo, name, sha))
    _poll("the hooks' run", lambda: f"{DONE}: " in commit_log(store) and sha in commit_log(store))
    done = time.monotonic() - start
    _poll("the hooks to be idle", lambda: commit_idle(store))
    return found, done


def commit_direct(repo: Path, n: int, tag: str, embed: bool) -> tuple[float, float]:
    """The baseline: the commit, then ``symbiote index`` (through the owner), then find."""
    sha, name = commit_edit(repo, n, tag)
    start = time.monotonic()
    _symbiote("index", str(repo), "--no-sample", *([] if embed else ["--no-embed"]))
    done = time.monotonic() - start
    _poll("find at the new commit", lambda: commit_answers(repo, name, sha))
    return time.monotonic() - start, done


def rebase_runs(repo: Path, store: Path, commits: int) -> int:
    """Index runs a rebase of ``commits`` commits causes, with the hooks installed."""
    _git(repo, "checkout", "-q", "-b", "topic")
    for i in range(commits):
        (repo / f"topic_{i}.py").write_text(f"def topic_{i}():\n    return {i}\n")
        _git(repo, "add", "-A")
        _git(repo, "commit", "-q", "-m", f"topic {i}")
    _git(repo, "checkout", "-q", "main")
    commit_edit(repo, 1, "main_moves")
    _poll("the hooks to be idle", lambda: commit_idle(store))
    _git(repo, "checkout", "-q", "topic")
    _poll("the hooks to be idle", lambda: commit_idle(store))
    before = commit_log(store).count(STARTED)
    _git(repo, "rebase", "-q", "main")
    head = _git(repo, "rev-parse", "HEAD")
    _poll("the run after the rebase", lambda: head in commit_log(store) and commit_idle(store))
    return commit_log(store).count(STARTED) - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", type=int, default=40)
    parser.add_argument("--files", type=int, nargs="+", default=[1, 20])
    parser.add_argument("--rebase", type=int, default=30)
    parser.add_argument("--no-embed", action="store_true", help="only the runs without vectors")
    args = parser.parse_args()
    modes = [False] if args.no_embed else [False, True]
    with tempfile.TemporaryDirectory(prefix="fresh-bench-") as tmp:
        repo = commit_repository(Path(tmp), max(args.modules, max(args.files)))
        store = repo / ".git" / "symbiote" / "index.duckdb"
        _symbiote("index", str(repo), "--no-sample", *([] if True in modes else ["--no-embed"]))
        owner = subprocess.Popen(
            [sys.executable, "-m", "symbiote.cli.main", "serve", str(repo)],
            env=ENV,
            stderr=subprocess.DEVNULL,
        )
        try:
            _poll("the owner", lambda: socket_path(store).exists())
            print(f"repository: {args.modules} modules; owner: symbiote serve (pid {owner.pid})")
            print(
                f"{'files':>5} {'embed':>5} {'hooks: find':>12} {'hooks: run':>11} "
                f"{'direct: find':>13} {'direct: run':>12} {'ratio':>6}"
            )
            for embed in modes:
                _symbiote("hooks", "install", str(repo), *([] if embed else ["--no-embed"]))
                for n in args.files:
                    tag = f"{n}_{int(embed)}"
                    hooked = commit_hooked(repo, store, n, f"h{tag}")
                    _symbiote("hooks", "uninstall", str(repo))
                    direct = commit_direct(repo, n, f"d{tag}", embed)
                    _symbiote("hooks", "install", str(repo), *([] if embed else ["--no-embed"]))
                    print(
                        f"{n:>5} {embed!s:>5} {hooked[0]:>11.2f}s {hooked[1]:>10.2f}s "
                        f"{direct[0]:>12.2f}s {direct[1]:>11.2f}s {hooked[0] / direct[0]:>6.2f}"
                    )
            _symbiote("hooks", "install", str(repo), "--no-embed")
            runs = rebase_runs(repo, store, args.rebase)
            print(f"rebase of {args.rebase} commits: {runs} index run(s) (target 1)")
        finally:
            owner.terminate()
            owner.wait(timeout=60)


if __name__ == "__main__":
    main()
