"""One commit's files and definitions, loaded once and kept in memory.

Lookups at a commit (find, goto, outline, refs, call graph) run against a
:class:`Snapshot`: the commit's path -> blob map and its definitions, indexed by name,
qualified name and path. References are loaded on first need. An :class:`Index` keeps a
few snapshots, so an agent's session pays the load once per commit.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from typing import Any

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
        cols = self._rows("symbols", SYMBOL_SQL.format(blobs=sha_list(self._blobs)), [])
        self.symbols: list[Symbol] = []
        # Extra per-symbol data not in the public Symbol: (idx, parent_idx, name_line,
        # name_col, sketch), in the same order as self.symbols.
        self.extra: list[tuple[int, int | None, int, int, list[int]]] = []
        rows = zip(*(cols[c] for c in cols), strict=True) if cols.get("blob") else iter(())
        for row in rows:
            for path in self._paths_of.get((row[0], row[1]), ()):
                self.symbols.append(Symbol(commit, path, *row[:15]))
                self.extra.append((row[15], row[16], row[17], row[18], row[19]))
        self.by_name: dict[str, list[int]] = defaultdict(list)
        self.by_qualified: dict[str, list[int]] = defaultdict(list)
        self.by_path: dict[str, list[int]] = defaultdict(list)
        for i, s in enumerate(self.symbols):
            self.by_name[s.name].append(i)
            self.by_qualified[s.qualified_name].append(i)
            self.by_path[s.path].append(i)
        for indices in self.by_path.values():
            indices.sort(key=lambda i: (self.symbols[i].start_byte, self.extra[i][0]))
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
            if self.extra[i][0] == idx:
                return self.symbols[i]
        return None

    def index_of(self, symbol: Symbol) -> int:
        """Position of ``symbol`` in :attr:`symbols`."""
        for i in self.by_path.get(symbol.path, ()):
            if self.symbols[i].start_byte == symbol.start_byte and self.symbols[i] == symbol:
                return i
        raise KeyError(symbol.qualified_name)

    # ---- references

    def _rows(self, kind: str, sql: str, params: list[Any]) -> dict[str, list[Any]]:
        table = self._cache.load(self.commit, kind) if self._cache is not None else None
        if table is None:
            table = self._reader.table(sql, params)
            if self._cache is not None:
                self._cache.save(self.commit, kind, table)
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
            return [i for i in rows if path is None or self._ref_col("path", i) == path]
        if path is not None:
            return list(self._refs_by_path.get(path, []))
        return []

    def _ref_col(self, column: str, row: int) -> Any:
        refs = self._load_refs()
        return refs[column][row]

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
        return self._ref_col(column, row)
