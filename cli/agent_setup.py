"""Agent setup: Symbiote's MCP server in the agent clients' configuration files, and a
short section on its tools in their instructions files (``symbiote agent install``).

Where each client reads its MCP servers, as its documentation gives it:

=========== ============================ ======================================= =========
client      project scope                user scope                              servers
=========== ============================ ======================================= =========
claude-code ``.mcp.json``                ``~/.claude.json``                      mcpServers
cursor      ``.cursor/mcp.json``         ``~/.cursor/mcp.json``                  mcpServers
vscode      ``.vscode/mcp.json``         ``<VS Code user folder>/mcp.json``      servers
codex       ``.codex/config.toml``       ``$CODEX_HOME/config.toml`` (~/.codex)  [mcp_servers.NAME]
gemini      ``.gemini/settings.json``    ``~/.gemini/settings.json``             mcpServers
=========== ============================ ======================================= =========

Sources: code.claude.com/docs/en/mcp (scopes: project ``.mcp.json``, user ``~/.claude.json``;
``claude mcp add`` writes ``"type": "stdio"``); cursor.com/docs/mcp; VS Code's MCP
configuration reference (code.visualstudio.com/docs/copilot/reference/mcp-configuration:
``servers``, ``type: stdio`` required, the file in ``.vscode/`` or the user profile:
``~/.config/Code/User``, ``~/Library/Application Support/Code/User``,
``%APPDATA%\\Code\\User``); developers.openai.com/codex/config-basic and /codex/mcp (user
config, and ``.codex/config.toml`` read in trusted projects only); Gemini CLI's
docs/tools/mcp-server.md and docs/cli/configuration.md. Instructions files: CLAUDE.md
(code.claude.com/docs/en/claudemd; user ``~/.claude/CLAUDE.md``), GEMINI.md
(geminicli.com/docs/cli/gemini-md; user ``~/.gemini/GEMINI.md``), AGENTS.md for Codex
(developers.openai.com/codex/guides/agents-md; user ``$CODEX_HOME/AGENTS.md``), Cursor
(cursor.com/docs/rules) and VS Code (custom-instructions: always-on AGENTS.md).

Every edit is made on the file's text (:mod:`symbiote.cli.jsonedit`,
:mod:`symbiote.cli.tomledit`), so other entries, keys, their order, spacing and comments
stay as they were; uninstall takes out what install put in. Files are written
atomically (a temporary file renamed over the old one). This module writes into the
user's projects and home folder, never into the store.
"""

from __future__ import annotations

import difflib
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from symbiote.cli import jsonedit, tomledit
from symbiote.cli.agent_guide import has_section, remove_section, set_section
from symbiote.cli.jsonedit import EditError
from symbiote.indexer.errors import AgentConfigError, InvalidArgument

NAME = "symbiote"  # the server's name in every client's configuration
SCOPES = ("project", "user")


@dataclass(frozen=True, slots=True)
class Places:
    """Where the user-scope files are: the home folder, the environment, the platform."""

    home: Path
    env: Mapping[str, str]
    platform: str  # as sys.platform names it

    @classmethod
    def here(cls) -> Places:
        """This process's home folder, environment and platform."""
        return cls(Path.home(), dict(os.environ), sys.platform)

    def codex_home(self) -> Path:
        """Codex's folder: $CODEX_HOME, else ~/.codex."""
        return Path(self.env.get("CODEX_HOME") or self.home / ".codex")

    def vscode_user(self) -> Path:
        """VS Code's user folder (the default profile)."""
        if self.platform == "darwin":
            return self.home / "Library" / "Application Support" / "Code" / "User"
        if self.platform.startswith("win"):
            return (
                Path(self.env.get("APPDATA") or self.home / "AppData" / "Roaming") / "Code" / "User"
            )
        return Path(self.env.get("XDG_CONFIG_HOME") or self.home / ".config") / "Code" / "User"


