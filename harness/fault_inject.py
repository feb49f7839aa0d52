"""Fault injection: SIGKILL the main job at random points; the next run completes it.

Spec (issue 6): a fault-injection run kills ``symbiote index`` (SIGKILL) at K random
points across a real multi-commit run -- while parsing, between the DuckDB and the
LanceDB writes, during embedding, during compaction. After each kill the next run
completes, ``symbiote verify`` reports a consistent store, and the contents of the store
equal those of an uninterrupted run. Figure: kills survived / kills tried. CI runs a
short version (``tests/test_fault_injection.py`` calls :func:`run`).

Usage::

    python -m harness.fault_inject [--kills 50] [--seed N] [--commits N] [--workdir DIR]
                                 [--parallel N] [--json]

How it works:

* The job is the quick start's main job, ``symbiote index REPO`` (index, then embed HEAD
  and the branch tips into the LanceDB sidecar, then compact it), run as
  ``python -m cli.main index REPO --store S --no-sample --json`` in its own process
  group. The repository is built with the real ``git`` under a hermetic environment:
  Python, JavaScript, Go and Rust files changed over many commits, a branch and a tag.
* The uninterrupted reference run is watched from outside, by what it leaves on disk: the
  store file appears; its WAL goes away when the index run closes the store; each
  LanceDB write adds a manifest to its table (``<store>.lance/*.lance/_versions``). These
  milestones, in the order the reference reached them, are the progress axis; the rows
  behind every LanceDB version tell which phase each stretch between two milestones is.
* Each kill starts from an empty store, and the run right after it must complete the
  job (kills are not stacked). A phase is picked (the four in turn, each round shuffled;
  compaction only when the reference compacted something, i.e. a table got more than
  one fragment: more than 512 definitions), then one stretch of that phase at random;
  the killed run is watched until it reaches the stretch's opening milestone, then --
  the only decision the clock makes -- waits a random fraction of the stretch's
  reference duration and SIGKILLs the process group (the job and its parser workers).
  A kill that comes after the job ended is a miss and is aimed again (three tries).
  ``--parallel N`` runs N kills side by side, each on its own store.
* The phase actually hit is read from what the kill left: no store (startup), commits
  or refs incomplete (parsing), no LanceDB rows (between), LanceDB rows missing
  (embedding), fewer table versions than the reference (compaction), else finishing.
* The next run must exit 0, then every DuckDB table (listed from information_schema, so
  new tables are covered; rows compared as sorted lists, keys checked for duplicates)
  and every LanceDB table (keys unique, columns equal, vectors within 1e-3) must equal
  the reference, and :func:`indexer.verify.verify_store` (what ``symbiote verify`` runs)
  must report ``ok``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.fault_compare import (
    Contents,
    compare,
    duck_contents,
    lance_contents,
    lance_tables,
    open_duck,
    sidecar_of,
)
from harness.fault_repo import HERMETIC_ENV, RepoShape, build_repo

# The phases asked for, in the order a run passes them; "startup" (before the store
# exists) and "finishing" (after the last write) can be hit too but are not aimed at.
PHASES = ("parsing", "between", "embedding", "compaction")
POLL_SECONDS = 0.005  # how often a running job's files are looked at


# ---- watching a run from outside


@dataclass(slots=True)
class Watch:
    """What a running job has left on disk so far, updated by :meth:`look`."""

    store: Path
    exists: bool = False  # the store file
    closed: int = 0  # times its WAL went away (the index run closes the store)
    versions: dict[str, int] = field(default_factory=dict)  # LanceDB table -> manifests
    _wal: bool = False

    def look(self) -> None:
        self.exists = self.exists or self.store.exists()
        wal = self.store.with_name(self.store.name + ".wal").exists()
        if self._wal and not wal:
            self.closed += 1
        self._wal = wal
        for folder in sidecar_of(self.store).glob("*.lance"):
            count = sum(1 for _ in (folder / "_versions").glob("*.manifest"))
            self.versions[folder.name.removesuffix(".lance")] = count


Milestone = tuple[str, int]  # ("start"|"store"|"closed", 0) or (LanceDB table, version)


def reached(watch: Watch, milestone: Milestone) -> bool:
    """Whether a watched run has passed ``milestone``."""
    name, version = milestone
    if name == "start":
        return True
    if name == "store":
        return watch.exists
    if name == "closed":
        return watch.closed >= 1
    return watch.versions.get(name, 0) >= version


def job_command(repo: Path, store: Path) -> list[str]:
    """The main job, as the quick start runs it (index, embed, compact)."""
    return [
        sys.executable,
        "-m",
        "symbiote.cli.main",
        "index",
        str(repo),
        "--store",
        str(store),
    ] + [
        "--no-sample",
        "--wait-embed",  # the embedding phase runs in the job, where kills can hit it
        "--json",
    ]


def _env() -> dict[str, str]:
    env = {**os.environ, **HERMETIC_ENV}
    for name in ("SYMBIOTE_STORE", "SYMBIOTE_EMBEDDER"):
        env.pop(name, None)
    return env


def start(repo: Path, store: Path, log: Path) -> subprocess.Popen[bytes]:
    """Start the job in its own process group, output to ``log``."""
    with log.open("ab") as out:
        return subprocess.Popen(
            job_command(repo, store),
            env=_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def complete(repo: Path, store: Path, log: Path) -> str | None:
    """Run the job to its end; None when it succeeded, else what went wrong."""
    proc = start(repo, store, log)
    code = proc.wait()
    if code != 0:
        tail = log.read_text(errors="replace").strip().splitlines()[-5:]
        return f"the next run exited {code}: " + " | ".join(tail)
    return None


# ---- what is on disk


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The state a run left, as far as phases go."""

    store: bool  # the store file exists
    indexed: bool  # every commit and ref of the reference is in the store
    tables: dict[str, tuple[int, int]]  # LanceDB table -> (versions, rows)
    detail: str = ""


