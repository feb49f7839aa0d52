"""The self-correction log: critiques, actions and outcomes with real constraints, an
fsynced journal, lessons that follow a renamed definition, corrections that keep the
history."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest

from symbiote.indexer import IndexOptions, index_repository
from symbiote.indexer.agent_log import AgentLog, apply_if_free
from symbiote.indexer.errors import InvalidEntry, UnknownDefinition
from symbiote.indexer.journal import journal_path, read_journal
from symbiote.queries import Index, open_index
from tests.conftest import GitRepo

MakeRepo = Callable[..., GitRepo]
ROOT = Path(__file__).resolve().parent.parent

SEND = "def send(request):\n    payload = encode(request)\n    return post(payload)\n"


def _setup(make_repo: MakeRepo) -> tuple[GitRepo, str, str]:
    repo = make_repo()
    repo.write("app/net.py", SEND)
    first = repo.commit("send")
    repo.write("app/net.py", SEND.replace("def send(", "def transmit("))
    renamed = repo.commit("send is transmit")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    return repo, first, renamed


def _critique(index: Index, log: AgentLog, **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "agent": "reviewer",
        "repo_id": index.repo_id,
        "path": "app/net.py",
        "qualified_name": "send",
        "category": "bug",
        "severity": "high",
        "text": "posts without a timeout",
        "check": lambda _r, c, p, q: index.check_target(c, p, q),
        **fields,
    }
    return log.critique(**values)


def test_lessons_follow_a_renamed_definition(make_repo: MakeRepo) -> None:
    repo, first, renamed = _setup(make_repo)
    with open_index(repo.path) as index:
        log = AgentLog(index.store_path)
        critique = _critique(index, log, commit=first)
        action = log.action(
            agent="fixer",
            critique=critique["id"],
            description="added a timeout",
            commit=renamed,
            paths=["app/net.py"],
            definitions=["transmit"],
        )
        log.outcome(agent="ci", action=action["id"], verdict="success", evidence={"tests": 12})

        (lesson,) = index.lessons("app/net.py::transmit", at=renamed)
        assert (lesson.id, lesson.qualified_name, lesson.commit, lesson.text) == (
            critique["id"],
            "send",
            first,
            "posts without a timeout",
        )
        assert [(a.agent, a.description, a.commit) for a in lesson.actions] == [
            ("fixer", "added a timeout", renamed)
        ]
        assert [(o.verdict, o.evidence) for o in lesson.actions[0].outcomes] == [
            ("success", {"tests": 12})
        ]
        assert [x.id for x in index.lessons("app/net.py", at=renamed)] == [critique["id"]]
        assert index.lessons("app/net.py::send", at=first)[0].id == critique["id"]
    # Applied to the SQL tables, once, however often the journal is applied.
    store = index.store_path
    assert apply_if_free(store) == 3
    assert apply_if_free(store) == 0
    index_repository(repo.path, options=IndexOptions(jobs=1))
    with open_index(repo.path) as index:
        counts = "SELECT '{0}', count(*) FROM agent_{1}"
        query = " UNION ALL ".join(
            counts.format(k, t)
            for k, t in (("a", "actions"), ("c", "critiques"), ("o", "outcomes"))
        )
        rows = index.sql(query + " ORDER BY 1").rows
        assert rows == [("a", 1), ("c", 1), ("o", 1)]


def test_bad_entries_are_rejected_with_clear_errors(make_repo: MakeRepo) -> None:
    repo, first, renamed = _setup(make_repo)
    with open_index(repo.path) as index:
        log = AgentLog(index.store_path)
        cases: list[tuple[dict[str, Any], str]] = [
            ({"category": "nitpick"}, "category must be one of bug, design"),
            ({"severity": ""}, "severity must be one of info"),
            ({"text": "  "}, "text must be a non-empty string"),
            ({"agent": None}, "agent must be a non-empty string"),
        ]
        for fields, message in cases:
            with pytest.raises(InvalidEntry, match=message):
                _critique(index, log, commit=first, **fields)
        with pytest.raises(UnknownDefinition):  # not a definition at that commit
            _critique(index, log, commit=renamed)
        critique = _critique(index, log, commit=first)
        with pytest.raises(InvalidEntry, match="no critique 'nope'"):
            log.action(agent="a", critique="nope", description="x")
        with pytest.raises(InvalidEntry, match="paths must be a list of non-empty strings"):
            log.action(agent="a", critique=critique["id"], description="x", paths=[""])
        with pytest.raises(InvalidEntry, match="no action"):
            log.outcome(agent="a", action=critique["id"], verdict="success")
        with pytest.raises(InvalidEntry, match="a retraction names the entry"):
            _critique(index, log, commit=first, retracted=True)
        assert [e["id"] for e in read_journal(index.store_path)] == [critique["id"]]
    assert apply_if_free(index.store_path) == 1

    # The tables enforce the same rules on their own.
    con = duckdb.connect(str(index.store_path))
    row = "('x', now(), 'a', 1, ?, 'app/net.py', NULL, ?, 'low', 't', NULL, false)"
    with pytest.raises(duckdb.ConstraintException, match="CHECK constraint"):
        con.execute(f"INSERT INTO agent_critiques VALUES {row}", [first, "nitpick"])
    with pytest.raises(duckdb.ConstraintException, match="foreign key"):
        con.execute(f"INSERT INTO agent_critiques VALUES {row}", ["0" * 40, "bug"])
    with pytest.raises(duckdb.ConstraintException, match="foreign key"):
        con.execute(
            "INSERT INTO agent_actions VALUES ('y', now(), 'a', 'nope', 'd', NULL, [], [], "
            "NULL, false)"
        )
    with pytest.raises(duckdb.ConstraintException, match="NOT NULL"):
        con.execute(
            "INSERT INTO agent_outcomes VALUES ('z', now(), 'a', NULL, 'success', '{}', NULL, "
            "false)"
        )
    con.close()


def test_corrections_and_retractions_keep_the_history(make_repo: MakeRepo) -> None:
    repo, first, renamed = _setup(make_repo)
    with open_index(repo.path) as index:
        log = AgentLog(index.store_path)
        wrong = _critique(index, log, commit=first, text="posts twice")
        right = _critique(index, log, commit=first, text="posts once, without a timeout",
                          supersedes=wrong["id"])  # fmt: skip
        kept = log.action(agent="a", critique=wrong["id"], description="added a timeout")
        dropped = log.action(agent="b", critique=right["id"], description="rewrote it")
        log.action(agent="b", critique=right["id"], description="-", supersedes=dropped["id"],
                   retracted=True)  # fmt: skip
        for verdict in ("failure", "success"):
            log.outcome(agent="ci", action=kept["id"], verdict=verdict)
        (lesson,) = index.lessons("app/net.py::transmit", at=renamed)
        assert (lesson.id, lesson.text, lesson.revisions) == (
            right["id"],
            "posts once, without a timeout",
            [wrong["id"]],
        )
        assert [a.id for a in lesson.actions] == [kept["id"]]  # answers the corrected chain
        assert [o.verdict for o in lesson.actions[0].outcomes] == ["failure", "success"]
        rates = index.success_rates()
        assert [(r.category, r.agent, r.actions, r.judged, r.verdicts, r.rate) for r in rates] == [
            ("bug", "a", 1, 1, {"success": 1}, 1.0)  # the latest outcome counts
        ]
        assert len(read_journal(index.store_path)) == 7  # nothing was overwritten


WRITER = """
import sys
from pathlib import Path
from symbiote.indexer.agent_log import AgentLog
log = AgentLog(Path(sys.argv[1]))
critique = sys.argv[2]
for i in range(100000):
    entry = log.action(agent="w", critique=critique, description=f"step {i}")
    print(entry["id"], flush=True)  # acknowledged: the entry is on disk
