"""An agent's session over MCP on a real index, and the CLI's start-up to first answer.

Usage::

    symbiote index REPO --history 10000 --no-embed          # build the index once
    symbiote embed REPO                                     # HEAD's vectors and text index
                                                            # (--text-only: no model)
    python -m bench.agent_session REPO [--store FILE] [--base TAG --head TAG] [--runs 7]

Measured on sqlalchemy: the 10,000 most recent first-parent commits of main and the 125
tags among them (``--ref HEAD --ref main --ref TAG ... --history-ref HEAD --history
10000``: the tags off that history would add their old trees).

The session is 20 tool calls made through the official MCP SDK client
(``mcp.ClientSession`` over ``stdio_client``) to ``python -m symbiote.cli.main mcp
--repo REPO``, as an agent client starts it: sql (the most-referenced definition, two
releases, a reference's position), find, refs, callers at depth 5, diff between the two
releases, sql without LIMIT, search (``--search-mode``, by default hybrid as an agent
gets it: with a store that has vectors, the model is loaded and ranks too), outline,
goto, history, callees, and the next page (``cursor``) of five of the lists. For each
call it records the wall time, the characters of the result, ``truncated``/``next``, and
the peak resident memory of the server process so far (``VmHWM`` of
``/proc/<pid>/status``; the server answers every call itself, as the store's owner).

Then it times whole-process CLI runs (median of ``--runs``, rounds interleaved):
``python -c pass`` and ``python -c "import symbiote"`` as baselines, ``symbiote find``
opening the store itself, and ``symbiote find`` answered by a running owner
(``symbiote serve``).

Targets (issue 17): every result within its size budget (16,000 characters by default),
peak memory of the answering process < 500 MB, every call < 2 s; CLI start-up to the
first answer of ``find`` <= 0.5 s. Prints a table and writes JSON to
``bench/out/agent_session.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import anyio
from mcp import ClientSession, StdioServerParameters, stdio_client
from mcp.types import TextContent

from symbiote.cli.route import ask
from symbiote.cli.verbs import CLI

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "agent_session.json"
BUDGET = 16_000  # the MCP tools' default max_chars
MEMORY_TARGET_MB = 500.0
CALL_TARGET_S = 2.0
CLI_TARGET_S = 0.5
ROW = "{:>2} {:<34} {:<9} {:>6} {:>6} {:>4} {:>5} {:>7} {:>4} {:>8}{}"

MOST_REFERENCED = """
WITH defs AS (
    SELECT name, min(path || '::' || qualified_name) AS symbol, min(path) AS path
      FROM symbols_at('HEAD')
     WHERE kind IN ('function', 'method', 'class') AND path NOT LIKE '%test%'
     GROUP BY name HAVING count(*) = 1),
uses AS (SELECT name, count(*) AS uses FROM references_at('HEAD') GROUP BY name)
SELECT defs.symbol, defs.name, defs.path, uses.uses
  FROM defs JOIN uses USING (name)
 ORDER BY uses.uses DESC, defs.symbol
 LIMIT 3
"""
RELEASES = """
SELECT r.short_name AS tag, r.commit, c.committer_time,
       (SELECT count(*) FROM commits) AS commits_in_store
  FROM refs r JOIN commits c ON c.sha = r.commit AND c.repo_id = r.repo_id
 WHERE r.kind = 'tag'
 ORDER BY c.committer_time DESC, r.short_name DESC
 LIMIT 2
"""
A_USE = """
SELECT path, start_line, start_col FROM references_at('HEAD')
 WHERE name = ? AND path <> ? AND kind = 'call'
 ORDER BY path, start_line, start_col
 LIMIT 1
"""


@dataclass
class CallRecord:
    """One tool call as the client saw it."""

    step: int
    label: str
    tool: str
    arguments: dict[str, Any]
    seconds: float
    chars: int  # characters of the tool result's text (the JSON envelope)
    ok: bool
    results: int
    truncated: bool | None
    total: int | None
    total_exact: bool | None
    has_next: bool
    cut: bool  # a lone result was shortened to fit max_chars
    peak_mb: float  # VmHWM of the server process after the call
    rss_mb: float  # VmRSS of the server process after the call
    error: str | None = None


@dataclass
class Session:
    """The calls of one session and what it found on the way."""

    calls: list[CallRecord] = field(default_factory=list)
    server_pid: int | None = None
    initialize_seconds: float = 0.0
    found: dict[str, Any] = field(default_factory=dict)
    model_loaded: bool | None = None  # the embedding runtime mapped in the server at the end
    load_average: tuple[float, float] = (0.0, 0.0)  # 1-minute load before and after


# ---- the server process


def _children_running(marker: str) -> list[int]:
    """Pids of this process's children whose command line contains ``marker``."""
    mine = str(os.getpid())
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        ppid = next((ln.split()[1] for ln in status.splitlines() if ln.startswith("PPid:")), "")
        if ppid == mine and marker in cmdline:
            found.append(int(entry.name))
    return found


