"""The indexing job: from a git repository's refs and history into the store.

Plan (:mod:`indexer.plan`), then work in commit batches: for each batch, walk the trees
the store does not know yet (an unchanged subtree is skipped whole, as git shares it),
extract the blobs it has not seen (in parallel), then store blobs, trees and finally the
commits. The order is what makes a killed run resumable: see :mod:`indexer.store`.
Commits ``symbiote archive`` moved out stay out unless ``include_archived`` is set.

Objects the repository lacks are data, never fetched: a blob git cannot read has status
``missing``; a commit reaching a tree git cannot read is not indexed but recorded in
``skipped_commits``. Every run retries both (docs/design.md, "Missing objects").
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from symbiote.indexer import (
    agent_log,
    catalog,
    parse,
    plan,
    sidecar_files,
    store_compact,
    store_rows,
)
from symbiote.indexer.batches import (
    commits_table,
    file_changes_tables,
    refs_table,
    tree_entries_table,
)
from symbiote.indexer.errors import EmptyRepository, RepositoryError, StoreError
from symbiote.indexer.extract import EXTRACTOR_VERSION, Limits
from symbiote.indexer.gitinfo import (
    KIND_BLOB,
    KIND_LINK,
    KIND_SUBMODULE,
    KIND_TREE,
    CommitInfo,
    TreeEntry,
)
from symbiote.indexer.gitrepo import GitRepository
from symbiote.indexer.languages import LINK_LANGUAGE, SIDECAR, extracted, language_for_path
from symbiote.indexer.location import default_store_path
from symbiote.indexer.relabel import relabel
from symbiote.indexer.schema import STATUS_MISSING
from symbiote.indexer.store import WRITER, Store
from symbiote.indexer.workers import (
    NOT_LOCAL,
    ParserPool,
    Tables,
    Unit,
    WorkerConfig,
    missing_units,
    needs_read,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class IndexOptions:
    """What to index and how."""

    # Refs whose tip commits are indexed; None means HEAD, local branches and tags.
    refs: tuple[str, ...] | None = None
    # Also index every other ref (remote-tracking branches, notes, ...).
    all_refs: bool = False
    # First-parent commits of the history ref to index: None = all, 0 = tips only.
    history: int | None = None
    # Whose first-parent history to index; None means HEAD.
    history_ref: str | None = None
    # Also index the planned commits `symbiote archive` moved out (they leave the
    # archived list); by default they stay archived until `symbiote restore`.
    include_archived: bool = False
    # Parser processes; None means one per core.
    jobs: int | None = None
    # Size limit and binary detection for blobs.
    limits: Limits = field(default_factory=Limits)
    # Commits handled per batch (bounds memory; each batch is committed to the store).
    commit_batch: int = 500
    # Blobs per group sent to one worker.
    parse_group: int = 32
    # Rows of symbols+references buffered before a write to the store. Each write is a
    # transaction whose commit has a fixed cost (DuckDB's log, its automatic checkpoints):
    # on 1,000 commits of sqlalchemy, 200,000 cost the parent 40 % more CPU than
    # 1,000,000, which held ~100 MB more in memory; this is between the two.
    write_rows: int = 500_000
    # DuckDB's buffer pool for the run (it caches the store's blocks up to this). With
    # 512MB a run over sqlalchemy's whole history peaked at 1.7 GiB, all processes summed.
    memory_limit: str = "512MB"


@dataclass(frozen=True, slots=True)
class Progress:
    """A progress report: after each batch, and as a batch's blobs are parsed."""

    commits_done: int
    commits_total: int
    blobs_parsed: int
    # commits_done, and of the batch under way the share whose blobs are parsed: what a
    # rate and an ETA are measured by (the first batch holds most of a history's blobs).
    commits_estimated: int = 0


