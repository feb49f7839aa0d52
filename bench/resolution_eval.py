"""Precision of goto: its first answer against compiler-grade oracles (issue 15, item 5).

For two public repositories per language, pinned to a commit, an oracle that knows the
types answers "where is this name defined" for identifier uses inside function bodies:
jedi (Python), the TypeScript checker, go/types (Go) and javac's attributed trees
(Java); the programs are in bench/oracles/. Sites are sampled fairly (sorted by path,
line and column, shuffled with a fixed seed, walked until N are accepted); a site is
accepted only when the oracle gives exactly one target that is a function, method,
class or type of the same repository. Symbiote indexes the same commit and answers
each site with `goto`; the first answer agrees when it is the oracle's target (same
path, and its start line is the target's decorator/annotation or keyword line).

One repository per language is held out ("aside"); the resolver is tuned on the
others. Aside figures are printed separately; study only the tuning misses. An aside
repository whose figures have been reported becomes a tuning one, and a new one that
nobody has tuned on takes its place (jsoup and graphql-js were replaced so by
commons-cli and mobx, those two by jotai for TypeScript, and jotai by h3; Java's
is java-classmate; Python's flask by requests, in session 22).

Usage (from the repository root)::

    python -m bench.resolution_eval                       # every repository, 300 sites each
    python -m bench.resolution_eval --language python     # one language (repeatable)
    python -m bench.resolution_eval --repo httpx -n 500   # one repository, more sites
    python -m bench.resolution_eval --role tuning         # only the tuning repositories
    python -m bench.resolution_eval --list-misses 20      # also print 20 tuning misses
    python -m bench.resolution_eval --mirrors DIR         # where DIR/OWNER+NAME/repo are mirrors
    python -m bench.resolution_eval --refresh-oracle      # ask the oracles again (cache ignored)

Each repository's top-1 comes with the half-width of its 95 % interval (about 5 points
at 300 sites): a change smaller than that is noise; `-n 1000` narrows it. Beside it, a
name-only baseline measured in the same run (a definition of that name in the same
file, else the first in path order). `--list-misses` lists only the tuning
repositories' misses unless `--include-aside` is given.

Everything it needs is set up under bench/out/resolution/ (gitignored): checkouts of
the pinned commits (cloned from the mirrors; `--mirrors` defaults to /work/.mirror,
or clone github.com/OWNER/NAME into bench/out/resolution/repos/NAME yourself), a venv
with only jedi and parso, typescript@5.9.3 from npm, the Go and Java oracle programs
built there, one Symbiote store per repository. Go needs Debian's golang-go (setup,
once, as root: `apt-get install -y golang-go`); Java needs a JDK 17 (`javac`).

Oracle answers are cached per repository (keyed by commit and oracle program), so a
re-run redoes only the Symbiote side: the index is brought up to date (a changed
pattern file re-extracts what it affects) and every site asked again. Per-site details
go to bench/out/resolution/sites-NAME.jsonl, the figures to summary.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import shutil
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from symbiote.indexer import IndexOptions, index_repository
from symbiote.queries import open_index

ROOT = Path(__file__).resolve().parent.parent
ORACLES = ROOT / "bench" / "oracles"
WORK = ROOT / "bench" / "out" / "resolution"
MIRRORS = Path("/work/.mirror")

TYPESCRIPT = "5.9.3"
JEDI = ("jedi==0.20.1", "parso==0.8.7")
TOP1_TARGET = {"python": 0.92, "typescript": 0.92, "java": 0.92, "go": 0.96}
NO_ANSWER_MAX = 0.02
RECALL5_MIN = 0.98
REJECTIONS = ("unresolved", "external", "not_definition", "ambiguous")


@dataclass(frozen=True, slots=True)
class Repo:
    """A public repository pinned to a commit."""

    name: str
    language: str
    github: str  # owner/name
    sha: str
    role: str  # "tuning" (the resolver is tuned on it) or "aside" (held out)


REPOS = (
    Repo("httpx", "python", "encode/httpx", "ae1b9f66238f75ced3ced5e4485408435de10768", "tuning"),
    Repo("flask", "python", "pallets/flask", "2ac89889f4cc330eabd50f295dcef02828522c69", "tuning"),
    Repo("requests", "python", "psf/requests", "1f6589ec3a1ee910f9a65cc3ceac60b26677bc0e", "aside"),
    Repo("click", "python", "pallets/click", "2c8cd3ac958a7eb316d67f2d316c27086c4c0369", "tuning"),
    Repo(
        "starlette",
        "python",
        "encode/starlette",
        "cb8f84f5284dc301ca7a31eb732b9e140769dd48",
        "tuning",
    ),
    Repo(
        "zod", "typescript", "colinhacks/zod", "e516c3baf22615e20934116abebfed6c000222c2", "tuning"
    ),
    Repo(
        "graphql-js",
        "typescript",
        "graphql/graphql-js",
        "a7db60beb22b0e417f9ed12215945c7fcb43246e",
        "tuning",
    ),
    Repo("hono", "typescript", "honojs/hono", "28a9c128912de19f3fb28b00ae289c9b93f6f392", "tuning"),
    Repo(
        "class-validator",
        "typescript",
        "typestack/class-validator",
        "0853341cc36f53d54e5afb50800c3a4b169abd73",
        "tuning",
    ),
    Repo("mobx", "typescript", "mobxjs/mobx", "01211a698b64ea94de8e5f276ff8235fcf8ddf96", "tuning"),
    Repo(
        "jotai", "typescript", "pmndrs/jotai", "1fae77247ae72ab5f2f002dc82a876e61ce26f56", "tuning"
    ),
    Repo("h3", "typescript", "unjs/h3", "ac609aae8fa93947b564de55e2d1a6bec5ad18ad", "aside"),
    Repo(
        "immer", "typescript", "immerjs/immer", "061c2425e1c9dff89e4e4189d42af1b7839dfe0a", "tuning"
    ),
    Repo(
        "zustand",
        "typescript",
        "pmndrs/zustand",
        "f094eebe9bd3b4b0d77b997f69ab1d273f69a877",
        "tuning",
    ),
    Repo("cobra", "go", "spf13/cobra", "adbc8813901bba65827259daa8e22ff94ec1f30e", "tuning"),
    Repo("chi", "go", "go-chi/chi", "735ae2b87f8c733d616e809ae86e0985c1bc3350", "aside"),
    Repo("mux", "go", "gorilla/mux", "db9d1d0073d27a0a2d9a8c1bc52aa0af4374d265", "tuning"),
    Repo("gson", "java", "google/gson", "9835b6f90192f79cdf5300c528fc6212455fb6c1", "tuning"),
    Repo(
        "javapoet", "java", "square/javapoet", "b9017a9503b76e11b4ad4c1a9f050e2d29112cb0", "tuning"
    ),
    Repo("jsoup", "java", "jhy/jsoup", "46b620860af930eedc193a705eaf7cea5aec89a6", "tuning"),
    Repo(
        "kryo",
        "java",
        "EsotericSoftware/kryo",
        "055477133e2e6731b43367965b167508014b5050",
        "tuning",
    ),
    Repo(
        "commons-cli",
        "java",
        "apache/commons-cli",
        "0a68ae0e826bb08eb59bda9bae7ec5d84008b62a",
        "tuning",
    ),
    Repo(
        "jackson-core",
        "java",
        "FasterXML/jackson-core",
        "b367da1c30a25e99fbf2c30876e948b578c86846",
        "tuning",
    ),
    Repo(
        "classmate",
        "java",
        "FasterXML/java-classmate",
        "741f63d36dad585901f58835186f633b848ca8c7",
        "aside",
    ),
)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(cmd: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """A command under `nice` (the machine is shared); its failure stops the bench."""
    result = subprocess.run(["nice", *cmd], text=True, capture_output=True, **kwargs)
    if result.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{result.stdout[-2000:]}{result.stderr[-4000:]}")
    return result


def digest(*paths: Path) -> str:
    h = hashlib.sha256()
    for path in paths:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


# --- checkouts ---------------------------------------------------------------------


def checkout(repo: Repo, mirrors: Path) -> Path:
    """A work tree of the repository at its pinned commit."""
    dest = WORK / "repos" / repo.name
    if not (dest / ".git").exists():
        mirror = mirrors / repo.github.replace("/", "+") / "repo"
        if not mirror.exists():
            raise SystemExit(
                f"no checkout of {repo.github} in {dest} and no mirror at {mirror}: clone "
                f"https://github.com/{repo.github} there and check out {repo.sha}, or pass "
                "--mirrors DIR (DIR/OWNER+NAME/repo)"
            )
        log(f"{repo.name}: cloning {mirror}")
        dest.parent.mkdir(parents=True, exist_ok=True)
        run(["git", "clone", "-q", str(mirror), str(dest)])
    head = subprocess.run(
        ["git", "-C", str(dest), "rev-parse", "HEAD"], text=True, capture_output=True
    ).stdout.strip()
    if head != repo.sha:
        run(["git", "-C", str(dest), "checkout", "-q", "--detach", repo.sha])
    if repo.language == "typescript":
        link_workspaces(dest)
    return dest


def link_workspaces(root: Path) -> None:
    """node_modules/<name> -> the folder of each package.json of the repository, as a
    workspace install would, so imports of a sibling package reach its source."""
    modules = root / "node_modules"
    for manifest in sorted(root.rglob("package.json")):
        rel = manifest.relative_to(root)
        if "node_modules" in rel.parts or manifest.parent == root:
            continue
        try:
            name = json.loads(manifest.read_text()).get("name")
        except (ValueError, OSError):
            continue
        if not isinstance(name, str) or not name or ".." in name:
            continue
        link = modules / name
        if link.exists() or link.is_symlink():
            continue
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(os.path.relpath(manifest.parent, link.parent))


# --- oracle tools ------------------------------------------------------------------


def jedi_python() -> Path:
    venv = WORK / "tools" / "jedi"
    python = venv / "bin" / "python"
    if not python.exists():
        log("setting up a venv with jedi and parso")
        run([sys.executable, "-m", "venv", "--clear", str(venv)])
        run([str(python), "-m", "pip", "install", "-q", *JEDI])
    return python


def typescript_dir() -> Path:
    prefix = WORK / "tools" / "ts"
    if not (prefix / "node_modules" / "typescript" / "package.json").exists():
        if shutil.which("npm") is None:
            raise SystemExit("npm is needed for the TypeScript oracle (Debian: nodejs, npm)")
        log(f"installing typescript@{TYPESCRIPT} from npm")
        prefix.mkdir(parents=True, exist_ok=True)
        run(["npm", "install", "--prefix", str(prefix), "--no-audit", "--no-fund",
             f"typescript@{TYPESCRIPT}"])  # fmt: skip
    return prefix


def go_oracle() -> Path:
    if shutil.which("go") is None:
        raise SystemExit(
            "the Go oracle needs a Go toolchain: as root, `apt-get install -y golang-go`"
        )
    source = ORACLES / "go_oracle"
    binary = WORK / "tools" / f"go_oracle-{digest(source / 'main.go', source / 'go.mod')}"
    if not binary.exists():
        log("building the Go oracle")
        env = {**os.environ, "GOCACHE": str(WORK / "tools" / "gocache"), "GOPROXY": "off",
               "GOFLAGS": "-mod=mod", "CGO_ENABLED": "0"}  # fmt: skip
        run(["go", "build", "-o", str(binary), "."], cwd=source, env=env)
    return binary


def java_classes() -> Path:
    if shutil.which("javac") is None:
        raise SystemExit("the Java oracle needs a JDK 17 (`javac`): apt-get install openjdk-17-jdk")
    source = ORACLES / "JavacOracle.java"
    classes = WORK / "tools" / f"java-{digest(source)}"
    if not (classes / "JavacOracle.class").exists():
        log("compiling the Java oracle")
        run(["javac", "-d", str(classes), str(source)])
    return classes


def oracle_sources(language: str) -> list[Path]:
    return {
        "python": [ORACLES / "jedi_oracle.py"],
        "typescript": [ORACLES / "ts_oracle.js"],
        "go": [ORACLES / "go_oracle" / "main.go"],
        "java": [ORACLES / "JavacOracle.java"],
    }[language]


# --- the population and the oracle's answers --------------------------------------


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open() as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def population(repo: Repo, tree: Path, refresh: bool) -> list[dict[str, Any]]:
    """Every site of the repository, sorted by (path, line, col); for Python without
    answers (jedi answers them lazily, see :class:`JediAnswers`)."""
    folder = WORK / repo.name
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / "oracle.jsonl"
    meta_path = folder / "oracle.meta.json"
    meta = {"sha": repo.sha, "oracle": digest(*oracle_sources(repo.language))}
    fresh = out.exists() and meta_path.exists() and json.loads(meta_path.read_text()) == meta
    if refresh or not fresh:
        started = time.monotonic()
        log(f"{repo.name}: running the {repo.language} oracle")
        if repo.language == "python":
            cmd = [
                str(jedi_python()),
                str(ORACLES / "jedi_oracle.py"),
                "sites",
                str(tree),
                str(out),
            ]
        elif repo.language == "typescript":
            cmd = [
                "node",
                str(ORACLES / "ts_oracle.js"),
                str(typescript_dir()),
                str(tree),
                str(out),
            ]
        elif repo.language == "go":
            cmd = [str(go_oracle()), str(tree), str(out)]
        else:
            cmd = ["java", "-Xmx4g", "-cp", str(java_classes()), "JavacOracle", str(tree), str(out)]
        run(cmd)
        meta_path.write_text(json.dumps(meta))
        log(f"{repo.name}: oracle done in {time.monotonic() - started:.0f} s")
    unique: dict[tuple[str, int, int], dict[str, Any]] = {}
    for site in read_jsonl(out):
        unique.setdefault((site["path"], site["line"], site["col"]), site)
    return [unique[key] for key in sorted(unique)]


class JediAnswers:
    """jedi's answers, asked one site at a time from a long-lived `serve` process and
    cached in bench/out/resolution/NAME/jedi.jsonl (keyed by commit and driver)."""

    def __init__(self, repo: Repo, tree: Path, refresh: bool) -> None:
        self.repo, self.tree = repo, tree
        self.path = WORK / repo.name / "jedi.jsonl"
        self.meta = {"sha": repo.sha, "oracle": digest(*oracle_sources("python"))}
        meta_path = WORK / repo.name / "jedi.meta.json"
        self.cache: dict[tuple[str, int, int], dict[str, Any]] = {}
        if not refresh and meta_path.exists() and json.loads(meta_path.read_text()) == self.meta:
            if self.path.exists():
                for answer in read_jsonl(self.path):
                    self.cache[(answer["path"], answer["line"], answer["col"])] = answer
        else:
            self.path.unlink(missing_ok=True)
            meta_path.write_text(json.dumps(self.meta))
        self.process: subprocess.Popen[str] | None = None
        self.asked = 0

    def __call__(self, site: dict[str, Any]) -> dict[str, Any]:
        key = (site["path"], site["line"], site["col"])
        if key not in self.cache:
            if self.process is None:
                self.process = subprocess.Popen(
                    [
                        "nice",
                        str(jedi_python()),
                        str(ORACLES / "jedi_oracle.py"),
                        "serve",
                        str(self.tree),
                    ],  # fmt: skip
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    text=True,
                )
            assert self.process.stdin is not None and self.process.stdout is not None
            self.process.stdin.write(json.dumps(site) + "\n")
            self.process.stdin.flush()
            line = self.process.stdout.readline()
            if not line:
                raise SystemExit("the jedi oracle stopped; see its error above")
            answer = json.loads(line)
            with self.path.open("a") as handle:
                handle.write(json.dumps(answer) + "\n")
            self.cache[key] = answer
            self.asked += 1
            if self.asked % 200 == 0:
                log(f"{self.repo.name}: jedi answered {self.asked} new sites")
        return {**site, **self.cache[key]}

    def close(self) -> None:
        if self.process is not None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            self.process.wait()


@dataclass
class Sample:
    """The accepted sites of one repository and why the others were rejected."""

    accepted: list[dict[str, Any]] = field(default_factory=list)
    rejected: Counter[str] = field(default_factory=Counter)
    population: int = 0


def sample(sites: list[dict[str, Any]], answer: Any, n: int, seed: int) -> Sample:
    """Shuffle the sorted population with ``seed`` and walk it until ``n`` are accepted."""
    order = list(sites)
    random.Random(seed).shuffle(order)
    result = Sample(population=len(order))
    for site in order:
        answered = answer(site)
        if answered["status"] == "ok":
            result.accepted.append(answered)
            if len(result.accepted) >= n:
                break
        else:
            result.rejected[answered["status"]] += 1
    return result


# --- Symbiote's side ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Answer:
    """goto's answer at one site: how it resolved and its candidates, best first."""

    resolution: str
    candidates: tuple[dict[str, Any], ...]
    error: str | None = None


