"""``hooks install|uninstall|status|run``: git hooks that keep the store current (the
files: :mod:`symbiote.cli.githooks`; the background run: :mod:`symbiote.cli.hookjob`)."""

from __future__ import annotations

from pathlib import Path

from symbiote.cli.agent_setup import default_command
from symbiote.cli.githooks import HookOptions, hooks_folder, install, status, uninstall
from symbiote.cli.hookjob import run_job
from symbiote.cli.hookmarks import files, idle, log_tail, running, say_to_log
from symbiote.cli.route import socket_path
from symbiote.cli.verbs import Call, Outcome, Param, Verb

COMMAND = Param(
    name="command",
    type="string",
    help="The symbiote program the hooks start (default: the one of this installation). "
    "When it is gone, the hooks do nothing.",
    default=None,
    metavar="PATH",
)
EMBED = Param(
    name="embed",
    type="boolean",
    help="The runs also fill the search sidecar, as `symbiote index` does.",
    default=True,
)


def _folder(call: Call) -> Path:
    return hooks_folder(Path(call.repo))


def _options(call: Call) -> HookOptions:
    a = call.args
    return HookOptions(
        command=a.get("command") or default_command(),
        store=Path(call.store).resolve() if call.store else None,
        embed=a.get("embed", True),
    )


def _files_text(o: Outcome) -> str:
    lines = [
        f"{r.state:<10} {r.path}" + ("  (runs the hook that was there first)" if r.chained else "")
        for r in o.results
    ]
    lines += [f"note: {n}" for n in o.extra.get("notes", ())]
    return "\n".join(lines)


def _install(call: Call) -> Outcome:
    folder = _folder(call)
    changed = install(folder, _options(call))
    notes = []
    if not call.store_path().exists():
        notes.append(f"{call.repo} is not indexed yet: run `symbiote index {call.repo}` once")
    log = files(call.store_path())[2]
    notes.append(f"the runs the hooks start write to {log}")
    return Outcome(None, changed, {"folder": str(folder), "notes": notes})


INSTALL = Verb(
    name="hooks install",
    tool=None,
    summary="Install git hooks (post-commit, post-merge, post-checkout, post-rewrite) that "
    "index new commits in the background.",
    details="The hooks go where git runs hooks from (core.hooksPath when set). A hook "
    "already there is moved aside (<hook>.symbiote-chained) and runs first, with the same "
    "arguments and input, its exit status kept. The index run starts detached, through the "
    "store's owner when one runs, and a burst of commits (a rebase) gives one run; it can "
    "neither fail nor slow the git command. Installing again changes nothing.",
    example="symbiote hooks install . --no-embed",
    params=(COMMAND, EMBED),
    run=_install,
    text=_files_text,
    effect="admin",
    routed=False,
    repo_positional=True,
)


def _uninstall(call: Call) -> Outcome:
    folder = _folder(call)
    return Outcome(None, uninstall(folder), {"folder": str(folder)})


UNINSTALL = Verb(
    name="hooks uninstall",
    tool=None,
    summary="Remove Symbiote's git hooks and put back the hooks they chained to.",
    details="The hooks folder holds the same files, bytes and modes as before install; a "
    "hook that is not Symbiote's is left alone.",
    example="symbiote hooks uninstall .",
    run=_uninstall,
    text=_files_text,
    effect="admin",
    routed=False,
    repo_positional=True,
)


def _status(call: Call) -> Outcome:
    folder = _folder(call)
    store = call.store_path()
    job = {
        "running": running(store),
        "busy": not idle(store),
        "owner": socket_path(store).exists(),  # a long-lived owner is the hooks' job
        "log": str(files(store)[2]),
        "last": log_tail(store),
    }
    return Outcome(None, status(folder), {"folder": str(folder), "job": job})


def _status_text(o: Outcome) -> str:
    job = o.extra["job"]
    pid, busy = job["running"], "running" if job["busy"] else "idle"
    if pid is None:
        state = "idle"
    elif job["owner"]:
        state = f"the store's owner (pid {pid}) runs them: {busy}"
    else:
        state = f"running (pid {pid})"
    lines = [_files_text(o), f"job        {state}"]
    lines += [f"log        {job['log']}"] + [f"  {line}" for line in job["last"]]
    return "\n".join(lines)


STATUS = Verb(
    name="hooks status",
    tool=None,
    summary="Whether Symbiote's git hooks are installed (installed; inactive: the program "
    "they start is gone; foreign; absent), and what their background run is doing.",
    example="symbiote hooks status . --json",
    run=_status,
    text=_status_text,
    effect="admin",
    routed=False,
    repo_positional=True,
)


def _run(call: Call) -> Outcome:
    runs = run_job(
        call.repo,
        call.store,
        call.store_path().resolve(),
        call.args["hook"],
        call.args["embed"],
        call.verbs,
        say_to_log,
    )
    return Outcome(None, runs, {"_text": f"hooks run: {len(runs)} index runs"})


RUN = Verb(
    name="hooks run",
    tool=None,
    summary="Index new commits now, as the hooks do: coalesced with the hooks' runs.",
    details="What the hooks start in the background. A run already under way for the "
    "store runs once more instead; otherwise this waits until the burst of git commands "
    "(a rebase) is over and indexes each working tree the hooks marked.",
    example="symbiote hooks run .",
    params=(
        Param(
            name="hook",
            type="string",
            help="The hook that marked the working tree and asks for this run (what the hooks "
            "pass). Default: none; the working tree is marked by this call.",
            default=None,
            metavar="NAME",
        ),
        EMBED,
    ),
    run=_run,
    text=lambda o: str(o.extra["_text"]),
    effect="admin",
    routed=False,
    repo_positional=True,
)

GROUP = (
    "hooks",
    "git hooks that keep the index current",
    "Install, remove or inspect the git hooks that index new commits in the background.",
)
VERBS = (INSTALL, UNINSTALL, STATUS, RUN)
