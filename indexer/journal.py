"""The agent log's journal, as both sides read it: where it is, its vocabulary, how its
lines read, and what of a critique is embedded.

The journal (``<store>.journal/agent-log.jsonl``) holds one JSON object per line, oldest
first, each fsynced before its write was acknowledged (see
:mod:`symbiote.indexer.agent_log`, which writes it and applies it to the store's tables);
a last line without its newline was never acknowledged and is not an entry.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CATEGORIES = ("bug", "design", "performance", "security", "style", "test", "docs", "other")
SEVERITIES = ("info", "low", "medium", "high", "critical")
VERDICTS = ("success", "failure", "partial", "reverted", "superseded")
KINDS = ("critique", "action", "outcome")  # the kinds of entry, in foreign-key order
PARENTS = {"action": "critique", "outcome": "action"}  # the field naming what one answers
JOURNAL = "agent-log.jsonl"


def journal_path(store: Path) -> Path:
    """Where the journal of the store at ``store`` is."""
    return store.with_name(store.name + ".journal") / JOURNAL


def read_journal(store: Path) -> list[dict[str, Any]]:
    """Every acknowledged entry, oldest first (a torn last line, never acknowledged, is
    left out)."""
    path = journal_path(store)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    complete = data[: data.rfind(b"\n") + 1]
    return [json.loads(line) for line in complete.splitlines() if line.strip()]


def critique_text(entry: dict[str, Any]) -> str:
    """What is embedded of a critique, for recalling similar ones."""
    where = entry["path"] + (f" :: {entry['qualified_name']}" if entry["qualified_name"] else "")
    return f"{entry['category']} ({entry['severity']}): {entry['text']}\n# {where}"
