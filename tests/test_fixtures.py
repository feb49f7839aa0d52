"""Every supported language has an annotated fixture, checked exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from symbiote.indexer.extract import extract
from symbiote.indexer.languages import SUPPORTED, language_for_path
from symbiote.indexer.schema import STATUS_OK
from tests.support.annotations import actual_tags, compare, parse_annotations

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "languages"


def _fixture(language: str) -> Path:
    # `sample.EXT`, or a file named as the language requires (`go.mod`)
    matches = sorted((FIXTURES / language).glob("sample.*")) or sorted(
        (FIXTURES / language).iterdir()
    )
    assert matches, f"no fixture for {language} in {FIXTURES / language}"
    return matches[0]


@pytest.mark.parametrize("language", SUPPORTED)
def test_annotated_fixture(language: str) -> None:
    path = _fixture(language)
    assert language_for_path(path.name) == language
    source = path.read_bytes()
    expected = parse_annotations(source)
    extraction = extract(language, source)
    assert extraction.status == STATUS_OK, extraction.detail
    assert len(expected) >= 20, "a fixture should exercise the language's patterns"
    assert {e.role for e in expected} == {"defines", "refers"}
    problems = compare(expected, actual_tags(extraction))
    assert not problems, "\n".join(problems)