def symbiote_goto(index: Any, path: str, line: int, col: int, at: str) -> Answer:
    """The one place that knows goto's return shape (a ``Goto``: ``resolution`` and
    ``targets``, best first)."""
    try:
        result = index.goto(path, line, col, at=at)
    except Exception as exc:  # an unknown path etc.: a site with no answer, and why
        return Answer("error", (), f"{type(exc).__name__}: {exc}")
    resolution, symbols = result.resolution, result.targets
    candidates = tuple(
        {
            "path": s.path,
            "line": s.start_line,
            "qualified_name": s.qualified_name,
            "kind": s.kind,
        }
        for s in symbols
    )
    return Answer(str(resolution), candidates)


def store_path(repo: Repo) -> Path:
    return WORK / repo.name / "index.duckdb"


def index(repo: Repo, tree: Path) -> float:
    started = time.monotonic()
    index_repository(tree, store_path(repo), IndexOptions(refs=("HEAD",), history=0))
    return time.monotonic() - started


def matches(candidate: dict[str, Any], target: dict[str, Any]) -> bool:
    return candidate["path"] == target["path"] and candidate["line"] in target["lines"]


def rank_of(answer: Answer, target: dict[str, Any]) -> int | None:
    for i, candidate in enumerate(answer.candidates):
        if matches(candidate, target):
            return i + 1
    return None