"""


def test_acknowledged_entries_survive_a_kill(make_repo: MakeRepo) -> None:
    repo, first, _ = _setup(make_repo)
    with open_index(repo.path) as index:
        critique = _critique(index, AgentLog(index.store_path), commit=first)
        store = index.store_path
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(store), critique["id"]],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    acknowledged = [writer.stdout.readline().strip() for _ in range(50)]
    writer.send_signal(signal.SIGKILL)
    rest, _ = writer.communicate()
    acknowledged += rest.split()
    on_disk = {e["id"] for e in read_journal(store)}
    assert set(acknowledged) <= on_disk
    # A torn line (a write cut short, never acknowledged) is skipped, then replaced.
    with journal_path(store).open("ab") as journal:
        journal.write(b'{"kind": "action", "id": "tor')
    assert {e["id"] for e in read_journal(store)} == on_disk
    later = AgentLog(store).action(agent="w", critique=critique["id"], description="after")
    assert [e["id"] for e in read_journal(store)][-1] == later["id"]
    assert apply_if_free(store) == len(on_disk) + 1
    lines = journal_path(store).read_text().splitlines()
    assert [json.loads(line)["id"] for line in lines] == [e["id"] for e in read_journal(store)]


def test_similar_past_critiques_are_recalled_by_meaning(make_repo: MakeRepo) -> None:
    from symbiote.indexer import EmbedOptions, embed_repository, verify_store

    repo, first, _ = _setup(make_repo)
    with open_index(repo.path) as index:
        log = AgentLog(index.store_path)
        texts = [
            "the HTTP call can block forever: no timeout is set",
            "user input is formatted straight into the SQL string",
            "the docstring has a spelling mistake",
        ]
        ids = [_critique(index, log, commit=first, text=t)["id"] for t in texts]
        hits = index.recall("a request may hang indefinitely without a deadline", k=2)
        assert [h.lesson.id for h in hits][0] == ids[0]
        assert len(hits) == 2 and not any(h.embedded for h in hits)
        assert hits[0].distance < hits[1].distance
    # The embedding run stores their vectors in the sidecar; recall then reads them.
    summary = embed_repository(repo.path, options=EmbedOptions())
    assert summary.critiques_written == 3
    assert embed_repository(repo.path, options=EmbedOptions()).critiques_written == 0
    with open_index(repo.path) as index:
        again = index.recall("injection of untrusted input into a query", k=3)
        assert [h.lesson.id for h in again][0] == ids[1]
        assert all(h.embedded for h in again)
    assert verify_store(repo.path).ok
