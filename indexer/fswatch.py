"""Whether a working tree may have changed since it was last asked: Linux's inotify,
reached through ctypes (no dependency); the one module that talks to the kernel's file
events.

A :class:`TreeWatch` watches every folder of the working tree (and each new one as it
appears), except ``.git`` folders and the folders git ignored as a whole when the watch
began, plus the top of the git directory (``index``, ``HEAD``, ``packed-refs``) and its
``refs/`` folder. :meth:`TreeWatch.changed` drains the events and says whether any came
since the last call. It says "maybe" (True) whenever it cannot know: off Linux, without
inotify, past :data:`MAX_WATCHES` or the kernel's limit, after a queue overflow, or
once a folder could not be watched. Reads are not events, so asking
git and reading the files changed does not count as a change.

The :class:`~symbiote.indexer.worktree.WorktreeReader` asks it before running
``git status``: a working tree that did not change gives the same answer as last time,
and asking again costs a ``read`` that finds nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import logging
import os
import struct
import sys
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)

MAX_WATCHES = 50_000  # folders watched at most; past it the watch says "maybe" always

# <sys/inotify.h>
_IN_MODIFY, _IN_ATTRIB, _IN_CLOSE_WRITE = 0x2, 0x4, 0x8
_IN_MOVED_FROM, _IN_MOVED_TO, _IN_CREATE, _IN_DELETE = 0x40, 0x80, 0x100, 0x200
_IN_DELETE_SELF, _IN_MOVE_SELF = 0x400, 0x800
_IN_Q_OVERFLOW, _IN_IGNORED, _IN_ISDIR = 0x4000, 0x8000, 0x40000000
_IN_ONLYDIR, _IN_DONT_FOLLOW, _IN_EXCL_UNLINK = 0x01000000, 0x02000000, 0x04000000
_IN_NONBLOCK, _IN_CLOEXEC = os.O_NONBLOCK, 0o2000000
_MASK = (
    _IN_MODIFY
    | _IN_ATTRIB
    | _IN_CLOSE_WRITE
    | _IN_MOVED_FROM
    | _IN_MOVED_TO
    | _IN_CREATE
    | _IN_DELETE
    | _IN_DELETE_SELF
    | _IN_MOVE_SELF
    | _IN_ONLYDIR
    | _IN_DONT_FOLLOW
    | _IN_EXCL_UNLINK
)
_EVENT = struct.Struct("iIII")  # wd, mask, cookie, len; then len bytes of name


def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.inotify_init1.argtypes = [ctypes.c_int]
        libc.inotify_add_watch.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
        return libc
    except (OSError, AttributeError):
        return None


class TreeWatch:
    """The events of one working tree (see the module's docstring)."""

    def __init__(self, root: Path, git_dirs: Iterable[Path], ignored: Iterable[Path] = ()) -> None:
        self.root = root
        self._ignored = {p.resolve() for p in ignored}
        self._fd: int | None = None
        self._watches: dict[int, Path] = {}
        self._flat: set[int] = set()  # the git directories' tops: new folders there are git's
        libc = _libc()
        if libc is None:
            return
        fd = libc.inotify_init1(_IN_NONBLOCK | _IN_CLOEXEC)
        if fd < 0:
            log.info("no inotify (%s): every working-tree call runs git status", _errno())
            return
        self._libc, self._fd = libc, fd
        for git_dir in git_dirs:
            wd = self._add(git_dir)
            if wd is not None:
                self._flat.add(wd)
            if (git_dir / "refs").is_dir():
                self._add_tree(git_dir / "refs")
        self._add_tree(root)

    @property
    def watching(self) -> bool:
        """Whether the watch can tell (else :meth:`changed` is always True)."""
        return self._fd is not None

    def changed(self) -> bool:
        """Whether anything may have changed since the last call (or since the watch
        began, the first time)."""
        if self._fd is None:
            return True
        moved = self._drain()
        return moved or self._fd is None

    def close(self) -> None:
        """Stop watching."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
            self._watches.clear()

    def _give_up(self, why: str) -> None:
        log.info("working-tree watch of %s stopped (%s): git status on every call", self.root, why)
        self.close()

    def _add(self, folder: Path) -> int | None:
        """Watch ``folder``; its watch number, or None."""
        if self._fd is None:
            return None
        if len(self._watches) >= MAX_WATCHES:
            self._give_up(f"more than {MAX_WATCHES} folders")
            return None
        wd = int(self._libc.inotify_add_watch(self._fd, os.fsencode(folder), _MASK))
        if wd < 0:
            code = ctypes.get_errno()
            if code in (errno.ENOENT, errno.ENOTDIR):  # gone already: its parent said so
                return None
            self._give_up(f"cannot watch {folder}: {os.strerror(code)}")
            return None
        self._watches[wd] = folder
        self._flat.discard(wd)  # a number the kernel gives again names a new watch
        return wd

    def _add_tree(self, top: Path) -> None:
        """Watch ``top`` and every folder under it (not .git folders, nor ignored ones)."""
        todo = [top]
        while todo and self._fd is not None:
            folder = todo.pop()
            if self._add(folder) is None:
                continue
            try:
                entries = list(os.scandir(folder))
            except OSError:
                continue
            for entry in entries:
                if entry.name == ".git" or not entry.is_dir(follow_symlinks=False):
                    continue
                path = Path(entry.path)
                if path.resolve() not in self._ignored:
                    todo.append(path)

    def _drain(self) -> bool:
        """Read every queued event; whether there was any."""
        assert self._fd is not None
        seen = False
        while self._fd is not None:
            try:
                data = os.read(self._fd, 65536)
            except BlockingIOError:
                break
            except OSError as exc:
                self._give_up(str(exc))
                break
            seen = seen or bool(data)
            offset = 0
            while offset < len(data):
                wd, mask, _cookie, size = _EVENT.unpack_from(data, offset)
                name = data[offset + _EVENT.size : offset + _EVENT.size + size].rstrip(b"\0")
                offset += _EVENT.size + size
                self._event(wd, mask, name)
        return seen

    def _event(self, wd: int, mask: int, name: bytes) -> None:
        if mask & _IN_Q_OVERFLOW:
            self._give_up("the kernel's event queue overflowed")
            return
        if mask & _IN_IGNORED:
            self._watches.pop(wd, None)
            return
        folder = self._watches.get(wd)
        created = mask & _IN_ISDIR and mask & (_IN_CREATE | _IN_MOVED_TO)
        if folder is None or wd in self._flat or not created:
            return
        if name and name != b".git":
            self._add_tree(folder / os.fsdecode(name))


def _errno() -> str:
    return os.strerror(ctypes.get_errno())