@dataclass(frozen=True, slots=True)
class Client:
    """An agent client: where it reads MCP servers and instructions, and its notes."""

    name: str  # what --client takes
    label: str
    container: str  # the key (JSON) or table (TOML) that maps server names to servers
    project_file: str  # the configuration, relative to the repository root
    user_file: Callable[[Places], Path]
    project_instructions: str  # relative to the repository root
    user_instructions: Callable[[Places], Path] | None  # None: kept in the app's settings
    found: Callable[[Places], Path]  # the client is set up on this machine if this exists
    typed: bool = False  # the entry names its transport ("type": "stdio")
    notes: Mapping[str, str] = field(default_factory=dict)  # by scope: what to do next

    @property
    def toml(self) -> bool:
        """Whether the configuration is TOML (else JSON)."""
        return self.project_file.endswith(".toml")

    def config_path(self, scope: str, repo: Path, places: Places) -> Path:
        """The configuration file of ``scope``."""
        return repo / self.project_file if scope == "project" else self.user_file(places)

    def instructions_path(self, scope: str, repo: Path, places: Places) -> Path | None:
        """The instructions file of ``scope`` (None: the client keeps them elsewhere)."""
        if scope == "project":
            return repo / self.project_instructions
        return self.user_instructions(places) if self.user_instructions else None

    def entry(self, command: str, repo: Path, store: Path | None = None) -> dict[str, Any]:
        """The server entry: ``command mcp --repo REPO [--store STORE]`` over stdio."""
        entry: dict[str, Any] = {"type": "stdio"} if self.typed else {}
        entry["command"] = command
        entry["args"] = ["mcp", "--repo", str(repo)]
        if store is not None:
            entry["args"] += ["--store", str(store)]
        return entry


CLIENTS = (
    Client(
        name="claude-code",
        label="Claude Code",
        container="mcpServers",
        project_file=".mcp.json",
        user_file=lambda p: p.home / ".claude.json",
        project_instructions="CLAUDE.md",
        user_instructions=lambda p: p.home / ".claude" / "CLAUDE.md",
        found=lambda p: p.home / ".claude",
        typed=True,
        notes={
            "project": "Claude Code asks once to approve the servers of a project's .mcp.json.",
            "user": "Claude Code rewrites ~/.claude.json while it runs: quit it first.",
        },
    ),
    Client(
        name="cursor",
        label="Cursor",
        container="mcpServers",
        project_file=".cursor/mcp.json",
        user_file=lambda p: p.home / ".cursor" / "mcp.json",
        project_instructions="AGENTS.md",
        user_instructions=None,
        found=lambda p: p.home / ".cursor",
    ),
    Client(
        name="vscode",
        label="VS Code (Copilot)",
        container="servers",
        project_file=".vscode/mcp.json",
        user_file=lambda p: p.vscode_user() / "mcp.json",
        project_instructions="AGENTS.md",
        user_instructions=None,
        found=lambda p: p.vscode_user(),
        typed=True,
    ),
    Client(
        name="codex",
        label="Codex CLI",
        container="mcp_servers",
        project_file=".codex/config.toml",
        user_file=lambda p: p.codex_home() / "config.toml",
        project_instructions="AGENTS.md",
        user_instructions=lambda p: p.codex_home() / "AGENTS.md",
        found=lambda p: p.codex_home(),
        notes={"project": "Codex reads .codex/config.toml only in projects it trusts."},
    ),
    Client(
        name="gemini",
        label="Gemini CLI",
        container="mcpServers",
        project_file=".gemini/settings.json",
        user_file=lambda p: p.home / ".gemini" / "settings.json",
        project_instructions="GEMINI.md",
        user_instructions=lambda p: p.home / ".gemini" / "GEMINI.md",
        found=lambda p: p.home / ".gemini",
        notes={"project": "Gemini CLI starts a project's servers only in a trusted folder."},
    ),
)
BY_NAME = {c.name: c for c in CLIENTS}


@dataclass(frozen=True, slots=True, kw_only=True)
class SetupOptions:
    """What ``symbiote agent install|uninstall|status`` works on."""

    repo: Path  # the repository root the server answers for (`symbiote mcp --repo`)
    clients: tuple[str, ...] = ()  # client names; none: those set up on this machine
    scope: str = "project"  # project: files in the repository; user: in the home folder
    command: str = "symbiote"  # the program the client starts
    store: Path | None = None  # a store named with --store (default: the repository's)
    instructions: bool = True  # also the section in the client's instructions file
    places: Places = field(default_factory=Places.here)  # where user-scope files are


