"""``symbiote archive`` and ``symbiote restore``: old history out of the live store into
checksummed Parquet files, and back (see :mod:`indexer.archive`)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from symbiote.indexer.errors import ArchiveError

Result = tuple[str | None, list[Any], str]


def _text(summary: Any, verb: str) -> str:
    if summary.archive is None:
        return "nothing to archive"
    rows = ", ".join(f"{name} {n}" for name, n in summary.rows.items() if n)
    return f"{verb} {summary.commits} commits: {summary.archive}\nrows: {rows or 'none'}"


def archive(args: argparse.Namespace) -> Result:
    from symbiote.indexer.archive import ArchiveOptions, archive_history

    before = None
    if args.before is not None:
        try:
            before = datetime.fromisoformat(args.before)
        except ValueError as exc:
            raise ArchiveError(f"--before takes an ISO date (2024-01-31): {exc}") from exc
        before = before if before.tzinfo else before.replace(tzinfo=UTC)
    options = ArchiveOptions(
        keep=tuple(args.keep) if args.keep else None, before=before, dry_run=args.dry_run
    )
    summary = archive_history(args.repo, args.store, options)
    verb = "would archive" if args.dry_run else "archived"
    return None, [summary.to_dict()], _text(summary, verb)


def restore(args: argparse.Namespace) -> Result:
    from symbiote.indexer.archive import restore_archive

    summary = restore_archive(args.repo, args.store, Path(args.archive))
    return None, [summary.to_dict()], _text(summary, "restored")


def add_parsers(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    """Register archive and restore."""
    p = sub.add_parser(
        "archive",
        help="move old history out of the live store into checksummed Parquet files",
        description="Archive the indexed commits not reachable from the kept refs (HEAD is "
        "always kept) and/or committed before a date, with the trees, blobs, definitions "
        "and references only they reach. Rows leave the store only after the archive has "
        "been read back and checked.",
        epilog="example: symbiote archive --keep main --before 2023-01-01",
    )
    p.add_argument("--repo", default=".", help="repository path (default: .)")
    p.add_argument("--keep", action="append", metavar="REF", help="a ref to keep (repeatable)")
    p.add_argument("--before", default=None, metavar="DATE", help="archive commits before this")
    p.add_argument("--dry-run", action="store_true", help="count what would go; change nothing")
    common(p)
    p.set_defaults(handler=archive)

    p = sub.add_parser(
        "restore",
        help="bring an archive back into the live store",
        epilog="example: symbiote restore .git/symbiote/index.duckdb.archives/0123abcd",
    )
    p.add_argument("archive", help="the archive folder")
    p.add_argument("--repo", default=".", help="repository path (default: .)")
    common(p)
    p.set_defaults(handler=restore)
