package rewrite

import (
	"go/ast"
	"go/token"
	"go/types"
)

// resolve returns the storage key of the lock or lock-holding value that
// expression e denotes (a.mu, t.locks[i], v, *p), or "" if it is not a
// declared place (a function result, a copy in a variable of its own).
func (a *analyzer) resolve(e ast.Expr) string {
	switch e := unparen(e).(type) {
	case *ast.Ident:
		v, ok := a.info.Uses[e].(*types.Var)
		if !ok {
			v, _ = a.info.Defs[e].(*types.Var)
		}
		if v == nil {
			return ""
		}
		if k, ok := a.alias[v]; ok {
			return k
		}
		return a.key(v)
	case *ast.SelectorExpr:
		if sel := a.info.Selections[e]; sel != nil {
			if sel.Kind() != types.FieldVal {
				return ""
			}
			v, _ := sel.Obj().(*types.Var)
			if v == nil {
				return ""
			}
			return a.key(v.Origin())
		}
		v, _ := a.info.Uses[e.Sel].(*types.Var) // a qualified package variable
		return a.key(v)
	case *ast.IndexExpr:
		base := a.resolve(e.X)
		if base == "" {
			return ""
		}
		switch t := a.info.TypeOf(e.X).Underlying().(type) {
		case *types.Array, *types.Slice, *types.Map:
			return base + "[]"
		case *types.Pointer:
			if _, ok := t.Elem().Underlying().(*types.Array); ok {
				return base + "*[]"
			}
		}
	case *ast.StarExpr:
		if base := a.resolve(e.X); base != "" {
			return base + "*"
		}
	}
	return ""
}

// storedAt returns the storage key of the place where the value of
// expression e is stored, from e's context in stack: the left side of an
// assignment, a variable's declaration, a field or element of an enclosing
// literal (itself stored somewhere), the pointee of a pointer stored
// somewhere. def is the variable e declares when it gives the variable its
// type (x := e, var x = e).
func (a *analyzer) storedAt(e ast.Expr, stack []ast.Node) (k string, def *types.Var) {
	p, child, i := parent(e, stack)
	switch p := p.(type) {
	case *ast.AssignStmt:
		if len(p.Lhs) != len(p.Rhs) {
			return "", nil
		}
		for j, r := range p.Rhs {
			if r != child {
				continue
			}
			if id, ok := p.Lhs[j].(*ast.Ident); ok && p.Tok == token.DEFINE {
				if v, ok := a.info.Defs[id].(*types.Var); ok {
					return a.key(v), v
				}
			}
			if p.Tok == token.ASSIGN || p.Tok == token.DEFINE {
				return a.resolve(p.Lhs[j]), nil
			}
		}
	case *ast.ValueSpec:
		for j, r := range p.Values {
			if r != child || j >= len(p.Names) {
				continue
			}
			v, _ := a.info.Defs[p.Names[j]].(*types.Var)
			if v == nil {
				return "", nil
			}
			if p.Type == nil {
				return a.key(v), v
			}
			return a.key(v), nil
		}
	case *ast.KeyValueExpr:
		if p.Value != child || i < 1 {
			return "", nil
		}
		lit, ok := stack[i-1].(*ast.CompositeLit)
		if !ok {
			return "", nil
		}
		if _, ok := a.info.TypeOf(lit).Underlying().(*types.Struct); ok {
			if id, ok := p.Key.(*ast.Ident); ok {
				v, _ := a.info.Uses[id].(*types.Var)
				return a.key(v), nil
			}
			return "", nil
		}
		if base, _ := a.storedAt(lit, stack[:i-1]); base != "" {
			return base + "[]", nil
		}
	case *ast.CompositeLit:
		switch t := a.info.TypeOf(p).Underlying().(type) {
		case *types.Struct:
			for j, el := range p.Elts {
				if el == child && j < t.NumFields() {
					return a.key(t.Field(j)), nil
				}
			}
		case *types.Array, *types.Slice:
			if base, _ := a.storedAt(p, stack[:i]); base != "" {
				return base + "[]", nil
			}
		}
	case *ast.UnaryExpr:
		if p.Op == token.AND {
			if base, def := a.storedAt(p, stack[:i]); base != "" {
				return base + "*", def
			}
		}
	case *ast.CallExpr:
		if a.builtin(p) == "append" && len(p.Args) > 1 && p.Args[0] != child && !p.Ellipsis.IsValid() {
			if base := a.resolve(p.Args[0]); base != "" {
				return base + "[]", nil
			}
		}
	}
	return "", nil
}
