"""JavaScript/TypeScript definitions against the TypeScript compiler's parser: recall.

Usage::

    python -m bench.js_definitions CHECKOUT [CHECKOUT ...] [--baseline REV]
        [--sample 50] [--seed 16] [--misses 8]

For every tracked file of each CHECKOUT that Symbiote reads as JavaScript, TypeScript or
TSX, ``ts.createSourceFile`` (typescript 5.9.3, installed with npm into ``bench/out/ts``
on first use; JavaScript files parsed as JavaScript) lists what the code defines, each
with where it came from:

* ``declaration``: functions, classes, interfaces, type aliases, enums (and members),
  namespaces, class members (methods, accessors, constructors, properties, parameter
  properties), interface members and members of an object type aliased directly;
* ``variable``: a variable initialised with a function, arrow function or class, at any
  depth;
* ``object member``: a method or function-valued property of an object literal held by a
  module-level variable or a class field;
* ``assignment``: ``a.b = function/arrow/class`` (``a.b.c``, ``a["b"]``, each name of a
  chain ``a.x = a.y = function``) at any depth, and ``this.m = ...`` whose nearest
  enclosing function is a plain function (a constructor function);
* ``prototype``: ``X.prototype.m = ...``, members of ``X.prototype = {...}``,
  ``Object.defineProperty(X.prototype, "m", {get/set/value})``;
* ``exports``: ``exports.x = ...``, ``module.exports.x = ...``, members of
  ``module.exports = {...}``.

Values are unwrapped of parentheses, ``as``, ``satisfies`` and ``!``. An oracle entry is
found when one of Symbiote's definitions of the same file (``extract(language, data)``)
has the same name on the same line. The bench prints, per repository and category, the
oracle's count and the recall of the current patterns and of the patterns at ``--baseline``
(the pattern files of a git revision of this repository, extracted in the same run by this
checkout's extractor), with examples of what is missed. ``--sample N`` prints N
definitions the current patterns add over the baseline (new rows, or rows whose qualified
name or kind changed), drawn with a fixed seed, for a precision check by hand.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
from dataclasses import dataclass
from pathlib import Path

from symbiote.indexer import parse
from symbiote.indexer.extract import Definition, Limits, extract
from symbiote.indexer.languages import language_for_path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
TS_DIR = OUT / "ts"
TYPESCRIPT = "typescript@5.9.3"
LANGUAGES = ("javascript", "typescript", "tsx")
CATEGORIES = ("declaration", "variable", "object member", "assignment", "prototype", "exports")

# The oracle, run by node: reads {"root", "files"} on stdin, prints one JSON array
# [path, name, line, category, form] per definition.
ORACLE_JS = r"""
const ts = require("typescript");
const fs = require("fs");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const K = ts.SyntaxKind;

function scriptKind(path) {
  if (/\.(js|mjs|cjs)$/.test(path)) return ts.ScriptKind.JS;
  if (/\.jsx$/.test(path)) return ts.ScriptKind.JSX;
  if (/\.tsx$/.test(path)) return ts.ScriptKind.TSX;
  return ts.ScriptKind.TS;
}
function unwrap(e) {
  while (e && (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) ||
               ts.isSatisfiesExpression(e) || ts.isNonNullExpression(e) ||
               ts.isTypeAssertionExpression(e))) e = e.expression;
  return e;
}
function isFn(e) {
  return !!e && (ts.isFunctionExpression(e) || ts.isArrowFunction(e) || ts.isClassExpression(e));
}
function nameText(n) {
  if (!n) return null;
  if (ts.isIdentifier(n) || ts.isPrivateIdentifier(n) || ts.isStringLiteral(n) ||
      ts.isNoSubstitutionTemplateLiteral(n) || ts.isNumericLiteral(n)) return n.text;
  return null;
}
function isExportsObject(e) {
  e = unwrap(e);
  if (ts.isIdentifier(e) && e.text === "exports") return true;
  return ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) &&
    e.expression.text === "module" && e.name.text === "exports";
}
function isPrototype(e) {
  e = unwrap(e);
  return ts.isPropertyAccessExpression(e) && e.name.text === "prototype";
}
function accessName(left) {
  if (ts.isPropertyAccessExpression(left)) return left.name;
  if (ts.isElementAccessExpression(left) && ts.isStringLiteralLike(left.argumentExpression))
    return left.argumentExpression;
  return null;
}
function finalValue(e) {
  e = unwrap(e);
  while (e && ts.isBinaryExpression(e) && e.operatorToken.kind === K.EqualsToken) {
    e = unwrap(e.right);
  }
  return e;
}
function nearestFunction(node) {
  for (let p = node.parent; p; p = p.parent) {
    if (ts.isFunctionLike(p) && !ts.isArrowFunction(p)) return p;
    if (ts.isClassLike(p) || ts.isSourceFile(p)) return p;
  }
  return null;
}
function moduleLevel(decl) {
  const statement = decl.parent && decl.parent.parent;
  return !!statement && ts.isVariableStatement(statement) &&
    (ts.isSourceFile(statement.parent) || ts.isModuleBlock(statement.parent));
}

