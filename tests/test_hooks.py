"""``symbiote hooks install|uninstall|status``: git hooks that index new commits in the
background, on real repositories with the real ``git`` and real background runs.

Installing keeps a hook that was there (it runs first, with the same arguments and
input); uninstalling gives back the hooks folder byte for byte, modes included; a
second install changes nothing; a git command never fails because of the index run and
does not wait for it; a burst of commits gives fewer runs than commits, a rebase one.
No test measures time: waits poll with deadlines.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from symbiote.cli.githooks import CHAINED, HOOKS
from symbiote.cli.hookmarks import DONE, STARTED, files, idle, running
from tests.conftest import HERMETIC_ENV, GitRepo

MakeRepo = Callable[..., GitRepo]
ROOT = Path(__file__).resolve().parent.parent
DEADLINE = 180.0  # seconds a poll waits before the test fails (a loaded machine is slow)


def symbiote(*args: str) -> dict[str, Any]:
    """Run the symbiote command (a real process); its JSON answer."""
    done = subprocess.run(
        [sys.executable, "-m", "symbiote.cli.main", *args, "--json"],
        cwd=ROOT,
        env={**os.environ, **HERMETIC_ENV},
        capture_output=True,
        text=True,
        check=False,
    )
    out: dict[str, Any] = json.loads(done.stdout)
    return out


def wait_for(what: str, check: Callable[[], bool]) -> None:
    deadline = time.monotonic() + DEADLINE
    while not check():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)


def store_of(repo: GitRepo) -> Path:
    return repo.path / ".git" / "symbiote" / "index.duckdb"


def log_of(repo: GitRepo) -> str:
    log = files(store_of(repo))[2]
    return log.read_text() if log.exists() else ""


def quiet(repo: GitRepo) -> bool:
    """No background run works or waits for the repository's store."""
    return idle(store_of(repo))


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), stat.S_IMODE(p.stat().st_mode)) for p in folder.iterdir()}


@pytest.fixture
def repo(make_repo: MakeRepo) -> Iterator[GitRepo]:
    """An indexed repository; at the end, background runs still working are stopped."""
    repo = make_repo()
    repo.write("app.py", "def first():\n    return 1\n")
    repo.commit("first")
    assert symbiote("index", str(repo.path), "--no-embed")["ok"]
    yield repo
    pid = running(store_of(repo))
    if pid:  # its own process group (it left the git command's session)
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def install(repo: GitRepo, *words: str) -> dict[str, Any]:
    return symbiote("hooks", "install", str(repo.path), "--no-embed", *words)


def states(out: dict[str, Any]) -> dict[str, str]:
    return {r["hook"]: r["state"] for r in out["results"]}


def add_definition(repo: GitRepo, name: str) -> str:
    repo.write(f"{name}.py", f"def {name}():\n    return 0\n")
    return repo.commit(f"add {name}")


def answers_at_head(repo: GitRepo, name: str) -> bool:
    out = symbiote("find", name, "--repo", str(repo.path), "--mode", "exact")
    return bool(out["ok"]) and out["commit"] == repo.head() and len(out["results"]) == 1


def test_install_over_an_existing_hook_runs_both(repo: GitRepo, tmp_path: Path) -> None:
    hooks = repo.path / ".git" / "hooks"
    record = tmp_path / "old-hook.txt"
    for hook in ("post-commit", "post-rewrite"):
        (hooks / hook).write_text(
            f'#!/bin/sh\n{{ echo "{hook} $*"; cat; }} >> "{record}"\n', encoding="utf-8"
        )
        (hooks / hook).chmod(0o755)
    out = install(repo)
    assert out["ok"], out
    assert states(out) == {
        "post-commit": "chained",
        "post-merge": "created",
        "post-checkout": "created",
        "post-rewrite": "chained",
    }
    old = repo.head()
    repo.write("app.py", "def first():\n    return 2\n")
    repo.git("commit", "-q", "--amend", "-am", "amended")  # post-commit, then post-rewrite
    new = repo.head()
    assert record.read_text() == f"post-commit \npost-rewrite amend\n{old} {new}\n"
    head = add_definition(repo, "second")
    wait_for("the run for the new commit", lambda: head in log_of(repo) and quiet(repo))
    assert answers_at_head(repo, "second")