def memory_mb(pid: int) -> tuple[float, float]:
    """(peak, current) resident memory of ``pid`` in MB, from /proc/<pid>/status."""
    values = {"VmHWM": 0.0, "VmRSS": 0.0}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in values:
            values[key] = int(rest.split()[0]) / 1024  # kB
    return values["VmHWM"], values["VmRSS"]


def server_params(repo: str, store: str | None) -> StdioServerParameters:
    """`symbiote mcp` for ``repo``, as an agent client starts it."""
    args = ["-m", "symbiote.cli.main", "mcp", "--repo", repo]
    if store:
        args += ["--store", store]
    return StdioServerParameters(
        command=sys.executable, args=args, env=dict(os.environ), cwd=str(ROOT)
    )


# ---- the session


class Agent:
    """Calls tools and records each call."""

    def __init__(self, client: ClientSession, session: Session) -> None:
        self.client = client
        self.session = session

    async def call(self, label: str, tool: str, arguments: dict[str, Any]) -> dict[str, Any]:
        started = time.perf_counter()
        result = await self.client.call_tool(tool, arguments)
        seconds = time.perf_counter() - started
        block = result.content[0]
        assert isinstance(block, TextContent)
        payload: dict[str, Any] = json.loads(block.text)
        pid = self.session.server_pid
        peak, rss = memory_mb(pid) if pid else (0.0, 0.0)
        ok = bool(payload.get("ok"))
        self.session.calls.append(
            CallRecord(
                step=len(self.session.calls) + 1,
                label=label,
                tool=tool,
                arguments={k: _short(v) for k, v in arguments.items()},
                seconds=seconds,
                chars=len(block.text),
                ok=ok,
                results=len(payload.get("results") or []),
                truncated=payload.get("truncated"),
                total=payload.get("total"),
                total_exact=payload.get("total_exact"),
                has_next=payload.get("next") is not None,
                cut="cut" in payload,
                peak_mb=peak,
                rss_mb=rss,
                error=None if ok else json.dumps(payload.get("error")),
            )
        )
        return payload

    async def next_page(
        self, label: str, tool: str, arguments: dict[str, Any], prev: dict[str, Any]
    ) -> dict[str, Any]:
        """The page after ``prev`` (the same arguments plus its cursor), when it has one."""
        if not prev.get("next"):
            return await self.call(label + " (no next page: asked again)", tool, arguments)
        return await self.call(label, tool, {**arguments, "cursor": prev["next"]})


def _short(value: Any) -> Any:
    text = value if isinstance(value, str) else None
    if text is not None and len(text) > 60:
        return " ".join(text.split())[:57] + "..."
    return value


def _first(payload: dict[str, Any], what: str) -> dict[str, Any]:
    rows = payload.get("results") or []
    if not payload.get("ok") or not rows:
        raise SystemExit(f"the session could not find {what}: {json.dumps(payload)[:400]}")
    row: dict[str, Any] = rows[0]
    return row


async def run_session(args: argparse.Namespace) -> Session:
    """The 20 calls."""
    session = Session()
    params = server_params(args.repo, args.store)
    with open(os.devnull, "w") as errlog:
        async with stdio_client(params, errlog=errlog) as (read, write):
            async with ClientSession(read, write) as client:
                started = time.perf_counter()
                await client.initialize()
                session.initialize_seconds = time.perf_counter() - started
                pids = _children_running("symbiote.cli.main mcp")
                session.server_pid = pids[0] if len(pids) == 1 else None
                before = os.getloadavg()[0]
                await _calls(Agent(client, session), session, args)
                session.load_average = (before, os.getloadavg()[0])
                if session.server_pid:
                    maps = Path(f"/proc/{session.server_pid}/maps").read_text()
                    session.model_loaded = "onnxruntime" in maps
    return session


