package rewrite

import (
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"strconv"
)

// Channel classes. A channel takes the class of the declaration it is
// reached through, named like the lock classes: a struct field
// pkg.Type.field, a package variable pkg.name, a local variable or
// parameter pkg.Func.name, the elements of a slice, array or map
// pkg.Type.field[]. A local variable defined from a declared place
// (ch := s.results) is that place; one defined otherwise (make, a call)
// is its own declaration. A call's result is the class of the function
// that returns it, pkg.Func() or pkg.Type.Method(); any other
// expression is its site, pkg.file.go:line. A parameter is pkg.Func.param
// unless its callers all pass one class (chanflow.go).

// ClassRef names a channel class: Pkg is the import path of the package
// that declares it, Name the class name below the package's label.
type ClassRef struct {
	Pkg, Name string
}

// chanState is the per-package state of the channel analysis.
type chanState struct {
	// locals names every local variable and parameter of a channel
	// type: "Func.name", or the class it was defined from.
	locals map[*types.Var]ClassRef
	// fields caches the names of struct fields, "Type.field".
	fields map[*types.Var]string
	// comm are the channel operations of select cases, instrumented by
	// the select's own call.
	comm map[ast.Node]bool
}

func isChan(t types.Type) bool {
	if t == nil {
		return false
	}
	_, ok := t.Underlying().(*types.Chan)
	return ok
}

// noteLocal records, for a definition of a local channel variable, the
// class it takes: the declaration its value comes from, or its own.
func (a *analyzer) noteLocal(id *ast.Ident, value ast.Expr, stack []ast.Node) {
	v, ok := a.info.Defs[id].(*types.Var)
	if !ok || v.IsField() || v.Parent() == nil || v.Parent() == v.Pkg().Scope() {
		return
	}
	if !isChan(v.Type()) {
		return
	}
	if _, done := a.ch.locals[v]; done {
		return
	}
	if value != nil {
		if c, ok := a.declaredClass(value); ok {
			a.ch.locals[v] = c
			return
		}
	}
	a.ch.locals[v] = ClassRef{a.p.Path, a.funcPrefix(stack) + v.Name()}
}

// defines notes the local channel variables a node defines.
func (a *analyzer) defines(n ast.Node, stack []ast.Node) {
	switch n := n.(type) {
	case *ast.AssignStmt:
		if n.Tok != token.DEFINE {
			return
		}
		for j, l := range n.Lhs {
			if id, ok := l.(*ast.Ident); ok {
				var value ast.Expr
				if len(n.Lhs) == len(n.Rhs) {
					value = n.Rhs[j]
				}
				a.noteLocal(id, value, stack)
			}
		}
	case *ast.ValueSpec:
		for j, id := range n.Names {
			var value ast.Expr
			if len(n.Names) == len(n.Values) {
				value = n.Values[j]
			}
			a.noteLocal(id, value, stack)
		}
	case *ast.Field:
		// parameters and results; struct fields are not locals
		for _, id := range n.Names {
			a.noteLocal(id, nil, stack)
		}
	case *ast.RangeStmt:
		for _, e := range []ast.Expr{n.Key, n.Value} {
			if id, ok := e.(*ast.Ident); ok && n.Tok == token.DEFINE {
				a.noteLocal(id, nil, stack)
			}
		}
	}
}

// declaredClass returns the class of a channel expression that names a
// declared place (a variable, a field, an element), following local
// variables to what they were defined from.
func (a *analyzer) declaredClass(e ast.Expr) (ClassRef, bool) {
	switch e := unparen(e).(type) {
	case *ast.Ident:
		v, _ := a.info.Uses[e].(*types.Var)
		if v == nil {
			v, _ = a.info.Defs[e].(*types.Var)
		}
		return a.varClass(v)
	case *ast.SelectorExpr:
		if sel := a.info.Selections[e]; sel != nil {
			if sel.Kind() != types.FieldVal {
				return ClassRef{}, false
			}
			v, _ := sel.Obj().(*types.Var)
			return a.fieldClass(v)
		}
		v, _ := a.info.Uses[e.Sel].(*types.Var)
		return a.varClass(v)
	case *ast.IndexExpr:
		switch a.info.TypeOf(e.X).Underlying().(type) {
		case *types.Array, *types.Slice, *types.Map, *types.Pointer:
			if c, ok := a.declaredClass(e.X); ok {
				c.Name += "[]"
				return c, true
			}
		}
	case *ast.StarExpr:
		return a.declaredClass(e.X)
	case *ast.CallExpr:
		if tv := a.info.Types[e.Fun]; tv.IsType() && len(e.Args) == 1 {
			return a.declaredClass(e.Args[0]) // a conversion
		}
	}
	return ClassRef{}, false
}

