"""``symbiote archive`` and ``symbiote restore``: old history out of the live store into
Parquet files with checksums, and back.

What is archived: the indexed commits of one repository that are not reachable from the
refs kept (``keep``; HEAD is always kept) and, with ``before``, those committed before
that date. Never a kept ref's tip, nor a commit an agent's critique points at (the agent
log is never moved). With the commits go what only they reach: their refs, their changed
files, the trees no live commit reaches, the blobs no live tree holds (with their
definitions, references and sidecar notes), and the search-sidecar rows whose
definitions no live blob holds any more.

An archive is a folder ``<store>.archives/<id>/`` with one Parquet file per table and a
``manifest.json`` giving, per file, its row count, its sha256 and a hash of its rows'
content. The id is a digest of the archived commits, so a run that was killed is found
again by the next one.

Steps; a kill at any point loses nothing:

1. select the rows (temporary tables; the store is unchanged);
2. write the files into ``<id>.partial/``, fsync them, write the manifest, and rename the
   folder to ``<id>`` (an archive has its manifest or does not exist);
3. re-read every file: its sha256, row count and content hash must equal the manifest
   and the live rows still selected;
4. delete the sidecar rows, then the store's rows in one transaction, which also records
   the commits in ``archived_commits`` (their folder, the refs at them): index runs leave
   them out, and a query at one names the archive. A kill between the two leaves
   definitions not yet embedded (``verify`` reports it, not an error), and the next run
   finds the same archive and finishes.

``restore`` checks an archive the same way and inserts, in one transaction, each row the
store does not hold (dropping the commits' ``archived_commits`` rows), then the sidecar
rows. Queries at restored commits answer as they
did before archiving.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from symbiote.indexer import duck, store_compact, store_rows
from symbiote.indexer.errors import ArchiveError, NotIndexed, UnknownRevision
from symbiote.indexer.location import store_of
from symbiote.indexer.searchtext import CRITIQUES_PREFIX, content_key, sidecar_path
from symbiote.indexer.sidecar import Sidecar
from symbiote.indexer.store import Store

log = logging.getLogger(__name__)

FORMAT = 1
MANIFEST = "manifest.json"

# Each table of an archive and the rows it takes, by the temporary selection tables;
# ``{repo}`` is the repository id. Restore inserts in this order.
_PARTS: tuple[tuple[str, str], ...] = (
    ("commits", "repo_id = {repo} AND sha IN (SELECT sha FROM _arch_commits)"),
    ("refs", "repo_id = {repo} AND commit IN (SELECT sha FROM _arch_commits)"),
    ("commit_diffs", "commit IN (SELECT sha FROM _arch_changes)"),
    ("file_changes", "commit IN (SELECT sha FROM _arch_changes)"),
    ("trees", "sha IN (SELECT sha FROM _arch_trees)"),
    ("tree_entries", "tree IN (SELECT sha FROM _arch_trees)"),
    ("blobs", "(sha, language) IN (SELECT sha, language FROM _arch_blobs)"),
    ("code_symbols", "(blob, language) IN (SELECT sha, language FROM _arch_blobs)"),
    ("code_references", "(blob, language) IN (SELECT sha, language FROM _arch_blobs)"),
    ("sidecar_entries", "(blob, language) IN (SELECT sha, language FROM _arch_blobs)"),
    ("code_bindings", "(blob, language) IN (SELECT sha, language FROM _arch_blobs)"),
)
# Restore: a row is new when the store lacks its owner (rows of one owner come and go
# together). Tables with a primary key insert OR IGNORE.
_OWNER_ABSENT = {
    "file_changes": "commit NOT IN (SELECT commit FROM commit_diffs)",
    "tree_entries": "tree NOT IN (SELECT sha FROM trees)",
    "code_symbols": "(blob, language) NOT IN (SELECT sha, language FROM blobs)",
    "code_references": "(blob, language) NOT IN (SELECT sha, language FROM blobs)",
    "sidecar_entries": "(blob, language) NOT IN (SELECT sha, language FROM blobs)",
    "code_bindings": "(blob, language) NOT IN (SELECT sha, language FROM blobs)",
}
_RESTORE_ORDER = (
    *("file_changes", "commit_diffs", "tree_entries", "trees"),
    *("code_symbols", "code_references", "sidecar_entries", "code_bindings", "blobs"),
    *("commits", "refs"),
)


@dataclass(frozen=True, slots=True)
class ArchiveOptions:
    """What to archive."""

    keep: tuple[str, ...] | None = None  # refs whose history stays live (None: every ref)
    before: datetime | None = None  # also archive commits committed before this
    dry_run: bool = False  # select and count, change nothing


@dataclass
class ArchiveSummary:
    """What an archive or restore run did."""

    archive: str | None  # the archive folder (None: nothing to archive)
    commits: int = 0
    rows: dict[str, int] = field(default_factory=dict)  # per table, store and sidecar
    restored: bool = False

    def to_dict(self) -> dict[str, object]:
        return {
            "archive": self.archive,
            "commits": self.commits,
            "rows": dict(self.rows),
            "restored": self.restored,
        }


# Told each step done: "selected", "written", "checked", "sidecar", "deleted".
Step = Callable[[str], None]


def archive_history(
    repo_path: str | Path,
    store_path: str | Path | None,
    options: ArchiveOptions,
    step: Step | None = None,
) -> ArchiveSummary:
    """Move old history of ``repo_path`` out of its store (``store_path`` or the
    default)."""
    store_path = store_of(repo_path, store_path)
    if options.keep is None and options.before is None:
        raise ArchiveError("say what to archive: refs to keep, a date, or both")
    if not store_path.exists():
        raise NotIndexed(f"no store at {store_path}; run `symbiote index` first")
    tell = step or (lambda _name: None)
    with Store(store_path) as store:
        repo_id = _repository(store, repo_path)
        commits = _select_commits(store, repo_id, options)
        if not commits:
            return ArchiveSummary(None)
        _select_rows(store, repo_id, commits)
        sidecar_keys = _sidecar_orphans(store, store_path)
        counts = {name: _count(store, name, repo_id) for name, _ in _PARTS}
        folder = archives_folder(store_path) / _archive_id(repo_path, commits)
        summary = ArchiveSummary(str(folder), len(commits), counts)
        tell("selected")
        if options.dry_run:
            return summary
        if not (folder / MANIFEST).exists():
            _write(store, store_path, repo_id, folder, commits, options, sidecar_keys)
        tell("written")
        manifest = _check_files(folder)
        for name, _ in _PARTS:
            live = _content(store, f"SELECT * FROM {name} WHERE {_where(name, repo_id)}")
            if live != (manifest["tables"][name]["rows"], manifest["tables"][name]["content"]):
                raise ArchiveError(
                    f"{folder}: {name} differs from the live rows it should hold (the "
                    "store changed since it was written); nothing was deleted. Remove the "
                    "folder and archive again"
                )
        tell("checked")
        for name, part in manifest["sidecar"].items():
            summary.rows[f"sidecar:{name}"] = part["rows"]
            Sidecar(sidecar_path(store_path)).delete_keys(name, sidecar_keys.get(name, []))
        tell("sidecar")
        with store.transaction():
            store_rows.record_archived(store, repo_id, str(folder.resolve()), commits)
            for name, _ in reversed(_PARTS):
                store.execute(f"DELETE FROM {name} WHERE {_where(name, repo_id)}")
            store.retire_snapshots()
        store_compact.compact(store)  # the deleted rows, out of every later scan
        tell("deleted")
        log.info("archived %d commits to %s", len(commits), folder)
        return summary


def restore_archive(
    repo_path: str | Path,
    store_path: str | Path | None,
    folder: Path,
    step: Step | None = None,
) -> ArchiveSummary:
    """Bring the rows of the archive in ``folder`` back into the store of ``repo_path``."""
    store_path = store_of(repo_path, store_path)
    manifest = _check_files(folder)
    tell = step or (lambda _name: None)
    tell("checked")
    with Store(store_path) as store:
        if manifest["schema_version"] != _schema_version(store):
            raise ArchiveError(
                f"{folder} holds rows of schema {manifest['schema_version']}; this store is "
                f"schema {_schema_version(store)}"
            )
        root = str(Path(repo_path).resolve())
        repo_id = store_rows.find_repository(store, root) or store_rows.repository_id(
            store, root, None
        )
        summary = ArchiveSummary(str(folder), manifest["commits"], restored=True)
        with store.transaction():
            for name in _RESTORE_ORDER:
                source = f"read_parquet('{_quote(folder / (name + '.parquet'))}')"
                columns = "* REPLACE (? AS repo_id)" if name in ("commits", "refs") else "*"
                params: list[object] = [repo_id] if name in ("commits", "refs") else []
                where = f"WHERE {_OWNER_ABSENT[name]}" if name in _OWNER_ABSENT else ""
                verb = "INSERT INTO" if name in _OWNER_ABSENT else "INSERT OR IGNORE INTO"
                before = _scalar(store, f"SELECT count(*) FROM {name}")
                store.execute(
                    f"{verb} {name} BY NAME SELECT {columns} FROM {source} {where}", params
                )
                summary.rows[name] = _scalar(store, f"SELECT count(*) FROM {name}") - before
            store.execute(
                "DELETE FROM archived_commits WHERE repo_id = ? AND sha IN (SELECT sha FROM "
                f"read_parquet('{_quote(folder / 'commits.parquet')}'))",
                [repo_id],
            )
            store.retire_snapshots()
        sidecar = Sidecar(sidecar_path(store_path)) if manifest["sidecar"] else None
        for name, part in manifest["sidecar"].items():
            assert sidecar is not None
            rows = pq.read_table(folder / part["file"])
            have = sidecar.keys_with_repeats(name) if name in sidecar.tables() else []
            known = pa.array(sorted(set(have)), pa.string())
            fresh = rows.filter(pc.invert(pc.is_in(rows.column("key"), known)))
            sidecar.add_rows(name, fresh)
            summary.rows[f"sidecar:{name}"] = fresh.num_rows
        tell("restored")
        return summary


def archives_folder(store_path: Path) -> Path:
    """Where the archives of a store live: ``<store>.archives`` beside it."""
    return store_path.with_name(store_path.name + ".archives")


# ---- selection


def _repository(store: Store, repo_path: str | Path) -> int:
    found = store_rows.find_repository(store, str(Path(repo_path).resolve()))
    if found is None:
        raise NotIndexed(f"{repo_path} is not indexed in this store")
    return found


def _select_commits(store: Store, repo_id: int, options: ArchiveOptions) -> list[str]:
    rows = store.rows(
        "SELECT sha, parents, committer_time FROM commits WHERE repo_id = ?", [repo_id]
    )
    parents = {str(sha): list(p) for sha, p, _t in rows}
    refs = store.rows("SELECT name, short_name, commit FROM refs WHERE repo_id = ?", [repo_id])
    if options.keep is None:
        tips = {str(c) for _n, _s, c in refs}
    else:
        by_name = {n: str(c) for name, short, c in refs for n in (name, short)}
        unknown = [k for k in options.keep if k not in by_name]
        if unknown:
            raise UnknownRevision(f"not an indexed ref: {', '.join(unknown)}")
        tips = {by_name[k] for k in options.keep}
        if "HEAD" in by_name:
            tips.add(by_name["HEAD"])
    reached: set[str] = set()
    stack = [t for t in tips if t in parents]
    while stack:
        sha = stack.pop()
        if sha not in reached:
            reached.add(sha)
            stack.extend(p for p in parents[sha] if p in parents and p not in reached)
    chosen = {sha for sha in parents if sha not in reached} if options.keep is not None else set()
    if options.before is not None:
        cutoff = options.before
        chosen |= {str(sha) for sha, _p, t in rows if t < cutoff and str(sha) not in tips}
    critiqued = {
        str(r[0])
        for r in store.rows(
            "SELECT DISTINCT commit FROM agent_critiques WHERE repo_id = ?", [repo_id]
        )
    }
    return sorted(chosen - critiqued)


def _select_rows(store: Store, repo_id: int, commits: list[str]) -> None:
    """Temporary tables of what goes: commits, changed files, trees, blobs."""
    store.execute(
        "CREATE OR REPLACE TEMP TABLE _arch_commits AS SELECT unnest(?) AS sha", [commits]
    )
    live_commits = "NOT (repo_id = ? AND sha IN (SELECT sha FROM _arch_commits))"
    store.execute(
        "CREATE OR REPLACE TEMP TABLE _arch_changes AS SELECT sha FROM _arch_commits "
        f"WHERE sha NOT IN (SELECT sha FROM commits WHERE {live_commits})",
        [repo_id],
    )
    store.execute(
        "CREATE OR REPLACE TEMP TABLE _live_trees AS WITH RECURSIVE live(sha) AS ("
        f"SELECT DISTINCT tree FROM commits WHERE {live_commits} "
        "UNION SELECT e.object FROM tree_entries e JOIN live ON e.tree = live.sha "
        "WHERE e.kind = 'tree') SELECT sha FROM live",
        [repo_id],
    )
    store.execute(
        "CREATE OR REPLACE TEMP TABLE _arch_trees AS SELECT sha FROM trees "
        "ANTI JOIN _live_trees USING (sha)",
    )
    store.execute(
        "CREATE OR REPLACE TEMP TABLE _arch_blobs AS SELECT sha, language FROM blobs b "
        "WHERE NOT EXISTS (SELECT 1 FROM tree_entries e SEMI JOIN _live_trees t "
        "ON t.sha = e.tree WHERE e.object = b.sha AND e.language = b.language)",
    )


def _sidecar_orphans(store: Store, store_path: Path) -> dict[str, list[str]]:
    """Per sidecar table, the keys of rows whose definitions only archived blobs hold."""
    folder = sidecar_path(store_path)
    if not folder.exists():
        return {}
    gone = _identities(store, "SEMI")
    if not gone:
        return {}
    kept = _identities(store, "ANTI")
    keys = {content_key(*row) for row in gone} - {content_key(*row) for row in kept}
    sidecar = Sidecar(folder)
    out: dict[str, list[str]] = {}
    for name in sorted(sidecar.tables()):
        if not name.startswith(CRITIQUES_PREFIX):
            out[name] = sorted(set(sidecar.keys_with_repeats(name)) & keys)
    return out


def _identities(store: Store, join: str) -> list[tuple[Any, ...]]:
    return store.rows(
        "SELECT DISTINCT qualified_name, kind, body_hash, docstring FROM code_symbols s "
        f"{join} JOIN _arch_blobs a ON a.sha = s.blob AND a.language = s.language",
    )


# ---- files


def _write(
    store: Store,
    store_path: Path,
    repo_id: int,
    folder: Path,
    commits: list[str],
    options: ArchiveOptions,
    sidecar_keys: dict[str, list[str]],
) -> None:
    partial = folder.with_name(folder.name + ".partial")
    partial.mkdir(parents=True, exist_ok=True)
    tables: dict[str, dict[str, Any]] = {}
    for name, _ in _PARTS:
        target = partial / f"{name}.parquet"
        select = f"SELECT * FROM {name} WHERE {_where(name, repo_id)}"
        store.execute(f"COPY ({select}) TO '{_quote(target)}' (FORMAT parquet)")
        rows, content = _content(store, select)
        tables[name] = {
            "file": target.name,
            "rows": rows,
            "content": content,
            "sha256": _sha256(target),
        }
    sidecar: dict[str, dict[str, Any]] = {}
    if sidecar_keys:
        lance = Sidecar(sidecar_path(store_path))
        for name, keys in sidecar_keys.items():
            rows = lance.rows(name, keys)
            target = partial / f"sidecar.{name}.parquet"
            pq.write_table(rows, target)
            sidecar[name] = {"file": target.name, "rows": rows.num_rows, "sha256": _sha256(target)}
    manifest = {
        "format": FORMAT,
        "schema_version": _schema_version(store),
        "repository": store.rows("SELECT path FROM repositories WHERE id = ?", [repo_id])[0][0],
        "created_at": datetime.now(UTC).isoformat(),
        "keep": list(options.keep) if options.keep is not None else None,
        "before": options.before.isoformat() if options.before else None,
        "commits": len(commits),
        "tables": tables,
        "sidecar": sidecar,
    }
    (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True), "utf-8")
    for path in partial.iterdir():
        _fsync(path)
    if folder.exists():  # a folder without a manifest: a run killed mid-rename
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()
    partial.rename(folder)
    _fsync(folder.parent)


def _check_files(folder: Path) -> dict[str, Any]:
    """The manifest of an archive whose files are intact, or :class:`ArchiveError`."""
    try:
        manifest: dict[str, Any] = json.loads((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ArchiveError(f"{folder} is not an archive: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise ArchiveError(f"{folder}: archive format {manifest.get('format')} is not {FORMAT}")
    con = duck.connect(None)
    try:
        with duck.translated(ArchiveError, f"{folder}: cannot read the archive"):
            for part in [*manifest["tables"].values(), *manifest["sidecar"].values()]:
                path = folder / part["file"]
                if not path.exists() or _sha256(path) != part["sha256"]:
                    raise ArchiveError(f"{path}: missing or its checksum differs from the manifest")
                if "content" in part:
                    found = con.execute(
                        f"SELECT count(*), coalesce(sum(hash(t)), 0)::VARCHAR "
                        f"FROM read_parquet('{_quote(path)}') t"
                    ).fetchone()
                    if found is None or (found[0], found[1]) != (part["rows"], part["content"]):
                        raise ArchiveError(f"{path}: rows differ from the manifest")
                elif pq.read_metadata(path).num_rows != part["rows"]:
                    raise ArchiveError(f"{path}: row count differs from the manifest")
    finally:
        con.close()
    return manifest


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _archive_id(repo_path: str | Path, commits: list[str]) -> str:
    digest = hashlib.sha256(str(Path(repo_path).resolve()).encode())
    for sha in commits:
        digest.update(sha.encode())
    return digest.hexdigest()[:16]


# ---- SQL


def _where(name: str, repo_id: int) -> str:
    return dict(_PARTS)[name].format(repo=int(repo_id))


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def _content(store: Store, select: str) -> tuple[int, str]:
    rows = store.rows(f"SELECT count(*), coalesce(sum(hash(t)), 0)::VARCHAR FROM ({select}) t")
    return int(rows[0][0]), str(rows[0][1])


def _count(store: Store, name: str, repo_id: int) -> int:
    return _scalar(store, f"SELECT count(*) FROM {name} WHERE {_where(name, repo_id)}")


def _schema_version(store: Store) -> int:
    return int(store.get_meta("schema_version") or 0)


def _scalar(store: Store, sql: str) -> int:
    return int(store.rows(sql)[0][0])
