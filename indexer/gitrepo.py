"""The git boundary: the only module that imports GitPython.

Bulk reads go through git's own streaming interfaces, as measured fastest: one streamed
``git log`` for commit metadata and GitPython's persistent ``git cat-file --batch`` for
trees and blobs. Nothing here passes user input through a shell, and a revision that
looks like an option (``--upload-pack=...``) is rejected before git sees it.

No git process started here fetches anything (see :data:`NO_FETCH_ENV`): an object the
repository lacks (a partial clone, a pruned object) is reported missing, never fetched.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import git
import git.exc

from symbiote.indexer.errors import RepositoryError, UnknownRevision
from symbiote.indexer.gitinfo import (
    KIND_BLOB,
    KIND_LINK,
    KIND_SUBMODULE,
    KIND_TREE,
    MODE_LINK,
    MODE_SUBMODULE,
    MODE_TREE,
    CommitInfo,
    FileChange,
    RefInfo,
    TreeEntry,
)

log = logging.getLogger(__name__)

_FIELD = b"\x1f"
_RECORD = b"\x1e"
_LOG_FORMAT = "%H%x1f%T%x1f%P%x1f%an%x1f%ae%x1f%at%x1f%ai%x1f%cn%x1f%ce%x1f%ct%x1f%ci%x1f%B%x1e"
_SAFE_REV = re.compile(r"^[^\s\x00-\x1f\x7f~^:?*\[\\]+(?:[~^][0-9]*)*$")


def check_revision(rev: str) -> str:
    """Reject revision strings that git could read as an option or a pathspec."""
    if not rev or rev.startswith("-") or not _SAFE_REV.match(rev) or ".." in rev:
        raise UnknownRevision(f"not a valid revision name: {rev!r}")
    return rev


# git keeps up to 96 MiB of delta bases per process by default. An index run has a
# persistent ``cat-file`` in the parent and in every parser worker, so that default alone
# was ~300 MiB of its peak memory; 16 MiB measured no slower on sqlalchemy's history.
DELTA_BASE_CACHE = "16m"

# The environment of every git process started here (the persistent cat-files of the
# parent and of each worker, log, rev-list, rev-parse...): in a partial clone, git fetches
# an object it lacks from the promisor remote on its own ("lazy fetch"). Two locks (see
# docs/design.md, "Missing objects"): GIT_NO_LAZY_FETCH=1 makes git give up instead (it
# came with the CVE-2024-32004 fixes; the 2.39.5 here has it), and an empty
# GIT_ALLOW_PROTOCOL allows no transport at all, for a git without the first. Giving up,
# `cat-file --batch` dies instead of answering "missing": hence :meth:`absent`.
NO_FETCH_ENV = {"GIT_NO_LAZY_FETCH": "1", "GIT_ALLOW_PROTOCOL": ""}


class GitRepository:
    """A git repository opened for reading."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        try:
            self._repo = git.Repo(os.fspath(path), search_parent_directories=False)
        except (git.exc.NoSuchPathError, git.exc.InvalidGitRepositoryError) as exc:
            raise RepositoryError(f"not a git repository: {path}") from exc
        self.git_dir = Path(self._repo.git_dir).resolve()
        work = self._repo.working_tree_dir
        if Path(path).resolve() == self.git_dir:
            # A bare repository without a config file (as mirrors often are): GitPython
            # takes its parent for a working tree, so point git at the git dir itself.
            self._repo.git = git.Git(str(self.git_dir))
            self._repo.odb = git.db.GitCmdObjectDB(str(self.git_dir / "objects"), self._repo.git)
            work = None
        self.root = Path(work).resolve() if work is not None else self.git_dir
        self._repo.git.set_persistent_git_options(c=f"core.deltaBaseCacheLimit={DELTA_BASE_CACHE}")
        self._repo.git.update_environment(**NO_FETCH_ENV)

    def close(self) -> None:
        """Stop the persistent git processes."""
        self._repo.close()

    def __enter__(self) -> GitRepository:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- refs and revisions

    def is_empty(self) -> bool:
        """True when the repository has no commit reachable from any ref."""
        try:
            out = self._repo.git.for_each_ref("--count=1", "--format=%(objectname)")
        except git.exc.GitCommandError as exc:
            raise RepositoryError(f"cannot list refs: {exc.stderr.strip()}") from exc
        return not out.strip() and not self._head_valid()

    def _head_valid(self) -> bool:
        try:
            self._repo.git.rev_parse("--verify", "--quiet", "HEAD^{commit}")
        except git.exc.GitCommandError:
            return False
        return True

    def resolve(self, rev: str) -> str:
        """The full commit sha that ``rev`` names; :class:`UnknownRevision` if none."""
        check_revision(rev)
        try:
            out = self._repo.git.rev_parse(
                "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"
            )
        except git.exc.GitCommandError as exc:
            raise UnknownRevision(f"unknown revision {rev!r} in {self.root}") from exc
        return str(out).strip()

    def head_branch(self) -> str | None:
        """The branch HEAD points to (``refs/heads/main``), or None when detached."""
        try:
            out = self._repo.git.symbolic_ref("--quiet", "HEAD")
        except git.exc.GitCommandError:
            return None
        return str(out).strip() or None

    def refs(self) -> list[RefInfo]:
        """Every ref with the commit it points to (tags peeled), HEAD first if valid."""
        fmt = "%(refname)%00%(objectname)%00%(*objectname)%00%(objecttype)%00%(*objecttype)"
        try:
            out = self._repo.git.for_each_ref(f"--format={fmt}")
        except git.exc.GitCommandError as exc:
            raise RepositoryError(f"cannot list refs: {exc.stderr.strip()}") from exc
        refs: list[RefInfo] = []
        if self._head_valid():
            refs.append(RefInfo("HEAD", "HEAD", "head", self.resolve("HEAD")))
        for line in str(out).splitlines():
            name, obj, peeled, objtype, peeledtype = line.split("\0")
            commit = peeled if peeled else obj
            kind_of_object = peeledtype if peeled else objtype
            if kind_of_object != "commit":
                continue  # tags of trees or blobs point at no commit
            refs.append(RefInfo(name, _short(name), _ref_kind(name), commit))
        return refs

    def watched(self) -> tuple[list[Path], list[Path]]:
        """What a watch of the working tree looks at besides its files: the git
        directories (this one, and the common one of linked worktrees), and the folders
        git ignores as a whole (not watched)."""
        cmd = ["git", "ls-files", "-z", "--others", "--ignored", "--exclude-standard"]
        try:
            out = self._repo.git.execute([*cmd, "--directory"], stdout_as_string=False)
        except git.exc.GitCommandError as exc:
            raise RepositoryError(f"git ls-files failed: {exc.stderr.strip()}") from exc
        ignored = [self.root / os.fsdecode(p) for p in bytes(out).split(b"\0") if p[-1:] == b"/"]
        return sorted({self.git_dir, Path(self._repo.common_dir).resolve()}), ignored

    def status(self) -> bytes:
        """``git status -z --porcelain=v2 --branch --untracked-files=all --no-renames``,
        without submodules, optional locks (it writes no index) and the fsmonitor hook."""
        cmd = ["git", "--no-optional-locks", "-c", "core.fsmonitor=false", "status", "-z"]
        cmd += ["--porcelain=v2", "--branch", "--untracked-files=all", "--no-renames"]
        try:
            out = self._repo.git.execute([*cmd, "--ignore-submodules=all"], stdout_as_string=False)
        except git.exc.GitCommandError as exc:
            raise RepositoryError(f"git status failed: {exc.stderr.strip()}") from exc
        return bytes(out)

    # ---- commits

    def first_parent_ids(self, rev: str, max_count: int | None = None) -> set[str]:
        """The commits ``git log --first-parent rev`` lists (capped at max_count)."""
        args = ["--first-parent"]
        if max_count is not None:
            args.append(f"--max-count={max_count}")
        try:
            out = self._repo.git.rev_list(*args, "--end-of-options", check_revision(rev), "--")
        except git.exc.GitCommandError as exc:
            raise UnknownRevision(f"cannot list commits of {rev!r}: {exc.stderr.strip()}") from exc
        return set(str(out).split())

    def iter_commits(
        self,
        revs: Iterable[str],
        *,
        first_parent: bool = False,
        max_count: int | None = None,
        no_walk: bool = False,
    ) -> Iterator[CommitInfo]:
        """Stream commit metadata with one ``git log`` process (newest first)."""
        revs = [check_revision(r) if not _is_sha(r) else r for r in revs]
        if not revs:
            return
        args = [f"--format={_LOG_FORMAT}"]
        if first_parent:
            args.append("--first-parent")
        if max_count is not None:
            args.append(f"--max-count={max_count}")
        if no_walk:
            args.append("--no-walk=unsorted")
        args += ["--end-of-options", *revs, "--"]
        try:
            handle = self._repo.git.log(*args, as_process=True)
        except git.exc.GitCommandError as exc:
            raise RepositoryError(f"git log failed: {exc}") from exc
        popen = handle.proc
        if popen is None or popen.stdout is None:
            raise RepositoryError("git log produced no output stream")
        buffer = b""
        finished = False
        try:
            while chunk := popen.stdout.read(1 << 16):
                buffer += chunk
                *records, buffer = buffer.split(_RECORD)
                for record in records:
                    yield _parse_commit(record)
            if buffer.strip():
                yield _parse_commit(buffer)
            finished = True
        finally:
            if popen.poll() is None:
                popen.kill()
            code = popen.wait()
            stderr = popen.stderr.read().decode(errors="replace") if popen.stderr else ""
            if finished and code != 0:
                raise RepositoryError(f"git log failed ({code}): {stderr.strip()}")

    def first_parent_changes(self, shas: list[str]) -> list[tuple[str, list[FileChange]]]:
        """For each commit in ``shas`` (in order), the files that differ from its first
        parent; a root commit lists every file. One ``git log --raw`` per call; a commit
        git cannot answer for (gone, or a tree of it or of its parent missing) is left
        out with a warning."""
        if not shas:
            return []
        args = [
            *("--no-walk=unsorted", "--format=%x01%H", "--raw", "-z", "--no-abbrev"),
            *("--no-renames", "--diff-merges=first-parent", "--root"),
            *("--end-of-options", *shas, "--"),
        ]
        try:
            out = self._repo.git.log(*args, stdout_as_string=False)
        except git.exc.GitCommandError as exc:
            if len(shas) > 1:  # find the commits git cannot answer for, one by one
                return [change for sha in shas for change in self.first_parent_changes([sha])]
            log.warning("changed files of %s not listed: %s", shas[0], str(exc).strip())
            return []
        return _parse_changes(bytes(out))

    # ---- objects

    def has_promisor_remote(self) -> bool:
        """Whether git would fetch a missing object on its own here (a partial clone):
        ``extensions.partialClone`` is set or a remote has ``promisor = true``. Then
        reading an object the clone lacks stops the reader (see :data:`NO_FETCH_ENV`), so
        :meth:`absent` must be asked first."""
        # (git config exits 1 when nothing matches: not an error here)
        out = self._repo.git.config(
            "--type=bool", "--get-regexp", r"^remote\..*\.promisor$", with_exceptions=False
        )
        partial = self._repo.git.config("--get", "extensions.partialclone", with_exceptions=False)
        promisors = [line for line in str(out).splitlines() if line.endswith(" true")]
        return bool(promisors) or bool(str(partial).strip())

    def absent(self, shas: Iterable[str]) -> set[str]:
        """The objects among ``shas`` and everything they reach (trees reach their
        entries) that are not in the local object database, found without reading a
        blob's content and without fetching: one ``git rev-list --objects
        --missing=print``, which neither fetches nor stops at a missing object (a
        missing tree is listed; what it would reach is not)."""
        tips = {s for s in shas if _is_sha(s)}
        if not tips:
            return set()
        # --missing=print lists a missing object (not a tip) as "?<sha>" and turns the lazy
        # fetch off for rev-list; --ignore-missing skips a missing tip silently.
        args = ["--objects", "--no-walk", "--no-object-names", "--missing=print"]
        try:
            handle = self._repo.git.rev_list(
                *args, "--ignore-missing", "--stdin", as_process=True, istream=subprocess.PIPE
            )
            out, err = handle.proc.communicate("".join(f"{s}\n" for s in tips).encode())
        except (git.exc.GitError, OSError) as exc:
            raise RepositoryError(f"git rev-list failed: {exc}") from exc
        if handle.proc.returncode != 0:
            raise RepositoryError(f"git rev-list failed: {err.decode(errors='replace')}")
        lines = out.decode().split()
        return {x[1:] for x in lines if x.startswith("?")} | (tips - set(lines))

    def read_object(self, sha: str) -> tuple[str, bytes]:
        """Type and content of any object, through the persistent cat-file process."""
        try:
            stream = self._repo.odb.stream(bytes.fromhex(sha))
            return stream.type.decode(), stream.read()
        except (ValueError, git.exc.GitError, OSError) as exc:
            raise self._unreadable(sha, exc, "cat_file_all") from exc

    def object_size(self, sha: str) -> int:
        """Size in bytes of an object, without reading its content."""
        try:
            return int(self._repo.odb.info(bytes.fromhex(sha)).size)
        except (ValueError, git.exc.GitError, OSError) as exc:
            raise self._unreadable(sha, exc, "cat_file_header") from exc

    def _unreadable(self, sha: str, exc: Exception, process: str) -> RepositoryError:
        """The error for an object git did not give, worded with git's own answer. The
        persistent cat-file processes are restarted unless git simply answered that the
        object is missing (after which they go on): one that died or lost its place must
        not fail every later read."""
        answer = _GIT_ANSWER.search(str(exc))
        if answer is not None and answer.group(2).endswith(" missing"):
            return RepositoryError(f"cannot read object {sha}: git: {answer.group(2)}")
        said = ""  # what the cat-file wrote last if it ended ("fatal: could not fetch ...")
        proc = getattr(getattr(self._repo.git, process, None), "proc", None)
        if proc is not None and proc.stderr is not None:
            try:
                proc.wait(timeout=1)  # one that died closed its output; else stopped below
                said = proc.stderr.read().decode(errors="replace").strip()
            except subprocess.TimeoutExpired:
                pass
        self._repo.git.clear_cache()
        reason = f"git: {said.splitlines()[-1]}" if said else str(exc)
        return RepositoryError(f"cannot read object {sha}: {reason}")

    def read_blob(self, sha: str) -> bytes:
        """Content of a blob."""
        kind, data = self.read_object(sha)
        if kind != "blob":
            raise RepositoryError(f"object {sha} is a {kind}, not a blob")
        return data

    def read_tree(self, sha: str) -> list[TreeEntry]:
        """Entries of a tree, in git's order."""
        kind, data = self.read_object(sha)
        if kind != "tree":
            raise RepositoryError(f"object {sha} is a {kind}, not a tree")
        return parse_tree(data)


