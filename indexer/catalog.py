"""Every language the indexer extracts: its level, the file names that select it, and
the digest of what extracts it (recorded with each blob; a change re-extracts the
language's blobs on the next run).

Levels (:mod:`indexer.languages`): ``patterns`` for the languages with a pattern file
and for the single-file components (Vue, Svelte: their script blocks through the
JavaScript/TypeScript patterns, :mod:`indexer.sfc`); ``generic`` for the languages of the
grammar bundle without patterns (:mod:`indexer.generic`: definitions only, by the
grammar's node types). Nothing here reads a repository or the store.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass

from symbiote.indexer import languages, parse, sfc


@dataclass(frozen=True, slots=True)
class LanguageInfo:
    """One language the indexer extracts."""

    language: str  # the name blobs and files carry (`files_at(...).language`)
    level: str  # `patterns` or `generic`
    extensions: tuple[str, ...]  # file name endings that select it, e.g. `.py`
    file_names: tuple[str, ...]  # whole file names that select it, e.g. `Rakefile`
    patterns_digest: str  # hash of its patterns (or of the generic rule and its grammar)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form."""
        return {
            "language": self.language,
            "level": self.level,
            "extensions": list(self.extensions),
            "file_names": list(self.file_names),
            "patterns_digest": self.patterns_digest,
        }


@functools.cache
def patterns_digest(language: str) -> str:
    """The hash of what extracts ``language``: its pattern files (with those it
    inherits), the generic rule and its grammar's table, or for a component the
    patterns of its script languages and how its blocks are found."""
    if language in languages.COMPONENTS:
        digest = hashlib.sha256(language.encode())
        digest.update(parse.patterns_digest(sfc.SCRIPT_LANGUAGES).encode())
        digest.update(sfc.RULES)
        return digest.hexdigest()[:16]
    return parse.patterns_digest((language,))


def grammar_version() -> str:
    """Versions of the parser runtime and grammar bundle every language is parsed with."""
    return parse.grammar_version()


def blob_digest(language: str) -> str:
    """The digest recorded with each blob of ``language``: its patterns digest and the
    versions of the parser and grammar bundle."""
    return patterns_digest(language) + "/" + grammar_version().replace(" ", "")


def supported_languages() -> list[LanguageInfo]:
    """Every language symbols are extracted from, pattern languages first, each level
    in alphabetical order."""
    out = []
    for language in languages.extracted():
        level = languages.level(language)
        assert level is not None
        extensions, names = languages.file_names(language)
        digest = patterns_digest(language)
        out.append(LanguageInfo(language, level, tuple(extensions), tuple(names), digest))
    order = (languages.LEVEL_PATTERNS, languages.LEVEL_GENERIC)
    return sorted(out, key=lambda info: (order.index(info.level), info.language))
