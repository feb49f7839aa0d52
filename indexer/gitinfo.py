"""What the git boundary (:mod:`symbiote.indexer.gitrepo`) reads, as plain values: commits,
tree entries, changed files and refs. Nothing here imports GitPython."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

MODE_TREE = 0o040000
MODE_LINK = 0o120000
MODE_SUBMODULE = 0o160000

# Entry kinds of a tree, as stored.
KIND_BLOB = "blob"
KIND_TREE = "tree"
KIND_LINK = "link"  # a symlink: the blob holds the target path
KIND_SUBMODULE = "submodule"  # a gitlink: the object is a commit of another repository


@dataclass(frozen=True, slots=True)
class CommitInfo:
    """Metadata of one commit."""

    sha: str
    tree: str
    parents: tuple[str, ...]
    author_name: str
    author_email: str
    author_time: datetime
    committer_name: str
    committer_email: str
    committer_time: datetime
    message: str


@dataclass(frozen=True, slots=True)
class TreeEntry:
    """One entry of a git tree."""

    name: str  # decoded; undecodable bytes appear as \\xNN escapes
    raw_name: bytes | None  # the exact bytes, only when they are not valid UTF-8
    mode: int
    kind: str  # KIND_BLOB, KIND_TREE, KIND_LINK or KIND_SUBMODULE
    sha: str


@dataclass(frozen=True, slots=True)
class FileChange:
    """One file that differs between a commit and its first parent (a side that has no
    file, or holds a submodule, is None)."""

    path: str  # decoded like tree entry names
    before: tuple[str, str] | None  # (kind, blob sha) in the first parent
    after: tuple[str, str] | None  # (kind, blob sha) in the commit


@dataclass(frozen=True, slots=True)
class RefInfo:
    """A ref and the commit it points to (tags peeled)."""

    name: str  # full name: refs/heads/main, refs/tags/v1, HEAD
    short_name: str  # main, v1, HEAD
    kind: str  # branch, tag, remote, head, other
    commit: str
