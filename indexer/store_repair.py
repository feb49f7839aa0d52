"""Integrity checks and repairs of the store, for ``symbiote verify``.

Each check is a query whose rows break one of the store's invariants (see
:mod:`indexer.store`); a consistent store gives no rows. The repairs make the next index
run redo what a check found, rather than patching rows in place.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from symbiote.indexer.errors import StoreError
from symbiote.indexer.store import Store

# Blob-level checks: their rows are (sha, language) pairs to re-extract.
INTEGRITY_CHECKS: dict[str, str] = {
    "duplicate definitions": "SELECT blob, language FROM code_symbols "
    "GROUP BY blob, language, idx HAVING count(*) > 1",
    "duplicate references": "SELECT blob, language FROM code_references "
    "GROUP BY blob, language, idx HAVING count(*) > 1",
    "definitions without their blob": "SELECT DISTINCT s.blob, s.language FROM code_symbols s "
    "ANTI JOIN blobs b ON b.sha = s.blob AND b.language = s.language",
    "references without their blob": "SELECT DISTINCT r.blob, r.language "
    "FROM code_references r "
    "ANTI JOIN blobs b ON b.sha = r.blob AND b.language = r.language",
    "bindings without their blob": "SELECT DISTINCT g.blob, g.language "
    "FROM code_bindings g "
    "ANTI JOIN blobs b ON b.sha = g.blob AND b.language = g.language",
    "sidecar entries without their blob": "SELECT DISTINCT n.blob, n.language "
    "FROM sidecar_entries n "
    "ANTI JOIN blobs b ON b.sha = n.blob AND b.language = n.language",
    "row counts that disagree with their blob": "SELECT b.sha, b.language FROM blobs b "
    "LEFT JOIN (SELECT blob, language, count(*) AS n FROM code_symbols "
    "GROUP BY ALL) s ON s.blob = b.sha AND s.language = b.language "
    "WHERE coalesce(s.n, 0) <> b.n_symbols",
}
# Tree-level checks: rows name a commit, tree or blob that is missing below it.
COMMIT_CHECKS: dict[str, str] = {
    "commits whose tree is missing": "SELECT c.sha FROM commits c "
    "ANTI JOIN trees t ON t.sha = c.tree",
    "trees with a missing subtree": "SELECT DISTINCT e.tree FROM tree_entries e "
    "SEMI JOIN trees p ON p.sha = e.tree "
    "ANTI JOIN trees t ON t.sha = e.object WHERE e.kind = 'tree'",
    "files with no extraction": "SELECT DISTINCT e.object FROM tree_entries e "
    "SEMI JOIN trees p ON p.sha = e.tree "
    "ANTI JOIN blobs b ON b.sha = e.object AND b.language = e.language "
    "WHERE e.kind IN ('blob', 'link') AND e.language IS NOT NULL",
}
# Changed-file checks: rows name commits whose recorded changes are torn.
CHANGE_CHECKS: dict[str, str] = {
    "changed files that disagree with their commit": "SELECT commit FROM commit_diffs d "
    "LEFT JOIN (SELECT commit, count(*) AS n FROM file_changes GROUP BY ALL) f "
    "USING (commit) WHERE coalesce(f.n, 0) <> d.files "
    "UNION SELECT DISTINCT commit FROM file_changes ANTI JOIN commit_diffs USING (commit)",
}


def integrity(store: Store) -> dict[str, list[tuple[str, ...]]]:
    """Rows that break an invariant, per check (empty lists: consistent)."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for name, sql in {**INTEGRITY_CHECKS, **COMMIT_CHECKS, **CHANGE_CHECKS}.items():
        out[name] = [tuple(str(v) for v in row) for row in store.rows(sql)]
    return out


@contextmanager
def _repairing(store: Store, what: str) -> Iterator[None]:
    """One repair, as one transaction; a failure says which repair failed."""
    try:
        with store.transaction():
            yield
    except StoreError as exc:
        raise StoreError(f"cannot {what}: {exc}") from exc


def mark_for_reextraction(store: Store, blobs: list[tuple[str, ...]]) -> None:
    """Make the next run re-extract these ``(sha, language)`` blobs."""
    with _repairing(store, "mark blobs for re-extraction"):
        for sha, language in blobs:
            store.execute(
                "UPDATE blobs SET extractor_version = 0 WHERE sha = ? AND language = ?",
                [sha, language],
            )
            store.execute(
                "INSERT INTO blobs (sha, language, size, status, detail, extractor_version, "
                "patterns_digest, n_symbols, n_references) "
                "SELECT ?, ?, 0, 'failed', 'removed by repair', 0, NULL, 0, 0 WHERE NOT EXISTS "
                "(SELECT 1 FROM blobs WHERE sha = ? AND language = ?)",
                [sha, language, sha, language],
            )


def forget_commits(store: Store, shas: list[str]) -> None:
    """Delete commit rows so the next run indexes them again."""
    with _repairing(store, "forget commits"):
        for sha in shas:
            store.execute("DELETE FROM commits WHERE sha = ?", [sha])


def forget_changes(store: Store, commits: list[str]) -> None:
    """Delete the changed files of commits so the next run records them again."""
    with _repairing(store, "forget changed files"):
        for table in ("file_changes", "commit_diffs"):
            store.execute(
                f"DELETE FROM {table} WHERE commit IN (SELECT unnest(?::VARCHAR[]))",
                [commits],
            )
