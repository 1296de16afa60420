package rewrite

import (
	"go/ast"
	"go/types"
)

// funcDecl records a test package's own TestMain.
func (a *analyzer) funcDecl(fd *ast.FuncDecl) {
	if !a.test || fd.Recv != nil || fd.Name.Name != "TestMain" || fd.Type.Params.NumFields() != 1 {
		return
	}
	if !isTestingM(a.info.TypeOf(fd.Type.Params.List[0].Type)) {
		return
	}
	a.facts.TestMains = append(a.facts.TestMains, OwnTestMain{
		File: a.cur.Path, NameOff: a.off(fd.Name.Pos()), NameEnd: a.off(fd.Name.End()), PkgName: a.cur.PkgName,
	})
}

// isTestingM reports whether t is *testing.M.
func isTestingM(t types.Type) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	if !ok {
		return false
	}
	n, ok := types.Unalias(p.Elem()).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "testing" && n.Obj().Name() == "M"
}

// runCall records m.Run() and lockdeptest.Run(m) calls: they become
// lockdeptest.RunM(m). In test files, and in the other files too: a
// TestMain may hand m to a helper package of the module that runs the
// tests and exits (func Main(m *testing.M) { os.Exit(m.Run()) }), and
// the binary's reports must fail it there as well.
func (a *analyzer) runCall(c *ast.CallExpr) {
	sel, ok := unparen(c.Fun).(*ast.SelectorExpr)
	if !ok {
		return
	}
	if s := a.info.Selections[sel]; s != nil {
		if s.Kind() == types.MethodVal && sel.Sel.Name == "Run" && len(c.Args) == 0 && isTestingM(s.Recv()) {
			a.facts.Runs = append(a.facts.Runs, RunEdit{File: a.cur.Path, Off: a.off(c.Pos()), End: a.off(c.End()),
				ArgOff: a.off(sel.X.Pos()), ArgEnd: a.off(sel.X.End())})
		}
		return
	}
	f, ok := a.info.Uses[sel.Sel].(*types.Func)
	if ok && f.Pkg() != nil && f.Pkg().Path() == LockdeptestPath && f.Name() == "Run" && len(c.Args) == 1 {
		a.facts.Runs = append(a.facts.Runs, RunEdit{File: a.cur.Path, Off: a.off(c.Pos()), End: a.off(c.End()),
			ArgOff: a.off(c.Args[0].Pos()), ArgEnd: a.off(c.Args[0].End())})
	}
}
