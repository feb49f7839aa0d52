"""CPU time of the extractor alone over a checkout's files, in one process.

Usage::

    python -m bench.extract_cpu CHECKOUT [--rounds 3]

Every tracked file of a language symbols are extracted from (under 1 MB) is read once;
each language's patterns are compiled before the timing; then ``extract()`` runs over
all of them ``--rounds`` times and the median of the process CPU times is printed. Run
it with two installs (for instance a venv with ``pip install`` of an older commit, from
a folder outside this checkout) to compare extraction costs between versions; it is how
issue 15's "indexing grows by at most 15 %" was checked.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

from symbiote.indexer.extract import extract
from symbiote.indexer.languages import is_supported, language_for_path


def tracked_files(checkout: Path) -> Iterator[tuple[str, str, bytes]]:
    """(path, language, content) of every tracked file symbols are extracted from,
    sorted by path."""
    listed = subprocess.run(
        ["git", "-C", str(checkout), "ls-files", "-z"], capture_output=True, check=True
    ).stdout.split(b"\0")
    for raw in sorted(listed):
        path = raw.decode("utf-8", errors="replace")
        language = language_for_path(path)
        if not raw or not is_supported(language):
            continue
        try:
            data = (checkout / path).read_bytes()
        except OSError:
            continue
        yield path, language, data


def files_of(checkout: Path) -> list[tuple[str, bytes]]:
    """(language, content) of every tracked file symbols are extracted from (under 1 MB)."""
    return [(lang, data) for _, lang, data in tracked_files(checkout) if len(data) < 1_000_000]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("checkout", type=Path)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    work = files_of(args.checkout)
    for language in {language for language, _ in work}:
        extract(language, b"")  # compile the patterns outside the timing
    times = []
    for _ in range(args.rounds):
        started = time.process_time()
        for language, data in work:
            extract(language, data)
        times.append(time.process_time() - started)
    size = sum(len(data) for _, data in work) / 1e6
    rounds = ", ".join(f"{t:.2f}" for t in times)
    print(
        f"{args.checkout.name}: {len(work)} files, {size:.1f} MB, "
        f"extract CPU median {statistics.median(times):.2f} s ({rounds})"
    )


if __name__ == "__main__":
    main()
