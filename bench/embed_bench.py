"""Embedding cost: throughput of the default model and the incremental cost of a commit.

1. Throughput: the default model embeds a sample of the repository's real definitions
   (full embedded texts, read from git), in the job's batch size; definitions/s.
2. Incremental cost: for the last N first-parent commits, how many definitions have a
   content key that no earlier commit of the window had, i.e. what embedding that commit
   costs (content keys make everything else free). Divided by the throughput: seconds.
3. With ``--run``, real incremental runs of ``embed_repository`` on a copy of the store,
   one commit after another from REV~N to REV, so the figure includes start-up.

Usage::

    python -m bench.index_bench ~/src/sqlalchemy --keep /tmp/sa.duckdb
    python -m bench.embed_bench --repo ~/src/sqlalchemy --store /tmp/sa.duckdb [--commits 200]
    python -m bench.embed_bench --repo . --store /tmp/self.duckdb --commits 5 --run
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from symbiote.indexer import EmbedOptions, embed_repository, store_rows
from symbiote.indexer.embed_onnx import MiniLM
from symbiote.indexer.gitrepo import GitRepository
from symbiote.indexer.searchtext import content_key, embedding_text
from symbiote.indexer.store import Store

SAMPLE = 300


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", required=True)
    parser.add_argument("--store", required=True)
    parser.add_argument("--commits", type=int, default=200, help="window of recent commits")
    parser.add_argument("--run", action="store_true", help="also run real incremental embeds")
    args = parser.parse_args()

    with GitRepository(args.repo) as repo:
        with Store(Path(args.store)) as store:
            repo_id = store_rows.find_repository(store, str(repo.root))
            if repo_id is None:
                raise SystemExit(f"{repo.root} is not indexed in {args.store}")
            shas = [repo.resolve(f"HEAD~{n}") for n in range(args.commits, -1, -1)]
            per_commit = [
                store_rows.definitions_at(store, repo_id, sha).to_pylist() for sha in shas
            ]
        seen: set[str] = set()
        new_counts = []
        for i, rows in enumerate(per_commit):
            keys = {
                content_key(r["qualified_name"], r["kind"], r["body_hash"], r["docstring"])
                for r in rows
            }
            if i:
                new_counts.append(len(keys - seen))
            seen |= keys
        head_rows = per_commit[-1]
        sample = random.Random(1).sample(head_rows, min(SAMPLE, len(head_rows)))
        texts = []
        for r in sample:
            body = repo.read_blob(r["blob"])[r["start_byte"] : r["end_byte"]]
            texts.append(
                embedding_text(
                    r["path"], r["qualified_name"], r["docstring"], body.decode("utf-8", "replace")
                )
            )
    model = MiniLM()
    texts.sort(key=len)
    started = time.perf_counter()
    for s in range(0, len(texts), EmbedOptions().batch_size):
        model.embed(texts[s : s + EmbedOptions().batch_size])
    rate = len(texts) / (time.perf_counter() - started)
    print(f"definitions at HEAD: {len(head_rows)}")
    print(f"throughput: {rate:.1f} definitions/s (sample of {len(texts)} real definitions)")
    ordered = sorted(new_counts)
    p50 = statistics.median(ordered)
    p90 = ordered[int(len(ordered) * 0.9)]
    print(
        f"new content keys per commit over the last {len(new_counts)} commits: "
        f"p50 {p50:.0f}, p90 {p90}, max {ordered[-1]}, total {sum(ordered)}"
    )
    print(
        f"incremental embedding cost per commit: p50 {p50 / rate:.1f} s, "
        f"p90 {p90 / rate:.1f} s (plus ~1 s start-up)"
    )
    if args.run:
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "index.duckdb"
            shutil.copy(args.store, copy)
            for n in range(args.commits, -1, -1):
                summary = embed_repository(
                    args.repo, copy, EmbedOptions(revisions=(shas[args.commits - n],))
                )
                print(
                    f"  embed HEAD~{n}: {summary.vectors_written} new of "
                    f"{summary.definitions} definitions in {summary.seconds:.1f} s"
                )


if __name__ == "__main__":
    main()
