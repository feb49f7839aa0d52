"""The notes kept in sidecar files beside the code, as one index reads them at a commit
(see :mod:`symbiote.queries.sidecar_files`)."""

from __future__ import annotations

from symbiote.queries import sidecar_files
from symbiote.queries.commits import Commits
from symbiote.queries.models import SidecarFile, SidecarNote


class Notes:
    """Sidecar files and their notes at any indexed commit."""

    def __init__(self, commits: Commits) -> None:
        self.commits = commits

    def notes(
        self, path: str | None = None, qualified_name: str | None = None, *, at: str
    ) -> list[SidecarNote]:
        """The notes at ``at`` (of ``path``'s sidecar file only, and of its entry about
        ``qualified_name`` only, when given), each with its state."""
        snap = self.commits.snapshot(at)
        return sidecar_files.notes(self.commits.reader, snap, path, qualified_name)

    def stale(self, *, at: str) -> list[SidecarNote]:
        """Notes about definitions that changed or vanished since they were written."""
        return [n for n in self.notes(at=at) if n.stale]

    def files(self, *, at: str) -> list[SidecarFile]:
        """The sidecar files at ``at``, with the status the indexer gave each."""
        return sidecar_files.sidecar_files(self.commits.reader, self.commits.snapshot(at))
