"""Fuzz extraction with atheris (libFuzzer): mutated sources of every supported language.

An input's first byte picks the language (``SUPPORTED[byte % len(SUPPORTED)]``), the rest
is the source. Each input must extract without raising, and its rows must follow the
schema's span convention (bytes inside the source, lines counting ``\\n``, columns in
bytes, reference names equal to their span's text); anything else is a crash that
libFuzzer reports and saves as ``crash-<sha1>``.

The corpus is seeded from ``fixtures/languages/*/*``: each fixture, prefixed with its
language's byte, is written into the first corpus directory when that directory is
empty (a temporary one when none is given).

Usage::

    python fuzz/fuzz_extract.py                       # fuzz until stopped
    python fuzz/fuzz_extract.py -runs=300 -seed=1     # a short, reproducible run
    python fuzz/fuzz_extract.py -max_total_time=600 fuzz/corpus   # keep what it finds
    python fuzz/fuzz_extract.py --smoke 300           # the CI smoke run: -runs=300 -seed=1

Every other argument is passed to libFuzzer (``-help=1`` lists them). A crash file is
replayed by passing it as the only argument.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parent.parent

# Coverage feedback comes from the pure-Python extractor only: atheris's bytecode
# rewriting breaks indexer.parse (a tree cursor's local then reads as a Node), and the
# parser itself is C that atheris does not see.
with atheris.instrument_imports(
    include=["symbiote.indexer.extract"], exclude=["symbiote.indexer.parse"]
):
    from symbiote.indexer.extract import extract
    from symbiote.indexer.languages import SUPPORTED

FIXTURES = ROOT / "fixtures" / "languages"


def seed(corpus: Path) -> None:
    """Write each fixture, prefixed with its language's byte, into ``corpus``."""
    corpus.mkdir(parents=True, exist_ok=True)
    for number, language in enumerate(SUPPORTED):
        for source in sorted((FIXTURES / language).iterdir()):
            (corpus / f"{language}-{source.name}").write_bytes(
                bytes([number]) + source.read_bytes()
            )


def _position(data: bytes, offset: int) -> tuple[int, int]:
    return data.count(b"\n", 0, offset) + 1, offset - (data.rfind(b"\n", 0, offset) + 1)


def TestOneInput(raw: bytes) -> None:  # noqa: N802 - the name atheris expects
    """Extract one input and check the span convention of every row."""
    if not raw:
        return
    language, data = SUPPORTED[raw[0] % len(SUPPORTED)], raw[1:]
    result = extract(language, data)
    for d in result.definitions:
        assert 0 <= d.start_byte <= d.end_byte <= len(data), d
        assert (d.start_line, d.start_col) == _position(data, d.start_byte), d
        assert (d.end_line, d.end_col) == _position(data, d.end_byte), d
    for r in result.references:
        assert 0 <= r.start_byte <= r.end_byte <= len(data), r
        assert (r.start_line, r.start_col) == _position(data, r.start_byte), r
        assert r.name == data[r.start_byte : r.end_byte].decode("utf-8", errors="replace"), r


def main(argv: list[str]) -> int:
    args = list(argv)
    if "--smoke" in args:
        at = args.index("--smoke")
        args[at : at + 2] = [f"-runs={int(args[at + 1])}", "-seed=1"]
    corpora = [a for a in args[1:] if not a.startswith("-")]
    if not corpora:
        # libFuzzer ends the process when done, skipping any cleanup: fuzz in a child
        # with a seeded temporary corpus, and remove the corpus here afterwards.
        with tempfile.TemporaryDirectory(prefix="fuzz-extract-") as scratch:
            seed(Path(scratch))
            return subprocess.run([sys.executable, *args, scratch]).returncode
    first = Path(corpora[0])
    if not first.is_file() and (not first.exists() or not any(first.iterdir())):
        seed(first)
    atheris.Setup(args, TestOneInput)
    atheris.Fuzz()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