def test_uninstall_restores_the_hooks_folder_byte_for_byte(repo: GitRepo) -> None:
    hooks = repo.path / ".git" / "hooks"
    (hooks / "post-checkout").write_bytes(b"#!/bin/sh\r\n# mine\r\nexit 0\r\n")
    (hooks / "post-checkout").chmod(0o750)
    (hooks / "post-merge").write_bytes(b"#!/bin/sh\necho not executable\n")
    (hooks / "post-merge").chmod(0o640)
    before = snapshot(hooks)
    assert install(repo)["ok"]
    assert snapshot(hooks) != before
    assert (hooks / ("post-checkout" + CHAINED)).exists()
    out = symbiote("hooks", "uninstall", str(repo.path))
    assert states(out) == {
        "post-commit": "removed",
        "post-merge": "restored",
        "post-checkout": "restored",
        "post-rewrite": "removed",
    }
    assert snapshot(hooks) == before


def test_install_twice_changes_nothing(repo: GitRepo) -> None:
    hooks = repo.path / ".git" / "hooks"
    (hooks / "post-commit").write_text("#!/bin/sh\nexit 0\n")
    (hooks / "post-commit").chmod(0o755)
    assert install(repo)["ok"]
    once = snapshot(hooks)
    again = install(repo)
    assert set(states(again).values()) == {"unchanged"}
    assert snapshot(hooks) == once


def test_hooks_go_where_core_hooks_path_says(repo: GitRepo) -> None:
    repo.git("config", "core.hooksPath", "shared-hooks")
    out = install(repo)
    assert out["folder"] == str(repo.path / "shared-hooks")
    assert sorted(p.name for p in (repo.path / "shared-hooks").iterdir()) == sorted(HOOKS)
    assert not any((repo.path / ".git" / "hooks" / h).exists() for h in HOOKS)


def test_status_reports_the_hooks_and_the_run(repo: GitRepo, tmp_path: Path) -> None:
    hooks = repo.path / ".git" / "hooks"
    (hooks / "post-merge").write_text("#!/bin/sh\nexit 0\n")
    before = symbiote("hooks", "status", str(repo.path))
    assert states(before) == {h: "absent" for h in HOOKS} | {"post-merge": "foreign"}
    assert before["job"]["running"] is None
    assert install(repo)["ok"]
    after = symbiote("hooks", "status", str(repo.path))
    assert states(after) == {h: "installed" for h in HOOKS}
    assert {r["hook"]: r["chained"] for r in after["results"]} == {
        h: h == "post-merge" for h in HOOKS
    }
    gone = tmp_path / "gone" / "symbiote"
    assert install(repo, "--command", str(gone))["ok"]
    assert states(symbiote("hooks", "status", str(repo.path))) == {h: "inactive" for h in HOOKS}


