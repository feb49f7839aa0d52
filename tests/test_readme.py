"""The README's Python example runs, its MCP tool table is the verb table's, and it
names every command, so the docs cannot rot.

Regenerate the tool table with ``python -m tests.test_readme --update``."""

from __future__ import annotations

import contextlib
import io
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

from symbiote.cli.table import VERBS
from symbiote.cli.verbs import MCP
from symbiote.indexer import IndexOptions, index_repository
from tests.conftest import GitRepo

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_example() -> str:
    text = README.read_text("utf-8")
    match = re.search(r"<!-- readme-example: python -->\n```python\n(.*?)```", text, re.S)
    assert match, "README lost its Python example"
    return match.group(1)


def test_readme_python_example(make_repo: Callable[..., GitRepo]) -> None:
    repo = make_repo()
    repo.write("src/app.py", "class App:\n    def run(self):\n        pass\n\n\nApp().run()\n")
    repo.commit("app")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    out = io.StringIO()
    cwd = os.getcwd()
    try:
        os.chdir(repo.path)
        with contextlib.redirect_stdout(out):
            exec(compile(readme_example(), "README.md", "exec"), {})
    finally:
        os.chdir(cwd)
    assert out.getvalue().splitlines() == [
        "src/app.py:1 class App",
        "src/app.py:2 method App.run",
        "  used at src/app.py:6:6 (type)",  # `App()` is an App: its members are typed
    ]


_TOOLS = re.compile(r"(<!-- mcp-tools -->\n)(.*?)(<!-- /mcp-tools -->)", re.S)


def tools_table() -> str:
    """The README's table of MCP tools: each tool's command and its arguments as the
    verb table declares them (required ones in bold, earlier names after them)."""
    rows = ["| tool | command | arguments | also accepted |", "|---|---|---|---|"]
    for verb in VERBS:
        if verb.tool is None:
            continue
        offered = [p for p in verb.params if MCP in p.surfaces]
        names = ", ".join(f"**`{p.name}`**" if p.required else f"`{p.name}`" for p in offered)
        aliases = ", ".join(f"`{a}` for `{p.name}`" for p in offered for a in p.aliases)
        rows.append(f"| `{verb.tool}` | `symbiote {verb.name}` | {names or '-'} | {aliases} |")
    return "\n".join(rows) + "\n"


def test_the_readme_tool_table_is_the_verb_table() -> None:
    match = _TOOLS.search(README.read_text("utf-8"))
    assert match, "README lost its MCP tool table"
    assert match.group(2) == tools_table(), "regenerate: python -m tests.test_readme --update"


def test_the_readme_names_every_command() -> None:
    text = README.read_text("utf-8")
    missing = [verb.name for verb in VERBS if f"symbiote {verb.name}" not in text]
    assert missing == []


if __name__ == "__main__":  # `python -m tests.test_readme [--update]`
    if "--update" in sys.argv:
        text = README.read_text("utf-8")
        README.write_text(_TOOLS.sub(lambda m: m.group(1) + tools_table() + m.group(3), text))
    else:
        print(tools_table(), end="")
