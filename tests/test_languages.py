"""``symbiote languages``: every language symbols are extracted from, with its level,
file names and digest; the README's table is its output."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from symbiote.cli.mcp_server import IndexSession
from symbiote.cli.table import BY_TOOL
from symbiote.indexer import IndexOptions, index_repository, supported_languages
from symbiote.indexer.catalog import blob_digest, grammar_version
from symbiote.indexer.languages import COMPONENTS, GENERIC, SUPPORTED, language_for_path
from tests.conftest import GitRepo
from tests.test_cli import MakeRepo, symbiote

ROOT = Path(__file__).resolve().parent.parent
FIELDS = ["language", "level", "extensions", "file_names", "patterns_digest"]


def test_languages_json_lists_every_language_with_its_level(tmp_path: Path) -> None:
    code, out = symbiote("languages", "--json", cwd=tmp_path)  # no repository needed
    assert code == 0 and out["ok"] is True
    assert (out["commit"], out["truncated"], out["next"]) == (None, False, None)
    assert out["grammar_version"] == grammar_version()
    results: list[dict[str, Any]] = out["results"]
    assert all(list(r) == FIELDS for r in results)
    levels = {r["language"]: r["level"] for r in results}
    assert len(levels) == len(results) == len(SUPPORTED) + len(COMPONENTS) + len(GENERIC)
    assert {lang: levels[lang] for lang in (*SUPPORTED, *COMPONENTS)} == dict.fromkeys(
        (*SUPPORTED, *COMPONENTS), "patterns"
    )
    assert {lang: levels[lang] for lang in GENERIC} == dict.fromkeys(GENERIC, "generic")
    # Pattern languages first, each level in alphabetical order.
    assert [r["level"] for r in results] == sorted(
        (r["level"] for r in results), key=("patterns", "generic").index
    )
    for r in results:
        assert r["extensions"] or r["file_names"], r
        for name in r["extensions"]:
            assert language_for_path("x" + name) == r["language"], name
        for name in r["file_names"]:
            assert language_for_path(name) == r["language"], name
        # The digest a blob of the language records starts with it.
        assert blob_digest(r["language"]).startswith(r["patterns_digest"] + "/")
    extensions = Counter(name for r in results for name in r["extensions"])
    assert [name for name, n in extensions.items() if n > 1] == []
    assert not (tmp_path / ".git").exists() and list(tmp_path.iterdir()) == []


def test_languages_by_level_and_as_text(tmp_path: Path) -> None:
    code, out = symbiote("languages", "--level", "generic", "--json", cwd=tmp_path)
    assert code == 0 and {r["level"] for r in out["results"]} == {"generic"}
    assert len(out["results"]) == len(GENERIC)
    text = subprocess.run(
        [sys.executable, "-m", "symbiote.cli.main", "languages"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert re.match(r"language +level +extensions and file names +patterns digest$", text[0])
    python = next(line for line in text if line.startswith("python "))
    assert re.match(r"python +patterns +\.py \.pyi \.pyw +[0-9a-f]{16}$", python)
    total, generic = len(SUPPORTED) + len(COMPONENTS) + len(GENERIC), len(GENERIC)
    assert text[-1].startswith(f"{total} languages ({total - generic} patterns, {generic} generic)")
    assert len(text) == total + 2


def test_languages_is_an_mcp_tool(make_repo: MakeRepo) -> None:
    repo: GitRepo = make_repo()
    repo.write("a.nim", "proc f() = discard\n")
    repo.commit("one")
    index_repository(repo.path, options=IndexOptions(jobs=1))
    session = IndexSession(str(repo.path), None, BY_TOOL, call_timeout=30.0)
    try:
        code, payload, _ = session.call(BY_TOOL["languages"], {"level": "patterns"})
    finally:
        session.close()
    assert code == 0 and payload["ok"] is True
    assert [r.to_dict() for r in supported_languages() if r.level == "patterns"] == [
        dict(r) for r in payload["results"]
    ]
    assert BY_TOOL["languages"].effect == "read" and BY_TOOL["languages"].routed is False


README = ROOT / "README.md"
_TABLE = re.compile(r"(<!-- languages-table -->\n)(.*?)(<!-- /languages-table -->)", re.S)


def test_the_readme_table_is_the_languages_output() -> None:
    match = _TABLE.search(README.read_text("utf-8"))
    assert match, "README lost its language table"
    assert match.group(2) == readme_table(), "regenerate: python -m tests.test_languages --update"


def readme_table() -> str:
    """The README's language table, from :func:`supported_languages`."""
    rows = ["| language | level | extensions and file names |", "|---|---|---|"]
    for info in supported_languages():
        names = ", ".join(f"`{n}`" for n in (*info.extensions, *info.file_names))
        rows.append(f"| {info.language} | {info.level} | {names} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":  # `python -m tests.test_languages [--update]`
    if "--update" in sys.argv:
        text = README.read_text("utf-8")
        README.write_text(_TABLE.sub(lambda m: m.group(1) + readme_table() + m.group(3), text))
    else:
        print(readme_table(), end="")


def test_every_digest_is_known_without_loading_a_generic_grammar() -> None:
    # An index run records every language's digest; a generic language's follows from
    # the generic rule's tables and the bundle's version, not from its loaded grammar.
    probe = (
        "from symbiote.indexer import catalog, parse\n"
        "from symbiote.indexer.languages import extracted\n"
        "digests = {language: catalog.blob_digest(language) for language in extracted()}\n"
        "loaded = parse._generic_rules.cache_info().currsize\n"
        "print(len(digests), len(set(digests.values())), loaded)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    count, distinct, grammars_loaded = map(int, done.stdout.split())
    assert count == len(SUPPORTED) + len(GENERIC) + len(COMPONENTS) == distinct
    assert grammars_loaded == 0
