"""Embedding cost: throughput of the default model and the incremental cost of a commit.

1. Throughput: the default model embeds a sample of the repository's real definitions
   (full embedded texts, read from git), in the job's batch size; definitions/s.
2. Incremental cost: for the last N first-parent commits, how many definitions have a
   content key that no earlier commit of the window had, i.e. what embedding that commit
   costs (content keys make everything else free). Divided by the throughput: seconds.
3. With ``--run``, real incremental runs of ``embed_repository`` on a copy of the store,
   one commit after another from REV~N to REV, so the figure includes start-up.
4. With ``--head``, the issue's target, all in one run: the default model alone on the
   exact texts of every distinct definition at HEAD at its full 256 tokens (what
   embedding everything costs: the baseline), the model alone on what the job's vector
   rule embeds at the job's token count, then the real job from an empty sidecar until
   HEAD is searchable (coverage complete: every definition embedded or text-only by
   rule), and with ``--before`` the job as it was (every definition, 256 tokens). Each
   is printed in texts/s and as a ratio to the baseline, with the load average.

Usage::

    python -m bench.index_bench ~/src/sqlalchemy --keep /tmp/sa.duckdb
    python -m bench.embed_bench --repo ~/src/sqlalchemy --store /tmp/sa.duckdb [--commits 200]
    python -m bench.embed_bench --repo . --store /tmp/self.duckdb --commits 5 --run
    python -m bench.embed_bench --repo ~/src/sqlalchemy --store /tmp/sa.duckdb --head --before
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from symbiote.indexer import EmbedOptions, embed_repository, store_rows
from symbiote.indexer.embed_job import _distinct, _embed, _texts
from symbiote.indexer.embed_onnx import DOCUMENT_TOKENS, MAX_TOKENS, MiniLM
from symbiote.indexer.gitrepo import GitRepository
from symbiote.indexer.searchtext import VECTOR_RULES, content_key, embedding_text
from symbiote.indexer.store import Store
from symbiote.queries import open_index

SAMPLE = 300


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", required=True)
    parser.add_argument("--store", required=True)
    parser.add_argument("--commits", type=int, default=200, help="window of recent commits")
    parser.add_argument("--run", action="store_true", help="also run real incremental embeds")
    parser.add_argument("--head", action="store_true", help="time making HEAD searchable")
    parser.add_argument("--before", action="store_true", help="with --head: also the old job")
    args = parser.parse_args()
    if args.head:
        head_searchable(Path(args.repo), Path(args.store), before=args.before)
        return

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


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.1f} {five:.1f} {fifteen:.1f}"


def head_searchable(repo_path: Path, store_path: Path, *, before: bool) -> None:
    """The issue's target: HEAD made searchable vs. the model alone on everything."""
    rule = EmbedOptions().vector_rule
    with GitRepository(repo_path) as repo, Store(store_path) as store:
        repo_id = store_rows.find_repository(store, str(repo.root))
        if repo_id is None:
            raise SystemExit(f"{repo.root} is not indexed in {store_path}")
        head = repo.resolve("HEAD")
        items = list(_distinct(store, repo_id, [head], rule))
        texts = _texts(repo, items)
    wanted = [t for i, t in zip(items, texts, strict=True) if i.vector]
    print(
        f"HEAD {head[:12]}: {len(items)} distinct definitions; rule {rule.name!r} embeds "
        f"{len(wanted)} at {DOCUMENT_TOKENS} tokens, {len(items) - len(wanted)} text-only"
    )

    def model_alone(label: str, batch: list[str], tokens: int) -> tuple[float, float]:
        model = MiniLM(max_tokens=tokens)
        t0, c0 = time.perf_counter(), time.process_time()
        _embed(model, batch, EmbedOptions().batch_size)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        print(
            f"model alone, {label}: {len(batch)} texts at {tokens} tokens in {seconds:.1f} s "
            f"({len(batch) / seconds:.1f} texts/s; CPU {cpu:.1f} s; {_load()})",
            flush=True,
        )
        return seconds, cpu

    def job(label: str, options: EmbedOptions, model: MiniLM | None) -> tuple[float, float]:
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "index.duckdb"
            shutil.copy(store_path, copy)
            t0, c0 = time.perf_counter(), time.process_time()
            summary = embed_repository(repo_path, copy, options, embedder=model)
            seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
            with open_index(repo_path, store=copy) as index:
                cover = index.search_coverage()
        print(
            f"job, {label}: {summary.vectors_written} vectors, {summary.docs_written} docs in "
            f"{seconds:.1f} s ({summary.vectors_written / seconds:.1f} texts/s; model "
            f"{summary.model_seconds:.1f} s = {summary.vectors_written / summary.model_seconds:.1f}"
            f" texts/s, overhead {seconds - summary.model_seconds:.1f} s; CPU {cpu:.1f} s; "
            f"{_load()}); "
            f"HEAD complete: {cover.complete} ({cover.definitions_embedded} embedded, "
            f"{cover.definitions_text_only} text-only of {cover.definitions} definitions)",
            flush=True,
        )
        return seconds, cpu

    def ratio(label: str, what: tuple[float, float], target: str = "") -> None:
        print(
            f"ratio to the baseline: {label} {what[0] / base[0]:.2f} wall, "
            f"{what[1] / base[1]:.2f} CPU{target}"
        )

    base = model_alone("every definition (baseline)", texts, MAX_TOKENS)
    rule_model = model_alone(f"rule {rule.name!r}", wanted, DOCUMENT_TOKENS)
    searchable = job("HEAD made searchable (defaults)", EmbedOptions(revisions=("HEAD",)), None)
    ratio("model alone on the rule's texts", rule_model)
    ratio("HEAD made searchable", searchable, " (target <= 0.5)")
    if before:
        old = EmbedOptions(revisions=("HEAD",), vector_rule=VECTOR_RULES["all"])
        was = job("as before (every definition, 256 tokens)", old, MiniLM(max_tokens=MAX_TOKENS))
        ratio("the job as before", was)


if __name__ == "__main__":
    main()
