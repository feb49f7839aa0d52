"""What the indexing and embedding jobs write into the store and read back from it.

Each write is one transaction (see :mod:`symbiote.indexer.store` for the order that keeps
a killed run's store usable); reads answer the job's questions: what is stored already,
what is stale, which definitions a commit holds.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pyarrow as pa
import pyarrow.compute as pc

from symbiote.indexer.schema import STATUS_MISSING
from symbiote.indexer.store import Store

# The tables a blob's rows are in, with the column naming the blob.
_BLOB_TABLES = (
    ("code_symbols", "blob"),
    ("code_references", "blob"),
    ("sidecar_entries", "blob"),
    ("code_bindings", "blob"),
    ("blobs", "sha"),
)

# ---- repositories, commits, refs


def repository_id(store: Store, path: str, head_branch: str | None) -> int:
    """The id of the repository at ``path``, registering it on first sight."""
    with store.transaction():
        rows = store.rows("SELECT id FROM repositories WHERE path = ?", [path])
        if rows:
            store.execute(
                "UPDATE repositories SET head_branch = ? WHERE id = ?", [head_branch, rows[0][0]]
            )
            return int(rows[0][0])
        new = int(store.rows("SELECT coalesce(max(id), 0) + 1 FROM repositories")[0][0])
        store.execute(
            "INSERT INTO repositories VALUES (?, ?, ?, ?, NULL)",
            [new, path, head_branch, datetime.now(UTC)],
        )
        return new


def find_repository(store: Store, path: str) -> int | None:
    """The id of the repository at ``path``, if it is in the store."""
    rows = store.rows("SELECT id FROM repositories WHERE path = ?", [path])
    return int(rows[0][0]) if rows else None


def indexed_commits(store: Store, repo_id: int) -> set[str]:
    """Shas of the commits of a repository that are fully indexed."""
    return {str(r[0]) for r in store.rows("SELECT sha FROM commits WHERE repo_id = ?", [repo_id])}


def known_trees(store: Store) -> set[str]:
    """Shas of every fully stored tree."""
    return {str(r[0]) for r in store.rows("SELECT sha FROM trees")}


def known_blobs(store: Store) -> set[tuple[str, str]]:
    """``(sha, language)`` of every stored blob."""
    return {(str(r[0]), str(r[1])) for r in store.rows("SELECT sha, language FROM blobs")}


def write_blobs(
    store: Store,
    blobs: pa.Table,
    symbols: pa.Table,
    references: pa.Table,
    notes: pa.Table,
    bindings: pa.Table,
    *,
    replace: bool = False,
) -> None:
    """Insert extracted blobs with their rows, atomically. With ``replace`` (a stale
    extraction being replaced), blobs already stored lose their old rows in the same
    transaction."""
    with store.transaction():
        if replace:
            with store.registered("_keys", blobs.select(["sha", "language"])):
                for table, column in _BLOB_TABLES:
                    store.execute(
                        f"DELETE FROM {table} WHERE ({column}, language) IN "
                        "(SELECT sha, language FROM _keys)"
                    )
        store.insert("code_symbols", symbols)
        store.insert("code_references", stored_references(references))
        store.insert("sidecar_entries", notes)
        store.insert("code_bindings", bindings)
        store.insert("blobs", blobs)


def stored_references(references: pa.Table) -> pa.Table:
    """Reference rows (``batches.REFERENCE_SCHEMA``) as ``code_references`` holds them: no
    ``enclosing`` (its ``enclosing_idx`` names it), and each end NULL where the name
    gives it (``schema.REFERENCE_ENDS`` computes it back)."""
    width = pc.binary_length(references.column("name"))
    start_byte, start_line, start_col = (
        references.column(c) for c in ("start_byte", "start_line", "start_col")
    )
    end_byte, end_line, end_col = (
        references.column(c) for c in ("end_byte", "end_line", "end_col")
    )
    one_line = pc.equal(end_line, start_line)
    derived = {
        "end_byte": pc.equal(end_byte, pc.add(start_byte, width)),
        "end_line": one_line,
        "end_col": pc.and_(one_line, pc.equal(end_col, pc.add(start_col, width))),
    }
    for column, given in derived.items():
        i = references.schema.get_field_index(column)
        kept = pc.if_else(given, pa.scalar(None, pa.int32()), references.column(i))
        references = references.set_column(i, column, kept)
    return references.drop_columns(["enclosing"])


def write_trees(store: Store, trees: list[str], entries: pa.Table) -> None:
    """Insert complete trees (entries first, then the marker rows), atomically."""
    if not trees:
        return
    with store.transaction():
        store.insert("tree_entries", entries)
        store.insert("trees", pa.table({"sha": trees}), or_ignore=True)


def write_commits(store: Store, commits: pa.Table, changes: pa.Table, diffs: pa.Table) -> None:
    """Mark commits as indexed (their trees must already be stored), with the files each
    changed against its first parent, atomically. A commit once skipped, or archived, is
    no longer."""
    with store.transaction():
        _insert_changes(store, changes, diffs)
        store.insert("commits", commits, or_ignore=True)
        with store.registered("_done", commits.select(["repo_id", "sha"])):
            for table in ("skipped_commits", "archived_commits"):
                store.execute(
                    f"DELETE FROM {table} WHERE (repo_id, sha) IN (SELECT repo_id, sha FROM _done)"
                )


def record_archived(store: Store, repo_id: int, archive: str, commits: list[str]) -> None:
    """Record that ``commits`` go to the folder ``archive``, with the refs at them (in the
    transaction of ``symbiote archive`` that deletes their rows)."""
    at: dict[str, set[str]] = {}
    for name, short, commit in store.rows(
        "SELECT name, short_name, commit FROM refs WHERE repo_id = ? AND list_contains(?, commit)",
        [repo_id, commits],
    ):
        at.setdefault(str(commit), set()).update((str(name), str(short)))
    rows = pa.table(
        {
            "repo_id": pa.array([repo_id] * len(commits), pa.int32()),
            "sha": pa.array(commits, pa.string()),
            "archive": pa.array([archive] * len(commits), pa.string()),
            "refs": pa.array([sorted(at.get(sha, ())) for sha in commits], pa.list_(pa.string())),
        }
    )
    with store.registered("_archived", rows):
        store.execute("INSERT OR REPLACE INTO archived_commits BY NAME SELECT * FROM _archived")


def archived_commits(store: Store, repo_id: int) -> set[str]:
    """Shas of the commits of a repository that ``symbiote archive`` moved out."""
    rows = store.rows("SELECT sha FROM archived_commits WHERE repo_id = ?", [repo_id])
    return {str(r[0]) for r in rows}


SKIPPED_SCHEMA = pa.schema(
    [
        pa.field("repo_id", pa.int32()),
        pa.field("sha", pa.string()),
        pa.field("missing_tree", pa.string()),
        pa.field("detail", pa.string()),
    ]
)


def record_skipped(store: Store, repo_id: int, skipped: list[tuple[str, str, str]]) -> None:
    """Record ``(commit, missing tree, detail)`` of commits not indexed because a tree
    they reach is missing."""
    if not skipped:
        return
    rows = pa.table(
        {
            "repo_id": [repo_id] * len(skipped),
            "sha": [s[0] for s in skipped],
            "missing_tree": [s[1] for s in skipped],
            "detail": [s[2] for s in skipped],
        },
        schema=SKIPPED_SCHEMA,
    )
    with store.transaction():
        with store.registered("_skipped", rows):
            store.execute(
                "INSERT OR REPLACE INTO skipped_commits SELECT repo_id, sha, missing_tree, "
                "detail FROM _skipped"
            )


def forget_skipped(store: Store, repo_id: int, keep: set[str]) -> None:
    """After a complete run: drop the records of skipped commits that this run did not
    skip (no longer planned; the indexed ones are gone already)."""
    keep_rows = pa.table({"sha": pa.array(sorted(keep), pa.string())})
    with store.transaction():
        with store.registered("_keep", keep_rows):
            store.execute(
                "DELETE FROM skipped_commits WHERE repo_id = ? "
                "AND sha NOT IN (SELECT sha FROM _keep)",
                [repo_id],
            )


def commits_without_diffs(store: Store, repo_id: int) -> list[str]:
    """Indexed commits whose changed files are not stored (a store migrated from schema
    4), oldest first."""
    rows = store.rows(
        "SELECT sha FROM commits c WHERE repo_id = ? "
        "AND NOT EXISTS (SELECT 1 FROM commit_diffs d WHERE d.commit = c.sha) "
        "ORDER BY committer_time, sha",
        [repo_id],
    )
    return [str(r[0]) for r in rows]


def write_changes(store: Store, changes: pa.Table, diffs: pa.Table) -> None:
    """Store the changed files of commits already indexed, atomically."""
    with store.transaction():
        _insert_changes(store, changes, diffs)


def _insert_changes(store: Store, changes: pa.Table, diffs: pa.Table) -> None:
    # A commit held by another repository (or indexed again after a repair) keeps the
    # rows it has: they are the same.
    with store.registered("_diffs", diffs):
        fresh = store.rows("SELECT commit FROM _diffs ANTI JOIN commit_diffs USING (commit)")
    if len(fresh) < diffs.num_rows:
        keep = pa.array([r[0] for r in fresh], pa.string())
        changes = changes.filter(pc.is_in(changes.column("commit"), keep))
        diffs = diffs.filter(pc.is_in(diffs.column("commit"), keep))
    store.insert("file_changes", changes)
    store.insert("commit_diffs", diffs)


def replace_refs(store: Store, repo_id: int, refs: pa.Table) -> None:
    """Make ``refs`` the repository's refs, keeping only those whose commit is indexed."""
    with store.transaction():
        store.execute("DELETE FROM refs WHERE repo_id = ?", [repo_id])
        with store.registered("_refs", refs):
            store.execute(
                "INSERT INTO refs (repo_id, name, short_name, kind, commit) "
                "SELECT r.repo_id, r.name, r.short_name, r.kind, r.commit FROM _refs r "
                "WHERE EXISTS (SELECT 1 FROM commits c "
                "              WHERE c.repo_id = r.repo_id AND c.sha = r.commit)"
            )
        store.execute(
            "UPDATE repositories SET indexed_at = ? WHERE id = ?", [datetime.now(UTC), repo_id]
        )


