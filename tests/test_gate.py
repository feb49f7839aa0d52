"""An owner's queries run side by side; one that runs out of DuckDB's memory because of
the others is asked again alone, and one that does not fit even alone is OutOfMemory."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from duckdb.func import PythonUDFType

from symbiote.indexer.errors import OutOfMemory
from symbiote.indexer.store import open_shared
from symbiote.queries.gate import GATE, Gate, retried
from symbiote.queries.reader import Reader, share, unshare

# Each fits in the instance's 32 MB alone, not while the other holds its memory: a list
# aggregate's state, which DuckDB cannot spill to disk.
HOLDING = "SELECT length(list(md5(range::VARCHAR) || hold(range)::VARCHAR)) AS n FROM range(120000)"
ASKED = "SELECT length(list(md5(range::VARCHAR))) AS n FROM range(200000)"
TOO_LARGE = "SELECT length(list(md5(range::VARCHAR))) AS n FROM range(2000000)"


HANG = 600.0  # seconds: only a bound on a hang, never a measure of speed


def test_a_query_out_of_memory_beside_another_is_asked_again_alone(tmp_path: Path) -> None:
    path = tmp_path / "owned.duckdb"
    con = open_shared(path, "32MB")
    con.execute("SET threads = 1")
    share(path)
    reader = Reader(path)
    inside, go = threading.Event(), threading.Event()

    def hold(x: pa.Array) -> pa.Array:  # the first query stops at its last rows, holding
        if pc.max(x).as_py() == 119_999:  # its memory
            inside.set()
            go.wait(HANG)
        return x

    reader.con.create_function("hold", hold, ["BIGINT"], "BIGINT", type=PythonUDFType.ARROW)
    answers: dict[str, Any] = {}

    def ask(name: str, sql: str, apart: bool) -> None:
        try:
            answers[name] = reader.table(sql, apart=apart).to_pylist()
        except Exception as exc:  # noqa: BLE001 - the assertion below shows it
            answers[name] = exc

    first = threading.Thread(target=ask, args=("first", HOLDING, True))
    second = threading.Thread(target=ask, args=("second", ASKED, False))
    try:
        first.start()
        assert inside.wait(HANG)
        second.start()
        # The second runs out of memory and waits for the first to end (without the
        # gate it ends at once, with the error).
        while second.is_alive() and not GATE.until_waiting(1, 0.1):
            pass
        assert "second" not in answers, answers
        go.set()
        first.join(HANG)
        second.join(HANG)
        assert answers == {
            "first": [{"n": 120_000}],
            "second": [{"n": 200_000}],
        }
        # Alone it still does not fit: the caller is told.
        with pytest.raises(OutOfMemory):
            reader.rows(TOO_LARGE)
        assert reader.rows("SELECT 42") == [(42,)]
    finally:
        go.set()
        reader.close()
        unshare(path)
        con.close()


def test_a_lone_query_waits_for_the_others_and_new_ones_wait_for_it() -> None:
    gate = Gate()
    order: list[str] = []
    started, release = threading.Event(), threading.Event()

    def long_shared() -> None:
        with gate.shared():
            started.set()
            release.wait(HANG)
            order.append("shared ends")

    def failing_then_alone() -> str:
        calls = []

        def work() -> str:
            calls.append(gate.held_here())
            if len(calls) == 1:
                raise OutOfMemory("index query failed: out of memory")
            order.append("alone runs")
            return "answer"

        found = retried(work, gate)
        assert calls == [True, True]
        return found

    def later_shared() -> None:
        assert gate.until_waiting(1, HANG), "the lone query never waited"
        with gate.shared():
            order.append("later shared runs")

    threads = [threading.Thread(target=long_shared)]
    threads[0].start()
    assert started.wait(HANG)
    results: list[str] = []
    threads.append(threading.Thread(target=lambda: results.append(failing_then_alone())))
    threads.append(threading.Thread(target=later_shared))
    for thread in threads[1:]:
        thread.start()
    assert gate.until_waiting(1, HANG), "the lone query never waited"
    assert order == []  # the long query holds both back
    release.set()
    for thread in threads:
        thread.join(HANG)
    assert order == ["shared ends", "alone runs", "later shared runs"]
    assert results == ["answer"]
    # Nested inside a block, a query runs as it is (the outer call is the one retried).
    with gate.shared():
        assert retried(lambda: "nested", gate) == "nested"


def test_a_query_out_of_memory_alone_is_asked_a_last_time_on_one_thread() -> None:
    gate = Gate()
    threads: list[int] = [2]  # the instance's threads, as one_thread sets them
    seen: list[int] = []

    @contextmanager
    def one_thread() -> Iterator[bool]:
        before, threads[0] = threads[0], 1
        try:
            yield True
        finally:
            threads[0] = before

    def work() -> str:
        seen.append(threads[0])
        if threads[0] > 1:
            raise OutOfMemory("index query failed: out of memory")
        return "answer"

    assert retried(work, gate, one_thread) == "answer"
    assert seen == [2, 2, 1] and threads == [2]  # beside others, alone, on one thread
    # Without a way to narrow it, the lone failure is the caller's answer.
    seen.clear()
    with pytest.raises(OutOfMemory):
        retried(work, gate)
    assert seen == [2, 2]

    @contextmanager
    def cannot() -> Iterator[bool]:
        yield False

    seen.clear()
    with pytest.raises(OutOfMemory):
        retried(work, gate, cannot)
    assert seen == [2, 2]


def test_an_owners_reader_runs_a_block_on_one_thread_and_a_sandboxed_one_cannot(
    tmp_path: Path,
) -> None:
    path = tmp_path / "owned.duckdb"
    con = open_shared(path, "32MB")
    con.execute("SET threads = 2")
    share(path)
    reader = Reader(path)
    setting = "SELECT current_setting('threads')"
    try:
        with reader._one_thread() as narrowed:
            assert narrowed and reader.rows(setting) == [(1,)]
        assert reader.rows(setting) == [(2,)]
        # Alone it still does not fit, even on one thread: the caller is told, and the
        # instance runs its two threads again.
        with pytest.raises(OutOfMemory):
            reader.rows(TOO_LARGE)
        assert reader.rows(setting) == [(2,)]
    finally:
        reader.close()
        unshare(path)
        con.close()
    sandboxed = Reader(path)  # read-only, its configuration locked
    try:
        threads = sandboxed.rows(setting)
        with sandboxed._one_thread() as narrowed:
            assert not narrowed
        assert sandboxed.rows(setting) == threads
    finally:
        sandboxed.close()
