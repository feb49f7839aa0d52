"""Where a repository's store lives (shared by the write and read sides).

By default inside the repository's git directory (``.git/symbiote/index.duckdb``), so
the working tree stays clean; ``$SYMBIOTE_STORE`` or an explicit path overrides it.
"""

from __future__ import annotations

import os
from pathlib import Path

from symbiote.indexer.errors import NotIndexed

STORE_ENV = "SYMBIOTE_STORE"


def find_git_dir(repo: str | os.PathLike[str]) -> Path | None:
    """The git directory of a working tree, worktree or bare repository, or None."""
    root = Path(repo).resolve()
    dot_git = root / ".git"
    if dot_git.is_dir():
        return dot_git
    if dot_git.is_file():  # a worktree or submodule: "gitdir: <path>"
        text = dot_git.read_text("utf-8", errors="replace").strip()
        if text.startswith("gitdir:"):
            target = Path(text[len("gitdir:") :].strip())
            return (root / target).resolve() if not target.is_absolute() else target
    if (root / "HEAD").is_file() and (root / "objects").is_dir():
        return root
    return None


def default_store_path(git_dir: Path) -> Path:
    """The store of the repository whose git directory is ``git_dir``."""
    env = os.environ.get(STORE_ENV)
    if env:
        return Path(env).expanduser().resolve()
    return git_dir / "symbiote" / "index.duckdb"


def store_of(repo: str | os.PathLike[str], store: str | os.PathLike[str] | None = None) -> Path:
    """``store`` if given, else the default store of ``repo``."""
    if store:
        return Path(store)
    git_dir = find_git_dir(repo)
    if git_dir is None:
        raise NotIndexed(f"{repo} is not a git repository; pass the store explicitly")
    return default_store_path(git_dir)
