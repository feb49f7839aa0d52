"""A commit's definitions as loaded: the rows of a snapshot's definitions table, with
:class:`Symbol` objects built on first access (a lookup touches a few of tens of
thousands)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pyarrow as pa

from symbiote.queries.columns import Columns, Lazy, RowNumbers, group_rows, pylist
from symbiote.queries.models import Symbol

# Columns of SYMBOL_SQL that make a public Symbol, after commit and path.
SYMBOL_FIELDS = (
    "blob",
    "language",
    "name",
    "qualified_name",
    "kind",
    "parent",
    "start_line",
    "end_line",
    "start_col",
    "end_col",
    "start_byte",
    "end_byte",
    "signature",
    "docstring",
    "body_hash",
    "type",
)
# Symbols built one row at a time before whole columns are converted instead.
_ROW_BUILDS = 256


class Definitions(Lazy[Symbol]):
    """Definitions: the rows of a :func:`placed` :data:`SYMBOL_SQL` table, with
    :class:`Symbol` objects built on first access (a lookup touches a few of tens of
    thousands)."""

    def __init__(self, commit: str, table: pa.Table) -> None:
        self._commit = commit
        self._table = table
        self.paths: list[str] = list(pylist(table.column("path")))  # one str per path
        self._columns = Columns(table, {"path": self.paths})
        self._built: list[Symbol | None] = [None] * len(self.paths)
        self._row_builds = 0
        self._fields: list[Sequence[Any]] | None = None  # the Symbol columns, once converted
        self._of_path: dict[str, RowNumbers[int]] | None = None  # rows by path, on first use
        self._numbered: set[str] = set()  # the paths whose rows are numbered (ordinal)
        self._ordinals: dict[int, int] = {}  # row -> its ordinal, where it is 2 or more

    def kept(self, rows: Sequence[int]) -> Definitions:
        """The definitions at ``rows``, in that order, with copies of their rows only and
        their ordinals as counted here (among every row of their paths)."""
        kept = Definitions(self._commit, self._table.take(pa.array(rows, pa.int64())))
        unnumbered = {self.paths[i] for i in rows} - self._numbered
        if unnumbered:  # many paths: their columns made plain lists at once
            self._number(unnumbered, self.values("qualified_name"), self.values("idx"))
        for k, i in enumerate(rows):
            ordinal = self.ordinal(i)
            if ordinal > 1:
                kept._ordinals[k] = ordinal
        kept._numbered = set(kept.paths)
        return kept

    def values(self, name: str) -> list[Any]:
        """One column as a plain list, made at once (for loops over most rows)."""
        if name == "path":
            return self.paths
        return self._table.column(name).to_pylist()  # type: ignore[no-any-return]

    def column(self, name: str) -> Sequence[Any]:
        """One column, aligned with the symbols (``path`` included)."""
        return self._columns[name]

    def __len__(self) -> int:
        return len(self.paths)

    def _at(self, i: int) -> Symbol:
        built = self._built[i]
        if built is None:
            if self._row_builds < _ROW_BUILDS:
                self._row_builds += 1
                row = self._table.slice(i, 1).to_pylist()[0]
                values = [row[f] for f in SYMBOL_FIELDS]
            else:
                if self._fields is None:
                    self._fields = [self.column(f) for f in SYMBOL_FIELDS]
                values = [column[i] for column in self._fields]
            fields = dict(zip(SYMBOL_FIELDS, values, strict=True))
            symbol = Symbol(self._commit, self.paths[i], **fields, ordinal=self.ordinal(i))
            built = self._built[i] = symbol
        return built

    def ordinal(self, i: int) -> int:
        """Which of its file's definitions with its qualified name row ``i`` is, in
        source order (1: the first); see :attr:`Symbol.ordinal`. A file's rows are
        numbered together, the first time one of them is asked about."""
        path = self.paths[i]
        if path not in self._numbered:
            self._number({path}, self.column("qualified_name"), self.column("idx"))
        return self._ordinals.get(i, 1)

    def _number(self, paths: set[str], names: Sequence[Any], idx: Sequence[Any]) -> None:
        """Number the rows of ``paths`` (from the columns ``names`` and ``idx``)."""
        if self._of_path is None:
            self._of_path = group_rows(self._table, [("path", "ascending")])
        for path in paths:
            seen: dict[str, int] = {}
            for row in sorted(self._of_path[path], key=idx.__getitem__):
                name = names[row]
                seen[name] = seen.get(name, 0) + 1
                if seen[name] > 1:
                    self._ordinals[row] = seen[name]
            self._numbered.add(path)

    def __iter__(self) -> Iterator[Symbol]:
        for i in range(len(self)):
            yield self[i]


class Extras(Lazy[tuple[int, int | None, int, int]]):
    """``(idx, parent_idx, name_line, name_col)`` of each definition."""

    def __init__(self, symbols: Definitions) -> None:
        self._symbols = symbols

    def __len__(self) -> int:
        return len(self._symbols)

    def _at(self, i: int) -> tuple[int, int | None, int, int]:
        c = self._symbols.column
        return (c("idx")[i], c("parent_idx")[i], c("name_line")[i], c("name_col")[i])