def ref_commits(store: Store, repo_id: int, kinds: tuple[str, ...]) -> list[tuple[str, str]]:
    """``(ref name, commit)`` of the indexed refs of the given kinds, HEAD first."""
    rows = store.rows(
        "SELECT name, commit FROM refs WHERE repo_id = ? AND list_contains(?, kind) "
        "ORDER BY kind <> 'head', name",
        [repo_id, list(kinds)],
    )
    return [(str(n), str(c)) for n, c in rows]


def commit_of(store: Store, repo_id: int, rev: str) -> str | None:
    """The indexed commit a ref name, sha or sha prefix names."""
    rows = store.rows("SELECT commit_of(?, repo := ?)", [rev, repo_id])
    return str(rows[0][0]) if rows and rows[0][0] is not None else None


# ---- re-extraction


def stale_blobs(
    store: Store, digests: dict[str, str], extractor_version: int, limit: int
) -> list[tuple[str, str, int | None]]:
    """Up to ``limit`` blobs extracted by other patterns or extractor code:
    ``(sha, language, size)``."""
    if not digests:
        return []
    table = pa.table({"language": list(digests), "digest": list(digests.values())})
    with store.registered("_digests", table):
        rows = store.rows(
            "SELECT b.sha, b.language, b.size FROM blobs b JOIN _digests d "
            "ON b.language = d.language "
            "WHERE b.patterns_digest IS DISTINCT FROM d.digest OR b.extractor_version <> ? "
            "ORDER BY b.sha, b.language LIMIT ?",
            [extractor_version, limit],
        )
    return [(str(s), str(lang), None if n is None else int(n)) for s, lang, n in rows]


