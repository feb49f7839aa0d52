"""Column builders that turn extractions, trees and commits into Arrow tables.

Rows are accumulated as the tuples the extractor makes and converted to Arrow tables in
native passes; DuckDB inserts those tables without copying row by row.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

import pyarrow as pa

from symbiote.indexer.bindings import Binding
from symbiote.indexer.extract import EXTRACTOR_VERSION, Definition, Extraction, ReferenceRow
from symbiote.indexer.gitinfo import KIND_LINK, CommitInfo, FileChange, RefInfo, TreeEntry
from symbiote.indexer.languages import LINK_LANGUAGE, language_for_path
from symbiote.indexer.sidecar_files import Note

# Column order of the store's tables is the field order of the extraction records.
_SYMBOL_COLUMNS = ("blob", "language", *Definition._fields)
_REFERENCE_COLUMNS = ("blob", "language", *ReferenceRow._fields)
_BINDING_COLUMNS = ("blob", "language", *Binding._fields)
_BLOB_COLUMNS = (
    "sha",
    "language",
    "size",
    "status",
    "detail",
    "extractor_version",
    "patterns_digest",
    "n_symbols",
    "n_references",
    "lines",
)
_NOTE_COLUMNS = ("blob", "language", *Note._fields)
_LIST_COLUMNS = frozenset({"invariants", "owners", "warnings", "links", "arguments"})
_INT_COLUMNS = frozenset(
    {
        "idx",
        "parent_idx",
        "start_byte",
        "end_byte",
        "start_line",
        "end_line",
        "start_col",
        "end_col",
        "name_line",
        "name_col",
        "enclosing_idx",
        "scope_idx",
        "line",
        "col",
        "extractor_version",
        "n_symbols",
        "n_references",
        "lines",
    }
)


def _schema(columns: Iterable[str]) -> pa.Schema:
    fields = []
    for name in columns:
        if name == "size":
            fields.append(pa.field(name, pa.int64()))
        elif name == "sketch":
            fields.append(pa.field(name, pa.list_(pa.uint32())))
        elif name in _LIST_COLUMNS:
            fields.append(pa.field(name, pa.list_(pa.string())))
        elif name in _INT_COLUMNS:
            fields.append(pa.field(name, pa.int32()))
        else:
            fields.append(pa.field(name, pa.string()))
    return pa.schema(fields)


SYMBOL_SCHEMA = _schema(_SYMBOL_COLUMNS)
REFERENCE_SCHEMA = _schema(_REFERENCE_COLUMNS)
NOTE_SCHEMA = _schema(_NOTE_COLUMNS)
BINDING_SCHEMA = _schema(_BINDING_COLUMNS)
BLOB_SCHEMA = _schema(_BLOB_COLUMNS)


class _Keyed:
    """Rows of one table whose first two columns (blob, language) repeat per blob: the
    rest of each row is kept as extracted and converted in one pass (see ``table``)."""

    def __init__(self, schema: pa.Schema) -> None:
        self.schema = schema
        self.struct = pa.struct(list(schema)[2:])
        self.rows: list[tuple[object, ...]] = []
        self.shas: list[str] = []
        self.languages: list[str] = []

    def extend(self, sha: str, language: str, rows: Sequence[tuple[object, ...]]) -> None:
        self.rows.extend(rows)
        self.shas.extend(itertools.repeat(sha, len(rows)))
        self.languages.extend(itertools.repeat(language, len(rows)))

    def table(self) -> pa.Table:
        if not self.rows:
            return self.schema.empty_table()
        # Arrow converts the row tuples to a struct array in one native pass: 3-4x faster
        # than transposing them into columns in Python first (400,000 references a run).
        rows = pa.array(self.rows, type=self.struct)
        return pa.Table.from_arrays(
            [pa.array(self.shas, pa.string()), pa.array(self.languages, pa.string())]
            + rows.flatten(),
            schema=self.schema,
        )


class BlobRows:
    """Accumulates the rows of extracted blobs."""

    def __init__(self) -> None:
        self.blobs: list[tuple[object, ...]] = []
        self.symbols = _Keyed(SYMBOL_SCHEMA)
        self.references = _Keyed(REFERENCE_SCHEMA)
        self.notes = _Keyed(NOTE_SCHEMA)
        self.bindings = _Keyed(BINDING_SCHEMA)

    def __len__(self) -> int:
        return len(self.blobs)

    def add(
        self,
        sha: str,
        language: str,
        size: int | None,
        extraction: Extraction,
        patterns_digest: str | None,
    ) -> None:
        """Add one blob with everything extracted from it (``size`` None: never read)."""
        self.blobs.append(
            (
                sha,
                language,
                size,
                extraction.status,
                extraction.detail,
                EXTRACTOR_VERSION,
                patterns_digest,
                len(extraction.definitions),
                len(extraction.references),
                extraction.lines,
            )
        )
        self.symbols.extend(sha, language, extraction.definitions)
        self.references.extend(sha, language, extraction.references)
        self.notes.extend(sha, language, extraction.notes)
        self.bindings.extend(sha, language, extraction.bindings)

    def tables(self) -> tuple[pa.Table, pa.Table, pa.Table, pa.Table, pa.Table]:
        """``(blobs, symbols, references, notes, bindings)`` as Arrow tables."""
        return (
            _columns(self.blobs, BLOB_SCHEMA),
            self.symbols.table(),
            self.references.table(),
            self.notes.table(),
            self.bindings.table(),
        )


def _columns(rows: list[tuple[object, ...]], schema: pa.Schema) -> pa.Table:
    if not rows:
        return schema.empty_table()
    columns = list(zip(*rows, strict=True))
    return pa.table(
        [pa.array(c, f.type) for c, f in zip(columns, schema, strict=True)], schema=schema
    )


TREE_ENTRY_SCHEMA = pa.schema(
    [
        pa.field("tree", pa.string()),
        pa.field("name", pa.string()),
        pa.field("raw_name", pa.binary()),
        pa.field("mode", pa.int32()),
        pa.field("kind", pa.string()),
        pa.field("object", pa.string()),
        pa.field("language", pa.string()),
    ]
)


def tree_entries_table(trees: list[tuple[str, list[TreeEntry], list[str | None]]]) -> pa.Table:
    """Rows of ``tree_entries`` for ``(tree sha, entries, language per entry)``."""
    cols: dict[str, list[object]] = {f.name: [] for f in TREE_ENTRY_SCHEMA}
    for sha, entries, languages in trees:
        for entry, language in zip(entries, languages, strict=True):
            cols["tree"].append(sha)
            cols["name"].append(entry.name)
            cols["raw_name"].append(entry.raw_name)
            cols["mode"].append(entry.mode)
            cols["kind"].append(entry.kind)
            cols["object"].append(entry.sha)
            cols["language"].append(language)
    return pa.table(cols, schema=TREE_ENTRY_SCHEMA)


COMMIT_SCHEMA = pa.schema(
    [
        pa.field("repo_id", pa.int32()),
        pa.field("sha", pa.string()),
        pa.field("tree", pa.string()),
        pa.field("parents", pa.list_(pa.string())),
        pa.field("author_name", pa.string()),
        pa.field("author_email", pa.string()),
        pa.field("author_time", pa.timestamp("us", tz="UTC")),
        pa.field("committer_name", pa.string()),
        pa.field("committer_email", pa.string()),
        pa.field("committer_time", pa.timestamp("us", tz="UTC")),
        pa.field("message", pa.string()),
    ]
)


def commits_table(repo_id: int, commits: list[CommitInfo]) -> pa.Table:
    """Rows of ``commits``."""
    return pa.table(
        {
            "repo_id": [repo_id] * len(commits),
            "sha": [c.sha for c in commits],
            "tree": [c.tree for c in commits],
            "parents": [list(c.parents) for c in commits],
            "author_name": [c.author_name for c in commits],
            "author_email": [c.author_email for c in commits],
            "author_time": [c.author_time for c in commits],
            "committer_name": [c.committer_name for c in commits],
            "committer_email": [c.committer_email for c in commits],
            "committer_time": [c.committer_time for c in commits],
            "message": [c.message for c in commits],
        },
        schema=COMMIT_SCHEMA,
    )


def refs_table(repo_id: int, refs: list[RefInfo]) -> pa.Table:
    """Rows of ``refs``."""
    return pa.table(
        {
            "repo_id": pa.array([repo_id] * len(refs), pa.int32()),
            "name": pa.array([r.name for r in refs], pa.string()),
            "short_name": pa.array([r.short_name for r in refs], pa.string()),
            "kind": pa.array([r.kind for r in refs], pa.string()),
            "commit": pa.array([r.commit for r in refs], pa.string()),
        }
    )


FILE_CHANGE_SCHEMA = pa.schema(
    [
        pa.field(name, pa.string())
        for name in (
            *("commit", "path", "before_blob", "before_language"),
            *("after_blob", "after_language"),
        )
    ]
)
COMMIT_DIFF_SCHEMA = pa.schema([pa.field("commit", pa.string()), pa.field("files", pa.int32())])


def file_changes_tables(changes: list[tuple[str, list[FileChange]]]) -> tuple[pa.Table, pa.Table]:
    """Rows of ``file_changes`` and ``commit_diffs`` for ``(commit, changed files)``.
    Languages are decided by the name, as for tree entries."""
    rows: list[tuple[object, ...]] = []
    diffs: list[tuple[object, ...]] = []
    for commit, files in changes:
        for change in files:
            language = language_for_path(change.path)
            sides: list[object] = []
            for side in (change.before, change.after):
                if side is None:
                    sides += [None, None]
                else:
                    sides += [side[1], LINK_LANGUAGE if side[0] == KIND_LINK else language]
            rows.append((commit, change.path, *sides))
        diffs.append((commit, len(files)))
    return _columns(rows, FILE_CHANGE_SCHEMA), _columns(diffs, COMMIT_DIFF_SCHEMA)
