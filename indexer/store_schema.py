"""The store's tables, indexes, macros and migrations (the DDL), and the step that
creates or migrates a store file. The version and the vocabularies both sides share are
in :mod:`symbiote.indexer.schema`."""

from __future__ import annotations

import logging
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol

from symbiote.indexer.errors import SchemaMismatch
from symbiote.indexer.schema import REFERENCE_ENDS, REFERENCE_KINDS, SCHEMA_VERSION, STATUSES

log = logging.getLogger(__name__)


class Store(Protocol):
    """What :func:`prepare` needs of a store (:class:`symbiote.indexer.store.Store`)."""

    path: Path

    def rows(self, sql: str, params: list[object] | None = None) -> list[tuple[Any, ...]]: ...
    def execute(self, sql: str, params: list[object] | None = None) -> None: ...
    def transaction(self) -> AbstractContextManager[None]: ...
    def get_meta(self, key: str) -> str | None: ...
    def stamp_created(self) -> None: ...


def _one_of(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


# Statements that bring a store from version N to N + 1, run in one transaction.
# Indexes for point lookups by the read side (see the change log). Created with the
# tables; DuckDB keeps them up to date on insert and delete.
INDEXES: tuple[str, ...] = (
    "CREATE INDEX IF NOT EXISTS code_symbols_qualified_name ON code_symbols(qualified_name)",
    "CREATE INDEX IF NOT EXISTS code_symbols_blob ON code_symbols(blob)",
    "CREATE INDEX IF NOT EXISTS tree_entries_name ON tree_entries(name)",
    "CREATE INDEX IF NOT EXISTS tree_entries_tree ON tree_entries(tree)",
)

# What each commit changed against its first parent. Keyed by commit sha (a commit's
# changes are the same in every repository that holds it); ``commit_diffs`` marks the
# commits whose rows are complete (a commit may change nothing).
FILE_CHANGES: tuple[str, ...] = (
    """
    CREATE TABLE IF NOT EXISTS commit_diffs (
        commit VARCHAR PRIMARY KEY,
        files INTEGER NOT NULL             -- rows in file_changes; a root commit lists all
    )""",
    """
    CREATE TABLE IF NOT EXISTS file_changes (
        commit VARCHAR NOT NULL,
        path VARCHAR NOT NULL,             -- names decoded as in tree_entries
        before_blob VARCHAR,               -- NULL: no file (or a submodule) in the parent
        before_language VARCHAR,
        after_blob VARCHAR,                -- NULL: deleted (or a submodule) in the commit
        after_language VARCHAR,
        CHECK (before_blob IS NOT NULL OR after_blob IS NOT NULL)
    )""",
    "CREATE INDEX IF NOT EXISTS file_changes_path ON file_changes(path)",
    "CREATE INDEX IF NOT EXISTS file_changes_commit ON file_changes(commit)",
)

SIDECAR_ENTRIES = """
    CREATE TABLE IF NOT EXISTS sidecar_entries (
        blob VARCHAR NOT NULL,             -- the sidecar file's blob
        language VARCHAR NOT NULL,         -- always 'symbiote-sidecar'
        target VARCHAR,                    -- qualified name of the definition; NULL: the file
        body_hash VARCHAR,                 -- of the definition when the entry was written
        summary VARCHAR,
        invariants VARCHAR[] NOT NULL,
        owners VARCHAR[] NOT NULL,
        warnings VARCHAR[] NOT NULL,
        links VARCHAR[] NOT NULL,
        notes VARCHAR
    )"""

# The self-correction log (indexer.agent_log): applied from its journal, never updated.
AGENT_TABLES = (
    """
    CREATE TABLE IF NOT EXISTS agent_critiques (
        id VARCHAR PRIMARY KEY,
        recorded_at TIMESTAMPTZ NOT NULL,
        agent VARCHAR NOT NULL CHECK (agent <> ''),
        repo_id INTEGER NOT NULL,
        commit VARCHAR NOT NULL,
        path VARCHAR NOT NULL CHECK (path <> ''),
        qualified_name VARCHAR,            -- NULL: a critique of the whole file
        category VARCHAR NOT NULL CHECK (category IN ('bug', 'design', 'performance',
            'security', 'style', 'test', 'docs', 'other')),
        severity VARCHAR NOT NULL CHECK (severity IN ('info', 'low', 'medium', 'high',
            'critical')),
        text VARCHAR NOT NULL CHECK (text <> ''),
        supersedes VARCHAR REFERENCES agent_critiques(id),
        retracted BOOLEAN NOT NULL,
        FOREIGN KEY (repo_id, commit) REFERENCES commits(repo_id, sha)
    )""",
    """
    CREATE TABLE IF NOT EXISTS agent_actions (
        id VARCHAR PRIMARY KEY,
        recorded_at TIMESTAMPTZ NOT NULL,
        agent VARCHAR NOT NULL CHECK (agent <> ''),
        critique VARCHAR NOT NULL REFERENCES agent_critiques(id),
        description VARCHAR NOT NULL CHECK (description <> ''),
        commit VARCHAR,                    -- the commit the action produced, if any
        paths VARCHAR[] NOT NULL,
        definitions VARCHAR[] NOT NULL,
        supersedes VARCHAR REFERENCES agent_actions(id),
        retracted BOOLEAN NOT NULL
    )""",
    """
    CREATE TABLE IF NOT EXISTS agent_outcomes (
        id VARCHAR PRIMARY KEY,
        recorded_at TIMESTAMPTZ NOT NULL,
        agent VARCHAR NOT NULL CHECK (agent <> ''),
        action VARCHAR NOT NULL REFERENCES agent_actions(id),
        verdict VARCHAR NOT NULL CHECK (verdict IN ('success', 'failure', 'partial',
            'reverted', 'superseded')),
        evidence VARCHAR NOT NULL,         -- JSON object: test results, metrics
        supersedes VARCHAR REFERENCES agent_outcomes(id),
        retracted BOOLEAN NOT NULL
    )""",
)


def _awaiting_extraction(language: str, schema: int) -> str:
    return awaiting_extraction(language, f"after the migration to schema {schema}")


def awaiting_extraction(language: str, why: str) -> str:
    """A placeholder ``blobs`` row (status failed, extractor version 0) for each blob that
    tree entries now give ``language`` and that has none: the next index run extracts it."""
    return (
        "INSERT INTO blobs (sha, language, size, status, detail, extractor_version, "
        "patterns_digest, n_symbols, n_references) "
        f"SELECT DISTINCT e.object, '{language}', 0, 'failed', "
        f"'awaiting extraction {why}', 0, NULL, 0, 0 "
        f"FROM tree_entries e WHERE e.kind = 'blob' AND e.language = '{language}' "
        f"AND NOT EXISTS (SELECT 1 FROM blobs b WHERE b.sha = e.object "
        f"AND b.language = '{language}')"
    )


# A use of a name (its kind: the role, see schema.REFERENCE_KINDS). Its end is stored
# only where its name does not give it (schema.REFERENCE_ENDS), and its enclosing
# definition by number only (the read side and `references_at` join its name back).
_CODE_REFERENCES = """
    CREATE TABLE IF NOT EXISTS {name} (
        blob VARCHAR NOT NULL,
        language VARCHAR NOT NULL,
        idx INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        kind VARCHAR NOT NULL CHECK (kind IN ({kinds})),
        start_byte INTEGER NOT NULL,
        end_byte INTEGER,                  -- NULL: start_byte + the name's bytes
        start_line INTEGER NOT NULL,
        end_line INTEGER,                  -- NULL: start_line
        start_col INTEGER NOT NULL,
        end_col INTEGER,                   -- NULL: start_col + the name's bytes
        enclosing_idx INTEGER,             -- idx of the innermost enclosing definition
        context VARCHAR,                   -- module of an import / object of a member use
        arguments VARCHAR[]                -- a call's argument hints (indexer/arguments.py)
    )"""
CODE_REFERENCES = _CODE_REFERENCES.format(name="code_references", kinds=_one_of(REFERENCE_KINDS))
# The table as schema 7 made it (migration 6 makes it so; migration 7 rewrites it): kept
# as it was, whatever the current table becomes.
_CODE_REFERENCES_7 = (
    "CREATE TABLE IF NOT EXISTS {name} (blob VARCHAR NOT NULL, language VARCHAR NOT NULL, "
    "idx INTEGER NOT NULL, name VARCHAR NOT NULL, kind VARCHAR NOT NULL CHECK (kind IN "
    "({kinds})), start_byte INTEGER NOT NULL, end_byte INTEGER NOT NULL, start_line INTEGER "
    "NOT NULL, end_line INTEGER NOT NULL, start_col INTEGER NOT NULL, end_col INTEGER NOT "
    "NULL, enclosing VARCHAR, enclosing_idx INTEGER, context VARCHAR, arguments VARCHAR[])"
)

# A name bound in a scope with evidence of its type (see indexer/bindings.py).
CODE_BINDINGS = """
    CREATE TABLE IF NOT EXISTS code_bindings (
        blob VARCHAR NOT NULL,
        language VARCHAR NOT NULL,
        idx INTEGER NOT NULL,
        name VARCHAR NOT NULL,             -- the bound name
        kind VARCHAR NOT NULL,             -- param, local, call, alias, narrow, scope...
        type VARCHAR,                      -- the declared type's text
        value VARCHAR,                     -- the callee of the call assigned, or the name
        context VARCHAR,                   -- the object of an attribute binding (self)
        scope_idx INTEGER,                 -- the innermost definition around it
        start_byte INTEGER NOT NULL,
        end_byte INTEGER NOT NULL,
        line INTEGER NOT NULL,
        col INTEGER NOT NULL
    )"""

# A blob as one language: its extraction status and counts.
_BLOBS = """
    CREATE TABLE IF NOT EXISTS {name} (
        sha VARCHAR NOT NULL,
        language VARCHAR NOT NULL,
        size BIGINT,                       -- NULL when never read (a missing object)
        status VARCHAR NOT NULL CHECK (status IN ({statuses})),
        detail VARCHAR,
        extractor_version INTEGER NOT NULL,
        patterns_digest VARCHAR,           -- NULL for languages we do not extract
        n_symbols INTEGER NOT NULL,
        n_references INTEGER NOT NULL,
        lines INTEGER,                     -- lines of text; NULL unless parsed
        PRIMARY KEY (sha, language)
    )"""
BLOBS = _BLOBS.format(name="blobs", statuses=_one_of(STATUSES))

MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        "ALTER TABLE code_symbols ADD COLUMN IF NOT EXISTS sketch UINTEGER[] DEFAULT []",
        "ALTER TABLE code_references ADD COLUMN IF NOT EXISTS context VARCHAR",
        "UPDATE blobs SET extractor_version = 0",  # re-extraction fills the new columns
    ),
    2: INDEXES,
    3: (
        SIDECAR_ENTRIES,
        *AGENT_TABLES,
        "UPDATE tree_entries SET language = 'symbiote-sidecar' "
        "WHERE kind = 'blob' AND name LIKE '%_.symbiote.json'",
        _awaiting_extraction("symbiote-sidecar", 4),
    ),
    4: FILE_CHANGES,  # filled for existing commits by the next index run
    5: (
        "UPDATE tree_entries SET language = 'cpp' "
        "WHERE kind = 'blob' AND language = 'c' AND lower(name) LIKE '%.h'",
        "UPDATE file_changes SET before_language = 'cpp' "
        "WHERE before_language = 'c' AND lower(path) LIKE '%.h'",
        "UPDATE file_changes SET after_language = 'cpp' "
        "WHERE after_language = 'c' AND lower(path) LIKE '%.h'",
        _awaiting_extraction("cpp", 6),
    ),
    6: (  # reference kinds become roles; the table is made anew for its new CHECK ...
        _CODE_REFERENCES_7.format(name="code_references_7", kinds=_one_of(REFERENCE_KINDS)),
        "INSERT INTO code_references_7 SELECT blob, language, idx, name, "
        "CASE kind WHEN 'inheritance' THEN 'inherit' WHEN 'attribute' THEN 'read' "
        "WHEN 'other' THEN 'read' ELSE kind END, start_byte, end_byte, start_line, "
        "end_line, start_col, end_col, enclosing, enclosing_idx, context, NULL "
        "FROM code_references",
        "DROP TABLE code_references",
        "ALTER TABLE code_references_7 RENAME TO code_references",
        # ... definitions their declared type, and bindings a table;
        "ALTER TABLE code_symbols ADD COLUMN IF NOT EXISTS type VARCHAR",
        CODE_BINDINGS,
        # ... and blob statuses gain `generic` and `missing`.
        _BLOBS.format(name="blobs_7", statuses=_one_of(STATUSES)),
        "INSERT INTO blobs_7 BY NAME SELECT * FROM blobs",
        "DROP TABLE blobs",
        "ALTER TABLE blobs_7 RENAME TO blobs",
    ),
    7: (  # references keep their end only where the name does not give it (see above)
        _CODE_REFERENCES.format(name="code_references_8", kinds=_one_of(REFERENCE_KINDS)),
        "INSERT INTO code_references_8 SELECT blob, language, idx, name, kind, start_byte, "
        "nullif(end_byte, start_byte + strlen(name)), start_line, "
        "nullif(end_line, start_line), start_col, "
        "CASE WHEN end_line = start_line AND end_col = start_col + strlen(name) "
        "THEN NULL ELSE end_col END, enclosing_idx, context, arguments "
        "FROM code_references",  # in the same order (DuckDB keeps a scan's order)
        "DROP TABLE code_references",
        "ALTER TABLE code_references_8 RENAME TO code_references",
    ),
}

