"""How much of a history run's extraction repeats work done on the previous version.

Usage::

    python -m bench.history_reuse REPO [--commits N]

For every file a first-parent commit of the last N modified (old blob -> new blob, a
supported language), it measures on the new blob:

* a full parse against an incremental one (the old version's tree, edited with the one
  span where the two versions differ), and whether both give the same tree;
* the share of definitions whose body is unchanged (same qualified name, kind and body
  hash as in the old version), and the share of references inside those definitions.

These bound what a design that parses incrementally and stores rows below the blob level
(an unchanged definition once, not once per blob version) could save; the indexer does
neither today (see docs/design.md, Performance).
"""

from __future__ import annotations

import argparse
import bisect
import subprocess
import time
from collections.abc import Iterable

import tree_sitter_language_pack as pack

from symbiote.indexer.extract import extract
from symbiote.indexer.gitrepo import GitRepository
from symbiote.indexer.languages import is_supported, language_for_path


def modified_files(repo: GitRepository, commits: int) -> list[tuple[str, str, str]]:
    """``(old blob, new blob, language)`` of each file modified by the last commits."""
    out = subprocess.run(
        ["git", "log", "--first-parent", "--raw", "--no-abbrev", "--format=", f"-n{commits}"],
        cwd=repo.git_dir,
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    pairs = []
    for line in out.splitlines():
        if not line.startswith(":"):
            continue
        meta, path = line.split("\t", 1)
        _old_mode, new_mode, old, new, status = meta[1:].split()
        language = language_for_path(path)
        if status == "M" and new_mode == "100644" and is_supported(language):
            pairs.append((old, new, language))
    return pairs


def _point(data: bytes, offset: int) -> tuple[int, int]:
    row = data.count(b"\n", 0, offset)
    return row, offset - (data.rfind(b"\n", 0, offset) + 1)


def edit_span(old: bytes, new: bytes) -> tuple[int, int, int]:
    """``(start, old_end, new_end)`` of the one span where ``old`` and ``new`` differ."""
    limit = min(len(old), len(new))
    start = 0
    while start < limit and old[start] == new[start]:
        start += 1
    end = 0
    while end < limit - start and old[-1 - end] == new[-1 - end]:
        end += 1
    return start, len(old) - end, len(new) - end


def _merged(spans: Iterable[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Starts and ends of the disjoint spans that cover ``spans`` (nested ones merge)."""
    starts: list[int] = []
    ends: list[int] = []
    for start, end in sorted(spans):
        if ends and start < ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("repo")
    ap.add_argument("--commits", type=int, default=300)
    args = ap.parse_args()
    repo = GitRepository(args.repo)
    pairs = modified_files(repo, args.commits)
    full_s = incremental_s = 0.0
    same_trees = 0
    definitions = kept_definitions = references = kept_references = 0
    size = 0
    for old_sha, new_sha, language in pairs:
        old, new = repo.read_blob(old_sha), repo.read_blob(new_sha)
        parser = pack.get_parser(language)  # type: ignore[arg-type]
        size += len(new)
        started = time.perf_counter()
        fresh = parser.parse(new)
        full_s += time.perf_counter() - started
        previous = parser.parse(old)
        start, old_end, new_end = edit_span(old, new)
        started = time.perf_counter()
        previous.edit(
            start,
            old_end,
            new_end,
            _point(old, start),
            _point(old, old_end),
            _point(new, new_end),
        )
        reparsed = parser.parse(new, previous)
        incremental_s += time.perf_counter() - started
        same_trees += str(reparsed.root_node) == str(fresh.root_node)

        before = extract(language, old)
        after = extract(language, new)
        unchanged = {(d.qualified_name, d.kind, d.body_hash) for d in before.definitions}
        kept = [
            d for d in after.definitions if (d.qualified_name, d.kind, d.body_hash) in unchanged
        ]
        definitions += len(after.definitions)
        kept_definitions += len(kept)
        starts, ends = _merged((d.start_byte, d.end_byte) for d in kept)
        references += len(after.references)
        for r in after.references:
            i = bisect.bisect_right(starts, r.start_byte) - 1
            kept_references += i >= 0 and r.start_byte < ends[i]
    repo.close()
    n = len(pairs)
    print(
        f"{n} modified files in the last {args.commits} first-parent commits, {size / 1e6:.1f} MB"
    )
    if not n:
        return
    print(f"  full parse        {full_s:7.2f} s")
    print(
        f"  incremental parse {incremental_s:7.2f} s  ({incremental_s / full_s:.2f} of full); "
        f"same tree for {same_trees} of {n} files"
    )
    print(
        f"  definitions unchanged: {kept_definitions} of {definitions} "
        f"({kept_definitions / max(definitions, 1):.0%})"
    )
    print(
        f"  references inside unchanged definitions: {kept_references} of {references} "
        f"({kept_references / max(references, 1):.0%})"
    )


if __name__ == "__main__":
    main()
