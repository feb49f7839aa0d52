"""TypeScript generic call signatures on lines of their own, set apart before parsing.

An interface of overloads writes its call signatures one per line::

    interface CreateHandlers {
      <I>(handler1: H<I>): [H<I>]
      <I, I2>(handler1: H<I>, handler2: H<I2>): [H<I>, H<I2>]
    }

The grammar reads the second line as the end of the first (``[H<I>] < I, I2 > (...)``, a
comparison), and the rest of the file becomes one syntax error: every definition after
it is lost (hono's ``src/types.ts`` kept 29 of its definitions). When a TypeScript file
does not parse cleanly, a line that starts with ``<`` gets a ``;`` in place of the last
character of its indentation, and the file is parsed again; the second tree is kept when
it has fewer errors (:func:`parse_nodes.error_extent`), so a file this does not help is
read as before. Every byte offset, line and column stays the source's own.
"""

from __future__ import annotations

import re

LANGUAGES = frozenset({"typescript"})

# A line that starts, after at least one character of indentation, with `<` (not `<<`,
# `<=`): its last indentation character and the `<`.
_LEADING = re.compile(rb"(?<=\n)([ \t]*)[ \t]<(?![<=])")

# Part of the patterns digest of TypeScript: changing this rule re-extracts its blobs.
RULES = _LEADING.pattern


def mask(source: bytes) -> bytes:
    """``source`` with a ``;`` before each generic signature that starts a line."""
    return _LEADING.sub(rb"\1;<", source)
