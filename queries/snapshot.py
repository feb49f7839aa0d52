"""One commit's files and definitions, loaded once and kept in memory.

Lookups at a commit (find, goto, outline, refs, call graph) run against a
:class:`Snapshot`: the commit's path -> blob map and its definitions, indexed by name,
qualified name and path. References are loaded on first need. An :class:`Index` keeps a
few snapshots, so an agent's session pays the load once per commit.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any, overload

import pyarrow as pa

from queries.models import Reference, Symbol
from queries.reader import Reader, sha_list
from queries.snapcache import SnapshotCache

# Rows of the blobs a commit holds: a constant-list filter is pushed into the scan, which
# avoids reading the wide columns of every row of a long history.
SYMBOL_SQL = """
    SELECT s.blob, s.language, s.name, s.qualified_name, s.kind, s.parent,
           s.start_line, s.end_line, s.start_col, s.end_col, s.start_byte, s.end_byte,
           s.signature, s.docstring, s.body_hash, s.idx, s.parent_idx, s.name_line,
           s.name_col, s.sketch
      FROM code_symbols s WHERE list_contains({blobs}, s.blob)
"""
_REFERENCE_SQL = """
    SELECT r.blob, r.language, r.name, r.kind, r.start_line, r.start_col, r.end_line,
           r.end_col, r.start_byte, r.end_byte, r.enclosing, r.enclosing_idx, r.context
      FROM code_references r WHERE list_contains({blobs}, r.blob)
