"""The agent log as one index reads it: lessons about a definition or file, critiques
recalled by meaning, success rates (see :mod:`symbiote.queries.agent_log`). The journal
is read at every call, so an entry is visible as soon as its write returned."""

from __future__ import annotations

from typing import Any

from symbiote.indexer.errors import QueryError, UnknownPath
from symbiote.indexer.journal import critique_text, read_journal
from symbiote.queries import agent_log, locate
from symbiote.queries.changes import Changes
from symbiote.queries.commits import Commits
from symbiote.queries.models import Lesson, RecalledCritique, SuccessRate
from symbiote.queries.options import HistoryOptions
from symbiote.queries.searcher import Searcher


class Memory:
    """What agents recorded about the code, and how it turned out."""

    def __init__(self, commits: Commits, changes: Changes, searcher: Searcher) -> None:
        self.commits = commits
        self.changes = changes
        self.searcher = searcher

    def _log(self) -> agent_log.Log:
        return agent_log.Log(read_journal(self.commits.store_path))

    def lessons(self, target: str, *, at: str) -> list[Lesson]:
        """Past critiques of a definition (``PATH::QUALNAME``, followed back through its
        renames and moves) or of a file (``PATH``: the file and its definitions), newest
        first, each with what was done and how it turned out."""
        repo_id = self.commits.repo_id
        if "::" not in target:
            snap = self.commits.snapshot(at)
            path = target.strip().strip("/")
            if path not in snap.files:
                raise UnknownPath(f"{path!r} is not a file in commit {snap.commit[:12]}")
            log = self._log()
            names = {(c["path"], c["qualified_name"]) for c in log.of_kind("critique")}
            return agent_log.lessons(log, repo_id, {n for n in names if n[0] == path})
        symbol = locate.definition(self.commits.snapshot(at), target)
        identities: set[tuple[str, str | None]] = {(symbol.path, symbol.qualified_name)}
        for entry in self.changes.history(target, at=at, options=HistoryOptions()):
            identities.add((entry.path, entry.qualified_name))
            if entry.previous_path and entry.previous_qualified_name:
                identities.add((entry.previous_path, entry.previous_qualified_name))
        return agent_log.lessons(self._log(), repo_id, identities)

    def recall(self, text: str, *, k: int) -> list[RecalledCritique]:
        """The ``k`` past critiques (current versions, this repository) closest in
        meaning to ``text``, each as a lesson with its actions and outcomes. Critiques
        the search sidecar has no vector for yet are embedded for this call."""
        import numpy as np

        if not text.strip():
            raise QueryError("recall needs a non-empty text")
        log = self._log()
        repo_id = self.commits.repo_id
        critiques = [c for c in log.of_kind("critique") if c["repo_id"] == repo_id]
        if not critiques:
            return []
        model = self.searcher.model()
        stored = self.searcher.sidecar().critique_vectors(model.model_id)
        missing = [c for c in critiques if c["id"] not in stored]
        computed: dict[str, Any] = {}
        if missing:
            fresh = model.embed([critique_text(c) for c in missing])
            computed = dict(zip((c["id"] for c in missing), fresh, strict=True))
        matrix = np.stack(
            [stored[c["id"]] if c["id"] in stored else computed[c["id"]] for c in critiques]
        )
        query = model.embed([text])[0]
        distances = 1.0 - matrix @ query
        order = np.argsort(distances, kind="stable")[: max(k, 0)]
        return [
            RecalledCritique(
                lesson=agent_log.lesson(log, critiques[i]),
                distance=round(float(distances[i]), 6),
                embedded=critiques[i]["id"] in stored,
            )
            for i in order
        ]

    def success_rates(self) -> list[SuccessRate]:
        """How agents' actions turned out, by critique category and agent."""
        return agent_log.rates(self._log())

    def check_target(self, commit: str, path: str, qualified_name: str | None) -> None:
        """Raise unless ``path`` (and ``path::qualified_name``) exists at ``commit``: what
        a critique must point at."""
        if qualified_name is None:
            if path not in self.commits.snapshot(commit).files:
                raise UnknownPath(f"{path!r} is not a file in commit {commit[:12]}")
            return
        locate.definition(self.commits.snapshot(commit), f"{path}::{qualified_name}")
