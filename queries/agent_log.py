"""Reading the self-correction log: the current version of each entry, lessons about a
definition (followed across renames and moves through its history), success rates.

The journal holds every acknowledged entry (see :mod:`symbiote.indexer.journal`), so reads see
an entry as soon as its write returned, whether or not it is in the DuckDB tables yet.
A correction replaces the entry it supersedes (and answers to that entry's id stay
attached); a retraction removes the chain.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from symbiote.indexer.journal import PARENTS, VERDICTS
from symbiote.queries.models import AgentAction, AgentOutcome, Lesson, SuccessRate


class Log:
    """The current entries of a journal."""

    def __init__(self, entries: list[dict[str, Any]]) -> None:
        self.root: dict[str, str] = {}  # id of any version -> id of its chain's first entry
        latest: dict[str, dict[str, Any]] = {}  # chain -> its newest version
        versions: dict[str, list[str]] = {}
        for entry in entries:
            supersedes = entry.get("supersedes")
            chain = self.root.get(supersedes, supersedes) if supersedes else entry["id"]
            self.root[entry["id"]] = chain
            latest[chain] = entry
            versions.setdefault(chain, []).append(entry["id"])
        self.current = {c: e for c, e in latest.items() if not e.get("retracted")}
        self.revisions = {c: ids[:-1] for c, ids in versions.items()}
        self._kinds: dict[str, list[dict[str, Any]]] = {}
        # (kind, the chain of the entry it answers) -> current entries, oldest first
        self._answers: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for entry in self.current.values():
            self._kinds.setdefault(entry["kind"], []).append(entry)
            parent = PARENTS.get(entry["kind"])
            if parent is not None:
                chain = self.root.get(entry[parent], entry[parent])
                self._answers.setdefault((entry["kind"], chain), []).append(entry)

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        """Current entries of one kind, oldest first."""
        return list(self._kinds.get(kind, []))

    def children(self, kind: str, parent_chain: str) -> list[dict[str, Any]]:
        """Current entries of ``kind`` (action, outcome) that answer the chain
        ``parent_chain`` (a critique's, an action's)."""
        return list(self._answers.get((kind, parent_chain), []))


def lessons(log: Log, repo_id: int, identities: Iterable[tuple[str, str | None]]) -> list[Lesson]:
    """Critiques made about any of ``identities`` (path, qualified name; None: the file),
    newest first, each with its actions and their outcomes."""
    wanted = set(identities)
    found = [
        c
        for c in log.of_kind("critique")
        if c["repo_id"] == repo_id and (c["path"], c["qualified_name"]) in wanted
    ]
    found.sort(key=lambda c: c["recorded_at"], reverse=True)
    return [lesson(log, c) for c in found]


def rates(log: Log) -> list[SuccessRate]:
    """Outcomes of current actions grouped by the critique's category and the acting
    agent; an action's verdict is its latest outcome."""
    groups: dict[tuple[str, str], Counter[str]] = {}
    counts: Counter[tuple[str, str]] = Counter()
    for action in log.of_kind("action"):
        critique = log.current.get(log.root.get(action["critique"], action["critique"]))
        if critique is None:  # the critique was retracted
            continue
        key = (critique["category"], action["agent"])
        counts[key] += 1
        outcomes = log.children("outcome", log.root[action["id"]])
        verdicts = groups.setdefault(key, Counter())
        if outcomes:
            verdicts[max(outcomes, key=lambda o: o["recorded_at"])["verdict"]] += 1
    out = []
    for (category, agent), total in sorted(counts.items()):
        verdicts = groups[(category, agent)]
        judged = sum(verdicts.values())
        out.append(
            SuccessRate(
                category=category,
                agent=agent,
                actions=total,
                judged=judged,
                verdicts={v: verdicts[v] for v in VERDICTS if verdicts[v]},
                rate=verdicts["success"] / judged if judged else None,
            )
        )
    return out


def lesson(log: Log, critique: dict[str, Any]) -> Lesson:
    """A critique entry with its current actions and their outcomes."""
    chain = log.root[critique["id"]]
    actions = []
    for action in log.children("action", chain):
        action_chain = log.root[action["id"]]
        outcomes = [
            AgentOutcome(
                id=o["id"],
                recorded_at=o["recorded_at"],
                agent=o["agent"],
                verdict=o["verdict"],
                evidence=o["evidence"],
                revisions=log.revisions[log.root[o["id"]]],
            )
            for o in log.children("outcome", action_chain)
        ]
        actions.append(
            AgentAction(
                id=action["id"],
                recorded_at=action["recorded_at"],
                agent=action["agent"],
                description=action["description"],
                commit=action["commit"],
                paths=action["paths"],
                definitions=action["definitions"],
                outcomes=outcomes,
                revisions=log.revisions[action_chain],
            )
        )
    return Lesson(
        id=critique["id"],
        recorded_at=critique["recorded_at"],
        agent=critique["agent"],
        commit=critique["commit"],
        path=critique["path"],
        qualified_name=critique["qualified_name"],
        category=critique["category"],
        severity=critique["severity"],
        text=critique["text"],
        actions=actions,
        revisions=log.revisions[chain],
    )