TABLES: tuple[str, ...] = (
    """
    CREATE TABLE IF NOT EXISTS index_meta (
        key VARCHAR PRIMARY KEY,
        value VARCHAR NOT NULL
    )""",
    """
    CREATE TABLE IF NOT EXISTS repositories (
        id INTEGER PRIMARY KEY,
        path VARCHAR NOT NULL UNIQUE,      -- absolute path of the working tree (or git dir)
        head_branch VARCHAR,               -- refs/heads/... HEAD pointed to at the last run
        added_at TIMESTAMPTZ NOT NULL,
        indexed_at TIMESTAMPTZ             -- end of the last complete run
    )""",
    """
    CREATE TABLE IF NOT EXISTS commits (
        repo_id INTEGER NOT NULL,
        sha VARCHAR NOT NULL,
        tree VARCHAR NOT NULL,
        parents VARCHAR[] NOT NULL,
        author_name VARCHAR NOT NULL,
        author_email VARCHAR NOT NULL,
        author_time TIMESTAMPTZ NOT NULL,
        committer_name VARCHAR NOT NULL,
        committer_email VARCHAR NOT NULL,
        committer_time TIMESTAMPTZ NOT NULL,
        message VARCHAR NOT NULL,
        PRIMARY KEY (repo_id, sha)
    )""",
    """
    CREATE TABLE IF NOT EXISTS refs (
        repo_id INTEGER NOT NULL,
        name VARCHAR NOT NULL,             -- refs/heads/main, refs/tags/v1, HEAD
        short_name VARCHAR NOT NULL,       -- main, v1, HEAD
        kind VARCHAR NOT NULL CHECK (kind IN ('head', 'branch', 'tag', 'remote', 'other')),
        commit VARCHAR NOT NULL,
        PRIMARY KEY (repo_id, name)
    )""",
    """
    CREATE TABLE IF NOT EXISTS trees (
        sha VARCHAR PRIMARY KEY            -- present only once all its entries are stored
    )""",
    # A commit the last run could not index because a tree it reaches is missing from
    # the repository (a partial clone without its trees, a pruned object); it is not in
    # `commits` until a later run finds every tree it reaches.
    """
    CREATE TABLE IF NOT EXISTS skipped_commits (
        repo_id INTEGER NOT NULL,
        sha VARCHAR NOT NULL,
        missing_tree VARCHAR NOT NULL,     -- the first missing tree, in git's entry order
        detail VARCHAR NOT NULL,           -- why git could not give it
        PRIMARY KEY (repo_id, sha)
    )""",
    # A commit `symbiote archive` moved out of the live store: in no other table until
    # `symbiote restore` (or `symbiote index --include-archived`) brings it back, and
    # left out of index runs meanwhile.
    """
    CREATE TABLE IF NOT EXISTS archived_commits (
        repo_id INTEGER NOT NULL,
        sha VARCHAR NOT NULL,
        archive VARCHAR NOT NULL,          -- the archive folder that holds its rows
        refs VARCHAR[] NOT NULL,           -- names (full and short) of refs at it then
        PRIMARY KEY (repo_id, sha)
    )""",
    """
    CREATE TABLE IF NOT EXISTS tree_entries (
        tree VARCHAR NOT NULL,
        name VARCHAR NOT NULL,             -- undecodable bytes appear as \\xNN escapes
        raw_name BLOB,                     -- exact name bytes, only when not valid UTF-8
        mode INTEGER NOT NULL,
        kind VARCHAR NOT NULL CHECK (kind IN ('blob', 'tree', 'link', 'submodule')),
        object VARCHAR NOT NULL,
        language VARCHAR                   -- for blobs and links: decided by the name
    )""",
    BLOBS,
    """
    CREATE TABLE IF NOT EXISTS code_symbols (
        blob VARCHAR NOT NULL,
        language VARCHAR NOT NULL,
        idx INTEGER NOT NULL,              -- ordinal within the blob, source order
        name VARCHAR NOT NULL,
        qualified_name VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        parent VARCHAR,                    -- qualified name of the enclosing definition
        parent_idx INTEGER,                -- its idx, when it is in the same blob
        start_byte INTEGER NOT NULL,
        end_byte INTEGER NOT NULL,
        start_line INTEGER NOT NULL,
        end_line INTEGER NOT NULL,
        start_col INTEGER NOT NULL,
        end_col INTEGER NOT NULL,
        name_line INTEGER NOT NULL,
        name_col INTEGER NOT NULL,
        signature VARCHAR NOT NULL,
        docstring VARCHAR,
        body_hash VARCHAR NOT NULL,        -- hash of the text, own indentation removed
        sketch UINTEGER[] NOT NULL,        -- bottom-k line hashes, for body similarity
        type VARCHAR                       -- declared type (fields) or result (functions)
    )""",
    CODE_REFERENCES,
    # A store made by an earlier build of the unreleased schema 7 lacks these columns.
    "ALTER TABLE code_references ADD COLUMN IF NOT EXISTS arguments VARCHAR[]",
    "ALTER TABLE blobs ADD COLUMN IF NOT EXISTS lines INTEGER",
    CODE_BINDINGS,
    SIDECAR_ENTRIES,
    *AGENT_TABLES,
    *FILE_CHANGES,
)