# GitPython's words for an answer of ``cat-file --batch`` that is not an object header:
# "SHA b'<sha>' could not be resolved, git returned: b'<sha> missing'".
_GIT_ANSWER = re.compile(r"git returned: (b?)['\"](.*)['\"]$")


def parse_tree(data: bytes) -> list[TreeEntry]:
    """Decode git's binary tree format: ``<octal mode> <name>\\0<20-byte sha>`` repeated."""
    entries: list[TreeEntry] = []
    pos = 0
    end = len(data)
    while pos < end:
        space = data.index(b" ", pos)
        nul = data.index(b"\0", space)
        mode = int(data[pos:space], 8)
        raw = data[space + 1 : nul]
        sha = data[nul + 1 : nul + 21].hex()
        pos = nul + 21
        try:
            name, raw_name = raw.decode("utf-8"), None
        except UnicodeDecodeError:
            name, raw_name = raw.decode("utf-8", errors="backslashreplace"), raw
        if mode == MODE_TREE:
            kind = KIND_TREE
        elif mode == MODE_SUBMODULE:
            kind = KIND_SUBMODULE
        elif mode == MODE_LINK:
            kind = KIND_LINK
        else:
            kind = KIND_BLOB
        entries.append(TreeEntry(name, raw_name, mode, kind, sha))
    return entries


