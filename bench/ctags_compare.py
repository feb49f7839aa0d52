"""Definitions against universal-ctags on a checkout: recall, and what each side lacks.

Usage::

    python -m bench.ctags_compare WORKTREE [--exclude-kinds local,parameter,...] [--show 6]

For every file of WORKTREE in a supported language, it extracts definitions as the indexer
does and runs ``ctags -R`` over the same tree. A ctags tag is matched when a definition of
the same file and name has its name within 3 lines of the tag's line, or spans that line.
It prints, per language: the blob statuses, ctags' tags and ours, the share of ctags' tags
matched, ctags' unmatched tags by kind (with examples) and our unmatched definitions by
kind. Anonymous entities ctags names (``__anon...``, ``AnonymousFunction...``) and the
excluded kinds (default: locals, parameters, includes, macro parameters) are left out.
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
from pathlib import Path

from symbiote.indexer.extract import Definition, extract
from symbiote.indexer.languages import is_supported, language_for_path

# Our language names -> ctags' (`ctags --list-languages`).
CTAGS_LANGUAGE = {
    "python": "Python",
    "javascript": "JavaScript",
    "typescript": "TypeScript",
    "tsx": "TypeScript",
    "go": "Go",
    "rust": "Rust",
    "java": "Java",
    "c": "C",
    "cpp": "C++",
    "csharp": "C#",
    "ruby": "Ruby",
    "php": "PHP",
    "elixir": "Elixir",
    "erlang": "Erlang",
    "haskell": "Haskell",
    "ocaml": "OCaml",
    "ocaml_interface": "OCaml",
    "elm": "Elm",
    "clojure": "Clojure",
    "kotlin": "Kotlin",
}
# ctags kinds that are locals when their scope is a function or method (with `local` in
# the excluded kinds): ctags' Kotlin parser tags every `val` in a body as a constant.
LOCALS_IN_FUNCTIONS = {
    "Kotlin": {"constant", "variable"},
}
TOLERANCE = 3  # lines between ctags' line and our name line (decorators, annotations)


def ours(
    tree: Path,
) -> tuple[dict[tuple[str, str], list[Definition]], dict[str, collections.Counter[str]]]:
    """Our definitions by (path, name), and blob statuses by language."""
    found: dict[tuple[str, str], list[Definition]] = collections.defaultdict(list)
    statuses: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for path in sorted(tree.rglob("*")):
        if not path.is_file() or ".git" in path.parts:
            continue
        language = language_for_path(path.name)
        if not is_supported(language):
            continue
        result = extract(language, path.read_bytes())
        statuses[language][result.status] += 1
        for definition in result.definitions:
            found[(path.relative_to(tree).as_posix(), definition.name)].append(definition)
    return found, statuses


def ctags(tree: Path, languages: set[str], exclude: set[str]) -> list[dict[str, object]]:
    """ctags' tags of the tree in those languages, without excluded kinds or anonymous ones."""
    names = sorted({CTAGS_LANGUAGE[language] for language in languages})
    out = subprocess.run(
        ["ctags", "-R", "--links=no", f"--languages={','.join(names)}", "--fields=+nKsl"]
        + ["--output-format=json", "-f", "-", "."],
        cwd=tree,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    tags = [json.loads(line) for line in out.splitlines() if line.startswith('{"_type": "tag"')]
    return [
        t
        for t in tags
        if t["kind"] not in exclude
        and not str(t["name"]).startswith(("__anon", "Anonymous", "<"))  # Kotlin `<lambda>`
        and not _local(t, exclude)
        and "Anonymous" not in str(t.get("scope") or "")
        and "__anon" not in str(t.get("scope") or "")
    ]


def _local(tag: dict[str, object], exclude: set[str]) -> bool:
    """A tag in a function's body that ctags gives a member's kind (see LOCALS_IN_FUNCTIONS)."""
    return (
        "local" in exclude
        and tag.get("scopeKind") in ("method", "function")
        and tag["kind"] in LOCALS_IN_FUNCTIONS.get(str(tag.get("language")), ())
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("worktree", type=Path)
    ap.add_argument("--exclude-kinds", default="local,parameter,header,macroparam")
    ap.add_argument("--show", type=int, default=6, help="examples per unmatched kind")
    args = ap.parse_args()

    found, statuses = ours(args.worktree)
    tags = ctags(args.worktree, set(statuses), set(args.exclude_kinds.split(",")))
    matched: set[int] = set()
    missed: list[dict[str, object]] = []
    for tag in tags:
        path = str(tag["path"]).removeprefix("./")
        line = int(str(tag["line"]))
        hits = [
            d
            for d in found.get((path, str(tag["name"])), [])
            if abs(d.name_line - line) <= TOLERANCE or d.start_line <= line <= d.end_line
        ]
        if hits:
            matched.add(id(hits[0]))
        else:
            missed.append(tag)
    total = sum(len(v) for v in found.values())
    print("statuses:", {lang: dict(counts) for lang, counts in sorted(statuses.items())})
    share = 100 * (len(tags) - len(missed)) / max(1, len(tags))
    print(f"ctags tags {len(tags):,}; our definitions {total:,}; ctags tags matched {share:.1f}%")
    by_kind = collections.Counter(str(t["kind"]) for t in missed)
    print("ctags tags we lack, by kind:", dict(by_kind.most_common()))
    for kind, _ in by_kind.most_common():
        examples = [t for t in missed if t["kind"] == kind][: args.show]
        for t in examples:
            print(f"  {kind:<12} {t['path']}:{t['line']} {t['name']} (scope {t.get('scope')})")
    extra = [d for v in found.values() for d in v if id(d) not in matched]
    print("our definitions ctags lacks, by kind:", dict(collections.Counter(d.kind for d in extra)))


if __name__ == "__main__":
    main()