@dataclass(frozen=True, slots=True)
class IndexSummary:
    """What an indexing run did."""

    repository: str
    store: str
    commits_planned: int  # commits the options select
    commits_indexed: int  # of those, newly indexed by this run
    commits_skipped: int  # of those, not indexed: a tree they reach is missing
    commits_archived: int  # of those, left out: archived (include_archived indexes them)
    trees_stored: int
    blobs_parsed: int  # new (blob, language) pairs extracted
    blobs_reused: int  # blob occurrences found already extracted
    blobs_reextracted: int  # stale extractions redone after a pattern change
    blobs_recovered: int  # blobs missing before, found in the repository and extracted
    symbols: int  # definitions written by this run
    references: int  # references written by this run
    statuses: dict[str, int]  # status -> blobs of that status written by this run
    refs: int
    seconds: float

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form."""
        return {name: getattr(self, name) for name in self.__slots__}


ProgressCallback = Callable[[Progress], None]


def index_repository(
    repo_path: str | Path,
    store_path: str | Path | None = None,
    options: IndexOptions | None = None,
    progress: ProgressCallback | None = None,
) -> IndexSummary:
    """Index ``repo_path`` into the store at ``store_path`` (default: inside ``.git``)."""
    options = options or IndexOptions()
    started = time.monotonic()
    with GitRepository(repo_path) as repo:
        if repo.is_empty():
            raise EmptyRepository(f"{repo.root} has no commits to index")
        path = Path(store_path) if store_path else default_store_path(repo.git_dir)
        with WRITER, Store(path, memory_limit=options.memory_limit) as store:
            run = _Run(repo, store, options, progress)
            run.execute()
            return run.summary(time.monotonic() - started)


class _Run:
    def __init__(
        self,
        repo: GitRepository,
        store: Store,
        options: IndexOptions,
        progress: ProgressCallback | None,
    ) -> None:
        self.repo = repo
        self.store = store
        self.options = options
        self.progress = progress
        # Pattern languages, components and generic languages alike.
        self.digests = {lang: catalog.blob_digest(lang) for lang in extracted()}
        self.digests[SIDECAR] = sidecar_files.schema_digest()  # re-read when it changes
        self.pool = ParserPool(
            WorkerConfig(str(repo.git_dir), options.limits, self.digests), options.jobs
        )
        self.statuses: Counter[str] = Counter()
        self.commits_planned = 0
        self.commits_indexed = 0
        self.commits_archived = 0  # planned, archived and left out
        self.trees_stored = 0
        self.blobs_parsed = 0
        self.blobs_reused = 0
        self.blobs_reextracted = 0
        self.blobs_recovered = 0
        self.blobs_rewritten = 0  # rows of stored blobs replaced (not new blobs)
        # A tree git cannot read, or that reaches one -> (that tree, git's message).
        self.incomplete: dict[str, tuple[str, str]] = {}
        self.skipped: dict[str, tuple[str, str]] = {}  # commit -> (missing tree, detail)
        self.promisor = False
        self.symbols = 0
        self.references = 0
        self.refs_written = 0
        self._pending: list[Tables] = []
        self._pending_blobs = 0
        self._reported = (0, 0)  # the commits done and planned last reported
        self._batch = (0, 0, 0)  # the batch under way: commits, units to parse, parsed
        self._pending_rows = 0

    # ---- plan

    def execute(self) -> None:
        try:
            self.repo_id = store_rows.repository_id(
                self.store, str(self.repo.root), self.repo.head_branch()
            )
            self.store.set_meta(
                {
                    "extractor_version": str(EXTRACTOR_VERSION),
                    "grammar_version": parse.grammar_version(),
                    **{f"patterns_digest.{k}": v for k, v in self.digests.items()},
                }
            )
            # A partial clone: git would fetch what it lacks, so ask it what it lacks first.
            self.promisor = self.repo.has_promisor_remote()
            self._retry_missing()
            relabel(self.store)  # names a newer language map gives a language
            self._reextract_stale()
            store_compact.compact(self.store)  # rows replaced or archived: out of scans
            refs = plan.selected_refs(self.repo, self.options)
            done = store_rows.indexed_commits(self.store, self.repo_id)
            archived = store_rows.archived_commits(self.store, self.repo_id)
            self.known_trees = store_rows.known_trees(self.store)
            self.known_blobs = store_rows.known_blobs(self.store)
            batch: list[CommitInfo] = []
            total = plan.count_planned(self.repo, self.options, refs)
            completed = 0
            self._report(completed, total)  # the total, before the first batch is done
            for commit in plan.planned_commits(self.repo, self.options, refs):
                self.commits_planned += 1
                if commit.sha in done:
                    completed += 1
                    continue
                if commit.sha in archived and not self.options.include_archived:
                    self.commits_archived += 1
                    completed += 1
                    continue
                done.add(commit.sha)
                batch.append(commit)
                if len(batch) >= self.options.commit_batch:
                    completed += self._index_batch(batch)
                    batch = []
                    self._report(completed, total)
                    self._apply_log()  # agents may write while this runs
            if batch:
                completed += self._index_batch(batch)
            self._report(completed, total)
            self._record_missing_changes()
            store_rows.replace_refs(self.store, self.repo_id, refs_table(self.repo_id, refs))
            self.refs_written = len(refs)
            store_rows.forget_skipped(self.store, self.repo_id, set(self.skipped))
            self._report_missing()
            self._apply_log()
        finally:
            self.pool.close()

    def _report_missing(self) -> None:
        if self.commits_archived:
            log.info(
                "%d archived commits left out (table archived_commits); `symbiote restore` "
                "or `symbiote index --include-archived` brings them back",
                self.commits_archived,
            )
        if self.skipped:
            log.warning(
                "%d commits not indexed: a tree they reach is missing from the "
                "repository (table skipped_commits)",
                len(self.skipped),
            )
        if self.statuses.get(STATUS_MISSING):
            log.warning("%d blobs missing from the repository", self.statuses[STATUS_MISSING])

    def _apply_log(self) -> None:
        """Apply agents' journaled entries; a failure is reported, never fatal to the run
        (the entries stay in the journal for the next apply)."""
        try:
            agent_log.apply(self.store)
        except StoreError as exc:
            log.warning("agent log not applied: %s", exc)

    def _report(self, done: int, total: int) -> None:
        self._reported = (done, total)
        if self.progress is not None:
            commits, units, parsed = self._batch
            estimated = done + (commits * min(parsed, units) // units if units else 0)
            blobs = self.blobs_parsed + self._pending_blobs
            self.progress(Progress(done, total, blobs, estimated))

    # ---- one batch

    def _index_batch(self, commits: list[CommitInfo]) -> int:
        new_trees: list[tuple[str, list[TreeEntry], list[str | None]]] = []
        units: dict[tuple[str, str], str] = {}
        seen: set[str] = set()
        absent = self._absent({c.tree for c in commits} - self.known_trees - self.incomplete.keys())
        for commit in commits:
            self._walk(commit.tree, new_trees, seen, units, absent)
        todo: list[Unit] = [(sha, lang, kind) for (sha, lang), kind in units.items()]
        todo.sort()
        self._batch = (len(commits), len(todo), 0)
        try:
            self._extract(todo, absent)
        finally:
            self._batch = (0, 0, 0)
        self._flush()
        for sha, lang, _kind in todo:
            self.known_blobs.add((sha, lang))
        if new_trees:
            store_rows.write_trees(
                self.store, [t[0] for t in new_trees], tree_entries_table(new_trees)
            )
            self.trees_stored += len(new_trees)
            self.known_trees.update(t[0] for t in new_trees)
        ready = [c for c in commits if c.tree not in self.incomplete]
        if ready:
            changes = self.repo.first_parent_changes([c.sha for c in ready])
            store_rows.write_commits(
                self.store, commits_table(self.repo_id, ready), *file_changes_tables(changes)
            )
        skipped = [(c.sha, *self.incomplete[c.tree]) for c in commits if c.tree in self.incomplete]
        store_rows.record_skipped(self.store, self.repo_id, skipped)
        self.skipped.update((sha, (tree, detail)) for sha, tree, detail in skipped)
        self.commits_indexed += len(ready)
        return len(commits)

    def _absent(self, shas: set[str]) -> set[str]:
        """In a partial clone, the objects reachable from ``shas`` that it lacks (git
        must not be asked for them); elsewhere nothing: git answers "missing"."""
        return self.repo.absent(shas) if self.promisor and shas else set()

    def _extract(self, units: list[Unit], absent: set[str], *, replace: bool = False) -> None:
        """Extract ``units`` into the write buffer (``replace``: rows of stored blobs);
        those ``absent`` are missing, without asking git."""
        lacking = [u for u in units if u[0] in absent and needs_read(u[1], u[2])]
        if lacking:
            self._buffer(missing_units(self.pool.config, lacking), replace)
            skip = set(lacking)
            units = [u for u in units if u not in skip]
        for tables in self.pool.run(units, group=self.options.parse_group):
            self._buffer(tables, replace)
            commits, planned, parsed = self._batch
            self._batch = (commits, planned, parsed + tables[0].num_rows)
            self._report(*self._reported)  # blobs parsed so far, while a batch goes on

    def _record_missing_changes(self) -> None:
        """Changed files of commits indexed before the store had them (schema 4)."""
        missing = store_rows.commits_without_diffs(self.store, self.repo_id)
        for start in range(0, len(missing), self.options.commit_batch):
            shas = missing[start : start + self.options.commit_batch]
            changes = self.repo.first_parent_changes(shas)
            store_rows.write_changes(self.store, *file_changes_tables(changes))
        if missing:
            log.info("recorded the changed files of %d earlier commits", len(missing))

    def _walk(
        self,
        root: str,
        new_trees: list[tuple[str, list[TreeEntry], list[str | None]]],
        seen_here: set[str],
        units: dict[tuple[str, str], str],
        absent: set[str],
    ) -> None:
        """Collect unknown trees in post-order (subtrees before their parents) and the
        blobs they reach that are not extracted yet. A tree git cannot read, and every
        tree that reaches one, goes to ``self.incomplete`` instead: it is not stored."""
        if root in self.known_trees or root in seen_here or root in self.incomplete:
            return
        stack: list[tuple[str, list[TreeEntry] | None]] = [(root, None)]
        while stack:
            sha, entries = stack.pop()
            if entries is not None:  # children done: emit the tree itself, if complete
                gap = next(
                    (self.incomplete[e.sha] for e in entries if e.sha in self.incomplete), None
                )
                if gap is not None:
                    self.incomplete[sha] = gap
                else:
                    languages = [self._entry_language(e) for e in entries]
                    new_trees.append((sha, entries, languages))
                continue
            if sha in self.known_trees or sha in seen_here or sha in self.incomplete:
                continue
            seen_here.add(sha)
            if sha in absent:
                self.incomplete[sha] = (sha, NOT_LOCAL)  # git must not be asked for it
                continue
            try:
                entries = self.repo.read_tree(sha)
            except RepositoryError as exc:
                self.incomplete[sha] = (sha, str(exc))
                continue
            stack.append((sha, entries))
            for entry in entries:
                if entry.kind == KIND_TREE:
                    if entry.sha not in self.known_trees and entry.sha not in seen_here:
                        stack.append((entry.sha, None))
                elif entry.kind != KIND_SUBMODULE:
                    key = (entry.sha, self._entry_language(entry) or "")
                    if key in self.known_blobs or key in units:
                        self.blobs_reused += 1
                    else:
                        units[key] = entry.kind

    @staticmethod
    def _entry_language(entry: TreeEntry) -> str | None:
        if entry.kind == KIND_LINK:
            return LINK_LANGUAGE
        if entry.kind in (KIND_TREE, KIND_SUBMODULE):
            return None
        return language_for_path(entry.name)

    # ---- writing

    def _buffer(self, tables: Tables, replace: bool = False) -> None:
        self._pending.append(tables)
        self._pending_rows += tables[1].num_rows + tables[2].num_rows
        self._pending_blobs += tables[0].num_rows
        if self._pending_rows >= self.options.write_rows:
            self._flush(replace)

    def _flush(self, replace: bool = False) -> None:
        if not self._pending:
            return
        blobs, symbols, references, notes, bindings = (
            pa.concat_tables([t[i] for t in self._pending]) for i in range(5)
        )
        self._pending, self._pending_rows, self._pending_blobs = [], 0, 0
        store_rows.write_blobs(
            self.store, blobs, symbols, references, notes, bindings, replace=replace
        )
        self.blobs_parsed += blobs.num_rows
        self.symbols += symbols.num_rows
        self.references += references.num_rows
        self.statuses.update(blobs.column("status").to_pylist())

    # ---- re-extraction after a pattern or extractor change

    def _reextract_stale(self) -> None:
        while True:
            stale = store_rows.stale_blobs(self.store, self.digests, EXTRACTOR_VERSION, limit=2000)
            if not stale:
                return
            units: list[Unit] = [(sha, lang, KIND_BLOB) for sha, lang, _size in stale]
            log.info("re-extracting %d blobs after a pattern change", len(units))
            self._extract(units, self._absent({sha for sha, _lang, _kind in units}), replace=True)
            self._flush(replace=True)
            self.blobs_reextracted += len(units)
            self.blobs_rewritten += len(units)
            self.store.retire_snapshots()

    def _retry_missing(self) -> None:
        """Extract the blobs stored as missing that the repository has now (a fetch
        brought them), replacing their rows; git is asked which without reading them."""
        after: tuple[str, str] | None = None
        while page := store_rows.missing_blobs(self.store, after, limit=2000):
            after = page[-1][0], page[-1][1]
            absent = self.repo.absent({sha for sha, _lang, _size in page})
            units: list[Unit] = [
                (sha, lang, KIND_LINK if lang == LINK_LANGUAGE else KIND_BLOB)
                for sha, lang, _size in page
                if sha not in absent
            ]
            if not units:
                continue
            for tables in self.pool.run(units, group=self.options.parse_group):
                statuses = tables[0].column("status").to_pylist()
                self.blobs_recovered += sum(1 for s in statuses if s != STATUS_MISSING)
                self._buffer(tables, replace=True)
            self._flush(replace=True)
            self.blobs_rewritten += len(units)
            self.store.retire_snapshots()
        if self.blobs_recovered:
            log.info("%d blobs missing before were found and extracted", self.blobs_recovered)

    def summary(self, seconds: float) -> IndexSummary:
        return IndexSummary(
            repository=str(self.repo.root),
            store=str(self.store.path),
            commits_planned=self.commits_planned,
            commits_indexed=self.commits_indexed,
            commits_skipped=len(self.skipped),
            commits_archived=self.commits_archived,
            trees_stored=self.trees_stored,
            blobs_parsed=self.blobs_parsed - self.blobs_rewritten,
            blobs_reused=self.blobs_reused,
            blobs_reextracted=self.blobs_reextracted,
            blobs_recovered=self.blobs_recovered,
            symbols=self.symbols,
            references=self.references,
            statuses=dict(sorted(self.statuses.items())),
            refs=self.refs_written,
            seconds=round(seconds, 3),
        )
