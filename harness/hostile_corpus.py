"""The hostile corpus: nasty git repositories, built with the real ``git`` on demand.

This script *is* the committed corpus (issue 6, "hostile and odd input"): the
repositories are generated, never committed. Every git call runs under a hermetic
environment (no user or system config, fixed identities and dates), so the same script
gives the same commit shas on every machine.

Usage::

    python -m harness.hostile_corpus DEST     # builds the repositories under DEST
    from harness.hostile_corpus import build  # build(dest) -> {repo name: path}

The repositories, and which case of the issue each file, branch or commit stands for
(:data:`CASES` maps every case to where it lives):

``content``
    one commit of hostile file contents: binary files, a file over the size limit,
    invalid UTF-8, Latin-1 and mixed encodings, UTF-16, a UTF-8 BOM, CRLF and lone-CR
    line ends, Git LFS pointer files (with their ``.gitattributes``).
``extremes``
    one commit of files that stress the parser: 10,000 levels of nesting (brackets,
    blocks and nested function definitions) and a 1 MB single line.
``names``
    file names with a newline, quotes, a backslash, spaces, a leading dash, ``..``,
    bytes that are not UTF-8, NFC and NFD spellings of one name; symlinks inside the
    repository, to outside it, dangling, to a directory and to themselves. Branch
    ``crafted`` points at a commit whose tree (made with ``git mktree``, as no work tree
    can hold it) has entries named ``..``, ``.git`` and ``...``.
``submodule``
    a submodule with its ``.gitmodules`` entry, and a bare gitlink with none.
``history``
    a root commit with the empty tree, an empty commit, an octopus merge of three
    branches, an orphan branch, and a commit adding thousands of files.
``shallow``
    a ``git clone --depth 2`` of ``shallow-origin`` (four linear commits).
"""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from pathlib import Path

from harness.hermetic import HERMETIC_ENV

# Sizes of the generated cases, shared with the tests that check them.
HUGE_BYTES = 1_200_000  # over the extractor's default limit (Limits.max_bytes, 1 MiB)
NESTING = 10_000  # levels of nesting
LONG_LINE = 1_000_000  # bytes of the single line, newline excluded
MANY_FILES = 3_000  # files added by one commit
LONG_LINE_FUNCTIONS = 1_001  # functions on the long line of long_line/minified.js

# Each case of the issue -> "repository: where" (a path, branch or commit message).
CASES: dict[str, str] = {
    "binary file": "content: binary/blob.py, binary/image.png",
    "huge file": "content: huge/huge.py",
    "invalid UTF-8": "content: encoding/invalid.py",
    "mixed encodings": "content: encoding/latin1.py, encoding/mixed.py, encoding/utf16.py",
    "BOM": "content: encoding/bom.py, encoding/utf16.py",
    "CRLF": "content: crlf/crlf.py, crlf/cr_only.py",
    "LFS pointer files": "content: lfs/weights.bin, lfs/model.py",
    "10,000-level nesting": "extremes: nesting/lists.py, nesting/blocks.js, nesting/functions.js",
    "1 MB single line": "extremes: long_line/minified.js, long_line/data.py",
    "file name with a newline": "names: new\\nline.py",
    "file name with quotes": "names: quote\".py, apos'trophe.py",
    "file name with ..": "names: ..hidden.py, dots..py, a..b/c.py; branch crafted: ..",
    "file name with non-UTF-8 bytes": "names: caf\\xe9.py, \\xff\\xfe.py",
    "symlinks": "names: links/*",
    "symlink to outside the repository": "names: links/outside, links/escape.py",
    "submodules": "submodule: vendor/inner, vendor/bare-gitlink",
    "shallow clone": "shallow (clone --depth 2 of shallow-origin)",
    "orphan branch": "history: branch orphan",
    "octopus merge": "history: commit 'octopus'",
    "commit with thousands of files": "history: commit 'thousands'",
    "empty commit": "history: commits 'empty root' and 'empty'",
}


