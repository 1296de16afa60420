package rewrite

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strconv"
	"strings"
)

// Package is one package to analyse, as go list describes it.
type Package struct {
	ID    string // go list's ImportPath ("p", "p [p.test]", "p_test [p.test]")
	Path  string // the import path
	Label string // class-name prefix, unique among the packages rewritten together
	Files []string
	// Imports maps an import path as written to the ID of the package it
	// denotes (go list's ImportMap); absent paths denote themselves.
	Imports map[string]string
}

// Importer returns the types of the package with go list ID id.
type Importer func(id string) (*types.Package, error)

// Source returns the content of a file.
type Source func(path string) ([]byte, error)

// LockdeptestPath is the package whose Run a TestMain may call instead of
// m.Run.
const LockdeptestPath = "github.com/golockdep/lockdep/lockdep/lockdeptest"

// Analyze parses and type-checks p and returns its Facts and its types
// (for the packages that import it). Type errors are returned in
// Facts.Errors; the error result is for files that cannot be read or
// parsed.
func Analyze(fset *token.FileSet, p *Package, src Source, imp Importer, sizes types.Sizes) (*Facts, *types.Package, error) {
	var files []*ast.File
	var srcs [][]byte
	for _, name := range p.Files {
		b, err := src(name)
		if err != nil {
			return nil, nil, err
		}
		f, err := parser.ParseFile(fset, name, b, parser.SkipObjectResolution|parser.ParseComments)
		if err != nil {
			return nil, nil, err
		}
		files = append(files, f)
		srcs = append(srcs, b)
	}
	facts := &Facts{ID: p.ID, Path: p.Path, Label: p.Label}
	conf := types.Config{
		Importer:    importerFunc(func(path string) (*types.Package, error) { return imp(p.importID(path)) }),
		FakeImportC: true,
		Sizes:       sizes,
		Error: func(err error) {
			if len(facts.Errors) < 10 {
				facts.Errors = append(facts.Errors, err.Error())
			}
		},
	}
	info := &types.Info{
		Types:      map[ast.Expr]types.TypeAndValue{},
		Defs:       map[*ast.Ident]types.Object{},
		Uses:       map[*ast.Ident]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
		Implicits:  map[ast.Node]types.Object{},
	}
	tpkg, _ := conf.Check(p.Path, fset, files, info)
	a := &analyzer{fset: fset, p: p, info: info, facts: facts, alias: map[*types.Var]string{}, tpkg: tpkg,
		ch: chanState{locals: map[*types.Var]ClassRef{}, fields: map[*types.Var]string{}, comm: map[ast.Node]bool{}}}
	for i, f := range files {
		a.src = srcs[i]
		a.file(f)
	}
	if tpkg != nil && tpkg.Scope().Lookup("TestMain") != nil && len(facts.TestMains) == 0 {
		// Something else is named TestMain at package level (a type, a
		// variable, a function in a non-test file): a generated TestMain
		// cannot go into this package.
		facts.TestMainTaken = true
	}
	return facts, tpkg, nil
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

func (p *Package) importID(path string) string {
	if id, ok := p.Imports[path]; ok {
		return id
	}
	return path
}

type analyzer struct {
	fset  *token.FileSet
	p     *Package
	info  *types.Info
	facts *Facts
	// alias maps a variable defined from a declaration without a type of
	// its own (ls := t.locks) to that declaration's storage key.
	alias map[*types.Var]string
	// cur is the file being walked, src its content and imports the
	// names it imports packages under, by path.
	cur     *FileFacts
	src     []byte
	imports map[string]string
	test    bool
	tpkg    *types.Package
	ch      chanState
}

func (a *analyzer) file(f *ast.File) {
	name := a.fset.File(f.Pos()).Name()
	ff := FileFacts{Path: name, Test: strings.HasSuffix(name, "_test.go"), PkgName: f.Name.Name, NameEnd: a.off(f.Name.End())}
	a.imports = map[string]string{}
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		if imp.Name != nil {
			a.imports[path] = imp.Name.Name
			if imp.Name.Name == "." {
				a.imports[path] = ""
			}
		} else if pn, ok := a.info.Implicits[imp].(*types.PkgName); ok {
			a.imports[path] = pn.Imported().Name()
		}
		if path == "sync" {
			ff.SyncName = "sync"
			if imp.Name != nil {
				ff.SyncName = imp.Name.Name
			}
		}
	}
	a.facts.Files = append(a.facts.Files, ff)
	a.cur = &a.facts.Files[len(a.facts.Files)-1]
	a.test = ff.Test
	var stack []ast.Node
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return false
		}
		if !a.visit(n, stack) {
			return false
		}
		stack = append(stack, n)
		return true
	})
	a.chanFile(f)
}