func (a *analyzer) varClass(v *types.Var) (ClassRef, bool) {
	if v == nil || v.Pkg() == nil {
		return ClassRef{}, false
	}
	if v.IsField() {
		return a.fieldClass(v)
	}
	if v.Parent() == v.Pkg().Scope() {
		return ClassRef{v.Pkg().Path(), v.Name()}, true
	}
	c, ok := a.ch.locals[v]
	return c, ok
}

// fieldClass names a field by the package-level type that holds it,
// through unnamed structs: "Type.field", "Type.inner.field".
func (a *analyzer) fieldClass(v *types.Var) (ClassRef, bool) {
	if v == nil || v.Pkg() == nil {
		return ClassRef{}, false
	}
	v = v.Origin()
	if name, ok := a.ch.fields[v]; ok {
		return ClassRef{v.Pkg().Path(), name}, name != ""
	}
	name := ""
	scope := v.Pkg().Scope()
	for _, n := range scope.Names() {
		tn, ok := scope.Lookup(n).(*types.TypeName)
		if !ok || tn.IsAlias() {
			continue
		}
		if st, ok := tn.Type().Underlying().(*types.Struct); ok {
			if path := fieldPath(st, v, 0); path != "" {
				name = tn.Name() + path
				break
			}
		}
	}
	a.ch.fields[v] = name
	return ClassRef{v.Pkg().Path(), name}, name != ""
}

// fieldPath returns ".field" (".inner.field") if v is a field of st or of
// an unnamed struct in it, and "" otherwise.
func fieldPath(st *types.Struct, v *types.Var, depth int) string {
	for i := 0; i < st.NumFields(); i++ {
		f := st.Field(i)
		if f == v {
			return "." + f.Name()
		}
		if inner, ok := types.Unalias(f.Type()).(*types.Struct); ok && depth < 4 {
			if p := fieldPath(inner, v, depth+1); p != "" {
				return "." + f.Name() + p
			}
		}
	}
	return ""
}

// chanClass returns the class of the channel that expression e denotes
// (see the comment at the top of this file).
func (a *analyzer) chanClass(e ast.Expr, stack []ast.Node) ClassRef {
	if c, ok := a.declaredClass(e); ok {
		return c
	}
	if call, ok := unparen(e).(*ast.CallExpr); ok {
		if fn := a.callee(call); fn != nil && fn.Pkg() != nil {
			return ClassRef{fn.Pkg().Path(), funcName(fn) + "()"}
		}
	}
	pos := a.fset.Position(e.Pos())
	return ClassRef{a.p.Path, filepath.Base(pos.Filename) + ":" + strconv.Itoa(pos.Line)}
}

// callee returns the function or method a call statically calls, or nil.
func (a *analyzer) callee(call *ast.CallExpr) *types.Func {
	switch f := unparen(call.Fun).(type) {
	case *ast.Ident:
		fn, _ := a.info.Uses[f].(*types.Func)
		return fn
	case *ast.SelectorExpr:
		if sel := a.info.Selections[f]; sel != nil {
			if sel.Kind() == types.MethodVal {
				fn, _ := sel.Obj().(*types.Func)
				return fn
			}
			return nil
		}
		fn, _ := a.info.Uses[f.Sel].(*types.Func)
		return fn
	case *ast.IndexExpr:
		return a.callee(&ast.CallExpr{Fun: f.X})
	case *ast.IndexListExpr:
		return a.callee(&ast.CallExpr{Fun: f.X})
	}
	return nil
}

// funcName is "Func" or "Type.Method".
func funcName(fn *types.Func) string {
	sig, _ := fn.Type().(*types.Signature)
	if sig == nil || sig.Recv() == nil {
		return fn.Name()
	}
	t := sig.Recv().Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Obj().Name() + "." + fn.Name()
	}
	return fn.Name()
}
