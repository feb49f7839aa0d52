"""Go-to-definition oracle for Python: jedi, in a venv that holds only jedi and parso.

Usage (with that venv's interpreter)::

    python jedi_oracle.py sites REPO_ROOT OUT.jsonl   # the population, from `ast`
    python jedi_oracle.py serve REPO_ROOT             # answers sites read on stdin

``sites`` writes every identifier used inside a function body (a ``Name`` or an
attribute read; not a def/class name, a parameter, an assignment target or an import)
as one JSON line ``{path, line (1-based), col (0-based bytes), name, receiver,
receiver_at}``; receiver is null for a plain name, "self" for ``self.x`` / ``cls.x`` /
``super().x``, and "value" for any other ``expr.x`` (``serve`` turns it into "static"
when jedi infers the expression to be a module or a class). ``serve`` reads such lines
and answers each with ``{path, line, col, receiver, status, target, detail}`` as
bench/oracles/ts_oracle.js describes. Columns sent to jedi are code points.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path
from typing import Any

SKIP_DIRS = {".git", "node_modules", ".venv", "venv", "build", "dist", ".tox"}


def python_files(root: Path) -> list[Path]:
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if any(part in SKIP_DIRS for part in rel.parts[:-1]):
            continue
        found.append(path)
    return found


def last_identifier(node: ast.expr, source_lines: list[bytes]) -> list[int] | None:
    """Where the receiver's last identifier starts, for jedi's ``infer``."""
    if isinstance(node, ast.Name):
        return [node.lineno, node.col_offset]
    if isinstance(node, ast.Attribute) and node.end_lineno is not None:
        col = (node.end_col_offset or 0) - len(node.attr.encode())
        return [node.end_lineno, col]
    return None


def sites_of(path: Path, rel: str) -> list[dict[str, Any]]:
    data = path.read_bytes()
    try:
        tree = ast.parse(data)
    except (SyntaxError, ValueError):
        return []
    lines = data.split(b"\n")
    found: list[dict[str, Any]] = []

    def add(line: int, col: int, name: str, receiver: str | None, at: Any = None) -> None:
        found.append(
            {
                "path": rel,
                "line": line,
                "col": col,
                "name": name,
                "receiver": receiver,
                "receiver_at": at,
            }
        )

    def visit(node: ast.AST, in_body: bool) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            for field, value in ast.iter_fields(node):
                children = value if isinstance(value, list) else [value]
                for child in children:
                    if isinstance(child, ast.AST):
                        visit(child, in_body or field == "body")
            return
        if in_body and isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            add(node.lineno, node.col_offset, node.id, None)
        if (
            in_body
            and isinstance(node, ast.Attribute)
            and isinstance(node.ctx, ast.Load)
            and node.end_lineno is not None
            and node.end_col_offset is not None
        ):
            line, col = node.end_lineno, node.end_col_offset - len(node.attr.encode())
            text = lines[line - 1] if line - 1 < len(lines) else b""
            if text[col : col + len(node.attr.encode())] == node.attr.encode():
                value = node.value
                if isinstance(value, ast.Name) and value.id in ("self", "cls"):
                    add(line, col, node.attr, "self")
                elif (
                    isinstance(value, ast.Call)
                    and isinstance(value.func, ast.Name)
                    and value.func.id == "super"
                ):
                    add(line, col, node.attr, "self")
                else:
                    add(line, col, node.attr, "value", last_identifier(value, lines))
        for child in ast.iter_child_nodes(node):
            visit(child, in_body)

    visit(tree, False)
    return found


def write_sites(root: Path, out: Path) -> None:
    count = 0
    with out.open("w") as handle:
        for path in python_files(root):
            for site in sites_of(path, path.relative_to(root).as_posix()):
                handle.write(json.dumps(site) + "\n")
                count += 1
    print(f"jedi_oracle: {count} sites", file=sys.stderr)


class Oracle:
    def __init__(self, root: Path) -> None:
        import jedi

        self.jedi = jedi
        self.root = root.resolve()
        extra = [str(self.root / "src")] if (self.root / "src").is_dir() else []
        self.project = jedi.Project(self.root, added_sys_path=extra)
        self.sources: dict[str, tuple[str, list[bytes]]] = {}

    def source(self, rel: str) -> tuple[str, list[bytes]]:
        if rel not in self.sources:
            data = (self.root / rel).read_bytes()
            self.sources = {rel: (data.decode("utf-8", "replace"), data.split(b"\n"))}
        return self.sources[rel]

    def script(self, rel: str) -> Any:
        code, _ = self.source(rel)
        return self.jedi.Script(code, path=self.root / rel, project=self.project)

    def code_points(self, rel: str, line: int, col: int) -> int:
        _, lines = self.source(rel)
        return len(lines[line - 1][:col].decode("utf-8", "replace"))

    def inside(self, path: Path | None) -> str | None:
        if path is None:
            return None
        try:
            return Path(path).resolve().relative_to(self.root).as_posix()
        except ValueError:
            return None

    def receiver(self, site: dict[str, Any]) -> str | None:
        at = site.get("receiver_at")
        if site["receiver"] != "value" or not at:
            return site["receiver"]
        try:
            col = self.code_points(site["path"], at[0], at[1])
            inferred = self.script(site["path"]).infer(at[0], col)
        except Exception:  # jedi's own failures: keep the syntactic answer
            return "value"
        if inferred and all(n.type in ("module", "class") for n in inferred):
            return "static"
        return "value"

    def answer(self, site: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = {
            "path": site["path"],
            "line": site["line"],
            "col": site["col"],
            "receiver": self.receiver(site),
            "status": "unresolved",
            "target": None,
            "detail": None,
        }
        try:
            col = self.code_points(site["path"], site["line"], site["col"])
            names = self.script(site["path"]).goto(site["line"], col, follow_imports=True)
        except Exception as exc:  # jedi's own failures are an unresolved site
            result["detail"] = f"jedi: {type(exc).__name__}"
            return result
        if not names:
            result["detail"] = "no name"
            return result
        places = {(str(n.module_path), n.line) for n in names}
        rels = [self.inside(n.module_path) for n in names]
        if any(r is None for r in rels) or any(n.in_builtin_module() for n in names):
            result["status"] = "external"
            outside = [n for n, r in zip(names, rels, strict=True) if r is None]
            result["detail"] = (outside[0].module_name if outside else "builtins") or "?"
            return result
        if len(places) > 1:
            result["status"] = "ambiguous"
            result["detail"] = "+".join(sorted({n.type for n in names}))
            return result
        name = names[0]
        tree_name = name._name.tree_name
        definition = tree_name.get_definition() if tree_name is not None else None
        if definition is not None and definition.type in ("import_from", "import_name"):
            result["status"] = "external"
            result["detail"] = "import not followed"
            return result
        if name.type not in ("function", "class", "property"):
            result["status"] = "not_definition"
            result["detail"] = name.type
            return result
        main, lines = name.line, {name.line, outer_line(definition)}
        if definition is not None and definition.type == "funcdef":
            group = siblings(definition)
            for sibling in group:
                lines.update({sibling.name.start_pos[0], outer_line(sibling)})
            if group:
                main = group[0].name.start_pos[0]
        result["status"] = "ok"
        result["target"] = {
            "path": rels[0],
            "line": main,
            "lines": sorted(lines),
            "name": name.name,
            "kind": "class" if name.type == "class" else "function",
        }
        return result


def outer_line(node: Any) -> int:
    """The first line of a definition: its first decorator's, else its keyword's."""
    while node is not None and node.parent is not None:
        if node.parent.type not in ("async_funcdef", "async_stmt", "decorated"):
            break
        node = node.parent
    return int(node.start_pos[0]) if node is not None else 0


PROPERTY = re.compile(
    r"^@(property|functools\.cached_property|cached_property|\w+\.(setter|getter|deleter))\b"
)
OVERLOAD = re.compile(r"^@((typing|t)\.)?overload\b")


def siblings(funcdef: Any) -> list[Any]:
    """The definitions that are one with ``funcdef``: a property's getter, setter and
    deleter, or a function and its ``@overload`` stubs; the getter, or the
    implementation, first. Empty when it stands alone."""
    scope = funcdef.parent
    while scope is not None and scope.type not in ("classdef", "funcdef", "file_input"):
        scope = scope.parent
    if scope is None:
        return []
    name = funcdef.name.value
    same = [f for f in scope.iter_funcdefs() if f.name.value == name]
    if len(same) < 2:
        return []

    def decorators(f: Any) -> list[str]:
        return [d.get_code().strip() for d in f.get_decorators()]

    grouped = [
        f for f in same if any(PROPERTY.match(d) or OVERLOAD.match(d) for d in decorators(f))
    ]
    if not grouped:
        return []
    members = [f for f in same if f in grouped or not any(OVERLOAD.match(d) for d in decorators(f))]
    members.sort(
        key=lambda f: (
            not any(
                d.startswith(("@property", "@functools.cached", "@cached")) for d in decorators(f)
            ),
            any(OVERLOAD.match(d) for d in decorators(f)),
            f.start_pos,
        )
    )
    return members


def serve(root: Path) -> None:
    oracle = Oracle(root)
    for line in sys.stdin:
        if not line.strip():
            continue
        print(json.dumps(oracle.answer(json.loads(line))), flush=True)


def main() -> None:
    command, root = sys.argv[1], Path(sys.argv[2])
    if command == "sites":
        write_sites(root, Path(sys.argv[3]))
    elif command == "serve":
        serve(root)
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main()