async def _calls(agent: Agent, session: Session, args: argparse.Namespace) -> None:
    found = session.found
    top = _first(
        await agent.call("most-referenced definition", "sql", {"query": MOST_REFERENCED}),
        "a definition",
    )
    symbol, name, home = str(top["symbol"]), str(top["name"]), str(top["path"])
    found.update(symbol=symbol, uses_by_name=top["uses"])
    if args.base and args.head:
        base, head = args.base, args.head
        await agent.call("status", "status", {})
    else:
        rows = (await agent.call("two newest releases", "sql", {"query": RELEASES}))["results"]
        if len(rows) < 2:
            raise SystemExit("fewer than two tags are indexed: pass --base and --head")
        head, base = str(rows[0]["tag"]), str(rows[1]["tag"])
        found["commits_in_store"] = rows[0]["commits_in_store"]
    found.update(base=base, head=head)

    find_args = {"query": name[:4]}
    page = await agent.call("find (prefix)", "find", find_args)
    await agent.next_page("find, next page", "find", find_args, page)

    refs_args = {"symbol": symbol}
    page = await agent.call("refs", "refs", refs_args)
    found["refs_total"] = page.get("total")
    await agent.next_page("refs, next page", "refs", refs_args, page)

    callers_args = {"symbol": symbol, "depth": 5}
    page = await agent.call("callers depth 5", "callers", callers_args)
    found["callers_total"] = page.get("total")
    await agent.next_page("callers, next page", "callers", callers_args, page)

    diff_args = {"base": base, "head": head}
    page = await agent.call("diff of two releases", "diff", diff_args)
    found["diff_total"] = page.get("total")
    await agent.next_page("diff, next page", "diff", diff_args, page)

    sql_args = {"query": "SELECT * FROM symbols_at('HEAD')"}
    page = await agent.call("sql without LIMIT", "sql", sql_args)
    await agent.next_page("sql, next page", "sql", sql_args, page)

    page = await agent.call(
        f"search ({args.search_mode})", "search", {"query": args.search, "mode": args.search_mode}
    )
    coverage = page.get("coverage") or {}
    found["search_vectors"] = coverage.get("embedded")  # keys with vectors at the commit

    outline_args = {"path": home}
    page = await agent.call("outline", "outline", outline_args)
    await agent.next_page("outline, next page", "outline", outline_args, page)

    use = await agent.call("a use of it", "sql", {"query": A_USE, "params": [name, home]})
    rows = use.get("results") or []
    if rows:
        where = rows[0]
        goto = {"path": where["path"], "line": where["start_line"], "col": where["start_col"]}
    else:  # the definition's own name
        goto = {"path": home, "line": 1, "col": 0}
    await agent.call("goto", "goto", goto)

    history_args = {"symbol": symbol}
    page = await agent.call("history", "history", history_args)
    await agent.next_page("history, next page", "history", history_args, page)
    await agent.call("callees depth 2", "callees", {"symbol": symbol, "depth": 2})


# ---- the CLI


def cli_startup(args: argparse.Namespace, name: str) -> dict[str, Any]:
    """Median wall time of whole-process runs, rounds interleaved so load drifts hit
    every command alike."""
    python = sys.executable
    find = [python, "-m", "symbiote.cli.main", "find", name, "--repo", args.repo, "--json"]
    if args.store:
        find += ["--store", args.store]
    commands: dict[str, tuple[list[str], dict[str, str]]] = {
        "python -c pass": ([python, "-c", "pass"], {}),
        "python -c 'import symbiote'": ([python, "-c", "import symbiote"], {}),
        "symbiote find (opens the store)": (find, {"SYMBIOTE_NO_SERVER": "1"}),
    }
    times: dict[str, list[float]] = {label: [] for label in commands}
    times["symbiote find (answered by serve)"] = []
    load_before = os.getloadavg()
    for _ in range(args.runs):
        for label, (command, env) in commands.items():
            times[label].append(_timed_run(command, env))
    with _serving(args):
        for _ in range(args.runs):
            times["symbiote find (answered by serve)"].append(_timed_run(find, {}))
    medians = {label: statistics.median(samples) for label, samples in times.items()}
    return {
        "runs": args.runs,
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "median_seconds": medians,
        "samples": times,
    }


def _timed_run(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, env={**os.environ, **env})
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(
            f"{' '.join(command)} failed: {done.stdout[-400:]!r} {done.stderr[-400:]!r}"
        )
    return seconds


