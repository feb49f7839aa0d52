"""``agent install|uninstall|status``: Symbiote's MCP server in the agent clients'
configuration files, and its section in their instructions files (the library part:
:mod:`symbiote.cli.agent_setup`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from symbiote.cli.agent_setup import (
    BY_NAME,
    SCOPES,
    FileChange,
    SetupOptions,
    apply,
    default_command,
    plan_install,
    plan_uninstall,
    status,
)
from symbiote.cli.verbs import Call, Outcome, Param, Verb
from symbiote.indexer.errors import RepositoryError

CLIENT = Param(
    name="client",
    type="strings",
    help=f"The agent client: {', '.join(BY_NAME)}, or all (repeatable). Default: install "
    "for the clients set up on this machine (~/.claude, ~/.cursor, VS Code's user folder, "
    "~/.codex, ~/.gemini); uninstall and status: every client.",
    default=None,
    metavar="NAME",
)
SCOPE = Param(
    name="scope",
    type="string",
    help="project: the files in the repository (.mcp.json, .cursor/mcp.json, ...); user: "
    "those in your home folder (~/.claude.json, ~/.cursor/mcp.json, ...).",
    default="project",
    choices=SCOPES,
)
DRY_RUN = Param(
    name="dry_run",
    type="boolean",
    help="Print the change as a unified diff; write nothing.",
    default=False,
)
INSTRUCTIONS = Param(
    name="instructions",
    type="boolean",
    help="Also the short section on Symbiote's tools in the client's instructions file "
    "(AGENTS.md, CLAUDE.md, GEMINI.md), between marker lines.",
    default=True,
)
COMMAND = Param(
    name="command",
    type="string",
    help="The program the client starts (default: the symbiote of this installation).",
    default=None,
    metavar="PATH",
)


def _options(call: Call, *, strict: bool) -> SetupOptions:
    """The options of a call: the repository's root (``strict``: it must be one)."""
    from symbiote.indexer.gitrepo import GitRepository

    a = call.args
    try:
        with GitRepository(call.repo) as repo:
            root = repo.root
    except RepositoryError:
        if strict:
            raise
        root = Path(call.repo).resolve()
    return SetupOptions(
        repo=root,
        clients=tuple(a["client"] or ()),
        scope=a["scope"],
        command=a.get("command") or default_command(),
        store=Path(call.store) if call.store else None,
        instructions=a.get("instructions", True),
    )


def _changed(call: Call, changes: list[FileChange], notes: list[str]) -> Outcome:
    dry_run = call.args["dry_run"]
    if not dry_run:
        apply(changes)
    lines = []
    for change in changes:
        who = ", ".join(change.clients)
        if dry_run and change.action != "unchanged":
            lines.append(change.diff().rstrip("\n"))
        else:
            done = change.action if dry_run else _PAST.get(change.action, change.action)
            lines.append(f"{done:<10} {change.path}  ({who})")
    if dry_run:
        lines.append("(dry run: nothing was written)")
    lines += [f"note: {n}" for n in notes]
    extra: dict[str, Any] = {"dry_run": dry_run, "notes": notes, "_text": "\n".join(lines)}
    return Outcome(None, changes, extra)


_PAST = {"create": "created", "update": "updated", "delete": "deleted"}


def _install(call: Call) -> Outcome:
    options = _options(call, strict=True)
    changes = plan_install(options)
    notes = []
    for change in changes:
        for name in change.clients:
            note = BY_NAME[name].notes.get(options.scope)
            if change.kind == "config" and change.action != "unchanged" and note:
                notes.append(note)
    if not call.store_path().exists():
        notes.append(f"{options.repo} is not indexed yet: run `symbiote index {options.repo}`")
    return _changed(call, changes, notes)


INSTALL = Verb(
    name="agent install",
    tool=None,
    summary="Add Symbiote's MCP server (`symbiote mcp --repo REPO`) to agent clients' "
    "configuration, and a short section on its tools to their instructions file.",
    details="Claude Code (.mcp.json; user: ~/.claude.json), Cursor (.cursor/mcp.json), VS "
    "Code (.vscode/mcp.json; user: its user folder's mcp.json), Codex CLI "
    "(.codex/config.toml; user: ~/.codex/config.toml), Gemini CLI (.gemini/settings.json). "
    "Other entries, keys and comments stay as they were; running it again changes "
    "nothing; a file that does not parse is an error and is left alone.",
    example="symbiote agent install --client claude-code (or: --client all --dry-run)",
    params=(CLIENT, SCOPE, DRY_RUN, INSTRUCTIONS, COMMAND),
    run=_install,
    text=lambda o: str(o.extra["_text"]),
    effect="admin",
    routed=False,
)


def _uninstall(call: Call) -> Outcome:
    return _changed(call, plan_uninstall(_options(call, strict=False)), [])


UNINSTALL = Verb(
    name="agent uninstall",
    tool=None,
    summary="Remove what `agent install` wrote: Symbiote's server entry (and a file left "
    "empty) and its instructions section.",
    details="Everything else in the files stays as it was. An instructions file shared by "
    "several clients (AGENTS.md) keeps the section while one of them keeps the server.",
    example="symbiote agent uninstall --client cursor --scope user",
    params=(CLIENT, SCOPE, DRY_RUN, INSTRUCTIONS),
    run=_uninstall,
    text=lambda o: str(o.extra["_text"]),
    effect="admin",
    routed=False,
)


def _status(call: Call) -> Outcome:
    return Outcome(None, status(_options(call, strict=False)))


def _status_text(o: Outcome) -> str:
    lines = []
    for r in o.results:
        section = {True: "section", False: "no section", None: ""}[r["section"]]
        guide = f"; {r['instructions']}: {section}" if r["instructions"] else ""
        lines.append(f"{r['client']:<12} {r['entry']:<10} {r['config']}{guide}")
    return "\n".join(lines)


STATUS = Verb(
    name="agent status",
    tool=None,
    summary="Whether each agent client's configuration has Symbiote's server (installed, "
    "different: another command or repository, absent) and its instructions the section.",
    example="symbiote agent status --scope user",
    params=(CLIENT, SCOPE, COMMAND),
    run=_status,
    text=_status_text,
    effect="admin",
    routed=False,
)

GROUP = (
    "agent",
    "set up agent clients (Claude Code, Cursor, VS Code, Codex, Gemini) to use Symbiote",
    "Write Symbiote's MCP server into the configuration of agent clients, and a short "
    "section on its tools into their instructions file; uninstall takes it out again.",
)
VERBS = (INSTALL, UNINSTALL, STATUS)
