"""The repository the fault-injection bench kills runs on: a multi-language history on
``main`` (Python, JavaScript, Go and Rust files rewritten over many commits), a
``feature`` branch and a ``v1`` tag, built with the real ``git`` under a hermetic
environment so its shas are stable."""

from __future__ import annotations

import os
import random
import subprocess
from dataclasses import dataclass
from pathlib import Path

from harness.hermetic import HERMETIC_ENV


@dataclass(frozen=True, slots=True)
class RepoShape:
    """The generated repository."""

    commits: int = 40  # commits on main (a branch and a tag come on top)
    files: int = 10  # files per language (Python, JavaScript, Go, Rust)
    definitions: int = 10  # functions per file, plus one class or type
    touched: int = 6  # files rewritten by each commit


_LANGUAGES = ("py", "js", "go", "rs")


def _source(ext: str, stem: str, defs: int, version: int) -> str:
    if ext == "py":
        body = [
            f'def {stem}_{j}(items):\n    """Scale step {j} of {stem}."""\n'
            f"    return [x * {j + version} for x in items if x > {j}]\n"
            for j in range(defs)
        ]
        body.append(f"class {stem.title()}:\n    def run(self, n):\n        return n + {version}\n")
    elif ext == "js":
        body = [
            f"function {stem}_{j}(items) {{\n"
            f"  return items.filter((x) => x > {j}).map((x) => x * {j + version});\n}}\n"
            for j in range(defs)
        ]
        body.append(f"class {stem.title()} {{\n  run(n) {{\n    return n + {version};\n  }}\n}}\n")
    elif ext == "go":
        body = ["package gen\n"] + [
            f"func {stem.title()}{j}(items []int) []int {{\n\tout := []int{{}}\n"
            f"\tfor _, x := range items {{\n\t\tif x > {j} {{\n"
            f"\t\t\tout = append(out, x*{j + version})\n\t\t}}\n\t}}\n\treturn out\n}}\n"
            for j in range(defs)
        ]
        body.append(f"type {stem.title()} struct {{\n\tN int // {version}\n}}\n")
    else:
        body = [
            f"pub fn {stem}_{j}(items: &[i64]) -> Vec<i64> {{\n"
            f"    items.iter().filter(|x| **x > {j}).map(|x| x * {j + version}).collect()\n}}\n"
            for j in range(defs)
        ]
        body.append(f"pub struct {stem.title()} {{\n    n: i64, // {version}\n}}\n")
    return "\n".join(body)


class _Repo:
    """A git repository with fixed identities and dates (stable shas)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._tick = 0
        path.mkdir(parents=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, env: dict[str, str] | None = None) -> None:
        full = {**os.environ, **HERMETIC_ENV, **(env or {})}
        subprocess.run(["git", *args], cwd=self.path, env=full, check=True, capture_output=True)

    def write(self, rel: str, text: str) -> None:
        target = self.path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)

    def commit(self, message: str) -> None:
        self._tick += 1
        date = f"2024-01-01T{self._tick // 3600:02d}:{self._tick // 60 % 60:02d}:00+00:00"
        self.git("add", "-A")
        dates = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        self.git("commit", "-q", "-m", message, env=dates)


def build_repo(path: Path, shape: RepoShape, seed: int) -> None:
    """A multi-language history on main, a ``feature`` branch and a ``v1`` tag."""
    rng = random.Random(seed)
    repo = _Repo(path)
    names = [f"{ext}/m{i}/mod{i}.{ext}" for ext in _LANGUAGES for i in range(shape.files)]

    def touch(rel: str, version: int) -> None:
        ext = rel.rsplit(".", 1)[1]
        stem = f"{ext}_mod{rel.rsplit('mod', 1)[1].split('.')[0]}"
        repo.write(rel, _source(ext, stem, shape.definitions, version))

    for rel in names:
        touch(rel, 0)
    repo.write("README.md", "# generated\n")
    repo.commit("initial")
    for n in range(1, shape.commits):
        for rel in rng.sample(names, min(shape.touched, len(names))):
            touch(rel, n)
        repo.commit(f"commit {n}")
        if n == shape.commits // 2:
            repo.git("tag", "v1")
    repo.git("checkout", "-q", "-b", "feature", "HEAD~1")
    for n in range(2):
        for rel in rng.sample(names, 2):
            touch(rel, 1000 + n)
        repo.commit(f"feature {n}")
    repo.git("checkout", "-q", "main")