for (const path of input.files) {
  const text = fs.readFileSync(input.root + "/" + path, "utf8");
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, scriptKind(path));
  const emit = (nameNode, name, category, form) => {
    if (name === null || name === undefined || name === "") return;
    const line = sf.getLineAndCharacterOfPosition(nameNode.getStart(sf)).line + 1;
    process.stdout.write(JSON.stringify([path, name, line, category, form]) + "\n");
  };
  const member = (m, category, form) => {
    if (ts.isMethodDeclaration(m) || ts.isGetAccessor(m) || ts.isSetAccessor(m)) {
      emit(m.name, nameText(m.name), category, form);
    } else if (ts.isPropertyAssignment(m) && isFn(unwrap(m.initializer))) {
      emit(m.name, nameText(m.name), category, form);
    }
  };
  const visit = (node) => {
    const parent = node.parent;
    if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) ||
         ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) ||
         ts.isEnumDeclaration(node) || ts.isEnumMember(node)) && node.name) {
      emit(node.name, nameText(node.name), "declaration", K[node.kind]);
    } else if (ts.isModuleDeclaration(node) && !ts.isModuleDeclaration(parent) &&
               !(node.flags & ts.NodeFlags.GlobalAugmentation)) {
      let inner = node;
      while (inner.body && ts.isModuleDeclaration(inner.body)) inner = inner.body;
      const name = ts.isStringLiteral(node.name) ? node.name.text
        : text.slice(node.name.getStart(sf), inner.name.end);
      emit(node.name, name, "declaration", "ModuleDeclaration");
    } else if (parent && ts.isClassLike(parent) &&
               (ts.isMethodDeclaration(node) || ts.isGetAccessor(node) ||
                ts.isSetAccessor(node) || ts.isPropertyDeclaration(node))) {
      emit(node.name, nameText(node.name), "declaration", "class " + K[node.kind]);
      if (ts.isPropertyDeclaration(node) && node.initializer &&
          ts.isObjectLiteralExpression(unwrap(node.initializer))) {
        for (const m of unwrap(node.initializer).properties) {
          member(m, "object member", "class field object");
        }
      }
    } else if (ts.isConstructorDeclaration(node)) {
      const keyword = node.getChildren(sf).find((c) => c.kind === K.ConstructorKeyword);
      if (keyword) emit(keyword, "constructor", "declaration", "Constructor");
      for (const p of node.parameters) {
        if (ts.isIdentifier(p.name) && p.modifiers &&
            p.modifiers.some((m) => m.kind !== K.Decorator)) {
          emit(p.name, p.name.text, "declaration", "parameter property");
        }
      }
    } else if ((ts.isPropertySignature(node) || ts.isMethodSignature(node)) &&
               (ts.isInterfaceDeclaration(parent) ||
                (ts.isTypeLiteralNode(parent) && ts.isTypeAliasDeclaration(parent.parent)))) {
      emit(node.name, nameText(node.name), "declaration", K[node.kind]);
    } else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      const value = unwrap(node.initializer);
      if (isFn(value)) emit(node.name, node.name.text, "variable", K[value.kind]);
      else if (moduleLevel(node) && ts.isObjectLiteralExpression(value)) {
        for (const m of value.properties) member(m, "object member", "variable object");
      }
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === K.EqualsToken) {
      const left = unwrap(node.left);
      const value = finalValue(node.right);
      const nameNode = accessName(left);
      if (nameNode && isFn(value) && !isExportsObject(left)) {
        const object = unwrap(left.expression);
        const name = nameText(nameNode);
        if (isPrototype(object)) emit(nameNode, name, "prototype", "X.prototype.m");
        else if (isExportsObject(object)) emit(nameNode, name, "exports", "exports.x");
        else if (object.kind === K.ThisKeyword) {
          const fn = nearestFunction(node);
          if (fn && (ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)))
            emit(nameNode, name, "assignment", "this.m in a function");
        } else emit(nameNode, name, "assignment",
                    ts.isElementAccessExpression(left) ? 'a["b"]' : "a.b");
      } else if (value && ts.isObjectLiteralExpression(value)) {
        if (isPrototype(left)) {
          for (const m of value.properties) member(m, "prototype", "X.prototype = {}");
        } else if (isExportsObject(left) && !ts.isIdentifier(left)) {
          for (const m of value.properties) member(m, "exports", "module.exports = {}");
        }
      }
    } else if (ts.isCallExpression(node) && node.arguments.length === 3 &&
               ts.isPropertyAccessExpression(node.expression) &&
               node.expression.getText(sf) === "Object.defineProperty" &&
               isPrototype(node.arguments[0]) && ts.isStringLiteralLike(node.arguments[1]) &&
               ts.isObjectLiteralExpression(node.arguments[2]) &&
               node.arguments[2].properties.some((m) =>
                 ts.isMethodDeclaration(m) || ts.isGetAccessor(m) || ts.isSetAccessor(m) ||
                 (ts.isPropertyAssignment(m) && isFn(unwrap(m.initializer))))) {
      emit(node.arguments[1], node.arguments[1].text, "prototype", "Object.defineProperty");
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}
"""


@dataclass(frozen=True, slots=True)
class Entry:
    """One definition the TypeScript parser sees."""

    path: str
    name: str
    line: int
    category: str
    form: str


def ensure_typescript() -> Path:
    """The oracle script, with typescript installed beside it (npm, first use only)."""
    if not (TS_DIR / "node_modules" / "typescript" / "package.json").exists():
        TS_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--prefix", str(TS_DIR), "--no-audit", "--no-fund", TYPESCRIPT],
            check=True,
        )
    script = TS_DIR / "js_definitions_oracle.js"
    script.write_text(ORACLE_JS, encoding="utf-8")
    return script


def source_files(checkout: Path) -> dict[str, tuple[str, bytes]]:
    """Tracked JavaScript/TypeScript files of a checkout that the extractor parses."""
    listed = subprocess.run(
        ["git", "-C", str(checkout), "ls-files", "-z"], capture_output=True, check=True
    ).stdout
    limits = Limits()
    files: dict[str, tuple[str, bytes]] = {}
    for raw in sorted(listed.split(b"\0")):
        path = raw.decode()
        language = language_for_path(path)
        full = checkout / path
        if language not in LANGUAGES or not full.is_file() or full.is_symlink():
            continue
        data = full.read_bytes()
        if len(data) > limits.max_bytes or b"\0" in data[: limits.binary_probe]:
            continue
        files[path] = (language, data)
    return files


def oracle(script: Path, checkout: Path, paths: list[str]) -> list[Entry]:
    """What the TypeScript parser sees in those files (the first category of a name)."""
    out = subprocess.run(
        ["node", str(script)],
        input=json.dumps({"root": str(checkout), "files": paths}),
        capture_output=True,
        text=True,
        check=True,
        cwd=TS_DIR,
    ).stdout
    entries: dict[tuple[str, str, int], Entry] = {}
    for line in out.splitlines():
        path, name, number, category, form = json.loads(line)
        entries.setdefault((path, name, number), Entry(path, name, number, category, form))
    return list(entries.values())


def _patterns_at(revision: str) -> dict[str, str]:
    """The pattern files of the JS/TS languages at a git revision of this repository."""

    def read(language: str) -> str:
        text = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{revision}:indexer/patterns/{language}.scm"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        parents = [
            line.split(":", 1)[1].strip()
            for line in text.splitlines()
            if line.startswith("; inherits: ")
        ]
        return "\n".join([text, *(read(parent) for parent in parents)])

    return {language: read(language) for language in LANGUAGES}


def extract_all(
    files: dict[str, tuple[str, bytes]], patterns: dict[str, str] | None
) -> dict[str, list[Definition]]:
    """Definitions of every file, with the package's patterns or the given ones (swapped in
    through the parse module's pattern loader and compile cache: a bench-only hook)."""
    original = parse.patterns_source
    if patterns is not None:
        parse.patterns_source = patterns.__getitem__  # type: ignore[assignment]
    parse._compiled.cache_clear()
    try:
        return {
            path: extract(language, data).definitions for path, (language, data) in files.items()
        }
    finally:
        parse.patterns_source = original  # type: ignore[assignment]
        parse._compiled.cache_clear()