def test_git_never_fails_when_the_index_run_does(repo: GitRepo, tmp_path: Path) -> None:
    failing = tmp_path / "failing-symbiote"
    failing.write_text("#!/bin/sh\necho failing >&2\nexit 1\n")
    failing.chmod(0o755)
    hooks = repo.path / ".git" / "hooks"
    (hooks / "post-checkout").write_text("#!/bin/sh\nexit 3\n")
    (hooks / "post-checkout").chmod(0o755)
    repo.git("branch", "other")
    # git checkout fails when its post-checkout hook does: the same with Symbiote.
    without = subprocess.run(["git", "checkout", "-q", "other"], cwd=repo.path, check=False)
    assert install(repo, "--command", str(failing))["ok"]
    with_failing = subprocess.run(["git", "checkout", "-q", "main"], cwd=repo.path, check=False)
    assert with_failing.returncode == without.returncode != 0
    wait_for("the failing run", lambda: "failing" in log_of(repo))
    add_definition(repo, "second")  # check=True: the commit succeeds
    # A store in a place that cannot exist: the hook gives up quietly.
    broken = symbiote("hooks", "install", str(repo.path), "--store", "/dev/null/x/index.duckdb")
    assert broken["ok"]
    commit = subprocess.run(
        ["git", "commit", "-q", "--allow-empty", "-m", "empty"],
        cwd=repo.path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (commit.returncode, commit.stdout, commit.stderr) == (0, "", "")


def test_the_hook_does_not_wait_for_the_run(repo: GitRepo, tmp_path: Path) -> None:
    """A stand-in for symbiote that runs until the test lets it end: the commit returns
    while it runs."""
    gate, trace = tmp_path / "go", tmp_path / "trace"
    slow = tmp_path / "slow-symbiote"
    slow.write_text(
        "#!/bin/sh\n"
        f'echo "started $*" >> "{trace}"\n'
        "i=0\n"
        f'while [ ! -e "{gate}" ] && [ $i -lt 3000 ]; do sleep 0.1; i=$((i+1)); done\n'
        f'echo finished >> "{trace}"\n'
    )
    slow.chmod(0o755)
    assert install(repo, "--command", str(slow))["ok"]
    try:
        add_definition(repo, "second")
        assert not trace.exists() or "finished" not in trace.read_text()
        wait_for("the run to start", lambda: trace.exists() and "started" in trace.read_text())
        assert "hooks run --hook post-commit --no-embed" in trace.read_text()
    finally:
        gate.touch()
    wait_for("the run to finish", lambda: "finished" in trace.read_text())


def test_commits_in_a_row_coalesce(repo: GitRepo) -> None:
    assert install(repo)["ok"]
    heads = [add_definition(repo, f"burst_{i}") for i in range(8)]
    wait_for("the store at HEAD", lambda: heads[-1] in log_of(repo) and quiet(repo))
    runs = log_of(repo).count(STARTED)
    assert 1 <= runs < len(heads)
    assert log_of(repo).count(DONE) == runs
    assert answers_at_head(repo, "burst_7")


def test_a_rebase_gives_one_run(repo: GitRepo) -> None:
    repo.git("checkout", "-q", "-b", "topic")
    for i in range(10):
        add_definition(repo, f"topic_{i}")
    repo.git("checkout", "-q", "main")
    add_definition(repo, "on_main")
    repo.git("checkout", "-q", "topic")
    assert install(repo)["ok"]
    repo.git("rebase", "-q", "main")
    head = repo.head()
    wait_for("the run after the rebase", lambda: head in log_of(repo) and quiet(repo))
    assert log_of(repo).count(STARTED) == 1, log_of(repo)
    assert answers_at_head(repo, "topic_9")


def test_a_running_owner_is_the_hooks_job(repo: GitRepo) -> None:
    owner = subprocess.Popen(
        [sys.executable, "-m", "symbiote.cli.main", "serve", str(repo.path)],
        cwd=ROOT,
        env={**os.environ, **HERMETIC_ENV},
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for("the owner to take the hooks' lock", lambda: running(store_of(repo)) == owner.pid)
        assert install(repo)["ok"]
        head = add_definition(repo, "second")
        wait_for("the owner's run", lambda: head in log_of(repo) and quiet(repo))
        done = [line for line in log_of(repo).splitlines() if DONE in line]
        assert len(done) == 1 and f"[{owner.pid}] {DONE}" in done[0]  # no job was started
        assert answers_at_head(repo, "second")
        job = symbiote("hooks", "status", str(repo.path))["job"]
        assert (job["running"], job["owner"], job["busy"]) == (owner.pid, True, False)
    finally:
        owner.terminate()
        owner.wait(timeout=DEADLINE)
    assert running(store_of(repo)) is None  # the owner let the lock go
    head = add_definition(repo, "third")  # so the hooks start a job of their own again
    wait_for("the job's run", lambda: head in log_of(repo) and quiet(repo))
    done = [line for line in log_of(repo).splitlines() if DONE in line]
    assert len(done) == 2 and f"[{owner.pid}]" not in done[1]
    assert answers_at_head(repo, "third")


def test_an_owner_loads_the_model_ahead_only_for_a_store_with_vectors(
    repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    from symbiote.cli import hookmarks
    from symbiote.indexer import embedders

    loaded: dict[str, Any] = {}
    monkeypatch.setattr(embedders, "_LOADED", loaded)  # this test's own process cache
    # indexed with --no-embed: no search sidecar; not done (it looks again later)
    assert hookmarks._warm(store_of(repo)) is False
    assert loaded == {}
    assert symbiote("embed", str(repo.path), "--text-only")["ok"]
    assert hookmarks._warm(store_of(repo)) is False  # text search only: still no model
    assert loaded == {}
    assert symbiote("embed", str(repo.path))["ok"]
    assert hookmarks._warm(store_of(repo)) is True
    assert list(loaded) == [embedders.embedder_spec(None)]


def test_an_owner_loads_ahead_only_between_calls(
    repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The loading holds the interpreter for a second or more: while a call is being
    # answered it waits, however long ago the owner started.
    import threading

    from symbiote.cli import activity, hookmarks
    from symbiote.indexer import embedders

    assert symbiote("embed", str(repo.path))["ok"]
    loaded: dict[str, Any] = {}
    monkeypatch.setattr(embedders, "_LOADED", loaded)
    monkeypatch.setattr(hookmarks, "WARM_AFTER_SECONDS", 0.0)
    monkeypatch.setattr(hookmarks, "WARM_WHEN_QUIET_SECONDS", 0.2)
    asked: list[float] = []

    def quiet_for() -> float:
        asked.append(activity.quiet_for())
        return asked[-1]

    monkeypatch.setattr(hookmarks, "quiet_for", quiet_for)
    stop = threading.Event()
    hooks = threading.Thread(
        target=hookmarks.serve_marks, args=(store_of(repo), lambda *_: (0, {}, ""), stop)
    )
    with activity.answering():
        hooks.start()
        try:
            wait_for("the hooks' job to look three times", lambda: len(asked) >= 3 or bool(loaded))
            assert loaded == {}
            assert set(asked) == {0.0}
        finally:
            stop.set()
            hooks.join()
    stop.clear()
    hooks = threading.Thread(
        target=hookmarks.serve_marks, args=(store_of(repo), lambda *_: (0, {}, ""), stop)
    )
    hooks.start()
    try:
        wait_for("the model loaded after the call", lambda: bool(loaded))
        assert list(loaded) == [embedders.embedder_spec(None)]
        assert max(asked) >= 0.2
    finally:
        stop.set()
        hooks.join()


def test_a_call_counts_as_answered_while_it_runs(repo: GitRepo) -> None:
    from symbiote.cli import activity
    from symbiote.cli.runner import execute
    from symbiote.cli.table import BY_NAME

    seen: list[float] = []
    repo.write("app.py", "def second():\n    return 2\n")
    repo.commit("second")
    code, payload, _ = execute(
        BY_NAME["index"],
        {"embed": False},
        verbs=BY_NAME,
        repo=str(repo.path),
        store=None,
        progress=lambda **_values: seen.append(activity.quiet_for()),
    )
    assert code == 0, payload
    assert seen and set(seen) == {0.0}
    assert activity.quiet_for() > 0.0


# In a fresh process: the owner's warm-up, then a hybrid search and a vector search;
# whether lancedb was imported, and whether the model was.
WARM_THEN_SEARCH = """
import sys
from pathlib import Path
from symbiote.cli import hookmarks
from symbiote.queries import SearchOptions, open_index

assert hookmarks._warm(Path(sys.argv[1])) is True
with open_index(sys.argv[2]) as index:
    for mode in ("hybrid", "vector"):
        index.search("first", options=SearchOptions(mode=mode, k=1))
print("lancedb" in sys.modules, "onnxruntime" in sys.modules)
"""


def test_the_warm_up_and_searches_leave_lancedb_unloaded(repo: GitRepo) -> None:
    # lancedb (~75 MB) is for writing the sidecar: an owner imports it when an index run
    # starts whose embedding it will run (cli.background.expect_embedding), not ahead.
    assert symbiote("embed", str(repo.path))["ok"]
    done = subprocess.run(
        [sys.executable, "-c", WARM_THEN_SEARCH, str(store_of(repo)), str(repo.path)],
        cwd=ROOT,
        env={**os.environ, **HERMETIC_ENV, "SYMBIOTE_NO_SERVER": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout.split() == ["False", "True"], done.stderr
