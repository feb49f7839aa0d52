"""The working tree as a revision, the read side's half: ``at="WORKTREE"`` answers over
HEAD's snapshot with the working tree's changes laid over it.

The read side neither runs git nor parses: it calls a :class:`WorktreeSource` (the
CLI gives it :class:`symbiote.indexer.worktree.WorktreeReader`), which lists the paths
that differ from HEAD with the blob sha git would give each, and extracts on demand
the blobs the store does not hold. The overlay is then made of

* HEAD's rows, as HEAD's snapshot loads them (the same snapshot cache files);
* the rows the store already holds for a changed file's blob (content-addressed: a file
  reverted to an indexed version, a copy of another file, a rename) - nothing parsed;
* the rows the source extracted for the rest (cached by the source).

Nothing is written to the store. A :class:`Overlay` is keyed by the base commit and the
changed paths' blobs, so the same working tree asked about twice is one snapshot
(kept with the others by :class:`~symbiote.queries.commits.Commits`) and parses nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any, Protocol

import pyarrow as pa

from symbiote.queries import arrowfn
from symbiote.queries.options import WORKTREE
from symbiote.queries.reader import Reader, of_blobs, sha_list

Change = tuple[str, str] | None  # (blob, language) of a path now, None: deleted


class WorktreeSource(Protocol):
    """What the read side needs of a working tree (implemented on the write side)."""

    def changes(self) -> tuple[str | None, dict[str, Change]]:
        """``(HEAD's commit, or None when unborn; {path: (blob, language) or None when
        deleted})`` for the paths that may differ from HEAD."""
        ...

    def tables(self, wanted: Sequence[tuple[str, str]]) -> dict[str, pa.Table]:
        """The rows of ``(blob, language)`` pairs of the last :meth:`changes`, as the
        store's tables hold them: ``blobs``, ``symbols``, ``references``, ``bindings``."""
        ...

    def text(self, blob: str) -> bytes | None:
        """The content of a blob of the last :meth:`changes` (None: not one of them)."""
        ...


def overlay_key(base: str, changes: dict[str, Change]) -> str:
    """The identity of a working-tree state: its base commit and changed contents."""
    text = json.dumps([base, sorted(changes.items())], default=list)
    return f"{WORKTREE}:{hashlib.sha256(text.encode()).hexdigest()[:24]}"


class Overlay:
    """The working tree's changes over one base commit's files."""

    def __init__(self, source: WorktreeSource, base: str, changes: dict[str, Change]) -> None:
        self.source = source
        self.base = base
        self.changes = changes
        self.key = overlay_key(base, changes)
        self.paths: list[str] = []  # paths whose content comes from the working tree
        self.deleted: list[str] = []  # paths of the base the working tree lacks
        self.stored: list[str] = []  # new blobs whose rows the store holds
        self.rows: dict[str, pa.Table] = {}  # rows of the blobs the source extracted
        self.lines: dict[tuple[str, str], int | None] = {}  # of the extracted blobs

    def lay(self, reader: Reader, files: dict[str, tuple[str, str | None]]) -> None:
        """Lay the changes over ``files`` (the base's, changed in place) and decide where
        each new blob's rows come from: the store when it holds them, else the source."""
        base_blobs = {blob for blob, _ in files.values()}
        new: set[tuple[str, str]] = set()
        for path, change in sorted(self.changes.items()):
            if change is None:
                if files.pop(path, None) is not None:
                    self.deleted.append(path)
                continue
            if files.get(path) != change:
                self.paths.append(path)
                files[path] = change
                new.add(change)
        known: set[tuple[str, str]] = set()
        if new:
            blobs = sorted({blob for blob, _ in new})
            sql = f"SELECT sha, language FROM blobs WHERE list_contains({sha_list(blobs)}, sha)"
            known = {(str(sha), str(language)) for sha, language in reader.rows(sql)}
        self.stored = sorted({b for b, lang in new & known if b not in base_blobs})
        wanted = sorted(new - known)
        if wanted:
            self.rows = self.source.tables(wanted)
            blobs = self.rows["blobs"]
            for sha, language, lines in zip(
                blobs.column("sha").to_pylist(),
                blobs.column("language").to_pylist(),
                blobs.column("lines").to_pylist(),
                strict=True,
            ):
                self.lines[(sha, language)] = lines

    def extracted(
        self, kind: str, columns: Sequence[str], blobs: set[str]
    ) -> list[tuple[Any, ...]]:
        """Rows of ``kind`` the source extracted for ``blobs`` (``blobs``: by ``sha``;
        the others by ``blob``), as tuples of ``columns``."""
        table = self.rows.get(kind)
        if table is None or not table.num_rows or not blobs:
            return []
        key = table.column("sha" if kind == "blobs" else "blob")
        chosen = table.filter(arrowfn.is_in(key, pa.array(sorted(blobs), pa.string())))
        return list(zip(*(chosen.column(c).to_pylist() for c in columns), strict=True))

    def extend(self, reader: Reader, kind: str, template: str, table: pa.Table) -> pa.Table:
        """``table`` (the base's rows of ``kind``, read with ``template``) with the rows
        of the new blobs: those the store holds, then those the source extracted."""
        parts = [table]
        if self.stored:
            parts.append(reader.table(of_blobs(template, self.stored), []))
        extracted = self.rows.get(kind)
        if extracted is not None and extracted.num_rows:
            # Columns the extraction has no value for (the store's row ids) are NULL.
            columns = [
                extracted.column(f.name)
                if f.name in extracted.column_names
                else pa.nulls(extracted.num_rows, f.type)
                for f in table.schema
            ]
            parts.append(pa.table(columns, names=table.column_names).cast(table.schema))
        if len(parts) == 1:
            return table
        return pa.concat_tables([p.cast(table.schema) for p in parts])