def recall(
    entries: list[Entry], definitions: dict[str, list[Definition]]
) -> dict[str, tuple[int, int, list[Entry]]]:
    """Per category: oracle count, found count, missed entries."""
    keys = {(path, d.name, d.name_line) for path, defs in definitions.items() for d in defs}
    result: dict[str, tuple[int, int, list[Entry]]] = {}
    for category in CATEGORIES:
        these = [e for e in entries if e.category == category]
        missed = [e for e in these if (e.path, e.name, e.line) not in keys]
        result[category] = (len(these), len(these) - len(missed), missed)
    return result


def changes(
    before: dict[str, list[Definition]], after: dict[str, list[Definition]]
) -> tuple[list[tuple[str, Definition]], int, int]:
    """What ``after`` changes over ``before``: its rows that ``before`` lacks (a new name
    and line, or a new qualified name or kind there), how many of them only renamed a
    row (same name and line), and how many names and lines ``after`` no longer has."""

    def rows(defs: dict[str, list[Definition]]) -> set[tuple[str, str, int, str, str]]:
        return {
            (p, d.name, d.name_line, d.qualified_name, d.kind) for p, ds in defs.items() for d in ds
        }

    old, new = rows(before), rows(after)
    old_places = {row[:3] for row in old}
    new_places = {row[:3] for row in new}
    added = [
        (path, d)
        for path, defs in sorted(after.items())
        for d in defs
        if (path, d.name, d.name_line, d.qualified_name, d.kind) not in old
    ]
    renamed = sum((path, d.name, d.name_line) in old_places for path, d in added)
    return added, renamed, len(old_places - new_places)


