"""One commit's files and definitions, loaded once and kept in memory.

Lookups at a commit (find, goto, outline, refs, call graph) run against a
:class:`Snapshot`: the commit's path -> blob map and its definitions, indexed by name,
qualified name and path. References are loaded on first need. An :class:`Index` keeps a
few snapshots, so an agent's session pays the load once per commit.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import hashlib
import threading
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pyarrow as pa

from symbiote.indexer.errors import StoreError
from symbiote.queries import arrowfn
from symbiote.queries.columns import (
    Columns,
    RowNumbers,
    encoded,
    group_rows,
    in_store_order,
    of_blobs_in,
    placed,
    with_enclosing,
)
from symbiote.queries.definitions import Definitions, Extras
from symbiote.queries.loads import (
    BINDING_SQL,
    BINDING_TEXTS,
    FILES_SQL,
    REFERENCE_SQL,
    REFERENCE_TEXTS,
    SYMBOL_SQL,
    blob_rows,
)
from symbiote.queries.models import Reference, Symbol
from symbiote.queries.reader import Reader
from symbiote.queries.snapcache import SnapshotCache
from symbiote.queries.worktree import Overlay

# Cached commits tried as donors of a commit's rows (see Snapshot._derived).
_DONORS = 8
# What a loaded row costs besides its Arrow bytes (see Snapshot.nbytes).
_ROW_BYTES = 200


class Snapshot:
    """The files, definitions and (lazily) references of one commit; with an
    ``overlay``, of the working tree laid over that commit (see
    :mod:`symbiote.queries.worktree`)."""

    def __init__(
        self,
        reader: Reader,
        repo_id: int,
        commit: str,
        cache: SnapshotCache | None = None,
        overlay: Overlay | None = None,
        *,
        prefetch: bool = False,
    ) -> None:
        """``prefetch``: start loading the references and bindings at once, beside the
        definitions (see :meth:`prefetch`)."""
        self._reader = reader
        self._cache = cache
        self.repo_id = repo_id
        self.commit = commit  # the base commit of an overlay
        self.overlay = overlay
        self.key = overlay.key if overlay is not None else commit  # what caches key by
        files = self._rows("files", FILES_SQL, [commit, repo_id])
        self.files: dict[str, tuple[str, str | None]] = dict(
            zip(files["path"], zip(files["blob"], files["language"], strict=True), strict=True)
        )
        self._blobs = sorted({blob for blob, _ in self.files.values()})  # the commit's
        self._blob_set = frozenset(self._blobs)
        self._files_key = _key("files", FILES_SQL)
        if overlay is not None:
            overlay.lay(reader, self.files)
        self.sorted_paths = sorted(self.files)
        self._paths_of: dict[tuple[str, str | None], list[str]] = defaultdict(list)
        for path in self.sorted_paths:
            self._paths_of[self.files[path]].append(path)
        self._refs: Columns | None = None
        self._refs_by_name: dict[str, RowNumbers[int]] | None = None
        self._refs_by_path: dict[str, RowNumbers[int]] | None = None
        self._refs_table: pa.Table | None = None
        self._bindings: Columns | None = None
        self._bindings_by_path: dict[str, RowNumbers[int]] | None = None
        self._loading: dict[str, threading.Thread] = {}  # kind -> its load on its way
        self._symbol_rows: pa.Table | None = None
        self._defined = threading.Event()  # set once the definitions are read (or failed)
        if prefetch:
            self.prefetch()
        try:
            table = self._symbol_rows = self._table("symbols", SYMBOL_SQL)
        finally:
            self._defined.set()
        # One row per (definition, path holding its blob); Symbol objects are built on
        # first access.
        table = placed(table, self._paths_of)
        self.symbols = Definitions(commit, table)
        # Extra per-symbol data not in the public Symbol: (idx, parent_idx, name_line,
        # name_col), in the same order as self.symbols.
        self.extra = Extras(self.symbols)
        self._table_placed = table
        self._named_in: dict[str, dict[str, list[int]]] = {}  # path -> qualname -> rows

    def nbytes(self) -> int:
        """Roughly the memory the snapshot holds: its Arrow tables (definitions, and the
        references and bindings once loaded), and per row of them the Python columns,
        groups and resolver answers built over them (~200 bytes: sqlalchemy's HEAD,
        620,000 rows and 54 MB of Arrow, grew its process by ~180 MB)."""
        tables = [self._table_placed, self._refs_table]
        if self._bindings is not None:
            tables.append(self._bindings._table)
        loaded = [t for t in tables if t is not None]
        rows = sum(int(t.num_rows) for t in loaded)
        return int(sum(t.nbytes for t in loaded)) + _ROW_BYTES * rows

    def line_count(self, path: str) -> int | None:
        """Lines of the file at ``path``; None when its blob was not parsed (binary, too
        large, a language without patterns) or was parsed before lines were recorded."""
        blob, language = self.files[path]
        if language is None:
            return None
        if self.overlay is not None and (blob, language) in self.overlay.lines:
            return self.overlay.lines[(blob, language)]
        found = self._reader.scalar(
            "SELECT lines FROM blobs WHERE sha = ? AND language = ?", [blob, language]
        )
        return int(found) if found is not None else None

    # ---- definitions

    @functools.cached_property
    def by_name(self) -> dict[str, RowNumbers[int]]:
        """Row numbers of the definitions by name (built on first use: a command line's
        ``find`` asks about one name, see :meth:`name_rows`)."""
        return group_rows(self._table_placed, [("name", "ascending")])

    @functools.cached_property
    def sorted_names(self) -> list[str]:
        """Every definition name, sorted (built on first use)."""
        return sorted(self.by_name)

    def name_rows(self, name: str) -> list[int]:
        """Row numbers of the definitions called ``name``, in row order (what
        :attr:`by_name` holds for it), without building that index for one question."""
        if "by_name" in self.__dict__:
            return list(self.by_name.get(name, []))
        found = arrowfn.equal(self._table_placed.column("name"), name)
        return np.flatnonzero(found.to_numpy(zero_copy_only=False)).tolist()

    @functools.cached_property
    def by_qualified(self) -> dict[str, RowNumbers[int]]:
        """Row numbers of the definitions by qualified name (built on first use)."""
        return group_rows(self._table_placed, [("qualified_name", "ascending")])

    def qualified_rows(self, qualified_name: str) -> list[int]:
        """Row numbers of the definitions called ``qualified_name``, in row order (what
        :attr:`by_qualified` holds for it), without building that index for one
        question (a command line's ``find``)."""
        if "by_qualified" in self.__dict__:
            return list(self.by_qualified.get(qualified_name, []))
        found = arrowfn.equal(self._table_placed.column("qualified_name"), qualified_name)
        return np.flatnonzero(found.to_numpy(zero_copy_only=False)).tolist()

    @functools.cached_property
    def by_path(self) -> dict[str, RowNumbers[int]]:
        """Row numbers of each file's definitions, in source order (built on first use)."""
        keys = [("path", "ascending"), ("start_byte", "ascending"), ("idx", "ascending")]
        return group_rows(self._table_placed, keys)

    def prefix_rows(self, prefix: str) -> list[int]:
        """Row numbers of the definitions whose name starts with ``prefix``, by name
        (code point order) and then in row order; without building :attr:`by_name` for
        one question."""
        if "by_name" in self.__dict__:
            start = bisect.bisect_left(self.sorted_names, prefix)
            out: list[int] = []
            for name in self.sorted_names[start:]:
                if not name.startswith(prefix):
                    break
                out.extend(self.by_name[name])
            return out
        names = self._table_placed.column("name")
        rows = np.flatnonzero(arrowfn.starts_with(names, prefix).to_numpy(zero_copy_only=False))
        found = arrowfn.take(names, rows).to_pylist()
        return [int(rows[k]) for k in sorted(range(len(found)), key=found.__getitem__)]

    def named_in(self, path: str, qualified_name: str) -> list[int]:
        """Row numbers of the definitions called ``qualified_name`` in the file at
        ``path``, in source order (the file's index is built on first use)."""
        index = self._named_in.get(path)
        if index is None:
            index = self._named_in[path] = {}
            names = self.symbols.column("qualified_name")
            for i in self.by_path.get(path, ()):
                index.setdefault(names[i], []).append(i)
        return index.get(qualified_name, [])

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

    def _load(
        self,
        kind: str,
        sql: str,
        params: list[Any],
        texts: Sequence[str] = (),
        derive: Callable[[str], pa.Table | None] | None = None,
        template: str | None = None,
        apart: bool = False,
        read: Callable[[], pa.Table] | None = None,
    ) -> pa.Table:
        """Rows of ``kind`` for this commit: from the snapshot cache, made from another
        commit's there (``derive``), or read by ``read`` (or with ``sql``). The cache key
        names the query by its digest (of ``template``, the query before the commit's
        blobs were filled in, when there is one)."""
        kind = _key(kind, template or sql)
        table = None
        if self._cache is not None:
            table = self._cache.load(self.commit, kind)
        if table is None:
            table = derive(kind) if derive is not None else None
            if table is None:
                table = read() if read is not None else self._reader.table(sql, params, apart=apart)
                table = encoded(table, texts) if texts else table
                table = in_store_order([table]) if "store_row" in table.column_names else table
            if self._cache is not None:
                self._cache.save(self.commit, kind, table)
                # The saved rows as the cache maps them: the pages are the file's, and
                # only those read count as this process's memory.
                table = self._cache.load(self.commit, kind, touch=False) or table
        return table

    def _derived(
        self, key: str, template: str, texts: Sequence[str], apart: bool = False
    ) -> pa.Table | None:
        """The rows of ``key`` (a kind and its query's digest) made from another
        commit's in the snapshot cache (a donor) holding most of this commit's blobs: its
        rows of the blobs both hold, and the store's rows of the others, in the store's
        order: the table a load from the store gives, for a fraction of its cost
        (sqlalchemy's HEAD once HEAD~1 was loaded: references 1.17 -> 0.16 s)."""
        if self._cache is None:
            return None
        donor, donor_blobs, shared = None, frozenset[str](), 0
        for commit in self._cache.commits_with(key)[:_DONORS]:
            if commit == self.commit:
                continue
            files = self._cache.load(commit, self._files_key, touch=False)
            if files is None:
                continue
            blobs = frozenset(files.column("blob").to_pylist())
            both = len(self._blob_set & blobs)
            if both > shared:
                donor, donor_blobs, shared = commit, blobs, both
        if donor is None or 2 * shared < len(self._blob_set):
            return None
        theirs = self._cache.load(donor, key)
        if theirs is None:
            return None
        parts = [of_blobs_in(theirs, self._blob_set)]
        missing = sorted(self._blob_set - donor_blobs)
        if missing:
            table = blob_rows(self._reader, template, missing, apart)
            parts.append(encoded(table, texts) if texts else table)
        return in_store_order(parts)

    def _table(
        self, kind: str, template: str, texts: Sequence[str] = (), apart: bool = False
    ) -> pa.Table:
        """The rows of ``kind`` of the commit's blobs (``template`` made their query by
        :func:`.loads.blob_rows`), and of an overlay's new blobs; the text columns ``texts``
        dictionary-encoded; ``apart``: read on a cursor of its own (a thread's)."""
        table = self._load(
            kind,
            "",  # read instead by blob_rows
            [],
            texts,
            lambda key: self._derived(key, template, texts, apart),
            template,
            apart,
            lambda: blob_rows(self._reader, template, self._blobs, apart),
        )
        if self.overlay is not None:
            table = self.overlay.extend(self._reader, kind, template, table)
            table = encoded(table, texts) if texts else table  # one dictionary again
        pa.default_memory_pool().release_unused()  # what reading and encoding let go
        return table

    def prepare(self) -> bool:
        """Load the references and bindings too, so that the snapshot (and the snapshot
        cache) holds every table a question may need; whether they had to be loaded."""
        loading = self._refs is None or self._bindings is None
        self._load_refs()
        self.binding_columns()
        return loading

    def _rows(self, kind: str, sql: str, params: list[Any]) -> dict[str, list[Any]]:
        table = self._load(kind, sql, params)
        return {name: table.column(name).to_pylist() for name in table.column_names}

    def prefetch(self) -> None:
        """Start loading the references and the bindings, each on a thread with a
        cursor of its own, for a question that needs them after other work (a diff's
        references): their loads overlap that work and each other."""
        self._ahead("references", self._read_refs)
        self._ahead("bindings", self._read_bindings)

    def _ahead(self, kind: str, read: Callable[[bool], None]) -> None:
        """Load ``kind`` on a thread of its own, unless it is loaded or on its way (and
        not for an overlay, whose rows are laid over on this thread). A load that fails
        there is made again, and fails, where it is needed."""
        loaded = self._refs if kind == "references" else self._bindings
        if loaded is not None or kind in self._loading or self.overlay is not None:
            return

        def run() -> None:
            with contextlib.suppress(Exception):
                read(True)

        thread = self._loading[kind] = threading.Thread(target=run, name=f"load-{kind}")
        thread.start()

    def settle(self) -> None:
        """Let the loads on their way end (before the connection closes)."""
        for kind in list(self._loading):
            self._wait(kind)

    def _wait(self, kind: str) -> None:
        """Let a load of ``kind`` on its way end."""
        thread = self._loading.pop(kind, None)
        if thread is not None:
            thread.join()

    def _read_refs(self, apart: bool) -> None:
        table = self._table("references", REFERENCE_SQL, REFERENCE_TEXTS, apart)
        self._defined.wait()  # a prefetch may start before the definitions are read
        if self._symbol_rows is None:
            raise StoreError(f"the definitions of {self.commit} could not be read")
        table = placed(with_enclosing(table, self._symbol_rows), self._paths_of)
        self._refs_table = table
        self._refs = Columns(table, {})

    def _load_refs(self) -> Columns:
        if self._refs is None:
            self._wait("references")
        if self._refs is None:
            self._ahead("bindings", self._read_bindings)  # the resolver's next need
            self._read_refs(False)
        assert self._refs is not None
        return self._refs

    def reference_rows(self, *, name: str | None = None, path: str | None = None) -> list[int]:
        """Row numbers of the references with ``name`` or in ``path`` (in the file's
        order)."""
        self._load_refs()
        if name is not None:
            if self._refs_by_name is None:
                # Row numbers grouped by name (and, when a path is asked, by path and
                # position), each grouping made on first use: a stable sort keeps
                # source order within a name.
                self._refs_by_name = group_rows(self._refs_table, [("name", "ascending")])
            rows = self._refs_by_name.get(name, ())
            if path is None:
                return list(rows)
            paths = self._load_refs()["path"]
            return [i for i in rows if paths[i] == path]
        if path is not None:
            if self._refs_by_path is None:
                keys = [("path", "ascending"), ("start_byte", "ascending")]
                self._refs_by_path = group_rows(self._refs_table, keys)
            return list(self._refs_by_path.get(path, []))
        return []

    def reference_columns(self) -> Columns:
        """The reference rows as columns (for loops that read many rows)."""
        return self._load_refs()

    def reference(self, row: int, resolution: str, target: Symbol | None) -> Reference:
        """The public form of reference row ``row``."""
        return self.references([(row, resolution, target)])[0]

    def references(self, found: list[tuple[int, str, Symbol | None]]) -> list[Reference]:
        """The public form of reference rows, given as ``(row, resolution, target)``."""
        r = self._load_refs()
        path, blob, name, kind = r["path"], r["blob"], r["name"], r["kind"]
        line, col, end_line, end_col = r["start_line"], r["start_col"], r["end_line"], r["end_col"]
        start, end, enclosing, context = (
            r["start_byte"],
            r["end_byte"],
            r["enclosing"],
            r["context"],
        )
        return [
            Reference(
                commit=self.commit,
                path=path[row],
                blob=blob[row],
                name=name[row],
                kind=kind[row],
                line=line[row],
                col=col[row],
                end_line=end_line[row],
                end_col=end_col[row],
                start_byte=start[row],
                end_byte=end[row],
                enclosing=enclosing[row],
                context=context[row],
                resolution=resolution,
                target=target,
            )
            for row, resolution, target in found
        ]

    def reference_field(self, row: int, column: str) -> Any:
        """One column of reference row ``row``."""
        return self._load_refs()[column][row]

    # ---- bindings

    def binding_columns(self) -> Columns:
        """The bindings of the commit's files (names bound with evidence of their type),
        one row per (binding, path holding its blob); loaded on first use."""
        if self._bindings is None:
            self._wait("bindings")
        if self._bindings is None:
            self._read_bindings(False)
        assert self._bindings is not None
        return self._bindings

    def _read_bindings(self, apart: bool) -> None:
        table = self._table("bindings", BINDING_SQL, BINDING_TEXTS, apart)
        table = placed(table, self._paths_of)
        self._bindings_by_path = group_rows(table, [("path", "ascending")])
        self._bindings = Columns(table, {})

    def binding_rows(self, path: str) -> Sequence[int]:
        """Row numbers of the bindings of the file at ``path``, in row order."""
        self.binding_columns()
        assert self._bindings_by_path is not None
        return self._bindings_by_path.get(path, ())


def cached(cache: SnapshotCache, commit: str) -> bool:
    """Whether ``cache`` holds every table of ``commit``'s snapshot (its files,
    definitions, references and bindings): loading it then reads nothing from the store."""
    tables = [
        ("files", FILES_SQL),
        ("symbols", SYMBOL_SQL),
        ("references", REFERENCE_SQL),
        ("bindings", BINDING_SQL),
    ]
    return all(cache.holds(commit, _key(kind, sql)) for kind, sql in tables)


def _key(kind: str, sql: str) -> str:
    """A snapshot cache key: the kind of rows and its query's digest (a file cached by
    code that selected other columns is not read back)."""
    return f"{kind}-{hashlib.sha1(sql.encode()).hexdigest()[:8]}"
