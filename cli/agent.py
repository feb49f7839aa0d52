"""``log critique|action|outcome|lessons|recall|rates|apply``: the self-correction log
(see :mod:`symbiote.indexer.agent_log`). Writes are acknowledged once they are in the
journal."""

from __future__ import annotations

from typing import Any

from symbiote.cli.revs import at_commit, commit_of
from symbiote.cli.sidecars import PATH, QUALIFIED_NAME, SYMBOL, definition_at, target_of
from symbiote.cli.verbs import CURSOR, LIMIT, MAX_CHARS, PAGE, Call, Outcome, Param, Verb, at
from symbiote.indexer.errors import InvalidArgument
from symbiote.indexer.journal import CATEGORIES, SEVERITIES, VERDICTS
from symbiote.queries import Lesson
from symbiote.queries.options import is_worktree

AGENT = Param(name="agent", type="string", help="Who records the entry.")
SUPERSEDES = Param(
    name="supersedes",
    type="string",
    help="The id of an earlier entry this one corrects.",
    default=None,
    metavar="ID",
)
RETRACTED = Param(
    name="retracted",
    type="boolean",
    help="Withdraw the entry named by `supersedes` instead.",
    default=False,
    flags=("--retract",),
)


def _written(call: Call, commit: str | None, entry: dict[str, Any]) -> Outcome:
    from symbiote.indexer.agent_log import apply_if_free

    # The CLI applies the journal when the store is free; the owner applies it in batches,
    # and an MCP process reading the store leaves it to the next apply.
    applied = None
    if call.surface == "cli":
        call.release()  # a read connection would keep this process from writing the store
        applied = apply_if_free(call.store_path())
    state = (
        "applied to the tables"
        if applied is not None
        else "in the journal; the tables get it at the next apply"
    )
    return Outcome(commit, [entry], {"_text": f"{entry['kind']} {entry['id']} recorded; {state}"})


def _critique(call: Call) -> Outcome:
    from symbiote.indexer.agent_log import AgentLog

    a = call.args
    index = call.index()
    if is_worktree(a["at"]):
        raise InvalidArgument("a critique points at a commit; commit the change first")
    sha = at_commit(call)
    path, qualified_name = target_of(a, definition_at(call, sha))
    entry = AgentLog(index.store_path).critique(
        agent=a["agent"],
        repo_id=index.repo_id,
        commit=sha,
        path=path,
        qualified_name=qualified_name,
        category=a["category"],
        severity=a["severity"],
        text=a["text"],
        check=lambda _repo, commit, p, q: index.check_target(commit, p, q),
        supersedes=a["supersedes"],
        retracted=a["retracted"],
    )
    return _written(call, sha, entry)


CRITIQUE = Verb(
    name="log critique",
    tool="record_critique",
    summary="Record a critique of a definition (PATH::QUALNAME) or a file at a commit.",
    details="By agent `agent`: category, severity and text. The target must exist at that "
    "commit. The result is the entry with its `id`; it is durable (fsynced) when the call "
    "returns. `supersedes` corrects an earlier critique; with `retracted` it withdraws it "
    "(entries are never overwritten).",
    example="symbiote log critique src/app.py::send --agent a1 --category bug --severity high "
    '--text "retries are not idempotent"',
    params=(
        PATH,
        QUALIFIED_NAME,
        SYMBOL,
        AGENT,
        Param(name="category", type="string", help="What kind of problem.", choices=CATEGORIES),
        Param(name="severity", type="string", help="How bad it is.", choices=SEVERITIES),
        Param(name="text", type="string", help="The critique."),
        at("The commit criticised (default HEAD)."),
        SUPERSEDES,
        RETRACTED,
    ),
    run=_critique,
    text=lambda o: str(o.extra["_text"]),
    effect="append",
)


def _action(call: Call) -> Outcome:
    from symbiote.indexer.agent_log import AgentLog

    a = call.args
    index = call.index()
    commit = commit_of(index, call.repo, a["commit"]) if a["commit"] else None
    entry = AgentLog(index.store_path).action(
        agent=a["agent"],
        critique=a["critique"],
        description=a["description"],
        commit=commit,
        paths=a["paths"] or [],
        definitions=a["definitions"] or [],
        supersedes=a["supersedes"],
        retracted=a["retracted"],
    )
    return _written(call, commit, entry)


ACTION = Verb(
    name="log action",
    tool="record_action",
    summary="Record what was done about a critique (its id).",
    details="A description, optionally the commit it produced and the files and "
    "definitions touched. The result is the entry with its `id`.",
    example='symbiote log action 3f2a... --agent a1 --did "made retries idempotent" --commit HEAD',
    params=(
        Param(
            name="critique",
            type="string",
            help="The critique's id.",
            positional=True,
            metavar="CRITIQUE_ID",
        ),
        AGENT,
        Param(
            name="description",
            type="string",
            help="What was done.",
            flags=("--did", "--description"),
        ),
        Param(
            name="commit",
            type="string",
            help="The commit it produced.",
            default=None,
            metavar="REV",
        ),
        Param(
            name="paths",
            type="strings",
            help="Files touched (repeatable).",
            default=None,
            flags=("--path",),
        ),
        Param(
            name="definitions",
            type="strings",
            help="Definitions touched (repeatable).",
            default=None,
            flags=("--definition",),
        ),
        SUPERSEDES,
        RETRACTED,
    ),
    run=_action,
    text=lambda o: str(o.extra["_text"]),
    effect="append",
)


def _outcome(call: Call) -> Outcome:
    from symbiote.indexer.agent_log import AgentLog

    a = call.args
    entry = AgentLog(call.index().store_path).outcome(
        agent=a["agent"],
        action=a["action"],
        verdict=a["verdict"],
        evidence=a["evidence"],
        supersedes=a["supersedes"],
        retracted=a["retracted"],
    )
    return _written(call, None, entry)


