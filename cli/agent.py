"""``symbiote log critique|action|outcome|lessons|rates|apply``: the self-correction log
(see :mod:`indexer.agent_log`). Writes are acknowledged once they are in the journal."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from symbiote.cli.verbs import add_group, split_target
from symbiote.indexer.agent_log import AgentLog, apply_if_free, apply_now
from symbiote.indexer.errors import InvalidEntry
from symbiote.indexer.journal import CATEGORIES, SEVERITIES, VERDICTS
from symbiote.queries import Index, Lesson, open_index

Result = tuple[str | None, list[Any], str, dict[str, Any]]


def _written(index: Index, entry: dict[str, Any]) -> Result:
    applied = apply_if_free(index.store_path)
    state = (
        "applied to the tables"
        if applied is not None
        else "in the journal; the tables get it at the next apply"
    )
    return None, [entry], f"{entry['kind']} {entry['id']} recorded; {state}", {}


def critique(args: argparse.Namespace) -> Result:
    path, qualified_name = split_target(args.target)
    with open_index(args.repo, store=args.store) as index:
        sha = index.resolve(args.at).sha
        entry = AgentLog(index.store_path).critique(
            agent=args.agent,
            repo_id=index.repo_id,
            commit=sha,
            path=path,
            qualified_name=qualified_name,
            category=args.category,
            severity=args.severity,
            text=args.text,
            check=lambda _repo, commit, p, q: index.check_target(commit, p, q),
            supersedes=args.supersedes,
            retracted=args.retract,
        )
    return _written(index, entry)


def action(args: argparse.Namespace) -> Result:
    with open_index(args.repo, store=args.store) as index:
        commit = index.resolve(args.commit).sha if args.commit else None
        entry = AgentLog(index.store_path).action(
            agent=args.agent,
            critique=args.critique,
            description=args.did,
            commit=commit,
            paths=args.path or [],
            definitions=args.definition or [],
            supersedes=args.supersedes,
            retracted=args.retract,
        )
    return _written(index, entry)


def outcome(args: argparse.Namespace) -> Result:
    try:
        evidence = json.loads(args.evidence) if args.evidence else None
    except json.JSONDecodeError as exc:
        raise InvalidEntry(f"--evidence is not JSON: {exc}") from exc
    with open_index(args.repo, store=args.store) as index:
        entry = AgentLog(index.store_path).outcome(
            agent=args.agent,
            action=args.action,
            verdict=args.verdict,
            evidence=evidence,
            supersedes=args.supersedes,
            retracted=args.retract,
        )
    return _written(index, entry)


def _lesson_text(lesson: Lesson) -> str:
    where = f"{lesson.path}::{lesson.qualified_name}" if lesson.qualified_name else lesson.path
    lines = [
        f"{lesson.recorded_at[:19]} {lesson.agent} [{lesson.category}/{lesson.severity}] "
        f"{where} @ {lesson.commit[:12]}: {lesson.text}"
    ]
    for a in lesson.actions:
        verdicts = ", ".join(o.verdict for o in a.outcomes) or "no outcome yet"
        lines.append(f"  -> {a.agent}: {a.description} ({verdicts})")
    return "\n".join(lines)


def lessons(args: argparse.Namespace) -> Result:
    with open_index(args.repo, store=args.store) as index:
        sha = index.resolve(args.at).sha
        found = index.lessons(args.target, at=sha)
    text = "\n".join(_lesson_text(x) for x in found) or "(no lessons)"
    return sha, [x.to_dict() for x in found], text, {}


def recall(args: argparse.Namespace) -> Result:
    with open_index(args.repo, store=args.store, embedder=args.embedder) as index:
        found = index.recall(args.text, k=args.k)
    text = "\n".join(f"{h.distance:.3f}  {_lesson_text(h.lesson)}" for h in found)
    return None, [h.to_dict() for h in found], text or "(no critiques)", {}


def rates(args: argparse.Namespace) -> Result:
    with open_index(args.repo, store=args.store) as index:
        found = index.success_rates()
    lines = [
        f"{r.category:<12} {r.agent:<20} {r.actions:>4} actions, {r.judged:>4} judged, "
        + (f"{r.rate:.0%} success" if r.rate is not None else "no verdicts")
        for r in found
    ]
    return None, [r.to_dict() for r in found], "\n".join(lines) or "(no actions)", {}


def apply(args: argparse.Namespace) -> Result:
    with open_index(args.repo, store=args.store) as index:
        store = index.store_path
    applied = apply_now(store)
    return None, [{"applied": applied}], f"applied {applied} entries", {}


def add_parsers(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    """Register ``log`` and its sub-commands."""
    verb = add_group(
        sub,
        "log",
        "the self-correction log: critiques, actions, outcomes",
        "Record what agents criticise in the code, what they did about it and "
        "how it turned out; read back the lessons about a definition (across renames).",
        common,
    )

    def entry(p: argparse.ArgumentParser) -> None:
        p.add_argument("--agent", required=True, help="who records it")
        p.add_argument("--supersedes", default=None, metavar="ID", help="corrects this entry")
        p.add_argument(
            "--retract", action="store_true", help="withdraw the entry named by --supersedes"
        )

    p = verb(
        "critique",
        critique,
        "record a critique of a definition (PATH::QUALNAME) or a file at a commit",
        "symbiote log critique src/app.py::send --agent a1 --category bug --severity high "
        '--text "retries are not idempotent"',
        "the commit criticised (default HEAD)",
    )
    p.add_argument("target", metavar="PATH[::QUALNAME]")
    p.add_argument("--category", required=True, choices=CATEGORIES)
    p.add_argument("--severity", required=True, choices=SEVERITIES)
    p.add_argument("--text", required=True)
    entry(p)

    p = verb(
        "action",
        action,
        "record what was done about a critique",
        'symbiote log action 3f2a... --agent a1 --did "made retries idempotent" --commit HEAD',
    )
    p.add_argument("critique", metavar="CRITIQUE_ID")
    p.add_argument("--did", required=True, help="what was done")
    p.add_argument("--commit", default=None, metavar="REV", help="the commit it produced")
    p.add_argument("--path", action="append", help="a file touched (repeatable)")
    p.add_argument("--definition", action="append", help="a definition touched (repeatable)")
    entry(p)

    p = verb(
        "outcome",
        outcome,
        "record how an action turned out",
        "symbiote log outcome 9c1b... --agent ci --verdict success --evidence '{\"tests\": 212}'",
    )
    p.add_argument("action", metavar="ACTION_ID")
    p.add_argument("--verdict", required=True, choices=VERDICTS)
    p.add_argument("--evidence", default=None, help="a JSON object: test results, metrics")
    entry(p)

    p = verb(
        "lessons",
        lessons,
        "past critiques of a definition or file, what was done, how it went",
        "symbiote log lessons src/app.py::send --json",
        "where to find the definition (default HEAD)",
    )
    p.add_argument("target", metavar="PATH[::QUALNAME]")

    p = verb(
        "recall",
        recall,
        "past critiques closest in meaning to a text, with what was done about them",
        'symbiote log recall "request hangs without a timeout" -k 3 --json',
    )
    p.add_argument("text")
    p.add_argument("-k", type=int, default=5, help="how many (default 5)")
    p.add_argument("--embedder", default=None, metavar="SPEC", help="as for search")

    verb("rates", rates, "success rates by critique category and agent", "symbiote log rates")
    verb("apply", apply, "apply the journal to the SQL tables now", "symbiote log apply")
