"""The search verbs: ``search`` (by meaning and words), ``embed`` (fill the search
sidecar) and ``verify`` (the store and the search sidecar agree)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from symbiote.cli.revs import at_commit
from symbiote.cli.verbs import CURSOR, LIMIT, MAX_CHARS, Call, Outcome, Param, Verb, at
from symbiote.indexer.errors import StoreError
from symbiote.queries import SearchHit, SearchOptions
from symbiote.queries.options import MODES

if TYPE_CHECKING:
    from symbiote.indexer.embed_job import EmbedSummary

EMBEDDER = Param(
    name="embedder",
    type="string",
    help="minilm (default), sentence-transformers:NAME or openai:MODEL@URL (default: "
    "$SYMBIOTE_EMBEDDER)",
    default=None,
    metavar="SPEC",
    surfaces=frozenset({"cli"}),
)


def _search(call: Call) -> Outcome:
    a = call.args
    index = call.index()
    if a["embedder"] is not None:
        index.embedder = a["embedder"]
    sha = at_commit(call)
    wanted = call.offset + a["limit"] + 1
    options = SearchOptions(
        mode=a["mode"],
        k=None if a["max_distance"] is not None else wanted,
        kinds=tuple(a["kind"] or ()),
        path=a["path"],
        languages=tuple(a["language"] or ()),
        max_distance=a["max_distance"],
    )
    hits = index.search(a["query"], at=sha, options=options)
    cover = index.search_coverage(at=sha)
    return Outcome(sha, hits, {"coverage": cover}, bounded=len(hits) >= wanted)


def _hit_text(h: SearchHit) -> str:
    head = f"{h.score:8.4f}  {h.path}:{h.start_line}-{h.end_line}\t{h.kind:<9} {h.qualified_name}"
    body = "\n".join("    " + line for line in h.snippet.splitlines()[:3])
    return f"{head}\n{body}" if body else head


def _search_text(o: Outcome) -> str:
    cover = o.extra["coverage"]
    text = "\n".join(_hit_text(h) for h in o.results) or "(no match)"
    return text + (
        f"\n-- {cover.embedded}/{cover.keys} definitions embedded, "
        f"{cover.documents}/{cover.keys} text-indexed at {cover.commit[:12]}"
    )


SEARCH = Verb(
    name="search",
    tool="search",
    summary="Find definitions by what they do, in words (e.g. 'retry a failed request with "
    "backoff'), at a commit.",
    details="Hybrid ranking (BM25 over code-aware words fused with embedding similarity) by "
    "default, or mode vector / text; max_distance turns vector search into range search "
    "(every definition within that cosine distance). Only the definitions present at `at` "
    "are ranked. Each result has path, qualified_name, kind, start_line, end_line, "
    "start_byte, end_byte, signature, blob, language, commit, score, distance, text_score "
    "and snippet; `coverage` says how many of the commit's definitions are embedded.",
    example='symbiote search "retry a failed request" --at v1.2 -k 5 --json',
    params=(
        Param(
            name="query",
            type="string",
            help="What the code does, in words.",
            positional=True,
            metavar="TEXT",
            aliases=("text",),
        ),
        at(),
        Param(
            name="mode",
            type="string",
            help="hybrid (default), vector (embeddings) or text (BM25).",
            default="hybrid",
            choices=MODES,
        ),
        Param(
            name="kind",
            type="strings",
            help="Only these kinds (function, method, ...; repeatable).",
            default=None,
        ),
        Param(
            name="path",
            type="string",
            help="Only paths matching this glob, or under this folder.",
            default=None,
            metavar="GLOB",
        ),
        Param(
            name="language",
            type="strings",
            help="Only these languages (repeatable).",
            default=None,
            flags=("--lang", "--language"),
        ),
        Param(
            name="max_distance",
            type="number",
            help="Range search: every definition within this cosine distance.",
            default=None,
            minimum=0,
            maximum=2,
            metavar="D",
        ),
        EMBEDDER,
        Param(
            name=LIMIT.name,
            type=LIMIT.type,
            help=LIMIT.help,
            default=10,
            minimum=1,
            maximum=LIMIT.maximum,
            flags=("-k", "--limit"),
            aliases=("k",),
        ),
        CURSOR,
        MAX_CHARS,
    ),
    run=_search,
    text=_search_text,
    paged=True,
)


def run_embedding(call: Call, revisions: tuple[str, ...], text_only: bool) -> EmbedSummary:
    """Run the embedding job, with a progress bar when a person watches."""
    from symbiote.cli.progress import Update, with_bar
    from symbiote.indexer.embed_job import EmbedOptions, EmbedProgress, embed_repository

    options = EmbedOptions(
        revisions=revisions, embedder=call.args.get("embedder"), text_only=text_only
    )

    def run(update: Update | None) -> EmbedSummary:
        def report(p: EmbedProgress) -> None:
            assert update is not None
            update(completed=p.done, total=p.total)

        return embed_repository(call.repo, call.store, options, report if update else None)

    return with_bar(run, "embedding", "definitions", enabled=call.progress)


def summary_text(s: EmbedSummary) -> str:
    """A human summary of an embedding run."""
    return (
        f"embedded into {s.sidecar}\n"
        f"  model      {s.model_id or '(text only)'}\n"
        f"  commits    {len(s.commits)}; {s.definitions} definitions, {s.keys} distinct\n"
        f"  written    {s.docs_written} text docs, {s.vectors_written} vectors\n"
        f"  time       {s.seconds:.2f} s"
    )


def _embed(call: Call) -> Outcome:
    if call.args["job"]:
        return _embed_job(call)
    summary = run_embedding(call, tuple(call.args["ref"] or ()), call.args["text_only"])
    return Outcome(summary.commits[0] if summary.commits else None, [summary])


def _embed_job(call: Call) -> Outcome:
    from symbiote.indexer.embed_background import JOB_WRITE_EVERY, run_job
    from symbiote.indexer.embed_job import EmbedOptions

    a = call.args
    options = EmbedOptions(
        revisions=tuple(a["ref"] or ()),
        embedder=a["embedder"],
        text_only=a["text_only"],
        write_every=JOB_WRITE_EVERY,
    )
    summary = run_job(call.repo, call.store_path(), options)
    if summary is None:
        return Outcome(None, [], {"_text": "another embedding job waits to run; it does this"})
    return Outcome(
        summary.commits[0] if summary.commits else None,
        [summary],
        {"_text": summary_text(summary)},
    )


EMBED = Verb(
    name="embed",
    tool=None,
    summary="Fill the search sidecar (text index and vectors) for chosen commits.",
    details="Embed the definitions at HEAD and the branch tips (or the --ref commits). "
    "Each distinct definition is embedded once; re-runs do only what is new.",
    example="symbiote embed . --ref v1.2 --ref main",
    params=(
        Param(
            name="ref",
            type="strings",
            help="Embed this commit (repeatable).",
            default=None,
            metavar="REV",
        ),
        Param(name="text_only", type="boolean", help="Text index only, no vectors.", default=False),
        Param(
            name="job",
            type="boolean",
            help="Run as the store's background job (what `index` starts): one at a time, "
            "progress in <store>.embed.json for `status`; ends at once when another job "
            "waits to run already.",
            default=False,
            surfaces=frozenset({"cli"}),
        ),
        EMBEDDER,
    ),
    run=_embed,
    text=lambda o: str(o.extra.get("_text") or summary_text(o.results[0])),
    effect="admin",
    repo_positional=True,
)


def _verify(call: Call) -> Outcome:
    from symbiote.indexer.verify import verify_store

    report = verify_store(
        call.repo, call.store, repair=call.args["repair"], embedder=call.args["embedder"]
    )
    lines = [f"{'ok ' if c.ok else 'FAIL'} {c.name}: {c.detail}" for c in report.checks]
    lines += [f"repaired: {r}" for r in report.repaired]
    if not report.ok:
        raise StoreError("the store is inconsistent:\n" + "\n".join(lines))
    extra: dict[str, Any] = {"consistent": report.ok, "repaired": report.repaired}
    return Outcome(None, report.checks, extra)


def _verify_text(o: Outcome) -> str:
    lines = [f"{'ok ' if c.ok else 'FAIL'} {c.name}: {c.detail}" for c in o.results]
    return "\n".join(lines + [f"repaired: {r}" for r in o.extra["repaired"]])


VERIFY = Verb(
    name="verify",
    tool=None,
    summary="Check that the store and the search sidecar are consistent.",
    example="symbiote verify --repair",
    params=(
        Param(name="repair", type="boolean", help="Fix what can be rebuilt.", default=False),
        EMBEDDER,
    ),
    run=_verify,
    text=_verify_text,
    effect="admin",
)

VERBS = (SEARCH, EMBED, VERIFY)
