"""Whether goto's answers depend on the order questions come in (DESIGN invariant 7).

Usage::

    python -m bench.resolution_order REPO [--store STORE] [--at REV] [--show 12] [--seed N]

Resolves every reference of a commit twice, with two fresh resolvers: one asked first
to last, the other last to first, or in a random order with ``--seed`` (a resolver
keeps what it worked out for the next questions, as an owner's does between an agent's
calls). Prints how many references
got another answer (resolution, or ranked targets) and the first ``--show`` of them.
No oracle is needed: any difference is a defect. Exit status 1 when some differ.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable, Sequence

from symbiote.queries import open_index
from symbiote.queries.resolve import Resolver
from symbiote.queries.snapshot import Snapshot

Answer = tuple[str, tuple[tuple[str, str, int], ...]]


def answers(snap: Snapshot, order: Callable[[range], Sequence[int]]) -> dict[int, Answer]:
    """Every reference's answer from one fresh resolver, asked in ``order``."""
    resolver = Resolver(snap)
    rows = range(len(snap.reference_columns()["name"]))
    out: dict[int, Answer] = {}
    for row in order(rows):
        label, targets = resolver.resolve(row)
        out[row] = label, tuple((t.path, t.qualified_name, t.start_byte) for t in targets)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repo")
    parser.add_argument("--store", default=None, help="the store (default: the repo's own)")
    parser.add_argument("--at", default="HEAD", help="the commit (default HEAD)")
    parser.add_argument("--show", type=int, default=12, help="differences listed")
    parser.add_argument("--seed", type=int, default=None, help="a random order, not reversed")
    args = parser.parse_args()

    def second(rows: range) -> Sequence[int]:
        if args.seed is None:
            return rows[::-1]
        shuffled = list(rows)
        random.Random(args.seed).shuffle(shuffled)
        return shuffled

    started = time.perf_counter()
    with open_index(args.repo, store=args.store) as index:
        snap = index.snapshot(args.at)
        ahead = answers(snap, lambda rows: rows)
        behind = answers(snap, second)
        columns = snap.reference_columns()
    differ = [row for row in ahead if ahead[row] != behind[row]]
    seconds = time.perf_counter() - started
    order = "last-to-first" if args.seed is None else f"shuffled (seed {args.seed})"
    print(
        f"{args.repo} at {args.at}: {len(differ)} of {len(ahead)} references answered "
        f"differently first-to-last and {order} ({seconds:.1f} s)"
    )
    for row in differ[: args.show]:
        where = f"{columns['path'][row]}:{columns['start_line'][row]}"
        print(f"  {where} {columns['name'][row]} ({columns['kind'][row]})")
        print(f"    first-to-last: {_show(ahead[row])}")
        print(f"    {order}: {_show(behind[row])}")
    raise SystemExit(1 if differ else 0)


def _show(answer: Answer) -> str:
    label, targets = answer
    shown = ", ".join(f"{path}::{name}" for path, name, _ in targets[:3])
    more = f" (+{len(targets) - 3})" if len(targets) > 3 else ""
    return f"{label} [{shown}{more}]"


if __name__ == "__main__":
    main()
