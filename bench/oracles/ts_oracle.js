// Go-to-definition oracle for TypeScript: the compiler's checker.
//
// Usage: node ts_oracle.js TYPESCRIPT_DIR REPO_ROOT OUT.jsonl
//
// One program over the repository's TypeScript files (the root tsconfig's file list
// when there is one, else every .ts/.tsx/.mts/.cts file outside node_modules), with
// the tsconfig's options plus `noEmit` and `types: []`. Every identifier used inside a
// function body (not a declaration name, property key, label, import or assignment
// target) is one site; its symbol is followed through aliases to its declarations.
// Each site is one JSON line:
//   {path, line (1-based), col (0-based bytes), name, receiver, status, target, detail}
// receiver: null (a plain name), "self" (this./super.), "static" (a namespace, module,
// enum or class: ns.f, Cls.m), "value" (any other expression: x.f()).
// status: ok | unresolved | external | not_definition | ambiguous.
// target (when ok): {path, line, lines, name, kind}; `lines` are every line that counts
// as the definition's line (decorator/modifier line, name line; each overload).
"use strict";

const fs = require("fs");
const path = require("path");

const [tsDir, rootArg, outPath] = process.argv.slice(2);
const ts = require(path.resolve(tsDir, "node_modules", "typescript"));
const root = fs.realpathSync(rootArg);

function repoFiles() {
  const found = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name === ".git") continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|tsx|mts|cts)$/.test(entry.name) && !/\.d\.[mc]?ts$/.test(entry.name))
        found.push(full);
    }
  };
  walk(root);
  return found;
}

function programInput() {
  const configPath = path.join(root, "tsconfig.json");
  let options = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    jsx: ts.JsxEmit.Preserve,
    strict: true,
  };
  let files = null;
  if (fs.existsSync(configPath)) {
    const read = ts.readConfigFile(configPath, ts.sys.readFile);
    if (!read.error) {
      const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, root);
      options = parsed.options;
      files = parsed.fileNames.filter((f) => !/\.d\.[mc]?ts$/.test(f));
    }
  }
  if (!files || files.length === 0) files = repoFiles();
  options = { ...options, noEmit: true, types: [], skipLibCheck: true, allowJs: false };
  return { files, options };
}

const { files, options } = programInput();
const program = ts.createProgram(files, options);
const checker = program.getTypeChecker();
const out = fs.createWriteStream(outPath);

function isOurs(sf) {
  const file = sf.fileName;
  return (
    (file === root || file.startsWith(root + "/")) &&
    !file.includes("/node_modules/") &&
    !program.isSourceFileDefaultLibrary(sf)
  );
}

function rel(file) {
  return path.relative(root, file).split(path.sep).join("/");
}

function lineOf(sf, pos) {
  return sf.getLineAndCharacterOfPosition(pos).line + 1;
}

const FUNCTION_LIKE = new Set([
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.MethodDeclaration,
  ts.SyntaxKind.Constructor,
  ts.SyntaxKind.GetAccessor,
  ts.SyntaxKind.SetAccessor,
  ts.SyntaxKind.ArrowFunction,
  ts.SyntaxKind.FunctionExpression,
]);

const FUNCTION_VALUE = new Set([
  ts.SyntaxKind.ArrowFunction,
  ts.SyntaxKind.FunctionExpression,
]);

// The kind of definition a declaration is, or null when it is not a function, method,
// class or type (a variable, a field, a parameter, a namespace, an enum member ...).
function definitionKind(decl) {
  switch (decl.kind) {
    case ts.SyntaxKind.FunctionDeclaration:
      return "function";
    case ts.SyntaxKind.MethodDeclaration:
    case ts.SyntaxKind.MethodSignature:
    case ts.SyntaxKind.Constructor:
    case ts.SyntaxKind.GetAccessor:
    case ts.SyntaxKind.SetAccessor:
      return "method";
    case ts.SyntaxKind.ClassDeclaration:
    case ts.SyntaxKind.ClassExpression:
      return "class";
    case ts.SyntaxKind.InterfaceDeclaration:
      return "interface";
    case ts.SyntaxKind.TypeAliasDeclaration:
      return "type";
    case ts.SyntaxKind.EnumDeclaration:
      return "enum";
    case ts.SyntaxKind.VariableDeclaration:
      if (decl.initializer && FUNCTION_VALUE.has(decl.initializer.kind)) return "function";
      if (decl.initializer && decl.initializer.kind === ts.SyntaxKind.ClassExpression)
        return "class";
      return null;
    case ts.SyntaxKind.PropertyDeclaration:
    case ts.SyntaxKind.PropertyAssignment:
      if (decl.initializer && FUNCTION_VALUE.has(decl.initializer.kind)) return "method";
      return null;
    default:
      return null;
  }
}

// Overloads, a getter with its setter: several declarations of one definition.
const GROUPABLE = new Set([
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.MethodDeclaration,
  ts.SyntaxKind.MethodSignature,
  ts.SyntaxKind.Constructor,
  ts.SyntaxKind.GetAccessor,
  ts.SyntaxKind.SetAccessor,
]);

