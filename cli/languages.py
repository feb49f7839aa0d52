"""The ``languages`` verb: every language symbols are extracted from, with its level, the
file names that select it and the digest of its patterns. It reads neither a repository
nor the store, so it answers anywhere (and over MCP even before the first index run)."""

from __future__ import annotations

from symbiote.cli.verbs import Call, Outcome, Param, Verb

LEVELS = ("patterns", "generic")


def _languages(call: Call) -> Outcome:
    # Imported here: the table is loaded by every command, the grammars only by this one.
    from symbiote.indexer.catalog import grammar_version, supported_languages

    level = call.args["level"]
    found = [info for info in supported_languages() if level is None or info.level == level]
    return Outcome(None, found, {"grammar_version": grammar_version()})


def _languages_text(o: Outcome) -> str:
    rows = [("language", "level", "extensions and file names", "patterns digest")]
    rows += [
        (i.language, i.level, " ".join((*i.extensions, *i.file_names)), i.patterns_digest)
        for i in o.results
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [
        "  ".join([*(f"{c:<{w}}" for c, w in zip(row[:3], widths, strict=True)), row[3]])
        for row in rows
    ]
    counts = {lv: sum(1 for i in o.results if i.level == lv) for lv in LEVELS}
    summary = ", ".join(f"{n} {lv}" for lv, n in counts.items() if n)
    lines.append(f"{len(o.results)} languages ({summary}); {o.extra['grammar_version']}")
    return "\n".join(lines)


LANGUAGES = Verb(
    name="languages",
    tool="languages",
    summary="List the languages symbols are extracted from, each with its level.",
    details="Each result has language, level (`patterns`: our tag patterns, definitions "
    "and references, blob status ok/parse_error; `generic`: definitions found by the "
    "grammar's node types, no references, blob status generic), extensions, file_names "
    "and patterns_digest (each blob of the language records it, with the grammar "
    "versions appended; when it changes, the next index run re-extracts them). "
    "`grammar_version` names the parser and grammar bundle. Needs no index.",
    example="symbiote languages --level generic --json",
    params=(
        Param(
            name="level",
            type="string",
            help="Only the languages of this level: patterns or generic.",
            default=None,
            choices=LEVELS,
        ),
    ),
    run=_languages,
    text=_languages_text,
    routed=False,
)

VERBS = (LANGUAGES,)
