"""``symbiote agent install|uninstall|status``: Symbiote's MCP server in each agent
client's configuration, on real files (HOME points at a temp folder for user scope).

For every client: an install into an empty project and into one with other servers
configured writes exactly one entry, in a file that parses in its format, keeping every
other entry, key and comment; a second install changes nothing; ``--dry-run`` writes
nothing; uninstall gives back the original bytes; a file that does not parse is an
error and stays as it was.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from symbiote.cli.agent_guide import BEGIN, END, SECTION, remove_section, set_section
from symbiote.cli.agent_setup import CLIENTS, default_command
from symbiote.cli.main import main
from symbiote.cli.table import BY_TOOL
from tests.conftest import GitRepo

COMMAND = "/opt/bin/symbiote"
NAMES = [c.name for c in CLIENTS]
CONFIG = {  # project scope
    "claude-code": ".mcp.json",
    "cursor": ".cursor/mcp.json",
    "vscode": ".vscode/mcp.json",
    "codex": ".codex/config.toml",
    "gemini": ".gemini/settings.json",
}
GUIDE = {
    "claude-code": "CLAUDE.md",
    "cursor": "AGENTS.md",
    "vscode": "AGENTS.md",
    "codex": "AGENTS.md",
    "gemini": "GEMINI.md",
}
CONTAINER = {
    "claude-code": "mcpServers",
    "cursor": "mcpServers",
    "vscode": "servers",
    "codex": "mcp_servers",
    "gemini": "mcpServers",
}
# Each client's configuration with other servers and settings, in the styles people
# write: 4 spaces, one line, JSONC with comments and a trailing comma, TOML with
# comments and sub-tables, tabs.
EXISTING = {
    "claude-code": '{\n    "mcpServers": {\n        "github": {\n            "type": "http",\n'
    '            "url": "https://api.githubcopilot.com/mcp/"\n        }\n    }\n}\n',
    "cursor": '{"mcpServers": {"playwright": {"command": "npx", '
    '"args": ["-y", "@playwright/mcp@latest"]}}}\n',
    "vscode": "{\n  // secrets asked for at start\n"
    '  "inputs": [{"type": "promptString", "id": "key", "password": true}],\n'
    '  "servers": {\n    /* the docs server */\n'
    '    "docs": {"type": "stdio", "command": "docs-mcp"},  // pinned\n  },\n}\n',
    "codex": '# my Codex setup\nmodel = "gpt-5"  # the default\n\n'
    '[mcp_servers.docs]\ncommand = "npx"\nargs = [\n  "-y",\n  "docs-mcp",  # pinned below\n]\n\n'
    '[mcp_servers.docs.env]\nTOKEN = "t"\n\n# profiles follow\n'
    '[profiles.fast]\nmodel = "o4-mini"\n',
    "gemini": '{\n\t"theme": "Dracula",\n\t"mcpServers": {\n\t\t"git": {\n\t\t\t"command": "uvx",\n'
    '\t\t\t"args": ["mcp-server-git"]\n\t\t}\n\t},\n\t"context": {"fileName": ["AGENTS.md"]}\n}\n',
}
BROKEN = {
    "claude-code": '{"mcpServers": {"github": {"type": "http",}\n',
    "cursor": '{"mcpServers": {,}}',
    "vscode": '{\n  "servers": {\n    "docs": {"url": "x"}\n  /* unclosed\n}\n',
    "codex": '[mcp_servers.docs]\ncommand = "npx\n',
    "gemini": '{"theme": "Dracula" "mcpServers": {}}',
}


def expected_entry(client: str, repo: Path) -> dict[str, Any]:
    entry: dict[str, Any] = {"type": "stdio"} if client in ("claude-code", "vscode") else {}
    return {**entry, "command": COMMAND, "args": ["mcp", "--repo", str(repo)]}


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    assert len(keys) == len(set(keys)), f"duplicate keys: {keys}"
    return dict(pairs)


def load(client: str, text: str) -> dict[str, Any]:
    """The file as its client reads it (JSONC comments and trailing commas stripped)."""
    if client == "codex":
        return tomllib.loads(text)
    if client == "vscode":  # JSONC (the fixtures have no // or /* in strings)
        text = re.sub(r"//[^\n]*|/\*.*?\*/", "", text, flags=re.S)
        text = re.sub(r",(\s*[}\]])", r"\1", text)
    data: dict[str, Any] = json.loads(text, object_pairs_hook=_no_duplicates)
    return data


def entry_count(client: str, text: str) -> int:
    if client == "codex":
        return text.count("[mcp_servers.symbiote]")
    return text.count('"symbiote":')


def inserted(old: str, new: str) -> str:
    """What ``new`` adds to ``old``, which it must hold whole around one insertion."""
    head = len(os.path.commonprefix([old, new]))
    tail = len(os.path.commonprefix([old[head:][::-1], new[head:][::-1]]))
    assert head + tail == len(old), "the old text is not kept whole"
    return new[head : len(new) - tail]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name in ("CODEX_HOME", "XDG_CONFIG_HOME", "APPDATA"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def repo(make_repo: Callable[..., GitRepo], home: Path) -> Path:
    path = make_repo("project").path
    assert isinstance(path, Path)
    return path


def agent(capsys: pytest.CaptureFixture[str], *words: str) -> dict[str, Any]:
    """Run ``symbiote agent ...`` in this process; its JSON answer."""
    code = main(["agent", *words, "--json"])
    out: dict[str, Any] = json.loads(capsys.readouterr().out)
    assert (code == 0) is out["ok"]
    return out


def install(capsys: pytest.CaptureFixture[str], repo: Path, *words: str) -> dict[str, Any]:
    return agent(capsys, "install", "--repo", str(repo), "--command", COMMAND, *words)


def uninstall(capsys: pytest.CaptureFixture[str], repo: Path, *words: str) -> dict[str, Any]:
    return agent(capsys, "uninstall", "--repo", str(repo), *words)


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (but .git) and its bytes."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


@pytest.mark.parametrize("client", NAMES)
def test_install_into_an_empty_project(
    client: str, repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = install(capsys, repo, "--client", client)
    assert out["ok"] is True
    actions = {(Path(r["path"]).name, r["kind"], r["action"]) for r in out["results"]}
    assert actions == {
        (Path(CONFIG[client]).name, "config", "create"),
        (GUIDE[client], "instructions", "create"),
    }
    text = (repo / CONFIG[client]).read_text()
    assert load(client, text) == {CONTAINER[client]: {"symbiote": expected_entry(client, repo)}}
    assert entry_count(client, text) == 1
    guide = (repo / GUIDE[client]).read_text()
    assert guide == f"{BEGIN}\n{SECTION}{END}\n"


@pytest.mark.parametrize("client", NAMES)
def test_install_keeps_other_servers_settings_and_their_order(
    client: str, repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = repo / CONFIG[client]
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(EXISTING[client])
    (repo / GUIDE[client]).write_text("# Rules\n\nRun the tests.\n")
    before = load(client, EXISTING[client])

    assert install(capsys, repo, "--client", client)["ok"] is True

    text = config.read_text()
    after = load(client, text)
    container = CONTAINER[client]
    assert list(after) == list(before) + ([container] if container not in before else [])
    assert list(after[container]) == [*before.get(container, {}), "symbiote"]
    assert after[container]["symbiote"] == expected_entry(client, repo)
    assert {k: v for k, v in after[container].items() if k != "symbiote"} == before[container]
    assert {k: v for k, v in after.items() if k != container} == {
        k: v for k, v in before.items() if k != container
    }
    assert entry_count(client, text) == 1
    assert "symbiote" in inserted(EXISTING[client], text)
    for comment in re.findall(r"(?://|#)[^\n]*|/\*.*?\*/", EXISTING[client]):
        assert comment in text
    guide = (repo / GUIDE[client]).read_text()
    assert guide.startswith("# Rules\n\nRun the tests.\n\n" + BEGIN + "\n")


@pytest.mark.parametrize("client", NAMES)
def test_a_second_install_changes_nothing(
    client: str, repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = repo / CONFIG[client]
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(EXISTING[client])
    install(capsys, repo, "--client", client)
    first = snapshot(repo)
    stamps = {p: os.stat(repo / p).st_mtime_ns for p in first}

    again = install(capsys, repo, "--client", client)

    assert [r["action"] for r in again["results"]] == ["unchanged", "unchanged"]
    assert snapshot(repo) == first
    assert {p: os.stat(repo / p).st_mtime_ns for p in first} == stamps  # not even rewritten


@pytest.mark.parametrize("client", NAMES)
def test_dry_run_prints_the_diff_and_writes_nothing(
    client: str, repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = repo / CONFIG[client]
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(EXISTING[client])
    before = snapshot(repo)

    out = install(capsys, repo, "--client", client, "--dry-run")

    assert snapshot(repo) == before
    assert out["dry_run"] is True
    by_kind = {r["kind"]: r for r in out["results"]}
    assert by_kind["config"]["action"] == "update"
    diff = by_kind["config"]["diff"]
    assert diff.startswith(f"--- {config}\n+++ {config}\n@@ ")
    added = [line[1:] for line in diff.splitlines() if line.startswith("+") and line[1:2] != "+"]
    assert any("symbiote" in line for line in added)
    assert by_kind["instructions"]["action"] == "create"

    code = main(["agent", "install", "--repo", str(repo), "--client", client, "--dry-run"])
    text = capsys.readouterr().out
    assert code == 0 and f"+++ {config}" in text and "nothing was written" in text
    assert snapshot(repo) == before


@pytest.mark.parametrize("client", NAMES)
def test_uninstall_gives_back_the_original_bytes(
    client: str, repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = repo / CONFIG[client]
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(EXISTING[client])
    (repo / GUIDE[client]).write_text("# Rules\n\nRun the tests.\n")
    before = snapshot(repo)
    install(capsys, repo, "--client", client)
    assert snapshot(repo) != before

    out = uninstall(capsys, repo, "--client", client)

    assert {r["action"] for r in out["results"]} == {"update"}
    assert snapshot(repo) == before
    again = uninstall(capsys, repo, "--client", client)
    assert {r["action"] for r in again["results"]} == {"unchanged"}


@pytest.mark.parametrize("client", NAMES)
def test_uninstall_removes_the_files_install_created(
    client: str, repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    install(capsys, repo, "--client", client)
    out = uninstall(capsys, repo, "--client", client)
    assert {r["action"] for r in out["results"]} == {"delete"}
    assert snapshot(repo) == {}
    assert sorted(p.name for p in repo.iterdir()) == [".git"]  # .cursor/ etc. gone too


@pytest.mark.parametrize("client", NAMES)
def test_a_config_that_does_not_parse_is_an_error_and_left_alone(
    client: str, repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = repo / CONFIG[client]
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(BROKEN[client])
    before = snapshot(repo)

    out = install(capsys, repo, "--client", client)

    assert out["error"]["type"] == "AgentConfigError"
    assert out["error"]["message"].startswith(f"{config}: ")
    assert re.search(r"line \d+", out["error"]["message"])
    assert snapshot(repo) == before  # nor an instructions file: nothing is written
    assert uninstall(capsys, repo, "--client", client)["error"]["type"] == "AgentConfigError"
    assert snapshot(repo) == before


USER_FILES = {
    "claude-code": (".claude.json", ".claude/CLAUDE.md"),
    "cursor": (".cursor/mcp.json", None),
    "vscode": (".config/Code/User/mcp.json", None),
    "codex": (".codex/config.toml", ".codex/AGENTS.md"),
    "gemini": (".gemini/settings.json", ".gemini/GEMINI.md"),
}


@pytest.mark.parametrize("client", NAMES)
def test_user_scope_writes_in_the_home_folder(
    client: str, repo: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config_name, guide_name = USER_FILES[client]
    config = home / config_name
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(EXISTING[client])
    before = snapshot(home)

    out = install(capsys, repo, "--client", client, "--scope", "user")

    assert {Path(r["path"]) for r in out["results"]} == {config} | (
        {home / guide_name} if guide_name else set()
    )
    data = load(client, config.read_text())
    assert data[CONTAINER[client]]["symbiote"] == expected_entry(client, repo)
    assert snapshot(repo) == {}  # nothing in the project
    uninstall(capsys, repo, "--client", client, "--scope", "user")
    assert snapshot(home) == before


def test_claude_user_config_keeps_its_state_and_permissions(
    repo: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = {
        "numStartups": 12,
        "projects": {str(repo): {"mcpServers": {}, "allowedTools": []}},
        "oauthAccount": {"emailAddress": "a@example.com"},
    }
    config = home / ".claude.json"
    config.write_text(json.dumps(state, indent=2))
    config.chmod(0o600)
    install(capsys, repo, "--client", "claude-code", "--scope", "user")
    data = json.loads(config.read_text())
    assert data == {**state, "mcpServers": {"symbiote": expected_entry("claude-code", repo)}}
    assert config.stat().st_mode & 0o777 == 0o600
    assert not list(home.glob(".claude.json.*"))  # no temporary file left behind


def test_codex_home_is_honoured(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CODEX_HOME", str(tmp_path / "codex-home"))
    install(capsys, repo, "--client", "codex", "--scope", "user")
    config = tomllib.loads((tmp_path / "codex-home" / "config.toml").read_text())
    assert config["mcp_servers"]["symbiote"] == expected_entry("codex", repo)
    assert (tmp_path / "codex-home" / "AGENTS.md").read_text().startswith(BEGIN)


def test_a_changed_entry_is_rewritten_in_place(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = repo / ".codex" / "config.toml"
    config.parent.mkdir()
    old = (
        '[mcp_servers.symbiote]\ncommand = "symbiote"\nargs = ["mcp", "--repo", "/old"]\n\n'
        '[mcp_servers.symbiote.env]\nX = "1"\n\n# the docs server\n[mcp_servers.docs]\n'
        'command = "npx"\n'
    )
    config.write_text(old)
    out = install(capsys, repo, "--client", "codex", "--no-instructions")
    assert [r["action"] for r in out["results"]] == ["update"]
    assert config.read_text() == (
        f'[mcp_servers.symbiote]\ncommand = "{COMMAND}"\nargs = ["mcp", "--repo", "{repo}"]\n\n'
        '# the docs server\n[mcp_servers.docs]\ncommand = "npx"\n'
    )
    status = agent(capsys, "status", "--repo", str(repo), "--client", "codex")
    assert status["results"][0]["entry"] == "different"  # another command than this one's
    status = agent(capsys, "status", "--repo", str(repo), "--client", "codex", "--command", COMMAND)
    assert status["results"][0]["entry"] == "installed"


def test_an_entry_written_as_dotted_keys_is_reported_not_rewritten(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = repo / ".codex" / "config.toml"
    config.parent.mkdir()
    config.write_text('[mcp_servers]\nsymbiote.command = "old"\n')
    out = install(capsys, repo, "--client", "codex")
    assert out["error"]["type"] == "AgentConfigError"
    assert "dotted keys" in out["error"]["message"]
    assert config.read_text() == '[mcp_servers]\nsymbiote.command = "old"\n'


def test_brackets_inside_values_are_not_table_headers(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = repo / ".codex" / "config.toml"
    config.parent.mkdir()
    original = (
        'notes = """\n[mcp_servers.symbiote]\n"""\nmatrix = [\n[1, 2],\n[3]\n]\n'
        "[mcp_servers.x]\ncommand = 'x'\n"
    )
    config.write_text(original)
    install(capsys, repo, "--client", "codex", "--no-instructions")
    assert tomllib.loads(config.read_text())["notes"] == "[mcp_servers.symbiote]\n"
    uninstall(capsys, repo, "--client", "codex")
    assert config.read_text() == original


def test_a_shared_instructions_file_keeps_the_section_while_a_client_uses_it(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    install(capsys, repo, "--client", "cursor", "--client", "codex")
    agents = (repo / "AGENTS.md").read_text()
    assert agents.count(BEGIN) == 1
    uninstall(capsys, repo, "--client", "cursor")
    assert (repo / "AGENTS.md").read_text() == agents  # Codex still has the server
    uninstall(capsys, repo, "--client", "codex")
    assert not (repo / "AGENTS.md").exists()


def test_install_without_a_client_uses_those_set_up_here(
    repo: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = install(capsys, repo)
    assert out["error"]["type"] == "InvalidArgument" and "--client" in out["error"]["message"]
    (home / ".cursor").mkdir()
    (home / ".gemini").mkdir()
    out = install(capsys, repo)
    assert sorted({c for r in out["results"] for c in r["clients"]}) == ["cursor", "gemini"]
    assert install(capsys, repo, "--client", "nano")["error"]["type"] == "InvalidArgument"


def test_install_needs_a_repository(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = install(capsys, tmp_path, "--client", "cursor")
    assert out["error"]["type"] == "RepositoryError"


def test_a_symlinked_config_is_written_through_its_link(
    repo: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = home / "dotfiles" / "mcp.json"
    target.parent.mkdir()
    target.write_text(EXISTING["cursor"])
    (home / ".cursor").mkdir()
    (home / ".cursor" / "mcp.json").symlink_to(target)
    install(capsys, repo, "--client", "cursor", "--scope", "user")
    assert (home / ".cursor" / "mcp.json").is_symlink()
    assert "symbiote" in load("cursor", target.read_text())["mcpServers"]


def test_the_default_command_is_this_installation(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    command = default_command()
    assert Path(command).is_absolute() and Path(command).name.startswith("symbiote")
    # Without --command, the entry starts this installation's symbiote (not the name of
    # the command line's sub-command).
    agent(capsys, "install", "--repo", str(repo), "--client", "cursor")
    entry = load("cursor", (repo / CONFIG["cursor"]).read_text())["mcpServers"]["symbiote"]
    assert entry["command"] == command


# ---- the instructions section


def test_the_section_names_only_real_tools() -> None:
    named = set(re.findall(r"`(\w+)`(?=:| /)", SECTION))
    assert named == {
        "find",
        "search",
        "goto",
        "refs",
        "callers",
        "callees",
        "outline",
        "history",
        "diff",
        "lessons",
    }
    assert named <= set(BY_TOOL)
    assert len(SECTION.splitlines()) <= 20


def test_the_section_is_updated_in_place_and_removed_with_its_blank_line() -> None:
    old = f"# Rules\n\n{BEGIN}\nan older text\n{END}\n\n## More\n"
    new = set_section(old)
    assert new == f"# Rules\n\n{BEGIN}\n{SECTION}{END}\n\n## More\n"
    assert set_section(new) == new
    assert remove_section(new) == "# Rules\n\n## More\n"
    original = "# Rules\r\n\r\nRun the tests.\r\n"  # CRLF stays CRLF
    added = set_section(original)
    assert "\n" not in added.replace("\r\n", "")
    assert remove_section(added) == original
    assert remove_section(set_section(None)) is None


def test_unpaired_markers_are_an_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "GEMINI.md").write_text(f"# Notes\n{BEGIN}\nhalf a section\n")
    out = install(capsys, repo, "--client", "gemini")
    assert out["error"]["type"] == "AgentConfigError"
    assert "markers" in out["error"]["message"]
    assert not (repo / ".gemini").exists()