def _mode_kind(mode: int) -> str | None:
    if mode == 0 or mode == MODE_SUBMODULE or mode == MODE_TREE:
        return None
    return KIND_LINK if mode == MODE_LINK else KIND_BLOB


def _parse_changes(data: bytes) -> list[tuple[str, list[FileChange]]]:
    """Read ``git log --format=%x01%H --raw -z --no-renames`` output: per commit,
    ``\\x01<sha>\\0`` then ``:<mode> <mode> <sha> <sha> <status>\\0<path>\\0`` per file
    (after a newline). Parsed by position: a path may hold any byte but NUL."""
    out: list[tuple[str, list[FileChange]]] = []
    pos, end = 0, len(data)
    while pos < end:
        if data[pos] != 1:
            raise RepositoryError(
                f"unexpected git log output at byte {pos}: {data[pos : pos + 40]!r}"
            )
        stop = data.index(b"\0", pos)
        sha = data[pos + 1 : stop].decode()
        changes: list[FileChange] = []
        pos = stop + 1
        if pos < end and data[pos] == 10:  # the newline before the first file
            pos += 1
        while pos < end and data[pos] == 58:  # ":"
            meta_end = data.index(b"\0", pos)
            path_end = data.index(b"\0", meta_end + 1)
            parts = data[pos + 1 : meta_end].split()
            raw = data[meta_end + 1 : path_end]
            pos = path_end + 1
            old_kind, new_kind = _mode_kind(int(parts[0], 8)), _mode_kind(int(parts[1], 8))
            before = (old_kind, parts[2].decode()) if old_kind else None
            after = (new_kind, parts[3].decode()) if new_kind else None
            if before is not None or after is not None:
                path = raw.decode("utf-8", errors="backslashreplace")
                changes.append(FileChange(path, before, after))
        out.append((sha, changes))
    return out


