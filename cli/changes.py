"""The verbs about change: history (of one definition) and diff (between two commits)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from symbiote.cli.lookup import REFERENCE, Rows, lines, reference_row
from symbiote.cli.revs import at_commit
from symbiote.cli.verbs import BRIEF, PAGE, SYMBOL, Call, Outcome, Param, Verb, at
from symbiote.queries import DiffEntry, DiffOptions, HistoryEntry, HistoryOptions


def _history(call: Call) -> Outcome:
    sha = at_commit(call)
    wanted = call.offset + call.args["limit"] + 1
    found = call.index().history(call.args["symbol"], at=sha, options=HistoryOptions(limit=wanted))
    return Outcome(sha, found, bounded=len(found) >= wanted)


def _history_text(o: Outcome) -> str:
    entries: Sequence[HistoryEntry] = o.results
    return lines(
        entries,
        lambda e: (
            f"{e.commit[:12]} {e.date:%Y-%m-%d} {e.change:<17} {e.path}::"
            f"{e.qualified_name}  {e.author}: {e.message}"
        ),
        "(no history)",
    )


HISTORY = Verb(
    name="history",
    tool="history",
    summary="Commits in which a definition was added, changed, signature_changed, moved, "
    "renamed or removed, newest first, along the first-parent history of `at`; the last "
    "entry is `added` at the root, or `present` at the oldest indexed commit when older "
    "history is not indexed.",
    details="Each result has commit, date, author, message, change, path, qualified_name, "
    "previous_path, previous_qualified_name, signature and body_hash.",
    example="symbiote history src/app/client.py::Client.send",
    params=(SYMBOL, at(), *PAGE),
    run=_history,
    text=_history_text,
    paged=True,
)


def _diff_row(entry: DiffEntry) -> dict[str, Any]:
    row = entry.to_dict()
    row["references"] = [reference_row(r) for r in entry.references]
    return row


def _diff(call: Call) -> Outcome:
    a = call.args
    index = call.index()
    head = at_commit(call, a["head"])
    base = at_commit(call, a["base"])
    options = DiffOptions(references=a["references"], max_references=a["max_references"])
    return Outcome(head, Rows(index.diff_entries(base, head, options=options), _diff_row))


def _diff_text(o: Outcome) -> str:
    lines = []
    for row in o.results:
        e = row.item
        moved = f" (from {e.previous_path})" if e.previous_path else ""
        renamed = f" (was {e.previous_qualified_name})" if e.previous_qualified_name else ""
        flag = " SIGNATURE" if e.signature_changed else ""
        uses = f" [{e.reference_count} refs]" if e.reference_count else ""
        current = e.new or e.old
        symbol = current.symbol if current else f"{e.path}::{e.qualified_name}"
        lines.append(f"{e.change:<8} {e.kind:<9} {symbol}{moved}{renamed}{flag}{uses}")
    return "\n".join(lines) or "(no changes)"


DIFF = Verb(
    name="diff",
    tool="diff",
    summary="Definitions added, removed, changed, moved and renamed from `base` to `head`, "
    "with signature changes flagged and the references to changed definitions at head.",
    details="Each result has change, qualified_name, kind, path, previous_path, "
    "previous_qualified_name, signature, previous_signature, signature_changed, old, new, "
    "references (at most max_references) and reference_count. `commit` is head's sha." + REFERENCE,
    example="symbiote diff v1.1 v1.2 --json",
    params=(
        Param(name="base", type="string", help="The older revision.", positional=True),
        Param(
            name="head",
            type="string",
            help="The newer revision (default HEAD).",
            default="HEAD",
            positional=True,
        ),
        Param(
            name="references",
            type="boolean",
            help="Include the references to changed definitions.",
            default=True,
            flags=("--refs",),
        ),
        Param(
            name="max_references",
            type="integer",
            help="At most this many references listed per changed definition (precise ones "
            "first; reference_count counts them all).",
            default=5,
            cli_default=20,
            minimum=0,
            maximum=200,
            flags=("--max-refs",),
        ),
        *PAGE,
        BRIEF,
    ),
    run=_diff,
    text=_diff_text,
    paged=True,
)


VERBS = (HISTORY, DIFF)