// off returns the byte offset of pos in its file.
func (a *analyzer) off(pos token.Pos) int { return a.fset.File(pos).Offset(pos) }

func (a *analyzer) line(pos token.Pos) int { return a.fset.Position(pos).Line }

func (a *analyzer) at(pos token.Pos) string {
	p := a.fset.Position(pos)
	return fmt.Sprintf("%s:%d", p.Filename, p.Line)
}

// key returns the storage key of a variable or field: its position.
func (a *analyzer) key(v *types.Var) string {
	if v == nil || !v.Pos().IsValid() {
		return ""
	}
	f := a.fset.File(v.Pos())
	if f == nil {
		return ""
	}
	return f.Name() + ":" + strconv.Itoa(f.Offset(v.Pos())) + "#"
}

func (a *analyzer) visit(n ast.Node, stack []ast.Node) bool {
	switch n := n.(type) {
	case *ast.SelectorExpr:
		if kind := a.syncKind(n.Sel); kind != "" {
			a.occurrence(n, kind, stack)
			return false
		}
		a.valueUse(n, stack)
	case *ast.Ident:
		if kind := a.syncKind(n); kind != "" {
			a.occurrence(n, kind, stack)
			return false
		}
		a.valueUse(n, stack)
		a.foreign(n)
	case *ast.IndexExpr:
		a.valueUse(n, stack)
	case *ast.UnaryExpr:
		if n.Op == token.AND {
			a.ref(n)
		}
	case *ast.CallExpr:
		a.call(n)
	case *ast.AssignStmt:
		a.assign(n)
	case *ast.ValueSpec:
		a.valueSpec(n)
	case *ast.CompositeLit:
		a.compositeLit(n)
	case *ast.FuncDecl:
		a.funcDecl(n)
	}
	return true
}

// syncKind returns "Mutex" or "RWMutex" if id names that type of package
// sync, the name of sync's WaitGroup, Once, Cond or NewCond (waitKinds),
// and "" otherwise (a type of the module's own named Mutex, a variable
// named sync).
func (a *analyzer) syncKind(id *ast.Ident) string {
	switch obj := a.info.Uses[id].(type) {
	case *types.TypeName:
		if obj.Pkg() == nil || obj.Pkg().Path() != "sync" || obj.IsAlias() {
			return ""
		}
		switch obj.Name() {
		case "Mutex", "RWMutex", "WaitGroup", "Once", "Cond":
			return obj.Name()
		}
	case *types.Func:
		if obj.Pkg() != nil && obj.Pkg().Path() == "sync" && obj.Name() == "NewCond" {
			return obj.Name()
		}
	}
	return ""
}

// waitKinds are the sync types and functions that become package locks'
// without a class of their own: their events take the class of their
// site (a zero-value WaitGroup's or Cond's event, see locks/event_on.go).
var waitKinds = map[string]bool{"WaitGroup": true, "Once": true, "Cond": true, "NewCond": true}

// isLock reports whether t is sync.Mutex or sync.RWMutex.
func isLock(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil || n.Obj().Pkg().Path() != "sync" {
		return false
	}
	return n.Obj().Name() == "Mutex" || n.Obj().Name() == "RWMutex"
}

// lockBearing reports whether t is an unnamed composite type (array,
// slice, map or struct) that holds a sync lock by value, directly or in
// other unnamed composites.
func lockBearing(t types.Type) bool {
	switch u := types.Unalias(t).(type) {
	case *types.Array:
		return holdsLock(u.Elem())
	case *types.Slice:
		return holdsLock(u.Elem())
	case *types.Map:
		return holdsLock(u.Elem())
	case *types.Struct:
		for i := 0; i < u.NumFields(); i++ {
			if holdsLock(u.Field(i).Type()) {
				return true
			}
		}
	}
	return false
}

func holdsLock(t types.Type) bool { return isLock(t) || lockBearing(t) }

// parent returns the nearest ancestor in stack that is not a ParenExpr,
// and the child of it on the way (n itself or a ParenExpr around it).
func parent(n ast.Node, stack []ast.Node) (p ast.Node, child ast.Node, i int) {
	child = n
	for i = len(stack) - 1; i >= 0; i-- {
		if pe, ok := stack[i].(*ast.ParenExpr); ok {
			child = pe
			continue
		}
		return stack[i], child, i
	}
	return nil, child, -1
}

func unparen(e ast.Expr) ast.Expr {
	for {
		p, ok := e.(*ast.ParenExpr)
		if !ok {
			return e
		}
		e = p.X
	}
}

// builtin returns the name of the builtin function call calls, or "".
func (a *analyzer) builtin(call *ast.CallExpr) string {
	id, ok := unparen(call.Fun).(*ast.Ident)
	if !ok {
		return ""
	}
	if b, ok := a.info.Uses[id].(*types.Builtin); ok {
		return b.Name()
	}
	return ""
}
