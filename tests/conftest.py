"""Shared fixtures: hermetic git repositories built per test with the real ``git``."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.hermetic import HERMETIC_ENV


@pytest.fixture(autouse=True)
def hermetic_git(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test sees git without user or system configuration."""
    for key, value in HERMETIC_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("SYMBIOTE_STORE", raising=False)


class GitRepo:
    """A git repository in a temp dir with fixed identities and dates, so shas are stable."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._tick = 0
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, env: dict[str, str] | None = None) -> str:
        full_env = {**os.environ, **HERMETIC_ENV, **(env or {})}
        result = subprocess.run(
            ["git", *args], cwd=self.path, env=full_env, check=True, capture_output=True
        )
        return result.stdout.decode("utf-8", errors="replace").strip()

    def write(self, rel: str, content: str | bytes) -> None:
        target = self.path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode() if isinstance(content, str) else content)

    def remove(self, rel: str) -> None:
        self.git("rm", "-q", "-r", "--", rel)

    def commit(self, message: str, *, allow_empty: bool = False) -> str:
        self._tick += 1
        date = f"2024-01-01T00:{self._tick // 60:02d}:{self._tick % 60:02d}+00:00"
        self.git("add", "-A")
        args = ["commit", "-q", "-m", message]
        if allow_empty:
            args.append("--allow-empty")
        self.git(*args, env={"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date})
        return self.git("rev-parse", "HEAD")

    def head(self) -> str:
        return self.git("rev-parse", "HEAD")


@pytest.fixture
def make_repo(tmp_path: Path) -> Iterator[type[GitRepo] | object]:
    """A factory: ``make_repo("name")`` builds an empty repository under tmp_path."""

    def build(name: str = "repo") -> GitRepo:
        return GitRepo(tmp_path / name)

    yield build


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/*.json from the answers of this run",
    )