OUTCOME = Verb(
    name="log outcome",
    tool="record_outcome",
    summary="Record how an action (its id) turned out.",
    details="Verdict success, failure, partial, reverted or superseded, with evidence (a "
    "JSON object: test results, metrics).",
    example="symbiote log outcome 9c1b... --agent ci --verdict success "
    "--evidence '{\"tests\": 212}'",
    params=(
        Param(
            name="action",
            type="string",
            help="The action's id.",
            positional=True,
            metavar="ACTION_ID",
        ),
        AGENT,
        Param(name="verdict", type="string", help="How it turned out.", choices=VERDICTS),
        Param(
            name="evidence",
            type="object",
            help="Test results, metrics (a JSON object).",
            default=None,
        ),
        SUPERSEDES,
        RETRACTED,
    ),
    run=_outcome,
    text=lambda o: str(o.extra["_text"]),
    effect="append",
)


def lesson_text(lesson: Lesson) -> str:
    """A lesson as text."""
    where = f"{lesson.path}::{lesson.qualified_name}" if lesson.qualified_name else lesson.path
    lines = [
        f"{lesson.recorded_at[:19]} {lesson.agent} [{lesson.category}/{lesson.severity}] "
        f"{where} @ {lesson.commit[:12]}: {lesson.text}"
    ]
    for a in lesson.actions:
        verdicts = ", ".join(o.verdict for o in a.outcomes) or "no outcome yet"
        lines.append(f"  -> {a.agent}: {a.description} ({verdicts})")
    return "\n".join(lines)


def _lessons(call: Call) -> Outcome:
    sha = at_commit(call)
    return Outcome(sha, call.index().lessons(call.args["symbol"], at=sha))


LESSONS = Verb(
    name="log lessons",
    tool="lessons",
    summary="Past critiques of a definition (PATH::QUALNAME, followed back through its "
    "renames and moves) or of a file (PATH), newest first, each with its actions and their "
    "outcomes: what was tried on this code before and how it went.",
    example="symbiote log lessons src/app.py::send --json",
    params=(
        Param(
            name="symbol",
            type="string",
            help="PATH::QUALNAME of a definition, or PATH of a file.",
            positional=True,
            metavar="PATH[::QUALNAME]",
            aliases=("target",),
        ),
        at("Where to find the definition (default HEAD)."),
        *PAGE,
    ),
    run=_lessons,
    text=lambda o: "\n".join(map(lesson_text, o.results)) or "(no lessons)",
    paged=True,
)


def _recall(call: Call) -> Outcome:
    index = call.index()
    if call.args["embedder"] is not None:
        index.embedder = call.args["embedder"]
    wanted = call.offset + call.args["limit"] + 1
    found = index.recall(call.args["query"], k=wanted)
    return Outcome(None, found, bounded=len(found) >= wanted)


RECALL = Verb(
    name="log recall",
    tool="recall_critiques",
    summary="The past critiques (of any code in this repository) closest in meaning to a "
    "text, with what was done about them.",
    details="Each has its cosine `distance` and its lesson: the critique, what was done about "
    "it and how that turned out. Use it before acting on a problem to see whether it was "
    "met before.",
    example='symbiote log recall "request hangs without a timeout" -k 3 --json',
    params=(
        Param(
            name="query",
            type="string",
            help="What the problem is about.",
            positional=True,
            metavar="TEXT",
            aliases=("text",),
        ),
        Param(
            name=LIMIT.name,
            type=LIMIT.type,
            help=LIMIT.help,
            default=5,
            minimum=1,
            maximum=50,
            flags=("-k", "--limit"),
            aliases=("k",),
        ),
        CURSOR,
        MAX_CHARS,
        Param(
            name="embedder",
            type="string",
            help="As for search.",
            default=None,
            metavar="SPEC",
            surfaces=frozenset({"cli"}),
        ),
    ),
    run=_recall,
    text=lambda o: (
        "\n".join(f"{h.distance:.3f}  {lesson_text(h.lesson)}" for h in o.results)
        or "(no critiques)"
    ),
    paged=True,
)


def _rates(call: Call) -> Outcome:
    return Outcome(None, call.index().success_rates())


RATES = Verb(
    name="log rates",
    tool="success_rates",
    summary="How agents' actions turned out, per critique category and agent.",
    details="Each has actions, judged (with an outcome), verdict counts and the success rate.",
    example="symbiote log rates",
    run=_rates,
    text=lambda o: (
        "\n".join(
            f"{r.category:<12} {r.agent:<20} {r.actions:>4} actions, {r.judged:>4} judged, "
            + (f"{r.rate:.0%} success" if r.rate is not None else "no verdicts")
            for r in o.results
        )
        or "(no actions)"
    ),
)


def _apply(call: Call) -> Outcome:
    from symbiote.indexer.agent_log import apply_now

    applied = apply_now(call.store_path())
    return Outcome(None, [{"applied": applied}])


APPLY = Verb(
    name="log apply",
    tool=None,
    summary="Apply the journal to the SQL tables now.",
    example="symbiote log apply",
    run=_apply,
    text=lambda o: f"applied {o.results[0]['applied']} entries",
    effect="admin",
)

GROUP = (
    "log",
    "the self-correction log: critiques, actions, outcomes",
    "Record what agents criticise in the code, what they did about it and how it turned "
    "out; read back the lessons about a definition (across renames).",
)
VERBS = (CRITIQUE, ACTION, OUTCOME, LESSONS, RECALL, RATES, APPLY)
