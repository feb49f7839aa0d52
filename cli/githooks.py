"""Symbiote's git hooks, as files: where they go, what they say, installing them over
the hooks already there and taking them out again (the verbs are
:mod:`symbiote.cli.hooks`; the background run the hooks start, :mod:`symbiote.cli.hookjob`).

The hooks (``post-commit``, ``post-merge``, ``post-checkout``, ``post-rewrite``) go to
the folder git runs hooks from (``git rev-parse --git-path hooks``: ``core.hooksPath``
when set; a linked worktree's common folder). Each is a short POSIX shell script that

1. runs the hook that was there before (moved aside to ``<hook>.symbiote-chained``)
   first, with the same arguments and standard input, and ends with its exit status;
2. appends the hook's name and the working tree to ``<store>.hooks.dirty``, and, unless
   the process named in ``<store>.hooks.lock`` is alive (a run in progress, which will
   run again for it), starts ``symbiote hooks run`` in the background, detached, its
   output going to ``<store>.hooks.log``, and names it in the lock file (so the hooks
   that follow while it starts do not start another);
3. does nothing more if the ``symbiote`` it names is gone, and never fails because of
   step 2: it adds a fork and a few shell builtins to the git command (plus one
   ``git rev-parse`` in a linked worktree or a bare repository).

Install writes the hooks atomically and moves a foreign hook aside only once; a second
install changes nothing. Uninstall removes Symbiote's hooks and moves the chained ones
back, so the hooks folder holds the same files, bytes and modes as before.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

from symbiote.indexer.errors import HookError, RepositoryError

HOOKS = ("post-commit", "post-merge", "post-checkout", "post-rewrite")
MARKER = "# symbiote-hook v1"  # the line that tells Symbiote's hooks from others
CHAINED = ".symbiote-chained"  # the suffix of a hook moved aside
# Files beside the store (suffixes of its path).
LOG, LOCK, DIRTY = ".hooks.log", ".hooks.lock", ".hooks.dirty"

_SCRIPT = """#!/bin/sh
{marker}: keeps Symbiote's index current (`symbiote hooks install`).
# `symbiote hooks uninstall` takes it out and puts back the hook that was here, if any.
# The hook that was here before runs first, with the same arguments and standard input,
# and its exit status is this hook's. Then an index run starts in the background; it
# cannot fail or hold up this git command.
symbiote_status=0
if [ -f "$0{chained}" ] && [ -x "$0{chained}" ]; then
    "$0{chained}" "$@"
    symbiote_status=$?
fi
symbiote_start() {{
    command={command}
    [ -x "$command" ] || return 0
    store={store}
    if [ -z "$store" ]; then
        store=$SYMBIOTE_STORE
    fi
    if [ -z "$store" ] && [ -d .git ] && [ -f .git/HEAD ]; then
        store=.git/symbiote/index.duckdb
    fi
    if [ -z "$store" ]; then
        store="$(git rev-parse --git-dir)/symbiote/index.duckdb" || return 0
    fi
    [ -d "${{store%/*}}" ] || mkdir -p "${{store%/*}}" || return 0
    printf '%s %s\\n' {hook} "$PWD" >> "$store{dirty}" || return 0
    pid=
    [ -f "$store{lock}" ] && read -r pid < "$store{lock}"
    if [ -n "$pid" ] && kill -0 "$pid"; then
        return 0
    fi
    nohup "$command" hooks run --hook {hook} {options}"$PWD" >> "$store{log}" 2>&1 &
    printf '%s\n' "$!" > "$store{lock}"
}}
symbiote_start < /dev/null > /dev/null 2>&1
exit $symbiote_status
"""


@dataclass(frozen=True, slots=True, kw_only=True)
class HookOptions:
    """What the hooks start, and where."""

    command: str  # the symbiote program the hooks start
    store: Path | None = None  # the store, when not the repository's default one
    embed: bool = True  # the runs also fill the search sidecar


@dataclass(frozen=True, slots=True)
class HookFile:
    """One hook: what install or uninstall did to it, or what status found."""

    hook: str  # post-commit, ...
    path: Path
    # install: created, updated, unchanged, chained (a hook was there: moved aside);
    # uninstall: removed, restored (the chained hook is back), absent, foreign (left);
    # status: installed, inactive (the program it starts is gone), foreign, absent.
    state: str
    chained: bool  # a hook that was there before runs first

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form."""
        return {
            "hook": self.hook,
            "path": str(self.path),
            "state": self.state,
            "chained": self.chained,
        }


