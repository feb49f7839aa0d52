"""The DuckDB store, write side: the only indexer module that imports ``duckdb``.

Every write that makes something visible is one transaction, ordered so that a kill at
any point leaves a usable store:

1. a blob's symbols, references and its ``blobs`` row are inserted together;
2. a tree and its entries are inserted only after every blob they reach is stored, and
   after their subtrees (so a stored tree is always complete);
3. a commit row is inserted only after its whole tree is stored, so ``commits`` lists
   exactly the commits that can be answered.

A re-run skips what is present and completes the rest, without duplicates.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from symbiote.indexer.errors import SchemaMismatch, StoreError
from symbiote.indexer.schema import SCHEMA_VERSION
from symbiote.indexer.store_schema import INDEXES, MACROS, MIGRATIONS, TABLES

log = logging.getLogger(__name__)

# One writing job (an index run, an agent-log apply, a `verify --repair`) at a time within
# a process; in `symbiote serve` several run side by side on one database instance.
WRITER = threading.Lock()
# What a shared instance allows its readers (see queries.reader): no files, URLs or
# extensions, and index scans for point lookups.
READ_SETTINGS = (
    "SET enable_external_access = false",
    "SET autoinstall_known_extensions = false",
    "SET autoload_known_extensions = false",
    "SET index_scan_max_count = 200000",
)


# Store files served as this process's shared instance, with the connection that holds it.
_SHARED: dict[str, duckdb.DuckDBPyConnection] = {}


def open_shared(path: Path) -> duckdb.DuckDBPyConnection:
    """Open (create or migrate) the store at ``path`` as this process's database
    instance, for `symbiote serve`: writers (:class:`Store`) and readers then connect to
    the same instance, so readers keep answering while a writer writes (DuckDB's MVCC).
    The instance's settings (memory limit, threads) are those of this first opening; a
    later writer does not change them for everyone. Keep the returned connection open
    for as long as the instance is served."""
    with Store(path):
        pass  # schema, migrations and the instance's settings
    try:
        con = duckdb.connect(str(path))
        for statement in READ_SETTINGS:
            con.execute(statement)
    except duckdb.Error as exc:
        raise StoreError(f"cannot open store {path}: {exc}") from exc
    _SHARED[str(path.resolve())] = con
    return con


def _served(path: Path) -> bool:
    """Whether ``path`` is the shared instance of this process (and still open)."""
    key = str(path.resolve())
    con = _SHARED.get(key)
    if con is None:
        return False
    try:
        con.execute("SELECT 1")
    except duckdb.Error:  # closed: the instance is no longer served
        del _SHARED[key]
        return False
    return True


class Store:
    """A read-write connection to a store file, created on first use."""

    def __init__(
        self, path: Path, *, threads: int | None = None, memory_limit: str = "1GB"
    ) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_file() and path.stat().st_size == 0:
            # A run killed while DuckDB created the file leaves it empty, which DuckDB
            # refuses to open ("not a valid DuckDB database file"); it holds nothing.
            log.warning("store %s is empty (its creation was interrupted): creating it", path)
            path.unlink()
        try:
            self.con = duckdb.connect(str(path))
        except duckdb.Error as exc:
            raise StoreError(f"cannot open store {path}: {exc}") from exc
        try:
            if _served(path):
                # Settings are the instance's, shared with the readers: keep the server's.
                log.info("store %s is served: its settings stay the server's", path)
            else:
                self._configure(threads, memory_limit)
            self._ensure_schema()
        except BaseException:
            self.con.close()  # a store that failed to open holds no lock on the file
            raise

    def _configure(self, threads: int | None, memory_limit: str) -> None:
        try:
            if threads:
                self.con.execute(f"SET threads = {int(threads)}")
            # DuckDB caches up to 80 % of RAM by default; an indexing job stays bounded.
            try:
                self.con.execute("SET memory_limit = ?", [memory_limit])
            except duckdb.Error as exc:
                raise StoreError(f"invalid memory limit {memory_limit!r}: {exc}") from exc
            self.con.execute("SET preserve_insertion_order = false")
        except duckdb.Error as exc:
            raise StoreError(f"cannot open store {self.path}: {exc}") from exc

    def close(self) -> None:
        """Checkpoint and close. On an instance other connections share (`symbiote
        serve`), a checkpoint their open transactions prevent is left to DuckDB (it
        checkpoints as its log grows, and at shutdown): every write is committed."""
        try:
            try:
                self.con.execute("CHECKPOINT")
            except duckdb.TransactionException as exc:
                log.info("checkpoint of %s left for later: %s", self.path, exc)
            self.con.close()
        except duckdb.Error as exc:
            raise StoreError(f"cannot close store {self.path}: {exc}") from exc

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- schema and metadata

    def _ensure_schema(self) -> None:
        try:
            exists = self.con.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 'index_meta'"
            ).fetchone()
            if exists and exists[0]:
                self._migrate(self.get_meta("schema_version"))
            with self.transaction():
                for ddl in TABLES + INDEXES:
                    self.con.execute(ddl)
                self.con.execute(
                    "INSERT OR IGNORE INTO index_meta VALUES ('schema_version', ?)",
                    [str(SCHEMA_VERSION)],
                )
                self.con.execute(
                    "INSERT OR IGNORE INTO index_meta VALUES ('created_at', ?)",
                    [datetime.now(UTC).isoformat()],
                )
            for macro in MACROS:
                self.con.execute(macro)
        except duckdb.Error as exc:
            raise StoreError(f"cannot prepare store {self.path}: {exc}") from exc

    def _migrate(self, found: str | None) -> None:
        """Bring an older store up to :data:`SCHEMA_VERSION`, or refuse clearly."""
        version = int(found) if found is not None and found.isdigit() else None
        if version == SCHEMA_VERSION:
            return
        if version is None or version > SCHEMA_VERSION or version not in MIGRATIONS:
            raise SchemaMismatch(
                f"store {self.path} has schema version {found}; this code reads version "
                f"{SCHEMA_VERSION} and can migrate from "
                f"{', '.join(map(str, sorted(MIGRATIONS))) or 'none'}. "
                "Move the store aside and index again."
            )
        while version < SCHEMA_VERSION:
            log.info("migrating store %s from schema %d to %d", self.path, version, version + 1)
            with self.transaction():
                for statement in MIGRATIONS[version]:
                    self.con.execute(statement)
                version += 1
                self.con.execute(
                    "UPDATE index_meta SET value = ? WHERE key = 'schema_version'", [str(version)]
                )

    def get_meta(self, key: str) -> str | None:
        """A value of the ``index_meta`` table."""
        row = self._fetchone("SELECT value FROM index_meta WHERE key = ?", [key])
        return None if row is None else str(row[0])

    def set_meta(self, values: dict[str, str]) -> None:
        """Record several metadata values at once."""
        with self.transaction():
            for key, value in values.items():
                self.con.execute("INSERT OR REPLACE INTO index_meta VALUES (?, ?)", [key, value])

    # ---- helpers

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic unit of writes."""
        try:
            self.con.execute("BEGIN TRANSACTION")
        except duckdb.Error as exc:
            raise StoreError(f"cannot begin a transaction: {exc}") from exc
        try:
            yield
        except BaseException:
            try:
                self.con.execute("ROLLBACK")
            except duckdb.Error:
                log.exception("rollback failed")
            raise
        try:
            self.con.execute("COMMIT")
        except duckdb.Error as exc:
            raise StoreError(f"cannot commit a transaction: {exc}") from exc

    def _fetchone(self, sql: str, params: list[object] | None = None) -> tuple[object, ...] | None:
        try:
            return self.con.execute(sql, params or []).fetchone()
        except duckdb.Error as exc:
            raise StoreError(f"store query failed: {exc}") from exc

    def rows(self, sql: str, params: list[object] | None = None) -> list[tuple[Any, ...]]:
        """All rows of a query (inside or outside a transaction)."""
        try:
            return self.con.execute(sql, params or []).fetchall()
        except duckdb.Error as exc:
            raise StoreError(f"store query failed: {exc}") from exc

    def execute(self, sql: str, params: list[object] | None = None) -> None:
        """Run one statement (inside or outside a transaction)."""
        try:
            self.con.execute(sql, params or [])
        except duckdb.Error as exc:
            raise StoreError(f"store statement failed: {exc}") from exc

    def retire_snapshots(self) -> None:
        """Readers cache commit snapshots per generation (``queries.snapcache``): start a
        new one after rows of existing blobs or commits change. Works inside an open
        transaction."""
        generation = int(self.get_meta("generation") or 0) + 1
        self.execute(
            "INSERT OR REPLACE INTO index_meta VALUES ('generation', ?)", [str(generation)]
        )

    def _insert_arrow(self, table: str, rows: pa.Table, *, or_ignore: bool = False) -> None:
        if rows.num_rows == 0:
            return
        columns = ", ".join(rows.column_names)
        verb = "INSERT OR IGNORE INTO" if or_ignore else "INSERT INTO"
        self.con.register("_incoming", rows)
        try:
            self.con.execute(f"{verb} {table} ({columns}) SELECT {columns} FROM _incoming")
        finally:
            self.con.unregister("_incoming")

    # ---- repositories, commits, refs

    def repository_id(self, path: str, head_branch: str | None) -> int:
        """The id of the repository at ``path``, registering it on first sight."""
        try:
            with self.transaction():
                row = self.con.execute(
                    "SELECT id FROM repositories WHERE path = ?", [path]
                ).fetchone()
                if row is not None:
                    self.con.execute(
                        "UPDATE repositories SET head_branch = ? WHERE id = ?",
                        [head_branch, row[0]],
                    )
                    return int(row[0])
                new = self.con.execute(
                    "SELECT coalesce(max(id), 0) + 1 FROM repositories"
                ).fetchone()
                assert new is not None
                self.con.execute(
                    "INSERT INTO repositories VALUES (?, ?, ?, ?, NULL)",
                    [new[0], path, head_branch, datetime.now(UTC)],
                )
                return int(new[0])
        except duckdb.Error as exc:
            raise StoreError(f"cannot register repository {path}: {exc}") from exc

    def indexed_commits(self, repo_id: int) -> set[str]:
        """Shas of the commits of a repository that are fully indexed."""
        return {
            str(r[0]) for r in self.rows("SELECT sha FROM commits WHERE repo_id = ?", [repo_id])
        }

    def known_trees(self) -> set[str]:
        """Shas of every fully stored tree."""
        return {str(r[0]) for r in self.rows("SELECT sha FROM trees")}

    def known_blobs(self) -> set[tuple[str, str]]:
        """``(sha, language)`` of every stored blob."""
        return {(str(r[0]), str(r[1])) for r in self.rows("SELECT sha, language FROM blobs")}

    def write_blobs(
        self, blobs: pa.Table, symbols: pa.Table, references: pa.Table, notes: pa.Table
    ) -> None:
        """Insert extracted blobs with their rows, atomically. Blobs already stored (a
        stale extraction being replaced) lose their old rows in the same transaction."""
        try:
            with self.transaction():
                self.con.register("_keys", blobs.select(["sha", "language"]))
                try:
                    for table, column in (
                        ("code_symbols", "blob"),
                        ("code_references", "blob"),
                        ("sidecar_entries", "blob"),
                        ("blobs", "sha"),
                    ):
                        self.con.execute(
                            f"DELETE FROM {table} WHERE ({column}, language) IN "
                            "(SELECT sha, language FROM _keys)"
                        )
                finally:
                    self.con.unregister("_keys")
                self._insert_arrow("code_symbols", symbols)
                self._insert_arrow("code_references", references)
                self._insert_arrow("sidecar_entries", notes)
                self._insert_arrow("blobs", blobs)
        except duckdb.Error as exc:
            raise StoreError(f"cannot write blobs: {exc}") from exc

    def write_blobs_new(
        self, blobs: pa.Table, symbols: pa.Table, references: pa.Table, notes: pa.Table
    ) -> None:
        """Insert blobs that are not in the store yet (the common, fast path)."""
        try:
            with self.transaction():
                self._insert_arrow("code_symbols", symbols)
                self._insert_arrow("code_references", references)
                self._insert_arrow("sidecar_entries", notes)
                self._insert_arrow("blobs", blobs)
        except duckdb.Error as exc:
            raise StoreError(f"cannot write blobs: {exc}") from exc

    def write_trees(self, trees: list[str], entries: pa.Table) -> None:
        """Insert complete trees (entries first, then the marker rows), atomically."""
        if not trees:
            return
        try:
            with self.transaction():
                self._insert_arrow("tree_entries", entries)
                self._insert_arrow("trees", pa.table({"sha": trees}), or_ignore=True)
        except duckdb.Error as exc:
            raise StoreError(f"cannot write trees: {exc}") from exc

    def write_commits(self, commits: pa.Table, changes: pa.Table, diffs: pa.Table) -> None:
        """Mark commits as indexed (their trees must already be stored), with the files
        each changed against its first parent, atomically."""
        try:
            with self.transaction():
                self._insert_changes(changes, diffs)
                self._insert_arrow("commits", commits, or_ignore=True)
        except duckdb.Error as exc:
            raise StoreError(f"cannot write commits: {exc}") from exc

    def commits_without_diffs(self, repo_id: int) -> list[str]:
        """Indexed commits whose changed files are not stored (a store migrated from
        schema 4), oldest first."""
        rows = self.rows(
            "SELECT sha FROM commits c WHERE repo_id = ? "
            "AND NOT EXISTS (SELECT 1 FROM commit_diffs d WHERE d.commit = c.sha) "
            "ORDER BY committer_time, sha",
            [repo_id],
        )
        return [str(r[0]) for r in rows]

    def write_changes(self, changes: pa.Table, diffs: pa.Table) -> None:
        """Store the changed files of commits already indexed, atomically."""
        try:
            with self.transaction():
                self._insert_changes(changes, diffs)
        except duckdb.Error as exc:
            raise StoreError(f"cannot write changed files: {exc}") from exc

    def _insert_changes(self, changes: pa.Table, diffs: pa.Table) -> None:
        # A commit held by another repository (or indexed again after a repair) keeps
        # the rows it has: they are the same.
        self.con.register("_diffs", diffs)
        try:
            fresh = self.con.execute(
                "SELECT commit FROM _diffs ANTI JOIN commit_diffs USING (commit)"
            ).fetchall()
        finally:
            self.con.unregister("_diffs")
        if len(fresh) < diffs.num_rows:
            keep = pa.array([r[0] for r in fresh], pa.string())
            changes = changes.filter(pc.is_in(changes.column("commit"), keep))
            diffs = diffs.filter(pc.is_in(diffs.column("commit"), keep))
        self._insert_arrow("file_changes", changes)
        self._insert_arrow("commit_diffs", diffs)

    def replace_refs(self, repo_id: int, refs: pa.Table) -> None:
        """Make ``refs`` the repository's refs, keeping only those whose commit is indexed."""
        try:
            with self.transaction():
                self.con.execute("DELETE FROM refs WHERE repo_id = ?", [repo_id])
                self.con.register("_refs", refs)
                try:
                    self.con.execute(
                        "INSERT INTO refs (repo_id, name, short_name, kind, commit) "
                        "SELECT r.repo_id, r.name, r.short_name, r.kind, r.commit FROM _refs r "
                        "WHERE EXISTS (SELECT 1 FROM commits c "
                        "              WHERE c.repo_id = r.repo_id AND c.sha = r.commit)"
                    )
                finally:
                    self.con.unregister("_refs")
                self.con.execute(
                    "UPDATE repositories SET indexed_at = ? WHERE id = ?",
                    [datetime.now(UTC), repo_id],
                )
        except duckdb.Error as exc:
            raise StoreError(f"cannot write refs: {exc}") from exc

    # ---- the agent log (applied from its journal, see indexer.agent_log)

    def apply_agent_log(self, entries: list[dict[str, Any]], applied: int) -> None:
        """Insert journal entries into the agent tables and move the applied mark from
        ``applied`` past them, in one transaction (so each entry lands exactly once)."""
        columns = {
            "critique": ("agent_critiques", _CRITIQUE_COLUMNS),
            "action": ("agent_actions", _ACTION_COLUMNS),
            "outcome": ("agent_outcomes", _OUTCOME_COLUMNS),
        }
        try:
            with self.transaction():
                for entry in entries:
                    table, names = columns[entry["kind"]]
                    values = [json.dumps(entry[n]) if n == "evidence" else entry[n] for n in names]
                    marks = ", ".join("?" for _ in names)
                    self.con.execute(
                        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})", values
                    )
                self.con.execute(
                    "INSERT OR REPLACE INTO index_meta VALUES ('agent_log_applied', ?)",
                    [str(applied + len(entries))],
                )
        except duckdb.Error as exc:
            raise StoreError(f"cannot apply the agent log: {exc}") from exc

    # ---- re-extraction

    def stale_blobs(
        self, digests: dict[str, str], extractor_version: int, limit: int
    ) -> list[tuple[str, str, int]]:
        """Up to ``limit`` blobs extracted by other patterns or extractor code:
        ``(sha, language, size)``."""
        if not digests:
            return []
        self.con.register(
            "_digests", pa.table({"language": list(digests), "digest": list(digests.values())})
        )
        try:
            rows = self.rows(
                "SELECT b.sha, b.language, b.size FROM blobs b JOIN _digests d "
                "ON b.language = d.language "
                "WHERE b.patterns_digest IS DISTINCT FROM d.digest OR b.extractor_version <> ? "
                "ORDER BY b.sha, b.language LIMIT ?",
                [extractor_version, limit],
            )
        finally:
            self.con.unregister("_digests")
        return [(str(s), str(lang), int(str(n))) for s, lang, n in rows]

    # ---- counts

    def counts(
        self,
        tables: Iterable[str] = (
            "commits",
            "trees",
            "tree_entries",
            "blobs",
            "code_symbols",
            "code_references",
        ),
    ) -> dict[str, int]:
        """Row counts of the main tables."""
        out: dict[str, int] = {}
        for table in tables:
            row = self._fetchone(f"SELECT count(*) FROM {table}")
            out[table] = int(str(row[0])) if row else 0
        return out

    # ---- what the search sidecar embeds

    def find_repository(self, path: str) -> int | None:
        """The id of the repository at ``path``, if it is in the store."""
        row = self._fetchone("SELECT id FROM repositories WHERE path = ?", [path])
        return int(str(row[0])) if row else None

    def ref_commits(self, repo_id: int, kinds: tuple[str, ...]) -> list[tuple[str, str]]:
        """``(ref name, commit)`` of the indexed refs of the given kinds, HEAD first."""
        rows = self.rows(
            "SELECT name, commit FROM refs WHERE repo_id = ? AND list_contains(?, kind) "
            "ORDER BY kind <> 'head', name",
            [repo_id, list(kinds)],
        )
        return [(str(n), str(c)) for n, c in rows]

    def commit_of(self, repo_id: int, rev: str) -> str | None:
        """The indexed commit a ref name, sha or sha prefix names."""
        row = self._fetchone("SELECT commit_of(?, repo := ?)", [rev, repo_id])
        return str(row[0]) if row and row[0] is not None else None

    def definitions_at(self, repo_id: int, commit: str) -> pa.Table:
        """The definitions of one commit with their path (for embedding)."""
        try:
            return self.con.execute(
                "SELECT path, blob, qualified_name, kind, body_hash, docstring, start_byte, "
                "end_byte FROM symbols_at(?, repo := ?) ORDER BY path, idx",
                [commit, repo_id],
            ).to_arrow_table()
        except duckdb.Error as exc:
            raise StoreError(f"cannot read the definitions of {commit}: {exc}") from exc

    def definition_identities(self) -> pa.Table:
        """Distinct ``(qualified_name, kind, body_hash, docstring)`` of every definition."""
        try:
            return self.con.execute(
                "SELECT DISTINCT qualified_name, kind, body_hash, docstring FROM code_symbols"
            ).to_arrow_table()
        except duckdb.Error as exc:
            raise StoreError(f"cannot read definitions: {exc}") from exc


_SHARED_COLUMNS = ("id", "recorded_at", "agent")
_CRITIQUE_COLUMNS = (
    *_SHARED_COLUMNS,
    *("repo_id", "commit", "path", "qualified_name", "category", "severity", "text"),
    *("supersedes", "retracted"),
)
_ACTION_COLUMNS = (
    *_SHARED_COLUMNS,
    *("critique", "description", "commit", "paths", "definitions", "supersedes", "retracted"),
)
_OUTCOME_COLUMNS = (*_SHARED_COLUMNS, "action", "verdict", "evidence", "supersedes", "retracted")