def _ratio(found: int, total: int) -> str:
    return f"{found / total:.3f}" if total else "  -  "


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkouts", nargs="+", type=Path)
    parser.add_argument("--baseline", help="git revision of this repository to compare with")
    parser.add_argument("--sample", type=int, default=0, help="added rows to print")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--misses", type=int, default=8, help="missed examples per category")
    args = parser.parse_args()
    script = ensure_typescript()
    baseline = _patterns_at(args.baseline) if args.baseline else None
    header = f"{'repository':<12} {'category':<14} {'oracle':>7}"
    header += f" {'baseline':>9} {'now':>7}" if baseline else f" {'now':>7}"
    rows: list[str] = []
    new_rows: list[tuple[str, str, Definition]] = []
    summary: list[str] = []
    for checkout in args.checkouts:
        repo = checkout.resolve().name
        files = source_files(checkout)
        entries = oracle(script, checkout.resolve(), list(files))
        now = extract_all(files, None)
        figures = recall(entries, now)
        before = None
        if baseline:
            old = extract_all(files, baseline)
            before = recall(entries, old)
            rows_added, renamed, removed = changes(old, now)
            new_rows += [(repo, path, d) for path, d in rows_added]
            parentless = sum(d.parent is None for _, d in rows_added)
            summary.append(
                f"{repo}: {len(rows_added)} rows added or changed ({renamed} renamed in place,"
                f" {parentless} without a parent), {removed} names gone"
            )
        total = [0, 0, 0]
        for category in CATEGORIES:
            count, found, missed = figures[category]
            total[0] += count
            total[1] += found
            line = f"{repo:<12} {category:<14} {count:>7}"
            if before is not None:
                total[2] += before[category][1]
                line += f" {_ratio(before[category][1], count):>9}"
            rows.append(line + f" {_ratio(found, count):>7}")
            for entry in missed[: args.misses]:
                rows.append(f"    missed {entry.path}:{entry.line} {entry.name} ({entry.form})")
        line = f"{repo:<12} {'all':<14} {total[0]:>7}"
        if before is not None:
            line += f" {_ratio(total[2], total[0]):>9}"
        rows.append(line + f" {_ratio(total[1], total[0]):>7}")
        ours = sum(len(defs) for defs in now.values())
        revision = subprocess.run(
            ["git", "-C", str(checkout), "describe", "--tags", "--always"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        rows.append(f"{repo:<12} at {revision}: files {len(files)}, our definitions {ours}")
    print(header)
    print("\n".join(rows))
    if summary:
        print("over the baseline:")
        print("\n".join(f"  {line}" for line in summary))
    if args.sample and new_rows:
        print(f"\nsample of {args.sample} added rows (seed {args.seed}):")
        rng = random.Random(args.seed)
        for repo, path, d in rng.sample(new_rows, min(args.sample, len(new_rows))):
            print(
                f"  {repo} {path}:{d.name_line} {d.kind} {d.qualified_name}"
                f" (parent {d.parent}) | {d.signature[:90]}"
            )


if __name__ == "__main__":
    main()