def hooks_folder(repo: Path) -> Path:
    """The folder git runs ``repo``'s hooks from (``core.hooksPath`` when set; for a
    linked worktree, its common folder's)."""
    try:
        found = subprocess.run(
            ["git", "rev-parse", "--git-path", "hooks"],
            cwd=repo,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as exc:
        raise RepositoryError(f"cannot run git in {repo}: {exc}") from exc
    if found.returncode != 0:
        raise RepositoryError(f"{repo} is not a git repository: {found.stderr.strip()}")
    return (repo / found.stdout.strip()).resolve()


def script(hook: str, options: HookOptions) -> str:
    """The text of Symbiote's ``hook``."""
    flags = [] if options.embed else ["--no-embed"]
    if options.store is not None:
        flags += ["--store", str(options.store)]
    return _SCRIPT.format(
        marker=MARKER,
        chained=CHAINED,
        command=shlex.quote(options.command),
        store=shlex.quote(str(options.store or "")),
        hook=shlex.quote(hook),
        options="".join(f"{shlex.quote(f)} " for f in flags),
        dirty=DIRTY,
        lock=LOCK,
        log=LOG,
    )


def is_ours(path: Path) -> bool:
    """Whether ``path`` is one of Symbiote's hooks."""
    if path.is_symlink() or not path.is_file():
        return False
    try:
        with path.open("rb") as f:
            head = f.read(200)
    except OSError:
        return False
    return MARKER.encode() in head


def install(folder: Path, options: HookOptions) -> list[HookFile]:
    """Put Symbiote's hooks in ``folder``, each foreign hook moved aside to run first;
    :class:`HookError` (before anything changes) when a hook moved aside earlier is in
    the way of another one."""
    for hook in HOOKS:
        path, chained = folder / hook, folder / (hook + CHAINED)
        if _exists(path) and not is_ours(path) and _exists(chained):
            raise HookError(
                f"{path} is not Symbiote's, and {chained.name} (a hook Symbiote moved aside) "
                "is there too; move one of them away, then install again"
            )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return [_install_one(folder, hook, options) for hook in HOOKS]
    except OSError as exc:
        raise HookError(f"cannot write the hooks in {folder}: {exc}") from exc


def _install_one(folder: Path, hook: str, options: HookOptions) -> HookFile:
    path, chained = folder / hook, folder / (hook + CHAINED)
    text = script(hook, options)
    state = "created"
    if is_ours(path):
        if path.read_text("utf-8", errors="replace") == text:
            return HookFile(hook, path, "unchanged", _exists(chained))
        state = "updated"
    elif _exists(path):
        os.rename(path, chained)  # bytes, mode and a symbolic link kept as they are
        state = "chained"
    temporary = folder / f".{hook}.symbiote-new"
    temporary.write_text(text, "utf-8")
    temporary.chmod(0o755)
    os.replace(temporary, path)
    return HookFile(hook, path, state, _exists(chained))


def uninstall(folder: Path) -> list[HookFile]:
    """Take Symbiote's hooks out of ``folder`` and move the chained hooks back."""
    try:
        return [_uninstall_one(folder, hook) for hook in HOOKS]
    except OSError as exc:
        raise HookError(f"cannot change the hooks in {folder}: {exc}") from exc


def _uninstall_one(folder: Path, hook: str) -> HookFile:
    path, chained = folder / hook, folder / (hook + CHAINED)
    if _exists(path) and not is_ours(path):
        return HookFile(hook, path, "foreign", _exists(chained))
    state = "absent"
    if _exists(path):
        path.unlink()
        state = "removed"
    if _exists(chained):  # also after an uninstall stopped half-way
        os.rename(chained, path)
        state = "restored"
    return HookFile(hook, path, state, False)


def status(folder: Path) -> list[HookFile]:
    """Which of Symbiote's hooks are in ``folder``, and whether the program they start
    is still there."""
    found = []
    for hook in HOOKS:
        path, chained = folder / hook, folder / (hook + CHAINED)
        if is_ours(path):
            command = command_of(path)
            state = "installed" if command and os.access(command, os.X_OK) else "inactive"
        else:
            state = "foreign" if _exists(path) else "absent"
        found.append(HookFile(hook, path, state, _exists(chained)))
    return found


def command_of(path: Path) -> str | None:
    """The program one of Symbiote's hooks starts."""
    for line in path.read_text("utf-8", errors="replace").splitlines():
        name, _, value = line.strip().partition("=")
        if name == "command" and value:
            words = shlex.split(value)
            return words[0] if words else None
    return None


def _exists(path: Path) -> bool:
    return path.exists() or path.is_symlink()