class NameBaseline:
    """What a name search alone gives: a definition with the site's name in the same
    file, else the first one in path order (grep's answer); the ratio's baseline."""

    def __init__(self, symbols: Iterable[Any]) -> None:
        self.by_name: dict[str, list[Any]] = defaultdict(list)
        for s in sorted(symbols, key=lambda s: (s.path, s.start_line)):
            self.by_name[s.name].append(s)

    def agrees(self, site: dict[str, Any]) -> bool:
        found = self.by_name.get(site["name"], [])
        same_file = [s for s in found if s.path == site["path"]]
        first = (same_file or found or [None])[0]
        return first is not None and matches(
            {"path": first.path, "line": first.start_line}, site["target"]
        )


def source_line(tree: Path, path: str, line: int) -> str:
    try:
        lines = (tree / path).read_bytes().split(b"\n")
        return lines[line - 1].decode("utf-8", "replace").rstrip("\r")
    except (OSError, IndexError):
        return ""


def evaluate(repo: Repo, tree: Path, picked: Sample) -> list[dict[str, Any]]:
    """goto at every accepted site; one record per site."""
    seconds = index(repo, tree)
    log(f"{repo.name}: indexed in {seconds:.1f} s")
    records = []
    with open_index(tree, store=store_path(repo)) as idx:
        sha = idx.resolve("HEAD").sha
        if sha != repo.sha:
            raise SystemExit(f"{repo.name}: the index's HEAD is {sha}, not {repo.sha}")
        baseline = NameBaseline(idx.symbols(at=sha))
        for site in picked.accepted:
            answer = symbiote_goto(idx, site["path"], site["line"], site["col"], sha)
            rank = rank_of(answer, site["target"])
            records.append(
                {
                    "repo": repo.name,
                    "language": repo.language,
                    "role": repo.role,
                    "path": site["path"],
                    "line": site["line"],
                    "col": site["col"],
                    "name": site.get("name") or site["target"]["name"],
                    "receiver": site["receiver"],
                    "target": site["target"],
                    "resolution": answer.resolution,
                    "answers": list(answer.candidates[:10]),
                    "answer_count": len(answer.candidates),
                    "error": answer.error,
                    "agree": rank == 1,
                    "rank": rank,
                    "baseline_agree": baseline.agrees(site),
                    "source": source_line(tree, site["path"], site["line"]),
                }
            )
    return records


