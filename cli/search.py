"""The search verbs of the CLI: ``search`` (by meaning and words), ``embed`` (fill the
search sidecar) and ``verify`` (check the store and the sidecar agree)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from symbiote.indexer.errors import StoreError
from symbiote.queries import SearchHit, open_index
from symbiote.queries.models import MODES, SearchOptions

if TYPE_CHECKING:
    from symbiote.cli.progress import Update
    from symbiote.indexer.embed_job import EmbedProgress, EmbedSummary

Result = tuple[str | None, list[Any], str, dict[str, Any]]


def search(args: argparse.Namespace) -> Result:
    options = SearchOptions(
        mode=args.mode,
        k=args.k if args.k is not None or args.max_distance is not None else 10,
        kinds=tuple(args.kind or ()),
        path=args.path,
        languages=tuple(args.lang or ()),
        max_distance=args.max_distance,
    )
    with open_index(args.repo, store=args.store, embedder=args.embedder) as index:
        sha = index.resolve(args.at).sha
        hits = index.search(args.text, at=sha, options=options)
        cover = index.search_coverage(at=sha)
    text = "\n".join(_hit_text(h) for h in hits) or "(no match)"
    text += (
        f"\n-- {cover.embedded}/{cover.keys} definitions embedded, "
        f"{cover.documents}/{cover.keys} text-indexed at {sha[:12]}"
    )
    return sha, [h.to_dict() for h in hits], text, {"coverage": cover.to_dict()}


def _hit_text(h: SearchHit) -> str:
    head = f"{h.score:8.4f}  {h.path}:{h.start_line}-{h.end_line}\t{h.kind:<9} {h.qualified_name}"
    body = "\n".join("    " + line for line in h.snippet.splitlines()[:3])
    return f"{head}\n{body}" if body else head


def embed(args: argparse.Namespace) -> Result:
    summary = run_embedding(
        args, revisions=tuple(args.ref or ()), embedder=args.embedder, text_only=args.text_only
    )
    return (
        summary.commits[0] if summary.commits else None,
        [summary.to_dict()],
        summary_text(summary),
        {},
    )


def run_embedding(
    args: argparse.Namespace,
    *,
    revisions: tuple[str, ...] = (),
    embedder: str | None = None,
    text_only: bool = False,
) -> EmbedSummary:
    """Run the embedding job with a progress bar on a terminal."""
    from symbiote.cli.progress import with_bar
    from symbiote.indexer.embed_job import EmbedOptions, embed_repository

    options = EmbedOptions(revisions=revisions, embedder=embedder, text_only=text_only)

    def call(update: Update | None) -> EmbedSummary:
        def report(p: EmbedProgress) -> None:
            assert update is not None
            update(completed=p.done, total=p.total)

        return embed_repository(args.repo, args.store, options, report if update else None)

    return with_bar(call, "embedding", "definitions", enabled=not args.json)


def summary_text(s: EmbedSummary) -> str:
    """A human summary of an embedding run."""
    return (
        f"embedded into {s.sidecar}\n"
        f"  model      {s.model_id or '(text only)'}\n"
        f"  commits    {len(s.commits)}; {s.definitions} definitions, {s.keys} distinct\n"
        f"  written    {s.docs_written} text docs, {s.vectors_written} vectors\n"
        f"  time       {s.seconds:.2f} s"
    )


def verify(args: argparse.Namespace) -> Result:
    from symbiote.indexer.verify import verify_store

    report = verify_store(args.repo, args.store, repair=args.repair, embedder=args.embedder)
    lines = [f"{'ok ' if c.ok else 'FAIL'} {c.name}: {c.detail}" for c in report.checks]
    lines += [f"repaired: {r}" for r in report.repaired]
    results = [c.to_dict() for c in report.checks]
    extra = {"consistent": report.ok, "repaired": report.repaired}
    if not report.ok:
        raise StoreError("the store is inconsistent:\n" + "\n".join(lines))
    return None, results, "\n".join(lines), extra


def add_parsers(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    """Register search, embed and verify."""

    def embedder(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--embedder",
            default=None,
            metavar="SPEC",
            help="minilm (default), sentence-transformers:NAME or openai:MODEL@URL "
            "(default: $SYMBIOTE_EMBEDDER)",
        )

    p = sub.add_parser(
        "search",
        help="find definitions by meaning and by words",
        description="Hybrid search (BM25 over code-aware words fused with embedding "
        "similarity) over the definitions at one commit.",
        epilog='example: symbiote search "retry a failed request" --at v1.2 -k 5 --json',
    )
    p.add_argument("text", help="what the code does, in words")
    p.add_argument("--repo", default=".", help="repository path (default: .)")
    p.add_argument("--at", default="HEAD", metavar="REV", help="ref, sha or REV~N (default HEAD)")
    p.add_argument("-k", type=int, default=None, help="results (default 10; all with range)")
    p.add_argument("--kind", action="append", help="only this kind (repeatable)")
    p.add_argument("--path", default=None, metavar="GLOB", help="only paths matching this")
    p.add_argument("--lang", action="append", help="only this language (repeatable)")
    p.add_argument("--mode", choices=MODES, default="hybrid", help="ranking (default hybrid)")
    p.add_argument(
        "--max-distance",
        type=float,
        default=None,
        metavar="D",
        help="range search: every definition within cosine distance D",
    )
    embedder(p)
    common(p)
    p.set_defaults(handler=search)

    p = sub.add_parser(
        "embed",
        help="fill the search sidecar (text index and vectors) for chosen commits",
        description="Embed the definitions at HEAD and the branch tips (or the --ref "
        "commits). Each distinct definition is embedded once; re-runs do only what is new.",
        epilog="example: symbiote embed . --ref v1.2 --ref main",
    )
    p.add_argument("repo", nargs="?", default=".", help="repository path (default: .)")
    p.add_argument("--ref", action="append", metavar="REV", help="embed this commit (repeatable)")
    p.add_argument("--text-only", action="store_true", help="text index only, no vectors")
    embedder(p)
    common(p)
    p.set_defaults(handler=embed)

    p = sub.add_parser(
        "verify",
        help="check that the store and the search sidecar are consistent",
        epilog="example: symbiote verify --repair",
    )
    p.add_argument("--repo", default=".", help="repository path (default: .)")
    p.add_argument("--repair", action="store_true", help="fix what can be rebuilt")
    embedder(p)
    common(p)
    p.set_defaults(handler=verify)
