"""Which language a path is written in, decided by its file name alone.

The decision is per path, not per blob: the same content at ``a.c`` and ``a.cpp`` is
parsed once per language. Languages we extract symbols from have a level: the languages
of :data:`SUPPORTED` have pattern files (``patterns``), the single-file components of
:data:`COMPONENTS` (Vue, Svelte) run the JavaScript/TypeScript patterns on their script
blocks (``patterns``), and those of :data:`GENERIC` get the generic extractor, which
finds definitions by the grammar's node types (``generic``). Any other file gets a
descriptive name (``markdown``, ``json``, ...) or ``unknown`` and is stored with status
``unsupported_language``.
"""

from __future__ import annotations

import hashlib
import json
import posixpath

SUPPORTED: tuple[str, ...] = (
    "python",
    "javascript",
    "typescript",
    "tsx",
    "go",
    "gomod",
    "npm",
    "msbuild",
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
    # MSBuild project files (XML): their `<Using Include="..."/>` items are the C#
    # project's global usings.
    ".csproj": "msbuild",
    ".props": "msbuild",
    ".targets": "msbuild",
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
    "go.mod": "gomod",
    "package.json": "npm",
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

# ---- single-file components and the generic extractor's languages (kept apart from the
# pattern languages above, which take precedence for an extension both name)

# Vue and Svelte: the definitions of their <script> blocks (JavaScript, or TypeScript by
# `lang="ts"`), at their offsets in the whole file (indexer/sfc.py).
COMPONENTS: tuple[str, ...] = ("vue", "svelte")
_COMPONENT_EXTENSIONS = {".vue": "vue", ".svelte": "svelte"}

# Languages of the grammar bundle without patterns of their own, by their well-known
# extensions. Left out: data and markup formats (JSON, YAML, TOML, XML, HTML, CSS,
# Markdown, LaTeX, ...); grammars in which the generic rule finds (next to) nothing
# because their definitions are not definition nodes (CMake's `function(name)` is a
# command, Scheme's, Racket's and Janet's `(define ...)` are lists, and so are COBOL,
# Agda, Rego, TableGen, WebAssembly text, Nix, Make); `.m` (Objective-C here, not MATLAB),
# `.v` (Verilog, not V), `.pp` (Puppet, not Pascal), `.cls` (LaTeX and VBA as often as
# Apex), `.hh` (C++, not Hack), `.inc` (anything); and the languages that are getting
# patterns of their own (Lua, Bash, Perl, R, Julia, Zig, HCL).
_GENERIC_EXTENSIONS: dict[str, str] = {
    ".as": "actionscript",
    ".adb": "ada",
    ".ads": "ada",
    ".ada": "ada",
    ".ino": "arduino",
    ".bicep": "bicep",
    ".bb": "bitbake",
    ".bbclass": "bitbake",
    ".bbappend": "bitbake",
    ".bsl": "bsl",
    ".cairo": "cairo",
    ".capnp": "capnp",
    ".clar": "clarity",
    ".lisp": "commonlisp",
    ".lsp": "commonlisp",
    ".asd": "commonlisp",
    ".cu": "cuda",
    ".cuh": "cuda",
    ".d": "d",
    ".di": "d",
    ".el": "elisp",
    ".fnl": "fennel",
    ".fir": "firrtl",
    ".fish": "fish",
    ".f90": "fortran",
    ".f95": "fortran",
    ".f03": "fortran",
    ".f08": "fortran",
    ".fs": "fsharp",
    ".fsx": "fsharp",
    ".fc": "func",
    ".gd": "gdscript",
    ".gleam": "gleam",
    ".glsl": "glsl",
    ".vert": "glsl",
    ".frag": "glsl",
    ".geom": "glsl",
    ".graphql": "graphql",
    ".graphqls": "graphql",
    ".gql": "graphql",
    ".hack": "hack",
    ".ha": "hare",
    ".hx": "haxe",
    ".hlsl": "hlsl",
    ".hlsli": "hlsl",
    ".ispc": "ispc",
    ".ll": "llvm",
    ".luau": "luau",
    ".magik": "magik",
    ".nim": "nim",
    ".nims": "nim",
    ".nimble": "nim",
    ".nqc": "nqc",
    ".odin": "odin",
    ".pas": "pascal",
    ".dpr": "pascal",
    ".lpr": "pascal",
    ".pony": "pony",
    ".ps1": "powershell",
    ".psm1": "powershell",
    ".proto": "proto",
    ".pp": "puppet",
    ".purs": "purescript",
    ".qml": "qmljs",
    ".smali": "smali",
    ".smithy": "smithy",
    ".nut": "squirrel",
    ".bzl": "starlark",
    ".star": "starlark",
    ".tcl": "tcl",
    ".thrift": "thrift",
    ".v": "verilog",
    ".vh": "verilog",
    ".sv": "verilog",
    ".svh": "verilog",
    ".vhd": "vhdl",
    ".vhdl": "vhdl",
    ".vim": "vim",
    ".wgsl": "wgsl",
}
_GENERIC_NAMES: dict[str, str] = {}
# Generic languages: those of the maps above without patterns (a language that gains a
# pattern file leaves this list by itself).
GENERIC: tuple[str, ...] = tuple(
    sorted({*_GENERIC_EXTENSIONS.values(), *_GENERIC_NAMES.values()} - {*SUPPORTED, *COMPONENTS})
)

UNKNOWN = "unknown"
# Sidecar files (structured notes beside a source file, see indexer.sidecar_files).
SIDECAR = "symbiote-sidecar"
LINK_LANGUAGE = "symlink"  # symlinks are stored as blobs of this pseudo-language
SIDECAR_SUFFIX = ".symbiote.json"


def map_digest() -> str:
    """A digest of how names map to languages: a store labelled under another map has
    its tree entries relabelled (:mod:`indexer.relabel`)."""
    tables = (_BY_NAME, _GENERIC_NAMES, _BY_EXTENSION, _COMPONENT_EXTENSIONS, _GENERIC_EXTENSIONS)
    text = json.dumps([sorted(t.items()) for t in tables] + [SIDECAR_SUFFIX])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def language_for_path(path: str) -> str:
    """Return the language name for ``path`` (``unknown`` if nothing matches)."""
    base = posixpath.basename(path)
    if base.endswith(SIDECAR_SUFFIX) and len(base) > len(SIDECAR_SUFFIX):
        return SIDECAR
    if base in _BY_NAME:
        return _BY_NAME[base]
    if base in _GENERIC_NAMES:
        return _GENERIC_NAMES[base]
    ext = posixpath.splitext(base)[1].lower()
    found = _BY_EXTENSION.get(ext) or _COMPONENT_EXTENSIONS.get(ext)
    return found or _GENERIC_EXTENSIONS.get(ext, UNKNOWN)


# Languages parsed with another language's grammar: an npm package manifest is JSON, an
# MSBuild project XML.
_GRAMMARS = {"npm": "json", "msbuild": "xml"}


def grammar(language: str) -> str:
    """The name of the grammar that parses ``language``."""
    return _GRAMMARS.get(language, language)


def is_supported(language: str) -> bool:
    """True when symbols are extracted for ``language``."""
    return language in SUPPORTED or language in COMPONENTS or language in GENERIC


# Levels of extraction: pattern files (or a component's script blocks run through them),
# or the generic rule.
LEVEL_PATTERNS = "patterns"
LEVEL_GENERIC = "generic"


def level(language: str) -> str | None:
    """How ``language`` is extracted (:data:`LEVEL_PATTERNS`, :data:`LEVEL_GENERIC`), or
    None when it is not."""
    if language in SUPPORTED or language in COMPONENTS:
        return LEVEL_PATTERNS
    return LEVEL_GENERIC if language in GENERIC else None


def extracted() -> tuple[str, ...]:
    """Every language symbols are extracted from: pattern languages, components, generic."""
    return (*SUPPORTED, *COMPONENTS, *GENERIC)


def file_names(language: str) -> tuple[list[str], list[str]]:
    """The extensions and the file names that select ``language``, sorted."""
    maps = (_BY_EXTENSION, _COMPONENT_EXTENSIONS, _GENERIC_EXTENSIONS)
    extensions = {ext for table in maps for ext, lang in table.items() if lang == language}
    # An extension the pattern languages own is not the generic one's.
    extensions = {ext for ext in extensions if language_for_path("x" + ext) == language}
    names = {
        n for table in (_BY_NAME, _GENERIC_NAMES) for n, lang in table.items() if lang == language
    }
    return sorted(extensions), sorted(n for n in names if language_for_path(n) == language)
