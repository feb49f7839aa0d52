"""The README's Python example runs, so the docs cannot rot."""

from __future__ import annotations

import contextlib
import io
import os
import re
from collections.abc import Callable
from pathlib import Path

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
        "  used at src/app.py:6:6 (name)",
    ]
