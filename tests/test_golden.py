"""Golden answers: the CLI JSON of every lookup verb, and search rankings, on a fixture
repository with fixed identities and dates (so commits and blobs have fixed shas).

A change to an answer's shape or content fails here with a diff; when the change is
meant, rewrite the files with ``pytest tests/test_golden.py --update-golden`` and review
``git diff tests/golden``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from symbiote.cli.main import main
from symbiote.indexer import IndexOptions, index_repository
from symbiote.indexer.embed_job import EmbedOptions, embed_repository
from tests.conftest import GitRepo

GOLDEN = Path(__file__).resolve().parent / "golden"

CLIENT = '''"""HTTP client with retries."""

import time

from app.errors import TransportError


class Client:
    """Sends requests and retries failed ones."""

    def __init__(self, retries: int = 3) -> None:
        self.retries = retries

    def send(self, request: str) -> str:
        """Send one request, retrying when the transport fails."""
        for attempt in range(self.retries):
            try:
                return self._transport(request)
            except TransportError:
                time.sleep(backoff(attempt))
        raise TransportError(request)

    def _transport(self, request: str) -> str:
        return request.upper()


def backoff(attempt: int) -> float:
    """Seconds to wait before retry number ``attempt``: doubling from a tenth."""
    return 0.1 * 2**attempt
'''

ERRORS = '''class TransportError(Exception):
    """The connection failed before an answer came."""
'''

PARSE = '''def parse_config(text: str) -> dict[str, str]:
    """Read ``key = value`` lines into a dictionary, skipping comments."""
    pairs = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            pairs[key.strip()] = value.strip()
    return pairs
'''

# (file name, argv) per golden answer; REPO stands for the repository's path.
CALLS: list[tuple[str, list[str]]] = [
    ("find", ["find", "send"]),
    ("find_prefix", ["find", "Client.", "--mode", "prefix"]),
    ("goto", ["goto", "app/client.py:20:28"]),
    ("refs", ["refs", "app/errors.py::TransportError"]),
    ("outline", ["outline", "app/client.py"]),
    ("symbols", ["symbols", "--path", "app/client.py", "--at", "v1"]),
    ("callers", ["callers", "app/client.py::backoff", "--depth", "2"]),
    ("callees", ["callees", "app/client.py::Client.send"]),
    ("history", ["history", "app/client.py::backoff"]),
    ("diff", ["diff", "v1", "HEAD"]),
    ("sql", ["sql", "SELECT kind, count(*) AS n FROM symbols_at('HEAD') GROUP BY 1 ORDER BY 1"]),
    ("search_text", ["search", "retry a failed request", "--mode", "text"]),
    ("search_vector", ["search", "read settings from a config file", "--mode", "vector"]),
    ("search_hybrid", ["search", "wait longer before each retry", "--mode", "hybrid"]),
]


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> GitRepo:
    repo = GitRepo(tmp_path_factory.mktemp("golden") / "repo")
    repo.write("app/errors.py", ERRORS)
    repo.write("app/client.py", CLIENT.replace("0.1 * 2**attempt", "0.1 * attempt"))
    repo.commit("first")
    repo.git("tag", "v1")
    repo.write("app/client.py", CLIENT)
    repo.write("app/config.py", PARSE)
    repo.commit("second")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    embed_repository(repo.path, options=EmbedOptions())
    return repo


def _normal(value: Any, root: str) -> Any:
    """``value`` with the repository's temporary path written as REPO and scores (floats
    that vary in their last digits between machines) rounded to 3 places."""
    if isinstance(value, dict):
        return {k: _normal(v, root) for k, v in value.items()}
    if isinstance(value, list):
        return [_normal(v, root) for v in value]
    if isinstance(value, str):
        return value.replace(root, "REPO")
    if isinstance(value, float):
        return round(value, 3)
    return value


def _ranking(payload: dict[str, Any]) -> dict[str, Any]:
    """What a search golden pins: the ranked definitions, as groups of near-ties (scores
    within 2 % of each other, sorted by name: the model's arithmetic differs between
    machines in its last digits and may swap them; the order of the groups must not)."""
    groups: list[list[str]] = []
    last: float | None = None
    for r in payload["results"]:
        hit, score = f"{r['path']}::{r['qualified_name']}", float(r["score"])
        if last is not None and abs(last - score) <= 0.02 * max(abs(last), abs(score)):
            groups[-1] = sorted([*groups[-1], hit])
        else:
            groups.append([hit])
        last = score
    return {"ok": payload["ok"], "commit": payload["commit"], "ranking": groups}


@pytest.mark.parametrize(("name", "argv"), CALLS, ids=[c[0] for c in CALLS])
def test_answers_match_their_golden_files(
    repo: GitRepo,
    capsys: pytest.CaptureFixture[str],
    request: pytest.FixtureRequest,
    name: str,
    argv: list[str],
) -> None:
    code = main([*argv, "--repo", str(repo.path), "--json"])
    out = capsys.readouterr().out.strip().splitlines()
    assert code == 0 and len(out) == 1, out
    payload = json.loads(out[0])
    answer = _ranking(payload) if name.startswith("search") else _normal(payload, str(repo.path))
    path = GOLDEN / f"{name}.json"
    if request.config.getoption("--update-golden"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(json.dumps(answer, indent=2, sort_keys=True) + "\n")
    assert path.exists(), f"no golden file {path.name}: run pytest with --update-golden"
    assert answer == json.loads(path.read_text())
