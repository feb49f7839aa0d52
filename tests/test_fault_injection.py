"""Fault injection, the short version CI runs: ``symbiote index`` (index, embedding and
compaction, as the quick start runs it) is SIGKILLed at 4 points of a small
multi-language history, chosen by watching its progress (store created, store closed,
LanceDB writes) with a fixed seed; after each kill the next run completes, the store
equals an uninterrupted run's (every DuckDB table, every LanceDB table) and ``symbiote
verify`` passes; the kills hit at least two phases. ``python -m harness.fault_inject`` is
the full version (50 kills, random waits, compaction too: the small history has one fragment
per LanceDB table, so nothing to compact).
"""

from __future__ import annotations

from pathlib import Path

from harness import fault_inject

SMALL = fault_inject.RepoShape(commits=6, files=1, definitions=4, touched=2)
# Aimed (seed 3) at: between, embedding, parsing, parsing. Each kill costs a killed run
# and a completing one (~11 s of CPU each, most of it imports): 4 keep CI under ~40 s.
KILLS = 4


def test_every_kill_is_survived_and_the_kills_span_phases(tmp_path: Path) -> None:
    report = fault_inject.run(
        KILLS, seed=3, workdir=tmp_path, shape=SMALL, jitter=False, parallel=2
    )
    assert report.tried == KILLS, report.text()
    assert report.survived == report.tried, report.text()
    phases = {kill.phase for kill in report.kills if kill.killed}
    assert len(phases) >= 2, report.text()


def test_a_store_whose_creation_was_killed_is_created_anew(tmp_path: Path) -> None:
    from symbiote.indexer.schema import SCHEMA_VERSION
    from symbiote.indexer.store import Store

    path = tmp_path / "index.duckdb"
    path.touch()  # what a kill leaves between DuckDB creating the file and its header
    with Store(path) as store:
        assert store.get_meta("schema_version") == str(SCHEMA_VERSION)
