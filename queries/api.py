"""The read API: ``open_index(...)`` and the :class:`Index` it returns."""

from __future__ import annotations

import os
import re
from pathlib import Path

from indexer.errors import NotIndexed, QueryError, StoreError, UnknownPath, UnknownRevision
from indexer.location import default_store_path, find_git_dir
from queries.models import CommitRef, RefState, RepositoryStatus, Symbol
from queries.reader import Reader

_REV = re.compile(r"^(?P<base>.+?)(?P<suffix>(?:[~^][0-9]*)*)$")
_HEX = re.compile(r"^[0-9a-fA-F]{4,40}$")

_SYMBOL_COLUMNS = (
    "f.path, s.blob, s.language, s.name, s.qualified_name, s.kind, s.parent, s.start_line, "
    "s.end_line, s.start_col, s.end_col, s.start_byte, s.end_byte, s.signature, s.docstring, "
    "s.body_hash"
)


def open_index(
    repo: str | os.PathLike[str] | None = None, *, store: str | os.PathLike[str] | None = None
) -> Index:
    """Open the index of ``repo`` (default: the current directory) for reading.

    ``store`` names the DuckDB file explicitly; otherwise it is found the way the indexer
    places it (``$SYMBIOTE_STORE`` or ``.git/symbiote/index.duckdb``).
    """
    repo_path = Path(repo if repo is not None else ".").resolve()
    if store is not None:
        store_path = Path(store).resolve()
    else:
        git_dir = find_git_dir(repo_path)
        if git_dir is None:
            raise StoreError(f"{repo_path} is not a git repository; pass store= explicitly")
        store_path = default_store_path(git_dir)
    return Index(Reader(store_path), repo_path if repo is not None or store is None else None)


class Index:
    """Read access to one store, scoped to one repository of it."""

    def __init__(self, reader: Reader, repo_path: Path | None) -> None:
        self._reader = reader
        self.repo_id = self._choose_repository(repo_path)

    def close(self) -> None:
        """Release the store."""
        self._reader.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _choose_repository(self, repo_path: Path | None) -> int:
        repos = self._reader.rows("SELECT id, path FROM repositories ORDER BY id")
        if not repos:
            raise StoreError(f"the index {self._reader.path} holds no repository yet")
        if repo_path is not None:
            for repo_id, path in repos:
                if Path(path) == repo_path:
                    return int(repo_id)
            if len(repos) > 1:
                raise StoreError(f"{repo_path} is not indexed in {self._reader.path}")
        if len(repos) > 1:
            listed = ", ".join(str(p) for _, p in repos)
            raise StoreError(f"the index holds several repositories ({listed}); name one")
        return int(repos[0][0])

    # ---- revisions

    def resolve(self, rev: str = "HEAD") -> CommitRef:
        """The indexed commit ``rev`` names: a ref (``main``, ``refs/tags/v1``, ``HEAD``),
        a sha or unique sha prefix, optionally followed by ``~N`` / ``^N``."""
        match = _REV.match(rev or "")
        if match is None or rev.startswith("-"):
            raise UnknownRevision(f"not a valid revision: {rev!r}")
        sha = self._resolve_base(match.group("base"))
        for step in re.findall(r"[~^][0-9]*", match.group("suffix")):
            count = int(step[1:]) if len(step) > 1 else 1
            if step[0] == "~":
                for _ in range(count):
                    sha = self._parent(sha, 1, rev)
            elif count:
                sha = self._parent(sha, count, rev)
        return CommitRef(self.repo_id, sha, rev)

    def _resolve_base(self, base: str) -> str:
        row = self._reader.scalar(
            "SELECT min(commit) FROM refs WHERE repo_id = ? AND (name = ? OR short_name = ?)",
            [self.repo_id, base, base],
        )
        if row is not None:
            return str(row)
        if _HEX.match(base):
            shas = self._reader.rows(
                "SELECT sha FROM commits WHERE repo_id = ? AND starts_with(sha, ?) LIMIT 2",
                [self.repo_id, base.lower()],
            )
            if len(shas) == 1:
                return str(shas[0][0])
            if len(shas) > 1:
                raise UnknownRevision(f"sha prefix {base!r} is ambiguous; give more digits")
            raise NotIndexed(
                f"commit {base} is not indexed (or does not exist); "
                "run `symbiote index` with the refs that contain it"
            )
        raise UnknownRevision(f"unknown revision {base!r}: no such ref in the index")

    def _parent(self, sha: str, number: int, rev: str) -> str:
        parents = self._reader.scalar(
            "SELECT parents FROM commits WHERE repo_id = ? AND sha = ?", [self.repo_id, sha]
        )
        if parents is None or len(parents) < number:
            raise UnknownRevision(f"{rev!r}: commit {sha[:12]} has no parent {number}")
        parent = str(parents[number - 1])
        indexed = self._reader.scalar(
            "SELECT count(*) FROM commits WHERE repo_id = ? AND sha = ?", [self.repo_id, parent]
        )
        if not indexed:
            raise NotIndexed(f"{rev!r} is commit {parent}, which is not indexed")
        return parent

    # ---- symbols

    def symbols(self, at: str = "HEAD", *, path: str | None = None) -> list[Symbol]:
        """Definitions at a commit, optionally in one file (or under one folder)."""
        commit = self.resolve(at)
        sql = (
            f"SELECT {_SYMBOL_COLUMNS} FROM files_at(?, repo := ?) f "
            "JOIN code_symbols s ON s.blob = f.blob AND s.language = f.language"
        )
        params: list[object] = [commit.sha, self.repo_id]
        if path is not None:
            clean = path.strip("/")
            if not self._path_exists(commit.sha, clean):
                raise UnknownPath(f"{path!r} is not in commit {commit.sha[:12]} ({at})")
            sql += " WHERE f.path = ? OR starts_with(f.path, ?)"
            params += [clean, clean + "/"]
        sql += " ORDER BY f.path, s.start_byte, s.idx"
        return [Symbol(commit.sha, *row) for row in self._reader.rows(sql, params)]

    def _path_exists(self, sha: str, path: str) -> bool:
        found = self._reader.scalar(
            "SELECT count(*) FROM files_at(?, repo := ?) f "
            "WHERE f.path = ? OR starts_with(f.path, ?)",
            [sha, self.repo_id, path, path + "/"],
        )
        return bool(found)

    # ---- status

    def status(self) -> RepositoryStatus:
        """What is indexed for this repository."""
        repo = self._reader.rows(
            "SELECT path, indexed_at FROM repositories WHERE id = ?", [self.repo_id]
        )
        if not repo:
            raise QueryError(f"repository {self.repo_id} is not in the index")
        refs = [
            RefState(str(n), str(k), str(c))
            for n, k, c in self._reader.rows(
                "SELECT name, kind, commit FROM refs WHERE repo_id = ? "
                "ORDER BY kind <> 'head', name",
                [self.repo_id],
            )
        ]
        commits = int(
            self._reader.scalar("SELECT count(*) FROM commits WHERE repo_id = ?", [self.repo_id])
        )
        statuses = {
            str(s): int(n)
            for s, n in self._reader.rows(
                "SELECT status, count(*) FROM blobs GROUP BY status ORDER BY status"
            )
        }
        symbols = int(self._reader.scalar("SELECT count(*) FROM code_symbols"))
        references = int(self._reader.scalar("SELECT count(*) FROM code_references"))
        return RepositoryStatus(
            self.repo_id, str(repo[0][0]), repo[0][1], commits, refs, statuses, symbols, references
        )