"""


# Columns of SYMBOL_SQL that make a public Symbol, after commit and path.
_SYMBOL_FIELDS = (
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
)
# Symbols built one row at a time before whole columns are converted instead.
_ROW_BUILDS = 256


class Definitions(Sequence[Symbol]):
    """A commit's definitions: columns of an Arrow table, with :class:`Symbol` objects
    built on first access (a lookup touches a few of tens of thousands)."""

    def __init__(self, commit: str, table: pa.Table, rows: list[int], paths: list[str]) -> None:
        self._commit = commit
        self._table = table
        self._rows = rows
        self.paths = paths
        self._columns: dict[str, list[Any]] = {}
        self._built: list[Symbol | None] = [None] * len(rows)
        self._row_builds = 0

    def column(self, name: str) -> list[Any]:
        """One column, aligned with the symbols (``path`` included)."""
        if name == "path":
            return self.paths
        values = self._columns.get(name)
        if values is None:
            raw = self._table.column(name).to_pylist()
            values = self._columns[name] = [raw[r] for r in self._rows]
        return values

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, i: int) -> Symbol: ...

    @overload
    def __getitem__(self, i: slice) -> list[Symbol]: ...

    def __getitem__(self, i: int | slice) -> Symbol | list[Symbol]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        built = self._built[i]
        if built is None:
            if self._row_builds < _ROW_BUILDS:
                self._row_builds += 1
                row = self._table.slice(self._rows[i], 1).to_pylist()[0]
                values = [row[f] for f in _SYMBOL_FIELDS]
            else:
                values = [self.column(f)[i] for f in _SYMBOL_FIELDS]
            built = self._built[i] = Symbol(self._commit, self.paths[i], *values)
        return built

    def __iter__(self) -> Iterator[Symbol]:
        for i in range(len(self)):
            yield self[i]


class Extras(Sequence[tuple[int, int | None, int, int]]):
    """``(idx, parent_idx, name_line, name_col)`` of each definition."""

    def __init__(self, symbols: Definitions) -> None:
        self._symbols = symbols

    def __len__(self) -> int:
        return len(self._symbols)

    @overload
    def __getitem__(self, i: int) -> tuple[int, int | None, int, int]: ...

    @overload
    def __getitem__(self, i: slice) -> list[tuple[int, int | None, int, int]]: ...

    def __getitem__(
        self, i: int | slice
    ) -> tuple[int, int | None, int, int] | list[tuple[int, int | None, int, int]]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        c = self._symbols.column
        return (c("idx")[i], c("parent_idx")[i], c("name_line")[i], c("name_col")[i])


class Snapshot:
    """The files, definitions and (lazily) references of one commit."""

    def __init__(
        self, reader: Reader, repo_id: int, commit: str, cache: SnapshotCache | None = None
    ) -> None:
        self._reader = reader
        self._cache = cache
        self.repo_id = repo_id
        self.commit = commit
        files = self._rows(
            "files", "SELECT path, blob, language FROM files_at(?, repo := ?)", [commit, repo_id]
        )
        self.files: dict[str, tuple[str, str | None]] = dict(
            zip(files["path"], zip(files["blob"], files["language"], strict=True), strict=True)
        )
        self.sorted_paths = sorted(self.files)
        self._paths_of: dict[tuple[str, str | None], list[str]] = defaultdict(list)
        for path in self.sorted_paths:
            self._paths_of[self.files[path]].append(path)
        self._blobs = sorted({blob for blob, _ in self.files.values()})
        table = self._table("symbols", SYMBOL_SQL.format(blobs=sha_list(self._blobs)), [])
        # Symbol i is row rows[i] of the table, at path paths[i] (a blob can sit at
        # several paths). Symbol objects are built on first access.
        rows: list[int] = []
        paths: list[str] = []
        blobs = table.column("blob").to_pylist()
        languages = table.column("language").to_pylist()
        for row, key in enumerate(zip(blobs, languages, strict=True)):
            for path in self._paths_of.get(key, ()):
                rows.append(row)
                paths.append(path)
        self.symbols = Definitions(commit, table, rows, paths)
        # Extra per-symbol data not in the public Symbol: (idx, parent_idx, name_line,
        # name_col), in the same order as self.symbols.
        self.extra = Extras(self.symbols)
        names = self.symbols.column("name")
        qualified = self.symbols.column("qualified_name")
        self.by_name: dict[str, list[int]] = defaultdict(list)
        self.by_qualified: dict[str, list[int]] = defaultdict(list)
        self.by_path: dict[str, list[int]] = defaultdict(list)
        for i, (name, qname, path) in enumerate(zip(names, qualified, paths, strict=True)):
            self.by_name[name].append(i)
            self.by_qualified[qname].append(i)
            self.by_path[path].append(i)
        starts, idxs = self.symbols.column("start_byte"), self.symbols.column("idx")
        for indices in self.by_path.values():
            indices.sort(key=lambda i: (starts[i], idxs[i]))
        self.sorted_names = sorted(self.by_name)
        self._refs: dict[str, list[Any]] | None = None
        self._refs_by_name: dict[str, list[int]] | None = None
        self._refs_by_path: dict[str, list[int]] | None = None

    # ---- definitions

    def names_with_prefix(self, prefix: str) -> list[str]:
        """Definition names starting with ``prefix``, sorted."""
        start = bisect.bisect_left(self.sorted_names, prefix)
        out = []
        for name in self.sorted_names[start:]:
            if not name.startswith(prefix):
                break
            out.append(name)
        return out

    def symbol_at(self, path: str, idx: int | None) -> Symbol | None:
        """The definition with ordinal ``idx`` in the file at ``path``."""
        if idx is None:
            return None
        for i in self.by_path.get(path, ()):
            if self.symbols.column("idx")[i] == idx:
                return self.symbols[i]
        return None

    def index_of(self, symbol: Symbol) -> int:
        """Position of ``symbol`` in :attr:`symbols`."""
        starts = self.symbols.column("start_byte")
        for i in self.by_path.get(symbol.path, ()):
            if starts[i] == symbol.start_byte and self.symbols[i] == symbol:
                return i
        raise KeyError(symbol.qualified_name)

    # ---- references

    def _table(self, kind: str, sql: str, params: list[Any]) -> pa.Table:
        table = self._cache.load(self.commit, kind) if self._cache is not None else None
        if table is None:
            table = self._reader.table(sql, params)
            if self._cache is not None:
                self._cache.save(self.commit, kind, table)
        return table

    def _rows(self, kind: str, sql: str, params: list[Any]) -> dict[str, list[Any]]:
        table = self._table(kind, sql, params)
        return {name: table.column(name).to_pylist() for name in table.column_names}

    def _load_refs(self) -> dict[str, list[Any]]:
        if self._refs is None:
            raw = self._rows("references", _REFERENCE_SQL.format(blobs=sha_list(self._blobs)), [])
            # One row per (reference, path holding its blob), with the path added.
            keep: list[int] = []
            paths: list[str] = []
            for i, key in enumerate(zip(raw["blob"], raw["language"], strict=True)):
                for path in self._paths_of.get(key, ()):
                    keep.append(i)
                    paths.append(path)
            self._refs = {name: [column[i] for i in keep] for name, column in raw.items()}
            self._refs["path"] = paths
            by_name: dict[str, list[int]] = defaultdict(list)
            by_path: dict[str, list[int]] = defaultdict(list)
            for i, (name, path) in enumerate(
                zip(self._refs["name"], self._refs["path"], strict=True)
            ):
                by_name[name].append(i)
                by_path[path].append(i)
            for indices in by_path.values():
                indices.sort(key=lambda i: self._refs["start_byte"][i])  # type: ignore[index]
            self._refs_by_name, self._refs_by_path = by_name, by_path
        return self._refs

    def reference_rows(self, *, name: str | None = None, path: str | None = None) -> list[int]:
        """Row numbers of the references with ``name`` or in ``path``."""
        self._load_refs()
        assert self._refs_by_name is not None and self._refs_by_path is not None
        if name is not None:
            rows = self._refs_by_name.get(name, [])
            if path is None:
                return list(rows)
            paths = self._load_refs()["path"]
            return [i for i in rows if paths[i] == path]
        if path is not None:
            return list(self._refs_by_path.get(path, []))
        return []

    def reference_columns(self) -> dict[str, list[Any]]:
        """The reference rows as columns (for loops that read many rows)."""
        return self._load_refs()

    def reference(self, row: int, resolution: str, target: Symbol | None) -> Reference:
        """The public form of reference row ``row``."""
        r = self._load_refs()
        return Reference(
            commit=self.commit,
            path=r["path"][row],
            blob=r["blob"][row],
            name=r["name"][row],
            kind=r["kind"][row],
            line=r["start_line"][row],
            col=r["start_col"][row],
            end_line=r["end_line"][row],
            end_col=r["end_col"][row],
            start_byte=r["start_byte"][row],
            end_byte=r["end_byte"][row],
            enclosing=r["enclosing"][row],
            context=r["context"][row],
            resolution=resolution,
            target=target,
        )

    def reference_field(self, row: int, column: str) -> Any:
        """One column of reference row ``row``."""
        return self._load_refs()[column][row]
