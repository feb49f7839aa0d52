"""What one index holds, and its tables as they are: the status of a repository and
read-only SQL."""

from __future__ import annotations

from symbiote.indexer.errors import QueryError
from symbiote.queries.commits import Commits
from symbiote.queries.models import RefState, RepositoryStatus, SqlResult
from symbiote.queries.options import SqlOptions
from symbiote.queries.reader import Reader


class Overview:
    """Status and SQL over one store, scoped to one repository where it matters."""

    def __init__(self, commits: Commits) -> None:
        self.commits = commits

    def status(self) -> RepositoryStatus:
        """What is indexed for this repository."""
        reader, repo_id = self.commits.reader, self.commits.repo_id
        repo = reader.rows("SELECT path, indexed_at FROM repositories WHERE id = ?", [repo_id])
        if not repo:
            raise QueryError(f"repository {repo_id} is not in the index")
        refs = [
            RefState(str(n), str(k), str(c))
            for n, k, c in reader.rows(
                "SELECT name, kind, commit FROM refs WHERE repo_id = ? "
                "ORDER BY kind <> 'head', name",
                [repo_id],
            )
        ]
        commits = int(reader.scalar("SELECT count(*) FROM commits WHERE repo_id = ?", [repo_id]))
        statuses = {
            str(s): int(n)
            for s, n in reader.rows(
                "SELECT status, count(*) FROM blobs GROUP BY status ORDER BY status"
            )
        }
        symbols = int(reader.scalar("SELECT count(*) FROM code_symbols"))
        references = int(reader.scalar("SELECT count(*) FROM code_references"))
        skipped = _count(reader, "skipped_commits", repo_id)
        archives = _archives(reader, repo_id)
        return RepositoryStatus(
            repo_id,
            str(repo[0][0]),
            repo[0][1],
            commits,
            refs,
            statuses,
            symbols,
            references,
            skipped,
            sum(archives.values()),
            archives,
        )

    def sql(self, query: str, *, options: SqlOptions) -> SqlResult:
        """One read-only statement (SELECT or EXPLAIN) over the store, bounded by rows,
        bytes and time."""
        if options.limit < 1 or options.max_bytes < 1 or options.timeout <= 0:
            raise QueryError("sql's limit, max_bytes and timeout must be positive")
        return self.commits.reader.sandboxed(query, list(options.params), options)


def _archives(reader: Reader, repo_id: int) -> dict[str, int]:
    """Archive folder -> commits of the repository it holds that are still archived."""
    if not reader.has_table("archived_commits"):
        return {}
    rows = reader.rows(
        "SELECT archive, count(*) FROM archived_commits WHERE repo_id = ? "
        "GROUP BY archive ORDER BY archive",
        [repo_id],
    )
    return {str(folder): int(n) for folder, n in rows}


def _count(reader: Reader, table: str, repo_id: int) -> int:
    if not reader.has_table(table):
        return 0
    return int(reader.scalar(f"SELECT count(*) FROM {table} WHERE repo_id = ?", [repo_id]))