function classify(sym) {
  if (!sym) return { status: "unresolved", detail: "no symbol" };
  if (sym.flags & ts.SymbolFlags.Alias) {
    const aliased = checker.getAliasedSymbol(sym);
    if (!aliased || aliased === sym || !aliased.declarations) {
      return { status: "unresolved", detail: "alias to nothing" };
    }
    sym = aliased;
  }
  const decls = sym.declarations || [];
  if (decls.length === 0) return { status: "unresolved", detail: "no declaration" };
  const sources = decls.map((d) => d.getSourceFile());
  if (!sources.every(isOurs)) {
    return { status: "external", detail: rel(sources.find((s) => !isOurs(s)).fileName) };
  }
  let chosen = decls;
  if (decls.length > 1) {
    const first = decls[0];
    const grouped = decls.every(
      (d) =>
        GROUPABLE.has(d.kind) &&
        d.parent === first.parent &&
        d.getSourceFile() === first.getSourceFile(),
    );
    if (!grouped) {
      const kinds = decls.map((d) => ts.SyntaxKind[d.kind]).join("+");
      return { status: "ambiguous", detail: kinds };
    }
  }
  const kinds = chosen.map(definitionKind);
  if (kinds.some((k) => k === null)) {
    return { status: "not_definition", detail: ts.SyntaxKind[chosen[0].kind] };
  }
  // The implementation of an overloaded function is the target; every overload's line
  // counts.
  const main = chosen.find((d) => d.body) || chosen[0];
  const sf = main.getSourceFile();
  const lines = new Set();
  for (const d of chosen) {
    lines.add(lineOf(sf, d.getStart(sf)));
    if (d.name) lines.add(lineOf(sf, d.name.getStart(sf)));
    else lines.add(lineOf(sf, d.getStart(sf, true)));
  }
  const nameNode = main.name || main;
  return {
    status: "ok",
    target: {
      path: rel(sf.fileName),
      line: lineOf(sf, nameNode.getStart(sf)),
      lines: [...lines].sort((a, b) => a - b),
      name: sym.name,
      kind: kinds[chosen.indexOf(main)],
    },
  };
}

// For `new C(...)`, the lines of the constructor it calls count as the class's (goto
// may answer either).
function addConstructor(id, target) {
  const p = id.parent;
  if (!ts.isNewExpression(p) || p.expression !== id) return;
  const signature = checker.getResolvedSignature(p);
  const decl = signature && signature.declaration;
  if (!decl || decl.kind !== ts.SyntaxKind.Constructor) return;
  const sf = decl.getSourceFile();
  if (rel(sf.fileName) !== target.path) return;
  const lines = new Set(target.lines);
  lines.add(lineOf(sf, decl.getStart(sf)));
  target.lines = [...lines].sort((a, b) => a - b);
}

function receiverOf(id) {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p) && p.name === id) {
    const expr = p.expression;
    if (expr.kind === ts.SyntaxKind.ThisKeyword || expr.kind === ts.SyntaxKind.SuperKeyword)
      return "self";
    let sym = checker.getSymbolAtLocation(expr);
    if (sym && sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
    if (sym) {
      const staticFlags =
        ts.SymbolFlags.ValueModule |
        ts.SymbolFlags.NamespaceModule |
        ts.SymbolFlags.Enum |
        ts.SymbolFlags.Class;
      // A class name used as a value (Cls.m) is static; an instance whose type is a
      // class is a value: its symbol is the variable's, not the class's.
      if (sym.flags & staticFlags && !(sym.flags & ts.SymbolFlags.Variable)) return "static";
    }
    return "value";
  }
  if (ts.isQualifiedName(p) && p.right === id) return "static";
  return null;
}

function isAssignmentTarget(id) {
  let node = id;
  if (ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) node = node.parent;
  const p = node.parent;
  return (
    ts.isBinaryExpression(p) &&
    p.left === node &&
    p.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
    p.operatorToken.kind <= ts.SyntaxKind.LastAssignment
  );
}

// A use of a name, not a declaration of one.
function isUse(id) {
  const p = id.parent;
  if (!p) return false;
  if (ts.isPropertyAccessExpression(p) || ts.isQualifiedName(p)) return true;
  if (ts.isShorthandPropertyAssignment(p)) return true;
  if (p.name === id || p.propertyName === id || p.label === id) return false;
  if (ts.isJsxAttribute(p) || ts.isMetaProperty(p)) return false;
  return true;
}

function byteCol(sf, pos) {
  const lc = sf.getLineAndCharacterOfPosition(pos);
  const lineStart = sf.getPositionOfLineAndCharacter(lc.line, 0);
  return Buffer.byteLength(sf.text.slice(lineStart, pos), "utf8");
}

let count = 0;
function site(sf, id) {
  if (!isUse(id) || isAssignmentTarget(id)) return;
  const p = id.parent;
  const sym = ts.isShorthandPropertyAssignment(p)
    ? checker.getShorthandAssignmentValueSymbol(p)
    : checker.getSymbolAtLocation(id);
  const result = classify(sym);
  if (result.status === "ok" && result.target.kind === "class") addConstructor(id, result.target);
  const pos = id.getStart(sf);
  const record = {
    path: rel(sf.fileName),
    line: lineOf(sf, pos),
    col: byteCol(sf, pos),
    name: id.text,
    receiver: receiverOf(id),
    status: result.status,
    target: result.target || null,
    detail: result.detail || null,
  };
  out.write(JSON.stringify(record) + "\n");
  count++;
}

function visit(sf, node, inBody) {
  if (
    ts.isImportDeclaration(node) ||
    ts.isExportDeclaration(node) ||
    ts.isImportEqualsDeclaration(node)
  )
    return;
  if (inBody && ts.isIdentifier(node)) site(sf, node);
  if (FUNCTION_LIKE.has(node.kind) && node.body) {
    ts.forEachChild(node, (child) => visit(sf, child, inBody || child === node.body));
    return;
  }
  ts.forEachChild(node, (child) => visit(sf, child, inBody));
}

for (const sf of program.getSourceFiles()) {
  if (sf.isDeclarationFile || !isOurs(sf)) continue;
  visit(sf, sf, false);
}
out.end(() => process.stderr.write(`ts_oracle: ${count} sites\n`));