# --- figures -----------------------------------------------------------------------


def receiver_group(receiver: str | None) -> str:
    if receiver is None:
        return "plain"
    return "member" if receiver in ("self", "value") else "static"


def margin(hits: int, n: int) -> float | None:
    """Half the width of the 95 % Wilson interval of ``hits / n``: how far a figure can
    move by the luck of the sample (about 5 points at 300 sites)."""
    if n == 0:
        return None
    z, p = 1.96, hits / n
    return round(z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n), 4)


def figures(records: list[dict[str, Any]]) -> dict[str, Any]:
    n = len(records)
    names = [r for r in records if r["resolution"] == "name"]

    def share(rows: list[dict[str, Any]], key: str) -> float | None:
        return round(sum(bool(r[key]) for r in rows) / len(rows), 4) if rows else None

    by_label: dict[str, Any] = {}
    for label in sorted({r["resolution"] for r in records}):
        rows = [r for r in records if r["resolution"] == label]
        by_label[label] = {"sites": len(rows), "top1": share(rows, "agree")}
    by_receiver: dict[str, Any] = {}
    for group in ("plain", "static", "member"):
        rows = [r for r in records if receiver_group(r["receiver"]) == group]
        by_receiver[group] = {"sites": len(rows), "top1": share(rows, "agree")}
    return {
        "sites": n,
        "top1": share(records, "agree"),
        "top1_margin": margin(sum(r["agree"] for r in records), n),
        "no_answer": round(sum(not r["answers"] for r in records) / n, 4) if n else None,
        "recall5_name": (
            round(sum(1 for r in names if r["rank"] is not None and r["rank"] <= 5) / len(names), 4)
            if names
            else None
        ),
        "name_sites": len(names),
        "baseline_top1": share(records, "baseline_agree"),
        "by_resolution": by_label,
        "by_receiver": by_receiver,
    }


