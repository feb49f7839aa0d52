"""Hostile and odd input (issue 6): every case of the corpus ends with a defined outcome.

The corpus is built by ``fuzz/hostile_corpus.py`` with the real ``git`` (hermetic, so
its shas are stable) and each repository is indexed once per module by the real indexer.
A case's outcome is either indexed content or a blob row whose status and detail say why
nothing was extracted; never a crash, a hang or a file that silently disappears.

Bounded time and memory: no wall-clock limit is asserted. The deep-nesting and 1 MB-line
repository is indexed in a child process whose peak RSS is read back with ``wait4``; the
test run finishing is the time bound.

Decided outcomes worth knowing:

* a symlink is a tree entry of kind ``link`` whose blob (the target path) has status
  ``symlink``; the target is recorded as text and never followed, inside or outside;
* a submodule or bare gitlink is a tree entry of kind ``submodule`` pointing at the other
  repository's commit, which is not read (no blob row);
* an LFS pointer is indexed as the text it is: the indexer does not fetch LFS objects;
* a shallow clone indexes the commits it has; the boundary commit is stored the way git
  shows it there, with no parents, and a commit beyond the boundary is an unknown revision;
* definitions nested more than ``Limits.max_depth`` (100) deep are skipped, and the blob's
  detail counts them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

from harness.hostile_corpus import CASES, HERMETIC_ENV, LONG_LINE, LONG_LINE_FUNCTIONS, build
from symbiote.indexer import IndexOptions, UnknownRevision, index_repository, verify_store
from symbiote.queries import open_index

ROOT = Path(__file__).resolve().parent.parent
ONE_JOB = IndexOptions(jobs=1)
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # git's tree with no entries
GIB = 1 << 30

# The child that indexes the extremes repository: prints its summary as JSON.
CHILD = """
import json, sys
from symbiote.indexer import IndexOptions, index_repository
summary = index_repository(sys.argv[1], sys.argv[2], IndexOptions(jobs=1))
print(json.dumps(summary.statuses))
"""


@dataclass(frozen=True)
class Indexed:
    """One corpus repository after indexing."""

    repo: Path
    store: Path
    statuses: dict[str, int]

    def rows(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        con = duckdb.connect(str(self.store), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()

    def git(self, *args: str) -> str:
        env = {**os.environ, **HERMETIC_ENV}
        out = subprocess.run(
            ["git", *args], cwd=self.repo, env=env, check=True, capture_output=True
        )
        return out.stdout.decode().strip()

    def files(self, rev: str = "HEAD") -> dict[str, tuple[str, str, str | None, int]]:
        """path -> (entry kind, status, detail, symbols) of every file at ``rev``."""
        rows = self.rows(
            "SELECT f.path, f.kind, b.status, b.detail, b.n_symbols FROM files_at(?) f "
            "LEFT JOIN blobs b ON b.sha = f.blob AND b.language = f.language",
            [rev],
        )
        return {path: (kind, status, detail, n) for path, kind, status, detail, n in rows}

    def symbols(self, rev: str = "HEAD") -> list[tuple[str, str, str, int, int]]:
        with open_index(self.repo, store=self.store) as index:
            return [
                (s.path, s.qualified_name, s.kind, s.start_line, s.start_col)
                for s in index.symbols(at=rev)
            ]


@dataclass(frozen=True)
class Corpus:
    repos: dict[str, Indexed]
    extremes_peak_rss: int  # bytes


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    """The corpus, built and indexed once for this module."""
    base = tmp_path_factory.mktemp("hostile")
    with pytest.MonkeyPatch.context() as patch:
        for key, value in HERMETIC_ENV.items():
            patch.setenv(key, value)
        patch.delenv("SYMBIOTE_STORE", raising=False)
        paths = build(base / "repos")
        repos: dict[str, Indexed] = {}
        for name in ("content", "names", "submodule", "history", "shallow"):
            store = base / f"{name}.duckdb"
            summary = index_repository(paths[name], store, ONE_JOB)
            repos[name] = Indexed(paths[name], store, summary.statuses)
        statuses, rss = _index_in_child(paths["extremes"], base / "extremes.duckdb", base)
        repos["extremes"] = Indexed(paths["extremes"], base / "extremes.duckdb", statuses)
        yield Corpus(repos, rss)


def _index_in_child(repo: Path, store: Path, base: Path) -> tuple[dict[str, int], int]:
    """Index in a child process; its statuses and its peak RSS in bytes (Linux: KiB)."""
    out, err = base / "child.out", base / "child.err"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(repo), str(store)],
            cwd=ROOT,
            stdout=stdout,
            stderr=stderr,
        )
        _pid, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    assert child.returncode == 0, err.read_text()
    return json.loads(out.read_text()), usage.ru_maxrss * 1024


def test_the_corpus_holds_every_case_of_the_issue() -> None:
    assert sorted(CASES) == sorted(
        [
            "binary file",
            "huge file",
            "invalid UTF-8",
            "mixed encodings",
            "BOM",
            "CRLF",
            "LFS pointer files",
            "10,000-level nesting",
            "1 MB single line",
            "file name with a newline",
            "file name with quotes",
            "file name with ..",
            "file name with non-UTF-8 bytes",
            "symlinks",
            "symlink to outside the repository",
            "submodules",
            "shallow clone",
            "orphan branch",
            "octopus merge",
            "commit with thousands of files",
            "empty commit",
        ]
    )


@pytest.mark.parametrize(
    "name", ["content", "extremes", "names", "submodule", "history", "shallow"]
)
def test_every_store_verifies(corpus: Corpus, name: str) -> None:
    repo = corpus.repos[name]
    report = verify_store(repo.repo, repo.store)
    assert [c.name for c in report.checks if not c.ok] == []


def test_hostile_contents_get_a_status_each(corpus: Corpus) -> None:
    content = corpus.repos["content"]
    unknown = ("blob", "unsupported_language", "no patterns for unknown", 0)
    binary = ("blob", "binary", "NUL byte in the first bytes", 0)
    assert content.files() == {
        ".gitattributes": unknown,
        "binary/blob.py": binary,
        "binary/image.png": unknown,
        "huge/huge.py": ("blob", "too_large", "1200000 bytes > limit 1048576", 0),
        "encoding/invalid.py": (
            "blob",
            "encoding_error",
            "invalid UTF-8 at byte 23; names decoded with replacement; "
            "syntax error at line 4; kept what parsed",
            1,
        ),
        "encoding/latin1.py": (
            "blob",
            "encoding_error",
            "invalid UTF-8 at byte 7; names decoded with replacement; "
            "syntax error at line 1; kept what parsed",
            1,
        ),
        "encoding/mixed.py": (
            "blob",
            "encoding_error",
            "invalid UTF-8 at byte 28; names decoded with replacement; "
            "syntax error at line 3; kept what parsed",
            2,
        ),
        "encoding/utf16.py": binary,  # UTF-16 has NUL bytes: not UTF-8 source
        "encoding/bom.py": ("blob", "ok", None, 1),
        "crlf/crlf.py": ("blob", "ok", None, 2),
        # Lone CRs end statements for the grammar but not lines for the schema (the whole
        # file is line 1); the error is a missing newline the tree does not list, so the
        # line is that of the innermost node holding it.
        "crlf/cr_only.py": ("blob", "parse_error", "syntax error at line 1; kept what parsed", 2),
        "lfs/weights.bin": unknown,
        "lfs/model.py": ("blob", "parse_error", "syntax error at line 1; kept what parsed", 2),
    }
    assert content.statuses == {
        "binary": 2,
        "encoding_error": 3,
        "ok": 2,
        "parse_error": 2,
        "too_large": 1,
        "unsupported_language": 3,
    }


def test_what_parses_in_hostile_contents_is_answerable(corpus: Corpus) -> None:
    assert corpus.repos["content"].symbols() == [
        ("crlf/cr_only.py", "first", "function", 1, 0),
        ("crlf/cr_only.py", "second", "function", 1, 22),  # lines count "\n" only
        ("crlf/crlf.py", "Crlf", "class", 1, 0),
        ("crlf/crlf.py", "Crlf.run", "method", 2, 4),
        ("encoding/bom.py", "bom", "function", 1, 3),  # the BOM's 3 bytes are column 0-2
        ("encoding/invalid.py", "ok", "function", 1, 0),
        ("encoding/latin1.py", "caf", "function", 1, 0),  # the name ends at the bad byte
        ("encoding/mixed.py", "été", "function", 1, 0),
        ("encoding/mixed.py", "no", "function", 3, 0),
        # What tree-sitter recovers from an LFS pointer: `https: //...` and `sha256:4d...`
        # read as annotated module-level names.
        ("lfs/model.py", "https", "variable", 1, 8),
        ("lfs/model.py", "sha256", "variable", 2, 4),
    ]


def test_deep_nesting_and_a_1mb_line_complete_in_bounded_memory(corpus: Corpus) -> None:
    extremes = corpus.repos["extremes"]
    assert corpus.extremes_peak_rss < 2 * GIB
    assert extremes.files() == {
        "nesting/lists.py": ("blob", "ok", None, 1),  # the module-level name of the list
        "nesting/blocks.js": ("blob", "ok", None, 0),
        "nesting/functions.js": (
            "blob",
            "ok",
            "9900 definitions nested deeper than 100 levels skipped",
            100,
        ),
        "long_line/minified.js": ("blob", "ok", None, LONG_LINE_FUNCTIONS + 1),
        "long_line/data.py": ("blob", "ok", None, 2),
    }
    assert extremes.statuses == {"ok": 5}
    deepest = extremes.rows(
        "SELECT qualified_name, parent, start_line, start_col FROM symbols_at('HEAD') "
        "WHERE path = 'nesting/functions.js' ORDER BY idx DESC LIMIT 1"
    )
    chain = ".".join(f"n{i}" for i in range(100))
    assert deepest == [(chain, chain.rsplit(".", 1)[0], 1, len("function n0(){") * 10 + 15 * 89)]
    assert extremes.rows(
        "SELECT name, start_byte, start_line, end_line FROM symbols_at('HEAD') "
        "WHERE path = 'long_line/data.py' ORDER BY idx"
    ) == [("DATA", 0, 1, 1), ("after", LONG_LINE + 1, 2, 3)]
    minified = (extremes.repo / "long_line/minified.js").read_bytes()
    last_call_end = minified.index(b'var pad="') - len(b"()};")
    assert extremes.rows(
        "SELECT count(*), max(end_col), max(end_line) FROM references_at('HEAD') "
        "WHERE path = 'long_line/minified.js'"
    ) == [(LONG_LINE_FUNCTIONS - 1, last_call_end, 1)]


def test_odd_file_names_are_kept_exactly(corpus: Corpus) -> None:
    names = corpus.repos["names"]
    nfc = unicodedata.normalize("NFC", "café.py")
    nfd = unicodedata.normalize("NFD", "café.py")
    ok = ("blob", "ok", None, 1)
    link = "link", "symlink"
    assert names.files() == {
        "new\nline.py": ok,
        'quote".py': ok,
        "apos'trophe.py": ok,
        "back\\slash.py": ok,
        "sp ace.py": ok,
        "tab\tname.py": ok,
        "-dash.py": ok,
        "..hidden.py": ok,
        "dots..py": ok,
        "a..b/c.py": ok,
        "caf\\xe9.py": ok,  # not UTF-8: shown with \xNN escapes, bytes kept in raw_name
        "\\xff\\xfe.py": ok,
        nfc: ok,
        nfd: ok,
        "sub/target.py": ok,
        "links/inside.py": (*link, "symlink to ../sub/target.py", 0),
        "links/outside": (*link, "symlink to /etc/passwd", 0),
        "links/escape.py": (*link, "symlink to ../../../outside.py", 0),
        "links/dangling.py": (*link, "symlink to nowhere.py", 0),
        "links/dir": (*link, "symlink to ../sub", 0),
        "links/loop": (*link, "symlink to loop", 0),
    }
    assert names.rows(
        "SELECT name, raw_name FROM tree_entries WHERE raw_name IS NOT NULL ORDER BY name"
    ) == [("\\xff\\xfe.py", b"\xff\xfe.py"), ("caf\\xe9.py", b"caf\xe9.py")]
    assert names.rows("SELECT DISTINCT mode FROM tree_entries WHERE kind = 'link'") == [(0o120000,)]
    # The files each commit changed (read from `git log --raw`) name paths as trees do.
    replayed: dict[str, str] = {}
    for commit in names.git("rev-list", "--reverse", "--first-parent", "HEAD").split():
        for path, after in names.rows(
            "SELECT path, after_blob FROM file_changes WHERE commit = ?", [commit]
        ):
            if after is None:
                replayed.pop(path, None)
            else:
                replayed[path] = after
    assert replayed == dict(names.rows("SELECT path, blob FROM files_at('HEAD')"))


def test_odd_file_names_are_answerable(corpus: Corpus) -> None:
    by_path = {path: name for path, name, *_ in corpus.repos["names"].symbols()}
    assert by_path == {
        "new\nline.py": "f0",
        'quote".py': "f1",
        "apos'trophe.py": "f2",
        "back\\slash.py": "f3",
        "sp ace.py": "f4",
        "tab\tname.py": "f5",
        "-dash.py": "f6",
        "..hidden.py": "f7",
        "dots..py": "f8",
        "a..b/c.py": "f9",
        "caf\\xe9.py": "f10",
        "\\xff\\xfe.py": "f11",
        unicodedata.normalize("NFC", "café.py"): "f12",
        unicodedata.normalize("NFD", "café.py"): "f13",
        "sub/target.py": "target",
    }
    with open_index(corpus.repos["names"].repo, store=corpus.repos["names"].store) as index:
        assert [s.qualified_name for s in index.symbols(path="new\nline.py")] == ["f0"]


def test_a_crafted_tree_with_dot_names_is_stored_as_it_is(corpus: Corpus) -> None:
    names = corpus.repos["names"]
    unknown = ("blob", "unsupported_language", "no patterns for unknown", 0)
    assert names.files("crafted") == {"..": unknown, ".git": unknown, "...": unknown}
    assert names.symbols("crafted") == []


def test_submodules_are_entries_that_are_not_followed(corpus: Corpus) -> None:
    sub = corpus.repos["submodule"]
    inner_head = sub.git("-C", "../inner", "rev-parse", "HEAD")
    assert sub.files() == {
        ".gitmodules": ("blob", "unsupported_language", "no patterns for unknown", 0),
        "main.py": ("blob", "ok", None, 1),
        "vendor/inner": ("submodule", None, None, None),
        "vendor/bare-gitlink": ("submodule", None, None, None),
    }
    assert sub.rows(
        "SELECT name, mode, object FROM tree_entries WHERE kind = 'submodule' ORDER BY name"
    ) == [("bare-gitlink", 0o160000, inner_head), ("inner", 0o160000, inner_head)]
    assert sub.symbols() == [("main.py", "main", "function", 1, 0)]


def test_odd_histories_are_indexed_commit_by_commit(corpus: Corpus) -> None:
    history = corpus.repos["history"]
    sha = {
        rev: history.git("rev-parse", rev)
        for rev in ("main", "main~1", "main~2", "main~3", "main~4", "a", "b", "c", "orphan")
    }
    commits = {
        message: (parents, tree)
        for message, parents, tree in history.rows("SELECT message, parents, tree FROM commits")
    }
    empty_tree = commits["empty"][1]
    assert commits == {
        "empty root": ([], EMPTY_TREE),
        "base": ([sha["main~4"]], empty_tree),
        "empty": ([sha["main~3"]], empty_tree),  # the same tree as its parent
        "branch a": ([sha["main~2"]], commits["branch a"][1]),
        "branch b": ([sha["main~2"]], commits["branch b"][1]),
        "branch c": ([sha["main~2"]], commits["branch c"][1]),
        "octopus": ([sha["main~2"], sha["a"], sha["b"], sha["c"]], commits["octopus"][1]),
        "orphan root": ([], commits["orphan root"][1]),
        "thousands": ([sha["main~1"]], commits["thousands"][1]),
    }
    assert history.statuses == {"ok": 3000 + 5}  # many/*, base, a, b, c, orphan
    assert history.symbols(sha["main~4"]) == []
    assert history.symbols("main~2") == [("base.py", "base", "function", 1, 0)]
    assert [s[1] for s in history.symbols("main~1")] == ["a", "b", "base", "c"]
    assert history.symbols("orphan") == [("orphan.py", "orphan", "function", 1, 0)]
    assert history.rows("SELECT count(*) FROM files_at('main')") == [(3004,)]
    assert history.rows(
        "SELECT count(*), count(DISTINCT qualified_name) FROM symbols_at('main') "
        "WHERE path LIKE 'many/%'"
    ) == [(3000, 3000)]
    # Changed files against the first parent: none for the empty commits, the octopus
    # against main~2 (the three branch files), every file of a root commit.
    files = dict(
        history.rows(
            "SELECT c.message, d.files FROM commits c JOIN commit_diffs d ON d.commit = c.sha"
        )
    )
    assert files == {
        "empty root": 0,
        "base": 1,
        "empty": 0,
        "branch a": 1,
        "branch b": 1,
        "branch c": 1,
        "octopus": 3,
        "orphan root": 1,
        "thousands": 3000,
    }


def test_a_shallow_clone_indexes_what_it_has(corpus: Corpus) -> None:
    shallow = corpus.repos["shallow"]
    head, boundary = shallow.git("rev-parse", "HEAD"), shallow.git("rev-parse", "HEAD~1")
    assert shallow.rows("SELECT sha, parents, message FROM commits ORDER BY message") == [
        (boundary, [], "v2"),  # as git shows it in the clone: the boundary has no parents
        (head, [boundary], "v3"),
    ]
    assert shallow.symbols("HEAD~1") == [("a.py", "v2", "function", 1, 0)]
    assert shallow.symbols() == [("a.py", "v3", "function", 1, 0)]
    with open_index(shallow.repo, store=shallow.store) as index:
        with pytest.raises(UnknownRevision):
            index.symbols(at="HEAD~2")