class Repo:
    """A repository under construction; each commit gets the next fixed date."""

    def __init__(self, path: Path, *, init: bool = True) -> None:
        self.path = path
        self.tick = 0
        if init:
            path.mkdir(parents=True, exist_ok=True)
            self.git("init", "-q", "-b", "main")

    def git(self, *args: str, stdin: bytes | None = None) -> str:
        self.tick += 1
        date = f"2024-01-01T00:{self.tick // 60:02d}:{self.tick % 60:02d}+00:00"
        env = {**os.environ, **HERMETIC_ENV, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        result = subprocess.run(
            ["git", *args], cwd=self.path, env=env, input=stdin, check=True, capture_output=True
        )
        return result.stdout.decode("utf-8", errors="replace").strip()

    def write(self, rel: str | bytes, content: str | bytes) -> None:
        target = self.path / (os.fsdecode(rel) if isinstance(rel, bytes) else rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode() if isinstance(content, str) else content)

    def link(self, rel: str, target: str) -> None:
        where = self.path / rel
        where.parent.mkdir(parents=True, exist_ok=True)
        where.symlink_to(target)

    def commit(self, message: str, *, allow_empty: bool = False) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, *(["--allow-empty"] if allow_empty else []))
        return self.git("rev-parse", "HEAD")


LFS_POINTER = (
    b"version https://git-lfs.github.com/spec/v1\n"
    b"oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
    b"size 12345\n"
)


