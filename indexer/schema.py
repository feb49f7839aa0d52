"""The store's schema as both sides know it: its version, its conventions, and the
vocabularies its rows use (blob statuses, reference kinds). The tables, macros and
migrations themselves are the store's (:mod:`symbiote.indexer.store_schema`).

Conventions, stated once: byte spans are 0-based and half-open (``start_byte`` inclusive,
``end_byte`` exclusive); lines are 1-based; columns are 0-based and count bytes. Absent
values are NULL, never ``-1``. Object ids are lowercase hex git shas.

Content addressing: ``blobs``, ``code_symbols`` and ``code_references`` are keyed by
``(blob, language)`` and shared by every repository, commit and path that holds the blob.
Commits reach blobs through git's own trees: ``trees`` lists the trees whose entries are
fully stored and ``tree_entries`` holds those entries, so an unchanged subtree is stored
once however many commits contain it.

Schema change log (newest first):

* 8 -- ``code_references`` stores what its other columns do not give: no ``enclosing``
  (the enclosing definition's qualified name, which ``enclosing_idx`` names; the
  ``references_at`` macro and the read side join it back), and a reference's end only
  where its name does not give it (:data:`REFERENCE_ENDS`: NULL ``end_byte`` and
  ``end_col`` are the start plus the name's UTF-8 bytes, a NULL ``end_line`` the start
  line). Those four columns were about a third of the table's bytes. A migrated store
  rewrites the table; nothing is re-extracted.

* 7 -- reference kinds are roles: ``call``, ``read``, ``write``, ``type``,
  ``decorator``, ``inherit``, ``import`` (``inheritance`` became ``inherit``;
  ``attribute`` and ``other`` became ``read``). Blob statuses gain ``generic`` (rows of
  the generic extractor, for languages without patterns) and ``missing`` (an object git
  cannot read), and ``blobs.size`` may be NULL (a blob never read).
  ``code_references.arguments`` holds a call's argument hints (its arity, and what the
  syntax says of each argument's type: ``indexer/arguments.py``). ``blobs.lines`` counts
  a parsed blob's lines (so a position past a file's end is an error).
  ``skipped_commits`` records the commits not indexed because git cannot read a tree
  they reach; ``archived_commits`` the commits ``symbiote archive`` moved out (their
  archive folder, the refs at them), which index runs leave out. Code definitions carry
  a declared ``type``; ``code_bindings`` holds the names bound with type evidence. A
  migrated store relabels its rows; its blobs re-extract on the next run, as the pattern
  digests changed.

* 6 -- ``.h`` files are C++ (they were C): tree entries and changed files of such names
  take the language ``cpp``, and the next ``symbiote index`` run extracts their blobs as
  C++. Their old C rows stay, unreferenced (an archive restored later may use them).

* 5 -- ``file_changes`` and ``commit_diffs``: the files each commit changed against its
  first parent (from ``git log --raw``), so the history of a path is one index lookup
  instead of a walk through every commit's trees. A migrated store gets them for its
  existing commits on the next ``symbiote index`` run; until then history walks trees.

* 4 -- ``sidecar_entries``: the notes of sidecar files (``<file>.symbiote.json``, see
  :mod:`indexer.sidecar_files`), keyed by blob like definitions; tree entries of such
  names get the language ``symbiote-sidecar`` (``symbiote verify --repair`` extracts
  those of a migrated store).

* 3 -- ART indexes on ``code_symbols(qualified_name)``, ``code_symbols(blob)``,
  ``tree_entries(name)`` and ``tree_entries(tree)``: history and diff look definitions
  and tree entries up by key instead of scanning (10-20x faster on a 5.8 M-row store).
  No re-extraction.
* 2 -- ``code_symbols.sketch`` (body similarity) and ``code_references.context`` (module
  of an import, object of a member access); migrated stores re-extract every blob.
* 1 -- first version.
"""

from __future__ import annotations

SCHEMA_VERSION = 8

# A reference's end as the read side computes it from a ``code_references`` row (alias
# ``{a}``): stored only where the name does not give it (a name over several lines, or
# one decoded lossily), NULL otherwise (see :func:`indexer.store_rows.stored_references`).
REFERENCE_ENDS = {
    "end_byte": "coalesce({a}.end_byte, {a}.start_byte + strlen({a}.name)::INTEGER)",
    "end_line": "coalesce({a}.end_line, {a}.start_line)",
    "end_col": "coalesce({a}.end_col, {a}.start_col + strlen({a}.name)::INTEGER)",
}

# Blob statuses. Every blob of every indexed commit gets exactly one.
STATUS_OK = "ok"
STATUS_PARSE_ERROR = "parse_error"  # syntax errors; what parsed is kept
STATUS_ENCODING_ERROR = "encoding_error"  # invalid UTF-8; parsed, names decoded lossily
STATUS_BINARY = "binary"
STATUS_TOO_LARGE = "too_large"
STATUS_UNSUPPORTED = "unsupported_language"
STATUS_SYMLINK = "symlink"  # the blob is a symlink target, not source
STATUS_FAILED = "failed"  # the extractor itself failed; detail says why
STATUS_GENERIC = "generic"  # a language without patterns: the generic extractor's rows
STATUS_MISSING = "missing"  # git cannot read the object (partial clone, pruned); retried
STATUSES = (
    STATUS_OK,
    STATUS_PARSE_ERROR,
    STATUS_ENCODING_ERROR,
    STATUS_BINARY,
    STATUS_TOO_LARGE,
    STATUS_UNSUPPORTED,
    STATUS_SYMLINK,
    STATUS_FAILED,
    STATUS_GENERIC,
    STATUS_MISSING,
)

# What a reference does with the name it uses (``code_references.kind``): calls it,
# reads it, assigns it, names a type with it, decorates with it, inherits from it, or
# imports it. Pattern files name them ``@reference.<kind>``.
REFERENCE_KINDS = ("call", "read", "write", "type", "decorator", "inherit", "import")
