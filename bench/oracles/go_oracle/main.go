// Go-to-definition oracle for Go: go/types.
//
// Usage: go_oracle REPO_ROOT OUT.jsonl
//
// Type-checks every package of the module at REPO_ROOT (directories with their own
// go.mod, vendor/, testdata/ and those starting with "." or "_" are skipped; build tags
// follow the default build context). The standard library comes from the toolchain's
// export data; any other import is an empty fake package, and type errors are collected
// so checking goes on. Each directory is checked with its in-package tests, and its
// external test package separately. Every identifier used inside a function body (not a
// declaration, a composite-literal key, a label or an assignment target) is one site,
// one JSON line: {path, line (1-based), col (0-based bytes), name, receiver, status,
// target, detail}, as bench/oracles/ts_oracle.js describes.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

type target struct {
	Path  string `json:"path"`
	Line  int    `json:"line"`
	Lines []int  `json:"lines"`
	Name  string `json:"name"`
	Kind  string `json:"kind"`
}

type site struct {
	Path     string  `json:"path"`
	Line     int     `json:"line"`
	Col      int     `json:"col"`
	Name     string  `json:"name"`
	Receiver *string `json:"receiver"`
	Status   string  `json:"status"`
	Target   *target `json:"target"`
	Detail   *string `json:"detail"`
}

type dirInfo struct {
	rel     string
	pkg     []*ast.File // non-test files
	inTest  []*ast.File // _test.go files of the same package
	exTest  []*ast.File // _test.go files of package NAME_test
	checked *types.Package
}

var (
	fset       = token.NewFileSet()
	root       string
	modulePath string
	dirs       = map[string]*dirInfo{} // by import path
	std        = importer.Default()
	fakes      = map[string]*types.Package{}
	declLines  = map[token.Pos]int{} // name position -> line of its declaration keyword
	versionRe  = regexp.MustCompile(`^v[0-9]+$`)
)

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "go_oracle:", err)
	os.Exit(1)
}

func readModulePath() string {
	data, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		fields := strings.Fields(line)
		if len(fields) >= 2 && fields[0] == "module" {
			return strings.Trim(fields[1], `"`)
		}
	}
	fatal(fmt.Errorf("no module line in go.mod"))
	return ""
}

func parseFiles(dir string, names []string) []*ast.File {
	var files []*ast.File
	for _, name := range names {
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.ParseComments)
		if f != nil {
			files = append(files, f)
			recordDecls(f)
		} else if err != nil {
			fmt.Fprintln(os.Stderr, "go_oracle: parse:", err)
		}
	}
	return files
}

// recordDecls notes, for each function and type name, the line where its declaration
// starts (the `func` / `type` keyword), which may differ from the name's line.
func recordDecls(f *ast.File) {
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			declLines[d.Name.Pos()] = fset.Position(d.Pos()).Line
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				if ts, ok := spec.(*ast.TypeSpec); ok {
					line := fset.Position(ts.Pos()).Line
					if len(d.Specs) == 1 {
						line = fset.Position(d.Pos()).Line
					}
					declLines[ts.Name.Pos()] = line
				}
			}
		}
	}
}

func loadDirs() {
	ctx := build.Default
	ctx.CgoEnabled = false
	err := filepath.Walk(root, func(path string, info os.FileInfo, err error) error {
		if err != nil || !info.IsDir() {
			return nil
		}
		name := info.Name()
		if path != root {
			if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") ||
				name == "vendor" || name == "testdata" {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
				return filepath.SkipDir
			}
		}
		pkg, err := ctx.ImportDir(path, 0)
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		importPath := modulePath
		if rel != "." {
			importPath = modulePath + "/" + filepath.ToSlash(rel)
		}
		dirs[importPath] = &dirInfo{
			rel:    rel,
			pkg:    parseFiles(path, pkg.GoFiles),
			inTest: parseFiles(path, pkg.TestGoFiles),
			exTest: parseFiles(path, pkg.XTestGoFiles),
		}
		return nil
	})
	if err != nil {
		fatal(err)
	}
}

type moduleImporter struct{}

