"""Result types of the read side: frozen dataclasses with a ``to_dict`` for JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any


class _Result:
    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with the field names of the CLI's contract."""
        out = asdict(self)  # type: ignore[call-overload]
        for key, value in out.items():
            if isinstance(value, datetime):
                out[key] = value.isoformat()
        return dict(out)


@dataclass(frozen=True, slots=True)
class CommitRef(_Result):
    """An indexed commit that a revision resolved to."""

    repo_id: int
    sha: str
    rev: str  # the revision as asked


@dataclass(frozen=True, slots=True)
class Symbol(_Result):
    """A definition at a commit, with its provenance.

    Spans: bytes 0-based half-open, lines 1-based, columns 0-based in bytes.
    """

    commit: str
    path: str
    blob: str
    language: str
    name: str
    qualified_name: str
    kind: str
    parent: str | None
    start_line: int
    end_line: int
    start_col: int
    end_col: int
    start_byte: int
    end_byte: int
    signature: str
    docstring: str | None
    body_hash: str


@dataclass(frozen=True, slots=True)
class RefState(_Result):
    """A ref as last indexed."""

    name: str
    kind: str
    commit: str


@dataclass(frozen=True, slots=True)
class RepositoryStatus(_Result):
    """What the store holds for one repository."""

    repo_id: int
    path: str
    indexed_at: datetime | None
    commits: int
    refs: list[RefState]
    blobs_by_status: dict[str, int]
    symbols: int
    references: int
