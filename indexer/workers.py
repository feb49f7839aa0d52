"""The parser pool: extraction of many blobs on all cores.

Each worker process opens the repository itself and reads the blobs it is given through
its own ``git cat-file`` process, so the parent only sends ``(sha, language, kind)``
triples and receives Arrow tables.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import multiprocessing.pool
import os
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pyarrow as pa

from symbiote.indexer import sidecar_files
from symbiote.indexer.batches import BlobRows
from symbiote.indexer.extract import Extraction, Limits, extract
from symbiote.indexer.gitrepo import KIND_LINK, GitRepository
from symbiote.indexer.languages import SIDECAR, is_supported
from symbiote.indexer.schema import STATUS_FAILED, STATUS_SYMLINK

log = logging.getLogger(__name__)

Unit = tuple[str, str, str]  # (blob sha, language, tree entry kind)
# blobs, symbols, references, notes, bindings
Tables = tuple[pa.Table, pa.Table, pa.Table, pa.Table, pa.Table]


@dataclass(frozen=True, slots=True)
class WorkerConfig:
    """What every worker needs to extract blobs."""

    repo_path: str
    limits: Limits
    digests: dict[str, str]  # patterns digest per supported language


def extract_blob(
    repo: GitRepository, sha: str, language: str, kind: str, limits: Limits
) -> tuple[int, Extraction]:
    """Size and extraction of one blob; never raises for bad content."""
    size = repo.object_size(sha)
    if kind == KIND_LINK:
        target = repo.read_blob(sha).decode("utf-8", errors="backslashreplace")
        return size, Extraction(STATUS_SYMLINK, f"symlink to {target[:500]}")
    if language == SIDECAR:
        if size > limits.max_bytes:
            return size, Extraction("too_large", f"{size} bytes > limit {limits.max_bytes}")
        status, detail, notes = sidecar_files.read(repo.read_blob(sha))
        return size, Extraction(status, detail, notes=notes)
    if not is_supported(language):
        return size, extract(language, b"", limits)
    if size > limits.max_bytes:
        return size, Extraction("too_large", f"{size} bytes > limit {limits.max_bytes}")
    data = repo.read_blob(sha)
    try:
        return size, extract(language, data, limits)
    except RecursionError as exc:
        log.warning("extraction of %s (%s) failed: %s", sha, language, exc)
        return size, Extraction(STATUS_FAILED, f"{type(exc).__name__}: {exc}")


def extract_units(repo: GitRepository, config: WorkerConfig, units: Sequence[Unit]) -> Tables:
    """Extract ``units`` into the five Arrow tables the store takes."""
    rows = BlobRows()
    for sha, language, kind in units:
        size, extraction = extract_blob(repo, sha, language, kind, config.limits)
        digest = config.digests.get(language) if kind != KIND_LINK else None
        rows.add(sha, language, size, extraction, digest)
    return rows.tables()


_worker_repo: GitRepository | None = None
_worker_config: WorkerConfig | None = None


def _init_worker(config: WorkerConfig) -> None:
    global _worker_repo, _worker_config
    _worker_config = config
    _worker_repo = GitRepository(config.repo_path)


def _run_group(units: Sequence[Unit]) -> Tables:
    assert _worker_repo is not None and _worker_config is not None
    return extract_units(_worker_repo, _worker_config, units)


IN_FLIGHT = 2  # groups submitted per worker ahead of the consumer


class ParserPool:
    """Extracts groups of blobs, in worker processes when ``jobs`` > 1."""

    def __init__(self, config: WorkerConfig, jobs: int | None = None) -> None:
        self.config = config
        self.jobs = jobs or os.cpu_count() or 1
        self._pool: multiprocessing.pool.Pool | None = None
        self._local: GitRepository | None = None

    def _ensure(self) -> None:
        if self.jobs > 1 and self._pool is None:
            context = multiprocessing.get_context("spawn")
            self._pool = context.Pool(self.jobs, initializer=_init_worker, initargs=(self.config,))
        elif self.jobs <= 1 and self._local is None:
            self._local = GitRepository(self.config.repo_path)

    def run(self, units: Sequence[Unit], group: int = 32) -> Iterator[Tables]:
        """Extract ``units``, yielding tables per group as they finish (any order)."""
        if not units:
            return
        groups = [units[i : i + group] for i in range(0, len(units), group)]
        if self.jobs > 1 and len(units) > group:
            self._ensure()
            assert self._pool is not None
            # At most IN_FLIGHT groups per worker are out at once: results wait in this
            # process until the store has taken them, so an unbounded queue (imap) held
            # a whole batch's extractions in memory while DuckDB wrote.
            pending: deque[multiprocessing.pool.AsyncResult[Tables]] = deque()
            rest = iter(groups)
            for part in itertools.islice(rest, self.jobs * IN_FLIGHT):
                pending.append(self._pool.apply_async(_run_group, (part,)))
            while pending:
                tables = pending.popleft().get()
                following = next(rest, None)
                if following is not None:
                    pending.append(self._pool.apply_async(_run_group, (following,)))
                yield tables
            return
        if self._local is None:
            self._local = GitRepository(self.config.repo_path)
        for part in groups:
            yield extract_units(self._local, self.config, part)

    def close(self) -> None:
        """Stop the workers."""
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None
        if self._local is not None:
            self._local.close()
            self._local = None
