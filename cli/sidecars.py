"""``symbiote sidecar show|set|stale|files|schema``: the notes kept in sidecar files
(``<file>.symbiote.json`` beside the code; see :mod:`indexer.sidecar_files`)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from symbiote.cli.verbs import AT, add_group, split_target
from symbiote.queries import SidecarNote, open_index

Result = tuple[str | None, list[Any], str, dict[str, Any]]
_LISTS = (("invariant", "invariants"), ("owner", "owners"), ("warning", "warnings"))


def _note_text(n: SidecarNote) -> str:
    where = f"{n.path}::{n.qualified_name}" if n.qualified_name else f"{n.path} (file)"
    state = n.state + (f", renamed to {n.renamed_to}" if n.renamed_to else "")
    lines = [f"{where}\t[{state}]"]
    if n.summary:
        lines.append(f"  summary    {n.summary}")
    for label, values in (
        ("invariant", n.invariants),
        ("owner", n.owners),
        ("warning", n.warnings),
        ("link", n.links),
    ):
        lines += [f"  {label:<10} {v}" for v in values]
    if n.notes:
        lines.append(f"  notes      {n.notes}")
    return "\n".join(lines)


def show(args: argparse.Namespace) -> Result:
    path, qualified_name = split_target(args.target)
    with open_index(args.repo, store=args.store) as index:
        sha = index.resolve(args.at).sha
        found = index.sidecar_notes(path, qualified_name, at=sha)
    text = "\n".join(_note_text(n) for n in found) or "(no notes)"
    return sha, [n.to_dict() for n in found], text, {}


def stale(args: argparse.Namespace) -> Result:
    with open_index(args.repo, store=args.store) as index:
        sha = index.resolve(args.at).sha
        found = index.stale_notes(at=sha)
        invalid = [f for f in index.sidecar_files(at=sha) if f.status != "ok"]
    lines = [_note_text(n) for n in found] or ["(no stale notes)"]
    lines += [f"invalid: {f.sidecar_path}: {f.status}: {f.detail}" for f in invalid]
    return (
        sha,
        [n.to_dict() for n in found],
        "\n".join(lines),
        {"invalid": [f.to_dict() for f in invalid]},
    )


def files(args: argparse.Namespace) -> Result:
    with open_index(args.repo, store=args.store) as index:
        sha = index.resolve(args.at).sha
        found = index.sidecar_files(at=sha)
    lines = [f"{f.sidecar_path}\t{f.status}\t{f.entries} entries\t{f.detail or ''}" for f in found]
    return sha, [f.to_dict() for f in found], "\n".join(lines) or "(no sidecar files)", {}


def set_note(args: argparse.Namespace) -> Result:
    from symbiote.indexer.gitrepo import GitRepository
    from symbiote.indexer.sidecar_files import write_note

    path, qualified_name = split_target(args.target)
    fields: dict[str, Any] = {}
    if args.summary is not None:
        fields["summary"] = args.summary
    if args.notes is not None:
        fields["notes"] = args.notes
    for flag, field in (*_LISTS, ("link", "links")):
        values = getattr(args, flag)
        if values is not None:
            fields[field] = [v for v in values if v]  # `--owner ''` clears the list
    written = write_note(GitRepository(args.repo).root, path, qualified_name, fields)
    return None, [written._asdict()], f"wrote {written.sidecar_path}", {}


def schema(_args: argparse.Namespace) -> Result:
    from symbiote.indexer.sidecar_files import schema_text

    document = json.loads(schema_text())
    return None, [document], schema_text().rstrip(), {}


def add_parsers(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    """Register ``sidecar`` and its sub-commands."""
    verb = add_group(
        sub,
        "sidecar",
        "notes kept beside the code (<file>.symbiote.json)",
        "Structured notes about a file or a definition, kept in the repository "
        "beside it (src/app.py -> src/app.py.symbiote.json), indexed at every commit; a note "
        "about a definition goes stale when the definition changes.",
        common,
    )

    p = verb(
        "show",
        show,
        "the notes about a file, or about one of its definitions",
        "symbiote sidecar show src/app/client.py::Client.send --at v1.2 --json",
        AT,
    )
    p.add_argument("target", metavar="PATH[::QUALNAME]")

    verb(
        "stale",
        stale,
        "notes whose definition changed or vanished since they were written",
        "symbiote sidecar stale --at HEAD --json",
        AT,
    )

    verb(
        "files",
        files,
        "the sidecar files at a commit, with their validation status",
        "symbiote sidecar files --at v1.2",
        AT,
    )

    p = verb(
        "set",
        set_note,
        "write a note in the working tree (commit it to index it)",
        'symbiote sidecar set src/app/client.py::Client.send --warning "keep retries idempotent"',
    )
    p.add_argument("target", metavar="PATH[::QUALNAME]")
    p.add_argument("--summary", default=None, help="what it is for")
    p.add_argument("--notes", default=None, help="anything else")
    for flag, field in (*_LISTS, ("link", "links")):
        p.add_argument(
            f"--{flag}",
            action="append",
            default=None,
            metavar="TEXT",
            help=f"one of the {field} (repeatable; replaces the list; '' clears it)",
        )

    verb("schema", schema, "print the JSON Schema sidecar files follow", "symbiote sidecar schema")