func fakeName(path string) string {
	parts := strings.Split(path, "/")
	name := parts[len(parts)-1]
	if versionRe.MatchString(name) && len(parts) > 1 {
		name = parts[len(parts)-2]
	}
	if i := strings.Index(name, ".v"); i > 0 {
		name = name[:i]
	}
	name = strings.TrimPrefix(name, "go-")
	name = strings.TrimSuffix(name, "-go")
	return strings.NewReplacer("-", "", ".", "").Replace(name)
}

func (moduleImporter) Import(path string) (*types.Package, error) {
	if d, ok := dirs[path]; ok {
		if d.checked == nil {
			d.checked = check(path, d.pkg, nil)
		}
		return d.checked, nil
	}
	if pkg, err := std.Import(path); err == nil {
		return pkg, nil
	}
	if pkg, ok := fakes[path]; ok {
		return pkg, nil
	}
	pkg := types.NewPackage(path, fakeName(path))
	pkg.MarkComplete()
	fakes[path] = pkg
	return pkg, nil
}

func check(path string, files []*ast.File, info *types.Info) *types.Package {
	conf := types.Config{
		Importer: moduleImporter{},
		Error:    func(error) {},
	}
	pkg, _ := conf.Check(path, fset, files, info)
	return pkg
}

func relPath(filename string) (string, bool) {
	rel, err := filepath.Rel(root, filename)
	if err != nil || strings.HasPrefix(rel, "..") {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

func inModule(pkg *types.Package) bool {
	if pkg == nil {
		return false
	}
	_, ok := dirs[strings.TrimSuffix(pkg.Path(), "_test")]
	return ok
}

func classify(obj types.Object) (string, *target, string) {
	switch o := obj.(type) {
	case *types.Func, *types.TypeName:
		if o.Pkg() == nil || !inModule(o.Pkg()) {
			where := "universe"
			if o.Pkg() != nil {
				where = o.Pkg().Path()
			}
			return "external", nil, where
		}
		pos := fset.Position(o.Pos())
		rel, ok := relPath(pos.Filename)
		if !ok {
			return "external", nil, pos.Filename
		}
		kind := "type"
		if fn, ok := o.(*types.Func); ok {
			kind = "function"
			if sig, ok := fn.Type().(*types.Signature); ok && sig.Recv() != nil {
				kind = "method"
			}
		}
		lines := []int{pos.Line}
		if line, ok := declLines[o.Pos()]; ok && line != pos.Line {
			lines = append(lines, line)
			sort.Ints(lines)
		}
		return "ok", &target{Path: rel, Line: pos.Line, Lines: lines, Name: o.Name(), Kind: kind}, ""
	case *types.Builtin, *types.Nil:
		return "external", nil, "builtin"
	case *types.PkgName:
		return "not_definition", nil, "package"
	case *types.Var:
		if o.IsField() {
			return "not_definition", nil, "field"
		}
		return "not_definition", nil, "variable"
	case *types.Const:
		return "not_definition", nil, "constant"
	case *types.Label:
		return "not_definition", nil, "label"
	}
	return "unresolved", nil, fmt.Sprintf("%T", obj)
}

func str(s string) *string { return &s }

type walker struct {
	info  *types.Info
	out   *json.Encoder
	count int
}

func (w *walker) receiver(sel *ast.SelectorExpr, recv types.Object) *string {
	if x, ok := sel.X.(*ast.Ident); ok {
		if _, ok := w.info.Uses[x].(*types.PkgName); ok {
			return str("static")
		}
		if recv != nil && w.info.Uses[x] == recv {
			return str("self")
		}
	}
	if s, ok := w.info.Selections[sel]; ok && s.Kind() == types.MethodExpr {
		return str("static")
	}
	return str("value")
}

func (w *walker) site(id *ast.Ident, parent ast.Node, recv types.Object) {
	if id.Name == "_" {
		return
	}
	if _, ok := w.info.Defs[id]; ok {
		return
	}
	var receiver *string
	sel, isSel := parent.(*ast.SelectorExpr)
	if isSel && sel.Sel == id {
		receiver = w.receiver(sel, recv)
	}
	status, tgt, detail := "unresolved", (*target)(nil), "no object"
	if obj, ok := w.info.Uses[id]; ok {
		status, tgt, detail = classify(obj)
	} else if isSel && sel.Sel == id {
		if x, ok := sel.X.(*ast.Ident); ok {
			if pn, ok := w.info.Uses[x].(*types.PkgName); ok {
				if _, fake := fakes[pn.Imported().Path()]; fake {
					status, detail = "external", pn.Imported().Path()
				}
			}
		}
	}
	pos := fset.Position(id.Pos())
	rel, _ := relPath(pos.Filename)
	rec := site{Path: rel, Line: pos.Line, Col: pos.Column - 1, Name: id.Name,
		Receiver: receiver, Status: status, Target: tgt}
	if detail != "" {
		rec.Detail = str(detail)
	}
	if err := w.out.Encode(rec); err != nil {
		fatal(err)
	}
	w.count++
}

// skipped lists identifiers that are not uses: composite-literal keys, labels and
// assignment targets.
func skipped(file *ast.File) map[*ast.Ident]bool {
	skip := map[*ast.Ident]bool{}
	ast.Inspect(file, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.CompositeLit:
			for _, elt := range x.Elts {
				if kv, ok := elt.(*ast.KeyValueExpr); ok {
					if id, ok := kv.Key.(*ast.Ident); ok {
						skip[id] = true
					}
				}
			}
		case *ast.BranchStmt:
			if x.Label != nil {
				skip[x.Label] = true
			}
		case *ast.AssignStmt:
			if x.Tok != token.DEFINE {
				for _, lhs := range x.Lhs {
					switch l := lhs.(type) {
					case *ast.Ident:
						skip[l] = true
					case *ast.SelectorExpr:
						skip[l.Sel] = true
					}
				}
			}
		}
		return true
	})
	return skip
}