@dataclass(frozen=True, slots=True)
class FileChange:
    """What install or uninstall does to one file."""

    path: Path
    kind: str  # config or instructions
    clients: tuple[str, ...]  # the clients it is for
    before: str | None  # None: the file does not exist
    after: str | None  # None: the file is (to be) deleted

    @property
    def action(self) -> str:
        """create, update, delete or unchanged."""
        if self.before == self.after:
            return "unchanged"
        if self.before is None:
            return "create"
        return "delete" if self.after is None else "update"

    def diff(self) -> str:
        """The change as a unified diff ('' when unchanged)."""
        old = (self.before or "").splitlines(keepends=True)
        new = (self.after or "").splitlines(keepends=True)
        lines = difflib.unified_diff(
            old,
            new,
            fromfile="/dev/null" if self.before is None else str(self.path),
            tofile="/dev/null" if self.after is None else str(self.path),
        )
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)

    def to_dict(self) -> dict[str, Any]:
        """As JSON: client(s), path, kind, action and the diff."""
        return {
            "clients": list(self.clients),
            "path": str(self.path),
            "kind": self.kind,
            "action": self.action,
            "diff": self.diff(),
        }


def default_command() -> str:
    """The ``symbiote`` program of this installation (beside this Python: a client started
    from a desktop launcher may not have the virtual environment on its PATH), else the
    one on PATH, else the bare name."""
    folder = Path(sys.executable).parent
    for name in ("symbiote", "symbiote.exe"):
        if (folder / name).is_file():
            return str(folder / name)
    return shutil.which("symbiote") or "symbiote"


@contextmanager
def _editing(path: Path) -> Iterator[None]:
    """Edit errors of ``path`` as :class:`AgentConfigError` naming it (one boundary)."""
    try:
        yield
    except EditError as exc:
        raise AgentConfigError(f"{path}: {exc}; nothing was changed") from exc


class _Plan:
    """The planned text of each file (clients can share one: AGENTS.md)."""

    def __init__(self) -> None:
        self.before: dict[Path, str | None] = {}
        self.after: dict[Path, str | None] = {}
        self.kinds: dict[Path, str] = {}
        self.clients: dict[Path, list[str]] = {}

    def read(self, path: Path) -> str | None:
        if path in self.after:
            return self.after[path]
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            text = None
        except OSError as exc:
            raise AgentConfigError(f"{path}: cannot be read: {exc}") from exc
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                message = f"{path}: not UTF-8 text ({exc}); nothing was changed"
                raise AgentConfigError(message) from exc
        self.before[path] = self.after[path] = text
        return text

    def write(self, path: Path, text: str | None, kind: str, client: str) -> None:
        self.after[path] = text
        self.kinds[path] = kind
        self.clients.setdefault(path, [])
        if client not in self.clients[path]:
            self.clients[path].append(client)

    def changes(self) -> list[FileChange]:
        return [
            FileChange(path, self.kinds[path], tuple(names), self.before[path], self.after[path])
            for path, names in self.clients.items()
        ]


def chosen(options: SetupOptions, *, everything: bool) -> tuple[Client, ...]:
    """The clients named, or (none named) every client if ``everything``, else those
    set up on this machine; :class:`InvalidArgument` when none is."""
    if options.scope not in SCOPES:
        raise InvalidArgument(f"scope must be one of {', '.join(SCOPES)}, not {options.scope!r}")
    names = list(dict.fromkeys(options.clients))
    if "all" in names:
        return CLIENTS
    unknown = [n for n in names if n not in BY_NAME]
    if unknown:
        raise InvalidArgument(
            f"unknown client {unknown[0]!r}; clients: {', '.join(BY_NAME)} (or all)"
        )
    if names:
        return tuple(BY_NAME[n] for n in names)
    if everything:
        return CLIENTS
    found = tuple(c for c in CLIENTS if c.found(options.places).exists())
    if not found:
        raise InvalidArgument(
            f"no agent client found on this machine; name one with --client "
            f"({', '.join(BY_NAME)}, or all)"
        )
    return found


def _has_entry(client: Client, text: str | None, path: Path) -> bool:
    if not text:
        return False
    with _editing(path):
        module = tomledit if client.toml else jsonedit
        return module.lookup(text, client.container, NAME) is not None


