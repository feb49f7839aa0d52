"""The memory allocators of a long-lived owner (``serve``, ``mcp``); the only module
that calls into the C library.

An owner answers for hours, and each answer builds large arrays that live for one call
(tables, sorted rows) or until its snapshot is let go. The allocators keep what those
free, so the process only grows:

- glibc raises its mmap threshold each time a large block is freed, so after a few
  answers large blocks come from the heap, and the heap keeps them (~150 MB held free
  after bench/agent_session.py's 20 calls). A fixed threshold gives blocks of 128 KiB
  and more back to the system when they are freed; two arenas stop the answering
  threads from each keeping a heap of its own.
- Arrow's default pool (mimalloc) keeps freed pages for itself: Arrow allocates
  through glibc instead, which (as above) gives them back. The session's peak went
  from ~560 MB to ~500 MB with both.

Elsewhere (another C library, another system) glibc's part is skipped.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import platform

log = logging.getLogger(__name__)

# mallopt's parameters, from glibc's malloc.h
_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8
_MMAP_THRESHOLD = 128 * 1024  # glibc's own starting threshold, now kept
_ARENA_MAX = 2


def keep_heap_small() -> bool:
    """Tune the allocators as the module says; False where glibc's part was skipped."""
    import pyarrow as pa  # on first use: the CLI's start-up does not pay for it

    pa.set_memory_pool(pa.system_memory_pool())
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return False
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        mallopt = ctypes.CDLL(name).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    done = bool(mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD) == 1)
    done = bool(mallopt(_M_ARENA_MAX, _ARENA_MAX) == 1) and done
    if not done:
        log.debug("mallopt refused the owner's allocator settings")
    return done