def classify(snap: Snapshot, final: dict[str, tuple[int, int]]) -> str:
    """The phase a run was in when it left ``snap`` (``final``: the reference's tables)."""
    if not snap.store:
        return "startup"
    if not snap.indexed:
        return "parsing"
    if sum(rows for _, rows in snap.tables.values()) == 0:
        return "between"
    have = {name: snap.tables.get(name, (0, 0)) for name in final}
    if any(have[name][1] < rows for name, (_, rows) in final.items()):
        return "embedding"
    if any(have[name][0] < versions for name, (versions, _) in final.items()):
        return "compaction"
    return "finishing"


def _count(con: Any, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0


def snapshot(store: Path, reference: Reference) -> Snapshot:
    """Read what a killed run left (the process is gone, so the store is free)."""
    if not store.exists():
        return Snapshot(False, False, {}, "no store")
    try:
        con = open_duck(store)
        try:
            commits, refs = _count(con, "commits"), _count(con, "refs")
        finally:
            con.close()
    except Exception as exc:  # a store killed while it was being created
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return Snapshot(True, False, {}, f"store unreadable: {first}")
    detail = f"commits {commits}/{reference.commits}, refs {refs}/{reference.refs}"
    wal = store.with_name(store.name + ".wal")
    detail += ", WAL present" if wal.exists() else ""
    tables: dict[str, tuple[int, int]] = {}
    for name, table in lance_tables(store).items():
        tables[name] = (len(table.list_versions()), table.count_rows())
    if tables:
        detail += "; " + ", ".join(f"{n[:12]} v{v} {r} rows" for n, (v, r) in tables.items())
    indexed = commits == reference.commits and refs == reference.refs
    return Snapshot(True, indexed, tables, detail)


# ---- the reference run


@dataclass(slots=True)
class Reference:
    """The uninterrupted run: its milestones and what it left."""

    seconds: float
    milestones: list[tuple[Milestone, float]]  # in the order reached, with the time
    phases: list[str]  # the phase of the stretch each milestone opens
    tables: dict[str, tuple[int, int]]  # LanceDB table -> (versions, rows) at the end
    commits: int = 0
    refs: int = 0
    duck: Contents = field(default_factory=dict)
    lance: Contents = field(default_factory=dict)

    def duration(self, i: int) -> float:
        """Seconds from milestone ``i`` to the next (or to the end of the run)."""
        end = self.milestones[i + 1][1] if i + 1 < len(self.milestones) else self.seconds
        return max(0.0, end - self.milestones[i][1])


def reference_run(repo: Path, store: Path, log: Path) -> Reference:
    """Run the job uninterrupted, watching it; then read what it left."""
    watch = Watch(store)
    seen: list[tuple[Milestone, float]] = [(("start", 0), 0.0)]
    started = time.monotonic()
    proc = start(repo, store, log)
    while True:
        done = proc.poll() is not None
        watch.look()
        now = time.monotonic() - started
        if watch.exists and not any(m == ("store", 0) for m, _ in seen):
            seen.append((("store", 0), now))
        if watch.closed and not any(m == ("closed", 0) for m, _ in seen):
            seen.append((("closed", 0), now))
        for name, count in sorted(watch.versions.items()):
            have = max((v for (n, v), _ in seen if n == name), default=0)
            seen += [((name, v), now) for v in range(have + 1, count + 1)]
        if done:
            break
        time.sleep(POLL_SECONDS)
    if proc.returncode != 0:
        raise RuntimeError(f"the reference run failed ({proc.returncode}); see {log}")
    seconds = time.monotonic() - started
    rows = {}  # (table, version) -> rows
    tables = {}
    for name, table in lance_tables(store).items():
        versions = table.list_versions()
        for v in versions:
            rows[(name, int(v["version"]))] = int(v["metadata"]["total_rows"])
        tables[name] = (len(versions), table.count_rows())
    phases = []
    for i, _ in enumerate(seen):
        passed = [m for m, _ in seen[: i + 1]]
        latest: dict[str, int] = {}
        for name, version in passed:
            if name not in ("start", "store", "closed"):
                latest[name] = max(latest.get(name, 0), version)
        virtual = Snapshot(
            ("store", 0) in passed,
            ("closed", 0) in passed,
            {n: (v, rows[(n, v)]) for n, v in latest.items()},
        )
        phases.append(classify(virtual, tables))
    ref = Reference(seconds, seen, phases, tables)
    con = open_duck(store)
    try:
        ref.commits, ref.refs = _count(con, "commits"), _count(con, "refs")
    finally:
        con.close()
    ref.duck, dupes = duck_contents(store)
    ref.lance, more = lance_contents(store)
    if dupes or more:
        raise RuntimeError(f"the reference run has duplicate keys: {dupes + more}")
    return ref


# ---- kills


@dataclass(slots=True)
class Kill:
    """One killed run and the run after it."""

    number: int
    target: str  # the phase aimed at
    milestone: Milestone  # the kill came after this milestone...
    delay: float  # ...plus this many seconds
    killed: bool = False  # the job was still running when SIGKILL came
    phase: str = ""  # the phase it was in, read from what it left
    detail: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def survived(self) -> bool:
        """The next run completed to the reference contents and verified."""
        return self.killed and not self.problems

    def lines(self) -> list[str]:
        """One line, then one per problem."""
        mark = "ok  " if self.survived else ("FAIL" if self.killed else "miss")
        name, version = self.milestone
        head = (
            f"{mark} kill {self.number:>2}: aimed at {self.target:<10} hit "
            f"{self.phase or '-':<10} ({name[:16]} v{version} +{self.delay:.2f} s) {self.detail}"
        )
        return [head] + [f"       {p}" for p in self.problems]


@dataclass(slots=True)
class Report:
    """The outcome of a fault-injection run."""

    kills: list[Kill]
    reference_seconds: float
    seconds: float
    targets: dict[str, int]  # phase -> stretches of the reference run in that phase

    @property
    def tried(self) -> int:
        """Kills that hit a running job."""
        return sum(k.killed for k in self.kills)

    @property
    def survived(self) -> int:
        """Kills after which the next run gave the reference contents."""
        return sum(k.survived for k in self.kills)

    def by_phase(self) -> dict[str, tuple[int, int]]:
        """Phase -> (survived, tried)."""
        out: dict[str, tuple[int, int]] = {}
        for kill in self.kills:
            if kill.killed:
                s, t = out.get(kill.phase, (0, 0))
                out[kill.phase] = (s + kill.survived, t + 1)
        return out

    def text(self) -> str:
        """The figures and every failure, for people."""
        lines = [
            f"reference run: {self.reference_seconds:.1f} s; stretches per phase: "
            + ", ".join(f"{p} {n}" for p, n in self.targets.items())
        ]
        for kill in self.kills:
            lines += kill.lines()
        for phase, (s, t) in sorted(self.by_phase().items(), key=lambda i: _order(i[0])):
            lines.append(f"  {phase:<10} {s}/{t}")
        lines.append(
            f"kills survived / kills tried: {self.survived}/{self.tried} "
            f"({len(self.kills) - self.tried} missed; {self.seconds:.0f} s)"
        )
        return "\n".join(lines)


def _order(phase: str) -> int:
    every = ("startup", *PHASES, "finishing")
    return every.index(phase) if phase in every else len(every)


def kill_at(repo: Path, store: Path, log: Path, milestone: Milestone, delay: float) -> bool:
    """Start the job; SIGKILL its process group ``delay`` seconds after it reaches
    ``milestone``. Whether it was still running then."""
    watch = Watch(store)
    proc = start(repo, store, log)
    since: float | None = None
    while proc.poll() is None:
        watch.look()
        if since is None and reached(watch, milestone):
            since = time.monotonic()
        if since is not None and time.monotonic() - since >= delay:
            os.killpg(proc.pid, signal.SIGKILL)
            break
        time.sleep(POLL_SECONDS)
    return proc.wait() == -signal.SIGKILL


def _fresh(store: Path) -> None:
    for path in (store, store.with_name(store.name + ".wal")):
        path.unlink(missing_ok=True)
    shutil.rmtree(sidecar_of(store), ignore_errors=True)


def _targets(kills: int, rng: random.Random, phases: list[str]) -> list[str]:
    """The phases to aim at: those the reference run has, in turn, each round shuffled."""
    aimed = [p for p in PHASES if p in phases]  # compaction needs two fragments a table
    out: list[str] = []
    while len(out) < kills:
        turn = list(aimed)
        rng.shuffle(turn)
        out += turn
    return out[:kills]


def _aim(ref: Reference, phase: str, rng: random.Random, jitter: bool) -> tuple[int, float]:
    """A milestone opening a stretch in ``phase``, and a random wait within the stretch."""
    index = rng.choice([i for i, p in enumerate(ref.phases) if p == phase])
    return index, rng.uniform(0.0, ref.duration(index)) if jitter else 0.0


def run(
    kills: int = 50,
    seed: int = 1,
    workdir: Path | None = None,
    *,
    shape: RepoShape | None = None,
    jitter: bool = True,
    parallel: int = 1,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """Build the repository, run the reference, then ``kills`` killed runs each followed
    by a run that must complete it (``parallel`` of them at a time, each on its own
    store). A kill that comes after the job ended is a miss; the same phase is aimed at
    again, up to three times. With ``jitter`` off, kills come right at their milestone
    (no random wait), so the phases hit follow from ``seed`` alone."""
    shape = shape or RepoShape()
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="fault-inject-", dir=workdir) as tmp:
        base = Path(tmp)
        repo = base / "repo"
        build_repo(repo, shape, seed)
        ref = reference_run(repo, base / "reference.duckdb", base / "reference.log")
        report = Report([], ref.seconds, 0.0, dict(Counter(ref.phases)))
        if progress:
            progress(report.text().splitlines()[0])
        targets = _targets(kills, random.Random(seed), ref.phases)

        def trial(number: int) -> list[Kill]:
            rng = random.Random(f"{seed}/{number}")
            store = base / f"killed{number}.duckdb"
            out = [_trial(repo, store, ref, number, targets[number - 1], rng, jitter)]
            while not out[-1].killed and len(out) < 3:
                out.append(_trial(repo, store, ref, number, targets[number - 1], rng, jitter))
            if out[-1].problems and workdir is not None:  # kept for a post-mortem
                _keep(store, workdir / f"failed-seed{seed}-kill{number}", store.with_suffix(".log"))
            _fresh(store)
            return out

        with ThreadPoolExecutor(max(1, parallel)) as pool:
            for attempts in pool.map(trial, range(1, kills + 1)):
                report.kills += attempts
                if progress:
                    progress("\n".join(line for k in attempts for line in k.lines()))
        report.seconds = time.monotonic() - began
        return report


def _trial(
    repo: Path,
    store: Path,
    ref: Reference,
    number: int,
    target: str,
    rng: random.Random,
    jitter: bool,
) -> Kill:
    """One killed run from an empty store, then the run that must complete it."""
    from symbiote.indexer.verify import verify_store

    index, delay = _aim(ref, target, rng, jitter)
    kill = Kill(number, target, ref.milestones[index][0], round(delay, 3))
    _fresh(store)
    log = store.with_suffix(".log")
    log.unlink(missing_ok=True)
    kill.killed = kill_at(repo, store, log, kill.milestone, delay)
    if kill.killed:
        snap = snapshot(store, ref)
        kill.phase, kill.detail = classify(snap, ref.tables), snap.detail
        try:
            _check(repo, store, log, ref, kill, verify_store)
        except Exception as exc:  # a crash of the checks is a failed kill too
            kill.problems.append(f"{type(exc).__name__}: {exc}")
    return kill


def _keep(store: Path, folder: Path, log: Path) -> None:
    """Move a failed store, its sidecar and the runs' output aside for a post-mortem."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in (store, store.with_name(store.name + ".wal"), sidecar_of(store), log):
        if path.exists():
            shutil.move(path, folder / path.name)


def _check(repo: Path, store: Path, log: Path, ref: Reference, kill: Kill, verify: Any) -> None:
    """Run the job to its end and hold it to the reference."""
    failed = complete(repo, store, log)
    if failed:
        kill.problems.append(failed)
        return
    duck, dupes = duck_contents(store)
    lance, more = lance_contents(store)
    kill.problems += [f"duplicate key: {d}" for d in dupes + more]
    kill.problems += compare(ref.duck, duck, "DuckDB")
    kill.problems += compare(ref.lance, lance, "LanceDB", vectors=True)
    report = verify(repo, store)  # what `symbiote verify` runs; it exits 1 unless ok
    kill.problems += [f"verify: {c.name}: {c.detail}" for c in report.checks if not c.ok]


def main(argv: list[str] | None = None) -> int:
    """The command line: print the figures; exit 1 when any kill was not survived."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=50, help="killed runs (default 50)")
    parser.add_argument("--seed", type=int, default=1, help="repository and kill points")
    parser.add_argument("--commits", type=int, default=RepoShape().commits, help="commits on main")
    parser.add_argument(
        "--workdir", type=Path, default=None, help="where to work (failed stores are kept there)"
    )
    parser.add_argument("--parallel", type=int, default=1, help="kills run side by side")
    parser.add_argument("--json", action="store_true", help="also print a JSON summary")
    args = parser.parse_args(argv)
    report = run(
        args.kills,
        args.seed,
        args.workdir,
        shape=RepoShape(commits=args.commits),
        parallel=args.parallel,
        progress=lambda line: print(line, flush=True),
    )
    print(report.text())
    if args.json:
        summary = {
            "survived": report.survived,
            "tried": report.tried,
            "by_phase": report.by_phase(),
            "seconds": round(report.seconds, 1),
        }
        print(json.dumps(summary))
    return 0 if report.survived == report.tried == args.kills else 1


if __name__ == "__main__":
    raise SystemExit(main())