def plan_install(options: SetupOptions) -> list[FileChange]:
    """What install would change, file by file (nothing is written)."""
    plan = _Plan()
    repo = options.repo
    for client in chosen(options, everything=False):
        path = client.config_path(options.scope, repo, options.places)
        text = plan.read(path)
        entry = client.entry(options.command, repo, options.store)
        with _editing(path):
            if client.toml:
                new = tomledit.set_table(text or "", client.container, NAME, entry)
            else:
                new = jsonedit.set_entry(text or "", client.container, NAME, entry)
        plan.write(path, new, "config", client.name)
        guide = client.instructions_path(options.scope, repo, options.places)
        if options.instructions and guide is not None:
            current = plan.read(guide)
            with _editing(guide):
                plan.write(guide, set_section(current), "instructions", client.name)
    return plan.changes()


def plan_uninstall(options: SetupOptions) -> list[FileChange]:
    """What uninstall would change, file by file (nothing is written). An instructions
    file keeps its section while another client that reads it keeps its server entry."""
    plan = _Plan()
    repo = options.repo
    leaving = chosen(options, everything=True)
    for client in leaving:
        path = client.config_path(options.scope, repo, options.places)
        text = plan.read(path)
        if text is None:
            continue
        with _editing(path):
            if client.toml:
                new = tomledit.remove_table(text, client.container, NAME)
            else:
                new = jsonedit.remove_entry(text, client.container, NAME)
        plan.write(path, new, "config", client.name)
    if not options.instructions:
        return plan.changes()
    for client in leaving:
        guide = client.instructions_path(options.scope, repo, options.places)
        if guide is None:
            continue
        staying = [
            c
            for c in CLIENTS
            if c not in leaving
            and c.instructions_path(options.scope, repo, options.places) == guide
        ]
        for other in staying:
            config = other.config_path(options.scope, repo, options.places)
            if _has_entry(other, plan.read(config), config):
                break
        else:
            current = plan.read(guide)
            if current is not None:
                with _editing(guide):
                    plan.write(guide, remove_section(current), "instructions", client.name)
    return plan.changes()


def status(options: SetupOptions) -> list[dict[str, Any]]:
    """For each client: its configuration file, whether Symbiote's entry is there
    (installed, different: another command or repository, absent), and the same for
    the instructions section."""
    plan = _Plan()
    rows = []
    for client in chosen(options, everything=True):
        path = client.config_path(options.scope, options.repo, options.places)
        text = plan.read(path)
        with _editing(path):
            module = tomledit if client.toml else jsonedit
            entry = module.lookup(text, client.container, NAME) if text else None
        wanted = client.entry(options.command, options.repo, options.store)
        state = "absent" if entry is None else "installed" if entry == wanted else "different"
        guide = client.instructions_path(options.scope, options.repo, options.places)
        marked = None
        if guide is not None:
            content = plan.read(guide)
            with _editing(guide):
                marked = content is not None and has_section(content)
        rows.append(
            {
                "client": client.name,
                "label": client.label,
                "config": str(path),
                "entry": state,
                "instructions": str(guide) if guide else None,
                "section": marked,
            }
        )
    return rows


def apply(changes: list[FileChange]) -> None:
    """Write the changes: each file atomically (a temporary file beside it, fsynced,
    renamed over it, keeping its permissions); a deleted file's folder goes too when
    empty. A symbolic link is followed: its target is written."""
    for change in changes:
        if change.action == "unchanged":
            continue
        path = change.path.resolve() if change.path.is_symlink() else change.path
        try:
            if change.after is None:
                path.unlink(missing_ok=True)
                _remove_empty_folder(path.parent)
            else:
                _write_atomically(path, change.after)
        except OSError as exc:
            raise AgentConfigError(f"{path}: cannot be written: {exc}") from exc


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o7777 if path.exists() else None
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(text.encode("utf-8"))
            out.flush()
            os.fsync(out.fileno())
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    if hasattr(os, "O_DIRECTORY"):
        folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def _remove_empty_folder(folder: Path) -> None:
    """Remove a client's own folder (.cursor, .vscode, ...) left empty by a delete."""
    if folder.name.startswith(".") and not any(folder.iterdir()):
        folder.rmdir()
