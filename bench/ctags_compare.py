"""Definitions against universal-ctags on a checkout: recall, and what each side lacks.

Usage::

    python -m bench.ctags_compare WORKTREE [--exclude-kinds local,parameter,...] [--show 6]
        [--languages swift,...]

For every file of WORKTREE in a supported language, it extracts definitions as the indexer
does and runs ``ctags -R`` over the same tree. A ctags tag is matched when a definition of
the same file and name has its name within 3 lines of the tag's line, or spans that line.
It prints, per language: the blob statuses, ctags' tags and ours, the share of ctags' tags
matched, ctags' unmatched tags by kind (with examples) and our unmatched definitions by
kind. Anonymous entities ctags names (``__anon...``, ``AnonymousFunction...``) and the
excluded kinds (default: locals, parameters, includes, macro parameters) are left out.
``--languages`` keeps only those of our languages (a Swift repository's bundled JavaScript
is not the Swift figure). Languages ctags has no parser for are defined to it by line
regexes (:data:`CTAGS_REGEX`).
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from symbiote.indexer.extract import Definition, extract
from symbiote.indexer.languages import is_supported, language_for_path

# Our language names -> ctags' (`ctags --list-languages`).
CTAGS_LANGUAGE = {
    "python": "Python",
    "javascript": "JavaScript",
    "typescript": "TypeScript",
    "tsx": "TypeScript",
    "go": "Go",
    "rust": "Rust",
    "java": "Java",
    "c": "C",
    "cpp": "C++",
    "csharp": "C#",
    "ruby": "Ruby",
    "php": "PHP",
    "elixir": "Elixir",
    "erlang": "Erlang",
    "haskell": "Haskell",
    "ocaml": "OCaml",
    "ocaml_interface": "OCaml",
    "elm": "Elm",
    "clojure": "Clojure",
    "kotlin": "Kotlin",
    "swift": "Swift",  # CTAGS_REGEX
    "scala": "Scala",  # CTAGS_REGEX
    "dart": "Dart",  # CTAGS_REGEX
    "groovy": "Groovy",  # CTAGS_REGEX
    "objc": "ObjectiveC",
    "solidity": "Solidity",  # CTAGS_REGEX
    "lua": "Lua",
    "bash": "Sh",
    "perl": "Perl",
    "r": "R",
    "julia": "Julia",
    "zig": "Zig",  # CTAGS_REGEX
    "terraform": "Terraform",  # CTAGS_REGEX
    "hcl": "Terraform",  # CTAGS_REGEX (the Terraform rules; `.hcl` files share them)
}
# Languages of the generic extractor (indexer/generic.py) that ctags has a parser for.
CTAGS_LANGUAGE.update(
    {
        "ada": "Ada",
        "commonlisp": "Lisp",
        "cuda": "CUDA",
        "d": "D",
        "elisp": "EmacsLisp",
        "fortran": "Fortran",
        "haxe": "Haxe",
        "pascal": "Pascal",
        "powershell": "PowerShell",
        "proto": "Protobuf",
        "puppet": "PuppetManifest",
        "tcl": "Tcl",
        "verilog": "Verilog",
        "vhdl": "VHDL",
        "vim": "Vim",
    }
)
# Our languages ctags reads as more than one: `.sv`/`.svh` are ctags' SystemVerilog.
CTAGS_ALSO = {"verilog": ("SystemVerilog",)}
# ctags names put as we name definitions: an Objective-C method by its first selector
# keyword (`GET:parameters:success:` -> `GET:`), see patterns/objc.scm.
CTAGS_NAME = {
    "ObjectiveC": lambda name: name.split(":", 1)[0] + ":" if ":" in name else name,
    # A Lua function by its last name (`M.new`, `M:add` -> `new`, `add`; ours are
    # qualified `M.new`, `M.add`).
    "Lua": lambda name: name.replace(":", ".").rsplit(".", 1)[-1],
    # A Vim dictionary function by its last name (`s:Bookmark.New` -> `New`; ours are
    # methods qualified `s:Bookmark.New`).
    "Vim": lambda name: name.rsplit(".", 1)[-1],
    # A Puppet class, defined type or type alias by its last name (`apache::mod::alias`
    # -> `alias`; ours are qualified `apache::mod.alias`).
    "PuppetManifest": lambda name: name.rsplit("::", 1)[-1],
    # A Julia parametric constructor without its parameters (`Stack{T}` -> `Stack`).
    "Julia": lambda name: name.split("{", 1)[0],
}
# ctags names a Pascal method defined outside its class, a D module, an Ada child unit and
# a Protobuf package by the dotted path (`TShape.Create`, `app.shapes`, `GNATCOLL.Traces`,
# `google.api`); we name them by the last part.
CTAGS_NAME.update(
    dict.fromkeys(("Pascal", "D", "Ada", "Protobuf"), lambda name: name.rsplit(".", 1)[-1])
)
# ctags kinds that are locals when their scope is a function or method (with `local` in
# the excluded kinds): ctags' Kotlin parser tags every `val` in a body as a constant.
LOCALS_IN_FUNCTIONS = {
    "Kotlin": {"constant", "variable"},
}


@dataclass(frozen=True)
class RegexLanguage:
    """A language universal-ctags 5.9 has no parser for, defined to it by line regexes
    (`--langdef`, `--regex-<LANG>`) for the kinds this comparison is about: functions,
    methods, classes and other types. A regex reads one line at a time: it knows no
    scopes, misses declarations split over lines and tags look-alikes in comments."""

    name: str  # the ctags language name
    extensions: tuple[str, ...]
    kinds: dict[str, str]  # kind letter -> kind name
    # (POSIX extended regex, its name group, kind letter); an empty kind letter marks
    # lines no later regex may tag (Swift `class func f()` defines no class `func`).
    rules: tuple[tuple[str, str, str], ...]


_SWIFT_MODIFIERS = (
    r"((@[A-Za-z_][A-Za-z0-9_.]*(\([^)]*\))?|public|private|fileprivate|internal|open|package"
    r"|final|static|class|override|mutating|nonmutating|convenience|required|dynamic|indirect"
    r"|lazy|optional|prefix|postfix|infix|nonisolated|distributed"
    r"|(private|fileprivate|internal|public|open|package)\(set\))[ \t]+)*"
)  # four groups
_SCALA_MODIFIERS = (
    r"(((private|protected)(\[[A-Za-z0-9_.]*\])?|override|final|sealed|abstract|implicit"
    r"|lazy|case|inline|opaque|open|transparent|infix|@[A-Za-z_][A-Za-z0-9_.]*(\([^)]*\))?)"
    r"[ \t]+)*"
)  # five groups
_DART_MODIFIERS = (
    r"((abstract|sealed|base|final|interface|mixin|static|external|const|late|covariant"
    r"|@[A-Za-z_][A-Za-z0-9_.]*(\([^)]*\))?)[ \t]+)*"
)  # three groups
_DART_TYPE = r"[A-Za-z_$][A-Za-z0-9_$.]*(<[^()=;]*>)?\??[ \t]+"  # one group
_GROOVY_MODIFIERS = (
    r"((public|private|protected|static|final|abstract|synchronized|default"
    r"|@[A-Za-z_][A-Za-z0-9_.]*(\([^)]*\))?)[ \t]+)*"
)  # three groups
_ID = "([A-Za-z_][A-Za-z0-9_]*)"
_ZIG_CONST = rf"^[ \t]*(pub[ \t]+)?const[ \t]+{_ID}[ \t]*=[ \t]*"  # two groups
CTAGS_REGEX = {
    "swift": RegexLanguage(
        "Swift",
        (".swift",),
        {"f": "function", "c": "class", "s": "struct", "e": "enum", "p": "protocol", "t": "type"},
        (
            (rf"^[ \t]*{_SWIFT_MODIFIERS}func[ \t]+{_ID}", r"\5", "f"),
            (
                rf"^[ \t]*{_SWIFT_MODIFIERS}class[ \t]+(func|var|let|subscript|init|override"
                r"|final|static|private|public|internal|fileprivate|open|package)[ \t]",
                "",
                "",
            ),
            (rf"^[ \t]*{_SWIFT_MODIFIERS}(class|actor)[ \t]+{_ID}", r"\6", "c"),
            (rf"^[ \t]*{_SWIFT_MODIFIERS}struct[ \t]+{_ID}", r"\5", "s"),
            (rf"^[ \t]*{_SWIFT_MODIFIERS}enum[ \t]+{_ID}", r"\5", "e"),
            (rf"^[ \t]*{_SWIFT_MODIFIERS}protocol[ \t]+{_ID}", r"\5", "p"),
            (rf"^[ \t]*{_SWIFT_MODIFIERS}(typealias|associatedtype)[ \t]+{_ID}", r"\6", "t"),
        ),
    ),
    "scala": RegexLanguage(
        "Scala",
        (".scala", ".sc"),
        {"f": "method", "c": "class", "t": "trait", "o": "object", "e": "enum", "T": "type"},
        (
            (rf"^[ \t]*{_SCALA_MODIFIERS}def[ \t]+{_ID}", r"\6", "f"),
            (rf"^[ \t]*{_SCALA_MODIFIERS}class[ \t]+{_ID}", r"\6", "c"),
            (rf"^[ \t]*{_SCALA_MODIFIERS}trait[ \t]+{_ID}", r"\6", "t"),
            (rf"^[ \t]*{_SCALA_MODIFIERS}object[ \t]+{_ID}", r"\6", "o"),
            (rf"^[ \t]*{_SCALA_MODIFIERS}enum[ \t]+{_ID}", r"\6", "e"),
            (rf"^[ \t]*{_SCALA_MODIFIERS}type[ \t]+{_ID}", r"\6", "T"),
        ),
    ),
    "groovy": RegexLanguage(
        "Groovy",
        (".groovy", ".gradle"),
        {"c": "class", "i": "interface", "t": "trait", "e": "enum", "m": "method"},
        (
            (rf"^[ \t]*{_GROOVY_MODIFIERS}class[ \t]+{_ID}", r"\4", "c"),
            (rf"^[ \t]*{_GROOVY_MODIFIERS}interface[ \t]+{_ID}", r"\4", "i"),
            (rf"^[ \t]*{_GROOVY_MODIFIERS}trait[ \t]+{_ID}", r"\4", "t"),
            (rf"^[ \t]*{_GROOVY_MODIFIERS}enum[ \t]+{_ID}", r"\4", "e"),
            # Statements that look like `Type name(`: not declarations.
            (r"^[ \t]*(return|new|throw|assert|else|if|while|for|switch|catch)[ \t(]", "", ""),
            # Spock features, named by a string: `def "adds numbers"() {`
            (rf"^[ \t]*{_GROOVY_MODIFIERS}def[ \t]+(\"[^\"]*\")[ \t]*\(", r"\4", "m"),
            (
                rf"^[ \t]*{_GROOVY_MODIFIERS}(<[^>]*>[ \t]*)?[A-Za-z_][A-Za-z0-9_.]*(<[^()]*>)?"
                rf"(\[\])?[ \t]+{_ID}[ \t]*\(",
                r"\7",
                "m",
            ),
            # Constructors: a capitalised name, parameters and a brace on one line
            (
                r"^[ \t]*((public|private|protected)[ \t]+)?([A-Z][A-Za-z0-9_]*)[ \t]*"
                r"\([^()]*\)[ \t]*\{[ \t]*$",
                r"\3",
                "m",
            ),
        ),
    ),
    "solidity": RegexLanguage(
        "Solidity",
        (".sol",),
        {"c": "contract", "i": "interface", "l": "library", "f": "function", "m": "modifier"}
        | {"e": "event", "s": "struct", "E": "enum", "r": "error"},
        (
            (rf"^[ \t]*(abstract[ \t]+)?contract[ \t]+{_ID}", r"\2", "c"),
            (rf"^[ \t]*interface[ \t]+{_ID}", r"\1", "i"),
            (rf"^[ \t]*library[ \t]+{_ID}", r"\1", "l"),
            (rf"^[ \t]*function[ \t]+{_ID}", r"\1", "f"),
            (rf"^[ \t]*modifier[ \t]+{_ID}", r"\1", "m"),
            (rf"^[ \t]*event[ \t]+{_ID}", r"\1", "e"),
            (rf"^[ \t]*struct[ \t]+{_ID}", r"\1", "s"),
            (rf"^[ \t]*enum[ \t]+{_ID}", r"\1", "E"),
            (rf"^[ \t]*error[ \t]+{_ID}[ \t]*\(", r"\1", "r"),
        ),
    ),
    "dart": RegexLanguage(
        "Dart",
        (".dart",),
        {"c": "class", "m": "mixin", "e": "enum", "x": "extension", "t": "typedef"}
        | {"f": "function", "g": "getter", "s": "setter"},
        (
            (rf"^[ \t]*{_DART_MODIFIERS}class[ \t]+{_ID}", r"\4", "c"),
            (rf"^[ \t]*{_DART_MODIFIERS}mixin[ \t]+{_ID}", r"\4", "m"),
            (rf"^[ \t]*enum[ \t]+{_ID}", r"\1", "e"),
            (r"^[ \t]*extension[ \t]+on[ \t]", "", ""),
            (rf"^[ \t]*extension[ \t]+(type[ \t]+)?{_ID}", r"\2", "x"),
            (rf"^[ \t]*typedef[ \t]+{_ID}[ \t]*(<[^>]*>)?[ \t]*=", r"\1", "t"),
            # Statements that look like `Type name(`: not declarations.
            (
                r"^[ \t]*(return|if|for|while|switch|catch|await|new|throw|else|assert|case"
                r"|yield|async|on|var|final|const)[ \t(]",
                "",
                "",
            ),
            (rf"^[ \t]*{_DART_MODIFIERS}{_DART_TYPE}Function[ \t]*[<(]", "", ""),
            (rf"^[ \t]*{_DART_MODIFIERS}{_DART_TYPE}get[ \t]+{_ID}", r"\5", "g"),
            (rf"^[ \t]*{_DART_MODIFIERS}({_DART_TYPE})?set[ \t]+{_ID}[ \t]*\(", r"\6", "s"),
            (rf"^[ \t]*{_DART_MODIFIERS}{_DART_TYPE}{_ID}[ \t]*(<[^()]*>)?\(", r"\5", "f"),
        ),
    ),
    "zig": RegexLanguage(
        "Zig",
        (".zig",),
        {"f": "function", "s": "struct", "e": "enum", "u": "union", "t": "test"},
        (
            (
                r'^[ \t]*(pub[ \t]+)?((export|extern|inline|noinline)[ \t]+("[^"]*"[ \t]+)?)?'
                rf"fn[ \t]+{_ID}",
                r"\5",
                "f",
            ),
            (
                rf"{_ZIG_CONST}((extern|packed)[ \t]+)?struct\b",
                r"\2",
                "s",
            ),
            (rf"{_ZIG_CONST}enum\b", r"\2", "e"),
            (
                rf"{_ZIG_CONST}((extern|packed)[ \t]+)?union\b",
                r"\2",
                "u",
            ),
            # Tests are named by a string (with its quotes, as ours) or an identifier.
            (r'^[ \t]*test[ \t]+("[^"]*"|[A-Za-z_][A-Za-z0-9_]*)', r"\1", "t"),
        ),
    ),
    "terraform": RegexLanguage(
        "Terraform",
        (".tf", ".tfvars", ".hcl"),
        {"r": "resource", "d": "data", "m": "module", "v": "variable", "o": "output"},
        (
            (r'^resource[ \t]+"[^"]+"[ \t]+"([^"]+)"', r"\1", "r"),
            (r'^data[ \t]+"[^"]+"[ \t]+"([^"]+)"', r"\1", "d"),
            (r'^module[ \t]+"([^"]+)"', r"\1", "m"),
            (r'^variable[ \t]+"([^"]+)"', r"\1", "v"),
            (r'^output[ \t]+"([^"]+)"', r"\1", "o"),
        ),
    ),
}
# ctags' R parser names anonymous functions, lists, vectors and data frames itself.
_R_ANONYMOUS = re.compile(r"^anon(Func|List|Vec|DataFrame)[0-9a-f]+$")
TOLERANCE = 3  # lines between ctags' line and our name line (decorators, annotations)


def ours(
    tree: Path, only: set[str] | None = None
) -> tuple[dict[tuple[str, str], list[Definition]], dict[str, collections.Counter[str]]]:
    """Our definitions by (path, name), and blob statuses by language."""
    found: dict[tuple[str, str], list[Definition]] = collections.defaultdict(list)
    statuses: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for path in sorted(tree.rglob("*")):
        if not path.is_file() or ".git" in path.parts:
            continue
        language = language_for_path(path.name)
        if not is_supported(language) or (only is not None and language not in only):
            continue
        result = extract(language, path.read_bytes())
        statuses[language][result.status] += 1
        for definition in result.definitions:
            found[(path.relative_to(tree).as_posix(), definition.name)].append(definition)
    return found, statuses


def ctags(tree: Path, languages: set[str], exclude: set[str]) -> list[dict[str, object]]:
    """ctags' tags of the tree in those languages, without excluded kinds or anonymous ones
    (a language ctags has no parser for, such as go.mod, is left out)."""
    names = sorted(
        {CTAGS_LANGUAGE[language] for language in languages if language in CTAGS_LANGUAGE}
        | {also for language in languages for also in CTAGS_ALSO.get(language, ())}
    )
    out = subprocess.run(
        ["ctags", "-R", "--links=no", *_regex_options(languages)]
        + [f"--languages={','.join(names)}"]
        + ["--fields=+nKsl", "--output-format=json", "-f", "-", "."],
        cwd=tree,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    tags = [json.loads(line) for line in out.splitlines() if line.startswith('{"_type": "tag"')]
    return [
        t
        for t in tags
        if t["kind"] not in exclude
        and not str(t["name"]).startswith(("__anon", "Anonymous", "<"))  # Kotlin `<lambda>`
        and not _R_ANONYMOUS.match(str(t["name"]))
        and not _local(t, exclude)
        and "Anonymous" not in str(t.get("scope") or "")
        and "__anon" not in str(t.get("scope") or "")
    ]


def _regex_options(languages: set[str]) -> list[str]:
    """ctags options that define the languages of CTAGS_REGEX it has no parser for."""
    listed = subprocess.run(
        ["ctags", "--list-languages"], capture_output=True, text=True, check=True
    ).stdout.split()
    options: list[str] = []
    for language in sorted(languages):
        spec = CTAGS_REGEX.get(language)
        if spec is None or spec.name in listed:
            continue
        options += [f"--langdef={spec.name}"]
        options += [f"--map-{spec.name}=+{extension}" for extension in spec.extensions]
        options += [f"--kinddef-{spec.name}={k},{name},{name}" for k, name in spec.kinds.items()]
        for regex, group, kind in spec.rules:
            rule = f"/{regex}/{group}/{kind}/" if kind else f"/{regex}///{{exclusive}}"
            options.append(f"--regex-{spec.name}={rule}")
    return options


def _local(tag: dict[str, object], exclude: set[str]) -> bool:
    """A tag in a function's body that ctags gives a member's kind (see LOCALS_IN_FUNCTIONS)."""
    return (
        "local" in exclude
        and tag.get("scopeKind") in ("method", "function")
        and tag["kind"] in LOCALS_IN_FUNCTIONS.get(str(tag.get("language")), ())
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("worktree", type=Path)
    ap.add_argument("--exclude-kinds", default="local,parameter,header,macroparam")
    ap.add_argument("--show", type=int, default=6, help="examples per unmatched kind")
    ap.add_argument("--languages", help="only these of our languages, e.g. swift,kotlin")
    args = ap.parse_args()

    only = set(args.languages.split(",")) if args.languages else None
    found, statuses = ours(args.worktree, only)
    tags = ctags(args.worktree, set(statuses), set(args.exclude_kinds.split(",")))
    matched: set[int] = set()
    missed: list[dict[str, object]] = []
    if only is not None:  # ctags' tags in files we read as another language (`.h`: C++)
        tags = [t for t in tags if language_for_path(str(t["path"])) in only]
    for tag in tags:
        path = str(tag["path"]).removeprefix("./")
        line = int(str(tag["line"]))
        name = CTAGS_NAME.get(str(tag.get("language")), str)(str(tag["name"]))
        hits = [
            d
            for d in found.get((path, name), [])
            if abs(d.name_line - line) <= TOLERANCE or d.start_line <= line <= d.end_line
        ]
        if hits:
            matched.add(id(hits[0]))
        else:
            missed.append(tag)
    total = sum(len(v) for v in found.values())
    print("statuses:", {lang: dict(counts) for lang, counts in sorted(statuses.items())})
    share = 100 * (len(tags) - len(missed)) / max(1, len(tags))
    print(f"ctags tags {len(tags):,}; our definitions {total:,}; ctags tags matched {share:.1f}%")
    by_kind = collections.Counter(str(t["kind"]) for t in missed)
    print("ctags tags we lack, by kind:", dict(by_kind.most_common()))
    for kind, _ in by_kind.most_common():
        examples = [t for t in missed if t["kind"] == kind][: args.show]
        for t in examples:
            print(f"  {kind:<12} {t['path']}:{t['line']} {t['name']} (scope {t.get('scope')})")
    extra = [d for v in found.values() for d in v if id(d) not in matched]
    print("our definitions ctags lacks, by kind:", dict(collections.Counter(d.kind for d in extra)))


if __name__ == "__main__":
    main()