def verdicts(language: str, fig: dict[str, Any]) -> list[str]:
    out = []
    checks = (
        ("top1", fig["top1"], TOP1_TARGET[language], ">="),
        ("no-answer", fig["no_answer"], NO_ANSWER_MAX, "<="),
        ("recall@5(name)", fig["recall5_name"], RECALL5_MIN, ">="),
    )
    for label, value, target, op in checks:
        if value is None:
            out.append(f"{label} n/a")
            continue
        ok = value >= target if op == ">=" else value <= target
        out.append(f"{label} {value:.3f} {op} {target:.2f} {'PASS' if ok else 'FAIL'}")
    return out


def pct(value: float | None) -> str:
    return "   -  " if value is None else f"{value * 100:5.1f}%"


def print_figures(title: str, language: str, fig: dict[str, Any], rejected: Counter[str]) -> None:
    base = fig["baseline_top1"]
    ratio = f"{fig['top1'] / base:.2f}x" if base and fig["top1"] is not None else "-"
    print(f"\n{title}: {fig['sites']} sites")
    print(
        f"  top-1 {pct(fig['top1'])} (±{(fig['top1_margin'] or 0) * 100:.1f})  "
        f"no answer {pct(fig['no_answer'])}  "
        f"recall@5 of name {pct(fig['recall5_name'])} ({fig['name_sites']} sites)  "
        f"name-only baseline {pct(base)} (top-1 = {ratio} baseline)"
    )
    print("  targets: " + " | ".join(verdicts(language, fig)))
    labels = "  ".join(
        f"{label} {v['sites']} ({pct(v['top1']).strip()})"
        for label, v in fig["by_resolution"].items()
    )
    print(f"  by resolution: {labels}")
    groups = "  ".join(
        f"{group} {v['sites']} ({pct(v['top1']).strip()})"
        for group, v in fig["by_receiver"].items()
    )
    print(f"  by site: {groups}   (member = x.f / self.f on a value; static = module/class.f)")
    if rejected:
        total = sum(rejected.values())
        parts = "  ".join(f"{k} {rejected.get(k, 0)}" for k in REJECTIONS)
        print(f"  rejected while sampling: {total} ({parts})")


