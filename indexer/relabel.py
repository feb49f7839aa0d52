"""Languages decided anew when the map from file names to languages changes.

Tree entries and changed files carry the language their name gave when they were
stored. When a release maps more names (a new extension, a file name such as
``PKGBUILD``, a language moved from generic to patterns under another name), a store
made earlier would keep calling those files ``unknown`` and never index them. So each
index run compares the map's digest (:func:`indexer.languages.map_digest`) with the one
the store was labelled under; when they differ it relabels every stored name whose
language changed, in one transaction, and leaves a placeholder blob row for each blob
that now has a supported language and no row, which the same run then extracts (as
re-extraction does after a pattern change).
"""

from __future__ import annotations

import logging

import pyarrow as pa

from symbiote.indexer.languages import LINK_LANGUAGE, is_supported, language_for_path, map_digest
from symbiote.indexer.store import Store
from symbiote.indexer.store_schema import awaiting_extraction

log = logging.getLogger(__name__)

META_KEY = "language_map"


def relabel(store: Store) -> int:
    """Relabel the store's tree entries and changed files under today's map, if it was
    labelled under another; the number of distinct names whose language changed."""
    digest = map_digest()
    if store.get_meta(META_KEY) == digest:
        return 0
    names = store.rows("SELECT DISTINCT name, language FROM tree_entries WHERE kind = 'blob'")
    renamed = {n: new for n, old in names if (new := language_for_path(n)) != old}
    paths = store.rows(
        "SELECT DISTINCT path, after_language FROM file_changes WHERE path IS NOT NULL "
        "UNION SELECT DISTINCT path, before_language FROM file_changes WHERE path IS NOT NULL"
    )
    moved = {
        p: new
        for p, old in paths
        if old not in (None, LINK_LANGUAGE) and (new := language_for_path(p)) != old
    }
    with store.transaction():
        if renamed:
            table = pa.table({"name": list(renamed), "language": list(renamed.values())})
            with store.registered("relabelled_names", table):
                store.execute(
                    "UPDATE tree_entries t SET language = r.language FROM relabelled_names r "
                    "WHERE t.name = r.name AND t.kind = 'blob'"
                )
        if moved:
            table = pa.table({"path": list(moved), "language": list(moved.values())})
            with store.registered("relabelled_paths", table):
                for side in ("before", "after"):
                    store.execute(
                        f"UPDATE file_changes f SET {side}_language = r.language "
                        f"FROM relabelled_paths r WHERE f.path = r.path "
                        f"AND f.{side}_language IS NOT NULL AND f.{side}_language <> ?",
                        [LINK_LANGUAGE],
                    )
        for language in sorted({lang for lang in renamed.values() if is_supported(lang)}):
            store.execute(awaiting_extraction(language, "after its files were relabelled"))
        if renamed or moved:
            store.retire_snapshots()
        store.execute("INSERT OR REPLACE INTO index_meta VALUES (?, ?)", [META_KEY, digest])
    if renamed:
        log.info("relabelled %d file names under the current language map", len(renamed))
    return len(renamed)
