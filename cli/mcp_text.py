"""What the MCP tools say about themselves: one description per tool, sharing the
phrases that explain the result shapes."""

from __future__ import annotations

ENVELOPE = (
    ' Returns {"ok": true, "commit": "<sha>", "results": [...]}, or {"ok": false, "error": '
    '{"type": "UnknownRevision" | "NotIndexed" | "UnknownPath" | "UnknownDefinition" | ...,'
    ' "message": "..."}} when the index cannot answer.'
)
SPANS = " Lines are 1-based; columns are 0-based byte offsets in the line."
SYMBOL = (
    " A symbol has path, name, qualified_name, kind, parent, start_line, end_line, "
    "start_col, end_col, start_byte, end_byte, signature, docstring, body_hash, blob, "
    "language and commit."
)
AT = " `at` is a ref, sha or REV~N (default HEAD)."
TARGET = " The target is PATH::QUALNAME (or an unambiguous qualified name)."
REFERENCE = (
    " A reference has path, line, col, end_line, end_col, name, kind (its role: call, read, "
    "write, type, decorator, inherit, import), enclosing (the definition it is in), context, "
    "resolution (scope | import | name = guessed by name only | unresolved) and target "
    "(the symbol it resolves to, or null)."
)

DESCRIPTIONS = {
    "find": "Find definitions by name, qualified name (Class.method), prefix or fuzzy match, "
    "best first (exact before fuzzy, source before tests); filter by kind, path glob or "
    "language. Results are symbols." + SYMBOL + AT + SPANS + ENVELOPE,
    "goto": "Go to the definition(s) of the identifier at PATH, LINE, COL (line 1-based, "
    "column 0-based bytes). Results are symbols, each with an added `resolution`: "
    "definition (the position is on a definition's name), scope, import or name (a use, "
    "resolved through its scope, the file's imports, or by name only). Empty results mean "
    "nothing is defined or referenced there." + AT + SPANS + ENVELOPE,
    "refs": "Every reference to a definition across the files of the commit, each with the "
    "definition it resolves to." + TARGET + REFERENCE + AT + SPANS + ENVELOPE,
    "outline": "The definitions of one file as a tree: each result is "
    '{"symbol": <symbol>, "children": [...]}.' + SYMBOL + AT + SPANS + ENVELOPE,
    "callers": "Who calls a definition, up to `depth` hops: each result is a call edge "
    '{"caller": <symbol or null at module level>, "callee": <symbol>, "site": <reference>, '
    '"depth": N}.' + TARGET + AT + SPANS + ENVELOPE,
    "callees": "What a definition calls, up to `depth` hops: each result is a call edge "
    '{"caller": <symbol>, "callee": <symbol or null when unresolved>, "site": <reference>, '
    '"depth": N}.' + TARGET + AT + SPANS + ENVELOPE,
    "history": "Commits in which a definition was added, changed, signature_changed, moved, "
    "renamed or removed, newest first, along the first-parent history of `at`. Each result "
    "has commit, date, author, message, change, path, qualified_name, previous_path, "
    "previous_qualified_name, signature and body_hash." + TARGET + AT + ENVELOPE,
    "diff": "Definitions added, removed, changed, moved and renamed from `base` to `head` "
    "(each a ref, sha or REV~N; head defaults to HEAD), with signature changes flagged and "
    "the references to changed definitions at head. Each result has change, qualified_name, "
    "kind, path, previous_path, previous_qualified_name, signature, previous_signature, "
    "signature_changed, old, new and references. `commit` is head's sha." + SPANS + ENVELOPE,
    "sql": "Run one read-only SELECT over the index (DuckDB). Macros give one commit's rows: "
    "symbols_at('REV'), references_at('REV'), files_at('REV'), commit_of('REV'); tables: "
    "repositories, commits, refs, trees, tree_entries, blobs, code_symbols, "
    "code_references. Use ? placeholders with `params`. Each result is a row as "
    "{column: value}. A query is stopped after 30 s. `at` only sets the reported commit."
    + ENVELOPE,
    "symbols": "List the definitions at a commit in source order, optionally only in one "
    "file or under one folder (`path`)." + SYMBOL + AT + SPANS + ENVELOPE,
    "search": "Find definitions by what they do, in words (e.g. 'retry a failed request "
    "with backoff'), at a commit: hybrid ranking (BM25 over code-aware words fused with "
    "embedding similarity) by default, or mode vector / text; max_distance turns vector "
    "search into range search (every definition within that cosine distance). Only the "
    "definitions present at `at` are ranked. Each result has path, qualified_name, kind, "
    "start_line, end_line, start_byte, end_byte, signature, blob, language, commit, score, "
    "distance, text_score and snippet; `coverage` says how many of the commit's "
    "definitions are embedded." + AT + ENVELOPE,
    "sidecar_show": "The notes kept beside the code about a file, or about one definition "
    "(`path` and optional `qualified_name`), as indexed at `at`: summary, invariants, "
    "owners, warnings, links, notes, and a `state`: fresh (the definition is unchanged "
    "since the note was written), stale (it changed), missing (it is gone; renamed_to "
    "names a definition of the file with a similar body), unpinned (a note about the "
    "file)." + AT + ENVELOPE,
    "sidecar_stale": "Every note at `at` whose definition changed or vanished since the "
    "note was written (same fields as sidecar_show); `invalid` lists sidecar files that "
    "break the schema, with their errors." + AT + ENVELOPE,
    "sidecar_set": "Write a note about a file, or one of its definitions, into its sidecar "
    "file in the working tree (<file>.symbiote.json beside it; commit and index it to see "
    "it in sidecar_show). Given fields replace the stored ones (lists whole; an empty "
    "list or string clears); a note about a definition records the definition's current "
    "body, so it goes stale when the body changes. Paths outside the repository are "
    "refused. The result is the sidecar path and the entry written." + ENVELOPE,
    "record_critique": "Record a critique of a definition (`path` + `qualified_name`) or a "
    "file at commit `at`, by agent `agent`: category (bug, design, performance, security, "
    "style, test, docs, other), severity (info, low, medium, high, critical) and text. The "
    "target must exist at that commit. The result is the entry with its `id`; it is durable "
    "(fsynced) when the call returns. `supersedes` corrects an earlier critique; with "
    "`retracted` it withdraws it (entries are never overwritten)." + ENVELOPE,
    "record_action": "Record what was done about critique `critique` (its id): a "
    "description, optionally the commit it produced and the files and definitions touched. "
    "The result is the entry with its `id`." + ENVELOPE,
    "record_outcome": "Record how action `action` (its id) turned out: verdict success, "
    "failure, partial, reverted or superseded, with evidence (a JSON object: test results, "
    "metrics)." + ENVELOPE,
    "lessons": "Past critiques of a definition (PATH::QUALNAME, followed back through its "
    "renames and moves) or of a file (PATH), newest first, each with its actions and their "
    "outcomes: what was tried on this code before and how it went." + AT + ENVELOPE,
    "recall_critiques": "The past critiques (of any code in this repository) closest in "
    "meaning to `text`, each with its cosine `distance` and its lesson: the critique, what "
    "was done about it and how that turned out. Use it before acting on a problem to see "
    "whether it was met before." + ENVELOPE,
    "success_rates": "How agents' actions turned out, per critique category and agent: "
    "actions, judged (with an outcome), verdict counts and the success rate." + ENVELOPE,
    "status": "What is indexed for this repository: one result with repo_id, path, "
    "indexed_at, commits, refs (name, kind, commit), blobs_by_status, symbols and "
    "references. `commit` is the indexed HEAD." + ENVELOPE,
}