# Macros give the rows of one commit or ref. `rev` is a ref name (full or short), a full
# sha or a unique sha prefix of at least 4 characters; `repo` narrows to one repository id.
# `files_at` gathers the commit's files into one list and unnests it: DuckDB estimates
# the recursive walk at billions of rows, and a join of it with `code_references` (tens
# of millions of rows) then hashed the whole table (15-60 s, a GB of memory on a
# 10,000-commit store). One aggregated row is estimated as one, so a join hashes the
# files and pushes their blobs into the scan of the other table as a filter (~1 s). The
# walk's folders are gathered the same way before their files are joined: joined
# directly, the walk's estimate made DuckDB hash all of `tree_entries` (~900,000 rows) to
# probe it with the ~100 folders of one commit (0.4-0.6 s; through the list 0.1 s).
# `references_at` names each reference's enclosing definition from the definitions of
# the commit's own files (its files listed again: a second walk, ~0.02 s), so the join
# hashes those (~57,000 on sqlalchemy) rather than the commit's references (465,000)
# to probe every definition of the history (5.2 M): grouping its rows by `enclosing`
# took 2.2 s that way, 0.8 s this way, and `LIMIT 1000` 1.8 s, 0.4 s.
MACROS: tuple[str, ...] = (
    """
    CREATE OR REPLACE MACRO commit_of(rev, repo := NULL) AS (
        SELECT coalesce(
            (SELECT min(r.commit) FROM refs r
              WHERE (r.name = rev OR r.short_name = rev)
                AND (repo IS NULL OR r.repo_id = repo)),
            (SELECT min(c.sha) FROM commits c
              WHERE (c.sha = rev OR (length(rev) >= 4 AND starts_with(c.sha, lower(rev))))
                AND (repo IS NULL OR c.repo_id = repo))))
    """,
    """
    CREATE OR REPLACE MACRO files_at(rev, repo := NULL) AS TABLE
        SELECT unnest(files, recursive := true) FROM (
            WITH RECURSIVE walk(tree, prefix) AS (
                SELECT c.tree, '' FROM commits c
                 WHERE c.sha = commit_of(rev, repo := repo)
                   AND (repo IS NULL OR c.repo_id = repo)
                UNION ALL
                SELECT e.object, walk.prefix || e.name || '/'
                  FROM walk JOIN tree_entries e ON e.tree = walk.tree
                 WHERE e.kind = 'tree'),
            folders AS (SELECT unnest(list({'tree': tree, 'prefix': prefix}),
                                      recursive := true) FROM walk)
            SELECT list(DISTINCT {'path': folders.prefix || e.name, 'blob': e.object,
                                  'language': e.language, 'kind': e.kind,
                                  'mode': e.mode}) AS files
              FROM folders JOIN tree_entries e ON e.tree = folders.tree
             WHERE e.kind <> 'tree')
    """,
    """
    CREATE OR REPLACE MACRO symbols_at(rev, repo := NULL) AS TABLE
        SELECT f.path, s.*
          FROM files_at(rev, repo := repo) f
          JOIN code_symbols s ON s.blob = f.blob AND s.language = f.language
    """,
    """
    CREATE OR REPLACE MACRO references_at(rev, repo := NULL) AS TABLE
        SELECT f.path, r.blob, r.language, r.idx, r.name, r.kind, r.start_byte,
               {end_byte} AS end_byte, r.start_line, {end_line} AS end_line, r.start_col,
               {end_col} AS end_col, s.qualified_name AS enclosing, r.enclosing_idx,
               r.context, r.arguments
          FROM files_at(rev, repo := repo) f
          JOIN code_references r ON r.blob = f.blob AND r.language = f.language
          LEFT JOIN (
            SELECT s.blob, s.language, s.idx, s.qualified_name
              FROM (SELECT DISTINCT blob, language FROM files_at(rev, repo := repo)) h
              JOIN code_symbols s ON s.blob = h.blob AND s.language = h.language) s
            ON s.blob = r.blob AND s.language = r.language AND s.idx = r.enclosing_idx
    """.format(**{k: v.format(a="r") for k, v in REFERENCE_ENDS.items()}),
)