def missing_blobs(
    store: Store, after: tuple[str, str] | None, limit: int
) -> list[tuple[str, str, int | None]]:
    """Up to ``limit`` blobs of status ``missing`` after the key ``after`` (in
    ``(sha, language)`` order): ``(sha, language, size)``."""
    sha, language = after if after is not None else ("", "")
    rows = store.rows(
        "SELECT sha, language, size FROM blobs WHERE status = ? "
        "AND (sha > ? OR (sha = ? AND language > ?)) ORDER BY sha, language LIMIT ?",
        [STATUS_MISSING, sha, sha, language, limit],
    )
    return [(str(s), str(lang), None if n is None else int(n)) for s, lang, n in rows]


# ---- what the search sidecar embeds


def definitions_at(store: Store, repo_id: int, commit: str) -> pa.Table:
    """The definitions of one commit with their path (for embedding)."""
    return store.arrow(
        "SELECT path, blob, qualified_name, kind, body_hash, docstring, start_byte, "
        "end_byte FROM symbols_at(?, repo := ?) ORDER BY path, idx",
        [commit, repo_id],
    )


def definition_identities(store: Store) -> pa.Table:
    """Distinct ``(qualified_name, kind, body_hash, docstring)`` of every definition."""
    return store.arrow(
        "SELECT DISTINCT qualified_name, kind, body_hash, docstring FROM code_symbols"
    )
