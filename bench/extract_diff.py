"""Whether the extractor still gives the same rows: dump them, then compare against a dump.

Usage::

    python -m bench.extract_diff dump CHECKOUT... --to DIR
    python -m bench.extract_diff compare CHECKOUT... --against DIR

``dump`` runs ``extract()`` over every file of each checkout that symbols are extracted
from (the files of ``bench.extract_cpu``) and writes, per checkout, one JSON line per
file: its path, language and everything the extraction holds (status, detail,
definitions, references, notes, bindings, line count), in a fixed serialisation.
``compare`` extracts again and prints the files whose rows differ (and the first rows
that do), then a summary; it exits 1 on any difference. It is the check for a change
meant to make extraction cheaper without changing a single row. The dumps hold the
checkouts' code (names, signatures, docs): keep them outside the repository.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.extract_cpu import tracked_files
from symbiote.indexer.extract import extract


def _plain(value: Any) -> Any:
    """Rows as JSON values: named tuples and dataclasses as lists, in column order."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [_plain(getattr(value, f.name)) for f in dataclasses.fields(value)]
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


def _lines(checkout: Path) -> Iterator[tuple[str, str]]:
    """(path, JSON line) per file of ``checkout``."""
    for path, language, data in tracked_files(checkout):
        rows = _plain(extract(language, data))
        yield path, json.dumps([path, language, rows], ensure_ascii=False, sort_keys=True)


def _dump_file(directory: Path, checkout: Path) -> Path:
    return directory / f"{checkout.resolve().name}.jsonl.gz"


def dump(checkouts: list[Path], directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for checkout in checkouts:
        digest = hashlib.sha256()
        count = 0
        with gzip.open(_dump_file(directory, checkout), "wt", encoding="utf-8") as out:
            for _, line in _lines(checkout):
                out.write(line + "\n")
                digest.update(line.encode())
                count += 1
        print(f"{checkout.name}: {count} files, rows sha256 {digest.hexdigest()[:16]}")


def _first_difference(old: list[Any], new: list[Any]) -> str:
    """Where two files' extractions first differ, for the report."""
    names = ["status", "detail", "definitions", "references", "notes", "bindings", "lines"]
    for name, a, b in zip(names, old[2], new[2], strict=True):
        if a == b:
            continue
        if isinstance(a, list) and isinstance(b, list):
            for i, (x, y) in enumerate(zip(a, b, strict=False)):
                if x != y:
                    return f"{name}[{i}]: {x!r} -> {y!r}"
            return f"{name}: {len(a)} rows -> {len(b)} rows"
        return f"{name}: {a!r} -> {b!r}"
    return "?"


def compare(checkouts: list[Path], directory: Path) -> int:
    """The number of files whose rows differ from the dump's (missing ones included)."""
    differing = 0
    for checkout in checkouts:
        with gzip.open(_dump_file(directory, checkout), "rt", encoding="utf-8") as saved:
            before = {json.loads(line)[0]: line.rstrip("\n") for line in saved}
        seen = same = 0
        for path, line in _lines(checkout):
            seen += 1
            old = before.pop(path, None)
            if old == line:
                same += 1
                continue
            differing += 1
            if old is None:
                print(f"  {checkout.name}/{path}: not in the dump")
            else:
                where = _first_difference(json.loads(old), json.loads(line))
                print(f"  {checkout.name}/{path}: {where[:400]}")
        for path in before:
            differing += 1
            print(f"  {checkout.name}/{path}: in the dump, not extracted now")
        print(f"{checkout.name}: {same} of {seen} files the same, {len(before)} missing")
    return differing


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("action", choices=["dump", "compare"])
    ap.add_argument("checkouts", type=Path, nargs="+")
    ap.add_argument("--to", "--against", dest="directory", type=Path, required=True)
    args = ap.parse_args()
    if args.action == "dump":
        dump(args.checkouts, args.directory)
        return
    differing = compare(args.checkouts, args.directory)
    print("identical" if not differing else f"{differing} files differ")
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
