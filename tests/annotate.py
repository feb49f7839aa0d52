"""Print a fixture with draft annotations: ``python -m tests.annotate LANGUAGE FILE``.

A writing aid for new fixtures only. Every line it drafts must be read and corrected by
hand: the fixture states what *should* be extracted, not what currently is.
"""

from __future__ import annotations

import sys
from pathlib import Path

from symbiote.indexer.extract import extract
from tests.support.annotations import annotate


def main() -> None:
    language, path = sys.argv[1], Path(sys.argv[2])
    prefix = "#" if language in ("python", "ruby") else "//"
    source = path.read_bytes()
    print(annotate(source, extract(language, source), prefix))


if __name__ == "__main__":
    main()