def build_content(repo: Repo) -> None:
    """Hostile file contents, one commit."""
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"
    repo.write("binary/blob.py", png + b"\ndef hidden():\n    pass\n")
    repo.write("binary/image.png", png)
    repo.write("huge/huge.py", b"x = 1\n" * (HUGE_BYTES // 6))
    repo.write("encoding/invalid.py", b"def ok():\n    return b'\xff\xfe'\n\ndef \xc3\x28():\n")
    repo.write("encoding/latin1.py", "def café():\n    return 'naïve'\n".encode("latin-1"))
    repo.write(
        "encoding/mixed.py",
        "def été():\n    pass\n".encode() + "def noël():\n    pass\n".encode("latin-1"),
    )
    repo.write("encoding/utf16.py", "def wide():\n    pass\n".encode("utf-16"))  # with a BOM
    repo.write("encoding/bom.py", b"\xef\xbb\xbfdef bom():\n    pass\n")
    repo.write("crlf/crlf.py", b"class Crlf:\r\n    def run(self):\r\n        return 1\r\n")
    repo.write("crlf/cr_only.py", b"def first():\r    pass\rdef second():\r    pass\r")
    repo.write(".gitattributes", "lfs/* filter=lfs diff=lfs merge=lfs -text\n")
    repo.write("lfs/weights.bin", LFS_POINTER)
    repo.write("lfs/model.py", LFS_POINTER)
    repo.commit("hostile content")


def long_line_js() -> bytes:
    """Minified JavaScript: one line of exactly LONG_LINE bytes, then a newline. A chain of
    LONG_LINE_FUNCTIONS functions, each calling the previous, then a string literal."""
    calls = b"".join(b"function f%d(){return f%d()};" % (i, i - 1) for i in range(1, 1001))
    head = b"function f0(){};" + calls + b'var pad="'
    return head + b"a" * (LONG_LINE - len(head) - 2) + b'";\n'


def build_extremes(repo: Repo) -> None:
    """Deep nesting and a 1 MB line, one commit."""
    repo.write("nesting/lists.py", b"x = " + b"[" * NESTING + b"]" * NESTING + b"\n")
    repo.write("nesting/blocks.js", b"{" * NESTING + b"}" * NESTING + b"\n")
    functions = b"".join(b"function n%d(){" % i for i in range(NESTING)) + b"}" * NESTING
    repo.write("nesting/functions.js", functions + b"\n")
    repo.write("long_line/minified.js", long_line_js())
    data = b'DATA = "' + b"a" * (LONG_LINE - 9) + b'"\ndef after():\n    pass\n'
    repo.write("long_line/data.py", data)
    repo.commit("extremes")


ODD_NAMES: tuple[bytes, ...] = (
    b"new\nline.py",
    b'quote".py',
    b"apos'trophe.py",
    b"back\\slash.py",
    b"sp ace.py",
    b"tab\tname.py",
    b"-dash.py",
    b"..hidden.py",
    b"dots..py",
    b"a..b/c.py",
    b"caf\xe9.py",  # Latin-1, not UTF-8
    b"\xff\xfe.py",
    unicodedata.normalize("NFC", "café.py").encode(),
    unicodedata.normalize("NFD", "café.py").encode(),
)


def build_names(repo: Repo) -> None:
    """Odd file names and symlinks; branch ``crafted`` holds names no work tree can."""
    for n, raw in enumerate(ODD_NAMES):
        repo.write(raw, f"def f{n}():\n    pass\n")
    repo.write("sub/target.py", "def target():\n    pass\n")
    repo.link("links/inside.py", "../sub/target.py")
    repo.link("links/outside", "/etc/passwd")
    repo.link("links/escape.py", "../../../outside.py")
    repo.link("links/dangling.py", "nowhere.py")
    repo.link("links/dir", "../sub")
    repo.link("links/loop", "loop")
    repo.commit("odd names")
    blob = repo.git("hash-object", "-w", "--stdin", stdin=b"def crafted():\n    pass\n")
    listing = "".join(f"100644 blob {blob}\t{name}\n" for name in ("..", ".git", "..."))
    tree = repo.git("mktree", stdin=listing.encode())
    commit = repo.git("commit-tree", tree, "-m", "crafted names")
    repo.git("branch", "crafted", commit)


def build_submodule(repo: Repo, inner: Repo) -> None:
    """A submodule with a .gitmodules entry, and a gitlink without one."""
    inner.write("lib.py", "def lib():\n    pass\n")
    inner_head = inner.commit("lib")
    repo.write("main.py", "def main():\n    pass\n")
    repo.git(
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        str(inner.path),
        "vendor/inner",
    )
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{inner_head},vendor/bare-gitlink")
    repo.git("add", "main.py")  # not `add -A`: it would drop the gitlink with no directory
    repo.git("commit", "-q", "-m", "submodules")


def build_history(repo: Repo) -> None:
    """Empty commits, an octopus merge, an orphan branch, thousands of files."""
    repo.commit("empty root", allow_empty=True)
    repo.write("base.py", "def base():\n    pass\n")
    repo.commit("base")
    repo.commit("empty", allow_empty=True)
    for branch in ("a", "b", "c"):
        repo.git("checkout", "-q", "-b", branch, "main")
        repo.write(f"{branch}.py", f"def {branch}():\n    pass\n")
        repo.commit(f"branch {branch}")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "octopus", "a", "b", "c")
    repo.git("checkout", "-q", "--orphan", "orphan")
    repo.git("rm", "-q", "-r", "--cached", ".")
    for name in ("base.py", "a.py", "b.py", "c.py"):
        (repo.path / name).unlink()
    repo.write("orphan.py", "def orphan():\n    pass\n")
    repo.commit("orphan root")
    repo.git("checkout", "-q", "-f", "main")
    for i in range(MANY_FILES):
        repo.write(f"many/d{i // 100:02d}/m{i:04d}.py", f"def m{i}():\n    return {i}\n")
    repo.commit("thousands")


def build_shallow(origin: Repo, dest: Path) -> Repo:
    """Four linear commits, cloned with --depth 2."""
    for n in range(4):
        origin.write("a.py", f"def v{n}():\n    pass\n")
        origin.commit(f"v{n}")
    clone = Repo(dest, init=False)
    origin.git("clone", "-q", "--depth", "2", f"file://{origin.path}", str(dest))
    return clone


def build(dest: Path) -> dict[str, Path]:
    """Build every repository of the corpus under ``dest``: {repository name: path}."""
    dest.mkdir(parents=True, exist_ok=True)
    repos = {
        name: Repo(dest / name)
        for name in ("content", "extremes", "names", "submodule", "inner", "history")
    }
    build_content(repos["content"])
    build_extremes(repos["extremes"])
    build_names(repos["names"])
    build_submodule(repos["submodule"], repos["inner"])
    build_history(repos["history"])
    origin = Repo(dest / "shallow-origin")
    repos["shallow-origin"] = origin
    repos["shallow"] = build_shallow(origin, dest / "shallow")
    return {name: repo.path for name, repo in repos.items()}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(f"usage: {argv[0]} DEST", file=sys.stderr)
        return 2
    for name, path in build(Path(argv[1])).items():
        print(f"{name}\t{path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