def print_table(repos: list[Repo], results: dict[str, Any]) -> None:
    """One line per repository: the three figures the issue sets targets for."""
    print(f"\n{'role':7} {'language':11} {'repository':11} {'sites':>5} {'top-1':>7} "
          f"{'target':>6} {'no ans':>7} {'rec@5':>7} {'base':>7}  verdict")  # fmt: skip
    for repo in sorted(repos, key=lambda r: (r.role != "tuning", r.language)):
        fig = results[repo.name]
        passed = all(v.endswith("PASS") for v in verdicts(repo.language, fig) if "n/a" not in v)
        print(
            f"{repo.role:7} {repo.language:11} {repo.name:11} {fig['sites']:5} "
            f"{pct(fig['top1']):>7} {TOP1_TARGET[repo.language]:6.2f} {pct(fig['no_answer']):>7} "
            f"{pct(fig['recall5_name']):>7} {pct(fig['baseline_top1']):>7}  "
            + ("PASS" if passed else "FAIL")
        )


def list_misses(records: list[dict[str, Any]], count: int) -> None:
    misses = [r for r in records if not r["agree"]]
    print(f"\n{min(count, len(misses))} of {len(misses)} misses (tuning repositories)")
    for r in misses[:count]:
        t = r["target"]
        first = r["answers"][0] if r["answers"] else None
        ours = f"{first['path']}:{first['line']} {first['qualified_name']}" if first else "nothing"
        rank = f"rank {r['rank']}" if r["rank"] else "not among them"
        print(
            f"\n{r['repo']} {r['path']}:{r['line']}:{r['col']} {r['name']!r} "
            f"[{receiver_group(r['receiver'])}] {r['resolution']}, "
            f"{r['answer_count']} answers, {rank}"
        )
        print(f"  | {r['source'].strip()}")
        print(f"  oracle:   {t['path']}:{t['line']} {t['name']} ({t['kind']})")
        print(f"  symbiote: {ours}" + (f"  [{r['error']}]" if r["error"] else ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--language", action="append", choices=sorted(TOP1_TARGET))
    parser.add_argument("--repo", action="append", choices=[r.name for r in REPOS])
    parser.add_argument("--role", choices=("tuning", "aside", "all"), default="all")
    parser.add_argument(
        "-n", "--sites", type=int, default=300, help="accepted sites per repository"
    )
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--mirrors", type=Path, default=MIRRORS)
    parser.add_argument(
        "--refresh-oracle", action="store_true", help="recompute cached oracle answers"
    )
    parser.add_argument("--list-misses", type=int, default=0, metavar="N")
    parser.add_argument(
        "--include-aside", action="store_true", help="--list-misses also lists aside misses"
    )
    args = parser.parse_args(argv)

    repos = [
        r
        for r in REPOS
        if (not args.language or r.language in args.language)
        and (not args.repo or r.name in args.repo)
        and (args.role == "all" or r.role == args.role)
    ]
    if not repos:
        parser.error("no repository matches")
    WORK.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {}
    all_records: list[dict[str, Any]] = []
    samples: dict[str, Sample] = {}
    for repo in repos:
        tree = checkout(repo, args.mirrors)
        sites = population(repo, tree, args.refresh_oracle)
        if repo.language == "python":
            jedi = JediAnswers(repo, tree, args.refresh_oracle)
            try:
                picked = sample(sites, jedi, args.sites, args.seed)
            finally:
                jedi.close()
        else:
            picked = sample(sites, lambda site: site, args.sites, args.seed)
        if len(picked.accepted) < args.sites:
            log(f"{repo.name}: only {len(picked.accepted)} sites accepted of {picked.population}")
        records = evaluate(repo, tree, picked)
        with (WORK / f"sites-{repo.name}.jsonl").open("w") as handle:
            for record in records:
                handle.write(json.dumps(record) + "\n")
        samples[repo.name] = picked
        all_records.extend(records)
        results[repo.name] = {
            "language": repo.language,
            "role": repo.role,
            "github": repo.github,
            "sha": repo.sha,
            "population": picked.population,
            "rejected": dict(picked.rejected),
            **figures(records),
        }

    print(
        f"goto's first answer against the oracles "
        f"(seed {args.seed}, {args.sites} sites a repository)"
    )
    for role in ("tuning", "aside"):
        chosen = [r for r in repos if r.role == role]
        if not chosen:
            continue
        print(
            f"\n=== {role} "
            + ("(tune on these)" if role == "tuning" else "(held out: do not study its misses)")
        )
        for language in sorted({r.language for r in chosen}):
            for repo in [r for r in chosen if r.language == language]:
                fig = results[repo.name]
                print_figures(
                    f"{language} / {repo.name} ({repo.github}@{repo.sha[:12]})",
                    language,
                    fig,
                    samples[repo.name].rejected,
                )
            in_language = [r for r in chosen if r.language == language]
            if len(in_language) > 1:
                rows = [x for x in all_records if x["role"] == role and x["language"] == language]
                rejected: Counter[str] = Counter()
                for r in in_language:
                    rejected.update(samples[r.name].rejected)
                print_figures(f"{language} ({role}, all)", language, figures(rows), rejected)
    print_table(repos, results)
    # A run over some repositories updates their entries and keeps the others'.
    summary_path = WORK / "summary.json"
    previous = json.loads(summary_path.read_text()) if summary_path.exists() else {}
    same_run = previous.get("seed") == args.seed and previous.get("sites_per_repo") == args.sites
    summary = {
        "seed": args.seed,
        "sites_per_repo": args.sites,
        "targets": {
            "top1": TOP1_TARGET,
            "no_answer_max": NO_ANSWER_MAX,
            "recall5_min": RECALL5_MIN,
        },
        "repositories": {**(previous.get("repositories", {}) if same_run else {}), **results},
    }
    summary_path.write_text(json.dumps(summary, indent=2) + "\n")
    print(f"\nper-site details: {WORK.relative_to(ROOT)}/sites-NAME.jsonl; figures: summary.json")
    if args.list_misses:
        studied = [r for r in all_records if r["role"] == "tuning" or args.include_aside]
        list_misses(studied, args.list_misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