def prepare(store: Store) -> None:
    """Create the tables of a new store, or bring an older one up to
    :data:`~symbiote.indexer.schema.SCHEMA_VERSION` (or refuse it clearly); then (re)create
    the macros."""
    exists = store.rows(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'index_meta'"
    )
    if exists[0][0]:
        _migrate(store, store.get_meta("schema_version"))
    with store.transaction():
        for ddl in TABLES + INDEXES:
            store.execute(ddl)
        store.execute(
            "INSERT OR IGNORE INTO index_meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
        )
        store.stamp_created()
    for macro in MACROS:
        store.execute(macro)


def _migrate(store: Store, found: str | None) -> None:
    version = int(found) if found is not None and found.isdigit() else None
    if version == SCHEMA_VERSION:
        return
    if version is None or version > SCHEMA_VERSION or version not in MIGRATIONS:
        raise SchemaMismatch(
            f"store {store.path} has schema version {found}; this code reads version "
            f"{SCHEMA_VERSION} and can migrate from "
            f"{', '.join(map(str, sorted(MIGRATIONS))) or 'none'}. "
            "Move the store aside and index again."
        )
    while version < SCHEMA_VERSION:
        log.info("migrating store %s from schema %d to %d", store.path, version, version + 1)
        with store.transaction():
            for statement in MIGRATIONS[version]:
                store.execute(statement)
            version += 1
            store.execute(
                "UPDATE index_meta SET value = ? WHERE key = 'schema_version'", [str(version)]
            )