func (w *walker) file(f *ast.File) {
	skip := skipped(f)
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Body == nil {
			continue
		}
		var recv types.Object
		if fn.Recv != nil && len(fn.Recv.List) == 1 && len(fn.Recv.List[0].Names) == 1 {
			recv = w.info.Defs[fn.Recv.List[0].Names[0]]
		}
		var stack []ast.Node
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if n == nil {
				stack = stack[:len(stack)-1]
				return true
			}
			if id, ok := n.(*ast.Ident); ok && !skip[id] && len(stack) > 0 {
				w.site(id, stack[len(stack)-1], recv)
			}
			stack = append(stack, n)
			return true
		})
	}
}

func newInfo() *types.Info {
	return &types.Info{
		Defs:       map[*ast.Ident]types.Object{},
		Uses:       map[*ast.Ident]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
	}
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: go_oracle REPO_ROOT OUT.jsonl")
		os.Exit(2)
	}
	var err error
	if root, err = filepath.Abs(os.Args[1]); err != nil {
		fatal(err)
	}
	if root, err = filepath.EvalSymlinks(root); err != nil {
		fatal(err)
	}
	modulePath = readModulePath()
	loadDirs()
	outFile, err := os.Create(os.Args[2])
	if err != nil {
		fatal(err)
	}
	buf := bufio.NewWriter(outFile)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	paths := make([]string, 0, len(dirs))
	for p := range dirs {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	total := 0
	for _, p := range paths {
		d := dirs[p]
		if len(d.pkg)+len(d.inTest) > 0 {
			info := newInfo()
			check(p, append(append([]*ast.File{}, d.pkg...), d.inTest...), info)
			w := &walker{info: info, out: enc}
			for _, f := range append(append([]*ast.File{}, d.pkg...), d.inTest...) {
				w.file(f)
			}
			total += w.count
		}
		if len(d.exTest) > 0 {
			info := newInfo()
			check(p+"_test", d.exTest, info)
			w := &walker{info: info, out: enc}
			for _, f := range d.exTest {
				w.file(f)
			}
			total += w.count
		}
	}
	if err := buf.Flush(); err != nil {
		fatal(err)
	}
	if err := outFile.Close(); err != nil {
		fatal(err)
	}
	fmt.Fprintf(os.Stderr, "go_oracle: %d sites\n", total)
}