def _parse_commit(record: bytes) -> CommitInfo:
    fields = record.lstrip(b"\n").split(_FIELD)
    if len(fields) < 12:
        raise RepositoryError(f"unexpected git log record: {record[:80]!r}")
    text = [f.decode("utf-8", errors="replace") for f in fields]
    return CommitInfo(
        sha=text[0],
        tree=text[1],
        parents=tuple(text[2].split()),
        author_name=text[3],
        author_email=text[4],
        author_time=_time(text[5], text[6]),
        committer_name=text[7],
        committer_email=text[8],
        committer_time=_time(text[9], text[10]),
        message=_FIELD.join(fields[11:]).decode("utf-8", errors="replace").rstrip("\n"),
    )


def _time(epoch: str, iso: str) -> datetime:
    offset = iso.rsplit(" ", 1)[-1]
    try:
        sign = -1 if offset.startswith("-") else 1
        minutes = sign * (int(offset[1:3]) * 60 + int(offset[3:5]))
        tz = timezone(timedelta(minutes=minutes))
    except (ValueError, IndexError):
        tz = UTC
    return datetime.fromtimestamp(int(epoch), tz)


def _is_sha(rev: str) -> bool:
    return len(rev) == 40 and all(c in "0123456789abcdef" for c in rev)


def _short(name: str) -> str:
    for prefix in ("refs/heads/", "refs/tags/", "refs/remotes/"):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _ref_kind(name: str) -> str:
    if name.startswith("refs/heads/"):
        return "branch"
    if name.startswith("refs/tags/"):
        return "tag"
    if name.startswith("refs/remotes/"):
        return "remote"
    return "other"
