"""Revision names -> indexed commits, using only what the index holds.

A revision is a ref name (``main``, ``refs/tags/v1``, ``HEAD``), a full sha or a unique
sha prefix of at least 4 hex digits, optionally followed by ``~N`` / ``^N`` steps taken
through the stored parents. A revision naming a commit ``symbiote archive`` moved out is
:class:`NotIndexed` naming the archive and the command that brings it back.
"""

from __future__ import annotations

import re
import shlex

from symbiote.indexer.errors import NotIndexed, UnknownRevision
from symbiote.queries.reader import Reader

_REV = re.compile(r"^(?P<base>[^~^]+)(?P<suffix>(?:[~^][0-9]*)*)$")
_HEX = re.compile(r"^[0-9a-fA-F]{4,40}$")


def resolve(reader: Reader, repo_id: int, rev: str) -> str:
    """The full sha of the indexed commit ``rev`` names."""
    match = _REV.match(rev or "")
    if match is None or rev.startswith("-") or any(c.isspace() or ord(c) < 32 for c in rev):
        raise UnknownRevision(f"not a valid revision: {rev!r}")
    sha = _base(reader, repo_id, match.group("base"))
    for step in re.findall(r"[~^][0-9]*", match.group("suffix")):
        count = int(step[1:]) if len(step) > 1 else 1
        if step[0] == "~":
            for _ in range(count):
                sha = _parent(reader, repo_id, sha, 1, rev)
        elif count:
            sha = _parent(reader, repo_id, sha, count, rev)
    return sha


def _base(reader: Reader, repo_id: int, base: str) -> str:
    row = reader.scalar(
        "SELECT min(commit) FROM refs WHERE repo_id = ? AND (name = ? OR short_name = ?)",
        [repo_id, base, base],
    )
    if row is not None:
        return str(row)
    if _HEX.match(base):
        shas = reader.rows(
            "SELECT sha FROM commits WHERE repo_id = ? AND starts_with(sha, ?) LIMIT 2",
            [repo_id, base.lower()],
        )
        if len(shas) == 1:
            return str(shas[0][0])
        if len(shas) > 1:
            raise UnknownRevision(f"sha prefix {base!r} is ambiguous; give more digits")
        raise _archived(reader, repo_id, "starts_with(sha, ?)", base.lower(), base) or NotIndexed(
            f"commit {base} is not indexed (or does not exist); "
            "run `symbiote index` with the refs that contain it"
        )
    raise _archived(reader, repo_id, "list_contains(refs, ?)", base, base) or UnknownRevision(
        f"unknown revision {base!r}: no such ref in the index"
    )


def _parent(reader: Reader, repo_id: int, sha: str, number: int, rev: str) -> str:
    parents = reader.scalar(
        "SELECT parents FROM commits WHERE repo_id = ? AND sha = ?", [repo_id, sha]
    )
    if parents is None or len(parents) < number:
        raise UnknownRevision(f"{rev!r}: commit {sha[:12]} has no parent {number}")
    parent = str(parents[number - 1])
    indexed = reader.scalar(
        "SELECT count(*) FROM commits WHERE repo_id = ? AND sha = ?", [repo_id, parent]
    )
    if not indexed:
        raise _archived(reader, repo_id, "sha = ?", parent, rev, through=True) or NotIndexed(
            f"{rev!r} is commit {parent}, which is not indexed"
        )
    return parent


def _archived(
    reader: Reader, repo_id: int, condition: str, value: str, rev: str, *, through: bool = False
) -> NotIndexed | None:
    """The error for ``rev`` when the one archived commit matching ``condition`` is what
    it names, or (``through``) what its ``~N``/``^N`` steps reach first (None when none,
    or several, match)."""
    if not reader.has_table("archived_commits"):
        return None
    rows = reader.rows(
        f"SELECT sha, archive FROM archived_commits WHERE repo_id = ? AND {condition} "
        "ORDER BY sha LIMIT 2",
        [repo_id, value],
    )
    if len(rows) != 1:
        return None
    sha, folder = str(rows[0][0]), str(rows[0][1])
    if through:
        what = f"{rev!r} goes through {sha[:12]}, which"
    else:
        what = sha[:12] if sha.startswith(rev.lower()) else f"{rev!r} ({sha[:12]})"
    return NotIndexed(
        f"{what} was archived to {folder}; `symbiote restore {shlex.quote(folder)}` brings it "
        "back (or `symbiote index --include-archived` indexes it again)"
    )
