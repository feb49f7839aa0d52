"""Which language a path is written in, decided by its file name alone.

The decision is per path, not per blob: the same content at ``a.c`` and ``a.cpp`` is
parsed once per language. Languages we extract symbols from are :data:`SUPPORTED`; any
other file gets a descriptive name (``markdown``, ``json``, ...) or ``unknown`` and is
stored with status ``unsupported_language``.
"""

from __future__ import annotations

import posixpath

SUPPORTED: tuple[str, ...] = (
    "python",
    "javascript",
    "typescript",
    "tsx",
    "go",
    "rust",
    "java",
    "c",
    "cpp",
    "csharp",
    "kotlin",
    "swift",
    "scala",
    "dart",
    "groovy",
    "objc",
    "solidity",
    "ruby",
    "php",
    "elixir",
    "erlang",
    "haskell",
    "ocaml",
    "ocaml_interface",
    "elm",
    "clojure",
    "lua",
    "bash",
    "perl",
    "r",
    "julia",
    "zig",
    "terraform",
    "hcl",
)

_BY_EXTENSION: dict[str, str] = {
    ".py": "python",
    ".pyi": "python",
    ".pyw": "python",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "javascript",
    ".ts": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".tsx": "tsx",
    ".go": "go",
    ".rs": "rust",
    ".java": "java",
    ".c": "c",
    # `.h` is C++, as in universal-ctags: C++'s grammar reads C headers about as well
    # (git's 344 headers: 8,048 definitions, against 8,042 as C) and C++ headers far
    # better (spdlog's: 4,059 against 1,336, where C's grammar fails on every namespace).
    ".h": "cpp",
    ".cc": "cpp",
    ".cpp": "cpp",
    ".cxx": "cpp",
    ".c++": "cpp",
    ".hh": "cpp",
    ".hpp": "cpp",
    ".hxx": "cpp",
    ".h++": "cpp",
    ".ipp": "cpp",
    ".cs": "csharp",
    ".kts": "kotlin",
    ".sc": "scala",
    ".dart": "dart",
    ".groovy": "groovy",
    ".gradle": "groovy",
    ".m": "objc",
    # Objective-C++: read as Objective-C, whose classes, methods and messages are what
    # these files are for; the C++ inside (templates, namespaces) is kept where it parses.
    ".mm": "objc",
    ".sol": "solidity",
    ".rb": "ruby",
    ".rake": "ruby",
    ".gemspec": "ruby",
    ".php": "php",
    ".ex": "elixir",
    ".exs": "elixir",
    ".erl": "erlang",
    ".hrl": "erlang",
    ".hs": "haskell",
    ".ml": "ocaml",
    ".mli": "ocaml_interface",
    ".elm": "elm",
    ".clj": "clojure",
    ".cljs": "clojure",
    ".cljc": "clojure",
    ".lua": "lua",
    ".rockspec": "lua",
    ".sh": "bash",
    ".bash": "bash",
    ".bats": "bash",
    ".pl": "perl",
    ".pm": "perl",
    ".t": "perl",
    ".psgi": "perl",
    ".r": "r",
    ".jl": "julia",
    ".zig": "zig",
    # `.tf` is parsed with tree-sitter-hcl's Terraform dialect: it reads Terraform as the
    # plain HCL grammar does (the same trees on all 77 files of terraform-aws-vpc), and a
    # language of its own keeps Terraform's block meanings (resource addresses, `var.`)
    # apart from other HCL files (Packer, Nomad), whose `hcl.scm` only inherits them.
    ".tf": "terraform",
    ".tfvars": "terraform",
    ".hcl": "hcl",
    # Not extracted, but named so status counts are readable.
    ".md": "markdown",
    ".rst": "restructuredtext",
    ".txt": "text",
    ".json": "json",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".toml": "toml",
    ".ini": "ini",
    ".cfg": "ini",
    ".xml": "xml",
    ".html": "html",
    ".css": "css",
    ".sql": "sql",
    ".kt": "kotlin",
    ".swift": "swift",
    ".scala": "scala",
}

_BY_NAME: dict[str, str] = {
    "Rakefile": "ruby",
    "Gemfile": "ruby",
    "Makefile": "make",
    "Dockerfile": "dockerfile",
    ".bashrc": "bash",
    ".bash_profile": "bash",
    ".bash_login": "bash",
    ".bash_logout": "bash",
    ".bash_aliases": "bash",
    "PKGBUILD": "bash",
    ".Rprofile": "r",
}

UNKNOWN = "unknown"
# Sidecar files (structured notes beside a source file, see indexer.sidecar_files).
SIDECAR = "symbiote-sidecar"
LINK_LANGUAGE = "symlink"  # symlinks are stored as blobs of this pseudo-language
SIDECAR_SUFFIX = ".symbiote.json"


def language_for_path(path: str) -> str:
    """Return the language name for ``path`` (``unknown`` if nothing matches)."""
    base = posixpath.basename(path)
    if base.endswith(SIDECAR_SUFFIX) and len(base) > len(SIDECAR_SUFFIX):
        return SIDECAR
    if base in _BY_NAME:
        return _BY_NAME[base]
    _, ext = posixpath.splitext(base)
    return _BY_EXTENSION.get(ext.lower(), UNKNOWN)


def is_supported(language: str) -> bool:
    """True when symbols are extracted for ``language``."""
    return language in SUPPORTED
