package rewrite

import (
	"go/ast"
	"go/token"
	"go/types"
)

// The rules that keep types consistent (see the package documentation):
// a declared array, slice, map or struct of locks may be indexed, have its
// fields selected, ranged over and measured, and be given a literal; any
// other use of it as a whole demotes it to locks.Mutex.

// valueUse checks one use of an expression (an identifier, a selector or
// an index expression) that may denote a lock-holding composite.
func (a *analyzer) valueUse(n ast.Expr, stack []ast.Node) {
	t := a.info.TypeOf(n)
	if t == nil || !lockBearing(t) {
		return
	}
	p, child, i := parent(n, stack)
	if id, ok := n.(*ast.Ident); ok {
		if a.info.Defs[id] != nil {
			return // its declaration
		}
		if sel, ok := p.(*ast.SelectorExpr); ok && sel.Sel == id {
			return // the selector is the use
		}
		if kv, ok := p.(*ast.KeyValueExpr); ok && kv.Key == child {
			return // a field name in a literal
		}
	}
	k := a.resolve(n)
	if k == "" {
		return
	}
	switch p := p.(type) {
	case *ast.IndexExpr:
		if p.X == child {
			return
		}
	case *ast.SelectorExpr:
		if p.X == child {
			return
		}
	case *ast.RangeStmt:
		if p.X == child {
			return
		}
	case *ast.CallExpr:
		switch a.builtin(p) {
		case "len", "cap", "clear", "delete":
			if len(p.Args) > 0 && p.Args[0] == child {
				return
			}
		case "append":
			if len(p.Args) > 0 && p.Args[0] == child && !p.Ellipsis.IsValid() && a.appendedBack(p, k, stack[:i]) {
				return
			}
		}
	case *ast.AssignStmt:
		for j, l := range p.Lhs {
			if l == child {
				return // a store: checked by assign
			}
			if len(p.Lhs) == len(p.Rhs) && p.Rhs[j] == child && p.Tok == token.DEFINE {
				if v, ok := a.info.Defs[l.(*ast.Ident)].(*types.Var); ok {
					a.alias[v] = k // ls := t.locks: ls is t.locks
					return
				}
			}
		}
	case *ast.ValueSpec:
		if p.Type == nil {
			for j, r := range p.Values {
				if r == child && j < len(p.Names) {
					if v, ok := a.info.Defs[p.Names[j]].(*types.Var); ok {
						a.alias[v] = k
						return
					}
				}
			}
		}
	}
	a.demote(k, "used as a whole", n.Pos())
}

// appendedBack reports whether append(X, ...) is assigned back to X.
func (a *analyzer) appendedBack(call *ast.CallExpr, k string, stack []ast.Node) bool {
	p, child, _ := parent(call, stack)
	as, ok := p.(*ast.AssignStmt)
	if !ok || len(as.Lhs) != len(as.Rhs) || as.Tok != token.ASSIGN {
		return false
	}
	for j, r := range as.Rhs {
		if r == child {
			return a.resolve(as.Lhs[j]) == k
		}
	}
	return false
}

func (a *analyzer) demote(k, reason string, pos token.Pos) {
	a.facts.Demote = append(a.facts.Demote, Mark{Key: k, Reason: reason, At: a.at(pos)})
}

// isLiteral reports whether e is a composite literal, a make call or nil:
// a value whose type the rewrite gives.
func (a *analyzer) isLiteral(e ast.Expr) bool {
	switch e := unparen(e).(type) {
	case *ast.CompositeLit:
		return true
	case *ast.CallExpr:
		return a.builtin(e) == "make"
	}
	return a.info.Types[e].IsNil()
}

// stored checks a value stored into a lock-holding composite: anything but
// a literal demotes the place it is stored at.
func (a *analyzer) stored(k string, t types.Type, v ast.Expr) {
	if k == "" || t == nil || !lockBearing(t) || a.isLiteral(v) {
		return
	}
	if call, ok := unparen(v).(*ast.CallExpr); ok && a.builtin(call) == "append" && len(call.Args) > 0 &&
		a.resolve(call.Args[0]) == k && !call.Ellipsis.IsValid() {
		return // t.locks = append(t.locks, sync.Mutex{})
	}
	a.demote(k, "given a value that is not a literal", v.Pos())
}

func (a *analyzer) assign(s *ast.AssignStmt) {
	if s.Tok == token.DEFINE {
		if len(s.Rhs) == 1 && len(s.Lhs) <= 2 || len(s.Lhs) == len(s.Rhs) {
			for j, l := range s.Lhs {
				if id, ok := l.(*ast.Ident); ok && j < len(s.Rhs) {
					a.pointerAlias(id, s.Rhs[j])
				}
			}
		}
		return
	}
	for j, l := range s.Lhs {
		k := a.resolve(l)
		if k == "" || !lockBearing(a.info.TypeOf(l)) {
			continue
		}
		if len(s.Lhs) != len(s.Rhs) {
			a.demote(k, "given a function's result", l.Pos())
			continue
		}
		a.stored(k, a.info.TypeOf(l), s.Rhs[j])
	}
}