class _serving:
    """`symbiote serve` for the repository while the block runs."""

    def __init__(self, args: argparse.Namespace) -> None:
        command = [sys.executable, "-m", "symbiote.cli.main", "serve", args.repo]
        if args.store:
            command += ["--store", args.store]
        self.command = command
        self.repo, self.store = args.repo, args.store
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> None:
        self.process = subprocess.Popen(
            self.command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 60
        while ask("status", {}, self.repo, self.store, CLI) is None:  # opening the store
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                _, err = self.process.communicate()
                raise SystemExit(f"symbiote serve did not start: {err.decode()[-400:]}")
            time.sleep(0.1)

    def __exit__(self, *exc: object) -> None:
        assert self.process is not None
        self.process.terminate()
        self.process.wait(timeout=30)


# ---- report


def report(session: Session, cli: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    """Print the table and the verdicts; the JSON written."""
    columns = ("#", "call", "tool", "s", "chars", "n", "trunc", "total", "next", "peak MB", "")
    print(ROW.format(*columns))
    for c in session.calls:
        total = "" if c.total is None else f"{c.total}{'' if c.total_exact else '+'}"
        missed = ("" if c.ok else " ERROR " + (c.error or "")) + (
            " OVER" if c.chars > BUDGET or c.seconds >= CALL_TARGET_S else ""
        )
        cells = (c.step, c.label[:34], c.tool, f"{c.seconds:.2f}", c.chars, c.results)
        more = (str(c.truncated), total, "yes" if c.has_next else "", f"{c.peak_mb:.1f}", missed)
        print(ROW.format(*cells, *more))
    peak = max((c.peak_mb for c in session.calls), default=0.0)
    slowest = max(session.calls, key=lambda c: c.seconds)
    largest = max(session.calls, key=lambda c: c.chars)
    medians: dict[str, float] = cli["median_seconds"]
    find_median = medians["symbiote find (opens the store)"]
    base = medians["python -c pass"]
    verdicts = {
        "all_ok": all(c.ok for c in session.calls),
        "all_within_budget": all(c.chars <= BUDGET for c in session.calls),
        "all_under_2s": all(c.seconds < CALL_TARGET_S for c in session.calls),
        "peak_under_500mb": 0 < peak < MEMORY_TARGET_MB,
        "cli_find_under_0_5s": find_median <= CLI_TARGET_S,
    }
    print(f"\nserver pid {session.server_pid}; initialize {session.initialize_seconds:.2f} s")
    print(f"found: {json.dumps(session.found)}")
    print(f"largest result {largest.chars} chars ({largest.label}); budget {BUDGET}")
    print(f"slowest call {slowest.seconds:.2f} s ({slowest.label}); target < {CALL_TARGET_S} s")
    print(f"server peak memory (VmHWM) {peak:.1f} MB; target < {MEMORY_TARGET_MB:.0f} MB")
    print(
        f"embedding model loaded in the server: {session.model_loaded} (an owner loads it "
        "ahead only for a store with vectors); load average during the session "
        f"{session.load_average[0]:.2f} -> {session.load_average[1]:.2f}"
    )
    load = cli["load_average_before"][0]
    print(f"\nCLI start-up, median of {cli['runs']} whole-process runs (load {load:.2f}):")
    for label, seconds in medians.items():
        print(f"  {label:<36} {seconds:6.3f} s   {seconds / base:5.1f}x python -c pass")
    print(f"  find minus python start-up: {find_median - base:.3f} s")
    print("\n" + "  ".join(f"{k}={'PASS' if v else 'FAIL'}" for k, v in verdicts.items()))
    return {
        "repo": args.repo,
        "store": args.store,
        "host": {
            "python": sys.version.split()[0],
            "machine": platform.machine(),
            "cpus": os.cpu_count(),
        },
        "budget_chars": BUDGET,
        "search_mode": args.search_mode,
        "server_pid": session.server_pid,
        "initialize_seconds": session.initialize_seconds,
        "model_loaded": session.model_loaded,
        "load_average": session.load_average,
        "found": session.found,
        "calls": [asdict(c) for c in session.calls],
        "peak_mb": peak,
        "cli": cli,
        "verdicts": verdicts,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("repo")
    ap.add_argument("--store", default=None, help="the store file (default: the repository's)")
    ap.add_argument("--base", default=None, help="older release for diff (default: 2nd newest tag)")
    ap.add_argument("--head", default=None, help="newer release for diff (default: newest tag)")
    ap.add_argument("--search", default="open a database connection from a URL")
    ap.add_argument(
        "--search-mode",
        default="hybrid",  # the tool's default: what an agent gets
        choices=("text", "vector", "hybrid"),
        help="hybrid (default) ranks by meaning too when the store has vectors, which loads "
        "the model; by words alone otherwise",
    )
    ap.add_argument("--runs", type=int, default=7, help="whole-process CLI runs per command")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    args.repo = str(Path(args.repo).resolve())
    session = anyio.run(run_session, args)
    cli = cli_startup(args, str(session.found["symbol"]).rpartition(".")[2].rpartition(":")[2])
    payload = report(session, cli, args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(payload, indent=2, default=str) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
