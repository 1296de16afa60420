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

// handOffM records the *testing.M arguments of a call to a function that
// takes them as an interface whose only method is Run() int (goleak's
// VerifyTestMain, a helper of the module's own): they become
// lockdeptest.WrapM(m), whose Run is RunM, because the m.Run() inside such
// a function is a call on the interface, which runCall cannot tell from
// any other. A *testing.M handed to a function of another package that
// takes a *testing.M is recorded for a warning: if that package is not
// rewritten, its m.Run() stays as it is. lockdeptest's own functions are
// left alone (Run is runCall's; VerifyTestMain knows lockdepd test).
func (a *analyzer) handOffM(c *ast.CallExpr) {
	sig, ok := types.Unalias(a.info.TypeOf(c.Fun)).Underlying().(*types.Signature)
	if !ok || c.Ellipsis.IsValid() {
		return
	}
	callee := calleeFunc(a.info, c)
	if callee != nil && callee.Pkg() != nil && callee.Pkg().Path() == LockdeptestPath {
		return
	}
	for i, arg := range c.Args {
		if !isTestingM(a.info.TypeOf(arg)) {
			continue
		}
		switch pt := paramType(sig, i); {
		case pt == nil:
		case onlyRunInt(pt):
			a.facts.Runs = append(a.facts.Runs, RunEdit{File: a.cur.Path, Off: a.off(arg.Pos()), End: a.off(arg.End()),
				ArgOff: a.off(arg.Pos()), ArgEnd: a.off(arg.End()), Wrap: true})
		case isTestingM(pt) && callee != nil && callee.Pkg() != nil && callee.Pkg() != a.tpkg:
			a.facts.HandOffs = append(a.facts.HandOffs, ForeignUse{Pkg: callee.Pkg().Path(), Name: callee.Name(), At: a.at(c.Pos())})
		}
	}
}

// calleeFunc returns the function or method a call calls by name, if any.
func calleeFunc(info *types.Info, c *ast.CallExpr) *types.Func {
	switch fn := unparen(c.Fun).(type) {
	case *ast.Ident:
		f, _ := info.Uses[fn].(*types.Func)
		return f
	case *ast.SelectorExpr:
		f, _ := info.Uses[fn.Sel].(*types.Func)
		return f
	}
	return nil
}

// paramType is the type of the parameter that argument i of a call of
// sig goes to.
func paramType(sig *types.Signature, i int) types.Type {
	n := sig.Params().Len()
	switch {
	case sig.Variadic() && i >= n-1:
		if s, ok := sig.Params().At(n - 1).Type().Underlying().(*types.Slice); ok {
			return s.Elem()
		}
		return nil
	case i < n:
		return sig.Params().At(i).Type()
	}
	return nil
}

// onlyRunInt reports whether t is an interface whose only method is
// Run() int: what lockdeptest.WrapM's result satisfies.
func onlyRunInt(t types.Type) bool {
	it, ok := t.Underlying().(*types.Interface)
	if !ok || it.NumMethods() != 1 || it.Method(0).Name() != "Run" {
		return false
	}
	s := it.Method(0).Type().(*types.Signature)
	if s.Params().Len() != 0 || s.Results().Len() != 1 {
		return false
	}
	b, ok := s.Results().At(0).Type().(*types.Basic)
	return ok && b.Kind() == types.Int
}
