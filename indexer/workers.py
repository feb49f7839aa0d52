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
from symbiote.indexer.errors import RepositoryError
from symbiote.indexer.extract import Extraction, Limits, extract
from symbiote.indexer.gitinfo import KIND_LINK
from symbiote.indexer.gitrepo import GitRepository
from symbiote.indexer.languages import SIDECAR, is_supported
from symbiote.indexer.schema import STATUS_FAILED, STATUS_MISSING, STATUS_SYMLINK

log = logging.getLogger(__name__)

Unit = tuple[str, str, str]  # (blob sha, language, tree entry kind)
# blobs, symbols, references, notes, bindings
Tables = tuple[pa.Table, pa.Table, pa.Table, pa.Table, pa.Table]
# The detail of an object a partial clone lacks: git is never asked for it (asking would
# stop the reader; see gitrepo.NO_FETCH_ENV).
NOT_LOCAL = "not in the local object database (a partial clone lacks it; never fetched)"


@dataclass(frozen=True, slots=True)
class WorkerConfig:
    """What every worker needs to extract blobs."""

    repo_path: str
    limits: Limits
    digests: dict[str, str]  # patterns digest per supported language


def needs_read(language: str, kind: str) -> bool:
    """Whether extracting a blob reads it: symlinks, sidecar files and the languages we
    extract. Any other blob is neither read nor sized: git is not asked about it at all
    (it may be a large binary a partial clone left out)."""
    return kind == KIND_LINK or language == SIDECAR or is_supported(language)


def extract_blob(
    repo: GitRepository, sha: str, language: str, kind: str, limits: Limits
) -> tuple[int | None, Extraction]:
    """Size and extraction of one blob; never raises for bad content or for a blob git
    cannot read (status ``missing``, git's message as the detail). The size is None for
    a blob that is not read (a language we do not extract) or cannot be."""
    if not needs_read(language, kind):
        # Tree objects carry no sizes (``ls-tree -l`` reads each blob's header, which a
        # partial clone would fetch), so the size of a blob never read stays unknown.
        return None, extract(language, b"", limits)
    try:
        return _read_and_extract(repo, sha, language, kind, limits)
    except RepositoryError as exc:
        return None, Extraction(STATUS_MISSING, str(exc))


def _read_and_extract(
    repo: GitRepository, sha: str, language: str, kind: str, limits: Limits
) -> tuple[int, Extraction]:
    if kind == KIND_LINK:
        data = repo.read_blob(sha)
        target = data.decode("utf-8", errors="backslashreplace")
        return len(data), Extraction(STATUS_SYMLINK, f"symlink to {target[:500]}")
    size = repo.object_size(sha)
    if size > limits.max_bytes:
        return size, Extraction("too_large", f"{size} bytes > limit {limits.max_bytes}")
    data = repo.read_blob(sha)
    if language == SIDECAR:
        status, detail, notes = sidecar_files.read(data)
        return size, Extraction(status, detail, notes=notes)
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
        rows.add(sha, language, size, extraction, _digest(config, language, kind))
    return rows.tables()


def missing_units(config: WorkerConfig, units: Sequence[Unit]) -> Tables:
    """The rows of blobs a partial clone lacks (status ``missing``, size None), made
    without asking git about them (see :meth:`GitRepository.absent`)."""
    rows = BlobRows()
    for sha, language, kind in units:
        extraction = Extraction(STATUS_MISSING, NOT_LOCAL)
        rows.add(sha, language, None, extraction, _digest(config, language, kind))
    return rows.tables()


def _digest(config: WorkerConfig, language: str, kind: str) -> str | None:
    return config.digests.get(language) if kind != KIND_LINK else None


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