func (a *analyzer) valueSpec(s *ast.ValueSpec) {
	if s.Type == nil {
		if len(s.Names) == len(s.Values) || len(s.Values) == 1 {
			for j, id := range s.Names {
				if j < len(s.Values) {
					a.pointerAlias(id, s.Values[j])
				}
			}
		}
		return
	}
	for j, id := range s.Names {
		v, _ := a.info.Defs[id].(*types.Var)
		if v == nil || !lockBearing(v.Type()) {
			continue
		}
		if len(s.Values) == 0 {
			continue
		}
		if len(s.Values) != len(s.Names) {
			a.demote(a.key(v), "given a function's result", id.Pos())
			continue
		}
		a.stored(a.key(v), v.Type(), s.Values[j])
	}
}

// compositeLit checks the fields of struct literals that hold locks.
func (a *analyzer) compositeLit(lit *ast.CompositeLit) {
	st, ok := a.info.TypeOf(lit).Underlying().(*types.Struct)
	if !ok {
		return
	}
	for j, el := range lit.Elts {
		var f *types.Var
		v := el
		if kv, ok := el.(*ast.KeyValueExpr); ok {
			id, _ := kv.Key.(*ast.Ident)
			if id == nil {
				continue
			}
			f, _ = a.info.Uses[id].(*types.Var)
			v = kv.Value
		} else if j < st.NumFields() {
			f = st.Field(j)
		}
		if f != nil {
			a.stored(a.key(f), f.Type(), v)
		}
	}
}

// ref records an explicit &X of a lock X at a declared place: a pointer
// wanted as a *sync.Mutex, given as declared.MutexPtr(&X).
func (a *analyzer) ref(u *ast.UnaryExpr) {
	x := unparen(u.X)
	if _, ok := x.(*ast.CompositeLit); ok {
		return
	}
	t := a.info.TypeOf(x)
	if t == nil || !isLock(t) {
		return
	}
	k := a.resolve(x)
	if k == "" {
		return
	}
	kind := types.Unalias(t).(*types.Named).Obj().Name()
	a.facts.Refs = append(a.facts.Refs, Ref{File: a.cur.Path, Amp: a.off(u.Pos()), End: a.off(u.End()), Key: k, Kind: kind, Line: a.line(u.Pos())})
}

// call looks for locks used through package unsafe or reflect, and for the
// calls that run a test binary's tests.
func (a *analyzer) call(c *ast.CallExpr) {
	if reason := a.unsafeUse(c); reason != "" {
		for _, arg := range c.Args {
			x := unparen(arg)
			if u, ok := x.(*ast.UnaryExpr); ok && u.Op == token.AND {
				x = unparen(u.X)
			}
			if t := a.info.TypeOf(x); t == nil || !holdsLock(t) {
				continue
			}
			if k := a.resolve(x); k != "" {
				a.facts.Skip = append(a.facts.Skip, Mark{Key: k, Reason: reason, At: a.at(c.Pos())})
			}
		}
	}
	a.runCall(c)
	a.handOffM(c)
}

// unsafeUse says how call uses its arguments' memory directly, if it does.
func (a *analyzer) unsafeUse(c *ast.CallExpr) string {
	if tv := a.info.Types[c.Fun]; tv.IsType() {
		if isUnsafePointer(tv.Type) {
			return "converted to an unsafe.Pointer"
		}
		return ""
	}
	var id *ast.Ident
	switch f := unparen(c.Fun).(type) {
	case *ast.Ident:
		id = f
	case *ast.SelectorExpr:
		id = f.Sel
	default:
		return ""
	}
	switch obj := a.info.Uses[id].(type) {
	case *types.Builtin:
		switch obj.Name() {
		case "Offsetof", "Sizeof", "Alignof":
			return "measured with unsafe." + obj.Name()
		}
	case *types.Func:
		if obj.Pkg() != nil && obj.Pkg().Path() == "reflect" {
			return "passed to reflect." + obj.Name()
		}
	}
	return ""
}

// pointerAlias makes a pointer variable defined from a declared place
// (m := t.byName[k]) stand for that place, so that an allocation stored
// in it (m = new(sync.Mutex)) gets the place's class: the lazily made
// lock of a map of locks.
func (a *analyzer) pointerAlias(id *ast.Ident, rhs ast.Expr) {
	v, ok := a.info.Defs[id].(*types.Var)
	if !ok {
		return
	}
	p, ok := types.Unalias(v.Type()).(*types.Pointer)
	if !ok || !isLock(p.Elem()) {
		return
	}
	if k := a.resolve(rhs); k != "" {
		a.alias[v] = k
	}
}
