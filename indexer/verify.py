"""``symbiote verify``: check that the DuckDB store and the search sidecar agree.

Checks, each reported with a count and examples:

- the schema version (opening the store migrates an older one or refuses a newer one);
- no duplicate definition or reference rows, none without its blob row, per-blob counts
  that match the rows;
- every indexed commit's tree and subtrees are stored, every source file has its
  extraction, and each commit's stored changed files are complete;
- the sidecar: no duplicate keys, no vector without its docs row, no docs row or vector
  whose content key matches no definition in the store (orphans); and, as information,
  how much of HEAD is not yet embedded.

``repair`` fixes what can be rebuilt: blobs with bad rows are re-extracted, commits with
missing trees are indexed again, changed files are recorded again, and sidecar rows that
are duplicated or orphaned are deleted (the next ``symbiote embed`` refills what is
missing).
"""

from __future__ import annotations

import threading
from collections import Counter
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from symbiote.indexer import store_rows
from symbiote.indexer.errors import NotIndexed
from symbiote.indexer.job import IndexOptions, index_repository
from symbiote.indexer.journal import read_journal
from symbiote.indexer.location import store_of
from symbiote.indexer.schema import SCHEMA_VERSION
from symbiote.indexer.searchtext import CRITIQUES_PREFIX, DOCS_TABLE, content_key, sidecar_path
from symbiote.indexer.sidecar import SIDECAR_WRITER, Sidecar
from symbiote.indexer.store import WRITER, Store
from symbiote.indexer.store_repair import (
    CHANGE_CHECKS,
    INTEGRITY_CHECKS,
    forget_changes,
    forget_commits,
    integrity,
    mark_for_reextraction,
)

EXAMPLES = 3


@dataclass(frozen=True, slots=True)
class Check:
    """One verified invariant."""

    name: str
    ok: bool
    count: int  # offending rows (0 when ok); for information checks, the figure
    detail: str

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form."""
        return {"name": self.name, "ok": self.ok, "count": self.count, "detail": self.detail}


@dataclass(slots=True)
class Report:
    """The outcome of a verification."""

    checks: list[Check] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether every check passed."""
        return all(c.ok for c in self.checks)


def verify_store(
    repo_path: str | Path,
    store_path: str | Path | None = None,
    *,
    repair: bool = False,
    embedder: str | None = None,
) -> Report:
    """Verify (and with ``repair``, fix) the store of ``repo_path``."""
    path = store_of(repo_path, store_path)
    if not path.exists():
        raise NotIndexed(f"no store at {path}; run `symbiote index` first")
    report = Report()
    # A repair writes: to the store in turn with index runs and agent-log applies, to
    # the sidecar in turn with embed runs (they can run side by side in `symbiote serve`).
    with _writing(repair, WRITER), Store(path) as store:
        report.checks.append(Check("schema version", True, SCHEMA_VERSION, f"{SCHEMA_VERSION}"))
        problems = integrity(store)
        for name, rows in problems.items():
            report.checks.append(_check(name, rows))
        identities = store_rows.definition_identities(
            store,
        ).to_pylist()
        known = {
            content_key(r["qualified_name"], r["kind"], r["body_hash"], r["docstring"])
            for r in identities
        }
        if repair:
            reextract = sorted({row for name in INTEGRITY_CHECKS for row in problems[name]})
            if reextract:
                mark_for_reextraction(store, reextract)
                report.repaired.append(f"{len(reextract)} blobs marked for re-extraction")
            lost = problems["commits whose tree is missing"]
            if lost:
                forget_commits(store, [row[0] for row in lost])
                report.repaired.append(f"{len(lost)} commits to index again")
            torn = sorted({row[0] for name in CHANGE_CHECKS for row in problems[name]})
            if torn:
                forget_changes(store, torn)
                report.repaired.append(f"changed files of {len(torn)} commits to record again")
    if repair and report.repaired:
        index_repository(repo_path, path, IndexOptions())
    with _writing(repair, SIDECAR_WRITER):
        _verify_sidecar(path, known, report, repair)
    if repair and report.repaired:  # verify again, so the report shows the result
        again = verify_store(repo_path, path, embedder=embedder)
        again.repaired = report.repaired
        return again
    return report


def _writing(repair: bool, lock: threading.Lock) -> AbstractContextManager[object]:
    return lock if repair else nullcontext()


def _check(name: str, rows: list[tuple[str, ...]]) -> Check:
    examples = ", ".join("/".join(v[:12] for v in row) for row in rows[:EXAMPLES])
    detail = "none" if not rows else f"{len(rows)} (e.g. {examples})"
    return Check(name, not rows, len(rows), detail)


def _verify_sidecar(store: Path, known: set[str], report: Report, repair: bool) -> None:
    folder = sidecar_path(store)
    if not folder.exists():
        report.checks.append(Check("search sidecar", True, 0, f"none yet at {folder}"))
        return
    sidecar = Sidecar(folder)
    tables = sidecar.tables()
    doc_keys: set[str] = set()
    critiques = {e["id"] for e in read_journal(store) if e["kind"] == "critique"}
    for name in sorted(tables, key=lambda n: n != DOCS_TABLE):  # docs first
        counts = Counter(sidecar.keys_with_repeats(name))
        unique = set(counts)
        duplicated = sorted(k for k, n in counts.items() if n > 1)
        if name.startswith(CRITIQUES_PREFIX):  # keyed by agent-log entry, not definition
            orphans, without_doc = sorted(unique - critiques), []
            report.checks.append(_check(f"{name}: duplicate keys", [(k,) for k in duplicated]))
            report.checks.append(_check(f"{name}: keys of no critique", [(k,) for k in orphans]))
            bad = sorted(set(duplicated) | set(orphans))
            if repair and bad:
                sidecar.delete_keys(name, bad)
                report.repaired.append(f"{len(bad)} rows deleted from {name}")
            continue
        orphans = sorted(unique - known)
        without_doc = sorted(unique - doc_keys) if name != DOCS_TABLE else []
        if name == DOCS_TABLE:
            doc_keys = unique
        report.checks.append(_check(f"{name}: duplicate keys", [(k,) for k in duplicated]))
        report.checks.append(_check(f"{name}: keys of no definition", [(k,) for k in orphans]))
        if name != DOCS_TABLE:
            report.checks.append(
                _check(f"{name}: vectors without a docs row", [(k,) for k in without_doc])
            )
        bad = sorted(set(duplicated) | set(orphans) | set(without_doc))
        if repair and bad:
            sidecar.delete_keys(name, bad)
            report.repaired.append(f"{len(bad)} rows deleted from {name}")
